/*
 * rules_rbac_model.c - RBAC rules that need the whole RBAC model (roleRefs
 * resolved, aggregation recomputed, default roles known, bindings indexed by
 * subject): RBAC-001, 011, 027, 031 and 033. Each builds the model once per
 * run over the set.
 */
#include "rule.h"
#include "rules_rbac.h"
#include "../core/hmap.h"

#include <stdlib.h>
#include <string.h>

/* Subjects of a binding that the rule is about, as "Kind name" text.
 * Control-plane subjects of the API server's default bindings are left out. */
static size_t subjects_text(const ka_rbac_binding *b, ka_buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nsubjects; i++) {
        const ka_rbac_subject *s = &b->subjects[i];
        if (!s->name.n || (b->defaults && ka_rbac_subject_is_system(s)))
            continue;
        if (n++)
            ka_buf_adds(out, ", ");
        ka_buf_addstr(out, s->written_kind.n ? s->written_kind : KA_STR("?"));
        ka_buf_addc(out, ' ');
        if (s->kind == KA_RBAC_SA && s->ns.n) {
            ka_buf_addstr(out, s->ns);
            ka_buf_addc(out, '/');
        }
        ka_buf_addstr(out, s->name);
    }
    return n;
}

static void grant_ref(ka_buf *b, const ka_rbac_grant *g)
{
    if (!g->binding) {
        ka_buf_adds(b, "system:masters");
        return;
    }
    ka_rbac_binding_ref(g->binding, b);
    ka_buf_adds(b, " -> ");
    ka_rbac_role_ref(g->binding->role, b);
    ka_buf_printf(b, " rules[%u]", g->rule);
}

/* ---- RBAC-001 ------------------------------------------------------------- */

static bool all_star(const ka_str *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_eqc(v[i], "*"))
            return true;
    return false;
}

void ka_setrule_rbac001(ka_ctx *ctx, const ka_objset *s)
{
    const ka_rbac *m = ka_ctx_rbac(ctx); /* built once per run from s */
    (void)s;
    ka_buf subj, why;
    ka_buf_init(&subj);
    ka_buf_init(&why);
    for (size_t i = 0; i < ka_rbac_nbindings(m); i++) {
        const ka_rbac_binding *b = ka_rbac_binding_at(m, i);
        if (b->builtin)
            continue;
        ka_buf_reset(&why);
        if (ka_str_eqc(b->role_name, "cluster-admin")) {
            ka_buf_adds(&why, "cluster-admin (every verb on every resource)");
        } else if (b->role) {
            for (size_t r = 0; r < b->role->nrules && !why.n; r++) {
                const ka_rbac_rule *x = &b->role->rules[r];
                if (all_star(x->verbs, x->nverbs) && all_star(x->groups, x->ngroups) &&
                    all_star(x->res, x->nres) && !x->nnames)
                    ka_buf_printf(&why, "%.*s, whose rules[%zu] allows every verb on every resource",
                                  (int)b->role_name.n, b->role_name.p, r);
            }
        }
        if (!why.n)
            continue;
        ka_buf_reset(&subj);
        if (!subjects_text(b, &subj))
            continue;
        if (b->cluster)
            ka_report(ctx, b->obj, b->role_ref, NULL, "grants %.*s cluster-wide to %.*s",
                      (int)why.n, why.p, (int)subj.n, subj.p);
        else
            ka_report(ctx, b->obj, b->role_ref, NULL,
                      "grants %.*s in namespace %.*s (its Secrets, RBAC and the Namespace itself) to %.*s",
                      (int)why.n, why.p, (int)b->ns.n, b->ns.p, (int)subj.n, subj.p);
    }
    ka_buf_free(&subj);
    ka_buf_free(&why);
}

/* ---- workloads ------------------------------------------------------------ */

static ka_str pod_sa(const ka_object *o)
{
    ka_str sa = ka_node_str(ka_get(o->pod->spec, "serviceAccountName"));
    if (!sa.n)
        sa = ka_node_str(ka_get(o->pod->spec, "serviceAccount"));
    return sa.n ? sa : KA_STR("default");
}

