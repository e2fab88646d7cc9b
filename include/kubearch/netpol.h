/*
 * kubearch/netpol.h - NetworkPolicy (networking.k8s.io/v1), AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) reachability.
 *
 * Three layers:
 *   1. helpers about one NetworkPolicy (policyTypes defaulting, per-direction
 *      isolation, "does this policy select this pod"), shared with the
 *      coverage rules NET-001..NET-004;
 *   2. port sets (protocol + port ranges), the unit every answer is given in;
 *   3. the analysis: endpoints (Pods, workloads standing for their pods,
 *      external IPs / CIDRs), grouped into equivalence classes, the answer for
 *      one ordered pair (optionally with the policies and rules that decided
 *      it) and the whole connectivity matrix.
 * Semantics: docs/netpol.md.
 */
#ifndef KUBEARCH_NETPOL_H
#define KUBEARCH_NETPOL_H

#include "base.h"
#include "diag.h"
#include "object.h"

/* ==== 1. one NetworkPolicy ============================================ */

#define KA_NETPOL_INGRESS 1u
#define KA_NETPOL_EGRESS 2u

/* Effective policyTypes of a NetworkPolicy as a mask of KA_NETPOL_INGRESS |
 * KA_NETPOL_EGRESS: spec.policyTypes taken literally when it lists something
 * (unknown entries ignored); when absent or empty the API server's defaulting
 * (len(policyTypes) == 0): Ingress always, Egress when spec.egress holds at
 * least one rule. */
unsigned ka_netpol_types(const ka_object *policy);
/* true when spec.policyTypes lists at least one entry. */
bool ka_netpol_types_explicit(const ka_object *policy);
/* Does the policy isolate the pods it selects for egress (true) or ingress (false)? */
bool ka_netpol_isolates(const ka_object *policy, bool egress);
/* spec.hostNetwork of a Pod or of a workload's pod template. */
bool ka_netpol_host_network(const ka_object *pod);
/* Does the policy select this pod-bearing object (Pod or workload): same
 * namespace, spec.podSelector (absent or {} = every pod) matches the pod
 * (template) labels, and the pod is not hostNetwork (policies do not apply to
 * hostNetwork pods in the usual "node" model). An invalid podSelector selects
 * nothing. */
bool ka_netpol_selects(const ka_object *policy, const ka_object *pod);

/* ==== 2. port sets ====================================================== */

typedef enum ka_proto { KA_PROTO_TCP = 0, KA_PROTO_UDP = 1, KA_PROTO_SCTP = 2 } ka_proto;
#define KA_NPROTO 3
#define KA_PORT_MIN 1
#define KA_PORT_MAX 65535

/* "TCP", "UDP", "SCTP" (exact case, as the API); -1 otherwise. */
int ka_proto_parse(ka_str s);
const char *ka_proto_name(ka_proto p);

typedef struct ka_portrange {
    uint16_t proto;   /* ka_proto */
    uint16_t lo, hi;  /* inclusive, KA_PORT_MIN..KA_PORT_MAX */
} ka_portrange;

/* A set of (protocol, port): sorted, disjoint, non-adjacent ranges. Heap
 * storage; ka_portset_free releases it. A zeroed struct is the empty set. */
typedef struct ka_portset {
    size_t n, cap;
    ka_portrange *v;
} ka_portset;

void ka_portset_free(ka_portset *s);
static inline void ka_portset_clear(ka_portset *s) { s->n = 0; }
static inline bool ka_portset_empty(const ka_portset *s) { return s->n == 0; }
void ka_portset_all(ka_portset *s);                       /* every port of every protocol */
void ka_portset_add(ka_portset *s, ka_proto p, unsigned lo, unsigned hi);
void ka_portset_copy(ka_portset *dst, const ka_portset *src);
void ka_portset_union(ka_portset *dst, const ka_portset *a);        /* dst |= a */
void ka_portset_intersect(ka_portset *dst, const ka_portset *a);    /* dst &= a */
void ka_portset_subtract(ka_portset *dst, const ka_portset *a);     /* dst -= a */
bool ka_portset_equal(const ka_portset *a, const ka_portset *b);
bool ka_portset_is_all(const ka_portset *s);
bool ka_portset_contains(const ka_portset *s, ka_proto p, unsigned port);
/* "all", "none", or "TCP 80,8000-8100; UDP 53; SCTP all". */
void ka_portset_text(const ka_portset *s, ka_buf *out);
/* "all" (JSON string), or [{"protocol":"TCP","port":80},{"protocol":"TCP",
 * "port":8000,"endPort":8100},{"protocol":"UDP"}] (no port: every port). */
