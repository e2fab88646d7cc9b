/*
 * ip.c - IPv4 / IPv6 addresses and CIDRs as 128-bit numbers, as ipBlock,
 * AdminNetworkPolicy networks and --external need them. Parsing is strict:
 * dotted quads without leading zeros, RFC 4291 text for IPv6 (with an
 * optional embedded IPv4 tail), no zone ids.
 */
#include "np_int.h"

#include <stdio.h>
#include <string.h>

static int parse_v4(const char *p, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        if (i >= n || p[i] < '0' || p[i] > '9')
            return -1;
        unsigned x = 0, digits = 0;
        bool lead0 = p[i] == '0';
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            x = x * 10 + (unsigned)(p[i] - '0');
            if (++digits > 3 || x > 255)
                return -1;
            i++;
        }
        if (lead0 && digits > 1)
            return -1; /* 010.0.0.1 is ambiguous (octal in some parsers): refused, as Go does */
        v = (v << 8) | x;
        parts++;
        if (parts < 4) {
            if (i >= n || p[i] != '.')
                return -1;
            i++;
        }
    }
    if (i != n)
        return -1;
    *out = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_v6(const char *p, size_t n, uint16_t w[8])
{
    uint16_t head[8], tail[8];
    int nh = 0, nt = 0;
    bool gap = false;
    size_t i = 0;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        gap = true;
        i = 2;
    } else if (n >= 1 && p[0] == ':') {
        return -1;
    }
    while (i < n) {
        /* an embedded IPv4 tail takes two groups */
        size_t j = i;
        while (j < n && p[j] != ':' && p[j] != '.')
            j++;
        if (j < n && p[j] == '.') {
            uint32_t v4;
            if (parse_v4(p + i, n - i, &v4) < 0)
                return -1;
            uint16_t *dst = gap ? tail : head;
            int *cnt = gap ? &nt : &nh;
            if (*cnt + 2 > 8)
                return -1;
            dst[(*cnt)++] = (uint16_t)(v4 >> 16);
            dst[(*cnt)++] = (uint16_t)(v4 & 0xffff);
            i = n;
            break;
        }
        if (j == i || j - i > 4)
            return -1;
        unsigned x = 0;
        for (size_t k = i; k < j; k++) {
            int h = hexval(p[k]);
            if (h < 0)
                return -1;
            x = x * 16 + (unsigned)h;
        }
        uint16_t *dst = gap ? tail : head;
        int *cnt = gap ? &nt : &nh;
        if (*cnt >= 8)
            return -1;
        dst[(*cnt)++] = (uint16_t)x;
        i = j;
        if (i < n) {
            i++; /* ':' */
            if (i < n && p[i] == ':') {
                if (gap)
                    return -1;
                gap = true;
                i++;
            } else if (i == n) {
                return -1; /* trailing single ':' */
            }
        }
    }
    if (gap ? nh + nt > 7 : nh != 8)
        return -1;
    memset(w, 0, 8 * sizeof *w);
    for (int k = 0; k < nh; k++)
        w[k] = head[k];
    for (int k = 0; k < nt; k++)
        w[8 - nt + k] = tail[k];
    return 0;
}

int np_addr_parse(ka_str s, np_addr *out)
{
    memset(out, 0, sizeof *out);
    if (memchr(s.p, ':', s.n)) {
        uint16_t w[8];
        if (parse_v6(s.p, s.n, w) < 0)
            return -1;
        out->fam = 6;
        for (int k = 0; k < 4; k++)
            out->hi = (out->hi << 16) | w[k];
        for (int k = 4; k < 8; k++)
            out->lo = (out->lo << 16) | w[k];
        return 0;
    }
    uint32_t v4;
    if (parse_v4(s.p, s.n, &v4) < 0)
        return -1;
    out->fam = 4;
    out->lo = v4;
    return 0;
}

static unsigned fam_bits(const np_addr *a)
{
    return a->fam == 6 ? 128 : 32;
}

/* Keeps the first `bits` bits of the address (family-relative). */
static np_addr mask(const np_addr *a, unsigned bits)
{
    np_addr r = *a;
    if (a->fam == 4) {
        r.lo = bits == 0 ? 0 : (a->lo & (0xffffffffull << (32 - bits)) & 0xffffffffull);
        return r;
    }
    if (bits == 0) {
        r.hi = r.lo = 0;
    } else if (bits < 64) {
        r.hi = a->hi & (~0ull << (64 - bits));
        r.lo = 0;
    } else if (bits < 128) {
        r.lo = a->lo & (~0ull << (128 - bits));
    }
    return r;
}

np_addr np_addr_mask(const np_addr *a, unsigned bits)
{
    return mask(a, bits);
}

