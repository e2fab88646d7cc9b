/*
 * classes.c - equivalence classes of members, what every compiled policy
 * selects in terms of classes, and the output order.
 *
 * Everything a policy can observe about a pod is its namespace (and that
 * namespace's labels), its labels, its named container ports, whether it is
 * a hostNetwork pod, and which ipBlocks / networks its IPs fall in. Members
 * equal in all of these form one class, and every selector is evaluated once
 * per class, never per pod: the work grows with distinct classes.
 */
#include "np_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- classes ------------------------------------------------------------------ */

bool np_unit_matches(const ka_netpol *net, const np_unit *u, const np_member *m)
{
    (void)net;
    /* a (non-hostNetwork) pod's IP only counts where ipBlocks match pod IPs;
     * hostNetwork pods in node mode have node IPs, which always count */
    if (m->obj && !u->pod_ips && !m->host)
        return false;
    for (size_t i = 0; i < m->naddrs; i++) {
        if (!np_cidr_contains(&u->cidr, &m->addrs[i]))
            continue;
        bool excepted = false;
        for (size_t k = 0; k < u->nexcept && !excepted; k++)
            excepted = np_cidr_contains(&u->except[k], &m->addrs[i]);
        if (!excepted)
            return true;
    }
    return false;
}

static int cmp_kv(const void *a, const void *b)
{
    const ka_kv *x = *(const ka_kv *const *)a, *y = *(const ka_kv *const *)b;
    int c = ka_str_cmp(x->key, y->key);
    return c ? c : ka_str_cmp(x->val, y->val);
}

static int cmp_cport(const void *a, const void *b)
{
    const np_cport *x = a, *y = b;
    int c = ka_str_cmp(x->name, y->name);
    if (c)
        return c;
    if (x->proto != y->proto)
        return x->proto < y->proto ? -1 : 1;
    return (x->port > y->port) - (x->port < y->port);
}

static void class_key(np_member *m, uint32_t ns, const np_u32vec *sig, bool has_sig, ka_buf *key)
{
    ka_buf_reset(key);
    if (!m->obj) {
        ka_buf_addc(key, 'E');
    } else {
        ka_buf_printf(key, "P%u", ns);
        ka_buf_addc(key, '\0');
        ka_buf_addc(key, m->host ? 'h' : '-');
        const ka_kv **kv = m->labels.n ? ka_xmalloc(m->labels.n * sizeof *kv) : NULL;
        for (size_t i = 0; i < m->labels.n; i++)
            kv[i] = &m->labels.kv[i];
        if (m->labels.n > 1)
            qsort(kv, m->labels.n, sizeof *kv, cmp_kv);
        for (size_t i = 0; i < m->labels.n; i++) {
            if (i && ka_str_eq(kv[i]->key, kv[i - 1]->key))
                continue; /* duplicate key: the later value won when decoded */
            ka_buf_addstr(key, kv[i]->key);
            ka_buf_addc(key, '\0');
            ka_buf_addstr(key, kv[i]->val);
            ka_buf_addc(key, '\0');
        }
        free(kv);
        ka_buf_addc(key, '\1');
        if (m->ncports > 1)
            qsort(m->cports, m->ncports, sizeof *m->cports, cmp_cport);
        for (size_t i = 0; i < m->ncports; i++) {
            ka_buf_addstr(key, m->cports[i].name);
            ka_buf_addc(key, '\0');
            ka_buf_printf(key, "%u/%u", m->cports[i].proto, m->cports[i].port);
            ka_buf_addc(key, '\0');
        }
        ka_buf_addc(key, '\1');
    }
    if (has_sig) {
        ka_buf_addc(key, 'U');
        ka_buf_add(key, sig->v, sig->n * sizeof *sig->v);
    } else {
        ka_buf_addc(key, '-');
    }
}

/* ---- which units an address falls in ------------------------------------------ *
 * A unit matches an address when its CIDR is a prefix of it (and no except
 * is): the units are found by looking the address up once per distinct
 * prefix length among them, never by trying every unit. */

typedef struct unitix {
    ka_hmap map;           /* family, bits, network address -> np_u32vec* of units */
    np_u32vec lens[2];     /* distinct prefix lengths, IPv4 and IPv6 */
    bool seen[2][129];
    ka_ptrvec vecs;        /* the np_u32vec values, to free */
} unitix;

