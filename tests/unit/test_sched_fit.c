/*
 * test_sched_fit.c - NodeResourcesFit (filter and the three scoring
 * strategies), NodeResourcesBalancedAllocation, pod request aggregation.
 *
 * Facts restated from kubernetes/kubernetes
 * pkg/scheduler/framework/plugins/noderesources: fit.go (fitsRequest order
 * and reasons, the zero-request shortcut), fit_test.go (init containers as a
 * peak, overhead, sidecars, extended resources, ignoredResources),
 * least_allocated_test.go / most_allocated_test.go ("nothing scheduled,
 * resources requested, differently sized machines": 4000/10000 and
 * 6000/10000 nodes, a 3000m/5000 pod), balanced_allocation_test.go
 * (|f1-f2|/2), requested_to_capacity_ratio.go (shape x10, round), and
 * k8s.io/component-helpers resource.PodRequests.
 */
#include "test_sched_harness.h"

#define ALLOC(cpu, mem) "cpu: \"" cpu "\", memory: \"" mem "\", pods: \"110\""

static const char two_nodes[] =
    NODE("n1", "a", "", ALLOC("4", "10000"), "")
    NODE("n2", "b", "", ALLOC("6", "10000"), "");

static void test_least_allocated(void **state)
{
    (void)state;
    char y[4096];
    snprintf(y, sizeof y, "%s%s", two_nodes,
             "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
             "spec:\n  containers:\n  - {name: a, image: x, resources: {requests: {cpu: 1000m, memory: \"2000\"}}}\n"
             "  - {name: b, image: x, resources: {requests: {cpu: 2000m, memory: \"3000\"}}}\n");
    th x;
    ks_sim *s = th_run(&x, y);
    /* n1: cpu (4000-3000)*100/4000 = 25, memory (10000-5000)*100/10000 = 50 -> 37 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_FIT), 37);
    /* n2: 50, 50 -> 50 */
    assert_int_equal(th_score(s, "p", "n2", KS_P_FIT), 50);
    /* balanced: n1 0.75 vs 0.5 -> 1 - 0.125 -> 87; n2 0.5 vs 0.5 -> 100 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_BALANCED), 87);
    assert_int_equal(th_score(s, "p", "n2", KS_P_BALANCED), 100);
    assert_string_equal(th_where(s, "p"), "n2");
    th_free(&x);
}

static void test_most_allocated(void **state)
{
    (void)state;
    char y[8192];
    snprintf(y, sizeof y, "%s%s", two_nodes,
             "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
             "spec:\n  containers:\n  - {name: a, image: x, resources: {requests: {cpu: 3000m, memory: \"5000\"}}}\n");
    FILE *f = fopen("/tmp/ka_sched_most.yaml", "w");
    assert_non_null(f);
    fputs("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
          "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n"
          "      scoringStrategy: {type: MostAllocated}\n", f);
    fclose(f);
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.explain_all = true;
    o.scheduler_config = "/tmp/ka_sched_most.yaml";
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    /* n1: cpu 3000*100/4000 = 75, memory 50 -> 62; n2: 50, 50 -> 50 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_FIT), 62);
    assert_int_equal(th_score(s, "p", "n2", KS_P_FIT), 50);
    th_free(&x);
    remove("/tmp/ka_sched_most.yaml");
}

static void test_requested_to_capacity_ratio(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("4", "8Gi"), "")
        NODE("n2", "b", "", ALLOC("10", "8Gi"), "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
        "spec:\n  containers:\n  - {name: a, image: x, resources: {requests: {cpu: \"1\", memory: 2Gi}}}\n";
    FILE *f = fopen("/tmp/ka_sched_rtcr.yaml", "w");
    assert_non_null(f);
    /* bin packing: 0% -> 0, 100% -> 10 (x10 = 100); cpu weight 3, memory 1 */
    fputs("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
          "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n"
          "      scoringStrategy:\n        type: RequestedToCapacityRatio\n"
          "        resources: [{name: cpu, weight: 3}, {name: memory, weight: 1}]\n"
          "        requestedToCapacityRatio:\n"
          "          shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]\n", f);
    fclose(f);
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.explain_all = true;
    o.scheduler_config = "/tmp/ka_sched_rtcr.yaml";
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    /* n1: cpu 25% -> 25, memory 25% -> 25: round((25*3+25)/4) = 25
     * n2: cpu 10% -> 10, memory 25 -> round((30+25)/4) = round(13.75) = 14 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_FIT), 25);
    assert_int_equal(th_score(s, "p", "n2", KS_P_FIT), 14);
    assert_string_equal(th_where(s, "p"), "n1");
    th_free(&x);
    remove("/tmp/ka_sched_rtcr.yaml");
}

/* A pod without requests counts as 100m / 200Mi for scoring only. */
static void test_nonzero_defaults(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC("1", "1000Mi"), "")
        NODE("n2", "b", "", ALLOC("2", "1000Mi"), "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
        "spec:\n  containers:\n  - {name: a, image: x}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    /* n1: cpu (1000-100)*100/1000 = 90, memory (1000-200)*100/1000 = 80 -> 85 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_FIT), 85);
    /* n2: cpu 95, memory 80 -> 87 */
    assert_int_equal(th_score(s, "p", "n2", KS_P_FIT), 87);
    /* BalancedAllocation skips pods that request nothing (best effort) */
    assert_false(s->res[th_pod(s, "p")].explain->ran[KS_P_BALANCED]);
    th_free(&x);
}

static void test_filter_reasons(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", "cpu: \"1\", memory: 1Gi, example.com/foo: \"1\", pods: \"1\"", "")
        NODE("n2", "b", "", "cpu: \"8\", memory: 16Gi, pods: \"10\"", "")
        NODE("n3", "c", "", "cpu: \"8\", memory: 1Gi, example.com/foo: \"2\", pods: \"10\"", "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: old, namespace: default}\n"
        "spec:\n  nodeName: n1\n  containers:\n  - {name: a, image: x}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
        "spec:\n  containers:\n  - name: a\n    image: x\n"
        "    resources: {requests: {cpu: \"2\", memory: 2Gi, example.com/foo: \"1\"}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_reasons(s, "p", "n1"),
                        "Too many pods; Insufficient cpu; Insufficient memory");
    assert_string_equal(th_reasons(s, "p", "n2"), "Insufficient example.com/foo");
    assert_string_equal(th_reasons(s, "p", "n3"), "Insufficient memory");
    assert_string_equal(th_msg(s, "p"),
                        "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient example.com/foo, "
                        "1 Too many pods, 2 Insufficient memory.");
    th_free(&x);
}

