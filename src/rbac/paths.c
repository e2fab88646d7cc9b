/*
 * paths.c - cluster-admin-equivalent power and the chains of steps that lead
 * to it (RBAC-033).
 *
 * Power that amounts to cluster-admin (each through ClusterRoleBindings, as
 * all of it is cluster-scoped): every verb on every resource; impersonating
 * the group system:masters; binding cluster-admin while being able to create
 * ClusterRoleBindings; escalate plus update on a ClusterRole one is bound to
 * cluster-wide; the kubelet API through nodes/proxy; issuing client
 * certificates (create CSRs, update their approval, approve for the
 * kube-apiserver-client signer), which can carry O=system:masters.
 *
 * Steps from one identity to another: creating or changing pods and
 * pod-producing workloads (a pod runs as any ServiceAccount of its
 * namespace), minting a token (serviceaccounts/token), impersonating a
 * ServiceAccount or a user, exec into a pod that mounts another account's
 * token, reading a legacy token Secret, and binding roles or escalating a
 * Role in a namespace (which gives the namespace's pods, hence its accounts).
 * The graph has a node per ServiceAccount the input knows and per User a
 * binding names; distances to the nearest powerful node come from one
 * breadth-first search over reversed edges, so every start is answered from
 * the same search.
 */
#include "rbac_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum hop_kind {
    HOP_PODS = 1,      /* create/modify pods or workloads in ns */
    HOP_TOKEN,         /* serviceaccounts/token */
    HOP_IMP_SA,        /* impersonate serviceaccounts */
    HOP_EXEC,          /* exec/attach into a pod that runs as the target */
    HOP_SECRET,        /* read a legacy token Secret */
    HOP_IMP_USER,      /* impersonate users */
    HOP_BIND,          /* bind a role + create rolebindings in ns */
    HOP_ESCALATE,      /* escalate + update a Role one is bound to in ns */
} hop_kind;

typedef struct gedge {
    uint32_t from, to;
    hop_kind kind;
    ka_rbac_grant grant;
    const char *what;     /* the request that was allowed, "create pods" */
    ka_str via;           /* object named in the step (workload, secret) */
} gedge;

typedef struct gnode {
    ka_rbac_identity id;
    const ka_rbac_binding **bs;
    size_t nbs;
    bool powerful;
    ka_rbac_power power;
    int32_t dist;         /* hops to a powerful node, -1 unreachable */
    int32_t next;         /* edge index along the shortest chain */
} gnode;

struct ka_rbac_graph {
    ka_arena *arena;
    size_t n, cap;
    gnode *nodes;
    size_t ne, ecap;
    gedge *edges;
    ka_hmap index;        /* node key -> index + 1 */
    ka_hmap runs_as;      /* ns -> ka_ptrvec of const ka_object* (pod-bearing) */
    ka_hmap tokens;       /* ns -> ka_ptrvec of const ka_object* (token Secrets) */
    ka_ptrvec vecs;
};

/* ---- probing ------------------------------------------------------------ */

static ka_rbac_request req(const char *verb, const char *group, const char *res, const char *sub,
                           ka_str ns, ka_str name)
{
    ka_rbac_request q;
    memset(&q, 0, sizeof q);
    q.verb = ka_str_c(verb);
    q.group = ka_str_c(group);
    q.resource = ka_str_c(res);
    q.subresource = ka_str_c(sub);
    q.ns = ns;
    q.name = name;
    return q;
}

/* First grant among a node's bindings for the request. */
static bool node_can(const ka_rbac_binding *const *bs, size_t nbs, const ka_rbac_identity *id,
                     const ka_rbac_request *q, ka_rbac_grant *g)
{
    for (size_t i = 0; i < nbs; i++) {
        const ka_rbac_binding *b = bs[i];
        if (!b->role || !ka_rbac_binding_in_scope(b, q))
            continue;
        const ka_rbac_subject *s = ka_rbac__first_applying(b, id);
        if (!s)
            continue;
        for (size_t r = 0; r < b->role->nrules; r++)
            if (ka_rbac_rule_allows(&b->role->rules[r], q)) {
                *g = (ka_rbac_grant){ b, s, (uint32_t)r };
                return true;
            }
    }
    return false;
}

