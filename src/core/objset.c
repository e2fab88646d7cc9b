/*
 * objset.c - turning loaded documents into objects, walking directories,
 * and the indexes every analysis queries.
 */
#define _GNU_SOURCE
#include "kubearch/object.h"
#include "hmap.h"
#include "threads.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Objects by kind, namespace and name: an open-addressing table of the
 * objects themselves, compared through their fields, so no key is built or
 * copied (every object is in it). */
typedef struct name_ent {
    uint64_t hash;
    const ka_object *o;
} name_ent;

typedef struct name_map {
    name_ent *e;
    size_t cap; /* a power of two, at least twice the objects */
} name_map;

static uint64_t name_hash(ka_str kind, ka_str ns, ka_str name)
{
    uint64_t h = ka_hash(kind.p, kind.n);
    h = (h ^ ka_hash(ns.p, ns.n)) * 0x9E3779B97F4A7C15ull;
    h = (h ^ ka_hash(name.p, name.n)) * 0xC2B2AE3D27D4EB4Full;
    return h ^ (h >> 31);
}

static void names_free(name_map *m)
{
    free(m->e);
    m->e = NULL;
    m->cap = 0;
}

/* A later object of the same kind, namespace and name replaces an earlier one. */
static void names_build(name_map *m, ka_object *const *objs, size_t n)
{
    names_free(m);
    m->cap = 16;
    while (m->cap < n * 2)
        m->cap *= 2;
    m->e = ka_xcalloc(m->cap, sizeof *m->e);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = objs[i];
        uint64_t h = name_hash(o->kind, o->ns, o->name);
        size_t j = (size_t)h & (m->cap - 1);
        for (; m->e[j].o; j = (j + 1) & (m->cap - 1))
            if (m->e[j].hash == h && ka_str_eq(m->e[j].o->kind, o->kind) &&
                ka_str_eq(m->e[j].o->ns, o->ns) && ka_str_eq(m->e[j].o->name, o->name))
                break;
        m->e[j] = (name_ent){ h, o };
    }
}

static const ka_object *names_find(const name_map *m, ka_str kind, ka_str ns, ka_str name)
{
    if (!m->cap)
        return NULL;
    uint64_t h = name_hash(kind, ns, name);
    for (size_t j = (size_t)h & (m->cap - 1); m->e[j].o; j = (j + 1) & (m->cap - 1)) {
        const ka_object *o = m->e[j].o;
        if (m->e[j].hash == h && ka_str_eq(o->kind, kind) && ka_str_eq(o->ns, ns) &&
            ka_str_eq(o->name, name))
            return o;
    }
    return NULL;
}

struct ka_objset {
    ka_limits lim;
    ka_arena *arena;     /* objects, index keys */
    ka_file **files;
    size_t nfiles, capfiles;
    ka_object **objs;
    size_t nobjs, capobjs;
    bool indexed;
    ka_hmap by_kind;     /* kind -> ka_ptrvec* */
    name_map by_name;    /* (kind, ns, name) -> object */
    ka_hmap by_label;    /* ns \0 key \0 val -> ka_ptrvec* */
    ka_hmap by_podlabel; /* ns \0 key \0 val -> ka_ptrvec* */
    ka_hmap by_ns;       /* ns -> ka_ptrvec* */
    ka_hmap pods_by_ns;  /* ns -> ka_ptrvec* */
    ka_hmap crd_scope;   /* group \0 kind -> (void*)scope */
    ka_hmap scalers;     /* ns \0 target kind \0 target name -> ka_ptrvec* */
    ka_buf key;
    ka_arena *arena2;    /* keys of by_label and by_podlabel (built on a thread of their own) */
};

