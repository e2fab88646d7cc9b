/*
 * ydoc.c - the YAML tree of generate and its emission with libyaml.
 */
#include "ydoc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

static ynode *node(ybuild *b, ykind k)
{
    ynode *n = ka_arena_zalloc(b->a, sizeof *n);
    n->kind = k;
    return n;
}

ynode *y_map(ybuild *b) { return node(b, Y_MAP); }
ynode *y_seq(ybuild *b) { return node(b, Y_SEQ); }

ynode *y_str(ybuild *b, const char *s)
{
    ynode *n = node(b, Y_STR);
    n->s = ka_arena_strndup(b->a, s, strlen(s));
    return n;
}

ynode *y_strf(ybuild *b, const char *fmt, ...)
{
    ka_buf t;
    ka_buf_init(&t);
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len >= 0 && (size_t)len < sizeof tmp) {
        ka_buf_free(&t);
        return y_str(b, tmp);
    }
    ka_buf_grow(&t, (size_t)len + 1);
    va_start(ap, fmt);
    vsnprintf(t.p, (size_t)len + 1, fmt, ap);
    va_end(ap);
    ynode *n = y_str(b, t.p);
    ka_buf_free(&t);
    return n;
}

ynode *y_int(ybuild *b, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    ynode *n = node(b, Y_INT);
    n->s = ka_arena_strndup(b->a, buf, strlen(buf));
    return n;
}

ynode *y_bool(ybuild *b, bool v)
{
    ynode *n = node(b, Y_BOOL);
    n->s = v ? "true" : "false";
    return n;
}

static void push(ybuild *b, ynode *p, ynode *v)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        ynode **k = ka_arena_alloc(b->a, cap * sizeof *k);
        if (p->n)
            memcpy(k, p->kids, p->n * sizeof *k);
        p->kids = k;
        p->cap = cap;
    }
    p->kids[p->n++] = v;
}

ynode *y_put(ybuild *b, ynode *map, const char *key, ynode *v)
{
    push(b, map, y_str(b, key));
    push(b, map, v);
    return v;
}

ynode *y_putstr(ybuild *b, ynode *map, const char *key, const char *s)
{
    return y_put(b, map, key, y_str(b, s));
}

ynode *y_putint(ybuild *b, ynode *map, const char *key, int64_t v)
{
    return y_put(b, map, key, y_int(b, v));
}

ynode *y_putbool(ybuild *b, ynode *map, const char *key, bool v)
{
    return y_put(b, map, key, y_bool(b, v));
}

ynode *y_putmap(ybuild *b, ynode *map, const char *key) { return y_put(b, map, key, y_map(b)); }
ynode *y_putseq(ybuild *b, ynode *map, const char *key) { return y_put(b, map, key, y_seq(b)); }

ynode *y_add(ybuild *b, ynode *seq, ynode *v)
{
    push(b, seq, v);
    return v;
}

ynode *y_addstr(ybuild *b, ynode *seq, const char *s) { return y_add(b, seq, y_str(b, s)); }
ynode *y_addmap(ybuild *b, ynode *seq) { return y_add(b, seq, y_map(b)); }

ynode *y_get(ynode *map, const char *key)
{
    for (size_t i = 0; map && i + 1 < map->n; i += 2)
        if (strcmp(map->kids[i]->s, key) == 0)
            return map->kids[i + 1];
    return NULL;
}

ynode *y_object(ybuild *b, const char *api_version, const char *kind, const char *ns,
                const char *name, ynode **meta)
{
    ynode *o = y_map(b);
    y_putstr(b, o, "apiVersion", api_version);
    y_putstr(b, o, "kind", kind);
    ynode *m = y_putmap(b, o, "metadata");
    y_putstr(b, m, "name", name);
    if (ns)
        y_putstr(b, m, "namespace", ns);
    if (meta)
        *meta = m;
    return o;
}

/* ---- emission ------------------------------------------------------------ */