static bool power_of(const ka_rbac_binding *const *bs, size_t nbs, const ka_rbac_identity *id,
                     ka_rbac_power *out)
{
    const ka_str none = { "", 0 };
    ka_rbac_grant g, g2, g3;
    memset(out, 0, sizeof *out);
    if (ka_rbac_identity_superuser(id)) {
        out->what = "is in the group system:masters, which bypasses authorization";
        return true;
    }
    ka_rbac_request q = req("*", "*", "*", "", none, none);
    if (node_can(bs, nbs, id, &q, &g)) {
        out->what = "holds every verb on every resource cluster-wide";
        out->grant = g;
        return true;
    }
    q = req("impersonate", "", "groups", "", none, KA_STR("system:masters"));
    if (node_can(bs, nbs, id, &q, &g)) {
        out->what = "can impersonate the group system:masters";
        out->grant = g;
        return true;
    }
    q = req("bind", KA_RBAC_API_GROUP, "clusterroles", "", none, KA_STR("cluster-admin"));
    ka_rbac_request q2 = req("create", KA_RBAC_API_GROUP, "clusterrolebindings", "", none, none);
    if (node_can(bs, nbs, id, &q, &g) && node_can(bs, nbs, id, &q2, &g2)) {
        out->what = "can bind cluster-admin and create ClusterRoleBindings";
        out->grant = g;
        return true;
    }
    for (size_t i = 0; i < nbs; i++) {
        const ka_rbac_binding *b = bs[i];
        if (!b->cluster || !b->role)
            continue;
        q = req("escalate", KA_RBAC_API_GROUP, "clusterroles", "", none, b->role->name);
        q2 = req("update", KA_RBAC_API_GROUP, "clusterroles", "", none, b->role->name);
        ka_rbac_request q3 = req("patch", KA_RBAC_API_GROUP, "clusterroles", "", none, b->role->name);
        if (node_can(bs, nbs, id, &q, &g) &&
            (node_can(bs, nbs, id, &q2, &g2) || node_can(bs, nbs, id, &q3, &g2))) {
            out->what = "can escalate and update a ClusterRole it is bound to cluster-wide";
            out->grant = g;
            return true;
        }
    }
    static const char *const proxy_verbs[] = { "get", "create" };
    for (size_t i = 0; i < 2; i++) {
        q = req(proxy_verbs[i], "", "nodes", "proxy", none, none);
        if (node_can(bs, nbs, id, &q, &g)) {
            out->what = "can reach every kubelet's API through nodes/proxy";
            out->grant = g;
            return true;
        }
    }
    q = req("create", "certificates.k8s.io", "certificatesigningrequests", "", none, none);
    q2 = req("update", "certificates.k8s.io", "certificatesigningrequests", "approval", none, none);
    ka_rbac_request q3 = req("approve", "certificates.k8s.io", "signers", "", none,
                             KA_STR("kubernetes.io/kube-apiserver-client"));
    ka_rbac_request q4 = req("approve", "certificates.k8s.io", "signers", "", none,
                             KA_STR("kubernetes.io/*"));
    if (node_can(bs, nbs, id, &q, &g) && node_can(bs, nbs, id, &q2, &g2) &&
        (node_can(bs, nbs, id, &q3, &g3) || node_can(bs, nbs, id, &q4, &g3))) {
        out->what = "can request and approve client certificates (any user, any group)";
        out->grant = g3;
        return true;
    }
    return false;
}

bool ka_rbac_admin_power_among(const ka_rbac_binding *const *bs, size_t n,
                               const ka_rbac_identity *id, ka_rbac_power *out)
{
    return power_of(bs, n, id, out);
}

bool ka_rbac_admin_power(const ka_rbac *m, const ka_rbac_identity *id, ka_rbac_power *out)
{
    const ka_rbac_binding **bs;
    size_t n = ka_rbac_bindings_for(m, id, &bs);
    bool r = power_of(bs, n, id, out);
    free(bs);
    return r;
}

/* ---- the graph ---------------------------------------------------------- */

