/*
 * rules_meta.c - META-001 (selector vs template labels), META-002 (label
 * syntax), META-004 (duplicate env), META-005 (identity: apiVersion, kind,
 * name) and NS-001 (default namespace).
 */
#include "rule.h"

#include <string.h>

/* ---- META-001 ----------------------------------------------------------- */

static void labels_text(const ka_labels *l, ka_buf *out)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ka_buf_addc(out, ',');
        ka_buf_addstr(out, l->kv[i].key);
        ka_buf_addc(out, '=');
        ka_buf_addstr(out, l->kv[i].val);
    }
    if (!l->n)
        ka_buf_adds(out, "none");
}

void ka_rule_meta001(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    const ka_node *spec = o->spec;
    const ka_node *sel = ka_get(spec, "selector");
    bool rc = ka_kind_is(o, "ReplicationController");
    bool apps_v1 = ka_str_eqc(o->group, "apps") && ka_str_eqc(o->version, "v1") &&
                   !ka_kind_is(o, "Job");
    if (ka_is_null(sel)) {
        /* defaulted from the template labels everywhere but in apps/v1 */
        if (apps_v1)
            ka_report(ctx, o, spec ? spec : o->root, NULL,
                      "spec.selector is missing; apps/v1 %.*s requires one that matches the pod "
                      "template labels",
                      (int)o->kind.n, o->kind.p);
        return;
    }
    ka_arena *a = ka_arena_new();
    ka_selector s;
    char err[256];
    const ka_node *bad = NULL;
    int r = rc ? ka_selector_from_map(a, sel, &s)
               : ka_selector_from_node(a, sel, &s, &bad, err, sizeof err);
    if (r != 0) {
        if (rc)
            ka_report(ctx, o, sel, NULL, "spec.selector is not a mapping of label keys to values");
        else
            ka_report(ctx, o, bad ? bad : sel, NULL, "spec.selector is invalid: %s", err);
    } else if (ka_selector_empty(&s)) {
        /* an empty map is defaulted (ReplicationController); apps/v1 rejects it */
        if (apps_v1 || ka_kind_is(o, "Job"))
            ka_report(ctx, o, sel, NULL,
                      "spec.selector is empty; it must select the pod template labels");
    } else if (!ka_selector_matches(&s, &o->pod->labels)) {
        ka_buf a_sel, a_lab;
        ka_buf_init(&a_sel);
        ka_buf_init(&a_lab);
        ka_selector_string(&s, &a_sel);
        labels_text(&o->pod->labels, &a_lab);
        ka_report(ctx, o, sel, NULL,
                  "spec.selector (%s) does not match the pod template labels (%s)",
                  ka_buf_cstr(&a_sel), ka_buf_cstr(&a_lab));
        ka_buf_free(&a_sel);
        ka_buf_free(&a_lab);
    }
    ka_arena_free(a);
}

/* ---- META-002 ----------------------------------------------------------- */

static bool digits(const char *s, size_t n, size_t *i, bool hex)
{
    size_t start = *i;
    while (*i < n && ((s[*i] >= '0' && s[*i] <= '9') || s[*i] == '_' ||
                      (hex && ((s[*i] >= 'a' && s[*i] <= 'f') || (s[*i] >= 'A' && s[*i] <= 'F')))))
        (*i)++;
    return *i > start;
}

/* Plain scalars that sigs.k8s.io/yaml turns into JSON numbers: decimal and
 * 0x/0o/0b integers, [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?,
 * and .inf / .nan. */
static bool yaml_number(ka_str t)
{
    const char *s = t.p;
    size_t n = t.n, i = 0;
    if (n == 0)
        return false;
    if (s[0] == '-' || s[0] == '+')
        i++;
    if (i < n && s[i] == '.') {
        ka_str rest = { s + i, n - i };
        if (ka_str_eqc(rest, ".inf") || ka_str_eqc(rest, ".Inf") || ka_str_eqc(rest, ".INF") ||
            (i == 0 && (ka_str_eqc(rest, ".nan") || ka_str_eqc(rest, ".NaN") ||
                        ka_str_eqc(rest, ".NAN"))))
            return true;
    }
    if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b')) {
        i += 2;
        return digits(s, n, &i, s[i - 1] == 'x') && i == n;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (!digits(s, n, &i, false))
            return false;
    } else {
        if (!digits(s, n, &i, false))
            return false;
        if (i < n && s[i] == '.') {
            i++;
            digits(s, n, &i, false);
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        if (!digits(s, n, &i, false))
            return false;
    }
    return i == n;
}

