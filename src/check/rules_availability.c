/*
 * rules_availability.c - HA-001..HA-004: replicas, spreading over nodes and
 * zones, topology spread constraints, naked pods.
 *
 * Replica counts follow the API server: replicas left unset is 1. A workload
 * that a HorizontalPodAutoscaler (or a KEDA ScaledObject, which drives one)
 * in the input scales is judged by the autoscaler's bounds instead.
 */
#include "rule.h"

#include <string.h>

/* ---- autoscalers -------------------------------------------------------- */

typedef struct scaler {
    const ka_object *obj;
    int64_t min, max;
} scaler;

static int64_t int_or(const ka_node *n, int64_t dflt)
{
    int64_t v;
    return ka_int(n, &v) ? v : dflt;
}

/* The first autoscaler in the input that targets o (indexed, no scan). */
static bool find_scaler(const ka_ctx *ctx, const ka_object *o, scaler *out)
{
    ka_objlist l = ka_objset_scalers(ctx->set, o->kind, o->ns, o->name);
    if (!l.n)
        return false;
    const ka_object *h = l.v[0];
    const ka_node *spec = ka_get(h->root, "spec");
    out->obj = h;
    if (ka_kind_is(h, "ScaledObject")) {
        out->min = int_or(ka_get(spec, "minReplicaCount"), 0);
        out->max = int_or(ka_get(spec, "maxReplicaCount"), 100);
    } else {
        out->min = int_or(ka_get(spec, "minReplicas"), 1);
        out->max = int_or(ka_get(spec, "maxReplicas"), 0);
    }
    return true;
}

/* More than one pod may run: replicas >= 2, or an autoscaler may scale past 1. */
static bool multi_replica(const ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return false;
    if (o->pod->replicas >= 2)
        return true;
    if (ka_kind_is(o, "Pod"))
        return false;
    scaler s;
    return find_scaler(ctx, o, &s) && s.max >= 2;
}

/* ---- HA-001 ------------------------------------------------------------- */

void ka_rule_ha001(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    const ka_node *spec = o->spec;
    const ka_node *rn = ka_get(spec, "replicas");
    int64_t r;
    if (rn && !ka_is_null(rn) && !ka_int(rn, &r))
        return; /* not a number (a template placeholder?): cannot judge */
    if (o->pod->replicas >= 2 || o->pod->replicas <= 0)
        return; /* replicas: 0 is deliberate */
    scaler s;
    if (find_scaler(ctx, o, &s))
        return; /* judged by the autoscaler (HPA-002) */
    if (o->pod->replicas_set)
        ka_report(ctx, o, rn, NULL, "%.*s runs a single replica (replicas: %lld)", (int)o->kind.n,
                  o->kind.p, (long long)o->pod->replicas);
    else
        ka_report(ctx, o, spec, NULL,
                  "%.*s runs a single replica (replicas is not set and defaults to 1)",
                  (int)o->kind.n, o->kind.p);
}

/* ---- selectors against the pod's own labels ----------------------------- */

typedef struct selcheck {
    ka_arena *arena; /* created on first use, freed by the caller */
} selcheck;

typedef enum selres { SEL_MATCHES, SEL_NO_MATCH, SEL_NIL, SEL_INVALID } selres;

static selres own_selector(selcheck *sc, const ka_object *o, const ka_node *node, const ka_node **bad,
                           char *err, size_t errn, ka_buf *rendered)
{
    if (!node || ka_is_null(node))
        return SEL_NIL;
    if (!sc->arena)
        sc->arena = ka_arena_new();
    ka_selector sel;
    if (ka_selector_from_node(sc->arena, node, &sel, bad, err, errn) != 0)
        return SEL_INVALID;
    if (rendered)
        ka_selector_string(&sel, rendered);
    return ka_selector_matches(&sel, &o->pod->labels) ? SEL_MATCHES : SEL_NO_MATCH;
}

static bool is_host_key(ka_str k)
{
    return ka_str_eqc(k, "kubernetes.io/hostname");
}

static bool is_zone_key(ka_str k)
{
    return ka_str_eqc(k, "topology.kubernetes.io/zone") ||
           ka_str_eqc(k, "failure-domain.beta.kubernetes.io/zone");
}

