/*
 * sim.h - the scheduling simulator's internal model (src/sched only).
 *
 * Layout, chosen for 5,000 nodes x 150,000 pods:
 *   - every string that is compared often (label keys and values, namespace
 *     and node names, resource names) is interned once (ks_strtab) and then
 *     compared as a 32-bit id;
 *   - nodes are rows of flat arrays (allocatable and requested resources are
 *     node-major int64 rows), so a filter/score pass over the nodes is a
 *     linear walk;
 *   - a pod is small: it points at its template (the pod spec it was made
 *     from, shared by all replicas) and at its class (template + label set,
 *     which fixes every selector the pod evaluates);
 *   - topology spread and inter-pod affinity never rescan pods: every
 *     question they ask ("how many pods matching S sit in domain d of key k")
 *     is a counter (ks_counter) created once, before the first pod is
 *     scheduled, and kept up to date as pods are bound and unbound.
 *
 * Ownership: one ks_sim owns everything: its arena holds the model (strings,
 * templates, selectors), heap arrays hold what grows or is copied per
 * failure scenario (ks_state).
 */
#ifndef KA_SCHED_SIM_H
#define KA_SCHED_SIM_H

#include "kubearch/sched.h"
#include "../core/hmap.h"

#include <stdint.h>

#define KS_NONE UINT32_MAX
#define KS_MAX_SCORE 100

/* ---- interned strings and label sets -------------------------------------- */

typedef struct ks_strtab {
    ka_hmap map;        /* string -> id (1-based, stored as a pointer) */
    ka_str *v;          /* id -> string; v[0] is "" */
    uint32_t n, cap;
} ks_strtab;

void ks_strtab_init(ks_strtab *t, ka_arena *a);
void ks_strtab_free(ks_strtab *t);
uint32_t ks_intern(ks_strtab *t, ka_str s);
/* id of s or 0 when s was never interned */
uint32_t ks_lookup(const ks_strtab *t, ka_str s);
static inline ka_str ks_str(const ks_strtab *t, uint32_t id) { return t->v[id]; }

typedef struct ks_kv {
    uint32_t k, v;
} ks_kv;

/* An interned label set: the same labels as ka_labels (for the selector
 * matcher) and as sorted id pairs (for fast lookups). */
typedef struct ks_lset {
    ka_labels l;
    uint32_t n;
    ks_kv *kv;          /* sorted by k */
} ks_lset;

/* value id of key k in the set, 0 when absent */
uint32_t ks_lset_get(const ks_lset *s, uint32_t k);

/* ---- resources ------------------------------------------------------------- */

enum { KS_R_CPU = 0, KS_R_MEM = 1, KS_R_EPH = 2, KS_R_NFIXED = 3 };

/* Exact quantities for aggregation: units * 10^9 (every parsed quantity is a
 * multiple of 10^-9), so sums of container requests round once, at the end,
 * as PodRequests + MilliValue()/Value() do upstream. */
typedef __int128 ks_nano;

/* ---- nodes --------------------------------------------------------------- */

enum { KS_EFF_ANY = 0, KS_EFF_NOSCHEDULE = 1, KS_EFF_PREFER = 2, KS_EFF_NOEXECUTE = 3,
       KS_EFF_OTHER = 4 };

typedef struct ks_taint {
    ka_str key, value, effect_name;
    uint8_t effect;
} ks_taint;

typedef struct ks_nimage {
    uint32_t name;      /* interned image name */
    int64_t size;
} ks_nimage;

typedef struct ks_node {
    ka_str name;
    uint32_t name_id;
    const ka_object *obj;
    uint32_t ls;        /* label set id */
    ks_taint *taints;
    uint32_t ntaints;
    bool unschedulable;
    bool control_plane;
    uint32_t zone, pool; /* indexes into ks_sim.zones / .pools, KS_NONE when unknown */
    ks_nimage *images;
    uint32_t nimages;
} ks_node;

/* ---- node selectors (k8s.io/component-helpers nodeaffinity) --------------- */

typedef struct ks_field {
    bool not_in;         /* NotIn, else In */
    ka_str value;        /* metadata.name */
} ks_field;

typedef struct ks_nsterm {
    bool valid;          /* false: a parse error, the term never matches */
    bool has_labels;     /* matchExpressions given */
    ka_selector labels;
    uint32_t nfields;
    ks_field *fields;
    int32_t weight;      /* preferred terms */
} ks_nsterm;

