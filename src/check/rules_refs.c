/*
 * rules_refs.c - REF-001, RBAC-010, RBAC-012: references to Secrets,
 * ConfigMaps, ServiceAccounts and roles that may live outside the input.
 *
 * Every lookup goes through ka_present(), which also honours
 * --assume-present and the configuration's assumePresent list, and is a
 * hash lookup: no rule here scans the set.
 *
 * Kubernetes facts these rules rely on:
 *   - a reference with optional: true never stops a pod (neither a missing
 *     object nor a missing key); imagePullSecrets have no optional field;
 *   - the kubelet reads env/envFrom/volume objects from the pod's namespace;
 *   - every namespace has the ServiceAccount "default" (service account
 *     controller) and the ConfigMap "kube-root-ca.crt" with key ca.crt
 *     (root-ca-cert-publisher);
 *   - spec.serviceAccount is the deprecated spelling of
 *     spec.serviceAccountName and is used only when the latter is empty;
 *   - the API server bootstraps the ClusterRoles and kube-system/kube-public
 *     Roles of plugin/pkg/auth/authorizer/rbac/bootstrappolicy;
 *   - a RoleBinding's roleRef kind Role names a Role of the binding's own
 *     namespace; a ServiceAccount subject without a namespace means the
 *     binding's namespace in a RoleBinding, and is rejected in a
 *     ClusterRoleBinding (pkg/apis/rbac/validation: namespace required).
 */
#include "rule.h"

#include <string.h>

/* A field's value, or NULL when absent or null. */
static const ka_node *field(const ka_node *m, const char *key)
{
    const ka_node *v = ka_get(m, key);
    return ka_is_null(v) ? NULL : v;
}

/*=== objects every cluster has ==========================================*/

/* ClusterRoles the API server creates at start-up (policy.go and
 * controller_policy.go; the feature-gated controller roles included, since
 * a binding to one of them is never a typo). */
static const char *const builtin_cluster_roles[] = {
    "admin", "cluster-admin", "edit", "view",
    "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view",
    "system:auth-delegator", "system:basic-user",
    "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
    "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
    "system:certificates.k8s.io:kube-apiserver-client-approver",
    "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
    "system:certificates.k8s.io:kubelet-serving-approver",
    "system:certificates.k8s.io:legacy-unknown-approver",
    "system:controller:attachdetach-controller", "system:controller:certificate-controller",
    "system:controller:clusterrole-aggregation-controller", "system:controller:cronjob-controller",
    "system:controller:daemon-set-controller", "system:controller:deployment-controller",
    "system:controller:disruption-controller", "system:controller:endpoint-controller",
    "system:controller:endpointslice-controller",
    "system:controller:endpointslicemirroring-controller",
    "system:controller:ephemeral-volume-controller", "system:controller:expand-controller",
    "system:controller:generic-garbage-collector", "system:controller:horizontal-pod-autoscaler",
    "system:controller:job-controller", "system:controller:legacy-service-account-token-cleaner",
    "system:controller:namespace-controller", "system:controller:node-controller",
    "system:controller:persistent-volume-binder", "system:controller:pod-garbage-collector",
    "system:controller:pv-protection-controller", "system:controller:pvc-protection-controller",
    "system:controller:replicaset-controller", "system:controller:replication-controller",
    "system:controller:resource-claim-controller", "system:controller:resourcequota-controller",
    "system:controller:root-ca-cert-publisher", "system:controller:route-controller",
    "system:controller:selinux-warning-controller", "system:controller:service-account-controller",
    "system:controller:service-cidrs-controller", "system:controller:service-controller",
    "system:controller:statefulset-controller",
    "system:controller:storage-version-garbage-collector",
    "system:controller:storage-version-migrator-controller",
    "system:controller:ttl-after-finished-controller", "system:controller:ttl-controller",
    "system:controller:validatingadmissionpolicy-status-controller",
    "system:controller:volumeattributesclass-protection-controller",
    "system:discovery", "system:heapster", "system:kube-aggregator",
    "system:kube-controller-manager", "system:kube-dns", "system:kube-scheduler",
    "system:kubelet-api-admin", "system:monitoring", "system:node", "system:node-bootstrapper",
    "system:node-problem-detector", "system:node-proxier", "system:persistent-volume-provisioner",
    "system:public-info-viewer", "system:service-account-issuer-discovery",
    "system:volume-scheduler",
};

