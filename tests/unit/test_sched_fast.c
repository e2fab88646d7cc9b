/*
 * test_sched_fast.c - the fast path (src/sched/fast.c) must pick exactly the
 * node the reference cycle (src/sched/cycle.c) picks, for every pod.
 *
 * Random clusters (deterministic seeds) mix every plugin input: zones and
 * hostname-like keys, taints and tolerations (NoSchedule and
 * PreferNoSchedule), node affinity (required and preferred), resources with
 * full nodes, host ports, spread constraints of both kinds (with minDomains,
 * matchLabelKeys, policies), system default spreading through Services,
 * pod (anti-)affinity of both kinds in both directions, priorities, bound
 * pods. Each cluster runs three ways: the reference only
 * (KUBEARCH_SIM_REFERENCE), the fast path checked decision by decision
 * (KUBEARCH_SIM_VERIFY), and the fast path alone; the placements must agree,
 * including after a zone is lost.
 */
#include "test_sched_harness.h"

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static void cat(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < *cap - *len) {
            *len += (size_t)n;
            return;
        }
        *cap *= 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
}

/* a podAntiAffinity block at indentation ind (the "affinity:" line
 * included for bound pods, whose ind is two spaces) */
static void anti_term(char **y, size_t *len, size_t *cap, const char *ind, bool required)
{
    const char *key = rnd(2) ? "kubernetes.io/hostname" : "topology.kubernetes.io/zone";
    unsigned app = rnd(4);
    if (ind[2] == 0)
        cat(y, len, cap, "%saffinity:\n", ind);
    cat(y, len, cap, "%s  podAntiAffinity:\n", ind);
    if (required)
        cat(y, len, cap, "%s    requiredDuringSchedulingIgnoredDuringExecution:\n"
                         "%s    - topologyKey: %s\n%s      labelSelector: {matchLabels: {app: a%u}}\n",
            ind, ind, key, ind, app);
    else
        cat(y, len, cap, "%s    preferredDuringSchedulingIgnoredDuringExecution:\n"
                         "%s    - weight: %u\n%s      podAffinityTerm:\n%s        topologyKey: %s\n"
                         "%s        labelSelector: {matchLabels: {app: a%u}}\n",
            ind, ind, 1 + rnd(100), ind, ind, key, ind, app);
}

