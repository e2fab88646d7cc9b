/*
 * engine.c - the rule table, rule selection, suppression and the run loop.
 */
#define _GNU_SOURCE
#include "rule.h"
#include "../core/hmap.h"
#include "../core/threads.h"
#include "kubearch/rbac.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the table ---------------------------------------------------------- */

#define KA_RULE(id, fn, slug, sev, cat, cl, optin, kinds, summary, desc, hint) \
    { id, slug, sev, cat, cl, optin, kinds, summary, desc, hint, ka_rule_##fn, NULL },
#define KA_SETRULE(id, fn, slug, sev, cat, cl, optin, kinds, summary, desc, hint) \
    { id, slug, sev, cat, cl, optin, kinds, summary, desc, hint, NULL, ka_setrule_##fn },
static const ka_rule rule_table[] = {
#include "rules.def"
};
#undef KA_RULE
#undef KA_SETRULE

#define NRULES (sizeof rule_table / sizeof rule_table[0])

size_t ka_rules_count(void)
{
    return NRULES;
}

const ka_rule *ka_rule_at(size_t i)
{
    return i < NRULES ? &rule_table[i] : NULL;
}

const ka_rule *ka_rule_find(const char *name)
{
    for (size_t i = 0; i < NRULES; i++)
        if (strcasecmp(rule_table[i].id, name) == 0 || strcmp(rule_table[i].slug, name) == 0)
            return &rule_table[i];
    return NULL;
}

const char *ka_severity_name(ka_severity s)
{
    switch (s) {
    case KA_SEV_ERROR: return "error";
    case KA_SEV_WARNING: return "warning";
    default: return "info";
    }
}

int ka_severity_parse(const char *s, ka_severity *out)
{
    if (strcmp(s, "error") == 0)
        *out = KA_SEV_ERROR;
    else if (strcmp(s, "warning") == 0)
        *out = KA_SEV_WARNING;
    else if (strcmp(s, "info") == 0)
        *out = KA_SEV_INFO;
    else
        return -1;
    return 0;
}

int ka_kube_version_parse(const char *s, int *major, int *minor)
{
    if (*s == 'v' || *s == 'V')
        s++;
    char *end;
    long ma = strtol(s, &end, 10);
    if (end == s || *end != '.')
        return -1;
    const char *p = end + 1;
    long mi = strtol(p, &end, 10);
    if (end == p || (*end != '\0' && *end != '.'))
        return -1;
    if (ma < 1 || ma > 9 || mi < 0 || mi > 999)
        return -1;
    *major = (int)ma;
    *minor = (int)mi;
    return 0;
}

/* ---- selection ---------------------------------------------------------- */

/* Does one selection word (id, slug, category, "all") name rule r? */
static bool word_names(const char *w, size_t n, const ka_rule *r)
{
    char tmp[128];
    if (n == 0 || n >= sizeof tmp)
        return false;
    memcpy(tmp, w, n);
    tmp[n] = '\0';
    return strcasecmp(tmp, r->id) == 0 || strcmp(tmp, r->slug) == 0 ||
           strcmp(tmp, r->category) == 0 || strcmp(tmp, "all") == 0 || strcmp(tmp, "*") == 0;
}

static bool word_known(const char *w, size_t n)
{
    for (size_t i = 0; i < NRULES; i++)
        if (word_names(w, n, &rule_table[i]))
            return true;
    return false;
}

/* Apply a comma list: set enabled[i] = val for every rule it names. */
static int apply_list(const char *list, bool *enabled, bool val, const char *what, char *err,
                      size_t errn)
{
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ',' && *q != ' ')
            q++;
        size_t n = (size_t)(q - p);
        if (n) {
            if (!word_known(p, n)) {
                snprintf(err, errn, "%s: unknown rule, slug or category \"%.*s\" (see `kubearch rules`)",
                         what, (int)n, p);
                return -1;
            }
            for (size_t i = 0; i < NRULES; i++)
                if (word_names(p, n, &rule_table[i]))
                    enabled[i] = val;
        }
        p = q;
    }
    return 0;
}

static int apply_vec(char *const *v, bool *enabled, bool val, const char *what, char *err,
                     size_t errn)
{
    for (; v && *v; v++)
        if (apply_list(*v, enabled, val, what, err, errn) < 0)
            return -1;
    return 0;
}

