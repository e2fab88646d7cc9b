/*
 * test_spec.c - the architecture spec loader: defaults, derived clusters,
 * pool capacity and allocatable, lookups, diagnostics with positions, the
 * starter specs, and the YAML emitter's quoting (values round-trip as the
 * type they were built as).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubearch/gen.h"
#include "kubearch/spec.h"
#include "gen/ydoc.h"

static const char minimal[] =
    "apiVersion: kubearch.io/v1alpha1\n"
    "kind: Architecture\n"
    "metadata:\n"
    "  name: mini\n"
    "spec:\n"
    "  pattern: single-cluster\n"
    "  regions:\n"
    "    - name: eu-west-1\n"
    "      zones: [eu-west-1a, eu-west-1b, eu-west-1c]\n"
    "  nodePools:\n"
    "    - {name: system, class: system, instanceType: m6i.large}\n"
    "    - {name: general, class: general, instanceType: m6i.xlarge, maxPerZone: 4}\n"
    "    - {name: cache, class: memory-optimized, instanceType: r6i.xlarge, minPerZone: 0}\n"
    "  environments:\n"
    "    - name: production\n"
    "    - name: development\n"
    "    - name: qa\n"
    "  networking:\n"
    "    ingress: {domain: mini.example.com, acme: {email: ops@example.com}}\n"
    "  storage:\n"
    "    backup: {bucket: b}\n"
    "  workloads:\n"
    "    - {name: web, environment: production, tier: frontend, image: 'r/web:1.0',\n"
    "       requests: {cpu: 0.25, memory: 256Mi}}\n"
    "    - {name: cache, environment: qa, tier: backend, pool: cache, replicas: 3,\n"
    "       spread: host, image: 'r/cache:7', requests: {cpu: 500m, memory: 1Gi}}\n";

static ka_spec *load(const char *text, ka_diags *d)
{
    ka_limits lim;
    ka_limits_default(&lim);
    ka_file *f = ka_load_buffer("spec.yaml", text, strlen(text), &lim, d);
    ka_spec *s = NULL;
    ka_spec_load(&s, f, d);
    ka_file_free(f);
    return s;
}

static ka_spec *load_ok(const char *text)
{
    ka_diags d;
    ka_diags_init(&d);
    ka_spec *s = load(text, &d);
    if (!s)
        ka_diags_print(&d, stderr);
    assert_non_null(s);
    assert_int_equal(d.errors, 0);
    ka_diags_free(&d);
    return s;
}

/* Text with the first occurrence of from replaced (malloc'd). */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t pre = (size_t)(at - text);
    memcpy(out, text, pre);
    strcpy(out + pre, to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_defaults(void **state)
{
    (void)state;
    ka_spec *s = load_ok(minimal);
    assert_string_equal(s->name, "mini");
    assert_int_equal(s->pattern, KA_PATTERN_SINGLE_CLUSTER);
    assert_int_equal(s->provider, KA_PROVIDER_AWS);
    assert_string_equal(s->kubernetes_version, "v1.35.0");
    assert_int_equal(s->kube_minor, 35);
    assert_int_equal(s->control_plane.replicas, 3);
    assert_int_equal(s->control_plane.etcd_members, 3);
    /* environments: defaults follow the conventional names */
    assert_int_equal(s->envs[0].security, KA_SECURITY_STRICT);
    assert_int_equal(s->envs[0].qos, KA_QOS_HIGH);
    assert_true(s->envs[0].dr);
    assert_int_equal(s->envs[1].security, KA_SECURITY_RELAXED);
    assert_int_equal(s->envs[1].qos, KA_QOS_LOW);
    assert_int_equal(s->envs[2].security, KA_SECURITY_STANDARD);
    assert_string_equal(s->envs[2].ns, "qa");
    assert_string_equal(s->envs[0].quota.requests_cpu.text, "16");
    assert_int_equal(s->envs[0].quota.requests_memory.bytes, 32LL << 30);
    assert_int_equal(s->envs[1].quota.pods, 50);
    assert_string_equal(s->envs[0].limits.default_request_cpu.text, "100m");
    /* the default tiers and storage */
    assert_int_equal(s->net.ntiers, 3);
    assert_string_equal(s->net.tiers[2].name, "database");
    assert_int_equal(s->net.tiers[2].port, 5432);
    assert_string_equal(s->net.ingress_impl, "envoy-gateway");
    assert_string_equal(s->net.ingress_ns, "envoy-gateway-system");
    assert_int_equal(s->storage.nclasses, 2);
    assert_true(s->storage.classes[1].is_default);
    assert_string_equal(s->storage.classes[0].provisioner, "ebs.csi.aws.com");
    assert_int_equal(s->storage.classes[0].reclaim, KA_RECLAIM_RETAIN);
    assert_true(s->storage.backup);
    assert_string_equal(s->storage.backup_schedule, "0 2 * * *");
    assert_int_equal(s->multicluster.fleet, KA_FLEET_NONE);
    assert_true(s->monitoring.enabled);
    /* the log collector ships to Loki beside Prometheus */
    assert_true(s->logging.enabled);
    assert_string_equal(s->logging.ns, "logging");
    assert_int_equal(s->logging.backend, KA_LOG_LOKI);
    assert_string_equal(s->logging.host, "loki.monitoring.svc.cluster.local");
    assert_int_equal(s->logging.port, 3100);
    assert_false(s->logging.tls);
    assert_string_equal(s->logging.backend_ns, "monitoring");
    assert_int_equal(s->logging.ncidrs, 0);
    assert_string_equal(s->logging.image, KA_LOG_DEFAULT_IMAGE);
    ka_spec_free(s);
}

static void test_pools(void **state)
{
    (void)state;
    ka_spec *s = load_ok(minimal);
    const ka_spec_region *r = &s->regions[0];
    assert_int_equal(r->npools, 3);
    const ka_spec_pool *sys = ka_spec_find_pool(r, "system");
    const ka_spec_pool *gen = ka_spec_find_pool(r, "general");
    const ka_spec_pool *mem = ka_spec_find_pool(r, "cache");
    assert_non_null(sys);
    assert_null(ka_spec_find_pool(r, "nope"));
    /* m6i.xlarge: 4 vCPU, 16 GiB; reservations 80m and 2.6 GiB + 100Mi eviction */
    assert_int_equal(gen->capacity.cpu.milli, 4000);
    assert_int_equal(gen->allocatable.cpu.milli, 3920);
    assert_string_equal(gen->allocatable.memory.text, "13621Mi");
    assert_int_equal(gen->allocatable.pods, 110);
    assert_int_equal(gen->min_per_zone, 1);
    assert_int_equal(gen->max_per_zone, 4);
    assert_int_equal(sys->max_per_zone, 3); /* default: 3 x min */
    /* class defaults: labels sorted by key, taints */
    assert_int_equal(sys->ntaints, 1);
    assert_string_equal(sys->taints[0].key, "CriticalAddonsOnly");
    assert_int_equal(gen->ntaints, 0);
    assert_int_equal(mem->ntaints, 1);
    assert_string_equal(mem->taints[0].value, "memory");
    assert_int_equal(mem->nlabels, 3);
    assert_string_equal(mem->labels[0].key, "node-class");
    assert_string_equal(mem->labels[1].key, "node-pool");
    assert_string_equal(mem->labels[2].key, "workload-class");
    assert_int_equal(mem->min_per_zone, 0);
    ka_spec_free(s);
}

static void test_managed_pods(void **state)
{
    (void)state;
    char *t = edit(minimal, "  pattern: single-cluster\n",
                   "  pattern: single-cluster\n  management: managed\n");
    ka_spec *s = load_ok(t);
    /* EKS: VPC CNI limit of m6i.large (29), capped at 110 for bigger ones */
    assert_int_equal(ka_spec_find_pool(&s->regions[0], "system")->allocatable.pods, 29);
    assert_int_equal(ka_spec_find_pool(&s->regions[0], "general")->allocatable.pods, 58);
    ka_spec_free(s);
    free(t);
}

static void test_workloads(void **state)
{
    (void)state;
    ka_spec *s = load_ok(minimal);
    assert_int_equal(s->nworkloads, 2);
    const ka_spec_workload *w = &s->workloads[0];
    assert_int_equal(w->replicas, 2);
    assert_int_equal(w->cpu.milli, 250);
    assert_string_equal(w->cpu.text, "250m");
    assert_int_equal(w->memory.bytes, 256 << 20);
    assert_ptr_equal(w->env, &s->envs[0]);
    assert_string_equal(w->tier_ref->name, "frontend");
    assert_int_equal(w->spread, KA_SPREAD_ZONE);
    assert_string_equal(ka_spec_workload_pool(&s->clusters[0], w)->name, "general");
    const ka_spec_workload *c = &s->workloads[1];
    assert_int_equal(c->spread, KA_SPREAD_HOST);
    assert_string_equal(ka_spec_workload_pool(&s->clusters[0], c)->name, "cache");
    ka_spec_free(s);
}

static void test_clusters(void **state)
{
    (void)state;
    ka_spec *s = load_ok(minimal);
    assert_int_equal(s->nclusters, 1);
    assert_string_equal(s->clusters[0].name, "mini");
    assert_int_equal(s->clusters[0].nenvs, 3);
    assert_true(ka_spec_cluster_runs(&s->clusters[0], &s->envs[2]));
    ka_spec_free(s);

    char *t = edit(minimal, "single-cluster", "cluster-per-environment");
    s = load_ok(t);
    assert_int_equal(s->nclusters, 3);
    assert_string_equal(s->clusters[1].name, "mini-development");
    assert_false(ka_spec_cluster_runs(&s->clusters[1], &s->envs[0]));
    assert_int_equal(s->multicluster.fleet, KA_FLEET_KARMADA);
    ka_spec_free(s);
    free(t);

    char *m = edit(minimal, "single-cluster", "multi-region");
    char *m2 = edit(m, "      zones: [eu-west-1a, eu-west-1b, eu-west-1c]\n",
                    "      zones: [eu-west-1a, eu-west-1b, eu-west-1c]\n"
                    "    - {name: eu-central-1, role: dr, zones: [eu-central-1a, eu-central-1b]}\n");
    s = load_ok(m2);
    assert_int_equal(s->nclusters, 4); /* three primaries, production's DR */
    assert_string_equal(s->clusters[3].name, "mini-production-dr");
    assert_true(s->clusters[3].dr);
    assert_string_equal(s->clusters[3].region->name, "eu-central-1");
    /* the DR region shares the spec's pools, sized for its own provider */
    assert_int_equal(s->clusters[3].region->npools, 3);
    ka_spec_free(s);
    free(m);
    free(m2);
}

static void test_errors(void **state)
{
    (void)state;
    ka_diags d;
    ka_diags_init(&d);
    char *t = edit(minimal, "pattern: single-cluster", "pattern: singel");
    assert_null(load(t, &d));
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 6);
    assert_int_equal(d.v[0].col, 12);
    assert_non_null(strstr(d.v[0].msg, "unknown value \"singel\""));
    ka_diags_free(&d);
    free(t);

    /* relations are reported at the field that has to change */
    ka_diags_init(&d);
    t = edit(minimal, "  networking:\n", "  controlPlane: {replicas: 4}\n  networking:\n");
    assert_null(load(t, &d));
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 18);
    assert_non_null(strstr(d.v[0].msg, "use an odd count"));
    ka_diags_free(&d);
    free(t);

    ka_diags_init(&d);
    assert_null(load("", &d));
    assert_int_equal(d.errors, 1);
    ka_diags_free(&d);
}

