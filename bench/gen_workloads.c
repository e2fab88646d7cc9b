/*
 * gen_workloads.c - deterministic generator of one large multi-document
 * manifest for `make bench`: N Deployments, one Service per Deployment and a
 * Namespace per team (default N = 40000, about 75 MB).
 *
 * The objects look like what teams write: namespaces spread over teams,
 * app.kubernetes.io labels, one to three containers (some with a sidecar or
 * an init container), env, ports, resources, probes, securityContext,
 * anti-affinity or topology spread. A few percent carry deliberate problems
 * (latest tags, missing limits or probes, privileged containers, identical
 * probes, unexposed probe ports, a single replica, duplicate env, hostPath,
 * the default namespace, a selector that misses the template labels, a
 * deprecated apiVersion) so that the checker has findings to report.
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
static const char *const log_levels[] = { "debug", "info", "warn", "error" };

#define PICK(a) (a)[rnd() % (sizeof(a) / sizeof((a)[0]))]

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
}

static void gen_probe(FILE *o, const char *ind, const char *which, const char *path,
                      const char *port, unsigned delay)
{
    fprintf(o,
            "%s%s:\n"
            "%s  httpGet:\n"
            "%s    path: %s\n"
            "%s    port: %s\n",
            ind, which, ind, ind, path, ind, port);
    if (delay)
        fprintf(o, "%s  initialDelaySeconds: %u\n", ind, delay);
}

static void gen_resources(FILE *o, const char *ind, int missing_limits, int missing_all)
{
    if (missing_all)
        return;
    unsigned i = rnd() % 6;
    fprintf(o,
            "%sresources:\n"
            "%s  requests:\n"
            "%s    cpu: %s\n"
            "%s    memory: %s\n",
            ind, ind, ind, cpu_req[i], ind, mem_req[i]);
    if (!missing_limits)
        fprintf(o,
                "%s  limits:\n"
                "%s    cpu: %s\n"
                "%s    memory: %s\n",
                ind, ind, cpu_lim[i], ind, mem_lim[i]);
}

static void gen_csc(FILE *o, const char *ind, int privileged, int add_caps)
{
    fprintf(o, "%ssecurityContext:\n", ind);
    if (privileged)
        fprintf(o, "%s  privileged: true\n", ind);
    fprintf(o,
            "%s  allowPrivilegeEscalation: %s\n"
            "%s  readOnlyRootFilesystem: true\n"
            "%s  capabilities:\n"
            "%s    drop: [\"ALL\"]\n",
            ind, privileged ? "true" : "false", ind, ind, ind);
    if (add_caps)
        fprintf(o, "%s    add: [\"NET_ADMIN\"]\n", ind);
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
    int p_privileged = chance(15), p_noready = chance(40), p_same_probes = chance(20);
    int p_badport = chance(10), p_one_replica = chance(30), p_noseccomp = chance(25);
    int p_dupenv = chance(10), p_hostpath = chance(8), p_default_ns = chance(10);
    int p_badselector = chance(8), p_caps = chance(20), p_deprecated = chance(3);
    int p_rootuid = chance(15), p_automount = chance(30), p_recreate = chance(15);

    fprintf(o, "---\napiVersion: %s\nkind: Deployment\nmetadata:\n  name: %s\n",
            p_deprecated ? "extensions/v1beta1" : "apps/v1", name);
    if (!p_default_ns)
        fprintf(o, "  namespace: %s\n", id->ns);
    fprintf(o,
            "  labels:\n"
            "    app.kubernetes.io/name: %s\n"
            "    team: %s\n",
            name, team);
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
        fprintf(o,
                "  strategy:\n"
                "    rollingUpdate:\n"
                "      maxSurge: 25%%\n"
                "      maxUnavailable: 0\n");
    fprintf(o,
            "  template:\n"
            "    metadata:\n"
            "      labels:\n"
            "        app.kubernetes.io/name: %s\n"
            "    spec:\n"
            "      serviceAccountName: %s\n",
            name, name);
    if (!p_automount)
        fprintf(o, "      automountServiceAccountToken: false\n");
    fprintf(o, "      securityContext:\n");
    if (p_rootuid)
        fprintf(o, "        runAsUser: 0\n");
    else
        fprintf(o,
                "        runAsNonRoot: true\n"
                "        runAsUser: %u\n",
                10000 + rnd() % 50000);
    if (!p_noseccomp)
        fprintf(o, "        seccompProfile:\n          type: RuntimeDefault\n");
    if (chance(500))
        fprintf(o,
                "      topologySpreadConstraints:\n"
                "        - maxSkew: 1\n"
                "          topologyKey: kubernetes.io/hostname\n"
                "          whenUnsatisfiable: ScheduleAnyway\n"
                "          labelSelector:\n"
                "            matchLabels:\n"
                "              app.kubernetes.io/name: %s\n",
                name);
    if (chance(60))
        fprintf(o,
                "      initContainers:\n"
                "        - name: migrate\n"
                "          image: registry.example.com/%s/%s-migrate:%u.%u.%u\n"
                "          resources:\n"
                "            requests: {cpu: 50m, memory: 64Mi}\n"
                "            limits: {cpu: 200m, memory: 128Mi}\n"
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
    fprintf(o,
            "%sports:\n"
            "%s  - name: http\n"
            "%s    containerPort: 8080\n",
            c, c, c);
    int env = chance(500) || p_dupenv;
    if (env)
        fprintf(o,
                "%senv:\n"
                "%s  - name: LOG_LEVEL\n"
                "%s    value: %s\n",
                c, c, c, PICK(log_levels));
    if (env && chance(300))
        fprintf(o,
                "%s  - name: DATABASE_URL\n"
                "%s    valueFrom:\n"
                "%s      secretKeyRef: {name: %s-db, key: url}\n",
                c, c, c, name);
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
        /* a log shipping sidecar */
        fprintf(o,
                "        - name: log-shipper\n"
                "          image: docker.io/fluent/fluent-bit:3.%u.%u\n",
                rnd() % 3, rnd() % 10);
        gen_resources(o, c, chance(100), 0);
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
    if (chance(500))
        fprintf(o, "  labels:\n    app.kubernetes.io/name: %s\n", id->name);
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
