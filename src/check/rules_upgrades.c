/*
 * rules_upgrades.c - UPG-001 (updates take the workload down), UPG-002
 * (deprecated / removed API versions) and UPG-003 (deprecated fields,
 * annotations and node labels).
 */
#include "rule.h"
#include "../k8s/deprecations.h"

#include <stdlib.h>
#include <string.h>

/* ---- UPG-001 ------------------------------------------------------------ */

/* An int-or-string "25%" / 3 scaled against replicas. Percentages round down
 * for maxUnavailable (as the deployment controller does). false when the
 * value is not understood. */
static bool scaled_value(const ka_node *n, int64_t replicas, int64_t *out, bool *is_percent)
{
    int64_t v;
    *is_percent = false;
    if (ka_int(n, &v)) {
        *out = v;
        return true;
    }
    ka_str s = ka_node_str(n);
    if (!ka_is_scalar(n) || s.n < 2 || s.p[s.n - 1] != '%')
        return false;
    int64_t pct = 0;
    for (size_t i = 0; i + 1 < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9' || pct > 100000)
            return false;
        pct = pct * 10 + (s.p[i] - '0');
    }
    *is_percent = true;
    *out = replicas > 0 && replicas < INT64_MAX / 100000 ? pct * replicas / 100 : 0;
    if (pct >= 100)
        *out = replicas; /* at least every replica */
    return true;
}

static void upg001_deployment(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *strategy = ka_get(spec, "strategy");
    const ka_node *type = ka_get(strategy, "type");
    int64_t replicas = o->pod ? o->pod->replicas : 1;
    if (replicas <= 0)
        return; /* replicas: 0 is deliberate */
    ka_str t = ka_is_null(type) ? KA_STR("RollingUpdate") : ka_node_str(type);
    if (ka_str_eqc(t, "Recreate")) {
        if (replicas >= 2)
            ka_report(ctx, o, type, NULL,
                      "strategy Recreate stops all %lld replicas before starting the new ones",
                      (long long)replicas);
        return;
    }
    if (!ka_str_eqc(t, "RollingUpdate"))
        return;
    const ka_node *mu = ka_path(strategy, "rollingUpdate", "maxUnavailable", NULL);
    if (ka_is_null(mu))
        return; /* default 25%, rounded down: never every replica */
    int64_t v;
    bool pct;
    if (!scaled_value(mu, replicas, &v, &pct) || v < replicas)
        return;
    if (replicas == 1)
        ka_report(ctx, o, mu, NULL,
                  "rollingUpdate.maxUnavailable %s lets a rollout stop the only replica before its "
                  "replacement is ready",
                  ka_cstr(mu));
    else
        ka_report(ctx, o, mu, NULL,
                  "rollingUpdate.maxUnavailable %s lets a rollout stop all %lld replicas at once",
                  ka_cstr(mu), (long long)replicas);
}

static void upg001_update_strategy(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *us = ka_path(o->spec, "updateStrategy", NULL);
    const ka_node *type = ka_get(us, "type");
    if (ka_str_eqc(ka_node_str(type), "OnDelete")) {
        ka_report(ctx, o, type, NULL,
                  "updateStrategy OnDelete never updates running pods: every rollout waits for "
                  "pods to be deleted by hand");
        return;
    }
    if (!ka_is_null(type) && !ka_str_eqc(ka_node_str(type), "RollingUpdate"))
        return;
    const ka_node *mu = ka_path(us, "rollingUpdate", "maxUnavailable", NULL);
    if (ka_is_null(mu))
        return;
    int64_t v;
    bool pct;
    if (ka_kind_is(o, "DaemonSet")) {
        /* the node count is unknown: only a percentage can be judged */
        if (scaled_value(mu, 100, &v, &pct) && pct && v >= 100)
            ka_report(ctx, o, mu, NULL,
                      "rollingUpdate.maxUnavailable %s lets a rollout stop the pods on every node "
                      "at once",
                      ka_cstr(mu));
        return;
    }
    int64_t replicas = o->pod ? o->pod->replicas : 1;
    if (replicas >= 2 && scaled_value(mu, replicas, &v, &pct) && v >= replicas)
        ka_report(ctx, o, mu, NULL,
                  "rollingUpdate.maxUnavailable %s lets a rollout stop all %lld replicas at once",
                  ka_cstr(mu), (long long)replicas);
}

