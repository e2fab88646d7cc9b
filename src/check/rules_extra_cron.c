/*
 * rules_extra_cron.c - the CronJob rules of rules_extra.def: JOB-002
 * (startingDeadlineSeconds), JOB-003 (concurrencyPolicy) and JOB-004 (the
 * schedule and time zone, checked as the API server checks them).
 *
 * The API server validates spec.schedule with robfig/cron v3
 * ParseStandard (read for facts, pkg/apis/batch/validation): the schedule
 * must be non-empty; a "TZ=" or "CRON_TZ=" prefix names a location up to
 * the first space (no space: the parser panics); after it, a schedule that
 * starts with '@' must be exactly one of the descriptors (no surrounding
 * space) or "@every " and a Go duration; otherwise it is split on Unicode
 * white space (Go's strings.Fields) into exactly five fields - minute 0-59,
 * hour 0-23, day of month 1-31, month 1-12, day of week 0-6 - each a list
 * split on ',' with empty items skipped (so a field of only commas selects
 * nothing), each item '*' or '?' (the whole range, anything after a '-'
 * ignored) or N or N-M, optionally "/step"; a single N with a step runs to
 * the field's maximum; numbers are Go strconv.Atoi (optional sign, decimal
 * digits), negative ones rejected; months and days of week also take
 * jan..dec and sun..sat, compared after Go's strings.ToLower. Then, for a
 * new CronJob, any "TZ" in the schedule is rejected (spec.timeZone replaces
 * it). spec.timeZone must be non-empty, each '/'-separated part match
 * [A-Za-z.\-_0-9+]{1,14} and not be "." or ".." or start with '-', and the
 * zone must not be Local (any case); the zone database lookup is not done.
 *
 * The CronJob controller matches days as robfig/cron does: when day of
 * month or day of week was given as '*' or '?' (without a step above 1) a
 * day must match both, otherwise either. A schedule that matches no date
 * makes the controller record InvalidSchedule and never start a Job.
 *
 * JOB-002, JOB-003: the API server defaults an empty concurrencyPolicy to
 * Allow, rejects values other than Allow, Forbid and Replace, and rejects a
 * negative startingDeadlineSeconds. The controller (cronjob_controllerv2)
 * requeues a CronJob 100 ms after each scheduled time and, with a
 * deadline, looks only at times after "now minus the deadline": with 0 it
 * never finds a time to start.
 */
#include "rule.h"

#include <stdio.h>
#include <string.h>

#define STAR_BIT (UINT64_C(1) << 63)
#define BIT63 (UINT64_C(1) << 63)

/* A field's value, or NULL when absent or null. */
static const ka_node *field(const ka_node *m, const char *key)
{
    const ka_node *v = ka_get(m, key);
    return ka_is_null(v) ? NULL : v;
}

/* Where a finding about a missing CronJob field points: the "spec:" key. */
static const ka_node *spec_key(const ka_object *o)
{
    const ka_node *k = ka_get_key(o->root, "spec");
    return k ? k : o->root;
}

/* Does the node decode as a Go string (not null, a boolean or a number)? */
static bool is_string(const ka_node *n)
{
    int64_t i;
    if (!ka_is_scalar(n))
        return false;
    if (n->style == KA_STYLE_QUOTED)
        return true;
    return !ka_is_null(n) && ka_bool(n) < 0 && !ka_int(n, &i);
}

/*=== JOB-002 startingDeadlineSeconds ====================================*/

void ka_rule_job002(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *sd = field(spec, "startingDeadlineSeconds");
    if (!sd) {
        ka_report(ctx, o, spec_key(o), NULL,
                  "startingDeadlineSeconds is not set: a missed run is started however late it "
                  "is");
        return;
    }
    int64_t v;
    if (!ka_int(sd, &v))
        ka_report(ctx, o, sd, NULL, "startingDeadlineSeconds \"%s\" is not an integer",
                  ka_cstr(sd));
    else if (v < 0)
        ka_report(ctx, o, sd, NULL,
                  "startingDeadlineSeconds is %lld: the API server rejects a negative deadline",
                  (long long)v);
    else if (v == 0)
        ka_report(ctx, o, sd, NULL,
                  "startingDeadlineSeconds is 0: the controller always reaches a scheduled time "
                  "a moment after it, so no run is ever started");
}