/* nrf-18: a node already over-committed still takes a pod requesting nothing;
 * equality fits. */
static void test_zero_request_and_equality(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", "cpu: \"1\", memory: 1Gi, pods: \"110\"", "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: hog, namespace: default}\n"
        "spec:\n  nodeName: n1\n  containers:\n  - {name: a, image: x, resources: {requests: {cpu: \"2\"}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: free, namespace: default}\n"
        "spec:\n  containers:\n  - {name: a, image: x}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: exact, namespace: default}\n"
        "spec:\n  containers:\n  - {name: a, image: x, resources: {requests: {memory: 1Gi}}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_where(s, "free"), "n1");
    assert_string_equal(th_where(s, "exact"), "n1");
    th_free(&x);
}

/* Init containers run one at a time (a peak), sidecars keep running, the
 * overhead is added, limits stand in for missing requests. */
static void test_requests(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", "cpu: \"16\", memory: 64Gi, pods: \"110\"", "")
        /* upstream's example: init {2,1G} {2,3G}, containers {2,1G} {1,1G} -> 3 cpu, 3G */
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: init, namespace: default}\n"
        "spec:\n  initContainers:\n"
        "  - {name: i1, image: x, resources: {requests: {cpu: \"2\", memory: 1G}}}\n"
        "  - {name: i2, image: x, resources: {requests: {cpu: \"2\", memory: 3G}}}\n"
        "  containers:\n"
        "  - {name: c1, image: x, resources: {requests: {cpu: \"2\", memory: 1G}}}\n"
        "  - {name: c2, image: x, resources: {requests: {cpu: \"1\", memory: 1G}}}\n"
        /* sidecar 1 cpu, then an init container of 2: 1 + 2 = 3 > 1 + 1 */
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: side, namespace: default}\n"
        "spec:\n  initContainers:\n"
        "  - {name: s, image: x, restartPolicy: Always, resources: {requests: {cpu: \"1\"}}}\n"
        "  - {name: i, image: x, resources: {requests: {cpu: \"2\"}}}\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: \"1\"}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: over, namespace: default}\n"
        "spec:\n  overhead: {cpu: 250m, memory: 120Mi}\n"
        "  containers:\n  - {name: c, image: x, resources: {limits: {cpu: 500m, memory: 1Gi}}}\n"
        /* half a millicore twice: summed exactly, rounded once */
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: tiny, namespace: default}\n"
        "spec:\n  containers:\n"
        "  - {name: a, image: x, resources: {requests: {cpu: 0.0005}}}\n"
        "  - {name: b, image: x, resources: {requests: {cpu: 0.0005}}}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    const ks_tmpl *t = &s->tmpls[s->pods[th_pod(s, "init")].tmpl];
    assert_int_equal(t->nreq, 2);
    assert_int_equal(t->rlist[0], KS_R_CPU);
    assert_int_equal(t->req[0], 3000);
    assert_int_equal(t->req[1], 3000000000);
    t = &s->tmpls[s->pods[th_pod(s, "side")].tmpl];
    assert_int_equal(t->req[0], 3000);
    t = &s->tmpls[s->pods[th_pod(s, "over")].tmpl];
    assert_int_equal(t->req[0], 750);
    assert_int_equal(t->req[1], 1073741824 + 120 * 1048576);
    t = &s->tmpls[s->pods[th_pod(s, "tiny")].tmpl];
    assert_int_equal(t->req[0], 1);
    /* scoring defaults apply per container: two containers without memory
     * requests count 2 x 200Mi */
    assert_int_equal(t->nz_cpu, 1);
    assert_int_equal(t->nz_mem, 2 * 209715200);
    th_free(&x);
}