typedef struct ks_nodesel {
    uint32_t n;
    ks_nsterm *terms;
} ks_nodesel;

bool ks_nsterm_match(const ks_nsterm *t, const ka_labels *labels, ka_str node_name);
/* ORed terms; a selector with no terms matches nothing */
bool ks_nodesel_match(const ks_nodesel *s, const ka_labels *labels, ka_str node_name);
/* Parse a NodeSelector mapping ({nodeSelectorTerms: [...]}) or, when
 * preferred, a list of PreferredSchedulingTerm. Problems become warnings. */
struct ks_sim;
void ks_nodesel_parse(struct ks_sim *s, const ka_node *n, bool preferred, ks_nodesel *out,
                      const ka_object *o);

/* ---- pod templates --------------------------------------------------------- */

typedef struct ks_toler {
    ka_str key, value;
    uint8_t op;          /* 0 Equal (or empty), 1 Exists, 2 unknown */
    uint8_t effect;      /* KS_EFF_* (ANY: empty) */
} ks_toler;

typedef struct ks_hport {
    ka_str ip;           /* "0.0.0.0" when empty */
    ka_str proto;        /* "TCP" when empty */
    int32_t port;
} ks_hport;

/* Namespace set of a pod affinity term. */
typedef struct ks_nsset {
    bool own;            /* neither namespaces nor namespaceSelector: the owner's */
    uint32_t n;
    uint32_t *ids;       /* explicit namespaces (interned names) */
    bool has_sel;
    ka_selector sel;     /* namespaceSelector ({} = all) */
} ks_nsset;

typedef struct ks_aterm {
    bool sel_valid;      /* labelSelector parsed; else matches nothing */
    ka_selector sel;
    uint32_t nmlk, nmmlk;
    ka_str *mlk, *mmlk;  /* matchLabelKeys, mismatchLabelKeys */
    ks_nsset ns;
    uint32_t key;        /* topologyKey (interned) */
    int32_t weight;      /* preferred terms; 0 for required */
} ks_aterm;

typedef struct ks_tsc {
    int32_t max_skew;
    uint32_t key;
    bool hard;           /* DoNotSchedule */
    bool sel_valid;
    ka_selector sel;
    uint32_t nmlk;
    ka_str *mlk;
    int32_t min_domains;
    bool aff_honor;      /* nodeAffinityPolicy Honor (default) */
    bool taint_honor;    /* nodeTaintsPolicy Honor (default Ignore) */
} ks_tsc;

enum { KS_AT_REQ_AFF, KS_AT_REQ_ANTI, KS_AT_PREF_AFF, KS_AT_PREF_ANTI, KS_AT_N };

typedef struct ks_tmpl {
    const ka_object *obj;      /* the workload or Pod it comes from */
    uint32_t wl;               /* workload index */
    uint32_t ns;               /* namespace (interned name) */
    int32_t priority;
    bool preempt_never;        /* preemptionPolicy: Never */
    bool other_scheduler;      /* schedulerName is not the profile's */
    bool gated;                /* schedulingGates */
    ka_str scheduler_name;
    /* requests (NodeResourcesFit, PodRequests), one per resource id */
    int64_t *req;
    uint32_t nreq;             /* ids with a request > 0, in rlist */
    uint32_t *rlist;
    int64_t nz_cpu, nz_mem;    /* with the 100m / 200Mi defaults for missing requests */
    bool any_scalar;           /* requests some scalar resource */
    ks_hport *ports;
    uint32_t nports;
    ks_toler *tolers;
    uint32_t ntolers;
    bool has_nodesel;          /* spec.nodeSelector non-empty */
    ka_selector nodesel;
    ks_nodesel *req_aff;       /* required node affinity, NULL when none */
    ks_nodesel pref_aff;       /* preferred node affinity terms (weight > 0, valid) */
    bool has_pref_aff;
    bool name_prefilter;       /* every required term pins metadata.name In */
    bool name_conflict;        /* ... and they leave no node */
    uint32_t *allow;           /* allowed node indexes (sorted) when name_prefilter */
    uint32_t nallow;
    ks_tsc *tsc;
    uint32_t ntsc, nhard, nsoft;
    ks_aterm *at[KS_AT_N];
    uint32_t nat[KS_AT_N];
    bool has_affinity;         /* any pod (anti-)affinity at all */
    uint32_t *images;          /* normalised image names of init + regular containers */
    uint32_t nimages;
    uint32_t ncontainers;      /* init + regular (ImageLocality threshold) */
    bool zone_pinned;          /* StatefulSet with volumeClaimTemplates */
    /* lazily built per-node caches (ks_tmpl_static) */
    bool cached;
    uint8_t *sfail;            /* static filter failure plugin (KS_P_*), 0 when it passes */
    uint16_t *staint;          /* index of the untolerated taint */
    int32_t *tt_raw;           /* TaintToleration raw score */
    int32_t *na_raw;           /* NodeAffinity raw score (pod + addedAffinity terms) */
    int32_t *img;              /* ImageLocality score */
} ks_tmpl;

