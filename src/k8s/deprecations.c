/*
 * deprecations.c - deprecated and removed API versions.
 *
 * Data: Pluto's versions.yaml as summarised in
 * /work/shared/reference/deprecated-apis-pluto.txt (Kubernetes and
 * cert-manager rows), cross-checked with the Kubernetes deprecation guide:
 *  - Pluto lists flowcontrol.apiserver.k8s.io/v1beta1 once under a kind
 *    "FlowControl" (1.23 / 1.26) and again for FlowSchema and
 *    PriorityLevelConfiguration (1.24 / 1.29). The API server stopped serving
 *    v1beta1 in 1.26 (deprecation guide, GKE 1.26 notes), so both kinds use
 *    1.23 / 1.26 here.
 *  - node.k8s.io/v1alpha1 RuntimeClass is not in Pluto's data; Kubernetes
 *    1.24 stopped serving it (CHANGELOG-1.24, kubernetes#103061). Its
 *    deprecation release is not recorded, so only the removal is.
 * Istio rows of Pluto are left out (no target version of Istio to judge them).
 */
#include "deprecations.h"

#include <string.h>

#define V(ma, mi) KA_API_VERSION(ma, mi)
#define NEVER 0
#define K8S(g, v, k, dep, rem, repl) { g, v, k, "Kubernetes", dep, rem, repl, "" }
#define K8SN(g, v, k, dep, rem, repl, note) { g, v, k, "Kubernetes", dep, rem, repl, note }
#define CM(g, v, k, dep, rem, repl) { g, v, k, "cert-manager", dep, rem, repl, "" }