int ka_check_select(const ka_check_opts *o, bool *enabled, char *err, size_t errn)
{
    /* --rules replaces the default set and the configuration's selection;
     * --enable and --disable still adjust it. */
    if (o->only) {
        for (size_t i = 0; i < NRULES; i++)
            enabled[i] = false;
        if (apply_list(o->only, enabled, true, "--rules", err, errn) < 0)
            return -1;
    } else {
        for (size_t i = 0; i < NRULES; i++)
            enabled[i] = !rule_table[i].optin || o->enable_all;
    }
    if (o->scorecard)
        for (size_t i = 0; i < NRULES; i++)
            if (strcmp(rule_table[i].category, "cluster") == 0)
                enabled[i] = true;
    const ka_config *c = o->config;
    if (c && !o->only) {
        if (apply_vec(c->enable, enabled, true, c->path, err, errn) < 0 ||
            apply_vec(c->disable, enabled, false, c->path, err, errn) < 0)
            return -1;
    }
    if (o->enable && apply_list(o->enable, enabled, true, "--enable", err, errn) < 0)
        return -1;
    if (o->disable && apply_list(o->disable, enabled, false, "--disable", err, errn) < 0)
        return -1;
    return 0;
}

/* ---- suppression -------------------------------------------------------- */

/* Does an ignore annotation value ("RES-001, SEC-005" or "all") cover rule r? */
static bool ignore_covers(ka_str v, const ka_rule *r)
{
    size_t i = 0;
    while (i < v.n) {
        while (i < v.n && (v.p[i] == ',' || isspace((unsigned char)v.p[i])))
            i++;
        size_t j = i;
        while (j < v.n && v.p[j] != ',' && !isspace((unsigned char)v.p[j]))
            j++;
        if (j > i && word_names(v.p + i, j - i, r))
            return true;
        i = j;
    }
    return false;
}

static bool annotation_ignores(const ka_ctx *ctx, const ka_object *o)
{
    ka_str key = KA_STR("kubearch.io/ignore"), v;
    if (ka_labels_get(&o->annotations, key, &v) && ignore_covers(v, ctx->rule))
        return true;
    if (o->pod && ka_labels_get(&o->pod->annotations, key, &v) && ignore_covers(v, ctx->rule))
        return true;
    return false;
}

static bool glob_ok(const char *glob, ka_str s)
{
    if (!glob)
        return true;
    char tmp[512];
    size_t n = s.n < sizeof tmp - 1 ? s.n : sizeof tmp - 1;
    memcpy(tmp, s.p, n);
    tmp[n] = '\0';
    return fnmatch(glob, tmp, 0) == 0;
}

static bool exempted(const ka_ctx *ctx, const ka_object *o, const ka_container *c)
{
    const ka_config *cfg = ctx->opts->config;
    if (!cfg)
        return false;
    for (size_t i = 0; i < cfg->nexemptions; i++) {
        const ka_exemption *e = &cfg->exemptions[i];
        if (e->rules) {
            bool hit = false;
            for (char **w = e->rules; *w && !hit; w++)
                hit = word_names(*w, strlen(*w), ctx->rule);
            if (!hit)
                continue;
        }
        if (!o)
            continue;
        if (glob_ok(e->namespace_glob, o->ns) && glob_ok(e->kind_glob, o->kind) &&
            glob_ok(e->name_glob, o->name) &&
            (!e->container_glob || (c && glob_ok(e->container_glob, c->name))))
            return true;
    }
    return false;
}