static void vec_add(ka_rbac_graph *g, ka_hmap *h, ka_str key, const void *p)
{
    void **slot = ka_hmap_slot(h, key);
    if (!*slot) {
        *slot = ka_xcalloc(1, sizeof(ka_ptrvec));
        ka_ptrvec_push(&g->vecs, *slot);
    }
    ka_ptrvec_push(*slot, p);
}

static const ka_ptrvec *vec_get(const ka_hmap *h, ka_str key)
{
    return ka_hmap_get(h, key);
}

static uint32_t add_node(const ka_rbac *m, ka_rbac_graph *g, ka_buf *kb, bool sa, ka_str ns,
                         ka_str name)
{
    void **slot = ka_hmap_slot(&g->index, ka_rbac__key(kb, sa ? 'S' : 'U', ns, name));
    if (*slot)
        return (uint32_t)((uintptr_t)*slot - 1);
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->nodes = ka_xrealloc(g->nodes, g->cap * sizeof *g->nodes);
    }
    uint32_t i = (uint32_t)g->n++;
    *slot = (void *)(uintptr_t)(i + 1);
    gnode *nd = &g->nodes[i];
    memset(nd, 0, sizeof *nd);
    if (sa) {
        ka_rbac_identity_sa(&nd->id, g->arena, ns, name);
    } else {
        nd->id.kind = KA_RBAC_USER;
        nd->id.user = nd->id.name = name;
        ka_rbac_identity_add_group(&nd->id, KA_STR("system:authenticated"));
    }
    nd->nbs = ka_rbac_bindings_for(m, &nd->id, &nd->bs);
    nd->dist = -1;
    nd->next = -1;
    return i;
}

static void add_edge(ka_rbac_graph *g, uint32_t from, uint32_t to, hop_kind k,
                     const ka_rbac_grant *gr, const char *what, ka_str via)
{
    if (from == to || to == UINT32_MAX)
        return;
    if (g->ne == g->ecap) {
        g->ecap = g->ecap ? g->ecap * 2 : 256;
        g->edges = ka_xrealloc(g->edges, g->ecap * sizeof *g->edges);
    }
    g->edges[g->ne++] = (gedge){ from, to, k, *gr, what, via };
}

static uint32_t node_of_sa(const ka_rbac_graph *g, ka_buf *kb, ka_str ns, ka_str name)
{
    void *v = ka_hmap_get(&g->index, ka_rbac__key(kb, 'S', ns, name));
    return v ? (uint32_t)((uintptr_t)v - 1) : UINT32_MAX;
}

static ka_str pod_sa(const ka_object *o)
{
    ka_str sa = ka_node_str(ka_get(o->pod->spec, "serviceAccountName"));
    if (!sa.n)
        sa = ka_node_str(ka_get(o->pod->spec, "serviceAccount"));
    return sa.n ? sa : KA_STR("default");
}

/* Requests that put a pod of one's choosing into a namespace. */
static const struct { const char *verb, *group, *res; } pod_makers[] = {
    { "create", "", "pods" },
    { "create", "apps", "deployments" },
    { "create", "apps", "daemonsets" },
    { "create", "apps", "statefulsets" },
    { "create", "apps", "replicasets" },
    { "create", "batch", "jobs" },
    { "create", "batch", "cronjobs" },
    { "create", "", "replicationcontrollers" },
    { "update", "apps", "deployments" },
    { "patch", "apps", "deployments" },
    { "update", "apps", "daemonsets" },
    { "patch", "apps", "daemonsets" },
    { "update", "apps", "statefulsets" },
    { "patch", "apps", "statefulsets" },
    { "update", "batch", "cronjobs" },
    { "patch", "batch", "cronjobs" },
};

static const char *const pod_maker_text[] = {
    "create pods", "create deployments", "create daemonsets", "create statefulsets",
    "create replicasets", "create jobs", "create cronjobs", "create replicationcontrollers",
    "update deployments", "patch deployments", "update daemonsets", "patch daemonsets",
    "update statefulsets", "patch statefulsets", "update cronjobs", "patch cronjobs",
};

/* Names a set of bindings allows for a request (resourceNames-limited rules
 * allow only theirs). Rule matching does not depend on the namespace, so
 * this is asked once per set of bindings, not once per namespace. */
