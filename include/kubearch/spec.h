/*
 * kubearch/spec.h - the architecture spec (apiVersion kubearch.io/v1alpha1,
 * kind Architecture): data model, loader and validator.
 *
 * A spec is read from an already loaded ka_file (its first non-empty
 * document) and validated completely: every mistake (unknown field, bad enum,
 * bad name, impossible combination) becomes a file:line:col diagnostic and
 * the load fails. A loaded spec is fully defaulted (docs/spec.md lists every
 * field and its default) and resolved: the clusters the pattern implies are
 * derived, every node pool knows its zones and allocatable resources, every
 * workload points at its environment, tier and node pool.
 *
 * Ownership: a ka_spec owns one arena holding every struct and string below;
 * ka_spec_free() releases it all. The source ka_file may be freed once
 * ka_spec_load() returns. Strings are NUL-terminated and never NULL unless
 * the comment says "NULL when ...".
 */
#ifndef KUBEARCH_SPEC_H
#define KUBEARCH_SPEC_H

#include "base.h"
#include "diag.h"
#include "doc.h"
#include "load.h"

#define KA_SPEC_API_VERSION "kubearch.io/v1alpha1"
#define KA_SPEC_KIND "Architecture"

/* Where a spec element was written (1-based; 0 when it was defaulted). */
typedef struct ka_spec_pos {
    uint32_t line, col;
} ka_spec_pos;

/* ---- enumerations (the names are the spec's spellings) ----------------- */
typedef enum ka_pattern {
    KA_PATTERN_SINGLE_CLUSTER = 0,      /* "single-cluster": one namespace per environment */
    KA_PATTERN_CLUSTER_PER_ENV,         /* "cluster-per-environment" */
    KA_PATTERN_MULTI_REGION,            /* "multi-region": primary + DR region */
} ka_pattern;

typedef enum ka_provider {
    KA_PROVIDER_AWS = 0, KA_PROVIDER_AZURE, KA_PROVIDER_GCP, KA_PROVIDER_BARE_METAL,
} ka_provider;

typedef enum ka_management { KA_MGMT_SELF_MANAGED = 0, KA_MGMT_MANAGED } ka_management;
typedef enum ka_region_role { KA_ROLE_PRIMARY = 0, KA_ROLE_DR } ka_region_role;
typedef enum ka_etcd_topology { KA_ETCD_STACKED = 0, KA_ETCD_EXTERNAL } ka_etcd_topology;

typedef enum ka_security_level {
    KA_SECURITY_STRICT = 0,   /* PSA enforce restricted */
    KA_SECURITY_STANDARD,     /* PSA enforce baseline, warn/audit restricted */
    KA_SECURITY_RELAXED,      /* PSA enforce baseline, warn restricted */
} ka_security_level;

typedef enum ka_qos_tier { KA_QOS_HIGH = 0, KA_QOS_MEDIUM, KA_QOS_LOW } ka_qos_tier;
typedef enum ka_access { KA_ACCESS_ADMIN = 0, KA_ACCESS_EDIT, KA_ACCESS_VIEW } ka_access;

typedef enum ka_pool_class {
    KA_POOL_SYSTEM = 0, KA_POOL_GENERAL, KA_POOL_MEMORY, KA_POOL_COMPUTE, KA_POOL_STORAGE,
} ka_pool_class;

typedef enum ka_taint_effect {
    KA_TAINT_NO_SCHEDULE = 0, KA_TAINT_PREFER_NO_SCHEDULE, KA_TAINT_NO_EXECUTE,
} ka_taint_effect;

