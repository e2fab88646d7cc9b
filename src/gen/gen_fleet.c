/*
 * gen_fleet.c - fleet management of the multi-cluster patterns:
 *
 *   karmada  fleet/<namespace>/propagation.yaml: a PropagationPolicy per
 *            environment placing its workloads on the environment's cluster;
 *            in multi-region the DR cluster is the fallback group
 *            (clusterAffinities) with application failover, plus an
 *            OverridePolicy marking the DR copies
 *   argocd   management/fleet/applicationsets.yaml: one ApplicationSet that
 *            syncs clusters/<name> of the Git repository to each cluster
 *   flux     management/fleet/flux.yaml: a GitRepository and one Kustomization
 *            per cluster, applied through the cluster's CAPI kubeconfig Secret
 */
#include "gen_int.h"

#include <string.h>

static const char *repo_path(gctx *g, const char *cluster)
{
    const char *p = g->s->multicluster.git_path;
    if (strcmp(p, ".") == 0)
        return y_strf(&g->yb, "clusters/%s", cluster)->s;
    return y_strf(&g->yb, "%s/clusters/%s", p, cluster)->s;
}

static const char *cluster_of(gctx *g, const ka_spec_env *e, bool dr)
{
    for (size_t i = 0; i < g->s->nclusters; i++) {
        const ka_spec_cluster *c = &g->s->clusters[i];
        if (c->dr == dr && ka_spec_cluster_runs(c, e))
            return c->name;
    }
    return NULL;
}

static void selectors(gctx *g, ynode *spec)
{
    static const char *const kinds[][2] = {
        { "apps/v1", "Deployment" }, { "policy/v1", "PodDisruptionBudget" },
        { "v1", "Service" }, { "v1", "ServiceAccount" },
        { "gateway.networking.k8s.io/v1", "HTTPRoute" },
    };
    ynode *rs = y_putseq(&g->yb, spec, "resourceSelectors");
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        ynode *r = y_addmap(&g->yb, rs);
        y_putstr(&g->yb, r, "apiVersion", kinds[i][0]);
        y_putstr(&g->yb, r, "kind", kinds[i][1]);
        y_putstr(&g->yb, y_putmap(&g->yb, y_putmap(&g->yb, r, "labelSelector"), "matchLabels"),
                 "app.kubernetes.io/part-of", g->s->name);
    }
}

static void karmada(gctx *g)
{
    const ka_spec *s = g->s;
    ybuild *b = &g->yb;
    for (size_t i = 0; i < s->nenvs; i++) {
        const ka_spec_env *e = &s->envs[i];
        bool any = false;
        for (size_t w = 0; w < s->nworkloads; w++)
            any |= s->workloads[w].env == e;
        if (!any)
            continue; /* nothing to place */
        const char *primary = cluster_of(g, e, false), *dr = cluster_of(g, e, true);
        ylist l = { 0 };
        ynode *meta, *o = y_object(b, "policy.karmada.io/v1alpha1", "PropagationPolicy", e->ns,
                                   "workloads", &meta);
        g_labels(g, meta, NULL, "fleet");
        ynode *spec = y_putmap(b, o, "spec");
        if (dr) {
            ynode *fo = y_putmap(b, y_putmap(b, spec, "failover"), "application");
            y_putint(b, y_putmap(b, fo, "decisionConditions"), "tolerationSeconds", 300);
            y_putint(b, fo, "gracePeriodSeconds", 600);
            y_putstr(b, fo, "purgeMode", "Gracefully");
        }
        ynode *pl = y_putmap(b, spec, "placement");
        if (dr) {
            /* the primary group first; the DR group only when it fails */
            ynode *ca = y_putseq(b, pl, "clusterAffinities");
            ynode *a = y_addmap(b, ca);
            y_putstr(b, a, "affinityName", "primary");
            y_addstr(b, y_putseq(b, a, "clusterNames"), primary);
            a = y_addmap(b, ca);
            y_putstr(b, a, "affinityName", "disaster-recovery");
            y_addstr(b, y_putseq(b, a, "clusterNames"), dr);
        } else {
            y_addstr(b, y_putseq(b, y_putmap(b, pl, "clusterAffinity"), "clusterNames"), primary);
        }
        y_putstr(b, y_putmap(b, pl, "replicaScheduling"), "replicaSchedulingType", "Duplicated");
        y_putbool(b, spec, "propagateDeps", true);
        selectors(g, spec);
        yl_add(g, &l, o);
        if (dr) {
            o = y_object(b, "policy.karmada.io/v1alpha1", "OverridePolicy", e->ns,
                         "disaster-recovery", &meta);
            g_labels(g, meta, NULL, "fleet");
            spec = y_putmap(b, o, "spec");
            ynode *rule = y_addmap(b, y_putseq(b, spec, "overrideRules"));
            ynode *lo = y_addmap(b, y_putseq(b, y_putmap(b, rule, "overriders"), "labelsOverrider"));
            y_putstr(b, lo, "operator", "add");
            y_putstr(b, y_putmap(b, lo, "value"), "kubearch.io/site", "dr");
            y_addstr(b, y_putseq(b, y_putmap(b, rule, "targetCluster"), "clusterNames"), dr);
            selectors(g, spec);
            yl_add(g, &l, o);
        }
        g_file(g, "fleet", y_strf(b, "fleet/%s/propagation.yaml", e->ns)->s, &l);
    }
}