typedef struct nameset {
    bool all;
    size_t n, cap;
    ka_str *v;
    ka_rbac_grant grant;     /* the first grant seen */
} nameset;

static void nameset_add(nameset *s, ka_str name)
{
    for (size_t i = 0; i < s->n; i++)
        if (ka_str_eq(s->v[i], name))
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = ka_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = name;
}

static bool nameset_has(const nameset *s, ka_str name)
{
    if (s->all)
        return true;
    for (size_t i = 0; i < s->n; i++)
        if (ka_str_eq(s->v[i], name))
            return true;
    return false;
}

static bool nameset_any(const nameset *s) { return s->all || s->n; }

static void allowed_names(const ka_rbac_binding *const *bs, size_t nbs, const ka_rbac_identity *id,
                          ka_rbac_request q, nameset *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < nbs && !out->all; i++) {
        const ka_rbac_binding *b = bs[i];
        const ka_rbac_subject *s = ka_rbac__first_applying(b, id);
        if (!s || !b->role)
            continue;
        for (size_t r = 0; r < b->role->nrules && !out->all; r++) {
            const ka_rbac_rule *rl = &b->role->rules[r];
            bool first = !nameset_any(out);
            q.name = (ka_str){ "", 0 };
            if (ka_rbac_rule_allows(rl, &q)) {
                out->all = true;
            } else {
                for (size_t k = 0; k < rl->nnames; k++) {
                    q.name = rl->names[k];
                    if (ka_rbac_rule_allows(rl, &q))
                        nameset_add(out, rl->names[k]);
                }
            }
            if (first && nameset_any(out))
                out->grant = (ka_rbac_grant){ b, s, (uint32_t)r };
        }
    }
}

static void nameset_free(nameset *s) { free(s->v); }

/* What one set of bindings (all in scope for the namespaces it is applied
 * to) lets a node do; computed once, applied to each namespace. */
typedef struct hops {
    bool pods, bind, escalate, exec;
    const char *pods_what;
    ka_rbac_grant pods_g, bind_g, esc_g, exec_g;
    nameset token, imp, secret_get;
    bool secret_list;
    ka_rbac_grant list_g;
    bool any;
} hops;

static void hops_of(const ka_rbac_binding *const *bs, size_t nbs, const ka_rbac_identity *id,
                    ka_str ns, hops *h)
{
    const ka_str none = { "", 0 };
    memset(h, 0, sizeof *h);
    for (size_t k = 0; k < sizeof pod_makers / sizeof pod_makers[0] && !h->pods; k++) {
        ka_rbac_request q = req(pod_makers[k].verb, pod_makers[k].group, pod_makers[k].res, "", ns, none);
        if (node_can(bs, nbs, id, &q, &h->pods_g)) {
            h->pods = true;
            h->pods_what = pod_maker_text[k];
        }
    }
    if (!h->pods) {
        ka_rbac_request qb = req("create", KA_RBAC_API_GROUP, "rolebindings", "", ns, none);
        static const char *const bindable[] = { "cluster-admin", "admin", "edit" };
        ka_rbac_grant g2;
        for (size_t k = 0; k < 3 && !h->bind; k++) {
            ka_rbac_request q = req("bind", KA_RBAC_API_GROUP, "clusterroles", "", ns, ka_str_c(bindable[k]));
            h->bind = node_can(bs, nbs, id, &q, &h->bind_g);
        }
        h->bind = h->bind && node_can(bs, nbs, id, &qb, &g2);
        for (size_t k = 0; k < nbs && !h->escalate; k++) {
            const ka_rbac_binding *b = bs[k];
            if (b->cluster || !b->role || b->role->cluster)
                continue;
            ka_rbac_request qe = req("escalate", KA_RBAC_API_GROUP, "roles", "", b->ns, b->role->name);
            ka_rbac_request qu = req("update", KA_RBAC_API_GROUP, "roles", "", b->ns, b->role->name);
            h->escalate = node_can(bs, nbs, id, &qe, &h->esc_g) && node_can(bs, nbs, id, &qu, &g2);
        }
    }
    static const char *const exec_words[][2] = {
        { "create", "exec" }, { "get", "exec" }, { "create", "attach" }, { "get", "attach" },
    };
    for (size_t e = 0; e < 4 && !h->exec; e++) {
        ka_rbac_request q = req(exec_words[e][0], "", "pods", exec_words[e][1], ns, none);
        h->exec = node_can(bs, nbs, id, &q, &h->exec_g);
    }
    allowed_names(bs, nbs, id, req("create", "", "serviceaccounts", "token", ns, none), &h->token);
    allowed_names(bs, nbs, id, req("impersonate", "", "serviceaccounts", "", ns, none), &h->imp);
    allowed_names(bs, nbs, id, req("get", "", "secrets", "", ns, none), &h->secret_get);
    ka_rbac_request ql = req("list", "", "secrets", "", ns, none);
    h->secret_list = node_can(bs, nbs, id, &ql, &h->list_g);
    h->any = h->pods || h->bind || h->escalate || h->exec || nameset_any(&h->token) ||
             nameset_any(&h->imp) || nameset_any(&h->secret_get) || h->secret_list;
}