/* ---- workloads, pods, classes --------------------------------------------- */

typedef struct ks_wl {
    uint64_t order;              /* object index in the input */
    ka_str kind, ns, name;
    const ka_object *obj;
    uint32_t ns_id;
    uint32_t first_pod, npods;   /* pods made for it (pending) */
    uint32_t nexisting;          /* bound pods in the input that it owns */
    int64_t replicas;            /* desired, -1 when not applicable */
    bool quorum;                 /* StatefulSet with an odd replica count >= 3 */
    bool daemonset;
    bool has_owner_sel;          /* pods' controller for default spreading: */
    ka_selector owner_sel;       /* its selector (ReplicaSet, StatefulSet, RC) */
} ks_wl;

typedef struct ks_pod {
    ka_str name;
    uint32_t ns;
    uint32_t tmpl, cls, ls, wl;
    int32_t prio;
    uint64_t order;              /* input order: object index << 32 | ordinal */
    uint32_t prebound;           /* node index + 1 for pods bound in the input */
    uint32_t pin;                /* DaemonSet pods: node index + 1 */
    bool terminating;
    bool daemon;                 /* made by a DaemonSet (or a node's mirror pod) */
    bool bare;                   /* no controller: nothing recreates it */
} ks_pod;

/* Counter predicate: a pod counts when it matches every clause. */
typedef struct ks_clause {
    const ka_selector *sel;      /* NULL: matches nothing */
    const ks_nsset *nss;         /* NULL: only namespace `ns` */
    uint32_t ns;                 /* owner namespace for nss->own, or the only one */
} ks_clause;

/* How many bound pods matching a predicate sit in each domain of a topology
 * key (or on each node). */
typedef struct ks_counter {
    uint32_t topo;               /* topology slot, KS_NONE = per node */
    uint32_t nclauses;
    ks_clause *clauses;
    bool skip_terminating;
    uint8_t *elig;               /* per node; NULL = every node (with the key) */
    uint32_t owner_tmpl;         /* template whose eligibility it uses, KS_NONE */
    int32_t nd;                  /* domains (nodes when per node) */
    uint32_t base;               /* offset of its counts in ks_state.cnt */
    /* domains with an eligible node that is up (hard constraints: the
     * domains a skew is measured against), rebuilt when nodes go away */
    uint32_t npresent;
    uint32_t *present;
    uint32_t tot;                /* index of its total in ks_state.tot */
} ks_counter;

/* Existing pods' (anti-)affinity terms, grouped by template term and
 * effective selector; counted per domain of the term's key. */
typedef struct ks_group {
    uint32_t tmpl;
    uint8_t kind;                /* KS_AT_* */
    uint32_t term;
    ka_selector sel;             /* effective (matchLabelKeys merged) */
    bool sel_valid;
    uint32_t owner_ns;
    uint32_t topo;
    int32_t weight;
    uint32_t base;               /* offset into ks_state.cnt */
    uint32_t tot;                /* index of its total in ks_state.tot */
} ks_group;

