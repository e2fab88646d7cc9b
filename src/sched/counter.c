/*
 * counter.c - scheduling classes, topology counters and the mutable state.
 *
 * PodTopologySpread and InterPodAffinity both ask "how many bound pods that
 * match predicate P are in domain d of topology key k". Upstream recomputes
 * that in every PreFilter/PreScore by walking all pods; here each distinct
 * question is a counter, created once from the classes of all pods before
 * scheduling starts, and updated when a pod is bound or unbound. A class is
 * a template plus a label set: everything the pod's selectors depend on
 * (matchLabelKeys, default spreading selectors), so pods of one class share
 * their counters and their match results.
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

/* ---- selectors ------------------------------------------------------------------ */

static ka_selector nothing_sel(void)
{
    ka_selector s;
    memset(&s, 0, sizeof s);
    s.nothing = true;
    return s;
}

/* base + `key in (v)` for each matchLabelKeys key the pod has, `key notin
 * (v)` for each mismatchLabelKeys key (as the API server merges them into
 * the labelSelector of affinity terms; PodTopologySpread does the same for
 * matchLabelKeys). A nil (nothing) selector stays nothing. */
static ka_selector merged(ks_sim *s, const ka_selector *base, bool valid, const ka_str *mlk,
                          uint32_t nmlk, const ka_str *mmlk, uint32_t nmmlk, const ka_labels *l)
{
    if (!valid || base->nothing)
        return nothing_sel();
    uint32_t add = 0;
    ka_str v;
    for (uint32_t i = 0; i < nmlk; i++)
        add += ka_labels_get(l, mlk[i], &v);
    for (uint32_t i = 0; i < nmmlk; i++)
        add += ka_labels_get(l, mmlk[i], &v);
    if (!add)
        return *base;
    ka_selector out = *base;
    out.reqs = ka_arena_alloc(s->a, (base->n + add) * sizeof *out.reqs);
    if (base->n)
        memcpy(out.reqs, base->reqs, base->n * sizeof *out.reqs);
    for (int pass = 0; pass < 2; pass++) {
        const ka_str *keys = pass ? mmlk : mlk;
        uint32_t nk = pass ? nmmlk : nmlk;
        for (uint32_t i = 0; i < nk; i++) {
            if (!ka_labels_get(l, keys[i], &v))
                continue;
            ka_str *vals = ka_arena_alloc(s->a, sizeof *vals);
            vals[0] = v;
            out.reqs[out.n++] = (ka_requirement){ keys[i], pass ? KA_SEL_NOTIN : KA_SEL_IN, 1, vals };
        }
    }
    return out;
}

static void sel_sig(ka_buf *b, const ka_selector *sel)
{
    if (!sel || sel->nothing) {
        ka_buf_adds(b, "<none>");
        return;
    }
    ka_buf_addc(b, '{');
    ka_selector_string(sel, b);
    ka_buf_addc(b, '}');
}

static void nss_sig(ka_buf *b, const ks_nsset *n, uint32_t owner)
{
    if (!n || n->own) {
        ka_buf_printf(b, "ns=%u", owner);
        return;
    }
    ka_buf_adds(b, "ns=[");
    for (uint32_t i = 0; i < n->n; i++)
        ka_buf_printf(b, "%u,", n->ids[i]);
    ka_buf_adds(b, "]");
    if (n->has_sel)
        sel_sig(b, &n->sel);
}

bool ks_clause_match(const ks_sim *s, const ks_clause *c, uint32_t ns, uint32_t ls)
{
    if (!c->sel || c->sel->nothing)
        return false;
    if (!c->nss) {
        if (ns != c->ns)
            return false;
    } else if (!ks_nsset_has(s, c->nss, c->ns, ns)) {
        return false;
    }
    return ka_selector_matches(c->sel, &s->ls[ls].l);
}

/* ---- counters ---------------------------------------------------------------------- */

