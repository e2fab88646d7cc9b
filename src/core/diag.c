/*
 * diag.c - collected input diagnostics.
 */
#include "kubearch/diag.h"

#include <stdarg.h>
#include <stdlib.h>

void ka_diags_init(ka_diags *d)
{
    d->v = NULL;
    d->n = d->cap = d->errors = 0;
}

void ka_diags_free(ka_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].path);
        free(d->v[i].msg);
    }
    free(d->v);
    ka_diags_init(d);
}

void ka_diag_add(ka_diags *d, ka_diag_level lvl, const char *path, uint32_t line,
                 uint32_t col, const char *fmt, ...)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = ka_xrealloc(d->v, d->cap * sizeof *d->v);
    }
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    ka_diag *x = &d->v[d->n++];
    x->path = ka_xstrdup(path ? path : "");
    x->line = line;
    x->col = col;
    x->level = lvl;
    x->msg = ka_xstrdup(tmp);
    if (lvl == KA_DIAG_ERROR)
        d->errors++;
}

void ka_diags_truncate(ka_diags *d, size_t n)
{
    while (d->n > n) {
        ka_diag *x = &d->v[--d->n];
        if (x->level == KA_DIAG_ERROR)
            d->errors--;
        free(x->path);
        free(x->msg);
    }
}

void ka_diags_append_move(ka_diags *d, ka_diags *from)
{
    for (size_t i = 0; i < from->n; i++) {
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 16;
            d->v = ka_xrealloc(d->v, d->cap * sizeof *d->v);
        }
        d->v[d->n++] = from->v[i];
    }
    d->errors += from->errors;
    free(from->v);
    ka_diags_init(from);
}

void ka_diags_print(const ka_diags *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++) {
        const ka_diag *x = &d->v[i];
        const char *lv = x->level == KA_DIAG_ERROR ? "error" : "warning";
        if (x->line)
            fprintf(f, "%s:%u:%u: %s: %s\n", x->path, x->line, x->col, lv, x->msg);
        else
            fprintf(f, "%s: %s: %s\n", x->path, lv, x->msg);
    }
}