/* ---- reporting ---------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static void add_finding(ka_ctx *ctx, ka_severity sev, const ka_object *o, const ka_node *at,
                        const ka_container *c, const char *fmt, va_list ap)
{
    ka_results *r = ctx->res;
    if (o && ((!ctx->opts->no_ignore_annotations && annotation_ignores(ctx, o)) ||
              exempted(ctx, o, c))) {
        r->suppressed++;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->v = ka_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    /* A format without conversions is the message itself: a literal, so it
     * outlives the results (the Makefile makes the rules' formats literals).
     * Others are formatted whole (no fixed buffer that could cut a UTF-8
     * sequence): on the stack when they fit, as nearly every one does. */
    char tmp[512];
    const char *text = fmt;
    int len = -1;
    ka_buf msg;
    ka_buf_init(&msg);
    if (strchr(fmt, '%')) {
        va_list ap2;
        va_copy(ap2, ap);
        len = vsnprintf(tmp, sizeof tmp, fmt, ap);
        text = tmp;
        if (len < 0) {
            text = "";
            len = 0;
        } else if ((size_t)len >= sizeof tmp) {
            ka_buf_vprintf(&msg, fmt, ap2);
            text = msg.p;
            len = (int)msg.n;
        }
        va_end(ap2);
    }
    ka_finding *f = &r->v[r->n++];
    memset(f, 0, sizeof *f);
    f->rule = ctx->rule;
    f->rule_rank = ctx->rule_rank[ctx->rule - rule_table];
    f->severity = sev;
    f->obj = o;
    if (!at && o)
        at = o->root;
    if (o) {
        f->path = o->file->src.path;
        f->kind = o->kind;
        f->ns = o->ns;
        f->name = o->name;
    } else {
        /* a set-level finding: empty strings, never NULL, for the writers */
        f->path = "";
        f->kind = f->ns = f->name = (ka_str){ "", 0 };
    }
    f->container = (ka_str){ "", 0 };
    if (at) {
        f->line = at->line;
        f->col = at->col;
    }
    if (c)
        f->container = c->name;
    f->message = len < 0 ? text : ka_arena_strndup(r->arena, text, (size_t)len);
    ka_buf_free(&msg);
    f->hint = ctx->rule->hint;
    r->count[sev]++;
}

/* Severity overrides from the configuration apply to the rule's default
 * severity; a rule that reports with its own severity (UPG-002 deprecated vs
 * removed) keeps it unless overridden. */
static ka_severity effective(const ka_ctx *ctx, ka_severity asked)
{
    const ka_config *c = ctx->opts->config;
    if (c)
        for (size_t i = 0; i < c->nsev; i++)
            if (c->sev_rule[i] == ctx->rule)
                return c->sev_value[i];
    return asked;
}

void ka_report(ka_ctx *ctx, const ka_object *o, const ka_node *at, const ka_container *c,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_finding(ctx, ctx->severity, o, at, c, fmt, ap);
    va_end(ap);
}

void ka_report_sev(ka_ctx *ctx, ka_severity sev, const ka_object *o, const ka_node *at,
                   const ka_container *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_finding(ctx, effective(ctx, sev), o, at, c, fmt, ap);
    va_end(ap);
}

/* One "Kind/ns/name" (or "Kind/name") glob against an object reference. */
static bool assumed_one(const char *pat, size_t n, const char *kind, ka_str ns, ka_str name)
{
    char want[512], got[512];
    if (n >= sizeof want)
        return false;
    memcpy(want, pat, n);
    want[n] = '\0';
    if (ns.n)
        snprintf(got, sizeof got, "%s/%.*s/%.*s", kind, (int)ns.n, ns.p, (int)name.n, name.p);
    else
        snprintf(got, sizeof got, "%s/%.*s", kind, (int)name.n, name.p);
    return fnmatch(want, got, 0) == 0;
}

static bool assumed_in(const char *list, const char *kind, ka_str ns, ka_str name)
{
    const char *p = list;
    while (p && *p) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ',' && *q != ' ')
            q++;
        if (q > p && assumed_one(p, (size_t)(q - p), kind, ns, name))
            return true;
        p = q;
    }
    return false;
}

bool ka_present(const ka_ctx *ctx, const char *kind, ka_str ns, ka_str name)
{
    if (ka_objset_find(ctx->set, kind, ns, name))
        return true;
    if (ctx->opts->assume_present && assumed_in(ctx->opts->assume_present, kind, ns, name))
        return true;
    const ka_config *c = ctx->opts->config;
    for (char **v = c ? c->assume_present : NULL; v && *v; v++)
        if (assumed_in(*v, kind, ns, name))
            return true;
    return false;
}

void *ka_ctx_once(ka_ctx *ctx, ka_once *o, void *(*build)(ka_ctx *ctx))
{
    void *p = atomic_load_explicit(&o->p, memory_order_acquire);
    if (p)
        return p;
    pthread_mutex_lock(&o->lock);
    p = atomic_load_explicit(&o->p, memory_order_relaxed);
    if (!p) {
        p = build(ctx);
        atomic_store_explicit(&o->p, p, memory_order_release);
    }
    pthread_mutex_unlock(&o->lock);
    return p;
}