typedef struct ks_class {
    uint32_t tmpl, ls, ns;
    uint32_t owner;              /* workload whose selector defaults spreading, KS_NONE */
    uint32_t *hard;              /* counter per hard constraint */
    ks_tsc *hard_tsc;            /* the hard constraints (user or default) */
    uint32_t nhard;
    uint32_t *soft_key;          /* topology slot of each score constraint's key */
    uint32_t *soft;              /* counter per score constraint */
    ks_tsc *soft_tsc;            /* score constraints (user or default) */
    uint32_t nsoft;
    bool soft_system;            /* system-defaulted constraints */
    uint8_t *hard_self;          /* selector matches the pod itself */
    uint32_t *at_cnt[KS_AT_N];   /* counter per incoming term (REQ_AFF: all-terms) */
    bool self_aff;               /* pod matches all its own required affinity terms */
    uint32_t *groups;            /* groups the pod's terms belong to */
    uint32_t ngroups;
    /* lazily: counters and groups that pods of this class feed or face */
    bool upd_ready;
    uint32_t nupd;
    uint32_t *upd;               /* counters a bound pod of this class increments */
    bool face_ready;
    uint32_t nface;
    uint32_t *face;              /* groups whose term matches this class */
} ks_class;

typedef struct ks_topo {
    uint32_t key;
    int32_t *dom;                /* per node: domain index, -1 without the label */
    bool single;                 /* every domain is one node (hostname-like) */
    uint32_t nd;
    uint32_t *val;               /* domain -> value id */
} ks_topo;

typedef struct ks_pc {
    ka_str name;
    int32_t value;
    bool global_default;
    bool never;
} ks_pc;

typedef struct ks_pdb {
    const ka_object *obj;
    uint32_t ns;
    ka_selector sel;
    bool sel_valid;
    bool has_min, has_max;
    bool min_pct, max_pct;
    int64_t min, max;            /* value or percent */
} ks_pdb;

typedef struct ks_svc {
    uint32_t ns;
    ka_selector sel;             /* spec.selector as a set selector */
} ks_svc;

/* ---- the profile --------------------------------------------------------- */

enum {
    KS_P_NONE = 0,
    KS_P_NODE_UNSCHEDULABLE, KS_P_NODE_NAME, KS_P_TAINT, KS_P_NODE_AFFINITY, KS_P_NODE_PORTS,
    KS_P_FIT, KS_P_SPREAD, KS_P_IPA, KS_P_BALANCED, KS_P_IMAGE, KS_P_VOLUME,
    KS_P_N
};
enum { KS_SS_LEAST = 0, KS_SS_MOST = 1, KS_SS_RTCR = 2 };

typedef struct ks_rspec {
    uint32_t res;                /* resource id */
    int64_t weight;
} ks_rspec;

typedef struct ks_profile {
    ka_str scheduler_name;
    uint8_t filters[KS_P_N];     /* filter order */
    uint32_t nfilters;
    uint8_t scores[KS_P_N];
    uint32_t nscores;
    int32_t weight[KS_P_N];
    bool prefilter[KS_P_N];      /* PreFilter enabled (NodeAffinity allow-list) */
    bool preemption;             /* DefaultPreemption PostFilter */
    /* NodeResourcesFit */
    uint8_t strategy;
    ks_rspec *fit_res;
    uint32_t nfit_res;
    int64_t shape_u[16], shape_s[16];
    uint32_t nshape;
    uint32_t nignored;
    ka_str *ignored;             /* ignoredResources */
    uint32_t nignored_groups;
    ka_str *ignored_groups;
    /* NodeResourcesBalancedAllocation */
    ks_rspec *bal_res;
    uint32_t nbal_res;
    /* PodTopologySpread */
    bool spread_system;          /* defaultingType System */
    ks_tsc *default_tsc;
    uint32_t ndefault_tsc;
    /* InterPodAffinity */
    int32_t hard_weight;
    bool ignore_existing_pref;
    /* NodeAffinity addedAffinity */
    ks_nodesel *added_req;
    ks_nodesel added_pref;
    bool has_added_pref;
} ks_profile;

const char *ks_plugin_name(uint8_t p);
void ks_profile_default(struct ks_sim *s, ks_profile *p);
/* Read a KubeSchedulerConfiguration; -1 (diagnostics added) on errors. */
int ks_profile_load(struct ks_sim *s, const char *path, ks_profile *p);

/* ---- mutable state (copied per failure scenario) --------------------------- */