void ka_portset_json(const ka_portset *s, ka_buf *out);

/* ==== 3. the analysis ===================================================== */

typedef struct ka_netpol_opts {
    /* NetworkPolicy ipBlocks match pod IPs (status.podIP / podIPs): true is the
     * upstream e2e behaviour (Calico, Antrea, OVN-K); false is Cilium's, where
     * ipBlocks only match traffic from outside the cluster. */
    bool ipblock_pod_ips;
    /* false ("node", the default): hostNetwork pods are neither selected nor
     * isolated by policies and no pod selector matches them; their IPs are
     * node IPs that ipBlocks may match. true ("pod"): they are ordinary pods. */
    bool host_network_pods;
    /* --external values: IPs or CIDRs outside the cluster, each an endpoint
     * named by its text. */
    const char *const *externals;
    size_t nexternals;
} ka_netpol_opts;

void ka_netpol_opts_default(ka_netpol_opts *o);
/* An IP address or CIDR, as --external takes. */
bool ka_netpol_is_address(const char *s);

typedef enum ka_np_epkind { KA_EP_POD = 0, KA_EP_WORKLOAD = 1, KA_EP_EXTERNAL = 2 } ka_np_epkind;

/* An endpoint: what the matrix names. A workload stands for its pods (its
 * template, or the input Pods it owns through ownerReferences). */
typedef struct ka_np_endpoint {
    const char *name;          /* "ns/name", "ns/Kind/name", or the --external text */
    ka_np_epkind kind;
    const ka_object *obj;      /* NULL for externals */
    ka_str ns;                 /* empty for externals */
    bool host_network;
    size_t nmembers;           /* pods (or address ranges) it stands for */
} ka_np_endpoint;

typedef struct ka_netpol ka_netpol;

/* Compile every NetworkPolicy / ANP / BANP of the (indexed) set and group the
 * endpoints. Invalid policies, peers and ports are reported as error
 * diagnostics with file:line:col (as the API server would reject them) and
 * left out; invalid --external values too. Never returns NULL. The set must
 * outlive the analysis. */
ka_netpol *ka_netpol_build(const ka_objset *s, const ka_netpol_opts *o, ka_diags *d);
void ka_netpol_free(ka_netpol *np);

/* Endpoints, sorted: in-cluster ones by name, then externals in option order. */
size_t ka_netpol_nendpoints(const ka_netpol *np);
const ka_np_endpoint *ka_netpol_endpoint(const ka_netpol *np, size_t i);
/* Index of the endpoint with this name, or -1. */
long ka_netpol_find(const ka_netpol *np, const char *name);
size_t ka_netpol_nclasses(const ka_netpol *np);
size_t ka_netpol_npolicies(const ka_netpol *np); /* compiled NP + ANP + BANP */

/* One step of an explanation: which policy (rule) isolated a side, or
 * allowed / denied / passed which ports of the pair. */
typedef enum ka_np_stepkind {
    KA_STEP_OPEN = 0,       /* side not isolated: every port allowed */
    KA_STEP_EXTERNAL,       /* side is outside the cluster: no policy applies */
    KA_STEP_HOSTNET,        /* hostNetwork pod in node mode: no policy applies */
    KA_STEP_ISOLATED,       /* policy selects the pod for this direction */
    KA_STEP_ALLOW,          /* rule allows ports */
    KA_STEP_DENY,           /* ANP / BANP rule denies ports */
    KA_STEP_PASS,           /* ANP rule passes ports to the NetworkPolicy tier */
    KA_STEP_NO_RULE,        /* isolated, no rule matched these ports: denied */
    KA_STEP_BASELINE_OPEN,  /* no tier decided: allowed by default */
} ka_np_stepkind;

typedef struct ka_np_step {
    unsigned side;            /* KA_NETPOL_EGRESS (source side) or KA_NETPOL_INGRESS */
    ka_np_stepkind kind;
    const ka_object *policy;  /* NULL for OPEN, EXTERNAL, HOSTNET, NO_RULE, BASELINE_OPEN */
    int rule;                 /* index in spec.ingress / spec.egress, -1 for none */
    ka_str rule_name;         /* ANP / BANP rule name (may be empty) */
    ka_portset ports;         /* ports this step decided (empty for ISOLATED) */
} ka_np_step;

typedef struct ka_np_explain {
    size_t n, cap;
    ka_np_step *v;
} ka_np_explain;

void ka_np_explain_free(ka_np_explain *e);

/* The ports allowed from endpoint `from` to endpoint `to` (out is replaced;
 * for an endpoint standing for several pods or addresses: the ports allowed
 * for every one of them). With ex != NULL the steps that decided each side
 * are appended (for the first member of each endpoint). */
