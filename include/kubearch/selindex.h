/*
 * kubearch/selindex.h - reverse selector lookups without quadratic scans.
 *
 * Cross-object questions come in two directions:
 *   - "which Services / PDBs / policies select this pod?"  -> ka_selindex
 *   - "which pods does this selector select?"              -> ka_objset_pods_matching
 * Both use the object set's label indexes: a selector with an equality (or
 * In) requirement is only compared with the objects carrying one of those
 * label pairs; only selectors without any (empty, Exists, NotIn ...) are
 * compared with everything of the namespace.
 */
#ifndef KUBEARCH_SELINDEX_H
#define KUBEARCH_SELINDEX_H

#include "object.h"

/* Extract the selector an object carries. Return false when the object has
 * none (it is then never matched). Compile into the given arena. */
typedef bool (*ka_selector_fn)(ka_arena *a, const ka_object *o, ka_selector *out);

typedef struct ka_selindex ka_selindex;

/* A growable vector of objects (heap; the caller frees v). */
typedef struct ka_objvec {
    size_t n, cap;
    const ka_object **v;
} ka_objvec;
void ka_objvec_push(ka_objvec *v, const ka_object *o);

/* Index every object of `kind` (namespace-local selectors). */
ka_selindex *ka_selindex_new(const ka_objset *s, const char *kind, ka_selector_fn fn);
void ka_selindex_free(ka_selindex *ix);
/* Objects of namespace ns whose selector matches the labels, in input order.
 * The list stays valid until the next call on the same index. Not for
 * threads sharing the index: they use ka_selindex_match_q. */
ka_objlist ka_selindex_match(ka_selindex *ix, ka_str ns, const ka_labels *labels);

/* The working state of one thread's queries on one index: the index is
 * read-only once built, so threads share it, each with its own query state.
 * Zero-initialise; the fields are private. */
typedef struct ka_selquery {
    uint32_t *seen;          /* per indexed object: the last query that saw it */
    size_t nseen;
    uint32_t stamp;
    ka_objvec out;
    ka_buf key;
} ka_selquery;
void ka_selquery_free(ka_selquery *q);
/* ka_selindex_match with the caller's query state q (always used with the
 * same index); the list stays valid until the next query through q. */
ka_objlist ka_selindex_match_q(const ka_selindex *ix, ka_selquery *q, ka_str ns, const ka_labels *labels);
/* The compiled selector of an indexed object (NULL when it has none). */
const ka_selector *ka_selindex_selector(const ka_selindex *ix, const ka_object *o);

/* Selector extractors for the common kinds. */
bool ka_selector_of_service(ka_arena *a, const ka_object *o, ka_selector *out);   /* spec.selector map; none when absent/empty */
bool ka_selector_of_pdb(ka_arena *a, const ka_object *o, ka_selector *out);       /* policy/v1: empty selects all */
bool ka_selector_of_netpol(ka_arena *a, const ka_object *o, ka_selector *out);    /* spec.podSelector */

/* Pod-bearing objects (Pods and workloads) of namespace ns whose pod template
 * labels the selector matches, appended to out (free out->v). */
void ka_objset_pods_matching(const ka_objset *s, ka_str ns, const ka_selector *sel, ka_objvec *out);

#endif
