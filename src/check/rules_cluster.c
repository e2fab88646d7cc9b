/*
 * rules_cluster.c - the cluster-level checklist CLU-001..CLU-012.
 *
 * Each item looks at everything in the input and records one scorecard line:
 * pass / partial / fail / not-evidenced, with the objects it rests on. Only
 * evidence in the input counts: a repository that does not contain the
 * monitoring stack is "not evidenced", not "fail" - kubearch cannot know
 * what is installed elsewhere.
 */
#include "rule.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------- */

static ka_objlist kind(const ka_objset *s, const char *k)
{
    return ka_objset_by_kind(s, k);
}

/* Every object of the listed kinds (NULL-terminated) whose group starts with
 * group_prefix ("" for any), appended to v. */
static void collect(const ka_objset *s, ka_objvec *v, const char *group_prefix, ...)
{
    va_list ap;
    va_start(ap, group_prefix);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        ka_objlist l = kind(s, k);
        for (size_t i = 0; i < l.n; i++)
            if (!*group_prefix || ka_str_has_prefix(l.v[i]->group, group_prefix))
                ka_objvec_push(v, l.v[i]);
    }
    va_end(ap);
}

/* Does any container image of o contain one of the names (NULL-terminated)? */
static bool image_is(const ka_object *o, const char *const *names)
{
    if (!o->pod)
        return false;
    for (size_t i = 0; i < o->pod->ncontainers; i++) {
        ka_str img = ka_node_str(ka_get(o->pod->containers[i].node, "image"));
        for (const char *const *n = names; *n; n++)
            if (ka_str_contains(img, *n))
                return true;
    }
    return false;
}

static bool system_ns(ka_str ns)
{
    return ka_str_eqc(ns, "kube-system") || ka_str_eqc(ns, "kube-public") ||
           ka_str_eqc(ns, "kube-node-lease");
}

/* The namespaces holding workloads (first workload of each), in input order. */
static void workload_namespaces(const ka_objset *s, ka_objvec *firsts)
{
    size_t n = ka_objset_count(s);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(s, i);
        if (!o->pod || !o->ns.n || system_ns(o->ns))
            continue;
        ka_objlist l = ka_objset_pods_in(s, o->ns);
        if (l.n && l.v[0] == o)
            ka_objvec_push(firsts, o);
    }
}

static ka_cl_status ratio(size_t good, size_t total)
{
    if (!total)
        return KA_CL_NOT_EVIDENCED;
    return good == total ? KA_CL_PASS : good ? KA_CL_PARTIAL : KA_CL_FAIL;
}

static void done(ka_ctx *ctx, ka_cl_status st, ka_objvec *ev, const char *detail)
{
    ka_scorecard(ctx, st, ev->v, ev->n, "%s", detail);
    free(ev->v);
}

/* ---- CLU-001 HA control plane -------------------------------------------- */