/* The plan of text as a single string of its logging.yaml (NULL when none),
 * after checking that every unit passes the self-check. */
static char *plan_logging(const char *text)
{
    ka_spec *s = load_ok(text);
    ka_gen_plan p;
    ka_diags d;
    ka_diags_init(&d);
    assert_int_equal(ka_gen_plan_build(&p, s, &d), 0);
    ka_gen_check *v;
    size_t nv;
    long found = ka_gen_self_check(&p, &v, &nv, &d);
    for (size_t u = 0; found != 0 && u < nv; u++)
        for (size_t i = 0; i < v[u].res.n; i++)
            fprintf(stderr, "%s: %s %s\n", v[u].unit, v[u].res.v[i].rule->id, v[u].res.v[i].message);
    assert_int_equal(found, 0);
    ka_gen_check_free(v, nv);
    const ka_gen_file *f = ka_gen_plan_find(&p, "clusters/mini/platform/logging.yaml");
    char *out = f ? strndup(f->data.p, f->data.n) : NULL;
    ka_gen_plan_free(&p);
    ka_diags_free(&d);
    ka_spec_free(s);
    return out;
}

static void test_logging(void **state)
{
    (void)state;
    /* the default: Loki in the monitoring namespace, Cilium, kubeadm */
    char *y = plan_logging(minimal);
    assert_non_null(y);
    assert_non_null(strstr(y, "kind: DaemonSet"));
    assert_non_null(strstr(y, "kubearch.io/ignore: SEC-003,SEC-004,SEC-016,SEC-022"));
    assert_non_null(strstr(y, "kind: CiliumNetworkPolicy"));
    assert_non_null(strstr(y, "Path                       /var/log/kubernetes/audit/audit.log"));
    assert_non_null(strstr(y, "Labels                     job=kube-apiserver-audit, cluster=mini"));
    assert_non_null(strstr(y, "kubernetes.io/metadata.name: monitoring"));
    assert_non_null(strstr(y, "kind: PodMonitor"));
    /* quota: (3 + 4 + 1) nodes x 3 zones + 3 control-plane nodes + 1 surge pod */
    assert_non_null(strstr(y, "    pods: 28\n"));
    free(y);

    /* an outside Elasticsearch on Calico without monitoring: addresses, TLS */
    char *t = edit(minimal, "  storage:\n",
                   "  monitoring: {enabled: false}\n"
                   "  logging:\n"
                   "    backend: {type: elasticsearch, host: logs.example.com,\n"
                   "              cidrs: [198.51.100.0/24, 203.0.113.0/24]}\n"
                   "  storage:\n");
    char *t2 = edit(t, "  networking:\n", "  networking:\n    cni: calico\n");
    ka_spec *s = load_ok(t2);
    assert_true(s->logging.enabled);
    assert_null(s->logging.backend_ns);
    assert_true(s->logging.tls);
    assert_int_equal(s->logging.port, 9200);
    assert_int_equal(s->logging.ncidrs, 2);
    ka_spec_free(s);
    y = plan_logging(t2);
    assert_non_null(y);
    assert_non_null(strstr(y, "cidr: 198.51.100.0/24"));
    assert_non_null(strstr(y, "cidr: 203.0.113.0/24"));
    assert_non_null(strstr(y, "Name                       es"));
    assert_non_null(strstr(y, "Logstash_Prefix            mini-audit"));
    assert_non_null(strstr(y, "tls.verify                 On"));
    /* Calico: the API server through the machine network */
    assert_non_null(strstr(y, "cidr: 10.0.0.0/16"));
    assert_null(strstr(y, "CiliumNetworkPolicy"));
    assert_null(strstr(y, "PodMonitor"));
    free(y);
    free(t);
    free(t2);

    /* an address is its own /32; forward and OpenTelemetry outputs */
    t = edit(minimal, "  storage:\n",
             "  logging:\n    backend: {type: forward, host: 192.0.2.7}\n  storage:\n");
    s = load_ok(t);
    assert_int_equal(s->logging.port, 24224);
    assert_int_equal(s->logging.ncidrs, 1);
    assert_string_equal(s->logging.cidrs[0], "192.0.2.7/32");
    ka_spec_free(s);
    y = plan_logging(t);
    assert_non_null(strstr(y, "Name                       forward"));
    assert_non_null(strstr(y, "cidr: 192.0.2.7/32"));
    free(y);
    free(t);
    t = edit(minimal, "  storage:\n",
             "  logging:\n    backend: {type: opentelemetry, host: otel.monitoring.svc}\n"
             "  storage:\n");
    y = plan_logging(t);
    assert_non_null(strstr(y, "Logs_uri                   /v1/logs"));
    assert_non_null(strstr(y, "Port                       4318"));
    free(y);
    free(t);

    /* without monitoring and a backend: no collector */
    t = edit(minimal, "  storage:\n", "  monitoring: {enabled: false}\n  storage:\n");
    s = load_ok(t);
    assert_false(s->logging.enabled);
    ka_spec_free(s);
    assert_null(plan_logging(t));
    free(t);
    t = edit(minimal, "  storage:\n", "  logging: {enabled: false}\n  storage:\n");
    assert_null(plan_logging(t));
    free(t);

    /* errors at the field to change */
    ka_diags d;
    ka_diags_init(&d);
    t = edit(minimal, "  storage:\n", "  logging:\n    backend: {host: loki.loki.svc}\n  storage:\n");
    assert_null(load(t, &d));
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 21);
    assert_non_null(strstr(d.v[0].msg, "runs in the monitoring namespace \"monitoring\""));
    ka_diags_free(&d);
    free(t);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ka_pattern_name(KA_PATTERN_CLUSTER_PER_ENV), "cluster-per-environment");
    assert_string_equal(ka_provider_name(KA_PROVIDER_BARE_METAL), "bare-metal");
    assert_string_equal(ka_pool_class_name(KA_POOL_STORAGE), "storage-optimized");
    assert_string_equal(ka_taint_effect_name(KA_TAINT_NO_EXECUTE), "NoExecute");
    assert_string_equal(ka_binding_name(KA_BINDING_WAIT), "WaitForFirstConsumer");
    assert_string_equal(ka_pattern_name((ka_pattern)99), "?");
}