static void hops_free(hops *h)
{
    nameset_free(&h->token);
    nameset_free(&h->imp);
    nameset_free(&h->secret_get);
}

/* Steps of node i into namespace ns that the hops allow. */
static void edges_in_ns(const ka_rbac *m, ka_rbac_graph *g, ka_buf *kb, uint32_t i, ka_str ns,
                        const hops *h)
{
    const ka_str none = { "", 0 };
    const ka_str *const *sas;
    size_t nsa = ka_rbac_service_accounts(m, ns, &sas);
    for (size_t s = 0; s < nsa; s++) {
        uint32_t t = node_of_sa(g, kb, ns, *sas[s]);
        if (h->pods)
            add_edge(g, i, t, HOP_PODS, &h->pods_g, h->pods_what, none);
        else if (h->bind)
            add_edge(g, i, t, HOP_BIND, &h->bind_g, "bind admin roles and create rolebindings", none);
        else if (h->escalate)
            add_edge(g, i, t, HOP_ESCALATE, &h->esc_g, "escalate and update the Role it is bound to", none);
        if (nameset_has(&h->token, *sas[s]))
            add_edge(g, i, t, HOP_TOKEN, &h->token.grant, "create serviceaccounts/token", none);
        if (nameset_has(&h->imp, *sas[s]))
            add_edge(g, i, t, HOP_IMP_SA, &h->imp.grant, "impersonate serviceaccounts", none);
    }
    const ka_ptrvec *pods_in = h->exec ? vec_get(&g->runs_as, ns) : NULL;
    for (size_t k = 0; pods_in && k < pods_in->n; k++) {
        const ka_object *o = pods_in->v[k];
        add_edge(g, i, node_of_sa(g, kb, ns, pod_sa(o)), HOP_EXEC, &h->exec_g, "exec into pods", o->name);
    }
    const ka_ptrvec *toks = vec_get(&g->tokens, ns);
    for (size_t k = 0; toks && k < toks->n; k++) {
        const ka_object *sec = toks->v[k];
        ka_str sa;
        ka_labels_get(&sec->annotations, KA_STR("kubernetes.io/service-account.name"), &sa);
        if (h->secret_list)
            add_edge(g, i, node_of_sa(g, kb, ns, sa), HOP_SECRET, &h->list_g, "read secrets", sec->name);
        else if (nameset_has(&h->secret_get, sec->name))
            add_edge(g, i, node_of_sa(g, kb, ns, sa), HOP_SECRET, &h->secret_get.grant, "read secrets",
                     sec->name);
    }
}

/* What a node's ClusterRoleBindings give it: power, and the steps they
 * allow in every namespace. */
typedef struct cluster_part {
    bool powerful;
    ka_rbac_power power;
    hops h;              /* h.any false when it has no ClusterRoleBinding */
    nameset users;       /* users it may impersonate */
} cluster_part;

