/*
 * model.c - building the RBAC model: roles (with aggregation recomputed),
 * bindings with resolved roleRefs and normalised subjects, and the indexes
 * the questions use (role by name, bindings by subject, ServiceAccounts by
 * namespace, CRD resources).
 */
#include "rbac_int.h"
#include "kubearch/load.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

ka_str ka_rbac__key(ka_buf *b, char kind, ka_str a, ka_str c)
{
    ka_buf_reset(b);
    ka_buf_addc(b, kind);
    ka_buf_addc(b, '\0');
    ka_buf_addstr(b, a);
    ka_buf_addc(b, '\0');
    ka_buf_addstr(b, c);
    return (ka_str){ b->p, b->n };
}

static bool is_rbac_kind(const ka_object *o)
{
    return ka_str_eqc(o->group, KA_RBAC_API_GROUP);
}

static bool has_defaults_label(const ka_object *o)
{
    ka_str v;
    return ka_labels_get(&o->labels, KA_STR(KA_RBAC_DEFAULTS_LABEL), &v) &&
           ka_str_eqc(v, "rbac-defaults");
}

/* Scalars of a sequence node; other items are skipped (the API server
 * would reject them, the rest of the list still says what was meant). */
static size_t str_list(ka_arena *a, const ka_node *seq, const ka_str **out)
{
    *out = NULL;
    if (!ka_is_seq(seq) || ka_node_n(seq) == 0)
        return 0;
    ka_str *v = ka_arena_alloc(a, ka_node_n(seq) * sizeof *v);
    size_t n = 0;
    for (uint32_t i = 0; i < ka_node_n(seq); i++) {
        const ka_node *it = KA_SEQ_ITEM(seq, i);
        if (ka_is_scalar(it) && !(it->style == KA_STYLE_PLAIN && ka_is_null(it)))
            v[n++] = ka_node_str(it);
    }
    *out = v;
    return n;
}

size_t ka_rbac_parse_rules(ka_arena *a, const ka_node *rules, ka_rbac_rule **out)
{
    *out = NULL;
    if (!ka_is_seq(rules) || ka_node_n(rules) == 0)
        return 0;
    ka_rbac_rule *v = ka_arena_zalloc(a, ka_node_n(rules) * sizeof *v);
    for (uint32_t i = 0; i < ka_node_n(rules); i++) {
        /* a non-mapping item keeps its slot (matching nothing) so that
         * "rules[N]" stays the index a reader sees in the file */
        const ka_node *r = KA_SEQ_ITEM(rules, i);
        ka_rbac_rule *x = &v[i];
        x->node = r;
        x->origin_index = i;
        if (!ka_is_map(r))
            continue;
        x->nverbs = str_list(a, ka_get(r, "verbs"), &x->verbs);
        x->ngroups = str_list(a, ka_get(r, "apiGroups"), &x->groups);
        x->nres = str_list(a, ka_get(r, "resources"), &x->res);
        x->nnames = str_list(a, ka_get(r, "resourceNames"), &x->names);
        x->nurls = str_list(a, ka_get(r, "nonResourceURLs"), &x->urls);
    }
    *out = v;
    return ka_node_n(rules);
}

static bool list_eq(const ka_str *a, size_t na, const ka_str *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!ka_str_eq(a[i], b[i]))
            return false;
    return true;
}

/* equality.Semantic.DeepEqual on two PolicyRules: the same lists in the same
 * order (an empty list equals a missing one). */
static bool rule_eq(const ka_rbac_rule *a, const ka_rbac_rule *b)
{
    return list_eq(a->verbs, a->nverbs, b->verbs, b->nverbs) &&
           list_eq(a->groups, a->ngroups, b->groups, b->ngroups) &&
           list_eq(a->res, a->nres, b->res, b->nres) &&
           list_eq(a->names, a->nnames, b->names, b->nnames) &&
           list_eq(a->urls, a->nurls, b->urls, b->nurls);
}

static uint64_t rule_hash(const ka_rbac_rule *r)
{
    uint64_t h = 1469598103934665603ull;
    const ka_str *lists[5] = { r->verbs, r->groups, r->res, r->names, r->urls };
    size_t ns[5] = { r->nverbs, r->ngroups, r->nres, r->nnames, r->nurls };
    for (int k = 0; k < 5; k++) {
        h = (h ^ (uint64_t)(ns[k] + 1)) * 1099511628211ull;
        for (size_t i = 0; i < ns[k]; i++)
            h = (h ^ ka_hash(lists[k][i].p, lists[k][i].n)) * 1099511628211ull;
    }
    return h;
}

