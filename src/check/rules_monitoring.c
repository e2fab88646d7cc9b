/*
 * rules_monitoring.c - MON-001: Prometheus Operator ServiceMonitors and
 * PodMonitors that select nothing.
 *
 * spec.selector is a label selector over the Services' own labels
 * (ServiceMonitor) or the pods' labels (PodMonitor); an absent one is empty
 * and matches everything. spec.namespaceSelector is not a label selector:
 * `any: true` watches every namespace, `matchNames` the listed ones, and
 * anything else (absent, {}) the monitor's own namespace only - not every
 * namespace (kube-linter #1256). A listed namespace of which the input holds
 * nothing cannot be judged and is skipped.
 *
 * The rule walks the monitors once (KA_SETRULE) so that the cross-namespace
 * label index `any: true` needs is built at most once per run.
 */
#include "net_util.h"
#include "../core/hmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct monctx {
    const ka_objset *set;
    bool built;
    ka_arena *arena;
    ka_hmap svc_by_pair; /* key \0 val -> Services, every namespace (multimap) */
    ka_hmap pod_by_pair; /* key \0 val -> pod-bearing objects (multimap) */
    ka_ptrvec services, pods;
    ka_buf key;
} monctx;

/* The cross-namespace index, built the first time an `any: true` monitor
 * asks for it. */
static void build_global(monctx *mc)
{
    if (mc->built)
        return;
    mc->built = true;
    size_t n = ka_objset_count(mc->set);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(mc->set, i);
        if (ka_kind_is(o, "Service")) {
            ka_ptrvec_push(&mc->services, o);
            for (size_t j = 0; j < o->labels.n; j++)
                ka_hmap_vec_push(&mc->svc_by_pair, ka_key2(&mc->key, o->labels.kv[j].key, o->labels.kv[j].val), o);
        } else if (o->pod) {
            ka_ptrvec_push(&mc->pods, o);
            for (size_t j = 0; j < o->pod->labels.n; j++)
                ka_hmap_vec_push(&mc->pod_by_pair,
                         ka_key2(&mc->key, o->pod->labels.kv[j].key, o->pod->labels.kv[j].val), o);
        }
    }
}

static const ka_labels *target_labels(const ka_object *o, bool pods)
{
    return pods ? &o->pod->labels : &o->labels;
}

static bool is_target(const ka_object *o, bool pods)
{
    return pods ? o->pod != NULL : ka_kind_is(o, "Service");
}

static bool scan(const ka_objlist l, const ka_selector *sel, bool pods)
{
    for (size_t i = 0; i < l.n; i++)
        if (is_target(l.v[i], pods) && ka_selector_matches(sel, target_labels(l.v[i], pods)))
            return true;
    return false;
}

/* Does a Service (or pod) of namespace ns match? Indexed by label pair. */
static bool match_in(monctx *mc, ka_str ns, const ka_selector *sel, bool pods)
{
    if (pods)
        return ka_first_pod_matching(mc->set, ns, sel) != NULL;
    const ka_requirement *r = ka_selector_index_req(sel);
    if (!r)
        return scan(ka_objset_in_namespace(mc->set, ns), sel, false);
    for (size_t v = 0; v < r->nvals; v++)
        if (scan(ka_objset_by_label(mc->set, ns, r->key, r->vals[v]), sel, false))
            return true;
    return false;
}

static bool match_anywhere(monctx *mc, const ka_selector *sel, bool pods)
{
    build_global(mc);
    const ka_requirement *r = ka_selector_index_req(sel);
    if (!r) {
        const ka_ptrvec *all = pods ? &mc->pods : &mc->services;
        return scan((ka_objlist){ all->n, (const ka_object *const *)all->v }, sel, pods);
    }
    for (size_t v = 0; v < r->nvals; v++) {
        ka_ptrlist c =
            ka_hmap_vec_get(pods ? &mc->pod_by_pair : &mc->svc_by_pair, ka_key2(&mc->key, r->key, r->vals[v]));
        if (scan((ka_objlist){ c.n, (const ka_object *const *)c.v }, sel, pods))
            return true;
    }
    return false;
}