void ka_setrule_clu001(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL };
    char d[256];
    ka_objlist kcp = kind(s, "KubeadmControlPlane");
    ka_objvec managed = { 0, 0, NULL };
    collect(s, &managed, "", "AWSManagedControlPlane", "AzureManagedControlPlane", "GCPManagedControlPlane",
            "ROSAControlPlane", "AzureASOManagedControlPlane", NULL);
    if (kcp.n) {
        ka_cl_status worst = KA_CL_PASS;
        for (size_t i = 0; i < kcp.n; i++) {
            int64_t r = 1;
            const ka_node *rn = ka_path(kcp.v[i]->root, "spec", "replicas", NULL);
            if (rn && !ka_int(rn, &r))
                r = 1;
            ka_objvec_push(&ev, kcp.v[i]);
            ka_cl_status st = r >= 3 && r % 2 == 1 ? KA_CL_PASS : r >= 3 ? KA_CL_PARTIAL : KA_CL_FAIL;
            if (st > worst) {
                worst = st;
                snprintf(d, sizeof d, "KubeadmControlPlane %.*s has %lld replica%s%s",
                         (int)kcp.v[i]->name.n, kcp.v[i]->name.p, (long long)r, r == 1 ? "" : "s",
                         st == KA_CL_PARTIAL ? " (even: etcd quorum tolerates no more failures than one fewer)" : "");
            }
        }
        if (worst == KA_CL_PASS)
            snprintf(d, sizeof d, "%zu KubeadmControlPlane%s with an odd replica count of 3 or more",
                     kcp.n, kcp.n == 1 ? "" : "s");
        free(managed.v);
        done(ctx, worst, &ev, d);
        return;
    }
    if (managed.n) {
        free(ev.v);
        done(ctx, KA_CL_PASS, &managed, "managed control plane: the provider runs it highly available");
        return;
    }
    free(managed.v);
    /* control-plane Node objects by zone */
    ka_objlist nodes = kind(s, "Node");
    size_t ncp = 0, nzones = 0;
    ka_str zones[16];
    for (size_t i = 0; i < nodes.n; i++) {
        const ka_object *n = nodes.v[i];
        ka_str z;
        if (!ka_labels_get(&n->labels, KA_STR("node-role.kubernetes.io/control-plane"), NULL) &&
            !ka_labels_get(&n->labels, KA_STR("node-role.kubernetes.io/master"), NULL))
            continue;
        ncp++;
        ka_objvec_push(&ev, n);
        if (ka_labels_get(&n->labels, KA_STR("topology.kubernetes.io/zone"), &z)) {
            bool seen = false;
            for (size_t j = 0; j < nzones; j++)
                seen = seen || ka_str_eq(zones[j], z);
            if (!seen && nzones < 16)
                zones[nzones++] = z;
        }
    }
    if (!ncp) {
        done(ctx, KA_CL_NOT_EVIDENCED, &ev, "no KubeadmControlPlane, managed control plane or control-plane Node in the input");
        return;
    }
    ka_cl_status st = ncp >= 3 && nzones >= 3 && ncp % 2 == 1 ? KA_CL_PASS : ncp >= 2 ? KA_CL_PARTIAL : KA_CL_FAIL;
    snprintf(d, sizeof d, "%zu control-plane node%s in %zu zone%s", ncp, ncp == 1 ? "" : "s", nzones,
             nzones == 1 ? "" : "s");
    done(ctx, st, &ev, d);
}

/* ---- CLU-002 node autoscaling -------------------------------------------- */

void ka_setrule_clu002(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL }, groups = { 0, 0, NULL };
    char d[256];
    collect(s, &ev, "karpenter", "NodePool", NULL);
    ka_objlist deps = kind(s, "Deployment");
    static const char *const ca[] = { "cluster-autoscaler", NULL };
    for (size_t i = 0; i < deps.n; i++)
        if (image_is(deps.v[i], ca))
            ka_objvec_push(&ev, deps.v[i]);
    collect(s, &groups, "cluster.x-k8s.io", "MachineDeployment", "MachinePool", NULL);
    size_t annotated = 0;
    ka_objvec missing = { 0, 0, NULL };
    for (size_t i = 0; i < groups.n; i++) {
        const ka_object *g = groups.v[i];
        if (ka_labels_get(&g->annotations, KA_STR("cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size"), NULL) &&
            ka_labels_get(&g->annotations, KA_STR("cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size"), NULL)) {
            annotated++;
            ka_objvec_push(&ev, g);
        } else {
            ka_objvec_push(&missing, g);
        }
    }
    /* what is missing comes first: it is where the finding points */
    for (size_t i = 0; i < ev.n; i++)
        ka_objvec_push(&missing, ev.v[i]);
    free(ev.v);
    ev = missing;
    if (!groups.n) {
        bool any = ev.n > 0;
        snprintf(d, sizeof d, any ? "node autoscaler present (Karpenter NodePool or cluster-autoscaler)"
                                  : "no node groups, Karpenter NodePools or cluster-autoscaler in the input");
        free(groups.v);
        done(ctx, any ? KA_CL_PASS : KA_CL_NOT_EVIDENCED, &ev, d);
        return;
    }
    ka_cl_status st = ratio(annotated, groups.n);
    snprintf(d, sizeof d, "%zu of %zu MachineDeployments/MachinePools carry autoscaler min/max annotations",
             annotated, groups.n);
    free(groups.v);
    done(ctx, st, &ev, d);
}

