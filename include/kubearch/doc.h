/*
 * kubearch/doc.h - the YAML/JSON document model.
 *
 * A document is a tree of ka_node. Every node remembers the 1-based line and
 * column where it starts in its file. Mapping children are stored inline as
 * key, value, key, value ... (2 * n nodes); sequence children as n nodes.
 * Scalars keep their text exactly as resolved by the YAML parser (tag
 * resolution is left to the reader: "true", "3", "null" are plain scalars
 * with style KA_STYLE_PLAIN). Aliases share the anchored node.
 */
#ifndef KUBEARCH_DOC_H
#define KUBEARCH_DOC_H

#include "base.h"

typedef enum ka_node_type {
    KA_NODE_SCALAR = 1,
    KA_NODE_MAP = 2,
    KA_NODE_SEQ = 3,
} ka_node_type;

typedef enum ka_node_style {
    KA_STYLE_PLAIN = 0,   /* plain scalar: subject to null/bool/int resolution */
    KA_STYLE_QUOTED = 1,  /* single/double quoted, literal or folded: always a string */
} ka_node_style;

/* 16 bytes where the compiler can pack it (the node tree is most of the
 * memory kubearch uses): 4-byte alignment, the pointer first. A scalar's
 * length and a collection's count are stored in the 4 bytes before the data
 * the node points to (ka_node_n), where aliases share them. Lengths and
 * counts stay below 2^30, columns below 2^29 (a longer line keeps the last
 * column). */
#if defined(__GNUC__)
#define KA_NODE_PACKED __attribute__((packed, aligned(4)))
#else
#define KA_NODE_PACKED
#endif
#define KA_NODE_MAX_N ((1u << 30) - 1)   /* longest scalar, most items */
#define KA_NODE_MAX_COL ((1u << 29) - 1)
typedef struct ka_node ka_node;
struct KA_NODE_PACKED ka_node {
    union {
        const char *s;    /* scalar bytes, NUL-terminated */
        ka_node *kids;    /* map: 2*n nodes (key, value, ...); seq: n nodes */
    } u;
    uint32_t line;        /* 1-based */
    uint32_t col : 29;    /* 1-based */
    uint32_t style : 1;   /* ka_node_style (scalars) */
    uint32_t type : 2;    /* ka_node_type */
};

/* Scalar: length in bytes; mapping: pairs; sequence: items. */
static inline uint32_t ka_node_n(const ka_node *n)
{
    uint32_t v;
    memcpy(&v, n->u.s - sizeof v, sizeof v);
    return v;
}

/* Source file of a document (shared by all its nodes). */
typedef struct ka_source {
    const char *path;     /* as given on the command line, "-" shown as <stdin> */
} ka_source;

static inline bool ka_is_map(const ka_node *n) { return n && n->type == KA_NODE_MAP; }
static inline bool ka_is_seq(const ka_node *n) { return n && n->type == KA_NODE_SEQ; }
static inline bool ka_is_scalar(const ka_node *n) { return n && n->type == KA_NODE_SCALAR; }
static inline ka_str ka_node_str(const ka_node *n)
{
    return ka_is_scalar(n) ? (ka_str){ n->u.s, ka_node_n(n) } : (ka_str){ "", 0 };
}

/* Mapping lookup by key (NULL when absent or when m is not a mapping). */
const ka_node *ka_getn(const ka_node *m, const char *key, size_t keylen);
static inline const ka_node *ka_get(const ka_node *m, const char *key)
{
    return ka_getn(m, key, strlen(key)); /* a literal's length is folded */
}
/* Nested lookup: ka_path(n, "spec", "template", "spec", NULL). */
const ka_node *ka_path(const ka_node *n, ...);
/* Key node of a mapping entry (for positions), NULL when absent. */
const ka_node *ka_get_key(const ka_node *m, const char *key);

/* Scalar resolution following YAML 1.1 core as Kubernetes (sigs.k8s.io/yaml) reads it. */
bool ka_is_null(const ka_node *n);          /* absent, ~, null, Null, NULL, empty plain */
/* 1 true, 0 false, -1 not a boolean (or absent). */
int ka_bool(const ka_node *n);
/* true when the node is an integer scalar; stores its value. */
bool ka_int(const ka_node *n, int64_t *out);
/* Scalar text or "" (also for non-scalars). */
static inline const char *ka_cstr(const ka_node *n) { return ka_is_scalar(n) ? n->u.s : ""; }
static inline size_t ka_len(const ka_node *n) { return ka_is_scalar(n) ? ka_node_n(n) : 0; }

#define KA_MAP_KEY(m, i) (&(m)->u.kids[2 * (i)])
#define KA_MAP_VAL(m, i) (&(m)->u.kids[2 * (i) + 1])
#define KA_SEQ_ITEM(s, i) (&(s)->u.kids[(i)])

#endif