static bool namespace_known(const ka_objset *s, ka_str ns)
{
    return ka_objset_in_namespace(s, ns).n > 0 || ka_objset_find(s, "Namespace", (ka_str){ "", 0 }, ns);
}

static void check_monitor(ka_ctx *ctx, monctx *mc, const ka_object *o, bool pods)
{
    const ka_node *spec = o->spec;
    const ka_node *seln = ka_get(spec, "selector");
    ka_selector sel = { false, 0, NULL };
    if (seln && !ka_is_null(seln)) {
        const ka_node *bad;
        char err[8];
        if (ka_selector_from_node(mc->arena, seln, &sel, &bad, err, sizeof err) != 0)
            return; /* an invalid selector is rejected by the API server */
    }
    const ka_node *nss = ka_get(spec, "namespaceSelector");
    const ka_node *names = ka_get(nss, "matchNames");
    ka_buf where;
    ka_buf_init(&where);
    bool judged = false, found = false;
    if (ka_bool(ka_get(nss, "any")) == 1) {
        judged = true;
        found = match_anywhere(mc, &sel, pods);
        ka_buf_adds(&where, "any namespace of the input (namespaceSelector.any)");
    } else if (ka_is_seq(names) && ka_node_n(names) > 0) {
        ka_buf list;
        ka_buf_init(&list);
        size_t nknown = 0;
        for (uint32_t i = 0; i < ka_node_n(names) && !found; i++) {
            ka_str ns = ka_node_str(KA_SEQ_ITEM(names, i));
            if (!ns.n || !namespace_known(mc->set, ns))
                continue;
            if (nknown++)
                ka_buf_adds(&list, ", ");
            ka_buf_addstr(&list, ns);
            found = match_in(mc, ns, &sel, pods);
        }
        judged = nknown > 0;
        ka_buf_printf(&where, "namespace%s %s", nknown > 1 ? "s" : "", nknown ? ka_buf_cstr(&list) : "");
        ka_buf_free(&list);
    } else {
        judged = true;
        found = match_in(mc, o->ns, &sel, pods);
        ka_buf_printf(&where, "its own namespace %.*s (namespaceSelector names no other)", (int)o->ns.n,
                      o->ns.p);
    }
    if (judged && !found) {
        ka_buf text;
        ka_buf_init(&text);
        ka_selector_string(&sel, &text);
        ka_report(ctx, o, seln ? seln : spec ? spec : o->root, NULL,
                  "%.*s selects no %s in %s with selector (%s): nothing is scraped", (int)o->kind.n,
                  o->kind.p, pods ? "pod" : "Service", ka_buf_cstr(&where),
                  text.n ? ka_buf_cstr(&text) : "everything");
        ka_buf_free(&text);
    }
    ka_buf_free(&where);
}

void ka_setrule_mon001(ka_ctx *ctx, const ka_objset *s)
{
    ka_objlist sm = ka_objset_by_kind(s, "ServiceMonitor");
    ka_objlist pm = ka_objset_by_kind(s, "PodMonitor");
    if (!sm.n && !pm.n)
        return;
    monctx mc;
    memset(&mc, 0, sizeof mc);
    mc.set = s;
    mc.arena = ka_arena_new();
    ka_hmap_init(&mc.svc_by_pair, mc.arena);
    ka_hmap_init(&mc.pod_by_pair, mc.arena);
    ka_buf_init(&mc.key);
    for (size_t i = 0; i < sm.n; i++)
        check_monitor(ctx, &mc, sm.v[i], false);
    for (size_t i = 0; i < pm.n; i++)
        check_monitor(ctx, &mc, pm.v[i], true);
    ka_hmap_free_vecs(&mc.svc_by_pair);
    ka_hmap_free_vecs(&mc.pod_by_pair);
    ka_ptrvec_free(&mc.services);
    ka_ptrvec_free(&mc.pods);
    ka_buf_free(&mc.key);
    ka_arena_free(mc.arena);
}