/* ---- roles -------------------------------------------------------------- */

static int cmp_role(const void *pa, const void *pb)
{
    const ka_rbac_role *a = pa, *b = pb;
    if (a->cluster != b->cluster)
        return a->cluster ? -1 : 1;
    int c = ka_str_cmp(a->ns, b->ns);
    return c ? c : ka_str_cmp(a->name, b->name);
}

static int cmp_binding(const void *pa, const void *pb)
{
    const ka_rbac_binding *a = pa, *b = pb;
    if (a->cluster != b->cluster)
        return a->cluster ? -1 : 1;
    int c = ka_str_cmp(a->ns, b->ns);
    return c ? c : ka_str_cmp(a->name, b->name);
}

/* Objects of one kind in the rbac group; the last of duplicate names wins
 * (a later document replaces an earlier one, as kubectl apply would). */
static void collect(ka_ptrvec *v, ka_hmap *seen, ka_buf *kb, const ka_objset *s, const char *kind)
{
    ka_objlist l = ka_objset_by_kind(s, kind);
    for (size_t i = 0; i < l.n; i++) {
        const ka_object *o = l.v[i];
        if (!is_rbac_kind(o) || o->name.n == 0)
            continue;
        void **slot = ka_hmap_slot(seen, ka_rbac__key(kb, kind[0], o->ns, o->name));
        if (*slot) {
            for (size_t j = 0; j < v->n; j++)
                if (v->v[j] == *slot)
                    v->v[j] = o;
        } else {
            ka_ptrvec_push(v, o);
        }
        *slot = (void *)o;
    }
}

/* Input objects, then built-ins whose names the input does not use. */
static void collect_all(ka_rbac *m, ka_ptrvec *v, const char *kind, ka_buf *kb)
{
    ka_arena *tmp = ka_arena_new();
    ka_hmap seen;
    ka_hmap_init(&seen, tmp);
    collect(v, &seen, kb, m->set, kind);
    if (m->builtin) {
        ka_objlist l = ka_objset_by_kind(m->builtin, kind);
        for (size_t i = 0; i < l.n; i++) {
            const ka_object *o = l.v[i];
            void **slot = ka_hmap_slot(&seen, ka_rbac__key(kb, kind[0], o->ns, o->name));
            if (!*slot) {
                *slot = (void *)o;
                ka_ptrvec_push(v, o);
            }
        }
    }
    ka_hmap_free(&seen);
    ka_arena_free(tmp);
}

typedef struct agg_state {
    ka_rbac_role *role;
    size_t nsel;
    ka_selector *sels;
    bool bad;              /* a selector the controller cannot parse: rules stay as stored */
    size_t n, cap;
    ka_rbac_rule *cur;     /* rules computed in the current round */
} agg_state;

/* One round of the aggregation controller for one role, reading the rules
 * every other role has now. Returns true when its rules changed. */
static bool aggregate_round(ka_rbac *m, agg_state *st, size_t ncluster)
{
    size_t n = 0, cap = st->cap ? st->cap : 16;
    ka_rbac_rule *v = ka_xmalloc(cap * sizeof *v);
    uint64_t *hashes = ka_xmalloc(cap * sizeof *hashes);
    for (size_t k = 0; k < st->nsel; k++) {
        for (size_t i = 0; i < ncluster; i++) {
            const ka_rbac_role *c = &m->roles[i];
            if (c == st->role || !ka_selector_matches(&st->sels[k], &c->obj->labels))
                continue;
            for (size_t j = 0; j < c->nrules; j++) {
                const ka_rbac_rule *r = &c->rules[j];
                uint64_t h = rule_hash(r);
                bool dup = false;
                for (size_t q = 0; q < n && !dup; q++)
                    dup = hashes[q] == h && rule_eq(&v[q], r);
                if (dup)
                    continue;
                if (n == cap) {
                    cap *= 2;
                    v = ka_xrealloc(v, cap * sizeof *v);
                    hashes = ka_xrealloc(hashes, cap * sizeof *hashes);
                }
                hashes[n] = h;
                v[n++] = *r;
            }
        }
    }
    free(hashes);
    bool changed = n != st->n;
    for (size_t i = 0; i < n && !changed; i++)
        changed = !rule_eq(&v[i], &st->cur[i]) || v[i].origin != st->cur[i].origin;
    free(st->cur);
    st->cur = v;
    st->n = n;
    st->cap = cap;
    return changed;
}

