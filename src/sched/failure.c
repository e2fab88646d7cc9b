/*
 * failure.c - what a lost zone, node or pool does to the placement.
 *
 * Each scenario starts from the placement, takes the failed nodes away,
 * and reschedules the pods that ran there (in queue order) onto what is
 * left; the other pods stay where they are. Pods that do not come back:
 * DaemonSet pods (their node is gone), bare Pods (no controller recreates
 * them), StatefulSet pods whose volumes live in a lost zone, and pods that
 * no longer fit (with kube-scheduler's message). Then: PodDisruptionBudgets
 * and StatefulSet quorums that end below their minimum, control-plane
 * (stacked etcd) quorum, and the capacity shortfall.
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

static void count_wl(const ks_sim *s, const ks_state *st, uint32_t *out)
{
    memset(out, 0, (s->nwls ? s->nwls : 1) * sizeof *out);
    for (uint32_t p = 0; p < s->npods; p++)
        if (st->pod_node[p] >= 0 && s->pods[p].wl != KS_NONE)
            out[s->pods[p].wl]++;
}

static bool pdb_match(const ks_sim *s, const ks_pdb *d, uint32_t p)
{
    const ks_pod *pod = &s->pods[p];
    return d->sel_valid && d->ns == pod->ns && !ka_selector_empty(&d->sel) &&
           ka_selector_matches(&d->sel, &s->ls[pod->ls].l);
}

static void add_breach(ks_scenario *c, ks_breach b)
{
    c->breaches = ka_xrealloc(c->breaches, (c->nbreaches + 1) * sizeof *c->breaches);
    c->breaches[c->nbreaches++] = b;
    c->broken = true;
}

static void run_scenario(ks_sim *s, ks_scenario *c, const uint8_t *lost)
{
    ks_state st;
    ks_state_copy(&st, &s->st);
    st.zone_pin = ka_xmalloc((s->npods ? s->npods : 1) * sizeof *st.zone_pin);
    for (uint32_t p = 0; p < s->npods; p++)
        st.zone_pin[p] = -1;
    for (uint32_t n = 0; n < s->nnodes; n++) {
        if (!lost[n])
            continue;
        st.alive[n] = 0;
        c->lost_nodes = ka_xrealloc(c->lost_nodes, (c->nlost_nodes + 1) * sizeof *c->lost_nodes);
        c->lost_nodes[c->nlost_nodes++] = n;
    }
    uint32_t *resched = ka_xmalloc((s->npods ? s->npods : 1) * sizeof *resched);
    uint32_t nres = 0;
    c->pods = ka_xcalloc(s->npods ? s->npods : 1, sizeof *c->pods);
    for (uint32_t p = 0; p < s->npods; p++) {
        int32_t n = st.pod_node[p];
        if (n < 0 || !lost[n])
            continue;
        ks_scen_pod *sp = &c->pods[c->npods++];
        sp->pod = p;
        sp->from = n;
        sp->to = -1;
        ks_unbind(s, &st, p);
        const ks_pod *pod = &s->pods[p];
        if (pod->daemon) {
            sp->message = ka_xstrdup("DaemonSet pod: it runs only on its node");
            continue;
        }
        if (pod->bare) {
            sp->message = ka_xstrdup("bare Pod: no controller recreates it");
            continue;
        }
        if (s->tmpls[pod->tmpl].zone_pinned)
            st.zone_pin[p] = (int32_t)s->nodes[n].zone;
        resched[nres++] = p;
    }
    c->ndisplaced = c->npods;
    c->wl_now = ka_xmalloc((s->nwls ? s->nwls : 1) * sizeof *c->wl_now);
    count_wl(s, &st, c->wl_now);
    ks_counters_rebuild(s, &st);
    int32_t *to = ka_xmalloc((nres ? nres : 1) * sizeof *to);
    char **msg = ka_xmalloc((nres ? nres : 1) * sizeof *msg);
    ks_reschedule(s, &st, resched, nres, to, msg);
    uint32_t *slot = ka_xmalloc((s->npods ? s->npods : 1) * sizeof *slot);
    for (uint32_t k = 0; k < c->npods; k++)
        slot[c->pods[k].pod] = k;
    for (uint32_t i = 0; i < nres; i++) {
        c->pods[slot[resched[i]]].to = to[i];
        c->pods[slot[resched[i]]].message = msg[i];
    }
    free(slot);
    for (uint32_t k = 0; k < c->npods; k++) {
        if (c->pods[k].to >= 0) {
            c->nrescheduled++;
            continue;
        }
        c->nunsched++;
        const ks_pod *pod = &s->pods[c->pods[k].pod];
        if (pod->daemon || pod->bare)
            continue;
        const ks_tmpl *t = &s->tmpls[pod->tmpl];
        for (uint32_t i = 0; i < t->nreq; i++) {
            if (t->rlist[i] == KS_R_CPU)
                c->need_cpu += t->req[i];
            else if (t->rlist[i] == KS_R_MEM)
                c->need_mem += t->req[i];
        }
    }
    c->wl_after = ka_xmalloc((s->nwls ? s->nwls : 1) * sizeof *c->wl_after);
    count_wl(s, &st, c->wl_after);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        /* free room for ordinary pods: schedulable, untainted nodes */
        bool tainted = false;
        for (uint32_t k = 0; k < s->nodes[n].ntaints; k++)
            tainted |= s->nodes[n].taints[k].effect == KS_EFF_NOSCHEDULE ||
                       s->nodes[n].taints[k].effect == KS_EFF_NOEXECUTE;
        if (!st.alive[n] || s->nodes[n].unschedulable || tainted)
            continue;
        int64_t fc = s->alloc[(size_t)n * s->nres + KS_R_CPU] - st.used[(size_t)n * s->nres + KS_R_CPU];
        int64_t fm = s->alloc[(size_t)n * s->nres + KS_R_MEM] - st.used[(size_t)n * s->nres + KS_R_MEM];
        c->free_cpu += fc > 0 ? fc : 0;
        c->free_mem += fm > 0 ? fm : 0;
    }

    /* budgets */
    for (uint32_t d = 0; d < s->npdbs; d++) {
        const ks_pdb *pdb = &s->pdbs[d];
        int64_t expected = 0, before = 0, now = 0, after = 0;
        for (uint32_t p = 0; p < s->npods; p++) {
            if (!pdb_match(s, pdb, p))
                continue;
            expected++;
            if (s->st.pod_node[p] >= 0) {
                before++;
                now += !lost[s->st.pod_node[p]];
            }
            after += st.pod_node[p] >= 0;
        }
        int64_t want = ks_pdb_min_available(pdb, expected);
        if (now < before && after < want)
            add_breach(c, (ks_breach){ 0, d, want, after, now, expected });
    }
    for (uint32_t w = 0; w < s->nwls; w++) {
        const ks_wl *wl = &s->wls[w];
        if (!wl->quorum)
            continue;
        int64_t majority = wl->replicas / 2 + 1;
        if (c->wl_now[w] < s->wl_before[w] && c->wl_after[w] < majority)
            add_breach(c, (ks_breach){ 1, w, majority, c->wl_after[w], c->wl_now[w], wl->replicas });
    }
    if (s->netcd) {
        /* external etcd: a member is down when every node of its zone is */
        for (uint32_t i = 0; i < s->netcd; i++) {
            bool zone_down = s->etcd_zone[i] != KS_NONE;
            for (uint32_t n = 0; n < s->nnodes && zone_down; n++)
                if (s->nodes[n].zone == s->etcd_zone[i] && st.alive[n])
                    zone_down = false;
            c->cp_total++;
            c->cp_alive += !zone_down;
        }
    } else {
        for (uint32_t n = 0; n < s->nnodes; n++) {
            if (!s->nodes[n].control_plane)
                continue;
            c->cp_total++;
            c->cp_alive += st.alive[n];
        }
    }
    c->cp_quorum = c->cp_total == 0 || c->cp_alive * 2 > c->cp_total;
    if (c->cp_total && c->cp_alive < c->cp_total && !c->cp_quorum)
        add_breach(c, (ks_breach){ 2, 0, c->cp_total / 2 + 1, c->cp_alive, c->cp_alive, c->cp_total });
    free(resched);
    free(to);
    free(msg);
    ks_state_free(&st);
    /* the base state's presence information must describe the base again */
    ks_counters_rebuild(s, &s->st);
}