static void check_labels(ka_ctx *ctx, const ka_object *o, const ka_node *meta, const char *where)
{
    const ka_node *labels = ka_get(meta, "labels");
    if (!labels || ka_is_null(labels))
        return;
    if (!ka_is_map(labels)) {
        ka_report(ctx, o, labels, NULL, "%slabels is not a mapping", where);
        return;
    }
    char err[512];
    for (uint32_t i = 0; i < ka_node_n(labels); i++) {
        const ka_node *k = KA_MAP_KEY(labels, i), *v = KA_MAP_VAL(labels, i);
        if (!ka_is_scalar(k)) {
            ka_report(ctx, o, k, NULL, "%slabel key is not a string", where);
            continue;
        }
        ka_str key = ka_node_str(k);
        if (!ka_label_key_valid(key, err, sizeof err))
            ka_report(ctx, o, k, NULL, "%slabel key \"%s\" is invalid: %s", where, ka_cstr(k), err);
        if (ka_is_null(v))
            continue; /* decodes as "" */
        if (!ka_is_scalar(v)) {
            ka_report(ctx, o, v, NULL, "%slabel \"%s\" has a %s value; label values are strings",
                      where, ka_cstr(k), ka_is_map(v) ? "mapping" : "list");
            continue;
        }
        int64_t iv;
        if (v->style == KA_STYLE_PLAIN && (ka_bool(v) >= 0 || ka_int(v, &iv) ||
                                           yaml_number(ka_node_str(v)))) {
            ka_report(ctx, o, v, NULL,
                      "%slabel \"%s\" has the %s %s, not a string; quote it (\"%s\")", where,
                      ka_cstr(k), ka_bool(v) >= 0 ? "boolean" : "number", ka_cstr(v), ka_cstr(v));
            continue;
        }
        if (!ka_label_value_valid(ka_node_str(v), err, sizeof err))
            ka_report(ctx, o, v, NULL, "%slabel \"%s\" has the invalid value \"%s\": %s", where,
                      ka_cstr(k), ka_cstr(v), err);
    }
}

void ka_rule_meta002(ka_ctx *ctx, const ka_object *o)
{
    check_labels(ctx, o, o->meta, "");
    if (!o->pod)
        return;
    if (ka_kind_is(o, "CronJob"))
        check_labels(ctx, o, ka_path(o->spec, "jobTemplate", "metadata", NULL),
                     "job template ");
    if (o->pod->meta && o->pod->meta != o->meta)
        check_labels(ctx, o, o->pod->meta, "pod template ");
}

/* ---- META-004 ----------------------------------------------------------- */

void ka_rule_meta004(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *env = ka_get(c->node, "env");
        if (!ka_is_seq(env))
            continue;
        for (uint32_t i = 1; i < ka_node_n(env); i++) {
            const ka_node *ni = ka_get(KA_SEQ_ITEM(env, i), "name");
            if (!ka_is_scalar(ni))
                continue;
            for (uint32_t j = 0; j < i; j++) {
                const ka_node *nj = ka_get(KA_SEQ_ITEM(env, j), "name");
                if (ka_is_scalar(nj) && ka_str_eq(ka_node_str(ni), ka_node_str(nj))) {
                    ka_report(ctx, o, ni, c,
                              "env \"%s\" is set again (first at line %u); the last one "
                              "wins",
                              ka_cstr(ni), nj->line);
                    break;
                }
            }
        }
    }
}

/* ---- META-005 ----------------------------------------------------------- */

/* Files that tools read but the API server never sees (no metadata.name). */
static bool config_file_kind(const ka_object *o)
{
    ka_str g = o->group;
    static const char *const groups[] = {
        "kubeadm.k8s.io", "apiserver.k8s.io", "audit.k8s.io", "client.authentication.k8s.io",
        "imagepolicy.k8s.io", "eventratelimit.admission.k8s.io", "kind.x-k8s.io", "k3d.io",
    };
    if (g.n > 14 && memcmp(g.p + g.n - 14, ".config.k8s.io", 14) == 0)
        return true; /* kustomize, kubelet, kubeproxy, kubescheduler, apiserver ... */
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (ka_str_eqc(g, groups[i]))
            return true;
    if (ka_str_eqc(o->api_version, "builtin"))
        return true; /* kustomize built-in transformer configs */
    if (ka_str_eqc(g, "install.istio.io") && ka_kind_is(o, "IstioOperator"))
        return true; /* an istioctl install profile, not an object to apply */
    return g.n == 0 && ka_kind_is(o, "Config"); /* kubeconfig */
}

/* Create-only review objects need no name. */
static bool nameless_kind(const ka_object *o)
{
    return ka_str_eqc(o->group, "authentication.k8s.io") ||
           ka_str_eqc(o->group, "authorization.k8s.io");
}

static bool dns1035_label(ka_str s)
{
    if (s.n == 0 || s.n > 63 || s.p[0] < 'a' || s.p[0] > 'z')
        return false;
    return ka_dns1123_label(s);
}

typedef enum name_rule { NR_SEGMENT, NR_SUBDOMAIN, NR_LABEL, NR_DNS1035 } name_rule;

/* The name validation of the kind (pkg/apis/<group>/validation), for the
 * kinds whose rule is known; every other name only has to be a path segment. */