static void test_ignored_resources(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", "cpu: \"4\", memory: 8Gi, pods: \"110\"", "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
        "spec:\n  containers:\n  - name: a\n    image: x\n"
        "    resources: {requests: {cpu: \"1\", example.com/foo: \"1\", other.io/bar: \"1\"}}\n";
    FILE *f = fopen("/tmp/ka_sched_ign.yaml", "w");
    assert_non_null(f);
    fputs("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
          "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n"
          "      ignoredResources: [example.com/foo]\n      ignoredResourceGroups: [other.io]\n", f);
    fclose(f);
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.scheduler_config = "/tmp/ka_sched_ign.yaml";
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    assert_string_equal(th_where(s, "p"), "n1");
    th_free(&x);
    remove("/tmp/ka_sched_ign.yaml");
}

/* LimitRange defaults fill missing requests at admission. */
static void test_limitrange(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", "cpu: \"4\", memory: 8Gi, pods: \"110\"", "")
        "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: lr, namespace: team}\n"
        "spec:\n  limits:\n  - type: Container\n    default: {cpu: 700m}\n"
        "    defaultRequest: {memory: 300Mi}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\n"
        "spec:\n  containers:\n  - {name: a, image: x}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    const ks_tmpl *t = &s->tmpls[s->pods[th_pod(s, "p")].tmpl];
    assert_int_equal(t->nreq, 2);
    assert_int_equal(t->req[0], 700);          /* defaultRequest <- default */
    assert_int_equal(t->req[1], 300 * 1048576);
    th_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_least_allocated),
        cmocka_unit_test(test_most_allocated),
        cmocka_unit_test(test_requested_to_capacity_ratio),
        cmocka_unit_test(test_nonzero_defaults),
        cmocka_unit_test(test_filter_reasons),
        cmocka_unit_test(test_zero_request_and_equality),
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_ignored_resources),
        cmocka_unit_test(test_limitrange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