static ks_scenario *new_scenario(ks_sim *s, const char *name)
{
    s->scen = ka_xrealloc(s->scen, (s->nscen + 1) * sizeof *s->scen);
    ks_scenario *c = &s->scen[s->nscen++];
    memset(c, 0, sizeof *c);
    c->name = ka_xstrdup(name);
    return c;
}

int ks_failures(ks_sim *s)
{
    const ka_sim_opts *o = s->opts;
    if (!o->nfail)
        return 0;
    s->wl_before = ka_xmalloc((s->nwls ? s->nwls : 1) * sizeof *s->wl_before);
    count_wl(s, &s->st, s->wl_before);
    uint8_t *lost = ka_xcalloc(s->nnodes ? s->nnodes : 1, 1);
    ka_buf name;
    ka_buf_init(&name);
    bool combined = false;
    int rc = 0;
    for (size_t i = 0; i < o->nfail; i++) {
        const ka_sim_fail *f = &o->fail[i];
        if (f->kind == KA_FAIL_EACH_ZONE) {
            s->each_zone = true;
            continue;
        }
        ka_str want = ka_str_c(f->name);
        bool found = false;
        for (uint32_t n = 0; n < s->nnodes; n++) {
            const ks_node *nd = &s->nodes[n];
            bool hit = (f->kind == KA_FAIL_NODE && ka_str_eq(nd->name, want)) ||
                       (f->kind == KA_FAIL_ZONE && nd->zone != KS_NONE &&
                        ka_str_eq(s->zones[nd->zone], want)) ||
                       (f->kind == KA_FAIL_POOL && nd->pool != KS_NONE &&
                        ka_str_eq(s->pools[nd->pool], want));
            if (hit) {
                lost[n] = 1;
                found = true;
            }
        }
        const char *what = f->kind == KA_FAIL_NODE ? "node" : f->kind == KA_FAIL_ZONE ? "zone" : "pool";
        if (!found) {
            ka_diag_add(s->diags, KA_DIAG_ERROR, "<command line>", 0, 0,
                        "--fail %s=%s: no such %s among the nodes", what, f->name, what);
            rc = -1;
        }
        if (name.n)
            ka_buf_addc(&name, ',');
        ka_buf_printf(&name, "%s=%s", what, f->name);
        combined = true;
    }
    if (rc == 0 && combined)
        run_scenario(s, new_scenario(s, ka_buf_cstr(&name)), lost);
    if (rc == 0 && s->each_zone) {
        if (!s->nzones) {
            ka_diag_add(s->diags, KA_DIAG_ERROR, "<command line>", 0, 0,
                        "--fail each-zone: no node has a topology.kubernetes.io/zone label");
            rc = -1;
        }
        for (uint32_t z = 0; rc == 0 && z < s->nzones; z++) {
            memset(lost, 0, s->nnodes);
            for (uint32_t n = 0; n < s->nnodes; n++)
                lost[n] = s->nodes[n].zone == z;
            ka_buf_reset(&name);
            ka_buf_printf(&name, "zone=%.*s", (int)s->zones[z].n, s->zones[z].p);
            run_scenario(s, new_scenario(s, ka_buf_cstr(&name)), lost);
        }
    }
    ka_buf_free(&name);
    free(lost);
    return rc;
}