/* Rounds until nothing changes. Every round reads the previous round's
 * results of the other aggregated roles (published after the round), so the
 * result does not depend on the order the roles are visited in. Rules only
 * ever get added, so this ends within one round per aggregated role. */
static void aggregate(ka_rbac *m, size_t ncluster)
{
    size_t nagg = 0;
    for (size_t i = 0; i < ncluster; i++)
        nagg += m->roles[i].aggregated;
    if (!nagg)
        return;
    agg_state *st = ka_xcalloc(nagg, sizeof *st);
    size_t k = 0;
    for (size_t i = 0; i < ncluster; i++) {
        ka_rbac_role *r = &m->roles[i];
        if (!r->aggregated)
            continue;
        agg_state *a = &st[k++];
        a->role = r;
        const ka_node *sels = ka_path(r->obj->root, "aggregationRule", "clusterRoleSelectors", NULL);
        a->nsel = ka_is_seq(sels) ? ka_node_n(sels) : 0;
        a->sels = ka_arena_zalloc(m->arena, (a->nsel ? a->nsel : 1) * sizeof *a->sels);
        for (size_t j = 0; j < a->nsel; j++) {
            const ka_node *bad;
            char err[128];
            if (ka_selector_from_node(m->arena, KA_SEQ_ITEM(sels, j), &a->sels[j], &bad, err,
                                      sizeof err) < 0)
                a->bad = true;
        }
        if (a->bad) {
            r->aggregated = false; /* the controller errors out: stored rules stay */
            continue;
        }
        r->nrules = 0;
        r->rules = NULL;
    }
    for (size_t round = 0; round <= nagg + 1; round++) {
        bool changed = false;
        for (size_t i = 0; i < nagg; i++)
            if (!st[i].bad)
                changed |= aggregate_round(m, &st[i], ncluster);
        for (size_t i = 0; i < nagg; i++) {
            if (st[i].bad)
                continue;
            ka_rbac_rule *v = ka_arena_alloc(m->arena, (st[i].n ? st[i].n : 1) * sizeof *v);
            if (st[i].n)
                memcpy(v, st[i].cur, st[i].n * sizeof *v);
            st[i].role->rules = v;
            st[i].role->nrules = st[i].n;
        }
        if (!changed)
            break;
    }
    for (size_t i = 0; i < nagg; i++)
        free(st[i].cur);
    free(st);
}

static void build_roles(ka_rbac *m, ka_buf *kb)
{
    ka_ptrvec v = { 0 };
    collect_all(m, &v, "ClusterRole", kb);
    size_t ncluster = v.n;
    collect_all(m, &v, "Role", kb);
    m->nroles = v.n;
    m->roles = ka_arena_zalloc(m->arena, (v.n ? v.n : 1) * sizeof *m->roles);
    for (size_t i = 0; i < v.n; i++) {
        const ka_object *o = v.v[i];
        ka_rbac_role *r = &m->roles[i];
        r->obj = o;
        r->cluster = i < ncluster;
        r->builtin = m->builtin && o->file == ka_objset_file(m->builtin, 0);
        r->defaults = has_defaults_label(o);
        r->ns = r->cluster ? (ka_str){ "", 0 } : o->ns;
        r->name = o->name;
        r->aggregated = r->cluster && ka_is_map(ka_get(o->root, "aggregationRule"));
    }
    ka_ptrvec_free(&v);
    /* sorted before rules point at roles, so origins stay valid */
    if (m->nroles > 1)
        qsort(m->roles, m->nroles, sizeof *m->roles, cmp_role);
    for (size_t i = 0; i < m->nroles; i++) {
        ka_rbac_role *r = &m->roles[i];
        ka_rbac_rule *rules;
        r->nown = ka_rbac_parse_rules(m->arena, ka_get(r->obj->root, "rules"), &rules);
        for (size_t j = 0; j < r->nown; j++)
            rules[j].origin = r;
        r->own = rules;
        r->rules = rules;
        r->nrules = r->nown;
        *ka_hmap_slot(&m->role_index, ka_rbac__key(kb, r->cluster ? 'C' : 'R', r->ns, r->name)) = r;
    }
    size_t nc = 0;
    while (nc < m->nroles && m->roles[nc].cluster)
        nc++;
    aggregate(m, nc);
}

/* ---- bindings ----------------------------------------------------------- */

#define SA_PREFIX "system:serviceaccount:"

