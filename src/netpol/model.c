/*
 * model.c - namespaces, endpoints and their members (Pods, workload
 * templates, address ranges of --external values), and the public entry
 * points that build and query the analysis. Classes are in classes.c.
 */
#include "np_int.h"

#include <stdlib.h>
#include <string.h>

void np_u32_push(np_u32vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->v = ka_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = x;
}

static void u32_free(np_u32vec *v)
{
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

/* ---- namespaces ------------------------------------------------------------ */

long np_ns_find(const ka_netpol *net, ka_str name)
{
    void *v = ka_hmap_get(&net->nsmap, name);
    return v ? (long)((uintptr_t)v - 1) : -1;
}

uint32_t np_ns_intern(ka_netpol *net, ka_str name)
{
    void **slot = ka_hmap_slot(&net->nsmap, name);
    if (*slot)
        return (uint32_t)((uintptr_t)*slot - 1);
    if (net->nns == net->capns) {
        net->capns = net->capns ? net->capns * 2 : 16;
        net->ns = ka_xrealloc(net->ns, net->capns * sizeof *net->ns);
    }
    np_ns *n = &net->ns[net->nns];
    memset(n, 0, sizeof *n);
    n->name = ka_arena_str(net->arena, name);
    *slot = (void *)(uintptr_t)(net->nns + 1);
    return (uint32_t)net->nns++;
}

/* Every namespace carries kubernetes.io/metadata.name = its name (set by the
 * API server since 1.22, immutable): added, or overriding a stale value. */
static void ns_labels(ka_netpol *net)
{
    static const ka_str mdkey = { "kubernetes.io/metadata.name", 27 };
    for (size_t i = 0; i < net->nns; i++) {
        np_ns *n = &net->ns[i];
        const ka_object *o = ka_objset_find(net->set, "Namespace", (ka_str){ "", 0 }, n->name);
        size_t have = o ? o->labels.n : 0;
        ka_kv *kv = ka_arena_alloc(net->arena, (have + 1) * sizeof *kv);
        size_t k = 0;
        for (size_t j = 0; j < have; j++)
            if (!ka_str_eq(o->labels.kv[j].key, mdkey))
                kv[k++] = o->labels.kv[j];
        kv[k++] = (ka_kv){ mdkey, n->name };
        n->labels = (ka_labels){ k, kv };
    }
}

/* ---- endpoints and members ------------------------------------------------- */

static np_ep *new_ep(ka_netpol *net)
{
    if (net->neps == net->capeps) {
        net->capeps = net->capeps ? net->capeps * 2 : 64;
        net->eps = ka_xrealloc(net->eps, net->capeps * sizeof *net->eps);
    }
    np_ep *e = &net->eps[net->neps++];
    memset(e, 0, sizeof *e);
    return e;
}

static np_member *new_member(ka_netpol *net, uint32_t ep)
{
    if (net->nmembers == net->capmembers) {
        net->capmembers = net->capmembers ? net->capmembers * 2 : 64;
        net->members = ka_xrealloc(net->members, net->capmembers * sizeof *net->members);
    }
    np_member *m = &net->members[net->nmembers];
    memset(m, 0, sizeof *m);
    m->ep = ep;
    np_u32_push(&net->eps[ep].members, (uint32_t)net->nmembers++);
    return m;
}

/* The controlling owner present in the input (ReplicaSet -> Deployment,
 * Job -> CronJob, Pod -> any of them), or NULL. */
static const ka_object *owner_of(const ka_objset *s, const ka_object *o)
{
    const ka_node *refs = ka_get(o->meta, "ownerReferences");
    for (uint32_t i = 0; ka_is_seq(refs) && i < ka_node_n(refs); i++) {
        const ka_node *r = KA_SEQ_ITEM(refs, i);
        if (ka_bool(ka_get(r, "controller")) != 1)
            continue;
        const ka_node *kind = ka_get(r, "kind");
        if (!ka_is_scalar(kind))
            continue;
        char kbuf[64];
        if (ka_node_n(kind) >= sizeof kbuf)
            continue;
        memcpy(kbuf, kind->u.s, ka_node_n(kind));
        kbuf[ka_node_n(kind)] = '\0';
        const ka_object *w = ka_objset_find(s, kbuf, o->ns, ka_node_str(ka_get(r, "name")));
        if (w && w->pod && w != o)
            return w;
    }
    return NULL;
}

static const ka_object *root_of(const ka_objset *s, const ka_object *o)
{
    /* bounded: ownerReferences may form cycles in hand-written input */
    for (int depth = 0; depth < 8; depth++) {
        const ka_object *w = owner_of(s, o);
        if (!w)
            break;
        o = w;
    }
    return o;
}

static void member_addrs(ka_netpol *net, np_member *m, const ka_object *pod)
{
    const ka_node *st = ka_get(pod->root, "status");
    const ka_node *ips = ka_get(st, "podIPs");
    size_t cap = (ka_is_seq(ips) ? ka_node_n(ips) : 0) + 1;
    m->addrs = ka_arena_alloc(net->arena, cap * sizeof *m->addrs);
    for (uint32_t i = 0; ka_is_seq(ips) && i < ka_node_n(ips); i++) {
        np_addr a;
        if (np_addr_parse(ka_node_str(ka_get(KA_SEQ_ITEM(ips, i), "ip")), &a) == 0)
            m->addrs[m->naddrs++] = a;
    }
    np_addr a;
    if (m->naddrs == 0 && np_addr_parse(ka_node_str(ka_get(st, "podIP")), &a) == 0)
        m->addrs[m->naddrs++] = a;
}

static bool running(const ka_container *c)
{
    return c->type == KA_CT_MAIN || c->type == KA_CT_SIDECAR;
}

/* Named container ports of the running containers (main and native sidecars;
 * init containers have exited by the time traffic flows). */
static void member_ports(ka_netpol *net, np_member *m, const ka_object *o)
{
    size_t total = 0;
    const ka_podview *pv = o->pod;
    for (size_t ci = 0; ci < pv->ncontainers; ci++) {
        const ka_node *ps = ka_get(pv->containers[ci].node, "ports");
        if (running(&pv->containers[ci]))
            total += ka_is_seq(ps) ? ka_node_n(ps) : 0;
    }
    if (!total)
        return;
    m->cports = ka_arena_alloc(net->arena, total * sizeof *m->cports);
    for (size_t ci = 0; ci < pv->ncontainers; ci++) {
        if (!running(&pv->containers[ci]))
            continue;
        const ka_node *ps = ka_get(pv->containers[ci].node, "ports");
        for (uint32_t i = 0; ka_is_seq(ps) && i < ka_node_n(ps); i++) {
            const ka_node *p = KA_SEQ_ITEM(ps, i);
            ka_str name = ka_node_str(ka_get(p, "name"));
            int64_t num;
            if (!name.n || !ka_int(ka_get(p, "containerPort"), &num) || num < 1 || num > 65535)
                continue;
            const ka_node *pr = ka_get(p, "protocol");
            int proto = pr && !ka_is_null(pr) ? ka_proto_parse(ka_node_str(pr)) : KA_PROTO_TCP;
            if (proto < 0)
                continue;
            m->cports[m->ncports++] = (np_cport){ name, (uint16_t)proto, (uint16_t)num };
        }
    }
}

static void pod_member(ka_netpol *net, uint32_t ep, const ka_object *o, bool is_pod)
{
    np_member *m = new_member(net, ep);
    m->obj = o;
    m->labels = o->pod->labels;
    m->host = ka_netpol_host_network(o);
    if (is_pod)
        member_addrs(net, m, o);
    member_ports(net, m, o);
}

static const char *ep_name(ka_netpol *net, const ka_object *o)
{
    ka_buf b;
    ka_buf_init(&b);
    ka_buf_addstr(&b, o->ns);
    ka_buf_addc(&b, '/');
    if (!ka_str_eqc(o->kind, "Pod")) {
        ka_buf_addstr(&b, o->kind);
        ka_buf_addc(&b, '/');
    }
    ka_buf_addstr(&b, o->name);
    char *s = ka_arena_strndup(net->arena, b.p, b.n);
    ka_buf_free(&b);
    return s;
}

static void build_endpoints(ka_netpol *net)
{
    ka_hmap byobj; /* object pointer bytes -> endpoint + 1 */
    ka_hmap_init(&byobj, net->arena);
    size_t n = ka_objset_count(net->set);
    /* one endpoint and one member per pod-bearing object, mostly: sized once
     * rather than doubled (a large input's model is a good part of the peak) */
    size_t npods = 0;
    for (size_t i = 0; i < n; i++)
        npods += ka_objset_at(net->set, i)->pod != NULL;
    if (net->capeps < npods) {
        net->capeps = npods;
        net->eps = ka_xrealloc(net->eps, net->capeps * sizeof *net->eps);
    }
    if (net->capmembers < npods) {
        net->capmembers = npods;
        net->members = ka_xrealloc(net->members, net->capmembers * sizeof *net->members);
    }
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(net->set, i);
        if (!o->pod || o->scope == KA_SCOPE_CLUSTER || root_of(net->set, o) != o)
            continue;
        np_ep *e = new_ep(net);
        e->pub.name = ep_name(net, o);
        e->pub.kind = ka_str_eqc(o->kind, "Pod") ? KA_EP_POD : KA_EP_WORKLOAD;
        e->pub.obj = o;
        e->pub.ns = o->ns;
        e->pub.host_network = ka_netpol_host_network(o);
        np_ns_intern(net, o->ns);
        *ka_hmap_slot(&byobj, (ka_str){ (const char *)&o, sizeof o }) =
            (void *)(uintptr_t)net->neps;
    }
    /* Pods join the endpoint of their controlling workload */
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(net->set, i);
        if (!o->pod || o->scope == KA_SCOPE_CLUSTER || !ka_str_eqc(o->kind, "Pod"))
            continue;
        const ka_object *r = root_of(net->set, o);
        void *v = ka_hmap_get(&byobj, (ka_str){ (const char *)&r, sizeof r });
        if (v)
            pod_member(net, (uint32_t)((uintptr_t)v - 1), o, true);
    }
    /* a workload none of whose pods is in the input stands for its template */
    for (size_t i = 0; i < net->neps; i++)
        if (net->eps[i].members.n == 0)
            pod_member(net, (uint32_t)i, net->eps[i].pub.obj, false);
    ka_hmap_free(&byobj);
}

