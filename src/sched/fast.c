/*
 * fast.c - the scheduling cycle for runs of pods of one class, without
 * scoring every node for every pod.
 *
 * Between two pods of the same class (consecutive replicas of a workload)
 * the cluster changes on one node only: the one the previous pod went to.
 * Every plugin's contribution to a node's total is either
 *   - node-local and free of any normalisation (NodeResourcesFit,
 *     NodeResourcesBalancedAllocation, ImageLocality): kept as L(n), or
 *   - a function of a few per-node facts that many nodes share: the node's
 *     domain for every topology key the pod's constraints use, its counts on
 *     hostname-like keys, its TaintToleration and NodeAffinity raw scores.
 * Nodes with equal facts form a bucket; within a bucket the order is by
 * L(n) then input order (a heap). Per pod, every bucket is evaluated once
 * exactly as ks_cycle evaluates a node (same filters, same raw scores, the
 * same normalisations over the same feasible set), and the best node is the
 * best bucket's top. After a bind only the chosen node moves. The result is
 * the node ks_cycle would pick; tests/unit/test_sched_fast.c checks that on
 * generated clusters. Whatever the fast path does not cover (pinned and
 * name-restricted pods, --explain, pods that fit nowhere) goes to ks_cycle.
 */
#include "sim.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXITEMS 64

/* A counter (or group) whose value at a node the cycle needs. */
typedef struct item {
    uint32_t base;
    uint32_t topo;       /* slot, KS_NONE per node */
    uint32_t pres;       /* slot telling whether the node has the key */
    bool single;         /* value kept in the key (per node or hostname-like) */
    uint32_t comp;       /* key component: value (single) or domain index */
} item;

struct ks_fast {
    ks_sim *s;
    bool off;            /* KUBEARCH_SIM_REFERENCE: always use ks_cycle */
    bool valid;
    uint32_t cls;
    uint32_t gen;
    const ks_state *st;
    /* plan */
    uint32_t K;          /* key components */
    int comp_tt, comp_na;
    uint32_t nslot;
    uint32_t slot_topo[MAXITEMS];
    uint32_t nitem;
    item it[MAXITEMS];
    int hard[32], soft[32], pres_soft[32];
    int at[KS_AT_N][32];
    uint32_t nface;
    int face[MAXITEMS];  /* item per faced group (index in the class's face list) */
    bool filt_spread, filt_ipa;
    int64_t bal_w, fit_w, img_w;
    bool bal_on;
    /* nodes */
    int64_t *L;
    uint32_t *bkt;       /* bucket of node, KS_NONE */
    uint32_t *pos;       /* index in the bucket heap */
    /* buckets */
    uint32_t nb, capb;
    int32_t *keys;       /* nb * K */
    uint32_t **heap;
    uint32_t *hn, *hcap;
    /* hash */
    uint32_t *tab;
    uint32_t ntab;
    /* per pod scratch, per bucket */
    uint8_t *feas;
    uint8_t *ign;
    int64_t *raw_pts, *raw_ipa, *F;
    uint32_t *stamp;
    uint32_t nstamp, gen_stamp;
    int32_t *tmpkey;
};

ks_fast *ks_fast_new(ks_sim *s)
{
    ks_fast *f = ka_xcalloc(1, sizeof *f);
    f->s = s;
    f->off = getenv("KUBEARCH_SIM_REFERENCE") != NULL;
    uint32_t nn = s->nnodes ? s->nnodes : 1;
    f->L = ka_xmalloc(nn * sizeof *f->L);
    f->bkt = ka_xmalloc(nn * sizeof *f->bkt);
    f->pos = ka_xmalloc(nn * sizeof *f->pos);
    uint32_t maxd = 1;
    for (uint32_t i = 0; i < s->ntopo; i++)
        if (s->topo[i].nd > maxd)
            maxd = s->topo[i].nd;
    f->nstamp = maxd;
    f->stamp = ka_xcalloc(maxd, sizeof *f->stamp);
    return f;
}

