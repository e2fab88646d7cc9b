/*
 * cycle.c - one scheduling cycle: PreFilter, Filter, PreScore, Score,
 * NormalizeScore, weighting and node selection, for one pod.
 *
 * Filters run per node in profile order and stop at the first failing
 * plugin, so each node reports exactly one plugin's reasons; the FitError
 * message is the histogram of those reasons. When exactly one node is
 * feasible it is chosen without scoring (as upstream). Every node is scored
 * and the highest total wins, the first node in input order on ties.
 */
#include "sim.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    R_TOO_MANY_PODS, R_UNSCHEDULABLE, R_NODE_NAME, R_AFFINITY, R_AFFINITY_ENFORCED, R_PORTS,
    R_SPREAD, R_SPREAD_LABEL, R_IPA_AFF, R_IPA_ANTI, R_IPA_EXISTING, R_ABSENT, R_CONFLICT,
    R_VOLUME, R_NFIXED
};

static const char *const fixed_reasons[R_NFIXED] = {
    "Too many pods",
    "node(s) were unschedulable",
    "node(s) didn't match the requested node name",
    "node(s) didn't match Pod's node affinity/selector",
    "node(s) didn't match scheduler-enforced node affinity",
    "node(s) didn't have free ports for the requested pod ports",
    "node(s) didn't match pod topology spread constraints",
    "node(s) didn't match pod topology spread constraints (missing required label)",
    "node(s) didn't match pod affinity rules",
    "node(s) didn't match pod anti-affinity rules",
    "node(s) didn't satisfy existing pods anti-affinity rules",
    "node(s) didn't satisfy plugin(s) [NodeAffinity]",
    "pod affinity terms conflict",
    "node(s) had volume node affinity conflict",
};

#define MAXR 8   /* reasons kept per node */

typedef struct contrib {
    uint32_t base;       /* counts offset */
    uint32_t topo;
    int64_t weight;
} contrib;

struct ks_scratch {
    uint32_t fixed[R_NFIXED];   /* reason ids */
    uint32_t *res_reason;       /* per resource: "Insufficient <name>" */
    uint32_t **taint_reason;    /* per node, per taint */
    uint32_t *cand;
    uint32_t *feas;
    uint8_t *fplug;             /* per node: failing plugin, 0 feasible, 255 absent */
    uint8_t *fcode;             /* per node: 1 Unschedulable, 2 UnschedulableAndUnresolvable */
    uint8_t *fnr;
    uint32_t *freason;          /* per node MAXR reason ids */
    uint32_t *hist;
    uint32_t nhist;
    int64_t *sc[KS_P_N];        /* per feasible node: score (raw, then normalised) */
    int64_t *total;
    uint8_t *ign;
    uint32_t *stamp;
    uint32_t nstamp, gen;
    int32_t *hmin;              /* per hard constraint: global minimum */
    contrib *ct;
    uint32_t nct, capct;
    uint32_t *anti_groups;
    uint32_t nanti, capanti;
};

static uint32_t reason_id(ks_sim *s, const char *text)
{
    return ks_intern(&s->reasons, ka_str_c(text));
}

void ks_scratch_init(ks_sim *s)
{
    struct ks_scratch *x = ka_xcalloc(1, sizeof *x);
    s->scr = x;
    for (int i = 0; i < R_NFIXED; i++)
        x->fixed[i] = reason_id(s, fixed_reasons[i]);
    x->res_reason = ka_xcalloc(s->nres, sizeof *x->res_reason);
    for (uint32_t r = 0; r < s->nres; r++) {
        ka_buf_reset(&s->tmp);
        ka_buf_adds(&s->tmp, "Insufficient ");
        ka_buf_addstr(&s->tmp, ks_str(&s->str, s->res_name[r]));
        x->res_reason[r] = ks_intern(&s->reasons, (ka_str){ s->tmp.p, s->tmp.n });
    }
    uint32_t nn = s->nnodes ? s->nnodes : 1;
    x->taint_reason = ka_xcalloc(nn, sizeof *x->taint_reason);
    x->cand = ka_xmalloc(nn * sizeof *x->cand);
    x->feas = ka_xmalloc(nn * sizeof *x->feas);
    x->fplug = ka_xmalloc(nn);
    x->fcode = ka_xmalloc(nn);
    x->fnr = ka_xmalloc(nn);
    x->freason = ka_xmalloc((size_t)nn * MAXR * sizeof *x->freason);
    for (int p = 0; p < KS_P_N; p++)
        x->sc[p] = ka_xmalloc(nn * sizeof *x->sc[p]);
    x->total = ka_xmalloc(nn * sizeof *x->total);
    x->ign = ka_xmalloc(nn);
    uint32_t maxd = 1;
    for (uint32_t i = 0; i < s->ntopo; i++)
        if (s->topo[i].nd > maxd)
            maxd = s->topo[i].nd;
    x->nstamp = maxd;
    x->stamp = ka_xcalloc(maxd, sizeof *x->stamp);
}

