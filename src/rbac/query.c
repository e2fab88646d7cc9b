/*
 * query.c - can, who-can and the bindings of an identity.
 */
#include "rbac_int.h"

#include <stdlib.h>
#include <string.h>

void ka_rbac__grant_push(ka_rbac_grants *g, const ka_rbac_binding *b, const ka_rbac_subject *s,
                         uint32_t rule)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->v = ka_xrealloc(g->v, g->cap * sizeof *g->v);
    }
    g->v[g->n++] = (ka_rbac_grant){ b, s, rule };
}

void ka_rbac_grants_push(ka_rbac_grants *g, const ka_rbac_grant *x)
{
    ka_rbac__grant_push(g, x->binding, x->subject, x->rule);
}

void ka_rbac_grants_free(ka_rbac_grants *g)
{
    free(g->v);
    memset(g, 0, sizeof *g);
}

/* Bindings sit in one array sorted by kind, namespace and name, so their
 * addresses order them. */
static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y ? -1 : x > y;
}

static int cmp_grant(const void *pa, const void *pb)
{
    const ka_rbac_grant *a = pa, *b = pb;
    int c = cmp_ptr(a->binding, b->binding);
    if (c)
        return c;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    return cmp_ptr(a->subject, b->subject);
}

static int kind_rank(ka_rbac_kind k)
{
    return k == KA_RBAC_USER ? 0 : k == KA_RBAC_GROUP ? 1 : k == KA_RBAC_SA ? 2 : 3;
}

static int cmp_grant_subject(const void *pa, const void *pb)
{
    const ka_rbac_grant *a = pa, *b = pb;
    const ka_rbac_subject *x = a->subject, *y = b->subject;
    int c = kind_rank(x->kind) - kind_rank(y->kind);
    if (!c)
        c = ka_str_cmp(x->ns, y->ns);
    if (!c)
        c = ka_str_cmp(x->name, y->name);
    return c ? c : cmp_grant(pa, pb);
}

void ka_rbac__grants_sort(ka_rbac_grants *g, bool by_subject)
{
    if (g->n > 1)
        qsort(g->v, g->n, sizeof *g->v, by_subject ? cmp_grant_subject : cmp_grant);
}

static int cmp_bindp(const void *pa, const void *pb)
{
    return cmp_ptr(*(const void *const *)pa, *(const void *const *)pb);
}

static void add_naming(const ka_rbac *m, ka_ptrvec *v, ka_rbac_kind k, ka_str ns, ka_str name)
{
    const ka_rbac_binding *const *bs;
    size_t n = ka_rbac_bindings_naming(m, k, ns, name, &bs);
    for (size_t i = 0; i < n; i++)
        ka_ptrvec_push(v, bs[i]);
}

size_t ka_rbac_bindings_for(const ka_rbac *m, const ka_rbac_identity *id,
                            const ka_rbac_binding ***out)
{
    ka_ptrvec v = { 0 };
    if (id->kind == KA_RBAC_SA)
        add_naming(m, &v, KA_RBAC_SA, id->ns, id->name);
    else if (id->user.n)
        add_naming(m, &v, KA_RBAC_USER, (ka_str){ "", 0 }, id->user);
    for (size_t i = 0; i < id->ngroups; i++)
        add_naming(m, &v, KA_RBAC_GROUP, (ka_str){ "", 0 }, id->groups[i]);
    if (v.n > 1)
        qsort(v.v, v.n, sizeof *v.v, cmp_bindp);
    size_t n = 0;
    for (size_t i = 0; i < v.n; i++)
        if (!n || v.v[n - 1] != v.v[i])
            v.v[n++] = v.v[i];
    *out = (const ka_rbac_binding **)v.v;
    return n;
}

bool ka_rbac_can_among(const ka_rbac_binding *const *bs, size_t n, const ka_rbac_identity *id,
                       const ka_rbac_request *q, ka_rbac_grants *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const ka_rbac_binding *b = bs[i];
        if (!b->role || !ka_rbac_binding_in_scope(b, q))
            continue;
        const ka_rbac_subject *s = ka_rbac__first_applying(b, id);
        if (!s)
            continue;
        for (size_t r = 0; r < b->role->nrules; r++)
            if (ka_rbac_rule_allows(&b->role->rules[r], q))
                ka_rbac__grant_push(out, b, s, (uint32_t)r);
    }
    ka_rbac__grants_sort(out, false);
    return out->n > 0 || ka_rbac_identity_superuser(id);
}

bool ka_rbac_can(const ka_rbac *m, const ka_rbac_identity *id, const ka_rbac_request *q,
                 ka_rbac_grants *out)
{
    const ka_rbac_binding **bs;
    size_t n = ka_rbac_bindings_for(m, id, &bs);
    bool r = ka_rbac_can_among(bs, n, id, q, out);
    free(bs);
    return r;
}

void ka_rbac_who_can(const ka_rbac *m, const ka_rbac_request *q, bool any_ns, ka_rbac_grants *out)
{
    memset(out, 0, sizeof *out);
    /* RoleBindings can only grant namespaced resources; across all
     * namespaces each RoleBinding is asked about its own namespace */
    bool rb_ok = !q->nonresource &&
                 (q->ns.n || (any_ns && ka_rbac_resource_namespaced(m, q->group, q->resource) != 0));
    /* matching rules per role, computed once: many bindings share a role */
    int32_t *first = ka_xmalloc((m->nroles ? m->nroles : 1) * sizeof *first);
    for (size_t i = 0; i < m->nroles; i++)
        first[i] = -2;
    ka_rbac_request rq = *q;
    for (size_t i = 0; i < m->nbindings; i++) {
        const ka_rbac_binding *b = &m->bindings[i];
        if (!b->role)
            continue;
        if (!b->cluster) {
            if (!rb_ok || (q->ns.n && !ka_str_eq(q->ns, b->ns)))
                continue;
        }
        size_t ri = (size_t)(b->role - m->roles);
        if (first[ri] == -2) {
            first[ri] = -1;
            rq.ns = b->cluster ? q->ns : b->ns;
            for (size_t r = 0; r < b->role->nrules; r++)
                if (ka_rbac_rule_allows(&b->role->rules[r], &rq)) {
                    first[ri] = (int32_t)r;
                    break;
                }
        }
        if (first[ri] < 0)
            continue;
        for (size_t r = (size_t)first[ri]; r < b->role->nrules; r++) {
            if (!ka_rbac_rule_allows(&b->role->rules[r], &rq))
                continue;
            for (size_t s = 0; s < b->nsubjects; s++) {
                const ka_rbac_subject *sj = &b->subjects[s];
                if (sj->kind && sj->name.n && !sj->no_namespace)
                    ka_rbac__grant_push(out, b, sj, (uint32_t)r);
            }
        }
    }
    free(first);
    ka_rbac__grants_sort(out, true);
}
