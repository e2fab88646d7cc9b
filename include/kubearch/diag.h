/*
 * kubearch/diag.h - input diagnostics ("file:line:col: error: message").
 *
 * Diagnostics are about the input (syntax, limits, unreadable files), never
 * about rule findings. Any error diagnostic makes the CLI exit 2.
 */
#ifndef KUBEARCH_DIAG_H
#define KUBEARCH_DIAG_H

#include "base.h"

typedef enum ka_diag_level { KA_DIAG_WARNING = 1, KA_DIAG_ERROR = 2 } ka_diag_level;

typedef struct ka_diag {
    char *path;           /* owned */
    uint32_t line, col;   /* 0 when unknown */
    ka_diag_level level;
    char *msg;            /* owned */
} ka_diag;

typedef struct ka_diags {
    ka_diag *v;
    size_t n, cap;
    size_t errors;
} ka_diags;

void ka_diags_init(ka_diags *d);
void ka_diags_free(ka_diags *d);
/* Move every diagnostic of from to the end of d (from is left empty). */
void ka_diags_append_move(ka_diags *d, ka_diags *from);
/* Drop the diagnostics added after the first n. */
void ka_diags_truncate(ka_diags *d, size_t n);
void ka_diag_add(ka_diags *d, ka_diag_level lvl, const char *path, uint32_t line,
                 uint32_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* "path:line:col: error: msg\n" (line/col omitted when 0). */
void ka_diags_print(const ka_diags *d, FILE *f);

#endif
