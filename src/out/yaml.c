/*
 * yaml.c - the machine report as YAML: the same keys, in the same order, as
 * the JSON writer (json.c), emitted through libyaml's emitter so that
 * quoting and escaping are libyaml's, never ours.
 *
 * The emitter writes any scalar plain when the syntax allows it and leaves
 * tag resolution to the caller, so the one decision made here is which
 * strings must not be plain because a YAML 1.1 or 1.2 reader would resolve
 * them to something other than a string (null, true, 3, 1.5, 2024-01-01,
 * ...): those are emitted with plain_implicit off, and libyaml quotes them.
 */
#include "kubearch/output.h"

#include <limits.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

typedef struct yw {
    yaml_emitter_t e;
    bool failed;
    ka_buf tmp;      /* scratch for ka_utf8_clean */
} yw;

static void yw_emit(yw *w, yaml_event_t *ev, int ok)
{
    if (w->failed) {
        if (ok)
            yaml_event_delete(ev);
        return;
    }
    if (!ok || !yaml_emitter_emit(&w->e, ev)) {
        w->failed = true;
        fprintf(stderr, "kubearch: cannot write the YAML report: %s\n",
                w->e.problem ? w->e.problem : "out of memory");
    }
}



/* Would a plain scalar with this text resolve to anything but a string?
 * Deliberately broad: empty and "~"; every word YAML 1.1 reads as a boolean
 * or null in any case (y, yes, on, off, true, null ...); the merge and value
 * keys "<<" and "="; and anything starting like a number, a date or .inf
 * (a digit, a sign or a dot). Quoting a string that did not need it is
 * harmless; the reverse changes the data. */
static bool plain_is_not_string(ka_str s)
{
    static const char *const words[] = {
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "=",
    };
    if (s.n == 0)
        return true;
    char c = s.p[0];
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == '~')
        return true;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (s.n == n && strncasecmp(s.p, words[i], n) == 0)
            return true;
    }
    return false;
}

static void yw_scalar(yw *w, ka_str s, bool is_string)
{
    if (w->failed)
        return;
    yaml_event_t ev;
    ka_str v = ka_utf8_clean(&w->tmp, s);
    if (!v.p)
        v = (ka_str){ "", 0 }; /* an absent field (a set-level finding's kind) is "" */
    if (v.n > INT_MAX)
        v.n = INT_MAX; /* not reachable within the loader's document limits */
    int plain_implicit = is_string ? !plain_is_not_string(v) : 1;
    int quoted_implicit = is_string ? 1 : 0;
    int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)v.p, (int)v.n,
                                          plain_implicit, quoted_implicit,
                                          is_string ? YAML_ANY_SCALAR_STYLE
                                                    : YAML_PLAIN_SCALAR_STYLE);
    yw_emit(w, &ev, ok);
}

static void yw_str(yw *w, ka_str s)
{
    yw_scalar(w, s, true);
}

static void yw_kstr(yw *w, const char *key, ka_str v)
{
    yw_str(w, ka_str_c(key));
    yw_str(w, v);
}

static void yw_kuint(yw *w, const char *key, size_t v)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%zu", v);
    yw_str(w, ka_str_c(key));
    yw_scalar(w, (ka_str){ num, (size_t)n }, false);
}

static void yw_map_start(yw *w)
{
    if (w->failed)
        return;
    yaml_event_t ev;
    int ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    yw_emit(w, &ev, ok);
}

static void yw_map_end(yw *w)
{
    if (w->failed)
        return;
    yaml_event_t ev;
    int ok = yaml_mapping_end_event_initialize(&ev);
    yw_emit(w, &ev, ok);
}

static void yw_seq_start(yw *w)
{
    if (w->failed)
        return;
    yaml_event_t ev;
    int ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
    yw_emit(w, &ev, ok);
}

static void yw_seq_end(yw *w)
{
    if (w->failed)
        return;
    yaml_event_t ev;
    int ok = yaml_sequence_end_event_initialize(&ev);
    yw_emit(w, &ev, ok);
}