/* --external: one member per address range that no unit boundary splits, so
 * each member is uniformly inside or outside every ipBlock / network. */
static int cmp_addr(const void *a, const void *b)
{
    return np_addr_cmp(a, b);
}

static void build_externals(ka_netpol *net, ka_diags *d)
{
    for (size_t i = 0; i < net->opts.nexternals; i++) {
        const char *text = net->opts.externals[i];
        np_cidr c;
        char err[256];
        if (np_cidr_parse(ka_str_c(text), true, &c, err, sizeof err) < 0) {
            ka_diag_add(d, KA_DIAG_ERROR, "--external", 0, 0, "%s", err);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < net->neps && !dup; j++)
            dup = net->eps[j].pub.kind == KA_EP_EXTERNAL && strcmp(net->eps[j].pub.name, text) == 0;
        if (dup)
            continue;
        np_ep *e = new_ep(net);
        uint32_t ep = (uint32_t)(e - net->eps);
        e->pub.name = ka_arena_strndup(net->arena, text, strlen(text));
        e->pub.kind = KA_EP_EXTERNAL;
        e->ext = c;
        np_addr first = c.a, last;
        np_cidr_last(&c, &last);
        /* cut points: where some unit's range (or an except's) starts or ends+1 */
        size_t cap = 1 + 2 * net->nunits;
        for (size_t u = 0; u < net->nunits; u++)
            cap += 2 * net->units[u].nexcept;
        np_addr *cuts = ka_xmalloc(cap * sizeof *cuts);
        size_t nc = 0;
        cuts[nc++] = first;
        for (size_t u = 0; u < net->nunits; u++) {
            const np_unit *un = &net->units[u];
            for (size_t k = 0; k <= un->nexcept; k++) {
                const np_cidr *r = k == 0 ? &un->cidr : &un->except[k - 1];
                if (r->a.fam != first.fam)
                    continue;
                np_addr lo = r->a, hi, next;
                np_cidr_last(r, &hi);
                if (np_addr_cmp(&lo, &first) > 0 && np_addr_cmp(&lo, &last) <= 0)
                    cuts[nc++] = lo;
                if (np_addr_next(&hi, &next) && np_addr_cmp(&next, &first) > 0 &&
                    np_addr_cmp(&next, &last) <= 0)
                    cuts[nc++] = next;
            }
        }
        qsort(cuts, nc, sizeof *cuts, cmp_addr);
        for (size_t k = 0; k < nc; k++) {
            if (k && np_addr_cmp(&cuts[k], &cuts[k - 1]) == 0)
                continue;
            np_member *m = new_member(net, ep);
            m->addrs = ka_arena_alloc(net->arena, sizeof *m->addrs);
            m->addrs[0] = cuts[k];
            m->naddrs = 1;
        }
        free(cuts);
    }
}

