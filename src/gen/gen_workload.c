/*
 * gen_workload.c - each declared workload of an environment namespace:
 * ServiceAccount, Service, Deployment (restricted security context, probes,
 * requests and limits, node pool, topology spread), PodDisruptionBudget, and
 * the public route of internet-facing tiers; plus the namespace's PodMonitor.
 */
#include "gen_int.h"

#include <string.h>

#define RUN_AS 10001

static void sel_labels(gctx *g, ynode *m, const ka_spec_workload *w)
{
    y_putstr(&g->yb, m, "app.kubernetes.io/name", w->name);
}

static void workload_labels(gctx *g, ynode *meta, const ka_spec_workload *w)
{
    ynode *l = y_putmap(&g->yb, meta, "labels");
    y_putstr(&g->yb, l, "app.kubernetes.io/component", w->tier);
    y_putstr(&g->yb, l, "app.kubernetes.io/managed-by", KA_MANAGED_BY);
    y_putstr(&g->yb, l, "app.kubernetes.io/name", w->name);
    y_putstr(&g->yb, l, "app.kubernetes.io/part-of", g->s->name);
    y_putstr(&g->yb, l, "environment", w->env->name);
    y_putstr(&g->yb, l, "tier", w->tier);
}

static ynode *service_account(gctx *g, const ka_spec_workload *w)
{
    ynode *meta, *o = y_object(&g->yb, "v1", "ServiceAccount", w->env->ns, w->name, &meta);
    workload_labels(g, meta, w);
    y_putbool(&g->yb, o, "automountServiceAccountToken", false);
    return o;
}

static ynode *service(gctx *g, const ka_spec_workload *w)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "v1", "Service", w->env->ns, w->name, &meta);
    workload_labels(g, meta, w);
    ynode *spec = y_putmap(b, o, "spec");
    ynode *p = y_addmap(b, y_putseq(b, spec, "ports"));
    y_putstr(b, p, "name", "app");
    y_putint(b, p, "port", w->tier_ref->port);
    y_putstr(b, p, "protocol", w->tier_ref->protocol);
    y_putstr(b, p, "targetPort", "app");
    sel_labels(g, y_putmap(b, spec, "selector"), w);
    y_putstr(b, spec, "type", "ClusterIP");
    return o;
}

static void container_port(gctx *g, ynode *ports, const char *name, uint32_t port,
                           const char *proto)
{
    ynode *p = y_addmap(&g->yb, ports);
    y_putint(&g->yb, p, "containerPort", port);
    y_putstr(&g->yb, p, "name", name);
    y_putstr(&g->yb, p, "protocol", proto);
}

static void spread(gctx *g, ynode *seq, const ka_spec_workload *w, const char *key,
                   const char *when)
{
    ybuild *b = &g->yb;
    ynode *c = y_addmap(b, seq);
    sel_labels(g, y_putmap(b, y_putmap(b, c, "labelSelector"), "matchLabels"), w);
    y_addstr(b, y_putseq(b, c, "matchLabelKeys"), "pod-template-hash");
    y_putint(b, c, "maxSkew", 1);
    y_putstr(b, c, "topologyKey", key);
    y_putstr(b, c, "whenUnsatisfiable", when);
}