void ka_rule_upg001(ka_ctx *ctx, const ka_object *o)
{
    if (ka_kind_is(o, "Deployment"))
        upg001_deployment(ctx, o);
    else
        upg001_update_strategy(ctx, o);
}

/* ---- UPG-002 ------------------------------------------------------------ */

static void version_text(int v, char *buf, size_t n)
{
    snprintf(buf, n, "v%d.%d", v / 1000, v % 1000);
}

void ka_rule_upg002(ka_ctx *ctx, const ka_object *o)
{
    if (!o->api_version.n || !o->kind.n)
        return;
    const ka_deprecation *d = ka_deprecation_find(o->group, o->version, o->kind);
    if (!d)
        return;
    ka_api_status st = ka_deprecation_status(d, ctx->kube_major, ctx->kube_minor);
    if (st == KA_API_SERVED)
        return;
    const ka_node *at = ka_get(o->root, "apiVersion");
    bool k8s = ka_deprecation_is_kubernetes(d);
    const char *comp = k8s ? "" : d->component;
    const char *sp = k8s ? "" : " ";
    char dep[32], rem[32], advice[256];
    version_text(d->deprecated, dep, sizeof dep);
    version_text(d->removed, rem, sizeof rem);
    if (d->replacement[0] && d->note[0])
        snprintf(advice, sizeof advice, "; use %s (%s)", d->replacement, d->note);
    else if (d->replacement[0])
        snprintf(advice, sizeof advice, "; use %s", d->replacement);
    else if (d->note[0])
        snprintf(advice, sizeof advice, "; %s", d->note);
    else
        advice[0] = '\0';
    if (st == KA_API_REMOVED) {
        ka_report_sev(ctx, KA_SEV_ERROR, o, at, NULL, "%.*s %.*s was removed in %s%s%s%s",
                      (int)o->api_version.n, o->api_version.p, (int)o->kind.n, o->kind.p, comp, sp,
                      rem, advice);
    } else if (d->removed) {
        ka_report_sev(ctx, KA_SEV_WARNING, o, at, NULL,
                      "%.*s %.*s is deprecated since %s%s%s and no longer served from %s%s",
                      (int)o->api_version.n, o->api_version.p, (int)o->kind.n, o->kind.p, comp, sp,
                      dep, rem, advice);
    } else {
        ka_report_sev(ctx, KA_SEV_WARNING, o, at, NULL, "%.*s %.*s is deprecated since %s%s%s%s",
                      (int)o->api_version.n, o->api_version.p, (int)o->kind.n, o->kind.p, comp, sp,
                      dep, advice);
    }
}

/* ---- UPG-003 ------------------------------------------------------------ */

typedef struct replaced {
    const char *old;
    bool prefix;        /* old is a prefix (per-container annotations) */
    const char *use;
} replaced;

static const replaced deprecated_annotations[] = {
    { "seccomp.security.alpha.kubernetes.io/pod", false,
      "the pod's securityContext.seccompProfile" },
    { "container.seccomp.security.alpha.kubernetes.io/", true,
      "the container's securityContext.seccompProfile" },
    { "container.apparmor.security.beta.kubernetes.io/", true,
      "the container's securityContext.appArmorProfile" },
    { "volume.beta.kubernetes.io/storage-class", false, "spec.storageClassName" },
    { "scheduler.alpha.kubernetes.io/critical-pod", false,
      "priorityClassName: system-cluster-critical (or system-node-critical)" },
};