/* ---- the public entry points ------------------------------------------------ */

void ka_netpol_opts_default(ka_netpol_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ipblock_pod_ips = true;
}

ka_netpol *np_context_new(const ka_objset *s)
{
    ka_netpol *net = ka_xcalloc(1, sizeof *net);
    net->set = s;
    ka_netpol_opts_default(&net->opts);
    net->arena = ka_arena_new();
    ka_hmap_init(&net->nsmap, net->arena);
    ka_hmap_init(&net->unitmap, net->arena);
    ka_hmap_init(&net->issues, net->arena);
    ka_hmap_init(&net->epnames, net->arena);
    return net;
}

ka_netpol *np_build_policies(const ka_objset *s, const ka_netpol_opts *o, ka_diags *d,
                             bool keep_issues)
{
    ka_netpol *net = np_context_new(s);
    if (o)
        net->opts = *o;
    net->keep_issues = keep_issues;
    ka_objlist nsl = ka_objset_by_kind(s, "Namespace");
    for (size_t i = 0; i < nsl.n; i++)
        if (nsl.v[i]->group.n == 0)
            np_ns_intern(net, nsl.v[i]->name);
    np_compile_all(net, d);
    return net;
}

ka_netpol *np_build(const ka_objset *s, const ka_netpol_opts *o, ka_diags *d, bool dense)
{
    ka_netpol *net = np_build_policies(s, o, d, false);
    np_build_model(net, d, dense);
    return net;
}

