/*
 * kubearch/load.h - YAML / JSON loading with positions and guard rails.
 *
 * One ka_file per input file: its arena owns the file's bytes, every node of
 * every document in it, and every string. Errors are reported as diagnostics
 * (file:line:col) and never stop the other documents of the file: a document
 * with an error is dropped (its slot in docs[] is NULL), the rest load.
 */
#ifndef KUBEARCH_LOAD_H
#define KUBEARCH_LOAD_H

#include "base.h"
#include "doc.h"
#include "diag.h"

typedef struct ka_limits {
    uint32_t max_depth;        /* nesting depth of collections (default 200) */
    size_t max_file_bytes;     /* one input file or stdin (default 1 GiB) */
    size_t max_doc_bytes;      /* one YAML document (default 128 MiB) */
    size_t max_alias_nodes;    /* nodes reachable once aliases are expanded, per
                                  document, beyond its own nodes (default 1,000,000) */
    unsigned threads;          /* threads parsing one large input: 0 one per CPU
                                  (at most 8), 1 none */
} ka_limits;

void ka_limits_default(ka_limits *l);

typedef struct ka_doc {
    ka_node *root;             /* NULL: empty / comment-only / rejected document */
    uint32_t line, col;        /* where the document starts */
    bool rejected;             /* true when an error dropped it */
} ka_doc;

typedef struct ka_file {
    ka_arena *arena;
    ka_source src;
    size_t ndocs;
    ka_doc *docs;
    size_t bytes;
    uint32_t index;            /* input order within an object set */
    uint32_t shares;           /* parts parsed apart, on threads (1: all on one) */
} ka_file;

/* Parse a buffer (copied into the file's arena). path is used for diagnostics.
 * Always returns a ka_file (possibly with zero documents); diagnostics go to d. */
ka_file *ka_load_buffer(const char *path, const char *data, size_t n,
                        const ka_limits *lim, ka_diags *d);
/* Read and parse a file; "-" reads stdin (shown as "<stdin>"). NULL when the
 * file cannot be read (a diagnostic says why). */
ka_file *ka_load_path(const char *path, const ka_limits *lim, ka_diags *d);
void ka_file_free(ka_file *f);

#endif