/* Roles the API server creates in kube-system and kube-public (namespace_policy.go). */
static const struct {
    const char *ns, *name;
} builtin_roles[] = {
    { "kube-system", "extension-apiserver-authentication-reader" },
    { "kube-system", "system::leader-locking-kube-controller-manager" },
    { "kube-system", "system::leader-locking-kube-scheduler" },
    { "kube-system", "system:controller:bootstrap-signer" },
    { "kube-system", "system:controller:cloud-provider" },
    { "kube-system", "system:controller:token-cleaner" },
    { "kube-public", "system:controller:bootstrap-signer" },
};

static bool builtin_cluster_role(ka_str name)
{
    for (size_t i = 0; i < sizeof builtin_cluster_roles / sizeof *builtin_cluster_roles; i++)
        if (ka_str_eqc(name, builtin_cluster_roles[i]))
            return true;
    return false;
}

static bool builtin_role(ka_str ns, ka_str name)
{
    for (size_t i = 0; i < sizeof builtin_roles / sizeof *builtin_roles; i++)
        if (ka_str_eqc(ns, builtin_roles[i].ns) && ka_str_eqc(name, builtin_roles[i].name))
            return true;
    return false;
}

#define ROOT_CA_CONFIGMAP "kube-root-ca.crt"

/*=== REF-001 Secrets and ConfigMaps =====================================*/

/* Where a reference sits, for the message: "env DB_PASSWORD", "volume certs". */
typedef struct site {
    const char *what;
    ka_str label;
} site;

/* Does the Secret or ConfigMap obj of the input declare key? 1 yes, 0 no,
 * -1 cannot tell (no keys written: something else fills it, such as the
 * token controller for service-account-token Secrets). */
static int declares_key(const ka_object *obj, ka_str key)
{
    static const char *const secret_maps[] = { "data", "stringData", NULL };
    static const char *const configmap_maps[] = { "data", "binaryData", NULL };
    bool secret = ka_kind_is(obj, "Secret");
    if (secret && ka_str_eqc(ka_node_str(ka_get(obj->root, "type")),
                             "kubernetes.io/service-account-token"))
        return -1;
    bool any = false;
    for (const char *const *m = secret ? secret_maps : configmap_maps; *m; m++) {
        const ka_node *map = ka_get(obj->root, *m);
        if (!ka_is_map(map))
            continue;
        any = any || ka_node_n(map) > 0;
        for (uint32_t i = 0; i < ka_node_n(map); i++)
            if (ka_str_eq(ka_node_str(KA_MAP_KEY(map, i)), key))
                return 1;
    }
    return any ? 0 : -1;
}

static void report_missing_key(ka_ctx *ctx, const ka_object *o, const ka_container *c,
                               const char *kind, ka_str name, const ka_node *key, site s)
{
    ka_report(ctx, o, key, c, "%s %.*s/%.*s has no key \"%s\" (%s%s%.*s)", kind, (int)o->ns.n,
              o->ns.p, (int)name.n, name.p, ka_cstr(key), s.what, s.label.n ? " " : "",
              (int)s.label.n, s.label.p);
}

/* A key the pod needs from kind/name: reported when the object's keys are
 * known (in the input with keys written, or kube-root-ca.crt) and lack it. */
static void check_key(ka_ctx *ctx, const ka_object *o, const ka_container *c, const char *kind,
                      ka_str name, const ka_node *key, site s)
{
    if (!ka_len(key))
        return;
    const ka_object *obj = ka_objset_find(ctx->set, kind, o->ns, name);
    int has;
    if (obj)
        has = declares_key(obj, ka_node_str(key));
    else if (strcmp(kind, "ConfigMap") == 0 && ka_str_eqc(name, ROOT_CA_CONFIGMAP))
        has = ka_str_eqc(ka_node_str(key), "ca.crt");
    else
        has = -1; /* declared present outside the input: its keys are unknown */
    if (has == 0)
        report_missing_key(ctx, o, c, kind, name, key, s);
}

