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
    const ka_node *rules = ka_path(o->root, "spec", dir, NULL);
    for (uint32_t i = 0; ka_is_seq(rules) && i < rules->n; i++) {
        const ka_node *r = KA_SEQ_ITEM(rules, i);
        const ka_node *ports = ka_get(r, "ports"), *peers = ka_get(r, pk);
        if (ka_is_seq(ports) && ports->n > 0)
            continue;
        if (!ka_is_seq(peers) || peers->n == 0) {
            ka_report(ctx, o, r, NULL,
                      "spec.%s[%u] has no `%s` (or an empty one) and no `ports`: it allows all %s %s "
                      "every pod and every address outside the cluster, on every port",
                      dir, i, pk, dir, egress ? "to" : "from");
            continue;
        }
        for (uint32_t j = 0; j < peers->n; j++) {
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
    const ka_node *spec = ka_get(o->root, "spec");
    const ka_node *eg = ka_get(spec, "egress"), *in = ka_get(spec, "ingress");
    if (!ka_is_seq(eg) || eg->n == 0 || (ka_is_seq(in) && in->n > 0))
        return;
    const ka_node *at = ka_get_key(spec, "egress");
    ka_report(ctx, o, at ? at : spec, NULL,
              "policyTypes is omitted (or empty) and the policy has only egress rules: it defaults to "
              "[Ingress, Egress], so the selected pods are isolated for ingress too and, with no "
              "ingress rule, accept no incoming connection");
}

/* ---- NET-015: what the API server would reject --------------------------------- */

void ka_rule_net015(ka_ctx *ctx, const ka_object *o)
{
    if (!is_np(o) && !is_admin(o))
        return;
    ka_netpol *net = np_context_new(ctx->set);
    np_issues issues = { 0, 0, NULL };
    np_policy p;
    np_compile_one(net, o, &p, NULL, &issues);
    for (size_t i = 0; i < issues.n; i++)
        ka_report(ctx, o, issues.v[i].node, NULL, "%s", issues.v[i].msg);
    np_issues_free(&issues);
    ka_netpol_free(net);
}

/* ---- the analysis for the set rules ----------------------------------------------- */

/* Without any policy these rules have nothing to say: skip the analysis. */
static bool has_policies(const ka_objset *s, bool admin_only)
{
    return ka_objset_by_kind(s, "AdminNetworkPolicy").n > 0 ||
           (!admin_only && (ka_objset_by_kind(s, "NetworkPolicy").n > 0 ||
                            ka_objset_by_kind(s, "BaselineAdminNetworkPolicy").n > 0));
}

static ka_netpol *analysis(const ka_objset *s)
{
    ka_diags d; /* input errors are NET-015's and the loader's to report */
    ka_diags_init(&d);
    ka_netpol *net = ka_netpol_build(s, NULL, &d);
    ka_diags_free(&d);
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

/* ---- NET-012: DNS egress ------------------------------------------------------------ */

/* Ports on which some egress rule of the class's policies allows anything. */
static void egress_ports(const ka_netpol *net, const np_class *c, ka_portset *out, ka_portset *tmp)
{
    ka_portset_clear(out);
    for (size_t i = 0; i < c->pol[NP_DIR_OUT].n; i++) {
        const np_policy *p = &net->pol[c->pol[NP_DIR_OUT].v[i]];
        for (size_t k = 0; k < p->nrules[NP_DIR_OUT]; k++) {
            const np_rule *r = &p->rules[NP_DIR_OUT][k];
            bool named = false;
            for (size_t j = 0; j < r->nports; j++)
                named = named || r->ports[j].kind == NP_PORT_NAMED;
            if (!named) {
                /* numbers do not depend on the destination: any class will do */
                np_resolve_ports(net, r, 0, tmp);
                ka_portset_union(out, tmp);
                continue;
            }
            for (size_t d = 0; d < net->nclasses; d++) {
                if (net->classes[d].external || !np_rule_matches(r, (uint32_t)d))
                    continue;
                np_resolve_ports(net, r, (uint32_t)d, tmp);
                ka_portset_union(out, tmp);
            }
        }
    }
}

void ka_setrule_net012(ka_ctx *ctx, const ka_objset *s)
{
    if (!has_policies(s, false))
        return;
    ka_netpol *net = analysis(s);
    ka_portset ports = { 0, 0, NULL }, tmp = { 0, 0, NULL };
    ka_buf b;
    ka_buf_init(&b);
    for (size_t e = 0; e < net->neps; e++) {
        const np_ep *ep = &net->eps[net->order[e]];
        if (ep->pub.kind == KA_EP_EXTERNAL)
            continue;
        const np_class *c = &net->classes[net->members[ep->members.v[0]].cls];
        if (c->host || c->pol[NP_DIR_OUT].n == 0 || c->admin[NP_DIR_OUT].n || c->base[NP_DIR_OUT].n)
            continue;
        egress_ports(net, c, &ports, &tmp);
        bool udp = ka_portset_contains(&ports, KA_PROTO_UDP, 53);
        bool tcp = ka_portset_contains(&ports, KA_PROTO_TCP, 53);
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
    ka_portset_free(&ports);
    ka_portset_free(&tmp);
    ka_netpol_free(net);
}

/* ---- NET-013: named ports nobody defines ---------------------------------------------- */

static void check_named(ka_ctx *ctx, const ka_netpol *net, const np_policy *p, const np_rule *r,
                        int dir, const np_u32vec *subject)
{
    bool named = false;
    for (size_t j = 0; j < r->nports; j++)
        named = named || r->ports[j].kind == NP_PORT_NAMED;
    if (!named)
        return;
    /* the destinations: the selected pods (ingress) or the rule's peers (egress) */
    np_u32vec dests = { 0, 0, NULL };
    if (dir == NP_DIR_IN) {
        for (size_t i = 0; i < subject->n; i++)
            np_u32_push(&dests, subject->v[i]);
    } else {
        for (size_t d = 0; d < net->nclasses; d++)
            if (!net->classes[d].external && !net->classes[d].host && np_rule_matches(r, (uint32_t)d))
                np_u32_push(&dests, (uint32_t)d);
    }
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
        if (dests.n == 0)
            continue; /* selects nothing: NET-003 / NET-004 */
        bool found = false;
        const np_member *other = NULL;
        for (size_t i = 0; i < dests.n && !found; i++) {
            const np_member *m = &net->members[net->classes[dests.v[i]].rep];
            for (size_t k = 0; k < m->ncports; k++) {
                if (!ka_str_eq(m->cports[k].name, pt->name))
                    continue;
                if (m->cports[k].proto == pt->proto)
                    found = true;
                else if (!other)
                    other = m;
            }
        }
        if (found)
            continue;
        const char *proto = ka_proto_name(pt->proto);
        if (other) {
            const char *oproto = "?";
            for (size_t k = 0; k < other->ncports; k++)
                if (ka_str_eq(other->cports[k].name, pt->name))
                    oproto = ka_proto_name(other->cports[k].proto);
            ka_report(ctx, p->obj, pt->node, NULL,
                      "spec.%s[%d]: named port \"%.*s\" is %s here, but %s defines it for %s: the "
                      "entry matches nothing",
                      dir == NP_DIR_IN ? "ingress" : "egress", r->index, (int)pt->name.n,
                      pt->name.p, proto, net->eps[other->ep].pub.name, oproto);
        } else {
            ka_report(ctx, p->obj, pt->node, NULL,
                      "spec.%s[%d]: no destination container defines a %s port named \"%.*s\" "
                      "(destinations: %s%s): the entry matches nothing",
                      dir == NP_DIR_IN ? "ingress" : "egress", r->index, proto, (int)pt->name.n,
                      pt->name.p, net->eps[net->classes[dests.v[0]].eps.v[0]].pub.name,
                      dests.n > 1 || net->classes[dests.v[0]].eps.n > 1 ? ", ..." : "");
        }
    }
    free(dests.v);
}

void ka_setrule_net013(ka_ctx *ctx, const ka_objset *s)
{
    if (!has_policies(s, false))
        return;
    ka_netpol *net = analysis(s);
    /* classes each policy selects, for the ingress side */
    np_u32vec *subj = ka_xcalloc(net->npol ? net->npol : 1, sizeof *subj);
    for (size_t c = 0; c < net->nclasses; c++) {
        const np_class *cl = &net->classes[c];
        const np_u32vec *lists[3] = { &cl->pol[NP_DIR_IN], &cl->admin[NP_DIR_IN], &cl->base[NP_DIR_IN] };
        for (int l = 0; l < 3; l++)
            for (size_t i = 0; i < lists[l]->n; i++)
                np_u32_push(&subj[lists[l]->v[i]], (uint32_t)c);
    }
    for (size_t pi = 0; pi < net->npol; pi++) {
        const np_policy *p = &net->pol[pi];
        for (int dir = 0; dir < 2; dir++)
            for (size_t k = 0; k < p->nrules[dir]; k++)
                check_named(ctx, net, p, &p->rules[dir][k], dir, &subj[pi]);
    }
    for (size_t pi = 0; pi < net->npol; pi++)
        free(subj[pi].v);
    free(subj);
    ka_netpol_free(net);
}

/* ---- NET-016: ANP priority ties ---------------------------------------------------------- */

void ka_setrule_net016(ka_ctx *ctx, const ka_objset *s)
{
    if (!has_policies(s, true))
        return;
    ka_netpol *net = analysis(s);
    size_t n = net->nadmin;
    /* pairs already reported: n x n x 2 bits (ANPs are few) */
    uint8_t *seen = n ? ka_xcalloc(n * n * 2, 1) : NULL;
    for (size_t c = 0; c < net->nclasses; c++) {
        const np_class *cl = &net->classes[c];
        for (int dir = 0; dir < 2; dir++) {
            const np_u32vec *l = &cl->admin[dir];
            for (size_t i = 0; i < l->n; i++)
                for (size_t j = i + 1; j < l->n; j++) {
                    const np_policy *a = &net->pol[l->v[i]], *b = &net->pol[l->v[j]];
                    if (a->priority != b->priority)
                        break; /* sorted by priority */
                    uint8_t *mark = &seen[((size_t)l->v[i] * n + l->v[j]) * 2 + (size_t)dir];
                    if (*mark)
                        continue;
                    *mark = 1;
                    ka_buf ra;
                    ka_buf_init(&ra);
                    ka_object_ref(a->obj, &ra);
                    const ka_node *pr = ka_path(b->obj->root, "spec", "priority", NULL);
                    ka_report(ctx, b->obj, pr, NULL,
                              "%s has the same priority (%d) and both select %s for %s: which "
                              "one applies first is undefined",
                              ka_buf_cstr(&ra), (int)a->priority,
                              net->eps[cl->eps.v[0]].pub.name, dir == NP_DIR_IN ? "ingress" : "egress");
                    ka_buf_free(&ra);
                }
        }
    }
    free(seen);
    ka_netpol_free(net);
}
