/*
 * rules_relations.c - workloads and what protects or scales them:
 * PodDisruptionBudgets (PDB-001..006), HorizontalPodAutoscalers
 * (HPA-001..003) and namespace quotas (RES-008).
 *
 * PDB semantics are policy/v1's: an empty selector selects every pod of the
 * namespace, a missing one selects none (policy/v1beta1: empty selected none).
 * Percentages are scaled and rounded up as the disruption controller does
 * (intstr.GetScaledValueFromIntOrPercent with roundUp=true).
 */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

/* ---- IntOrString ---------------------------------------------------------- */

typedef struct intstr {
    const ka_node *node;
    bool set, valid, pct;
    int64_t v;
} intstr;

static intstr read_intstr(const ka_node *n)
{
    intstr x = { n, false, false, false, 0 };
    if (!n || ka_is_null(n))
        return x;
    x.set = true;
    if (ka_int(n, &x.v)) {
        x.valid = x.v >= 0;
        return x;
    }
    ka_str s = ka_node_str(n);
    if (s.n >= 2 && s.n < 12 && s.p[s.n - 1] == '%') {
        int64_t v = 0;
        for (size_t i = 0; i + 1 < s.n; i++) {
            if (s.p[i] < '0' || s.p[i] > '9')
                return x;
            v = v * 10 + (s.p[i] - '0');
        }
        x.pct = true;
        x.v = v;
        x.valid = v <= 100; /* pct stays set so that callers can still scale it */
    }
    return x;
}

/* value of x against total, rounded up */
static int64_t scaled(const intstr *x, int64_t total)
{
    if (!x->pct)
        return x->v;
    return (x->v * total + 99) / 100;
}

/* ---- what a PDB selects --------------------------------------------------- */

typedef struct selected {
    ka_objvec pods;      /* pod-bearing objects selected */
    int64_t replicas;    /* their expected pod count */
    bool count_known;    /* false when one of them has no fixed count (DaemonSet, ...) */
    bool has_selector;
} selected;

static void pdb_selected(ka_ctx *ctx, const ka_object *pdb, selected *out)
{
    memset(out, 0, sizeof *out);
    out->count_known = true;
    const ka_selector *sel = ka_selindex_selector(ka_ctx_selindex(ctx, KA_IX_PDB), pdb);
    if (!sel)
        return;
    out->has_selector = true;
    ka_objset_pods_matching(ctx->set, pdb->ns, sel, &out->pods);
    for (size_t i = 0; i < out->pods.n; i++) {
        const ka_podview *pv = out->pods.v[i]->pod;
        if (pv->replicas < 0)
            out->count_known = false;
        else
            out->replicas += pv->replicas;
    }
}

/* The HPA (or KEDA ScaledObject) that scales o, if any. */
static const ka_object *scaler_of(const ka_ctx *ctx, const ka_object *o)
{
    ka_objlist l = ka_objset_scalers(ctx->set, o->kind, o->ns, o->name);
    return l.n ? l.v[0] : NULL;
}

static int64_t hpa_min(const ka_object *h)
{
    int64_t v;
    const ka_node *spec = ka_get(h->root, "spec");
    if (ka_kind_is(h, "ScaledObject"))
        return ka_int(ka_get(spec, "minReplicaCount"), &v) ? v : 0;
    return ka_int(ka_get(spec, "minReplicas"), &v) ? v : 1;
}

static int64_t hpa_max(const ka_object *h)
{
    int64_t v;
    const ka_node *spec = ka_get(h->root, "spec");
    if (ka_kind_is(h, "ScaledObject"))
        return ka_int(ka_get(spec, "maxReplicaCount"), &v) ? v : 100;
    return ka_int(ka_get(spec, "maxReplicas"), &v) ? v : 0;
}

/* ---- PDB-001 ------------------------------------------------------------- */

void ka_rule_pdb001(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    const ka_object *h = scaler_of(ctx, o);
    bool multi = o->pod->replicas >= 2 || (h && hpa_max(h) >= 2);
    if (!multi)
        return;
    ka_objlist pdbs = ka_ctx_selmatch(ctx, KA_IX_PDB, o->ns,
                                        &o->pod->labels);
    if (pdbs.n)
        return;
    const ka_node *at = ka_path(o->spec, "replicas", NULL);
    if (o->pod->replicas >= 2)
        ka_report(ctx, o, at, NULL,
                  "%lld replicas and no PodDisruptionBudget selects their pods: a drain may evict all at once",
                  (long long)o->pod->replicas);
    else
        ka_report(ctx, o, at, NULL,
                  "scaled up to %lld replicas by %.*s/%.*s and no PodDisruptionBudget selects its pods",
                  (long long)hpa_max(h), (int)h->kind.n, h->kind.p, (int)h->name.n, h->name.p);
}

