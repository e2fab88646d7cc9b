/*
 * preempt.c - DefaultPreemption's PostFilter, for a pod no node accepts.
 *
 * For every node whose failure is Unschedulable (resolvable), remove all
 * pods of lower priority, check that the pod then fits, and give back as
 * many of them as possible (PodDisruptionBudget violators first, higher
 * priority first); the node with the fewest PDB violations, then the lowest
 * highest-victim priority, the lowest priority sum, the fewest victims, then
 * the first in input order wins. Without --preempt this is only reported
 * (the PostFilter message and the victims); with it, the victims are
 * evicted (their controllers recreate them: they go back to the queue) and
 * the pod is bound to that node. Upstream examines a random subset of the
 * candidate nodes (at least 100 or 10%); here every candidate is examined.
 */
#include "sim.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int64_t ks_pdb_min_available(const ks_pdb *d, int64_t expected)
{
    if (d->has_min)
        return d->min_pct ? (d->min * expected + 99) / 100 : d->min;
    if (d->has_max) {
        int64_t mu = d->max_pct ? (d->max * expected + 99) / 100 : d->max;
        return expected - mu;
    }
    return 0;
}

static bool pdb_matches(const ks_sim *s, const ks_pdb *d, uint32_t pod)
{
    const ks_pod *p = &s->pods[pod];
    return d->sel_valid && d->ns == p->ns && !ka_selector_empty(&d->sel) &&
           ka_selector_matches(&d->sel, &s->ls[p->ls].l);
}

/* DisruptionsAllowed of every PDB in the current state. */
static int64_t *pdb_allowed(ks_sim *s, const ks_state *st)
{
    int64_t *a = ka_xcalloc(s->npdbs ? s->npdbs : 1, sizeof *a);
    for (uint32_t i = 0; i < s->npdbs; i++) {
        int64_t expected = 0, healthy = 0;
        for (uint32_t p = 0; p < s->npods; p++) {
            if (!pdb_matches(s, &s->pdbs[i], p))
                continue;
            expected++;
            healthy += st->pod_node[p] >= 0;
        }
        a[i] = healthy - ks_pdb_min_available(&s->pdbs[i], expected);
    }
    return a;
}

typedef struct cand {
    uint32_t node;
    uint32_t nv;
    uint32_t *victims;
    uint32_t violations;
    int32_t top;                 /* highest victim priority */
    int64_t sum;                 /* sum of (priority + 2^31) */
} cand;

