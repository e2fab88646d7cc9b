/*
 * rules_netpol.c - NetworkPolicy lint rules NET-010..NET-016, on top of the
 * netpol analysis (src/netpol/): the same policy compilation, selectors and
 * named-port resolution as `kubearch netpol`, so that lint and matrix agree.
 */
#include "rule.h"
#include "kubearch/netpol.h"
#include "../netpol/np_int.h"

#include <stdlib.h>
#include <string.h>

static bool is_np(const ka_object *o)
{
    return ka_str_eqc(o->kind, "NetworkPolicy") && ka_str_eqc(o->group, "networking.k8s.io");
}

static bool is_admin(const ka_object *o)
{
    return ka_str_eqc(o->group, "policy.networking.k8s.io") &&
           (ka_str_eqc(o->kind, "AdminNetworkPolicy") ||
            ka_str_eqc(o->kind, "BaselineAdminNetworkPolicy"));
}

/* A LabelSelector node that is present and empty ({}: matches everything). */
static bool empty_selector(const ka_node *n)
{
    if (!ka_is_map(n))
        return false;
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    char err[8];
    bool empty = ka_selector_from_node(a, n, &sel, NULL, err, sizeof err) == 0 &&
                 ka_selector_empty(&sel);
    ka_arena_free(a);
    return empty;
}

/* ---- NET-010 / NET-011: a rule that opens everything ------------------------ */

static void allows_all(ka_ctx *ctx, const ka_object *o, bool egress)
{
    if (!is_np(o) || !ka_netpol_isolates(o, egress))
        return;
    const char *dir = egress ? "egress" : "ingress", *pk = egress ? "to" : "from";
    const ka_node *rules = ka_path(o->spec, dir, NULL);
    for (uint32_t i = 0; ka_is_seq(rules) && i < ka_node_n(rules); i++) {
        const ka_node *r = KA_SEQ_ITEM(rules, i);
        const ka_node *ports = ka_get(r, "ports"), *peers = ka_get(r, pk);
        if (ka_is_seq(ports) && ka_node_n(ports) > 0)
            continue;
        if (!ka_is_seq(peers) || ka_node_n(peers) == 0) {
            ka_report(ctx, o, r, NULL,
                      "spec.%s[%u] has no `%s` (or an empty one) and no `ports`: it allows all %s %s "
                      "every pod and every address outside the cluster, on every port",
                      dir, i, pk, dir, egress ? "to" : "from");
            continue;
        }
        for (uint32_t j = 0; j < ka_node_n(peers); j++) {
            const ka_node *p = KA_SEQ_ITEM(peers, j);
            const ka_node *ps = ka_get(p, "podSelector");
            if (empty_selector(ka_get(p, "namespaceSelector")) && !ka_get(p, "ipBlock") &&
                (!ps || ka_is_null(ps) || empty_selector(ps))) {
                ka_report(ctx, o, p, NULL,
                          "spec.%s[%u].%s[%u] is `namespaceSelector: {}` with no `ports`: it allows "
                          "all %s %s every pod of every namespace, on every port",
                          dir, i, pk, j, dir, egress ? "to" : "from");
                break;
            }
        }
    }
}

void ka_rule_net010(ka_ctx *ctx, const ka_object *o)
{
    allows_all(ctx, o, false);
}

void ka_rule_net011(ka_ctx *ctx, const ka_object *o)
{
    allows_all(ctx, o, true);
}

/* ---- NET-014: egress-only policy that also isolates ingress ------------------ */

void ka_rule_net014(ka_ctx *ctx, const ka_object *o)
{
    if (!is_np(o) || ka_netpol_types_explicit(o))
        return;
    const ka_node *spec = o->spec;
    const ka_node *eg = ka_get(spec, "egress"), *in = ka_get(spec, "ingress");
    if (!ka_is_seq(eg) || ka_node_n(eg) == 0 || (ka_is_seq(in) && ka_node_n(in) > 0))
        return;
    const ka_node *at = ka_get_key(spec, "egress");
    ka_report(ctx, o, at ? at : spec, NULL,
              "policyTypes is omitted (or empty) and the policy has only egress rules: it defaults to "
              "[Ingress, Egress], so the selected pods are isolated for ingress too and, with no "
              "ingress rule, accept no incoming connection");
}