static ynode *deployment(gctx *g, const ka_spec_cluster *c, const ka_spec_workload *w)
{
    ybuild *b = &g->yb;
    const ka_spec *s = g->s;
    const ka_spec_pool *pool = ka_spec_workload_pool(c, w);
    ynode *meta, *o = y_object(b, "apps/v1", "Deployment", w->env->ns, w->name, &meta);
    workload_labels(g, meta, w);
    ynode *spec = y_putmap(b, o, "spec");
    y_putint(b, spec, "replicas", w->replicas);
    y_putint(b, spec, "revisionHistoryLimit", 5);
    sel_labels(g, y_putmap(b, y_putmap(b, spec, "selector"), "matchLabels"), w);
    ynode *strat = y_putmap(b, spec, "strategy");
    ynode *ru = y_putmap(b, strat, "rollingUpdate");
    y_putint(b, ru, "maxSurge", 1);
    y_putint(b, ru, "maxUnavailable", 0);
    y_putstr(b, strat, "type", "RollingUpdate");

    ynode *tpl = y_putmap(b, spec, "template");
    ynode *tmeta = y_putmap(b, tpl, "metadata");
    workload_labels(g, tmeta, w);
    ynode *pod = y_putmap(b, tpl, "spec");
    y_putbool(b, pod, "automountServiceAccountToken", false);

    ynode *ctr = y_addmap(b, y_putseq(b, pod, "containers"));
    y_putstr(b, ctr, "image", w->image);
    ynode *live = y_putmap(b, ctr, "livenessProbe");
    y_putint(b, live, "failureThreshold", 6);
    y_putint(b, live, "initialDelaySeconds", 15);
    y_putint(b, live, "periodSeconds", 20);
    y_putstr(b, y_putmap(b, live, "tcpSocket"), "port", "app");
    y_putstr(b, ctr, "name", w->name);
    ynode *ports = y_putseq(b, ctr, "ports");
    container_port(g, ports, "app", w->tier_ref->port, w->tier_ref->protocol);
    if (s->monitoring.enabled)
        container_port(g, ports, "metrics", s->monitoring.metrics_port, "TCP");
    ynode *ready = y_putmap(b, ctr, "readinessProbe");
    y_putint(b, ready, "failureThreshold", 3);
    y_putint(b, ready, "periodSeconds", 5);
    y_putstr(b, y_putmap(b, ready, "tcpSocket"), "port", "app");
    int64_t lc, lm;
    ka__workload_limits(w, &lc, &lm);
    ynode *res = y_putmap(b, ctr, "resources");
    ynode *lim = y_putmap(b, res, "limits");
    y_putstr(b, lim, "cpu", ka__cpu_milli(b->a, lc).text);
    y_putstr(b, lim, "ephemeral-storage", "2Gi");
    y_putstr(b, lim, "memory", ka__mem_bytes(b->a, lm).text);
    ynode *req = y_putmap(b, res, "requests");
    y_putstr(b, req, "cpu", w->cpu.text);
    y_putstr(b, req, "ephemeral-storage", "1Gi");
    y_putstr(b, req, "memory", w->memory.text);
    ynode *sc = y_putmap(b, ctr, "securityContext");
    y_putbool(b, sc, "allowPrivilegeEscalation", false);
    y_addstr(b, y_putseq(b, y_putmap(b, sc, "capabilities"), "drop"), "ALL");
    y_putbool(b, sc, "readOnlyRootFilesystem", true);
    y_putint(b, sc, "runAsGroup", RUN_AS);
    y_putbool(b, sc, "runAsNonRoot", true);
    y_putint(b, sc, "runAsUser", RUN_AS);
    ynode *vm = y_addmap(b, y_putseq(b, ctr, "volumeMounts"));
    y_putstr(b, vm, "mountPath", "/tmp");
    y_putstr(b, vm, "name", "tmp");

    y_putstr(b, y_putmap(b, pod, "nodeSelector"), "node-pool", pool->name);
    y_putstr(b, pod, "priorityClassName", g_priority_class(w->env->qos));
    ynode *psc = y_putmap(b, pod, "securityContext");
    y_putint(b, psc, "fsGroup", RUN_AS);
    y_putint(b, psc, "runAsGroup", RUN_AS);
    y_putbool(b, psc, "runAsNonRoot", true);
    y_putint(b, psc, "runAsUser", RUN_AS);
    y_putstr(b, y_putmap(b, psc, "seccompProfile"), "type", "RuntimeDefault");
    y_putstr(b, pod, "serviceAccountName", w->name);
    y_putint(b, pod, "terminationGracePeriodSeconds", 30);
    if (pool->ntaints) {
        ynode *tol = y_putseq(b, pod, "tolerations");
        for (size_t i = 0; i < pool->ntaints; i++) {
            const ka_spec_taint *t = &pool->taints[i];
            ynode *m = y_addmap(b, tol);
            y_putstr(b, m, "effect", ka_taint_effect_name(t->effect));
            y_putstr(b, m, "key", t->key);
            if (*t->value) {
                y_putstr(b, m, "operator", "Equal");
                y_putstr(b, m, "value", t->value);
            } else {
                y_putstr(b, m, "operator", "Exists");
            }
        }
    }
    ynode *tsc = y_putseq(b, pod, "topologySpreadConstraints");
    if (w->spread == KA_SPREAD_ZONE) {
        spread(g, tsc, w, "topology.kubernetes.io/zone", "DoNotSchedule");
        spread(g, tsc, w, "kubernetes.io/hostname", "ScheduleAnyway");
    } else {
        spread(g, tsc, w, "kubernetes.io/hostname", "DoNotSchedule");
    }
    ynode *vol = y_addmap(b, y_putseq(b, pod, "volumes"));
    y_putstr(b, y_putmap(b, vol, "emptyDir"), "sizeLimit", "256Mi");
    y_putstr(b, vol, "name", "tmp");
    return o;
}

static ynode *pdb(gctx *g, const ka_spec_workload *w)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "policy/v1", "PodDisruptionBudget", w->env->ns, w->name, &meta);
    workload_labels(g, meta, w);
    ynode *spec = y_putmap(b, o, "spec");
    /* one pod at a time; stuck (unhealthy) pods never block a node drain */
    y_putint(b, spec, "maxUnavailable", 1);
    sel_labels(g, y_putmap(b, y_putmap(b, spec, "selector"), "matchLabels"), w);
    y_putstr(b, spec, "unhealthyPodEvictionPolicy", "AlwaysAllow");
    return o;
}