static void cluster_part_of(const gnode *nd, cluster_part *cp)
{
    cp->powerful = power_of(nd->bs, nd->nbs, &nd->id, &cp->power);
    if (cp->powerful)
        return;
    ka_ptrvec cl = { 0 };
    for (size_t k = 0; k < nd->nbs; k++)
        if (nd->bs[k]->cluster && nd->bs[k]->role)
            ka_ptrvec_push(&cl, nd->bs[k]);
    if (cl.n) {
        hops_of((const ka_rbac_binding *const *)cl.v, cl.n, &nd->id, KA_STR("*"), &cp->h);
        allowed_names((const ka_rbac_binding *const *)cl.v, cl.n, &nd->id,
                      req("impersonate", "", "users", "", (ka_str){ "", 0 }, (ka_str){ "", 0 }),
                      &cp->users);
    }
    ka_ptrvec_free(&cl);
}

/* A shared grant names the subject of the node it was computed for. */
static void fix_subject(ka_rbac_grant *g, const ka_rbac_identity *id)
{
    if (g->binding)
        g->subject = ka_rbac__first_applying(g->binding, id);
}

static void fix_hops(hops *h, const ka_rbac_identity *id)
{
    fix_subject(&h->pods_g, id);
    fix_subject(&h->bind_g, id);
    fix_subject(&h->esc_g, id);
    fix_subject(&h->exec_g, id);
    fix_subject(&h->list_g, id);
    fix_subject(&h->token.grant, id);
    fix_subject(&h->imp.grant, id);
    fix_subject(&h->secret_get.grant, id);
}

