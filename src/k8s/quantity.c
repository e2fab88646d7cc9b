/*
 * quantity.c - resource.Quantity (k8s.io/apimachinery/pkg/api/resource).
 *
 * Values are kept exact as sign * digits * 10^scale. Parsing mirrors
 * ParseQuantity: the same scanner (with its leniencies: "1.", ".5", "+" and
 * "Ki" are all accepted), the same suffix table, the same int32 exponent
 * arithmetic, rounding away from zero to a multiple of 10^-9, the 2^63-1 cap
 * for BinarySI and the "0 < |x| < 1 BinarySI becomes DecimalSI" rule.
 * Upstream picks between an int64 fast path and an arbitrary-precision slow
 * path; both give the same value, but the choice decides whether digit-less
 * inputs such as "." parse and whether the input text is kept as String(),
 * so that choice is reproduced too.
 */
#include "kubearch/quantity.h"

#include <stdlib.h>
#include <string.h>

#define Q_NANO (-9)
#define Q_INT64_MAX_DIGITS "9223372036854775807"
/* Work buffer headroom in front of the digits: a BinarySI multiplier (at
 * most 2^60 < 10^19) and one rounding carry can add that many digits. */
#define Q_HEAD 21

/* ---- scanning --------------------------------------------------------- */

/* The pieces parseQuantityString() splits a quantity into. */
typedef struct q_scan {
    bool neg;
    bool has_digits;      /* the numeric part holds at least one digit */
    const char *num;      /* integer digits, leading zeros stripped */
    size_t nnum;
    const char *denom;    /* fraction digits */
    size_t ndenom;
    const char *suf;
    size_t nsuf;
} q_scan;

static bool q_isdigit(char c) { return c >= '0' && c <= '9'; }

/* Characters that may start a suffix: upstream scans these greedily before
 * an optional sign and exponent digits. */
static bool q_issuffix(char c)
{
    switch (c) {
    case 'e': case 'E': case 'i': case 'n': case 'u': case 'm':
    case 'k': case 'K': case 'M': case 'G': case 'T': case 'P':
        return true;
    default:
        return false;
    }
}

static size_t q_skip_digits(ka_str s, size_t i)
{
    while (i < s.n && q_isdigit(s.p[i]))
        i++;
    return i;
}

static bool q_scan_suffix(ka_str s, size_t pos, q_scan *o)
{
    size_t i = pos;

    while (i < s.n && q_issuffix(s.p[i]))
        i++;
    if (i < s.n && (s.p[i] == '+' || s.p[i] == '-'))
        i++;
    i = q_skip_digits(s, i);
    if (i < s.n)
        return false; /* anything after the exponent digits */
    o->suf = s.p + pos;
    o->nsuf = s.n - pos;
    return true;
}

static bool q_scan_number(ka_str s, q_scan *o)
{
    size_t pos = 0, i;

    memset(o, 0, sizeof *o);
    o->num = o->denom = o->suf = s.p;
    if (s.n > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
        o->neg = s.p[0] == '-';
        pos++;
    }
    for (i = pos; i < s.n && s.p[i] == '0'; i++)
        ;
    /* Only zeros (or just a sign) left: upstream returns 0 right here. */
    if (i >= s.n) {
        o->has_digits = true;
        return true;
    }
    o->has_digits = i > pos;
    pos = i;
    i = q_skip_digits(s, pos);
    o->num = s.p + pos;
    o->nnum = i - pos;
    o->has_digits |= o->nnum > 0;
    if (i >= s.n)
        return true;
    pos = i;
    if (s.p[pos] == '.') {
        pos++;
        i = q_skip_digits(s, pos);
        o->denom = s.p + pos;
        o->ndenom = i - pos;
        o->has_digits |= o->ndenom > 0;
        if (i >= s.n)
            return true;
        pos = i;
    }
    return q_scan_suffix(s, pos, o);
}

/* ---- suffixes ---------------------------------------------------------- */