/* ---- CLU-003 PDB coverage ------------------------------------------------ */

void ka_setrule_clu003(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL }, bare = { 0, 0, NULL };
    size_t total = 0, covered = 0;
    const char *kinds[] = { "Deployment", "StatefulSet" };
    for (int k = 0; k < 2; k++) {
        ka_objlist l = kind(s, kinds[k]);
        for (size_t i = 0; i < l.n; i++) {
            const ka_object *o = l.v[i];
            if (!o->pod || o->pod->replicas < 2)
                continue;
            total++;
            ka_objlist p = ka_ctx_selmatch(ctx, KA_IX_PDB, o->ns, &o->pod->labels);
            if (p.n) {
                covered++;
                ka_objvec_push(&ev, p.v[0]);
            } else {
                ka_objvec_push(&bare, o);
            }
        }
    }
    char d[160];
    snprintf(d, sizeof d, "%zu of %zu multi-replica Deployments/StatefulSets covered by a PodDisruptionBudget",
             covered, total);
    ka_cl_status st = ratio(covered, total);
    if (st != KA_CL_PASS) { /* show what is missing first */
        for (size_t i = 0; i < ev.n; i++)
            ka_objvec_push(&bare, ev.v[i]);
        free(ev.v);
        ev = bare;
    } else {
        free(bare.v);
    }
    done(ctx, st, &ev, d);
}

/* ---- CLU-004 requests / limits ------------------------------------------- */

static bool has_res(const ka_node *c, const char *section, const char *res)
{
    const ka_node *v = ka_path(c, "resources", section, res, NULL);
    return v && !ka_is_null(v);
}

void ka_setrule_clu004(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL }, nss = { 0, 0, NULL };
    size_t total = 0, good = 0;
    size_t n = ka_objset_count(s);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(s, i);
        if (!o->pod)
            continue;
        /* what the namespace's LimitRanges set on containers that lack it */
        bool lr_cpu = ka_ctx_limitrange_default(ctx, o->ns, false, "cpu") != NULL;
        bool lr_mem = ka_ctx_limitrange_default(ctx, o->ns, false, "memory") != NULL;
        bool lr_memlim = ka_ctx_limitrange_default(ctx, o->ns, true, "memory") != NULL;
        bool all = true;
        for (size_t c = 0; c < o->pod->ncontainers; c++) {
            const ka_node *cn = o->pod->containers[c].node;
            if (o->pod->containers[c].type == KA_CT_EPHEMERAL)
                continue;
            total++;
            bool ok = (lr_cpu || has_res(cn, "requests", "cpu") || has_res(cn, "limits", "cpu")) &&
                      (lr_mem || has_res(cn, "requests", "memory") || has_res(cn, "limits", "memory")) &&
                      (lr_memlim || has_res(cn, "limits", "memory"));
            good += ok;
            all = all && ok;
        }
        if (!all && ev.n < 20)
            ka_objvec_push(&ev, o);
    }
    workload_namespaces(s, &nss);
    size_t quotas = 0;
    for (size_t i = 0; i < nss.n; i++)
        quotas += ka_objset_ns_has_kind(s, nss.v[i]->ns, "ResourceQuota");
    char d[200];
    snprintf(d, sizeof d, "%zu of %zu containers with CPU/memory requests and a memory limit; %zu of %zu namespaces with a ResourceQuota",
             good, total, quotas, nss.n);
    ka_cl_status st = ratio(good, total);
    if (st == KA_CL_PASS && quotas < nss.n)
        st = KA_CL_PARTIAL;
    free(nss.v);
    done(ctx, st, &ev, d);
}

/* ---- CLU-005 network policies --------------------------------------------- */