ka_objset *ka_objset_new(const ka_limits *lim)
{
    ka_objset *s = ka_xcalloc(1, sizeof *s);
    if (lim)
        s->lim = *lim;
    else
        ka_limits_default(&s->lim);
    s->arena = ka_arena_new();
    ka_hmap_init(&s->by_kind, s->arena);
    s->arena2 = ka_arena_new();
    ka_hmap_init(&s->by_label, s->arena2);
    ka_hmap_init(&s->by_podlabel, s->arena2);
    ka_hmap_init(&s->by_ns, s->arena);
    ka_hmap_init(&s->pods_by_ns, s->arena);
    ka_hmap_init(&s->crd_scope, s->arena);
    ka_hmap_init(&s->scalers, s->arena);
    ka_buf_init(&s->key);
    return s;
}

/* The indexes ka_objset_index builds (the maps stay usable, empty). */
static void free_indexes(ka_objset *s)
{
    ka_hmap_free_vecs(&s->by_kind);
    ka_hmap_free_vecs(&s->by_label);
    ka_hmap_free_vecs(&s->by_podlabel);
    ka_hmap_free_vecs(&s->by_ns);
    ka_hmap_free_vecs(&s->pods_by_ns);
    ka_hmap_free_vecs(&s->scalers);
    names_free(&s->by_name);
}

void ka_objset_free(ka_objset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++)
        ka_file_free(s->files[i]);
    free(s->files);
    free(s->objs);
    free_indexes(s);
    ka_hmap_free(&s->crd_scope);
    ka_buf_free(&s->key);
    ka_arena_free(s->arena);
    ka_arena_free(s->arena2);
    free(s);
}

/* ---- objects -------------------------------------------------------- */

static void split_api_version(ka_object *o)
{
    ka_str av = o->api_version;
    const char *slash = av.n ? memchr(av.p, '/', av.n) : NULL;
    if (slash) {
        o->group = (ka_str){ av.p, (size_t)(slash - av.p) };
        o->version = (ka_str){ slash + 1, av.n - (size_t)(slash - av.p) - 1 };
    } else {
        o->group = (ka_str){ "", 0 };
        o->version = av;
    }
}

static bool is_list_kind(const ka_node *root)
{
    ka_str kind = ka_node_str(ka_get(root, "kind"));
    return kind.n >= 4 && memcmp(kind.p + kind.n - 4, "List", 4) == 0 &&
           ka_is_seq(ka_get(root, "items"));
}

/* Where the objects of a share of a file's documents go: an arena, a
 * vector and diagnostics of their own, so shares can be built on threads. */
typedef struct objsink {
    ka_file *f;
    ka_arena *arena;
    ka_diags *d;
    ka_object **v;
    size_t n, cap;
    size_t from, to; /* the documents */
    ka_diags own;    /* d of the shares after the first */
} objsink;

static void push_obj(objsink *k, ka_object *o)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        k->v = ka_xrealloc(k->v, k->cap * sizeof *k->v);
    }
    k->v[k->n++] = o;
}

static void add_object(objsink *k, const ka_node *root, int depth)
{
    if (!ka_is_map(root)) {
        ka_diag_add(k->d, KA_DIAG_ERROR, k->f->src.path, root->line, root->col,
                    "document is a %s, not a Kubernetes object (a mapping)",
                    root->type == KA_NODE_SEQ ? "sequence" : "scalar");
        return;
    }
    if (depth < 4 && is_list_kind(root)) {
        const ka_node *items = ka_get(root, "items");
        for (uint32_t i = 0; i < ka_node_n(items); i++) {
            const ka_node *it = KA_SEQ_ITEM(items, i);
            if (ka_is_null(it))
                continue;
            add_object(k, it, depth + 1);
        }
        return;
    }
    ka_object *o = ka_arena_zalloc(k->arena, sizeof *o);
    o->file = k->f;
    o->root = root;
    o->api_version = ka_node_str(ka_get(root, "apiVersion"));
    o->kind = ka_node_str(ka_get(root, "kind"));
    split_api_version(o);
    o->meta = ka_get(root, "metadata");
    if (!ka_is_map(o->meta))
        o->meta = NULL;
    o->spec = ka_get(root, "spec");
    o->name = ka_node_str(ka_get(o->meta, "name"));
    o->ns = ka_node_str(ka_get(o->meta, "namespace"));
    o->labels = ka_labels_from_node(k->arena, ka_get(o->meta, "labels"));
    o->annotations = ka_labels_from_node(k->arena, ka_get(o->meta, "annotations"));
    ka_podview_build(k->arena, o);
    push_obj(k, o);
}

