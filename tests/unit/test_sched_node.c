/*
 * test_sched_node.c - the node-local plugins: TaintToleration,
 * NodeUnschedulable, NodeName, NodeAffinity (filter, PreFilter allow-list,
 * score), NodePorts, ImageLocality, plus the node selector operators.
 *
 * Facts restated from kubernetes/kubernetes
 * pkg/scheduler/framework/plugins/{tainttoleration,nodeunschedulable,
 * nodeaffinity,nodeports,imagelocality} and their _test.go files
 * (reason strings, "{key: value}" formatting, PreferNoSchedule counted only
 * against tolerations with that effect or none, reverse normalisation,
 * DefaultNormalizeScore, the matchFields PreFilterResult and its conflict),
 * and k8s.io/component-helpers nodeaffinity (terms ORed, requirements
 * ANDed, invalid requirements never match, Gt/Lt on integers).
 */
#include "test_sched_harness.h"

#define ALLOC "cpu: \"4\", memory: 8Gi, pods: \"110\""
#define POD(name, spec)                                                                          \
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: default}\nspec:\n" spec \
    "  containers:\n  - {name: c, image: nginx}\n"

static void test_taints_filter(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "spec:\n  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]\n")
        NODE("n2", "a", "", ALLOC, "spec:\n  taints: [{key: soft, effect: PreferNoSchedule}, {key: gone, effect: NoExecute}]\n")
        NODE("n3", "a", "", ALLOC, "spec:\n  taints: [{key: soft, effect: PreferNoSchedule}]\n")
        POD("p", "")
        POD("tol", "  tolerations: [{operator: Exists}]\n")
        POD("eq", "  tolerations: [{key: dedicated, value: cpu, effect: NoSchedule}]\n");
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_reasons(s, "p", "n1"), "node(s) had untolerated taint {dedicated: gpu}");
    assert_string_equal(th_reasons(s, "p", "n2"), "node(s) had untolerated taint {gone: }");
    assert_string_equal(th_reasons(s, "p", "n3"), "");
    assert_string_equal(th_where(s, "p"), "n3");
    /* an empty key with Exists tolerates everything */
    assert_string_equal(th_reasons(s, "tol", "n1"), "");
    assert_string_equal(th_reasons(s, "tol", "n2"), "");
    /* Equal compares the value */
    assert_string_equal(th_reasons(s, "eq", "n1"), "node(s) had untolerated taint {dedicated: gpu}");
    th_free(&x);
}

/* tt-s2: 0, 1, 2 intolerable PreferNoSchedule taints -> 100, 50, 0. */
static void test_taints_score(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "")
        NODE("n2", "a", "", ALLOC, "spec:\n  taints: [{key: a, value: x, effect: PreferNoSchedule}]\n")
        NODE("n3", "a", "", ALLOC, "spec:\n  taints: [{key: a, value: x, effect: PreferNoSchedule}, "
                                   "{key: b, value: y, effect: PreferNoSchedule}]\n")
        POD("p", "")
        /* a NoSchedule toleration does not count for PreferNoSchedule */
        POD("ns", "  tolerations: [{key: a, operator: Exists, effect: NoSchedule}]\n")
        POD("pref", "  tolerations: [{key: a, operator: Exists, effect: PreferNoSchedule}]\n");
    th x;
    ks_sim *s = th_run(&x, y);
    assert_int_equal(th_score(s, "p", "n1", KS_P_TAINT), 100);
    assert_int_equal(th_score(s, "p", "n2", KS_P_TAINT), 50);
    assert_int_equal(th_score(s, "p", "n3", KS_P_TAINT), 0);
    assert_int_equal(th_score(s, "ns", "n2", KS_P_TAINT), 50);
    assert_int_equal(th_score(s, "pref", "n2", KS_P_TAINT), 100);
    assert_int_equal(th_score(s, "pref", "n3", KS_P_TAINT), 0);
    th_free(&x);
}

static void test_unschedulable(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "spec:\n  unschedulable: true\n")
        POD("p", "")
        POD("tol", "  tolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists, "
                   "effect: NoSchedule}]\n");
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_msg(s, "p"), "0/1 nodes are available: 1 node(s) were unschedulable.");
    assert_string_equal(th_where(s, "tol"), "n1");
    th_free(&x);
}