static void test_starters(void **state)
{
    (void)state;
    for (int p = 0; p < 3; p++)
        for (int prov = -1; prov < 4; prov++) {
            const char *why;
            char *text = ka_spec_starter((ka_pattern)p, prov, &why);
            if (prov == KA_PROVIDER_BARE_METAL && p != KA_PATTERN_SINGLE_CLUSTER) {
                assert_null(text);
                assert_non_null(why);
                continue;
            }
            assert_non_null(text);
            ka_spec *s = load_ok(text);
            assert_int_equal(s->pattern, p);
            if (prov >= 0)
                assert_int_equal(s->regions[0].provider, prov);
            ka_gen_plan plan;
            ka_diags d;
            ka_diags_init(&d);
            assert_int_equal(ka_gen_plan_build(&plan, s, &d), 0);
            assert_non_null(ka_gen_plan_find(&plan, "ARCHITECTURE.md"));
            assert_non_null(ka_gen_plan_find(&plan, "kustomization.yaml"));
            ka_gen_plan_free(&plan);
            ka_diags_free(&d);
            ka_spec_free(s);
            free(text);
        }
}

static void test_emit_quoting(void **state)
{
    (void)state;
    ybuild b = { ka_arena_new() };
    ynode *m = y_map(&b);
    static const char *const strings[] = { "true", "no", "8080", "1.5", "", "0x1F", "~",
                                           "250m", "1.4.2", "a: b", "- x", "#c" };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%zu", i);
        y_putstr(&b, m, key, strings[i]);
    }
    y_putint(&b, m, "num", 8080);
    y_putbool(&b, m, "b", true);
    ka_buf out;
    ka_buf_init(&out);
    char err[128];
    assert_int_equal(y_emit(&m, 1, &out, err, sizeof err), 0);
    ka_buf_cstr(&out);
    assert_non_null(strstr(out.p, "k0: \"true\"\n"));
    assert_non_null(strstr(out.p, "k7: 250m\n"));
    assert_non_null(strstr(out.p, "num: 8080\n"));
    assert_non_null(strstr(out.p, "b: true\n"));
    /* read back: every string is a string, ints and bools are plain */
    ka_limits lim;
    ka_limits_default(&lim);
    ka_diags d;
    ka_diags_init(&d);
    ka_file *f = ka_load_buffer("x.yaml", out.p, out.n, &lim, &d);
    assert_int_equal(d.errors, 0);
    const ka_node *root = f->docs[0].root;
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%zu", i);
        const ka_node *v = ka_get(root, key);
        assert_non_null(v);
        assert_string_equal(ka_cstr(v), strings[i]);
        int64_t x;
        assert_false(v->style == KA_STYLE_PLAIN && ka_int(v, &x));
        assert_false(v->style == KA_STYLE_PLAIN && ka_bool(v) >= 0);
        assert_false(v->style == KA_STYLE_PLAIN && ka_is_null(v));
    }
    int64_t x = 0;
    assert_true(ka_int(ka_get(root, "num"), &x));
    assert_int_equal(x, 8080);
    assert_int_equal(ka_bool(ka_get(root, "b")), 1);
    ka_file_free(f);
    ka_diags_free(&d);
    ka_buf_free(&out);
    ka_arena_free(b.a);
}