/* ---- PDB-002 ------------------------------------------------------------- */

void ka_rule_pdb002(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *min = ka_get(spec, "minAvailable"), *max = ka_get(spec, "maxUnavailable");
    bool hmin = min && !ka_is_null(min), hmax = max && !ka_is_null(max);
    if (!hmin && !hmax)
        ka_report(ctx, o, spec ? spec : NULL, NULL, "sets neither minAvailable nor maxUnavailable");
    else if (hmin && hmax)
        ka_report(ctx, o, max, NULL,
                  "sets both minAvailable and maxUnavailable; the API server accepts only one");
    /* validation (pkg/apis/policy/validation): a non-negative integer or a
     * percentage of at most 100% */
    const ka_node *both[2] = { min, max };
    const char *names[2] = { "minAvailable", "maxUnavailable" };
    for (int i = 0; i < 2; i++) {
        intstr x = read_intstr(both[i]);
        if (x.set && !x.valid)
            ka_report(ctx, o, both[i], NULL,
                      "%s \"%s\" is invalid: it must be a non-negative integer or a percentage up to 100%%",
                      names[i], ka_cstr(both[i]));
    }
}

/* ---- PDB-003 ------------------------------------------------------------- */

void ka_rule_pdb003(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    intstr min = read_intstr(ka_get(spec, "minAvailable"));
    intstr max = read_intstr(ka_get(spec, "maxUnavailable"));
    if (min.set && max.set)
        return; /* invalid object: PDB-002 */
    if (max.set && max.valid) {
        if (max.v == 0)
            ka_report(ctx, o, max.node, NULL,
                      "maxUnavailable %s allows no eviction: node drains and upgrades will hang",
                      ka_cstr(max.node));
        return;
    }
    if (!min.set || !min.valid)
        return;
    if (min.pct) {
        if (min.v >= 100)
            ka_report(ctx, o, min.node, NULL,
                      "minAvailable 100%% allows no eviction: node drains and upgrades will hang");
        else if (min.v > 0) {
            selected s;
            pdb_selected(ctx, o, &s);
            if (s.pods.n && s.count_known && s.replicas > 0 && scaled(&min, s.replicas) >= s.replicas)
                ka_report(ctx, o, min.node, NULL,
                          "minAvailable %s of %lld pods rounds up to %lld: no eviction is ever allowed",
                          ka_cstr(min.node), (long long)s.replicas, (long long)scaled(&min, s.replicas));
            free(s.pods.v);
        }
        return;
    }
    if (min.v == 0)
        return;
    selected s;
    pdb_selected(ctx, o, &s);
    if (s.pods.n && s.count_known && min.v >= s.replicas)
        ka_report(ctx, o, min.node, NULL,
                  "minAvailable %lld with %lld selected pod%s: no eviction is ever allowed",
                  (long long)min.v, (long long)s.replicas, s.replicas == 1 ? "" : "s");
    free(s.pods.v);
}

/* ---- PDB-004 ------------------------------------------------------------- */

void ka_rule_pdb004(ka_ctx *ctx, const ka_object *o)
{
    selected s;
    pdb_selected(ctx, o, &s);
    const ka_node *sel = ka_path(o->spec, "selector", NULL);
    if (!s.has_selector) {
        if (!sel || ka_is_null(sel))
            ka_report(ctx, o, o->spec, NULL, "has no selector, so it selects no pod");
        else if (ka_is_map(sel) && ka_node_n(sel) == 0)
            ka_report(ctx, o, sel, NULL,
                      "an empty selector selects no pod in policy/v1beta1 (policy/v1 selects all)");
    } else if (!s.pods.n) {
        ka_report(ctx, o, sel, NULL, "selector matches no pod or pod template of namespace %.*s",
                  (int)o->ns.n, o->ns.p);
    }
    free(s.pods.v);
}

/* ---- PDB-005 ------------------------------------------------------------- */

void ka_rule_pdb005(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod || !o->pod->meta)
        return;
    ka_objlist pdbs = ka_ctx_selmatch(ctx, KA_IX_PDB, o->ns,
                                        &o->pod->labels);
    if (pdbs.n < 2)
        return;
    ka_buf names;
    ka_buf_init(&names);
    for (size_t i = 0; i < pdbs.n; i++) {
        if (i)
            ka_buf_adds(&names, ", ");
        ka_buf_addstr(&names, pdbs.v[i]->name);
    }
    ka_report(ctx, o, ka_get(o->pod->meta, "labels"), NULL,
              "pods are selected by %zu PodDisruptionBudgets (%s); the eviction API refuses to evict them",
              pdbs.n, ka_buf_cstr(&names));
    ka_buf_free(&names);
}