/* policyTypes as the API server defaults them: Ingress always, Egress when
 * the policy has egress rules. */
static void policy_types(const ka_object *p, bool *in, bool *eg)
{
    const ka_node *spec = ka_get(p->root, "spec");
    const ka_node *pt = ka_get(spec, "policyTypes");
    *in = *eg = false;
    if (ka_is_seq(pt) && ka_node_n(pt)) {
        for (uint32_t i = 0; i < ka_node_n(pt); i++) {
            ka_str t = ka_node_str(KA_SEQ_ITEM(pt, i));
            *in = *in || ka_str_eqc(t, "Ingress");
            *eg = *eg || ka_str_eqc(t, "Egress");
        }
        return;
    }
    *in = true;
    *eg = ka_get(spec, "egress") != NULL;
}

/* A policy that selects every pod and allows nothing in a direction. */
static void default_deny(const ka_object *p, bool *din, bool *deg)
{
    const ka_node *spec = ka_get(p->root, "spec");
    const ka_node *ps = ka_get(spec, "podSelector");
    *din = *deg = false;
    if (ps && !ka_is_null(ps) && !(ka_is_map(ps) && ka_node_n(ps) == 0))
        return;
    bool in, eg;
    policy_types(p, &in, &eg);
    const ka_node *ir = ka_get(spec, "ingress"), *er = ka_get(spec, "egress");
    *din = in && (!ir || ka_is_null(ir) || (ka_is_seq(ir) && ka_node_n(ir) == 0));
    *deg = eg && (!er || ka_is_null(er) || (ka_is_seq(er) && ka_node_n(er) == 0));
}

void ka_setrule_clu005(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL }, nss = { 0, 0, NULL }, lacking = { 0, 0, NULL };
    workload_namespaces(s, &nss);
    size_t both = 0, one = 0;
    for (size_t i = 0; i < nss.n; i++) {
        bool din = false, deg = false;
        ka_objlist l = ka_objset_in_namespace(s, nss.v[i]->ns);
        const ka_object *pol = NULL;
        for (size_t j = 0; j < l.n; j++) {
            if (!ka_str_eqc(l.v[j]->kind, "NetworkPolicy"))
                continue;
            bool a, b;
            default_deny(l.v[j], &a, &b);
            if (a || b)
                pol = l.v[j];
            din = din || a;
            deg = deg || b;
        }
        if (din && deg)
            both++;
        else if (din || deg)
            one++;
        if (!(din && deg))
            ka_objvec_push(&lacking, nss.v[i]); /* the namespace's first workload */
        if (pol)
            ka_objvec_push(&ev, pol);
    }
    for (size_t i = 0; i < ev.n; i++)
        ka_objvec_push(&lacking, ev.v[i]);
    free(ev.v);
    ev = lacking;
    char d[160];
    snprintf(d, sizeof d, "%zu of %zu namespaces with workloads deny ingress and egress by default (%zu one direction only)",
             both, nss.n, one);
    ka_cl_status st = ratio(both, nss.n);
    if (st == KA_CL_FAIL && one)
        st = KA_CL_PARTIAL;
    free(nss.v);
    done(ctx, st, &ev, d);
}

/* ---- CLU-006 TLS ------------------------------------------------------------ */

static bool ingress_has_tls(const ka_object *o)
{
    const ka_node *tls = ka_path(o->spec, "tls", NULL);
    return ka_is_seq(tls) && ka_node_n(tls) > 0;
}

static bool gateway_has_tls(const ka_object *o)
{
    const ka_node *ls = ka_path(o->spec, "listeners", NULL);
    for (uint32_t i = 0; ka_is_seq(ls) && i < ka_node_n(ls); i++) {
        ka_str p = ka_node_str(ka_get(KA_SEQ_ITEM(ls, i), "protocol"));
        if (ka_str_eqc(p, "HTTPS") || ka_str_eqc(p, "TLS"))
            return true;
    }
    return false;
}