static void test_node_affinity_ops(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", ", gen: \"0206\", disk: ssd", ALLOC, "")
        NODE("n2", "b", ", gen: \"0204\"", ALLOC, "")
        NODE("n3", "c", ", gen: new", ALLOC, "")
        POD("gt", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                  "        nodeSelectorTerms:\n        - matchExpressions: [{key: gen, operator: Gt, values: [\"204\"]}]\n")
        POD("lt", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                  "        nodeSelectorTerms:\n        - matchExpressions: [{key: gen, operator: Lt, values: [\"205\"]}]\n")
        /* NotIn matches a node without the label; DoesNotExist too */
        POD("notin", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                     "        nodeSelectorTerms:\n        - matchExpressions: [{key: disk, operator: NotIn, values: [ssd]}]\n")
        /* terms are ORed; an invalid term (Gt with two values) never matches */
        POD("or", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                  "        nodeSelectorTerms:\n"
                  "        - matchExpressions: [{key: gen, operator: Gt, values: [\"1\", \"2\"]}]\n"
                  "        - matchExpressions: [{key: disk, operator: Exists}]\n")
        /* nodeSelector and affinity must both hold */
        POD("both", "  nodeSelector: {topology.kubernetes.io/zone: b}\n"
                    "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "        nodeSelectorTerms:\n        - matchExpressions: [{key: disk, operator: DoesNotExist}]\n")
        /* an empty term matches nothing */
        POD("empty", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                     "        nodeSelectorTerms: [{}]\n")
        /* matchFields NotIn */
        POD("fields", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                      "        nodeSelectorTerms:\n        - matchFields: [{key: metadata.name, operator: NotIn, values: [n1]}]\n"
                      "          matchExpressions: [{key: gen, operator: Exists}]\n");
    th x;
    ks_sim *s = th_run(&x, y);
    const char *na = "node(s) didn't match Pod's node affinity/selector";
    assert_string_equal(th_reasons(s, "gt", "n1"), "");
    assert_string_equal(th_reasons(s, "gt", "n2"), na);   /* 204 > 204 is false */
    assert_string_equal(th_reasons(s, "gt", "n3"), na);   /* not an integer */
    assert_string_equal(th_reasons(s, "lt", "n2"), "");
    assert_string_equal(th_reasons(s, "lt", "n1"), na);
    assert_string_equal(th_reasons(s, "notin", "n1"), na);
    assert_string_equal(th_reasons(s, "notin", "n2"), "");
    assert_string_equal(th_where(s, "or"), "n1");
    assert_string_equal(th_where(s, "both"), "n2");
    assert_string_equal(th_msg(s, "empty"),
                        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
    assert_string_equal(th_reasons(s, "fields", "n1"), na);
    assert_string_equal(th_reasons(s, "fields", "n2"), "");
    th_free(&x);
}

/* A metadata.name In pin in every term: only those nodes are candidates. */
static void test_node_affinity_prefilter(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "")
        NODE("n2", "b", "", "cpu: \"1\", memory: 1Gi, pods: \"110\"", "")
        NODE("n3", "c", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: pin, namespace: default}\nspec:\n"
        "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
        "        nodeSelectorTerms:\n        - matchFields: [{key: metadata.name, operator: In, values: [n2]}]\n"
        "  containers:\n  - {name: c, image: x, resources: {requests: {cpu: \"2\"}}}\n"
        POD("conflict", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                        "        nodeSelectorTerms:\n"
                        "        - matchFields: [{key: metadata.name, operator: In, values: [n1]}, "
                        "{key: metadata.name, operator: In, values: [n2]}]\n");
    th x;
    ks_sim *s = th_run(&x, y);
    assert_string_equal(th_msg(s, "pin"), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) "
                                          "didn't satisfy plugin(s) [NodeAffinity].");
    assert_string_equal(th_msg(s, "conflict"), "0/3 nodes are available: pod affinity terms conflict.");
    th_free(&x);
}

