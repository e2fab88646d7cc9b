/*
 * test_sched_spread.c - PodTopologySpread (Filter and Score) and
 * InterPodAffinity (Filter and Score).
 *
 * Facts restated from kubernetes/kubernetes
 * pkg/scheduler/framework/plugins/podtopologyspread (filtering.go: skew =
 * matching + self - global minimum, minDomains, nodeAffinityPolicy /
 * nodeTaintsPolicy, missing label is unresolvable; scoring.go: weight
 * ln(domains + 2), cnt * weight + maxSkew - 1 rounded, min/max
 * normalisation, ignored nodes, system defaulting with the Service /
 * ReplicaSet selector; common.go: matchLabelKeys merged, an empty selector
 * counts nothing) and plugins/interpodaffinity (filtering.go: affinity,
 * anti-affinity, existing pods' anti-affinity, the first pod of a group,
 * pods must match all affinity terms; scoring.go: preferred terms both
 * ways, hardPodAffinityWeight, min/max normalisation).
 */
#include "test_sched_harness.h"

#define ALLOC "cpu: \"8\", memory: 16Gi, pods: \"110\""
#define BOUND(name, node, labels)                                                                \
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: default, labels: {" \
    labels "}}\nspec:\n  nodeName: " node "\n  containers:\n  - {name: c, image: x}\n"
#define PENDING(name, labels, spec)                                                              \
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: default, labels: {" \
    labels "}}\nspec:\n" spec "  containers:\n  - {name: c, image: x}\n"
#define SPREAD(skew, key, when, extra)                                                           \
    "  topologySpreadConstraints:\n  - maxSkew: " skew "\n    topologyKey: " key                \
    "\n    whenUnsatisfiable: " when "\n    labelSelector: {matchLabels: {app: web}}\n" extra

static const char *const SKEW = "node(s) didn't match pod topology spread constraints";

static void test_spread_filter(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "b", "", ALLOC, "") NODE("n3", "c", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n4\n  labels: {kubernetes.io/hostname: n4}\n"
        "status:\n  allocatable: {" ALLOC "}\n"
        BOUND("w1", "n1", "app: web") BOUND("w2", "n1", "app: web") BOUND("w3", "n2", "app: web")
        PENDING("p", "app: web", SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule", ""))
        /* an empty selector counts no pod, but the pod matches itself */
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: empty, namespace: default, labels: {app: web}}\n"
        "spec:\n  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n"
        "    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {}\n  containers:\n  - {name: c, image: x}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    /* a: 2 + 1 - 0 = 3, b: 1 + 1 - 0 = 2, c: 1 */
    assert_string_equal(th_reasons(s, "p", "n1"), SKEW);
    assert_string_equal(th_reasons(s, "p", "n2"), SKEW);
    assert_string_equal(th_reasons(s, "p", "n3"), "");
    assert_string_equal(th_reasons(s, "p", "n4"),
                        "node(s) didn't match pod topology spread constraints (missing required label)");
    assert_string_equal(th_where(s, "p"), "n3");
    assert_string_equal(th_reasons(s, "empty", "n1"), "");
    th_free(&x);
}

static void test_spread_min_domains(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "b", "", ALLOC, "") NODE("n3", "c", "", ALLOC, "")
        BOUND("w1", "n1", "app: web") BOUND("w2", "n1", "app: web") BOUND("w3", "n2", "app: web")
        BOUND("w4", "n3", "app: web")
        PENDING("p", "app: web", SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule", ""))
        PENDING("md", "app: web", SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule",
                                         "    minDomains: 4\n"));
    th x;
    ks_sim *s = th_run(&x, y);
    /* minimum 1: a 2+1-1 = 2 fails, b and c pass */
    assert_string_equal(th_reasons(s, "p", "n1"), SKEW);
    assert_string_equal(th_reasons(s, "p", "n2"), "");
    /* 3 domains < minDomains 4: the minimum counts as 0, every zone fails
     * (md is scheduled after p, which went to n2) */
    assert_string_equal(th_msg(s, "md"),
                        "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.");
    th_free(&x);
}