typedef enum ka_cni { KA_CNI_CILIUM = 0, KA_CNI_CALICO, KA_CNI_FLANNEL } ka_cni;
typedef enum ka_mesh { KA_MESH_NONE = 0, KA_MESH_ISTIO, KA_MESH_LINKERD } ka_mesh;
typedef enum ka_ingress_api { KA_INGRESS_GATEWAY_API = 0, KA_INGRESS_INGRESS } ka_ingress_api;
typedef enum ka_lb { KA_LB_CLOUD = 0, KA_LB_METALLB } ka_lb;
typedef enum ka_storage_type { KA_STORAGE_PERFORMANCE = 0, KA_STORAGE_STANDARD, KA_STORAGE_CUSTOM } ka_storage_type;
typedef enum ka_reclaim { KA_RECLAIM_DELETE = 0, KA_RECLAIM_RETAIN } ka_reclaim;
typedef enum ka_binding { KA_BINDING_WAIT = 0, KA_BINDING_IMMEDIATE } ka_binding;
typedef enum ka_provisioning { KA_PROVISION_CLUSTER_API = 0, KA_PROVISION_NONE } ka_provisioning;
typedef enum ka_fleet { KA_FLEET_NONE = 0, KA_FLEET_KARMADA, KA_FLEET_ARGOCD, KA_FLEET_FLUX } ka_fleet;
typedef enum ka_spread { KA_SPREAD_ZONE = 0, KA_SPREAD_HOST } ka_spread;
typedef enum ka_log_backend {
    KA_LOG_LOKI = 0, KA_LOG_ELASTICSEARCH, KA_LOG_OPENTELEMETRY, KA_LOG_FORWARD,
} ka_log_backend;

/* Spec spelling of each enum value ("cluster-per-environment", "aws", ...). */
const char *ka_pattern_name(ka_pattern v);
const char *ka_provider_name(ka_provider v);
const char *ka_management_name(ka_management v);
const char *ka_region_role_name(ka_region_role v);
const char *ka_etcd_topology_name(ka_etcd_topology v);
const char *ka_security_level_name(ka_security_level v);
const char *ka_qos_tier_name(ka_qos_tier v);
const char *ka_access_name(ka_access v);
const char *ka_pool_class_name(ka_pool_class v);
const char *ka_taint_effect_name(ka_taint_effect v);   /* "NoSchedule", ... */
const char *ka_cni_name(ka_cni v);
const char *ka_mesh_name(ka_mesh v);
const char *ka_ingress_api_name(ka_ingress_api v);
const char *ka_lb_name(ka_lb v);
const char *ka_storage_type_name(ka_storage_type v);
const char *ka_reclaim_name(ka_reclaim v);              /* "Delete", "Retain" */
const char *ka_binding_name(ka_binding v);              /* "WaitForFirstConsumer", "Immediate" */
const char *ka_provisioning_name(ka_provisioning v);
const char *ka_fleet_name(ka_fleet v);
const char *ka_spread_name(ka_spread v);
const char *ka_log_backend_name(ka_log_backend v);     /* "loki", "elasticsearch", ... */

/* ---- building blocks ------------------------------------------------------ */
typedef struct ka_spec_label {
    const char *key, *value;
} ka_spec_label;

typedef struct ka_spec_taint {
    const char *key, *value;             /* value may be "" */
    ka_taint_effect effect;
} ka_spec_taint;

/* A resource amount: exact integer plus the canonical text to write back. */
typedef struct ka_spec_cpu {
    int64_t milli;                       /* millicores */
    const char *text;                    /* canonical quantity, e.g. "250m", "2" */
} ka_spec_cpu;

typedef struct ka_spec_mem {
    int64_t bytes;
    const char *text;                    /* canonical quantity, e.g. "512Mi" */
} ka_spec_mem;

/* ---- regions and control plane -------------------------------------------- */
typedef struct ka_spec_pool ka_spec_pool;

typedef struct ka_spec_region {
    ka_spec_pos pos;
    const char *name;                    /* provider region, e.g. "eu-west-1", "westeurope" */
    ka_provider provider;                /* default: spec provider */
    ka_management management;            /* default: spec management */
    ka_region_role role;                 /* exactly one primary; dr only in multi-region */
    size_t nzones;
    const char **zones;                  /* "eu-west-1a" (aws), "1" (azure), "europe-west1-b" (gcp) */
    size_t npools;
    ka_spec_pool *pools;                 /* this region's nodePools, or its own copy of the
                                            spec's, completed for its provider: read pools here */
} ka_spec_region;