/* One reference: ref holds the name (under namekey), optional, and either a
 * key (env) or items[].key (volumes). */
static void check_ref(ka_ctx *ctx, const ka_object *o, const ka_container *c, const char *kind,
                      const ka_node *ref, const char *namekey, site s)
{
    if (!ka_is_map(ref))
        return;
    const ka_node *opt = field(ref, "optional");
    if (opt && ka_bool(opt) != 0)
        return; /* optional, or not a boolean: the API server rejects the pod */
    const ka_node *name = field(ref, namekey);
    if (!ka_len(name))
        return; /* no name: the API server rejects the pod, not this rule's business */
    ka_str n = ka_node_str(name);
    bool builtin = strcmp(kind, "ConfigMap") == 0 && ka_str_eqc(n, ROOT_CA_CONFIGMAP);
    if (!builtin && !ka_present(ctx, kind, o->ns, n)) {
        ka_report(ctx, o, name, c, "%s %.*s/%.*s is not in the input (%s%s%.*s)", kind,
                  (int)o->ns.n, o->ns.p, (int)n.n, n.p, s.what, s.label.n ? " " : "",
                  (int)s.label.n, s.label.p);
        return;
    }
    check_key(ctx, o, c, kind, n, field(ref, "key"), s);
    const ka_node *items = field(ref, "items");
    for (uint32_t i = 0; ka_is_seq(items) && i < ka_node_n(items); i++)
        check_key(ctx, o, c, kind, n, field(KA_SEQ_ITEM(items, i), "key"), s);
}

static void check_container(ka_ctx *ctx, const ka_object *o, const ka_container *c)
{
    const ka_node *env = field(c->node, "env");
    for (uint32_t i = 0; ka_is_seq(env) && i < ka_node_n(env); i++) {
        const ka_node *e = KA_SEQ_ITEM(env, i);
        const ka_node *vf = field(e, "valueFrom");
        site s = { "env", ka_node_str(field(e, "name")) };
        check_ref(ctx, o, c, "Secret", field(vf, "secretKeyRef"), "name", s);
        check_ref(ctx, o, c, "ConfigMap", field(vf, "configMapKeyRef"), "name", s);
    }
    const ka_node *from = field(c->node, "envFrom");
    for (uint32_t i = 0; ka_is_seq(from) && i < ka_node_n(from); i++) {
        const ka_node *e = KA_SEQ_ITEM(from, i);
        site s = { "envFrom", KA_STR("") };
        check_ref(ctx, o, c, "Secret", field(e, "secretRef"), "name", s);
        check_ref(ctx, o, c, "ConfigMap", field(e, "configMapRef"), "name", s);
    }
}

static void check_volumes(ka_ctx *ctx, const ka_object *o, const ka_node *spec)
{
    const ka_node *vols = field(spec, "volumes");
    for (uint32_t i = 0; ka_is_seq(vols) && i < ka_node_n(vols); i++) {
        const ka_node *v = KA_SEQ_ITEM(vols, i);
        site s = { "volume", ka_node_str(field(v, "name")) };
        check_ref(ctx, o, NULL, "Secret", field(v, "secret"), "secretName", s);
        check_ref(ctx, o, NULL, "ConfigMap", field(v, "configMap"), "name", s);
        const ka_node *srcs = ka_path(v, "projected", "sources", NULL);
        for (uint32_t j = 0; ka_is_seq(srcs) && j < ka_node_n(srcs); j++) {
            const ka_node *src = KA_SEQ_ITEM(srcs, j);
            check_ref(ctx, o, NULL, "Secret", field(src, "secret"), "name", s);
            check_ref(ctx, o, NULL, "ConfigMap", field(src, "configMap"), "name", s);
        }
    }
}

