/*
 * kubearch/rbac.h - Kubernetes RBAC evaluated the way the API server does it.
 *
 * A ka_rbac model is built from an indexed object set: every Role, ClusterRole,
 * RoleBinding and ClusterRoleBinding, plus (unless turned off) the default
 * ClusterRoles and ClusterRoleBindings an API server bootstraps with (admin,
 * edit, view, cluster-admin, system:discovery, ...), which fill in names the
 * input does not define. Aggregated ClusterRoles get the rules the
 * aggregation controller would write: for each selector in order, the
 * matching ClusterRoles sorted by name (the role itself excluded), their rules
 * appended without duplicates; chains (view -> edit -> admin) are followed to
 * a fixed point. The stored `rules` of an aggregated role are ignored.
 *
 * Rule matching follows k8s.io/component-helpers/auth/rbac: exact strings,
 * "*" for verbs / apiGroups / resources / nonResourceURLs, "*\/SUB" for a
 * subresource of any resource, a trailing "*" on a URL as a prefix,
 * resourceNames as an exact list (so never matching a request without a
 * name: create, deletecollection, list of everything). RoleBindings apply
 * only to requests in their namespace; cluster-scoped resources and
 * non-resource URLs have no namespace, so only ClusterRoleBindings grant
 * them. Members of the group system:masters are allowed everything.
 *
 * The model borrows the object set's nodes and strings: free the model before
 * the set. Everything the model returns is owned by it.
 */
#ifndef KUBEARCH_RBAC_H
#define KUBEARCH_RBAC_H

#include "base.h"
#include "doc.h"
#include "object.h"

#define KA_RBAC_API_GROUP "rbac.authorization.k8s.io"
#define KA_RBAC_DEFAULTS_LABEL "kubernetes.io/bootstrapping"

/* ---- the model -------------------------------------------------------- */

typedef struct ka_rbac ka_rbac;
typedef struct ka_rbac_role ka_rbac_role;

/* One PolicyRule. Lists are as written (strings borrowed from the nodes). */
typedef struct ka_rbac_rule {
    const ka_node *node;             /* the rule mapping, for positions */
    size_t nverbs, ngroups, nres, nnames, nurls;
    const ka_str *verbs, *groups, *res, *names, *urls;
    const ka_rbac_role *origin;      /* role whose `rules` holds it (aggregation) */
    uint32_t origin_index;           /* its index there */
} ka_rbac_rule;

struct ka_rbac_role {
    const ka_object *obj;            /* the input object, or the built-in one */
    bool cluster;                    /* ClusterRole */
    bool builtin;                    /* from the built-in default policy */
    bool aggregated;                 /* has an aggregationRule */
    bool defaults;                   /* labelled kubernetes.io/bootstrapping=rbac-defaults */
    ka_str ns, name;
    size_t nrules;                   /* effective rules (computed when aggregated) */
    const ka_rbac_rule *rules;
    size_t nown;                     /* the object's own `rules` field */
    const ka_rbac_rule *own;
};

typedef enum ka_rbac_kind {
    KA_RBAC_USER = 1,
    KA_RBAC_GROUP = 2,
    KA_RBAC_SA = 3,
} ka_rbac_kind;

/* A binding subject. A User named system:serviceaccount:NS:NAME is the same
 * identity as the ServiceAccount NS/NAME and is stored as one. */
typedef struct ka_rbac_subject {
    ka_rbac_kind kind;               /* 0: unknown kind (matches nobody) */
    ka_str ns, name;                 /* ns: ServiceAccounts only */
    ka_str written_kind;             /* kind as written */
    const ka_node *node;
    bool no_namespace;               /* SA without namespace in a ClusterRoleBinding */
} ka_rbac_subject;

typedef struct ka_rbac_binding {
    const ka_object *obj;
    bool cluster, builtin, defaults;
    ka_str ns, name;
    ka_str role_kind, role_name;     /* roleRef as written */
    const ka_node *role_ref;         /* roleRef node (NULL when missing) */
    const ka_rbac_role *role;        /* NULL: the role does not exist (grants nothing) */
    size_t nsubjects;
    const ka_rbac_subject *subjects;
} ka_rbac_binding;

typedef struct ka_rbac_opts {
    bool no_builtin;                 /* do not add the default roles and bindings */
} ka_rbac_opts;

