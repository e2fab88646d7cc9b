/*
 * gen_int.h - internals shared by the emitters of `generate`.
 *
 * Every emitter builds objects as ynode trees and hands a file's documents to
 * g_file(); kustomization.yaml files are derived from the plan at the end,
 * so that each directory lists exactly what it holds.
 */
#ifndef KA_GEN_INT_H
#define KA_GEN_INT_H

#include "kubearch/gen.h"
#include "spec_int.h"
#include "ydoc.h"

typedef struct ylist {
    ynode **v;
    size_t n, cap;
} ylist;

typedef struct gctx {
    const ka_spec *s;
    ka_gen_plan *plan;
    ybuild yb;            /* arena for every tree of the plan */
    ka_diags *d;
    bool failed;
} gctx;

void yl_add(gctx *g, ylist *l, ynode *doc);
/* Plan a YAML file of documents (emitted now; l is reset). */
void g_file(gctx *g, const char *unit, const char *path, ylist *l);
/* Plan a text file (taken over). */
void g_text(gctx *g, const char *unit, const char *path, ka_buf *text);

/* Common labels: app.kubernetes.io/managed-by and part-of. */
void g_labels(gctx *g, ynode *meta, const char *name, const char *component);
/* Namespace directory of a cluster: clusters/<c>/namespaces/<ns>. */
const char *g_cluster_unit(gctx *g, const ka_spec_cluster *c);

/* Emitters (one file each). */
void ka__gen_namespaces(gctx *g, const ka_spec_cluster *c);   /* gen_namespace.c */
void ka__gen_netpol(gctx *g, const ka_spec_cluster *c, const ka_spec_env *e,
                    const char *dir);                         /* gen_netpol.c */
void ka__gen_workloads(gctx *g, const ka_spec_cluster *c, const ka_spec_env *e,
                       const char *dir);                      /* gen_workload.c */
void ka__gen_platform(gctx *g, const ka_spec_cluster *c);     /* gen_platform.c */
void ka__gen_logging(gctx *g, const ka_spec_cluster *c);      /* gen_logging.c */
void ka__gen_ingress(gctx *g, const ka_spec_cluster *c);      /* gen_ingress.c */
void ka__gen_capi(gctx *g);                                   /* gen_capi.c */
void ka__gen_fleet(gctx *g);                                  /* gen_fleet.c */
void ka__gen_architecture(gctx *g);                           /* gen_arch.c */

/* Shared knowledge. */
/* Is the tier populated (has a workload) in env? */
bool g_tier_used(const ka_spec *s, const ka_spec_env *e, const char *tier);
/* Does any tier of env accept traffic from the internet (and is populated)? */
bool g_env_public(const ka_spec *s, const ka_spec_env *e);
/* Public host name of a workload: <workload>.<env>.<domain>. */
const char *g_host(gctx *g, const ka_spec_env *e, const ka_spec_workload *w);
/* The PriorityClass of a QoS tier. */
const char *g_priority_class(ka_qos_tier q);
/* The CAPI namespace on the management cluster: <name>-clusters. */
const char *g_capi_ns(gctx *g);

#define KA_MANAGED_BY "kubearch"

/* The machine network of the Cluster API clusters kubearch writes (AWS VPC,
 * Azure VNet): nodes and the API server endpoints are in it. */
#define G_NODE_NETWORK "10.0.0.0/16"

#endif
