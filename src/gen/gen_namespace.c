/*
 * gen_namespace.c - per environment namespace of a cluster: the Namespace
 * (Pod Security Admission by security level), ResourceQuota + LimitRange,
 * least-privilege Roles and team RoleBindings, then the network policies
 * and workloads (gen_netpol.c, gen_workload.c).
 */
#include "gen_int.h"

#include <string.h>

/* ---- Namespace ---------------------------------------------------------------- */

static void psa(gctx *g, ynode *labels, const char *mode, const char *level)
{
    y_putstr(&g->yb, labels, y_strf(&g->yb, "pod-security.kubernetes.io/%s", mode)->s, level);
    y_putstr(&g->yb, labels, y_strf(&g->yb, "pod-security.kubernetes.io/%s-version", mode)->s,
             y_strf(&g->yb, "v1.%d", g->s->kube_minor)->s);
}

static ynode *namespace_obj(gctx *g, const ka_spec_env *e)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "v1", "Namespace", NULL, e->ns, &meta);
    ynode *l = y_putmap(b, meta, "labels");
    y_putstr(b, l, "app.kubernetes.io/managed-by", KA_MANAGED_BY);
    y_putstr(b, l, "app.kubernetes.io/part-of", g->s->name);
    y_putstr(b, l, "environment", e->name);
    if (g->s->net.mesh == KA_MESH_ISTIO)
        y_putstr(b, l, "istio-injection", "enabled");
    y_putstr(b, l, "kubearch.io/qos-tier", ka_qos_tier_name(e->qos));
    /* strict: restricted everywhere; standard and relaxed enforce baseline and
     * report what restricted would reject */
    psa(g, l, "audit", e->security == KA_SECURITY_RELAXED ? "baseline" : "restricted");
    psa(g, l, "enforce", e->security == KA_SECURITY_STRICT ? "restricted" : "baseline");
    psa(g, l, "warn", "restricted");
    if (g->s->net.mesh == KA_MESH_LINKERD) {
        ynode *a = y_putmap(b, meta, "annotations");
        y_putstr(b, a, "linkerd.io/inject", "enabled");
    }
    return o;
}

/* ---- quota -------------------------------------------------------------------- */

static void cpumem(gctx *g, ynode *m, const char *cpu_key, const ka_spec_cpu *cpu,
                   const char *mem_key, const ka_spec_mem *mem)
{
    y_putstr(&g->yb, m, cpu_key, cpu->text);
    y_putstr(&g->yb, m, mem_key, mem->text);
}