/*=== JOB-003 concurrencyPolicy ==========================================*/

void ka_rule_job003(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *cp = field(o->spec, "concurrencyPolicy");
    ka_str v = ka_node_str(cp);
    if (!cp || (ka_is_scalar(cp) && v.n == 0))
        ka_report(ctx, o, cp ? cp : spec_key(o), NULL,
                  "concurrencyPolicy is not set: it defaults to Allow, so a slow run and the next "
                  "one overlap");
    else if (ka_str_eqc(v, "Allow"))
        ka_report(ctx, o, cp, NULL,
                  "concurrencyPolicy is Allow: a slow run and the next one overlap");
    else if (!ka_str_eqc(v, "Forbid") && !ka_str_eqc(v, "Replace"))
        ka_report(ctx, o, cp, NULL,
                  "concurrencyPolicy \"%s\" is not Allow, Forbid or Replace: the API server "
                  "rejects it",
                  ka_is_scalar(cp) ? ka_cstr(cp) : "(not a string)");
}

/*=== JOB-004: Go text primitives ========================================*/

/* The rune at p as Go's utf8.DecodeRuneInString reads it: a malformed
 * byte is U+FFFD of width 1. */
static uint32_t rune_at(const char *p, size_t n, size_t *width)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t w = ka_utf8_seq(u, n);
    if (w == 0) {
        *width = 1;
        return 0xFFFD;
    }
    *width = w;
    switch (w) {
    case 1: return u[0];
    case 2: return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    case 3: return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    default:
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
}

/* Go's unicode.IsSpace. */
static bool go_space(uint32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
        return true;
    default:
        return r >= 0x2000 && r <= 0x200A;
    }
}

/* Go's strings.TrimSpace. */
static ka_str go_trim_space(ka_str s)
{
    size_t i = 0, end = 0, w;
    bool lead = true;
    size_t start = s.n;
    while (i < s.n) {
        uint32_t r = rune_at(s.p + i, s.n - i, &w);
        if (!go_space(r)) {
            if (lead) {
                start = i;
                lead = false;
            }
            end = i + w;
        }
        i += w;
    }
    if (lead)
        return (ka_str){ s.p + s.n, 0 };
    return (ka_str){ s.p + start, end - start };
}

/* Go's strings.Fields: up to max fields into f; returns the count of all. */
static size_t go_fields(ka_str s, ka_str *f, size_t max)
{
    size_t n = 0, i = 0, w;
    while (i < s.n) {
        while (i < s.n && go_space(rune_at(s.p + i, s.n - i, &w)))
            i += w;
        if (i >= s.n)
            break;
        size_t st = i;
        while (i < s.n && !go_space(rune_at(s.p + i, s.n - i, &w)))
            i += w;
        if (n < max)
            f[n] = (ka_str){ s.p + st, i - st };
        n++;
    }
    return n;
}

/* strings.ToLower(s) == name, for an ASCII lowercase name: besides ASCII,
 * only U+0130 (to 'i') and U+212A KELVIN SIGN (to 'k') lower to ASCII. */
static bool go_lower_eq(ka_str s, const char *name)
{
    size_t i = 0, k = 0, w;
    while (i < s.n) {
        uint32_t r = rune_at(s.p + i, s.n - i, &w);
        i += w;
        if (r >= 'A' && r <= 'Z')
            r += 'a' - 'A';
        else if (r == 0x130)
            r = 'i';
        else if (r == 0x212A)
            r = 'k';
        if (r >= 0x80 || name[k] == '\0' || (char)r != name[k])
            return false;
        k++;
    }
    return name[k] == '\0';
}

/* strconv.Atoi (decimal, optional sign, int64 range) then "negative
 * numbers not allowed": robfig/cron's mustParseInt. */