/* Does the pod get its ServiceAccount's token? The pod's field wins; when
 * unset, the ServiceAccount's (when it is in the input); true by default. */
static bool token_mounted(const ka_objset *s, const ka_object *o, ka_str sa)
{
    int b = ka_bool(ka_get(o->pod->spec, "automountServiceAccountToken"));
    if (b >= 0)
        return b == 1;
    const ka_object *so = ka_objset_find(s, "ServiceAccount", o->ns, sa);
    if (so && ka_bool(ka_get(so->root, "automountServiceAccountToken")) == 0)
        return false;
    return true;
}

typedef struct capability {
    const char *text;
    const char *verb, *group, *res, *sub;
    bool cluster;                 /* asked cluster-wide (no namespace) */
} capability;

static const capability caps[] = {
    { "read secrets", "get", "", "secrets", "", false },
    { "read secrets", "list", "", "secrets", "", false },
    { "create pods", "create", "", "pods", "", false },
    { "create deployments", "create", "apps", "deployments", "", false },
    { "change deployments", "patch", "apps", "deployments", "", false },
    { "create jobs", "create", "batch", "jobs", "", false },
    { "create daemonsets", "create", "apps", "daemonsets", "", false },
    { "exec into pods", "create", "", "pods", "exec", false },
    { "exec into pods", "get", "", "pods", "exec", false },
    { "mint ServiceAccount tokens", "create", "", "serviceaccounts", "token", false },
    { "impersonate ServiceAccounts", "impersonate", "", "serviceaccounts", "", false },
    { "impersonate users", "impersonate", "", "users", "", true },
    { "impersonate groups", "impersonate", "", "groups", "", true },
    { "bind roles", "bind", KA_RBAC_API_GROUP, "clusterroles", "", false },
    { "bind roles", "bind", KA_RBAC_API_GROUP, "roles", "", false },
    { "escalate roles", "escalate", KA_RBAC_API_GROUP, "roles", "", false },
    { "write rolebindings", "create", KA_RBAC_API_GROUP, "rolebindings", "", false },
    { "write clusterrolebindings", "create", KA_RBAC_API_GROUP, "clusterrolebindings", "", true },
    { "reach the kubelet API (nodes/proxy)", "get", "", "nodes", "proxy", true },
};

/* ---- workloads judged by their ServiceAccount ------------------------------ */

/* State a judge keeps for the whole run of its rule. */
typedef struct judge_state {
    ka_arena *a;
    ka_hmap shared;   /* RBAC-011: binding set -> verdict011 */
    ka_buf key;
} judge_state;

/* Writes into msg what the ServiceAccount ns/sa's token allows (empty: no
 * finding). */
typedef void (*sa_judge)(ka_rbac *m, judge_state *st, ka_str ns, ka_str sa, ka_buf *msg);

/* Reports, on every pod-bearing object whose pods mount a token, what judge
 * says of its ServiceAccount. Workloads sharing a ServiceAccount share one
 * evaluation: the verdicts are remembered by ns\0sa ("" = no finding). */
static void each_token_workload(ka_ctx *ctx, const ka_objset *s, sa_judge judge)
{
    ka_rbac *m = NULL;
    judge_state st;
    st.a = ka_arena_new();
    ka_hmap_init(&st.shared, st.a);
    ka_buf_init(&st.key);
    ka_hmap memo;
    ka_hmap_init(&memo, st.a);
    ka_buf key, msg;
    ka_buf_init(&key);
    ka_buf_init(&msg);
    size_t n = ka_objset_count(s);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(s, i);
        if (!o->pod || !ka_is_map(o->pod->spec) || !o->ns.n)
            continue;
        ka_str sa = pod_sa(o);
        if (!token_mounted(s, o, sa))
            continue;
        void **seen = ka_hmap_slot(&memo, ka_key2(&key, o->ns, sa));
        if (!*seen) {
            if (!m)
                m = ka_ctx_rbac(ctx);
            ka_buf_reset(&msg);
            judge(m, &st, o->ns, sa, &msg);
            *seen = ka_arena_strndup(st.a, msg.p ? msg.p : "", msg.n);
        }
        if (*(const char *)*seen)
            ka_report(ctx, o, NULL, NULL, "%s", (const char *)*seen);
    }
    ka_hmap_free(&memo);
    ka_hmap_free(&st.shared);
    ka_buf_free(&st.key);
    ka_buf_free(&key);
    ka_buf_free(&msg);
    ka_arena_free(st.a);
}