static void free_buckets(ks_fast *f)
{
    for (uint32_t b = 0; b < f->capb; b++)
        free(f->heap[b]);
    free(f->heap);
    free(f->hn);
    free(f->hcap);
    free(f->keys);
    free(f->feas);
    free(f->ign);
    free(f->raw_pts);
    free(f->raw_ipa);
    free(f->F);
    f->heap = NULL;
    f->hn = f->hcap = NULL;
    f->keys = NULL;
    f->feas = f->ign = NULL;
    f->raw_pts = f->raw_ipa = f->F = NULL;
    f->nb = f->capb = 0;
}

void ks_fast_free(ks_fast *f)
{
    if (!f)
        return;
    free_buckets(f);
    free(f->tab);
    free(f->L);
    free(f->bkt);
    free(f->pos);
    free(f->stamp);
    free(f->tmpkey);
    free(f);
}

/* ---- heaps ------------------------------------------------------------------------------ */

static inline bool before(const ks_fast *f, uint32_t a, uint32_t b)
{
    return f->L[a] > f->L[b] || (f->L[a] == f->L[b] && a < b);
}

static void heap_set(ks_fast *f, uint32_t b, uint32_t i, uint32_t n)
{
    f->heap[b][i] = n;
    f->pos[n] = i;
}

static void sift_up(ks_fast *f, uint32_t b, uint32_t i)
{
    uint32_t *h = f->heap[b];
    uint32_t n = h[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!before(f, n, h[p]))
            break;
        heap_set(f, b, i, h[p]);
        i = p;
    }
    heap_set(f, b, i, n);
}

static void sift_down(ks_fast *f, uint32_t b, uint32_t i)
{
    uint32_t *h = f->heap[b];
    uint32_t size = f->hn[b];
    uint32_t n = h[i];
    for (;;) {
        uint32_t l = 2 * i + 1, best = i;
        uint32_t bn = n;
        if (l < size && before(f, h[l], bn)) {
            best = l;
            bn = h[l];
        }
        if (l + 1 < size && before(f, h[l + 1], bn)) {
            best = l + 1;
            bn = h[l + 1];
        }
        if (best == i)
            break;
        heap_set(f, b, i, h[best]);
        i = best;
    }
    heap_set(f, b, i, n);
}

static void heap_push(ks_fast *f, uint32_t b, uint32_t n)
{
    if (f->hn[b] == f->hcap[b]) {
        f->hcap[b] = f->hcap[b] ? f->hcap[b] * 2 : 8;
        f->heap[b] = ka_xrealloc(f->heap[b], f->hcap[b] * sizeof **f->heap);
    }
    uint32_t i = f->hn[b]++;
    heap_set(f, b, i, n);
    sift_up(f, b, i);
    f->bkt[n] = b;
}

static void heap_remove(ks_fast *f, uint32_t n)
{
    uint32_t b = f->bkt[n];
    if (b == KS_NONE)
        return;
    uint32_t i = f->pos[n];
    uint32_t last = f->heap[b][--f->hn[b]];
    f->bkt[n] = KS_NONE;
    if (last == n)
        return;
    heap_set(f, b, i, last);
    sift_up(f, b, f->pos[last]);
    sift_down(f, b, f->pos[last]);
}

/* ---- buckets ------------------------------------------------------------------------------ */

static uint32_t key_hash(const int32_t *k, uint32_t K)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < K; i++) {
        h ^= (uint32_t)k[i];
        h *= 16777619u;
        h ^= h >> 15;
    }
    return h;
}

static void tab_rebuild(ks_fast *f, uint32_t size)
{
    free(f->tab);
    f->ntab = size;
    f->tab = ka_xmalloc(size * sizeof *f->tab);
    memset(f->tab, 0xff, size * sizeof *f->tab);
    for (uint32_t b = 0; b < f->nb; b++) {
        uint32_t h = key_hash(f->keys + (size_t)b * f->K, f->K) & (size - 1);
        while (f->tab[h] != KS_NONE)
            h = (h + 1) & (size - 1);
        f->tab[h] = b;
    }
}