static const replaced deprecated_node_labels[] = {
    { "failure-domain.beta.kubernetes.io/zone", false, "topology.kubernetes.io/zone" },
    { "failure-domain.beta.kubernetes.io/region", false, "topology.kubernetes.io/region" },
    { "beta.kubernetes.io/arch", false, "kubernetes.io/arch" },
    { "beta.kubernetes.io/os", false, "kubernetes.io/os" },
    { "beta.kubernetes.io/instance-type", false, "node.kubernetes.io/instance-type" },
    { "node-role.kubernetes.io/master", false, "node-role.kubernetes.io/control-plane" },
};

static const replaced *lookup(const replaced *t, size_t n, ka_str key)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].prefix ? ka_str_has_prefix(key, t[i].old) && key.n > strlen(t[i].old)
                        : ka_str_eqc(key, t[i].old))
            return &t[i];
    }
    return NULL;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void check_annotations(ka_ctx *ctx, const ka_object *o, const ka_node *meta)
{
    const ka_node *ann = ka_get(meta, "annotations");
    if (!ka_is_map(ann))
        return;
    for (uint32_t i = 0; i < ka_node_n(ann); i++) {
        const ka_node *k = KA_MAP_KEY(ann, i);
        const replaced *r = lookup(deprecated_annotations, NELEM(deprecated_annotations),
                                   ka_node_str(k));
        if (r)
            ka_report(ctx, o, k, NULL, "annotation \"%s\" is deprecated; use %s", ka_cstr(k), r->use);
    }
}

/* A node label (or taint) key used at node n (a scalar naming the key). */
static void check_key(ka_ctx *ctx, const ka_object *o, const ka_node *n, const char *what)
{
    if (!ka_is_scalar(n))
        return;
    const replaced *r = lookup(deprecated_node_labels, NELEM(deprecated_node_labels), ka_node_str(n));
    if (r)
        ka_report(ctx, o, n, NULL, "%s \"%s\" is deprecated; use \"%s\"", what, ka_cstr(n), r->use);
}

static void check_label_key(ka_ctx *ctx, const ka_object *o, const ka_node *n)
{
    check_key(ctx, o, n, "node label");
}

static void check_tolerations(ka_ctx *ctx, const ka_object *o, const ka_node *tol)
{
    if (ka_is_seq(tol))
        for (uint32_t i = 0; i < ka_node_n(tol); i++)
            check_key(ctx, o, ka_get(KA_SEQ_ITEM(tol, i), "key"), "taint key");
}

static void check_map_keys(ka_ctx *ctx, const ka_object *o, const ka_node *map)
{
    if (!ka_is_map(map))
        return;
    for (uint32_t i = 0; i < ka_node_n(map); i++)
        check_label_key(ctx, o, KA_MAP_KEY(map, i));
}

/* NodeSelectorTerm list: matchExpressions[].key, matchFields are not labels. */
static void check_selector_terms(ka_ctx *ctx, const ka_object *o, const ka_node *terms)
{
    if (!ka_is_seq(terms))
        return;
    for (uint32_t i = 0; i < ka_node_n(terms); i++) {
        const ka_node *t = KA_SEQ_ITEM(terms, i);
        const ka_node *pref = ka_get(t, "preference"); /* preferred terms wrap the term */
        const ka_node *exprs = ka_get(pref ? pref : t, "matchExpressions");
        if (!ka_is_seq(exprs))
            continue;
        for (uint32_t j = 0; j < ka_node_n(exprs); j++)
            check_label_key(ctx, o, ka_get(KA_SEQ_ITEM(exprs, j), "key"));
    }
}

static void check_affinity_terms(ka_ctx *ctx, const ka_object *o, const ka_node *aff)
{
    const ka_node *req = ka_get(aff, "requiredDuringSchedulingIgnoredDuringExecution");
    const ka_node *pref = ka_get(aff, "preferredDuringSchedulingIgnoredDuringExecution");
    if (ka_is_seq(req))
        for (uint32_t i = 0; i < ka_node_n(req); i++)
            check_label_key(ctx, o, ka_get(KA_SEQ_ITEM(req, i), "topologyKey"));
    if (ka_is_seq(pref))
        for (uint32_t i = 0; i < ka_node_n(pref); i++)
            check_label_key(ctx, o,
                            ka_path(KA_SEQ_ITEM(pref, i), "podAffinityTerm", "topologyKey", NULL));
}