static void test_plan_deterministic(void **state)
{
    (void)state;
    ka_spec *s = load_ok(ka_spec_example(KA_PATTERN_MULTI_REGION));
    ka_gen_plan a, b;
    ka_diags d;
    ka_diags_init(&d);
    assert_int_equal(ka_gen_plan_build(&a, s, &d), 0);
    assert_int_equal(ka_gen_plan_build(&b, s, &d), 0);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.v[i].path, b.v[i].path);
        assert_int_equal(a.v[i].data.n, b.v[i].data.n);
        assert_memory_equal(a.v[i].data.p, b.v[i].data.p, a.v[i].data.n);
        if (i)
            assert_true(strcmp(a.v[i - 1].path, a.v[i].path) < 0);
    }
    /* and the in-memory check finds nothing */
    ka_gen_check *v;
    size_t nv;
    assert_int_equal(ka_gen_self_check(&a, &v, &nv, &d), 0);
    assert_true(nv >= 4); /* management, fleet, 4 clusters */
    ka_gen_check_free(v, nv);
    ka_gen_plan_free(&a);
    ka_gen_plan_free(&b);
    ka_diags_free(&d);
    ka_spec_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_pools),
        cmocka_unit_test(test_managed_pods),
        cmocka_unit_test(test_workloads),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_logging),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_starters),
        cmocka_unit_test(test_emit_quoting),
        cmocka_unit_test(test_plan_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