/* Does a pod (anti-)affinity term select pods of o's own namespace? */
static bool term_namespace_ok(const ka_object *o, const ka_node *term)
{
    const ka_node *nss = ka_get(term, "namespaces");
    if (!ka_is_null(ka_get(term, "namespaceSelector")))
        return true; /* a namespace selector: cannot tell, accept */
    if (!ka_is_seq(nss) || ka_node_n(nss) == 0)
        return true; /* the pod's own namespace */
    for (uint32_t i = 0; i < ka_node_n(nss); i++)
        if (ka_str_eq(ka_node_str(KA_SEQ_ITEM(nss, i)), o->ns))
            return true;
    return false;
}

static bool term_spreads(selcheck *sc, const ka_object *o, const ka_node *term)
{
    char err[8];
    const ka_node *bad;
    ka_str key = ka_node_str(ka_get(term, "topologyKey"));
    if (!is_host_key(key) && !is_zone_key(key))
        return false;
    return term_namespace_ok(o, term) &&
           own_selector(sc, o, ka_get(term, "labelSelector"), &bad, err, sizeof err, NULL) ==
               SEL_MATCHES;
}

static bool anti_affinity_spreads(selcheck *sc, const ka_object *o, const ka_node *anti)
{
    const ka_node *req = ka_get(anti, "requiredDuringSchedulingIgnoredDuringExecution");
    const ka_node *pref = ka_get(anti, "preferredDuringSchedulingIgnoredDuringExecution");
    if (ka_is_seq(req))
        for (uint32_t i = 0; i < ka_node_n(req); i++)
            if (term_spreads(sc, o, KA_SEQ_ITEM(req, i)))
                return true;
    if (ka_is_seq(pref))
        for (uint32_t i = 0; i < ka_node_n(pref); i++)
            if (term_spreads(sc, o, ka_get(KA_SEQ_ITEM(pref, i), "podAffinityTerm")))
                return true;
    return false;
}

static bool spread_constraints_spread(selcheck *sc, const ka_object *o, const ka_node *tsc)
{
    if (!ka_is_seq(tsc))
        return false;
    for (uint32_t i = 0; i < ka_node_n(tsc); i++) {
        const ka_node *c = KA_SEQ_ITEM(tsc, i);
        ka_str key = ka_node_str(ka_get(c, "topologyKey"));
        char err[8];
        const ka_node *bad;
        if ((is_host_key(key) || is_zone_key(key)) &&
            own_selector(sc, o, ka_get(c, "labelSelector"), &bad, err, sizeof err, NULL) ==
                SEL_MATCHES)
            return true;
    }
    return false;
}

/* ---- HA-002 ------------------------------------------------------------- */

void ka_rule_ha002(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod || !multi_replica(ctx, o))
        return;
    const ka_node *spec = o->pod->spec;
    const ka_node *anti = ka_path(spec, "affinity", "podAntiAffinity", NULL);
    selcheck sc = { NULL };
    bool ok = anti_affinity_spreads(&sc, o, anti) ||
              spread_constraints_spread(&sc, o, ka_get(spec, "topologySpreadConstraints"));
    ka_arena_free(sc.arena);
    if (ok)
        return;
    const ka_node *at = anti ? anti : spec;
    ka_report(ctx, o, at, NULL,
              "all replicas may land on one node: no podAntiAffinity on kubernetes.io/hostname "
              "selecting the pod's own labels and no topologySpreadConstraint over nodes or zones");
}

/* ---- HA-003 ------------------------------------------------------------- */

static void labels_text(const ka_labels *l, ka_buf *out)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ka_buf_addc(out, ',');
        ka_buf_addstr(out, l->kv[i].key);
        ka_buf_addc(out, '=');
        ka_buf_addstr(out, l->kv[i].val);
    }
}