void ks_scratch_free(ks_sim *s)
{
    struct ks_scratch *x = s->scr;
    if (!x)
        return;
    free(x->res_reason);
    for (uint32_t n = 0; n < s->nnodes; n++)
        free(x->taint_reason[n]);
    free(x->taint_reason);
    free(x->cand);
    free(x->feas);
    free(x->fplug);
    free(x->fcode);
    free(x->fnr);
    free(x->freason);
    free(x->hist);
    for (int p = 0; p < KS_P_N; p++)
        free(x->sc[p]);
    free(x->total);
    free(x->ign);
    free(x->stamp);
    free(x->hmin);
    free(x->ct);
    free(x->anti_groups);
    free(x);
    s->scr = NULL;
}

static uint32_t taint_reason(ks_sim *s, uint32_t n, uint32_t k)
{
    struct ks_scratch *x = s->scr;
    const ks_node *nd = &s->nodes[n];
    if (!x->taint_reason[n])
        x->taint_reason[n] = ka_xcalloc(nd->ntaints ? nd->ntaints : 1, sizeof **x->taint_reason);
    if (!x->taint_reason[n][k]) {
        ka_buf_reset(&s->tmp);
        ka_buf_adds(&s->tmp, "node(s) had untolerated taint {");
        ka_buf_addstr(&s->tmp, nd->taints[k].key);
        ka_buf_adds(&s->tmp, ": ");
        ka_buf_addstr(&s->tmp, nd->taints[k].value);
        ka_buf_addc(&s->tmp, '}');
        x->taint_reason[n][k] = ks_intern(&s->reasons, (ka_str){ s->tmp.p, s->tmp.n });
    }
    return x->taint_reason[n][k];
}

static void hist_add(ks_sim *s, uint32_t reason, uint32_t count)
{
    struct ks_scratch *x = s->scr;
    if (reason >= x->nhist) {
        uint32_t cap = x->nhist ? x->nhist : 32;
        while (cap <= reason)
            cap *= 2;
        x->hist = ka_xrealloc(x->hist, cap * sizeof *x->hist);
        memset(x->hist + x->nhist, 0, (cap - x->nhist) * sizeof *x->hist);
        x->nhist = cap;
    }
    x->hist[reason] += count;
}

static int str_cmp(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

/* "0/N nodes are available: <sorted histogram>." */
static char *fit_error(ks_sim *s, uint32_t nall, const char *prefilter_msg)
{
    struct ks_scratch *x = s->scr;
    ka_buf b;
    ka_buf_init(&b);
    ka_buf_printf(&b, "0/%u nodes are available:", nall);
    if (prefilter_msg) {
        ka_buf_printf(&b, " %s.", prefilter_msg);
        return (char *)ka_buf_cstr(&b);
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < x->nhist; i++)
        n += x->hist[i] != 0;
    if (n) {
        char **v = ka_xmalloc(n * sizeof *v);
        uint32_t k = 0;
        for (uint32_t i = 0; i < x->nhist; i++) {
            if (!x->hist[i])
                continue;
            ka_buf t;
            ka_buf_init(&t);
            ka_str r = ks_str(&s->reasons, i);
            ka_buf_printf(&t, "%u %.*s", x->hist[i], (int)r.n, r.p);
            v[k++] = (char *)ka_buf_cstr(&t);
        }
        qsort(v, n, sizeof *v, str_cmp);
        ka_buf_addc(&b, ' ');
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                ka_buf_adds(&b, ", ");
            ka_buf_adds(&b, v[i]);
            free(v[i]);
        }
        ka_buf_addc(&b, '.');
        free(v);
    }
    return (char *)ka_buf_cstr(&b);
}

/* ---- filters ------------------------------------------------------------------------- */

static inline void fail(struct ks_scratch *x, uint32_t n, uint8_t plugin, uint8_t code,
                        uint32_t reason)
{
    x->fplug[n] = plugin;
    x->fcode[n] = code;
    x->freason[(size_t)n * MAXR] = reason;
    x->fnr[n] = 1;
}

static bool ports_conflict(const ks_state *st, uint32_t n, const ks_hport *want)
{
    const ks_hport *have = st->ports[n];
    bool any_ip = ka_str_eqc(want->ip, "0.0.0.0");
    for (uint32_t i = 0; i < st->ports_n[n]; i++) {
        if (have[i].port != want->port || !ka_str_eq(have[i].proto, want->proto))
            continue;
        if (any_ip || ka_str_eqc(have[i].ip, "0.0.0.0") || ka_str_eq(have[i].ip, want->ip))
            return true;
    }
    return false;
}