void ka_setrule_clu006(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL }, without = { 0, 0, NULL };
    size_t total = 0, good = 0;
    ka_objlist l = kind(s, "Ingress");
    for (size_t i = 0; i < l.n; i++, total++) {
        bool ok = ingress_has_tls(l.v[i]);
        good += ok;
        ka_objvec_push(ok ? &ev : &without, l.v[i]);
    }
    l = kind(s, "Gateway");
    for (size_t i = 0; i < l.n; i++, total++) {
        bool ok = gateway_has_tls(l.v[i]);
        good += ok;
        ka_objvec_push(ok ? &ev : &without, l.v[i]);
    }
    char d[128];
    snprintf(d, sizeof d, "%zu of %zu Ingresses/Gateways terminate TLS", good, total);
    ka_cl_status st = ratio(good, total);
    if (st != KA_CL_PASS && without.n) {
        for (size_t i = 0; i < ev.n; i++)
            ka_objvec_push(&without, ev.v[i]);
        free(ev.v);
        ev = without;
    } else {
        free(without.v);
    }
    done(ctx, st, &ev, d);
}

/* ---- CLU-007 RBAC ------------------------------------------------------------ */

static bool wildcard_rule(const ka_object *role)
{
    const ka_node *rules = ka_get(role->root, "rules");
    for (uint32_t i = 0; ka_is_seq(rules) && i < ka_node_n(rules); i++) {
        const ka_node *r = KA_SEQ_ITEM(rules, i);
        bool vstar = false, rstar = false;
        const ka_node *v = ka_get(r, "verbs"), *res = ka_get(r, "resources");
        for (uint32_t j = 0; ka_is_seq(v) && j < ka_node_n(v); j++)
            vstar = vstar || ka_str_eqc(ka_node_str(KA_SEQ_ITEM(v, j)), "*");
        for (uint32_t j = 0; ka_is_seq(res) && j < ka_node_n(res); j++)
            rstar = rstar || ka_str_eqc(ka_node_str(KA_SEQ_ITEM(res, j)), "*");
        if (vstar && rstar)
            return true;
    }
    return false;
}

void ka_setrule_clu007(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec admin = { 0, 0, NULL }, wild = { 0, 0, NULL };
    ka_objlist crb = kind(s, "ClusterRoleBinding");
    size_t rbac = crb.n + kind(s, "RoleBinding").n + kind(s, "Role").n + kind(s, "ClusterRole").n;
    for (size_t i = 0; i < crb.n; i++) {
        const ka_object *b = crb.v[i];
        if (!ka_str_eqc(ka_node_str(ka_path(b->root, "roleRef", "name", NULL)), "cluster-admin"))
            continue;
        const ka_node *subs = ka_get(b->root, "subjects");
        for (uint32_t j = 0; ka_is_seq(subs) && j < ka_node_n(subs); j++) {
            ka_str name = ka_node_str(ka_get(KA_SEQ_ITEM(subs, j), "name"));
            if (!ka_str_has_prefix(name, "system:")) {
                ka_objvec_push(&admin, b);
                break;
            }
        }
    }
    const char *rk[] = { "Role", "ClusterRole" };
    for (int k = 0; k < 2; k++) {
        ka_objlist l = kind(s, rk[k]);
        for (size_t i = 0; i < l.n; i++)
            if (!ka_str_has_prefix(l.v[i]->name, "system:") && !ka_str_eqc(l.v[i]->name, "cluster-admin") &&
                wildcard_rule(l.v[i]))
                ka_objvec_push(&wild, l.v[i]);
    }
    char d[200];
    ka_cl_status st;
    ka_objvec ev;
    if (admin.n) {
        st = KA_CL_FAIL;
        snprintf(d, sizeof d, "%zu ClusterRoleBinding%s cluster-admin to non-system subjects", admin.n,
                 admin.n == 1 ? " grants" : "s grant");
        ev = admin;
        free(wild.v);
    } else if (wild.n) {
        st = KA_CL_PARTIAL;
        snprintf(d, sizeof d, "%zu role%s * verbs on * resources", wild.n, wild.n == 1 ? " grants" : "s grant");
        ev = wild;
        free(admin.v);
    } else {
        st = rbac ? KA_CL_PASS : KA_CL_NOT_EVIDENCED;
        snprintf(d, sizeof d, rbac ? "%zu RBAC objects, no cluster-admin grants or wildcard roles"
                                   : "no RBAC object in the input", rbac);
        ev = (ka_objvec){ 0, 0, NULL };
        free(admin.v);
        free(wild.v);
    }
    done(ctx, st, &ev, d);
}