/* Build the model. opts may be NULL. Never fails: malformed objects are read
 * as far as Kubernetes would read them. */
ka_rbac *ka_rbac_build(const ka_objset *s, const ka_rbac_opts *opts);
void ka_rbac_free(ka_rbac *m);

size_t ka_rbac_nroles(const ka_rbac *m);
const ka_rbac_role *ka_rbac_role_at(const ka_rbac *m, size_t i);
size_t ka_rbac_nbindings(const ka_rbac *m);
const ka_rbac_binding *ka_rbac_binding_at(const ka_rbac *m, size_t i);
/* Role (ns used only when !cluster) or NULL. */
const ka_rbac_role *ka_rbac_find_role(const ka_rbac *m, bool cluster, ka_str ns, ka_str name);
/* Bindings with a subject of this kind/ns/name (exact subject, no groups). */
size_t ka_rbac_bindings_naming(const ka_rbac *m, ka_rbac_kind kind, ka_str ns, ka_str name,
                               const ka_rbac_binding *const **out);
/* ServiceAccounts the input knows of in a namespace (ServiceAccount objects,
 * binding subjects, workloads' serviceAccountName); sorted by name. */
size_t ka_rbac_service_accounts(const ka_rbac *m, ka_str ns, const ka_str *const **out);
/* Parse a `rules` sequence into an arena (used by per-object rules). */
size_t ka_rbac_parse_rules(ka_arena *a, const ka_node *rules, ka_rbac_rule **out);

/* "ClusterRole/admin", "Role/ns/name", "RoleBinding/ns/name" ... */
void ka_rbac_role_ref(const ka_rbac_role *r, ka_buf *out);
void ka_rbac_binding_ref(const ka_rbac_binding *b, ka_buf *out);
/* "user:alice", "group:ops", "sa:ns/name" */
void ka_rbac_subject_string(const ka_rbac_subject *s, ka_buf *out);

/* ---- identities and requests ------------------------------------------ */

#define KA_RBAC_MAX_GROUPS 32

/* Who asks: a user name and the groups the authenticator would give. */
typedef struct ka_rbac_identity {
    ka_rbac_kind kind;               /* how it was written */
    ka_str ns, name;                 /* sa: namespace and name; user/group: name */
    ka_str user;                     /* user name ("" for a group subject) */
    size_t ngroups;
    ka_str groups[KA_RBAC_MAX_GROUPS];
} ka_rbac_identity;

/* "user:NAME", "group:NAME", "sa:NS/NAME" (also "serviceaccount:NS:NAME" and
 * "user:system:serviceaccount:NS:NAME"). Users get system:authenticated
 * (system:anonymous gets system:unauthenticated instead); a group subject
 * stands for a member of that group, who is also authenticated (unless the
 * group is system:unauthenticated); ServiceAccounts get
 * system:serviceaccounts, system:serviceaccounts:NS and system:authenticated.
 * Strings are copied into a. 0, or -1 with a message in err. */
int ka_rbac_identity_parse(ka_arena *a, const char *text, ka_rbac_identity *out, char *err,
                           size_t errn);
void ka_rbac_identity_sa(ka_rbac_identity *out, ka_arena *a, ka_str ns, ka_str name);
/* Add a group (e.g. --group); false when there is no room. */
bool ka_rbac_identity_add_group(ka_rbac_identity *id, ka_str group);
bool ka_rbac_identity_superuser(const ka_rbac_identity *id);
void ka_rbac_identity_string(const ka_rbac_identity *id, ka_buf *out);
bool ka_rbac_subject_applies(const ka_rbac_subject *s, const ka_rbac_identity *id);

/* One API request. */
typedef struct ka_rbac_request {
    bool nonresource;
    ka_str verb;
    ka_str group, resource, subresource, name;
    ka_str ns;                       /* "" for cluster-scoped and all-namespace requests */
    ka_str path;                     /* non-resource URL */
} ka_rbac_request;

/* Scope of a resource: 1 namespaced, 0 cluster-scoped, -1 unknown. */
int ka_rbac_resource_namespaced(const ka_rbac *m, ka_str group, ka_str resource);

