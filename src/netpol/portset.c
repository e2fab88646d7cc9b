/*
 * portset.c - sets of (protocol, port) as sorted disjoint ranges.
 *
 * Every operation works on one linear coordinate, proto * 65536 + port:
 * port 0 is never a member, so ranges of different protocols can never
 * touch and the ordinary interval algorithms apply unchanged.
 */
#include "kubearch/netpol.h"

#include <stdlib.h>
#include <string.h>

typedef struct span {
    uint32_t lo, hi; /* linear coordinates, inclusive */
} span;

#define LIN(p, port) (((uint32_t)(p) << 16) | (uint32_t)(port))

static const char *const proto_names[KA_NPROTO] = { "TCP", "UDP", "SCTP" };

int ka_proto_parse(ka_str s)
{
    for (int i = 0; i < KA_NPROTO; i++)
        if (ka_str_eqc(s, proto_names[i]))
            return i;
    return -1;
}

const char *ka_proto_name(ka_proto p)
{
    return (unsigned)p < KA_NPROTO ? proto_names[p] : "?";
}

void ka_portset_free(ka_portset *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static void reserve(ka_portset *s, size_t n)
{
    if (n <= s->cap)
        return;
    size_t cap = s->cap ? s->cap * 2 : 4;
    while (cap < n)
        cap *= 2;
    s->v = ka_xrealloc(s->v, cap * sizeof *s->v);
    s->cap = cap;
}

static span get(const ka_portset *s, size_t i)
{
    return (span){ LIN(s->v[i].proto, s->v[i].lo), LIN(s->v[i].proto, s->v[i].hi) };
}

/* Appends a span to a result under construction, merging with the last one
 * when they overlap or touch. */
typedef struct out {
    span *v;
    size_t n, cap;
    span local[32]; /* most sets are tiny: no allocation in the hot path */
} out;

static void out_init(out *o)
{
    o->v = o->local;
    o->n = 0;
    o->cap = sizeof o->local / sizeof o->local[0];
}

static void out_push(out *o, uint32_t lo, uint32_t hi)
{
    if (o->n && lo <= o->v[o->n - 1].hi + 1) {
        if (hi > o->v[o->n - 1].hi)
            o->v[o->n - 1].hi = hi;
        return;
    }
    if (o->n == o->cap) {
        size_t cap = o->cap * 2;
        span *nv = ka_xmalloc(cap * sizeof *nv);
        memcpy(nv, o->v, o->n * sizeof *nv);
        if (o->v != o->local)
            free(o->v);
        o->v = nv;
        o->cap = cap;
    }
    o->v[o->n++] = (span){ lo, hi };
}

static void out_store(out *o, ka_portset *dst)
{
    reserve(dst, o->n);
    for (size_t i = 0; i < o->n; i++)
        dst->v[i] = (ka_portrange){ (uint16_t)(o->v[i].lo >> 16), (uint16_t)(o->v[i].lo & 0xffff),
                                    (uint16_t)(o->v[i].hi & 0xffff) };
    dst->n = o->n;
    if (o->v != o->local)
        free(o->v);
}

void ka_portset_all(ka_portset *s)
{
    reserve(s, KA_NPROTO);
    for (int p = 0; p < KA_NPROTO; p++)
        s->v[p] = (ka_portrange){ (uint16_t)p, KA_PORT_MIN, KA_PORT_MAX };
    s->n = KA_NPROTO;
}

void ka_portset_add(ka_portset *s, ka_proto p, unsigned lo, unsigned hi)
{
    if (lo < KA_PORT_MIN)
        lo = KA_PORT_MIN;
    if (hi > KA_PORT_MAX)
        hi = KA_PORT_MAX;
    if ((unsigned)p >= KA_NPROTO || lo > hi)
        return;
    ka_portset one = { 1, 1, &(ka_portrange){ (uint16_t)p, (uint16_t)lo, (uint16_t)hi } };
    ka_portset_union(s, &one);
}

void ka_portset_copy(ka_portset *dst, const ka_portset *src)
{
    if (dst == src)
        return;
    reserve(dst, src->n);
    if (src->n)
        memcpy(dst->v, src->v, src->n * sizeof *src->v);
    dst->n = src->n;
}

void ka_portset_union(ka_portset *dst, const ka_portset *a)
{
    if (a->n == 0 || dst == a)
        return;
    if (dst->n == 0) {
        ka_portset_copy(dst, a);
        return;
    }
    out o;
    out_init(&o);
    size_t i = 0, j = 0;
    while (i < dst->n || j < a->n) {
        span x;
        if (j >= a->n || (i < dst->n && get(dst, i).lo <= get(a, j).lo))
            x = get(dst, i++);
        else
            x = get(a, j++);
        out_push(&o, x.lo, x.hi);
    }
    out_store(&o, dst);
}

void ka_portset_intersect(ka_portset *dst, const ka_portset *a)
{
    if (dst == a)
        return;
    out o;
    out_init(&o);
    size_t i = 0, j = 0;
    while (i < dst->n && j < a->n) {
        span x = get(dst, i), y = get(a, j);
        uint32_t lo = x.lo > y.lo ? x.lo : y.lo, hi = x.hi < y.hi ? x.hi : y.hi;
        if (lo <= hi)
            out_push(&o, lo, hi);
        if (x.hi < y.hi)
            i++;
        else
            j++;
    }
    out_store(&o, dst);
}

void ka_portset_subtract(ka_portset *dst, const ka_portset *a)
{
    if (dst == a) {
        dst->n = 0;
        return;
    }
    if (a->n == 0 || dst->n == 0)
        return;
    out o;
    out_init(&o);
    size_t j = 0;
    for (size_t i = 0; i < dst->n; i++) {
        span x = get(dst, i);
        uint32_t lo = x.lo;
        while (j < a->n && get(a, j).hi < lo)
            j++;
        size_t k = j;
        while (k < a->n && get(a, k).lo <= x.hi) {
            span y = get(a, k);
            if (y.lo > lo)
                out_push(&o, lo, y.lo - 1);
            if (y.hi >= x.hi) {
                lo = x.hi + 1;
                break;
            }
            lo = y.hi + 1;
            k++;
        }
        if (lo <= x.hi)
            out_push(&o, lo, x.hi);
    }
    out_store(&o, dst);
}

bool ka_portset_equal(const ka_portset *a, const ka_portset *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].proto != b->v[i].proto || a->v[i].lo != b->v[i].lo || a->v[i].hi != b->v[i].hi)
            return false;
    return true;
}