static uint32_t counter_get(ks_sim *s, ka_buf *sig, uint32_t topo, const ks_clause *cl,
                            uint32_t ncl, bool skip_term, uint8_t *elig, uint32_t owner)
{
    void **slot = ka_hmap_slot(&s->ctr_map, (ka_str){ sig->p, sig->n });
    if (*slot) {
        free(elig);
        return (uint32_t)(uintptr_t)*slot - 1;
    }
    if (s->nctr == s->capctr) {
        s->capctr = s->capctr ? s->capctr * 2 : 64;
        s->ctr = ka_xrealloc(s->ctr, s->capctr * sizeof *s->ctr);
    }
    uint32_t id = s->nctr++;
    ks_counter *c = &s->ctr[id];
    memset(c, 0, sizeof *c);
    c->topo = topo;
    c->nclauses = ncl;
    c->clauses = ka_arena_alloc(s->a, (ncl ? ncl : 1) * sizeof *c->clauses);
    for (uint32_t i = 0; i < ncl; i++) {
        c->clauses[i] = cl[i];
        if (cl[i].sel) {
            ka_selector *copy = ka_arena_alloc(s->a, sizeof *copy);
            *copy = *cl[i].sel;
            c->clauses[i].sel = copy;
        }
    }
    c->skip_terminating = skip_term;
    c->elig = elig;
    c->owner_tmpl = owner;
    c->nd = topo == KS_NONE ? (int32_t)s->nnodes : (int32_t)s->topo[topo].nd;
    *slot = (void *)(uintptr_t)(id + 1);
    return id;
}

static bool node_has_keys(const ks_sim *s, uint32_t n, const ks_tsc *tsc, uint32_t ntsc, bool hard)
{
    const ks_lset *ls = &s->ls[s->nodes[n].ls];
    for (uint32_t i = 0; i < ntsc; i++) {
        if (tsc[i].hard != hard)
            continue;
        bool has = false;
        for (uint32_t j = 0; j < ls->n && !has; j++)
            has = ls->kv[j].k == tsc[i].key;
        if (!has)
            return false;
    }
    return true;
}

static bool untolerated_hard_taint(const ks_sim *s, const ks_tmpl *t, uint32_t n)
{
    const ks_node *nd = &s->nodes[n];
    for (uint32_t i = 0; i < nd->ntaints; i++)
        if ((nd->taints[i].effect == KS_EFF_NOSCHEDULE || nd->taints[i].effect == KS_EFF_NOEXECUTE) &&
            !ks_tolerates(t->tolers, t->ntolers, &nd->taints[i]))
            return true;
    return false;
}

/* Nodes whose pods count for a spread constraint: all the keys of the
 * pod's constraints of that kind (for scores only when not system
 * defaulted), nodeAffinityPolicy and nodeTaintsPolicy. */
static uint8_t *spread_elig(ks_sim *s, const ks_tmpl *t, const ks_tsc *tsc, uint32_t ntsc,
                            const ks_tsc *c, bool require_all)
{
    uint8_t *e = ka_xcalloc(s->nnodes ? s->nnodes : 1, 1);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        if (require_all && !node_has_keys(s, n, tsc, ntsc, c->hard))
            continue;
        if (c->aff_honor && !ks_req_aff_match(s, t, n))
            continue;
        if (c->taint_honor && untolerated_hard_taint(s, t, n))
            continue;
        e[n] = 1;
    }
    return e;
}

/* DefaultSelector: the selectors of the Services selecting the pod, then
 * its controller's (ReplicaSet / StatefulSet selector requirements added,
 * a ReplicationController's selector merged as a set). */
static ka_selector default_selector(ks_sim *s, const ks_pod *p, const ka_labels *l)
{
    ka_requirement reqs[64];
    size_t n = 0;
    for (uint32_t i = 0; i < s->nsvcs; i++) {
        const ks_svc *v = &s->svcs[i];
        if (v->ns != p->ns || !ka_selector_matches(&v->sel, l))
            continue;
        for (size_t j = 0; j < v->sel.n && n < 64; j++) {
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++)
                dup = ka_str_eq(reqs[k].key, v->sel.reqs[j].key);
            if (!dup)
                reqs[n++] = v->sel.reqs[j];
        }
    }
    const ks_wl *w = p->wl != KS_NONE ? &s->wls[p->wl] : NULL;
    if (w && w->has_owner_sel) {
        bool rc = ka_str_eqc(w->kind, "ReplicationController");
        for (size_t j = 0; j < w->owner_sel.n && n < 64; j++) {
            bool dup = false;
            for (size_t k = 0; rc && k < n && !dup; k++)
                if (ka_str_eq(reqs[k].key, w->owner_sel.reqs[j].key)) {
                    reqs[k] = w->owner_sel.reqs[j];
                    dup = true;
                }
            if (!dup)
                reqs[n++] = w->owner_sel.reqs[j];
        }
    }
    ka_selector out;
    memset(&out, 0, sizeof out);
    out.n = n;
    out.reqs = n ? ka_arena_alloc(s->a, n * sizeof *out.reqs) : NULL;
    if (n)
        memcpy(out.reqs, reqs, n * sizeof *reqs);
    return out;
}

