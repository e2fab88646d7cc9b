/*
 * test_sched_sim.c - the simulation around the plugins: workload expansion,
 * queue order, preemption, scheduler configurations, failure scenarios.
 *
 * Facts restated from kubernetes/kubernetes: queuesort (priority, then
 * arrival), DefaultPreemption (lower-priority victims only, reprieve as many
 * as possible, candidates ranked by PDB violations, highest victim priority,
 * priority sum, count; "No preemption victims found for incoming pod",
 * "Preemption is not helpful for scheduling"), the v1 KubeSchedulerConfiguration
 * defaults (multiPoint plugins, mergePluginSet, score weights), and the
 * DaemonSet controller (one pod per eligible node, pinned by node name).
 */
#include "test_sched_harness.h"

#define ALLOC(cpu) "cpu: \"" cpu "\", memory: 16Gi, pods: \"110\""

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_queue_priority(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("1"), "")
        "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: low, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 600m}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: high, namespace: default}\nspec:\n"
        "  priorityClassName: high\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 600m}}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    /* high comes later in the input but is scheduled first */
    assert_string_equal(th_where(s, "high"), "n1");
    assert_string_equal(th_where(s, "low"), "");
    assert_string_equal(th_msg(s, "low"), "0/1 nodes are available: 1 Insufficient cpu.");
    th_free(&x);
}

static const char preempt_input[] =
    NODE("n1", "a", "", ALLOC("2"), "")
    NODE("n2", "b", "", ALLOC("2"), "")
    "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n"
    "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: mid}\nvalue: 100\n"
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: batch, namespace: default}\nspec:\n"
    "  replicas: 2\n  selector: {matchLabels: {app: batch}}\n  template:\n"
    "    metadata: {labels: {app: batch}}\n    spec:\n"
    "      containers:\n      - {name: c, image: x, resources: {requests: {cpu: 1500m}}}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: mid, namespace: default}\nspec:\n"
    "  priorityClassName: mid\n  nodeName: n2\n"
    "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 100m}}}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: vip, namespace: default}\nspec:\n"
    "  priorityClassName: high\n"
    "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 1500m}}}\n";

static void test_preemption_report(void **state)
{
    (void)state;
    th x;
    ks_sim *s = th_run(&x, preempt_input);
    /* vip (priority 1000) goes first and takes n1; the batch pods then
     * share what is left: batch-0 fits n2, batch-1 nowhere */
    assert_string_equal(th_where(s, "vip"), "n1");
    const ks_podres *r = &s->res[th_pod(s, "batch-1")];
    assert_int_equal(r->outcome, KS_OUT_UNSCHEDULABLE);
    /* batch has priority 0: nothing below it to evict */
    assert_non_null(r->preempt_msg);
    assert_string_equal(r->preempt_msg, "preemption: 0/2 nodes are available: 2 No preemption "
                                        "victims found for incoming pod.");
    th_free(&x);
}

static void test_preemption_victims(void **state)
{
    (void)state;
    /* the batch pods are bound first (existing load), vip needs room */
    const char *y =
        NODE("n1", "a", "", ALLOC("2"), "")
        NODE("n2", "b", "", ALLOC("2"), "")
        "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n"
        "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: mid}\nvalue: 100\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b1, namespace: default, labels: {app: b},\n"
        "  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, controller: true, uid: u}]}\n"
        "spec:\n  nodeName: n1\n  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 1500m}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: m1, namespace: default}\nspec:\n"
        "  priorityClassName: mid\n  nodeName: n2\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 1500m}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: vip, namespace: default}\nspec:\n"
        "  priorityClassName: high\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 1500m}}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    const ks_podres *r = &s->res[th_pod(s, "vip")];
    assert_int_equal(r->outcome, KS_OUT_UNSCHEDULABLE);
    assert_non_null(r->victims);
    /* both nodes need one victim; n1's has the lower priority (0 < 100) */
    assert_int_equal(r->victims->node, th_node(s, "n1"));
    assert_int_equal(r->victims->n, 1);
    assert_int_equal(r->victims->pods[0], th_pod(s, "b1"));
    th_free(&x);

    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.preempt = true;
    s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    assert_string_equal(th_where(s, "vip"), "n1");
    assert_true(s->res[th_pod(s, "b1")].preempted);
    assert_int_equal(s->npreempted, 1);
    th_free(&x);
}