/* serviceaccount.SplitUsername: exactly NS:NAME after the prefix, both valid. */
static bool split_sa_user(ka_str user, ka_str *ns, ka_str *name)
{
    size_t pl = sizeof SA_PREFIX - 1;
    if (user.n <= pl || memcmp(user.p, SA_PREFIX, pl) != 0)
        return false;
    ka_str rest = { user.p + pl, user.n - pl };
    const char *colon = memchr(rest.p, ':', rest.n);
    if (!colon)
        return false;
    *ns = (ka_str){ rest.p, (size_t)(colon - rest.p) };
    *name = (ka_str){ colon + 1, rest.n - ns->n - 1 };
    if (memchr(name->p, ':', name->n))
        return false;
    return ka_dns1123_label(*ns) && ka_dns1123_subdomain(*name);
}

static void index_subject(ka_rbac *m, ka_buf *kb, const ka_rbac_subject *s, const ka_rbac_binding *b)
{
    ka_str key;
    switch (s->kind) {
    case KA_RBAC_USER: key = ka_rbac__key(kb, 'U', s->name, (ka_str){ "", 0 }); break;
    case KA_RBAC_GROUP: key = ka_rbac__key(kb, 'G', s->name, (ka_str){ "", 0 }); break;
    case KA_RBAC_SA: key = ka_rbac__key(kb, 'S', s->ns, s->name); break;
    default: return;
    }
    void **slot = ka_hmap_slot(&m->subject_index, key);
    if (!*slot) {
        *slot = ka_xcalloc(1, sizeof(ka_ptrvec));
        ka_ptrvec_push(&m->vecs, *slot);
    }
    ka_ptrvec *v = *slot;
    if (!v->n || v->v[v->n - 1] != b)
        ka_ptrvec_push(v, b);
}

static void add_sa(ka_rbac *m, ka_hmap *seen, ka_buf *kb, ka_str ns, ka_str name)
{
    if (!ns.n || !name.n)
        return;
    void **slot = ka_hmap_slot(seen, ka_rbac__key(kb, 'S', ns, name));
    if (*slot)
        return;
    *slot = (void *)1;
    ka_str *copy = ka_arena_alloc(m->arena, sizeof *copy);
    *copy = name;
    void **ns_slot = ka_hmap_slot(&m->sa_index, ns);
    if (!*ns_slot) {
        *ns_slot = ka_xcalloc(1, sizeof(ka_ptrvec));
        ka_ptrvec_push(&m->vecs, *ns_slot);
    }
    ka_ptrvec_push(*ns_slot, copy);
}

static void parse_binding(ka_rbac *m, ka_rbac_binding *b, ka_buf *kb)
{
    const ka_node *root = b->obj->root;
    const ka_node *ref = ka_get(root, "roleRef");
    b->role_ref = ref;
    b->role_kind = ka_node_str(ka_get(ref, "kind"));
    b->role_name = ka_node_str(ka_get(ref, "name"));
    /* a ClusterRoleBinding can only reference a ClusterRole; a RoleBinding a
     * Role of its own namespace or a ClusterRole */
    if (ka_str_eqc(b->role_kind, "ClusterRole"))
        b->role = ka_hmap_get(&m->role_index, ka_rbac__key(kb, 'C', (ka_str){ "", 0 }, b->role_name));
    else if (ka_str_eqc(b->role_kind, "Role") && !b->cluster)
        b->role = ka_hmap_get(&m->role_index, ka_rbac__key(kb, 'R', b->ns, b->role_name));
    const ka_node *subs = ka_get(root, "subjects");
    size_t n = ka_is_seq(subs) ? ka_node_n(subs) : 0;
    ka_rbac_subject *v = ka_arena_zalloc(m->arena, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const ka_node *sn = KA_SEQ_ITEM(subs, i);
        ka_rbac_subject *s = &v[i];
        s->node = sn;
        s->written_kind = ka_node_str(ka_get(sn, "kind"));
        s->name = ka_node_str(ka_get(sn, "name"));
        if (ka_str_eqc(s->written_kind, "User")) {
            ka_str sns, sname;
            if (split_sa_user(s->name, &sns, &sname)) {
                s->kind = KA_RBAC_SA;
                s->ns = sns;
                s->name = sname;
            } else {
                s->kind = KA_RBAC_USER;
            }
        } else if (ka_str_eqc(s->written_kind, "Group")) {
            s->kind = KA_RBAC_GROUP;
        } else if (ka_str_eqc(s->written_kind, "ServiceAccount")) {
            s->kind = KA_RBAC_SA;
            s->ns = ka_node_str(ka_get(sn, "namespace"));
            /* appliesToUser: the binding's namespace when unset; a
             * ClusterRoleBinding has none, so the subject matches nobody */
            if (!s->ns.n) {
                if (b->cluster)
                    s->no_namespace = true;
                else
                    s->ns = b->ns;
            }
        }
        if (s->name.n == 0 || s->no_namespace)
            continue;
        index_subject(m, kb, s, b);
    }
    b->subjects = v;
    b->nsubjects = n;
}