typedef struct ka_spec_control_plane {
    ka_spec_pos pos;
    uint32_t replicas;                   /* default 3; odd when etcd is stacked */
    ka_etcd_topology etcd;               /* default stacked */
    uint32_t etcd_members;               /* 3, 5 or 7; stacked: equals replicas */
    size_t netcd_endpoints;
    const char **etcd_endpoints;         /* external etcd: https:// client URLs, one per member */
    bool spread_zones;                   /* default true: one failure domain per zone */
    const char *instance_type;           /* NULL when managed or not given */
} ka_spec_control_plane;

/* ---- environments --------------------------------------------------------- */
typedef struct ka_spec_team {
    ka_spec_pos pos;
    const char *name;                    /* DNS-1123 label */
    const char *group;                   /* identity-provider group; default "<name>" */
    ka_access access;
} ka_spec_team;

typedef struct ka_spec_quota {
    ka_spec_cpu requests_cpu, limits_cpu;
    ka_spec_mem requests_memory, limits_memory;
    ka_spec_mem requests_storage;
    uint32_t pods, services, pvcs, configmaps, secrets;
    uint32_t load_balancers, node_ports; /* services.loadbalancers / services.nodeports */
} ka_spec_quota;

typedef struct ka_spec_limits {       /* LimitRange type Container */
    ka_spec_cpu default_request_cpu, default_limit_cpu, max_cpu;
    ka_spec_mem default_request_memory, default_limit_memory, max_memory;
    ka_spec_mem max_pvc_storage;         /* type PersistentVolumeClaim max.storage */
} ka_spec_limits;

typedef struct ka_spec_env {
    ka_spec_pos pos;
    const char *name;                    /* "production", "staging", ... */
    const char *ns;                      /* namespace; default: name */
    ka_security_level security;
    ka_qos_tier qos;
    bool dr;                             /* replicated to the DR region (multi-region) */
    ka_spec_quota quota;
    ka_spec_limits limits;
    size_t nteams;
    ka_spec_team *teams;
} ka_spec_env;

/* ---- node pools ---------------------------------------------------------------- */
typedef struct ka_spec_alloc {
    ka_spec_cpu cpu;
    ka_spec_mem memory;
    uint32_t pods;
} ka_spec_alloc;

struct ka_spec_pool {
    ka_spec_pos pos;
    const char *name;                    /* DNS-1123 label, unique in its list */
    ka_pool_class cls;
    const char *instance_type;
    uint32_t min_per_zone, max_per_zone; /* node count in each zone of the region */
    bool autoscaling;                    /* false: min == max */
    size_t nlabels;
    ka_spec_label *labels;               /* all node labels incl. defaults, sorted by key */
    size_t ntaints;
    ka_spec_taint *taints;               /* incl. the class default taint */
    ka_spec_alloc capacity;              /* of one node (instance table or spec) */
    ka_spec_alloc allocatable;           /* of one node, after system reservations */
    bool capacity_given;                 /* capacity from the spec, not the instance table */
    bool allocatable_given;              /* allocatable from the spec, not computed */
};

/* ---- networking ------------------------------------------------------------ */
#define KA_PEER_INTERNET "internet"

typedef struct ka_spec_tier {
    ka_spec_pos pos;
    const char *name;                    /* pod label tier=<name> */
    uint32_t port;                       /* the port the tier serves on */
    const char *protocol;                /* "TCP" (default), "UDP", "SCTP" */
    size_t nfrom;
    const char **from;                   /* tier names, or "internet" (the ingress gateway) */
} ka_spec_tier;

