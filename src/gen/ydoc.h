/*
 * ydoc.h - a small in-memory YAML tree that generate builds objects in, and
 * its emission through libyaml's emitter (never by string concatenation).
 *
 * Mappings keep insertion order: emitters add keys in the order Kubernetes
 * users read them (apiVersion, kind, metadata, spec ...). Strings that YAML
 * would resolve to something else (true, null, 8080, 1.5, "") are emitted
 * double-quoted so that every value round-trips as the type it was built as.
 * All nodes live in the builder's arena.
 */
#ifndef KA_YDOC_H
#define KA_YDOC_H

#include "kubearch/base.h"

typedef struct ynode ynode;

typedef enum ykind { Y_MAP, Y_SEQ, Y_STR, Y_INT, Y_BOOL } ykind;

struct ynode {
    ykind kind;
    bool flow;              /* emit a sequence/mapping in flow style ([a, b]) */
    bool literal;           /* emit a multi-line string as a literal block (|) */
    const char *s;          /* Y_STR text, Y_INT/Y_BOOL rendering */
    size_t n, cap;
    ynode **kids;           /* map: key, value, key, value ...; seq: items */
};

typedef struct ybuild {
    ka_arena *a;
} ybuild;

ynode *y_map(ybuild *b);
ynode *y_seq(ybuild *b);
ynode *y_str(ybuild *b, const char *s);
ynode *y_strf(ybuild *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
ynode *y_int(ybuild *b, int64_t v);
ynode *y_bool(ybuild *b, bool v);

/* map[key] = v (appended; keys are not de-duplicated). Returns v. */
ynode *y_put(ybuild *b, ynode *map, const char *key, ynode *v);
ynode *y_putstr(ybuild *b, ynode *map, const char *key, const char *s);
ynode *y_putint(ybuild *b, ynode *map, const char *key, int64_t v);
ynode *y_putbool(ybuild *b, ynode *map, const char *key, bool v);
ynode *y_putmap(ybuild *b, ynode *map, const char *key);   /* new child mapping */
ynode *y_putseq(ybuild *b, ynode *map, const char *key);   /* new child sequence */
/* seq += v. Returns v. */
ynode *y_add(ybuild *b, ynode *seq, ynode *v);
ynode *y_addstr(ybuild *b, ynode *seq, const char *s);
ynode *y_addmap(ybuild *b, ynode *seq);
/* Value of key in map, NULL when absent. */
ynode *y_get(ynode *map, const char *key);

/* Kubernetes object skeleton: apiVersion, kind, metadata{name[, namespace]}.
 * Returns the object; *meta receives the metadata mapping. */
ynode *y_object(ybuild *b, const char *api_version, const char *kind, const char *ns,
                const char *name, ynode **meta);

/* Emit documents (each a ynode) as one YAML stream into out: "---" between
 * documents, block style, 2-space indentation, no line folding. 0, or -1
 * with a message in err when libyaml fails. */
int y_emit(ynode *const *docs, size_t ndocs, ka_buf *out, char *err, size_t errn);

#endif
