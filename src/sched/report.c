/*
 * report.c - the simulation report: text for people, JSON / YAML for tools.
 *
 * Writers only format what the simulation decided. Order is deterministic:
 * pods in input order, workloads in input order, nodes in input order,
 * pools and zones in order of first appearance.
 */
#include "sim.h"
#include "emit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void pod_ref(const ks_sim *s, uint32_t p, ka_buf *b)
{
    ka_str ns = ks_str(&s->str, s->pods[p].ns);
    ka_buf_addstr(b, ns);
    ka_buf_addc(b, '/');
    ka_buf_addstr(b, s->pods[p].name);
}

static void wl_ref(const ks_sim *s, uint32_t w, ka_buf *b)
{
    const ks_wl *x = &s->wls[w];
    ka_buf_addstr(b, x->ns);
    ka_buf_addc(b, '/');
    ka_buf_addstr(b, x->kind);
    ka_buf_addc(b, '/');
    ka_buf_addstr(b, x->name);
}

static int32_t final_node(const ks_sim *s, uint32_t p)
{
    return s->st.pod_node[p];
}

/* ---- order ------------------------------------------------------------------------ */

typedef struct okey {
    uint64_t order;
    uint32_t id;
} okey;

static int okey_cmp(const void *a, const void *b)
{
    const okey *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Pods (or workloads) in input order; caller frees. */
static uint32_t *input_order(const ks_sim *s, bool pods)
{
    uint32_t n = pods ? s->npods : s->nwls;
    okey *k = ka_xmalloc((n ? n : 1) * sizeof *k);
    for (uint32_t i = 0; i < n; i++)
        k[i] = (okey){ pods ? s->pods[i].order : s->wls[i].order, i };
    qsort(k, n, sizeof *k, okey_cmp);
    uint32_t *v = ka_xmalloc((n ? n : 1) * sizeof *v);
    for (uint32_t i = 0; i < n; i++)
        v[i] = k[i].id;
    free(k);
    return v;
}

/* Pool shown for a node: its pool label, else "(control-plane)" or "(none)". */
static ka_str pool_name(const ks_sim *s, uint32_t pi)
{
    if (pi < s->npools)
        return s->pools[pi];
    return pi == s->npools ? KA_STR("(none)") : KA_STR("(control-plane)");
}

static uint32_t pool_of(const ks_sim *s, uint32_t n)
{
    if (s->nodes[n].pool != KS_NONE)
        return s->nodes[n].pool;
    return s->nodes[n].control_plane ? s->npools + 1 : s->npools;
}

/* ---- aggregation ----------------------------------------------------------------- */

typedef struct agg {
    uint32_t nodes, pods;
    int64_t alloc[2], used[2]; /* cpu, memory */
} agg;

static void agg_node(const ks_sim *s, agg *a, uint32_t n)
{
    a->nodes++;
    a->pods += (uint32_t)s->st.npod[n];
    for (int r = 0; r < 2; r++) {
        a->alloc[r] += s->alloc[(size_t)n * s->nres + (uint32_t)r];
        a->used[r] += s->st.used[(size_t)n * s->nres + (uint32_t)r];
    }
}

static double pct(int64_t used, int64_t alloc)
{
    return alloc > 0 ? 100.0 * (double)used / (double)alloc : 0.0;
}

/* ---- JSON / YAML ------------------------------------------------------------------- */

static void em_qty_map(ks_em *e, const ks_sim *s, const int64_t *v, int64_t pods)
{
    ks_em_begin(e, false);
    for (uint32_t r = 0; r < s->nres; r++) {
        if (r >= KS_R_NFIXED && v[r] == 0)
            continue;
        ks_em_key(e, ks_str(&s->str, s->res_name[r]).p);
        ks_em_int(e, v[r]);
    }
    ks_em_key(e, "pods");
    ks_em_int(e, pods);
    ks_em_end(e);
}

static void em_agg(ks_em *e, const agg *a)
{
    ks_em_key(e, "nodes");
    ks_em_int(e, a->nodes);
    ks_em_key(e, "pods");
    ks_em_int(e, a->pods);
    ks_em_key(e, "allocatable");
    ks_em_begin(e, false);
    ks_em_key(e, "cpu");
    ks_em_int(e, a->alloc[0]);
    ks_em_key(e, "memory");
    ks_em_int(e, a->alloc[1]);
    ks_em_end(e);
    ks_em_key(e, "requested");
    ks_em_begin(e, false);
    ks_em_key(e, "cpu");
    ks_em_int(e, a->used[0]);
    ks_em_key(e, "memory");
    ks_em_int(e, a->used[1]);
    ks_em_end(e);
    ks_em_key(e, "utilisation");
    ks_em_begin(e, false);
    ks_em_key(e, "cpu");
    ks_em_num(e, pct(a->used[0], a->alloc[0]));
    ks_em_key(e, "memory");
    ks_em_num(e, pct(a->used[1], a->alloc[1]));
    ks_em_end(e);
}

static void em_explain(ks_em *e, const ks_sim *s, const ks_explain *x)
{
    const ks_profile *pr = &s->prof;
    ks_em_key(e, "nodes");
    ks_em_begin(e, true);
    for (uint32_t i = 0; i < x->n; i++) {
        const ks_xnode *v = &x->v[i];
        ks_em_begin(e, false);
        ks_em_key(e, "node");
        ks_em_str(e, s->nodes[v->node].name);
        ks_em_key(e, "feasible");
        ks_em_bool(e, v->plugin == 0);
        if (v->plugin == 0) {
            ks_em_key(e, "scores");
            ks_em_begin(e, false);
            for (uint32_t k = 0; k < pr->nscores; k++) {
                uint8_t p = pr->scores[k];
                if (!x->ran[p])
                    continue;
                ks_em_key(e, ks_plugin_name(p));
                ks_em_int(e, v->sc[p]);
            }
            ks_em_end(e);
            ks_em_key(e, "score");
            ks_em_int(e, v->score);
        } else {
            ks_em_key(e, "plugin");
            ks_em_cstr(e, ks_plugin_name(v->plugin));
            ks_em_key(e, "reasons");
            ks_em_begin(e, true);
            for (uint32_t r = 0; r < v->nr; r++)
                ks_em_str(e, ks_str(&s->reasons, v->reasons[r]));
            ks_em_end(e);
        }
        ks_em_end(e);
    }
    ks_em_end(e);
}

static void em_pod(ks_em *e, const ks_sim *s, uint32_t p, ka_buf *b)
{
    const ks_podres *r = &s->res[p];
    ks_em_begin(e, false);
    ks_em_key(e, "pod");
    ka_buf_reset(b);
    pod_ref(s, p, b);
    ks_em_str(e, (ka_str){ b->p, b->n });
    ks_em_key(e, "workload");
    ka_buf_reset(b);
    wl_ref(s, s->pods[p].wl, b);
    ks_em_str(e, (ka_str){ b->p, b->n });
    ks_em_key(e, "node");
    int32_t n = final_node(s, p);
    if (n >= 0)
        ks_em_str(e, s->nodes[n].name);
    else
        ks_em_null(e);
    ks_em_key(e, "message");
    if (r->message && r->outcome != KS_OUT_PLACED)
        ks_em_cstr(e, r->message);
    else
        ks_em_null(e);
    if (r->preempt_msg || r->victims) {
        ks_em_key(e, "preemption");
        ks_em_begin(e, false);
        if (r->victims) {
            ks_em_key(e, "node");
            ks_em_str(e, s->nodes[r->victims->node].name);
            ks_em_key(e, "victims");
            ks_em_begin(e, true);
            for (uint32_t i = 0; i < r->victims->n; i++) {
                ka_buf_reset(b);
                pod_ref(s, r->victims->pods[i], b);
                ks_em_str(e, (ka_str){ b->p, b->n });
            }
            ks_em_end(e);
            ks_em_key(e, "applied");
            ks_em_bool(e, s->opts->preempt);
        } else {
            ks_em_key(e, "message");
            ks_em_cstr(e, r->preempt_msg);
        }
        ks_em_end(e);
    }
    if (r->explain)
        em_explain(e, s, r->explain);
    ks_em_end(e);
}

static void em_scenario(ks_em *e, const ks_sim *s, const ks_scenario *c, ka_buf *b)
{
    ks_em_begin(e, false);
    ks_em_key(e, "name");
    ks_em_cstr(e, c->name);
    ks_em_key(e, "lostNodes");
    ks_em_begin(e, true);
    for (uint32_t i = 0; i < c->nlost_nodes; i++)
        ks_em_str(e, s->nodes[c->lost_nodes[i]].name);
    ks_em_end(e);
    ks_em_key(e, "displaced");
    ks_em_int(e, c->ndisplaced);
    ks_em_key(e, "rescheduled");
    ks_em_int(e, c->nrescheduled);
    ks_em_key(e, "lost");
    ks_em_int(e, c->nunsched);
    ks_em_key(e, "pods");
    ks_em_begin(e, true);
    for (uint32_t i = 0; i < c->npods; i++) {
        const ks_scen_pod *sp = &c->pods[i];
        ks_em_begin(e, false);
        ks_em_key(e, "pod");
        ka_buf_reset(b);
        pod_ref(s, sp->pod, b);
        ks_em_str(e, (ka_str){ b->p, b->n });
        ks_em_key(e, "from");
        ks_em_str(e, s->nodes[sp->from].name);
        ks_em_key(e, "to");
        if (sp->to >= 0)
            ks_em_str(e, s->nodes[sp->to].name);
        else
            ks_em_null(e);
        ks_em_key(e, "message");
        if (sp->message)
            ks_em_cstr(e, sp->message);
        else
            ks_em_null(e);
        ks_em_end(e);
    }
    ks_em_end(e);
    ks_em_key(e, "breaches");
    ks_em_begin(e, true);
    for (uint32_t i = 0; i < c->nbreaches; i++) {
        const ks_breach *x = &c->breaches[i];
        ks_em_begin(e, false);
        ks_em_key(e, "kind");
        ks_em_cstr(e, x->kind == 0 ? "PodDisruptionBudget" : x->kind == 1 ? "quorum"
                                                                            : "control-plane");
        ks_em_key(e, "name");
        ka_buf_reset(b);
        if (x->kind == 0) {
            const ka_object *o = s->pdbs[x->ref].obj;
            ka_buf_addstr(b, o->ns);
            ka_buf_addc(b, '/');
            ka_buf_addstr(b, o->name);
        } else if (x->kind == 1) {
            wl_ref(s, x->ref, b);
        } else {
            ka_buf_adds(b, "etcd");
        }
        ks_em_str(e, (ka_str){ b->p, b->n });
        ks_em_key(e, "required");
        ks_em_int(e, x->want);
        ks_em_key(e, "available");
        ks_em_int(e, x->have);
        ks_em_key(e, "availableRightAfterLoss");
        ks_em_int(e, x->have_now);
        ks_em_key(e, "total");
        ks_em_int(e, x->total);
        ks_em_end(e);
    }
    ks_em_end(e);
    ks_em_key(e, "controlPlane");
    ks_em_begin(e, false);
    ks_em_key(e, "nodes");
    ks_em_int(e, c->cp_total);
    ks_em_key(e, "up");
    ks_em_int(e, c->cp_alive);
    ks_em_key(e, "quorum");
    ks_em_bool(e, c->cp_quorum);
    ks_em_end(e);
    ks_em_key(e, "capacity");
    ks_em_begin(e, false);
    ks_em_key(e, "needed");
    ks_em_begin(e, false);
    ks_em_key(e, "cpu");
    ks_em_int(e, c->need_cpu);
    ks_em_key(e, "memory");
    ks_em_int(e, c->need_mem);
    ks_em_end(e);
    ks_em_key(e, "free");
    ks_em_begin(e, false);
    ks_em_key(e, "cpu");
    ks_em_int(e, c->free_cpu);
    ks_em_key(e, "memory");
    ks_em_int(e, c->free_mem);
    ks_em_end(e);
    ks_em_key(e, "shortfall");
    ks_em_begin(e, false);
    ks_em_key(e, "cpu");
    ks_em_int(e, c->need_cpu > c->free_cpu ? c->need_cpu - c->free_cpu : 0);
    ks_em_key(e, "memory");
    ks_em_int(e, c->need_mem > c->free_mem ? c->need_mem - c->free_mem : 0);
    ks_em_end(e);
    ks_em_end(e);
    ks_em_key(e, "broken");
    ks_em_bool(e, c->broken);
    ks_em_end(e);
}

static void write_machine(FILE *f, const ka_sim *sim, bool yaml)
{
    const ks_sim *s = (const ks_sim *)sim;
    ks_em e;
    ks_em_init(&e, f, yaml);
    ka_buf b;
    ka_buf_init(&b);
    ks_em_begin(&e, false);
    ks_em_key(&e, "pods");
    ks_em_begin(&e, true);
    uint32_t *order = input_order(s, true);
    for (uint32_t i = 0; i < s->npods; i++)
        em_pod(&e, s, order[i], &b);
    free(order);
    ks_em_end(&e);

    ks_em_key(&e, "nodes");
    ks_em_begin(&e, true);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        const ks_node *nd = &s->nodes[n];
        ks_em_begin(&e, false);
        ks_em_key(&e, "node");
        ks_em_str(&e, nd->name);
        ks_em_key(&e, "zone");
        if (nd->zone != KS_NONE)
            ks_em_str(&e, s->zones[nd->zone]);
        else
            ks_em_null(&e);
        ks_em_key(&e, "pool");
        if (nd->pool != KS_NONE)
            ks_em_str(&e, s->pools[nd->pool]);
        else
            ks_em_null(&e);
        ks_em_key(&e, "pods");
        ks_em_int(&e, s->st.npod[n]);
        ks_em_key(&e, "allocatable");
        em_qty_map(&e, s, s->alloc + (size_t)n * s->nres, s->alloc_pods[n]);
        ks_em_key(&e, "requested");
        em_qty_map(&e, s, s->st.used + (size_t)n * s->nres, s->st.npod[n]);
        ks_em_key(&e, "utilisation");
        ks_em_begin(&e, false);
        ks_em_key(&e, "cpu");
        ks_em_num(&e, pct(s->st.used[(size_t)n * s->nres], s->alloc[(size_t)n * s->nres]));
        ks_em_key(&e, "memory");
        ks_em_num(&e, pct(s->st.used[(size_t)n * s->nres + 1], s->alloc[(size_t)n * s->nres + 1]));
        ks_em_key(&e, "pods");
        ks_em_num(&e, pct(s->st.npod[n], s->alloc_pods[n]));
        ks_em_end(&e);
        ks_em_end(&e);
    }
    ks_em_end(&e);

    for (int kind = 0; kind < 2; kind++) {
        uint32_t ng = kind == 0 ? s->npools : s->nzones;
        ks_em_key(&e, kind == 0 ? "pools" : "zones");
        ks_em_begin(&e, true);
        for (uint32_t g = 0; g < ng; g++) {
            agg a;
            memset(&a, 0, sizeof a);
            for (uint32_t n = 0; n < s->nnodes; n++)
                if ((kind == 0 ? s->nodes[n].pool : s->nodes[n].zone) == g)
                    agg_node(s, &a, n);
            ks_em_begin(&e, false);
            ks_em_key(&e, kind == 0 ? "pool" : "zone");
            ks_em_str(&e, kind == 0 ? s->pools[g] : s->zones[g]);
            em_agg(&e, &a);
            ks_em_end(&e);
        }
        ks_em_end(&e);
    }

    ks_em_key(&e, "scenarios");
    ks_em_begin(&e, true);
    for (uint32_t i = 0; i < s->nscen; i++)
        em_scenario(&e, s, &s->scen[i], &b);
    ks_em_end(&e);

    ks_em_key(&e, "summary");
    ks_em_begin(&e, false);
    ks_em_key(&e, "nodes");
    ks_em_int(&e, s->nnodes);
    ks_em_key(&e, "pods");
    ks_em_int(&e, s->npods);
    ks_em_key(&e, "bound");
    ks_em_int(&e, s->nprebound);
    ks_em_key(&e, "placed");
    ks_em_int(&e, s->nplaced);
    ks_em_key(&e, "unschedulable");
    ks_em_int(&e, s->nunsched);
    ks_em_key(&e, "skipped");
    ks_em_int(&e, s->nskipped);
    ks_em_key(&e, "preempted");
    ks_em_int(&e, s->npreempted);
    ks_em_key(&e, "broken");
    ks_em_bool(&e, ka_sim_broken(sim));
    ks_em_end(&e);
    ks_em_end(&e);
    ks_em_finish(&e);
    ka_buf_free(&b);
}

