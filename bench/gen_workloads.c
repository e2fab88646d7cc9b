/*
 * gen_workloads.c - deterministic generator of one large multi-document
 * manifest for `make bench`: N Deployments and one Service per Deployment
 * (default N = 40000, about 75 MB), plus what a team keeps beside them in
 * each of its namespaces (72: 24 teams x prod/staging/dev): the Namespace,
 * default-deny and allow NetworkPolicies, a ResourceQuota and a LimitRange, a
 * ConfigMap and a Secret, and a ServiceAccount and a PodDisruptionBudget per
 * role (about 2,300 objects in all).
 *
 * The workloads look like what teams write: app.kubernetes.io labels, one
 * container (some with a log-shipping sidecar or a migration init
 * container), ports, env from the namespace's ConfigMap and Secret,
 * resources, probes, securityContext, topology spread. A few percent carry
 * deliberate problems (latest tags, missing limits or probes, privileged
 * containers, identical probes, unexposed probe ports, a single replica,
 * duplicate env, hostPath, the default namespace, a selector that misses the
 * template labels, a deprecated apiVersion, a missing ServiceAccount or Secret
 * key, a Service selecting nothing, ...) so that the checker has findings to
 * report: about one finding per three objects.
 *
 * Usage: gen_workloads OUT.yaml [DEPLOYMENTS] [SEED]
 * Same arguments, same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint32_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

/* true with probability pct / 1000 */
static int chance(unsigned permille)
{
    return rnd() % 1000 < permille;
}

static const char *const teams[] = {
    "payments", "checkout", "catalog", "search", "identity", "billing", "shipping", "inventory",
    "reviews", "ads", "recommendation", "notifications", "analytics", "reporting", "platform",
    "observability", "gateway", "media", "profile", "orders", "pricing", "fraud", "support",
    "loyalty",
};
#define NTEAMS (sizeof teams / sizeof teams[0])

static const char *const envs[] = { "prod", "staging", "dev" };

static const char *const roles[] = {
    "api", "worker", "frontend", "consumer", "scheduler", "cache", "gateway", "indexer",
    "exporter", "sync", "webhook", "reconciler",
};
#define NROLES (sizeof roles / sizeof roles[0])

static const char *const cpu_req[] = { "50m", "100m", "200m", "250m", "500m", "1" };
static const char *const cpu_lim[] = { "200m", "500m", "1", "1500m", "2", "4" };
static const char *const mem_req[] = { "64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi" };
static const char *const mem_lim[] = { "128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi" };


static void ns_name(char *out, size_t n, unsigned team, unsigned env)
{
    snprintf(out, n, "%s-%s", teams[team], envs[env]);
}

