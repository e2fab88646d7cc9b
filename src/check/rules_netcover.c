/*
 * rules_netcover.c - NetworkPolicy coverage: NET-001 (pods no policy
 * isolates), NET-002 (namespaces without a default-deny policy), NET-003
 * (policies whose podSelector selects nothing).
 *
 * Isolation follows the API server: spec.policyTypes is defaulted (Ingress
 * always, Egress only with egress rules) before a policy counts for a
 * direction - ka_netpol_types(), shared with the netpol analysis - and
 * `podSelector: {}` selects every pod of the namespace. NET-001 asks the
 * run's reverse policy index (built once, shared with the other rules);
 * NET-002 walks the whole set once (KA_SETRULE).
 */
#include "net_util.h"
#include "../core/hmap.h"

#include <stdlib.h>
#include <string.h>

/* The kinds NET-002 treats as workloads (those NET-001 inspects). */
static bool workload_kind(ka_str k)
{
    static const char *const kinds[] = { "Pod", "Deployment", "ReplicaSet", "StatefulSet",
                                         "DaemonSet", "ReplicationController", "Job", "CronJob" };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (ka_str_eqc(k, kinds[i]))
            return true;
    return false;
}

/* Where to point a finding about the pods of o: their labels, which is what
 * a policy must select. */
static const ka_node *pod_labels_node(const ka_object *o)
{
    const ka_node *l = ka_get(o->pod->meta, "labels");
    if (l)
        return l;
    if (o->pod->meta)
        return o->pod->meta;
    return o->pod->spec ? o->pod->spec : o->root;
}

static void policy_names(ka_buf *b, ka_objlist pols)
{
    for (size_t i = 0; i < pols.n && i < 3; i++) {
        if (i)
            ka_buf_adds(b, ", ");
        ka_buf_addstr(b, pols.v[i]->name);
    }
    if (pols.n > 3)
        ka_buf_printf(b, " and %zu more", pols.n - 3);
}

/* ---- NET-001 ------------------------------------------------------------ */

void ka_rule_net001(ka_ctx *ctx, const ka_object *o)
{
    /* policies do not apply to hostNetwork pods (they share the node's
     * network namespace): isolating them is impossible */
    if (!o->pod || ka_netpol_host_network(o))
        return;
    /* the run's reverse index: only the policies whose selector can match */
    ka_objlist pols = ka_ctx_selmatch(ctx, KA_IX_NETPOL, o->ns, &o->pod->labels);
    bool in = false, eg = false;
    for (size_t p = 0; p < pols.n; p++) {
        unsigned t = ka_netpol_types(pols.v[p]);
        in = in || (t & KA_NETPOL_INGRESS);
        eg = eg || (t & KA_NETPOL_EGRESS);
    }
    if (in && eg)
        return;
    const ka_node *at = pod_labels_node(o);
    if (pols.n == 0) {
        ka_report(ctx, o, at, NULL,
                  "no NetworkPolicy of namespace %.*s selects the pods: their ingress and egress "
                  "are unrestricted",
                  (int)o->ns.n, o->ns.p);
        return;
    }
    ka_buf names;
    ka_buf_init(&names);
    policy_names(&names, pols);
    if (!in && !eg) /* only policies with unknown policyTypes select it */
        ka_report(ctx, o, at, NULL,
                  "ingress and egress are unrestricted: the NetworkPolicies selecting the pods (%s) "
                  "list neither Ingress nor Egress in policyTypes",
                  ka_buf_cstr(&names));
    else if (!in)
        ka_report(ctx, o, at, NULL,
                  "ingress is unrestricted: the NetworkPolicies selecting the pods (%s) isolate "
                  "egress only (their policyTypes do not list Ingress)",
                  ka_buf_cstr(&names));
    else
        ka_report(ctx, o, at, NULL,
                  "egress is unrestricted: the NetworkPolicies selecting the pods (%s) isolate "
                  "ingress only (policyTypes without Egress, or unset or empty with no egress rule)",
                  ka_buf_cstr(&names));
    ka_buf_free(&names);
}

/* ---- NET-002 ------------------------------------------------------------ */

typedef struct nsinfo {
    ka_str name;
    const ka_object *ns_obj;   /* the Namespace object, when in the input */
    const ka_object *policy;   /* its first NetworkPolicy */
    const ka_object *workload; /* its first workload */
    bool deny_in, deny_out;
} nsinfo;

typedef struct nstable {
    ka_arena *arena;
    ka_hmap by_name;
    ka_ptrvec order; /* nsinfo* in order of first appearance */
} nstable;

static nsinfo *ns_get(nstable *t, ka_str name)
{
    void **slot = ka_hmap_slot(&t->by_name, name);
    if (!*slot) {
        nsinfo *ni = ka_arena_zalloc(t->arena, sizeof *ni);
        ni->name = ka_arena_str(t->arena, name);
        *slot = ni;
        ka_ptrvec_push(&t->order, ni);
    }
    return *slot;
}