static bool ignored_resource(const ks_sim *s, uint32_t res)
{
    const ks_profile *p = &s->prof;
    if (!p->nignored && !p->nignored_groups)
        return false;
    ka_str name = ks_str(&s->str, s->res_name[res]);
    /* only extended resources can be ignored */
    if (ka_str_has_prefix(name, "hugepages-") || ka_str_has_prefix(name, "attachable-volumes-") ||
        !memchr(name.p, '/', name.n))
        return false;
    for (size_t i = 0; i + 14 <= name.n; i++)
        if (memcmp(name.p + i, "kubernetes.io/", 14) == 0)
            return false;
    for (uint32_t i = 0; i < p->nignored; i++)
        if (ka_str_eq(p->ignored[i], name))
            return true;
    const char *slash = memchr(name.p, '/', name.n);
    ka_str prefix = { name.p, (size_t)(slash - name.p) };
    for (uint32_t i = 0; i < p->nignored_groups; i++)
        if (ka_str_eq(p->ignored_groups[i], prefix))
            return true;
    return false;
}

typedef ks_podctx pod_ctx;

/* Filter plugins for pod context pc on node n, in profile order; records
 * the failing plugin and its reasons. true when the node passes. */
static bool filter_node(ks_sim *s, ks_state *st, const pod_ctx *pc, uint32_t n)
{
    struct ks_scratch *x = s->scr;
    const ks_profile *pr = &s->prof;
    const ks_tmpl *t = pc->t;
    for (uint32_t f = 0; f < pr->nfilters; f++) {
        uint8_t plug = pr->filters[f];
        switch (plug) {
        case KS_P_NODE_UNSCHEDULABLE:
            if (t->sfail[n] == plug) {
                fail(x, n, plug, 2, x->fixed[R_UNSCHEDULABLE]);
                return false;
            }
            break;
        case KS_P_NODE_NAME:
            if (t->sfail[n] == plug) {
                fail(x, n, plug, 2, x->fixed[R_NODE_NAME]);
                return false;
            }
            break;
        case KS_P_TAINT:
            if (t->sfail[n] == plug) {
                fail(x, n, plug, 2, taint_reason(s, n, t->staint[n]));
                return false;
            }
            break;
        case KS_P_NODE_AFFINITY:
            if (pc->p->pin) {
                /* a daemon pod's node affinity is its node: only the
                 * nodeSelector and the profile's addedAffinity remain */
                const ks_node *nd = &s->nodes[n];
                const ka_labels *l = &s->ls[nd->ls].l;
                if (pr->added_req && !ks_nodesel_match(pr->added_req, l, nd->name)) {
                    fail(x, n, plug, 2, x->fixed[R_AFFINITY_ENFORCED]);
                    return false;
                }
                if ((t->has_nodesel && !ka_selector_matches(&t->nodesel, l)) ||
                    n + 1 != pc->p->pin) {
                    fail(x, n, plug, 2, x->fixed[R_AFFINITY]);
                    return false;
                }
            } else if (t->sfail[n] == plug) {
                fail(x, n, plug, 2, x->fixed[t->staint[n] ? R_AFFINITY_ENFORCED : R_AFFINITY]);
                return false;
            }
            break;
        case KS_P_NODE_PORTS:
            if (pc->do_ports)
                for (uint32_t i = 0; i < t->nports; i++)
                    if (ports_conflict(st, n, &t->ports[i])) {
                        fail(x, n, plug, 1, x->fixed[R_PORTS]);
                        return false;
                    }
            break;
        case KS_P_FIT: {
            uint8_t nr = 0;
            uint32_t *rr = &x->freason[(size_t)n * MAXR];
            if ((int64_t)st->npod[n] + 1 > s->alloc_pods[n])
                rr[nr++] = x->fixed[R_TOO_MANY_PODS];
            const int64_t *al = s->alloc + (size_t)n * s->nres;
            const int64_t *us = st->used + (size_t)n * s->nres;
            for (uint32_t i = 0; i < t->nreq; i++) {
                uint32_t r = t->rlist[i];
                if (t->req[i] > al[r] - us[r] && !(r >= KS_R_NFIXED && ignored_resource(s, r)) &&
                    nr < MAXR)
                    rr[nr++] = x->res_reason[r];
            }
            if (nr) {
                x->fplug[n] = plug;
                x->fcode[n] = 1;
                x->fnr[n] = nr;
                return false;
            }
            /* VolumeBinding, which comes next in the default order: after a
             * loss, a StatefulSet pod's volumes stay in their zone */
            if (st->zone_pin && st->zone_pin[pc->p - s->pods] >= 0 &&
                s->nodes[n].zone != (uint32_t)st->zone_pin[pc->p - s->pods]) {
                fail(x, n, plug, 2, x->fixed[R_VOLUME]);
                x->fplug[n] = KS_P_VOLUME;
                return false;
            }
            break;
        }
        case KS_P_SPREAD:
            if (pc->do_spread) {
                const ks_class *c = pc->c;
                for (uint32_t i = 0; i < c->nhard; i++) {
                    const ks_counter *k = &s->ctr[c->hard[i]];
                    int32_t d = s->topo[k->topo].dom[n];
                    if (d < 0) {
                        fail(x, n, plug, 2, x->fixed[R_SPREAD_LABEL]);
                        return false;
                    }
                    int64_t skew = (int64_t)st->cnt[k->base + (uint32_t)d] + c->hard_self[i] -
                                   pc->hmin[i];
                    if (skew > c->hard_tsc[i].max_skew) {
                        fail(x, n, plug, 1, x->fixed[R_SPREAD]);
                        return false;
                    }
                }
            }
            break;
        case KS_P_IPA:
            if (pc->do_ipa) {
                const ks_class *c = pc->c;
                if (pc->ipa_aff) {
                    bool exist = true;
                    for (uint32_t i = 0; i < t->nat[KS_AT_REQ_AFF]; i++) {
                        const ks_counter *k = &s->ctr[c->at_cnt[KS_AT_REQ_AFF][i]];
                        int32_t d = s->topo[k->topo].dom[n];
                        if (d < 0) {
                            fail(x, n, plug, 2, x->fixed[R_IPA_AFF]);
                            return false;
                        }
                        if (st->cnt[k->base + (uint32_t)d] <= 0)
                            exist = false;
                    }
                    if (!exist && !pc->aff_pass_all) {
                        fail(x, n, plug, 2, x->fixed[R_IPA_AFF]);
                        return false;
                    }
                }
                if (pc->ipa_anti)
                    for (uint32_t i = 0; i < t->nat[KS_AT_REQ_ANTI]; i++) {
                        const ks_counter *k = &s->ctr[c->at_cnt[KS_AT_REQ_ANTI][i]];
                        int32_t d = s->topo[k->topo].dom[n];
                        if (d >= 0 && st->cnt[k->base + (uint32_t)d] > 0) {
                            fail(x, n, plug, 1, x->fixed[R_IPA_ANTI]);
                            return false;
                        }
                    }
                for (uint32_t i = 0; i < pc->nanti; i++) {
                    const ks_group *g = &s->grp[pc->anti[i]];
                    int32_t d = s->topo[g->topo].dom[n];
                    if (d >= 0 && st->cnt[g->base + (uint32_t)d] > 0) {
                        fail(x, n, plug, 1, x->fixed[R_IPA_EXISTING]);
                        return false;
                    }
                }
            }
            break;
        default:
            break;
        }
    }
    x->fplug[n] = 0;
    return true;
}



