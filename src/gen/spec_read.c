/*
 * spec_read.c - the checked reader of the spec loader (see spec_int.h).
 */
#include "spec_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

void ka__sr_err(ka_sr *r, const ka_node *at, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ka_diag_add(r->d, KA_DIAG_ERROR, r->path, at ? at->line : 0, at ? at->col : 0, "%s", msg);
    r->errors++;
}

const char *ka__sr_ctx(char *buf, size_t n, const char *ctx, const char *key)
{
    snprintf(buf, n, "%s%s%s", ctx, *ctx ? "." : "", key);
    return buf;
}

const char *ka__sr_idx(char *buf, size_t n, const char *ctx, size_t i)
{
    snprintf(buf, n, "%s[%zu]", ctx, i);
    return buf;
}

/* "a, b or c" */
static void join_names(ka_buf *b, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        if (i)
            ka_buf_adds(b, names[i + 1] ? ", " : " or ");
        ka_buf_adds(b, names[i]);
    }
}

bool ka__sr_map(ka_sr *r, const ka_node *m, const char *ctx, const char *const *known)
{
    if (!m || ka_is_null(m))
        return false;
    if (!ka_is_map(m)) {
        ka__sr_err(r, m, "%s: expected a mapping", *ctx ? ctx : "spec");
        return false;
    }
    for (uint32_t i = 0; i < ka_node_n(m); i++) {
        const ka_node *k = KA_MAP_KEY(m, i);
        bool ok = false;
        for (size_t j = 0; known[j] && !ok; j++)
            ok = ka_is_scalar(k) && strcmp(ka_cstr(k), known[j]) == 0;
        if (!ok) {
            ka_buf b;
            ka_buf_init(&b);
            join_names(&b, known);
            ka__sr_err(r, k, "%s%sunknown field \"%s\" (known fields: %s)", ctx,
                       *ctx ? ": " : "", ka_cstr(k), ka_buf_cstr(&b));
            ka_buf_free(&b);
        }
    }
    return true;
}

const ka_node *ka__sr_val(const ka_node *m, const char *key)
{
    const ka_node *v = ka_get(m, key);
    return v && !ka_is_null(v) ? v : NULL;
}

const ka_node *ka__sr_seq(ka_sr *r, const ka_node *m, const char *key, const char *ctx)
{
    const ka_node *v = ka__sr_val(m, key);
    if (!v)
        return NULL;
    if (!ka_is_seq(v)) {
        char c[256];
        ka__sr_err(r, v, "%s: expected a list", ka__sr_ctx(c, sizeof c, ctx, key));
        return NULL;
    }
    return v;
}

/* The scalar at key, or NULL (absent, or reported as not a scalar). */
static const ka_node *scalar(ka_sr *r, const ka_node *m, const char *key, const char *ctx)
{
    const ka_node *v = ka__sr_val(m, key);
    if (v && !ka_is_scalar(v)) {
        char c[256];
        ka__sr_err(r, v, "%s: expected a single value, not a %s",
                   ka__sr_ctx(c, sizeof c, ctx, key), ka_is_map(v) ? "mapping" : "list");
        return NULL;
    }
    return v;
}

const char *ka__sr_str(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       const char *def)
{
    const ka_node *v = scalar(r, m, key, ctx);
    if (!v)
        return def;
    return ka_arena_strndup(r->a, v->u.s, ka_node_n(v));
}

const char *ka__sr_label_node(ka_sr *r, const ka_node *v, const char *ctx)
{
    if (!ka_is_scalar(v) || ka_is_null(v)) {
        ka__sr_err(r, v, "%s: expected a name", ctx);
        return NULL;
    }
    if (!ka_dns1123_label(ka_node_str(v))) {
        ka__sr_err(r, v, "%s: \"%s\" is not a valid name: use at most 63 lower-case letters, "
                         "digits and '-', starting and ending with a letter or digit (DNS-1123 label)",
                   ctx, ka_cstr(v));
        return NULL;
    }
    return ka_arena_strndup(r->a, v->u.s, ka_node_n(v));
}

const char *ka__sr_label(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                         const char *def)
{
    const ka_node *v = scalar(r, m, key, ctx);
    if (!v)
        return def;
    char c[256];
    const char *s = ka__sr_label_node(r, v, ka__sr_ctx(c, sizeof c, ctx, key));
    return s ? s : def;
}

int ka__sr_enum(ka_sr *r, const ka_node *m, const char *key, const char *ctx, ka_spec_enum e,
                int def)
{
    const ka_node *v = scalar(r, m, key, ctx);
    if (!v)
        return def;
    const char *const *names = ka__spec_names(e);
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], ka_cstr(v)) == 0)
            return i;
    char c[256];
    ka_buf b;
    ka_buf_init(&b);
    join_names(&b, names);
    ka__sr_err(r, v, "%s: unknown value \"%s\" (expected %s)", ka__sr_ctx(c, sizeof c, ctx, key),
               ka_cstr(v), ka_buf_cstr(&b));
    ka_buf_free(&b);
    return def;
}

