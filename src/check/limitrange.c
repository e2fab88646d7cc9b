/*
 * limitrange.c - the requests and limits a namespace's LimitRanges give the
 * containers that do not set them, as the API server does it:
 *
 *  - each `type: Container` item is defaulted first (core/v1 defaults):
 *    a missing default limit takes `max`; a missing default request takes
 *    the default limit, then `min`;
 *  - the LimitRanger admission plugin (on by default) merges the Container
 *    items of one LimitRange, a later item overriding an earlier one, and
 *    sets on each container (init containers too) only what it lacks;
 *  - with several LimitRanges in a namespace, each is applied in turn, so
 *    the first that has a value for a resource gives it. The API server's
 *    order is its cache's; kubearch takes input order.
 *
 * Built once per run, on first use, from the LimitRanges in the input.
 */
#include "rule.h"
#include "../core/hmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct lr_default {
    ka_str res;
    const ka_node *value;
    const ka_object *from;
} lr_default;

typedef struct lr_ns {
    size_t nreq, nlim, capreq, caplim;
    lr_default *req, *lim;
} lr_ns;

struct ka_lrcache {
    ka_arena *arena;
    ka_hmap byns;  /* namespace -> lr_ns */
};

static const lr_default *find(const lr_default *v, size_t n, ka_str res)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_eq(v[i].res, res))
            return &v[i];
    return NULL;
}

/* Set res in v unless present (over: replace it). */
static void put(lr_default **v, size_t *n, size_t *cap, ka_str res, const ka_node *value,
                const ka_object *from, bool over)
{
    for (size_t i = 0; i < *n; i++)
        if (ka_str_eq((*v)[i].res, res)) {
            if (over)
                (*v)[i] = (lr_default){ res, value, from };
            return;
        }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        *v = ka_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = (lr_default){ res, value, from };
}

static void put_all(lr_default **v, size_t *n, size_t *cap, const ka_node *list,
                    const ka_object *from, bool over)
{
    for (uint32_t i = 0; ka_is_map(list) && i < ka_node_n(list); i++)
        put(v, n, cap, ka_node_str(KA_MAP_KEY(list, i)), KA_MAP_VAL(list, i), from, over);
}

/* One LimitRange's container defaults, into its namespace's entry. */
static void add_limitrange(ka_lrcache *c, const ka_object *o)
{
    lr_ns one = { 0, 0, 0, 0, NULL, NULL };
    const ka_node *items = ka_path(o->root, "spec", "limits", NULL);
    for (uint32_t i = 0; ka_is_seq(items) && i < ka_node_n(items); i++) {
        const ka_node *it = KA_SEQ_ITEM(items, i);
        if (!ka_str_eqc(ka_node_str(ka_get(it, "type")), "Container"))
            continue;
        /* the item as defaulted: default <- max, defaultRequest <- default, min */
        lr_ns item = { 0, 0, 0, 0, NULL, NULL };
        put_all(&item.lim, &item.nlim, &item.caplim, ka_get(it, "default"), o, false);
        put_all(&item.lim, &item.nlim, &item.caplim, ka_get(it, "max"), o, false);
        put_all(&item.req, &item.nreq, &item.capreq, ka_get(it, "defaultRequest"), o, false);
        for (size_t k = 0; k < item.nlim; k++)
            put(&item.req, &item.nreq, &item.capreq, item.lim[k].res, item.lim[k].value, o, false);
        put_all(&item.req, &item.nreq, &item.capreq, ka_get(it, "min"), o, false);
        /* a later item of the same LimitRange overrides an earlier one */
        for (size_t k = 0; k < item.nreq; k++)
            put(&one.req, &one.nreq, &one.capreq, item.req[k].res, item.req[k].value, o, true);
        for (size_t k = 0; k < item.nlim; k++)
            put(&one.lim, &one.nlim, &one.caplim, item.lim[k].res, item.lim[k].value, o, true);
        free(item.req);
        free(item.lim);
    }
    if (one.nreq || one.nlim) {
        void **slot = ka_hmap_slot(&c->byns, o->ns);
        lr_ns *ns = *slot;
        if (!ns)
            ns = *slot = ka_arena_zalloc(c->arena, sizeof *ns);
        /* an earlier LimitRange of the namespace has already set what it has */
        for (size_t k = 0; k < one.nreq; k++)
            put(&ns->req, &ns->nreq, &ns->capreq, one.req[k].res, one.req[k].value, o, false);
        for (size_t k = 0; k < one.nlim; k++)
            put(&ns->lim, &ns->nlim, &ns->caplim, one.lim[k].res, one.lim[k].value, o, false);
    }
    free(one.req);
    free(one.lim);
}

const ka_node *ka_ctx_limitrange_default(ka_ctx *ctx, ka_str ns, bool limits, const char *res,
                                         const ka_object **from)
{
    if (!ctx->lr) {
        ka_lrcache *c = ctx->lr = ka_xcalloc(1, sizeof *c);
        c->arena = ka_arena_new();
        ka_hmap_init(&c->byns, c->arena);
        ka_objlist l = ka_objset_by_kind(ctx->set, "LimitRange");
        for (size_t i = 0; i < l.n; i++)
            add_limitrange(c, l.v[i]);
    }
    const lr_ns *e = ka_hmap_get(&ctx->lr->byns, ns);
    if (!e)
        return NULL;
    const lr_default *d = limits ? find(e->lim, e->nlim, ka_str_c(res)) : find(e->req, e->nreq, ka_str_c(res));
    if (d && from)
        *from = d->from;
    return d ? d->value : NULL;
}

void ka_lrcache_free(ka_lrcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->byns.cap; i++) {
        lr_ns *ns = c->byns.e[i].val;
        if (c->byns.e[i].key.p && ns) {
            free(ns->req);
            free(ns->lim);
        }
    }
    ka_hmap_free(&c->byns);
    ka_arena_free(c->arena);
    free(c);
}
