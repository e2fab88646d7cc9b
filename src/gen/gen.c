/*
 * gen.c - the plan of `generate`: runs the emitters over the spec, derives
 * the kustomization.yaml of every directory, and checks the planned units
 * in memory with every rule.
 */
#include "gen_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- plan ------------------------------------------------------------------ */

void yl_add(gctx *g, ylist *l, ynode *doc)
{
    (void)g;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = ka_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = doc;
}

static ka_gen_file *plan_add(gctx *g, const char *unit, const char *path)
{
    ka_gen_plan *p = g->plan;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].path, path) == 0) {
            /* two emitters planned one path: a bug, never user input */
            ka_diag_add(g->d, KA_DIAG_ERROR, path, 0, 0, "internal error: planned twice");
            g->failed = true;
            return NULL;
        }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = ka_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    ka_gen_file *f = &p->v[p->n++];
    memset(f, 0, sizeof *f);
    f->path = ka_xstrdup(path);
    f->unit = ka_xstrdup(unit);
    ka_buf_init(&f->data);
    return f;
}

void g_file(gctx *g, const char *unit, const char *path, ylist *l)
{
    ka_gen_file *f = plan_add(g, unit, path);
    if (f) {
        char err[256];
        if (y_emit(l->v, l->n, &f->data, err, sizeof err) < 0) {
            ka_diag_add(g->d, KA_DIAG_ERROR, path, 0, 0, "%s", err);
            g->failed = true;
        }
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

void g_text(gctx *g, const char *unit, const char *path, ka_buf *text)
{
    ka_gen_file *f = plan_add(g, unit, path);
    if (f)
        f->data = *text;
    else
        ka_buf_free(text);
    ka_buf_init(text);
}

void g_labels(gctx *g, ynode *meta, const char *name, const char *component)
{
    ynode *l = y_get(meta, "labels");
    if (!l)
        l = y_putmap(&g->yb, meta, "labels");
    if (component)
        y_putstr(&g->yb, l, "app.kubernetes.io/component", component);
    y_putstr(&g->yb, l, "app.kubernetes.io/managed-by", KA_MANAGED_BY);
    if (name)
        y_putstr(&g->yb, l, "app.kubernetes.io/name", name);
    y_putstr(&g->yb, l, "app.kubernetes.io/part-of", g->s->name);
}

const char *g_cluster_unit(gctx *g, const ka_spec_cluster *c)
{
    ynode *n = y_strf(&g->yb, "clusters/%s", c->name);
    return n->s;
}

const char *g_capi_ns(gctx *g)
{
    return y_strf(&g->yb, "%s-clusters", g->s->name)->s;
}

/* ---- shared knowledge --------------------------------------------------------- */

bool g_tier_used(const ka_spec *s, const ka_spec_env *e, const char *tier)
{
    for (size_t i = 0; i < s->nworkloads; i++)
        if (s->workloads[i].env == e && strcmp(s->workloads[i].tier, tier) == 0)
            return true;
    return false;
}

bool g_env_public(const ka_spec *s, const ka_spec_env *e)
{
    for (size_t i = 0; i < s->net.ntiers; i++) {
        const ka_spec_tier *t = &s->net.tiers[i];
        if (!g_tier_used(s, e, t->name))
            continue;
        for (size_t f = 0; f < t->nfrom; f++)
            if (strcmp(t->from[f], KA_PEER_INTERNET) == 0)
                return true;
    }
    return false;
}

const char *g_host(gctx *g, const ka_spec_env *e, const ka_spec_workload *w)
{
    return y_strf(&g->yb, "%s.%s.%s", w->name, e->name, g->s->net.domain)->s;
}

const char *g_priority_class(ka_qos_tier q)
{
    switch (q) {
    case KA_QOS_HIGH: return "tier-high";
    case KA_QOS_MEDIUM: return "tier-medium";
    default: return "tier-low";
    }
}

/* ---- kustomizations ---------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory of a path ("" for top-level files). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, (size_t)(slash - path)) : strdup("");
}

typedef struct strset {
    char **v;
    size_t n, cap;
} strset;

static void ss_add(strset *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->v = ka_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = ka_xstrdup(x);
}

static void ss_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static void write_kustomization(gctx *g, const char *unit, const char *dir, strset *res)
{
    if (res->n)
        qsort(res->v, res->n, sizeof *res->v, cmp_str);
    ylist l = { 0 };
    ynode *k = y_map(&g->yb);
    y_putstr(&g->yb, k, "apiVersion", "kustomize.config.k8s.io/v1beta1");
    y_putstr(&g->yb, k, "kind", "Kustomization");
    ynode *r = y_putseq(&g->yb, k, "resources");
    for (size_t i = 0; i < res->n; i++)
        y_addstr(&g->yb, r, res->v[i]);
    yl_add(g, &l, k);
    const char *path = y_strf(&g->yb, "%s%skustomization.yaml", dir, *dir ? "/" : "")->s;
    g_file(g, unit, path, &l);
}

/* Every directory inside a unit lists its YAML files and the directories
 * below it. Above the units: clusters/ and the top level list what can be
 * applied together (see docs/generate.md). */
static void plan_kustomizations(gctx *g)
{
    strset dirs = { 0 };
    size_t nfiles = g->plan->n;
    for (size_t i = 0; i < nfiles; i++) {
        const ka_gen_file *f = &g->plan->v[i];
        if (!*f->unit)
            continue;
        char *d = dir_of(f->path);
        /* every directory from the file up to its unit */
        while (strlen(d) >= strlen(f->unit)) {
            ss_add(&dirs, d);
            char *up = dir_of(d);
            free(d);
            d = up;
        }
        free(d);
    }
    if (dirs.n)
        qsort(dirs.v, dirs.n, sizeof *dirs.v, cmp_str);
    for (size_t i = 0; i < dirs.n; i++) {
        const char *d = dirs.v[i];
        size_t dl = strlen(d);
        strset res = { 0 };
        const char *unit = "";
        for (size_t j = 0; j < nfiles; j++) {
            const ka_gen_file *f = &g->plan->v[j];
            if (strncmp(f->path, d, dl) != 0 || f->path[dl] != '/')
                continue;
            const char *rest = f->path + dl + 1;
            unit = f->unit;
            const char *slash = strchr(rest, '/');
            if (!slash) {
                size_t rl = strlen(rest);
                if (rl > 5 && strcmp(rest + rl - 5, ".yaml") == 0)
                    ss_add(&res, rest);
            } else {
                char *sub = strndup(rest, (size_t)(slash - rest));
                ss_add(&res, sub);
                free(sub);
            }
        }
        write_kustomization(g, unit, d, &res);
        ss_free(&res);
    }
    /* above the units */
    const ka_spec *s = g->s;
    strset top = { 0 };
    if (s->multicluster.provisioning == KA_PROVISION_CLUSTER_API ||
        s->multicluster.fleet == KA_FLEET_ARGOCD || s->multicluster.fleet == KA_FLEET_FLUX)
        ss_add(&top, "management");
    if (s->nclusters == 1) {
        strset cl = { 0 };
        ss_add(&cl, s->clusters[0].name);
        write_kustomization(g, "", "clusters", &cl);
        ss_free(&cl);
        ss_add(&top, "clusters");
    }
    write_kustomization(g, "", "", &top);
    ss_free(&top);
    ss_free(&dirs);
}

/* ---- the plan ------------------------------------------------------------------------ */

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const ka_gen_file *)a)->path, ((const ka_gen_file *)b)->path);
}