void ka_sim_write_json(FILE *f, const ka_sim *sim)
{
    write_machine(f, sim, false);
}

void ka_sim_write_yaml(FILE *f, const ka_sim *sim)
{
    write_machine(f, sim, true);
}

/* ---- text ------------------------------------------------------------------------------ */

typedef struct tx {
    FILE *f;
    bool color;
} tx;

static const char *bold(const tx *t) { return t->color ? "\033[1m" : ""; }
static const char *red(const tx *t) { return t->color ? "\033[31m" : ""; }
static const char *green(const tx *t) { return t->color ? "\033[32m" : ""; }
static const char *reset(const tx *t) { return t->color ? "\033[0m" : ""; }

static void node_where(const ks_sim *s, uint32_t n, ka_buf *b)
{
    const ks_node *nd = &s->nodes[n];
    ka_buf_addstr(b, nd->name);
    if (nd->zone != KS_NONE || nd->pool != KS_NONE) {
        ka_buf_adds(b, " (");
        if (nd->zone != KS_NONE) {
            ka_buf_adds(b, "zone ");
            ka_buf_addstr(b, s->zones[nd->zone]);
        }
        if (nd->pool != KS_NONE) {
            if (nd->zone != KS_NONE)
                ka_buf_adds(b, ", ");
            ka_buf_adds(b, "pool ");
            ka_buf_addstr(b, s->pools[nd->pool]);
        }
        ka_buf_addc(b, ')');
    }
}

