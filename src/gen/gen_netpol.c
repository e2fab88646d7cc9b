/*
 * gen_netpol.c - the default-deny pattern of an environment namespace.
 *
 *   default-deny         every pod, both directions, no rules
 *   allow-dns            every pod may resolve names through CoreDNS
 *   allow-<tier>-ingress who may connect to a tier, on its port only
 *   allow-<tier>-egress  where a tier may connect, on the callee's port only
 *   allow-metrics-scrape Prometheus (monitoring namespace) on the metrics port
 *
 * A flow is written only when both ends exist: a tier end exists when a
 * workload of that tier runs in the namespace, the internet end is the
 * gateway's namespace. So the policies allow exactly the spec's flows among
 * the pods that are there, and `kubearch netpol` reads them back as such.
 */
#include "gen_int.h"

#include <string.h>

static ynode *match_labels(gctx *g, ynode *parent, const char *key, const char *k,
                           const char *v)
{
    ynode *sel = y_putmap(&g->yb, parent, key);
    y_putstr(&g->yb, y_putmap(&g->yb, sel, "matchLabels"), k, v);
    return sel;
}

static ynode *policy(gctx *g, const ka_spec_env *e, const char *name, ynode **spec)
{
    ynode *meta, *o = y_object(&g->yb, "networking.k8s.io/v1", "NetworkPolicy", e->ns, name, &meta);
    g_labels(g, meta, NULL, "network-policy");
    *spec = y_putmap(&g->yb, o, "spec");
    return o;
}

static void port(gctx *g, ynode *ports, uint32_t p, const char *proto)
{
    ynode *m = y_addmap(&g->yb, ports);
    y_putint(&g->yb, m, "port", p);
    y_putstr(&g->yb, m, "protocol", proto);
}

static void types(gctx *g, ynode *spec, bool ingress, bool egress)
{
    ynode *t = y_putseq(&g->yb, spec, "policyTypes");
    if (ingress)
        y_addstr(&g->yb, t, "Ingress");
    if (egress)
        y_addstr(&g->yb, t, "Egress");
}

/* The namespace the internet end of a flow comes from. */
static const char *gateway_ns(const ka_spec *s)
{
    return s->net.ingress_ns;
}

void ka__gen_netpol(gctx *g, const ka_spec_cluster *c, const ka_spec_env *e, const char *dir)
{
    (void)c;
    const ka_spec *s = g->s;
    ybuild *b = &g->yb;
    ylist l = { 0 };
    ynode *spec, *o;

    o = policy(g, e, "default-deny", &spec);
    y_put(b, spec, "podSelector", y_map(b));
    types(g, spec, true, true);
    yl_add(g, &l, o);

    o = policy(g, e, "allow-dns", &spec);
    ynode *eg = y_putseq(b, spec, "egress");
    ynode *r = y_addmap(b, eg);
    ynode *ports = y_putseq(b, r, "ports");
    port(g, ports, 53, "UDP");
    port(g, ports, 53, "TCP");
    ynode *peer = y_addmap(b, y_putseq(b, r, "to"));
    match_labels(g, peer, "namespaceSelector", "kubernetes.io/metadata.name", "kube-system");
    match_labels(g, peer, "podSelector", "k8s-app", "kube-dns");
    y_put(b, spec, "podSelector", y_map(b));
    types(g, spec, false, true);
    yl_add(g, &l, o);

    for (size_t i = 0; i < s->net.ntiers; i++) {
        const ka_spec_tier *t = &s->net.tiers[i];
        if (!g_tier_used(s, e, t->name))
            continue;
        /* ingress: every source of this tier that exists */
        ynode *rules = y_seq(b);
        for (size_t f = 0; f < t->nfrom; f++) {
            bool inet = strcmp(t->from[f], KA_PEER_INTERNET) == 0;
            if (!inet && !g_tier_used(s, e, t->from[f]))
                continue;
            ynode *rule = y_addmap(b, rules);
            ynode *from = y_putseq(b, rule, "from");
            ynode *p = y_addmap(b, from);
            if (inet)
                match_labels(g, p, "namespaceSelector", "kubernetes.io/metadata.name",
                             gateway_ns(s));
            else
                match_labels(g, p, "podSelector", "tier", t->from[f]);
            port(g, y_putseq(b, rule, "ports"), t->port, t->protocol);
        }
        if (rules->n) {
            o = policy(g, e, y_strf(b, "allow-%s-ingress", t->name)->s, &spec);
            y_put(b, spec, "ingress", rules);
            match_labels(g, spec, "podSelector", "tier", t->name);
            types(g, spec, true, false);
            yl_add(g, &l, o);
        }
        /* egress: every tier that accepts this one and exists */
        ynode *erules = y_seq(b);
        for (size_t j = 0; j < s->net.ntiers; j++) {
            const ka_spec_tier *callee = &s->net.tiers[j];
            if (!g_tier_used(s, e, callee->name))
                continue;
            bool accepts = false;
            for (size_t f = 0; f < callee->nfrom; f++)
                accepts |= strcmp(callee->from[f], t->name) == 0;
            if (!accepts)
                continue;
            ynode *rule = y_addmap(b, erules);
            port(g, y_putseq(b, rule, "ports"), callee->port, callee->protocol);
            ynode *to = y_putseq(b, rule, "to");
            match_labels(g, y_addmap(b, to), "podSelector", "tier", callee->name);
        }
        if (erules->n) {
            o = policy(g, e, y_strf(b, "allow-%s-egress", t->name)->s, &spec);
            y_put(b, spec, "egress", erules);
            match_labels(g, spec, "podSelector", "tier", t->name);
            types(g, spec, false, true);
            yl_add(g, &l, o);
        }
    }

    if (s->net.mesh == KA_MESH_ISTIO) {
        /* injected sidecars fetch configuration and certificates from istiod */
        o = policy(g, e, "allow-mesh-control-plane", &spec);
        ynode *rule = y_addmap(b, y_putseq(b, spec, "egress"));
        port(g, y_putseq(b, rule, "ports"), 15012, "TCP");
        match_labels(g, y_addmap(b, y_putseq(b, rule, "to")), "namespaceSelector",
                     "kubernetes.io/metadata.name", "istio-system");
        y_put(b, spec, "podSelector", y_map(b));
        types(g, spec, false, true);
        yl_add(g, &l, o);
    }

    bool any = false;
    for (size_t i = 0; i < s->nworkloads; i++)
        any |= s->workloads[i].env == e;
    if (s->monitoring.enabled && any) {
        o = policy(g, e, "allow-metrics-scrape", &spec);
        ynode *rule = y_addmap(b, y_putseq(b, spec, "ingress"));
        match_labels(g, y_addmap(b, y_putseq(b, rule, "from")), "namespaceSelector",
                     "kubernetes.io/metadata.name", s->monitoring.ns);
        port(g, y_putseq(b, rule, "ports"), s->monitoring.metrics_port, "TCP");
        match_labels(g, spec, "podSelector", "app.kubernetes.io/part-of", s->name);
        types(g, spec, true, false);
        yl_add(g, &l, o);
    }
    g_file(g, y_strf(b, "clusters/%s", c->name)->s, y_strf(b, "%s/network-policies.yaml", dir)->s,
           &l);
}