/* na-s2: raw 2, 11, 4 -> 18, 100, 36 (DefaultNormalizeScore). */
static void test_node_affinity_score(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", ", a: x", ALLOC, "")
        NODE("n2", "b", ", a: x, b: y, c: z", ALLOC, "")
        NODE("n3", "c", ", c: z", ALLOC, "")
        POD("p", "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n"
                 "      - weight: 2\n        preference: {matchExpressions: [{key: a, operator: In, values: [x]}]}\n"
                 "      - weight: 5\n        preference: {matchExpressions: [{key: b, operator: Exists}]}\n"
                 "      - weight: 4\n        preference: {matchExpressions: [{key: c, operator: In, values: [z]}]}\n"
                 "      - weight: 0\n        preference: {matchExpressions: [{key: c, operator: In, values: [z]}]}\n");
    th x;
    ks_sim *s = th_run(&x, y);
    assert_int_equal(th_score(s, "p", "n1", KS_P_NODE_AFFINITY), 18);
    assert_int_equal(th_score(s, "p", "n2", KS_P_NODE_AFFINITY), 100);
    assert_int_equal(th_score(s, "p", "n3", KS_P_NODE_AFFINITY), 36);
    assert_string_equal(th_where(s, "p"), "n2");
    th_free(&x);
}

static void test_node_ports(void **state)
{
    (void)state;
    const char *y =
        NODE("n1", "a", "", ALLOC, "")
        NODE("n2", "b", "", ALLOC, "")
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: old, namespace: default}\nspec:\n  nodeName: n1\n"
        "  containers:\n  - {name: c, image: x, ports: [{containerPort: 80, hostPort: 8080}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: old2, namespace: default}\nspec:\n  nodeName: n2\n"
        "  containers:\n  - {name: c, image: x, ports: [{containerPort: 80, hostPort: 8080, hostIP: 10.0.0.1}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: tcp, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: x, ports: [{containerPort: 80, hostPort: 8080}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: udp, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: x, ports: [{containerPort: 80, hostPort: 8080, protocol: UDP}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: ip2, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: x, ports: [{containerPort: 80, hostPort: 8080, hostIP: 10.0.0.2}]}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    const char *r = "node(s) didn't have free ports for the requested pod ports";
    /* 0.0.0.0 conflicts with any address on the same port and protocol */
    assert_string_equal(th_reasons(s, "tcp", "n1"), r);
    assert_string_equal(th_reasons(s, "tcp", "n2"), r);
    assert_string_equal(th_msg(s, "tcp"), "0/2 nodes are available: 2 node(s) didn't have free ports "
                                          "for the requested pod ports.");
    assert_string_equal(th_reasons(s, "udp", "n1"), "");
    /* distinct specific addresses do not conflict */
    assert_string_equal(th_reasons(s, "ip2", "n1"), r);
    assert_string_equal(th_reasons(s, "ip2", "n2"), "");
    th_free(&x);
}

static void test_image_locality(void **state)
{
    (void)state;
    /* one node has the 250 MiB image: sum = 250Mi * 1/2 nodes = 125Mi,
     * score = 100 * (125Mi - 23Mi) / (1000Mi - 23Mi) = 10 */
    const char *y =
        "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {kubernetes.io/hostname: n1}\n"
        "status:\n  allocatable: {" ALLOC "}\n  images:\n  - names: [\"docker.io/app:1\", \"app:1\"]\n"
        "    sizeBytes: 262144000\n"
        "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n2\n  labels: {kubernetes.io/hostname: n2}\n"
        "status:\n  allocatable: {" ALLOC "}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n"
        "  containers:\n  - {name: c, image: \"app:1\"}\n";
    th x;
    ks_sim *s = th_run(&x, y);
    assert_int_equal(th_score(s, "p", "n1", KS_P_IMAGE), 10);
    assert_int_equal(th_score(s, "p", "n2", KS_P_IMAGE), 0);
    th_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taints_filter),
        cmocka_unit_test(test_taints_score),
        cmocka_unit_test(test_unschedulable),
        cmocka_unit_test(test_node_affinity_ops),
        cmocka_unit_test(test_node_affinity_prefilter),
        cmocka_unit_test(test_node_affinity_score),
        cmocka_unit_test(test_node_ports),
        cmocka_unit_test(test_image_locality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