/* ---- PDB-006 ------------------------------------------------------------- */

void ka_rule_pdb006(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    intstr min = read_intstr(ka_get(spec, "minAvailable"));
    if (!min.set || (!min.valid && !min.pct))
        return;
    selected s;
    pdb_selected(ctx, o, &s);
    for (size_t i = 0; i < s.pods.n; i++) {
        const ka_object *w = s.pods.v[i];
        const ka_object *h = scaler_of(ctx, w);
        if (!h)
            continue;
        int64_t hmin = hpa_min(h);
        /* a percentage counts against the pods running at minimum scale */
        int64_t need = scaled(&min, hmin);
        if (need > hmin)
            ka_report(ctx, o, min.node, NULL,
                      "minAvailable %s (%lld pods) is above minReplicas %lld of %.*s/%.*s (scaling %.*s/%.*s): "
                      "at minimum scale no pod can be evicted",
                      ka_cstr(min.node), (long long)need, (long long)hmin, (int)h->kind.n, h->kind.p,
                      (int)h->name.n, h->name.p, (int)w->kind.n, w->kind.p, (int)w->name.n, w->name.p);
    }
    free(s.pods.v);
}

/* ---- HPA-001..003 -------------------------------------------------------- */

void ka_rule_hpa001(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *ref = ka_path(o->spec, "scaleTargetRef", NULL);
    ka_str kind = ka_node_str(ka_get(ref, "kind")), name = ka_node_str(ka_get(ref, "name"));
    if (!ka_is_map(ref) || !kind.n || !name.n) {
        ka_report(ctx, o, ref ? ref : o->spec, NULL,
                  "scaleTargetRef needs kind and name");
        return;
    }
    char k[128];
    snprintf(k, sizeof k, "%.*s", (int)kind.n, kind.p);
    if (!ka_objset_find(ctx->set, k, o->ns, name))
        ka_report(ctx, o, ka_get(ref, "name"), NULL, "scaleTargetRef %.*s/%.*s is not in the input",
                  (int)kind.n, kind.p, (int)name.n, name.p);
}

void ka_rule_hpa002(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *mn = ka_get(spec, "minReplicas");
    int64_t v;
    if (!mn || ka_is_null(mn))
        ka_report(ctx, o, spec, NULL, "minReplicas is not set (defaults to 1)");
    else if (ka_int(mn, &v) && v < 2)
        ka_report(ctx, o, mn, NULL, "minReplicas %lld lets the autoscaler leave a single replica",
                  (long long)v);
}

void ka_rule_hpa003(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *mx = ka_get(spec, "maxReplicas");
    int64_t max, min = 1;
    if (!mx || ka_is_null(mx)) {
        ka_report(ctx, o, spec, NULL, "maxReplicas is not set (the API server requires it)");
        return;
    }
    if (!ka_int(mx, &max))
        return;
    ka_int(ka_get(spec, "minReplicas"), &min);
    if (min == max)
        ka_report(ctx, o, mx, NULL, "minReplicas equals maxReplicas (%lld): the autoscaler cannot scale",
                  (long long)max);
    else if (max < min)
        ka_report(ctx, o, mx, NULL, "maxReplicas %lld is below minReplicas %lld", (long long)max,
                  (long long)min);
}

/* ---- RES-008 ------------------------------------------------------------- */

static bool system_namespace(ka_str ns)
{
    return ka_str_eqc(ns, "kube-system") || ka_str_eqc(ns, "kube-public") ||
           ka_str_eqc(ns, "kube-node-lease");
}

void ka_setrule_res008(ka_ctx *ctx, const ka_objset *s)
{
    /* namespaces with workloads, each visited once, in input order */
    size_t n = ka_objset_count(s);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(s, i);
        if (!o->pod || !o->ns.n || system_namespace(o->ns))
            continue;
        ka_objlist inns = ka_objset_pods_in(s, o->ns);
        if (!inns.n || inns.v[0] != o)
            continue; /* only the first workload of its namespace speaks for it */
        bool quota = ka_objset_ns_has_kind(s, o->ns, "ResourceQuota");
        bool limits = ka_objset_ns_has_kind(s, o->ns, "LimitRange");
        if (quota && limits)
            continue;
        const ka_object *nso = ka_objset_find(s, "Namespace", (ka_str){ "", 0 }, o->ns);
        const ka_object *at = nso ? nso : o;
        const char *what = !quota && !limits ? "no ResourceQuota and no LimitRange"
                           : !quota          ? "no ResourceQuota"
                                             : "no LimitRange";
        ka_report(ctx, at, nso ? nso->meta : NULL, NULL, "namespace %.*s runs workloads but has %s",
                  (int)o->ns.n, o->ns.p, what);
    }
}