static void once_init(ka_once *o)
{
    atomic_init(&o->p, NULL);
    pthread_mutex_init(&o->lock, NULL);
}

/* What o held (NULL when never built); o is done with. */
static void *once_done(ka_once *o)
{
    pthread_mutex_destroy(&o->lock);
    return atomic_load(&o->p);
}

static void *build_rbac(ka_ctx *ctx)
{
    return ka_rbac_build(ctx->set, NULL);
}

ka_rbac *ka_ctx_rbac(ka_ctx *ctx)
{
    return ka_ctx_once(ctx, &ctx->run->rbac, build_rbac);
}

static void *build_ix_service(ka_ctx *ctx)
{
    return ka_selindex_new(ctx->set, "Service", ka_selector_of_service);
}

static void *build_ix_pdb(ka_ctx *ctx)
{
    return ka_selindex_new(ctx->set, "PodDisruptionBudget", ka_selector_of_pdb);
}

static void *build_ix_netpol(ka_ctx *ctx)
{
    return ka_selindex_new(ctx->set, "NetworkPolicy", ka_selector_of_netpol);
}

const ka_selindex *ka_ctx_selindex(ka_ctx *ctx, int which)
{
    static void *(*const build[KA_IX_COUNT])(ka_ctx *) = {
        [KA_IX_SERVICE] = build_ix_service,
        [KA_IX_PDB] = build_ix_pdb,
        [KA_IX_NETPOL] = build_ix_netpol,
    };
    return ka_ctx_once(ctx, &ctx->run->ix[which], build[which]);
}

ka_objlist ka_ctx_selmatch(ka_ctx *ctx, int which, ka_str ns, const ka_labels *labels)
{
    return ka_selindex_match_q(ka_ctx_selindex(ctx, which), &ctx->q[which], ns, labels);
}

const char *ka_cl_status_name(ka_cl_status s)
{
    switch (s) {
    case KA_CL_PASS: return "pass";
    case KA_CL_PARTIAL: return "partial";
    case KA_CL_FAIL: return "fail";
    default: return "not-evidenced";
    }
}

void ka_scorecard(ka_ctx *ctx, ka_cl_status st, const ka_object *const *evidence, size_t n,
                  const char *fmt, ...)
{
    ka_results *r = ctx->res;
    r->scorecard = ka_xrealloc(r->scorecard, (r->nscorecard + 1) * sizeof *r->scorecard);
    ka_scorecard_item *it = &r->scorecard[r->nscorecard++];
    it->rule = ctx->rule;
    it->status = st;
    ka_buf b;
    ka_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ka_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    it->detail = ka_arena_strndup(r->arena, b.p ? b.p : "", b.n);
    it->nevidence = n;
    it->evidence = n ? ka_arena_alloc(r->arena, n * sizeof *it->evidence) : NULL;
    for (size_t i = 0; i < n; i++) {
        ka_buf_reset(&b);
        ka_object_ref(evidence[i], &b);
        it->evidence[i] = ka_arena_strndup(r->arena, b.p, b.n);
    }
    ka_buf_free(&b);
    if (st == KA_CL_FAIL || st == KA_CL_PARTIAL) {
        const ka_object *at = n ? evidence[0] : NULL;
        ka_report_sev(ctx, st == KA_CL_FAIL ? ctx->severity : KA_SEV_INFO, at, NULL, NULL, "%s: %s",
                      ka_cl_status_name(st), it->detail);
    }
}

const ka_node *ka_pod_spec_key(const ka_object *o)
{
    const ka_node *holder;
    if (ka_kind_is(o, "Pod"))
        holder = o->root;
    else if (ka_kind_is(o, "CronJob"))
        holder = ka_path(o->spec, "jobTemplate", "spec", "template", NULL);
    else
        holder = ka_path(o->spec, "template", NULL);
    const ka_node *k = ka_get_key(holder, "spec");
    return k ? k : (o->pod ? o->pod->spec : NULL);
}

/* ---- the run ------------------------------------------------------------ */

static bool kinds_match(const char *kinds, ka_str kind)
{
    if (kinds[0] == '*' && kinds[1] == '\0')
        return true;
    const char *p = kinds;
    while (*p) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n == kind.n && memcmp(p, kind.p, n) == 0)
            return true;
        if (!q)
            break;
        p = q + 1;
    }
    return false;
}