static void util_cell(const ks_sim *s, uint32_t res, int64_t used, int64_t alloc, ka_buf *b)
{
    ka_buf_reset(b);
    ks_format_qty(res, used, b);
    ka_buf_addc(b, '/');
    ks_format_qty(res, alloc, b);
    ka_buf_printf(b, " (%.0f%%)", pct(used, alloc));
    (void)s;
}

static void text_workloads(const tx *t, const ks_sim *s, const ka_sim_text_opts *o)
{
    ka_buf b, w;
    ka_buf_init(&b);
    ka_buf_init(&w);
    uint32_t *per_node = ka_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *per_node);
    uint32_t *per_zone = ka_xcalloc(s->nzones + 1, sizeof *per_zone);
    uint32_t *touched = ka_xmalloc((s->nnodes ? s->nnodes : 1) * sizeof *touched);
    /* pods of each workload: index by workload */
    uint32_t *start = ka_xcalloc(s->nwls + 1, sizeof *start);
    for (uint32_t p = 0; p < s->npods; p++)
        start[s->pods[p].wl + 1]++;
    for (uint32_t i = 0; i < s->nwls; i++)
        start[i + 1] += start[i];
    uint32_t *bywl = ka_xmalloc((s->npods ? s->npods : 1) * sizeof *bywl);
    uint32_t *fill = ka_xmalloc((s->nwls + 1) * sizeof *fill);
    memcpy(fill, start, (s->nwls + 1) * sizeof *fill);
    for (uint32_t p = 0; p < s->npods; p++)
        bywl[fill[s->pods[p].wl]++] = p;
    free(fill);

    fprintf(t->f, "%sWorkloads%s (running/pods: where they run)\n", bold(t), reset(t));
    uint32_t *worder = input_order(s, false);
    for (uint32_t wx = 0; wx < s->nwls; wx++) {
        uint32_t wi = worder[wx];
        uint32_t np = start[wi + 1] - start[wi];
        if (!np)
            continue;
        uint32_t running = 0, ntouched = 0, unsched = 0, skipped = 0, evicted = 0;
        for (uint32_t k = start[wi]; k < start[wi + 1]; k++) {
            uint32_t p = bywl[k];
            int32_t n = final_node(s, p);
            if (n < 0) {
                unsched += s->res[p].outcome == KS_OUT_UNSCHEDULABLE;
                skipped += s->res[p].outcome == KS_OUT_SKIPPED;
                evicted += s->res[p].outcome == KS_OUT_EVICTED;
                continue;
            }
            running++;
            if (!per_node[n]++)
                touched[ntouched++] = (uint32_t)n;
            per_zone[s->nodes[n].zone == KS_NONE ? s->nzones : s->nodes[n].zone]++;
        }
        ka_buf_reset(&w);
        wl_ref(s, wi, &w);
        fprintf(t->f, "  %-40s %u/%u", ka_buf_cstr(&w), running, np);
        ka_buf_reset(&b);
        if (ntouched && (ntouched <= 4 || o->all_pods)) {
            for (uint32_t i = 0; i < ntouched; i++) {
                if (i)
                    ka_buf_adds(&b, ", ");
                node_where(s, touched[i], &b);
                if (per_node[touched[i]] > 1)
                    ka_buf_printf(&b, " x%u", per_node[touched[i]]);
            }
        } else if (ntouched) {
            ka_buf_printf(&b, "%u nodes; by zone:", ntouched);
            for (uint32_t z = 0; z <= s->nzones; z++) {
                if (!per_zone[z])
                    continue;
                if (z < s->nzones)
                    ka_buf_printf(&b, " %.*s %u", (int)s->zones[z].n, s->zones[z].p, per_zone[z]);
                else
                    ka_buf_printf(&b, " (no zone) %u", per_zone[z]);
            }
        }
        fprintf(t->f, "  %s", ka_buf_cstr(&b));
        if (unsched)
            fprintf(t->f, "%s%s%u unschedulable%s", ntouched ? "; " : "", red(t), unsched, reset(t));
        if (skipped)
            fprintf(t->f, "%s%u not scheduled here", ntouched || unsched ? "; " : "", skipped);
        if (evicted)
            fprintf(t->f, "%s%u evicted", ntouched || unsched || skipped ? "; " : "", evicted);
        fputc('\n', t->f);
        for (uint32_t i = 0; i < ntouched; i++)
            per_node[touched[i]] = 0;
        memset(per_zone, 0, (s->nzones + 1) * sizeof *per_zone);
    }
    free(worder);
    free(per_node);
    free(per_zone);
    free(touched);
    free(start);
    free(bywl);
    ka_buf_free(&b);
    ka_buf_free(&w);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Pods that do not run, in input order; consecutive pods of one workload
 * with the same outcome and message are one line ("and N more"). */
