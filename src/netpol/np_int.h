/*
 * np_int.h - internals of the NetworkPolicy analysis (src/netpol/ and the
 * NET-010.. rules). Not a public header.
 *
 * Vocabulary:
 *   endpoint  what the user names: a Pod, a workload (for its pods), an external
 *   member    one concrete thing an endpoint stands for: an input Pod, a
 *             workload's pod template, or one address range of an external
 *   class     members that no policy can tell apart (same namespace, labels,
 *             named container ports, host flag and ipBlock matches); every
 *             policy question is answered once per class
 *   unit      one CIDR test shared by the classes (an ipBlock with its
 *             excepts, or one AdminNetworkPolicy network)
 */
#ifndef KA_NP_INT_H
#define KA_NP_INT_H

#include "kubearch/netpol.h"
#include "../core/hmap.h"

/* ---- addresses (ip.c) -------------------------------------------------- */
typedef struct np_addr {
    uint8_t fam;           /* 4 or 6 */
    uint64_t hi, lo;       /* IPv4: hi 0, lo the 32-bit value */
} np_addr;

typedef struct np_cidr {
    np_addr a;             /* network address (host bits cleared) */
    unsigned bits;
} np_cidr;

/* 0 ok; -1 not an address. */
int np_addr_parse(ka_str s, np_addr *out);
/* "a.b.c.d/n" or "x::/n"; 0 ok, -1 bad (message in err). A bare address is
 * accepted only with allow_bare (it becomes a /32 or /128). */
int np_cidr_parse(ka_str s, bool allow_bare, np_cidr *out, char *err, size_t errn);
bool np_cidr_contains(const np_cidr *c, const np_addr *a);
/* The first `bits` bits of the address (family-relative), the rest cleared. */
np_addr np_addr_mask(const np_addr *a, unsigned bits);
/* inner is inside outer and strictly smaller */
bool np_cidr_strict_subset(const np_cidr *inner, const np_cidr *outer);
void np_cidr_last(const np_cidr *c, np_addr *out);
int np_addr_cmp(const np_addr *x, const np_addr *y);
/* x + 1; false on overflow of the family's range */
bool np_addr_next(const np_addr *x, np_addr *out);
void np_addr_text(const np_addr *a, ka_buf *out);

/* ---- bitsets ------------------------------------------------------------ */
static inline bool np_bit(const uint64_t *b, size_t i) { return (b[i >> 6] >> (i & 63)) & 1u; }
static inline void np_setbit(uint64_t *b, size_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }

/* ---- small vectors ------------------------------------------------------ */
typedef struct np_u32vec {
    size_t n, cap;
    uint32_t *v;
} np_u32vec;
void np_u32_push(np_u32vec *v, uint32_t x);

/* ---- compiled policies (compile.c) --------------------------------------- */
enum { NP_TIER_ADMIN = 0, NP_TIER_NP = 1, NP_TIER_BASELINE = 2 };
enum { NP_ALLOW = 0, NP_DENY = 1, NP_PASS = 2 };
enum { NP_DIR_IN = 0, NP_DIR_OUT = 1 }; /* index of rules[] */

enum { NP_PORT_ALLPORTS = 0, NP_PORT_RANGE = 1, NP_PORT_NAMED = 2 };
typedef struct np_port {
    uint8_t kind, proto;
    uint16_t lo, hi;
    ka_str name;
    const ka_node *node;
} np_port;

enum { NP_PEER_SEL = 0, NP_PEER_CIDR = 1, NP_PEER_NOTHING = 2 };
enum { NP_NS_OWN = 0, NP_NS_SEL = 1 };
typedef struct np_peer {
    uint8_t kind;
    uint8_t ns_mode;        /* NP_PEER_SEL: own namespace or namespaceSelector */
    bool has_podsel;        /* false: every pod of the namespaces */
    ka_selector nssel, podsel;
    uint32_t unit;          /* NP_PEER_CIDR: index into the units */
    uint32_t cset;          /* classes it matches (np_select): index into the
                               csets, NP_CSET_NONE when it matches nothing */
    const ka_node *node;
} np_peer;