static void check_pod_spec(ka_ctx *ctx, const ka_object *o, const ka_node *spec)
{
    if (!ka_is_map(spec))
        return;
    const ka_node *sa_key = ka_get_key(spec, "serviceAccount");
    if (sa_key && !ka_is_null(ka_get(spec, "serviceAccount")))
        ka_report(ctx, o, sa_key, NULL, "spec.serviceAccount is deprecated; use spec.serviceAccountName");
    check_map_keys(ctx, o, ka_get(spec, "nodeSelector"));
    const ka_node *aff = ka_get(spec, "affinity");
    const ka_node *na = ka_get(aff, "nodeAffinity");
    check_selector_terms(ctx, o,
                         ka_path(na, "requiredDuringSchedulingIgnoredDuringExecution",
                                 "nodeSelectorTerms", NULL));
    check_selector_terms(ctx, o, ka_get(na, "preferredDuringSchedulingIgnoredDuringExecution"));
    check_affinity_terms(ctx, o, ka_get(aff, "podAffinity"));
    check_affinity_terms(ctx, o, ka_get(aff, "podAntiAffinity"));
    const ka_node *tsc = ka_get(spec, "topologySpreadConstraints");
    if (ka_is_seq(tsc))
        for (uint32_t i = 0; i < ka_node_n(tsc); i++)
            check_label_key(ctx, o, ka_get(KA_SEQ_ITEM(tsc, i), "topologyKey"));
    check_tolerations(ctx, o, ka_get(spec, "tolerations"));
}

void ka_rule_upg003(ka_ctx *ctx, const ka_object *o)
{
    check_annotations(ctx, o, o->meta);
    if (o->pod) {
        if (o->pod->meta && o->pod->meta != o->meta)
            check_annotations(ctx, o, o->pod->meta);
        check_pod_spec(ctx, o, o->pod->spec);
    }
    const ka_node *spec = o->spec;
    if (ka_kind_is(o, "Node")) {
        check_map_keys(ctx, o, ka_get(o->meta, "labels"));
        check_tolerations(ctx, o, ka_get(spec, "taints")); /* taints have a key too */
    } else if (ka_kind_is(o, "StatefulSet")) {
        const ka_node *vct = ka_get(spec, "volumeClaimTemplates");
        if (ka_is_seq(vct))
            for (uint32_t i = 0; i < ka_node_n(vct); i++)
                check_annotations(ctx, o, ka_get(KA_SEQ_ITEM(vct, i), "metadata"));
    } else if (ka_kind_is(o, "PersistentVolume")) {
        check_selector_terms(ctx, o, ka_path(spec, "nodeAffinity", "required", "nodeSelectorTerms", NULL));
    } else if (ka_kind_is(o, "StorageClass")) {
        const ka_node *at = ka_get(o->root, "allowedTopologies");
        if (ka_is_seq(at))
            for (uint32_t i = 0; i < ka_node_n(at); i++) {
                const ka_node *exprs = ka_get(KA_SEQ_ITEM(at, i), "matchLabelExpressions");
                if (ka_is_seq(exprs))
                    for (uint32_t j = 0; j < ka_node_n(exprs); j++)
                        check_label_key(ctx, o, ka_get(KA_SEQ_ITEM(exprs, j), "key"));
            }
    } else if (ka_kind_is(o, "RuntimeClass")) {
        const ka_node *sch = ka_get(o->root, "scheduling");
        check_map_keys(ctx, o, ka_get(sch, "nodeSelector"));
        check_tolerations(ctx, o, ka_get(sch, "tolerations"));
    }
}