static const ka_deprecation table[] = {
    /* apps: extensions/v1beta1, apps/v1beta1, apps/v1beta2 (1.9 -> 1.16) */
    K8S("extensions", "v1beta1", "Deployment", V(1, 9), V(1, 16), "apps/v1"),
    K8S("apps", "v1beta1", "Deployment", V(1, 9), V(1, 16), "apps/v1"),
    K8S("apps", "v1beta2", "Deployment", V(1, 9), V(1, 16), "apps/v1"),
    K8S("apps", "v1beta1", "StatefulSet", V(1, 9), V(1, 16), "apps/v1"),
    K8S("apps", "v1beta2", "StatefulSet", V(1, 9), V(1, 16), "apps/v1"),
    K8S("extensions", "v1beta1", "DaemonSet", V(1, 9), V(1, 16), "apps/v1"),
    K8S("apps", "v1beta2", "DaemonSet", V(1, 9), V(1, 16), "apps/v1"),
    K8S("extensions", "v1beta1", "ReplicaSet", NEVER, V(1, 16), "apps/v1"),
    K8S("apps", "v1beta1", "ReplicaSet", NEVER, V(1, 16), "apps/v1"),
    K8S("apps", "v1beta2", "ReplicaSet", NEVER, V(1, 16), "apps/v1"),
    K8S("extensions", "v1beta1", "NetworkPolicy", V(1, 9), V(1, 16), "networking.k8s.io/v1"),
    K8SN("extensions", "v1beta1", "PodSecurityPolicy", V(1, 10), V(1, 16), "policy/v1beta1",
         "PodSecurityPolicy itself was removed in v1.25; use Pod Security Admission"),
    /* scheduling */
    K8S("scheduling.k8s.io", "v1alpha1", "PriorityClass", V(1, 14), V(1, 17), "scheduling.k8s.io/v1"),
    K8S("scheduling.k8s.io", "v1beta1", "PriorityClass", V(1, 14), V(1, 22), "scheduling.k8s.io/v1"),
    /* 1.22 removals */
    K8S("extensions", "v1beta1", "Ingress", V(1, 14), V(1, 22), "networking.k8s.io/v1"),
    K8S("networking.k8s.io", "v1beta1", "Ingress", V(1, 19), V(1, 22), "networking.k8s.io/v1"),
    K8S("networking.k8s.io", "v1beta1", "IngressClass", V(1, 19), V(1, 22), "networking.k8s.io/v1"),
    K8S("apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition", V(1, 16), V(1, 22),
        "apiextensions.k8s.io/v1"),
    K8S("admissionregistration.k8s.io", "v1beta1", "MutatingWebhookConfiguration", V(1, 16), V(1, 22),
        "admissionregistration.k8s.io/v1"),
    K8S("admissionregistration.k8s.io", "v1beta1", "ValidatingWebhookConfiguration", V(1, 16),
        V(1, 22), "admissionregistration.k8s.io/v1"),
#define RBAC(ver, kind) \
    K8S("rbac.authorization.k8s.io", ver, kind, V(1, 17), V(1, 22), "rbac.authorization.k8s.io/v1")
    RBAC("v1alpha1", "ClusterRole"), RBAC("v1alpha1", "ClusterRoleBinding"),
    RBAC("v1alpha1", "Role"), RBAC("v1alpha1", "RoleBinding"),
    RBAC("v1alpha1", "ClusterRoleList"), RBAC("v1alpha1", "ClusterRoleBindingList"),
    RBAC("v1alpha1", "RoleList"), RBAC("v1alpha1", "RoleBindingList"),
    RBAC("v1beta1", "ClusterRole"), RBAC("v1beta1", "ClusterRoleBinding"),
    RBAC("v1beta1", "Role"), RBAC("v1beta1", "RoleBinding"),
    RBAC("v1beta1", "ClusterRoleList"), RBAC("v1beta1", "ClusterRoleBindingList"),
    RBAC("v1beta1", "RoleList"), RBAC("v1beta1", "RoleBindingList"),
#undef RBAC
    K8S("storage.k8s.io", "v1beta1", "CSINode", V(1, 17), V(1, 22), "storage.k8s.io/v1"),
    K8S("storage.k8s.io", "v1beta1", "CSIDriver", V(1, 19), V(1, 22), "storage.k8s.io/v1"),
    K8S("storage.k8s.io", "v1beta1", "StorageClass", V(1, 6), V(1, 22), "storage.k8s.io/v1"),
    K8S("storage.k8s.io", "v1beta1", "VolumeAttachment", V(1, 13), V(1, 22), "storage.k8s.io/v1"),
    K8S("apiregistration.k8s.io", "v1beta1", "APIService", V(1, 10), V(1, 22), "apiregistration.k8s.io/v1"),
    K8S("authentication.k8s.io", "v1beta1", "TokenReview", V(1, 6), V(1, 22), "authentication.k8s.io/v1"),
    K8S("certificates.k8s.io", "v1beta1", "CertificateSigningRequest", V(1, 19), V(1, 22),
        "certificates.k8s.io/v1"),
    K8S("coordination.k8s.io", "v1beta1", "Lease", V(1, 14), V(1, 22), "coordination.k8s.io/v1"),
    /* audit policy files read by kube-apiserver (1.21 -> 1.24) */
#define AUDIT(ver, kind) K8S("audit.k8s.io", ver, kind, V(1, 21), V(1, 24), "audit.k8s.io/v1")
    AUDIT("v1alpha1", "Policy"), AUDIT("v1alpha1", "PolicyList"),
    AUDIT("v1alpha1", "Event"), AUDIT("v1alpha1", "EventList"),
    AUDIT("v1beta1", "Policy"), AUDIT("v1beta1", "PolicyList"),
    AUDIT("v1beta1", "Event"), AUDIT("v1beta1", "EventList"),
#undef AUDIT
    K8S("node.k8s.io", "v1alpha1", "RuntimeClass", NEVER, V(1, 24), "node.k8s.io/v1"),
    /* 1.25 removals */
    K8SN("policy", "v1beta1", "PodSecurityPolicy", V(1, 21), V(1, 25), "",
         "there is no replacement API; use Pod Security Admission"),
    K8S("policy", "v1beta1", "PodDisruptionBudget", V(1, 21), V(1, 25), "policy/v1"),
    K8S("policy", "v1beta1", "PodDisruptionBudgetList", V(1, 21), V(1, 25), "policy/v1"),
    K8S("batch", "v1beta1", "CronJob", V(1, 21), V(1, 25), "batch/v1"),
    K8S("batch", "v1beta1", "CronJobList", V(1, 21), V(1, 25), "batch/v1"),
    K8S("autoscaling", "v2beta1", "HorizontalPodAutoscaler", V(1, 22), V(1, 25), "autoscaling/v2"),
    K8S("autoscaling", "v2beta1", "HorizontalPodAutoscalerList", V(1, 22), V(1, 25), "autoscaling/v2"),
    K8S("discovery.k8s.io", "v1beta1", "EndpointSlice", V(1, 21), V(1, 25), "discovery.k8s.io/v1"),
    K8S("events.k8s.io", "v1beta1", "Event", V(1, 19), V(1, 25), "events.k8s.io/v1"),
    K8S("node.k8s.io", "v1beta1", "RuntimeClass", V(1, 22), V(1, 25), "node.k8s.io/v1"),
    /* 1.26 removals */
    K8S("autoscaling", "v2beta2", "HorizontalPodAutoscaler", V(1, 23), V(1, 26), "autoscaling/v2"),
    K8S("autoscaling", "v2beta2", "HorizontalPodAutoscalerList", V(1, 23), V(1, 26), "autoscaling/v2"),
    K8S("flowcontrol.apiserver.k8s.io", "v1beta1", "FlowSchema", V(1, 23), V(1, 26),
        "flowcontrol.apiserver.k8s.io/v1"),
    K8S("flowcontrol.apiserver.k8s.io", "v1beta1", "PriorityLevelConfiguration", V(1, 23), V(1, 26),
        "flowcontrol.apiserver.k8s.io/v1"),
    /* 1.27 and later */
    K8S("storage.k8s.io", "v1beta1", "CSIStorageCapacity", V(1, 24), V(1, 27), "storage.k8s.io/v1"),
    K8S("flowcontrol.apiserver.k8s.io", "v1beta2", "FlowSchema", V(1, 24), V(1, 29),
        "flowcontrol.apiserver.k8s.io/v1"),
    K8S("flowcontrol.apiserver.k8s.io", "v1beta2", "PriorityLevelConfiguration", V(1, 24), V(1, 29),
        "flowcontrol.apiserver.k8s.io/v1"),
    K8S("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema", V(1, 24), V(1, 32),
        "flowcontrol.apiserver.k8s.io/v1"),
    K8S("flowcontrol.apiserver.k8s.io", "v1beta3", "PriorityLevelConfiguration", V(1, 31), V(1, 32),
        "flowcontrol.apiserver.k8s.io/v1"),
    K8S("admissionregistration.k8s.io", "v1alpha1", "ValidatingAdmissionPolicy", V(1, 28), V(1, 33),
        "admissionregistration.k8s.io/v1"),
    K8S("admissionregistration.k8s.io", "v1alpha1", "ValidatingAdmissionPolicyBinding", V(1, 28),
        V(1, 33), "admissionregistration.k8s.io/v1"),
#define DRA(ver, kind, dep, rem, repl) K8S("resource.k8s.io", ver, kind, dep, rem, repl)
    DRA("v1alpha3", "ResourceSlice", V(1, 32), V(1, 34), "resource.k8s.io/v1"),
    DRA("v1alpha3", "ResourceClaim", V(1, 32), V(1, 34), "resource.k8s.io/v1"),
    DRA("v1alpha3", "DeviceClass", V(1, 32), V(1, 34), "resource.k8s.io/v1"),
    DRA("v1alpha3", "ResourceClaimTemplate", V(1, 32), V(1, 34), "resource.k8s.io/v1"),
    DRA("v1beta1", "ResourceSlice", V(1, 33), V(1, 36), "resource.k8s.io/v1beta2"),
    DRA("v1beta1", "ResourceClaim", V(1, 33), V(1, 36), "resource.k8s.io/v1beta2"),
    DRA("v1beta1", "DeviceClass", V(1, 33), V(1, 36), "resource.k8s.io/v1beta2"),
    DRA("v1beta1", "ResourceClaimTemplate", V(1, 33), V(1, 36), "resource.k8s.io/v1beta2"),
#undef DRA
    K8S("storage.k8s.io", "v1alpha1", "VolumeAttributesClass", V(1, 31), V(1, 35), "storage.k8s.io/v1"),
    K8S("storage.k8s.io", "v1beta1", "VolumeAttributesClass", V(1, 34), NEVER, "storage.k8s.io/v1"),
    K8S("storagemigration.k8s.io", "v1alpha1", "StorageVersionMigration", V(1, 35), V(1, 35),
        "storagemigration.k8s.io/v1beta1"),

    /* cert-manager (versions are cert-manager releases). Pluto names
     * cert-manager.io/v1alpha2 as the successor of certmanager.k8s.io and
     * cert-manager.io/v1 for the ACME kinds; the served successors today are
     * cert-manager.io/v1 and acme.cert-manager.io/v1. */
    CM("certmanager.k8s.io", "v1alpha1", "Order", V(0, 11), V(0, 11), "acme.cert-manager.io/v1"),
    CM("certmanager.k8s.io", "v1alpha1", "Challenge", V(0, 11), V(0, 11), "acme.cert-manager.io/v1"),
    CM("certmanager.k8s.io", "v1alpha1", NULL, V(0, 11), V(0, 11), "cert-manager.io/v1"),
#define CM3(group, kind)                                              \
    CM(group, "v1alpha2", kind, V(1, 4), V(1, 6), "cert-manager.io/v1"), \
    CM(group, "v1alpha3", kind, V(1, 4), V(1, 6), "cert-manager.io/v1"), \
    CM(group, "v1beta1", kind, V(1, 4), V(1, 6), "cert-manager.io/v1")
    CM3("cert-manager.io", "Certificate"),
    CM3("cert-manager.io", "Issuer"),
    CM3("cert-manager.io", "ClusterIssuer"),
    CM3("cert-manager.io", "CertificateRequest"),
#undef CM3
#define ACME3(kind)                                                                   \
    CM("acme.cert-manager.io", "v1alpha2", kind, V(1, 4), V(1, 6), "acme.cert-manager.io/v1"), \
    CM("acme.cert-manager.io", "v1alpha3", kind, V(1, 4), V(1, 6), "acme.cert-manager.io/v1"), \
    CM("acme.cert-manager.io", "v1beta1", kind, V(1, 4), V(1, 6), "acme.cert-manager.io/v1")
    ACME3("Order"),
    ACME3("Challenge"),
#undef ACME3
};