typedef struct ks_state {
    uint32_t nnodes, npods, nres;
    int64_t *used;               /* nnodes * nres requested */
    int64_t *nz;                 /* nnodes * 2: non-zero cpu, memory */
    int32_t *npod;               /* pods per node */
    uint8_t *alive;              /* node present */
    int32_t *pod_node;           /* per pod: node index or -1 */
    uint32_t *nver;              /* per node change counter (caches) */
    int32_t *cnt;                /* every counter's and group's domain counts */
    size_t ncnt;
    int32_t *tot;                /* per counter, then per group: sum of its counts */
    uint32_t ntot;
    uint32_t gen;                /* bumped when a pod is unbound (fast-path caches) */
    uint64_t ver;                /* bumped on every bind and unbind */
    uint32_t *ports_n;           /* per node: used host ports */
    ks_hport **ports;            /* per node arrays (heap) */
    uint32_t *ports_cap;
    int32_t *zone_pin;           /* failure scenarios: per pod, zone its volumes live in, -1 */
} ks_state;

/* ---- results --------------------------------------------------------------- */

enum { KS_OUT_PENDING = 0, KS_OUT_PLACED, KS_OUT_UNSCHEDULABLE, KS_OUT_PREBOUND, KS_OUT_SKIPPED,
       KS_OUT_EVICTED };

typedef struct ks_victims {
    uint32_t node;               /* chosen node */
    uint32_t n;
    uint32_t *pods;
} ks_victims;

/* --explain: one node's result for one pod. */
typedef struct ks_xnode {
    uint32_t node;
    uint8_t plugin;              /* failing plugin, 0 feasible */
    uint8_t nr;
    uint32_t reasons[8];         /* reason ids */
    int64_t score;               /* weighted total (feasible) */
    int64_t sc[KS_P_N];          /* normalised scores (feasible, plugins that ran) */
} ks_xnode;

typedef struct ks_explain {
    uint32_t n;
    ks_xnode *v;
    bool ran[KS_P_N];            /* score plugins that ran (not skipped) */
} ks_explain;

typedef struct ks_podres {
    uint8_t outcome;
    char *message;               /* FitError text (heap) or skip reason */
    ks_explain *explain;         /* --explain (heap), NULL */
    char *preempt_msg;           /* PostFilter message (heap) */
    ks_victims *victims;         /* preemption plan, NULL when none */
    bool preempted;              /* evicted by --preempt */
} ks_podres;

/* One failure scenario's outcome. */
typedef struct ks_scen_pod {
    uint32_t pod;
    int32_t from, to;            /* node before, after (-1: lost) */
    char *message;
} ks_scen_pod;

typedef struct ks_breach {
    uint8_t kind;                /* 0 PDB, 1 quorum, 2 control plane */
    uint32_t ref;                /* pdb index or workload index */
    int64_t want, have, have_now; /* required, after rescheduling, right after the loss */
    int64_t total;
} ks_breach;

typedef struct ks_scenario {
    char *name;                  /* "zone=a" ... */
    uint32_t nlost_nodes;
    uint32_t *lost_nodes;
    uint32_t ndisplaced, nrescheduled, nunsched;
    ks_scen_pod *pods;           /* displaced pods */
    uint32_t npods;
    ks_breach *breaches;
    uint32_t nbreaches;
    bool broken;
    int64_t need_cpu, need_mem;  /* requests of the pods that did not fit */
    int64_t free_cpu, free_mem;  /* free allocatable left on schedulable nodes */
    int64_t cp_total, cp_alive;  /* control-plane nodes */
    bool cp_quorum;
    uint32_t *wl_now, *wl_after; /* per workload: pods running right after the loss, after
                                    rescheduling */
} ks_scenario;

/* ---- the simulator -------------------------------------------------------- */