/* The filters that depend only on the node itself (static ones, ports,
 * resources, a failure scenario's volume zone): does node n pass them? */
bool ks_local_ok(ks_sim *s, ks_state *st, const ks_podctx *pc, uint32_t n)
{
    const ks_profile *pr = &s->prof;
    const ks_tmpl *t = pc->t;
    if (t->sfail[n])
        return false;
    for (uint32_t f = 0; f < pr->nfilters; f++) {
        uint8_t plug = pr->filters[f];
        if (plug == KS_P_NODE_PORTS && pc->do_ports) {
            for (uint32_t i = 0; i < t->nports; i++)
                if (ports_conflict(st, n, &t->ports[i]))
                    return false;
        } else if (plug == KS_P_FIT) {
            if ((int64_t)st->npod[n] + 1 > s->alloc_pods[n])
                return false;
            const int64_t *al = s->alloc + (size_t)n * s->nres;
            const int64_t *us = st->used + (size_t)n * s->nres;
            for (uint32_t i = 0; i < t->nreq; i++) {
                uint32_t r = t->rlist[i];
                if (t->req[i] > al[r] - us[r] && !(r >= KS_R_NFIXED && ignored_resource(s, r)))
                    return false;
            }
            if (st->zone_pin && st->zone_pin[pc->p - s->pods] >= 0 &&
                s->nodes[n].zone != (uint32_t)st->zone_pin[pc->p - s->pods])
                return false;
        }
    }
    return true;
}

/* PreFilter state: which filters run, spread minima, affinity totals. */
void ks_prefilter(ks_sim *s, ks_state *st, pod_ctx *pc)
{
    struct ks_scratch *x = s->scr;
    const ks_tmpl *t = pc->t;
    ks_class *c = pc->c;
    const ks_profile *pr = &s->prof;
    pc->do_ports = t->nports > 0;
    pc->do_spread = c->nhard > 0;
    if (pc->do_spread) {
        x->hmin = ka_xrealloc(x->hmin, c->nhard * sizeof *x->hmin);
        for (uint32_t i = 0; i < c->nhard; i++) {
            const ks_counter *k = &s->ctr[c->hard[i]];
            int32_t mn = INT32_MAX;
            for (uint32_t j = 0; j < k->npresent; j++) {
                int32_t v = st->cnt[k->base + k->present[j]];
                if (v < mn)
                    mn = v;
            }
            if (k->npresent < (uint32_t)c->hard_tsc[i].min_domains)
                mn = 0;
            x->hmin[i] = mn;
        }
    }
    ks_class_face(s, c);
    pc->nanti = 0;
    for (uint32_t i = 0; i < c->nface; i++) {
        const ks_group *g = &s->grp[c->face[i]];
        if (g->kind != KS_AT_REQ_ANTI || g->topo == KS_NONE)
            continue;
        if (!st->tot[g->tot])
            continue;
        if (pc->nanti == x->capanti) {
            x->capanti = x->capanti ? x->capanti * 2 : 8;
            x->anti_groups = ka_xrealloc(x->anti_groups, x->capanti * sizeof *x->anti_groups);
        }
        x->anti_groups[pc->nanti++] = c->face[i];
    }
    pc->anti = x->anti_groups;
    pc->hmin = x->hmin;
    pc->ipa_aff = t->nat[KS_AT_REQ_AFF] > 0;
    pc->aff_pass_all = false;
    if (pc->ipa_aff) {
        int64_t total = 0;
        for (uint32_t i = 0; i < t->nat[KS_AT_REQ_AFF]; i++) {
            const ks_counter *k = &s->ctr[c->at_cnt[KS_AT_REQ_AFF][i]];
            total += st->tot[k->tot];
        }
        pc->aff_pass_all = total == 0 && c->self_aff;
    }
    pc->ipa_anti = false;
    for (uint32_t i = 0; i < t->nat[KS_AT_REQ_ANTI]; i++) {
        const ks_counter *k = &s->ctr[c->at_cnt[KS_AT_REQ_ANTI][i]];
        if (st->tot[k->tot])
            pc->ipa_anti = true;
    }
    pc->do_ipa = pc->ipa_aff || pc->ipa_anti || pc->nanti > 0;
    (void)pr;
}

