/*
 * arena.c - bump allocator owning everything of one input, plus the
 * abort-on-OOM heap helpers used everywhere else.
 */
#include "kubearch/base.h"

#include <stdlib.h>
#include <string.h>

#define KA_ARENA_CHUNK (1024u * 1024u) /* untouched room costs address space, not memory */

typedef struct ka_chunk {
    struct ka_chunk *next;
    size_t cap, used;
    /* followed by cap bytes, 16-byte aligned */
} ka_chunk;

struct ka_arena {
    ka_chunk *head;
    size_t total;
};

static void ka_oom(size_t n)
{
    fprintf(stderr, "kubearch: out of memory allocating %zu bytes\n", n);
    abort();
}

void *ka_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ka_oom(n);
    return p;
}

void *ka_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        ka_oom(n * size);
    return p;
}

void *ka_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        ka_oom(n);
    return q;
}

char *ka_xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = ka_xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static inline unsigned char *ka_chunk_data(ka_chunk *c)
{
    return (unsigned char *)c + ((sizeof(ka_chunk) + 15) & ~(size_t)15);
}

ka_arena *ka_arena_new(void)
{
    return ka_xcalloc(1, sizeof(ka_arena));
}

void ka_arena_free(ka_arena *a)
{
    if (!a)
        return;
    ka_chunk *c = a->head;
    while (c) {
        ka_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

/* n bytes aligned to align (a power of two). Strings take alignment 1, so
 * the many short keys and names waste no padding. */
static void *arena_get(ka_arena *a, size_t n, size_t align)
{
    ka_chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->cap || c->cap - at < n) {
        /* Large requests get a chunk of their own, placed behind the current
         * one so the remaining room of the current chunk is not wasted. */
        size_t cap = n > KA_ARENA_CHUNK / 4 ? n : KA_ARENA_CHUNK;
        ka_chunk *nc = ka_xmalloc(((sizeof(ka_chunk) + 15) & ~(size_t)15) + cap);
        nc->cap = cap;
        nc->used = 0;
        if (c && cap != KA_ARENA_CHUNK) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
        at = 0;
    }
    void *p = ka_chunk_data(c) + at;
    c->used = at + n;
    a->total += n;
    return p;
}

void *ka_arena_alloc(ka_arena *a, size_t n)
{
    return arena_get(a, n, 8);
}

void *ka_arena_zalloc(ka_arena *a, size_t n)
{
    void *p = ka_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *ka_arena_strndup(ka_arena *a, const char *s, size_t n)
{
    char *p = arena_get(a, n + 1, 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

ka_str ka_arena_str(ka_arena *a, ka_str s)
{
    return (ka_str){ ka_arena_strndup(a, s.p, s.n), s.n };
}

void ka_arena_absorb(ka_arena *dst, ka_arena *src)
{
    if (!src)
        return;
    ka_chunk *tail = src->head;
    if (tail) {
        while (tail->next)
            tail = tail->next;
        /* behind dst's current chunk, which keeps its room */
        if (dst->head) {
            tail->next = dst->head->next;
            dst->head->next = src->head;
        } else {
            dst->head = src->head;
        }
        dst->total += src->total;
    }
    free(src);
}

size_t ka_arena_used(const ka_arena *a)
{
    return a->total;
}
