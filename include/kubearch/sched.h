/*
 * kubearch/sched.h - offline kube-scheduler simulation.
 *
 * ka_sim_run() reads Nodes, bound Pods (existing load), pending Pods and
 * workloads (expanded into pending pods), Namespaces, PriorityClasses,
 * PodDisruptionBudgets, Services and LimitRanges from an object set, places
 * every pending pod the way kube-scheduler's default plugins would (or the
 * profile of a KubeSchedulerConfiguration), then optionally removes failed
 * zones / nodes / pools and reschedules what ran there. Every node is
 * evaluated (no percentageOfNodesToScore sampling) and ties go to the first
 * node in input order, so results are deterministic.
 *
 * The result is owned by the caller (ka_sim_free); writers only format it.
 */
#ifndef KUBEARCH_SCHED_H
#define KUBEARCH_SCHED_H

#include <stdio.h>

#include "base.h"
#include "diag.h"
#include "object.h"

typedef enum ka_sim_fail_kind {
    KA_FAIL_ZONE = 1,
    KA_FAIL_NODE = 2,
    KA_FAIL_POOL = 3,
    KA_FAIL_EACH_ZONE = 4,
} ka_sim_fail_kind;

typedef struct ka_sim_fail {
    ka_sim_fail_kind kind;
    const char *name;           /* zone, node or pool name (NULL for each-zone) */
} ka_sim_fail;

typedef struct ka_sim_opts {
    const char *scheduler_config; /* KubeSchedulerConfiguration file, NULL: default profile */
    const char *pool_label;     /* node label naming the pool, NULL: the usual ones */
    bool preempt;               /* apply preemption (evict victims) instead of reporting it */
    bool explain_all;           /* per-node filter/score detail for every pod */
    const char *explain_pod;    /* ... or only for this pod ("ns/name" or "name") */
    const ka_sim_fail *fail;    /* failure scenarios, all applied together ... */
    size_t nfail;               /* ... except KA_FAIL_EACH_ZONE: one scenario per zone */
    /* Architecture spec input */
    const char *cluster;        /* which derived cluster, NULL: the first (primary) */
    bool spec_max;              /* node pools at maxPerZone instead of minPerZone */
} ka_sim_opts;

typedef struct ka_sim ka_sim;

/* Run the simulation over the objects of s (indexed). Problems with the
 * input (unreadable config, invalid objects) become diagnostics in d;
 * returns 0, or -1 when nothing could be simulated (a diagnostic says why;
 * *out is NULL then). */
int ka_sim_run(const ka_objset *s, const ka_sim_opts *o, ka_diags *d, ka_sim **out);
void ka_sim_free(ka_sim *sim);

/* Pods that stayed unschedulable (after preemption, when applied). */
size_t ka_sim_unschedulable(const ka_sim *sim);
/* true when a failure scenario breaks a PodDisruptionBudget, a StatefulSet
 * quorum or the control-plane quorum (the CLI exits 1). */
bool ka_sim_broken(const ka_sim *sim);
/* Wall-clock seconds spent scheduling (placement + scenarios). */
double ka_sim_seconds(const ka_sim *sim);

typedef struct ka_sim_text_opts {
    bool color;
    bool all_pods;              /* list every pod, not only per workload */
} ka_sim_text_opts;

void ka_sim_write_text(FILE *f, const ka_sim *sim, const ka_sim_text_opts *o);
/* {"pods":[...],"nodes":[...],"pools":[...],"zones":[...],"scenarios":[...],"summary":{...}} */
void ka_sim_write_json(FILE *f, const ka_sim *sim);
void ka_sim_write_yaml(FILE *f, const ka_sim *sim);

#endif