static uint32_t group_get(ks_sim *s, uint32_t tmpl, uint8_t kind, uint32_t term,
                          const ka_selector *sel, uint32_t topo, int32_t weight)
{
    ka_buf *b = &s->tmp;
    ka_buf_reset(b);
    ka_buf_printf(b, "g%u|%u|%u|", tmpl, kind, term);
    sel_sig(b, sel);
    void **slot = ka_hmap_slot(&s->grp_map, (ka_str){ b->p, b->n });
    if (*slot)
        return (uint32_t)(uintptr_t)*slot - 1;
    if (s->ngrp == s->capgrp) {
        s->capgrp = s->capgrp ? s->capgrp * 2 : 32;
        s->grp = ka_xrealloc(s->grp, s->capgrp * sizeof *s->grp);
    }
    uint32_t id = s->ngrp++;
    ks_group *g = &s->grp[id];
    memset(g, 0, sizeof *g);
    g->tmpl = tmpl;
    g->kind = kind;
    g->term = term;
    g->sel = *sel;
    g->sel_valid = !sel->nothing;
    g->owner_ns = s->tmpls[tmpl].ns;
    g->topo = topo;
    g->weight = weight;
    *slot = (void *)(uintptr_t)(id + 1);
    return id;
}

/* The class of the pods of template tmpl with label set ls. */
uint32_t ks_class_get(ks_sim *s, uint32_t tmpl, uint32_t ls, uint32_t wl)
{
    /* the default spreading selector comes from the pod's controller */
    uint32_t owner = wl != KS_NONE && s->wls[wl].has_owner_sel ? wl : KS_NONE;
    uint32_t key[3] = { tmpl, ls, owner };
    void **slot = ka_hmap_slot(&s->cls_map, (ka_str){ (const char *)key, sizeof key });
    if (*slot)
        return (uint32_t)(uintptr_t)*slot - 1;
    if (s->ncls == s->capcls) {
        s->capcls = s->capcls ? s->capcls * 2 : 64;
        s->cls = ka_xrealloc(s->cls, s->capcls * sizeof *s->cls);
    }
    uint32_t id = s->ncls++;
    *slot = (void *)(uintptr_t)(id + 1);
    ks_class *c = &s->cls[id];
    memset(c, 0, sizeof *c);
    c->tmpl = tmpl;
    c->ls = ls;
    c->owner = owner;
    const ks_tmpl *t = &s->tmpls[tmpl];
    c->ns = t->ns;
    const ka_labels *l = &s->ls[ls].l;
    const ks_profile *pr = &s->prof;

    /* which constraints: the pod's own, else the profile defaults with the
     * default selector */
    const ks_tsc *tsc = t->tsc;
    uint32_t ntsc = t->ntsc;
    bool defaulted = false;
    ka_selector dsel;
    if (ntsc == 0 && pr->ndefault_tsc) {
        /* the first pod of the class stands for all of them (same labels) */
        ks_pod probe;
        memset(&probe, 0, sizeof probe);
        probe.ns = t->ns;
        probe.wl = owner;
        dsel = default_selector(s, &probe, l);
        if (dsel.n > 0) {
            tsc = pr->default_tsc;
            ntsc = pr->ndefault_tsc;
            defaulted = true;
        }
    }
    uint32_t nhard = 0, nsoft = 0;
    for (uint32_t i = 0; i < ntsc; i++)
        tsc[i].hard ? nhard++ : nsoft++;
    bool require_all_soft = !defaulted || !pr->spread_system;
    c->soft_system = defaulted && pr->spread_system;
    c->hard = nhard ? ka_arena_alloc(s->a, nhard * sizeof *c->hard) : NULL;
    c->hard_tsc = nhard ? ka_arena_alloc(s->a, nhard * sizeof *c->hard_tsc) : NULL;
    c->soft_key = nsoft ? ka_arena_alloc(s->a, nsoft * sizeof *c->soft_key) : NULL;
    c->hard_self = nhard ? ka_arena_zalloc(s->a, nhard) : NULL;
    c->soft = nsoft ? ka_arena_alloc(s->a, nsoft * sizeof *c->soft) : NULL;
    c->soft_tsc = nsoft ? ka_arena_alloc(s->a, nsoft * sizeof *c->soft_tsc) : NULL;
    uint32_t ih = 0;
    for (uint32_t i = 0; i < ntsc; i++) {
        ks_tsc x = tsc[i];
        ka_selector eff = defaulted ? dsel
                                    : merged(s, &x.sel, x.sel_valid, x.mlk, x.nmlk, NULL, 0, l);
        bool self = !eff.nothing && ka_selector_matches(&eff, l);
        /* countPodsMatchSelector counts nothing for an empty selector */
        ka_selector count_sel = ka_selector_empty(&eff) ? nothing_sel() : eff;
        ks_clause cl = { &count_sel, NULL, t->ns };
        bool pernode = !x.hard && x.key == s->hostname_key;
        uint32_t topo = pernode ? KS_NONE : ks_topo_slot(s, x.key);
        ka_buf *b = &s->tmp;
        ka_buf_reset(b);
        ka_buf_printf(b, "s%c|%u|%u|%u|%d%d|", x.hard ? 'h' : 's', topo, pernode ? KS_NONE : tmpl,
                      defaulted ? 1000 + i : i, x.aff_honor, x.taint_honor);
        sel_sig(b, &count_sel);
        ka_buf_printf(b, "|ns=%u", t->ns);
        uint8_t *elig = NULL;
        if (!pernode && !ka_hmap_get(&s->ctr_map, (ka_str){ b->p, b->n }))
            elig = spread_elig(s, t, tsc, ntsc, &x, x.hard || require_all_soft);
        ka_buf sig;
        ka_buf_init(&sig);
        ka_buf_add(&sig, b->p, b->n);
        uint32_t cid = counter_get(s, &sig, topo, &cl, 1, true, elig, pernode ? KS_NONE : tmpl);
        ka_buf_free(&sig);
        if (x.hard) {
            c->hard_self[ih] = self;
            c->hard_tsc[ih] = x;
            c->hard[ih++] = cid;
            c->nhard = ih;
        } else {
            x.sel = eff;
            c->soft_key[c->nsoft] = ks_topo_slot(s, x.key);
            c->soft_tsc[c->nsoft] = x;
            c->soft[c->nsoft++] = cid;
        }
    }

    /* the pod's own affinity terms */
    ka_selector *eff[KS_AT_N];
    for (int k = 0; k < KS_AT_N; k++) {
        uint32_t n = t->nat[k];
        eff[k] = n ? ka_arena_alloc(s->a, n * sizeof *eff[k]) : NULL;
        c->at_cnt[k] = n ? ka_arena_alloc(s->a, n * sizeof *c->at_cnt[k]) : NULL;
        for (uint32_t i = 0; i < n; i++) {
            const ks_aterm *a = &t->at[k][i];
            eff[k][i] = merged(s, &a->sel, a->sel_valid, a->mlk, a->nmlk, a->mmlk, a->nmmlk, l);
        }
    }
    c->self_aff = t->nat[KS_AT_REQ_AFF] > 0;
    for (uint32_t i = 0; i < t->nat[KS_AT_REQ_AFF]; i++) {
        const ks_aterm *a = &t->at[KS_AT_REQ_AFF][i];
        if (!ks_nsset_has(s, &a->ns, t->ns, t->ns) || eff[KS_AT_REQ_AFF][i].nothing ||
            !ka_selector_matches(&eff[KS_AT_REQ_AFF][i], l))
            c->self_aff = false;
    }
    for (int k = 0; k < KS_AT_N; k++) {
        uint32_t n = t->nat[k];
        for (uint32_t i = 0; i < n; i++) {
            const ks_aterm *a = &t->at[k][i];
            uint32_t topo = a->key ? ks_topo_slot(s, a->key) : KS_NONE;
            ka_buf sig;
            ka_buf_init(&sig);
            ks_clause cl[64];
            uint32_t ncl = 0;
            if (k == KS_AT_REQ_AFF) {
                /* existing pods count only when they match all the terms */
                for (uint32_t j = 0; j < n && ncl < 64; j++) {
                    cl[ncl++] = (ks_clause){ &eff[k][j], &t->at[k][j].ns, t->ns };
                }
            } else {
                cl[ncl++] = (ks_clause){ &eff[k][i], &a->ns, t->ns };
            }
            ka_buf_printf(&sig, "a|%u|", topo);
            for (uint32_t j = 0; j < ncl; j++) {
                sel_sig(&sig, cl[j].sel);
                nss_sig(&sig, cl[j].nss, t->ns);
                ka_buf_addc(&sig, ';');
            }
            if (topo == KS_NONE) {
                /* no topology key: no node has it, the term matches nowhere */
                ka_buf_adds(&sig, "|nokey");
            }
            c->at_cnt[k][i] = counter_get(s, &sig, topo == KS_NONE ? ks_topo_slot(s, 0) : topo,
                                          cl, ncl, false, NULL, KS_NONE);
            ka_buf_free(&sig);
        }
    }
    /* the groups its terms feed, for pods that come later */
    uint32_t ng = 0;
    for (int k = 0; k < KS_AT_N; k++)
        ng += t->nat[k];
    c->groups = ng ? ka_arena_alloc(s->a, ng * sizeof *c->groups) : NULL;
    for (int k = 0; k < KS_AT_N; k++)
        for (uint32_t i = 0; i < t->nat[k]; i++) {
            const ks_aterm *a = &t->at[k][i];
            uint32_t topo = ks_topo_slot(s, a->key);
            c->groups[c->ngroups++] = group_get(s, tmpl, (uint8_t)k, i, &eff[k][i], topo,
                                                a->weight);
        }
    return id;
}