static void add_share(void *sinks, unsigned i)
{
    objsink *k = &((objsink *)sinks)[i];
    for (size_t j = k->from; j < k->to; j++) {
        const ka_node *root = k->f->docs[j].root;
        if (!root || ka_is_null(root))
            continue; /* empty, comment-only or rejected */
        add_object(k, root, 0);
    }
}

void ka_objset_add_file(ka_objset *s, ka_file *f, ka_diags *d)
{
    if (s->nfiles == s->capfiles) {
        s->capfiles = s->capfiles ? s->capfiles * 2 : 16;
        s->files = ka_xrealloc(s->files, s->capfiles * sizeof *s->files);
    }
    f->index = (uint32_t)s->nfiles;
    s->files[s->nfiles++] = f;
    /* a file of many documents (the large ones parsed on threads) has its
     * objects built on threads too, in contiguous shares merged in order */
    unsigned nt = f->ndocs >= 4096 ? ka_threads_auto(s->lim.threads) : 1;
    objsink *k = ka_xcalloc(nt, sizeof *k);
    for (unsigned t = 0; t < nt; t++) {
        k[t].f = f;
        k[t].arena = t == 0 ? f->arena : ka_arena_new();
        ka_diags_init(&k[t].own);
        k[t].d = t == 0 ? d : &k[t].own;
        k[t].from = f->ndocs * t / nt;
        k[t].to = f->ndocs * (t + 1) / nt;
    }
    ka_threads_run(nt, add_share, k);
    for (unsigned t = 0; t < nt; t++) {
        if (s->nobjs + k[t].n > s->capobjs) {
            s->capobjs = s->capobjs * 2 > s->nobjs + k[t].n ? s->capobjs * 2 : s->nobjs + k[t].n;
            s->objs = ka_xrealloc(s->objs, s->capobjs * sizeof *s->objs);
        }
        for (size_t j = 0; j < k[t].n; j++) {
            k[t].v[j]->index = (uint32_t)s->nobjs;
            s->objs[s->nobjs++] = k[t].v[j];
        }
        free(k[t].v);
        if (t > 0) {
            ka_diags_append_move(d, &k[t].own);
            ka_arena_absorb(f->arena, k[t].arena);
        }
        ka_diags_free(&k[t].own);
    }
    free(k);
    s->indexed = false;
}

/* ---- directory walking ---------------------------------------------- */

typedef struct dirid {
    dev_t dev;
    ino_t ino;
} dirid;

/* A folder is walked first, into a list of items in the order they are
 * read: a file to load, or what the walk itself had to say. The files are
 * then loaded on threads (each into its own diagnostics) and added to the
 * set in that order, so the result is the one a single thread gives. */
typedef struct walk_item {
    char *path;  /* a file to load; NULL: the walk's own diagnostics */
    size_t size;
    ka_diags d;
    ka_file *f;
    bool loaded;
} walk_item;

typedef struct walk {
    ka_objset *s;
    ka_diags *d;
    dirid *seen;
    size_t nseen, capseen;
    walk_item *items;
    size_t nitems, capitems;
    size_t files;
} walk;

static walk_item *new_item(walk *w, const char *path, size_t size)
{
    if (w->nitems == w->capitems) {
        w->capitems = w->capitems ? w->capitems * 2 : 64;
        w->items = ka_xrealloc(w->items, w->capitems * sizeof *w->items);
    }
    walk_item *it = &w->items[w->nitems++];
    it->path = path ? ka_xstrdup(path) : NULL;
    it->size = size;
    ka_diags_init(&it->d);
    it->f = NULL;
    it->loaded = false;
    return it;
}

/* Where the walk reports: its own item, after whatever came before. */
static ka_diags *walk_diags(walk *w)
{
    if (!w->nitems || w->items[w->nitems - 1].path)
        new_item(w, NULL, 0);
    return &w->items[w->nitems - 1].d;
}

