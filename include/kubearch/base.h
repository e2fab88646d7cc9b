/*
 * kubearch/base.h - strings, arenas and growable buffers shared by every module.
 *
 * Ownership rule: everything that belongs to one input (its nodes, its strings,
 * its objects) lives in one ka_arena and is freed at once with ka_arena_free().
 * Out-of-memory is fatal (the process prints the size and aborts), so callers
 * never test allocation results, as in Redis' zmalloc.
 */
#ifndef KUBEARCH_BASE_H
#define KUBEARCH_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

/* A borrowed, not necessarily NUL-terminated, byte string. */
typedef struct ka_str {
    const char *p;
    size_t n;
} ka_str;

#define KA_STR(lit) ((ka_str){ (lit), sizeof(lit) - 1 })
ka_str ka_str_c(const char *s); /* from a C string; NULL gives the empty string */
/* Inline so that a literal's length is known at compile time. */
static inline bool ka_str_eq(ka_str a, ka_str b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}
static inline bool ka_str_eqc(ka_str a, const char *c)
{
    size_t n = strlen(c);
    return a.n == n && memcmp(a.p, c, n) == 0;
}
/* ASCII case-insensitive ka_str_eqc. */
bool ka_str_ieqc(ka_str a, const char *c);
int ka_str_cmp(ka_str a, ka_str b);
bool ka_str_has_prefix(ka_str s, const char *prefix);
bool ka_str_contains(ka_str s, const char *needle);

/* ---- arena ---------------------------------------------------------- */
typedef struct ka_arena ka_arena;

ka_arena *ka_arena_new(void);
void ka_arena_free(ka_arena *a);
void *ka_arena_alloc(ka_arena *a, size_t n);       /* 8-byte aligned, uninitialised */
void *ka_arena_zalloc(ka_arena *a, size_t n);      /* zeroed */
char *ka_arena_strndup(ka_arena *a, const char *s, size_t n); /* NUL-terminated copy */
ka_str ka_arena_str(ka_arena *a, ka_str s);        /* copy into the arena */
size_t ka_arena_used(const ka_arena *a);           /* bytes handed out */
/* Moves everything src holds into dst (freed with dst) and frees src: how
 * per-thread arenas end up owned by one result. */
void ka_arena_absorb(ka_arena *dst, ka_arena *src);

/* ---- heap helpers (abort on OOM) ------------------------------------ */
void *ka_xmalloc(size_t n);
void *ka_xcalloc(size_t n, size_t size);
void *ka_xrealloc(void *p, size_t n);
char *ka_xstrdup(const char *s);

/* ---- growable byte buffer ------------------------------------------- */
typedef struct ka_buf {
    char *p;
    size_t n, cap;
} ka_buf;

void ka_buf_init(ka_buf *b);
void ka_buf_free(ka_buf *b);
void ka_buf_reset(ka_buf *b);
void ka_buf_grow(ka_buf *b, size_t extra);
static inline void ka_buf_add(ka_buf *b, const void *p, size_t n)
{
    if (b->cap - b->n <= n)
        ka_buf_grow(b, n);
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}
static inline void ka_buf_adds(ka_buf *b, const char *s) { ka_buf_add(b, s, strlen(s)); }
static inline void ka_buf_addstr(ka_buf *b, ka_str s) { ka_buf_add(b, s.p, s.n); }
static inline void ka_buf_addc(ka_buf *b, char c)
{
    if (b->cap - b->n <= 1)
        ka_buf_grow(b, 1);
    b->p[b->n++] = c;
}
/* Decimal digits of v. */
void ka_buf_addu(ka_buf *b, uint64_t v);
void ka_buf_printf(ka_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ka_buf_vprintf(ka_buf *b, const char *fmt, va_list ap);
const char *ka_buf_cstr(ka_buf *b); /* NUL-terminates (not counted in n) */
/* JSON string literal with quotes and escapes (valid UTF-8 assumed). */
void ka_buf_json_str(ka_buf *b, ka_str s);
/* XML text/attribute escaping. */
void ka_buf_xml_str(ka_buf *b, ka_str s);

/* ---- UTF-8 ------------------------------------------------------------ */
/* Length (1..4) of the well-formed UTF-8 sequence at p, 0 when malformed
 * (overlong forms, surrogates, U+FFFE/U+FFFF included). */
size_t ka_utf8_seq(const unsigned char *p, size_t n);
/* s itself when well-formed; otherwise a copy in tmp with every malformed
 * byte replaced by U+FFFD (writers must emit valid UTF-8). */
ka_str ka_utf8_clean(ka_buf *tmp, ka_str s);

/* ---- simple string hash --------------------------------------------- */
uint64_t ka_hash(const void *p, size_t n);

#endif