/* ---- CLU-008 monitoring --------------------------------------------------- */

void ka_setrule_clu008(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec collect_ev = { 0, 0, NULL }, alert_ev = { 0, 0, NULL };
    collect(s, &collect_ev, "monitoring.coreos.com", "Prometheus", "ServiceMonitor", "PodMonitor", "PrometheusAgent", NULL);
    collect(s, &collect_ev, "operator.victoriametrics.com", "VMAgent", "VMServiceScrape", "VMPodScrape", NULL);
    collect(s, &alert_ev, "monitoring.coreos.com", "PrometheusRule", "Alertmanager", "AlertmanagerConfig", NULL);
    collect(s, &alert_ev, "operator.victoriametrics.com", "VMRule", "VMAlert", NULL);
    static const char *const agents[] = { "prometheus", "grafana/alloy", "grafana/agent", "datadog/agent",
                                          "opentelemetry-collector", "victoria-metrics", NULL };
    static const char *const alerting[] = { "alertmanager", NULL };
    const char *wk[] = { "Deployment", "StatefulSet", "DaemonSet" };
    for (int k = 0; k < 3; k++) {
        ka_objlist l = kind(s, wk[k]);
        for (size_t i = 0; i < l.n; i++) {
            if (image_is(l.v[i], alerting))
                ka_objvec_push(&alert_ev, l.v[i]);
            else if (image_is(l.v[i], agents))
                ka_objvec_push(&collect_ev, l.v[i]);
        }
    }
    ka_cl_status st = collect_ev.n && alert_ev.n ? KA_CL_PASS
                      : collect_ev.n || alert_ev.n ? KA_CL_PARTIAL
                                                   : KA_CL_NOT_EVIDENCED;
    char d[160];
    snprintf(d, sizeof d, "%zu metrics collection object%s, %zu alerting object%s", collect_ev.n,
             collect_ev.n == 1 ? "" : "s", alert_ev.n, alert_ev.n == 1 ? "" : "s");
    for (size_t i = 0; i < alert_ev.n; i++)
        ka_objvec_push(&collect_ev, alert_ev.v[i]);
    free(alert_ev.v);
    done(ctx, st, &collect_ev, d);
}

/* ---- CLU-009 logging and audit --------------------------------------------- */

static bool node_mentions(const ka_node *n, const char *needle, int depth)
{
    if (!n || depth > 12)
        return false;
    if (ka_is_scalar(n))
        return ka_str_contains(ka_node_str(n), needle);
    uint32_t cnt = ka_is_map(n) ? 2 * ka_node_n(n) : ka_node_n(n);
    for (uint32_t i = 0; i < cnt; i++)
        if (node_mentions(&n->u.kids[i], needle, depth + 1))
            return true;
    return false;
}