static ka_str cidr_key(char *buf, uint8_t fam, unsigned bits, const np_addr *a)
{
    buf[0] = (char)fam;
    buf[1] = (char)bits;
    memcpy(buf + 2, &a->hi, sizeof a->hi);
    memcpy(buf + 2 + sizeof a->hi, &a->lo, sizeof a->lo);
    return (ka_str){ buf, 2 + sizeof a->hi + sizeof a->lo };
}

static void unitix_build(ka_netpol *net, unitix *ix)
{
    memset(ix, 0, sizeof *ix);
    ka_hmap_init(&ix->map, net->arena);
    char buf[32];
    for (size_t u = 0; u < net->nunits; u++) {
        const np_cidr *c = &net->units[u].cidr;
        int f = c->a.fam == 6;
        void **slot = ka_hmap_slot(&ix->map, cidr_key(buf, c->a.fam, c->bits, &c->a));
        if (!*slot) {
            *slot = ka_xcalloc(1, sizeof(np_u32vec));
            ka_ptrvec_push(&ix->vecs, *slot);
        }
        np_u32_push(*slot, (uint32_t)u);
        if (!ix->seen[f][c->bits]) {
            ix->seen[f][c->bits] = true;
            np_u32_push(&ix->lens[f], c->bits);
        }
    }
}