static char *cluster(unsigned seed)
{
    rng_state = 0x9E3779B97F4A7C15ULL ^ ((unsigned long long)seed * 0xBF58476D1CE4E5B9ULL);
    size_t cap = 1 << 16, len = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    y[0] = 0;
    unsigned nodes = 6 + rnd(20), zones = 1 + rnd(4);
    for (unsigned i = 0; i < nodes; i++) {
        cat(&y, &len, &cap, "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n%u\n  labels:\n"
                            "    kubernetes.io/hostname: n%u\n", i, i);
        if (rnd(8))
            cat(&y, &len, &cap, "    topology.kubernetes.io/zone: z%u\n", rnd(zones));
        cat(&y, &len, &cap, "    pool: p%u\n    rack: r%u\n", rnd(3), rnd(4));
        unsigned t = rnd(6);
        if (t == 0)
            cat(&y, &len, &cap, "spec:\n  taints: [{key: gpu, value: \"yes\", effect: NoSchedule}]\n");
        else if (t == 1)
            cat(&y, &len, &cap, "spec:\n  taints: [{key: soft, effect: PreferNoSchedule}]\n");
        else if (t == 2)
            cat(&y, &len, &cap, "spec:\n  unschedulable: %s\n", rnd(2) ? "true" : "false");
        cat(&y, &len, &cap, "status:\n  allocatable: {cpu: \"%u\", memory: %uGi, pods: \"%u\"}\n",
            2 + rnd(6), 4 + rnd(12), 4 + rnd(20));
        if (rnd(2))
            cat(&y, &len, &cap, "  images:\n  - names: [\"img%u:1\"]\n    sizeBytes: %u\n", rnd(3),
                (50 + rnd(900)) * 1048576u);
    }
    cat(&y, &len, &cap, "---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\n"
                        "spec:\n  selector: {app: a1}\n");
    cat(&y, &len, &cap, "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n"
                        "metadata: {name: hi}\nvalue: 100\n");
    /* a few bound pods */
    for (unsigned i = 0; i < 4; i++) {
        cat(&y, &len, &cap, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: old%u, namespace: default, "
                            "labels: {app: a%u}}\nspec:\n  nodeName: n%u\n", i, rnd(4), rnd(nodes));
        if (rnd(2))
            anti_term(&y, &len, &cap, "  ", rnd(2));
        cat(&y, &len, &cap, "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: %um}}}\n",
            100 + rnd(900));
    }
    unsigned deps = 3 + rnd(5);
    for (unsigned d = 0; d < deps; d++) {
        cat(&y, &len, &cap, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d%u, namespace: "
                            "default}\nspec:\n  replicas: %u\n  selector: {matchLabels: {app: a%u}}\n"
                            "  template:\n    metadata: {labels: {app: a%u}}\n    spec:\n",
            d, 2 + rnd(14), d % 4, d % 4);
        if (!rnd(4))
            cat(&y, &len, &cap, "      priorityClassName: hi\n");
        if (!rnd(3))
            cat(&y, &len, &cap, "      tolerations: [{key: gpu, operator: Exists}]\n");
        if (!rnd(4))
            cat(&y, &len, &cap, "      nodeSelector: {pool: p%u}\n", rnd(3));
        unsigned aff = rnd(5);
        if (aff) {
            cat(&y, &len, &cap, "      affinity:\n");
            if (aff & 1)
                cat(&y, &len, &cap, "        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n"
                                    "          - weight: %u\n            preference: {matchExpressions: "
                                    "[{key: rack, operator: In, values: [r%u]}]}\n", 1 + rnd(50), rnd(4));
            if (aff & 2)
                anti_term(&y, &len, &cap, "      ", rnd(3) == 0);
            if (aff & 4)
                cat(&y, &len, &cap, "        podAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n"
                                    "          - weight: %u\n            podAffinityTerm:\n"
                                    "              topologyKey: %s\n              labelSelector: "
                                    "{matchLabels: {app: a%u}}\n",
                    1 + rnd(100), rnd(2) ? "rack" : "topology.kubernetes.io/zone", rnd(4));
        }
        unsigned sp = rnd(4);
        if (sp)
            cat(&y, &len, &cap, "      topologySpreadConstraints:\n");
        for (unsigned k = 0; k < sp; k++)
            cat(&y, &len, &cap, "      - maxSkew: %u\n        topologyKey: %s\n        whenUnsatisfiable: %s\n"
                                "        labelSelector: {matchLabels: {app: a%u}}\n%s%s",
                1 + rnd(2),
                rnd(3) == 0 ? "kubernetes.io/hostname" : rnd(2) ? "topology.kubernetes.io/zone" : "rack",
                rnd(2) ? "DoNotSchedule" : "ScheduleAnyway", d % 4,
                rnd(3) ? "" : "        minDomains: 3\n",
                rnd(3) ? "" : "        matchLabelKeys: [pod-template-hash]\n");
        cat(&y, &len, &cap, "      containers:\n      - name: c\n        image: img%u:1\n"
                            "        resources: {requests: {cpu: %um, memory: %uMi}}\n",
            rnd(4), 100 + rnd(1400), 64 + rnd(2000));
        if (!rnd(5))
            cat(&y, &len, &cap, "        ports: [{containerPort: 80, hostPort: %u}]\n", 8000 + rnd(3));
    }
    return y;
}

static int32_t *placements(const char *yaml, const ka_sim_opts *o, uint32_t *n)
{
    th x;
    ks_sim *s = th_run_opts(&x, yaml, o);
    if (!s) {
        th_free(&x);
        return NULL;
    }
    *n = s->npods;
    int32_t *v = malloc((s->npods + 1) * sizeof *v);
    assert_non_null(v);
    for (uint32_t p = 0; p < s->npods; p++)
        v[p] = s->st.pod_node[p];
    /* the first scenario's outcome too */
    v[s->npods] = s->nscen ? (int32_t)s->scen[0].nrescheduled : -1;
    th_free(&x);
    return v;
}

