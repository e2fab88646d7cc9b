/*
 * simulate_gen.c - a cluster at the Kubernetes scalability envelope for
 * `kubearch simulate` benchmarks.
 *
 *   simulate_gen OUT NODES PODS [SHAPE]
 *
 * NODES nodes in 3 zones and 5 pools (general x2, memory, compute, gpu; the
 * gpu pool is tainted), 110 pods each at most; Deployments totalling PODS
 * pods with requests. SHAPE selects the workloads:
 *   mixed (default)  basic, zone spread (DoNotSchedule), preferred pod
 *                    anti-affinity, some required anti-affinity, node
 *                    affinity to a pool, tolerations for the gpu pool
 *   basic            requests only
 *   spread           + topologySpreadConstraints over zones (DoNotSchedule)
 *   anti             + preferred anti-affinity on hostname, and required
 *                    anti-affinity for small deployments
 * Deterministic: the same arguments give the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const pools[5] = { "general-a", "general-b", "memory", "compute", "gpu" };
static const char *const zones[3] = { "zone-a", "zone-b", "zone-c" };

static unsigned long rng = 88172645463325252UL;
static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void node(FILE *f, int i)
{
    int pool = i % 5;
    int zone = (i / 5) % 3;
    const char *cpu = pool == 3 ? "32" : "16";
    const char *mem = pool == 2 ? "128Gi" : "64Gi";
    fprintf(f, "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node-%05d\n  labels:\n"
               "    kubernetes.io/hostname: node-%05d\n    topology.kubernetes.io/zone: %s\n"
               "    topology.kubernetes.io/region: region-1\n    kubearch.io/pool: %s\n"
               "    node.kubernetes.io/instance-type: m6i.4xlarge\n",
            i, i, zones[zone], pools[pool]);
    if (pool == 4)
        fprintf(f, "spec:\n  taints:\n  - {key: nvidia.com/gpu, value: present, effect: NoSchedule}\n");
    fprintf(f, "status:\n  allocatable: {cpu: \"%s\", memory: %s, ephemeral-storage: 100Gi, "
               "pods: \"110\"%s}\n",
            cpu, mem, pool == 4 ? ", nvidia.com/gpu: \"4\"" : "");
}

enum { BASIC, SPREAD, PREF_ANTI, REQ_ANTI, POOLED, GPU };

static void deployment(FILE *f, int d, int replicas, int kind)
{
    static const char *const cpus[] = { "100m", "200m", "250m", "300m", "500m" };
    static const char *const mems[] = { "128Mi", "256Mi", "512Mi", "384Mi", "1Gi" };
    int r = (int)(next() % 5);
    fprintf(f, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%04d\n"
               "  namespace: team-%02d\nspec:\n  replicas: %d\n  selector:\n    matchLabels: {app: app-%04d}\n"
               "  template:\n    metadata:\n      labels: {app: app-%04d, tier: t%d}\n    spec:\n",
            d, d % 20, replicas, d, d, d % 3);
    if (kind == SPREAD)
        fprintf(f, "      topologySpreadConstraints:\n      - maxSkew: 1\n"
                   "        topologyKey: topology.kubernetes.io/zone\n"
                   "        whenUnsatisfiable: DoNotSchedule\n"
                   "        labelSelector: {matchLabels: {app: app-%04d}}\n"
                   "        matchLabelKeys: [pod-template-hash]\n", d);
    if (kind == PREF_ANTI || kind == REQ_ANTI) {
        fprintf(f, "      affinity:\n        podAntiAffinity:\n");
        if (kind == REQ_ANTI)
            fprintf(f, "          requiredDuringSchedulingIgnoredDuringExecution:\n"
                       "          - topologyKey: kubernetes.io/hostname\n"
                       "            labelSelector: {matchLabels: {app: app-%04d}}\n", d);
        else
            fprintf(f, "          preferredDuringSchedulingIgnoredDuringExecution:\n"
                       "          - weight: 100\n            podAffinityTerm:\n"
                       "              topologyKey: kubernetes.io/hostname\n"
                       "              labelSelector: {matchLabels: {app: app-%04d}}\n", d);
    }
    if (kind == POOLED)
        fprintf(f, "      affinity:\n        nodeAffinity:\n"
                   "          requiredDuringSchedulingIgnoredDuringExecution:\n"
                   "            nodeSelectorTerms:\n            - matchExpressions:\n"
                   "              - {key: kubearch.io/pool, operator: In, values: [%s]}\n"
                   "          preferredDuringSchedulingIgnoredDuringExecution:\n"
                   "          - weight: 10\n            preference:\n              matchExpressions:\n"
                   "              - {key: topology.kubernetes.io/zone, operator: In, values: [%s]}\n",
                pools[d % 4], zones[d % 3]);
    if (kind == GPU)
        fprintf(f, "      nodeSelector: {kubearch.io/pool: gpu}\n      tolerations:\n"
                   "      - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}\n");
    fprintf(f, "      containers:\n      - name: app\n        image: registry.example/app-%04d:1.0\n"
               "        resources:\n          requests: {cpu: %s, memory: %s}\n",
            d, cpus[r], mems[r]);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: simulate_gen OUT NODES PODS [mixed|basic|spread|anti]\n");
        return 2;
    }
    FILE *f = strcmp(argv[1], "-") ? fopen(argv[1], "w") : stdout;
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    int nodes = atoi(argv[2]), pods = atoi(argv[3]);
    const char *shape = argc > 4 ? argv[4] : "mixed";
    for (int i = 0; i < nodes; i++)
        node(f, i);
    int d = 0, left = pods;
    while (left > 0) {
        int kind;
        if (!strcmp(shape, "basic"))
            kind = BASIC;
        else if (!strcmp(shape, "spread"))
            kind = SPREAD;
        else if (!strcmp(shape, "anti"))
            kind = d % 4 == 3 ? REQ_ANTI : PREF_ANTI;
        else {
            static const int mix[10] = { BASIC, SPREAD, PREF_ANTI, BASIC, POOLED,
                                         SPREAD, REQ_ANTI, BASIC, PREF_ANTI, GPU };
            kind = mix[d % 10];
        }
        int replicas = 100 + (int)(next() % 800);
        if (kind == REQ_ANTI)
            replicas = 10 + (int)(next() % 90);
        if (kind == GPU)
            replicas = 20 + (int)(next() % 100);
        if (replicas > left)
            replicas = left;
        deployment(f, d++, replicas, kind);
        left -= replicas;
    }
    if (f != stdout)
        fclose(f);
    return 0;
}