static void unitix_free(unitix *ix)
{
    for (size_t i = 0; i < ix->vecs.n; i++) {
        np_u32vec *v = (np_u32vec *)ix->vecs.v[i];
        free(v->v);
        free(v);
    }
    ka_ptrvec_free(&ix->vecs);
    free(ix->lens[0].v);
    free(ix->lens[1].v);
    ka_hmap_free(&ix->map);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sort and de-duplicate. */
static void u32_unique(np_u32vec *v)
{
    if (v->n < 2)
        return;
    qsort(v->v, v->n, sizeof *v->v, cmp_u32);
    size_t k = 1;
    for (size_t i = 1; i < v->n; i++)
        if (v->v[i] != v->v[k - 1])
            v->v[k++] = v->v[i];
    v->n = k;
}

/* The units member m matches (np_unit_matches), ascending, into out. */
static void member_units(const ka_netpol *net, const unitix *ix, const np_member *m, np_u32vec *out)
{
    out->n = 0;
    char buf[32];
    for (size_t i = 0; i < m->naddrs; i++) {
        const np_addr *a = &m->addrs[i];
        int f = a->fam == 6;
        for (size_t l = 0; l < ix->lens[f].n; l++) {
            unsigned bits = ix->lens[f].v[l];
            np_addr net_a = np_addr_mask(a, bits);
            const np_u32vec *units = ka_hmap_get(&ix->map, cidr_key(buf, a->fam, bits, &net_a));
            for (size_t k = 0; units && k < units->n; k++)
                if (np_unit_matches(net, &net->units[units->v[k]], m))
                    np_u32_push(out, units->v[k]);
        }
    }
    u32_unique(out);
}

void np_build_classes(ka_netpol *net)
{
    ka_hmap map;
    ka_hmap_init(&map, net->arena);
    ka_buf key;
    ka_buf_init(&key);
    unitix ix;
    unitix_build(net, &ix);
    np_u32vec sig = { 0, 0, NULL };
    bool host_pods = net->opts.host_network_pods;
    /* at most a class per member: one allocation, no doubling on large inputs */
    if (net->capclasses < net->nmembers) {
        net->capclasses = net->nmembers;
        net->classes = ka_xrealloc(net->classes, net->capclasses * sizeof *net->classes);
    }
    for (size_t i = 0; i < net->nmembers; i++) {
        np_member *m = &net->members[i];
        np_ep *e = &net->eps[m->ep];
        uint32_t ns = m->obj ? (uint32_t)np_ns_find(net, e->pub.ns) : UINT32_MAX;
        m->host = m->host && !host_pods;
        bool has_sig = m->naddrs > 0 && net->nunits > 0;
        if (has_sig)
            member_units(net, &ix, m, &sig);
        class_key(m, ns, &sig, has_sig, &key);
        void **slot = ka_hmap_slot(&map, (ka_str){ key.p, key.n });
        if (!*slot) {
            if (net->nclasses == net->capclasses) {
                net->capclasses = net->capclasses ? net->capclasses * 2 : 64;
                net->classes = ka_xrealloc(net->classes, net->capclasses * sizeof *net->classes);
            }
            np_class *c = &net->classes[net->nclasses];
            memset(c, 0, sizeof *c);
            c->ns = ns;
            c->external = m->obj == NULL;
            c->host = m->host;
            c->hostnet = m->obj && ka_netpol_host_network(m->obj);
            c->rep = (uint32_t)i;
            if (has_sig && sig.n) {
                c->nsig = sig.n;
                c->sig = ka_arena_alloc(net->arena, sig.n * sizeof *c->sig);
                memcpy(c->sig, sig.v, sig.n * sizeof *c->sig);
            }
            if (ns != UINT32_MAX)
                np_u32_push(&net->ns[ns].classes, (uint32_t)net->nclasses);
            *slot = (void *)(uintptr_t)++net->nclasses;
        }
        m->cls = (uint32_t)((uintptr_t)*slot - 1);
        np_class *c = &net->classes[m->cls];
        np_u32_push(&c->members, (uint32_t)i);
        if (c->eps.n == 0 || c->eps.v[c->eps.n - 1] != m->ep)
            np_u32_push(&c->eps, m->ep);
    }
    free(sig.v);
    unitix_free(&ix);
    ka_buf_free(&key);
    ka_hmap_free(&map);
    net->words = (net->nclasses + 63) / 64;
    if (net->words == 0)
        net->words = 1;
}

/* ---- what the policies select ------------------------------------------------- *
 * Every selector is evaluated once per distinct meaning, never once per
 * policy: the namespaces a namespaceSelector matches are cached by the
 * selector, the classes a peer matches by the peer (np_cset), and candidate
 * namespaces come from a label index when the selector names a label value. */

typedef struct selcache {
    ka_hmap ns_memo;       /* selector key -> np_u32vec* of namespaces, ascending */
    ka_hmap by_pair;       /* label key \0 value -> np_u32vec* of namespaces, ascending */
    bool pairs_built;
    ka_hmap cset_memo;     /* peer key -> cset index + 1 */
    np_u32vec *unit_cls;   /* unit -> classes whose addresses it matches */
    ka_ptrvec vecs;        /* np_u32vec values to free */
    ka_buf key;
} selcache;

static np_u32vec *new_vec(selcache *sc)
{
    np_u32vec *v = ka_xcalloc(1, sizeof *v);
    ka_ptrvec_push(&sc->vecs, v);
    return v;
}

/* An exact, injective key for a selector (its canonical text could, in
 * principle, print two different selectors alike). */
static void sel_key(ka_buf *b, const ka_selector *s)
{
    ka_buf_addc(b, s->nothing ? 'N' : 'S');
    uint32_t n = (uint32_t)s->n;
    ka_buf_add(b, &n, sizeof n);
    for (size_t i = 0; i < s->n; i++) {
        const ka_requirement *r = &s->reqs[i];
        uint32_t w[3] = { (uint32_t)r->op, (uint32_t)r->key.n, (uint32_t)r->nvals };
        ka_buf_add(b, w, sizeof w);
        ka_buf_add(b, r->key.p, r->key.n);
        for (size_t v = 0; v < r->nvals; v++) {
            uint32_t len = (uint32_t)r->vals[v].n;
            ka_buf_add(b, &len, sizeof len);
            ka_buf_add(b, r->vals[v].p, r->vals[v].n);
        }
    }
}

/* The requirement whose values name label pairs worth looking up (an
 * equality, or the In with the fewest values), or NULL. */
static const ka_requirement *index_req(const ka_selector *sel)
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

static ka_str pair_key(ka_buf *b, ka_str k, ka_str v)
{
    ka_buf_reset(b);
    ka_buf_addstr(b, k);
    ka_buf_addc(b, '\0');
    ka_buf_addstr(b, v);
    return (ka_str){ b->p, b->n };
}

static void build_pairs(ka_netpol *net, selcache *sc)
{
    sc->pairs_built = true;
    for (size_t i = 0; i < net->nns; i++) {
        const ka_labels *l = &net->ns[i].labels;
        for (size_t j = 0; j < l->n; j++) {
            void **slot = ka_hmap_slot(&sc->by_pair, pair_key(&sc->key, l->kv[j].key, l->kv[j].val));
            if (!*slot)
                *slot = new_vec(sc);
            np_u32vec *v = *slot;
            if (v->n == 0 || v->v[v->n - 1] != (uint32_t)i) /* a key repeated in the labels */
                np_u32_push(v, (uint32_t)i);
        }
    }
}

/* Namespaces a selector matches, ascending. */
static const np_u32vec *ns_matching(ka_netpol *net, selcache *sc, const ka_selector *sel)
{
    ka_buf_reset(&sc->key);
    sel_key(&sc->key, sel);
    void **slot = ka_hmap_slot(&sc->ns_memo, (ka_str){ sc->key.p, sc->key.n });
    if (*slot)
        return *slot;
    np_u32vec *out = new_vec(sc);
    *slot = out;
    if (sel->nothing)
        return out;
    const ka_requirement *r = index_req(sel);
    if (!r) {
        for (size_t i = 0; i < net->nns; i++)
            if (ka_selector_matches(sel, &net->ns[i].labels))
                np_u32_push(out, (uint32_t)i);
        return out;
    }
    if (!sc->pairs_built)
        build_pairs(net, sc);
    for (size_t v = 0; v < r->nvals; v++) {
        const np_u32vec *c = ka_hmap_get(&sc->by_pair, pair_key(&sc->key, r->key, r->vals[v]));
        for (size_t i = 0; c && i < c->n; i++)
            if (ka_selector_matches(sel, &net->ns[c->v[i]].labels))
                np_u32_push(out, c->v[i]);
    }
    u32_unique(out);
    return out;
}

static const ka_labels *class_labels(const ka_netpol *net, const np_class *c)
{
    return &net->members[c->rep].labels;
}

bool np_cset_has(const np_cset *s, uint32_t cls)
{
    if (s->bits)
        return np_bit(s->bits, cls);
    size_t lo = 0, hi = s->cls.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cls.v[mid] < cls)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->cls.n && s->cls.v[lo] == cls;
}