#define NCAPS (sizeof caps / sizeof caps[0])

/* What a set of bindings gives a ServiceAccount, without its name. */
typedef struct verdict011 {
    bool admin;
    ka_rbac_power pw;
    size_t n;
    struct {
        uint8_t cap;
        ka_rbac_grant g;
    } v[NCAPS];
} verdict011;

static void judge_bindings011(const ka_rbac_binding *const *bs, size_t nbs,
                              const ka_rbac_identity *id, ka_str ns, verdict011 *v)
{
    memset(v, 0, sizeof *v);
    if ((v->admin = ka_rbac_admin_power_among(bs, nbs, id, &v->pw)))
        return; /* everything else follows from it: say only that */
    const char *last = NULL;
    for (size_t k = 0; k < NCAPS; k++) {
        const capability *c = &caps[k];
        if (last && !strcmp(last, c->text))
            continue;
        ka_rbac_request q;
        memset(&q, 0, sizeof q);
        q.verb = ka_str_c(c->verb);
        q.group = ka_str_c(c->group);
        q.resource = ka_str_c(c->res);
        q.subresource = ka_str_c(c->sub);
        q.ns = c->cluster ? (ka_str){ "", 0 } : ns;
        ka_rbac_grants g;
        ka_rbac_can_among(bs, nbs, id, &q, &g);
        if (g.n) {
            last = c->text;
            v->v[v->n].cap = (uint8_t)k;
            v->v[v->n++].g = g.v[0];
        }
        ka_rbac_grants_free(&g);
    }
}

/* A ServiceAccount whose bindings are all ClusterRoleBindings gets the same
 * answers in any namespace: accounts with the same set share one verdict
 * (a cluster with thousands of namespaces usually has one such set). */
static void judge_rbac011(ka_rbac *m, judge_state *st, ka_str ns, ka_str sa, ka_buf *msg)
{
    ka_rbac_identity id;
    ka_rbac_identity_sa(&id, st->a, ns, sa);
    const ka_rbac_binding **bs;
    size_t nbs = ka_rbac_bindings_for(m, &id, &bs);
    bool cluster_only = true;
    for (size_t i = 0; i < nbs && cluster_only; i++)
        cluster_only = bs[i]->cluster;
    verdict011 own, *v = &own;
    if (cluster_only) {
        ka_buf_reset(&st->key);
        ka_buf_add(&st->key, (const char *)bs, nbs * sizeof *bs);
        void **slot = ka_hmap_slot(&st->shared, (ka_str){ st->key.p ? st->key.p : "", st->key.n });
        if (!*slot) {
            *slot = ka_arena_alloc(st->a, sizeof own);
            judge_bindings011((const ka_rbac_binding *const *)bs, nbs, &id, ns, *slot);
        }
        v = *slot;
    } else {
        judge_bindings011((const ka_rbac_binding *const *)bs, nbs, &id, ns, &own);
    }
    free(bs);
    ka_buf b;
    ka_buf_init(&b);
    if (v->admin) {
        grant_ref(&b, &v->pw.grant);
        ka_buf_printf(msg,
                      "runs as ServiceAccount %.*s/%.*s, whose token is cluster-admin-equivalent: "
                      "it %s (%.*s)",
                      (int)ns.n, ns.p, (int)sa.n, sa.p, v->pw.what, (int)b.n, b.p);
        ka_buf_free(&b);
        return;
    }
    for (size_t k = 0; k < v->n; k++) {
        const capability *c = &caps[v->v[k].cap];
        ka_buf_printf(&b, "%s%s%s%.*s (", b.n ? "; " : "", c->text, c->cluster ? "" : " in ",
                      c->cluster ? 0 : (int)ns.n, ns.p);
        grant_ref(&b, &v->v[k].g);
        ka_buf_addc(&b, ')');
    }
    if (b.n)
        ka_buf_printf(msg, "runs as ServiceAccount %.*s/%.*s, whose token can: %.*s", (int)ns.n,
                      ns.p, (int)sa.n, sa.p, (int)b.n, b.p);
    ka_buf_free(&b);
}

