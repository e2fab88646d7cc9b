/*
 * schedule.c - the scheduling queue and the public entry points.
 *
 * Queue order is PrioritySort's: higher priority first, then input order
 * (upstream breaks ties by the time a pod entered the queue; the input order
 * stands for it). Every placed pod is bound at once, so it is load for the
 * next one (the scheduler's "assume" step).
 */
#define _POSIX_C_SOURCE 200809L
#include "sim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ks_explain_free(ks_explain *e)
{
    if (!e)
        return;
    free(e->v);
    free(e);
}

typedef struct qkey {
    int32_t prio;
    uint32_t pod;
    uint64_t order;
} qkey;

static int queue_cmp(const void *a, const void *b)
{
    const qkey *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio > y->prio ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->pod < y->pod ? -1 : x->pod > y->pod;
}

/* PrioritySort order, in place; by_workload: replicas of one workload
 * together (pods recreated after a failure enter the queue together). */
static void sort_queue(const ks_sim *s, uint32_t *pods, uint32_t n, bool by_workload)
{
    qkey *k = ka_xmalloc((n ? n : 1) * sizeof *k);
    uint32_t *first = NULL;
    if (by_workload) {
        /* pods of one class (the replicas of one controller) together, at the
         * place of the first of them */
        first = ka_xmalloc((s->ncls ? s->ncls : 1) * sizeof *first);
        memset(first, 0xff, (s->ncls ? s->ncls : 1) * sizeof *first);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t c = s->pods[pods[i]].cls;
            if (first[c] == KS_NONE || pods[i] < first[c])
                first[c] = pods[i];
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        const ks_pod *p = &s->pods[pods[i]];
        uint64_t order = p->order;
        if (by_workload)
            order = (uint64_t)first[p->cls] << 32 | (uint32_t)i;
        k[i] = (qkey){ p->prio, pods[i], order };
    }
    free(first);
    qsort(k, n, sizeof *k, queue_cmp);
    for (uint32_t i = 0; i < n; i++)
        pods[i] = k[i].pod;
    free(k);
}

static bool explain_wanted(const ks_sim *s, uint32_t p)
{
    const ka_sim_opts *o = s->opts;
    if (o->explain_all)
        return true;
    if (!o->explain_pod)
        return false;
    const ks_pod *pod = &s->pods[p];
    const char *want = o->explain_pod;
    const char *slash = strchr(want, '/');
    ka_str name = slash ? ka_str_c(slash + 1) : ka_str_c(want);
    if (!ka_str_eq(name, pod->name))
        return false;
    if (!slash)
        return true;
    ka_str ns = ks_str(&s->str, pod->ns);
    return ns.n == (size_t)(slash - want) && memcmp(ns.p, want, ns.n) == 0;
}

/* Schedule queue[i..] in order; victims of --preempt go back in at their
 * priority, after the pods already waiting with the same priority. */
/* The last pod that fitted nowhere: a pod of the same class, with nothing
 * bound or unbound since, gets the same answer (a pod that fails changes
 * nothing), without running the cycle again. */
typedef struct last_fail {
    bool valid;
    uint32_t cls;
    uint64_t ver;
    uint32_t pod;
} last_fail;

static bool reuse_failure(ks_sim *s, const ks_state *st, last_fail *lf, uint32_t p)
{
    if (!lf->valid || lf->cls != s->pods[p].cls || lf->ver != st->ver)
        return false;
    const ks_podres *from = &s->res[lf->pod];
    ks_podres *r = &s->res[p];
    r->outcome = KS_OUT_UNSCHEDULABLE;
    r->message = from->message ? ka_xstrdup(from->message) : NULL;
    free(r->preempt_msg);
    r->preempt_msg = from->preempt_msg ? ka_xstrdup(from->preempt_msg) : NULL;
    if (from->victims) {
        ks_victims *v = ka_xcalloc(1, sizeof *v);
        *v = *from->victims;
        v->pods = ka_xmalloc((v->n ? v->n : 1) * sizeof *v->pods);
        memcpy(v->pods, from->victims->pods, v->n * sizeof *v->pods);
        r->victims = v;
    }
    return true;
}