static uint32_t new_cset(ka_netpol *net)
{
    if (net->ncsets == net->capcsets) {
        net->capcsets = net->capcsets ? net->capcsets * 2 : 16;
        net->csets = ka_xrealloc(net->csets, net->capcsets * sizeof *net->csets);
    }
    memset(&net->csets[net->ncsets], 0, sizeof net->csets[net->ncsets]);
    return (uint32_t)net->ncsets++;
}

/* The classes peer q of policy p matches, as a shared cset. */
static uint32_t peer_cset(ka_netpol *net, selcache *sc, const np_policy *p, const np_peer *q)
{
    bool admin = p->tier != NP_TIER_NP;
    ka_buf *k = &sc->key;
    ka_buf_reset(k);
    if (q->kind == NP_PEER_CIDR) {
        if (q->unit >= net->nunits)
            return NP_CSET_NONE;
        ka_buf_addc(k, 'C');
        ka_buf_add(k, &q->unit, sizeof q->unit);
    } else if (q->kind == NP_PEER_SEL) {
        ka_buf_addc(k, admin ? 'A' : 'N');
        if (q->ns_mode == NP_NS_SEL) {
            ka_buf_addc(k, 's');
            sel_key(k, &q->nssel);
        } else {
            ka_buf_addc(k, 'o');
            ka_buf_add(k, &p->ns, sizeof p->ns);
        }
        ka_buf_addc(k, q->has_podsel ? 'p' : '-');
        if (q->has_podsel)
            sel_key(k, &q->podsel);
    } else {
        return NP_CSET_NONE;
    }
    void **slot = ka_hmap_slot(&sc->cset_memo, (ka_str){ k->p, k->n });
    if (*slot)
        return (uint32_t)((uintptr_t)*slot - 1);
    uint32_t id = new_cset(net);
    *slot = (void *)(uintptr_t)(id + 1);
    np_u32vec *out = &net->csets[id].cls;
    if (q->kind == NP_PEER_CIDR) {
        const np_u32vec *l = &sc->unit_cls[q->unit];
        for (size_t i = 0; i < l->n; i++)
            np_u32_push(out, l->v[i]);
    } else {
        uint32_t own_ns = p->ns;
        np_u32vec own = { 1, 1, &own_ns };
        const np_u32vec *nss = q->ns_mode == NP_NS_SEL ? ns_matching(net, sc, &q->nssel) : &own;
        for (size_t n = 0; n < nss->n; n++) {
            const np_ns *ns = &net->ns[nss->v[n]];
            for (size_t j = 0; j < ns->classes.n; j++) {
                uint32_t ci = ns->classes.v[j];
                const np_class *c = &net->classes[ci];
                /* selectors never match hostNetwork pods (node mode; always for ANP) */
                if (admin ? c->hostnet : c->host)
                    continue;
                if (q->has_podsel && !ka_selector_matches(&q->podsel, class_labels(net, c)))
                    continue;
                np_u32_push(out, ci);
            }
        }
        u32_unique(out);
    }
    /* a bitset copy when it is no bigger than the list, for the matrix */
    if (net->dense && out->n * 32 >= net->nclasses) {
        uint64_t *b = ka_arena_zalloc(net->arena, net->words * sizeof *b);
        for (size_t i = 0; i < out->n; i++)
            np_setbit(b, out->v[i]);
        net->csets[id].bits = b;
    }
    return id;
}