static bool cron_int(ka_str s, uint64_t *out, char *err, size_t errn)
{
    int shown_n = s.n > 40 ? 40 : (int)s.n; /* enough to recognise it */
    size_t i = 0;
    bool neg = false;
    if (s.n && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        i = 1;
    }
    if (i == s.n) {
        snprintf(err, errn, "\"%.*s\" is not a number", shown_n, s.p);
        return false;
    }
    uint64_t v = 0;
    bool range = false;
    for (; i < s.n; i++) {
        char ch = s.p[i];
        if (ch < '0' || ch > '9') {
            snprintf(err, errn, "\"%.*s\" is not a number", shown_n, s.p);
            return false;
        }
        if (v > (BIT63 - (uint64_t)(ch - '0')) / 10)
            range = true;
        else
            v = v * 10 + (uint64_t)(ch - '0');
    }
    if (range || (!neg && v > BIT63 - 1)) {
        snprintf(err, errn, "\"%.*s\" is out of range", shown_n, s.p);
        return false;
    }
    if (neg && v != 0) {
        snprintf(err, errn, "negative number \"%.*s\" is not allowed", shown_n, s.p);
        return false;
    }
    *out = v;
    return true;
}

/*=== JOB-004: robfig/cron v3 fields =====================================*/

typedef struct cron_bounds {
    const char *what;
    uint64_t min, max;
    const char *const *names; /* names[i] means min + i */
    const char *names_hint;
} cron_bounds;

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const dow_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

static const cron_bounds cron_fields[5] = {
    { "minute", 0, 59, NULL, NULL },
    { "hour", 0, 23, NULL, NULL },
    { "day-of-month", 1, 31, NULL, NULL },
    { "month", 1, 12, month_names, "jan-dec" },
    { "day-of-week", 0, 6, dow_names, "sun-sat" },
};

static bool cron_value(ka_str s, const cron_bounds *b, uint64_t *out, char *err, size_t errn)
{
    for (size_t i = 0; b->names && b->names[i]; i++)
        if (go_lower_eq(s, b->names[i])) {
            *out = b->min + i;
            return true;
        }
    char inner[96];
    if (cron_int(s, out, inner, sizeof inner))
        return true;
    if (s.n == 0) {
        snprintf(err, errn, "%s field: a number is missing around a '-' or '/'", b->what);
        return false;
    }
    if (b->names)
        snprintf(err, errn, "%s field: %s (nor a name, %s)", b->what, inner, b->names_hint);
    else
        snprintf(err, errn, "%s field: %s", b->what, inner);
    return false;
}

static uint64_t cron_bits(uint64_t start, uint64_t end, uint64_t step)
{
    if (step == 1)
        return ~(UINT64_MAX << (end + 1)) & (UINT64_MAX << start);
    uint64_t bits = 0;
    for (uint64_t i = start; i <= end; i += step)
        bits |= UINT64_C(1) << i;
    return bits;
}

static size_t count_byte(ka_str s, char ch)
{
    size_t n = 0;
    for (size_t i = 0; i < s.n; i++)
        n += s.p[i] == ch;
    return n;
}

