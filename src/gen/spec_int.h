/*
 * spec_int.h - internals of the spec loader: the checked reader every
 * section parser goes through, the enumeration tables and the instance-type
 * table. Not part of the public API.
 */
#ifndef KA_SPEC_INT_H
#define KA_SPEC_INT_H

#include "kubearch/spec.h"
#include "kubearch/labels.h"
#include "kubearch/quantity.h"

typedef enum ka_spec_enum {
    KA_E_PATTERN, KA_E_PROVIDER, KA_E_MANAGEMENT, KA_E_ROLE, KA_E_ETCD, KA_E_SECURITY,
    KA_E_QOS, KA_E_ACCESS, KA_E_POOL_CLASS, KA_E_EFFECT, KA_E_CNI, KA_E_MESH,
    KA_E_INGRESS_API, KA_E_LB, KA_E_STORAGE_TYPE, KA_E_RECLAIM, KA_E_BINDING,
    KA_E_PROVISIONING, KA_E_FLEET, KA_E_SPREAD, KA_E_LOG_BACKEND,
} ka_spec_enum;

/* NULL-terminated spellings of an enumeration, in value order. */
const char *const *ka__spec_names(ka_spec_enum e);

/* The checked reader: every accessor reports what is wrong with the node it
 * reads (type, range, syntax, unknown keys) at that node's position, counts
 * the error and returns the default so that parsing goes on and every
 * mistake of the file is reported in one run. ctx is the dotted path of the
 * mapping being read ("networking.tiers[1]"); messages start with it. */
typedef struct ka_sr {
    ka_arena *a;
    const char *path;
    ka_diags *d;
    size_t errors;
} ka_sr;

void ka__sr_err(ka_sr *r, const ka_node *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* ctx + "." + key (or key alone when ctx is ""), into buf. */
const char *ka__sr_ctx(char *buf, size_t n, const char *ctx, const char *key);
/* ctx + "[i]" into buf. */
const char *ka__sr_idx(char *buf, size_t n, const char *ctx, size_t i);

/* m must be a mapping whose keys are all in known (NULL-terminated). Null
 * or absent reads as an empty mapping (returns false, nothing reported). */
bool ka__sr_map(ka_sr *r, const ka_node *m, const char *ctx, const char *const *known);
/* The value of key when it is a sequence; NULL (absent/null, or reported). */
const ka_node *ka__sr_seq(ka_sr *r, const ka_node *m, const char *key, const char *ctx);
/* The value of key when present and not null, else NULL. */
const ka_node *ka__sr_val(const ka_node *m, const char *key);

/* Scalar string (copied into the arena), def when absent. */
const char *ka__sr_str(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       const char *def);
/* Like ka__sr_str, but the value must be a DNS-1123 label. */
const char *ka__sr_label(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                         const char *def);
/* Scalar node as a DNS-1123 label (sequence items). */
const char *ka__sr_label_node(ka_sr *r, const ka_node *v, const char *ctx);
int ka__sr_enum(ka_sr *r, const ka_node *m, const char *key, const char *ctx, ka_spec_enum e,
                int def);
bool ka__sr_bool(ka_sr *r, const ka_node *m, const char *key, const char *ctx, bool def);
/* Integer in [min, max]. */
uint32_t ka__sr_uint(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                     uint32_t def, uint32_t min, uint32_t max);
/* Quantities (def is a quantity string); must be positive unless allow_zero. */
ka_spec_cpu ka__sr_cpu(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       const char *def, bool allow_zero);
ka_spec_mem ka__sr_mem(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       const char *def, bool allow_zero);
/* Build values directly (defaults computed by the loader). */
ka_spec_cpu ka__cpu_milli(ka_arena *a, int64_t milli);
ka_spec_mem ka__mem_bytes(ka_arena *a, int64_t bytes);

/* ---- instance types ------------------------------------------------------- */
typedef struct ka_instance {
    ka_provider provider;
    const char *name;
    uint32_t vcpu;
    uint32_t mem_gib;
    uint32_t eni_pods;     /* aws: max pods with the VPC CNI (eni-max-pods), else 0 */
} ka_instance;

const ka_instance *ka__instance_find(ka_provider p, const char *name);
/* Allocatable of a node: capacity minus the kube/system reservations and the
 * hard eviction threshold (docs/spec.md, "Allocatable"). */
void ka__allocatable(int64_t cpu_milli, int64_t mem_bytes, int64_t *alloc_cpu,
                     int64_t *alloc_mem);
/* Default max pods per node for a provider / management / instance. */
uint32_t ka__max_pods(ka_provider p, ka_management m, const ka_instance *it);

/* Container limits generated for a workload (spec_check.c): Guaranteed QoS
 * for the high tier, CPU burst to twice the request otherwise; the memory
 * limit always equals the request. */
void ka__workload_limits(const ka_spec_workload *w, int64_t *cpu_milli, int64_t *mem_bytes);

/* Is key a configuration key of the Velero object-store plugin of provider p
 * (aws's also for S3-compatible stores on bare metal)? (spec_check.c) */
bool ka__velero_config_key(ka_provider p, const char *key);

/* ---- sections (spec_parse.c, spec_check.c) -------------------------------- */
void ka__spec_parse(ka_sr *r, ka_spec *s, const ka_node *root);
void ka__spec_check(ka_sr *r, ka_spec *s, const ka_node *root);

#endif