typedef struct ka_spec_networking {
    ka_cni cni;
    ka_mesh mesh;
    ka_ingress_api ingress_api;
    const char *ingress_impl;            /* "envoy-gateway", "cilium", "contour", "istio",
                                            "nginx-gateway-fabric", "traefik" */
    const char *ingress_ns;              /* namespace of the gateway; default "gateway-system" */
    const char *domain;                  /* public DNS zone, e.g. "example.com" */
    const char *acme_email;              /* cert-manager ClusterIssuer e-mail */
    const char *acme_server;             /* default Let's Encrypt production */
    ka_lb lb;
    size_t nlb_addresses;
    const char **lb_addresses;           /* MetalLB pool ranges/CIDRs */
    bool external_dns;
    const char *pod_cidr, *service_cidr; /* default 10.244.0.0/16, 10.96.0.0/12 */
    size_t ntiers;
    ka_spec_tier *tiers;
} ka_spec_networking;

/* ---- storage ------------------------------------------------------------------ */
typedef struct ka_spec_storage_class {
    ka_spec_pos pos;
    const char *name;
    ka_storage_type type;
    const char *provisioner;             /* CSI driver: given (custom) or the provider's */
    ka_reclaim reclaim;
    ka_binding binding;
    bool expansion;                      /* default true */
    bool is_default;
    size_t nparams;
    ka_spec_label *params;               /* custom / extra CSI parameters, sorted by key */
} ka_spec_storage_class;

typedef struct ka_spec_storage {
    size_t nclasses;
    ka_spec_storage_class *classes;
    bool snapshot_class;                 /* default true (not on bare metal) */
    ka_reclaim snapshot_deletion;        /* default Delete */
    bool backup;                         /* a Velero Schedule */
    const char *backup_schedule;         /* cron, default "0 2 * * *" */
    uint32_t backup_ttl_hours;           /* default 720 */
    const char *backup_bucket;           /* object storage bucket, default "<name>-backups" */
    size_t nbackup_config;
    ka_spec_label *backup_config;        /* Velero provider config (region, s3Url, ...) */
} ka_spec_storage;

/* ---- multi-cluster, monitoring ------------------------------------------------------ */
typedef struct ka_spec_multicluster {
    ka_provisioning provisioning;        /* default cluster-api */
    ka_fleet fleet;                      /* default none (single-cluster), karmada otherwise */
    const char *git_repo;                /* GitOps repository URL; NULL when none */
    const char *git_branch;              /* default "main" */
    const char *git_path;                /* where the generated tree is in the repository; default "." */
} ka_spec_multicluster;

typedef struct ka_spec_monitoring {
    bool enabled;                        /* default true */
    const char *ns;                      /* default "monitoring" */
    uint32_t metrics_port;               /* the port workloads expose metrics on, default 9090 */
} ka_spec_monitoring;

/* The log collector of every cluster (a Fluent Bit DaemonSet) and where it
 * ships container logs and, on kubeadm control planes, the API server's
 * audit log. */
#define KA_LOG_DEFAULT_IMAGE "cr.fluentbit.io/fluent/fluent-bit:4.2.0"

typedef struct ka_spec_logging {
    bool enabled;                        /* default: monitoring enabled or a host given */
    const char *ns;                      /* default "logging" */
    const char *image;                   /* pinned; default KA_LOG_DEFAULT_IMAGE */
    ka_log_backend backend;              /* Fluent Bit output; default loki */
    const char *host;                    /* default "loki.<monitoring ns>.svc.cluster.local"
                                            with monitoring, else "" (none) */
    uint32_t port;                       /* default 3100 (loki), 9200 (elasticsearch),
                                            4318 (opentelemetry), 24224 (forward) */
    bool tls;                            /* default: false in the cluster, true outside */
    const char *backend_ns;              /* the namespace of an in-cluster host
                                            (<service>.<namespace>.svc[.cluster.local]),
                                            the monitoring namespace; NULL when the
                                            backend is outside */
    size_t ncidrs;
    const char **cidrs;                  /* outside: the addresses the collector may send
                                            to (an IPv4 host defaults to <host>/32) */
} ka_spec_logging;