static name_rule name_rule_of(const ka_object *o)
{
    static const char *const core_sub[] = {
        "Pod", "ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim",
        "PersistentVolume", "Endpoints", "LimitRange", "ResourceQuota",
        "ReplicationController", "PodTemplate", "Node", "Event",
    };
    static const struct { const char *group, *kind; } sub[] = {
        { "apps", "Deployment" }, { "apps", "StatefulSet" }, { "apps", "DaemonSet" },
        { "apps", "ReplicaSet" }, { "apps", "ControllerRevision" }, { "batch", "Job" },
        { "batch", "CronJob" }, { "autoscaling", "HorizontalPodAutoscaler" },
        { "policy", "PodDisruptionBudget" }, { "networking.k8s.io", "Ingress" },
        { "networking.k8s.io", "NetworkPolicy" }, { "networking.k8s.io", "IngressClass" },
        { "storage.k8s.io", "StorageClass" }, { "scheduling.k8s.io", "PriorityClass" },
        { "coordination.k8s.io", "Lease" },
    };
    if (o->group.n == 0) {
        if (ka_kind_is(o, "Namespace"))
            return NR_LABEL;
        if (ka_kind_is(o, "Service"))
            return NR_DNS1035;
        for (size_t i = 0; i < sizeof core_sub / sizeof *core_sub; i++)
            if (ka_kind_is(o, core_sub[i]))
                return NR_SUBDOMAIN;
        return NR_SEGMENT;
    }
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++)
        if (ka_str_eqc(o->group, sub[i].group) && ka_kind_is(o, sub[i].kind))
            return NR_SUBDOMAIN;
    return NR_SEGMENT;
}

static const char *name_problem(const ka_object *o, ka_str name)
{
    if (ka_str_eqc(name, ".") || ka_str_eqc(name, ".."))
        return "it may not be \".\" or \"..\"";
    if (memchr(name.p, '/', name.n) || memchr(name.p, '%', name.n))
        return "it may not contain '/' or '%'";
    switch (name_rule_of(o)) {
    case NR_SUBDOMAIN:
        return ka_dns1123_subdomain(name)
                   ? NULL
                   : "it must be a lowercase RFC 1123 subdomain: at most 253 characters of a-z, "
                     "0-9, '-' and '.', starting and ending with a letter or digit";
    case NR_LABEL:
        return ka_dns1123_label(name)
                   ? NULL
                   : "it must be a lowercase RFC 1123 label: at most 63 characters of a-z, 0-9 "
                     "and '-', starting and ending with a letter or digit";
    case NR_DNS1035:
        return dns1035_label(name)
                   ? NULL
                   : "it must be a lowercase RFC 1035 label: at most 63 characters of a-z, 0-9 "
                     "and '-', starting with a letter and ending with a letter or digit";
    default:
        return NULL;
    }
}

void ka_rule_meta005(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *av = ka_get(o->root, "apiVersion"), *kind = ka_get(o->root, "kind");
    if (!o->api_version.n)
        ka_report(ctx, o, av, NULL, "object has no apiVersion");
    if (!o->kind.n)
        ka_report(ctx, o, kind, NULL, "object has no kind");
    if (config_file_kind(o) || nameless_kind(o))
        return;
    const ka_node *meta = ka_get(o->root, "metadata");
    const ka_node *name = ka_get(o->meta, "name");
    const ka_node *gen = ka_get(o->meta, "generateName");
    bool has_gen = ka_is_scalar(gen) && !ka_is_null(gen) && ka_node_n(gen) > 0;
    if (!ka_is_scalar(name) || ka_is_null(name) || ka_node_n(name) == 0) {
        if (has_gen)
            return;
        if (!meta || ka_is_null(meta))
            ka_report(ctx, o, NULL, NULL, "object has no metadata (and so no metadata.name)");
        else
            ka_report(ctx, o, name ? name : meta, NULL,
                      "object has no metadata.name (or metadata.generateName)");
        return;
    }
    const char *why = name_problem(o, ka_node_str(name));
    if (why)
        ka_report(ctx, o, name, NULL, "metadata.name \"%s\" is not a valid %.*s name: %s",
                  ka_cstr(name), (int)o->kind.n, o->kind.p, why);
}

/* ---- NS-001 ------------------------------------------------------------- */

/* Objects the API server itself keeps in the default namespace. */
static bool api_server_own(const ka_object *o)
{
    return (ka_kind_is(o, "Service") && ka_str_eqc(o->name, "kubernetes")) ||
           (ka_kind_is(o, "ServiceAccount") && ka_str_eqc(o->name, "default")) ||
           (ka_kind_is(o, "ConfigMap") && ka_str_eqc(o->name, "kube-root-ca.crt")) ||
           (ka_kind_is(o, "Endpoints") && ka_str_eqc(o->name, "kubernetes")) ||
           (ka_kind_is(o, "EndpointSlice") && ka_str_eqc(o->name, "kubernetes"));
}

void ka_rule_ns001(ka_ctx *ctx, const ka_object *o)
{
    if (o->scope != KA_SCOPE_NAMESPACED || !ka_str_eqc(o->ns, "default") || api_server_own(o))
        return;
    if (o->ns_defaulted)
        ka_report(ctx, o, o->meta, NULL,
                  "%.*s has no metadata.namespace: it lands in the namespace of whoever applies "
                  "it, usually default",
                  (int)o->kind.n, o->kind.p);
    else
        ka_report(ctx, o, ka_get(o->meta, "namespace"), NULL, "%.*s is in the default namespace",
                  (int)o->kind.n, o->kind.p);
}