static void test_preempt_never(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("1"), "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: default}\nspec:\n  nodeName: n1\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 800m}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n"
        "  priority: 5\n  preemptionPolicy: Never\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: 800m}}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(s->res[th_pod(s, "p")].preempt_msg,
                        "preemption: not eligible due to preemptionPolicy=Never.");
    th_free(&x);
}

static void test_expansion(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("8"), "")
        NODE("n2", "b", "", ALLOC("8"), "spec:\n  taints: [{key: gpu, effect: NoSchedule}]\n")
        NODE("n3", "c", "", ALLOC("8"), "spec:\n  unschedulable: true\n")
        "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n"
        "  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
        "    spec:\n      containers:\n      - {name: c, image: x}\n"
        "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\nspec:\n"
        "  replicas: 3\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n"
        "    metadata: {labels: {app: db}}\n    spec:\n      containers:\n      - {name: c, image: x}\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: c, image: x}\n"
        /* one web pod already runs: only two more are made */
        "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-abc, namespace: shop,\n"
        "  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u}]}\n"
        "spec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: c, image: x}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-abc-1, namespace: shop, labels: {app: web},\n"
        "  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, controller: true, uid: v}]}\n"
        "spec:\n  nodeName: n1\n  containers:\n  - {name: c, image: x}\n"
        "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: ops}\nspec:\n"
        "  schedule: \"0 1 * * *\"\n  jobTemplate:\n    spec:\n      parallelism: 2\n      template:\n"
        "        spec:\n          restartPolicy: Never\n          containers:\n          - {name: c, image: x}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    /* DaemonSet: n1 and the unschedulable n3 (daemon pods tolerate it), not
     * the tainted n2 */
    assert_string_equal(th_where(s, "agent-n1"), "n1");
    assert_string_equal(th_where(s, "agent-n3"), "n3");
    uint32_t n_agent = 0, n_web = 0, n_db = 0, n_job = 0;
    for (uint32_t p = 0; p < s->npods; p++) {
        ka_str w = s->wls[s->pods[p].wl].name;
        n_agent += ka_str_eqc(w, "agent");
        n_web += ka_str_eqc(w, "web");
        n_db += ka_str_eqc(w, "db");
        n_job += ka_str_eqc(w, "nightly");
    }
    assert_int_equal(n_agent, 2);
    assert_int_equal(n_web, 3);
    assert_int_equal(n_db, 3);
    assert_int_equal(n_job, 2);
    /* StatefulSet pods carry their name label */
    const ks_lset *ls = &s->ls[s->pods[th_pod(s, "db-1")].ls];
    ka_str v;
    assert_true(ka_labels_get(&ls->l, KA_STR("statefulset.kubernetes.io/pod-name"), &v));
    assert_true(ka_str_eqc(v, "db-1"));
    /* Deployment pods carry a pod-template-hash */
    ls = &s->ls[s->pods[th_pod(s, "web-0")].ls];
    assert_true(ka_labels_get(&ls->l, KA_STR("pod-template-hash"), &v));
    th_free(&x);
}