/* ---- scores ------------------------------------------------------------------------- */

static int64_t treq(const ks_tmpl *t, uint32_t res)
{
    for (uint32_t i = 0; i < t->nreq; i++)
        if (t->rlist[i] == res)
            return t->req[i];
    return 0;
}

static int64_t shape_fn(const ks_profile *p, int64_t u)
{
    for (uint32_t i = 0; i < p->nshape; i++)
        if (u <= p->shape_u[i]) {
            if (i == 0)
                return p->shape_s[0];
            return p->shape_s[i - 1] + (p->shape_s[i] - p->shape_s[i - 1]) *
                                           (u - p->shape_u[i - 1]) /
                                           (p->shape_u[i] - p->shape_u[i - 1]);
        }
    return p->shape_s[p->nshape - 1];
}

int64_t ks_fit_score(const ks_sim *s, const ks_state *st, const ks_tmpl *t, uint32_t n)
{
    const ks_profile *p = &s->prof;
    int64_t node = 0, wsum = 0;
    const int64_t *al = s->alloc + (size_t)n * s->nres;
    const int64_t *us = st->used + (size_t)n * s->nres;
    for (uint32_t i = 0; i < p->nfit_res; i++) {
        uint32_t r = p->fit_res[i].res;
        int64_t w = p->fit_res[i].weight, req;
        if (r == KS_R_CPU)
            req = st->nz[n * 2] + t->nz_cpu;
        else if (r == KS_R_MEM)
            req = st->nz[n * 2 + 1] + t->nz_mem;
        else {
            int64_t preq = treq(t, r);
            if (r >= KS_R_NFIXED && preq == 0)
                continue;
            req = us[r] + preq;
        }
        int64_t a = al[r];
        if (a == 0)
            continue;
        int64_t sc;
        if (p->strategy == KS_SS_LEAST) {
            sc = req > a ? 0 : (a - req) * KS_MAX_SCORE / a;
        } else if (p->strategy == KS_SS_MOST) {
            int64_t rq = req > a ? a : req;
            sc = rq * KS_MAX_SCORE / a;
        } else {
            int64_t u;
            if (req > a)
                u = 100;
            else if (req <= 0)
                u = 0;
            else if (req >= a)
                u = 100;
            else
                u = (int64_t)((__int128)req * 100 / a);
            sc = shape_fn(p, u);
            if (sc <= 0)
                continue;
        }
        node += sc * w;
        wsum += w;
    }
    if (wsum == 0)
        return 0;
    if (p->strategy == KS_SS_RTCR)
        return (int64_t)round((double)node / (double)wsum);
    return node / wsum;
}

bool ks_balanced_skip(const ks_sim *s, const ks_tmpl *t)
{
    const ks_profile *p = &s->prof;
    for (uint32_t i = 0; i < p->nbal_res; i++)
        if (treq(t, p->bal_res[i].res) != 0)
            return false;
    return true;
}

int64_t ks_balanced_score(const ks_sim *s, const ks_state *st, const ks_tmpl *t, uint32_t n)
{
    const ks_profile *p = &s->prof;
    double fr[16];
    uint32_t nf = 0;
    double total = 0;
    const int64_t *al = s->alloc + (size_t)n * s->nres;
    const int64_t *us = st->used + (size_t)n * s->nres;
    for (uint32_t i = 0; i < p->nbal_res && nf < 16; i++) {
        uint32_t r = p->bal_res[i].res;
        int64_t preq = treq(t, r);
        if (r >= KS_R_NFIXED && preq == 0)
            continue;
        int64_t a = al[r];
        if (a == 0)
            continue;
        double f = (double)(us[r] + preq) / (double)a;
        if (f > 1)
            f = 1;
        total += f;
        fr[nf++] = f;
    }
    double sd = 0.0;
    if (nf == 2) {
        sd = fabs((fr[0] - fr[1]) / 2);
    } else if (nf > 2) {
        double mean = total / (double)nf, sum = 0;
        for (uint32_t i = 0; i < nf; i++)
            sum = sum + (fr[i] - mean) * (fr[i] - mean);
        sd = sqrt(sum / (double)nf);
    }
    return (int64_t)((1 - sd) * (double)KS_MAX_SCORE);
}