static void test_spread_policies(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", ", pool: x", ALLOC, "")
        NODE("n2", "b", ", pool: x", ALLOC, "")
        NODE("n3", "b", ", pool: y", ALLOC, "spec:\n  taints: [{key: k, effect: NoSchedule}]\n")
        BOUND("w1", "n3", "app: web") BOUND("w2", "n3", "app: web")
        /* Honor (default): n3 does not match the pod's nodeSelector, its pods do not count */
        PENDING("honor", "app: web", "  nodeSelector: {pool: x}\n"
                SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule", ""))
        PENDING("ignore", "app: web", "  nodeSelector: {pool: x}\n"
                SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule",
                       "    nodeAffinityPolicy: Ignore\n"))
        /* nodeTaintsPolicy Honor: the tainted n3 does not count */
        PENDING("taints", "app: other", SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule",
                                               "    nodeTaintsPolicy: Honor\n"));
    ka_sim_opts o;
    memset(&o, 0, sizeof o);
    o.explain_all = true;
    th x;
    ks_sim *s = th_run_opts(&x, y, &o);
    assert_non_null(s);
    assert_string_equal(th_reasons(s, "honor", "n2"), "");
    /* Ignore: zone b has 2, zone a 0 (honor went to n1 before: 1) */
    assert_string_equal(th_reasons(s, "ignore", "n2"), SKEW);
    /* taints pod: b counts 0 with Honor (n3 excluded); a has honor + ignore = 2 */
    assert_string_equal(th_reasons(s, "taints", "n1"), SKEW);
    assert_string_equal(th_reasons(s, "taints", "n2"), "");
    th_free(&x);
}

static void test_spread_match_label_keys(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "b", "", ALLOC, "")
        BOUND("w1", "n1", "app: web, pod-template-hash: aaa")
        BOUND("w2", "n1", "app: web, pod-template-hash: aaa")
        PENDING("same", "app: web, pod-template-hash: bbb",
                SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule", ""))
        PENDING("keys", "app: web, pod-template-hash: bbb",
                SPREAD("1", "topology.kubernetes.io/zone", "DoNotSchedule",
                       "    matchLabelKeys: [pod-template-hash]\n"));
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_reasons(s, "same", "n1"), SKEW);
    /* only the pods of the same revision count: zone a has none of them
     * (same, with hash bbb, went to n2) */
    assert_string_equal(th_reasons(s, "keys", "n1"), "");
    assert_string_equal(th_reasons(s, "keys", "n2"), SKEW);
    th_free(&x);
}