static void gen_namespace(FILE *o, unsigned team, unsigned env)
{
    char ns[64];
    ns_name(ns, sizeof ns, team, env);
    fprintf(o,
            "---\n"
            "apiVersion: v1\n"
            "kind: Namespace\n"
            "metadata:\n"
            "  name: %s\n"
            "  labels:\n"
            "    team: %s\n"
            "    environment: %s\n",
            ns, teams[team], envs[env]);
    if (env != 2) /* dev namespaces lack the Pod Security label (SEC-027) */
        fprintf(o, "    pod-security.kubernetes.io/enforce: restricted\n"
                   "    pod-security.kubernetes.io/warn: restricted\n");
    fprintf(o,
            "---\n"
            "apiVersion: networking.k8s.io/v1\n"
            "kind: NetworkPolicy\n"
            "metadata:\n"
            "  name: default-deny\n"
            "  namespace: %s\n"
            "spec:\n"
            "  podSelector: {}\n"
            "  policyTypes: [Ingress, Egress]\n"
            "---\n"
            "apiVersion: networking.k8s.io/v1\n"
            "kind: NetworkPolicy\n"
            "metadata:\n"
            "  name: allow-dns\n"
            "  namespace: %s\n"
            "spec:\n"
            "  podSelector: {}\n"
            "  policyTypes: [Egress]\n"
            "  egress:\n"
            "    - to:\n"
            "        - namespaceSelector:\n"
            "            matchLabels:\n"
            "              kubernetes.io/metadata.name: kube-system\n"
            "          podSelector:\n"
            "            matchLabels:\n"
            "              k8s-app: kube-dns\n"
            "      ports:\n"
            "        - {protocol: UDP, port: 53}\n"
            "        - {protocol: TCP, port: 53}\n"
            "---\n"
            "apiVersion: networking.k8s.io/v1\n"
            "kind: NetworkPolicy\n"
            "metadata:\n"
            "  name: allow-http-from-namespace\n"
            "  namespace: %s\n"
            "spec:\n"
            "  podSelector: {}\n"
            "  policyTypes: [Ingress]\n"
            "  ingress:\n"
            "    - from:\n"
            "        - podSelector: {}\n"
            "      ports:\n"
            "        - {protocol: TCP, port: http}\n"
            "---\n"
            "apiVersion: v1\n"
            "kind: ResourceQuota\n"
            "metadata:\n"
            "  name: compute\n"
            "  namespace: %s\n"
            "spec:\n"
            "  hard:\n"
            "    requests.cpu: \"%u\"\n"
            "    requests.memory: %uGi\n"
            "    limits.memory: %uGi\n"
            "---\n"
            "apiVersion: v1\n"
            "kind: LimitRange\n"
            "metadata:\n"
            "  name: defaults\n"
            "  namespace: %s\n"
            "spec:\n"
            "  limits:\n"
            "    - type: Container\n"
            "      default: {cpu: 500m, memory: 512Mi}\n"
            "      defaultRequest: {cpu: 100m, memory: 128Mi}\n"
            "---\n"
            "apiVersion: v1\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: %s-settings\n"
            "  namespace: %s\n"
            "data:\n"
            "  log-level: %s\n"
            "  region: eu-west-1\n"
            "---\n"
            "apiVersion: v1\n"
            "kind: Secret\n"
            "metadata:\n"
            "  name: %s-db\n"
            "  namespace: %s\n"
            "type: Opaque\n"
            "data:\n"
            "  url: cG9zdGdyZXM6Ly9kYi5leGFtcGxlLmNvbTo1NDMyL2FwcA==\n",
            ns, ns, ns, ns, 200 + 100 * env, 400 + 200 * env, 800 + 400 * env, ns, teams[team],
            ns, env == 0 ? "info" : "debug", teams[team], ns);
    for (size_t r = 0; r < NROLES; r++)
        fprintf(o,
                "---\n"
                "apiVersion: v1\n"
                "kind: ServiceAccount\n"
                "metadata:\n"
                "  name: %s\n"
                "  namespace: %s\n"
                "automountServiceAccountToken: false\n"
                "---\n"
                "apiVersion: policy/v1\n"
                "kind: PodDisruptionBudget\n"
                "metadata:\n"
                "  name: %s\n"
                "  namespace: %s\n"
                "spec:\n"
                "  maxUnavailable: 1\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app.kubernetes.io/component: %s\n",
                roles[r], ns, roles[r], ns, roles[r]);
}

static void gen_probe(FILE *o, const char *ind, const char *which, const char *path,
                      const char *port, unsigned delay)
{
    if (delay)
        fprintf(o, "%s%s:\n%s  httpGet: {path: %s, port: %s}\n%s  initialDelaySeconds: %u\n", ind,
                which, ind, path, port, ind, delay);
    else
        fprintf(o, "%s%s: {httpGet: {path: %s, port: %s}}\n", ind, which, path, port);
}

static const char *const eph_req[] = { "256Mi", "512Mi", "1Gi" };
static const char *const eph_lim[] = { "1Gi", "2Gi", "4Gi" };

static void gen_resources(FILE *o, const char *ind, int missing_limits, int missing_all)
{
    if (missing_all)
        return;
    unsigned i = rnd() % 6, e = rnd() % 3;
    fprintf(o,
            "%sresources:\n"
            "%s  requests: {cpu: %s, memory: %s, ephemeral-storage: %s}\n",
            ind, ind, cpu_req[i], mem_req[i], eph_req[e]);
    if (!missing_limits)
        fprintf(o, "%s  limits: {cpu: %s, memory: %s, ephemeral-storage: %s}\n", ind, cpu_lim[i],
                mem_lim[i], eph_lim[e]);
}

static void gen_csc(FILE *o, const char *ind, int privileged, int add_caps)
{
    fprintf(o, "%ssecurityContext:\n", ind);
    if (privileged)
        fprintf(o, "%s  privileged: true\n", ind);
    fprintf(o,
            "%s  allowPrivilegeEscalation: %s\n"
            "%s  readOnlyRootFilesystem: true\n"
            "%s  capabilities: {drop: [\"ALL\"]%s}\n",
            ind, privileged ? "true" : "false", ind, ind, add_caps ? ", add: [\"NET_ADMIN\"]" : "");
}