static void quota_objs(gctx *g, const ka_spec_env *e, ylist *l)
{
    ybuild *b = &g->yb;
    const ka_spec_quota *q = &e->quota;
    ynode *meta, *o = y_object(b, "v1", "ResourceQuota", e->ns, "compute-and-objects", &meta);
    g_labels(g, meta, NULL, "quota");
    ynode *hard = y_putmap(b, y_putmap(b, o, "spec"), "hard");
    y_putint(b, hard, "configmaps", q->configmaps);
    y_putstr(b, hard, "limits.cpu", q->limits_cpu.text);
    y_putstr(b, hard, "limits.memory", q->limits_memory.text);
    y_putint(b, hard, "persistentvolumeclaims", q->pvcs);
    y_putint(b, hard, "pods", q->pods);
    y_putstr(b, hard, "requests.cpu", q->requests_cpu.text);
    y_putstr(b, hard, "requests.memory", q->requests_memory.text);
    y_putstr(b, hard, "requests.storage", q->requests_storage.text);
    y_putint(b, hard, "secrets", q->secrets);
    y_putint(b, hard, "services", q->services);
    y_putint(b, hard, "services.loadbalancers", q->load_balancers);
    y_putint(b, hard, "services.nodeports", q->node_ports);
    yl_add(g, l, o);

    /* pods of this namespace may not use a higher QoS tier's PriorityClass
     * (and so may not preempt production) */
    if (e->qos != KA_QOS_HIGH) {
        o = y_object(b, "v1", "ResourceQuota", e->ns, "priority-guard", &meta);
        g_labels(g, meta, NULL, "quota");
        ynode *spec = y_putmap(b, o, "spec");
        y_putint(b, y_putmap(b, spec, "hard"), "pods", 0);
        ynode *me = y_addmap(b, y_putseq(b, y_putmap(b, spec, "scopeSelector"), "matchExpressions"));
        y_putstr(b, me, "operator", "In");
        y_putstr(b, me, "scopeName", "PriorityClass");
        ynode *vals = y_putseq(b, me, "values");
        y_addstr(b, vals, "platform-critical");
        y_addstr(b, vals, g_priority_class(KA_QOS_HIGH));
        if (e->qos == KA_QOS_LOW)
            y_addstr(b, vals, g_priority_class(KA_QOS_MEDIUM));
        yl_add(g, l, o);
    }

    const ka_spec_limits *lim = &e->limits;
    o = y_object(b, "v1", "LimitRange", e->ns, "defaults", &meta);
    g_labels(g, meta, NULL, "quota");
    ynode *limits = y_putseq(b, y_putmap(b, o, "spec"), "limits");
    ynode *c = y_addmap(b, limits);
    cpumem(g, y_putmap(b, c, "default"), "cpu", &lim->default_limit_cpu, "memory",
           &lim->default_limit_memory);
    cpumem(g, y_putmap(b, c, "defaultRequest"), "cpu", &lim->default_request_cpu, "memory",
           &lim->default_request_memory);
    cpumem(g, y_putmap(b, c, "max"), "cpu", &lim->max_cpu, "memory", &lim->max_memory);
    y_putstr(b, c, "type", "Container");
    ynode *pvc = y_addmap(b, limits);
    y_putstr(b, y_putmap(b, pvc, "max"), "storage", lim->max_pvc_storage.text);
    y_putstr(b, pvc, "type", "PersistentVolumeClaim");
    yl_add(g, l, o);
}

/* ---- RBAC ---------------------------------------------------------------------- */

typedef struct rule {
    const char *group;
    const char *resources;  /* space-separated */
    const char *verbs;      /* space-separated */
} rule;

#define READ "get list watch"
#define WRITE "create update patch delete"

/* Namespace-scoped, explicit resources and verbs only: no wildcards, no
 * Secret reads, no RBAC writes, no bind/escalate/impersonate, no exec or
 * port-forward, and no writes to pod-producing workloads: Deployments and
 * Jobs reach the cluster through the delivery pipeline (GitOps), so no
 * person can run a pod of their choosing as another ServiceAccount. The
 * platform owns isolation: NetworkPolicies and quotas are read-only. */
static const rule view_rules[] = {
    { "", "configmaps endpoints events limitranges persistentvolumeclaims pods pods/log "
          "resourcequotas serviceaccounts services", READ },
    { "apps", "deployments replicasets statefulsets", READ },
    { "autoscaling", "horizontalpodautoscalers", READ },
    { "batch", "cronjobs jobs", READ },
    { "discovery.k8s.io", "endpointslices", READ },
    { "gateway.networking.k8s.io", "grpcroutes httproutes", READ },
    { "networking.k8s.io", "ingresses networkpolicies", READ },
    { "policy", "poddisruptionbudgets", READ },
};

/* edit: the configuration around workloads, scaling and restarts */
static const rule edit_rules[] = {
    { "", "configmaps persistentvolumeclaims services", WRITE },
    { "", "secrets", "create update patch delete" },
    { "", "pods", "delete" },
    { "apps", "deployments/scale statefulsets/scale", "update patch" },
    { "autoscaling", "horizontalpodautoscalers", WRITE },
    { "gateway.networking.k8s.io", "grpcroutes httproutes", WRITE },
    { "networking.k8s.io", "ingresses", WRITE },
    { "policy", "poddisruptionbudgets", WRITE },
};

/* admin: also evicts pods (honouring PDBs) and reads the namespace's RBAC */
static const rule admin_rules[] = {
    { "", "pods/eviction", "create" },
    { "rbac.authorization.k8s.io", "rolebindings roles", READ },
};