/* Would a plain scalar with this text be read back as something other than
 * a string? YAML 1.1 as sigs.k8s.io/yaml reads it: null, booleans (yes, no,
 * on, off, y, n too), numbers in every base and float form, and merge keys. */
static bool needs_quotes(const char *s)
{
    static const char *const words[] = {
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
        "<<", ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN",
    };
    if (!*s)
        return true;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    /* numbers: start with a digit, sign or dot and use only number characters */
    if (strchr("0123456789+-.", s[0]) &&
        strspn(s, "0123456789abcdefABCDEFxXoO_.:+-") == strlen(s))
        return true;
    return false;
}

typedef struct emit_ctx {
    yaml_emitter_t em;
    yaml_event_t ev;
    ka_buf *out;
} emit_ctx;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    ka_buf_add((ka_buf *)data, buffer, size);
    return 1;
}

static bool emit(emit_ctx *c)
{
    return yaml_emitter_emit(&c->em, &c->ev) == 1;
}

static bool emit_scalar(emit_ctx *c, const char *s, bool typed, bool literal)
{
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (literal)
        style = YAML_LITERAL_SCALAR_STYLE;
    else if (!typed && needs_quotes(s))
        style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    if (!yaml_scalar_event_initialize(&c->ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                      style))
        return false;
    return emit(c);
}

static bool emit_node(emit_ctx *c, const ynode *n)
{
    switch (n->kind) {
    case Y_STR: return emit_scalar(c, n->s, false, n->literal);
    case Y_INT:
    case Y_BOOL: return emit_scalar(c, n->s, true, false);
    case Y_MAP:
        if (!yaml_mapping_start_event_initialize(&c->ev, NULL, NULL, 1,
                                                 n->flow || n->n == 0 ? YAML_FLOW_MAPPING_STYLE
                                                                      : YAML_BLOCK_MAPPING_STYLE) ||
            !emit(c))
            return false;
        for (size_t i = 0; i < n->n; i++)
            if (!emit_node(c, n->kids[i]))
                return false;
        return yaml_mapping_end_event_initialize(&c->ev) && emit(c);
    case Y_SEQ:
        if (!yaml_sequence_start_event_initialize(&c->ev, NULL, NULL, 1,
                                                  n->flow || n->n == 0 ? YAML_FLOW_SEQUENCE_STYLE
                                                                       : YAML_BLOCK_SEQUENCE_STYLE) ||
            !emit(c))
            return false;
        for (size_t i = 0; i < n->n; i++)
            if (!emit_node(c, n->kids[i]))
                return false;
        return yaml_sequence_end_event_initialize(&c->ev) && emit(c);
    }
    return false;
}

int y_emit(ynode *const *docs, size_t ndocs, ka_buf *out, char *err, size_t errn)
{
    emit_ctx c;
    memset(&c, 0, sizeof c);
    c.out = out;
    if (!yaml_emitter_initialize(&c.em)) {
        snprintf(err, errn, "cannot initialise the YAML emitter");
        return -1;
    }
    yaml_emitter_set_output(&c.em, write_handler, out);
    yaml_emitter_set_unicode(&c.em, 1);
    yaml_emitter_set_indent(&c.em, 2);
    yaml_emitter_set_width(&c.em, -1); /* never fold long lines */
    yaml_emitter_set_break(&c.em, YAML_LN_BREAK);
    bool ok = yaml_stream_start_event_initialize(&c.ev, YAML_UTF8_ENCODING) && emit(&c);
    for (size_t i = 0; ok && i < ndocs; i++) {
        ok = yaml_document_start_event_initialize(&c.ev, NULL, NULL, NULL, 1) && emit(&c) &&
             emit_node(&c, docs[i]) && yaml_document_end_event_initialize(&c.ev, 1) && emit(&c);
    }
    ok = ok && yaml_stream_end_event_initialize(&c.ev) && emit(&c) && yaml_emitter_flush(&c.em);
    if (!ok)
        snprintf(err, errn, "YAML emitter: %s", c.em.problem ? c.em.problem : "failed");
    yaml_emitter_delete(&c.em);
    return ok ? 0 : -1;
}
