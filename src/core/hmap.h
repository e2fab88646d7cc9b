/*
 * hmap.h - string-keyed hash map (open addressing) used by the indexes.
 * Keys are copied into the map's arena; values are caller-owned pointers.
 */
#ifndef KA_HMAP_H
#define KA_HMAP_H

#include "kubearch/base.h"

typedef struct ka_hmap_ent {
    ka_str key;
    uint64_t hash;
    void *val;
} ka_hmap_ent;

typedef struct ka_hmap {
    ka_hmap_ent *e;
    size_t n, cap;
    ka_arena *arena;
} ka_hmap;

void ka_hmap_init(ka_hmap *m, ka_arena *a);
void ka_hmap_free(ka_hmap *m);
/* Slot for key: *slot is NULL when the key is new. */
void **ka_hmap_slot(ka_hmap *m, ka_str key);
void *ka_hmap_get(const ka_hmap *m, ka_str key);
/* The value slot of key, or NULL when absent (stable until the map grows). */
void *const *ka_hmap_getslot(const ka_hmap *m, ka_str key);

/* Growable pointer vector (heap). */
typedef struct ka_ptrvec {
    size_t n, cap;
    const void **v;
} ka_ptrvec;

void ka_ptrvec_push(ka_ptrvec *v, const void *p);
void ka_ptrvec_free(ka_ptrvec *v);

/* Multimaps: most keys get one pointer, so a key's value is that pointer
 * itself, and becomes a tagged heap ka_ptrvec (low bit set) when a second
 * joins. The pointers pushed must be at least 2-byte aligned. */
void ka_hmap_vec_push(ka_hmap *m, ka_str key, const void *p);
/* The pointers pushed under key, in push order ({0, NULL} when none); valid
 * until the map changes. */
typedef struct ka_ptrlist {
    size_t n;
    const void *const *v;
} ka_ptrlist;
ka_ptrlist ka_hmap_vec_get(const ka_hmap *m, ka_str key);
/* Frees every vector, then the map. */
void ka_hmap_free_vecs(ka_hmap *m);

/* Composite keys "a\0b" and "a\0b\0c" built in b (valid until b changes). */
ka_str ka_key2(ka_buf *b, ka_str x, ka_str y);
ka_str ka_key3(ka_buf *b, ka_str x, ka_str y, ka_str z);

#endif