/* ---- state -------------------------------------------------------------------------- */

static void compute_present(ks_sim *s, const ks_state *st)
{
    uint8_t *seen = NULL;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < s->nctr; i++) {
        ks_counter *c = &s->ctr[i];
        free(c->present);
        c->present = NULL;
        c->npresent = 0;
        if (c->topo == KS_NONE)
            continue;
        const ks_topo *tp = &s->topo[c->topo];
        if (!seen || tp->nd > cap) {
            cap = tp->nd > cap ? tp->nd : cap;
            seen = ka_xrealloc(seen, cap ? cap : 1);
        }
        memset(seen, 0, tp->nd ? tp->nd : 1);
        c->present = ka_xmalloc((tp->nd ? tp->nd : 1) * sizeof *c->present);
        for (uint32_t n = 0; n < s->nnodes; n++) {
            int32_t d = tp->dom[n];
            if (d < 0 || !st->alive[n] || (c->elig && !c->elig[n]) || seen[d])
                continue;
            seen[d] = 1;
            c->present[c->npresent++] = (uint32_t)d;
        }
    }
    free(seen);
}

void ks_counters_finish(ks_sim *s)
{
    size_t off = 0;
    for (uint32_t i = 0; i < s->nctr; i++) {
        s->ctr[i].base = (uint32_t)off;
        s->ctr[i].tot = i;
        off += (size_t)s->ctr[i].nd;
    }
    for (uint32_t i = 0; i < s->ngrp; i++) {
        ks_group *g = &s->grp[i];
        g->base = (uint32_t)off;
        g->tot = s->nctr + i;
        off += g->topo == KS_NONE ? 0 : s->topo[g->topo].nd;
    }
    s->ncnt = off;
}