static void text_problems(const tx *t, const ks_sim *s)
{
    ka_buf b;
    ka_buf_init(&b);
    bool header = false;
    uint32_t *order = input_order(s, true);
    for (uint32_t i = 0; i < s->npods; i++) {
        uint32_t p = order[i];
        const ks_podres *r = &s->res[p];
        if (r->outcome != KS_OUT_UNSCHEDULABLE && r->outcome != KS_OUT_SKIPPED &&
            r->outcome != KS_OUT_EVICTED && !(r->preempted))
            continue;
        /* the run of pods like this one */
        uint32_t more = 0;
        while (i + 1 < s->npods) {
            uint32_t q = order[i + 1];
            const ks_podres *rq = &s->res[q];
            if (s->pods[q].wl != s->pods[p].wl || rq->outcome != r->outcome ||
                rq->preempted != r->preempted || !same_str(rq->message, r->message) ||
                !same_str(rq->preempt_msg, r->preempt_msg) || rq->victims || r->victims)
                break;
            more++;
            i++;
        }
        if (!header) {
            fprintf(t->f, "\n%sNot running%s\n", bold(t), reset(t));
            header = true;
        }
        ka_buf_reset(&b);
        pod_ref(s, p, &b);
        if (more)
            ka_buf_printf(&b, " and %u more", more);
        if (r->outcome == KS_OUT_PLACED && r->preempted) {
            fprintf(t->f, "  %s: preempted, then placed again on %.*s\n", ka_buf_cstr(&b),
                    (int)s->nodes[final_node(s, p)].name.n, s->nodes[final_node(s, p)].name.p);
            continue;
        }
        if (r->outcome == KS_OUT_EVICTED) {
            fprintf(t->f, "  %s: evicted by preemption (nothing recreates it here)\n",
                    ka_buf_cstr(&b));
            continue;
        }
        fprintf(t->f, "  %s%s%s: %s\n", red(t), ka_buf_cstr(&b), reset(t),
                r->message ? r->message : "");
        if (r->victims) {
            ka_buf v;
            ka_buf_init(&v);
            for (uint32_t k = 0; k < r->victims->n; k++) {
                if (k)
                    ka_buf_adds(&v, ", ");
                pod_ref(s, r->victims->pods[k], &v);
                ka_buf_printf(&v, " (priority %d)", s->pods[r->victims->pods[k]].prio);
            }
            fprintf(t->f, "    preemption %s on %.*s: %s\n", s->opts->preempt ? "evicted" : "would evict",
                    (int)s->nodes[r->victims->node].name.n, s->nodes[r->victims->node].name.p,
                    ka_buf_cstr(&v));
            ka_buf_free(&v);
        } else if (r->preempt_msg) {
            fprintf(t->f, "    %s\n", r->preempt_msg);
        }
    }
    free(order);
    ka_buf_free(&b);
}