struct ks_sim {
    ka_arena *a;
    const ka_objset *set;        /* the input */
    ka_objset *gen;              /* objects made from an Architecture spec, or NULL */
    ka_diags *diags;
    const ka_sim_opts *opts;
    ks_strtab str;
    ka_hmap lsmap;               /* label-set key -> id */
    ks_lset *ls;
    uint32_t nls, capls;
    /* resources */
    uint32_t nres;
    uint32_t *res_name;          /* interned names; 0..2 fixed */
    /* nodes */
    ks_node *nodes;
    uint32_t nnodes;
    int64_t *alloc;              /* nnodes * nres */
    int64_t *alloc_pods;
    ka_hmap node_by_name;        /* name -> index + 1 */
    uint32_t *img_nodes;         /* per image name id: nodes having it (sized lazily) */
    uint32_t nimg_nodes;
    ka_str *zones, *pools;
    uint32_t nzones, npools;
    /* namespaces */
    uint32_t *ns_ls;             /* per interned id: label set of the namespace (0 none) */
    uint32_t nns_ls;
    /* topology */
    ks_topo *topo;
    uint32_t ntopo;
    uint32_t hostname_key, zone_key;
    /* policy objects */
    ks_pc *pcs;
    uint32_t npcs;
    ks_pdb *pdbs;
    uint32_t npdbs;
    ks_svc *svcs;
    uint32_t nsvcs;
    /* workloads and pods */
    ks_wl *wls;
    uint32_t nwls, capwls;
    ks_tmpl *tmpls;
    uint32_t ntmpls, captmpls;
    ks_pod *pods;
    uint32_t npods, cappods;
    ks_class *cls;
    uint32_t ncls, capcls;
    ka_hmap cls_map;             /* tmpl/ls/owner -> class + 1 */
    ka_hmap tmpl_map;            /* scheduling signature of an input Pod -> template + 1 */
    ks_counter *ctr;
    uint32_t nctr, capctr;
    ka_hmap ctr_map;             /* signature -> counter + 1 */
    ks_group *grp;
    uint32_t ngrp, capgrp;
    ka_hmap grp_map;
    size_t ncnt;                 /* ints of domain counts in a state */
    ks_profile prof;
    ka_file *cfg_file;           /* the KubeSchedulerConfiguration, kept for its strings */
    /* scheduling */
    ks_state st;
    ks_podres *res;              /* per pod */
    uint32_t *queue;             /* scheduling order of pending pods */
    uint32_t nqueue;
    /* reason strings of the FitError histogram */
    ks_strtab reasons;
    /* scratch for one scheduling cycle */
    struct ks_scratch *scr;
    struct ks_fast *fast;
    bool verify_fast;            /* KUBEARCH_SIM_VERIFY: check every fast decision */
    /* an Architecture spec as input */
    const char *spec_cluster;    /* the cluster simulated (owned by the spec), NULL */
    uint32_t netcd;              /* external etcd members, 0 when stacked / unknown */
    uint32_t *etcd_zone;         /* their zones (index into zones, KS_NONE) */
    ka_str *etcd_zone_name;
    /* failure scenarios */
    uint32_t *wl_before;         /* per workload: pods running after placement */
    ks_scenario *scen;
    uint32_t nscen;
    bool each_zone;
    /* statistics */
    uint32_t nplaced, nunsched, nprebound, nskipped, npreempted;
    double elapsed;
    ka_buf tmp;
};
typedef struct ks_sim ks_sim;