typedef struct ident {
    unsigned team, env;
    const char *role;
    char ns[64], name[96];
} ident;

static void gen_ident(ident *id, unsigned i)
{
    id->team = rnd() % NTEAMS;
    id->env = rnd() % 3;
    id->role = roles[rnd() % NROLES];
    ns_name(id->ns, sizeof id->ns, id->team, id->env);
    snprintf(id->name, sizeof id->name, "%s-%s-%05u", teams[id->team], id->role, i);
}

static void gen_deployment(FILE *o, const ident *id)
{
    const char *team = teams[id->team], *role = id->role, *name = id->name;
    unsigned major = 1 + rnd() % 4, minor = rnd() % 20, patch = rnd() % 10;

    /* deliberate problems, in permille */
    int p_latest = chance(30), p_nolimits = chance(40), p_nores = chance(10);
    int p_privileged = chance(15), p_noready = chance(30), p_same_probes = chance(20);
    int p_badport = chance(10), p_one_replica = chance(30), p_noseccomp = chance(25);
    int p_dupenv = chance(10), p_hostpath = chance(8), p_default_ns = chance(10);
    int p_badselector = chance(8), p_caps = chance(20), p_deprecated = chance(3);
    int p_rootuid = chance(15), p_automount = chance(30), p_recreate = chance(15);
    int p_nospread = chance(50), p_nosa = chance(10), p_badkey = chance(10);

    fprintf(o, "---\napiVersion: %s\nkind: Deployment\nmetadata:\n  name: %s\n",
            p_deprecated ? "extensions/v1beta1" : "apps/v1", name);
    if (!p_default_ns)
        fprintf(o, "  namespace: %s\n", id->ns);
    fprintf(o,
            "  labels:\n"
            "    app.kubernetes.io/name: %s\n",
            name);
    if (chance(200))
        fprintf(o, "  annotations:\n"
                   "    kubearch.io/ignore: \"RES-004\"\n"
                   "    kubearch.io/ignore-reason: \"no CPU limits on this team's nodes\"\n");
    fprintf(o,
            "spec:\n"
            "  replicas: %u\n"
            "  selector:\n"
            "    matchLabels:\n"
            "      app.kubernetes.io/name: %s%s\n",
            p_one_replica ? 1 : 2 + rnd() % 5, name, p_badselector ? "-old" : "");
    if (p_recreate)
        fprintf(o, "  strategy:\n    type: Recreate\n");
    else if (chance(500))
        fprintf(o, "  strategy:\n    rollingUpdate: {maxSurge: 25%%, maxUnavailable: 0}\n");
    fprintf(o,
            "  template:\n"
            "    metadata:\n"
            "      labels:\n"
            "        app.kubernetes.io/name: %s\n"
            "        app.kubernetes.io/component: %s\n"
            "    spec:\n"
            "      serviceAccountName: %s%s\n",
            name, role, role, p_nosa ? "-legacy" : "");
    if (!p_automount)
        fprintf(o, "      automountServiceAccountToken: false\n");
    fprintf(o, "      securityContext:\n");
    if (p_rootuid)
        fprintf(o, "        runAsUser: 0\n");
    else
        fprintf(o, "        runAsNonRoot: true\n        runAsUser: %u\n", 10000 + rnd() % 50000);
    if (!p_noseccomp)
        fprintf(o, "        seccompProfile: {type: RuntimeDefault}\n");
    if (!p_nospread)
        fprintf(o,
                "      topologySpreadConstraints:\n"
                "        - maxSkew: 1\n"
                "          topologyKey: %s\n"
                "          whenUnsatisfiable: ScheduleAnyway\n"
                "          labelSelector: {matchLabels: {app.kubernetes.io/name: %s}}\n",
                chance(500) ? "kubernetes.io/hostname" : "topology.kubernetes.io/zone", name);
    if (chance(60))
        fprintf(o,
                "      initContainers:\n"
                "        - name: migrate\n"
                "          image: registry.example.com/%s/%s-migrate:%u.%u.%u\n"
                "          resources:\n"
                "            requests: {cpu: 50m, memory: 64Mi, ephemeral-storage: 64Mi}\n"
                "            limits: {cpu: 200m, memory: 128Mi, ephemeral-storage: 128Mi}\n"
                "          securityContext:\n"
                "            allowPrivilegeEscalation: false\n"
                "            readOnlyRootFilesystem: true\n"
                "            capabilities: {drop: [\"ALL\"]}\n",
                team, role, major, minor, patch);
    /* the main container */
    const char *c = "          ";
    fprintf(o, "      containers:\n        - name: %s\n", role);
    if (p_latest)
        fprintf(o, "%simage: registry.example.com/%s/%s:latest\n", c, team, role);
    else
        fprintf(o, "%simage: registry.example.com/%s/%s:%u.%u.%u\n", c, team, role, major, minor,
                patch);
    fprintf(o, "%sports: [{name: http, containerPort: 8080}]\n", c);
    int env = chance(500) || p_dupenv || p_badkey;
    if (env)
        fprintf(o,
                "%senv:\n"
                "%s  - name: LOG_LEVEL\n"
                "%s    valueFrom: {configMapKeyRef: {name: %s-settings, key: log-level}}\n",
                c, c, c, team);
    if (env && (p_badkey || chance(300)))
        fprintf(o, "%s  - name: DATABASE_URL\n"
                   "%s    valueFrom: {secretKeyRef: {name: %s-db, key: %s}}\n",
                c, c, team, p_badkey ? "password" : "url");
    if (p_dupenv)
        fprintf(o, "%s  - name: LOG_LEVEL\n%s    value: debug\n", c, c);
    gen_resources(o, c, p_nolimits, p_nores);
    if (!p_noready)
        gen_probe(o, c, "readinessProbe", "/ready", p_badport ? "admin" : "http", 0);
    if (p_same_probes && !p_noready)
        gen_probe(o, c, "livenessProbe", "/ready", p_badport ? "admin" : "http", 0);
    else
        gen_probe(o, c, "livenessProbe", "/healthz", "http", 15);
    gen_csc(o, c, p_privileged, p_caps);
    if (chance(100)) {
        /* a log shipping sidecar, with the health endpoint of fluent-bit */
        fprintf(o,
                "        - name: log-shipper\n"
                "          image: docker.io/fluent/fluent-bit:3.%u.%u\n"
                "          ports: [{name: health, containerPort: 2020}]\n",
                rnd() % 3, rnd() % 10);
        gen_resources(o, c, chance(100), 0);
        if (chance(800)) {
            gen_probe(o, c, "readinessProbe", "/api/v1/health", "health", 0);
            gen_probe(o, c, "livenessProbe", "/", "health", 10);
        }
        gen_csc(o, c, 0, 0);
    }
    if (p_hostpath)
        fprintf(o, "%svolumeMounts:\n"
                   "%s  - name: host-logs\n"
                   "%s    mountPath: /host/logs\n"
                   "      volumes:\n"
                   "        - name: host-logs\n"
                   "          hostPath:\n"
                   "            path: /var/log\n",
                c, c, c);
}