static bool has_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file this large is parsed on threads of its own, after the others. */
#define WALK_LARGE ((size_t)4 << 20)

static void load_item(void *walker, unsigned thread, size_t i)
{
    (void)thread;
    walk *w = walker;
    walk_item *it = &w->items[i];
    if (it->path && it->size < WALK_LARGE) {
        ka_limits lim = w->s->lim;
        lim.threads = 1; /* the threads share out the files */
        it->f = ka_load_path(it->path, &lim, &it->d);
        it->loaded = true;
    }
}

static void load_walked(walk *w)
{
    size_t nfiles = 0;
    for (size_t i = 0; i < w->nitems; i++)
        nfiles += w->items[i].path != NULL;
    unsigned nt = 1;
    if (nfiles >= 2) {
        nt = ka_threads_auto(w->s->lim.threads);
        if (nt > nfiles)
            nt = (unsigned)nfiles;
    }
    ka_threads_each(nt, w->nitems, load_item, w);
    for (size_t i = 0; i < w->nitems; i++) {
        walk_item *it = &w->items[i];
        if (it->path && !it->loaded)
            it->f = ka_load_path(it->path, &w->s->lim, &it->d);
        ka_diags_append_move(w->d, &it->d);
        ka_diags_free(&it->d);
        if (it->f) {
            ka_objset_add_file(w->s, it->f, w->d);
            w->files++;
        }
        free(it->path);
    }
    free(w->items);
}

static void walk_dir(walk *w, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        ka_diag_add(walk_diags(w), KA_DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        return;
    }
    /* A directory reached twice (symlink loop or duplicate link) is read once. */
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino)
            return;
    if (depth > 64) {
        ka_diag_add(walk_diags(w), KA_DIAG_ERROR, path, 0, 0, "directories nested deeper than 64 levels");
        return;
    }
    if (w->nseen == w->capseen) {
        w->capseen = w->capseen ? w->capseen * 2 : 16;
        w->seen = ka_xrealloc(w->seen, w->capseen * sizeof *w->seen);
    }
    w->seen[w->nseen++] = (dirid){ st.st_dev, st.st_ino };
    DIR *dir = opendir(path);
    if (!dir) {
        ka_diag_add(walk_diags(w), KA_DIAG_ERROR, path, 0, 0, "cannot open directory: %s", strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* hidden entries, "." and ".." */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = ka_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = ka_xstrdup(de->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_names); /* deterministic order */
    ka_buf p;
    ka_buf_init(&p);
    for (size_t i = 0; i < n; i++) {
        ka_buf_reset(&p);
        ka_buf_adds(&p, path);
        if (p.n && p.p[p.n - 1] != '/')
            ka_buf_addc(&p, '/');
        ka_buf_adds(&p, names[i]);
        const char *full = ka_buf_cstr(&p);
        struct stat es;
        if (stat(full, &es) != 0) {
            if (lstat(full, &es) == 0 && S_ISLNK(es.st_mode))
                ka_diag_add(walk_diags(w), KA_DIAG_WARNING, full, 0, 0, "skipped: dangling symbolic link");
            else
                ka_diag_add(walk_diags(w), KA_DIAG_ERROR, full, 0, 0, "cannot read: %s", strerror(errno));
        } else if (S_ISDIR(es.st_mode)) {
            char *sub = ka_xstrdup(full);
            walk_dir(w, sub, depth + 1);
            free(sub);
        } else if (S_ISREG(es.st_mode) && has_ext(names[i])) {
            new_item(w, full, (size_t)es.st_size);
        }
        free(names[i]);
    }
    free(names);
    ka_buf_free(&p);
}

size_t ka_objset_load_all(ka_objset *s, const char *const *paths, size_t n, ka_diags *d)
{
    walk w = { .s = s, .d = d };
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        bool is_stdin = strcmp(paths[i], "-") == 0;
        bool ok = !is_stdin && stat(paths[i], &st) == 0;
        if (ok && S_ISDIR(st.st_mode)) {
            w.nseen = 0; /* each named folder is read, even twice */
            walk_dir(&w, paths[i], 0);
        } else {
            /* an explicitly named file is read whatever its extension; stdin
             * may be a whole cluster's dump: it gets the large-file threads */
            new_item(&w, paths[i], is_stdin ? SIZE_MAX : ok && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0);
        }
    }
    load_walked(&w);
    free(w.seen);
    return w.files;
}

