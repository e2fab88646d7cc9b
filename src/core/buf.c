/*
 * buf.c - growable byte buffers, borrowed strings, escaping for writers.
 */
#include "kubearch/base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

ka_str ka_str_c(const char *s)
{
    return s ? (ka_str){ s, strlen(s) } : (ka_str){ "", 0 };
}

bool ka_str_ieqc(ka_str a, const char *c)
{
    size_t n = strlen(c);
    if (a.n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char x = a.p[i], y = c[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

int ka_str_cmp(ka_str a, ka_str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    if (r)
        return r;
    return a.n < b.n ? -1 : a.n > b.n;
}

bool ka_str_contains(ka_str s, const char *needle)
{
    size_t n = strlen(needle);
    if (n > s.n)
        return false;
    if (!n)
        return true;
    /* candidates by their first byte (memchr), then the rest */
    const char *p = s.p, *end = s.p + s.n - n + 1;
    while (p < end && (p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
        if (memcmp(p + 1, needle + 1, n - 1) == 0)
            return true;
        p++;
    }
    return false;
}

bool ka_str_has_prefix(ka_str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

void ka_buf_init(ka_buf *b)
{
    b->p = NULL;
    b->n = b->cap = 0;
}

void ka_buf_free(ka_buf *b)
{
    free(b->p);
    ka_buf_init(b);
}

void ka_buf_reset(ka_buf *b)
{
    b->n = 0;
}

void ka_buf_grow(ka_buf *b, size_t extra)
{
    if (b->cap - b->n > extra)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n <= extra)
        cap *= 2;
    b->p = ka_xrealloc(b->p, cap);
    b->cap = cap;
}

void ka_buf_vprintf(ka_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof tmp) {
        ka_buf_add(b, tmp, (size_t)n);
    } else {
        ka_buf_grow(b, (size_t)n + 1);
        vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap2);
        b->n += (size_t)n;
    }
    va_end(ap2);
}

void ka_buf_printf(ka_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ka_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *ka_buf_cstr(ka_buf *b)
{
    ka_buf_grow(b, 1);
    b->p[b->n] = '\0';
    return b->p;
}

void ka_buf_addu(ka_buf *b, uint64_t v)
{
    char d[20];
    size_t n = 0;
    do {
        d[sizeof d - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ka_buf_add(b, d + sizeof d - n, n);
}

void ka_buf_json_str(ka_buf *b, ka_str s)
{
    static const char hex[] = "0123456789abcdef";
    ka_buf_grow(b, s.n + 2);
    ka_buf_addc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < s.n;) {
        /* eight plain bytes at a time: none below 0x20, '"', '\\', 0x7f or >= 0x80 */
        while (i + 8 <= s.n) {
            uint64_t w;
            memcpy(&w, s.p + i, 8);
            const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
            uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\'), del = w ^ (ones * 0x7f);
            uint64_t bad = (w | ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) |
                            ((del - ones) & ~del)) & high;
            if (bad)
                break;
            i += 8;
        }
        if (i >= s.n)
            break;
        unsigned char c = (unsigned char)s.p[i];
        if (c >= 0x80) {
            /* JSON is UTF-8: a malformed byte (a file name, say) becomes U+FFFD */
            size_t k = ka_utf8_seq((const unsigned char *)s.p + i, s.n - i);
            if (k) {
                i += k;
                continue;
            }
            ka_buf_add(b, s.p + start, i - start);
            ka_buf_adds(b, "\xEF\xBF\xBD");
            start = ++i;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
            i++;
            continue;
        }
        ka_buf_add(b, s.p + start, i - start);
        start = ++i;
        switch (c) {
        case '"': ka_buf_add(b, "\\\"", 2); break;
        case '\\': ka_buf_add(b, "\\\\", 2); break;
        case '\n': ka_buf_add(b, "\\n", 2); break;
        case '\r': ka_buf_add(b, "\\r", 2); break;
        case '\t': ka_buf_add(b, "\\t", 2); break;
        default: {
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            ka_buf_add(b, e, 6);
        }
        }
    }
    ka_buf_add(b, s.p + start, s.n - start);
    ka_buf_addc(b, '"');
}

void ka_buf_xml_str(ka_buf *b, ka_str s)
{
    size_t start = 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        default:
            /* XML 1.0 forbids most control characters even when escaped. */
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
                rep = "?";
        }
        if (!rep)
            continue;
        ka_buf_add(b, s.p + start, i - start);
        ka_buf_adds(b, rep);
        start = i + 1;
    }
    ka_buf_add(b, s.p + start, s.n - start);
}

/* Length of the well-formed UTF-8 sequence at p (1..4), 0 when it is not one.
 * Surrogates and the noncharacters U+FFFE/U+FFFF count as malformed. */
size_t ka_utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    if ((c & 0xE0) == 0xC0)
        len = 2;
    else if ((c & 0xF0) == 0xE0)
        len = 3;
    else if ((c & 0xF8) == 0xF0)
        len = 4;
    else
        return 0;
    static const uint32_t lead_mask[5] = { 0, 0, 0x1F, 0x0F, 0x07 };
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 }; /* no overlong forms */
    uint32_t cp = c & lead_mask[len];
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF)
        return 0;
    return len;
}

/* s itself when it is well-formed UTF-8; otherwise a copy in tmp with every
 * malformed byte replaced by U+FFFD (a message cut at its size limit can end
 * in half a character, and JSON must be UTF-8). */
ka_str ka_utf8_clean(ka_buf *tmp, ka_str s)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t i = 0, k;
    while (i < s.n && (k = ka_utf8_seq(p + i, s.n - i)) != 0)
        i += k;
    if (i == s.n)
        return s;
    ka_buf_reset(tmp);
    ka_buf_add(tmp, s.p, i);
    while (i < s.n) {
        k = ka_utf8_seq(p + i, s.n - i);
        if (k) {
            ka_buf_add(tmp, s.p + i, k);
            i += k;
        } else {
            ka_buf_adds(tmp, "\xEF\xBF\xBD");
            i++;
        }
    }
    return (ka_str){ tmp->p, tmp->n };
}

uint64_t ka_hash(const void *p, size_t n)
{
    /* eight bytes at a time, then a final mix so the low bits (the bucket) depend on all */
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    }
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}