static void text_utilisation(const tx *t, const ks_sim *s)
{
    ka_buf c, m;
    ka_buf_init(&c);
    ka_buf_init(&m);
    fprintf(t->f, "\n%sUtilisation%s (requests / allocatable)\n", bold(t), reset(t));
    fprintf(t->f, "  %-16s %-10s %6s %7s  %-22s %-22s\n", "POOL", "ZONE", "NODES", "PODS", "CPU",
            "MEMORY");
    uint32_t np = s->npools + 2, nz = s->nzones + 1;
    agg *grid = ka_xcalloc((size_t)np * nz, sizeof *grid);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        uint32_t pi = pool_of(s, n);
        uint32_t zi = s->nodes[n].zone == KS_NONE ? s->nzones : s->nodes[n].zone;
        agg_node(s, &grid[(size_t)pi * nz + zi], n);
    }
    agg total;
    memset(&total, 0, sizeof total);
    for (uint32_t pi = 0; pi < np; pi++) {
        agg pool;
        memset(&pool, 0, sizeof pool);
        uint32_t rows = 0;
        for (uint32_t zi = 0; zi < nz; zi++) {
            const agg *a = &grid[(size_t)pi * nz + zi];
            if (!a->nodes)
                continue;
            rows++;
            pool.nodes += a->nodes;
            pool.pods += a->pods;
            for (int r = 0; r < 2; r++) {
                pool.alloc[r] += a->alloc[r];
                pool.used[r] += a->used[r];
            }
            util_cell(s, KS_R_CPU, a->used[0], a->alloc[0], &c);
            util_cell(s, KS_R_MEM, a->used[1], a->alloc[1], &m);
            ka_str pn = pool_name(s, pi);
            ka_str zn = zi < s->nzones ? s->zones[zi] : KA_STR("(none)");
            fprintf(t->f, "  %-16.*s %-10.*s %6u %7u  %-22s %-22s\n", (int)pn.n, pn.p, (int)zn.n,
                    zn.p, a->nodes, a->pods, ka_buf_cstr(&c), ka_buf_cstr(&m));
        }
        if (!pool.nodes)
            continue;
        if (rows > 1) {
            util_cell(s, KS_R_CPU, pool.used[0], pool.alloc[0], &c);
            util_cell(s, KS_R_MEM, pool.used[1], pool.alloc[1], &m);
            ka_str pn = pool_name(s, pi);
            fprintf(t->f, "  %-16.*s %-10s %6u %7u  %-22s %-22s\n", (int)pn.n, pn.p, "(all)",
                    pool.nodes, pool.pods, ka_buf_cstr(&c), ka_buf_cstr(&m));
        }
        total.nodes += pool.nodes;
        total.pods += pool.pods;
        for (int r = 0; r < 2; r++) {
            total.alloc[r] += pool.alloc[r];
            total.used[r] += pool.used[r];
        }
    }
    for (uint32_t zi = 0; zi < s->nzones && s->nzones > 1; zi++) {
        agg z;
        memset(&z, 0, sizeof z);
        for (uint32_t n = 0; n < s->nnodes; n++)
            if (s->nodes[n].zone == zi)
                agg_node(s, &z, n);
        util_cell(s, KS_R_CPU, z.used[0], z.alloc[0], &c);
        util_cell(s, KS_R_MEM, z.used[1], z.alloc[1], &m);
        fprintf(t->f, "  %-16s %-10.*s %6u %7u  %-22s %-22s\n", "(all)", (int)s->zones[zi].n,
                s->zones[zi].p, z.nodes, z.pods, ka_buf_cstr(&c), ka_buf_cstr(&m));
    }
    util_cell(s, KS_R_CPU, total.used[0], total.alloc[0], &c);
    util_cell(s, KS_R_MEM, total.used[1], total.alloc[1], &m);
    fprintf(t->f, "  %-16s %-10s %6u %7u  %-22s %-22s\n", "(all)", "(all)", total.nodes,
            total.pods, ka_buf_cstr(&c), ka_buf_cstr(&m));
    free(grid);
    ka_buf_free(&c);
    ka_buf_free(&m);
}