int ka_gen_plan_build(ka_gen_plan *out, const ka_spec *s, ka_diags *d)
{
    memset(out, 0, sizeof *out);
    gctx g;
    memset(&g, 0, sizeof g);
    g.s = s;
    g.plan = out;
    g.d = d;
    g.yb.a = ka_arena_new();
    for (size_t i = 0; i < s->nclusters; i++) {
        ka__gen_platform(&g, &s->clusters[i]);
        ka__gen_ingress(&g, &s->clusters[i]);
        ka__gen_namespaces(&g, &s->clusters[i]);
    }
    ka__gen_capi(&g);
    ka__gen_fleet(&g);
    plan_kustomizations(&g);
    ka__gen_architecture(&g);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_file);
    ka_arena_free(g.yb.a);
    if (g.failed) {
        ka_gen_plan_free(out);
        return -1;
    }
    return 0;
}

void ka_gen_plan_free(ka_gen_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].path);
        free(p->v[i].unit);
        ka_buf_free(&p->v[i].data);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

const ka_gen_file *ka_gen_plan_find(const ka_gen_plan *p, const char *path)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].path, path) == 0)
            return &p->v[i];
    return NULL;
}

/* ---- self-check ---------------------------------------------------------------------- */

long ka_gen_self_check(const ka_gen_plan *p, ka_gen_check **out, size_t *nout, ka_diags *d)
{
    strset units = { 0 };
    for (size_t i = 0; i < p->n; i++)
        if (*p->v[i].unit)
            ss_add(&units, p->v[i].unit);
    if (units.n)
        qsort(units.v, units.n, sizeof *units.v, cmp_str);
    ka_gen_check *v = ka_xcalloc(units.n ? units.n : 1, sizeof *v);
    long total = 0;
    ka_limits lim;
    ka_limits_default(&lim);
    for (size_t u = 0; u < units.n; u++) {
        v[u].unit = ka_xstrdup(units.v[u]);
        v[u].set = ka_objset_new(&lim);
        for (size_t i = 0; i < p->n; i++) {
            const ka_gen_file *f = &p->v[i];
            size_t pl = strlen(f->path);
            if (strcmp(f->unit, units.v[u]) != 0 || pl < 5 || strcmp(f->path + pl - 5, ".yaml"))
                continue;
            ka_file *lf = ka_load_buffer(f->path, f->data.p ? f->data.p : "", f->data.n, &lim, d);
            ka_objset_add_file(v[u].set, lf, d);
        }
        ka_objset_index(v[u].set);
        ka_check_opts co;
        memset(&co, 0, sizeof co);
        co.enable_all = true;
        /* CLU-009 scores a whole cluster: API server audit (in the
         * management unit, with the control plane) together with the log
         * collector (in the cluster's unit). No single unit holds both;
         * see KA_GEN_CHECK_DISABLE and docs/generate.md. */
        co.disable = KA_GEN_CHECK_DISABLE;
        char err[256];
        memset(&v[u].res, 0, sizeof v[u].res);
        if (ka_check_run(v[u].set, &co, &v[u].res, err, sizeof err) < 0) {
            ka_diag_add(d, KA_DIAG_ERROR, units.v[u], 0, 0, "self-check: %s", err);
            total = -1;
            continue;
        }
        if (total >= 0)
            total += (long)v[u].res.n;
    }
    *out = v;
    *nout = units.n;
    ss_free(&units);
    return total;
}

void ka_gen_check_free(ka_gen_check *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].unit);
        ka_results_free(&v[i].res);
        ka_objset_free(v[i].set);
    }
    free(v);
}
