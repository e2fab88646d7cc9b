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

static void class_key(np_member *m, uint32_t ns, uint64_t *sig, size_t sigwords, bool has_sig,
                      ka_buf *key)
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
    if (has_sig)
        ka_buf_add(key, sig, sigwords * sizeof *sig);
    else
        ka_buf_addc(key, '-');
}

void np_build_classes(ka_netpol *net)
{
    ka_hmap map;
    ka_hmap_init(&map, net->arena);
    ka_buf key;
    ka_buf_init(&key);
    size_t sigwords = (net->nunits + 63) / 64;
    uint64_t *sig = ka_xcalloc(sigwords ? sigwords : 1, sizeof *sig);
    bool host_pods = net->opts.host_network_pods;
    for (size_t i = 0; i < net->nmembers; i++) {
        np_member *m = &net->members[i];
        np_ep *e = &net->eps[m->ep];
        uint32_t ns = m->obj ? (uint32_t)np_ns_find(net, e->pub.ns) : UINT32_MAX;
        m->host = m->host && !host_pods;
        bool has_sig = m->naddrs > 0 && net->nunits > 0;
        if (has_sig) {
            memset(sig, 0, sigwords * sizeof *sig);
            for (size_t u = 0; u < net->nunits; u++)
                if (np_unit_matches(net, &net->units[u], m))
                    np_setbit(sig, u);
        }
        class_key(m, ns, sig, sigwords, has_sig, &key);
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
            if (has_sig) {
                c->sig = ka_arena_alloc(net->arena, sigwords * sizeof *sig);
                memcpy(c->sig, sig, sigwords * sizeof *sig);
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
    free(sig);
    ka_buf_free(&key);
    ka_hmap_free(&map);
    net->words = (net->nclasses + 63) / 64;
    if (net->words == 0)
        net->words = 1;
}

/* ---- what the policies select ------------------------------------------------- */

/* Namespaces a selector matches, cached by the selector's canonical text:
 * thousands of policies share a handful of namespace selectors. */
typedef struct nscache {
    ka_hmap map;
    size_t words;
    ka_buf key;
} nscache;

static const uint64_t *ns_matching(ka_netpol *net, nscache *nc, const ka_selector *sel)
{
    ka_buf_reset(&nc->key);
    if (sel->nothing)
        ka_buf_addc(&nc->key, '\1');
    else
        ka_selector_string(sel, &nc->key);
    ka_buf_addc(&nc->key, '\0');
    void **slot = ka_hmap_slot(&nc->map, (ka_str){ nc->key.p, nc->key.n });
    if (*slot)
        return *slot;
    uint64_t *b = ka_arena_zalloc(net->arena, nc->words * sizeof *b);
    for (size_t i = 0; i < net->nns; i++)
        if (ka_selector_matches(sel, &net->ns[i].labels))
            np_setbit(b, i);
    *slot = b;
    return b;
}

static const ka_labels *class_labels(const ka_netpol *net, const np_class *c)
{
    return &net->members[c->rep].labels;
}

static void select_subjects(ka_netpol *net, nscache *nc)
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
        const uint64_t *nsb = ns_matching(net, nc, &p->subj_nssel);
        for (size_t n = 0; n < net->nns; n++) {
            if (!np_bit(nsb, n))
                continue;
            np_ns *ns = &net->ns[n];
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

static void match_peer(ka_netpol *net, nscache *nc, const np_policy *p, const np_peer *q,
                       uint64_t *out)
{
    if (q->kind == NP_PEER_CIDR) {
        for (size_t c = 0; c < net->nclasses; c++)
            if (net->classes[c].sig && np_bit(net->classes[c].sig, q->unit))
                np_setbit(out, c);
        return;
    }
    if (q->kind != NP_PEER_SEL)
        return;
    bool admin = p->tier != NP_TIER_NP;
    const uint64_t *nsb = NULL;
    if (q->ns_mode == NP_NS_SEL)
        nsb = ns_matching(net, nc, &q->nssel);
    for (size_t n = 0; n < net->nns; n++) {
        if (nsb ? !np_bit(nsb, n) : n != p->ns)
            continue;
        const np_ns *ns = &net->ns[n];
        for (size_t k = 0; k < ns->classes.n; k++) {
            uint32_t ci = ns->classes.v[k];
            const np_class *c = &net->classes[ci];
            /* selectors never match hostNetwork pods (node mode; always for ANP) */
            if (admin ? c->hostnet : c->host)
                continue;
            if (q->has_podsel && !ka_selector_matches(&q->podsel, class_labels(net, c)))
                continue;
            np_setbit(out, ci);
        }
    }
}

static void match_rules(ka_netpol *net, nscache *nc)
{
    for (size_t pi = 0; pi < net->npol; pi++) {
        np_policy *p = &net->pol[pi];
        for (int dir = 0; dir < 2; dir++)
            for (size_t r = 0; r < p->nrules[dir]; r++) {
                np_rule *rule = &p->rules[dir][r];
                if (rule->all_peers)
                    continue;
                rule->match = ka_arena_zalloc(net->arena, net->words * sizeof(uint64_t));
                for (size_t q = 0; q < rule->npeers; q++)
                    match_peer(net, nc, p, &rule->peers[q], rule->match);
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
    nscache nc;
    ka_hmap_init(&nc.map, net->arena);
    nc.words = (net->nns + 63) / 64 + 1;
    ka_buf_init(&nc.key);
    select_subjects(net, &nc);
    match_rules(net, &nc);
    ka_buf_free(&nc.key);
    ka_hmap_free(&nc.map);
}