static void test_config_plugins(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("4"), "spec:\n  taints: [{key: k, effect: NoSchedule}]\n")
        NODE("n2", "b", "", ALLOC("4"), "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: \"1\"}}}\n";
    write_file("/tmp/ka_sched_cfg1.yaml",
               "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
               "profiles:\n- schedulerName: default-scheduler\n  plugins:\n"
               "    multiPoint:\n      disabled: [{name: TaintToleration}]\n"
               "    score:\n      disabled: [{name: \"*\"}]\n"
               "      enabled: [{name: NodeResourcesFit, weight: 5}]\n");
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.explain_all = true;
    o.scheduler_config = "/tmp/ka_sched_cfg1.yaml";
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    /* the taint no longer filters */
    assert_string_equal(th_reasons(s, "p", "n1"), "");
    assert_int_equal(s->prof.nscores, 1);
    assert_int_equal(s->prof.scores[0], KS_P_FIT);
    assert_int_equal(s->prof.weight[KS_P_FIT], 5);
    /* cpu (4000-1000)*100/4000 = 75, memory (16Gi-200Mi) -> 98: 86 x 5 */
    assert_int_equal(th_x(s, "p", "n1")->score, 430);
    th_free(&x);

    /* a filter point "*" disable keeps only what that point names */
    write_file("/tmp/ka_sched_cfg2.yaml",
               "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
               "profiles:\n- plugins:\n    filter:\n      disabled: [{name: \"*\"}]\n"
               "      enabled: [{name: NodeResourcesFit}]\n"
               "    score:\n      enabled: [{name: TaintToleration, weight: 7}]\n");
    o.scheduler_config = "/tmp/ka_sched_cfg2.yaml";
    s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    assert_int_equal(s->prof.nfilters, 1);
    assert_int_equal(s->prof.filters[0], KS_P_FIT);
    /* the score point names TaintToleration explicitly: it comes first with
     * its weight, the other multiPoint score plugins follow with theirs */
    assert_int_equal(s->prof.scores[0], KS_P_TAINT);
    assert_int_equal(s->prof.weight[KS_P_TAINT], 7);
    assert_int_equal(s->prof.weight[KS_P_SPREAD], 2);
    th_free(&x);
    remove("/tmp/ka_sched_cfg1.yaml");
    remove("/tmp/ka_sched_cfg2.yaml");
}

static void test_config_errors(void **state)
{
    (void)state;
    const char *y = NODE("n1", "a", "", ALLOC("4"), "");
    write_file("/tmp/ka_sched_cfg3.yaml",
               "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
               "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n"
               "      scoringStrategy: {type: Fastest}\n");
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.scheduler_config = "/tmp/ka_sched_cfg3.yaml";
    th x;
    assert_null(th_run_opts(&x, y, &o));
    assert_true(x.d.errors > 0);
    th_free(&x);
    remove("/tmp/ka_sched_cfg3.yaml");
}

static const char zone_input[] =
    NODE("a1", "a", ", node-role.kubernetes.io/control-plane: \"\"", ALLOC("4"),
         "spec:\n  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]\n")
    NODE("b1", "b", ", node-role.kubernetes.io/control-plane: \"\"", ALLOC("4"),
         "spec:\n  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]\n")
    NODE("c1", "c", ", node-role.kubernetes.io/control-plane: \"\"", ALLOC("4"),
         "spec:\n  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]\n")
    NODE("a2", "a", "", ALLOC("4"), "")
    NODE("b2", "b", "", ALLOC("4"), "")
    NODE("c2", "c", "", ALLOC("4"), "")
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n"
    "  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n"
    "    metadata: {labels: {app: web}}\n    spec:\n"
    "      topologySpreadConstraints:\n      - maxSkew: 1\n        topologyKey: topology.kubernetes.io/zone\n"
    "        whenUnsatisfiable: DoNotSchedule\n        labelSelector: {matchLabels: {app: web}}\n"
    "      containers:\n      - {name: c, image: x, resources: {requests: {cpu: \"3\"}}}\n"
    "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  minAvailable: 3\n  selector: {matchLabels: {app: web}}\n"
    "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n"
    "  replicas: 3\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n"
    "    metadata: {labels: {app: db}}\n    spec:\n"
    "      containers:\n      - {name: c, image: x, resources: {requests: {cpu: 500m}}}\n"
    "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
    "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";

static void test_zone_loss(void **state)
{
    (void)state;
    ka_sim_fail f = { KA_FAIL_ZONE, "a" };
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.fail = &f;
    o.nfail = 1;
    th x;
    ks_sim *s = th_run_opts(&x, zone_input, &o);
    assert_non_null(s);
    assert_int_equal(s->nscen, 1);
    const ks_scenario *c = &s->scen[0];
    assert_string_equal(c->name, "zone=a");
    assert_int_equal(c->nlost_nodes, 2);
    /* web-? on a2 and db-? on a2 were displaced; web does not fit 3 cpu
     * next to its sibling, db's volume stays in zone a */
    assert_int_equal(c->ndisplaced, 2);
    assert_int_equal(c->nrescheduled, 0);
    bool pdb = false, quorum = false;
    for (uint32_t i = 0; i < c->nbreaches; i++) {
        pdb |= c->breaches[i].kind == 0;
        quorum |= c->breaches[i].kind == 1;
    }
    assert_true(pdb);       /* 2 of 3, minAvailable 3 */
    assert_false(quorum);   /* 2 of 3 db pods: still a majority */
    assert_true(c->broken);
    assert_true(c->cp_quorum); /* 2 of 3 control-plane nodes */
    for (uint32_t i = 0; i < c->npods; i++) {
        const char *m = c->pods[i].message;
        assert_non_null(m);
        if (ka_str_eqc(s->wls[s->pods[c->pods[i].pod].wl].name, "db"))
            assert_non_null(strstr(m, "node(s) had volume node affinity conflict"));
    }
    assert_true(ka_sim_broken(x.sim));
    th_free(&x);
}