static void argocd(gctx *g)
{
    const ka_spec *s = g->s;
    ybuild *b = &g->yb;
    ylist l = { 0 };
    ynode *meta, *o = y_object(b, "argoproj.io/v1alpha1", "ApplicationSet", "argocd",
                               y_strf(b, "%s-clusters", s->name)->s, &meta);
    g_labels(g, meta, NULL, "fleet");
    ynode *spec = y_putmap(b, o, "spec");
    ynode *elems = y_putseq(b, y_putmap(b, y_addmap(b, y_putseq(b, spec, "generators")), "list"),
                            "elements");
    for (size_t i = 0; i < s->nclusters; i++) {
        ynode *e = y_addmap(b, elems);
        y_putstr(b, e, "cluster", s->clusters[i].name);
        y_putstr(b, e, "path", repo_path(g, s->clusters[i].name));
    }
    y_putbool(b, spec, "goTemplate", true);
    ynode *tpl = y_putmap(b, spec, "template");
    y_putstr(b, y_putmap(b, tpl, "metadata"), "name", "{{.cluster}}-platform");
    ynode *ts = y_putmap(b, tpl, "spec");
    y_putstr(b, y_putmap(b, ts, "destination"), "name", "{{.cluster}}");
    y_putstr(b, ts, "project", "default");
    ynode *src = y_putmap(b, ts, "source");
    y_putstr(b, src, "path", "{{.path}}");
    y_putstr(b, src, "repoURL", s->multicluster.git_repo);
    y_putstr(b, src, "targetRevision", s->multicluster.git_branch);
    ynode *sp = y_putmap(b, ts, "syncPolicy");
    ynode *au = y_putmap(b, sp, "automated");
    y_putbool(b, au, "prune", true);
    y_putbool(b, au, "selfHeal", true);
    y_addstr(b, y_putseq(b, sp, "syncOptions"), "ServerSideApply=true");
    yl_add(g, &l, o);
    g_file(g, "management", "management/fleet/applicationsets.yaml", &l);
}

static void flux(gctx *g)
{
    const ka_spec *s = g->s;
    ybuild *b = &g->yb;
    const char *ns = g_capi_ns(g);
    ylist l = { 0 };
    ynode *meta, *o = y_object(b, "source.toolkit.fluxcd.io/v1", "GitRepository", ns, s->name, &meta);
    g_labels(g, meta, NULL, "fleet");
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "interval", "5m0s");
    y_putstr(b, y_putmap(b, spec, "ref"), "branch", s->multicluster.git_branch);
    y_putstr(b, spec, "url", s->multicluster.git_repo);
    yl_add(g, &l, o);
    for (size_t i = 0; i < s->nclusters; i++) {
        const char *c = s->clusters[i].name;
        o = y_object(b, "kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, c, &meta);
        g_labels(g, meta, NULL, "fleet");
        spec = y_putmap(b, o, "spec");
        y_putstr(b, spec, "interval", "10m0s");
        ynode *kc = y_putmap(b, y_putmap(b, spec, "kubeConfig"), "secretRef");
        y_putstr(b, kc, "key", "value");
        y_putstr(b, kc, "name", y_strf(b, "%s-kubeconfig", c)->s);
        y_putstr(b, spec, "path", y_strf(b, "./%s", repo_path(g, c))->s);
        y_putbool(b, spec, "prune", true);
        ynode *sr = y_putmap(b, spec, "sourceRef");
        y_putstr(b, sr, "kind", "GitRepository");
        y_putstr(b, sr, "name", s->name);
        y_putbool(b, spec, "wait", true);
        yl_add(g, &l, o);
    }
    g_file(g, "management", "management/fleet/flux.yaml", &l);
}

void ka__gen_fleet(gctx *g)
{
    switch (g->s->multicluster.fleet) {
    case KA_FLEET_KARMADA: karmada(g); break;
    case KA_FLEET_ARGOCD: argocd(g); break;
    case KA_FLEET_FLUX: flux(g); break;
    default: break;
    }
}