/* ---- the run's analysis ------------------------------------------------------------ *
 * Built once per run, on first use, and shared by the rules below; freed by
 * ka_check_run through ka_netcache_free. */

static void *build_policies(ka_ctx *ctx)
{
    ka_diags d; /* input errors are NET-015's and the loader's to report */
    ka_diags_init(&d);
    ka_netpol *net = np_build_policies(ctx->set, NULL, &d, true);
    ka_diags_free(&d);
    return net;
}

/* The run's compiled policies (every NP / ANP / BANP compiled once, with
 * the validation issues of the invalid ones). */
static ka_netpol *policies(ka_ctx *ctx)
{
    return ka_ctx_once(ctx, &ctx->run->netpol, build_policies);
}

void ka_netcache_free(ka_run *run)
{
    ka_netpol_free(atomic_exchange(&run->netpol.p, NULL));
    run->netmodel = false;
}

/* ---- NET-015: what the API server would reject --------------------------------- */

void ka_rule_net015(ka_ctx *ctx, const ka_object *o)
{
    if (!is_np(o) && !is_admin(o))
        return;
    const np_issues *issues = np_policy_issues(policies(ctx), o);
    for (size_t i = 0; issues && i < issues->n; i++)
        ka_report(ctx, o, issues->v[i].node, NULL, "%s", issues->v[i].msg);
}

/* ---- the analysis for the set rules ----------------------------------------------- */

/* Without any policy these rules have nothing to say: skip the analysis. */
static bool has_policies(const ka_objset *s, bool admin_only)
{
    return ka_objset_by_kind(s, "AdminNetworkPolicy").n > 0 ||
           (!admin_only && (ka_objset_by_kind(s, "NetworkPolicy").n > 0 ||
                            ka_objset_by_kind(s, "BaselineAdminNetworkPolicy").n > 0));
}

/* The run's model, without the per-rule bitsets the matrix needs: it stays
 * linear in the input. NULL when the input has no policy. */
static const ka_netpol *analysis(ka_ctx *ctx)
{
    if (!has_policies(ctx->set, false))
        return NULL;
    ka_netpol *net = policies(ctx);
    if (!ctx->run->netmodel) { /* the network set rules run on one thread */
        ctx->run->netmodel = true;
        ka_diags d;
        ka_diags_init(&d);
        np_build_model(net, &d, false);
        ka_diags_free(&d);
    }
    return net;
}

static void policy_list(const ka_netpol *net, const np_u32vec *pols, ka_buf *b)
{
    for (size_t i = 0; i < pols->n && i < 3; i++) {
        if (i)
            ka_buf_adds(b, ", ");
        ka_object_ref(net->pol[pols->v[i]].obj, b);
    }
    if (pols->n > 3)
        ka_buf_printf(b, " and %zu more", pols->n - 3);
}

/* The destinations of an egress rule are the classes of its peers' csets
 * (a rule without peers: every class, written ALL = net->ncsets). What the
 * rules ask of them is memoised per cset, so that a peer shared by
 * thousands of policies is looked at once. */

typedef struct lint {
    const ka_netpol *net;
    bool skip_host;          /* leave hostNetwork classes out of the destinations */
    ka_arena *arena;
    ka_hmap memo;            /* cset, protocol, port name -> answer */
    ka_buf key;
    uint8_t *done;           /* per cset (+ ALL): stats computed */
    uint32_t *min, *count;   /* per cset (+ ALL): lowest destination class, how many */
} lint;

static void lint_init(lint *l, const ka_netpol *net, bool skip_host)
{
    memset(l, 0, sizeof *l);
    l->net = net;
    l->skip_host = skip_host;
    l->arena = ka_arena_new();
    ka_hmap_init(&l->memo, l->arena);
    ka_buf_init(&l->key);
    l->done = ka_xcalloc(net->ncsets + 1, sizeof *l->done);
    l->min = ka_xcalloc(net->ncsets + 1, sizeof *l->min);
    l->count = ka_xcalloc(net->ncsets + 1, sizeof *l->count);
}

