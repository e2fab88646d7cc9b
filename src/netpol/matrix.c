/*
 * matrix.c - the whole connectivity matrix.
 *
 * Exact evaluation per class pair is cheap but there are classes^2 pairs, so
 * a first pass bounds them with bitsets: the classes a class may send to at
 * all (egress) and may receive from at all (ingress, transposed). Only pairs
 * in both sets are evaluated. A side under an admin tier counts as "may reach
 * anything" in the bound, since ANP Allow rules can open what NetworkPolicy
 * closed; the exact pass then decides.
 */
#include "np_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct reach {
    bool all;        /* every class */
    uint64_t *bits;  /* otherwise (words) */
} reach;

/* Over-approximation of the peers one side of class c can talk to. */
static void side_bound(const ka_netpol *net, int dir, uint32_t c, reach *out, uint64_t *bits)
{
    const np_class *cl = &net->classes[c];
    out->all = true;
    out->bits = NULL;
    if (cl->external || cl->host || cl->admin[dir].n || cl->base[dir].n || cl->pol[dir].n == 0)
        return;
    memset(bits, 0, net->words * sizeof *bits);
    for (size_t i = 0; i < cl->pol[dir].n; i++) {
        const np_policy *p = &net->pol[cl->pol[dir].v[i]];
        for (size_t k = 0; k < p->nrules[dir]; k++) {
            const np_rule *r = &p->rules[dir][k];
            if (r->all_peers)
                return; /* open to every peer */
            for (size_t w = 0; w < net->words; w++)
                bits[w] |= r->match[w];
        }
    }
    out->all = false;
    out->bits = bits;
}

typedef struct cpair {
    uint32_t from, to, set;
} cpair;

typedef struct cpvec {
    size_t n, cap;
    cpair *v;
} cpvec;

static void cp_push(cpvec *v, uint32_t a, uint32_t b, uint32_t s)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->v = ka_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = (cpair){ a, b, s };
}

/* Distinct port sets, interned by their ranges. */
typedef struct setpool {
    ka_hmap map;
    ka_arena *arena;
    long last;      /* the set interned last: neighbouring pairs mostly repeat it */
} setpool;

static uint32_t intern_set(setpool *sp, ka_np_matrix *m, const ka_portset *s)
{
    if (sp->last >= 0 && ka_portset_equal(&m->sets[sp->last], s))
        return (uint32_t)sp->last;
    void **slot = ka_hmap_slot(&sp->map, (ka_str){ (const char *)s->v, s->n * sizeof *s->v });
    if (*slot) {
        sp->last = (long)((uintptr_t)*slot - 1);
        return (uint32_t)sp->last;
    }
    if (m->nsets == m->capsets) {
        m->capsets = m->capsets ? m->capsets * 2 : 16;
        m->sets = ka_xrealloc(m->sets, m->capsets * sizeof *m->sets);
    }
    memset(&m->sets[m->nsets], 0, sizeof m->sets[m->nsets]);
    ka_portset_copy(&m->sets[m->nsets], s);
    *slot = (void *)(uintptr_t)(m->nsets + 1);
    sp->last = (long)m->nsets;
    return (uint32_t)m->nsets++;
}

static int cmp_conn(const void *a, const void *b)
{
    const ka_np_conn *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

static void conn_push(ka_np_matrix *m, uint32_t from, uint32_t to, uint32_t set)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->v = ka_xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->v[m->n++] = (ka_np_conn){ from, to, set };
}