static void add_contrib(struct ks_scratch *x, uint32_t base, uint32_t topo, int64_t w)
{
    if (x->nct == x->capct) {
        x->capct = x->capct ? x->capct * 2 : 16;
        x->ct = ka_xrealloc(x->ct, x->capct * sizeof *x->ct);
    }
    x->ct[x->nct++] = (contrib){ base, topo, w };
}

/* Score all feasible nodes; x->sc[plugin][i] ends normalised; x->total[i]. */
static void score(ks_sim *s, ks_state *st, pod_ctx *pc, uint32_t nf, bool *ran)
{
    struct ks_scratch *x = s->scr;
    const ks_profile *pr = &s->prof;
    const ks_tmpl *t = pc->t;
    ks_class *c = pc->c;
    const uint32_t *f = x->feas;
    memset(x->total, 0, nf * sizeof *x->total);
    for (uint32_t si = 0; si < pr->nscores; si++) {
        uint8_t plug = pr->scores[si];
        int64_t *v = x->sc[plug];
        ran[plug] = true;
        switch (plug) {
        case KS_P_TAINT: {
            int64_t mx = 0;
            for (uint32_t i = 0; i < nf; i++) {
                v[i] = t->tt_raw[f[i]];
                if (v[i] > mx)
                    mx = v[i];
            }
            for (uint32_t i = 0; i < nf; i++)
                v[i] = mx == 0 ? KS_MAX_SCORE : KS_MAX_SCORE - v[i] * KS_MAX_SCORE / mx;
            break;
        }
        case KS_P_NODE_AFFINITY: {
            if (!t->has_pref_aff && !pr->has_added_pref) {
                ran[plug] = false;
                break;
            }
            int64_t mx = 0;
            for (uint32_t i = 0; i < nf; i++) {
                v[i] = t->na_raw[f[i]];
                if (v[i] > mx)
                    mx = v[i];
            }
            if (mx != 0)
                for (uint32_t i = 0; i < nf; i++)
                    v[i] = KS_MAX_SCORE * v[i] / mx;
            break;
        }
        case KS_P_FIT:
            for (uint32_t i = 0; i < nf; i++)
                v[i] = ks_fit_score(s, st, t, f[i]);
            break;
        case KS_P_BALANCED:
            if (ks_balanced_skip(s, t)) {
                ran[plug] = false;
                break;
            }
            for (uint32_t i = 0; i < nf; i++)
                v[i] = ks_balanced_score(s, st, t, f[i]);
            break;
        case KS_P_IMAGE:
            for (uint32_t i = 0; i < nf; i++)
                v[i] = t->img[f[i]];
            break;
        case KS_P_SPREAD: {
            if (c->nsoft == 0) {
                ran[plug] = false;
                break;
            }
            bool require_all = !c->soft_system;
            double w[16];
            uint32_t nk = c->nsoft < 16 ? c->nsoft : 16;
            uint32_t nign = 0;
            for (uint32_t i = 0; i < nf; i++) {
                bool ign = false;
                if (require_all)
                    for (uint32_t k = 0; k < nk && !ign; k++)
                        ign = s->topo[c->soft_key[k]].dom[f[i]] < 0;
                x->ign[i] = ign;
                nign += ign;
            }
            for (uint32_t k = 0; k < nk; k++) {
                const ks_tsc *tc = &c->soft_tsc[k];
                uint32_t size;
                if (tc->key == s->hostname_key) {
                    size = nf - nign;
                } else {
                    const ks_topo *tp = &s->topo[c->soft_key[k]];
                    if (++x->gen == 0) {
                        memset(x->stamp, 0, x->nstamp * sizeof *x->stamp);
                        x->gen = 1;
                    }
                    size = 0;
                    bool empty_seen = false;
                    for (uint32_t i = 0; i < nf; i++) {
                        if (x->ign[i])
                            continue;
                        int32_t d = tp->dom[f[i]];
                        if (d < 0) {
                            /* system defaulting: a node without the key is the "" domain */
                            if (!empty_seen)
                                size++;
                            empty_seen = true;
                            continue;
                        }
                        if (x->stamp[d] != x->gen) {
                            x->stamp[d] = x->gen;
                            size++;
                        }
                    }
                }
                w[k] = log((double)size + 2);
            }
            int64_t mn = INT64_MAX, mx = 0;
            for (uint32_t i = 0; i < nf; i++) {
                if (x->ign[i]) {
                    v[i] = 0;
                    continue;
                }
                uint32_t n = f[i];
                double sc = 0;
                for (uint32_t k = 0; k < nk; k++) {
                    const ks_tsc *tc = &c->soft_tsc[k];
                    const ks_counter *ct = &s->ctr[c->soft[k]];
                    if (s->topo[c->soft_key[k]].dom[n] < 0)
                        continue;
                    int64_t cnt;
                    if (ct->topo == KS_NONE)
                        cnt = st->cnt[ct->base + n];
                    else {
                        int32_t d = s->topo[ct->topo].dom[n];
                        cnt = d < 0 ? 0 : st->cnt[ct->base + (uint32_t)d];
                    }
                    sc += (double)cnt * w[k] + (double)(tc->max_skew - 1);
                }
                v[i] = (int64_t)round(sc);
                if (v[i] < mn)
                    mn = v[i];
                if (v[i] > mx)
                    mx = v[i];
            }
            for (uint32_t i = 0; i < nf; i++) {
                if (x->ign[i])
                    v[i] = 0;
                else if (mx == 0)
                    v[i] = KS_MAX_SCORE;
                else
                    v[i] = KS_MAX_SCORE * (mx + mn - v[i]) / mx;
            }
            break;
        }
        case KS_P_IPA: {
            bool incoming = t->nat[KS_AT_PREF_AFF] || t->nat[KS_AT_PREF_ANTI];
            if (pr->ignore_existing_pref && !incoming) {
                ran[plug] = false;
                break;
            }
            x->nct = 0;
            bool entries = false;
            for (int kind = KS_AT_PREF_AFF; kind <= KS_AT_PREF_ANTI; kind++)
                for (uint32_t i = 0; i < t->nat[kind]; i++) {
                    const ks_counter *k = &s->ctr[c->at_cnt[kind][i]];
                    int64_t w = t->at[kind][i].weight;
                    if (!st->tot[k->tot])
                        continue;
                    entries = true;
                    add_contrib(x, k->base, k->topo, kind == KS_AT_PREF_AFF ? w : -w);
                }
            ks_class_face(s, c);
            for (uint32_t i = 0; i < c->nface; i++) {
                const ks_group *g = &s->grp[c->face[i]];
                int64_t w;
                if (g->kind == KS_AT_REQ_AFF) {
                    if (pr->hard_weight <= 0)
                        continue;
                    w = pr->hard_weight;
                } else if (g->kind == KS_AT_PREF_AFF) {
                    w = g->weight;
                } else if (g->kind == KS_AT_PREF_ANTI) {
                    w = -(int64_t)g->weight;
                } else {
                    continue;
                }
                if (g->topo == KS_NONE || !st->tot[g->tot])
                    continue;
                entries = true;
                add_contrib(x, g->base, g->topo, w);
            }
            if (!entries) {
                ran[plug] = false;
                break;
            }
            int64_t mn = INT64_MAX, mx = INT64_MIN;
            for (uint32_t i = 0; i < nf; i++) {
                int64_t sum = 0;
                for (uint32_t k = 0; k < x->nct; k++) {
                    int32_t d = s->topo[x->ct[k].topo].dom[f[i]];
                    if (d >= 0)
                        sum += x->ct[k].weight * st->cnt[x->ct[k].base + (uint32_t)d];
                }
                v[i] = sum;
                if (sum < mn)
                    mn = sum;
                if (sum > mx)
                    mx = sum;
            }
            int64_t diff = mx - mn;
            for (uint32_t i = 0; i < nf; i++) {
                double fs = 0;
                if (diff > 0)
                    fs = (double)KS_MAX_SCORE * ((double)(v[i] - mn) / (double)diff);
                v[i] = (int64_t)fs;
            }
            break;
        }
        default:
            ran[plug] = false;
            break;
        }
        if (ran[plug])
            for (uint32_t i = 0; i < nf; i++)
                x->total[i] += (int64_t)pr->weight[plug] * v[i];
    }
}

