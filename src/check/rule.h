/*
 * rule.h - what a rule function sees: the running context, reporting, and
 * helpers to walk containers. Internal to libkubearch.
 */
#ifndef KA_RULE_H
#define KA_RULE_H

#include "kubearch/check.h"
#include "kubearch/quantity.h"
#include "kubearch/selindex.h"

#include <pthread.h>
#include <stdatomic.h>

/* Reverse selector indexes of a run, by the kind they index. */
enum { KA_IX_SERVICE, KA_IX_PDB, KA_IX_NETPOL, KA_IX_COUNT };

/* What the threads of one run share. The caches are built once, by the
 * first thread that needs one (ka_ctx_once), and only read after that. Two
 * are different: the RBAC model keeps memos while it answers and the
 * NetworkPolicy model is completed by the network set rules, so only the
 * rbac (resp. network) category set rules may use them; the engine runs
 * each of those two groups on one thread. */
typedef struct ka_once {
    _Atomic(void *) p;
    pthread_mutex_t lock; /* held while p is built: a thread needing another cache goes on */
} ka_once;

typedef struct ka_run {
    ka_once ix[KA_IX_COUNT]; /* ka_selindex */
    ka_once lr;              /* LimitRange defaults (limitrange.c) */
    ka_once netpol;          /* the compiled policies (rules_netpol.c) */
    ka_once rbac;            /* the RBAC model */
    bool netmodel;           /* the policies' model is built */
} ka_run;

/* What a rule function sees: one per thread of the run. */
struct ka_ctx {
    const ka_objset *set;
    const ka_check_opts *opts;
    const ka_rule *rule;        /* the rule running now */
    ka_severity severity;       /* its effective severity */
    ka_results *res;            /* this thread's findings */
    int kube_major, kube_minor;
    ka_run *run;
    ka_selquery q[KA_IX_COUNT]; /* this thread's queries on run->ix */
    const uint32_t *rule_rank;  /* per rule table row: its place in id order */
};

/* What o holds, built by build(ctx) if no thread has built it yet. */
void *ka_ctx_once(ka_ctx *ctx, ka_once *o, void *(*build)(ka_ctx *ctx));

typedef struct ka_lrcache ka_lrcache;
/* The request (limits false) or limit for res that the namespace's
 * LimitRanges give a container that lacks one (NULL: none). */
const ka_node *ka_ctx_limitrange_default(ka_ctx *ctx, ka_str ns, bool limits, const char *res);
void ka_lrcache_free(ka_lrcache *c);

/* Frees the run's NetworkPolicy analysis (none built is fine). */
void ka_netcache_free(ka_run *run);

/* The run's RBAC model (roles, aggregation, bindings), built once on first use. */
struct ka_rbac *ka_ctx_rbac(ka_ctx *ctx);

/* The run's reverse selector index for KA_IX_SERVICE, KA_IX_PDB or
 * KA_IX_NETPOL (built once per run on first use). */
const ka_selindex *ka_ctx_selindex(ka_ctx *ctx, int which);
/* Its objects whose selector matches labels in namespace ns (input order;
 * the list stays valid until this thread's next query of that index). */
ka_objlist ka_ctx_selmatch(ka_ctx *ctx, int which, ka_str ns, const ka_labels *labels);

/* Report a finding for o at node (NULL: the object's position), about
 * container c (NULL: the object). Honors suppressions. */
void ka_report(ka_ctx *ctx, const ka_object *o, const ka_node *at, const ka_container *c,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* The same with an explicit severity (e.g. error when deleted, warning when deprecated). */
void ka_report_sev(ka_ctx *ctx, ka_severity sev, const ka_object *o, const ka_node *at,
                   const ka_container *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Record the scorecard item of the running CLU rule. Evidence objects are
 * named "Kind/ns/name". A fail is also reported as a finding (the rule's
 * severity), a partial as an info finding, on the first evidence object when
 * there is one. detail is printf-style. */
void ka_scorecard(ka_ctx *ctx, ka_cl_status st, const ka_object *const *evidence, size_t n,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Is Kind/ns/name in the input, or declared present outside it
 * (--assume-present, the configuration's assumePresent list)? For
 * cluster-scoped kinds pass an empty ns. */
bool ka_present(const ka_ctx *ctx, const char *kind, ka_str ns, ka_str name);

/* The key node of the PodSpec ("spec:" of a Pod, or of the pod template of a
 * workload or CronJob): where pod-level findings about a missing field point. */
const ka_node *ka_pod_spec_key(const ka_object *o);

/* Object kind tests (inline: the kind is nearly always a literal). */
static inline bool ka_kind_is(const ka_object *o, const char *kind)
{
    return ka_str_eqc(o->kind, kind);
}
/* Main containers, init containers and sidecars; ephemeral ones excluded
 * (they are debugging sessions, not part of the workload's design). */
#define KA_FOR_CONTAINERS(o, c)                                                                 \
    for (const ka_container *c = ((o)->pod && (o)->pod->ncontainers) ? (o)->pod->containers : NULL; \
         c && c < (o)->pod->containers + (o)->pod->ncontainers; c++)                              \
        if (c->type != KA_CT_EPHEMERAL)

/* Declarations of every rule function (generated from rules.def). */
#define KA_RULE(id, fnbase, ...) \
    void ka_rule_##fnbase(ka_ctx *ctx, const ka_object *o);
#define KA_SETRULE(id, fnbase, ...) \
    void ka_setrule_##fnbase(ka_ctx *ctx, const ka_objset *s);
#include "rules.def"
#undef KA_RULE
#undef KA_SETRULE

#endif