/* One finding: the keys of json.c's finding_json, in its order. */
static void finding_yaml(yw *w, const ka_finding *x)
{
    yw_map_start(w);
    yw_kstr(w, "rule", ka_str_c(x->rule->id));
    yw_kstr(w, "severity", ka_str_c(ka_severity_name(x->severity)));
    yw_kstr(w, "file", ka_str_c(x->path));
    yw_kuint(w, "line", x->line);
    yw_kuint(w, "column", x->col);
    yw_kstr(w, "kind", x->kind);
    yw_kstr(w, "namespace", x->ns);
    yw_kstr(w, "name", x->name);
    if (x->container.n)
        yw_kstr(w, "container", x->container);
    yw_kstr(w, "message", ka_str_c(x->message));
    yw_kstr(w, "hint", ka_str_c(x->hint ? x->hint : ""));
    yw_map_end(w);
}

void ka_write_yaml(FILE *f, const ka_results *r, const ka_out_opts *o)
{
    yw w;
    memset(&w, 0, sizeof w);
    ka_buf_init(&w.tmp);
    if (!yaml_emitter_initialize(&w.e)) {
        fprintf(stderr, "kubearch: cannot write the YAML report: out of memory\n");
        return;
    }
    yaml_emitter_set_output_file(&w.e, f);
    yaml_emitter_set_unicode(&w.e, 1); /* UTF-8 as is, not \u escapes */
    yaml_emitter_set_width(&w.e, -1);  /* one line per scalar, never folded */
    yaml_emitter_set_indent(&w.e, 2);

    yaml_event_t ev;
    yw_emit(&w, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    if (!w.failed)
        yw_emit(&w, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));

    yw_map_start(&w);
    yw_str(&w, KA_STR("findings"));
    yw_seq_start(&w);
    for (size_t i = 0; i < r->n && !w.failed; i++)
        finding_yaml(&w, &r->v[i]);
    yw_seq_end(&w);
    if (r->nscorecard) {
        yw_str(&w, KA_STR("scorecard"));
        yw_seq_start(&w);
        for (size_t i = 0; i < r->nscorecard && !w.failed; i++) {
            const ka_scorecard_item *it = &r->scorecard[i];
            yw_map_start(&w);
            yw_str(&w, KA_STR("id"));
            yw_str(&w, ka_str_c(it->rule->id));
            yw_str(&w, KA_STR("item"));
            yw_str(&w, ka_str_c(it->rule->summary));
            yw_str(&w, KA_STR("status"));
            yw_str(&w, ka_str_c(ka_cl_status_name(it->status)));
            yw_str(&w, KA_STR("detail"));
            yw_str(&w, ka_str_c(it->detail));
            yw_str(&w, KA_STR("evidence"));
            yw_seq_start(&w);
            for (size_t j = 0; j < it->nevidence; j++)
                yw_str(&w, ka_str_c(it->evidence[j]));
            yw_seq_end(&w);
            yw_map_end(&w);
        }
        yw_seq_end(&w);
    }
    yw_str(&w, KA_STR("summary"));
    yw_map_start(&w);
    yw_kuint(&w, "files", r->files);
    yw_kuint(&w, "objects", r->objects);
    yw_kuint(&w, "errors", r->count[KA_SEV_ERROR]);
    yw_kuint(&w, "warnings", r->count[KA_SEV_WARNING]);
    yw_kuint(&w, "infos", r->count[KA_SEV_INFO]);
    yw_kuint(&w, "inputErrors", o->input_errors);
    yw_map_end(&w);
    yw_map_end(&w);

    if (!w.failed)
        yw_emit(&w, &ev, yaml_document_end_event_initialize(&ev, 1));
    if (!w.failed)
        yw_emit(&w, &ev, yaml_stream_end_event_initialize(&ev));
    if (!w.failed && !yaml_emitter_flush(&w.e))
        fprintf(stderr, "kubearch: cannot write the YAML report: %s\n",
                w.e.problem ? w.e.problem : "write error");
    yaml_emitter_delete(&w.e);
    ka_buf_free(&w.tmp);
}
