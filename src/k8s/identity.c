/*
 * identity.c - which kinds are cluster-scoped, and how objects are named in
 * messages. The table covers the built-in API groups plus the cluster-scoped
 * kinds of the add-ons kubearch designs for (cert-manager, Gateway API,
 * Karpenter, Karmada, Kyverno, Gatekeeper, snapshots, Cluster API).
 */
#include "kubearch/object.h"

#include <string.h>

/* Lengths are stored (this is asked for every object loaded): ka_str
 * initialisers, as KA_STR cannot appear in a static table. */
#define L(s) { s, sizeof s - 1 }

typedef struct scoped_kind {
    ka_str group;
    ka_str kind;   /* p NULL: every kind of the group */
} scoped_kind;

static const scoped_kind cluster_kinds[] = {
    { L(""), L("Namespace") },
    { L(""), L("Node") },
    { L(""), L("PersistentVolume") },
    { L(""), L("ComponentStatus") },
    { L("rbac.authorization.k8s.io"), L("ClusterRole") },
    { L("rbac.authorization.k8s.io"), L("ClusterRoleBinding") },
    { L("storage.k8s.io"), L("StorageClass") },
    { L("storage.k8s.io"), L("CSIDriver") },
    { L("storage.k8s.io"), L("CSINode") },
    { L("storage.k8s.io"), L("VolumeAttachment") },
    { L("storage.k8s.io"), L("VolumeAttributesClass") },
    { L("apiextensions.k8s.io"), L("CustomResourceDefinition") },
    { L("apiregistration.k8s.io"), L("APIService") },
    { L("scheduling.k8s.io"), L("PriorityClass") },
    { L("networking.k8s.io"), L("IngressClass") },
    { L("networking.k8s.io"), L("IPAddress") },
    { L("networking.k8s.io"), L("ServiceCIDR") },
    { L("extensions"), L("PodSecurityPolicy") },
    { L("policy"), L("PodSecurityPolicy") },
    { L("node.k8s.io"), L("RuntimeClass") },
    { L("admissionregistration.k8s.io"), L("ValidatingWebhookConfiguration") },
    { L("admissionregistration.k8s.io"), L("MutatingWebhookConfiguration") },
    { L("admissionregistration.k8s.io"), L("ValidatingAdmissionPolicy") },
    { L("admissionregistration.k8s.io"), L("ValidatingAdmissionPolicyBinding") },
    { L("admissionregistration.k8s.io"), L("MutatingAdmissionPolicy") },
    { L("admissionregistration.k8s.io"), L("MutatingAdmissionPolicyBinding") },
    { L("certificates.k8s.io"), L("CertificateSigningRequest") },
    { L("certificates.k8s.io"), L("ClusterTrustBundle") },
    { L("flowcontrol.apiserver.k8s.io"), L("FlowSchema") },
    { L("flowcontrol.apiserver.k8s.io"), L("PriorityLevelConfiguration") },
    { L("resource.k8s.io"), L("DeviceClass") },
    { L("snapshot.storage.k8s.io"), L("VolumeSnapshotClass") },
    { L("snapshot.storage.k8s.io"), L("VolumeSnapshotContent") },
    { L("cert-manager.io"), L("ClusterIssuer") },
    { L("gateway.networking.k8s.io"), L("GatewayClass") },
    { L("policy.networking.k8s.io"), L("AdminNetworkPolicy") },
    { L("policy.networking.k8s.io"), L("BaselineAdminNetworkPolicy") },
    { L("karpenter.sh"), L("NodePool") },
    { L("karpenter.sh"), L("NodeClaim") },
    { L("karpenter.k8s.aws"), L("EC2NodeClass") },
    { L("policy.karmada.io"), L("ClusterPropagationPolicy") },
    { L("policy.karmada.io"), L("ClusterOverridePolicy") },
    { L("cluster.karmada.io"), L("Cluster") },
    { L("kyverno.io"), L("ClusterPolicy") },
    { L("kyverno.io"), L("ClusterCleanupPolicy") },
    { L("wgpolicyk8s.io"), L("ClusterPolicyReport") },
    { L("templates.gatekeeper.sh"), L("ConstraintTemplate") },
    { L("constraints.gatekeeper.sh"), { NULL, 0 } },
    { L("config.gatekeeper.sh"), L("Config") },
    { L("cilium.io"), L("CiliumClusterwideNetworkPolicy") },
    { L("crd.projectcalico.org"), L("GlobalNetworkPolicy") },
    { L("projectcalico.org"), L("GlobalNetworkPolicy") },
    { L("clusterctl.cluster.x-k8s.io"), L("Provider") },
};

/* Built-in groups: an unlisted kind of these groups is namespaced. */
static const ka_str builtin_groups[] = {
    L(""), L("apps"), L("batch"), L("autoscaling"), L("policy"), L("networking.k8s.io"),
    L("rbac.authorization.k8s.io"), L("storage.k8s.io"), L("coordination.k8s.io"),
    L("discovery.k8s.io"), L("events.k8s.io"), L("extensions"), L("scheduling.k8s.io"),
    L("node.k8s.io"), L("admissionregistration.k8s.io"), L("certificates.k8s.io"),
    L("authorization.k8s.io"), L("authentication.k8s.io"), L("apiextensions.k8s.io"),
    L("apiregistration.k8s.io"), L("flowcontrol.apiserver.k8s.io"), L("resource.k8s.io"),
    L("storagemigration.k8s.io"), L("internal.apiserver.k8s.io"),
    /* add-ons whose remaining kinds are namespaced */
    L("monitoring.coreos.com"), L("cert-manager.io"), L("acme.cert-manager.io"),
    L("gateway.networking.k8s.io"), L("snapshot.storage.k8s.io"), L("velero.io"),
    L("cluster.x-k8s.io"), L("controlplane.cluster.x-k8s.io"), L("bootstrap.cluster.x-k8s.io"),
    L("infrastructure.cluster.x-k8s.io"), L("policy.karmada.io"), L("argoproj.io"),
    L("kustomize.toolkit.fluxcd.io"), L("source.toolkit.fluxcd.io"), L("helm.toolkit.fluxcd.io"),
    L("kyverno.io"), L("cilium.io"), L("crd.projectcalico.org"), L("networking.istio.io"),
    L("security.istio.io"), L("keda.sh"), L("metallb.io"),
};

ka_scope ka_kind_scope(ka_str group, ka_str kind)
{
    for (size_t i = 0; i < sizeof cluster_kinds / sizeof *cluster_kinds; i++) {
        const scoped_kind *k = &cluster_kinds[i];
        if (!ka_str_eq(group, k->group))
            continue;
        if (!k->kind.p || ka_str_eq(kind, k->kind))
            return KA_SCOPE_CLUSTER;
    }
    /* "List" wrappers never reach here; kinds with an empty name are unknown. */
    if (!kind.n)
        return KA_SCOPE_UNKNOWN;
    for (size_t i = 0; i < sizeof builtin_groups / sizeof *builtin_groups; i++)
        if (ka_str_eq(group, builtin_groups[i]))
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