bool ka__sr_bool(ka_sr *r, const ka_node *m, const char *key, const char *ctx, bool def)
{
    const ka_node *v = scalar(r, m, key, ctx);
    if (!v)
        return def;
    int b = ka_bool(v);
    if (b < 0 || v->style != KA_STYLE_PLAIN) {
        char c[256];
        ka__sr_err(r, v, "%s: expected true or false%s, not \"%s\"",
                   ka__sr_ctx(c, sizeof c, ctx, key),
                   strcmp(ka_cstr(v), "true") == 0 || strcmp(ka_cstr(v), "false") == 0
                       ? " without quotes"
                       : "",
                   ka_cstr(v));
        return def;
    }
    return b == 1;
}

uint32_t ka__sr_uint(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                     uint32_t def, uint32_t min, uint32_t max)
{
    const ka_node *v = scalar(r, m, key, ctx);
    if (!v)
        return def;
    int64_t x;
    char c[256];
    if (v->style != KA_STYLE_PLAIN || !ka_int(v, &x)) {
        ka__sr_err(r, v, "%s: expected a whole number, not \"%s\"",
                   ka__sr_ctx(c, sizeof c, ctx, key), ka_cstr(v));
        return def;
    }
    if (x < (int64_t)min || x > (int64_t)max) {
        ka__sr_err(r, v, "%s: %" PRId64 " is out of range (%" PRIu32 " to %" PRIu32 ")",
                   ka__sr_ctx(c, sizeof c, ctx, key), x, min, max);
        return def;
    }
    return (uint32_t)x;
}

/* ---- quantities ----------------------------------------------------------- */
ka_spec_cpu ka__cpu_milli(ka_arena *a, int64_t milli)
{
    char buf[40];
    if (milli % 1000 == 0)
        snprintf(buf, sizeof buf, "%" PRId64, milli / 1000);
    else
        snprintf(buf, sizeof buf, "%" PRId64 "m", milli);
    return (ka_spec_cpu){ milli, ka_arena_strndup(a, buf, strlen(buf)) };
}

ka_spec_mem ka__mem_bytes(ka_arena *a, int64_t bytes)
{
    static const char *const suffix[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi" };
    int64_t v = bytes;
    size_t i = 0;
    while (v != 0 && v % 1024 == 0 && i + 1 < sizeof suffix / sizeof *suffix) {
        v /= 1024;
        i++;
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%" PRId64 "%s", v, suffix[i]);
    return (ka_spec_mem){ bytes, ka_arena_strndup(a, buf, strlen(buf)) };
}

/* Parses the quantity at key (or def); *ok false when reported. */
static bool quantity(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                     const char *def, bool allow_zero, bool milli, int64_t *out)
{
    const ka_node *v = scalar(r, m, key, ctx);
    ka_str text = v ? ka_node_str(v) : ka_str_c(def);
    ka_quantity q;
    char c[256];
    int rc = ka_quantity_parse(text, &q);
    int64_t x = 0;
    if (rc == 0)
        rc = milli ? ka_quantity_milli(&q, &x) : ka_quantity_value(&q, &x);
    if (rc != 0) {
        ka__sr_err(r, v, "%s: \"%.*s\" is not a valid %s quantity (e.g. %s)",
                   ka__sr_ctx(c, sizeof c, ctx, key), (int)text.n, text.p,
                   milli ? "CPU" : "memory", milli ? "500m or 2" : "512Mi or 4Gi");
        return false;
    }
    if (x < 0 || (x == 0 && !allow_zero)) {
        ka__sr_err(r, v, "%s: must be %s, not \"%.*s\"", ka__sr_ctx(c, sizeof c, ctx, key),
                   allow_zero ? "zero or more" : "more than zero", (int)text.n, text.p);
        return false;
    }
    *out = x;
    return true;
}

ka_spec_cpu ka__sr_cpu(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       const char *def, bool allow_zero)
{
    int64_t x = 0;
    if (!quantity(r, m, key, ctx, def, allow_zero, true, &x)) {
        ka_str t = ka_str_c(def);
        ka_quantity q;
        if (ka_quantity_parse(t, &q) == 0)
            ka_quantity_milli(&q, &x);
    }
    return ka__cpu_milli(r->a, x);
}

ka_spec_mem ka__sr_mem(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       const char *def, bool allow_zero)
{
    int64_t x = 0;
    if (!quantity(r, m, key, ctx, def, allow_zero, false, &x)) {
        ka_str t = ka_str_c(def);
        ka_quantity q;
        if (ka_quantity_parse(t, &q) == 0)
            ka_quantity_value(&q, &x);
    }
    return ka__mem_bytes(r->a, x);
}