#define NP_CSET_NONE UINT32_MAX

/* The classes one peer matches, shared by every peer with the same meaning
 * (same selectors, and the same namespace for a podSelector alone; the same
 * ipBlock): thousands of policies repeat a handful of cross-namespace peers,
 * and each distinct one is evaluated once. */
typedef struct np_cset {
    np_u32vec cls;          /* class indexes, ascending, unique */
    uint64_t *bits;         /* the same as a bitset (words) when large, or NULL */
} np_cset;
bool np_cset_has(const np_cset *s, uint32_t cls);

typedef struct np_rule {
    int index;              /* position in spec.ingress / spec.egress */
    ka_str name;            /* ANP / BANP rule name */
    uint8_t action;         /* NP_ALLOW (always for NetworkPolicy), NP_DENY, NP_PASS */
    bool all_peers;         /* from / to absent or empty: every source / destination */
    size_t npeers;
    np_peer *peers;
    bool all_ports;         /* ports absent or empty */
    size_t nports;
    np_port *ports;
    const ka_node *node;
    uint64_t *match;        /* classes the peers match as a bitset (NULL when
                               all_peers, or in a model built without bitsets:
                               then the peers' csets answer) */
} np_rule;

typedef struct np_policy {
    const ka_object *obj;
    uint8_t tier;
    int32_t priority;       /* ANP */
    uint32_t ns;            /* NetworkPolicy: its namespace */
    unsigned types;         /* NetworkPolicy: effective policyTypes */
    bool subj_all_ns;       /* ANP subject namespaces: {} ... */
    bool subj_has_podsel;
    ka_selector subj_nssel; /* ANP / BANP subject namespaces */
    ka_selector podsel;     /* NP spec.podSelector, ANP subject pods.podSelector */
    size_t nrules[2];
    np_rule *rules[2];
} np_policy;

typedef struct np_unit {
    np_cidr cidr;
    size_t nexcept;
    np_cidr *except;
    bool pod_ips;           /* may match (non-hostNetwork) pod IPs */
} np_unit;

/* ---- the model ----------------------------------------------------------- */
typedef struct np_ns {
    ka_str name;
    ka_labels labels;       /* with kubernetes.io/metadata.name */
    np_u32vec classes;
} np_ns;

typedef struct np_cport {
    ka_str name;
    uint16_t proto, port;
} np_cport;

typedef struct np_member {
    uint32_t ep, cls;
    bool host;              /* hostNetwork, treated as the node (node mode) */
    const ka_object *obj;   /* the Pod or workload it comes from (NULL: external) */
    ka_labels labels;
    size_t naddrs;
    np_addr *addrs;
    size_t ncports;
    np_cport *cports;       /* named container ports */
} np_member;

typedef struct np_class {
    uint32_t ns;            /* UINT32_MAX: outside the cluster */
    bool external;
    bool host;              /* hostNetwork pods in node mode: no policy applies */
    bool hostnet;           /* hostNetwork pods whatever the mode (ANP never selects them) */
    uint32_t rep;           /* representative member */
    np_u32vec members;      /* member indexes */
    np_u32vec eps;          /* endpoint indexes, sorted by rank, unique */
    uint32_t *epranks;      /* their ranks (the public endpoint indexes) */
    np_u32vec pol[2];       /* NetworkPolicies selecting it that isolate the direction */
    np_u32vec admin[2];     /* ANPs whose subject selects it, in precedence order */
    np_u32vec base[2];      /* BANPs whose subject selects it */
    uint32_t rank;          /* output order */
    size_t nsig;
    uint32_t *sig;          /* units its addresses match, ascending (nsig of them) */
} np_class;

typedef struct np_ep {
    ka_np_endpoint pub;
    np_u32vec members;
    uint32_t rank;
    np_cidr ext;            /* externals: the range */
} np_ep;