size_t ka_objset_load(ka_objset *s, const char *path, ka_diags *d)
{
    return ka_objset_load_all(s, &path, 1, d);
}

/* ---- indexes -------------------------------------------------------- */

static void vec_add(ka_hmap *m, ka_str key, const void *p)
{
    ka_hmap_vec_push(m, key, p);
}

static ka_objlist vec_list(const ka_hmap *m, ka_str key)
{
    ka_ptrlist l = ka_hmap_vec_get(m, key);
    return (ka_objlist){ l.n, (const ka_object *const *)l.v };
}

/* CustomResourceDefinitions in the input declare the scope of their kinds. */
static void learn_crd_scopes(ka_objset *s)
{
    for (size_t i = 0; i < s->nobjs; i++) {
        const ka_object *o = s->objs[i];
        if (!ka_str_eqc(o->kind, "CustomResourceDefinition"))
            continue;
        const ka_node *spec = o->spec;
        ka_str group = ka_node_str(ka_get(spec, "group"));
        ka_str kind = ka_node_str(ka_path(spec, "names", "kind", NULL));
        ka_str scope = ka_node_str(ka_get(spec, "scope"));
        if (!kind.n)
            continue;
        uintptr_t sc = ka_str_eqc(scope, "Cluster") ? KA_SCOPE_CLUSTER : KA_SCOPE_NAMESPACED;
        *ka_hmap_slot(&s->crd_scope, ka_key3(&s->key, group, kind, (ka_str){ "", 0 })) = (void *)sc;
    }
}

/* HPAs and KEDA ScaledObjects by the workload they scale. */
static void index_scaler(ka_objset *s, const ka_object *o)
{
    bool hpa = ka_str_eqc(o->kind, "HorizontalPodAutoscaler");
    bool keda = ka_str_eqc(o->kind, "ScaledObject") && ka_str_eqc(o->group, "keda.sh");
    if (!hpa && !keda)
        return;
    const ka_node *ref = ka_path(o->spec, "scaleTargetRef", NULL);
    ka_str kind = ka_node_str(ka_get(ref, "kind"));
    ka_str name = ka_node_str(ka_get(ref, "name"));
    if (keda && !kind.n)
        kind = (ka_str){ "Deployment", 10 }; /* ScaledObject's default target kind */
    if (name.n)
        vec_add(&s->scalers, ka_key3(&s->key, o->ns, kind, name), o);
}

/* One of the two halves of the indexes (they use different arenas and key
 * buffers, so they are built at once on two threads). */
static void index_half(void *set, unsigned which)
{
    ka_objset *s = set;
    if (which == 1) {
        ka_buf key;
        ka_buf_init(&key);
        names_build(&s->by_name, s->objs, s->nobjs);
        for (size_t i = 0; i < s->nobjs; i++) {
            const ka_object *o = s->objs[i];
            for (size_t j = 0; j < o->labels.n; j++)
                vec_add(&s->by_label, ka_key3(&key, o->ns, o->labels.kv[j].key, o->labels.kv[j].val), o);
            for (size_t j = 0; o->pod && j < o->pod->labels.n; j++)
                vec_add(&s->by_podlabel,
                        ka_key3(&key, o->ns, o->pod->labels.kv[j].key, o->pod->labels.kv[j].val), o);
        }
        ka_buf_free(&key);
        return;
    }
    for (size_t i = 0; i < s->nobjs; i++) {
        const ka_object *o = s->objs[i];
        vec_add(&s->by_kind, o->kind, o);
        vec_add(&s->by_ns, o->ns, o);
        index_scaler(s, o);
        if (o->pod)
            vec_add(&s->pods_by_ns, o->ns, o);
    }
}