void ks_state_init(ks_sim *s, ks_state *st)
{
    memset(st, 0, sizeof *st);
    st->nnodes = s->nnodes;
    st->npods = s->npods;
    st->nres = s->nres;
    size_t nn = s->nnodes ? s->nnodes : 1;
    st->used = ka_xcalloc(nn * s->nres, sizeof *st->used);
    st->nz = ka_xcalloc(nn * 2, sizeof *st->nz);
    st->npod = ka_xcalloc(nn, sizeof *st->npod);
    st->alive = ka_xmalloc(nn);
    memset(st->alive, 1, nn);
    st->pod_node = ka_xmalloc((s->npods ? s->npods : 1) * sizeof *st->pod_node);
    for (uint32_t p = 0; p < s->npods; p++)
        st->pod_node[p] = -1;
    st->nver = ka_xcalloc(nn, sizeof *st->nver);
    st->ncnt = s->ncnt;
    st->cnt = ka_xcalloc(s->ncnt ? s->ncnt : 1, sizeof *st->cnt);
    st->ntot = s->nctr + s->ngrp;
    st->tot = ka_xcalloc(st->ntot ? st->ntot : 1, sizeof *st->tot);
    st->ports_n = ka_xcalloc(nn, sizeof *st->ports_n);
    st->ports_cap = ka_xcalloc(nn, sizeof *st->ports_cap);
    st->ports = ka_xcalloc(nn, sizeof *st->ports);
    compute_present(s, st);
}