static void text_explain(const tx *t, const ks_sim *s)
{
    const ks_profile *pr = &s->prof;
    ka_buf b;
    ka_buf_init(&b);
    for (uint32_t p = 0; p < s->npods; p++) {
        const ks_explain *x = s->res[p].explain;
        if (!x)
            continue;
        ka_buf_reset(&b);
        pod_ref(s, p, &b);
        fprintf(t->f, "\n%sExplain %s%s", bold(t), ka_buf_cstr(&b), reset(t));
        int32_t n = final_node(s, p);
        if (n >= 0)
            fprintf(t->f, " -> %.*s\n", (int)s->nodes[n].name.n, s->nodes[n].name.p);
        else
            fprintf(t->f, " (not placed)\n");
        fprintf(t->f, "  %-24s", "NODE");
        for (uint32_t k = 0; k < pr->nscores; k++)
            if (x->ran[pr->scores[k]])
                fprintf(t->f, " %s(x%d)", ks_plugin_name(pr->scores[k]), pr->weight[pr->scores[k]]);
        fprintf(t->f, "  SCORE\n");
        for (uint32_t i = 0; i < x->n; i++) {
            const ks_xnode *v = &x->v[i];
            const ka_str nm = s->nodes[v->node].name;
            fprintf(t->f, "  %-24.*s", (int)nm.n, nm.p);
            if (v->plugin) {
                fprintf(t->f, " %s: ", ks_plugin_name(v->plugin));
                for (uint32_t r = 0; r < v->nr; r++) {
                    ka_str rs = ks_str(&s->reasons, v->reasons[r]);
                    fprintf(t->f, "%s%.*s", r ? ", " : "", (int)rs.n, rs.p);
                }
                fputc('\n', t->f);
                continue;
            }
            for (uint32_t k = 0; k < pr->nscores; k++) {
                uint8_t pl = pr->scores[k];
                if (!x->ran[pl])
                    continue;
                int w = (int)strlen(ks_plugin_name(pl)) + 4 + (pr->weight[pl] >= 10 ? 1 : 0);
                fprintf(t->f, " %*" PRId64, w, v->sc[pl]);
            }
            fprintf(t->f, "  %" PRId64 "%s\n", v->score, (int32_t)v->node == n ? "  <- chosen" : "");
        }
    }
    ka_buf_free(&b);
}