static uint32_t bucket_of(ks_fast *f, const int32_t *key)
{
    uint32_t K = f->K;
    uint32_t h = key_hash(key, K) & (f->ntab - 1);
    while (f->tab[h] != KS_NONE) {
        uint32_t b = f->tab[h];
        if (!memcmp(f->keys + (size_t)b * K, key, K * sizeof *key))
            return b;
        h = (h + 1) & (f->ntab - 1);
    }
    if (f->nb == f->capb) {
        uint32_t cap = f->capb ? f->capb * 2 : 16;
        f->keys = ka_xrealloc(f->keys, (size_t)cap * (K ? K : 1) * sizeof *f->keys);
        f->heap = ka_xrealloc(f->heap, cap * sizeof *f->heap);
        f->hn = ka_xrealloc(f->hn, cap * sizeof *f->hn);
        f->hcap = ka_xrealloc(f->hcap, cap * sizeof *f->hcap);
        for (uint32_t b = f->capb; b < cap; b++) {
            f->heap[b] = NULL;
            f->hn[b] = f->hcap[b] = 0;
        }
        f->feas = ka_xrealloc(f->feas, cap);
        f->ign = ka_xrealloc(f->ign, cap);
        f->raw_pts = ka_xrealloc(f->raw_pts, cap * sizeof *f->raw_pts);
        f->raw_ipa = ka_xrealloc(f->raw_ipa, cap * sizeof *f->raw_ipa);
        f->F = ka_xrealloc(f->F, cap * sizeof *f->F);
        f->capb = cap;
    }
    uint32_t b = f->nb++;
    memcpy(f->keys + (size_t)b * K, key, K * sizeof *key);
    f->hn[b] = 0;
    if (f->nb * 2 > f->ntab)
        tab_rebuild(f, f->ntab * 2);
    else
        f->tab[h] = b;
    return b;
}

/* ---- the plan of a class -------------------------------------------------------------------- */

static int slot_comp(ks_fast *f, uint32_t topo)
{
    for (uint32_t i = 0; i < f->nslot; i++)
        if (f->slot_topo[i] == topo)
            return (int)i;
    if (f->nslot == MAXITEMS)
        return -1;
    f->slot_topo[f->nslot] = topo;
    return (int)f->nslot++;
}

/* An item for a counter or group; -1 when the plan is full. */
static int add_item(ks_fast *f, uint32_t base, uint32_t topo, uint32_t pres)
{
    ks_sim *s = f->s;
    if (f->nitem == MAXITEMS)
        return -1;
    item *x = &f->it[f->nitem];
    x->base = base;
    x->topo = topo;
    x->pres = pres;
    x->single = topo == KS_NONE || s->topo[topo].single;
    if (!x->single) {
        int c = slot_comp(f, topo);
        if (c < 0)
            return -1;
        x->comp = (uint32_t)c;
    }
    return (int)f->nitem++;
}