static void select_subjects(ka_netpol *net, selcache *sc)
{
    for (size_t pi = 0; pi < net->npol; pi++) {
        np_policy *p = &net->pol[pi];
        if (p->tier == NP_TIER_NP) {
            np_ns *ns = &net->ns[p->ns];
            for (size_t k = 0; k < ns->classes.n; k++) {
                np_class *c = &net->classes[ns->classes.v[k]];
                if (c->host || !ka_selector_matches(&p->podsel, class_labels(net, c)))
                    continue;
                for (int dir = 0; dir < 2; dir++)
                    if (p->types & (dir == NP_DIR_OUT ? KA_NETPOL_EGRESS : KA_NETPOL_INGRESS))
                        np_u32_push(&c->pol[dir], (uint32_t)pi);
            }
            continue;
        }
        const np_u32vec *nss = ns_matching(net, sc, &p->subj_nssel);
        for (size_t n = 0; n < nss->n; n++) {
            np_ns *ns = &net->ns[nss->v[n]];
            for (size_t k = 0; k < ns->classes.n; k++) {
                np_class *c = &net->classes[ns->classes.v[k]];
                /* "host-networked pods are not included in subject selection" */
                if (c->hostnet)
                    continue;
                if (p->subj_has_podsel && !ka_selector_matches(&p->podsel, class_labels(net, c)))
                    continue;
                for (int dir = 0; dir < 2; dir++)
                    if (p->nrules[dir])
                        np_u32_push(p->tier == NP_TIER_ADMIN ? &c->admin[dir] : &c->base[dir],
                                    (uint32_t)pi);
            }
        }
    }
}

static void match_rules(ka_netpol *net, selcache *sc)
{
    for (size_t pi = 0; pi < net->npol; pi++) {
        np_policy *p = &net->pol[pi];
        for (int dir = 0; dir < 2; dir++)
            for (size_t r = 0; r < p->nrules[dir]; r++) {
                np_rule *rule = &p->rules[dir][r];
                if (rule->all_peers)
                    continue;
                for (size_t q = 0; q < rule->npeers; q++)
                    rule->peers[q].cset = peer_cset(net, sc, p, &rule->peers[q]);
                if (!net->dense)
                    continue;
                rule->match = ka_arena_zalloc(net->arena, net->words * sizeof(uint64_t));
                for (size_t q = 0; q < rule->npeers; q++) {
                    if (rule->peers[q].cset == NP_CSET_NONE)
                        continue;
                    const np_cset *cs = &net->csets[rule->peers[q].cset];
                    if (cs->bits) {
                        for (size_t w = 0; w < net->words; w++)
                            rule->match[w] |= cs->bits[w];
                    } else {
                        for (size_t i = 0; i < cs->cls.n; i++)
                            np_setbit(rule->match, cs->cls.v[i]);
                    }
                }
            }
    }
}

/* ---- order ---------------------------------------------------------------------- */

static int cmp_ep(const void *a, const void *b, void *arg)
{
    const ka_netpol *net = arg;
    const np_ep *x = &net->eps[*(const uint32_t *)a], *y = &net->eps[*(const uint32_t *)b];
    bool xe = x->pub.kind == KA_EP_EXTERNAL, ye = y->pub.kind == KA_EP_EXTERNAL;
    if (xe != ye)
        return xe ? 1 : -1;
    if (xe) /* externals keep their command-line order */
        return x < y ? -1 : x > y;
    return strcmp(x->pub.name, y->pub.name);
}