/* ---- explain -------------------------------------------------------------------------- */

static void explain_nodes(ks_sim *s, const ks_state *st, uint32_t nf, const bool *ran,
                          bool scored, ks_explain *out, uint32_t prefilter_reason)
{
    struct ks_scratch *x = s->scr;
    const ks_profile *pr = &s->prof;
    out->n = 0;
    out->v = ka_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *out->v);
    for (int p = 0; p < KS_P_N; p++)
        out->ran[p] = scored && ran && ran[p];
    uint32_t fi = 0;
    for (uint32_t n = 0; n < s->nnodes; n++) {
        if (!st->alive[n])
            continue;
        ks_xnode *e = &out->v[out->n++];
        e->node = n;
        if (prefilter_reason) {
            e->plugin = KS_P_NODE_AFFINITY;
            e->nr = 1;
            e->reasons[0] = prefilter_reason;
            continue;
        }
        if (x->fplug[n] == 0 && fi < nf && x->feas[fi] == n) {
            for (uint32_t k = 0; scored && k < pr->nscores; k++) {
                uint8_t p = pr->scores[k];
                if (!ran[p])
                    continue;
                e->sc[p] = x->sc[p][fi];
                e->score += (int64_t)pr->weight[p] * x->sc[p][fi];
            }
            fi++;
            continue;
        }
        if (x->fplug[n] == 255) {
            e->plugin = KS_P_NODE_AFFINITY;
            e->nr = 1;
            e->reasons[0] = x->fixed[R_ABSENT];
            continue;
        }
        e->plugin = x->fplug[n];
        e->nr = x->fnr[n];
        for (uint32_t r = 0; r < x->fnr[n]; r++)
            e->reasons[r] = x->freason[(size_t)n * MAXR + r];
    }
}