void np_build_model(ka_netpol *net, ka_diags *d, bool dense)
{
    net->dense = dense;
    build_endpoints(net);
    build_externals(net, d);
    ns_labels(net);
    np_build_classes(net);
    np_select(net);
    np_order(net);
}

ka_netpol *ka_netpol_build(const ka_objset *s, const ka_netpol_opts *o, ka_diags *d)
{
    return np_build(s, o, d, true);
}

void ka_netpol_free(ka_netpol *net)
{
    if (!net)
        return;
    for (size_t i = 0; i < net->nns; i++)
        u32_free(&net->ns[i].classes);
    for (size_t i = 0; i < net->neps; i++)
        u32_free(&net->eps[i].members);
    for (size_t i = 0; i < net->nclasses; i++) {
        np_class *c = &net->classes[i];
        u32_free(&c->members);
        u32_free(&c->eps);
        for (int d = 0; d < 2; d++) {
            u32_free(&c->pol[d]);
            u32_free(&c->admin[d]);
            u32_free(&c->base[d]);
        }
    }
    for (size_t i = 0; i < net->ncsets; i++)
        u32_free(&net->csets[i].cls);
    free(net->csets);
    for (size_t i = 0; i < net->issue_lists.n; i++) {
        np_issues *v = (np_issues *)net->issue_lists.v[i];
        np_issues_free(v);
        free(v);
    }
    ka_ptrvec_free(&net->issue_lists);
    ka_hmap_free(&net->issues);
    ka_hmap_free(&net->epnames);
    free(net->ns);
    free(net->eps);
    free(net->order);
    free(net->corder);
    free(net->members);
    free(net->classes);
    free(net->units);
    free(net->pol);
    ka_hmap_free(&net->nsmap);
    ka_hmap_free(&net->unitmap);
    ka_arena_free(net->arena);
    free(net);
}

size_t ka_netpol_nendpoints(const ka_netpol *net)
{
    return net->neps;
}

const ka_np_endpoint *ka_netpol_endpoint(const ka_netpol *net, size_t i)
{
    return i < net->neps ? &net->eps[net->order[i]].pub : NULL;
}

long ka_netpol_find(const ka_netpol *net, const char *name)
{
    void *v = ka_hmap_get(&net->epnames, ka_str_c(name));
    return v ? (long)((uintptr_t)v - 1) : -1;
}

size_t ka_netpol_nclasses(const ka_netpol *net)
{
    return net->nclasses;
}

size_t ka_netpol_npolicies(const ka_netpol *net)
{
    return net->npol;
}
