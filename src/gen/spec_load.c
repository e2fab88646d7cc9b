/*
 * spec_load.c - ka_spec_load(): parse, check and derive, and the lookups of
 * the loaded model.
 */
#include "spec_int.h"

#include <stdlib.h>
#include <string.h>

int ka_spec_load(ka_spec **out, const ka_file *f, ka_diags *d)
{
    *out = NULL;
    const ka_node *root = NULL;
    bool rejected = false;
    for (size_t i = 0; i < f->ndocs && !root; i++) {
        root = f->docs[i].root;
        rejected |= f->docs[i].rejected;
    }
    if (!root) {
        if (!rejected) /* the loader already reported why a document was dropped */
            ka_diag_add(d, KA_DIAG_ERROR, f->src.path, 0, 0,
                        "no spec: the file is empty (run 'kubearch init' for a starter spec)");
        return -1;
    }
    size_t before = d->errors;
    for (size_t i = 0; i < f->ndocs; i++)
        if (f->docs[i].root && f->docs[i].root != root)
            ka_diag_add(d, KA_DIAG_ERROR, f->src.path, f->docs[i].line, f->docs[i].col,
                        "a spec file holds one document; this one would be ignored");
    ka_spec *s = ka_xcalloc(1, sizeof *s);
    s->arena = ka_arena_new();
    s->path = ka_arena_strndup(s->arena, f->src.path, strlen(f->src.path));
    ka_sr r = { s->arena, s->path, d, 0 };
    ka__spec_parse(&r, s, root);
    /* relations are only meaningful between fields that read well */
    if (!r.errors)
        ka__spec_check(&r, s, root);
    if (r.errors || d->errors > before) {
        ka_spec_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int ka_spec_load_path(ka_spec **out, const char *path, ka_diags *d)
{
    ka_limits lim;
    ka_limits_default(&lim);
    lim.max_file_bytes = 16u << 20; /* a spec is short; refuse anything huge early */
    *out = NULL;
    ka_file *f = ka_load_path(path, &lim, d);
    if (!f)
        return -1;
    int rc = ka_spec_load(out, f, d);
    ka_file_free(f);
    return rc;
}

void ka_spec_free(ka_spec *s)
{
    if (!s)
        return;
    ka_arena_free(s->arena);
    free(s);
}

const ka_spec_env *ka_spec_find_env(const ka_spec *s, const char *name)
{
    for (size_t i = 0; name && i < s->nenvs; i++)
        if (s->envs[i].name && strcmp(s->envs[i].name, name) == 0)
            return &s->envs[i];
    return NULL;
}

const ka_spec_pool *ka_spec_find_pool(const ka_spec_region *r, const char *name)
{
    for (size_t i = 0; name && i < r->npools; i++)
        if (r->pools[i].name && strcmp(r->pools[i].name, name) == 0)
            return &r->pools[i];
    return NULL;
}

const ka_spec_tier *ka_spec_find_tier(const ka_spec *s, const char *name)
{
    for (size_t i = 0; name && i < s->net.ntiers; i++)
        if (s->net.tiers[i].name && strcmp(s->net.tiers[i].name, name) == 0)
            return &s->net.tiers[i];
    return NULL;
}

bool ka_spec_cluster_runs(const ka_spec_cluster *c, const ka_spec_env *env)
{
    for (size_t i = 0; i < c->nenvs; i++)
        if (c->envs[i] == env)
            return true;
    return false;
}

const ka_spec_pool *ka_spec_workload_pool(const ka_spec_cluster *c, const ka_spec_workload *w)
{
    if (w->pool)
        return ka_spec_find_pool(c->region, w->pool);
    for (size_t i = 0; i < c->region->npools; i++)
        if (c->region->pools[i].cls == KA_POOL_GENERAL)
            return &c->region->pools[i];
    return NULL;
}