/* ---- the cycle -------------------------------------------------------------------------- */

void ks_podctx_setup(ks_sim *s, uint32_t p, pod_ctx *pc)
{
    memset(pc, 0, sizeof *pc);
    pc->p = &s->pods[p];
    pc->t = &s->tmpls[pc->p->tmpl];
    pc->c = &s->cls[pc->p->cls];
    ks_tmpl_static(s, &s->tmpls[pc->p->tmpl]);
}

uint32_t ks_node_reasons(ks_sim *s, uint32_t n, const uint32_t **ids)
{
    struct ks_scratch *x = s->scr;
    *ids = &x->freason[(size_t)n * MAXR];
    return x->fplug[n] == 0 || x->fplug[n] == 255 ? 0 : x->fnr[n];
}

bool ks_fits_node(ks_sim *s, ks_state *st, uint32_t p, uint32_t n)
{
    pod_ctx pc;
    ks_podctx_setup(s, p, &pc);
    ks_prefilter(s, st, &pc);
    if (pc.p->pin && pc.p->pin != n + 1)
        return false;
    if (!pc.p->pin && pc.t->name_prefilter && s->prof.prefilter[KS_P_NODE_AFFINITY]) {
        bool in = false;
        for (uint32_t i = 0; i < pc.t->nallow && !in; i++)
            in = pc.t->allow[i] == n;
        if (!in)
            return false;
    }
    return filter_node(s, st, &pc, n);
}

void ks_cycle(ks_sim *s, ks_state *st, uint32_t p, ks_cycle_out *out, ks_explain *explain)
{
    struct ks_scratch *x = s->scr;
    pod_ctx pc;
    ks_podctx_setup(s, p, &pc);
    const ks_tmpl *t = pc.t;
    out->node = -1;
    out->message = NULL;
    out->resolvable_any = false;
    out->node_status = x->fcode;
    if (x->nhist)
        memset(x->hist, 0, x->nhist * sizeof *x->hist);

    uint32_t nall = 0;
    for (uint32_t n = 0; n < s->nnodes; n++) {
        nall += st->alive[n];
        x->fplug[n] = 255;
        x->fcode[n] = 2;
    }
    /* PreFilter: NodeAffinity's node-name allow-list */
    uint32_t ncand = 0;
    bool restricted = false;
    if (pc.p->pin) {
        restricted = true;
        if (st->alive[pc.p->pin - 1])
            x->cand[ncand++] = pc.p->pin - 1;
    } else if (t->name_prefilter && s->prof.prefilter[KS_P_NODE_AFFINITY]) {
        if (t->name_conflict) {
            out->message = fit_error(s, nall, fixed_reasons[R_CONFLICT]);
            if (explain)
                explain_nodes(s, st, 0, NULL, false, explain, x->fixed[R_CONFLICT]);
            return;
        }
        restricted = true;
        for (uint32_t i = 0; i < t->nallow; i++)
            if (st->alive[t->allow[i]])
                x->cand[ncand++] = t->allow[i];
    }
    if (!restricted)
        for (uint32_t n = 0; n < s->nnodes; n++)
            if (st->alive[n])
                x->cand[ncand++] = n;
    ks_prefilter(s, st, &pc);

    uint32_t nf = 0;
    for (uint32_t i = 0; i < ncand; i++) {
        uint32_t n = x->cand[i];
        if (filter_node(s, st, &pc, n)) {
            x->feas[nf++] = n;
            x->fcode[n] = 0;
            continue;
        }
        for (uint32_t r = 0; r < x->fnr[n]; r++)
            hist_add(s, x->freason[(size_t)n * MAXR + r], 1);
        if (x->fcode[n] == 1)
            out->resolvable_any = true;
    }
    if (nall > ncand)
        hist_add(s, x->fixed[R_ABSENT], nall - ncand);

    bool ran[KS_P_N] = { false };
    if (nf == 0) {
        out->message = fit_error(s, nall, NULL);
        if (explain)
            explain_nodes(s, st, 0, ran, false, explain, 0);
        return;
    }
    if (nf == 1) {
        out->node = (int32_t)x->feas[0];
        if (explain)
            explain_nodes(s, st, nf, ran, false, explain, 0);
        return;
    }
    score(s, st, &pc, nf, ran);
    uint32_t best = 0;
    for (uint32_t i = 1; i < nf; i++)
        if (x->total[i] > x->total[best])
            best = i;
    out->node = (int32_t)x->feas[best];
    if (explain)
        explain_nodes(s, st, nf, ran, true, explain, 0);
}