void ka_setrule_clu009(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec audit = { 0, 0, NULL }, logs = { 0, 0, NULL };
    ka_objlist pol = kind(s, "Policy");
    for (size_t i = 0; i < pol.n; i++)
        if (ka_str_has_prefix(pol.v[i]->api_version, "audit.k8s.io"))
            ka_objvec_push(&audit, pol.v[i]);
    ka_objlist kcp = kind(s, "KubeadmControlPlane");
    for (size_t i = 0; i < kcp.n; i++)
        if (node_mentions(kcp.v[i]->root, "audit-policy-file", 0) || node_mentions(kcp.v[i]->root, "audit-log-path", 0))
            ka_objvec_push(&audit, kcp.v[i]);
    /* EKS: the control plane's audit log goes to CloudWatch when Cluster API
     * Provider AWS enables it (AWSManagedControlPlane.spec.logging.audit) */
    ka_objlist eks = kind(s, "AWSManagedControlPlane");
    for (size_t i = 0; i < eks.n; i++)
        if (ka_bool(ka_path(eks.v[i]->root, "spec", "logging", "audit", NULL)) == 1)
            ka_objvec_push(&audit, eks.v[i]);
    ka_objlist pods = kind(s, "Pod");
    for (size_t i = 0; i < pods.n; i++)
        if (ka_str_has_prefix(pods.v[i]->name, "kube-apiserver") && node_mentions(pods.v[i]->root, "--audit-policy-file", 0))
            ka_objvec_push(&audit, pods.v[i]);
    static const char *const collectors[] = { "fluent-bit", "fluent/fluentd", "fluentd", "timberio/vector",
                                              "/vector:", "promtail", "grafana/alloy", "filebeat",
                                              "opentelemetry-collector", NULL };
    ka_objlist ds = kind(s, "DaemonSet");
    for (size_t i = 0; i < ds.n; i++)
        if (image_is(ds.v[i], collectors))
            ka_objvec_push(&logs, ds.v[i]);
    ka_cl_status st = audit.n && logs.n ? KA_CL_PASS : audit.n || logs.n ? KA_CL_PARTIAL : KA_CL_NOT_EVIDENCED;
    char d[160];
    snprintf(d, sizeof d, "audit policy: %s; log collector DaemonSet: %s", audit.n ? "yes" : "not found",
             logs.n ? "yes" : "not found");
    for (size_t i = 0; i < logs.n; i++)
        ka_objvec_push(&audit, logs.v[i]);
    free(logs.v);
    done(ctx, st, &audit, d);
}

/* ---- CLU-010 backup and DR -------------------------------------------------- */

void ka_setrule_clu010(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL };
    size_t sched = 0, bsl = 0, snap = 0, etcd = 0;
    ka_objlist l = kind(s, "Schedule");
    for (size_t i = 0; i < l.n; i++)
        if (ka_str_eqc(l.v[i]->group, "velero.io")) {
            sched++;
            ka_objvec_push(&ev, l.v[i]);
        }
    l = kind(s, "BackupStorageLocation");
    for (size_t i = 0; i < l.n; i++, bsl++)
        ka_objvec_push(&ev, l.v[i]);
    l = kind(s, "VolumeSnapshotClass");
    for (size_t i = 0; i < l.n; i++, snap++)
        ka_objvec_push(&ev, l.v[i]);
    static const char *const etcdimg[] = { "etcd", NULL };
    l = kind(s, "CronJob");
    for (size_t i = 0; i < l.n; i++)
        if (image_is(l.v[i], etcdimg) || node_mentions(ka_get(l.v[i]->root, "spec"), "etcdctl", 0)) {
            etcd++;
            ka_objvec_push(&ev, l.v[i]);
        }
    bool storage = kind(s, "PersistentVolumeClaim").n || kind(s, "StorageClass").n ||
                   kind(s, "StatefulSet").n;
    bool backups = (sched && bsl) || etcd;
    ka_cl_status st;
    if (!sched && !bsl && !snap && !etcd)
        st = KA_CL_NOT_EVIDENCED;
    else if (backups && (snap || !storage))
        st = KA_CL_PASS;
    else
        st = KA_CL_PARTIAL;
    char d[200];
    snprintf(d, sizeof d, "%zu Velero Schedule, %zu BackupStorageLocation, %zu VolumeSnapshotClass, %zu etcd backup CronJob",
             sched, bsl, snap, etcd);
    done(ctx, st, &ev, d);
}

/* ---- CLU-011 upgrade strategy ---------------------------------------------- */