/* build.c */
int ks_build(ks_sim *s);
uint32_t ks_lset_intern(ks_sim *s, const ka_labels *l);
uint32_t ks_res_id(ks_sim *s, ka_str name, bool create);
uint32_t ks_topo_slot(ks_sim *s, uint32_t key);
const ka_labels *ks_ns_labels(const ks_sim *s, uint32_t ns);
void ks_warn(ks_sim *s, const ka_object *o, const ka_node *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* quantity.c */
bool ks_nano_parse(ka_str text, ks_nano *out);
int64_t ks_nano_milli(ks_nano v);
int64_t ks_nano_value(ks_nano v);
void ks_format_qty(uint32_t res, int64_t v, ka_buf *out);

/* tmpl.c */
uint32_t ks_tmpl_add(ks_sim *s, const ka_object *o, const ka_node *pspec, const ka_node *meta,
                     uint32_t wl);
void ks_tmpl_static(ks_sim *s, ks_tmpl *t);
bool ks_tolerates(const ks_toler *t, uint32_t n, const ks_taint *taint);
bool ks_req_aff_match(const ks_sim *s, const ks_tmpl *t, uint32_t node);
bool ks_nsset_has(const ks_sim *s, const ks_nsset *ns, uint32_t owner_ns, uint32_t ns_id);

/* counter.c */
uint32_t ks_class_get(ks_sim *s, uint32_t tmpl, uint32_t ls, uint32_t wl);
void ks_counters_finish(ks_sim *s);
void ks_state_init(ks_sim *s, ks_state *st);
void ks_state_copy(ks_state *dst, const ks_state *src);
void ks_state_free(ks_state *st);
void ks_bind(ks_sim *s, ks_state *st, uint32_t pod, uint32_t node);
void ks_unbind(ks_sim *s, ks_state *st, uint32_t pod);
void ks_counters_rebuild(ks_sim *s, ks_state *st);
static inline int32_t *ks_ctr_counts(ks_state *st, const ks_counter *c) { return st->cnt + c->base; }
bool ks_clause_match(const ks_sim *s, const ks_clause *c, uint32_t ns, uint32_t ls);
void ks_class_face(ks_sim *s, ks_class *c);

/* cycle.c */
typedef struct ks_podctx {
    const ks_pod *p;
    const ks_tmpl *t;
    ks_class *c;
    bool do_ports, do_spread, do_ipa;
    bool ipa_aff, ipa_anti;
    bool aff_pass_all;           /* first pod of a self-affine group */
    uint32_t nanti;              /* faced required anti-affinity groups with pods */
    const uint32_t *anti;        /* ... their ids (scratch) */
    const int32_t *hmin;         /* per hard constraint: global minimum (scratch) */
} ks_podctx;
void ks_podctx_setup(ks_sim *s, uint32_t p, ks_podctx *pc);
void ks_prefilter(ks_sim *s, ks_state *st, ks_podctx *pc);
int64_t ks_fit_score(const ks_sim *s, const ks_state *st, const ks_tmpl *t, uint32_t n);
bool ks_local_ok(ks_sim *s, ks_state *st, const ks_podctx *pc, uint32_t n);
bool ks_balanced_skip(const ks_sim *s, const ks_tmpl *t);
int64_t ks_balanced_score(const ks_sim *s, const ks_state *st, const ks_tmpl *t, uint32_t n);
typedef struct ks_cycle_out {
    int32_t node;                /* chosen node, -1 */
    char *message;               /* FitError when no node */
    bool resolvable_any;         /* some node failed only with Unschedulable */
    uint8_t *node_status;        /* per node: 0 fits, 1 Unschedulable, 2 unresolvable (scratch) */
} ks_cycle_out;
void ks_scratch_init(ks_sim *s);
void ks_scratch_free(ks_sim *s);
/* Run PreFilter, Filter, Score for pod p against st; fills out. When explain
 * is non-NULL, the per-node JSON array is appended to it. */
void ks_cycle(ks_sim *s, ks_state *st, uint32_t p, ks_cycle_out *out, ks_explain *explain);
/* Filter only (no scoring): does pod p fit node n in st? */
bool ks_fits_node(ks_sim *s, ks_state *st, uint32_t p, uint32_t n);
/* Reason ids recorded for node n by the last filter run on it. */
uint32_t ks_node_reasons(ks_sim *s, uint32_t n, const uint32_t **ids);
int ks_schedule_all(ks_sim *s);
/* Place pods (sorted into queue order in place); to[i] = node or -1 with
 * the FitError in msg[i] (heap). */
void ks_reschedule(ks_sim *s, ks_state *st, uint32_t *pods, uint32_t n, int32_t *to, char **msg);

void ks_explain_free(ks_explain *e);

/* fast.c: the same decisions as ks_cycle, for runs of pods of one class,
 * without visiting every node for every pod. */
typedef struct ks_fast ks_fast;
ks_fast *ks_fast_new(ks_sim *s);
void ks_fast_free(ks_fast *f);
/* The node ks_cycle would choose for pod p, or -1 when the fast path does
 * not apply or no node fits (run ks_cycle then). */
int32_t ks_fast_pick(ks_fast *f, ks_state *st, uint32_t p);
/* Tell the fast path that pod p was bound to node n in st. */
void ks_fast_bound(ks_fast *f, ks_state *st, uint32_t p, uint32_t n);

/* spec.c: objects made from an Architecture spec in the input (s->gen) */
int ks_spec_objects(ks_sim *s);

/* preempt.c */
void ks_preempt(ks_sim *s, ks_state *st, uint32_t p, ks_cycle_out *co, bool apply,
                uint32_t **requeue, uint32_t *nrequeue, uint32_t *capreq);

/* failure.c */
int ks_failures(ks_sim *s);
int64_t ks_pdb_min_available(const ks_pdb *d, int64_t expected);

/* report.c: see ka_sim_write_* in sched.h */

#endif