static int more_important(const void *a, const void *b, void *arg)
{
    const ks_sim *s = arg;
    const ks_pod *x = &s->pods[*(const uint32_t *)a], *y = &s->pods[*(const uint32_t *)b];
    if (x->prio != y->prio)
        return x->prio > y->prio ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void sort_victims(ks_sim *s, uint32_t *v, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && more_important(&v[j], &v[j - 1], s) < 0; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* SelectVictimsOnNode. Returns 0 with the candidate, or the reason id-ish:
 * -1 no victims, -2 does not fit even without them (reasons recorded by the
 * filter in the scratch of node n). */
static int victims_on_node(ks_sim *s, ks_state *st, uint32_t p, uint32_t n, const int64_t *allowed,
                           cand *out, uint32_t *on_node, uint32_t non)
{
    int32_t prio = s->pods[p].prio;
    uint32_t *pot = ka_xmalloc((non ? non : 1) * sizeof *pot);
    uint32_t npot = 0;
    for (uint32_t i = 0; i < non; i++)
        if (s->pods[on_node[i]].prio < prio)
            pot[npot++] = on_node[i];
    if (!npot) {
        free(pot);
        return -1;
    }
    for (uint32_t i = 0; i < npot; i++)
        ks_unbind(s, st, pot[i]);
    if (!ks_fits_node(s, st, p, n)) {
        for (uint32_t i = 0; i < npot; i++)
            ks_bind(s, st, pot[i], n);
        free(pot);
        return -2;
    }
    sort_victims(s, pot, npot);
    /* PDB violating victims are reprieved first */
    int64_t *left = ka_xmalloc((s->npdbs ? s->npdbs : 1) * sizeof *left);
    memcpy(left, allowed, s->npdbs * sizeof *left);
    uint8_t *viol = ka_xcalloc(npot, 1);
    for (uint32_t i = 0; i < npot; i++)
        for (uint32_t d = 0; d < s->npdbs; d++)
            if (pdb_matches(s, &s->pdbs[d], pot[i]) && --left[d] < 0)
                viol[i] = 1;
    out->node = n;
    out->nv = 0;
    out->victims = ka_xmalloc(npot * sizeof *out->victims);
    out->violations = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (uint32_t i = 0; i < npot; i++) {
            if (viol[i] != pass)
                continue;
            ks_bind(s, st, pot[i], n);
            if (!ks_fits_node(s, st, p, n)) {
                ks_unbind(s, st, pot[i]);
                out->victims[out->nv++] = pot[i];
                if (pass)
                    out->violations++;
            }
        }
    out->top = INT32_MIN;
    out->sum = 0;
    for (uint32_t i = 0; i < out->nv; i++) {
        int32_t pr = s->pods[out->victims[i]].prio;
        if (pr > out->top)
            out->top = pr;
        out->sum += (int64_t)pr + ((int64_t)INT32_MAX + 1);
    }
    /* restore the node */
    for (uint32_t i = 0; i < out->nv; i++)
        ks_bind(s, st, out->victims[i], n);
    free(left);
    free(viol);
    free(pot);
    return 0;
}

static bool better(const cand *a, const cand *b)
{
    if (a->violations != b->violations)
        return a->violations < b->violations;
    if (a->top != b->top)
        return a->top < b->top;
    if (a->sum != b->sum)
        return a->sum < b->sum;
    if (a->nv != b->nv)
        return a->nv < b->nv;
    return a->node < b->node;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void count(uint32_t **hist, uint32_t *nhist, uint32_t id, uint32_t by)
{
    if (id >= *nhist) {
        uint32_t cap = *nhist ? *nhist : 32;
        while (cap <= id)
            cap *= 2;
        *hist = ka_xrealloc(*hist, cap * sizeof **hist);
        memset(*hist + *nhist, 0, (cap - *nhist) * sizeof **hist);
        *nhist = cap;
    }
    (*hist)[id] += by;
}

void ks_preempt(ks_sim *s, ks_state *st, uint32_t p, ks_cycle_out *co, bool apply,
                uint32_t **requeue, uint32_t *nrequeue, uint32_t *capreq)
{
    ks_podres *r = &s->res[p];
    if (!s->prof.preemption)
        return;
    if (s->tmpls[s->pods[p].tmpl].preempt_never) {
        r->preempt_msg = ka_xstrdup("preemption: not eligible due to preemptionPolicy=Never.");
        return;
    }
    uint32_t nall = 0;
    for (uint32_t n = 0; n < s->nnodes; n++)
        nall += st->alive[n];
    /* the Filter statuses of the failed cycle: only Unschedulable nodes can
     * be helped by evicting pods */
    uint8_t *status = ka_xmalloc(s->nnodes ? s->nnodes : 1);
    memcpy(status, co->node_status, s->nnodes);
    /* pods by node */
    uint32_t *start = ka_xcalloc(s->nnodes + 1, sizeof *start);
    for (uint32_t q = 0; q < s->npods; q++)
        if (st->pod_node[q] >= 0)
            start[st->pod_node[q] + 1]++;
    for (uint32_t n = 0; n < s->nnodes; n++)
        start[n + 1] += start[n];
    uint32_t *bynode = ka_xmalloc((start[s->nnodes] ? start[s->nnodes] : 1) * sizeof *bynode);
    uint32_t *fill = ka_xmalloc((s->nnodes + 1) * sizeof *fill);
    memcpy(fill, start, (s->nnodes + 1) * sizeof *fill);
    for (uint32_t q = 0; q < s->npods; q++)
        if (st->pod_node[q] >= 0)
            bynode[fill[st->pod_node[q]]++] = q;
    free(fill);

    int64_t *allowed = pdb_allowed(s, st);
    uint32_t no_victims = ks_intern(&s->reasons, KA_STR("No preemption victims found for incoming pod"));
    uint32_t not_helpful = ks_intern(&s->reasons, KA_STR("Preemption is not helpful for scheduling"));
    uint32_t *hist = NULL, nhist = 0, nexplicit = 0;
    cand best;
    bool have = false;
    memset(&best, 0, sizeof best);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        if (!st->alive[n] || status[n] != 1)
            continue;
        nexplicit++;
        cand c;
        memset(&c, 0, sizeof c);
        int rc = victims_on_node(s, st, p, n, allowed, &c, bynode + start[n],
                                 start[n + 1] - start[n]);
        if (rc == -1) {
            count(&hist, &nhist, no_victims, 1);
        } else if (rc == -2) {
            const uint32_t *ids;
            uint32_t k = ks_node_reasons(s, n, &ids);
            for (uint32_t i = 0; i < k; i++)
                count(&hist, &nhist, ids[i], 1);
        } else if (!have || better(&c, &best)) {
            if (have)
                free(best.victims);
            best = c;
            have = true;
        } else {
            free(c.victims);
        }
    }
    if (have) {
        ks_victims *v = ka_xcalloc(1, sizeof *v);
        v->node = best.node;
        v->n = best.nv;
        v->pods = best.victims;
        r->victims = v;
        if (apply) {
            for (uint32_t i = 0; i < v->n; i++) {
                uint32_t q = v->pods[i];
                ks_unbind(s, st, q);
                s->res[q].preempted = true;
                s->npreempted++;
                if (s->pods[q].bare || s->pods[q].daemon) {
                    s->res[q].outcome = KS_OUT_EVICTED; /* a bare pod is gone for good */
                    continue;
                }
                s->res[q].outcome = KS_OUT_PENDING;
                if (*nrequeue == *capreq) {
                    *capreq = *capreq ? *capreq * 2 : 8;
                    *requeue = ka_xrealloc(*requeue, *capreq * sizeof **requeue);
                }
                (*requeue)[(*nrequeue)++] = q;
            }
        }
    } else {
        if (nall > nexplicit)
            count(&hist, &nhist, not_helpful, nall - nexplicit);
        uint32_t nitems = 0;
        for (uint32_t i = 0; i < nhist; i++)
            nitems += hist[i] != 0;
        char **items = ka_xmalloc((nitems ? nitems : 1) * sizeof *items);
        nitems = 0;
        for (uint32_t i = 0; i < nhist; i++) {
            if (!hist[i])
                continue;
            ka_buf t;
            ka_buf_init(&t);
            ka_str rs = ks_str(&s->reasons, i);
            ka_buf_printf(&t, "%u %.*s", hist[i], (int)rs.n, rs.p);
            items[nitems++] = (char *)ka_buf_cstr(&t);
        }
        qsort(items, nitems, sizeof *items, str_cmp);
        ka_buf b;
        ka_buf_init(&b);
        ka_buf_printf(&b, "preemption: 0/%u nodes are available:", nall);
        if (nitems) {
            ka_buf_addc(&b, ' ');
            for (uint32_t i = 0; i < nitems; i++) {
                if (i)
                    ka_buf_adds(&b, ", ");
                ka_buf_adds(&b, items[i]);
                free(items[i]);
            }
            ka_buf_addc(&b, '.');
        }
        r->preempt_msg = (char *)ka_buf_cstr(&b);
        free(items);
    }
    free(hist);
    free(allowed);
    free(bynode);
    free(start);
    free(status);
}