/* Rules that apply to one kind, computed once per distinct kind. */
typedef struct kind_rules {
    size_t n;
    uint16_t idx[];
} kind_rules;

static kind_rules *rules_for_kind(ka_hmap *cache, const bool *enabled, ka_str kind)
{
    void **slot = ka_hmap_slot(cache, kind);
    if (*slot)
        return *slot;
    kind_rules *kr = ka_xmalloc(sizeof *kr + NRULES * sizeof(uint16_t));
    kr->n = 0;
    for (size_t i = 0; i < NRULES; i++)
        if (enabled[i] && rule_table[i].check && kinds_match(rule_table[i].kinds, kind))
            kr->idx[kr->n++] = (uint16_t)i;
    *slot = kr;
    return kr;
}

static int cmp_findings(const void *pa, const void *pb)
{
    const ka_finding *a = pa, *b = pb;
    if (a->file_index != b->file_index)
        return a->file_index < b->file_index ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    if (a->rule_rank != b->rule_rank)
        return a->rule_rank < b->rule_rank ? -1 : 1;
    int r = ka_str_cmp(a->container, b->container);
    if (r)
        return r;
    if ((r = strcmp(a->message, b->message)) != 0)
        return r;
    /* a total order: the threads' findings merge the same way every run */
    if (a->severity != b->severity)
        return a->severity < b->severity ? -1 : 1;
    size_t ia = a->obj ? a->obj->index : SIZE_MAX, ib = b->obj ? b->obj->index : SIZE_MAX;
    return ia < ib ? -1 : ia > ib;
}

static int cmp_rule_ids(const void *pa, const void *pb)
{
    const ka_rule *a = &rule_table[*(const uint32_t *)pa], *b = &rule_table[*(const uint32_t *)pb];
    return strcmp(a->id, b->id);
}

/* Each rule's place in id order: findings at one position sort by it. */
static uint32_t *rule_ranks(void)
{
    uint32_t *order = ka_xmalloc(NRULES * sizeof *order), *rank = ka_xmalloc(NRULES * sizeof *rank);
    for (uint32_t i = 0; i < NRULES; i++)
        order[i] = i;
    qsort(order, NRULES, sizeof *order, cmp_rule_ids);
    for (uint32_t i = 0; i < NRULES; i++)
        rank[order[i]] = i;
    free(order);
    return rank;
}

static void set_rule(ka_ctx *ctx, size_t i)
{
    ctx->rule = &rule_table[i];
    ctx->severity = effective(ctx, rule_table[i].severity);
}

/* ---- threads -------------------------------------------------------------
 * The rules are shared out among the threads as one list of work items: the
 * set-rule tasks, longest first, then the objects in chunks for the
 * per-object rules. A thread keeps its own findings; they are merged and
 * sorted at the end, so the output does not depend on the number of threads. */

/* A set-rule task: rules run in table order on one thread. The network and
 * rbac categories are one task each (they complete and query models that
 * are not safe to share, rule.h); every other set rule is a task of its own. */
typedef struct task {
    size_t n;
    uint16_t idx[NRULES];
    bool network;
} task;

typedef struct pool {
    const bool *enabled;
    task *tasks;
    size_t ntasks;
    size_t nobj, chunk, nchunks;
    atomic_size_t chunks_done;
    /* The NetworkPolicy model is a good part of the peak memory on a large
     * input: it goes as soon as both the network task and the per-object
     * rules (NET-015 reads the compiled policies) are done. */
    atomic_int net_holds;
} pool;

typedef struct worker {
    ka_ctx ctx;
    ka_results part;
    ka_arena *kinds_arena;
    ka_hmap kinds; /* kind -> kind_rules, this thread's */
    pool *pool;
} worker;

static void release_netcache(worker *w)
{
    if (atomic_fetch_sub(&w->pool->net_holds, 1) == 1)
        ka_netcache_free(w->ctx.run);
}