static void lint_free(lint *l)
{
    free(l->done);
    free(l->min);
    free(l->count);
    ka_buf_free(&l->key);
    ka_hmap_free(&l->memo);
    ka_arena_free(l->arena);
}

static size_t cset_n(const ka_netpol *net, uint32_t id)
{
    return id == net->ncsets ? net->nclasses : net->csets[id].cls.n;
}

static uint32_t cset_at(const ka_netpol *net, uint32_t id, size_t i)
{
    return id == net->ncsets ? (uint32_t)i : net->csets[id].cls.v[i];
}

static bool is_dest(const lint *l, uint32_t cls)
{
    const np_class *c = &l->net->classes[cls];
    return !c->external && !(l->skip_host && c->host);
}

/* The csets of rule r's destinations: rule_cset(net, r, q) for q below
 * rule_ncsets(r), NP_CSET_NONE for a peer that matches nothing. */
static size_t rule_ncsets(const np_rule *r)
{
    return r->all_peers ? 1 : r->npeers;
}

static uint32_t rule_cset(const ka_netpol *net, const np_rule *r, size_t q)
{
    return r->all_peers ? (uint32_t)net->ncsets : r->peers[q].cset;
}

/* The lowest destination class of cset id and how many there are. */
static void cset_stats(lint *l, uint32_t id, uint32_t *min, uint32_t *count)
{
    if (!l->done[id]) {
        l->done[id] = 1;
        l->min[id] = UINT32_MAX;
        size_t n = cset_n(l->net, id);
        for (size_t i = 0; i < n; i++) {
            uint32_t c = cset_at(l->net, id, i);
            if (!is_dest(l, c))
                continue;
            if (l->count[id]++ == 0)
                l->min[id] = c; /* ascending */
        }
    }
    *min = l->min[id];
    *count = l->count[id];
}

/* What the destinations of cset id say about a named port: does one define
 * it with this protocol (and as port 53), and which is the lowest class that
 * defines the name with another protocol (UINT32_MAX: none)? */
typedef struct named_ans {
    bool found, found53;
    uint32_t other;
} named_ans;

static const named_ans *named_in(lint *l, uint32_t id, const np_port *pt)
{
    ka_buf_reset(&l->key);
    ka_buf_add(&l->key, &id, sizeof id);
    ka_buf_addc(&l->key, (char)pt->proto);
    ka_buf_addstr(&l->key, pt->name);
    void **slot = ka_hmap_slot(&l->memo, (ka_str){ l->key.p, l->key.n });
    if (*slot)
        return *slot;
    named_ans *a = ka_arena_zalloc(l->arena, sizeof *a);
    a->other = UINT32_MAX;
    *slot = a;
    const ka_netpol *net = l->net;
    size_t n = cset_n(net, id);
    for (size_t i = 0; i < n && !a->found53; i++) {
        uint32_t c = cset_at(net, id, i);
        if (!is_dest(l, c))
            continue;
        const np_member *m = &net->members[net->classes[c].rep];
        for (size_t k = 0; k < m->ncports; k++) {
            if (!ka_str_eq(m->cports[k].name, pt->name))
                continue;
            if (m->cports[k].proto == pt->proto) {
                a->found = true;
                a->found53 = a->found53 || m->cports[k].port == 53;
            } else if (a->other == UINT32_MAX) {
                a->other = c;
            }
        }
    }
    return a;
}

/* ---- NET-012: DNS egress ------------------------------------------------------------ */

enum { DNS_UDP = 1, DNS_TCP = 2, DNS_KNOWN = 4 };

static unsigned dns_bit(unsigned proto)
{
    return proto == KA_PROTO_UDP ? DNS_UDP : proto == KA_PROTO_TCP ? DNS_TCP : 0;
}

/* On which of UDP 53 / TCP 53 does egress rule r allow anything? Named ports
 * resolve against the destinations; a rule with named ports and no
 * destination allows nothing (not even its numbered ports). */