static bool pdb_allows_eviction(const ka_object *p)
{
    const ka_node *spec = ka_get(p->root, "spec");
    ka_str mu = ka_node_str(ka_get(spec, "maxUnavailable")), ma = ka_node_str(ka_get(spec, "minAvailable"));
    if (ka_str_eqc(mu, "0") || ka_str_eqc(mu, "0%"))
        return false;
    if (ka_str_eqc(ma, "100%"))
        return false;
    return true;
}

void ka_setrule_clu011(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec bad = { 0, 0, NULL };
    size_t total = 0, good = 0;
    ka_objlist l = kind(s, "Deployment");
    for (size_t i = 0; i < l.n; i++, total++) {
        bool ok = !ka_str_eqc(ka_node_str(ka_path(l.v[i]->root, "spec", "strategy", "type", NULL)), "Recreate") ||
                  (l.v[i]->pod && l.v[i]->pod->replicas < 2);
        good += ok;
        if (!ok)
            ka_objvec_push(&bad, l.v[i]);
    }
    const char *sk[] = { "StatefulSet", "DaemonSet" };
    for (int k = 0; k < 2; k++) {
        l = kind(s, sk[k]);
        for (size_t i = 0; i < l.n; i++, total++) {
            bool ok = !ka_str_eqc(ka_node_str(ka_path(l.v[i]->root, "spec", "updateStrategy", "type", NULL)),
                                  "OnDelete");
            good += ok;
            if (!ok)
                ka_objvec_push(&bad, l.v[i]);
        }
    }
    l = kind(s, "PodDisruptionBudget");
    for (size_t i = 0; i < l.n; i++, total++) {
        bool ok = pdb_allows_eviction(l.v[i]);
        good += ok;
        if (!ok)
            ka_objvec_push(&bad, l.v[i]);
    }
    l = kind(s, "KubeadmControlPlane");
    for (size_t i = 0; i < l.n; i++, total++) {
        int64_t surge = 1;
        const ka_node *sn = ka_path(l.v[i]->root, "spec", "rolloutStrategy", "rollingUpdate", "maxSurge", NULL);
        if (sn)
            ka_int(sn, &surge);
        bool ok = surge >= 1;
        good += ok;
        if (!ok)
            ka_objvec_push(&bad, l.v[i]);
    }
    char d[160];
    snprintf(d, sizeof d, "%zu of %zu workloads, PDBs and control planes allow rolling upgrades", good, total);
    done(ctx, ratio(good, total), &bad, d);
}

/* ---- CLU-012 policy enforcement --------------------------------------------- */

void ka_setrule_clu012(ka_ctx *ctx, const ka_objset *s)
{
    ka_objvec ev = { 0, 0, NULL }, unlabelled = { 0, 0, NULL };
    ka_objlist nss = kind(s, "Namespace");
    size_t labelled = 0;
    for (size_t i = 0; i < nss.n; i++) {
        if (ka_labels_get(&nss.v[i]->labels, KA_STR("pod-security.kubernetes.io/enforce"), NULL))
            labelled++;
        else
            ka_objvec_push(&unlabelled, nss.v[i]);
    }
    collect(s, &ev, "kyverno.io", "ClusterPolicy", "Policy", NULL);
    collect(s, &ev, "templates.gatekeeper.sh", "ConstraintTemplate", NULL);
    collect(s, &ev, "admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", NULL);
    bool engine = ev.n > 0;
    ka_cl_status st;
    if (!nss.n && !engine)
        st = KA_CL_NOT_EVIDENCED;
    else if (labelled == nss.n && engine)
        st = KA_CL_PASS;
    else if (labelled || engine)
        st = KA_CL_PARTIAL;
    else
        st = KA_CL_FAIL;
    char d[200];
    snprintf(d, sizeof d, "%zu of %zu Namespaces with a Pod Security enforce label; admission policy engine: %s",
             labelled, nss.n, engine ? "yes" : "not found");
    for (size_t i = 0; i < ev.n; i++)
        ka_objvec_push(&unlabelled, ev.v[i]);
    free(ev.v);
    done(ctx, st, &unlabelled, d);
}