static void run_chunk(worker *w, size_t c)
{
    pool *p = w->pool;
    size_t end = (c + 1) * p->chunk < p->nobj ? (c + 1) * p->chunk : p->nobj;
    for (size_t k = c * p->chunk; k < end; k++) {
        const ka_object *obj = ka_objset_at(w->ctx.set, k);
        kind_rules *kr = rules_for_kind(&w->kinds, p->enabled, obj->kind);
        for (size_t j = 0; j < kr->n; j++) {
            set_rule(&w->ctx, kr->idx[j]);
            w->ctx.rule->check(&w->ctx, obj);
        }
    }
    if (atomic_fetch_add(&p->chunks_done, 1) + 1 == p->nchunks)
        release_netcache(w);
}

static void run_task(worker *w, const task *t)
{
    for (size_t j = 0; j < t->n; j++) {
        set_rule(&w->ctx, t->idx[j]);
        w->ctx.rule->check_set(&w->ctx, w->ctx.set);
    }
    if (t->network)
        release_netcache(w);
}

static void sort_findings(ka_results *r)
{
    /* file order: the set's file list is input order */
    for (size_t i = 0; i < r->n; i++) {
        ka_finding *f = &r->v[i];
        f->file_index = f->obj ? f->obj->file->index : UINT32_MAX;
    }
    if (r->n > 1)
        qsort(r->v, r->n, sizeof *r->v, cmp_findings);
}

/* Work item i: the set-rule tasks, then the chunks of objects. */
static void work(void *workers, unsigned thread, size_t i)
{
    worker *w = &((worker *)workers)[thread];
    if (i < w->pool->ntasks)
        run_task(w, &w->pool->tasks[i]);
    else
        run_chunk(w, i - w->pool->ntasks);
}

static void sort_part(void *workers, unsigned thread)
{
    sort_findings(&((worker *)workers)[thread].part); /* merged in order afterwards */
}

/* The set-rule tasks, the longest first: network, then rbac, then the rest
 * in table order. */
static size_t plan_tasks(const bool *enabled, task *tasks)
{
    size_t n = 2;
    tasks[0] = (task){ .n = 0, .network = true };  /* always there: it releases the model */
    tasks[1] = (task){ .n = 0, .network = false };
    for (size_t i = 0; i < NRULES; i++) {
        if (!enabled[i] || !rule_table[i].check_set)
            continue;
        task *t;
        if (strcmp(rule_table[i].category, "network") == 0)
            t = &tasks[0];
        else if (strcmp(rule_table[i].category, "rbac") == 0)
            t = &tasks[1];
        else {
            t = &tasks[n++];
            *t = (task){ .n = 0, .network = false };
        }
        t->idx[t->n++] = (uint16_t)i;
    }
    /* drop the rbac group when it is empty */
    if (!tasks[1].n) {
        memmove(&tasks[1], &tasks[2], (n - 2) * sizeof *tasks);
        n--;
    }
    return n;
}

/* Threads for a run over nobj objects: as asked, or one per CPU (at most 8)
 * when the input is large enough to repay them. */
static unsigned threads_for(unsigned asked, size_t nobj)
{
    return asked || nobj >= 1024 ? ka_threads_auto(asked) : 1;
}

/* The threads' results into r: findings merged in order (each thread's are
 * sorted), scorecard items and counts added up, arenas taken over. */
static void merge_parts(ka_results *r, worker *w, unsigned nt)
{
    size_t total = 0;
    for (unsigned i = 0; i < nt; i++)
        total += w[i].part.n;
    if (nt == 1) {
        r->v = w[0].part.v;
        r->n = w[0].part.n;
        r->cap = w[0].part.cap;
        w[0].part.v = NULL;
    } else if (total) {
        r->v = ka_xmalloc(total * sizeof *r->v);
        r->cap = total;
        size_t *at = ka_xcalloc(nt, sizeof *at);
        while (r->n < total) {
            unsigned best = nt;
            for (unsigned i = 0; i < nt; i++)
                if (at[i] < w[i].part.n &&
                    (best == nt || cmp_findings(&w[i].part.v[at[i]], &w[best].part.v[at[best]]) < 0))
                    best = i;
            r->v[r->n++] = w[best].part.v[at[best]++];
        }
        free(at);
    }
    for (unsigned i = 0; i < nt; i++) {
        ka_results *part = &w[i].part;
        if (part->nscorecard) {
            r->scorecard = ka_xrealloc(r->scorecard, (r->nscorecard + part->nscorecard) * sizeof *r->scorecard);
            memcpy(r->scorecard + r->nscorecard, part->scorecard, part->nscorecard * sizeof *part->scorecard);
            r->nscorecard += part->nscorecard;
        }
        for (int k = 0; k < 3; k++)
            r->count[k] += part->count[k];
        r->suppressed += part->suppressed;
        ka_arena_absorb(r->arena, part->arena);
        free(part->v);
        free(part->scorecard);
    }
}

