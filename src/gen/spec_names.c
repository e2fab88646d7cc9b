/*
 * spec_names.c - the spellings of the architecture spec's enumerations. The
 * tables here are the only place a spelling is written: the parser looks
 * values up in them and every emitter prints from them.
 */
#include "spec_int.h"

#include <string.h>

#define NAMES(fn, type, ...)                                                    \
    static const char *const fn##_tab[] = { __VA_ARGS__, NULL };               \
    const char *fn(type v)                                                      \
    {                                                                           \
        return (size_t)v < sizeof fn##_tab / sizeof *fn##_tab - 1 ? fn##_tab[v] : "?"; \
    }

NAMES(ka_pattern_name, ka_pattern, "single-cluster", "cluster-per-environment", "multi-region")
NAMES(ka_provider_name, ka_provider, "aws", "azure", "gcp", "bare-metal")
NAMES(ka_management_name, ka_management, "self-managed", "managed")
NAMES(ka_region_role_name, ka_region_role, "primary", "dr")
NAMES(ka_etcd_topology_name, ka_etcd_topology, "stacked", "external")
NAMES(ka_security_level_name, ka_security_level, "strict", "standard", "relaxed")
NAMES(ka_qos_tier_name, ka_qos_tier, "high", "medium", "low")
NAMES(ka_access_name, ka_access, "admin", "edit", "view")
NAMES(ka_pool_class_name, ka_pool_class, "system", "general", "memory-optimized",
      "compute-optimized", "storage-optimized")
NAMES(ka_taint_effect_name, ka_taint_effect, "NoSchedule", "PreferNoSchedule", "NoExecute")
NAMES(ka_cni_name, ka_cni, "cilium", "calico", "flannel")
NAMES(ka_mesh_name, ka_mesh, "none", "istio", "linkerd")
NAMES(ka_ingress_api_name, ka_ingress_api, "gateway-api", "ingress")
NAMES(ka_lb_name, ka_lb, "cloud", "metallb")
NAMES(ka_storage_type_name, ka_storage_type, "performance", "standard", "custom")
NAMES(ka_reclaim_name, ka_reclaim, "Delete", "Retain")
NAMES(ka_binding_name, ka_binding, "WaitForFirstConsumer", "Immediate")
NAMES(ka_provisioning_name, ka_provisioning, "cluster-api", "none")
NAMES(ka_fleet_name, ka_fleet, "none", "karmada", "argocd", "flux")
NAMES(ka_spread_name, ka_spread, "zone", "host")
NAMES(ka_log_backend_name, ka_log_backend, "loki", "elasticsearch", "opentelemetry", "forward")

const char *const *ka__spec_names(ka_spec_enum e)
{
    switch (e) {
    case KA_E_PATTERN: return ka_pattern_name_tab;
    case KA_E_PROVIDER: return ka_provider_name_tab;
    case KA_E_MANAGEMENT: return ka_management_name_tab;
    case KA_E_ROLE: return ka_region_role_name_tab;
    case KA_E_ETCD: return ka_etcd_topology_name_tab;
    case KA_E_SECURITY: return ka_security_level_name_tab;
    case KA_E_QOS: return ka_qos_tier_name_tab;
    case KA_E_ACCESS: return ka_access_name_tab;
    case KA_E_POOL_CLASS: return ka_pool_class_name_tab;
    case KA_E_EFFECT: return ka_taint_effect_name_tab;
    case KA_E_CNI: return ka_cni_name_tab;
    case KA_E_MESH: return ka_mesh_name_tab;
    case KA_E_INGRESS_API: return ka_ingress_api_name_tab;
    case KA_E_LB: return ka_lb_name_tab;
    case KA_E_STORAGE_TYPE: return ka_storage_type_name_tab;
    case KA_E_RECLAIM: return ka_reclaim_name_tab;
    case KA_E_BINDING: return ka_binding_name_tab;
    case KA_E_PROVISIONING: return ka_provisioning_name_tab;
    case KA_E_FLEET: return ka_fleet_name_tab;
    case KA_E_SPREAD: return ka_spread_name_tab;
    case KA_E_LOG_BACKEND: return ka_log_backend_name_tab;
    }
    return NULL;
}