static void run_queue(ks_sim *s, ks_state *st, uint32_t **queue, uint32_t *nq, uint32_t *capq)
{
    uint32_t *requeue = NULL, nre = 0, capre = 0;
    last_fail lf = { false, 0, 0, 0 };
    for (uint32_t i = 0; i < *nq; i++) {
        uint32_t p = (*queue)[i];
        ks_podres *r = &s->res[p];
        const ks_tmpl *t = &s->tmpls[s->pods[p].tmpl];
        free(r->message);
        r->message = NULL;
        if (t->gated) {
            r->outcome = KS_OUT_SKIPPED;
            r->message = ka_xstrdup("waiting for its scheduling gates (spec.schedulingGates)");
            continue;
        }
        if (t->other_scheduler) {
            r->outcome = KS_OUT_SKIPPED;
            ka_buf b;
            ka_buf_init(&b);
            ka_buf_printf(&b, "left to scheduler \"%.*s\" (spec.schedulerName)",
                          (int)t->scheduler_name.n, t->scheduler_name.p);
            r->message = (char *)ka_buf_cstr(&b);
            continue;
        }
        bool want_ex = explain_wanted(s, p);
        if (!want_ex && !s->opts->preempt && reuse_failure(s, st, &lf, p))
            continue;
        ks_explain *ex = NULL;
        if (want_ex) {
            ks_explain_free(r->explain);
            ex = r->explain = ka_xcalloc(1, sizeof *ex);
        }
        if (!ex) {
            int32_t n = ks_fast_pick(s->fast, st, p);
            if (n >= 0 && s->verify_fast) {
                ks_cycle_out ref;
                ks_cycle(s, st, p, &ref, NULL);
                if (ref.node != n) {
                    fprintf(stderr, "kubearch: fast path picked node %d, the cycle %d for pod "
                                    "%.*s\n", n, ref.node, (int)s->pods[p].name.n,
                            s->pods[p].name.p);
                    abort();
                }
                free(ref.message);
            }
            if (n >= 0) {
                ks_bind(s, st, p, (uint32_t)n);
                ks_fast_bound(s->fast, st, p, (uint32_t)n);
                r->outcome = KS_OUT_PLACED;
                continue;
            }
        }
        ks_cycle_out co;
        ks_cycle(s, st, p, &co, ex);
        if (co.node >= 0) {
            ks_bind(s, st, p, (uint32_t)co.node);
            ks_fast_bound(s->fast, st, p, (uint32_t)co.node);
            r->outcome = KS_OUT_PLACED;
            continue;
        }
        r->outcome = KS_OUT_UNSCHEDULABLE;
        r->message = co.message;
        free(r->preempt_msg);
        r->preempt_msg = NULL;
        nre = 0;
        ks_preempt(s, st, p, &co, s->opts->preempt, &requeue, &nre, &capre);
        lf = (last_fail){ true, s->pods[p].cls, st->ver, p };
        if (s->opts->preempt && r->victims) {
            uint32_t node = r->victims->node;
            if (ks_fits_node(s, st, p, node)) {
                ks_bind(s, st, p, node);
                ks_fast_bound(s->fast, st, p, node);
                r->outcome = KS_OUT_PLACED;
            }
            /* the victims re-enter the queue behind pods of their priority */
            for (uint32_t k = 0; k < nre; k++) {
                uint32_t v = requeue[k];
                if (*nq == *capq) {
                    *capq = *capq ? *capq * 2 : 64;
                    *queue = ka_xrealloc(*queue, *capq * sizeof **queue);
                }
                uint32_t pos = i + 1;
                while (pos < *nq && s->pods[(*queue)[pos]].prio >= s->pods[v].prio)
                    pos++;
                memmove(*queue + pos + 1, *queue + pos, (*nq - pos) * sizeof **queue);
                (*queue)[pos] = v;
                (*nq)++;
            }
        }
    }
    free(requeue);
}