static ka_rbac_graph *build_graph(ka_rbac *m)
{
    ka_rbac_graph *g = ka_xcalloc(1, sizeof *g);
    g->arena = ka_arena_new();
    ka_hmap_init(&g->index, g->arena);
    ka_hmap_init(&g->runs_as, g->arena);
    ka_hmap_init(&g->tokens, g->arena);
    ka_buf kb;
    ka_buf_init(&kb);

    size_t nobj = ka_objset_count(m->set);
    for (size_t i = 0; i < nobj; i++) {
        const ka_object *o = ka_objset_at(m->set, i);
        if (o->pod && ka_is_map(o->pod->spec))
            vec_add(g, &g->runs_as, o->ns, o);
        ka_str type = ka_node_str(ka_get(o->root, "type")), sa;
        if (ka_str_eqc(o->kind, "Secret") && ka_str_eqc(type, "kubernetes.io/service-account-token") &&
            ka_labels_get(&o->annotations, KA_STR("kubernetes.io/service-account.name"), &sa) && sa.n)
            vec_add(g, &g->tokens, o->ns, o);
    }
    /* nodes: every known ServiceAccount, then every User a binding names */
    ka_ptrvec nss = { 0 };
    for (size_t i = 0; i < m->sa_index.cap; i++)
        if (m->sa_index.e[i].key.p)
            ka_ptrvec_push(&nss, &m->sa_index.e[i].key);
    for (size_t i = 0; i < nss.n; i++) {
        ka_str ns = *(const ka_str *)nss.v[i];
        const ka_str *const *sas;
        size_t n = ka_rbac_service_accounts(m, ns, &sas);
        for (size_t k = 0; k < n; k++)
            add_node(m, g, &kb, true, ns, *sas[k]);
    }
    for (size_t i = 0; i < m->nbindings; i++) {
        const ka_rbac_binding *b = &m->bindings[i];
        for (size_t k = 0; k < b->nsubjects; k++)
            if (b->subjects[k].kind == KA_RBAC_USER && b->subjects[k].name.n)
                add_node(m, g, &kb, false, (ka_str){ "", 0 }, b->subjects[k].name);
    }
    /* power and steps; nodes with the same bindings (the default accounts of
     * thousands of namespaces) share what their ClusterRoleBindings give */
    ka_hmap shared;
    ka_hmap_init(&shared, g->arena);
    ka_ptrvec owned = { 0 };
    for (uint32_t i = 0; i < g->n; i++) {
        gnode *nd = &g->nodes[i];
        ka_buf_reset(&kb);
        ka_buf_addc(&kb, ka_rbac_identity_superuser(&nd->id) ? 'S' : '-');
        ka_buf_add(&kb, (const char *)nd->bs, nd->nbs * sizeof *nd->bs);
        void **slot = ka_hmap_slot(&shared, (ka_str){ kb.p, kb.n });
        cluster_part *cp = *slot;
        if (!cp) {
            cp = *slot = ka_xcalloc(1, sizeof *cp);
            ka_ptrvec_push(&owned, cp);
            cluster_part_of(nd, cp);
        }
        nd->powerful = cp->powerful;
        nd->power = cp->power;
        fix_subject(&nd->power.grant, &nd->id);
        if (nd->powerful)
            continue;
        if (cp->h.any) {
            hops h = cp->h;
            fix_hops(&h, &nd->id);
            for (size_t k = 0; k < nss.n; k++)
                edges_in_ns(m, g, &kb, i, *(const ka_str *)nss.v[k], &h);
        }
        if (nameset_any(&cp->users)) {
            /* impersonating users is cluster-scoped */
            ka_rbac_grant ug = cp->users.grant;
            fix_subject(&ug, &nd->id);
            for (uint32_t u = 0; u < g->n; u++)
                if (g->nodes[u].id.kind == KA_RBAC_USER && nameset_has(&cp->users, g->nodes[u].id.user))
                    add_edge(g, i, u, HOP_IMP_USER, &ug, "impersonate users", (ka_str){ "", 0 });
        }
        ka_ptrvec cl = { 0 };
        for (size_t k = 0; k < nd->nbs; k++)
            if (nd->bs[k]->cluster && nd->bs[k]->role)
                ka_ptrvec_push(&cl, nd->bs[k]);
        for (size_t k = 0; k < nd->nbs;) {
            const ka_rbac_binding *b = nd->bs[k];
            if (b->cluster || !b->role) {
                k++;
                continue;
            }
            /* bindings are sorted: the RoleBindings of one namespace are adjacent */
            ka_ptrvec set = { 0 };
            for (size_t c = 0; c < cl.n; c++)
                ka_ptrvec_push(&set, cl.v[c]);
            size_t j = k;
            for (; j < nd->nbs && !nd->bs[j]->cluster && ka_str_eq(nd->bs[j]->ns, b->ns); j++)
                if (nd->bs[j]->role)
                    ka_ptrvec_push(&set, nd->bs[j]);
            hops h;
            hops_of((const ka_rbac_binding *const *)set.v, set.n, &nd->id, b->ns, &h);
            if (h.any)
                edges_in_ns(m, g, &kb, i, b->ns, &h);
            hops_free(&h);
            ka_ptrvec_free(&set);
            k = j;
        }
        ka_ptrvec_free(&cl);
    }
    for (size_t k = 0; k < owned.n; k++) {
        cluster_part *cp = (cluster_part *)owned.v[k];
        hops_free(&cp->h);
        nameset_free(&cp->users);
        free(cp);
    }
    ka_ptrvec_free(&owned);
    ka_hmap_free(&shared);
    ka_ptrvec_free(&nss);
    /* breadth-first from the powerful nodes over reversed edges */
    size_t *deg = ka_xcalloc(g->n + 1, sizeof *deg);
    for (size_t e = 0; e < g->ne; e++)
        deg[g->edges[e].to + 1]++;
    for (size_t i = 0; i < g->n; i++)
        deg[i + 1] += deg[i];
    uint32_t *in = ka_xmalloc((g->ne ? g->ne : 1) * sizeof *in);
    size_t *fill = ka_xcalloc(g->n + 1, sizeof *fill);
    for (size_t e = 0; e < g->ne; e++) {
        uint32_t t = g->edges[e].to;
        in[deg[t] + fill[t]++] = (uint32_t)e;
    }
    uint32_t *queue = ka_xmalloc((g->n ? g->n : 1) * sizeof *queue);
    size_t qh = 0, qt = 0;
    for (uint32_t i = 0; i < g->n; i++)
        if (g->nodes[i].powerful) {
            g->nodes[i].dist = 0;
            queue[qt++] = i;
        }
    while (qh < qt) {
        uint32_t t = queue[qh++];
        for (size_t k = deg[t]; k < deg[t + 1]; k++) {
            const gedge *e = &g->edges[in[k]];
            gnode *f = &g->nodes[e->from];
            if (f->dist >= 0)
                continue;
            f->dist = g->nodes[t].dist + 1;
            f->next = (int32_t)in[k];
            queue[qt++] = e->from;
        }
    }
    free(queue);
    free(fill);
    free(in);
    free(deg);
    ka_buf_free(&kb);
    return g;
}