struct ka_netpol {
    const ka_objset *set;
    ka_netpol_opts opts;
    bool dense;             /* per-rule match bitsets (the matrix needs them) */
    ka_arena *arena;
    ka_hmap nsmap;          /* name -> index + 1 */
    size_t nns, capns;
    np_ns *ns;
    size_t neps, capeps;
    np_ep *eps;
    uint32_t *order;        /* sorted position -> eps index */
    ka_hmap epnames;        /* endpoint name -> sorted position + 1 (the first) */
    uint32_t *corder;       /* sorted position -> classes index */
    size_t nmembers, capmembers;
    np_member *members;
    size_t nclasses, capclasses;
    np_class *classes;
    size_t words;           /* 64-bit words of a class bitset */
    size_t nunits, capunits;
    np_unit *units;
    ka_hmap unitmap;        /* canonical text -> index + 1 */
    size_t npol, cappol;
    np_policy *pol;
    size_t npolicies_np, nadmin, nbase;
    size_t ncsets, capcsets;
    np_cset *csets;
    bool keep_issues;       /* np_compile_all keeps each invalid policy's issues */
    ka_hmap issues;         /* object pointer bytes -> np_issues* */
    ka_ptrvec issue_lists;  /* those np_issues*, to free */
};

/* A validation error with its node (for the lint rule that reports them). */
typedef struct np_issue {
    const ka_node *node;
    char *msg;               /* heap */
} np_issue;

typedef struct np_issues {
    size_t n, cap;
    np_issue *v;
} np_issues;
void np_issues_free(np_issues *v);

/* compile.c: every NP / ANP / BANP into net->pol (invalid ones reported and skipped) */
void np_compile_all(ka_netpol *net, ka_diags *d);
/* The validation issues of policy o (kept when net->keep_issues), or NULL
 * when it is valid (or not a policy). */
const np_issues *np_policy_issues(const ka_netpol *net, const ka_object *o);
/* compile.c: one NP / ANP / BANP. Returns false when invalid; the reasons go
 * to d and / or issues (either may be NULL). */
bool np_compile_one(ka_netpol *net, const ka_object *o, np_policy *out, ka_diags *d,
                    np_issues *issues);
/* A throw-away analysis context for compiling without a model. */
ka_netpol *np_context_new(const ka_objset *s);

/* model.c */
/* ka_netpol_build, with or without the per-rule match bitsets: without them
 * the model stays linear in the input (what the lint rules use), with them
 * it is what the matrix and the questions need. */
ka_netpol *np_build(const ka_objset *s, const ka_netpol_opts *o, ka_diags *d, bool dense);
/* The same in two steps: the namespaces and the compiled policies (keeping
 * the issues of invalid ones with keep_issues), then the rest of the model. */
ka_netpol *np_build_policies(const ka_objset *s, const ka_netpol_opts *o, ka_diags *d,
                             bool keep_issues);
void np_build_model(ka_netpol *net, ka_diags *d, bool dense);
uint32_t np_ns_intern(ka_netpol *net, ka_str name);
long np_ns_find(const ka_netpol *net, ka_str name);
/* classes.c */
bool np_unit_matches(const ka_netpol *net, const np_unit *u, const np_member *m);
void np_build_classes(ka_netpol *net);
void np_select(ka_netpol *net);   /* policy subjects and rule peers, as classes */
void np_order(ka_netpol *net);    /* endpoint and class ranks */

/* eval.c */
typedef struct np_scratch {
    ka_portset t[6];
} np_scratch;
void np_scratch_free(np_scratch *s);
/* Ports of dst the named/numbered entries of a rule stand for (out replaced). */
void np_resolve_ports(const ka_netpol *net, const np_rule *r, uint32_t dst_cls, ka_portset *out);
bool np_rule_matches(const ka_netpol *net, const np_rule *r, uint32_t peer_cls);
/* One side of one connection at class level. dir NP_DIR_OUT: self is the
 * source and peer the destination; NP_DIR_IN: self the destination. */
void np_side(const ka_netpol *net, int dir, uint32_t self, uint32_t peer, ka_portset *allowed,
             np_scratch *sc, ka_np_explain *ex);
void np_pair(const ka_netpol *net, uint32_t src, uint32_t dst, ka_portset *out, np_scratch *sc,
             ka_np_explain *ex);

#endif