static void test_spread_score(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "b", "", ALLOC, "") NODE("n3", "c", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n4\n  labels: {kubernetes.io/hostname: n4}\n"
        "status:\n  allocatable: {" ALLOC "}\n"
        BOUND("w1", "n1", "app: web") BOUND("w2", "n1", "app: web") BOUND("w3", "n2", "app: web")
        PENDING("p", "app: web", SPREAD("1", "topology.kubernetes.io/zone", "ScheduleAnyway", ""));
    th x;
    ks_sim *s = th_run(&x, y);
    /* 3 zones: weight ln 5; raw round(2 * 1.609) = 3, round(1.609) = 2, 0;
     * normalised 100 * (3 + 0 - raw) / 3; n4 lacks the key: ignored, 0 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_SPREAD), 0);
    assert_int_equal(th_score(s, "p", "n2", KS_P_SPREAD), 33);
    assert_int_equal(th_score(s, "p", "n3", KS_P_SPREAD), 100);
    assert_int_equal(th_score(s, "p", "n4", KS_P_SPREAD), 0);
    th_free(&x);
}

/* System defaulting: hostname maxSkew 3 and zone maxSkew 5, with the
 * selector of the Service selecting the pod; nodes need not have every key. */
static void test_spread_system_default(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "a", "", ALLOC, "") NODE("n3", "b", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\n"
        "spec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"
        BOUND("w1", "n1", "app: web") BOUND("w2", "n1", "app: web")
        PENDING("p", "app: web", "")
        PENDING("alone", "app: alone", "");
    th x;
    ks_sim *s = th_run(&x, y);
    /* hostname weight ln(3 + 2), zone weight ln(2 + 2):
     * n1 2*1.609 + 2 + 2*1.386 + 4 = 11.99 -> 12; n2 0 + 2 + 2.77 + 4 -> 9;
     * n3 6; normalised 100 * (12 + 6 - raw) / 12 -> 50, 75, 100 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_SPREAD), 50);
    assert_int_equal(th_score(s, "p", "n2", KS_P_SPREAD), 75);
    assert_int_equal(th_score(s, "p", "n3", KS_P_SPREAD), 100);
    /* no Service or controller selects "alone": no default constraints */
    assert_false(s->res[th_pod(s, "alone")].explain->ran[KS_P_SPREAD]);
    th_free(&x);
}

#define AFF(kind, key, sel, extra)                                                               \
    "  affinity:\n    " kind ":\n      requiredDuringSchedulingIgnoredDuringExecution:\n"       \
    "      - topologyKey: " key "\n        labelSelector: {matchLabels: {" sel "}}\n" extra

static void test_affinity_filter(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "a", "", ALLOC, "")
        NODE("n3", "b", "", ALLOC, "") NODE("n4", "b", "", ALLOC, "")
        BOUND("db", "n1", "app: db")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: lonely, namespace: default, labels: {app: lonely}}\n"
        "spec:\n  nodeName: n3\n" AFF("podAntiAffinity", "topology.kubernetes.io/zone", "app: web", "")
        "  containers:\n  - {name: c, image: x}\n"
        PENDING("aff", "app: x", AFF("podAffinity", "topology.kubernetes.io/zone", "app: db", ""))
        PENDING("anti", "app: x", AFF("podAntiAffinity", "kubernetes.io/hostname", "app: db", ""))
        PENDING("web", "app: web", "")
        /* first pod of a self-affine group: allowed wherever the key exists */
        PENDING("solo", "app: solo", AFF("podAffinity", "topology.kubernetes.io/zone", "app: solo", ""))
        /* existing pods must match all the terms */
        PENDING("all", "app: x", AFF("podAffinity", "topology.kubernetes.io/zone", "app: db",
                                     "      - topologyKey: kubernetes.io/hostname\n"
                                     "        labelSelector: {matchLabels: {tier: t}}\n"));
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_reasons(s, "aff", "n2"), "");
    assert_string_equal(th_reasons(s, "aff", "n3"), "node(s) didn't match pod affinity rules");
    assert_string_equal(th_reasons(s, "anti", "n1"), "node(s) didn't match pod anti-affinity rules");
    assert_string_equal(th_reasons(s, "anti", "n2"), "");
    assert_string_equal(th_reasons(s, "web", "n4"),
                        "node(s) didn't satisfy existing pods anti-affinity rules");
    assert_string_equal(th_reasons(s, "web", "n2"), "");
    assert_string_equal(th_reasons(s, "solo", "n3"), "");
    assert_string_equal(th_msg(s, "all"),
                        "0/4 nodes are available: 4 node(s) didn't match pod affinity rules.");
    th_free(&x);
}

static void test_affinity_namespaces(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "b", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other, labels: {team: x}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: other, labels: {app: db}}\n"
        "spec:\n  nodeName: n2\n  containers:\n  - {name: c, image: x}\n"
        PENDING("own", "app: x", AFF("podAffinity", "topology.kubernetes.io/zone", "app: db", ""))
        PENDING("listed", "app: x", AFF("podAffinity", "topology.kubernetes.io/zone", "app: db",
                                        "        namespaces: [other]\n"))
        PENDING("nssel", "app: x", AFF("podAffinity", "topology.kubernetes.io/zone", "app: db",
                                       "        namespaceSelector: {matchLabels: {team: x}}\n"))
        PENDING("byname", "app: x", AFF("podAffinity", "topology.kubernetes.io/zone", "app: db",
                                        "        namespaceSelector: {matchLabels: "
                                        "{kubernetes.io/metadata.name: other}}\n"));
    th x;
    ks_sim *s = th_run(&x, y);
    /* the pod's own namespace holds no db: every node fails (not the first
     * pod rule: "own" does not match app=db itself) */
    assert_string_equal(th_msg(s, "own"),
                        "0/2 nodes are available: 2 node(s) didn't match pod affinity rules.");
    assert_string_equal(th_where(s, "listed"), "n2");
    assert_string_equal(th_where(s, "nssel"), "n2");
    assert_string_equal(th_where(s, "byname"), "n2");
    th_free(&x);
}

