/*
 * eval.c - the verdict for one side of one connection, and for one pair.
 *
 * A connection needs both sides: the source's egress and the destination's
 * ingress, each decided by the policies of that pod's own namespace (and the
 * cluster-wide admin tiers). Per side, with port sets instead of single ports
 * so that a whole pair is answered at once:
 *
 *   undecided = every port
 *   Admin tier (ANPs by priority, rules in order, first match wins):
 *       Allow -> allowed, Deny -> dropped, Pass -> handed to the next tier;
 *       all three remove the ports from undecided
 *   NetworkPolicy tier (undecided + passed ports): if some policy selects the
 *       pod for this direction, allowed += union of the matching rules' ports
 *       and the rest is denied; stop
 *   Baseline tier (BANP rules in order): Allow / Deny as above
 *   whatever is left is allowed
 *
 * Named ports are always resolved against the destination: for egress that
 * is the peer, for ingress the selected pod itself.
 */
#include "np_int.h"

#include <stdlib.h>
#include <string.h>

void np_scratch_free(np_scratch *s)
{
    for (size_t i = 0; i < sizeof s->t / sizeof s->t[0]; i++)
        ka_portset_free(&s->t[i]);
}

void ka_np_explain_free(ka_np_explain *e)
{
    for (size_t i = 0; i < e->n; i++)
        ka_portset_free(&e->v[i].ports);
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}

static void step(ka_np_explain *ex, int dir, ka_np_stepkind kind, const np_policy *p,
                 const np_rule *r, const ka_portset *ports)
{
    if (!ex)
        return;
    if (ex->n == ex->cap) {
        ex->cap = ex->cap ? ex->cap * 2 : 8;
        ex->v = ka_xrealloc(ex->v, ex->cap * sizeof *ex->v);
    }
    ka_np_step *s = &ex->v[ex->n++];
    memset(s, 0, sizeof *s);
    s->side = dir == NP_DIR_OUT ? KA_NETPOL_EGRESS : KA_NETPOL_INGRESS;
    s->kind = kind;
    s->policy = p ? p->obj : NULL;
    s->rule = r ? r->index : -1;
    s->rule_name = r ? r->name : (ka_str){ "", 0 };
    if (ports)
        ka_portset_copy(&s->ports, ports);
}

bool np_rule_matches(const ka_netpol *net, const np_rule *r, uint32_t peer_cls)
{
    if (r->all_peers)
        return true;
    if (r->match)
        return np_bit(r->match, peer_cls);
    for (size_t q = 0; q < r->npeers; q++)
        if (r->peers[q].cset != NP_CSET_NONE && np_cset_has(&net->csets[r->peers[q].cset], peer_cls))
            return true;
    return false;
}

void np_resolve_ports(const ka_netpol *net, const np_rule *r, uint32_t dst_cls, ka_portset *out)
{
    ka_portset_clear(out);
    if (r->all_ports) {
        ka_portset_all(out);
        return;
    }
    const np_class *dc = &net->classes[dst_cls];
    const np_member *rep = &net->members[dc->rep];
    for (size_t i = 0; i < r->nports; i++) {
        const np_port *p = &r->ports[i];
        switch (p->kind) {
        case NP_PORT_ALLPORTS:
            ka_portset_add(out, p->proto, KA_PORT_MIN, KA_PORT_MAX);
            break;
        case NP_PORT_RANGE:
            ka_portset_add(out, p->proto, p->lo, p->hi);
            break;
        default:
            /* a name means the destination's containerPort of that name and
             * protocol; an external destination has no names: nothing */
            for (size_t k = 0; k < rep->ncports; k++)
                if (rep->cports[k].proto == p->proto && ka_str_eq(rep->cports[k].name, p->name))
                    ka_portset_add(out, p->proto, rep->cports[k].port, rep->cports[k].port);
            break;
        }
    }
}

static void run_ordered_tier(const ka_netpol *net, const np_u32vec *pols, int dir, uint32_t peer,
                             uint32_t dst, ka_portset *undec, ka_portset *passed,
                             ka_portset *allowed, ka_portset *ports, ka_np_explain *ex)
{
    for (size_t i = 0; i < pols->n && !ka_portset_empty(undec); i++) {
        const np_policy *p = &net->pol[pols->v[i]];
        for (size_t k = 0; k < p->nrules[dir] && !ka_portset_empty(undec); k++) {
            const np_rule *r = &p->rules[dir][k];
            if (!np_rule_matches(net, r, peer))
                continue;
            np_resolve_ports(net, r, dst, ports);
            ka_portset_intersect(ports, undec); /* earlier rules decided the rest */
            if (ka_portset_empty(ports))
                continue;
            if (r->action == NP_ALLOW)
                ka_portset_union(allowed, ports);
            else if (r->action == NP_PASS)
                ka_portset_union(passed, ports);
            ka_portset_subtract(undec, ports);
            step(ex, dir,
                 r->action == NP_ALLOW ? KA_STEP_ALLOW : r->action == NP_DENY ? KA_STEP_DENY
                                                                              : KA_STEP_PASS,
                 p, r, ports);
        }
    }
}