/* Class pairs with a non-empty verdict. */
static void class_pairs(const ka_netpol *net, setpool *sp, ka_np_matrix *m, cpvec *out)
{
    size_t n = net->nclasses, W = net->words;
    size_t cells = n * W + 1;
    uint64_t *ebits = ka_xcalloc(cells, sizeof *ebits);
    uint64_t *inT = ka_xcalloc(cells, sizeof *inT);
    uint64_t *openin = ka_xcalloc(W, sizeof *openin);
    uint64_t *tmp = ka_xcalloc(W, sizeof *tmp);
    bool *eall = ka_xcalloc(n ? n : 1, sizeof *eall);
    /* transposed ingress bound: inT[c] = classes d whose ingress may admit c */
    for (uint32_t d = 0; d < n; d++) {
        reach r;
        side_bound(net, NP_DIR_IN, d, &r, tmp);
        if (r.all) {
            np_setbit(openin, d);
            continue;
        }
        for (size_t w = 0; w < W; w++)
            for (uint64_t x = r.bits[w]; x; x &= x - 1)
                np_setbit(&inT[(w * 64 + (size_t)__builtin_ctzll(x)) * W], d);
    }
    for (uint32_t c = 0; c < n; c++) {
        reach r;
        side_bound(net, NP_DIR_OUT, c, &r, &ebits[c * W]);
        eall[c] = r.all;
    }
    np_scratch sc;
    memset(&sc, 0, sizeof sc);
    ka_portset res = { 0, 0, NULL };
    for (uint32_t c = 0; c < n; c++) {
        const uint64_t *in = &inT[c * W], *eg = &ebits[c * W];
        for (size_t w = 0; w < W; w++) {
            uint64_t cand = in[w] | openin[w];
            if (!eall[c])
                cand &= eg[w];
            for (; cand; cand &= cand - 1) {
                uint32_t d = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(cand));
                if (d >= n)
                    break;
                /* a class with one endpoint only would pair it with itself */
                if (d == c && net->classes[c].eps.n < 2)
                    continue;
                /* no policy ever applies between two outside addresses */
                if (net->classes[c].external && net->classes[d].external)
                    continue;
                np_pair(net, c, d, &res, &sc, NULL);
                if (!ka_portset_empty(&res))
                    cp_push(out, c, d, intern_set(sp, m, &res));
            }
        }
    }
    ka_portset_free(&res);
    np_scratch_free(&sc);
    free(ebits);
    free(inT);
    free(openin);
    free(tmp);
    free(eall);
}

static uint64_t pkey(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 32) | b;
}

/* Endpoint pairs from class pairs: single-member endpoints take the class
 * verdict; endpoints standing for several members get the intersection of
 * all their member pairs (looked up in the class-pair map). */
static void endpoint_pairs(const ka_netpol *net, setpool *sp, ka_np_matrix *m, const cpvec *cp)
{
    bool multi = false;
    for (size_t i = 0; i < net->neps && !multi; i++)
        multi = net->eps[i].members.n > 1;
    ka_hmap pairmap, seen;
    ka_arena *a = ka_arena_new();
    ka_hmap_init(&pairmap, a);
    ka_hmap_init(&seen, a);
    if (multi)
        for (size_t i = 0; i < cp->n; i++) {
            uint64_t k = pkey(cp->v[i].from, cp->v[i].to);
            *ka_hmap_slot(&pairmap, (ka_str){ (const char *)&k, sizeof k }) =
                (void *)(uintptr_t)(cp->v[i].set + 1);
        }
    ka_portset acc = { 0, 0, NULL };
    for (size_t i = 0; i < cp->n; i++) {
        const np_class *c = &net->classes[cp->v[i].from], *d = &net->classes[cp->v[i].to];
        for (size_t x = 0; x < c->eps.n; x++)
            for (size_t y = 0; y < d->eps.n; y++) {
                uint32_t ea = c->eps.v[x], eb = d->eps.v[y];
                if (ea == eb)
                    continue;
                const np_ep *A = &net->eps[ea], *B = &net->eps[eb];
                if (A->members.n == 1 && B->members.n == 1) {
                    conn_push(m, A->rank, B->rank, cp->v[i].set);
                    continue;
                }
                uint64_t k = pkey(ea, eb);
                void **s = ka_hmap_slot(&seen, (ka_str){ (const char *)&k, sizeof k });
                if (*s)
                    continue;
                *s = (void *)1;
                bool ok = true;
                for (size_t p = 0; p < A->members.n && ok; p++)
                    for (size_t q = 0; q < B->members.n && ok; q++) {
                        uint64_t ck = pkey(net->members[A->members.v[p]].cls,
                                           net->members[B->members.v[q]].cls);
                        void *v = ka_hmap_get(&pairmap, (ka_str){ (const char *)&ck, sizeof ck });
                        if (!v) {
                            ok = false;
                            break;
                        }
                        const ka_portset *ps = &m->sets[(uintptr_t)v - 1];
                        if (p == 0 && q == 0)
                            ka_portset_copy(&acc, ps);
                        else
                            ka_portset_intersect(&acc, ps);
                        ok = !ka_portset_empty(&acc);
                    }
                if (ok)
                    conn_push(m, A->rank, B->rank, intern_set(sp, m, &acc));
            }
    }
    ka_portset_free(&acc);
    ka_hmap_free(&pairmap);
    ka_hmap_free(&seen);
    ka_arena_free(a);
}

