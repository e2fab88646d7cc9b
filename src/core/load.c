/*
 * load.c - YAML / JSON streams into position-keeping node trees.
 *
 * The input is cut into document segments at "---" marker lines (a marker
 * can never occur inside YAML content, so this is exact) and each segment is
 * parsed by its own libyaml parser. A syntax error therefore costs only its
 * own document: libyaml cannot resume after an error, but the next segment
 * starts afresh. Regular files are mapped and the pages of parsed segments
 * are handed back to the kernel, so peak memory is the trees, not the input.
 * Scalar text is packed without padding, and short scalars seen recently in
 * the file are shared (manifests repeat their keys, most values and, within
 * a document, names); node strings are read-only.
 *
 * Guard rails, each a diagnostic that drops only the document at fault:
 * nesting depth, document size, alias expansion (counted, never performed:
 * an alias shares the anchored node), duplicate keys, non-scalar keys,
 * undefined aliases.
 */
#define _GNU_SOURCE
#include "kubearch/load.h"
#include "threads.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

void ka_limits_default(ka_limits *l)
{
    l->max_depth = 200;
    l->max_file_bytes = (size_t)1 << 30;
    l->max_doc_bytes = (size_t)128 << 20;
    l->max_alias_nodes = 1000000;
    l->threads = 0;
}

typedef struct anchor {
    char *name;
    ka_node node;
    size_t weight; /* nodes it stands for once expanded */
} anchor;

typedef struct frame {
    ka_node node;
    size_t kids_start; /* index into st->kids */
    size_t count_start;
    char *anchor;
} frame;

typedef struct loader {
    ka_arena *arena;           /* where nodes and strings go */
    const char *path;          /* for diagnostics */
    const ka_limits *lim;
    ka_diags *d;
    /* segment */
    const char *seg;
    size_t seglen;
    uint32_t line0; /* lines before the segment */
    /* document */
    ka_doc cur;
    bool in_doc, skip;
    size_t count, real; /* expanded and real node counts */
    frame *fr;
    size_t nfr, capfr;
    ka_node *kids;
    size_t nkids, capkids;
    anchor *an;
    size_t nan, capan;
    ka_doc *docs;
    size_t ndocs, capdocs;
    /* scalar text: a block being filled, and the intern table */
    char *sp;
    size_t sleft;
    char *kp;                  /* packed kids block (4-byte aligned) */
    size_t kleft;
    struct istr *itab;
    size_t islots;             /* a power of two, by input size */
} loader;

