/*
 * selindex.c - reverse selector index and selector-to-pods lookups.
 */
#include "kubearch/selindex.h"
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const ka_object *obj;
    ka_selector sel;
} entry;

/* Read-only once built: threads share one index, each with its own
 * ka_selquery. */
struct ka_selindex {
    ka_arena *arena;
    entry *e;
    size_t n;
    ka_hmap by_pair; /* ns \0 key \0 val -> ka_ptrvec of entry* */
    ka_hmap scan;    /* ns -> ka_ptrvec of entry* (no equality requirement) */
    ka_hmap by_obj;  /* object pointer bytes -> entry* */
    ka_selquery own; /* for ka_selindex_match */
};

/* The requirement whose values name the label pairs to index under: an
 * equality, or the In with the fewest values. NULL when there is none. */
static const ka_requirement *index_req(const ka_selector *s)
{
    const ka_requirement *best = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const ka_requirement *r = &s->reqs[i];
        if (r->op == KA_SEL_EQUALS || r->op == KA_SEL_DOUBLEEQUALS ||
            (r->op == KA_SEL_IN && r->nvals > 0)) {
            if (!best || r->nvals < best->nvals)
                best = r;
        }
    }
    return best;
}

ka_selindex *ka_selindex_new(const ka_objset *s, const char *kind, ka_selector_fn fn)
{
    ka_selindex *ix = ka_xcalloc(1, sizeof *ix);
    ix->arena = ka_arena_new();
    ka_hmap_init(&ix->by_pair, ix->arena);
    ka_hmap_init(&ix->scan, ix->arena);
    ka_hmap_init(&ix->by_obj, ix->arena);
    ka_buf key;
    ka_buf_init(&key);
    ka_objlist l = ka_objset_by_kind(s, kind);
    ix->e = ka_xcalloc(l.n ? l.n : 1, sizeof *ix->e);
    for (size_t i = 0; i < l.n; i++) {
        entry *e = &ix->e[ix->n];
        e->obj = l.v[i];
        if (!fn(ix->arena, e->obj, &e->sel) || e->sel.nothing)
            continue;
        ix->n++;
        *ka_hmap_slot(&ix->by_obj, (ka_str){ (const char *)&e->obj, sizeof e->obj }) = e;
        const ka_requirement *r = index_req(&e->sel);
        if (!r) {
            ka_hmap_vec_push(&ix->scan, e->obj->ns, e);
            continue;
        }
        for (size_t v = 0; v < r->nvals; v++)
            ka_hmap_vec_push(&ix->by_pair, ka_key3(&key, e->obj->ns, r->key, r->vals[v]), e);
    }
    ka_buf_free(&key);
    return ix;
}

void ka_selindex_free(ka_selindex *ix)
{
    if (!ix)
        return;
    ka_hmap_free_vecs(&ix->by_pair);
    ka_hmap_free_vecs(&ix->scan);
    ka_hmap_free(&ix->by_obj);
    ka_selquery_free(&ix->own);
    free(ix->e);
    ka_arena_free(ix->arena);
    free(ix);
}

void ka_selquery_free(ka_selquery *q)
{
    free(q->seen);
    free(q->out.v);
    ka_buf_free(&q->key);
    memset(q, 0, sizeof *q);
}

static void consider(const ka_selindex *ix, ka_selquery *q, ka_ptrlist v, const ka_labels *labels)
{
    for (size_t i = 0; i < v.n; i++) {
        const entry *e = v.v[i];
        uint32_t *seen = &q->seen[e - ix->e];
        if (*seen == q->stamp)
            continue;
        *seen = q->stamp;
        if (ka_selector_matches(&e->sel, labels))
            ka_objvec_push(&q->out, e->obj);
    }
}

static int obj_by_index(const void *a, const void *b)
{
    const ka_object *x = *(const ka_object *const *)a, *y = *(const ka_object *const *)b;
    return x->index < y->index ? -1 : x->index > y->index;
}