void ka_rbac__graph_free(ka_rbac_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++)
        free(g->nodes[i].bs);
    for (size_t i = 0; i < g->vecs.n; i++) {
        ka_ptrvec *v = (ka_ptrvec *)g->vecs.v[i];
        ka_ptrvec_free(v);
        free(v);
    }
    ka_ptrvec_free(&g->vecs);
    ka_hmap_free(&g->index);
    ka_hmap_free(&g->runs_as);
    ka_hmap_free(&g->tokens);
    free(g->nodes);
    free(g->edges);
    ka_arena_free(g->arena);
    free(g);
}

/* ---- printing ----------------------------------------------------------- */

static void grant_text(ka_buf *b, const ka_rbac_grant *g)
{
    if (!g->binding)
        return;
    ka_buf_adds(b, " (");
    ka_rbac_binding_ref(g->binding, b);
    ka_buf_adds(b, " -> ");
    ka_rbac_role_ref(g->binding->role, b);
    ka_buf_printf(b, " rules[%u])", g->rule);
}

static char *step_text(const ka_rbac_graph *g, const gedge *e)
{
    ka_buf b;
    ka_buf_init(&b);
    const gnode *f = &g->nodes[e->from], *t = &g->nodes[e->to];
    ka_rbac_identity_string(&f->id, &b);
    ka_buf_printf(&b, " can %s", e->what);
    if (e->kind != HOP_IMP_USER)
        ka_buf_printf(&b, " in %.*s", (int)t->id.ns.n, t->id.ns.p);
    grant_text(&b, &e->grant);
    switch (e->kind) {
    case HOP_PODS: ka_buf_adds(&b, ", so it can run a pod as "); break;
    case HOP_TOKEN: ka_buf_adds(&b, ", so it can mint a token for "); break;
    case HOP_IMP_SA:
    case HOP_IMP_USER: ka_buf_adds(&b, ", so it can act as "); break;
    case HOP_EXEC:
        ka_buf_printf(&b, ", so it can take the token mounted in the pods of %.*s, which run as ",
                      (int)e->via.n, e->via.p);
        break;
    case HOP_SECRET:
        ka_buf_printf(&b, ", so it can read the token in Secret %.*s of ", (int)e->via.n, e->via.p);
        break;
    case HOP_BIND:
    case HOP_ESCALATE: ka_buf_adds(&b, ", so it can give itself pods in the namespace and run one as "); break;
    }
    ka_rbac_identity_string(&t->id, &b);
    char *s = ka_xstrdup(ka_buf_cstr(&b));
    ka_buf_free(&b);
    return s;
}

int ka_rbac_escalation_path(ka_rbac *m, ka_str ns, ka_str name, ka_rbac_path *out)
{
    memset(out, 0, sizeof *out);
    if (!m->graph)
        m->graph = build_graph(m);
    ka_rbac_graph *g = m->graph;
    ka_buf kb;
    ka_buf_init(&kb);
    void *v = ka_hmap_get(&g->index, ka_rbac__key(&kb, 'S', ns, name));
    ka_buf_free(&kb);
    if (!v)
        return -1;
    uint32_t i = (uint32_t)((uintptr_t)v - 1);
    int32_t d = g->nodes[i].dist;
    if (d < 0)
        return -1;
    out->steps = ka_xcalloc((size_t)d + 1, sizeof *out->steps);
    while (g->nodes[i].dist > 0) {
        const gedge *e = &g->edges[g->nodes[i].next];
        out->steps[out->n++] = step_text(g, e);
        i = e->to;
    }
    ka_buf b;
    ka_buf_init(&b);
    ka_rbac_identity_string(&g->nodes[i].id, &b);
    ka_buf_printf(&b, " %s", g->nodes[i].power.what);
    grant_text(&b, &g->nodes[i].power.grant);
    out->steps[out->n++] = ka_xstrdup(ka_buf_cstr(&b));
    ka_buf_free(&b);
    return d;
}

void ka_rbac_path_free(ka_rbac_path *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->steps[i]);
    free(p->steps);
    memset(p, 0, sizeof *p);
}
