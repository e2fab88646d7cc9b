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

/* Resource name -> quantity node, in the order they were set. */
typedef struct lr_list {
    size_t n, cap;
    struct lr_default {
        ka_str res;
        const ka_node *value;
    } *v;
} lr_list;

typedef struct lr_ns {
    lr_list req, lim;
} lr_ns;

struct ka_lrcache {
    ka_arena *arena;
    ka_hmap byns;  /* namespace -> lr_ns */
};

static const ka_node *find(const lr_list *l, ka_str res)
{
    for (size_t i = 0; i < l->n; i++)
        if (ka_str_eq(l->v[i].res, res))
            return l->v[i].value;
    return NULL;
}

/* Set res in l unless present (over: replace it). */
static void put(lr_list *l, ka_str res, const ka_node *value, bool over)
{
    for (size_t i = 0; i < l->n; i++)
        if (ka_str_eq(l->v[i].res, res)) {
            if (over)
                l->v[i].value = value;
            return;
        }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = ka_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct lr_default){ res, value };
}

/* Every entry of from into l. */
static void put_list(lr_list *l, const lr_list *from, bool over)
{
    for (size_t k = 0; k < from->n; k++)
        put(l, from->v[k].res, from->v[k].value, over);
}

static void put_map(lr_list *l, const ka_node *map)
{
    for (uint32_t i = 0; ka_is_map(map) && i < ka_node_n(map); i++)
        put(l, ka_node_str(KA_MAP_KEY(map, i)), KA_MAP_VAL(map, i), false);
}

static void ns_free(lr_ns *ns)
{
    free(ns->req.v);
    free(ns->lim.v);
}

/* One LimitRange's container defaults, into its namespace's entry. */
static void add_limitrange(ka_lrcache *c, const ka_object *o)
{
    lr_ns one = { { 0, 0, NULL }, { 0, 0, NULL } };
    const ka_node *items = ka_path(o->spec, "limits", NULL);
    for (uint32_t i = 0; ka_is_seq(items) && i < ka_node_n(items); i++) {
        const ka_node *it = KA_SEQ_ITEM(items, i);
        if (!ka_str_eqc(ka_node_str(ka_get(it, "type")), "Container"))
            continue;
        /* the item as defaulted: default <- max, defaultRequest <- default, min */
        lr_ns item = { { 0, 0, NULL }, { 0, 0, NULL } };
        put_map(&item.lim, ka_get(it, "default"));
        put_map(&item.lim, ka_get(it, "max"));
        put_map(&item.req, ka_get(it, "defaultRequest"));
        put_list(&item.req, &item.lim, false);
        put_map(&item.req, ka_get(it, "min"));
        /* a later item of the same LimitRange overrides an earlier one */
        put_list(&one.req, &item.req, true);
        put_list(&one.lim, &item.lim, true);
        ns_free(&item);
    }
    if (one.req.n || one.lim.n) {
        void **slot = ka_hmap_slot(&c->byns, o->ns);
        lr_ns *ns = *slot;
        if (!ns)
            ns = *slot = ka_arena_zalloc(c->arena, sizeof *ns);
        /* an earlier LimitRange of the namespace has already set what it has */
        put_list(&ns->req, &one.req, false);
        put_list(&ns->lim, &one.lim, false);
    }
    ns_free(&one);
}

static void *build(ka_ctx *ctx)
{
    ka_lrcache *c = ka_xcalloc(1, sizeof *c);
    c->arena = ka_arena_new();
    ka_hmap_init(&c->byns, c->arena);
    ka_objlist l = ka_objset_by_kind(ctx->set, "LimitRange");
    for (size_t i = 0; i < l.n; i++)
        add_limitrange(c, l.v[i]);
    return c;
}

const ka_node *ka_ctx_limitrange_default(ka_ctx *ctx, ka_str ns, bool limits, const char *res)
{
    const ka_lrcache *c = ka_ctx_once(ctx, &ctx->run->lr, build);
    const lr_ns *e = ka_hmap_get(&c->byns, ns);
    return e ? find(limits ? &e->lim : &e->req, ka_str_c(res)) : NULL;
}

void ka_lrcache_free(ka_lrcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->byns.cap; i++)
        if (c->byns.e[i].key.p && c->byns.e[i].val)
            ns_free(c->byns.e[i].val);
    ka_hmap_free(&c->byns);
    ka_arena_free(c->arena);
    free(c);
}