int np_cidr_parse(ka_str s, bool allow_bare, np_cidr *out, char *err, size_t errn)
{
    const char *slash = memchr(s.p, '/', s.n);
    ka_str addr = slash ? (ka_str){ s.p, (size_t)(slash - s.p) } : s;
    memset(out, 0, sizeof *out);
    if (np_addr_parse(addr, &out->a) < 0) {
        snprintf(err, errn, "\"%.*s\" is not a valid %s", (int)s.n, s.p,
                 slash || !allow_bare ? "CIDR" : "IP address or CIDR");
        return -1;
    }
    unsigned max = fam_bits(&out->a), bits = max;
    if (slash) {
        const char *p = slash + 1, *end = s.p + s.n;
        bits = 0;
        if (p == end || end - p > 3 || (*p == '0' && end - p > 1)) {
            snprintf(err, errn, "\"%.*s\" is not a valid CIDR (bad prefix length)", (int)s.n, s.p);
            return -1;
        }
        for (; p < end; p++) {
            if (*p < '0' || *p > '9') {
                snprintf(err, errn, "\"%.*s\" is not a valid CIDR (bad prefix length)", (int)s.n,
                         s.p);
                return -1;
            }
            bits = bits * 10 + (unsigned)(*p - '0');
        }
        if (bits > max) {
            snprintf(err, errn, "\"%.*s\" is not a valid CIDR (prefix longer than /%u)", (int)s.n,
                     s.p, max);
            return -1;
        }
    } else if (!allow_bare) {
        snprintf(err, errn, "\"%.*s\" is not a valid CIDR (no /prefix length)", (int)s.n, s.p);
        return -1;
    }
    /* host bits are accepted and cleared, as net.ParseCIDR does */
    out->a = mask(&out->a, bits);
    out->bits = bits;
    return 0;
}

bool np_cidr_contains(const np_cidr *c, const np_addr *a)
{
    if (c->a.fam != a->fam)
        return false; /* 0.0.0.0/0 is "all IPv4", never an IPv6 address */
    np_addr m = mask(a, c->bits);
    return m.hi == c->a.hi && m.lo == c->a.lo;
}

bool np_cidr_strict_subset(const np_cidr *inner, const np_cidr *outer)
{
    return inner->a.fam == outer->a.fam && inner->bits > outer->bits &&
           np_cidr_contains(outer, &inner->a);
}

void np_cidr_last(const np_cidr *c, np_addr *out)
{
    *out = c->a;
    if (c->a.fam == 4) {
        uint64_t host = c->bits >= 32 ? 0 : (0xffffffffull >> c->bits);
        out->lo |= host;
        return;
    }
    if (c->bits < 64) {
        out->hi |= c->bits == 0 ? ~0ull : (~0ull >> c->bits);
        out->lo = ~0ull;
    } else if (c->bits < 128) {
        out->lo |= ~0ull >> (c->bits - 64);
    }
}

int np_addr_cmp(const np_addr *x, const np_addr *y)
{
    if (x->fam != y->fam)
        return x->fam < y->fam ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return 0;
}

bool np_addr_next(const np_addr *x, np_addr *out)
{
    *out = *x;
    if (x->fam == 4) {
        if (x->lo >= 0xffffffffull)
            return false;
        out->lo++;
        return true;
    }
    if (x->lo == ~0ull) {
        if (x->hi == ~0ull)
            return false;
        out->hi++;
        out->lo = 0;
        return true;
    }
    out->lo++;
    return true;
}

void np_addr_text(const np_addr *a, ka_buf *b)
{
    if (a->fam == 4) {
        ka_buf_printf(b, "%u.%u.%u.%u", (unsigned)(a->lo >> 24) & 255, (unsigned)(a->lo >> 16) & 255,
                      (unsigned)(a->lo >> 8) & 255, (unsigned)a->lo & 255);
        return;
    }
    uint16_t w[8];
    for (int k = 0; k < 4; k++) {
        w[k] = (uint16_t)(a->hi >> (48 - 16 * k));
        w[4 + k] = (uint16_t)(a->lo >> (48 - 16 * k));
    }
    /* RFC 5952: the longest run (>= 2) of zero groups becomes "::" */
    int best = -1, bestlen = 0;
    for (int k = 0; k < 8;) {
        if (w[k]) {
            k++;
            continue;
        }
        int j = k;
        while (j < 8 && !w[j])
            j++;
        if (j - k > bestlen && j - k >= 2) {
            best = k;
            bestlen = j - k;
        }
        k = j;
    }
    for (int k = 0; k < 8; k++) {
        if (k == best) {
            ka_buf_adds(b, "::");
            k += bestlen - 1;
            continue;
        }
        if (k && k != best + bestlen)
            ka_buf_addc(b, ':');
        ka_buf_printf(b, "%x", w[k]);
    }
}
