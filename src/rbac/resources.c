/*
 * resources.c - the built-in API resources that RBAC questions name: group,
 * plural, singular, short names and scope, as the API server's discovery
 * documents list them (kubectl api-resources). It lets `rbac can ... create
 * deploy` mean deployments in group apps, and tells whether a RoleBinding
 * can grant the resource at all (cluster-scoped ones it cannot). The
 * impersonation and CSR-signer "resources" (users, groups, uids, userextras,
 * signers) are not served, but the API server checks them with RBAC, so they
 * are listed too.
 */
#include "rbac_int.h"

#include <string.h>
#include <strings.h>

typedef struct res_row {
    const char *group, *plural, *singular, *shorts; /* shorts: comma-separated */
    bool namespaced;
} res_row;

/* Core group first: a bare name that several groups define (events) means
 * the core one, as kubectl resolves it. */
static const res_row rows[] = {
    { "", "pods", "pod", "po", true },
    { "", "services", "service", "svc", true },
    { "", "endpoints", "endpoints", "ep", true },
    { "", "configmaps", "configmap", "cm", true },
    { "", "secrets", "secret", "", true },
    { "", "serviceaccounts", "serviceaccount", "sa", true },
    { "", "persistentvolumeclaims", "persistentvolumeclaim", "pvc", true },
    { "", "events", "event", "ev", true },
    { "", "limitranges", "limitrange", "limits", true },
    { "", "resourcequotas", "resourcequota", "quota", true },
    { "", "replicationcontrollers", "replicationcontroller", "rc", true },
    { "", "podtemplates", "podtemplate", "", true },
    { "", "bindings", "binding", "", true },
    { "", "namespaces", "namespace", "ns", false },
    { "", "nodes", "node", "no", false },
    { "", "persistentvolumes", "persistentvolume", "pv", false },
    { "", "componentstatuses", "componentstatus", "cs", false },
    { "", "users", "user", "", false },
    { "", "groups", "group", "", false },
    { "apps", "deployments", "deployment", "deploy", true },
    { "apps", "replicasets", "replicaset", "rs", true },
    { "apps", "statefulsets", "statefulset", "sts", true },
    { "apps", "daemonsets", "daemonset", "ds", true },
    { "apps", "controllerrevisions", "controllerrevision", "", true },
    { "batch", "jobs", "job", "", true },
    { "batch", "cronjobs", "cronjob", "cj", true },
    { "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscaler", "hpa", true },
    { "policy", "poddisruptionbudgets", "poddisruptionbudget", "pdb", true },
    { "networking.k8s.io", "ingresses", "ingress", "ing", true },
    { "networking.k8s.io", "networkpolicies", "networkpolicy", "netpol", true },
    { "networking.k8s.io", "ingressclasses", "ingressclass", "", false },
    { "discovery.k8s.io", "endpointslices", "endpointslice", "", true },
    { "coordination.k8s.io", "leases", "lease", "", true },
    { "events.k8s.io", "events", "event", "ev", true },
    { KA_RBAC_API_GROUP, "roles", "role", "", true },
    { KA_RBAC_API_GROUP, "rolebindings", "rolebinding", "", true },
    { KA_RBAC_API_GROUP, "clusterroles", "clusterrole", "", false },
    { KA_RBAC_API_GROUP, "clusterrolebindings", "clusterrolebinding", "", false },
    { "storage.k8s.io", "storageclasses", "storageclass", "sc", false },
    { "storage.k8s.io", "csidrivers", "csidriver", "", false },
    { "storage.k8s.io", "csinodes", "csinode", "", false },
    { "storage.k8s.io", "volumeattachments", "volumeattachment", "", false },
    { "storage.k8s.io", "csistoragecapacities", "csistoragecapacity", "", true },
    { "apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition", "crd,crds", false },
    { "apiregistration.k8s.io", "apiservices", "apiservice", "", false },
    { "admissionregistration.k8s.io", "validatingwebhookconfigurations", "validatingwebhookconfiguration", "", false },
    { "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", "", false },
    { "admissionregistration.k8s.io", "validatingadmissionpolicies", "validatingadmissionpolicy", "", false },
    { "admissionregistration.k8s.io", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", "", false },
    { "admissionregistration.k8s.io", "mutatingadmissionpolicies", "mutatingadmissionpolicy", "", false },
    { "admissionregistration.k8s.io", "mutatingadmissionpolicybindings", "mutatingadmissionpolicybinding", "", false },
    { "certificates.k8s.io", "certificatesigningrequests", "certificatesigningrequest", "csr", false },
    { "certificates.k8s.io", "clustertrustbundles", "clustertrustbundle", "", false },
    { "certificates.k8s.io", "signers", "signer", "", false },
    { "scheduling.k8s.io", "priorityclasses", "priorityclass", "pc", false },
    { "node.k8s.io", "runtimeclasses", "runtimeclass", "", false },
    { "flowcontrol.apiserver.k8s.io", "flowschemas", "flowschema", "", false },
    { "flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations", "prioritylevelconfiguration", "", false },
    { "authentication.k8s.io", "tokenreviews", "tokenreview", "", false },
    { "authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview", "", false },
    { "authentication.k8s.io", "uids", "uid", "", false },
    { "authentication.k8s.io", "userextras", "userextra", "", false },
    { "authorization.k8s.io", "subjectaccessreviews", "subjectaccessreview", "", false },
    { "authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview", "", false },
    { "authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview", "", false },
    { "authorization.k8s.io", "localsubjectaccessreviews", "localsubjectaccessreview", "", true },
    { "resource.k8s.io", "resourceclaims", "resourceclaim", "", true },
    { "resource.k8s.io", "resourceclaimtemplates", "resourceclaimtemplate", "", true },
    { "resource.k8s.io", "deviceclasses", "deviceclass", "", false },
    { "resource.k8s.io", "resourceslices", "resourceslice", "", false },
};

static bool word_in_list(ka_str w, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n == w.n && strncasecmp(p, w.p, n) == 0)
            return true;
        if (!q)
            break;
        p = q + 1;
    }
    return false;
}

static bool names_row(const res_row *r, ka_str w)
{
    /* plural and short names as kubectl takes them; singular and kind
     * (Deployment) case-insensitively */
    if (ka_str_eqc(w, r->plural))
        return true;
    if (strlen(r->singular) == w.n && strncasecmp(r->singular, w.p, w.n) == 0)
        return true;
    return word_in_list(w, r->shorts);
}

bool ka_rbac__resource_lookup(ka_str word, ka_str want_group, ka_str *group, ka_str *plural,
                              int *namespaced)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const res_row *r = &rows[i];
        if (want_group.p && !ka_str_eqc(want_group, r->group))
            continue;
        if (!names_row(r, word))
            continue;
        *group = ka_str_c(r->group);
        *plural = ka_str_c(r->plural);
        *namespaced = r->namespaced ? 1 : 0;
        return true;
    }
    return false;
}