void ka_objset_index(ka_objset *s)
{
    if (s->indexed)
        return;
    free_indexes(s);
    learn_crd_scopes(s);
    for (size_t i = 0; i < s->nobjs; i++) {
        ka_object *o = s->objs[i];
        o->scope = ka_kind_scope(o->group, o->kind);
        if (o->scope == KA_SCOPE_UNKNOWN && s->crd_scope.n) {
            void *sc = ka_hmap_get(&s->crd_scope, ka_key3(&s->key, o->group, o->kind, (ka_str){ "", 0 }));
            if (sc)
                o->scope = (ka_scope)(uintptr_t)sc;
        }
        if (o->scope == KA_SCOPE_NAMESPACED && o->ns.n == 0) {
            o->ns = (ka_str){ "default", 7 };
            o->ns_defaulted = true;
        } else if (o->scope == KA_SCOPE_CLUSTER) {
            o->ns = (ka_str){ "", 0 };
        }
    }
    if (s->nobjs >= 4096 && ka_threads_auto(s->lim.threads) > 1) {
        ka_threads_run(2, index_half, s);
    } else {
        index_half(s, 0);
        index_half(s, 1);
    }
    s->indexed = true;
}

size_t ka_objset_count(const ka_objset *s) { return s->nobjs; }
const ka_object *ka_objset_at(const ka_objset *s, size_t i) { return s->objs[i]; }
size_t ka_objset_nfiles(const ka_objset *s) { return s->nfiles; }
const ka_file *ka_objset_file(const ka_objset *s, size_t i) { return s->files[i]; }

ka_objlist ka_objset_by_kind(const ka_objset *s, const char *kind)
{
    return vec_list(&s->by_kind, ka_str_c(kind));
}

/* The entries of key "x\0y\0z" in m. Queries run on several threads at
 * once (the check engine's workers), so the key is built on the stack (the
 * heap for a very long one), never in a shared buffer. */
static ka_objlist list3(const ka_hmap *m, ka_str x, ka_str y, ka_str z)
{
    char small[512];
    size_t n = x.n + y.n + z.n + 2;
    char *p = n <= sizeof small ? small : ka_xmalloc(n);
    memcpy(p, x.p, x.n);
    p[x.n] = '\0';
    memcpy(p + x.n + 1, y.p, y.n);
    p[x.n + 1 + y.n] = '\0';
    memcpy(p + x.n + y.n + 2, z.p, z.n);
    ka_objlist l = vec_list(m, (ka_str){ p, n });
    if (p != small)
        free(p);
    return l;
}

const ka_object *ka_objset_find(const ka_objset *s, const char *kind, ka_str ns, ka_str name)
{
    return names_find(&s->by_name, ka_str_c(kind), ns, name);
}

ka_objlist ka_objset_by_label(const ka_objset *s, ka_str ns, ka_str key, ka_str val)
{
    return list3(&s->by_label, ns, key, val);
}

ka_objlist ka_objset_pods_by_label(const ka_objset *s, ka_str ns, ka_str key, ka_str val)
{
    return list3(&s->by_podlabel, ns, key, val);
}

ka_objlist ka_objset_in_namespace(const ka_objset *s, ka_str ns)
{
    return vec_list(&s->by_ns, ns);
}

ka_objlist ka_objset_pods_in(const ka_objset *s, ka_str ns)
{
    return vec_list(&s->pods_by_ns, ns);
}

ka_objlist ka_objset_scalers(const ka_objset *s, ka_str kind, ka_str ns, ka_str name)
{
    return list3(&s->scalers, ns, kind, name);
}

bool ka_objset_ns_has_kind(const ka_objset *s, ka_str ns, const char *kind)
{
    ka_objlist l = ka_objset_in_namespace(s, ns);
    for (size_t i = 0; i < l.n; i++)
        if (ka_str_eqc(l.v[i]->kind, kind))
            return true;
    return false;
}