static void build_bindings(ka_rbac *m, ka_buf *kb)
{
    ka_ptrvec v = { 0 };
    collect_all(m, &v, "ClusterRoleBinding", kb);
    size_t ncluster = v.n;
    collect_all(m, &v, "RoleBinding", kb);
    m->nbindings = v.n;
    m->bindings = ka_arena_zalloc(m->arena, (v.n ? v.n : 1) * sizeof *m->bindings);
    for (size_t i = 0; i < v.n; i++) {
        ka_rbac_binding *b = &m->bindings[i];
        b->obj = v.v[i];
        b->cluster = i < ncluster;
        b->builtin = m->builtin && b->obj->file == ka_objset_file(m->builtin, 0);
        b->defaults = has_defaults_label(b->obj);
        b->ns = b->cluster ? (ka_str){ "", 0 } : b->obj->ns;
        b->name = b->obj->name;
    }
    ka_ptrvec_free(&v);
    if (m->nbindings > 1)
        qsort(m->bindings, m->nbindings, sizeof *m->bindings, cmp_binding);
    for (size_t i = 0; i < m->nbindings; i++)
        parse_binding(m, &m->bindings[i], kb);
}

/* ServiceAccounts: objects, binding subjects, and what workloads run as. */
static void build_sas(ka_rbac *m, ka_buf *kb)
{
    ka_arena *tmp = ka_arena_new();
    ka_hmap seen;
    ka_hmap_init(&seen, tmp);
    ka_objlist l = ka_objset_by_kind(m->set, "ServiceAccount");
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i]->group.n == 0)
            add_sa(m, &seen, kb, l.v[i]->ns, l.v[i]->name);
    for (size_t i = 0; i < m->nbindings; i++) {
        const ka_rbac_binding *b = &m->bindings[i];
        for (size_t j = 0; j < b->nsubjects; j++)
            if (b->subjects[j].kind == KA_RBAC_SA)
                add_sa(m, &seen, kb, b->subjects[j].ns, b->subjects[j].name);
    }
    size_t n = ka_objset_count(m->set);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(m->set, i);
        if (!o->pod || !ka_is_map(o->pod->spec))
            continue;
        ka_str sa = ka_node_str(ka_get(o->pod->spec, "serviceAccountName"));
        if (!sa.n)
            sa = ka_node_str(ka_get(o->pod->spec, "serviceAccount"));
        add_sa(m, &seen, kb, o->ns, sa.n ? sa : KA_STR("default"));
    }
    ka_hmap_free(&seen);
    ka_arena_free(tmp);
}

static int cmp_strp(const void *pa, const void *pb)
{
    const ka_str *a = *(const ka_str *const *)pa, *b = *(const ka_str *const *)pb;
    return ka_str_cmp(*a, *b);
}

/* ---- the model ---------------------------------------------------------- */

ka_rbac *ka_rbac_build(const ka_objset *s, const ka_rbac_opts *opts)
{
    ka_rbac *m = ka_xcalloc(1, sizeof *m);
    m->arena = ka_arena_new();
    m->set = s;
    ka_hmap_init(&m->role_index, m->arena);
    ka_hmap_init(&m->subject_index, m->arena);
    ka_hmap_init(&m->sa_index, m->arena);
    if (!opts || !opts->no_builtin) {
        ka_limits lim;
        ka_limits_default(&lim);
        ka_diags d;
        ka_diags_init(&d);
        m->builtin = ka_objset_new(&lim);
        ka_file *f = ka_load_buffer("<built-in>", ka_rbac__builtin_yaml,
                                    strlen(ka_rbac__builtin_yaml), &lim, &d);
        ka_objset_add_file(m->builtin, f, &d);
        ka_objset_index(m->builtin);
        ka_diags_free(&d);
    }
    ka_buf kb;
    ka_buf_init(&kb);
    build_roles(m, &kb);
    build_bindings(m, &kb);
    build_sas(m, &kb);
    for (size_t i = 0; i < m->sa_index.cap; i++) {
        ka_ptrvec *v = m->sa_index.e[i].val;
        if (m->sa_index.e[i].key.p && v->n > 1)
            qsort(v->v, v->n, sizeof *v->v, cmp_strp);
    }
    ka_buf_free(&kb);
    return m;
}