/* ---- workloads ----------------------------------------------------------------------- */
typedef struct ka_spec_workload {
    ka_spec_pos pos;
    const char *name;
    const char *tier;                    /* a networking tier name */
    const char *environment;             /* an environment name */
    const ka_spec_env *env;              /* resolved */
    const ka_spec_tier *tier_ref;        /* resolved */
    uint32_t replicas;                   /* default 2 */
    ka_spec_cpu cpu;                     /* requests.cpu */
    ka_spec_mem memory;                  /* requests.memory */
    const char *pool;                    /* node pool name; default: the general-class pool */
    ka_spread spread;                    /* default zone */
    const char *image;                   /* container image (tag or digest) */
} ka_spec_workload;

/* ---- derived clusters ------------------------------------------------------------ */
/* A cluster the pattern implies. Its node pools are region->pools, its
 * workloads those of spec->workloads whose environment it runs. */
typedef struct ka_spec_cluster {
    const char *name;                    /* DNS-1123 label: <name>, <name>-<env>, <name>-<env>-dr */
    const ka_spec_region *region;
    bool dr;                             /* the DR cluster of a multi-region spec */
    size_t nenvs;
    const ka_spec_env **envs;            /* environments (namespaces) it runs */
} ka_spec_cluster;

typedef struct ka_spec {
    ka_arena *arena;
    const char *path;                    /* the file it was read from */
    const char *name;                    /* metadata.name */
    ka_pattern pattern;
    ka_provider provider;                /* default for regions */
    ka_management management;            /* default for regions */
    const char *kubernetes_version;      /* "v1.34.2" */
    int kube_minor;                      /* 34 */
    size_t nregions;
    ka_spec_region *regions;             /* primary first */
    ka_spec_control_plane control_plane;
    size_t nenvs;
    ka_spec_env *envs;
    size_t npools;
    ka_spec_pool *pools;                 /* spec-level nodePools as written (no class defaults,
                                            capacity or allocatable: use regions[].pools) */
    ka_spec_networking net;
    ka_spec_storage storage;
    ka_spec_multicluster multicluster;
    ka_spec_monitoring monitoring;
    ka_spec_logging logging;
    size_t nworkloads;
    ka_spec_workload *workloads;
    size_t nclusters;
    ka_spec_cluster *clusters;           /* primary cluster(s) first, DR last */
} ka_spec;

/* Load and validate the spec in f (its first non-empty document). Returns 0
 * and *out, or -1 with every problem found as an error diagnostic in d
 * (file:line:col of the offending key or value) and *out NULL. */
int ka_spec_load(ka_spec **out, const ka_file *f, ka_diags *d);
/* Read, load and validate a file ("-" for stdin). */
int ka_spec_load_path(ka_spec **out, const char *path, ka_diags *d);
void ka_spec_free(ka_spec *s);

/* Lookups (NULL when absent). */
const ka_spec_env *ka_spec_find_env(const ka_spec *s, const char *name);
const ka_spec_pool *ka_spec_find_pool(const ka_spec_region *r, const char *name);
const ka_spec_tier *ka_spec_find_tier(const ka_spec *s, const char *name);
/* Does cluster c run environment env? */
bool ka_spec_cluster_runs(const ka_spec_cluster *c, const ka_spec_env *env);
/* The pool a workload lands on in cluster c (its region's pool of that name). */
const ka_spec_pool *ka_spec_workload_pool(const ka_spec_cluster *c, const ka_spec_workload *w);

/* The built-in starter specs (commented YAML, the text of examples/specs/):
 * one per pattern (AWS, multi-region: AWS primary + Azure DR) and the
 * bare-metal single cluster. */
const char *ka_spec_example(ka_pattern p);
const char *ka_spec_example_bare_metal(void);

#endif
