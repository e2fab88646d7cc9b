/*
 * net_util.c - helpers shared by the network rule files (see net_util.h).
 */
#include "net_util.h"

const ka_requirement *ka_selector_index_req(const ka_selector *sel)
{
    const ka_requirement *best = NULL;
    for (size_t i = 0; i < sel->n; i++) {
        const ka_requirement *r = &sel->reqs[i];
        if (r->op == KA_SEL_EQUALS || r->op == KA_SEL_DOUBLEEQUALS ||
            (r->op == KA_SEL_IN && r->nvals > 0))
            if (!best || r->nvals < best->nvals)
                best = r;
    }
    return best;
}

const ka_object *ka_first_pod_matching(const ka_objset *s, ka_str ns, const ka_selector *sel)
{
    if (sel->nothing)
        return NULL;
    const ka_requirement *r = ka_selector_index_req(sel);
    if (!r) {
        ka_objlist l = ka_objset_pods_in(s, ns);
        for (size_t i = 0; i < l.n; i++)
            if (ka_selector_matches(sel, &l.v[i]->pod->labels))
                return l.v[i];
        return NULL;
    }
    for (size_t v = 0; v < r->nvals; v++) {
        ka_objlist l = ka_objset_pods_by_label(s, ns, r->key, r->vals[v]);
        for (size_t i = 0; i < l.n; i++)
            if (ka_selector_matches(sel, &l.v[i]->pod->labels))
                return l.v[i];
    }
    return NULL;
}

void ka_buf_kind_name(ka_buf *b, const ka_object *o)
{
    ka_buf_addstr(b, o->kind);
    ka_buf_addc(b, '/');
    if (o->name.n) {
        ka_buf_addstr(b, o->name);
        return;
    }
    /* generateName objects have their name picked by the API server */
    ka_str gen = ka_node_str(ka_get(o->meta, "generateName"));
    ka_buf_addstr(b, gen);
    ka_buf_adds(b, gen.n ? "*" : "(unnamed)");
}