/* Build a request from the kubectl-style words: RESOURCE[.GROUP][/SUBRESOURCE]
 * (plural, singular, kind or short name of a built-in resource, or of a CRD in
 * the input; a resource without a group that is not known is taken from the
 * core group) or a non-resource URL starting with "/". ns may be NULL (all
 * namespaces); it is dropped for cluster-scoped resources (a note goes to
 * warn when given). A `namespaces` request with a name is in that namespace,
 * as the API server's request info sets it. 0, or -1 with err. */
int ka_rbac_request_make(const ka_rbac *m, ka_arena *a, const char *verb, const char *resource,
                         const char *ns, const char *name, ka_rbac_request *out, char *err,
                         size_t errn, char *warn, size_t warnn);
/* "create pods/exec in dev", "get /healthz" */
void ka_rbac_request_string(const ka_rbac_request *q, ka_buf *out);

bool ka_rbac_rule_allows(const ka_rbac_rule *r, const ka_rbac_request *q);
/* Does a binding apply to a request's namespace? (ClusterRoleBindings always;
 * RoleBindings only to requests in their namespace.) */
bool ka_rbac_binding_in_scope(const ka_rbac_binding *b, const ka_rbac_request *q);

/* ---- questions -------------------------------------------------------- */

typedef struct ka_rbac_grant {
    const ka_rbac_binding *binding;
    const ka_rbac_subject *subject;  /* the subject of the binding that matched */
    uint32_t rule;                   /* index into binding->role->rules */
} ka_rbac_grant;

typedef struct ka_rbac_grants {
    size_t n, cap;
    ka_rbac_grant *v;
} ka_rbac_grants;

void ka_rbac_grants_push(ka_rbac_grants *g, const ka_rbac_grant *x);
void ka_rbac_grants_free(ka_rbac_grants *g);

/* Every grant that allows the request for the identity (sorted: binding kind,
 * namespace, name, rule). Returns whether it is allowed (also true for
 * system:masters members, with or without grants). */
bool ka_rbac_can(const ka_rbac *m, const ka_rbac_identity *id, const ka_rbac_request *q,
                 ka_rbac_grants *out);

/* Every (subject, binding, rule) that allows the request. any_ns: the request
 * is asked for every namespace at once (RoleBindings of all namespaces
 * count, each for its own namespace). Sorted by subject, then binding. */
void ka_rbac_who_can(const ka_rbac *m, const ka_rbac_request *q, bool any_ns,
                     ka_rbac_grants *out);

/* Bindings that name the identity (its user, ServiceAccount or any of its
 * groups), sorted; *out is malloc'd, the caller frees it. */
size_t ka_rbac_bindings_for(const ka_rbac *m, const ka_rbac_identity *id,
                            const ka_rbac_binding ***out);
/* ka_rbac_can over the identity's bindings as ka_rbac_bindings_for gave
 * them: for many questions about one identity. */
bool ka_rbac_can_among(const ka_rbac_binding *const *bs, size_t n, const ka_rbac_identity *id,
                       const ka_rbac_request *q, ka_rbac_grants *out);

/* ---- escalation --------------------------------------------------------- */

/* Powers that amount to cluster-admin (RBAC-033's end points). */
typedef struct ka_rbac_power {
    const char *what;                /* "every verb on every resource", ... */
    ka_rbac_grant grant;             /* one grant that gives it */
} ka_rbac_power;

/* Does the identity hold cluster-admin-equivalent power directly? */
bool ka_rbac_admin_power(const ka_rbac *m, const ka_rbac_identity *id, ka_rbac_power *out);
bool ka_rbac_admin_power_among(const ka_rbac_binding *const *bs, size_t n,
                               const ka_rbac_identity *id, ka_rbac_power *out);

/* A chain of steps from a ServiceAccount to cluster-admin-equivalent power,
 * each step one sentence. */
typedef struct ka_rbac_path {
    size_t n;
    char **steps;                    /* malloc'd */
} ka_rbac_path;

/* Shortest chain from ServiceAccount ns/name; the first step is the first
 * hop. Returns the number of hops (0: it holds the power itself, -1: no
 * chain was found). The graph is built once per model and cached in it. */
int ka_rbac_escalation_path(ka_rbac *m, ka_str ns, ka_str name, ka_rbac_path *out);
void ka_rbac_path_free(ka_rbac_path *p);

#endif