void ks_state_copy(ks_state *d, const ks_state *src)
{
    memset(d, 0, sizeof *d);
    *d = *src;
    size_t nn = src->nnodes ? src->nnodes : 1;
    d->used = ka_xmalloc(nn * src->nres * sizeof *d->used);
    memcpy(d->used, src->used, nn * src->nres * sizeof *d->used);
    d->nz = ka_xmalloc(nn * 2 * sizeof *d->nz);
    memcpy(d->nz, src->nz, nn * 2 * sizeof *d->nz);
    d->npod = ka_xmalloc(nn * sizeof *d->npod);
    memcpy(d->npod, src->npod, nn * sizeof *d->npod);
    d->alive = ka_xmalloc(nn);
    memcpy(d->alive, src->alive, nn);
    size_t np = src->npods ? src->npods : 1;
    d->pod_node = ka_xmalloc(np * sizeof *d->pod_node);
    memcpy(d->pod_node, src->pod_node, np * sizeof *d->pod_node);
    d->nver = ka_xmalloc(nn * sizeof *d->nver);
    memcpy(d->nver, src->nver, nn * sizeof *d->nver);
    d->cnt = ka_xmalloc((src->ncnt ? src->ncnt : 1) * sizeof *d->cnt);
    memcpy(d->cnt, src->cnt, src->ncnt * sizeof *d->cnt);
    d->tot = ka_xmalloc((src->ntot ? src->ntot : 1) * sizeof *d->tot);
    memcpy(d->tot, src->tot, src->ntot * sizeof *d->tot);
    d->ports_n = ka_xmalloc(nn * sizeof *d->ports_n);
    memcpy(d->ports_n, src->ports_n, nn * sizeof *d->ports_n);
    d->ports_cap = ka_xmalloc(nn * sizeof *d->ports_cap);
    memcpy(d->ports_cap, src->ports_n, nn * sizeof *d->ports_cap);
    d->ports = ka_xcalloc(nn, sizeof *d->ports);
    d->zone_pin = NULL;
    for (size_t n = 0; n < src->nnodes; n++)
        if (src->ports_n[n]) {
            d->ports[n] = ka_xmalloc(src->ports_n[n] * sizeof *d->ports[n]);
            memcpy(d->ports[n], src->ports[n], src->ports_n[n] * sizeof *d->ports[n]);
        }
}

void ks_state_free(ks_state *st)
{
    free(st->used);
    free(st->nz);
    free(st->npod);
    free(st->alive);
    free(st->pod_node);
    free(st->nver);
    free(st->cnt);
    free(st->tot);
    for (uint32_t n = 0; n < st->nnodes; n++)
        free(st->ports[n]);
    free(st->ports);
    free(st->ports_n);
    free(st->ports_cap);
    free(st->zone_pin);
    memset(st, 0, sizeof *st);
}

/* Counters a pod of class c feeds when bound (lazily, once per class). */
static void class_upd(ks_sim *s, ks_class *c)
{
    if (c->upd_ready)
        return;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < s->nctr; i++) {
        const ks_counter *k = &s->ctr[i];
        bool all = true;
        for (uint32_t j = 0; j < k->nclauses && all; j++)
            all = ks_clause_match(s, &k->clauses[j], c->ns, c->ls);
        if (!all || k->nclauses == 0)
            continue;
        if (c->nupd == cap) {
            cap = cap ? cap * 2 : 8;
            c->upd = ka_xrealloc(c->upd, cap * sizeof *c->upd);
        }
        c->upd[c->nupd++] = i;
    }
    c->upd_ready = true;
}

