/*
 * gen_flows.c - the connectivity a cluster's generated NetworkPolicies must
 * produce, as a `kubearch netpol --expect` file: for every ordered pair of
 * declared workloads of the cluster, allowed on the callee tier's port when
 * the spec has that flow (and denied on another port), denied otherwise;
 * denied between namespaces; denied from and to an address outside the
 * cluster (the internet reaches frontends only through the gateway).
 */
#include "gen_int.h"

#include <string.h>

#define OUTSIDE "203.0.113.10"  /* TEST-NET-3, an address outside the cluster */

static bool accepts(const ka_spec_tier *callee, const char *caller)
{
    for (size_t f = 0; f < callee->nfrom; f++)
        if (strcmp(callee->from[f], caller) == 0)
            return true;
    return false;
}

static const char *endpoint(ybuild *b, const ka_spec_workload *w)
{
    return y_strf(b, "%s/Deployment/%s", w->env->ns, w->name)->s;
}

static void flow(ybuild *b, ynode *seq, const char *from, const char *to, const char *port,
                 bool allowed)
{
    ynode *m = y_addmap(b, seq);
    m->flow = true;
    y_putstr(b, m, "from", from);
    y_putstr(b, m, "to", to);
    if (port)
        y_putstr(b, m, "port", port);
    y_putbool(b, m, "allowed", allowed);
}

int ka_gen_flows(const ka_spec *s, const char *cluster, ka_buf *out, char *err, size_t errn)
{
    const ka_spec_cluster *c = NULL;
    for (size_t i = 0; i < s->nclusters; i++)
        if (strcmp(s->clusters[i].name, cluster) == 0)
            c = &s->clusters[i];
    if (!c) {
        ka_buf names;
        ka_buf_init(&names);
        for (size_t i = 0; i < s->nclusters; i++)
            ka_buf_printf(&names, "%s%s", i ? ", " : "", s->clusters[i].name);
        snprintf(err, errn, "no cluster \"%s\" in the spec (clusters: %s)", cluster,
                 ka_buf_cstr(&names));
        ka_buf_free(&names);
        return -1;
    }
    ybuild b = { ka_arena_new() };
    ynode *doc = y_map(&b);
    ynode *flows = y_putseq(&b, doc, "flows");
    /* a port no flow uses: the metrics port, scraped only from monitoring */
    uint32_t other = s->monitoring.enabled ? s->monitoring.metrics_port : 1;
    for (size_t i = 0; i < s->nworkloads; i++) {
        const ka_spec_workload *a = &s->workloads[i];
        if (!ka_spec_cluster_runs(c, a->env))
            continue;
        for (size_t j = 0; j < s->nworkloads; j++) {
            const ka_spec_workload *z = &s->workloads[j];
            if (i == j || !ka_spec_cluster_runs(c, z->env))
                continue;
            const char *from = endpoint(&b, a), *to = endpoint(&b, z);
            if (a->env == z->env && accepts(z->tier_ref, a->tier)) {
                flow(&b, flows, from, to,
                     y_strf(&b, "%u/%s", z->tier_ref->port, z->tier_ref->protocol)->s, true);
                if (other != z->tier_ref->port)
                    flow(&b, flows, from, to, y_strf(&b, "%u/TCP", other)->s, false);
            } else {
                flow(&b, flows, from, to, NULL, false);
            }
        }
        flow(&b, flows, OUTSIDE, endpoint(&b, a), NULL, false);
        flow(&b, flows, endpoint(&b, a), OUTSIDE, NULL, false);
    }
    int rc = y_emit(&doc, 1, out, err, errn);
    ka_arena_free(b.a);
    return rc;
}