static unsigned rule_dns(lint *l, const np_rule *r)
{
    if (r->all_ports)
        return DNS_UDP | DNS_TCP;
    unsigned f = 0;
    bool named = false;
    for (size_t j = 0; j < r->nports; j++) {
        const np_port *pt = &r->ports[j];
        if (pt->kind == NP_PORT_ALLPORTS)
            f |= dns_bit(pt->proto);
        else if (pt->kind == NP_PORT_RANGE && pt->lo <= 53 && 53 <= pt->hi)
            f |= dns_bit(pt->proto);
        else if (pt->kind == NP_PORT_NAMED)
            named = true;
    }
    if (!named)
        return f;
    size_t nids = rule_ncsets(r);
    bool any = false;
    for (size_t i = 0; i < nids && !any; i++) {
        uint32_t id = rule_cset(l->net, r, i), min, count;
        if (id == NP_CSET_NONE)
            continue;
        cset_stats(l, id, &min, &count);
        any = count > 0;
    }
    if (!any)
        return 0;
    for (size_t j = 0; j < r->nports; j++) {
        const np_port *pt = &r->ports[j];
        if (pt->kind != NP_PORT_NAMED || !dns_bit(pt->proto) || (f & dns_bit(pt->proto)))
            continue;
        for (size_t i = 0; i < nids; i++) {
            uint32_t id = rule_cset(l->net, r, i);
            if (id != NP_CSET_NONE && named_in(l, id, pt)->found53) {
                f |= dns_bit(pt->proto);
                break;
            }
        }
    }
    return f;
}

void ka_setrule_net012(ka_ctx *ctx, const ka_objset *s)
{
    (void)s;
    const ka_netpol *net = analysis(ctx);
    if (!net)
        return;
    lint l;
    lint_init(&l, net, false);
    uint8_t *dns = ka_xcalloc(net->nclasses ? net->nclasses : 1, 1); /* per class */
    ka_buf b;
    ka_buf_init(&b);
    for (size_t e = 0; e < net->neps; e++) {
        const np_ep *ep = &net->eps[net->order[e]];
        if (ep->pub.kind == KA_EP_EXTERNAL)
            continue;
        uint32_t ci = net->members[ep->members.v[0]].cls;
        const np_class *c = &net->classes[ci];
        if (c->host || c->pol[NP_DIR_OUT].n == 0 || c->admin[NP_DIR_OUT].n || c->base[NP_DIR_OUT].n)
            continue;
        if (!dns[ci]) {
            unsigned f = DNS_KNOWN;
            for (size_t i = 0; i < c->pol[NP_DIR_OUT].n; i++) {
                const np_policy *p = &net->pol[c->pol[NP_DIR_OUT].v[i]];
                for (size_t k = 0; k < p->nrules[NP_DIR_OUT] && (f & (DNS_UDP | DNS_TCP)) != (DNS_UDP | DNS_TCP); k++)
                    f |= rule_dns(&l, &p->rules[NP_DIR_OUT][k]);
            }
            dns[ci] = (uint8_t)f;
        }
        bool udp = dns[ci] & DNS_UDP, tcp = dns[ci] & DNS_TCP;
        if (udp && tcp)
            continue;
        ka_buf_reset(&b);
        policy_list(net, &c->pol[NP_DIR_OUT], &b);
        ka_report(ctx, ep->pub.obj, NULL, NULL,
                  "egress is isolated by %s, but no egress rule allows DNS on %s%s", ka_buf_cstr(&b),
                  !udp && !tcp ? "UDP 53 or TCP 53" : !udp ? "UDP 53" : "TCP 53",
                  !udp && !tcp ? "" : !udp ? " (TCP 53 is allowed)" : " (UDP 53 is allowed)");
    }
    ka_buf_free(&b);
    free(dns);
    lint_free(&l);
}

/* ---- NET-013: named ports nobody defines ---------------------------------------------- */

/* The destinations of one rule as NET-013 sees them for one named port. */
typedef struct dests {
    uint32_t first;   /* lowest destination class, UINT32_MAX: none */
    bool many;        /* more than one destination class */
    bool found;       /* one defines the port with its protocol */
    uint32_t other;   /* lowest one defining the name with another protocol */
} dests;