static void test_each_zone_and_control_plane(void **state)
{
    (void)state;
    ka_sim_fail f[2] = { { KA_FAIL_EACH_ZONE, NULL }, { KA_FAIL_NODE, "b1" } };
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.fail = f;
    o.nfail = 2;
    /* b1 alone: no pod ran there, control plane keeps 2 of 3 */
    th x;
    ks_sim *s = th_run_opts(&x, zone_input, &o);
    assert_non_null(s);
    assert_int_equal(s->nscen, 4);
    assert_string_equal(s->scen[0].name, "node=b1");
    assert_int_equal(s->scen[0].ndisplaced, 0);
    assert_false(s->scen[0].broken);
    assert_string_equal(s->scen[1].name, "zone=a");
    assert_string_equal(s->scen[3].name, "zone=c");
    th_free(&x);

    ka_sim_fail g[2] = { { KA_FAIL_NODE, "a1" }, { KA_FAIL_NODE, "b1" } };
    o.fail = g;
    s = th_run_opts(&x, zone_input, &o);
    assert_non_null(s);
    assert_false(s->scen[0].cp_quorum);
    assert_true(s->scen[0].broken);
    th_free(&x);

    ka_sim_fail h = { KA_FAIL_ZONE, "nowhere" };
    o.fail = &h;
    o.nfail = 1;
    assert_null(th_run_opts(&x, zone_input, &o));
    th_free(&x);
}

/* A daemon pod that does not fit its node: the other nodes are left out by
 * NodeAffinity's PreFilter (metadata.name), as upstream reports it. */
static void test_daemon_message(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", "cpu: \"1\", memory: 1Gi, pods: \"110\"", "")
        NODE("n2", "b", "", ALLOC("8"), "")
        NODE("n3", "c", "", ALLOC("8"), "")
        "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n"
        "  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
        "    spec:\n      containers:\n      - {name: c, image: x, resources: {requests: {cpu: \"2\"}}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_msg(s, "agent-n1"), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) "
                                               "didn't satisfy plugin(s) [NodeAffinity].");
    assert_string_equal(th_where(s, "agent-n2"), "n2");
    th_free(&x);
}

static void test_gates_and_other_scheduler(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("8"), "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: gated, namespace: default}\nspec:\n"
        "  schedulingGates: [{name: example.com/wait}]\n  containers:\n  - {name: c, image: x}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: other, namespace: default}\nspec:\n"
        "  schedulerName: volcano\n  containers:\n  - {name: c, image: x}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    assert_int_equal(s->res[th_pod(s, "gated")].outcome, KS_OUT_SKIPPED);
    assert_string_equal(th_msg(s, "other"), "left to scheduler \"volcano\" (spec.schedulerName)");
    assert_int_equal(s->nskipped, 2);
    th_free(&x);
}