/* qsort_r is not C11: a small merge sort with a context instead. */
static void sort_ctx(uint32_t *v, size_t n, int (*cmp)(const void *, const void *, void *), void *arg)
{
    if (n < 2)
        return;
    uint32_t *tmp = ka_xmalloc(n * sizeof *tmp);
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp(&v[j], &v[i], arg) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
    free(tmp);
}

static int cmp_class(const void *a, const void *b, void *arg)
{
    const ka_netpol *net = arg;
    const np_class *x = &net->classes[*(const uint32_t *)a], *y = &net->classes[*(const uint32_t *)b];
    uint32_t rx = net->eps[x->eps.v[0]].rank, ry = net->eps[y->eps.v[0]].rank;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int cmp_ep_rank(const void *a, const void *b, void *arg)
{
    const ka_netpol *net = arg;
    uint32_t x = net->eps[*(const uint32_t *)a].rank, y = net->eps[*(const uint32_t *)b].rank;
    return (x > y) - (x < y);
}

void np_order(ka_netpol *net)
{
    net->order = ka_xmalloc((net->neps ? net->neps : 1) * sizeof *net->order);
    for (size_t i = 0; i < net->neps; i++)
        net->order[i] = (uint32_t)i;
    sort_ctx(net->order, net->neps, cmp_ep, net);
    for (size_t i = 0; i < net->neps; i++) {
        net->eps[net->order[i]].rank = (uint32_t)i;
        net->eps[net->order[i]].pub.nmembers = net->eps[net->order[i]].members.n;
        void **slot = ka_hmap_slot(&net->epnames, ka_str_c(net->eps[net->order[i]].pub.name));
        if (!*slot) /* the first of equal names, as a search in order finds it */
            *slot = (void *)(uintptr_t)(i + 1);
    }
    for (size_t c = 0; c < net->nclasses; c++) {
        np_class *cl = &net->classes[c];
        sort_ctx(cl->eps.v, cl->eps.n, cmp_ep_rank, net);
        size_t k = 0; /* de-duplicate (members of one endpoint may interleave) */
        for (size_t i = 0; i < cl->eps.n; i++)
            if (k == 0 || cl->eps.v[k - 1] != cl->eps.v[i])
                cl->eps.v[k++] = cl->eps.v[i];
        cl->eps.n = k;
        cl->epranks = ka_arena_alloc(net->arena, (k ? k : 1) * sizeof *cl->epranks);
        for (size_t i = 0; i < k; i++)
            cl->epranks[i] = net->eps[cl->eps.v[i]].rank;
    }
    net->corder = ka_xmalloc((net->nclasses ? net->nclasses : 1) * sizeof *net->corder);
    for (size_t c = 0; c < net->nclasses; c++)
        net->corder[c] = (uint32_t)c;
    sort_ctx(net->corder, net->nclasses, cmp_class, net);
    for (size_t c = 0; c < net->nclasses; c++)
        net->classes[net->corder[c]].rank = (uint32_t)c;
}

void np_select(ka_netpol *net)
{
    selcache sc;
    memset(&sc, 0, sizeof sc);
    ka_hmap_init(&sc.ns_memo, net->arena);
    ka_hmap_init(&sc.by_pair, net->arena);
    ka_hmap_init(&sc.cset_memo, net->arena);
    ka_buf_init(&sc.key);
    /* unit -> classes, from the classes' (ascending) unit lists */
    sc.unit_cls = ka_xcalloc(net->nunits ? net->nunits : 1, sizeof *sc.unit_cls);
    for (size_t c = 0; c < net->nclasses; c++)
        for (size_t k = 0; k < net->classes[c].nsig; k++)
            np_u32_push(&sc.unit_cls[net->classes[c].sig[k]], (uint32_t)c);
    select_subjects(net, &sc);
    match_rules(net, &sc);
    for (size_t u = 0; u < net->nunits; u++)
        free(sc.unit_cls[u].v);
    free(sc.unit_cls);
    for (size_t i = 0; i < sc.vecs.n; i++) {
        np_u32vec *v = (np_u32vec *)sc.vecs.v[i];
        free(v->v);
        free(v);
    }
    ka_ptrvec_free(&sc.vecs);
    ka_buf_free(&sc.key);
    ka_hmap_free(&sc.ns_memo);
    ka_hmap_free(&sc.by_pair);
    ka_hmap_free(&sc.cset_memo);
}