void ka_netpol_query(const ka_netpol *np, size_t from, size_t to, ka_portset *out,
                     ka_np_explain *ex);

/* One allowed ordered pair of the matrix. */
typedef struct ka_np_conn {
    uint32_t from, to;        /* endpoint indexes (or class indexes, see below) */
    uint32_t ports;           /* index into the matrix's distinct port sets */
} ka_np_conn;

typedef struct ka_np_matrix {
    size_t n, cap;
    ka_np_conn *v;
    size_t nsets, capsets;
    ka_portset *sets;         /* distinct non-empty port sets, shared by pairs */
    bool by_class;            /* from / to are class indexes */
} ka_np_matrix;

/* Every allowed ordered pair of distinct endpoints (self pairs are left out),
 * sorted by (from, to) endpoint order. by_class: pairs of equivalence classes
 * instead (a class with several members is paired with itself). */
void ka_netpol_matrix(const ka_netpol *np, bool by_class, ka_np_matrix *out);
void ka_np_matrix_free(ka_np_matrix *m);

/* An equivalence class: endpoints (members) that no policy can tell apart:
 * same namespace, labels, named container ports, address matches, host flag. */
typedef struct ka_np_class {
    ka_str ns;                /* empty for external address ranges */
    ka_labels labels;         /* pod labels of the representative */
    size_t nmembers;
    const uint32_t *members;  /* endpoint indexes (sorted, de-duplicated) */
} ka_np_class;

ka_np_class ka_netpol_class(const ka_netpol *np, size_t i);
/* "ns[app=web,tier=front]" or the external text. */
void ka_netpol_class_name(const ka_netpol *np, size_t i, ka_buf *out);

/* The number a named port of the destination endpoint stands for (its first
 * member's running containers, same protocol); -1 when it defines none. */
long ka_netpol_named_port(const ka_netpol *np, size_t to, ka_str name, ka_proto proto);

/* ---- writers ---------------------------------------------------------- */

typedef enum ka_np_format { KA_NP_TEXT = 0, KA_NP_JSON, KA_NP_CSV, KA_NP_DOT } ka_np_format;

/* "text", "json", "csv", "dot"; -1 otherwise. */
int ka_np_format_parse(const char *s);
/* The matrix (endpoint or class pairs). The text form ends with a summary line. */
void ka_netpol_write_matrix(FILE *f, const ka_netpol *np, const ka_np_matrix *m, ka_np_format fmt);

/* One question: from, to, optionally one port (port 0: the whole port set). */
typedef struct ka_np_question {
    size_t from, to;
    bool has_port;
    ka_proto proto;
    unsigned port;          /* resolved number (0 when a name resolved to nothing) */
    const char *port_text;  /* as asked, e.g. "http/TCP" */
} ka_np_question;

/* "8080", "8080/TCP", "dns/UDP" (protocol case-insensitive, default TCP): a
 * number (1-65535) or a port name. 0 ok, -1 bad. */
int ka_np_port_parse(const char *s, ka_str *name, unsigned *port, ka_proto *proto);
/* Fill a question; port_text NULL asks for the whole port set. A port name
 * resolves against the destination. false when port_text is malformed. */
bool ka_netpol_question(const ka_netpol *np, size_t from, size_t to, const char *port_text,
                        ka_np_question *q);

/* Writes the verdict (text or json); ex may be NULL. Returns true when allowed. */
bool ka_netpol_write_answer(FILE *f, const ka_netpol *np, const ka_np_question *q,
                            const ka_portset *ports, const ka_np_explain *ex, ka_np_format fmt);
/* --expect FLOWS.yaml: a list of {from, to, port?, allowed} (or a mapping
 * with "flows:"). Checks every flow and writes one line per flow plus a
 * summary (text) or one JSON document. Returns 0 with *failed set, or -1
 * when the file is unreadable or malformed (diagnostics in d, nothing written). */
int ka_netpol_expect(FILE *f, const ka_netpol *np, const char *path, ka_np_format fmt,
                     ka_diags *d, size_t *failed);
/* What changes between two matrices (by endpoint name): added, removed and
 * changed pairs. Returns the number of changes. */
size_t ka_netpol_write_diff(FILE *f, const ka_netpol *before, const ka_np_matrix *mbefore,
                            const ka_netpol *after, const ka_np_matrix *mafter, ka_np_format fmt);

/* One explanation step as text ("allows TCP 80: NetworkPolicy/ns/a ingress[0]"). */
void ka_np_step_text(const ka_np_step *s, ka_buf *out);

#endif