static void doc_error(loader *L, uint32_t line, uint32_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void doc_error(loader *L, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ka_diag_add(L->d, KA_DIAG_ERROR, L->path, line, col, "%s", msg);
    L->skip = true;
}

static inline uint32_t mline(const loader *L, yaml_mark_t m)
{
    return L->line0 + (uint32_t)m.line + 1;
}

static inline uint32_t mcol(yaml_mark_t m)
{
    /* a line longer than 2 GiB (only past --max-file-bytes' default) keeps the last column */
    return m.column < KA_NODE_MAX_COL ? (uint32_t)m.column + 1 : KA_NODE_MAX_COL;
}

/* ---- scalar text ------------------------------------------------------ */

#define STR_BLOCK 4096          /* packed string block taken from the arena */
#define STR_DIRECT 512          /* longer strings get an arena allocation of their own */
#define INTERN_MAX_LEN 64       /* only short scalars repeat often enough */
#define INTERN_SLOTS 8192       /* at most 128 KiB: stays in the CPU caches */

typedef struct istr {
    const char *s;
    uint32_t n, h;
} istr;

/* The length (ka_node_n), then a NUL-terminated copy, in the file's arena
 * without alignment padding. */
static const char *store_str(loader *L, const char *s, size_t n)
{
    uint32_t n32 = (uint32_t)n;
    char *p;
    if (n + 5 > L->sleft && n + 5 > STR_DIRECT) {
        p = ka_arena_alloc(L->arena, n + 5); /* a long string gets its own */
    } else {
        if (n + 5 > L->sleft) {
            L->sp = ka_arena_alloc(L->arena, STR_BLOCK);
            L->sleft = STR_BLOCK;
        }
        p = L->sp;
        L->sp += n + 5;
        L->sleft -= n + 5;
    }
    memcpy(p, &n32, 4);
    if (n)
        memcpy(p + 4, s, n);
    p[4 + n] = '\0';
    return p + 4;
}

/*
 * Scalar text, shared when the same short string was seen recently. The
 * table is a small direct-mapped cache (a newer string takes the slot of an
 * older one), not a set of every string: keys and common values stay in it
 * and are shared file-wide, names are shared within their document, and the
 * table never grows nor leaves the CPU caches, whatever the input.
 */
static const char *intern(loader *L, const char *s, size_t n)
{
    if (n > INTERN_MAX_LEN)
        return store_str(L, s, n);
    if (!L->itab)
        L->itab = ka_xcalloc(L->islots, sizeof *L->itab);
    uint32_t h = (uint32_t)ka_hash(s, n);
    istr *e = &L->itab[h & (L->islots - 1)];
    if (e->s && e->h == h && e->n == n && memcmp(e->s, s, n) == 0)
        return e->s;
    const char *p = store_str(L, s, n);
    *e = (istr){ p, (uint32_t)n, h };
    return p;
}

static void push_kid(loader *L, const ka_node *n)
{
    if (L->nkids == L->capkids) {
        L->capkids = L->capkids ? L->capkids * 2 : 1024;
        L->kids = ka_xrealloc(L->kids, L->capkids * sizeof *L->kids);
    }
    L->kids[L->nkids++] = *n;
}

static void free_anchors(loader *L)
{
    for (size_t i = 0; i < L->nan; i++)
        free(L->an[i].name);
    L->nan = 0;
}

static void add_anchor(loader *L, const char *name, const ka_node *n, size_t weight)
{
    /* A redefined anchor shadows the earlier one (YAML 1.1 §3.2.2.2). */
    for (size_t i = L->nan; i-- > 0;)
        if (strcmp(L->an[i].name, name) == 0) {
            L->an[i].node = *n;
            L->an[i].weight = weight;
            return;
        }
    if (L->nan == L->capan) {
        L->capan = L->capan ? L->capan * 2 : 16;
        L->an = ka_xrealloc(L->an, L->capan * sizeof *L->an);
    }
    L->an[L->nan].name = ka_xstrdup(name);
    L->an[L->nan].node = *n;
    L->an[L->nan].weight = weight;
    L->nan++;
}

static const anchor *find_anchor(const loader *L, const char *name)
{
    for (size_t i = L->nan; i-- > 0;)
        if (strcmp(L->an[i].name, name) == 0)
            return &L->an[i];
    return NULL;
}

/* Place a finished node: as the document root or as the next child. */
static void emit(loader *L, const ka_node *n)
{
    if (L->nfr == 0) {
        L->cur.root = ka_arena_alloc(L->arena, sizeof(ka_node));
        *L->cur.root = *n;
    } else {
        push_kid(L, n);
    }
}

static bool budget_ok(loader *L, yaml_mark_t m)
{
    if (L->count - L->real > L->lim->max_alias_nodes) {
        doc_error(L, mline(L, m), mcol(m),
                  "alias expansion exceeds the limit of %zu nodes (YAML alias bomb?)",
                  L->lim->max_alias_nodes);
        return false;
    }
    return true;
}

/* ---- collections: the count (ka_node_n) sits in the 4 bytes before the kids */

static ka_node *empty_kids(void)
{
    static const uint32_t none[2] = { 0, 0 };
    return (ka_node *)(uintptr_t)(none + 1);
}

#define KIDS_BLOCK (64u << 10)  /* kids arrays packed 4-byte aligned, no rounding to 8 */
#define KIDS_DIRECT 4096

static ka_node *new_kids(loader *L, size_t n)
{
    if (!n)
        return empty_kids();
    size_t need = 4 + n * sizeof(ka_node);
    char *p;
    if (need > KIDS_DIRECT) {
        p = ka_arena_alloc(L->arena, need);
    } else {
        if (need > L->kleft) {
            L->kp = ka_arena_alloc(L->arena, KIDS_BLOCK);
            L->kleft = KIDS_BLOCK;
        }
        p = L->kp;
        L->kp += need;
        L->kleft -= need;
    }
    return (ka_node *)(void *)(p + 4);
}

static void set_count(ka_node *kids, size_t n)
{
    uint32_t n32 = (uint32_t)n;
    memcpy((char *)kids - 4, &n32, 4);
}

static bool is_merge_key(const ka_node *k)
{
    return k->type == KA_NODE_SCALAR && k->style == KA_STYLE_PLAIN && ka_node_n(k) == 2 &&
           k->u.s[0] == '<' && k->u.s[1] == '<';
}

static bool key_in(const ka_node *kids, size_t npairs, const ka_node *key)
{
    for (size_t i = 0; i < npairs; i++) {
        const ka_node *k = &kids[2 * i];
        if (ka_node_n(k) == ka_node_n(key) && memcmp(k->u.s, key->u.s, ka_node_n(k)) == 0)
            return true;
    }
    return false;
}

/*
 * Check keys of a finished mapping (kids[0 .. 2*np)): scalar keys only, no
 * duplicates. Duplicate detection is linear for small mappings and hashed for
 * large ones so a hostile 100k-key mapping stays O(n).
 */
static bool check_keys(loader *L, const ka_node *kids, size_t np)
{
    for (size_t i = 0; i < np; i++) {
        const ka_node *k = &kids[2 * i];
        if (k->type != KA_NODE_SCALAR) {
            doc_error(L, k->line, k->col, "mapping keys must be scalars");
            return false;
        }
    }
    if (np <= 16) {
        for (size_t i = 1; i < np; i++) {
            const ka_node *k = &kids[2 * i];
            for (size_t j = 0; j < i; j++) {
                const ka_node *o = &kids[2 * j];
                if (ka_node_n(o) == ka_node_n(k) && memcmp(o->u.s, k->u.s, ka_node_n(k)) == 0 &&
                    !is_merge_key(k)) {
                    doc_error(L, k->line, k->col,
                              "duplicate mapping key \"%.*s\" (first at line %u, column %u)",
                              (int)(ka_node_n(k) > 100 ? 100 : ka_node_n(k)), k->u.s, o->line, o->col);
                    return false;
                }
            }
        }
        return true;
    }
    size_t cap = 32;
    while (cap < np * 2)
        cap *= 2;
    uint32_t *slot = ka_xcalloc(cap, sizeof *slot); /* index + 1 */
    bool ok = true;
    for (size_t i = 0; i < np && ok; i++) {
        const ka_node *k = &kids[2 * i];
        if (is_merge_key(k))
            continue;
        size_t h = (size_t)ka_hash(k->u.s, ka_node_n(k)) & (cap - 1);
        while (slot[h]) {
            const ka_node *o = &kids[2 * (slot[h] - 1)];
            if (ka_node_n(o) == ka_node_n(k) && memcmp(o->u.s, k->u.s, ka_node_n(k)) == 0) {
                doc_error(L, k->line, k->col,
                          "duplicate mapping key \"%.*s\" (first at line %u, column %u)",
                          (int)(ka_node_n(k) > 100 ? 100 : ka_node_n(k)), k->u.s, o->line, o->col);
                ok = false;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        if (ok)
            slot[h] = (uint32_t)i + 1;
    }
    free(slot);
    return ok;
}

/*
 * Resolve YAML merge keys ("<<: *base" or "<<: [*a, *b]") as go-yaml v2
 * (and so kubectl) does: explicit keys win, then the merged mappings in
 * order, earlier ones winning. Returns the new pair count.
 */
static size_t apply_merges(loader *L, ka_node **kidsp, size_t np)
{
    ka_node *kids = *kidsp;
    size_t nmerge = 0;
    for (size_t i = 0; i < np; i++)
        if (is_merge_key(&kids[2 * i]))
            nmerge++;
    if (!nmerge)
        return np;
    /* upper bound of the result */
    size_t cap = np;
    for (size_t i = 0; i < np; i++) {
        const ka_node *k = &kids[2 * i], *v = &kids[2 * i + 1];
        if (!is_merge_key(k))
            continue;
        if (v->type == KA_NODE_MAP)
            cap += ka_node_n(v);
        else if (v->type == KA_NODE_SEQ)
            for (uint32_t j = 0; j < ka_node_n(v); j++)
                if (v->u.kids[j].type == KA_NODE_MAP)
                    cap += ka_node_n(&v->u.kids[j]);
    }
    ka_node *out = new_kids(L, cap * 2);
    size_t n = 0;
    for (size_t i = 0; i < np; i++)
        if (!is_merge_key(&kids[2 * i])) {
            out[2 * n] = kids[2 * i];
            out[2 * n + 1] = kids[2 * i + 1];
            n++;
        }
    for (size_t i = 0; i < np; i++) {
        const ka_node *k = &kids[2 * i], *v = &kids[2 * i + 1];
        if (!is_merge_key(k))
            continue;
        size_t nsrc = v->type == KA_NODE_SEQ ? ka_node_n(v) : 1;
        for (size_t s = 0; s < nsrc; s++) {
            const ka_node *m = v->type == KA_NODE_SEQ ? &v->u.kids[s] : v;
            if (m->type != KA_NODE_MAP) {
                doc_error(L, m->line, m->col, "merge key \"<<\" needs a mapping or a list of mappings");
                return np;
            }
            for (uint32_t j = 0; j < ka_node_n(m); j++) {
                const ka_node *mk = KA_MAP_KEY(m, j);
                if (!key_in(out, n, mk)) {
                    out[2 * n] = *mk;
                    out[2 * n + 1] = *KA_MAP_VAL(m, j);
                    n++;
                }
            }
        }
    }
    *kidsp = out;
    return n;
}

static void finish_collection(loader *L, yaml_mark_t end)
{
    frame *fr = &L->fr[--L->nfr];
    size_t nk = L->nkids - fr->kids_start;
    ka_node n = fr->node;
    if (!L->skip) {
        ka_node *kids = new_kids(L, nk);
        if (nk)
            memcpy(kids, L->kids + fr->kids_start, nk * sizeof(ka_node));
        size_t count = nk;
        if (n.type == KA_NODE_MAP) {
            count = nk / 2;
            if (check_keys(L, kids, count))
                count = apply_merges(L, &kids, count);
        }
        if (count > KA_NODE_MAX_N) {
            doc_error(L, n.line, n.col, "collection of %zu items is larger than %u items", count,
                      KA_NODE_MAX_N);
            count = 0;
        }
        if (kids != empty_kids())
            set_count(kids, count);
        n.u.kids = kids;
    }
    L->nkids = fr->kids_start;
    if (fr->anchor) {
        if (!L->skip)
            add_anchor(L, fr->anchor, &n, L->count - fr->count_start + 1);
        free(fr->anchor);
    }
    (void)end;
    if (!L->skip)
        emit(L, &n);
}

static void start_collection(loader *L, ka_node_type t, yaml_mark_t m, const yaml_char_t *anch)
{
    if (L->nfr >= L->lim->max_depth) {
        doc_error(L, mline(L, m), mcol(m), "nesting deeper than the limit of %u levels",
                  L->lim->max_depth);
    }
    if (L->nfr == L->capfr) {
        L->capfr = L->capfr ? L->capfr * 2 : 32;
        L->fr = ka_xrealloc(L->fr, L->capfr * sizeof *L->fr);
    }
    frame *fr = &L->fr[L->nfr++];
    memset(fr, 0, sizeof *fr);
    fr->node.type = (uint8_t)t;
    fr->node.line = mline(L, m);
    fr->node.col = mcol(m);
    fr->kids_start = L->nkids;
    fr->count_start = L->count;
    fr->anchor = anch ? ka_xstrdup((const char *)anch) : NULL;
    L->count++;
    L->real++;
}

static void add_scalar(loader *L, const yaml_event_t *ev)
{
    ka_node n;
    memset(&n, 0, sizeof n);
    n.type = KA_NODE_SCALAR;
    n.line = mline(L, ev->start_mark);
    n.col = mcol(ev->start_mark);
    size_t len = ev->data.scalar.length;
    if (len > KA_NODE_MAX_N) {
        doc_error(L, n.line, n.col, "scalar of %zu bytes is longer than %u bytes", len, KA_NODE_MAX_N);
        return;
    }
    n.u.s = intern(L, (const char *)ev->data.scalar.value, len);
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    const char *tag = (const char *)ev->data.scalar.tag;
    /* An explicit !!str makes a plain scalar a string; other tags keep resolution. */
    if (tag && strcmp(tag, YAML_STR_TAG) == 0)
        plain = false;
    n.style = plain ? KA_STYLE_PLAIN : KA_STYLE_QUOTED;
    L->count++;
    L->real++;
    if (ev->data.scalar.anchor)
        add_anchor(L, (const char *)ev->data.scalar.anchor, &n, 1);
    emit(L, &n);
}

static void add_alias(loader *L, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const anchor *a = find_anchor(L, name);
    if (!a) {
        doc_error(L, mline(L, ev->start_mark), mcol(ev->start_mark), "undefined alias \"*%s\"",
                  name);
        return;
    }
    L->count += a->weight;
    if (!budget_ok(L, ev->start_mark))
        return;
    emit(L, &a->node);
}

static void begin_doc(loader *L, yaml_mark_t m)
{
    memset(&L->cur, 0, sizeof L->cur);
    L->cur.line = mline(L, m);
    L->cur.col = mcol(m);
    L->in_doc = true;
    L->skip = false;
    L->count = L->real = 0;
    L->nkids = 0;
    free_anchors(L);
}

/* Open collections are dropped (with their anchors). */
static void drop_frames(loader *L)
{
    for (size_t i = 0; i < L->nfr; i++)
        free(L->fr[i].anchor);
    L->nfr = 0;
    L->nkids = 0;
}

static void push_doc(loader *L, ka_doc doc)
{
    if (L->ndocs == L->capdocs) {
        L->capdocs = L->capdocs ? L->capdocs * 2 : 16;
        L->docs = ka_xrealloc(L->docs, L->capdocs * sizeof *L->docs);
    }
    L->docs[L->ndocs++] = doc;
}

static void end_doc(loader *L)
{
    drop_frames(L);
    if (L->skip) {
        L->cur.root = NULL;
        L->cur.rejected = true;
    }
    push_doc(L, L->cur);
    L->in_doc = false;
    free_anchors(L);
}

/* Line and column (1-based) of a byte offset within the segment. */
static void offset_pos(const loader *L, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 0, c = 0;
    if (off > L->seglen)
        off = L->seglen;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)L->seg[i];
        if (ch == '\n') {
            l++;
            c = 0;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = L->line0 + l + 1;
    *col = c + 1;
}

static void parser_error(loader *L, yaml_parser_t *p)
{
    uint32_t line, col;
    const char *what = p->problem ? p->problem : "syntax error";
    if (p->error == YAML_READER_ERROR) {
        offset_pos(L, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            ka_diag_add(L->d, KA_DIAG_ERROR, L->path, line, col,
                        "invalid input: %s (byte 0x%02x)", what, (unsigned)p->problem_value & 0xff);
        else
            ka_diag_add(L->d, KA_DIAG_ERROR, L->path, line, col, "invalid input: %s", what);
        return;
    }
    line = L->line0 + (uint32_t)p->problem_mark.line + 1;
    col = (uint32_t)p->problem_mark.column + 1;
    size_t idx = p->problem_mark.index;
    if (idx < L->seglen && L->seg[idx] == '\t') {
        ka_diag_add(L->d, KA_DIAG_ERROR, L->path, line, col,
                    "syntax error: tab character where YAML allows only spaces for indentation");
        return;
    }
    if (p->context)
        ka_diag_add(L->d, KA_DIAG_ERROR, L->path, line, col,
                    "syntax error: %s %s (line %u, column %u)", what, p->context,
                    L->line0 + (uint32_t)p->context_mark.line + 1,
                    (uint32_t)p->context_mark.column + 1);
    else
        ka_diag_add(L->d, KA_DIAG_ERROR, L->path, line, col, "syntax error: %s", what);
}

/*
 * Parses L->seg. A run (several segments at once, which saves a parser per
 * document) gives up at the first syntax error or directive and returns
 * false, leaving the caller to undo it and parse its segments one by one: a
 * single segment reports its errors itself, as each document must recover on
 * its own whatever came before it.
 */
static bool parse_segment(loader *L, bool run)
{
    yaml_parser_t p;
    yaml_event_t ev;
    bool ok = true;
    if (!yaml_parser_initialize(&p)) {
        fprintf(stderr, "kubearch: out of memory initialising libyaml\n");
        abort();
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)L->seg, L->seglen);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            if (run) {
                ok = false;
                break;
            }
            parser_error(L, &p);
            if (L->in_doc) {
                L->skip = true;
                end_doc(L);
            }
            break;
        }
        yaml_event_type_t t = ev.type;
        if (run && t == YAML_DOCUMENT_START_EVENT &&
            (ev.data.document_start.version_directive ||
             ev.data.document_start.tag_directives.start != ev.data.document_start.tag_directives.end)) {
            yaml_event_delete(&ev);
            ok = false;
            break;
        }
        switch (t) {
        case YAML_DOCUMENT_START_EVENT:
            begin_doc(L, ev.start_mark);
            break;
        case YAML_DOCUMENT_END_EVENT:
            end_doc(L);
            break;
        case YAML_MAPPING_START_EVENT:
            if (!L->skip)
                start_collection(L, KA_NODE_MAP, ev.start_mark, ev.data.mapping_start.anchor);
            break;
        case YAML_SEQUENCE_START_EVENT:
            if (!L->skip)
                start_collection(L, KA_NODE_SEQ, ev.start_mark, ev.data.sequence_start.anchor);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (!L->skip)
                finish_collection(L, ev.end_mark);
            break;
        case YAML_SCALAR_EVENT:
            if (!L->skip)
                add_scalar(L, &ev);
            break;
        case YAML_ALIAS_EVENT:
            if (!L->skip)
                add_alias(L, &ev);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    L->nfr = 0;
    L->nkids = 0;
    return ok;
}

/* Undo a run that gave up: its documents and diagnostics go (its nodes stay
 * in the arena until the file is freed). */
static void undo_run(loader *L, size_t ndocs, size_t ndiags)
{
    drop_frames(L);
    L->in_doc = L->skip = false;
    free_anchors(L);
    L->ndocs = ndocs;
    ka_diags_truncate(L->d, ndiags);
}

/* Start of the line after the one containing data[i] (or n). */
static size_t next_line(const char *data, size_t n, size_t i)
{
    const char *nl = memchr(data + i, '\n', n - i);
    return nl ? (size_t)(nl - data) + 1 : n;
}

static bool is_marker(const char *data, size_t n, size_t i)
{
    if (n - i < 3 || data[i] != '-' || data[i + 1] != '-' || data[i + 2] != '-')
        return false;
    if (n - i == 3)
        return true;
    char c = data[i + 3];
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Hand the pages before `to` back to the kernel when the input is mapped:
 * everything before it is parsed and copied. *done is how far that has been
 * done (page-aligned); it moves in steps of 1 MiB or more, so that small
 * documents, which rarely cover a page of their own, do not cost a system
 * call each and are still released. */
static void release_pages(const char *base, bool mapped, size_t *done, size_t to)
{
    if (!mapped)
        return;
    long pg = sysconf(_SC_PAGESIZE);
    size_t ps = pg > 0 ? (size_t)pg : 4096;
    size_t b = to / ps * ps;
    if (b > *done && b - *done >= ((size_t)1 << 20)) {
        madvise((void *)(base + *done), b - *done, MADV_DONTNEED);
        *done = b;
    }
}

/* End of the segment starting at pos: the next marker line that is not its
 * first line. *lines: how many lines it has. */
static size_t segment_end(const char *data, size_t n, size_t pos, uint32_t *lines)
{
    size_t i = next_line(data, n, pos);
    uint32_t k = 1;
    while (i < n && !is_marker(data, n, i)) {
        i = next_line(data, n, i);
        k++;
    }
    *lines = k;
    return i;
}

#define RUN_BYTES ((size_t)256 << 10)

/* A stretch of the input parsed as one: a run of whole documents (nseg of
 * them, at most RUN_BYTES unless a single document is larger), or one
 * document over the size limit. */
typedef struct unit {
    size_t start, end;
    uint32_t line0, lines, nseg;
    bool oversized;
} unit;

/* Cuts the input into units, in order. */
static unit *plan_units(const char *data, size_t n, bool wide, const ka_limits *lim, size_t *nout)
{
    unit *u = NULL;
    size_t nu = 0, cap = 0, pos = 0;
    uint32_t line = 0;
    while (pos < n || (pos == 0 && n == 0)) {
        uint32_t seglines = 0;
        size_t end = wide ? n : segment_end(data, n, pos, &seglines);
        unit x = { pos, end, line, seglines, 1, end - pos > lim->max_doc_bytes };
        if (!x.oversized && !wide) {
            while (x.end < n && x.end - pos < RUN_BYTES) {
                uint32_t l2;
                size_t e2 = segment_end(data, n, x.end, &l2);
                if (e2 - x.end > lim->max_doc_bytes)
                    break;
                x.end = e2;
                x.lines += l2;
                x.nseg++;
            }
        }
        if (nu == cap) {
            cap = cap ? cap * 2 : 64;
            u = ka_xrealloc(u, cap * sizeof *u);
        }
        u[nu++] = x;
        line += x.lines;
        pos = x.end;
        if (n == 0)
            break;
    }
    *nout = nu;
    return u;
}

/* Parses one unit: a run at once, or, when the run gives up, each of its
 * documents on its own (never a shorter run again, which could make one
 * error cost the run many times over). */
static void parse_unit(loader *L, const char *data, const unit *u)
{
    if (u->oversized) {
        ka_diag_add(L->d, KA_DIAG_ERROR, L->path, u->line0 + 1, 1,
                    "document of %zu bytes exceeds the limit of %zu bytes", u->end - u->start,
                    L->lim->max_doc_bytes);
        push_doc(L, (ka_doc){ .root = NULL, .line = u->line0 + 1, .col = 1, .rejected = true });
        return;
    }
    L->seg = data + u->start;
    L->seglen = u->end - u->start;
    L->line0 = u->line0;
    if (u->nseg > 1) {
        size_t ndocs = L->ndocs, ndiags = L->d->n;
        if (parse_segment(L, true))
            return;
        undo_run(L, ndocs, ndiags);
        size_t pos = u->start;
        uint32_t line = u->line0;
        while (pos < u->end) {
            uint32_t lines;
            size_t end = segment_end(data, u->end, pos, &lines);
            L->seg = data + pos;
            L->seglen = end - pos;
            L->line0 = line;
            parse_segment(L, false);
            line += lines;
            pos = end;
        }
        return;
    }
    parse_segment(L, false);
}

static void loader_init(loader *L, ka_arena *a, const char *path, const ka_limits *lim,
                        ka_diags *d, size_t n)
{
    memset(L, 0, sizeof *L);
    L->arena = a;
    L->path = path;
    L->lim = lim;
    L->d = d;
    L->islots = 256; /* about one slot per 16 bytes of input, within bounds */
    while (L->islots < INTERN_SLOTS && L->islots * 16 < n)
        L->islots *= 2;
}

static void loader_done(loader *L)
{
    free(L->fr);
    free(L->kids);
    free_anchors(L);
    free(L->an);
    free(L->itab);
}

/* A share of the units: its own loader, arena and diagnostics, merged in
 * input order afterwards, so the result is the one a single thread gives. */
typedef struct job {
    loader L;
    ka_diags d;
    const char *data;
    bool mapped;
    const unit *u;
    size_t nu;
} job;

static void run_job(job *j)
{
    size_t released = j->nu ? j->u[0].start : 0;
    long pg = sysconf(_SC_PAGESIZE);
    size_t ps = pg > 0 ? (size_t)pg : 4096;
    released = (released + ps - 1) / ps * ps; /* the page before is another thread's */
    for (size_t i = 0; i < j->nu; i++) {
        parse_unit(&j->L, j->data, &j->u[i]);
        release_pages(j->data, j->mapped, &released, j->u[i].end);
    }
}

static void run_job_at(void *jobs, unsigned thread, size_t i)
{
    (void)thread;
    run_job(&((job *)jobs)[i]);
}

/* Threads for an input of n bytes cut into nu units: only when the input is
 * large enough to repay them (4 MiB and two units a thread). */
static unsigned threads_for(const ka_limits *lim, size_t n, size_t nu)
{
    unsigned t = ka_threads_auto(lim->threads);
    if (n < ((size_t)4 << 20))
        return 1;
    while (t > 1 && nu < (size_t)t * 2)
        t--;
    return t;
}

static void load_all(ka_file *f, const char *data, size_t n, bool mapped, const ka_limits *lim,
                     ka_diags *d)
{
    /* UTF-16/32 input (a BOM other than UTF-8's) cannot be cut by byte scanning. */
    bool wide = n >= 2 && (((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF) ||
                           ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE));
    size_t nu;
    unit *units = plan_units(data, n, wide, lim, &nu);
    unsigned nt = threads_for(lim, n, nu);
    /* with threads, four shares a thread, contiguous, of about n / nj bytes */
    size_t nj = nt == 1 ? 1 : nu < (size_t)nt * 4 ? nu : (size_t)nt * 4;
    job *jobs = ka_xcalloc(nj, sizeof *jobs);
    size_t k = 0;
    for (size_t t = 0; t < nj; t++) {
        job *j = &jobs[t];
        ka_diags_init(&j->d);
        ka_arena *a = t == 0 ? f->arena : ka_arena_new();
        loader_init(&j->L, a, f->src.path, lim, t == 0 ? d : &j->d, n / nj);
        j->data = data;
        j->mapped = mapped;
        j->u = units + k;
        size_t limit = (size_t)((double)n * (double)(t + 1) / (double)nj);
        while (k < nu && (t + 1 == nj || units[k].start < limit))
            k++;
        j->nu = (size_t)(units + k - j->u);
    }
    f->shares = (uint32_t)nj;
    /* taken by the threads as they become free: a slowed thread parses fewer */
    ka_threads_each(nt, nj, run_job_at, jobs);
    free(units);
    /* in input order: documents and diagnostics; the shares' arenas join the
     * file's; the file keeps the vector itself (freed by ka_file_free) */
    loader *L0 = &jobs[0].L;
    size_t ndocs = 0;
    for (size_t t = 0; t < nj; t++)
        ndocs += jobs[t].L.ndocs;
    f->ndocs = ndocs;
    f->docs = ndocs ? ka_xrealloc(L0->docs, ndocs * sizeof(ka_doc)) : NULL;
    if (!ndocs)
        free(L0->docs);
    size_t at = L0->ndocs;
    for (size_t t = 1; t < nj; t++) {
        if (jobs[t].L.ndocs)
            memcpy(f->docs + at, jobs[t].L.docs, jobs[t].L.ndocs * sizeof(ka_doc));
        at += jobs[t].L.ndocs;
        ka_diags_append_move(d, &jobs[t].d);
        ka_arena_absorb(f->arena, jobs[t].L.arena);
        free(jobs[t].L.docs);
        loader_done(&jobs[t].L);
    }
    loader_done(L0);
    free(jobs);
}

static ka_file *file_new(const char *path)
{
    ka_arena *a = ka_arena_new();
    ka_file *f = ka_arena_zalloc(a, sizeof *f);
    f->arena = a;
    f->src.path = ka_arena_strndup(a, path, strlen(path));
    return f;
}

ka_file *ka_load_buffer(const char *path, const char *data, size_t n, const ka_limits *lim,
                        ka_diags *d)
{
    ka_limits def;
    if (!lim) {
        ka_limits_default(&def);
        lim = &def;
    }
    ka_file *f = file_new(path);
    f->bytes = n;
    if (n > lim->max_file_bytes) {
        ka_diag_add(d, KA_DIAG_ERROR, path, 0, 0, "input of %zu bytes exceeds the limit of %zu bytes",
                    n, lim->max_file_bytes);
        return f;
    }
    load_all(f, data, n, false, lim, d);
    return f;
}

/* The whole of fd; size is what fstat said (0 when unknown): a buffer one
 * byte larger sees the end without growing. */
static char *read_fd(int fd, const char *shown, size_t max, size_t size, size_t *outn, ka_diags *d)
{
    size_t cap = size ? size + 1 : 65536, n = 0;
    char *buf = ka_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                ka_diag_add(d, KA_DIAG_ERROR, shown, 0, 0,
                            "input exceeds the limit of %zu bytes", max);
                free(buf);
                return NULL;
            }
            cap *= 2;
            buf = ka_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            ka_diag_add(d, KA_DIAG_ERROR, shown, 0, 0, "cannot read: %s", strerror(errno));
            free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        ka_diag_add(d, KA_DIAG_ERROR, shown, 0, 0, "input of %zu bytes exceeds the limit of %zu bytes",
                    n, max);
        free(buf);
        return NULL;
    }
    *outn = n;
    return buf;
}

ka_file *ka_load_path(const char *path, const ka_limits *lim, ka_diags *d)
{
    ka_limits def;
    if (!lim) {
        ka_limits_default(&def);
        lim = &def;
    }
    bool is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "<stdin>" : path;
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ka_diag_add(d, KA_DIAG_ERROR, shown, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    bool statted = fstat(fd, &st) == 0;
    size_t size = statted && S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0;
    if (statted && S_ISDIR(st.st_mode)) {
        ka_diag_add(d, KA_DIAG_ERROR, shown, 0, 0, "is a directory");
        goto fail;
    }
    if (size > lim->max_file_bytes) {
        ka_diag_add(d, KA_DIAG_ERROR, shown, 0, 0, "input of %zu bytes exceeds the limit of %zu bytes",
                    size, lim->max_file_bytes);
        goto fail;
    }
    /* A large file is mapped (and its pages handed back as it is parsed); a
     * small one is cheaper to read: one copy instead of a mapping, its page
     * faults and its unmapping, which add up over a folder of files. */
    if (size >= ((size_t)1 << 20)) {
        void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            madvise(m, size, MADV_SEQUENTIAL);
            ka_file *f = file_new(shown);
            f->bytes = size;
            load_all(f, m, size, true, lim, d);
            munmap(m, size);
            if (!is_stdin)
                close(fd);
            return f;
        }
    }
    size_t n = 0;
    char *buf = read_fd(fd, shown, lim->max_file_bytes, size, &n, d);
    if (!is_stdin)
        close(fd);
    if (!buf)
        return NULL;
    ka_file *f = file_new(shown);
    f->bytes = n;
    load_all(f, buf, n, false, lim, d);
    free(buf);
    return f;

fail:
    if (!is_stdin)
        close(fd);
    return NULL;
}

void ka_file_free(ka_file *f)
{
    if (f) {
        free(f->docs);
        ka_arena_free(f->arena);
    }
}