static void check_seed(unsigned seed, const ka_sim_opts *o)
{
    char *y = cluster(seed);
    if (getenv("KA_DUMP_SEED") && (unsigned)atoi(getenv("KA_DUMP_SEED")) == seed)
        fputs(y, stderr);
    uint32_t n1 = 0, n2 = 0, n3 = 0;
    setenv("KUBEARCH_SIM_REFERENCE", "1", 1);
    int32_t *ref = placements(y, o, &n1);
    unsetenv("KUBEARCH_SIM_REFERENCE");
    setenv("KUBEARCH_SIM_VERIFY", "1", 1);
    int32_t *ver = placements(y, o, &n2);
    unsetenv("KUBEARCH_SIM_VERIFY");
    int32_t *fast = placements(y, o, &n3);
    if (!ref) {
        /* an input the simulator refuses (e.g. no zone for the scenario) */
        assert_null(fast);
        free(y);
        return;
    }
    assert_non_null(ver);
    assert_non_null(fast);
    assert_int_equal(n1, n3);
    for (uint32_t p = 0; p <= n1; p++)
        if (ref[p] != fast[p]) {
            print_error("seed %u: pod %u reference %d fast %d\n", seed, p, ref[p], fast[p]);
            fail();
        }
    free(ref);
    free(ver);
    free(fast);
    free(y);
}

static void test_random_clusters(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 300; seed++)
        check_seed(seed, NULL);
}

static void test_random_zone_loss(void **state)
{
    (void)state;
    ka_sim_fail f = { KA_FAIL_ZONE, "z0" };
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.fail = &f;
    o.nfail = 1;
    for (unsigned seed = 1000; seed < 1100; seed++)
        check_seed(seed, &o);
}

/* Other profiles: bin packing, a custom shape, added node affinity
 * preferences, a heavier hard affinity weight, existing pods' preferred
 * terms ignored, List spreading defaults. */
static void test_random_profiles(void **state)
{
    (void)state;
    static const char *const cfg[] = {
        "  - name: NodeResourcesFit\n    args:\n      scoringStrategy: {type: MostAllocated}\n"
        "  - name: InterPodAffinity\n    args: {hardPodAffinityWeight: 5}\n",
        "  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n"
        "        type: RequestedToCapacityRatio\n        resources: [{name: cpu, weight: 2}, {name: memory, weight: 1}]\n"
        "        requestedToCapacityRatio:\n          shape: [{utilization: 0, score: 10}, "
        "{utilization: 40, score: 3}, {utilization: 100, score: 6}]\n"
        "  - name: InterPodAffinity\n    args: {ignorePreferredTermsOfExistingPods: true}\n",
        "  - name: NodeAffinity\n    args:\n      addedAffinity:\n"
        "        preferredDuringSchedulingIgnoredDuringExecution:\n"
        "        - weight: 30\n          preference: {matchExpressions: [{key: pool, operator: In, values: [p1]}]}\n"
        "  - name: PodTopologySpread\n    args:\n      defaultingType: List\n      defaultConstraints:\n"
        "      - {maxSkew: 2, topologyKey: rack, whenUnsatisfiable: ScheduleAnyway}\n"
        "      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}\n",
    };
    for (size_t c = 0; c < sizeof cfg / sizeof *cfg; c++) {
        FILE *f = fopen("/tmp/ka_sched_fastcfg.yaml", "w");
        assert_non_null(f);
        fprintf(f, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
                   "profiles:\n- pluginConfig:\n%s", cfg[c]);
        fclose(f);
        ka_sim_opts o;
        memset(&o, 0, sizeof o);
        o.scheduler_config = "/tmp/ka_sched_fastcfg.yaml";
        for (unsigned seed = 2000 + 100 * (unsigned)c; seed < 2060 + 100 * (unsigned)c; seed++)
            check_seed(seed, &o);
    }
    remove("/tmp/ka_sched_fastcfg.yaml");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_clusters),
        cmocka_unit_test(test_random_zone_loss),
        cmocka_unit_test(test_random_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