static bool plan(ks_fast *f, const ks_podctx *pc)
{
    ks_sim *s = f->s;
    const ks_profile *pr = &s->prof;
    const ks_class *c = pc->c;
    const ks_tmpl *t = pc->t;
    f->nslot = f->nitem = 0;
    if (c->nhard > 32 || c->nsoft > 16)
        return false;
    for (int k = 0; k < KS_AT_N; k++)
        if (t->nat[k] > 32)
            return false;
    f->filt_spread = f->filt_ipa = false;
    for (uint32_t i = 0; i < pr->nfilters; i++) {
        f->filt_spread |= pr->filters[i] == KS_P_SPREAD;
        f->filt_ipa |= pr->filters[i] == KS_P_IPA;
    }
    for (uint32_t i = 0; i < c->nhard; i++) {
        const ks_counter *k = &s->ctr[c->hard[i]];
        if ((f->hard[i] = add_item(f, k->base, k->topo, k->topo)) < 0)
            return false;
    }
    for (uint32_t i = 0; i < c->nsoft; i++) {
        const ks_counter *k = &s->ctr[c->soft[i]];
        if ((f->soft[i] = add_item(f, k->base, k->topo, c->soft_key[i])) < 0)
            return false;
    }
    for (int kind = 0; kind < KS_AT_N; kind++)
        for (uint32_t i = 0; i < t->nat[kind]; i++) {
            const ks_counter *k = &s->ctr[c->at_cnt[kind][i]];
            if ((f->at[kind][i] = add_item(f, k->base, k->topo, k->topo)) < 0)
                return false;
        }
    if (c->nface > MAXITEMS)
        return false;
    f->nface = c->nface;
    for (uint32_t i = 0; i < c->nface; i++) {
        const ks_group *g = &s->grp[c->face[i]];
        if (g->topo == KS_NONE) {
            f->face[i] = -1;
            continue;
        }
        if ((f->face[i] = add_item(f, g->base, g->topo, g->topo)) < 0)
            return false;
    }
    /* key layout: [tt] [na] [domain slots] [single items] */
    uint32_t k = 0;
    bool tt = false, na = false;
    f->fit_w = f->bal_w = f->img_w = 0;
    f->bal_on = !ks_balanced_skip(s, t);
    for (uint32_t i = 0; i < pr->nscores; i++) {
        uint8_t p = pr->scores[i];
        tt |= p == KS_P_TAINT;
        na |= p == KS_P_NODE_AFFINITY && (t->has_pref_aff || pr->has_added_pref);
        if (p == KS_P_FIT)
            f->fit_w = pr->weight[p];
        if (p == KS_P_BALANCED)
            f->bal_w = pr->weight[p];
        if (p == KS_P_IMAGE)
            f->img_w = pr->weight[p];
    }
    f->comp_tt = tt ? (int)k++ : -1;
    f->comp_na = na ? (int)k++ : -1;
    uint32_t slot0 = k;
    k += f->nslot;
    for (uint32_t i = 0; i < f->nitem; i++) {
        if (f->it[i].single)
            f->it[i].comp = k++;
        else
            f->it[i].comp += slot0;
    }
    f->K = k;
    f->tmpkey = ka_xrealloc(f->tmpkey, (k ? k : 1) * sizeof *f->tmpkey);
    /* slots now index key components */
    for (uint32_t i = 0; i < f->nslot; i++)
        (void)i;
    return true;
}

static void make_key(const ks_fast *f, const ks_state *st, const ks_tmpl *t, uint32_t n,
                     int32_t *key)
{
    const ks_sim *s = f->s;
    if (f->comp_tt >= 0)
        key[f->comp_tt] = t->tt_raw[n];
    if (f->comp_na >= 0)
        key[f->comp_na] = t->na_raw[n];
    uint32_t slot0 = (f->comp_tt >= 0) + (f->comp_na >= 0);
    for (uint32_t i = 0; i < f->nslot; i++)
        key[slot0 + i] = s->topo[f->slot_topo[i]].dom[n];
    for (uint32_t i = 0; i < f->nitem; i++) {
        const item *x = &f->it[i];
        if (!x->single)
            continue;
        int32_t v;
        if (x->topo == KS_NONE) {
            v = s->topo[x->pres].dom[n] < 0 ? -1 : st->cnt[x->base + n];
        } else {
            int32_t d = s->topo[x->topo].dom[n];
            v = d < 0 ? -1 : st->cnt[x->base + (uint32_t)d];
        }
        key[x->comp] = v;
    }
}

static int64_t local_score(const ks_fast *f, const ks_state *st, const ks_tmpl *t, uint32_t n)
{
    int64_t l = 0;
    if (f->fit_w)
        l += f->fit_w * ks_fit_score(f->s, st, t, n);
    if (f->bal_w && f->bal_on)
        l += f->bal_w * ks_balanced_score(f->s, st, t, n);
    if (f->img_w)
        l += f->img_w * t->img[n];
    return l;
}

static void place_node(ks_fast *f, ks_state *st, const ks_podctx *pc, uint32_t n)
{
    if (!ks_local_ok(f->s, st, pc, n)) {
        f->bkt[n] = KS_NONE;
        return;
    }
    f->L[n] = local_score(f, st, pc->t, n);
    make_key(f, st, pc->t, n, f->tmpkey);
    heap_push(f, bucket_of(f, f->tmpkey), n);
}

static bool rebuild(ks_fast *f, ks_state *st, const ks_podctx *pc)
{
    ks_sim *s = f->s;
    f->valid = false;
    free_buckets(f);
    if (!plan(f, pc))
        return false;
    if (!f->tab || f->ntab < 64)
        tab_rebuild(f, 64);
    else
        memset(f->tab, 0xff, f->ntab * sizeof *f->tab);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        f->bkt[n] = KS_NONE;
        if (st->alive[n])
            place_node(f, st, pc, n);
    }
    f->valid = true;
    f->cls = s->pods[pc->p - s->pods].cls;
    f->gen = st->gen;
    f->st = st;
    return true;
}