/* addedAffinity (NodeAffinityArgs): enforced on every pod, with its own reason. */
static void test_added_affinity(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", ", tier: batch", ALLOC("8"), "")
        NODE("n2", "b", "", ALLOC("8"), "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: x}\n";
    write_file("/tmp/ka_sched_cfg4.yaml",
               "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
               "profiles:\n- pluginConfig:\n  - name: NodeAffinity\n    args:\n      addedAffinity:\n"
               "        requiredDuringSchedulingIgnoredDuringExecution:\n          nodeSelectorTerms:\n"
               "          - matchExpressions: [{key: tier, operator: In, values: [batch]}]\n");
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.explain_all = true;
    o.scheduler_config = "/tmp/ka_sched_cfg4.yaml";
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    assert_string_equal(th_reasons(s, "p", "n2"), "node(s) didn't match scheduler-enforced node affinity");
    assert_string_equal(th_where(s, "p"), "n1");
    th_free(&x);
    remove("/tmp/ka_sched_cfg4.yaml");
}

/* PodTopologySpread List defaulting: the profile's constraints for pods
 * without their own, here a DoNotSchedule one on zones. */
static void test_list_defaulting(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("8"), "")
        NODE("n2", "b", "", ALLOC("8"), "")
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n"
        "  replicas: 4\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n"
        "      containers:\n      - {name: c, image: x, resources: {requests: {cpu: 100m}}}\n";
    write_file("/tmp/ka_sched_cfg5.yaml",
               "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
               "profiles:\n- pluginConfig:\n  - name: PodTopologySpread\n    args:\n"
               "      defaultingType: List\n      defaultConstraints:\n"
               "      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}\n");
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.scheduler_config = "/tmp/ka_sched_cfg5.yaml";
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    const ks_class *c = &s->cls[s->pods[th_pod(s, "web-0")].cls];
    assert_int_equal(c->nhard, 1);
    assert_false(c->soft_system);
    /* alternating zones, 2 and 2 */
    assert_int_equal(s->st.npod[th_node(s, "n1")], 2);
    assert_int_equal(s->st.npod[th_node(s, "n2")], 2);
    th_free(&x);
    remove("/tmp/ka_sched_cfg5.yaml");
}

/* A StatefulSet of 5 loses 3 pods in a zone: its majority (3) is gone; a PDB
 * with maxUnavailable 20% allows 1 down. */
static void test_quorum_and_max_unavailable(void **state)
{
    (void)state;
    const char *y =
        NODE("a1", "a", "", ALLOC("8"), "") NODE("a2", "a", "", ALLOC("8"), "")
        NODE("a3", "a", "", ALLOC("8"), "") NODE("b1", "b", "", ALLOC("1"), "")
        NODE("b2", "b", "", ALLOC("1"), "")
        "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: zk, namespace: data}\nspec:\n"
        "  replicas: 5\n  serviceName: zk\n  selector: {matchLabels: {app: zk}}\n  template:\n"
        "    metadata: {labels: {app: zk}}\n    spec:\n"
        "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
        "          - topologyKey: kubernetes.io/hostname\n            labelSelector: {matchLabels: {app: zk}}\n"
        "      containers:\n      - {name: c, image: x, resources: {requests: {cpu: 500m}}}\n"
        "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
        "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
        "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: zk, namespace: data}\n"
        "spec:\n  maxUnavailable: 20%\n  selector: {matchLabels: {app: zk}}\n";
    ka_sim_fail f = { KA_FAIL_ZONE, "a" };
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.fail = &f;
    o.nfail = 1;
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    const ks_scenario *c = &s->scen[0];
    assert_int_equal(c->ndisplaced, 3);
    assert_int_equal(c->nrescheduled, 0);
    bool quorum = false, pdb = false;
    for (uint32_t i = 0; i < c->nbreaches; i++) {
        if (c->breaches[i].kind == 1) {
            quorum = true;
            assert_int_equal(c->breaches[i].want, 3);
            assert_int_equal(c->breaches[i].have, 2);
        }
        if (c->breaches[i].kind == 0) {
            pdb = true;
            /* 20% of 5 rounds up to 1 unavailable: 4 must stay */
            assert_int_equal(c->breaches[i].want, 4);
        }
    }
    assert_true(quorum);
    assert_true(pdb);
    th_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_priority),
        cmocka_unit_test(test_preemption_report),
        cmocka_unit_test(test_preemption_victims),
        cmocka_unit_test(test_preempt_never),
        cmocka_unit_test(test_expansion),
        cmocka_unit_test(test_config_plugins),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_zone_loss),
        cmocka_unit_test(test_each_zone_and_control_plane),
        cmocka_unit_test(test_daemon_message),
        cmocka_unit_test(test_gates_and_other_scheduler),
        cmocka_unit_test(test_added_affinity),
        cmocka_unit_test(test_list_defaulting),
        cmocka_unit_test(test_quorum_and_max_unavailable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