void ka_setrule_rbac011(ka_ctx *ctx, const ka_objset *s)
{
    each_token_workload(ctx, s, judge_rbac011);
}

static void judge_rbac033(ka_rbac *m, judge_state *st, ka_str ns, ka_str sa, ka_buf *msg)
{
    (void)st;
    ka_rbac_path p;
    int hops = ka_rbac_escalation_path(m, ns, sa, &p);
    if (hops > 0) {
        ka_buf b;
        ka_buf_init(&b);
        for (size_t k = 0; k + 1 < p.n; k++)
            ka_buf_printf(&b, "%s(%zu) %s", k ? "; " : "", k + 1, p.steps[k]);
        ka_buf_printf(&b, "; then %s", p.steps[p.n - 1]);
        ka_buf_printf(msg, "runs as ServiceAccount %.*s/%.*s, %d step%s from "
                      "cluster-admin-equivalent power: %.*s",
                      (int)ns.n, ns.p, (int)sa.n, sa.p, hops, hops == 1 ? "" : "s", (int)b.n, b.p);
        ka_buf_free(&b);
    }
    ka_rbac_path_free(&p);
}

void ka_setrule_rbac033(ka_ctx *ctx, const ka_objset *s)
{
    each_token_workload(ctx, s, judge_rbac033);
}

/* ---- RBAC-027 ------------------------------------------------------------- */

void ka_setrule_rbac027(ka_ctx *ctx, const ka_objset *s)
{
    const ka_rbac *m = ka_ctx_rbac(ctx); /* built once per run from s */
    (void)s;
    ka_buf subj;
    ka_buf_init(&subj);
    static const char *const verbs[] = { "update", "patch" };
    for (size_t i = 0; i < ka_rbac_nbindings(m); i++) {
        const ka_rbac_binding *b = ka_rbac_binding_at(m, i);
        if (b->builtin || !b->role || (!b->cluster && !ka_str_eqc(b->ns, "kube-system")))
            continue;
        for (size_t r = 0; r < b->role->nrules; r++) {
            ka_rbac_request q;
            memset(&q, 0, sizeof q);
            q.group = KA_STR("");
            q.resource = KA_STR("configmaps");
            q.ns = KA_STR("kube-system");
            q.name = KA_STR("aws-auth");
            bool hit = false;
            for (size_t v = 0; v < 2 && !hit; v++) {
                q.verb = ka_str_c(verbs[v]);
                hit = ka_rbac_rule_allows(&b->role->rules[r], &q);
            }
            if (!hit)
                continue;
            ka_buf_reset(&subj);
            if (subjects_text(b, &subj))
                ka_report(ctx, b->obj, b->role_ref, NULL,
                          "lets %.*s change ConfigMaps in kube-system, aws-auth included (%.*s rules[%zu])",
                          (int)subj.n, subj.p, (int)b->role_name.n, b->role_name.p, r);
            break;
        }
    }
    ka_buf_free(&subj);
}

/* ---- RBAC-031 ------------------------------------------------------------- */

static bool names_verb(const ka_rbac_rule *r, const char *verb)
{
    for (size_t i = 0; i < r->nverbs; i++)
        if (ka_str_eqc(r->verbs[i], verb))
            return true;
    return false;
}

/* Every resource of the rule is known to be cluster-scoped (the Namespace
 * object excepted: a RoleBinding grants its own). */