/* ---- evaluation ------------------------------------------------------------------------------ */

/* value of item x for bucket key k; *present false when the node lacks the key */
static inline int32_t ival(const ks_fast *f, const ks_state *st, const item *x, const int32_t *k,
                           bool *present)
{
    int32_t v = k[x->comp];
    if (x->single) {
        *present = v >= 0;
        return v < 0 ? 0 : v;
    }
    *present = v >= 0;
    return v < 0 ? 0 : st->cnt[x->base + (uint32_t)v];
    (void)f;
}

static bool bucket_feasible(const ks_fast *f, const ks_state *st, const ks_podctx *pc,
                            const int32_t *k)
{
    const ks_sim *s = f->s;
    const ks_class *c = pc->c;
    const ks_tmpl *t = pc->t;
    bool pr;
    if (f->filt_spread && pc->do_spread)
        for (uint32_t i = 0; i < c->nhard; i++) {
            int32_t v = ival(f, st, &f->it[f->hard[i]], k, &pr);
            if (!pr)
                return false;
            if ((int64_t)v + c->hard_self[i] - pc->hmin[i] > c->hard_tsc[i].max_skew)
                return false;
        }
    if (f->filt_ipa && pc->do_ipa) {
        if (pc->ipa_aff) {
            bool exist = true;
            for (uint32_t i = 0; i < t->nat[KS_AT_REQ_AFF]; i++) {
                int32_t v = ival(f, st, &f->it[f->at[KS_AT_REQ_AFF][i]], k, &pr);
                if (!pr)
                    return false;
                if (v <= 0)
                    exist = false;
            }
            if (!exist && !pc->aff_pass_all)
                return false;
        }
        if (pc->ipa_anti)
            for (uint32_t i = 0; i < t->nat[KS_AT_REQ_ANTI]; i++) {
                int32_t v = ival(f, st, &f->it[f->at[KS_AT_REQ_ANTI][i]], k, &pr);
                if (pr && v > 0)
                    return false;
            }
        for (uint32_t i = 0; i < pc->nanti; i++) {
            /* the face list position of this group */
            uint32_t g = pc->anti[i];
            for (uint32_t j = 0; j < c->nface; j++)
                if (c->face[j] == g && f->face[j] >= 0) {
                    int32_t v = ival(f, st, &f->it[f->face[j]], k, &pr);
                    if (pr && v > 0)
                        return false;
                    break;
                }
        }
    }
    (void)s;
    return true;
}

static inline int64_t round_half_away(double x)
{
    return (int64_t)round(x);
}