void np_side(const ka_netpol *net, int dir, uint32_t self, uint32_t peer, ka_portset *allowed,
             np_scratch *sc, ka_np_explain *ex)
{
    const np_class *c = &net->classes[self];
    uint32_t dst = dir == NP_DIR_OUT ? peer : self;
    ka_portset_clear(allowed);
    if (c->external || c->host) {
        ka_portset_all(allowed);
        step(ex, dir, c->external ? KA_STEP_EXTERNAL : KA_STEP_HOSTNET, NULL, NULL, allowed);
        return;
    }
    bool admin = c->admin[dir].n || c->base[dir].n;
    if (!admin && c->pol[dir].n == 0) {
        ka_portset_all(allowed);
        step(ex, dir, KA_STEP_OPEN, NULL, NULL, allowed);
        return;
    }
    ka_portset *undec = &sc->t[0], *passed = &sc->t[1], *ports = &sc->t[2], *npset = &sc->t[3];
    ka_portset_all(undec);
    ka_portset_clear(passed);
    run_ordered_tier(net, &c->admin[dir], dir, peer, dst, undec, passed, allowed, ports, ex);
    ka_portset_union(undec, passed); /* what the NetworkPolicy tier decides */
    if (c->pol[dir].n) {
        ka_portset_clear(npset);
        for (size_t i = 0; i < c->pol[dir].n; i++)
            step(ex, dir, KA_STEP_ISOLATED, &net->pol[c->pol[dir].v[i]], NULL, NULL);
        for (size_t i = 0; i < c->pol[dir].n && !ka_portset_empty(undec); i++) {
            const np_policy *p = &net->pol[c->pol[dir].v[i]];
            for (size_t k = 0; k < p->nrules[dir]; k++) {
                const np_rule *r = &p->rules[dir][k];
                if (!np_rule_matches(net, r, peer))
                    continue;
                np_resolve_ports(net, r, dst, ports);
                ka_portset_intersect(ports, undec);
                if (ka_portset_empty(ports))
                    continue;
                ka_portset_union(npset, ports);
                step(ex, dir, KA_STEP_ALLOW, p, r, ports);
            }
        }
        ka_portset_union(allowed, npset);
        if (ex) {
            ka_portset_subtract(undec, npset);
            if (!ka_portset_empty(undec))
                step(ex, dir, KA_STEP_NO_RULE, NULL, NULL, undec);
        }
        return;
    }
    ka_portset_clear(passed);
    run_ordered_tier(net, &c->base[dir], dir, peer, dst, undec, passed, allowed, ports, ex);
    if (!ka_portset_empty(undec)) {
        ka_portset_union(allowed, undec);
        step(ex, dir, KA_STEP_BASELINE_OPEN, NULL, NULL, undec);
    }
}

void np_pair(const ka_netpol *net, uint32_t src, uint32_t dst, ka_portset *out, np_scratch *sc,
             ka_np_explain *ex)
{
    np_side(net, NP_DIR_OUT, src, dst, out, sc, ex);
    if (ka_portset_empty(out) && !ex)
        return;
    np_side(net, NP_DIR_IN, dst, src, &sc->t[4], sc, ex);
    ka_portset_intersect(out, &sc->t[4]);
}

void ka_netpol_query(const ka_netpol *net, size_t from, size_t to, ka_portset *out,
                     ka_np_explain *ex)
{
    ka_portset_clear(out);
    if (from >= net->neps || to >= net->neps)
        return;
    const np_ep *a = &net->eps[net->order[from]], *b = &net->eps[net->order[to]];
    np_scratch sc;
    memset(&sc, 0, sizeof sc);
    /* an endpoint standing for several members: what every member pair gets */
    bool first = true;
    for (size_t i = 0; i < a->members.n; i++)
        for (size_t j = 0; j < b->members.n; j++) {
            uint32_t ca = net->members[a->members.v[i]].cls, cb = net->members[b->members.v[j]].cls;
            if (first) {
                np_pair(net, ca, cb, out, &sc, ex);
                first = false;
            } else if (!ka_portset_empty(out)) {
                np_pair(net, ca, cb, &sc.t[5], &sc, NULL);
                ka_portset_intersect(out, &sc.t[5]);
            }
        }
    np_scratch_free(&sc);
}