static bool only_cluster_scoped(const ka_rbac *m, const ka_rbac_rule *r)
{
    if (!r->nres || !r->ngroups)
        return false;
    for (size_t g = 0; g < r->ngroups; g++)
        for (size_t k = 0; k < r->nres; k++) {
            ka_str res = r->res[k];
            const char *slash = memchr(res.p, '/', res.n);
            if (slash)
                res.n = (size_t)(slash - res.p);
            if (ka_str_eqc(res, "namespaces") ||
                ka_rbac_resource_namespaced(m, r->groups[g], res) != 0)
                return false;
        }
    return true;
}

static void ineffective_role(ka_ctx *ctx, const ka_rbac *m, const ka_rbac_role *role)
{
    if (role->builtin || role->defaults || role->aggregated)
        return;
    for (size_t i = 0; i < role->nown; i++) {
        const ka_rbac_rule *r = &role->own[i];
        if (!ka_is_map(r->node))
            continue;
        const char *why = NULL;
        if (!r->nverbs)
            why = "has no verbs";
        else if (r->nres && !r->ngroups)
            why = "names resources without apiGroups (the API server rejects it)";
        else if (!r->nres && !r->nurls)
            why = "names neither resources nor nonResourceURLs";
        else if (r->nnames && (names_verb(r, "create") || names_verb(r, "deletecollection")))
            why = "limits create or deletecollection with resourceNames, which never match "
                  "them (those requests carry no name)";
        else if (!role->cluster && r->nurls)
            why = "names nonResourceURLs in a Role; only a ClusterRole bound by a "
                  "ClusterRoleBinding grants them";
        else if (!role->cluster && only_cluster_scoped(m, r))
            why = "names only cluster-scoped resources in a Role, which grants them nowhere";
        if (why)
            ka_report(ctx, role->obj, r->node, NULL, "rules[%zu] %s", i, why);
    }
}

void ka_setrule_rbac031(ka_ctx *ctx, const ka_objset *s)
{
    const ka_rbac *m = ka_ctx_rbac(ctx); /* built once per run from s */
    (void)s;
    for (size_t i = 0; i < ka_rbac_nroles(m); i++)
        ineffective_role(ctx, m, ka_rbac_role_at(m, i));
    ka_buf idx;
    ka_buf_init(&idx);
    for (size_t i = 0; i < ka_rbac_nbindings(m); i++) {
        const ka_rbac_binding *b = ka_rbac_binding_at(m, i);
        if (b->builtin)
            continue;
        if (b->cluster && ka_str_eqc(b->role_kind, "Role"))
            ka_report(ctx, b->obj, b->role_ref, NULL,
                      "roleRef is a Role; a ClusterRoleBinding can only reference a ClusterRole");
        for (size_t k = 0; k < b->nsubjects; k++)
            if (b->subjects[k].no_namespace)
                ka_report(ctx, b->obj, b->subjects[k].node, NULL,
                          "ServiceAccount %.*s has no namespace; in a ClusterRoleBinding it "
                          "matches nobody",
                          (int)b->subjects[k].name.n, b->subjects[k].name.p);
        const ka_rbac_role *r = b->role;
        if (b->cluster || !r || !r->cluster || r->builtin || r->aggregated || r->defaults)
            continue;
        ka_buf_reset(&idx);
        size_t bad = 0;
        for (size_t k = 0; k < r->nrules; k++) {
            const ka_rbac_rule *x = &r->rules[k];
            if ((x->nurls && !x->nres) || only_cluster_scoped(m, x)) {
                ka_buf_printf(&idx, "%s%zu", bad++ ? "," : "", k);
            }
        }
        if (bad)
            ka_report(ctx, b->obj, b->role_ref, NULL,
                      "ClusterRole %.*s rules[%.*s] grant%s nothing through a RoleBinding "
                      "(non-resource URLs and cluster-scoped resources need a ClusterRoleBinding)",
                      (int)r->name.n, r->name.p, (int)idx.n, idx.p, bad == 1 ? "s" : "");
    }
    ka_buf_free(&idx);
}