static void test_affinity_score(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "a", "", ALLOC, "")
        NODE("n3", "b", "", ALLOC, "") NODE("n4", "b", "", ALLOC, "")
        BOUND("db", "n1", "app: db")
        PENDING("p", "app: x",
                "  affinity:\n    podAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n"
                "      - weight: 10\n        podAffinityTerm:\n          topologyKey: topology.kubernetes.io/zone\n"
                "          labelSelector: {matchLabels: {app: db}}\n"
                "    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n"
                "      - weight: 4\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n"
                "          labelSelector: {matchLabels: {app: db}}\n");
    th x;
    ks_sim *s = th_run(&x, y);
    /* raw: n1 10 - 4 = 6, n2 10, n3 0, n4 0 -> 60, 100, 0, 0 */
    assert_int_equal(th_score(s, "p", "n1", KS_P_IPA), 60);
    assert_int_equal(th_score(s, "p", "n2", KS_P_IPA), 100);
    assert_int_equal(th_score(s, "p", "n3", KS_P_IPA), 0);
    th_free(&x);
}

/* Existing pods' terms count for the incoming pod: preferred affinity (+w),
 * preferred anti-affinity (-w), required affinity (+hardPodAffinityWeight). */
static void test_affinity_score_symmetric(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "") NODE("n2", "b", "", ALLOC, "") NODE("n3", "c", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: fan, namespace: default, labels: {app: fan}}\n"
        "spec:\n  nodeName: n1\n  affinity:\n    podAffinity:\n"
        "      preferredDuringSchedulingIgnoredDuringExecution:\n"
        "      - weight: 7\n        podAffinityTerm:\n          topologyKey: topology.kubernetes.io/zone\n"
        "          labelSelector: {matchLabels: {app: web}}\n"
        "  containers:\n  - {name: c, image: x}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: hater, namespace: default, labels: {app: hater}}\n"
        "spec:\n  nodeName: n2\n  affinity:\n    podAntiAffinity:\n"
        "      preferredDuringSchedulingIgnoredDuringExecution:\n"
        "      - weight: 3\n        podAffinityTerm:\n          topologyKey: topology.kubernetes.io/zone\n"
        "          labelSelector: {matchLabels: {app: web}}\n"
        "  containers:\n  - {name: c, image: x}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: needy, namespace: default, labels: {app: needy}}\n"
        "spec:\n  nodeName: n3\n" AFF("podAffinity", "topology.kubernetes.io/zone", "app: web", "")
        "  containers:\n  - {name: c, image: x}\n"
        PENDING("web", "app: web", "");
    th x;
    ks_sim *s = th_run(&x, y);
    /* raw: n1 +7, n2 -3, n3 +1; min -3, max 7: (s+3)*100/10 -> 100, 0, 40 */
    assert_int_equal(th_score(s, "web", "n1", KS_P_IPA), 100);
    assert_int_equal(th_score(s, "web", "n2", KS_P_IPA), 0);
    assert_int_equal(th_score(s, "web", "n3", KS_P_IPA), 40);
    th_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread_filter),
        cmocka_unit_test(test_spread_min_domains),
        cmocka_unit_test(test_spread_policies),
        cmocka_unit_test(test_spread_match_label_keys),
        cmocka_unit_test(test_spread_score),
        cmocka_unit_test(test_spread_system_default),
        cmocka_unit_test(test_affinity_filter),
        cmocka_unit_test(test_affinity_namespaces),
        cmocka_unit_test(test_affinity_score),
        cmocka_unit_test(test_affinity_score_symmetric),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