static void report_named(ka_ctx *ctx, const ka_netpol *net, const np_policy *p, const np_rule *r,
                         int dir, const np_port *pt, const dests *d)
{
    const char *proto = ka_proto_name(pt->proto);
    if (d->other != UINT32_MAX) {
        const np_member *other = &net->members[net->classes[d->other].rep];
        const char *oproto = "?";
        for (size_t k = 0; k < other->ncports; k++) /* the last one, as it always was */
            if (ka_str_eq(other->cports[k].name, pt->name))
                oproto = ka_proto_name(other->cports[k].proto);
        ka_report(ctx, p->obj, pt->node, NULL,
                  "spec.%s[%d]: named port \"%.*s\" is %s here, but %s defines it for %s: the "
                  "entry matches nothing",
                  dir == NP_DIR_IN ? "ingress" : "egress", r->index, (int)pt->name.n, pt->name.p,
                  proto, net->eps[other->ep].pub.name, oproto);
    } else {
        const np_class *fc = &net->classes[d->first];
        ka_report(ctx, p->obj, pt->node, NULL,
                  "spec.%s[%d]: no destination container defines a %s port named \"%.*s\" "
                  "(destinations: %s%s): the entry matches nothing",
                  dir == NP_DIR_IN ? "ingress" : "egress", r->index, proto, (int)pt->name.n,
                  pt->name.p, net->eps[fc->eps.v[0]].pub.name, d->many || fc->eps.n > 1 ? ", ..." : "");
    }
}

/* Ingress: the destinations are the classes the policy selects (subject,
 * ascending), scanned as they are. */
static void subject_dests(const ka_netpol *net, const np_u32vec *subject, const np_port *pt,
                          dests *d)
{
    d->first = subject->n ? subject->v[0] : UINT32_MAX;
    d->many = subject->n > 1;
    d->found = false;
    d->other = UINT32_MAX;
    for (size_t i = 0; i < subject->n && !d->found; i++) {
        uint32_t c = subject->v[i];
        const np_member *m = &net->members[net->classes[c].rep];
        for (size_t k = 0; k < m->ncports; k++) {
            if (!ka_str_eq(m->cports[k].name, pt->name))
                continue;
            if (m->cports[k].proto == pt->proto)
                d->found = true;
            else if (d->other == UINT32_MAX)
                d->other = c;
        }
    }
}

/* Egress: the destinations are the union of the rule's csets. */
static void peer_dests(lint *l, const np_rule *r, const np_port *pt, dests *d)
{
    d->first = UINT32_MAX;
    d->many = false;
    d->found = false;
    d->other = UINT32_MAX;
    size_t nids = rule_ncsets(r);
    for (size_t i = 0; i < nids; i++) {
        uint32_t id = rule_cset(l->net, r, i), min, count;
        if (id == NP_CSET_NONE)
            continue;
        cset_stats(l, id, &min, &count);
        if (count == 0)
            continue;
        if (count > 1 || (d->first != UINT32_MAX && min != d->first))
            d->many = true;
        if (min < d->first)
            d->first = min;
    }
    if (d->first == UINT32_MAX)
        return;
    for (size_t i = 0; i < nids && !d->found; i++) {
        uint32_t id = rule_cset(l->net, r, i);
        if (id == NP_CSET_NONE)
            continue;
        const named_ans *a = named_in(l, id, pt);
        d->found = a->found;
        if (a->other < d->other)
            d->other = a->other;
    }
}