static void gen_service(FILE *o, const ident *id)
{
    int headless = chance(50), typo = chance(10);
    fprintf(o,
            "---\n"
            "apiVersion: v1\n"
            "kind: Service\n"
            "metadata:\n"
            "  name: %s\n"
            "  namespace: %s\n",
            id->name, id->ns);
    fprintf(o, "spec:\n");
    if (headless)
        fprintf(o, "  clusterIP: None\n");
    fprintf(o,
            "  selector:\n"
            "    app.kubernetes.io/name: %s%s\n"
            "  ports:\n"
            "    - name: http\n"
            "      port: 80\n"
            "      targetPort: http\n",
            id->name, typo ? "-typo" : "");
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: gen_workloads OUT.yaml [DEPLOYMENTS] [SEED]\n");
        return 2;
    }
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 40000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240611;
    if (!rng_state)
        rng_state = 1;
    FILE *o = strcmp(argv[1], "-") == 0 ? stdout : fopen(argv[1], "w");
    if (!o) {
        perror(argv[1]);
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(o, buf, _IOFBF, sizeof buf);
    fprintf(o, "# generated by bench/gen_workloads.c: %u Deployments, %u Services\n", n, n);
    for (unsigned t = 0; t < NTEAMS; t++)
        for (unsigned e = 0; e < 3; e++)
            gen_namespace(o, t, e);
    for (unsigned i = 0; i < n; i++) {
        ident id;
        gen_ident(&id, i);
        gen_deployment(o, &id);
        gen_service(o, &id);
    }
    if (fflush(o) != 0 || (o != stdout && fclose(o) != 0)) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
