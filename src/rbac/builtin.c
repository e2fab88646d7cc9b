/*
 * builtin.c - the default ClusterRoles and ClusterRoleBindings an API server
 * creates at start (plugin/pkg/auth/authorizer/rbac/bootstrappolicy, as of
 * Kubernetes 1.33), restated as data. Only the roles that user manifests bind
 * (cluster-admin, admin, edit, view and the roles they aggregate) and the
 * bindings that give every user or every ServiceAccount something are
 * included; component roles (system:kube-scheduler, system:controller:*, ...)
 * are not, since manifests that bind them are rare and a cluster dump
 * carries them anyway. Input objects with the same name replace these.
 */
#include "rbac_int.h"

#define RW "[get, list, watch, create, update, patch, delete, deletecollection]"
#define W "[create, update, patch, delete, deletecollection]"
#define R "[get, list, watch]"
#define META(name) "metadata: {name: \"" name "\", labels: {kubernetes.io/bootstrapping: rbac-defaults"
#define CR "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
#define CRB "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
#define REF(name) "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: \"" name "\"}\n"
#define GROUP(g) "{apiGroup: rbac.authorization.k8s.io, kind: Group, name: \"" g "\"}"

const char ka_rbac__builtin_yaml[] =
    CR META("cluster-admin") "}}\n"
    "rules:\n"
    "- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n"
    "- {nonResourceURLs: ['*'], verbs: ['*']}\n"

    CR META("admin") "}}\n"
    "aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-admin: \"true\"}}]}\n"

    CR META("edit") ", rbac.authorization.k8s.io/aggregate-to-admin: \"true\"}}\n"
    "aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: \"true\"}}]}\n"

    CR META("view") ", rbac.authorization.k8s.io/aggregate-to-edit: \"true\"}}\n"
    "aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: \"true\"}}]}\n"

    CR META("system:aggregate-to-admin") ", rbac.authorization.k8s.io/aggregate-to-admin: \"true\"}}\n"
    "rules:\n"
    "- {apiGroups: [authorization.k8s.io], resources: [localsubjectaccessreviews], verbs: [create]}\n"
    "- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles], verbs: " RW "}\n"

    CR META("system:aggregate-to-edit") ", rbac.authorization.k8s.io/aggregate-to-edit: \"true\"}}\n"
    "rules:\n"
    "- {apiGroups: [''], resources: [pods/attach, pods/exec, pods/portforward, pods/proxy, secrets, services/proxy], verbs: " R "}\n"
    "- {apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}\n"
    "- {apiGroups: [''], resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy], verbs: " W "}\n"
    "- {apiGroups: [''], resources: [pods/eviction], verbs: [create]}\n"
    "- {apiGroups: [''], resources: [configmaps, events, persistentvolumeclaims, replicationcontrollers, "
    "replicationcontrollers/scale, secrets, serviceaccounts, services, services/proxy], verbs: " W "}\n"
    "- {apiGroups: [''], resources: [serviceaccounts/token], verbs: [create]}\n"
    "- {apiGroups: [apps], resources: [daemonsets, deployments, deployments/rollback, deployments/scale, "
    "replicasets, replicasets/scale, statefulsets, statefulsets/scale], verbs: " W "}\n"
    "- {apiGroups: [autoscaling], resources: [horizontalpodautoscalers], verbs: " W "}\n"
    "- {apiGroups: [batch], resources: [cronjobs, jobs], verbs: " W "}\n"
    "- {apiGroups: [extensions], resources: [daemonsets, deployments, deployments/rollback, deployments/scale, "
    "ingresses, networkpolicies, replicasets, replicasets/scale, replicationcontrollers/scale], verbs: " W "}\n"
    "- {apiGroups: [policy], resources: [poddisruptionbudgets], verbs: " W "}\n"
    "- {apiGroups: [networking.k8s.io], resources: [ingresses, networkpolicies], verbs: " W "}\n"
    "- {apiGroups: [coordination.k8s.io], resources: [leases], verbs: " RW "}\n"

    CR META("system:aggregate-to-view") ", rbac.authorization.k8s.io/aggregate-to-view: \"true\"}}\n"
    "rules:\n"
    "- {apiGroups: [''], resources: [configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, "
    "pods, replicationcontrollers, replicationcontrollers/scale, serviceaccounts, services, services/status], verbs: " R "}\n"
    "- {apiGroups: [''], resources: [bindings, events, limitranges, namespaces/status, pods/log, pods/status, "
    "replicationcontrollers/status, resourcequotas, resourcequotas/status], verbs: " R "}\n"
    "- {apiGroups: [''], resources: [namespaces], verbs: " R "}\n"
    "- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: " R "}\n"
    "- {apiGroups: [apps], resources: [controllerrevisions, daemonsets, daemonsets/status, deployments, "
    "deployments/scale, deployments/status, replicasets, replicasets/scale, replicasets/status, statefulsets, "
    "statefulsets/scale, statefulsets/status], verbs: " R "}\n"
    "- {apiGroups: [autoscaling], resources: [horizontalpodautoscalers, horizontalpodautoscalers/status], verbs: " R "}\n"
    "- {apiGroups: [batch], resources: [cronjobs, cronjobs/status, jobs, jobs/status], verbs: " R "}\n"
    "- {apiGroups: [extensions], resources: [daemonsets, daemonsets/status, deployments, deployments/scale, "
    "deployments/status, ingresses, ingresses/status, networkpolicies, replicasets, replicasets/scale, "
    "replicasets/status, replicationcontrollers/scale], verbs: " R "}\n"
    "- {apiGroups: [policy], resources: [poddisruptionbudgets, poddisruptionbudgets/status], verbs: " R "}\n"
    "- {apiGroups: [networking.k8s.io], resources: [ingresses, ingresses/status, networkpolicies], verbs: " R "}\n"

    CR META("system:basic-user") "}}\n"
    "rules:\n"
    "- {apiGroups: [authorization.k8s.io], resources: [selfsubjectaccessreviews, selfsubjectrulesreviews], verbs: [create]}\n"
    "- {apiGroups: [authentication.k8s.io], resources: [selfsubjectreviews], verbs: [create]}\n"

    CR META("system:discovery") "}}\n"
    "rules:\n"
    "- {nonResourceURLs: [/api, /api/*, /apis, /apis/*, /healthz, /livez, /openapi, /openapi/*, /readyz, "
    "/version, /version/], verbs: [get]}\n"

    CR META("system:public-info-viewer") "}}\n"
    "rules:\n"
    "- {nonResourceURLs: [/healthz, /livez, /readyz, /version, /version/], verbs: [get]}\n"

    CR META("system:service-account-issuer-discovery") "}}\n"
    "rules:\n"
    "- {nonResourceURLs: [/.well-known/openid-configuration, /.well-known/openid-configuration/, "
    "/openid/v1/jwks, /openid/v1/jwks/], verbs: [get]}\n"

    CR META("system:monitoring") "}}\n"
    "rules:\n"
    "- {nonResourceURLs: [/healthz, /healthz/*, /livez, /livez/*, /metrics, /metrics/slis, /readyz, /readyz/*], "
    "verbs: [get]}\n"

    CR META("system:auth-delegator") "}}\n"
    "rules:\n"
    "- {apiGroups: [authentication.k8s.io], resources: [tokenreviews], verbs: [create]}\n"
    "- {apiGroups: [authorization.k8s.io], resources: [subjectaccessreviews], verbs: [create]}\n"

    CR META("system:kubelet-api-admin") "}}\n"
    "rules:\n"
    "- {apiGroups: [''], resources: [nodes], verbs: " R "}\n"
    "- {apiGroups: [''], resources: [nodes], verbs: [proxy]}\n"
    "- {apiGroups: [''], resources: [nodes/log, nodes/metrics, nodes/proxy, nodes/stats], verbs: ['*']}\n"

    CRB META("cluster-admin") "}}\n" REF("cluster-admin")
    "subjects: [" GROUP("system:masters") "]\n"
    CRB META("system:basic-user") "}}\n" REF("system:basic-user")
    "subjects: [" GROUP("system:authenticated") "]\n"
    CRB META("system:discovery") "}}\n" REF("system:discovery")
    "subjects: [" GROUP("system:authenticated") "]\n"
    CRB META("system:public-info-viewer") "}}\n" REF("system:public-info-viewer")
    "subjects: [" GROUP("system:authenticated") ", " GROUP("system:unauthenticated") "]\n"
    CRB META("system:service-account-issuer-discovery") "}}\n" REF("system:service-account-issuer-discovery")
    "subjects: [" GROUP("system:serviceaccounts") "]\n"
    CRB META("system:monitoring") "}}\n" REF("system:monitoring")
    "subjects: [" GROUP("system:monitoring") "]\n";
