/*
 * hmap.c - string-keyed hash map with linear probing.
 */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

void ka_hmap_init(ka_hmap *m, ka_arena *a)
{
    m->e = NULL;
    m->n = m->cap = 0;
    m->arena = a;
}

void ka_hmap_free(ka_hmap *m)
{
    free(m->e);
    m->e = NULL;
    m->n = m->cap = 0;
}

static void grow(ka_hmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    ka_hmap_ent *e = ka_xcalloc(cap, sizeof *e);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->e[i].key.p)
            continue;
        size_t h = (size_t)m->e[i].hash & (cap - 1);
        while (e[h].key.p)
            h = (h + 1) & (cap - 1);
        e[h] = m->e[i];
    }
    free(m->e);
    m->e = e;
    m->cap = cap;
}

void **ka_hmap_slot(ka_hmap *m, ka_str key)
{
    if ((m->n + 1) * 4 > m->cap * 3)
        grow(m);
    uint64_t hv = ka_hash(key.p, key.n);
    size_t h = (size_t)hv & (m->cap - 1);
    while (m->e[h].key.p) {
        if (m->e[h].hash == hv && ka_str_eq(m->e[h].key, key))
            return &m->e[h].val;
        h = (h + 1) & (m->cap - 1);
    }
    m->e[h].key = ka_arena_str(m->arena, key);
    m->e[h].hash = hv;
    m->e[h].val = NULL;
    m->n++;
    return &m->e[h].val;
}

void *ka_hmap_get(const ka_hmap *m, ka_str key)
{
    if (!m->cap)
        return NULL;
    uint64_t hv = ka_hash(key.p, key.n);
    size_t h = (size_t)hv & (m->cap - 1);
    while (m->e[h].key.p) {
        if (m->e[h].hash == hv && ka_str_eq(m->e[h].key, key))
            return m->e[h].val;
        h = (h + 1) & (m->cap - 1);
    }
    return NULL;
}

void *const *ka_hmap_getslot(const ka_hmap *m, ka_str key)
{
    if (!m->cap)
        return NULL;
    uint64_t hv = ka_hash(key.p, key.n);
    size_t h = (size_t)hv & (m->cap - 1);
    while (m->e[h].key.p) {
        if (m->e[h].hash == hv && ka_str_eq(m->e[h].key, key))
            return &m->e[h].val;
        h = (h + 1) & (m->cap - 1);
    }
    return NULL;
}

void ka_ptrvec_push(ka_ptrvec *v, const void *p)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->v = ka_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = p;
}

void ka_ptrvec_free(ka_ptrvec *v)
{
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

#define VEC_TAG ((uintptr_t)1)

static bool is_vec(const void *v)
{
    return ((uintptr_t)v & VEC_TAG) != 0;
}

static ka_ptrvec *as_vec(const void *v)
{
    return (ka_ptrvec *)((uintptr_t)v & ~VEC_TAG);
}

void ka_hmap_vec_push(ka_hmap *m, ka_str key, const void *p)
{
    void **slot = ka_hmap_slot(m, key);
    if (!*slot) {
        *slot = (void *)p;
        return;
    }
    if (!is_vec(*slot)) {
        ka_ptrvec *v = ka_xcalloc(1, sizeof *v);
        ka_ptrvec_push(v, *slot);
        *slot = (void *)((uintptr_t)v | VEC_TAG);
    }
    ka_ptrvec_push(as_vec(*slot), p);
}

ka_ptrlist ka_hmap_vec_get(const ka_hmap *m, ka_str key)
{
    void *const *slot = ka_hmap_getslot(m, key);
    if (!slot || !*slot)
        return (ka_ptrlist){ 0, NULL };
    if (!is_vec(*slot)) /* one pointer: the slot itself is its one-element list */
        return (ka_ptrlist){ 1, (const void *const *)slot };
    const ka_ptrvec *v = as_vec(*slot);
    return (ka_ptrlist){ v->n, v->v };
}

void ka_hmap_free_vecs(ka_hmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key.p && m->e[i].val && is_vec(m->e[i].val)) {
            ka_ptrvec *v = as_vec(m->e[i].val);
            ka_ptrvec_free(v);
            free(v);
        }
    ka_hmap_free(m);
}

ka_str ka_key2(ka_buf *b, ka_str x, ka_str y)
{
    ka_buf_reset(b);
    ka_buf_addstr(b, x);
    ka_buf_addc(b, '\0');
    ka_buf_addstr(b, y);
    return (ka_str){ b->p, b->n };
}

ka_str ka_key3(ka_buf *b, ka_str x, ka_str y, ka_str z)
{
    ka_key2(b, x, y);
    ka_buf_addc(b, '\0');
    ka_buf_addstr(b, z);
    return (ka_str){ b->p, b->n };
}
