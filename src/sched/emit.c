/*
 * emit.c - one tree-shaped writer, two syntaxes: JSON (compact, a line
 * break after each element of the top-level arrays so large reports stay
 * readable) and YAML (block style through libyaml's emitter, every string
 * quoted so that no reader resolves it to a number, a boolean or null).
 */
#include "emit.h"

#include <inttypes.h>
#include <string.h>

void ks_em_init(ks_em *e, FILE *f, bool yaml)
{
    memset(e, 0, sizeof *e);
    e->f = f;
    e->yaml = yaml;
    ka_buf_init(&e->b);
    if (yaml) {
        yaml_emitter_initialize(&e->y);
        yaml_emitter_set_output_file(&e->y, f);
        yaml_emitter_set_unicode(&e->y, 1);
        yaml_emitter_set_width(&e->y, -1);
        yaml_event_t ev;
        yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
        yaml_emitter_emit(&e->y, &ev);
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
        yaml_emitter_emit(&e->y, &ev);
    }
}

static void flush_json(ks_em *e, bool force)
{
    if (e->b.n > (1u << 16) || (force && e->b.n)) {
        fwrite(e->b.p, 1, e->b.n, e->f);
        ka_buf_reset(&e->b);
    }
}

void ks_em_finish(ks_em *e)
{
    if (e->yaml) {
        yaml_event_t ev;
        yaml_document_end_event_initialize(&ev, 1);
        yaml_emitter_emit(&e->y, &ev);
        yaml_stream_end_event_initialize(&ev);
        yaml_emitter_emit(&e->y, &ev);
        yaml_emitter_flush(&e->y);
        yaml_emitter_delete(&e->y);
    } else {
        ka_buf_addc(&e->b, '\n');
        flush_json(e, true);
    }
    ka_buf_free(&e->b);
}

/* JSON separators: a comma before every element but the first, and at
 * depth 1 (the members of the top-level arrays) a line break. */
static void sep(ks_em *e)
{
    if (e->after_key) {
        e->after_key = false;
        return;
    }
    if (e->depth > 0 && e->count[e->depth - 1]++ > 0)
        ka_buf_addc(&e->b, ',');
    if (e->depth == 2 && e->is_arr[1])
        ka_buf_addc(&e->b, '\n');
}

static void yscalar(ks_em *e, const char *v, size_t n, bool quoted)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)v, (int)n, !quoted, quoted,
                                 quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE);
    yaml_emitter_emit(&e->y, &ev);
}

void ks_em_begin(ks_em *e, bool array)
{
    if (e->yaml) {
        yaml_event_t ev;
        if (array)
            yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
        else
            yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
        yaml_emitter_emit(&e->y, &ev);
    } else {
        sep(e);
        ka_buf_addc(&e->b, array ? '[' : '{');
    }
    if (e->depth < KS_EM_MAXDEPTH) {
        e->count[e->depth] = 0;
        e->is_arr[e->depth] = array;
    }
    e->depth++;
}

void ks_em_end(ks_em *e)
{
    e->depth--;
    if (e->yaml) {
        yaml_event_t ev;
        if (e->is_arr[e->depth])
            yaml_sequence_end_event_initialize(&ev);
        else
            yaml_mapping_end_event_initialize(&ev);
        yaml_emitter_emit(&e->y, &ev);
        return;
    }
    if (e->depth == 1 && e->is_arr[1] && e->count[1])
        ka_buf_addc(&e->b, '\n');
    ka_buf_addc(&e->b, e->is_arr[e->depth] ? ']' : '}');
    flush_json(e, false);
}

void ks_em_key(ks_em *e, const char *k)
{
    if (e->yaml) {
        yscalar(e, k, strlen(k), false);
        return;
    }
    sep(e);
    ka_buf_json_str(&e->b, ka_str_c(k));
    ka_buf_addc(&e->b, ':');
    e->after_key = true;
}

void ks_em_str(ks_em *e, ka_str s)
{
    if (e->yaml) {
        yscalar(e, s.p ? s.p : "", s.n, true);
        return;
    }
    sep(e);
    ka_buf_json_str(&e->b, s);
}

void ks_em_cstr(ks_em *e, const char *s)
{
    ks_em_str(e, ka_str_c(s));
}

void ks_em_int(ks_em *e, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    if (e->yaml) {
        yscalar(e, buf, (size_t)n, false);
        return;
    }
    sep(e);
    ka_buf_add(&e->b, buf, (size_t)n);
}

void ks_em_num(ks_em *e, double v)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.1f", v);
    if (e->yaml) {
        yscalar(e, buf, (size_t)n, false);
        return;
    }
    sep(e);
    ka_buf_add(&e->b, buf, (size_t)n);
}

void ks_em_bool(ks_em *e, bool v)
{
    if (e->yaml) {
        yscalar(e, v ? "true" : "false", v ? 4 : 5, false);
        return;
    }
    sep(e);
    ka_buf_adds(&e->b, v ? "true" : "false");
}

void ks_em_null(ks_em *e)
{
    if (e->yaml) {
        yscalar(e, "null", 4, false);
        return;
    }
    sep(e);
    ka_buf_adds(&e->b, "null");
}