static int cmp_scorecard(const void *pa, const void *pb)
{
    const ka_scorecard_item *a = pa, *b = pb;
    return a->rule < b->rule ? -1 : a->rule > b->rule;
}

int ka_check_run(const ka_objset *s, const ka_check_opts *o, ka_results *r, char *err, size_t errn)
{
    memset(r, 0, sizeof *r);
    r->enabled = ka_xcalloc(NRULES, sizeof(bool));
    r->arena = ka_arena_new();
    if (ka_check_select(o, r->enabled, err, errn) < 0)
        return -1;
    ka_run run;
    for (int k = 0; k < KA_IX_COUNT; k++)
        once_init(&run.ix[k]);
    once_init(&run.lr);
    once_init(&run.netpol);
    once_init(&run.rbac);
    run.netmodel = false;
    uint32_t *ranks = rule_ranks();
    size_t nobj = ka_objset_count(s);

    pool p;
    memset(&p, 0, sizeof p);
    p.enabled = r->enabled;
    p.nobj = nobj;
    p.tasks = ka_xmalloc((NRULES + 2) * sizeof *p.tasks);
    p.ntasks = plan_tasks(r->enabled, p.tasks);
    unsigned nt = threads_for(o->threads, nobj);
    /* chunks small enough to even out the threads, large enough to keep
     * each thread on neighbouring objects */
    p.chunk = nobj / ((size_t)nt * 16);
    p.chunk = p.chunk < 16 ? 16 : p.chunk > 1024 ? 1024 : p.chunk;
    p.nchunks = (nobj + p.chunk - 1) / p.chunk;
    atomic_init(&p.chunks_done, 0);
    atomic_init(&p.net_holds, p.nchunks ? 2 : 1);

    worker *w = ka_xcalloc(nt, sizeof *w);
    for (unsigned i = 0; i < nt; i++) {
        ka_ctx *ctx = &w[i].ctx;
        ctx->set = s;
        ctx->opts = o;
        ctx->res = &w[i].part;
        ctx->kube_major = o->kube_major ? o->kube_major : KA_KUBE_DEFAULT_MAJOR;
        ctx->kube_minor = o->kube_major ? o->kube_minor : KA_KUBE_DEFAULT_MINOR;
        ctx->run = &run;
        ctx->rule_rank = ranks;
        w[i].part.arena = ka_arena_new();
        w[i].kinds_arena = ka_arena_new();
        ka_hmap_init(&w[i].kinds, w[i].kinds_arena);
        w[i].pool = &p;
    }
    /* work is pulled as threads become free, so a thread that cannot be
     * started only means fewer hands */
    ka_threads_each(nt, p.ntasks + p.nchunks, work, w);
    ka_threads_run(nt, sort_part, w);

    merge_parts(r, w, nt);
    for (unsigned i = 0; i < nt; i++) {
        for (int k = 0; k < KA_IX_COUNT; k++)
            ka_selquery_free(&w[i].ctx.q[k]);
        for (size_t k = 0; k < w[i].kinds.cap; k++)
            if (w[i].kinds.e[k].key.p)
                free(w[i].kinds.e[k].val);
        ka_hmap_free(&w[i].kinds);
        ka_arena_free(w[i].kinds_arena);
    }
    free(w);
    free(p.tasks);
    free(ranks);
    for (int k = 0; k < KA_IX_COUNT; k++)
        ka_selindex_free(once_done(&run.ix[k]));
    ka_rbac_free(once_done(&run.rbac));
    ka_lrcache_free(once_done(&run.lr));
    ka_netcache_free(&run);
    once_done(&run.netpol);

    if (r->nscorecard > 1)
        qsort(r->scorecard, r->nscorecard, sizeof *r->scorecard, cmp_scorecard);
    r->objects = nobj;
    r->files = ka_objset_nfiles(s);
    return 0;
}

void ka_results_free(ka_results *r)
{
    free(r->scorecard);
    free(r->v);
    free(r->enabled);
    ka_arena_free(r->arena);
    memset(r, 0, sizeof *r);
}