static bool rules_empty(const ka_node *rules)
{
    return !rules || ka_is_null(rules) || (ka_is_seq(rules) && ka_node_n(rules) == 0);
}

/* Does policy p deny a direction by default: select every pod of the
 * namespace, isolate that direction and allow nothing in it? */
static void default_deny(ka_arena *a, const ka_object *p, bool *din, bool *dout)
{
    *din = *dout = false;
    const ka_node *spec = ka_get(p->root, "spec");
    const ka_node *ps = ka_get(spec, "podSelector");
    if (ps && !ka_is_null(ps)) { /* absent decodes as {}: every pod */
        ka_selector sel;
        const ka_node *bad;
        char err[8];
        if (ka_selector_from_node(a, ps, &sel, &bad, err, sizeof err) != 0 || !ka_selector_empty(&sel))
            return;
    }
    unsigned t = ka_netpol_types(p);
    *din = (t & KA_NETPOL_INGRESS) && rules_empty(ka_get(spec, "ingress"));
    *dout = (t & KA_NETPOL_EGRESS) && rules_empty(ka_get(spec, "egress"));
}

static bool system_namespace(ka_str ns)
{
    return ka_str_eqc(ns, "kube-system") || ka_str_eqc(ns, "kube-public") ||
           ka_str_eqc(ns, "kube-node-lease");
}

static void report_namespace(ka_ctx *ctx, const nsinfo *ni)
{
    const char *dirs = !ni->deny_in && !ni->deny_out ? "ingress and egress"
                       : !ni->deny_in                ? "ingress"
                                                     : "egress";
    /* the Namespace object when present; else the namespace's first policy
     * (where the default-deny belongs); else its first workload */
    const ka_object *o = ni->ns_obj ? ni->ns_obj : ni->policy ? ni->policy : ni->workload;
    const ka_node *at = NULL;
    if (o == ni->ns_obj)
        at = ka_get(o->meta, "name");
    else if (o == ni->workload) /* its namespace field, or its metadata when defaulted */
        at = ka_get(o->meta, "namespace") ? ka_get(o->meta, "namespace") : o->meta;
    ka_report(ctx, o, at, NULL,
              "namespace %.*s has no default-deny NetworkPolicy for %s (podSelector {} with no "
              "rules in that direction)",
              (int)ni->name.n, ni->name.p, dirs);
}

void ka_setrule_net002(ka_ctx *ctx, const ka_objset *s)
{
    nstable t;
    memset(&t, 0, sizeof t);
    t.arena = ka_arena_new();
    ka_hmap_init(&t.by_name, t.arena);
    size_t n = ka_objset_count(s);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(s, i);
        if (ka_kind_is(o, "Namespace") && o->scope == KA_SCOPE_CLUSTER && o->name.n) {
            nsinfo *ni = ns_get(&t, o->name);
            if (!ni->ns_obj)
                ni->ns_obj = o;
        } else if (ka_kind_is(o, "NetworkPolicy") && o->ns.n) {
            nsinfo *ni = ns_get(&t, o->ns);
            if (!ni->policy)
                ni->policy = o;
            bool din, dout;
            default_deny(t.arena, o, &din, &dout);
            ni->deny_in = ni->deny_in || din;
            ni->deny_out = ni->deny_out || dout;
        } else if (o->pod && workload_kind(o->kind) && o->ns.n) {
            nsinfo *ni = ns_get(&t, o->ns);
            if (!ni->workload)
                ni->workload = o;
        }
    }
    for (size_t i = 0; i < t.order.n; i++) {
        const nsinfo *ni = t.order.v[i];
        if ((ni->ns_obj || ni->workload) && !system_namespace(ni->name) &&
            !(ni->deny_in && ni->deny_out))
            report_namespace(ctx, ni);
    }
    ka_ptrvec_free(&t.order);
    ka_hmap_free(&t.by_name);
    ka_arena_free(t.arena);
}

/* ---- NET-003 ------------------------------------------------------------ */

void ka_rule_net003(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *ps = ka_path(o->spec, "podSelector", NULL);
    if (!ps || ka_is_null(ps) || (ka_is_map(ps) && ka_node_n(ps) == 0))
        return; /* absent or {}: every pod of the namespace */
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    const ka_node *bad;
    char err[8];
    if (ka_selector_from_node(a, ps, &sel, &bad, err, sizeof err) == 0 && !ka_selector_empty(&sel) &&
        !ka_first_pod_matching(ctx->set, o->ns, &sel)) {
        ka_buf str;
        ka_buf_init(&str);
        ka_selector_string(&sel, &str);
        ka_report(ctx, o, ps, NULL,
                  "podSelector (%s) selects no Pod or workload pod template of namespace %.*s: the "
                  "policy isolates and allows nothing",
                  ka_buf_cstr(&str), (int)o->ns.n, o->ns.p);
        ka_buf_free(&str);
    }
    ka_arena_free(a);
}