static bool proto_full(const ka_portset *s, size_t i)
{
    return s->v[i].lo == KA_PORT_MIN && s->v[i].hi == KA_PORT_MAX;
}

bool ka_portset_is_all(const ka_portset *s)
{
    if (s->n != KA_NPROTO)
        return false;
    for (size_t i = 0; i < KA_NPROTO; i++)
        if (s->v[i].proto != i || !proto_full(s, i))
            return false;
    return true;
}

bool ka_portset_contains(const ka_portset *s, ka_proto p, unsigned port)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].proto == p && s->v[i].lo <= port && port <= s->v[i].hi)
            return true;
    return false;
}

void ka_portset_text(const ka_portset *s, ka_buf *b)
{
    if (s->n == 0) {
        ka_buf_adds(b, "none");
        return;
    }
    if (ka_portset_is_all(s)) {
        ka_buf_adds(b, "all");
        return;
    }
    int last = -1;
    for (size_t i = 0; i < s->n; i++) {
        const ka_portrange *r = &s->v[i];
        if (r->proto != last) {
            if (last >= 0)
                ka_buf_adds(b, "; ");
            ka_buf_adds(b, ka_proto_name(r->proto));
            ka_buf_addc(b, ' ');
            last = r->proto;
        } else {
            ka_buf_addc(b, ',');
        }
        if (proto_full(s, i))
            ka_buf_adds(b, "all");
        else if (r->lo == r->hi)
            ka_buf_printf(b, "%u", r->lo);
        else
            ka_buf_printf(b, "%u-%u", r->lo, r->hi);
    }
}

void ka_portset_json(const ka_portset *s, ka_buf *b)
{
    if (ka_portset_is_all(s)) {
        ka_buf_adds(b, "\"all\"");
        return;
    }
    ka_buf_addc(b, '[');
    for (size_t i = 0; i < s->n; i++) {
        const ka_portrange *r = &s->v[i];
        if (i)
            ka_buf_addc(b, ',');
        ka_buf_printf(b, "{\"protocol\":\"%s\"", ka_proto_name(r->proto));
        if (!proto_full(s, i)) {
            ka_buf_printf(b, ",\"port\":%u", r->lo);
            if (r->hi != r->lo)
                ka_buf_printf(b, ",\"endPort\":%u", r->hi);
        }
        ka_buf_addc(b, '}');
    }
    ka_buf_addc(b, ']');
}