static void add_words(gctx *g, ynode *seq, const char *words)
{
    const char *p = words;
    while (*p) {
        size_t n = strcspn(p, " ");
        char w[64];
        snprintf(w, sizeof w, "%.*s", (int)n, p);
        y_addstr(&g->yb, seq, w);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static void add_rules(gctx *g, ynode *rules, const rule *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ynode *m = y_addmap(&g->yb, rules);
        ynode *groups = y_putseq(&g->yb, m, "apiGroups");
        y_addstr(&g->yb, groups, r[i].group);
        add_words(g, y_putseq(&g->yb, m, "resources"), r[i].resources);
        add_words(g, y_putseq(&g->yb, m, "verbs"), r[i].verbs);
    }
}

static const char *role_name(ka_access a)
{
    return a == KA_ACCESS_ADMIN ? "team-admin" : a == KA_ACCESS_EDIT ? "team-edit" : "team-view";
}

static void rbac_objs(gctx *g, const ka_spec_env *e, ylist *l)
{
    ybuild *b = &g->yb;
    bool used[3] = { false, false, false };
    for (size_t i = 0; i < e->nteams; i++)
        used[e->teams[i].access] = true;
    for (int a = KA_ACCESS_ADMIN; a <= KA_ACCESS_VIEW; a++) {
        if (!used[a])
            continue;
        ynode *meta, *o = y_object(b, "rbac.authorization.k8s.io/v1", "Role", e->ns,
                                   role_name((ka_access)a), &meta);
        g_labels(g, meta, NULL, "rbac");
        ynode *rules = y_putseq(b, o, "rules");
        add_rules(g, rules, view_rules, sizeof view_rules / sizeof *view_rules);
        if (a != KA_ACCESS_VIEW)
            add_rules(g, rules, edit_rules, sizeof edit_rules / sizeof *edit_rules);
        if (a == KA_ACCESS_ADMIN)
            add_rules(g, rules, admin_rules, sizeof admin_rules / sizeof *admin_rules);
        yl_add(g, l, o);
    }
    for (size_t i = 0; i < e->nteams; i++) {
        const ka_spec_team *t = &e->teams[i];
        ynode *meta, *o = y_object(b, "rbac.authorization.k8s.io/v1", "RoleBinding", e->ns,
                                   y_strf(b, "team-%s", t->name)->s, &meta);
        g_labels(g, meta, NULL, "rbac");
        ynode *ref = y_putmap(b, o, "roleRef");
        y_putstr(b, ref, "apiGroup", "rbac.authorization.k8s.io");
        y_putstr(b, ref, "kind", "Role");
        y_putstr(b, ref, "name", role_name(t->access));
        ynode *sub = y_addmap(b, y_putseq(b, o, "subjects"));
        y_putstr(b, sub, "apiGroup", "rbac.authorization.k8s.io");
        y_putstr(b, sub, "kind", "Group");
        y_putstr(b, sub, "name", t->group);
        yl_add(g, l, o);
    }
}

/* ---- per cluster ------------------------------------------------------------------- */

void ka__gen_namespaces(gctx *g, const ka_spec_cluster *c)
{
    const char *unit = g_cluster_unit(g, c);
    for (size_t i = 0; i < c->nenvs; i++) {
        const ka_spec_env *e = c->envs[i];
        const char *dir = y_strf(&g->yb, "%s/namespaces/%s", unit, e->ns)->s;
        ylist l = { 0 };
        yl_add(g, &l, namespace_obj(g, e));
        g_file(g, unit, y_strf(&g->yb, "%s/namespace.yaml", dir)->s, &l);
        quota_objs(g, e, &l);
        g_file(g, unit, y_strf(&g->yb, "%s/quota.yaml", dir)->s, &l);
        if (e->nteams) {
            rbac_objs(g, e, &l);
            g_file(g, unit, y_strf(&g->yb, "%s/rbac.yaml", dir)->s, &l);
        }
        ka__gen_netpol(g, c, e, dir);
        ka__gen_workloads(g, c, e, dir);
    }
}