int ks_schedule_all(ks_sim *s)
{
    for (uint32_t p = 0; p < s->npods; p++)
        s->pods[p].cls = ks_class_get(s, s->pods[p].tmpl, s->pods[p].ls, s->pods[p].wl);
    ks_counters_finish(s);
    ks_scratch_init(s);
    s->fast = ks_fast_new(s);
    s->verify_fast = getenv("KUBEARCH_SIM_VERIFY") != NULL;
    ks_state_init(s, &s->st);
    s->res = ka_xcalloc(s->npods ? s->npods : 1, sizeof *s->res);
    uint32_t capq = 64, nq = 0;
    uint32_t *queue = ka_xmalloc(capq * sizeof *queue);
    for (uint32_t p = 0; p < s->npods; p++) {
        if (s->pods[p].prebound) {
            ks_bind(s, &s->st, p, s->pods[p].prebound - 1);
            s->res[p].outcome = KS_OUT_PREBOUND;
            continue;
        }
        if (nq == capq) {
            capq *= 2;
            queue = ka_xrealloc(queue, capq * sizeof *queue);
        }
        queue[nq++] = p;
    }
    sort_queue(s, queue, nq, false);
    run_queue(s, &s->st, &queue, &nq, &capq);
    free(queue);
    for (uint32_t p = 0; p < s->npods; p++) {
        switch (s->res[p].outcome) {
        case KS_OUT_PLACED: s->nplaced++; break;
        case KS_OUT_UNSCHEDULABLE: s->nunsched++; break;
        case KS_OUT_PREBOUND: s->nprebound++; break;
        case KS_OUT_SKIPPED: s->nskipped++; break;
        default: break;
        }
    }
    return 0;
}

/* Reschedule pods (failure scenarios): same queue order. */
void ks_reschedule(ks_sim *s, ks_state *st, uint32_t *pods, uint32_t n, int32_t *to, char **msg)
{
    sort_queue(s, pods, n, true);
    uint32_t last = KS_NONE;     /* last pod that fitted nowhere (see last_fail) */
    uint64_t last_ver = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t p = pods[i];
        if (last != KS_NONE && s->pods[pods[last]].cls == s->pods[p].cls && last_ver == st->ver) {
            to[i] = -1;
            msg[i] = msg[last] ? ka_xstrdup(msg[last]) : NULL;
            continue;
        }
        int32_t fn = ks_fast_pick(s->fast, st, p);
        if (fn >= 0 && s->verify_fast) {
            ks_cycle_out ref;
            ks_cycle(s, st, p, &ref, NULL);
            if (ref.node != fn) {
                fprintf(stderr, "kubearch: fast path picked node %d, the cycle %d\n", fn, ref.node);
                abort();
            }
            free(ref.message);
        }
        if (fn >= 0) {
            ks_bind(s, st, p, (uint32_t)fn);
            ks_fast_bound(s->fast, st, p, (uint32_t)fn);
            to[i] = fn;
            msg[i] = NULL;
            continue;
        }
        ks_cycle_out co;
        ks_cycle(s, st, p, &co, NULL);
        if (co.node >= 0) {
            ks_bind(s, st, p, (uint32_t)co.node);
            ks_fast_bound(s->fast, st, p, (uint32_t)co.node);
            to[i] = co.node;
            msg[i] = NULL;
        } else {
            to[i] = -1;
            msg[i] = co.message;
            last = i;
            last_ver = st->ver;
        }
    }
}

/* ---- public API ------------------------------------------------------------------- */

int ka_sim_run(const ka_objset *set, const ka_sim_opts *o, ka_diags *d, ka_sim **out)
{
    *out = NULL;
    ks_sim *s = ka_xcalloc(1, sizeof *s);
    s->a = ka_arena_new();
    s->set = set;
    s->diags = d;
    s->opts = o;
    ks_strtab_init(&s->str, s->a);
    ks_strtab_init(&s->reasons, s->a);
    ka_hmap_init(&s->lsmap, s->a);
    ka_hmap_init(&s->node_by_name, s->a);
    ka_hmap_init(&s->cls_map, s->a);
    ka_hmap_init(&s->tmpl_map, s->a);
    ka_hmap_init(&s->ctr_map, s->a);
    ka_hmap_init(&s->grp_map, s->a);
    ka_buf_init(&s->tmp);
    if (ks_spec_objects(s) < 0 || ks_build(s) < 0) {
        ka_sim_free((ka_sim *)s);
        return -1;
    }
    if (s->nnodes == 0) {
        ka_diag_add(d, KA_DIAG_ERROR, "<input>", 0, 0,
                    "no Node objects (and no Architecture spec): nothing to schedule onto");
        ka_sim_free((ka_sim *)s);
        return -1;
    }
    double t0 = now();
    ks_schedule_all(s);
    if (ks_failures(s) < 0) {
        ka_sim_free((ka_sim *)s);
        return -1;
    }
    s->elapsed = now() - t0;
    *out = (ka_sim *)s;
    return 0;
}