void ks_class_face(ks_sim *s, ks_class *c)
{
    if (c->face_ready)
        return;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < s->ngrp; i++) {
        const ks_group *g = &s->grp[i];
        const ks_aterm *a = &s->tmpls[g->tmpl].at[g->kind][g->term];
        if (!g->sel_valid || !ks_nsset_has(s, &a->ns, g->owner_ns, c->ns) ||
            !ka_selector_matches(&g->sel, &s->ls[c->ls].l))
            continue;
        if (c->nface == cap) {
            cap = cap ? cap * 2 : 8;
            c->face = ka_xrealloc(c->face, cap * sizeof *c->face);
        }
        c->face[c->nface++] = i;
    }
    c->face_ready = true;
}

static void update(ks_sim *s, ks_state *st, uint32_t pod, uint32_t node, int sign)
{
    const ks_pod *p = &s->pods[pod];
    const ks_tmpl *t = &s->tmpls[p->tmpl];
    int64_t *u = st->used + (size_t)node * s->nres;
    for (uint32_t i = 0; i < t->nreq; i++)
        u[t->rlist[i]] += sign * t->req[i];
    st->nz[node * 2] += sign * t->nz_cpu;
    st->nz[node * 2 + 1] += sign * t->nz_mem;
    st->npod[node] += sign;
    st->nver[node]++;
    st->ver++;
    ks_class *c = &s->cls[p->cls];
    class_upd(s, c);
    for (uint32_t i = 0; i < c->nupd; i++) {
        const ks_counter *k = &s->ctr[c->upd[i]];
        if (k->skip_terminating && p->terminating)
            continue;
        if (k->elig && !k->elig[node])
            continue;
        int32_t d = k->topo == KS_NONE ? (int32_t)node : s->topo[k->topo].dom[node];
        if (d >= 0) {
            st->cnt[k->base + (uint32_t)d] += sign;
            st->tot[k->tot] += sign;
        }
    }
    for (uint32_t i = 0; i < c->ngroups; i++) {
        const ks_group *g = &s->grp[c->groups[i]];
        if (g->topo == KS_NONE)
            continue;
        int32_t d = s->topo[g->topo].dom[node];
        if (d >= 0) {
            st->cnt[g->base + (uint32_t)d] += sign;
            st->tot[g->tot] += sign;
        }
    }
    if (sign < 0)
        st->gen++;
}

void ks_bind(ks_sim *s, ks_state *st, uint32_t pod, uint32_t node)
{
    const ks_tmpl *t = &s->tmpls[s->pods[pod].tmpl];
    st->pod_node[pod] = (int32_t)node;
    update(s, st, pod, node, 1);
    for (uint32_t i = 0; i < t->nports; i++) {
        if (st->ports_n[node] == st->ports_cap[node]) {
            st->ports_cap[node] = st->ports_cap[node] ? st->ports_cap[node] * 2 : 4;
            st->ports[node] = ka_xrealloc(st->ports[node],
                                          st->ports_cap[node] * sizeof *st->ports[node]);
        }
        st->ports[node][st->ports_n[node]++] = t->ports[i];
    }
}

void ks_unbind(ks_sim *s, ks_state *st, uint32_t pod)
{
    int32_t node = st->pod_node[pod];
    if (node < 0)
        return;
    const ks_tmpl *t = &s->tmpls[s->pods[pod].tmpl];
    update(s, st, pod, (uint32_t)node, -1);
    st->pod_node[pod] = -1;
    /* remove one occurrence of each of its ports */
    for (uint32_t i = 0; i < t->nports; i++) {
        ks_hport *v = st->ports[node];
        for (uint32_t j = 0; j < st->ports_n[node]; j++)
            if (v[j].port == t->ports[i].port && ka_str_eq(v[j].ip, t->ports[i].ip) &&
                ka_str_eq(v[j].proto, t->ports[i].proto)) {
                v[j] = v[--st->ports_n[node]];
                break;
            }
    }
}

/* After nodes went away: domains present change (counts of pods on dead
 * nodes were already removed by unbinding them). */
void ks_counters_rebuild(ks_sim *s, ks_state *st)
{
    compute_present(s, st);
}