void ka_rbac_free(ka_rbac *m)
{
    if (!m)
        return;
    ka_rbac__graph_free(m->graph);
    for (size_t i = 0; i < m->vecs.n; i++) {
        ka_ptrvec *v = (ka_ptrvec *)m->vecs.v[i];
        ka_ptrvec_free(v);
        free(v);
    }
    ka_ptrvec_free(&m->vecs);
    ka_hmap_free(&m->role_index);
    ka_hmap_free(&m->subject_index);
    ka_hmap_free(&m->sa_index);
    ka_objset_free(m->builtin);
    ka_arena_free(m->arena);
    free(m);
}

size_t ka_rbac_nroles(const ka_rbac *m) { return m->nroles; }
const ka_rbac_role *ka_rbac_role_at(const ka_rbac *m, size_t i) { return i < m->nroles ? &m->roles[i] : NULL; }
size_t ka_rbac_nbindings(const ka_rbac *m) { return m->nbindings; }
const ka_rbac_binding *ka_rbac_binding_at(const ka_rbac *m, size_t i)
{
    return i < m->nbindings ? &m->bindings[i] : NULL;
}

const ka_rbac_role *ka_rbac_find_role(const ka_rbac *m, bool cluster, ka_str ns, ka_str name)
{
    ka_buf kb;
    ka_buf_init(&kb);
    const ka_rbac_role *r = ka_hmap_get(&m->role_index,
                                        ka_rbac__key(&kb, cluster ? 'C' : 'R',
                                                     cluster ? (ka_str){ "", 0 } : ns, name));
    ka_buf_free(&kb);
    return r;
}

size_t ka_rbac_bindings_naming(const ka_rbac *m, ka_rbac_kind kind, ka_str ns, ka_str name,
                               const ka_rbac_binding *const **out)
{
    ka_buf kb;
    ka_buf_init(&kb);
    char k = kind == KA_RBAC_USER ? 'U' : kind == KA_RBAC_GROUP ? 'G' : 'S';
    const ka_ptrvec *v = ka_hmap_get(&m->subject_index,
                                     ka_rbac__key(&kb, k, kind == KA_RBAC_SA ? ns : name,
                                                  kind == KA_RBAC_SA ? name : (ka_str){ "", 0 }));
    ka_buf_free(&kb);
    *out = v ? (const ka_rbac_binding *const *)v->v : NULL;
    return v ? v->n : 0;
}

size_t ka_rbac_service_accounts(const ka_rbac *m, ka_str ns, const ka_str *const **out)
{
    const ka_ptrvec *v = ka_hmap_get(&m->sa_index, ns);
    *out = v ? (const ka_str *const *)v->v : NULL;
    return v ? v->n : 0;
}

void ka_rbac_role_ref(const ka_rbac_role *r, ka_buf *out)
{
    ka_buf_adds(out, r->cluster ? "ClusterRole/" : "Role/");
    if (!r->cluster) {
        ka_buf_addstr(out, r->ns);
        ka_buf_addc(out, '/');
    }
    ka_buf_addstr(out, r->name);
}

void ka_rbac_binding_ref(const ka_rbac_binding *b, ka_buf *out)
{
    ka_buf_adds(out, b->cluster ? "ClusterRoleBinding/" : "RoleBinding/");
    if (!b->cluster) {
        ka_buf_addstr(out, b->ns);
        ka_buf_addc(out, '/');
    }
    ka_buf_addstr(out, b->name);
}

void ka_rbac_subject_string(const ka_rbac_subject *s, ka_buf *out)
{
    switch (s->kind) {
    case KA_RBAC_USER: ka_buf_adds(out, "user:"); break;
    case KA_RBAC_GROUP: ka_buf_adds(out, "group:"); break;
    case KA_RBAC_SA:
        ka_buf_adds(out, "sa:");
        if (s->no_namespace)
            ka_buf_adds(out, "?");
        ka_buf_addstr(out, s->ns);
        ka_buf_addc(out, '/');
        break;
    default:
        ka_buf_addstr(out, s->written_kind.n ? s->written_kind : KA_STR("?"));
        ka_buf_addc(out, ':');
    }
    ka_buf_addstr(out, s->name);
}