void ka_sim_free(ka_sim *sim)
{
    ks_sim *s = (ks_sim *)sim;
    if (!s)
        return;
    for (uint32_t p = 0; s->res && p < s->npods; p++) {
        free(s->res[p].message);
        ks_explain_free(s->res[p].explain);
        free(s->res[p].preempt_msg);
        if (s->res[p].victims) {
            free(s->res[p].victims->pods);
            free(s->res[p].victims);
        }
    }
    free(s->res);
    for (uint32_t i = 0; i < s->nscen; i++) {
        ks_scenario *c = &s->scen[i];
        free(c->name);
        free(c->lost_nodes);
        for (uint32_t k = 0; k < c->npods; k++)
            free(c->pods[k].message);
        free(c->pods);
        free(c->breaches);
    }
    for (uint32_t i = 0; i < s->nscen; i++) {
        free(s->scen[i].wl_now);
        free(s->scen[i].wl_after);
    }
    free(s->scen);
    free(s->wl_before);
    free(s->etcd_zone);
    ks_state_free(&s->st);
    ks_scratch_free(s);
    ks_fast_free(s->fast);
    for (uint32_t i = 0; i < s->ntmpls; i++) {
        ks_tmpl *t = &s->tmpls[i];
        free(t->sfail);
        free(t->staint);
        free(t->tt_raw);
        free(t->na_raw);
        free(t->img);
    }
    free(s->tmpls);
    for (uint32_t i = 0; i < s->ncls; i++) {
        free(s->cls[i].upd);
        free(s->cls[i].face);
    }
    free(s->cls);
    for (uint32_t i = 0; i < s->nctr; i++) {
        free(s->ctr[i].elig);
        free(s->ctr[i].present);
    }
    free(s->ctr);
    free(s->grp);
    for (uint32_t i = 0; i < s->ntopo; i++) {
        free(s->topo[i].dom);
        free(s->topo[i].val);
    }
    free(s->topo);
    free(s->pods);
    free(s->wls);
    free(s->nodes);
    free(s->alloc);
    free(s->alloc_pods);
    free(s->img_nodes);
    free(s->zones);
    free(s->pools);
    free(s->ns_ls);
    free(s->pcs);
    free(s->pdbs);
    free(s->svcs);
    free(s->ls);
    free(s->res_name);
    free(s->prof.ignored);
    free(s->prof.ignored_groups);
    ka_hmap_free(&s->lsmap);
    ka_hmap_free(&s->node_by_name);
    ka_hmap_free(&s->cls_map);
    ka_hmap_free(&s->tmpl_map);
    ka_hmap_free(&s->ctr_map);
    ka_hmap_free(&s->grp_map);
    ks_strtab_free(&s->str);
    ks_strtab_free(&s->reasons);
    ka_buf_free(&s->tmp);
    if (s->cfg_file)
        ka_file_free(s->cfg_file);
    if (s->gen)
        ka_objset_free(s->gen);
    ka_arena_free(s->a);
    free(s);
}

size_t ka_sim_unschedulable(const ka_sim *sim)
{
    const ks_sim *s = (const ks_sim *)sim;
    return s->nunsched;
}

bool ka_sim_broken(const ka_sim *sim)
{
    const ks_sim *s = (const ks_sim *)sim;
    for (uint32_t i = 0; i < s->nscen; i++)
        if (s->scen[i].broken)
            return true;
    return false;
}

double ka_sim_seconds(const ka_sim *sim)
{
    return ((const ks_sim *)sim)->elapsed;
}