int32_t ks_fast_pick(ks_fast *f, ks_state *st, uint32_t p)
{
    ks_sim *s = f->s;
    const ks_pod *pod = &s->pods[p];
    const ks_tmpl *t = &s->tmpls[pod->tmpl];
    const ks_profile *pr = &s->prof;
    if (f->off || pod->pin || (t->name_prefilter && pr->prefilter[KS_P_NODE_AFFINITY]) ||
        (st->zone_pin && st->zone_pin[p] >= 0))
        return -1;
    ks_podctx pc;
    ks_podctx_setup(s, p, &pc);
    ks_prefilter(s, st, &pc);
    if (!f->valid || f->cls != pod->cls || f->gen != st->gen || f->st != st)
        if (!rebuild(f, st, &pc))
            return -1;
    const ks_class *c = pc.c;

    /* Filter, per bucket */
    uint64_t nf = 0;
    uint32_t only = KS_NONE;
    for (uint32_t b = 0; b < f->nb; b++) {
        f->feas[b] = f->hn[b] && bucket_feasible(f, st, &pc, f->keys + (size_t)b * f->K);
        if (f->feas[b]) {
            nf += f->hn[b];
            only = b;
        }
    }
    if (nf == 0)
        return -1;
    if (nf == 1)
        return (int32_t)f->heap[only][0];
    for (uint32_t b = 0; b < f->nb; b++)
        f->F[b] = 0;

    bool pres;
    for (uint32_t si = 0; si < pr->nscores; si++) {
        uint8_t plug = pr->scores[si];
        int64_t w = pr->weight[plug];
        switch (plug) {
        case KS_P_TAINT: {
            int64_t mx = 0;
            for (uint32_t b = 0; b < f->nb; b++)
                if (f->feas[b] && f->keys[(size_t)b * f->K + (uint32_t)f->comp_tt] > mx)
                    mx = f->keys[(size_t)b * f->K + (uint32_t)f->comp_tt];
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b])
                    continue;
                int64_t v = f->keys[(size_t)b * f->K + (uint32_t)f->comp_tt];
                f->F[b] += w * (mx == 0 ? KS_MAX_SCORE : KS_MAX_SCORE - v * KS_MAX_SCORE / mx);
            }
            break;
        }
        case KS_P_NODE_AFFINITY: {
            if (f->comp_na < 0)
                break;
            int64_t mx = 0;
            for (uint32_t b = 0; b < f->nb; b++)
                if (f->feas[b] && f->keys[(size_t)b * f->K + (uint32_t)f->comp_na] > mx)
                    mx = f->keys[(size_t)b * f->K + (uint32_t)f->comp_na];
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b])
                    continue;
                int64_t v = f->keys[(size_t)b * f->K + (uint32_t)f->comp_na];
                f->F[b] += w * (mx != 0 ? KS_MAX_SCORE * v / mx : v);
            }
            break;
        }
        case KS_P_SPREAD: {
            if (c->nsoft == 0)
                break;
            bool require_all = !c->soft_system;
            uint64_t nign = 0;
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b])
                    continue;
                const int32_t *k = f->keys + (size_t)b * f->K;
                bool ign = false;
                for (uint32_t i = 0; require_all && i < c->nsoft && !ign; i++) {
                    const item *x = &f->it[f->soft[i]];
                    /* presence of the soft key */
                    if (x->topo == KS_NONE || x->single)
                        ign = k[x->comp] < 0;
                    else
                        ign = k[x->comp] < 0;
                }
                f->ign[b] = ign;
                if (ign)
                    nign += f->hn[b];
            }
            double wts[16];
            for (uint32_t i = 0; i < c->nsoft; i++) {
                const ks_tsc *tc = &c->soft_tsc[i];
                const item *x = &f->it[f->soft[i]];
                uint64_t size = 0;
                if (tc->key == s->hostname_key) {
                    size = nf - nign;
                } else if (x->single) {
                    /* one domain per node that has the key, "" for the rest */
                    bool empty_seen = false;
                    for (uint32_t b = 0; b < f->nb; b++) {
                        if (!f->feas[b] || f->ign[b])
                            continue;
                        if (f->keys[(size_t)b * f->K + x->comp] < 0) {
                            if (!empty_seen)
                                size++;
                            empty_seen = true;
                        } else {
                            size += f->hn[b];
                        }
                    }
                } else {
                    if (++f->gen_stamp == 0) {
                        memset(f->stamp, 0, f->nstamp * sizeof *f->stamp);
                        f->gen_stamp = 1;
                    }
                    bool empty_seen = false;
                    for (uint32_t b = 0; b < f->nb; b++) {
                        if (!f->feas[b] || f->ign[b])
                            continue;
                        int32_t d = f->keys[(size_t)b * f->K + x->comp];
                        if (d < 0) {
                            if (!empty_seen)
                                size++;
                            empty_seen = true;
                        } else if (f->stamp[d] != f->gen_stamp) {
                            f->stamp[d] = f->gen_stamp;
                            size++;
                        }
                    }
                }
                wts[i] = log((double)size + 2);
            }
            int64_t mn = INT64_MAX, mx = 0;
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b] || f->ign[b])
                    continue;
                const int32_t *k = f->keys + (size_t)b * f->K;
                double sc = 0;
                for (uint32_t i = 0; i < c->nsoft; i++) {
                    const item *x = &f->it[f->soft[i]];
                    int32_t v = ival(f, st, x, k, &pres);
                    if (!pres)
                        continue;
                    sc += (double)v * wts[i] + (double)(c->soft_tsc[i].max_skew - 1);
                }
                int64_t r = round_half_away(sc);
                f->raw_pts[b] = r;
                if (r < mn)
                    mn = r;
                if (r > mx)
                    mx = r;
            }
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b] || f->ign[b])
                    continue;
                int64_t v = mx == 0 ? KS_MAX_SCORE : KS_MAX_SCORE * (mx + mn - f->raw_pts[b]) / mx;
                f->F[b] += w * v;
            }
            break;
        }
        case KS_P_IPA: {
            bool incoming = t->nat[KS_AT_PREF_AFF] || t->nat[KS_AT_PREF_ANTI];
            if (pr->ignore_existing_pref && !incoming)
                break;
            int ci[MAXITEMS * 2];
            int64_t cw[MAXITEMS * 2];
            uint32_t nc = 0;
            for (int kind = KS_AT_PREF_AFF; kind <= KS_AT_PREF_ANTI; kind++)
                for (uint32_t i = 0; i < t->nat[kind]; i++) {
                    const ks_counter *k = &s->ctr[c->at_cnt[kind][i]];
                    if (!st->tot[k->tot])
                        continue;
                    int64_t wt = t->at[kind][i].weight;
                    ci[nc] = f->at[kind][i];
                    cw[nc++] = kind == KS_AT_PREF_AFF ? wt : -wt;
                }
            for (uint32_t i = 0; i < c->nface; i++) {
                const ks_group *g = &s->grp[c->face[i]];
                int64_t wt;
                if (g->kind == KS_AT_REQ_AFF) {
                    if (pr->hard_weight <= 0)
                        continue;
                    wt = pr->hard_weight;
                } else if (g->kind == KS_AT_PREF_AFF) {
                    wt = g->weight;
                } else if (g->kind == KS_AT_PREF_ANTI) {
                    wt = -(int64_t)g->weight;
                } else {
                    continue;
                }
                if (g->topo == KS_NONE || !st->tot[g->tot] || f->face[i] < 0)
                    continue;
                ci[nc] = f->face[i];
                cw[nc++] = wt;
            }
            if (!nc)
                break;
            int64_t mn = INT64_MAX, mx = INT64_MIN;
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b])
                    continue;
                const int32_t *k = f->keys + (size_t)b * f->K;
                int64_t sum = 0;
                for (uint32_t i = 0; i < nc; i++) {
                    int32_t v = ival(f, st, &f->it[ci[i]], k, &pres);
                    if (pres)
                        sum += cw[i] * v;
                }
                f->raw_ipa[b] = sum;
                if (sum < mn)
                    mn = sum;
                if (sum > mx)
                    mx = sum;
            }
            int64_t diff = mx - mn;
            for (uint32_t b = 0; b < f->nb; b++) {
                if (!f->feas[b])
                    continue;
                double fs = 0;
                if (diff > 0)
                    fs = (double)KS_MAX_SCORE * ((double)(f->raw_ipa[b] - mn) / (double)diff);
                f->F[b] += w * (int64_t)fs;
            }
            break;
        }
        default:
            break;
        }
    }
    int64_t best = INT64_MIN;
    uint32_t bestn = KS_NONE;
    for (uint32_t b = 0; b < f->nb; b++) {
        if (!f->feas[b])
            continue;
        uint32_t n = f->heap[b][0];
        int64_t tot = f->F[b] + f->L[n];
        if (tot > best || (tot == best && n < bestn)) {
            best = tot;
            bestn = n;
        }
    }
    return (int32_t)bestn;
}

void ks_fast_bound(ks_fast *f, ks_state *st, uint32_t p, uint32_t n)
{
    ks_sim *s = f->s;
    if (!f->valid || f->st != st || f->gen != st->gen)
        return;
    if (f->cls != s->pods[p].cls) {
        f->valid = false; /* another class's pod changed counts anywhere */
        return;
    }
    ks_podctx pc;
    ks_podctx_setup(s, p, &pc);
    pc.do_ports = pc.t->nports > 0;
    heap_remove(f, n);
    if (st->alive[n])
        place_node(f, st, &pc, n);
}
