/*
 * kubearch/object.h - Kubernetes objects, their identity and the object set.
 *
 * Every input document (and every item of a List) that is a mapping becomes a
 * ka_object. The set owns the files it loaded and indexes objects by kind, by
 * kind/namespace/name and by namespace + label so that cross-object analyses
 * never scan the whole set per object.
 */
#ifndef KUBEARCH_OBJECT_H
#define KUBEARCH_OBJECT_H

#include "base.h"
#include "doc.h"
#include "diag.h"
#include "labels.h"
#include "load.h"

typedef enum ka_scope { KA_SCOPE_UNKNOWN = 0, KA_SCOPE_NAMESPACED, KA_SCOPE_CLUSTER } ka_scope;

typedef enum ka_ctype {
    KA_CT_MAIN = 0,
    KA_CT_INIT = 1,      /* runs to completion before the main containers */
    KA_CT_SIDECAR = 2,   /* init container with restartPolicy: Always */
    KA_CT_EPHEMERAL = 3,
} ka_ctype;

typedef struct ka_container {
    const ka_node *node; /* the container mapping */
    ka_str name;
    ka_ctype type;
} ka_container;

/* The pod template of a workload (or the Pod itself). */
typedef struct ka_podview {
    const ka_node *meta;      /* template metadata (the object's own for a Pod) */
    const ka_node *spec;      /* PodSpec mapping */
    ka_labels labels;         /* template labels */
    ka_labels annotations;    /* template annotations */
    size_t ncontainers;
    ka_container *containers; /* main, then init/sidecar, then ephemeral */
    int64_t replicas;         /* unset = 1 where the API defaults it; -1: not applicable */
    bool replicas_set;
    const ka_node *selector;  /* workload selector node (spec.selector), NULL for Pods */
} ka_podview;

typedef struct ka_object {
    const ka_file *file;
    const ka_node *root;
    uint32_t index;           /* position in input order */
    ka_str api_version, group, version, kind, name, ns;
    bool ns_defaulted;        /* namespace omitted and defaulted to "default" */
    ka_scope scope;
    const ka_node *meta;
    const ka_node *spec;      /* the root's spec (NULL when none): read by most rules */
    ka_labels labels, annotations;
    ka_podview *pod;          /* NULL when the kind has no pod template */
} ka_object;

typedef struct ka_objset ka_objset;

typedef struct ka_objlist {
    size_t n;
    const ka_object *const *v;
} ka_objlist;

ka_objset *ka_objset_new(const ka_limits *lim);
void ka_objset_free(ka_objset *s);
/* Load a file, a directory (recursive: *.yaml *.yml *.json, hidden entries
 * skipped, symlink loops safe) or "-" (stdin). Errors become diagnostics;
 * returns the number of files read. */
size_t ka_objset_load(ka_objset *s, const char *path, ka_diags *d);
/* The same for n paths at once: their files are parsed on threads (the set's
 * limits.threads) and added in the order given, folders walked in place. */
size_t ka_objset_load_all(ka_objset *s, const char *const *paths, size_t n, ka_diags *d);
/* Add an already loaded file (the set takes ownership). */
void ka_objset_add_file(ka_objset *s, ka_file *f, ka_diags *d);
/* Build the indexes; call after the last load, before the queries below. */
void ka_objset_index(ka_objset *s);

size_t ka_objset_count(const ka_objset *s);
const ka_object *ka_objset_at(const ka_objset *s, size_t i);
size_t ka_objset_nfiles(const ka_objset *s);
const ka_file *ka_objset_file(const ka_objset *s, size_t i);
ka_objlist ka_objset_by_kind(const ka_objset *s, const char *kind);
const ka_object *ka_objset_find(const ka_objset *s, const char *kind, ka_str ns, ka_str name);
/* Objects of a namespace whose own labels carry key=value. */
ka_objlist ka_objset_by_label(const ka_objset *s, ka_str ns, ka_str key, ka_str val);
/* Pod-bearing objects (Pods and workloads) of a namespace whose pod
 * template labels carry key=value. */
ka_objlist ka_objset_pods_by_label(const ka_objset *s, ka_str ns, ka_str key, ka_str val);
/* Autoscalers (HorizontalPodAutoscaler, KEDA ScaledObject) of a namespace whose
 * scaleTargetRef names kind/name. */
ka_objlist ka_objset_scalers(const ka_objset *s, ka_str kind, ka_str ns, ka_str name);
/* Every pod-bearing object of a namespace. */
ka_objlist ka_objset_pods_in(const ka_objset *s, ka_str ns);
ka_objlist ka_objset_in_namespace(const ka_objset *s, ka_str ns);
/* Does the namespace hold an object of this kind? (A scan of the namespace.) */
bool ka_objset_ns_has_kind(const ka_objset *s, ka_str ns, const char *kind);

/* Identity helpers (k8s/identity.c). */
ka_scope ka_kind_scope(ka_str group, ka_str kind);
/* "Kind/ns/name" or "Kind/name" (cluster-scoped). */
void ka_object_ref(const ka_object *o, ka_buf *out);
/* Fill o->pod for kinds with a pod template (k8s/workload.c). */
void ka_podview_build(ka_arena *a, ka_object *o);

#endif