#define NTABLE (sizeof table / sizeof table[0])

size_t ka_deprecations_count(void)
{
    return NTABLE;
}

const ka_deprecation *ka_deprecation_at(size_t i)
{
    return i < NTABLE ? &table[i] : NULL;
}

/* "v1", "v2": every row of the table is a pre-release version, so most
 * objects are answered without a scan (a unit test keeps that true). */
bool ka_api_version_is_ga(ka_str version)
{
    if (version.n < 2 || version.p[0] != 'v')
        return false;
    for (size_t i = 1; i < version.n; i++)
        if (version.p[i] < '0' || version.p[i] > '9')
            return false;
    return true;
}

const ka_deprecation *ka_deprecation_find(ka_str group, ka_str version, ka_str kind)
{
    if (ka_api_version_is_ga(version))
        return NULL;
    for (size_t i = 0; i < NTABLE; i++) {
        const ka_deprecation *d = &table[i];
        if (ka_str_eqc(group, d->group) && ka_str_eqc(version, d->version) &&
            (!d->kind || ka_str_eqc(kind, d->kind)))
            return d;
    }
    return NULL;
}

bool ka_deprecation_is_kubernetes(const ka_deprecation *d)
{
    return strcmp(d->component, "Kubernetes") == 0;
}

ka_api_status ka_deprecation_status(const ka_deprecation *d, int major, int minor)
{
    if (!ka_deprecation_is_kubernetes(d))
        return d->removed ? KA_API_REMOVED : KA_API_DEPRECATED;
    int target = KA_API_VERSION(major, minor);
    if (d->removed && d->removed <= target)
        return KA_API_REMOVED;
    if (d->deprecated && d->deprecated <= target)
        return KA_API_DEPRECATED;
    return KA_API_SERVED;
}