ka_objlist ka_selindex_match_q(const ka_selindex *ix, ka_selquery *q, ka_str ns, const ka_labels *labels)
{
    q->out.n = 0;
    if (q->nseen < ix->n) { /* first query (a query state serves one index) */
        free(q->seen);
        q->seen = ka_xcalloc(ix->n, sizeof *q->seen);
        q->nseen = ix->n;
        q->stamp = 0;
    }
    if (++q->stamp == 0) { /* wrapped: clear the stamps once */
        memset(q->seen, 0, q->nseen * sizeof *q->seen);
        q->stamp = 1;
    }
    for (size_t i = 0; i < labels->n; i++)
        consider(ix, q, ka_hmap_vec_get(&ix->by_pair, ka_key3(&q->key, ns, labels->kv[i].key, labels->kv[i].val)),
                 labels);
    consider(ix, q, ka_hmap_vec_get(&ix->scan, ns), labels);
    if (q->out.n > 1)
        qsort(q->out.v, q->out.n, sizeof *q->out.v, obj_by_index);
    return (ka_objlist){ q->out.n, q->out.v };
}

ka_objlist ka_selindex_match(ka_selindex *ix, ka_str ns, const ka_labels *labels)
{
    return ka_selindex_match_q(ix, &ix->own, ns, labels);
}

const ka_selector *ka_selindex_selector(const ka_selindex *ix, const ka_object *o)
{
    const entry *e = ka_hmap_get(&ix->by_obj, (ka_str){ (const char *)&o, sizeof o });
    return e ? &e->sel : NULL;
}

/* ---- extractors --------------------------------------------------------- */

bool ka_selector_of_service(ka_arena *a, const ka_object *o, ka_selector *out)
{
    const ka_node *sel = ka_path(o->spec, "selector", NULL);
    if (!ka_is_map(sel) || ka_node_n(sel) == 0)
        return false; /* selector-less Services get manual endpoints */
    return ka_selector_from_map(a, sel, out) == 0;
}

bool ka_selector_of_pdb(ka_arena *a, const ka_object *o, ka_selector *out)
{
    const ka_node *sel = ka_path(o->spec, "selector", NULL);
    char err[128];
    const ka_node *bad;
    if (!sel || ka_is_null(sel)) {
        /* policy/v1 and policy/v1beta1 both select nothing without a selector */
        return false;
    }
    if (ka_is_map(sel) && ka_node_n(sel) == 0 && ka_str_eqc(o->version, "v1beta1"))
        return false; /* policy/v1beta1: an empty selector matched no pod */
    return ka_selector_from_node(a, sel, out, &bad, err, sizeof err) == 0;
}

bool ka_selector_of_netpol(ka_arena *a, const ka_object *o, ka_selector *out)
{
    const ka_node *sel = ka_path(o->spec, "podSelector", NULL);
    char err[128];
    const ka_node *bad;
    if (!sel || ka_is_null(sel)) {
        /* podSelector is required; an absent one decodes as empty: all pods */
        out->nothing = false;
        out->n = 0;
        out->reqs = NULL;
        return true;
    }
    return ka_selector_from_node(a, sel, out, &bad, err, sizeof err) == 0;
}

/* ---- selector -> pods --------------------------------------------------- */

void ka_objvec_push(ka_objvec *v, const ka_object *o)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = ka_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = o;
}

void ka_objset_pods_matching(const ka_objset *s, ka_str ns, const ka_selector *sel, ka_objvec *out)
{
    if (sel->nothing)
        return;
    const ka_requirement *r = index_req(sel);
    if (!r) {
        ka_objlist l = ka_objset_pods_in(s, ns);
        for (size_t i = 0; i < l.n; i++)
            if (ka_selector_matches(sel, &l.v[i]->pod->labels))
                ka_objvec_push(out, l.v[i]);
        return;
    }
    /* candidates carry one of r's pairs (one value per key, so no repeats);
     * with several values, sort back into input order */
    size_t start = out->n;
    for (size_t v = 0; v < r->nvals; v++) {
        ka_objlist l = ka_objset_pods_by_label(s, ns, r->key, r->vals[v]);
        for (size_t i = 0; i < l.n; i++)
            if (ka_selector_matches(sel, &l.v[i]->pod->labels))
                ka_objvec_push(out, l.v[i]);
    }
    if (r->nvals > 1 && out->n - start > 1)
        qsort(out->v + start, out->n - start, sizeof *out->v, obj_by_index);
}