/* strconv.ParseInt(s, 10, 64): optional sign, at least one digit, range-checked. */
static bool q_go_parse_int64(const char *p, size_t n, int64_t *out)
{
    bool neg = false;
    uint64_t v = 0, lim;
    size_t i = 0;

    if (n > 0 && (p[0] == '+' || p[0] == '-')) {
        neg = p[0] == '-';
        i++;
    }
    if (i >= n)
        return false;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (!q_isdigit(p[i]))
            return false;
        if (v > (lim - (uint64_t)(p[i] - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* Go's int32(x): keep the low 32 bits, two's complement. */
static int32_t q_wrap32(int64_t x)
{
    uint32_t u = (uint32_t)(uint64_t)x;
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) + INT32_MIN;
}

typedef struct q_suffix {
    int base;             /* 10 or 2 */
    int32_t exp;
    ka_qformat format;
} q_suffix;

static bool q_interpret_suffix(const char *p, size_t n, q_suffix *o)
{
    static const struct { char c; int32_t exp; } dec[] = {
        { 'n', -9 }, { 'u', -6 }, { 'm', -3 }, { 'k', 3 }, { 'M', 6 },
        { 'G', 9 }, { 'T', 12 }, { 'P', 15 }, { 'E', 18 },
    };
    static const char bin[] = "KMGTPE";
    const char *hit;
    int64_t e;

    o->base = 10;
    o->format = KA_QF_DECIMAL_SI;
    o->exp = 0;
    if (n == 0)
        return true;
    for (size_t i = 0; n == 1 && i < sizeof dec / sizeof *dec; i++)
        if (p[0] == dec[i].c) {
            o->exp = dec[i].exp;
            return true;
        }
    if (n == 2 && p[1] == 'i' && (hit = memchr(bin, p[0], sizeof bin - 1)) != NULL) {
        o->base = 2;
        o->exp = (int32_t)(hit - bin + 1) * 10;
        o->format = KA_QF_BINARY_SI;
        return true;
    }
    if (n > 1 && (p[0] == 'e' || p[0] == 'E') && q_go_parse_int64(p + 1, n - 1, &e)) {
        o->exp = q_wrap32(e); /* upstream truncates the parsed int64 to int32 */
        o->format = KA_QF_DECIMAL_EXPONENT;
        return true;
    }
    return false;
}

/* ---- upstream's int64 fast path --------------------------------------- */

/* Whether num+denom ends in "000" (only asked when num is not empty). */
static bool q_ends_with_000(const q_scan *sc)
{
    size_t zeros = 0, i;

    for (i = sc->ndenom; i > 0 && sc->denom[i - 1] == '0'; i--)
        zeros++;
    if (i == 0)
        for (i = sc->nnum; i > 0 && sc->num[i - 1] == '0'; i--)
            zeros++;
    return zeros >= 3;
}

/* Decides whether ParseQuantity takes its int64 path, which accepts inputs
 * without digits, and whether it then keeps the input text as String(). */
static bool q_fast_path(const q_scan *sc, const q_suffix *sx, int32_t *scale,
                        bool *verbatim)
{
    int64_t lnum = sc->nnum ? (int64_t)sc->nnum : 1, lden = (int64_t)sc->ndenom;
    uint64_t v = 0;
    size_t i;

    *verbatim = false;
    if (sx->base == 2) {
        if (lden != 0 || 15 - lnum - (int64_t)sx->exp * 3 / 10 - 1 < 0)
            return false;
        *scale = 0;
        for (i = 0; i < sc->nnum; i++)
            v = v * 10 + (uint64_t)(sc->num[i] - '0');
        *verbatim = (v & 7) != 0;
        return true;
    }
    if (18 - (lnum + lden) < 0)
        return false;
    *scale = q_wrap32((int64_t)sx->exp - lden);
    if (*scale < Q_NANO)
        return false;
    *verbatim = *scale % 3 == 0 && sc->nnum > 0 && !q_ends_with_000(sc);
    return true;
}

/* ---- exact arithmetic on a digit buffer -------------------------------- */

/* Magnitude digits (ASCII, most significant first) times 10^e, with room
 * for Q_HEAD extra leading digits in front of d. */
typedef struct q_work {
    char *d;
    size_t n;
    int64_t e;
    char *heap;
    char stack[256];
} q_work;

static void q_work_init(q_work *w, const q_scan *sc)
{
    size_t need = Q_HEAD + sc->nnum + sc->ndenom + 1;

    w->heap = need > sizeof w->stack ? ka_xmalloc(need) : NULL;
    w->d = (w->heap ? w->heap : w->stack) + Q_HEAD;
    memcpy(w->d, sc->num, sc->nnum);
    memcpy(w->d + sc->nnum, sc->denom, sc->ndenom);
    w->n = sc->nnum + sc->ndenom;
    while (w->n > 0 && w->d[0] == '0') { /* fraction zeros after an empty num */
        w->d++;
        w->n--;
    }
}

static void q_work_release(q_work *w)
{
    free(w->heap);
}

static void q_prepend(q_work *w, char c)
{
    *--w->d = c;
    w->n++;
}

/* Multiply by 2^k (k <= 60): 9 * 2^60 plus a carry below 2^60 fits in 64 bits. */
static void q_mul_pow2(q_work *w, int k)
{
    uint64_t m = (uint64_t)1 << k, carry = 0;
    size_t i;

    for (i = w->n; i > 0; i--) {
        uint64_t x = (uint64_t)(w->d[i - 1] - '0') * m + carry;
        w->d[i - 1] = (char)('0' + x % 10);
        carry = x / 10;
    }
    for (; carry; carry /= 10)
        q_prepend(w, (char)('0' + carry % 10));
}

static bool q_any_nonzero(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d[i] != '0')
            return true;
    return false;
}

static void q_increment(q_work *w)
{
    size_t i = w->n;

    while (i > 0 && w->d[i - 1] == '9')
        w->d[--i] = '0';
    if (i > 0)
        w->d[i - 1]++;
    else
        q_prepend(w, '1');
}

/* Round the magnitude up to a multiple of 10^-9: upstream uses inf.RoundUp
 * on the absolute value so that any non-zero request stays non-zero. */
static void q_round_nano(q_work *w)
{
    uint64_t drop;

    if (w->e >= Q_NANO)
        return;
    drop = (uint64_t)(Q_NANO - w->e);
    w->e = Q_NANO;
    if (drop >= w->n) {
        bool nonzero = q_any_nonzero(w->d, w->n);
        w->n = 0;
        if (nonzero)
            q_prepend(w, '1');
        return;
    }
    w->n -= (size_t)drop;
    if (q_any_nonzero(w->d + w->n, (size_t)drop))
        q_increment(w);
}

static void q_normalize(q_work *w)
{
    while (w->n > 0 && w->d[0] == '0') {
        w->d++;
        w->n--;
    }
    while (w->n > 0 && w->d[w->n - 1] == '0') {
        w->n--;
        w->e++;
    }
}

/* Compare normalized non-zero magnitudes a*10^ae and b*10^be. */
static int q_mag_cmp(const char *a, size_t an, int64_t ae, const char *b, size_t bn, int64_t be)
{
    int64_t ta = (int64_t)an + ae, tb = (int64_t)bn + be;
    size_t i, n = an > bn ? an : bn;

    if (ta != tb)
        return ta < tb ? -1 : 1;
    for (i = 0; i < n; i++) {
        char ca = i < an ? a[i] : '0', cb = i < bn ? b[i] : '0';
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return 0;
}

static void q_cap_int64(q_work *w)
{
    static const char max[] = Q_INT64_MAX_DIGITS;

    if (w->n == 0 || q_mag_cmp(w->d, w->n, w->e, max, sizeof max - 1, 0) <= 0)
        return;
    memcpy(w->d, max, sizeof max - 1);
    w->n = sizeof max - 1;
    w->e = 0;
}

/* ---- parse ------------------------------------------------------------ */

static void q_set_zero(ka_quantity *q, ka_qformat f)
{
    memset(q, 0, sizeof *q);
    q->ndigits = 1;
    q->digits[0] = '0';
    q->format = f;
}

/* The value exponent of digits(num+denom): upstream's slow path negates the
 * wrapped int32 scale, which only differs from the fast path at INT32_MIN. */
static int64_t q_decimal_exponent(const q_scan *sc, const q_suffix *sx)
{
    int32_t w = q_wrap32((int64_t)sx->exp - (int64_t)sc->ndenom);
    return w == INT32_MIN ? -(int64_t)INT32_MIN : w;
}

static int q_store(ka_quantity *q, const q_work *w, bool neg, ka_qformat f, bool verbatim)
{
    if (w->n == 0) {
        q_set_zero(q, f);
        q->verbatim = verbatim;
        return 0;
    }
    if (w->n > KA_QUANTITY_MAXDIGITS)
        return KA_QUANTITY_ETOOLONG;
    memset(q, 0, sizeof *q);
    q->neg = neg;
    q->verbatim = verbatim;
    q->format = f;
    q->scale = w->e;
    q->ndigits = (uint8_t)w->n;
    memcpy(q->digits, w->d, w->n);
    return 0;
}

int ka_quantity_parse(ka_str s, ka_quantity *q)
{
    q_scan sc;
    q_suffix sx;
    q_work w;
    int32_t fast_scale;
    bool fast, verbatim;
    ka_qformat f;
    int rc;

    if (s.n == 0)
        return -1;
    if (s.n == 1 && s.p[0] == '0') {
        q_set_zero(q, KA_QF_DECIMAL_SI);
        q->verbatim = true;
        return 0;
    }
    if (!q_scan_number(s, &sc) || !q_interpret_suffix(sc.suf, sc.nsuf, &sx))
        return -1;
    fast = q_fast_path(&sc, &sx, &fast_scale, &verbatim);
    if (!fast && !sc.has_digits)
        return -1; /* inf.Dec refuses a number without digits */

    q_work_init(&w, &sc);
    if (sx.base == 2) {
        w.e = -(int64_t)sc.ndenom;
        if (w.n > 0)
            q_mul_pow2(&w, sx.exp);
    } else {
        w.e = q_decimal_exponent(&sc, &sx);
    }
    q_round_nano(&w);
    q_normalize(&w);
    f = sx.format;
    if (f == KA_QF_BINARY_SI) {
        q_cap_int64(&w);
        if (w.n > 0 && (int64_t)w.n + w.e <= 0)
            f = KA_QF_DECIMAL_SI; /* 0 < |x| < 1 */
    }
    rc = q_store(q, &w, sc.neg, f, verbatim);
    q_work_release(&w);
    return rc;
}

/* ---- integers --------------------------------------------------------- */

bool ka_quantity_is_zero(const ka_quantity *q)
{
    return q->ndigits == 0 || (q->ndigits == 1 && q->digits[0] == '0');
}

/* Leading k digits of q (k <= 19) as an unsigned integer. */
static uint64_t q_prefix_u64(const ka_quantity *q, size_t k)
{
    uint64_t v = 0;

    for (size_t i = 0; i < k; i++)
        v = v * 10 + (uint64_t)(i < q->ndigits ? q->digits[i] - '0' : 0);
    return v;
}

/* ceil(q * 10^shift) into an int64, false on overflow. */
static bool q_ceil_scaled(const ka_quantity *q, int shift, int64_t *out)
{
    int64_t e = q->scale + shift, intdigits = (int64_t)q->ndigits + e;
    uint64_t mag, lim = q->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool frac = e < 0; /* normalized: a negative scale leaves a non-zero fraction */

    if (ka_quantity_is_zero(q)) {
        *out = 0;
        return true;
    }
    if (intdigits > 19)
        return false;
    mag = intdigits > 0 ? q_prefix_u64(q, (size_t)intdigits) : 0;
    if (mag > lim)
        return false; /* 19 digits always fit the accumulator, not int64 */
    if (frac && !q->neg) {
        if (mag >= lim)
            return false;
        mag++; /* ceil of a positive value with a fraction */
    }
    *out = q->neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

int ka_quantity_value(const ka_quantity *q, int64_t *out)
{
    return q_ceil_scaled(q, 0, out) ? 0 : -1;
}

int ka_quantity_milli(const ka_quantity *q, int64_t *out)
{
    return q_ceil_scaled(q, 3, out) ? 0 : -1;
}

int ka_quantity_cmp(const ka_quantity *a, const ka_quantity *b)
{
    bool az = ka_quantity_is_zero(a), bz = ka_quantity_is_zero(b);
    int sa = az ? 0 : a->neg ? -1 : 1, sb = bz ? 0 : b->neg ? -1 : 1, m;

    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    m = q_mag_cmp(a->digits, a->ndigits, a->scale, b->digits, b->ndigits, b->scale);
    return sa < 0 ? -m : m;
}

/* ---- formatting ------------------------------------------------------- */

const char *ka_qformat_name(ka_qformat f)
{
    switch (f) {
    case KA_QF_BINARY_SI: return "BinarySI";
    case KA_QF_DECIMAL_EXPONENT: return "DecimalExponent";
    default: return "DecimalSI";
    }
}

/* A bounded string builder that keeps counting past the end, like snprintf. */
typedef struct q_out {
    char *p;
    size_t cap, n;
} q_out;

static void q_putc(q_out *o, char c)
{
    if (o->n + 1 < o->cap)
        o->p[o->n] = c;
    o->n++;
}

static void q_puts(q_out *o, const char *s)
{
    while (*s)
        q_putc(o, *s++);
}

static void q_put_i64(q_out *o, int64_t v)
{
    char tmp[24];
    size_t k = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    do
        tmp[k++] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        q_putc(o, '-');
    while (k)
        q_putc(o, tmp[--k]);
}

static size_t q_finish(q_out *o)
{
    if (o->cap)
        o->p[o->n < o->cap ? o->n : o->cap - 1] = '\0';
    return o->n;
}

/* |q| as an integer when it is one and fits in int64 (parsing caps BinarySI
 * there, so larger values only come from hand-built structs). */
static bool q_integer_i64(const ka_quantity *q, uint64_t *out)
{
    int64_t len = (int64_t)q->ndigits + q->scale;

    if (q->scale < 0 || len > 19)
        return false;
    *out = q_prefix_u64(q, (size_t)len);
    return *out <= (uint64_t)INT64_MAX;
}

/* BinarySI keeps its format only for integers of magnitude >= 1024;
 * everything else falls back to DecimalSI so that no precision is lost. */
static bool q_binary_canonical(const ka_quantity *q, q_out *o)
{
    static const char *const sfx[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
    uint64_t v;
    int k = 0;

    if (!q_integer_i64(q, &v) || v < 1024)
        return false;
    while (v % 1024 == 0 && k < 6) {
        v /= 1024;
        k++;
    }
    if (q->neg)
        q_putc(o, '-');
    q_put_i64(o, (int64_t)v);
    q_puts(o, sfx[k]);
    return true;
}

/* Decimal suffix for an exponent that is a multiple of 3. Upstream prints no
 * suffix at all when there is none (e.g. 10^21 as DecimalSI); mirrored. */
static const char *q_decimal_suffix(int64_t e)
{
    static const char *const sfx[] = { "n", "u", "m", "", "k", "M", "G", "T", "P", "E" };

    if (e < -9 || e > 18)
        return "";
    return sfx[(e + 9) / 3];
}

static void q_decimal_canonical(const ka_quantity *q, ka_qformat f, q_out *o)
{
    /* lower the exponent to a multiple of 3, moving zeros into the mantissa */
    int64_t e3 = q->scale >= 0 ? q->scale / 3 * 3 : -((-q->scale + 2) / 3) * 3;
    int64_t pad = q->scale - e3;

    if (q->neg)
        q_putc(o, '-');
    for (size_t i = 0; i < q->ndigits; i++)
        q_putc(o, q->digits[i]);
    while (pad-- > 0)
        q_putc(o, '0');
    if (f == KA_QF_DECIMAL_SI) {
        q_puts(o, q_decimal_suffix(e3));
    } else if (e3 != 0) {
        q_putc(o, 'e');
        q_put_i64(o, e3);
    }
}

size_t ka_quantity_string(const ka_quantity *q, char *buf, size_t bufn)
{
    q_out o = { buf, bufn, 0 };

    if (ka_quantity_is_zero(q)) {
        q_putc(&o, '0');
        return q_finish(&o);
    }
    if (q->format == KA_QF_BINARY_SI && q_binary_canonical(q, &o))
        return q_finish(&o);
    q_decimal_canonical(q, q->format == KA_QF_DECIMAL_EXPONENT ? KA_QF_DECIMAL_EXPONENT
                                                               : KA_QF_DECIMAL_SI, &o);
    return q_finish(&o);
}

size_t ka_quantity_string_parsed(const ka_quantity *q, ka_str src, char *buf, size_t bufn)
{
    q_out o = { buf, bufn, 0 };

    if (!q->verbatim)
        return ka_quantity_string(q, buf, bufn);
    for (size_t i = 0; i < src.n; i++)
        q_putc(&o, src.p[i]);
    return q_finish(&o);
}

void ka_quantity_exact(const ka_quantity *q, ka_buf *out)
{
    int64_t intdigits, i;

    if (ka_quantity_is_zero(q)) {
        ka_buf_addc(out, '0');
        return;
    }
    if (q->neg)
        ka_buf_addc(out, '-');
    if (q->scale >= 0) {
        ka_buf_add(out, q->digits, q->ndigits);
        for (i = 0; i < q->scale; i++)
            ka_buf_addc(out, '0');
        return;
    }
    intdigits = (int64_t)q->ndigits + q->scale;
    if (intdigits > 0) {
        ka_buf_add(out, q->digits, (size_t)intdigits);
        ka_buf_addc(out, '.');
        ka_buf_add(out, q->digits + intdigits, (size_t)(-q->scale));
        return;
    }
    ka_buf_adds(out, "0.");
    for (i = intdigits; i < 0; i++)
        ka_buf_addc(out, '0');
    ka_buf_add(out, q->digits, q->ndigits);
}