/* robfig/cron getRange: one item of a field's comma list. */
static bool cron_range(ka_str expr, const cron_bounds *b, uint64_t *out, char *err, size_t errn)
{
    const char *slash = memchr(expr.p, '/', expr.n);
    size_t nslash = count_byte(expr, '/');
    ka_str rng = { expr.p, slash ? (size_t)(slash - expr.p) : expr.n };
    const char *hy = memchr(rng.p, '-', rng.n);
    size_t nhyph = count_byte(rng, '-');
    ka_str low = { rng.p, hy ? (size_t)(hy - rng.p) : rng.n };
    uint64_t start, end, step = 1, extra = 0;
    if (ka_str_eqc(low, "*") || ka_str_eqc(low, "?")) {
        start = b->min;
        end = b->max;
        extra = STAR_BIT;
    } else {
        if (!cron_value(low, b, &start, err, errn))
            return false;
        if (nhyph == 0) {
            end = start;
        } else if (nhyph == 1) {
            ka_str high = { hy + 1, rng.n - (size_t)(hy + 1 - rng.p) };
            if (!cron_value(high, b, &end, err, errn))
                return false;
        } else {
            snprintf(err, errn, "%s field: too many hyphens in \"%.*s\"", b->what, (int)expr.n,
                     expr.p);
            return false;
        }
    }
    if (nslash == 1) {
        ka_str st = { slash + 1, expr.n - (size_t)(slash + 1 - expr.p) };
        char inner[96];
        if (!cron_int(st, &step, inner, sizeof inner)) {
            if (st.n == 0)
                snprintf(err, errn, "%s field: \"%.*s\" has no step after its '/'", b->what,
                         (int)expr.n, expr.p);
            else
                snprintf(err, errn, "%s field: step %s", b->what, inner);
            return false;
        }
        if (nhyph == 0)
            end = b->max; /* N/step runs from N to the maximum */
        if (step > 1)
            extra = 0;
    } else if (nslash > 1) {
        snprintf(err, errn, "%s field: too many slashes in \"%.*s\"", b->what, (int)expr.n, expr.p);
        return false;
    }
    if (start < b->min) {
        snprintf(err, errn, "%s field: %llu is below %llu", b->what, (unsigned long long)start,
                 (unsigned long long)b->min);
        return false;
    }
    if (end > b->max) {
        snprintf(err, errn, "%s field: %llu is above %llu%s", b->what, (unsigned long long)end,
                 (unsigned long long)b->max,
                 b->names == dow_names && end == 7 ? " (Sunday is 0, not 7)" : "");
        return false;
    }
    if (start > end) {
        snprintf(err, errn, "%s field: range \"%.*s\" runs backwards", b->what, (int)expr.n,
                 expr.p);
        return false;
    }
    if (step == 0) {
        snprintf(err, errn, "%s field: the step of \"%.*s\" must be positive", b->what,
                 (int)expr.n, expr.p);
        return false;
    }
    *out = cron_bits(start, end, step) | extra;
    return true;
}

/* robfig/cron getField: a comma list, empty items skipped. */
static bool cron_field(ka_str f, const cron_bounds *b, uint64_t *out, char *err, size_t errn)
{
    uint64_t bits = 0;
    size_t i = 0;
    while (i < f.n) {
        size_t j = i;
        while (j < f.n && f.p[j] != ',')
            j++;
        if (j > i) {
            uint64_t r;
            if (!cron_range((ka_str){ f.p + i, j - i }, b, &r, err, errn))
                return false;
            bits |= r;
        }
        i = j + 1;
    }
    *out = bits;
    return true;
}

/* Go's time.ParseDuration accepts s. */
static bool go_duration(ka_str s)
{
    size_t i = 0;
    bool neg = false;
    if (s.n && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        i = 1;
    }
    if (s.n - i == 1 && s.p[i] == '0')
        return true;
    if (i == s.n)
        return false;
    static const struct {
        const char *u;
        uint64_t ns;
    } units[] = {
        { "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 }, { "\xce\xbcs", 1000 },
        { "ms", 1000000 }, { "s", UINT64_C(1000000000) }, { "m", UINT64_C(60000000000) },
        { "h", UINT64_C(3600000000000) },
    };
    uint64_t d = 0;
    while (i < s.n) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        char ch = s.p[i];
        if (!(ch == '.' || (ch >= '0' && ch <= '9')))
            return false;
        size_t st = i;
        for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
            if (v > BIT63 / 10)
                return false;
            v = v * 10 + (uint64_t)(s.p[i] - '0');
            if (v > BIT63)
                return false;
        }
        bool pre = i != st, post = false;
        if (i < s.n && s.p[i] == '.') {
            i++;
            size_t fs = i;
            bool overflow = false;
            for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
                if (overflow)
                    continue;
                if (f > (BIT63 - 1) / 10) {
                    overflow = true;
                    continue;
                }
                uint64_t y = f * 10 + (uint64_t)(s.p[i] - '0');
                if (y > BIT63) {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10;
            }
            post = i != fs;
        }
        if (!pre && !post)
            return false;
        size_t us = i;
        while (i < s.n && s.p[i] != '.' && !(s.p[i] >= '0' && s.p[i] <= '9'))
            i++;
        if (i == us)
            return false;
        uint64_t unit = 0;
        for (size_t u = 0; u < sizeof units / sizeof *units; u++)
            if (strlen(units[u].u) == i - us && memcmp(units[u].u, s.p + us, i - us) == 0)
                unit = units[u].ns;
        if (!unit || v > BIT63 / unit)
            return false;
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > BIT63)
                return false;
        }
        d += v; /* wraps exactly as Go's uint64 does */
        if (d > BIT63)
            return false;
    }
    return neg || d <= BIT63 - 1;
}

