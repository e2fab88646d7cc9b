/*
 * json.c - the machine report: {"findings":[...],"summary":{...}}. The shape
 * is a contract other tools rely on; keep it stable.
 */
#include "kubearch/output.h"

#include <stdlib.h>
#include <string.h>

/* Rule ids, hints, file names, kinds, namespaces and the messages without
 * conversions repeat across findings: each is escaped once. The cache is direct-mapped by address and length
 * (the strings live as long as the results: the rule table, the set's files
 * and nodes). */
#define ESC_SLOTS 512
typedef struct esc_cache {
    ka_str src[ESC_SLOTS];
    ka_buf out[ESC_SLOTS];
} esc_cache;

static void json_str_cached(ka_buf *b, esc_cache *c, ka_str s)
{
    uintptr_t h = (uintptr_t)s.p ^ ((uintptr_t)s.n << 7);
    size_t i = (size_t)((h >> 3) ^ (h >> 12)) & (ESC_SLOTS - 1);
    if (c->src[i].p != s.p || c->src[i].n != s.n) {
        c->src[i] = s;
        ka_buf_reset(&c->out[i]);
        ka_buf_json_str(&c->out[i], s);
    }
    ka_buf_add(b, c->out[i].p, c->out[i].n);
}

static void finding_json(ka_buf *b, esc_cache *c, const ka_finding *x)
{
    ka_buf_adds(b, "{\"rule\":");
    json_str_cached(b, c, ka_str_c(x->rule->id));
    ka_buf_adds(b, ",\"severity\":");
    json_str_cached(b, c, ka_str_c(ka_severity_name(x->severity)));
    ka_buf_adds(b, ",\"file\":");
    json_str_cached(b, c, ka_str_c(x->path));
    ka_buf_adds(b, ",\"line\":");
    ka_buf_addu(b, x->line);
    ka_buf_adds(b, ",\"column\":");
    ka_buf_addu(b, x->col);
    ka_buf_adds(b, ",\"kind\":");
    json_str_cached(b, c, x->kind);
    ka_buf_adds(b, ",\"namespace\":");
    json_str_cached(b, c, x->ns);
    ka_buf_adds(b, ",\"name\":");
    ka_buf_json_str(b, x->name);
    if (x->container.n) {
        ka_buf_adds(b, ",\"container\":");
        json_str_cached(b, c, x->container);
    }
    ka_buf_adds(b, ",\"message\":");
    /* by address: a message without conversions is its rule's literal */
    json_str_cached(b, c, ka_str_c(x->message));
    ka_buf_adds(b, ",\"hint\":");
    json_str_cached(b, c, ka_str_c(x->hint ? x->hint : ""));
    ka_buf_addc(b, '}');
}

void ka_write_json(FILE *f, const ka_results *r, const ka_out_opts *o)
{
    ka_buf b;
    ka_buf_init(&b);
    esc_cache *c = ka_xcalloc(1, sizeof *c);
    ka_buf_adds(&b, "{\"findings\":[");
    for (size_t i = 0; i < r->n; i++) {
        if (i)
            ka_buf_addc(&b, ',');
        finding_json(&b, c, &r->v[i]);
        if (b.n > 1 << 16) {
            fwrite(b.p, 1, b.n, f);
            ka_buf_reset(&b);
        }
    }
    ka_buf_addc(&b, ']');
    if (r->nscorecard) {
        ka_buf_adds(&b, ",\"scorecard\":[");
        for (size_t i = 0; i < r->nscorecard; i++) {
            const ka_scorecard_item *it = &r->scorecard[i];
            ka_buf_adds(&b, i ? ",{\"id\":" : "{\"id\":");
            ka_buf_json_str(&b, ka_str_c(it->rule->id));
            ka_buf_adds(&b, ",\"item\":");
            ka_buf_json_str(&b, ka_str_c(it->rule->summary));
            ka_buf_adds(&b, ",\"status\":");
            ka_buf_json_str(&b, ka_str_c(ka_cl_status_name(it->status)));
            ka_buf_adds(&b, ",\"detail\":");
            ka_buf_json_str(&b, ka_str_c(it->detail));
            ka_buf_adds(&b, ",\"evidence\":[");
            for (size_t j = 0; j < it->nevidence; j++) {
                if (j)
                    ka_buf_addc(&b, ',');
                ka_buf_json_str(&b, ka_str_c(it->evidence[j]));
            }
            ka_buf_adds(&b, "]}");
        }
        ka_buf_addc(&b, ']');
    }
    ka_buf_printf(&b,
                  ",\"summary\":{\"files\":%zu,\"objects\":%zu,\"errors\":%zu,\"warnings\":%zu,"
                  "\"infos\":%zu,\"inputErrors\":%zu}}\n",
                  r->files, r->objects, r->count[KA_SEV_ERROR], r->count[KA_SEV_WARNING],
                  r->count[KA_SEV_INFO], o->input_errors);
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    for (size_t i = 0; i < ESC_SLOTS; i++)
        ka_buf_free(&c->out[i]);
    free(c);
}