void ka_rule_ref001(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod || !o->pod->spec)
        return;
    KA_FOR_CONTAINERS(o, c)
        check_container(ctx, o, c);
    check_volumes(ctx, o, o->pod->spec);
    /* imagePullSecrets have no optional field; a missing one fails pulls
     * from registries that need it */
    const ka_node *ips = field(o->pod->spec, "imagePullSecrets");
    for (uint32_t i = 0; ka_is_seq(ips) && i < ka_node_n(ips); i++) {
        site s = { "imagePullSecrets", KA_STR("") };
        check_ref(ctx, o, NULL, "Secret", KA_SEQ_ITEM(ips, i), "name", s);
    }
}

/*=== RBAC-012 ServiceAccount of a pod ===================================*/

void ka_rule_rbac012(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod || !o->pod->spec)
        return;
    const ka_node *n = field(o->pod->spec, "serviceAccountName");
    if (!ka_len(n))
        n = field(o->pod->spec, "serviceAccount"); /* read only when the new field is empty */
    if (!ka_len(n))
        return; /* the namespace's default ServiceAccount */
    ka_str sa = ka_node_str(n);
    if (ka_str_eqc(sa, "default") || ka_present(ctx, "ServiceAccount", o->ns, sa))
        return;
    ka_report(ctx, o, n, NULL, "ServiceAccount %.*s/%.*s is not in the input", (int)o->ns.n,
              o->ns.p, (int)sa.n, sa.p);
}

/*=== RBAC-010 roles and ServiceAccounts of bindings =====================*/

static void check_role_ref(ka_ctx *ctx, const ka_object *o, bool cluster_binding)
{
    const ka_node *ref = field(o->root, "roleRef");
    const ka_node *name = field(ref, "name");
    ka_str kind = ka_node_str(field(ref, "kind")), n = ka_node_str(name);
    if (!n.n)
        return;
    if (ka_str_eqc(kind, "ClusterRole")) {
        if (builtin_cluster_role(n) || ka_present(ctx, "ClusterRole", (ka_str){ "", 0 }, n))
            return;
        ka_report(ctx, o, name, NULL, "roleRef names ClusterRole %.*s, which is not in the input",
                  (int)n.n, n.p);
    } else if (ka_str_eqc(kind, "Role") && !cluster_binding) {
        if (builtin_role(o->ns, n) || ka_present(ctx, "Role", o->ns, n))
            return;
        ka_report(ctx, o, name, NULL, "roleRef names Role %.*s/%.*s, which is not in the input",
                  (int)o->ns.n, o->ns.p, (int)n.n, n.p);
    }
    /* any other kind is rejected by the API server's validation */
}

static void check_subjects(ka_ctx *ctx, const ka_object *o, bool cluster_binding)
{
    const ka_node *subs = field(o->root, "subjects");
    for (uint32_t i = 0; ka_is_seq(subs) && i < ka_node_n(subs); i++) {
        const ka_node *s = KA_SEQ_ITEM(subs, i);
        if (!ka_str_eqc(ka_node_str(field(s, "kind")), "ServiceAccount"))
            continue; /* users and groups live outside the cluster's objects */
        const ka_node *name = field(s, "name");
        ka_str n = ka_node_str(name), ns = ka_node_str(field(s, "namespace"));
        if (!n.n)
            continue;
        if (!ns.n) {
            if (cluster_binding) {
                ka_report(ctx, o, name, NULL,
                          "ServiceAccount subject %.*s has no namespace; a ClusterRoleBinding "
                          "must name it (the API server rejects the binding)",
                          (int)n.n, n.p);
                continue;
            }
            ns = o->ns;
        }
        if (ka_str_eqc(n, "default") || ka_present(ctx, "ServiceAccount", ns, n))
            continue;
        ka_report(ctx, o, name, NULL, "subject ServiceAccount %.*s/%.*s is not in the input",
                  (int)ns.n, ns.p, (int)n.n, n.p);
    }
}

void ka_rule_rbac010(ka_ctx *ctx, const ka_object *o)
{
    bool cluster_binding = ka_kind_is(o, "ClusterRoleBinding");
    check_role_ref(ctx, o, cluster_binding);
    check_subjects(ctx, o, cluster_binding);
}