static void text_scenarios(const tx *t, const ks_sim *s)
{
    ka_buf b;
    ka_buf_init(&b);
    if (s->each_zone && s->nscen > 1) {
        fprintf(t->f, "\n%sZone loss%s (one scenario per zone)\n", bold(t), reset(t));
        fprintf(t->f, "  %-20s %6s %9s %11s %5s %9s %8s  %-14s %-14s\n", "SCENARIO", "NODES",
                "DISPLACED", "RESCHEDULED", "LOST", "BREACHES", "QUORUM", "SHORT CPU", "SHORT MEMORY");
        for (uint32_t i = 0; i < s->nscen; i++) {
            const ks_scenario *c = &s->scen[i];
            ka_buf cpu, mem;
            ka_buf_init(&cpu);
            ka_buf_init(&mem);
            ks_format_qty(KS_R_CPU, c->need_cpu > c->free_cpu ? c->need_cpu - c->free_cpu : 0, &cpu);
            ks_format_qty(KS_R_MEM, c->need_mem > c->free_mem ? c->need_mem - c->free_mem : 0, &mem);
            fprintf(t->f, "  %-20s %6u %9u %11u %5u %s%9u%s %8s  %-14s %-14s\n", c->name,
                    c->nlost_nodes, c->ndisplaced, c->nrescheduled, c->nunsched,
                    c->nbreaches ? red(t) : "", c->nbreaches, c->nbreaches ? reset(t) : "",
                    c->cp_total ? (c->cp_quorum ? "kept" : "LOST") : "-", ka_buf_cstr(&cpu),
                    ka_buf_cstr(&mem));
            ka_buf_free(&cpu);
            ka_buf_free(&mem);
        }
    }
    for (uint32_t i = 0; i < s->nscen; i++) {
        const ks_scenario *c = &s->scen[i];
        fprintf(t->f, "\n%sScenario %s%s: %u node(s) lost, %u pod(s) displaced, %u rescheduled, "
                      "%u lost\n",
                bold(t), c->name, reset(t), c->nlost_nodes, c->ndisplaced, c->nrescheduled,
                c->nunsched);
        uint32_t shown = 0;
        for (uint32_t k = 0; k < c->npods; k++) {
            const ks_scen_pod *sp = &c->pods[k];
            if (sp->to >= 0)
                continue;
            if (shown++ >= 20)
                continue;
            ka_buf_reset(&b);
            pod_ref(s, sp->pod, &b);
            fprintf(t->f, "  %s%s%s (was on %.*s): %s\n", red(t), ka_buf_cstr(&b), reset(t),
                    (int)s->nodes[sp->from].name.n, s->nodes[sp->from].name.p,
                    sp->message ? sp->message : "");
        }
        if (shown > 20)
            fprintf(t->f, "  ... and %u more pods that did not come back\n", shown - 20);
        /* workloads that lost pods */
        bool head = false;
        for (uint32_t w = 0; w < s->nwls; w++) {
            if (c->wl_now[w] >= s->wl_before[w])
                continue;
            if (!head) {
                fprintf(t->f, "  workloads hit (running before -> right after the loss -> after "
                              "rescheduling):\n");
                head = true;
            }
            ka_buf_reset(&b);
            wl_ref(s, w, &b);
            fprintf(t->f, "    %-40s %u -> %u -> %u\n", ka_buf_cstr(&b), s->wl_before[w],
                    c->wl_now[w], c->wl_after[w]);
        }
        for (uint32_t k = 0; k < c->nbreaches; k++) {
            const ks_breach *x = &c->breaches[k];
            ka_buf_reset(&b);
            if (x->kind == 0) {
                const ka_object *o = s->pdbs[x->ref].obj;
                fprintf(t->f, "  %sBREACH%s PodDisruptionBudget %.*s/%.*s: %" PRId64
                              " available, at least %" PRId64 " required (%" PRId64 " pods)\n",
                        red(t), reset(t), (int)o->ns.n, o->ns.p, (int)o->name.n, o->name.p, x->have,
                        x->want, x->total);
            } else if (x->kind == 1) {
                wl_ref(s, x->ref, &b);
                fprintf(t->f, "  %sBREACH%s quorum of %s: %" PRId64 " of %" PRId64
                              " running, a majority is %" PRId64 "\n",
                        red(t), reset(t), ka_buf_cstr(&b), x->have, x->total, x->want);
            } else {
                fprintf(t->f, "  %sBREACH%s control plane: %" PRId64 " of %" PRId64
                              " control-plane nodes up, etcd needs %" PRId64 "\n",
                        red(t), reset(t), x->have, x->total, x->want);
            }
        }
        if (c->cp_total && c->cp_quorum)
            fprintf(t->f, "  control plane: %" PRId64 " of %" PRId64 " nodes up, quorum kept\n",
                    c->cp_alive, c->cp_total);
        if (c->need_cpu || c->need_mem) {
            ka_buf a1, a2, f1, f2;
            ka_buf_init(&a1);
            ka_buf_init(&a2);
            ka_buf_init(&f1);
            ka_buf_init(&f2);
            ks_format_qty(KS_R_CPU, c->need_cpu, &a1);
            ks_format_qty(KS_R_MEM, c->need_mem, &a2);
            ks_format_qty(KS_R_CPU, c->free_cpu, &f1);
            ks_format_qty(KS_R_MEM, c->free_mem, &f2);
            fprintf(t->f, "  capacity: the pods that did not fit request %s cpu and %s memory; "
                          "%s cpu and %s memory are free on the untainted nodes left\n",
                    ka_buf_cstr(&a1), ka_buf_cstr(&a2), ka_buf_cstr(&f1), ka_buf_cstr(&f2));
            if (c->need_cpu > c->free_cpu || c->need_mem > c->free_mem) {
                ka_buf_reset(&a1);
                ka_buf_reset(&a2);
                ks_format_qty(KS_R_CPU, c->need_cpu > c->free_cpu ? c->need_cpu - c->free_cpu : 0, &a1);
                ks_format_qty(KS_R_MEM, c->need_mem > c->free_mem ? c->need_mem - c->free_mem : 0, &a2);
                fprintf(t->f, "  shortfall: %s cpu, %s memory\n", ka_buf_cstr(&a1), ka_buf_cstr(&a2));
            }
            ka_buf_free(&a1);
            ka_buf_free(&a2);
            ka_buf_free(&f1);
            ka_buf_free(&f2);
        }
        fprintf(t->f, "  %s%s%s\n", c->broken ? red(t) : green(t),
                c->broken ? "verdict: BROKEN (a budget or quorum is not met)" : "verdict: ok",
                reset(t));
    }
    ka_buf_free(&b);
}

void ka_sim_write_text(FILE *f, const ka_sim *sim, const ka_sim_text_opts *o)
{
    const ks_sim *s = (const ks_sim *)sim;
    tx t = { f, o && o->color };
    ka_sim_text_opts none;
    memset(&none, 0, sizeof none);
    if (!o)
        o = &none;
    fprintf(f, "%sScheduling simulation%s: %u node(s)", bold(&t), reset(&t), s->nnodes);
    if (s->npools || s->nzones)
        fprintf(f, " (%u pool(s), %u zone(s))", s->npools, s->nzones);
    fprintf(f, ", %u pod(s): %u placed, %u already bound, %s%u unschedulable%s", s->npods,
            s->nplaced, s->nprebound, s->nunsched ? red(&t) : "", s->nunsched, reset(&t));
    if (s->nskipped)
        fprintf(f, ", %u not for this scheduler", s->nskipped);
    if (s->npreempted)
        fprintf(f, ", %u preempted", s->npreempted);
    fprintf(f, "\n\n");
    text_workloads(&t, s, o);
    text_problems(&t, s);
    text_utilisation(&t, s);
    text_explain(&t, s);
    text_scenarios(&t, s);
}