static void check_constraint(ka_ctx *ctx, const ka_object *o, selcheck *sc, const ka_node *c,
                             uint32_t i)
{
    if (!ka_is_map(c)) {
        ka_report(ctx, o, c, NULL, "topologySpreadConstraints[%u] is not a mapping", i);
        return;
    }
    const ka_node *skew = ka_get(c, "maxSkew");
    int64_t v;
    if (ka_is_null(skew))
        ka_report(ctx, o, c, NULL, "topologySpreadConstraints[%u] has no maxSkew (at least 1)", i);
    else if (!ka_int(skew, &v) || v < 1)
        ka_report(ctx, o, skew, NULL, "topologySpreadConstraints[%u].maxSkew is %s; it must be at least 1",
                  i, ka_cstr(skew));
    const ka_node *key = ka_get(c, "topologyKey");
    if (ka_is_null(key) || !ka_is_scalar(key) || ka_node_n(key) == 0)
        ka_report(ctx, o, key && ka_is_scalar(key) ? key : c, NULL,
                  "topologySpreadConstraints[%u] has no topologyKey", i);
    const ka_node *wu = ka_get(c, "whenUnsatisfiable");
    ka_str w = ka_node_str(wu);
    bool anyway = ka_str_eqc(w, "ScheduleAnyway");
    if (ka_is_null(wu))
        ka_report(ctx, o, c, NULL,
                  "topologySpreadConstraints[%u] has no whenUnsatisfiable (DoNotSchedule or "
                  "ScheduleAnyway)",
                  i);
    else if (!anyway && !ka_str_eqc(w, "DoNotSchedule"))
        ka_report(ctx, o, wu, NULL,
                  "topologySpreadConstraints[%u].whenUnsatisfiable \"%s\" is neither DoNotSchedule "
                  "nor ScheduleAnyway",
                  i, ka_cstr(wu));
    const ka_node *md = ka_get(c, "minDomains");
    if (!ka_is_null(md)) {
        if (!ka_int(md, &v) || v < 1)
            ka_report(ctx, o, md, NULL,
                      "topologySpreadConstraints[%u].minDomains is %s; it must be at least 1", i,
                      ka_cstr(md));
        else if (anyway)
            ka_report(ctx, o, md, NULL,
                      "topologySpreadConstraints[%u].minDomains has no effect with "
                      "whenUnsatisfiable: ScheduleAnyway",
                      i);
    }
    const ka_node *ls = ka_get(c, "labelSelector");
    char err[256];
    const ka_node *bad = NULL;
    ka_buf sel;
    ka_buf_init(&sel);
    switch (own_selector(sc, o, ls, &bad, err, sizeof err, &sel)) {
    case SEL_NIL:
        ka_report(ctx, o, c, NULL,
                  "topologySpreadConstraints[%u] has no labelSelector, so it counts no pods and "
                  "spreads nothing",
                  i);
        break;
    case SEL_INVALID:
        ka_report(ctx, o, bad ? bad : ls, NULL, "topologySpreadConstraints[%u].labelSelector is invalid: %s",
                  i, err);
        break;
    case SEL_NO_MATCH: {
        ka_buf own;
        ka_buf_init(&own);
        labels_text(&o->pod->labels, &own);
        ka_report(ctx, o, ls, NULL,
                  "topologySpreadConstraints[%u].labelSelector (%s) does not select the pod's own "
                  "labels (%s), so it spreads nothing",
                  i, sel.n ? ka_buf_cstr(&sel) : "", own.n ? ka_buf_cstr(&own) : "none");
        ka_buf_free(&own);
        break;
    }
    case SEL_MATCHES:
        break;
    }
    ka_buf_free(&sel);
}

void ka_rule_ha003(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod || !o->pod->spec)
        return;
    const ka_node *tsc = ka_get(o->pod->spec, "topologySpreadConstraints");
    if (ka_is_null(tsc) || (ka_is_seq(tsc) && ka_node_n(tsc) == 0)) {
        if (multi_replica(ctx, o))
            ka_report(ctx, o, tsc ? tsc : o->pod->spec, NULL,
                      tsc ? "topologySpreadConstraints is empty: replicas are not spread over "
                            "zones or nodes"
                          : "no topologySpreadConstraints: replicas are not spread over zones or "
                            "nodes");
        return;
    }
    if (!ka_is_seq(tsc)) {
        ka_report(ctx, o, tsc, NULL, "topologySpreadConstraints is not a list");
        return;
    }
    selcheck sc = { NULL };
    for (uint32_t i = 0; i < ka_node_n(tsc); i++)
        check_constraint(ctx, o, &sc, KA_SEQ_ITEM(tsc, i), i);
    ka_arena_free(sc.arena);
}

/* ---- HA-004 ------------------------------------------------------------- */

void ka_rule_ha004(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *owners = ka_get(o->meta, "ownerReferences");
    if (ka_is_seq(owners))
        for (uint32_t i = 0; i < ka_node_n(owners); i++)
            if (ka_bool(ka_get(KA_SEQ_ITEM(owners, i), "controller")) == 1)
                return;
    ka_report(ctx, o, owners ? owners : o->meta, NULL,
              "Pod has no controller (no ownerReferences entry with controller: true): it is not "
              "recreated when its node fails");
}
