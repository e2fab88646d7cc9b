/*
 * strtab.c - interned strings and interned label sets.
 *
 * Interning turns every label key, label value, namespace and node name into
 * a small integer once, so that the scheduling loop compares integers.
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

void ks_strtab_init(ks_strtab *t, ka_arena *a)
{
    ka_hmap_init(&t->map, a);
    t->cap = 64;
    t->v = ka_xcalloc(t->cap, sizeof *t->v);
    t->v[0] = (ka_str){ "", 0 };
    t->n = 1;
}

void ks_strtab_free(ks_strtab *t)
{
    ka_hmap_free(&t->map);
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

uint32_t ks_intern(ks_strtab *t, ka_str s)
{
    if (s.n == 0)
        return 0;
    void **slot = ka_hmap_slot(&t->map, s);
    if (*slot)
        return (uint32_t)(uintptr_t)*slot;
    if (t->n == t->cap) {
        t->cap *= 2;
        t->v = ka_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    uint32_t id = t->n++;
    t->v[id] = ka_arena_str(t->map.arena, s);
    *slot = (void *)(uintptr_t)id;
    return id;
}

uint32_t ks_lookup(const ks_strtab *t, ka_str s)
{
    if (s.n == 0)
        return 0;
    return (uint32_t)(uintptr_t)ka_hmap_get(&t->map, s);
}

uint32_t ks_lset_get(const ks_lset *s, uint32_t k)
{
    uint32_t lo = 0, hi = s->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->kv[mid].k == k)
            return s->kv[mid].v;
        if (s->kv[mid].k < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int kv_cmp(const void *a, const void *b)
{
    const ks_kv *x = a, *y = b;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* Label sets are keyed by their sorted id pairs, so the same labels in any
 * order are one set. A value id can be 0 (the empty value), which is why
 * presence is tested by key, not by value. */
uint32_t ks_lset_intern(ks_sim *s, const ka_labels *l)
{
    ks_kv *kv = l->n ? ka_xmalloc(l->n * sizeof *kv) : NULL;
    uint32_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        uint32_t k = ks_intern(&s->str, l->kv[i].key);
        bool dup = false;
        for (uint32_t j = 0; j < n; j++)
            if (kv[j].k == k) {
                kv[j].v = ks_intern(&s->str, l->kv[i].val); /* the last one wins */
                dup = true;
            }
        if (!dup) {
            kv[n].k = k;
            kv[n].v = ks_intern(&s->str, l->kv[i].val);
            n++;
        }
    }
    if (n > 1)
        qsort(kv, n, sizeof *kv, kv_cmp);
    ka_str key = { (const char *)kv, n * sizeof *kv };
    if (n == 0)
        key = (ka_str){ "\0", 1 };
    void **slot = ka_hmap_slot(&s->lsmap, key);
    if (*slot) {
        free(kv);
        return (uint32_t)(uintptr_t)*slot - 1;
    }
    if (s->nls == s->capls) {
        s->capls = s->capls ? s->capls * 2 : 64;
        s->ls = ka_xrealloc(s->ls, s->capls * sizeof *s->ls);
    }
    uint32_t id = s->nls++;
    ks_lset *ls = &s->ls[id];
    ls->n = n;
    ls->kv = n ? ka_arena_alloc(s->a, n * sizeof *ls->kv) : NULL;
    if (n)
        memcpy(ls->kv, kv, n * sizeof *kv);
    ka_kv *skv = n ? ka_arena_alloc(s->a, n * sizeof *skv) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        skv[i].key = ks_str(&s->str, kv[i].k);
        skv[i].val = ks_str(&s->str, kv[i].v);
    }
    ls->l.n = n;
    ls->l.kv = skv;
    free(kv);
    *slot = (void *)(uintptr_t)(id + 1);
    return id;
}