void ka_netpol_matrix(const ka_netpol *net, bool by_class, ka_np_matrix *m)
{
    memset(m, 0, sizeof *m);
    m->by_class = by_class;
    setpool sp;
    sp.arena = ka_arena_new();
    sp.last = -1;
    ka_hmap_init(&sp.map, sp.arena);
    cpvec cp = { 0, 0, NULL };
    class_pairs(net, &sp, m, &cp);
    if (by_class) {
        for (size_t i = 0; i < cp.n; i++)
            conn_push(m, net->classes[cp.v[i].from].rank, net->classes[cp.v[i].to].rank,
                      cp.v[i].set);
    } else {
        endpoint_pairs(net, &sp, m, &cp);
    }
    free(cp.v);
    ka_hmap_free(&sp.map);
    ka_arena_free(sp.arena);
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, cmp_conn);
}

void ka_np_matrix_free(ka_np_matrix *m)
{
    for (size_t i = 0; i < m->nsets; i++)
        ka_portset_free(&m->sets[i]);
    free(m->sets);
    free(m->v);
    memset(m, 0, sizeof *m);
}

ka_np_class ka_netpol_class(const ka_netpol *net, size_t i)
{
    ka_np_class out;
    memset(&out, 0, sizeof out);
    if (i >= net->nclasses)
        return out;
    const np_class *c = &net->classes[net->corder[i]];
    if (!c->external) {
        out.ns = net->ns[c->ns].name;
        out.labels = net->members[c->rep].labels;
    }
    out.nmembers = c->eps.n;
    out.members = c->epranks;
    return out;
}

void ka_netpol_class_name(const ka_netpol *net, size_t i, ka_buf *b)
{
    if (i >= net->nclasses)
        return;
    const np_class *c = &net->classes[net->corder[i]];
    if (c->external) {
        for (size_t k = 0; k < c->eps.n; k++) {
            if (k)
                ka_buf_addc(b, '|');
            ka_buf_adds(b, net->eps[c->eps.v[k]].pub.name);
        }
        return;
    }
    ka_buf_addstr(b, net->ns[c->ns].name);
    ka_buf_addc(b, '[');
    const ka_labels *l = &net->members[c->rep].labels;
    /* labels in key order, as the class key has them */
    size_t done = 0;
    const ka_kv *prev = NULL;
    while (done < l->n) {
        const ka_kv *best = NULL;
        for (size_t k = 0; k < l->n; k++) {
            const ka_kv *kv = &l->kv[k];
            if (prev && ka_str_cmp(kv->key, prev->key) <= 0)
                continue;
            if (!best || ka_str_cmp(kv->key, best->key) < 0)
                best = kv;
        }
        if (!best)
            break;
        if (prev)
            ka_buf_addc(b, ',');
        ka_buf_addstr(b, best->key);
        ka_buf_addc(b, '=');
        ka_buf_addstr(b, best->val);
        prev = best;
        done++;
    }
    ka_buf_addc(b, ']');
    if (c->host)
        ka_buf_adds(b, "(hostNetwork)");
}