typedef struct cron_sched {
    bool spec;      /* five fields (false: a descriptor) */
    uint64_t f[5];  /* minute, hour, day of month, month, day of week */
} cron_sched;

/* robfig/cron v3 ParseStandard. */
static bool cron_parse(ka_str s, cron_sched *out, char *err, size_t errn)
{
    memset(out, 0, sizeof *out);
    if (s.n == 0) {
        snprintf(err, errn, "it is empty");
        return false;
    }
    if (ka_str_has_prefix(s, "TZ=") || ka_str_has_prefix(s, "CRON_TZ=")) {
        const char *sp = memchr(s.p, ' ', s.n);
        if (!sp) {
            snprintf(err, errn, "its TZ= prefix is not followed by a space and a schedule");
            return false;
        }
        /* the location between '=' and the space comes from the server's
         * time zone database: not checked here */
        s = go_trim_space((ka_str){ sp, s.n - (size_t)(sp - s.p) });
    }
    if (s.n && s.p[0] == '@') {
        static const char *const desc[] = { "@yearly", "@annually", "@monthly", "@weekly",
                                            "@daily", "@midnight", "@hourly" };
        for (size_t i = 0; i < sizeof desc / sizeof *desc; i++)
            if (ka_str_eqc(s, desc[i]))
                return true;
        if (ka_str_has_prefix(s, "@every ")) {
            if (go_duration((ka_str){ s.p + 7, s.n - 7 }))
                return true;
            snprintf(err, errn, "\"%.*s\" is not a Go duration (e.g. 1h30m)", (int)(s.n - 7),
                     s.p + 7);
            return false;
        }
        snprintf(err, errn,
                 "\"%.*s\" is not a descriptor (@yearly, @annually, @monthly, @weekly, @daily, "
                 "@midnight, @hourly, @every <duration>; no spaces around them)",
                 (int)s.n, s.p);
        return false;
    }
    ka_str f[5];
    size_t n = go_fields(s, f, 5);
    if (n != 5) {
        snprintf(err, errn,
                 "it has %zu field%s; a CronJob schedule has exactly 5 (minute hour "
                 "day-of-month month day-of-week) or is a descriptor such as @daily",
                 n, n == 1 ? "" : "s");
        return false;
    }
    for (size_t i = 0; i < 5; i++)
        if (!cron_field(f[i], &cron_fields[i], &out->f[i], err, errn))
            return false;
    out->spec = true;
    return true;
}

/* Why a parsed five-field schedule matches no date, or NULL when it
 * matches one (robfig/cron's dayMatches; 29 February counts). */
