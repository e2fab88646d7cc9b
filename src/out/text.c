/*
 * text.c - the human report: one line per finding, grouped by file, the fix
 * hint under it, one summary line.
 */
#include "kubearch/output.h"

#include <string.h>

static const char *sev_color(ka_severity s)
{
    switch (s) {
    case KA_SEV_ERROR: return "\033[1;31m";
    case KA_SEV_WARNING: return "\033[1;33m";
    default: return "\033[1;36m";
    }
}

static void plural(ka_buf *b, size_t n, const char *what)
{
    ka_buf_printf(b, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

/* The cluster checklist as a kubectl-style table, evidence under each item. */
static void scorecard_text(ka_buf *b, const ka_results *r, const ka_out_opts *o)
{
    size_t witem = 4;
    for (size_t i = 0; i < r->nscorecard; i++) {
        size_t n = strlen(r->scorecard[i].rule->summary);
        if (n > witem)
            witem = n;
    }
    ka_buf_printf(b, "%-8s   %-*s   %-13s   %s\n", "ID", (int)witem, "ITEM", "STATUS", "DETAIL");
    for (size_t i = 0; i < r->nscorecard; i++) {
        const ka_scorecard_item *it = &r->scorecard[i];
        const char *col = "";
        if (o->color)
            col = it->status == KA_CL_PASS      ? "\033[1;32m"
                  : it->status == KA_CL_PARTIAL ? "\033[1;33m"
                  : it->status == KA_CL_FAIL    ? "\033[1;31m"
                                                : "\033[2m";
        ka_buf_printf(b, "%-8s   %-*s   %s%-13s%s   %s\n", it->rule->id, (int)witem, it->rule->summary,
                      col, ka_cl_status_name(it->status), o->color ? "\033[0m" : "", it->detail);
        for (size_t j = 0; j < it->nevidence && j < 5; j++)
            ka_buf_printf(b, "%-8s   %-*s   %-13s   - %s\n", "", (int)witem, "", "", it->evidence[j]);
        if (it->nevidence > 5)
            ka_buf_printf(b, "%-8s   %-*s   %-13s   - ... and %zu more\n", "", (int)witem, "", "",
                          it->nevidence - 5);
    }
    ka_buf_addc(b, '\n');
}

void ka_write_text(FILE *f, const ka_results *r, const ka_out_opts *o)
{
    ka_buf b;
    ka_buf_init(&b);
    if (r->nscorecard)
        scorecard_text(&b, r, o);
    const char *prev = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const ka_finding *x = &r->v[i];
        if (prev && strcmp(prev, x->path) != 0)
            ka_buf_addc(&b, '\n'); /* a blank line between files */
        prev = x->path;
        if (x->line)
            ka_buf_printf(&b, "%s:%u:%u: ", x->path, x->line, x->col);
        else
            ka_buf_printf(&b, "%s: ", *x->path ? x->path : "(cluster)");
        if (o->color)
            ka_buf_adds(&b, sev_color(x->severity));
        ka_buf_adds(&b, ka_severity_name(x->severity));
        if (o->color)
            ka_buf_adds(&b, "\033[0m");
        ka_buf_printf(&b, " %s ", x->rule->id);
        if (x->obj) {
            ka_buf_addstr(&b, x->kind.n ? x->kind : KA_STR("<no kind>"));
            ka_buf_addc(&b, '/');
            if (x->ns.n) {
                ka_buf_addstr(&b, x->ns);
                ka_buf_addc(&b, '/');
            }
            ka_buf_addstr(&b, x->name.n ? x->name : KA_STR("<no name>"));
        } else {
            ka_buf_adds(&b, "cluster");
        }
        if (x->container.n) {
            ka_buf_adds(&b, " [");
            ka_buf_addstr(&b, x->container);
            ka_buf_addc(&b, ']');
        }
        ka_buf_adds(&b, ": ");
        ka_buf_adds(&b, x->message);
        ka_buf_addc(&b, '\n');
        if (o->hints && x->hint && *x->hint) {
            ka_buf_adds(&b, o->color ? "    \033[2mhint:\033[0m " : "    hint: ");
            ka_buf_adds(&b, x->hint);
            ka_buf_addc(&b, '\n');
        }
        if (b.n > 1 << 16) {
            fwrite(b.p, 1, b.n, f);
            ka_buf_reset(&b);
        }
    }
    if (r->n)
        ka_buf_addc(&b, '\n');
    plural(&b, r->files, "file");
    ka_buf_adds(&b, ", ");
    plural(&b, r->objects, "object");
    ka_buf_adds(&b, ": ");
    plural(&b, r->count[KA_SEV_ERROR], "error");
    ka_buf_adds(&b, ", ");
    plural(&b, r->count[KA_SEV_WARNING], "warning");
    ka_buf_adds(&b, ", ");
    plural(&b, r->count[KA_SEV_INFO], "info");
    if (r->suppressed)
        ka_buf_printf(&b, " (%zu suppressed)", r->suppressed);
    if (o->input_errors) {
        ka_buf_adds(&b, "; ");
        plural(&b, o->input_errors, "input error");
    }
    ka_buf_addc(&b, '\n');
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
}