static bool tier_public(const ka_spec_tier *t)
{
    for (size_t f = 0; f < t->nfrom; f++)
        if (strcmp(t->from[f], KA_PEER_INTERNET) == 0)
            return true;
    return false;
}

static ynode *route(gctx *g, const ka_spec_workload *w)
{
    ybuild *b = &g->yb;
    const ka_spec *s = g->s;
    ynode *meta, *o;
    if (s->net.ingress_api == KA_INGRESS_GATEWAY_API) {
        o = y_object(b, "gateway.networking.k8s.io/v1", "HTTPRoute", w->env->ns, w->name, &meta);
        workload_labels(g, meta, w);
        ynode *spec = y_putmap(b, o, "spec");
        y_addstr(b, y_putseq(b, spec, "hostnames"), g_host(g, w->env, w));
        ynode *pr = y_addmap(b, y_putseq(b, spec, "parentRefs"));
        y_putstr(b, pr, "name", "public");
        y_putstr(b, pr, "namespace", s->net.ingress_ns);
        y_putstr(b, pr, "sectionName", "https");
        ynode *rule = y_addmap(b, y_putseq(b, spec, "rules"));
        ynode *be = y_addmap(b, y_putseq(b, rule, "backendRefs"));
        y_putstr(b, be, "name", w->name);
        y_putint(b, be, "port", w->tier_ref->port);
        ynode *path = y_putmap(b, y_addmap(b, y_putseq(b, rule, "matches")), "path");
        y_putstr(b, path, "type", "PathPrefix");
        y_putstr(b, path, "value", "/");
        return o;
    }
    o = y_object(b, "networking.k8s.io/v1", "Ingress", w->env->ns, w->name, &meta);
    workload_labels(g, meta, w);
    y_putstr(b, y_putmap(b, meta, "annotations"), "cert-manager.io/cluster-issuer", "letsencrypt");
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "ingressClassName", s->net.ingress_impl);
    ynode *rule = y_addmap(b, y_putseq(b, spec, "rules"));
    y_putstr(b, rule, "host", g_host(g, w->env, w));
    ynode *p = y_addmap(b, y_putseq(b, y_putmap(b, rule, "http"), "paths"));
    ynode *svc = y_putmap(b, y_putmap(b, p, "backend"), "service");
    y_putstr(b, svc, "name", w->name);
    y_putstr(b, y_putmap(b, svc, "port"), "name", "app");
    y_putstr(b, p, "path", "/");
    y_putstr(b, p, "pathType", "Prefix");
    ynode *tls = y_addmap(b, y_putseq(b, spec, "tls"));
    y_addstr(b, y_putseq(b, tls, "hosts"), g_host(g, w->env, w));
    y_putstr(b, tls, "secretName", y_strf(b, "%s-tls", w->name)->s);
    return o;
}

static ynode *pod_monitor(gctx *g, const ka_spec_env *e)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "monitoring.coreos.com/v1", "PodMonitor", e->ns, "workloads",
                               &meta);
    g_labels(g, meta, NULL, "monitoring");
    ynode *spec = y_putmap(b, o, "spec");
    ynode *ep = y_addmap(b, y_putseq(b, spec, "podMetricsEndpoints"));
    y_putstr(b, ep, "interval", "30s");
    y_putstr(b, ep, "port", "metrics");
    y_putstr(b, y_putmap(b, y_putmap(b, spec, "selector"), "matchLabels"),
             "app.kubernetes.io/part-of", g->s->name);
    return o;
}

void ka__gen_workloads(gctx *g, const ka_spec_cluster *c, const ka_spec_env *e, const char *dir)
{
    const ka_spec *s = g->s;
    const char *unit = g_cluster_unit(g, c);
    bool any = false;
    for (size_t i = 0; i < s->nworkloads; i++) {
        const ka_spec_workload *w = &s->workloads[i];
        if (w->env != e)
            continue;
        any = true;
        ylist l = { 0 };
        yl_add(g, &l, service_account(g, w));
        yl_add(g, &l, service(g, w));
        yl_add(g, &l, deployment(g, c, w));
        yl_add(g, &l, pdb(g, w));
        if (tier_public(w->tier_ref))
            yl_add(g, &l, route(g, w));
        g_file(g, unit, y_strf(&g->yb, "%s/workloads/%s.yaml", dir, w->name)->s, &l);
    }
    if (any && s->monitoring.enabled) {
        ylist l = { 0 };
        yl_add(g, &l, pod_monitor(g, e));
        g_file(g, unit, y_strf(&g->yb, "%s/monitoring.yaml", dir)->s, &l);
    }
}