static const char *cron_never(const cron_sched *c)
{
    static const unsigned mdays[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (!(c->f[0] & ~STAR_BIT))
        return "the minute field selects no minute";
    if (!(c->f[1] & ~STAR_BIT))
        return "the hour field selects no hour";
    if (!(c->f[3] & ~STAR_BIT))
        return "the month field selects no month";
    bool both = (c->f[2] & STAR_BIT) || (c->f[4] & STAR_BIT);
    bool dow = (c->f[4] & 0x7F) != 0;
    for (unsigned m = 1; m <= 12; m++) {
        if (!(c->f[3] & (UINT64_C(1) << m)))
            continue;
        uint64_t days = ~(UINT64_MAX << (mdays[m] + 1)) & ~UINT64_C(1);
        bool dom = (c->f[2] & days) != 0;
        if (both ? (dom && dow) : (dom || dow))
            return NULL;
    }
    if (both && !dow)
        return "the day-of-week field selects no day";
    return "no selected day of month exists in the selected months";
}

/*=== JOB-004 schedule and time zone =====================================*/

static bool tz_part_ok(ka_str p)
{
    if (p.n < 1 || p.n > 14 || ka_str_eqc(p, ".") || ka_str_eqc(p, "..") || p.p[0] == '-')
        return false;
    for (size_t i = 0; i < p.n; i++) {
        char ch = p.p[i];
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_' || ch == '+';
        if (!ok)
            return false;
    }
    return true;
}

static void check_time_zone(ka_ctx *ctx, const ka_object *o, const ka_node *spec)
{
    const ka_node *tz = field(spec, "timeZone");
    if (!tz)
        return;
    if (!ka_is_scalar(tz)) {
        ka_report(ctx, o, tz, NULL, "spec.timeZone is not a string");
        return;
    }
    ka_str z = ka_node_str(tz);
    if (z.n == 0) {
        ka_report(ctx, o, tz, NULL,
                  "spec.timeZone is empty: the API server wants a time zone name or no field");
        return;
    }
    size_t i = 0;
    while (i <= z.n) {
        size_t j = i;
        while (j < z.n && z.p[j] != '/')
            j++;
        if (!tz_part_ok((ka_str){ z.p + i, j - i })) {
            ka_report(ctx, o, tz, NULL,
                      "spec.timeZone \"%s\" is not a time zone name (parts of 1 to 14 letters, "
                      "digits, '.', '-', '_' or '+', separated by '/'): the API server rejects "
                      "it",
                      ka_cstr(tz));
            return;
        }
        i = j + 1;
    }
    static const char local[] = "local";
    bool is_local = z.n == 5;
    for (size_t k = 0; is_local && k < 5; k++)
        is_local = (z.p[k] | 0x20) == local[k];
    if (is_local)
        ka_report(ctx, o, tz, NULL,
                  "spec.timeZone is %s: the API server wants an explicit IANA time zone",
                  ka_cstr(tz));
}

static bool has_tz(ka_str s)
{
    for (size_t i = 0; i + 1 < s.n; i++)
        if (s.p[i] == 'T' && s.p[i + 1] == 'Z')
            return true;
    return false;
}

void ka_rule_job004(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    check_time_zone(ctx, o, spec);
    const ka_node *sn = ka_get(spec, "schedule");
    if (!sn || ka_is_null(sn)) {
        ka_report(ctx, o, sn ? sn : spec_key(o), NULL, "spec.schedule is not set (it is required)");
        return;
    }
    if (!is_string(sn)) {
        ka_report(ctx, o, sn, NULL, "spec.schedule is not a string");
        return;
    }
    ka_str s = ka_node_str(sn);
    if (s.n == 0) {
        ka_report(ctx, o, sn, NULL, "spec.schedule is empty (it is required)");
        return;
    }
    cron_sched c;
    char err[256];
    bool ok = cron_parse(s, &c, err, sizeof err);
    if (has_tz(s)) {
        if (ok)
            ka_report(ctx, o, sn, NULL,
                      "schedule \"%s\": TZ or CRON_TZ in the schedule is rejected for new "
                      "CronJobs (set spec.timeZone instead)",
                      ka_cstr(sn));
        else
            ka_report(ctx, o, sn, NULL,
                      "schedule \"%s\": TZ or CRON_TZ in the schedule is rejected for new "
                      "CronJobs (set spec.timeZone instead), and %s",
                      ka_cstr(sn), err);
        return;
    }
    if (!ok) {
        ka_report(ctx, o, sn, NULL, "schedule \"%s\" is invalid: %s", ka_cstr(sn), err);
        return;
    }
    const char *never = c.spec ? cron_never(&c) : NULL;
    if (never)
        ka_report(ctx, o, sn, NULL,
                  "schedule \"%s\" matches no date (%s): the CronJob controller records "
                  "InvalidSchedule and never starts a Job",
                  ka_cstr(sn), never);
}
