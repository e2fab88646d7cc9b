/*
 * identity.c - which kinds are cluster-scoped, and how objects are named in
 * messages. The table covers the built-in API groups plus the cluster-scoped
 * kinds of the add-ons kubearch designs for (cert-manager, Gateway API,
 * Karpenter, Karmada, Kyverno, Gatekeeper, snapshots, Cluster API).
 */
#include "kubearch/object.h"

#include <string.h>

typedef struct scoped_kind {
    const char *group; /* NULL: any group */
    const char *kind;
} scoped_kind;

static const scoped_kind cluster_kinds[] = {
    { "", "Namespace" },
    { "", "Node" },
    { "", "PersistentVolume" },
    { "", "ComponentStatus" },
    { "rbac.authorization.k8s.io", "ClusterRole" },
    { "rbac.authorization.k8s.io", "ClusterRoleBinding" },
    { "storage.k8s.io", "StorageClass" },
    { "storage.k8s.io", "CSIDriver" },
    { "storage.k8s.io", "CSINode" },
    { "storage.k8s.io", "VolumeAttachment" },
    { "storage.k8s.io", "VolumeAttributesClass" },
    { "apiextensions.k8s.io", "CustomResourceDefinition" },
    { "apiregistration.k8s.io", "APIService" },
    { "scheduling.k8s.io", "PriorityClass" },
    { "networking.k8s.io", "IngressClass" },
    { "networking.k8s.io", "IPAddress" },
    { "networking.k8s.io", "ServiceCIDR" },
    { "extensions", "PodSecurityPolicy" },
    { "policy", "PodSecurityPolicy" },
    { "node.k8s.io", "RuntimeClass" },
    { "admissionregistration.k8s.io", "ValidatingWebhookConfiguration" },
    { "admissionregistration.k8s.io", "MutatingWebhookConfiguration" },
    { "admissionregistration.k8s.io", "ValidatingAdmissionPolicy" },
    { "admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding" },
    { "admissionregistration.k8s.io", "MutatingAdmissionPolicy" },
    { "admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding" },
    { "certificates.k8s.io", "CertificateSigningRequest" },
    { "certificates.k8s.io", "ClusterTrustBundle" },
    { "flowcontrol.apiserver.k8s.io", "FlowSchema" },
    { "flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration" },
    { "resource.k8s.io", "DeviceClass" },
    { "snapshot.storage.k8s.io", "VolumeSnapshotClass" },
    { "snapshot.storage.k8s.io", "VolumeSnapshotContent" },
    { "cert-manager.io", "ClusterIssuer" },
    { "gateway.networking.k8s.io", "GatewayClass" },
    { "policy.networking.k8s.io", "AdminNetworkPolicy" },
    { "policy.networking.k8s.io", "BaselineAdminNetworkPolicy" },
    { "karpenter.sh", "NodePool" },
    { "karpenter.sh", "NodeClaim" },
    { "karpenter.k8s.aws", "EC2NodeClass" },
    { "policy.karmada.io", "ClusterPropagationPolicy" },
    { "policy.karmada.io", "ClusterOverridePolicy" },
    { "cluster.karmada.io", "Cluster" },
    { "kyverno.io", "ClusterPolicy" },
    { "kyverno.io", "ClusterCleanupPolicy" },
    { "wgpolicyk8s.io", "ClusterPolicyReport" },
    { "templates.gatekeeper.sh", "ConstraintTemplate" },
    { "constraints.gatekeeper.sh", NULL },
    { "config.gatekeeper.sh", "Config" },
    { "cilium.io", "CiliumClusterwideNetworkPolicy" },
    { "crd.projectcalico.org", "GlobalNetworkPolicy" },
    { "projectcalico.org", "GlobalNetworkPolicy" },
    { "clusterctl.cluster.x-k8s.io", "Provider" },
};

/* Built-in groups: an unlisted kind of these groups is namespaced. */
static const char *const builtin_groups[] = {
    "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
    "storage.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "extensions",
    "scheduling.k8s.io", "node.k8s.io", "admissionregistration.k8s.io", "certificates.k8s.io",
    "authorization.k8s.io", "authentication.k8s.io", "apiextensions.k8s.io",
    "apiregistration.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
    "storagemigration.k8s.io", "internal.apiserver.k8s.io",
    /* add-ons whose remaining kinds are namespaced */
    "monitoring.coreos.com", "cert-manager.io", "acme.cert-manager.io", "gateway.networking.k8s.io",
    "snapshot.storage.k8s.io", "velero.io", "cluster.x-k8s.io", "controlplane.cluster.x-k8s.io",
    "bootstrap.cluster.x-k8s.io", "infrastructure.cluster.x-k8s.io", "policy.karmada.io",
    "argoproj.io", "kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io",
    "helm.toolkit.fluxcd.io", "kyverno.io", "cilium.io", "crd.projectcalico.org",
    "networking.istio.io", "security.istio.io", "keda.sh", "metallb.io",
};

ka_scope ka_kind_scope(ka_str group, ka_str kind)
{
    for (size_t i = 0; i < sizeof cluster_kinds / sizeof *cluster_kinds; i++) {
        const scoped_kind *k = &cluster_kinds[i];
        if (!ka_str_eqc(group, k->group))
            continue;
        if (!k->kind || ka_str_eqc(kind, k->kind))
            return KA_SCOPE_CLUSTER;
    }
    /* "List" wrappers never reach here; kinds with an empty name are unknown. */
    if (!kind.n)
        return KA_SCOPE_UNKNOWN;
    for (size_t i = 0; i < sizeof builtin_groups / sizeof *builtin_groups; i++)
        if (ka_str_eqc(group, builtin_groups[i]))
            return KA_SCOPE_NAMESPACED;
    return KA_SCOPE_UNKNOWN;
}

void ka_object_ref(const ka_object *o, ka_buf *out)
{
    ka_buf_addstr(out, o->kind.n ? o->kind : KA_STR("<no kind>"));
    ka_buf_addc(out, '/');
    if (o->ns.n) {
        ka_buf_addstr(out, o->ns);
        ka_buf_addc(out, '/');
    }
    ka_buf_addstr(out, o->name.n ? o->name : KA_STR("<no name>"));
}