static void check_named(ka_ctx *ctx, lint *l, const np_policy *p, const np_rule *r, int dir,
                        const np_u32vec *subject)
{
    const ka_netpol *net = l->net;
    bool named = false;
    for (size_t j = 0; j < r->nports; j++)
        named = named || r->ports[j].kind == NP_PORT_NAMED;
    if (!named)
        return;
    bool only_cidr = dir == NP_DIR_OUT && !r->all_peers && r->npeers > 0;
    for (size_t q = 0; q < r->npeers && only_cidr; q++)
        only_cidr = r->peers[q].kind == NP_PEER_CIDR;
    for (size_t j = 0; j < r->nports; j++) {
        const np_port *pt = &r->ports[j];
        if (pt->kind != NP_PORT_NAMED)
            continue;
        if (only_cidr) {
            ka_report(ctx, p->obj, pt->node, NULL,
                      "spec.%s[%d]: named port \"%.*s\" can never match: the rule's destinations "
                      "are ipBlocks / networks, which have no container ports",
                      dir == NP_DIR_IN ? "ingress" : "egress", r->index, (int)pt->name.n,
                      pt->name.p);
            continue;
        }
        dests d;
        if (dir == NP_DIR_IN)
            subject_dests(net, subject, pt, &d);
        else
            peer_dests(l, r, pt, &d);
        if (d.first == UINT32_MAX)
            continue; /* selects nothing: NET-003 / NET-004 */
        if (!d.found)
            report_named(ctx, net, p, r, dir, pt, &d);
    }
}

void ka_setrule_net013(ka_ctx *ctx, const ka_objset *s)
{
    (void)s;
    const ka_netpol *net = analysis(ctx);
    if (!net)
        return;
    lint l;
    lint_init(&l, net, true);
    /* classes each policy selects, for the ingress side */
    np_u32vec *subj = ka_xcalloc(net->npol ? net->npol : 1, sizeof *subj);
    for (size_t c = 0; c < net->nclasses; c++) {
        const np_class *cl = &net->classes[c];
        const np_u32vec *lists[3] = { &cl->pol[NP_DIR_IN], &cl->admin[NP_DIR_IN], &cl->base[NP_DIR_IN] };
        for (int li = 0; li < 3; li++)
            for (size_t i = 0; i < lists[li]->n; i++)
                np_u32_push(&subj[lists[li]->v[i]], (uint32_t)c);
    }
    for (size_t pi = 0; pi < net->npol; pi++) {
        const np_policy *p = &net->pol[pi];
        for (int dir = 0; dir < 2; dir++)
            for (size_t k = 0; k < p->nrules[dir]; k++)
                check_named(ctx, &l, p, &p->rules[dir][k], dir, &subj[pi]);
    }
    for (size_t pi = 0; pi < net->npol; pi++)
        free(subj[pi].v);
    free(subj);
    lint_free(&l);
}

/* ---- NET-016: ANP priority ties ---------------------------------------------------------- */

void ka_setrule_net016(ka_ctx *ctx, const ka_objset *s)
{
    if (!has_policies(s, true))
        return;
    const ka_netpol *net = analysis(ctx);
    if (!net)
        return;
    /* pairs already reported: (policy, policy, direction) */
    ka_arena *a = ka_arena_new();
    ka_hmap seen;
    ka_hmap_init(&seen, a);
    for (size_t c = 0; c < net->nclasses; c++) {
        const np_class *cl = &net->classes[c];
        for (int dir = 0; dir < 2; dir++) {
            const np_u32vec *l = &cl->admin[dir];
            for (size_t i = 0; i < l->n; i++)
                for (size_t j = i + 1; j < l->n; j++) {
                    const np_policy *pa = &net->pol[l->v[i]], *pb = &net->pol[l->v[j]];
                    if (pa->priority != pb->priority)
                        break; /* sorted by priority */
                    uint32_t key[3] = { l->v[i], l->v[j], (uint32_t)dir };
                    void **mark = ka_hmap_slot(&seen, (ka_str){ (const char *)key, sizeof key });
                    if (*mark)
                        continue;
                    *mark = (void *)1;
                    ka_buf ra;
                    ka_buf_init(&ra);
                    ka_object_ref(pa->obj, &ra);
                    const ka_node *pr = ka_path(pb->obj->root, "spec", "priority", NULL);
                    ka_report(ctx, pb->obj, pr, NULL,
                              "%s has the same priority (%d) and both select %s for %s: which "
                              "one applies first is undefined",
                              ka_buf_cstr(&ra), (int)pa->priority,
                              net->eps[cl->eps.v[0]].pub.name, dir == NP_DIR_IN ? "ingress" : "egress");
                    ka_buf_free(&ra);
                }
        }
    }
    ka_hmap_free(&seen);
    ka_arena_free(a);
}
