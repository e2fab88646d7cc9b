/*
 * test_rbac.c - RBAC rule matching, identities, requests, aggregation and
 * escalation paths.
 *
 * The matching table restates the behaviour of
 * k8s.io/component-helpers/auth/rbac (VerbMatches, APIGroupMatches,
 * ResourceMatches with "*" and "*\/sub", ResourceNameMatches,
 * NonResourceURLMatches with trailing "*"), the subject test of the RBAC
 * authorizer (appliesToUser: SA subjects default to the binding's namespace)
 * and the aggregation controller (selectors in order, matches by name,
 * the role itself skipped, duplicates dropped), written as our own cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kubearch/kubearch.h"
#include "kubearch/rbac.h"

static ka_objset *load(const char *yaml)
{
    ka_diags d;
    ka_diags_init(&d);
    ka_objset *s = ka_objset_new(NULL);
    ka_objset_add_file(s, ka_load_buffer("t.yaml", yaml, strlen(yaml), NULL, &d), &d);
    assert_int_equal(d.errors, 0);
    ka_objset_index(s);
    ka_diags_free(&d);
    return s;
}

/* One rule from flow YAML, matched against one request. */
static bool allows(const char *rule, const char *verb, const char *group, const char *res,
                   const char *sub, const char *name)
{
    ka_diags d;
    ka_diags_init(&d);
    ka_file *f = ka_load_buffer("r.yaml", rule, strlen(rule), NULL, &d);
    assert_int_equal(d.errors, 0);
    ka_rbac_rule *r;
    size_t n = ka_rbac_parse_rules(f->arena, f->docs[0].root, &r);
    assert_int_equal(n, 1);
    ka_rbac_request q;
    memset(&q, 0, sizeof q);
    q.verb = ka_str_c(verb);
    if (res[0] == '/') {
        q.nonresource = true;
        q.path = ka_str_c(res);
    } else {
        q.group = ka_str_c(group);
        q.resource = ka_str_c(res);
        q.subresource = ka_str_c(sub);
        q.name = ka_str_c(name);
    }
    bool ok = ka_rbac_rule_allows(&r[0], &q);
    ka_file_free(f);
    ka_diags_free(&d);
    return ok;
}

static void test_rule_matching(void **state)
{
    (void)state;
    const char *pods = "- {apiGroups: [''], resources: [pods], verbs: [get, list]}";
    assert_true(allows(pods, "get", "", "pods", "", ""));
    assert_true(allows(pods, "get", "", "pods", "", "x"));
    assert_false(allows(pods, "create", "", "pods", "", ""));
    assert_false(allows(pods, "get", "apps", "pods", "", ""));          /* group must match */
    assert_false(allows(pods, "get", "", "pods", "log", ""));           /* pods does not cover pods/log */
    assert_false(allows(pods, "GET", "", "pods", "", ""));              /* verbs are case-sensitive */

    const char *star = "- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}";
    assert_true(allows(star, "escalate", "rbac.authorization.k8s.io", "clusterroles", "", "x"));
    assert_true(allows(star, "create", "", "pods", "exec", ""));        /* * covers subresources */
    assert_false(allows(star, "get", "", "/healthz", "", ""));          /* not non-resource URLs */

    const char *scale = "- {apiGroups: [apps], resources: ['*/scale'], verbs: [update]}";
    assert_true(allows(scale, "update", "apps", "deployments", "scale", "web"));
    assert_true(allows(scale, "update", "apps", "statefulsets", "scale", ""));
    assert_false(allows(scale, "update", "apps", "deployments", "", "web"));
    assert_false(allows(scale, "update", "apps", "deployments", "status", ""));

    const char *podsall = "- {apiGroups: [''], resources: ['pods/*'], verbs: [get]}";
    assert_false(allows(podsall, "get", "", "pods", "log", ""));        /* a trailing slash-star is no pattern */
    assert_true(allows(podsall, "get", "", "pods", "*", ""));

    const char *exec = "- {apiGroups: [''], resources: [pods/exec], verbs: [create]}";
    assert_true(allows(exec, "create", "", "pods", "exec", "p"));
    assert_false(allows(exec, "create", "", "pods", "", ""));

    const char *named = "- {apiGroups: [''], resources: [configmaps], resourceNames: [a, b], verbs: ['*']}";
    assert_true(allows(named, "get", "", "configmaps", "", "b"));
    assert_false(allows(named, "get", "", "configmaps", "", "c"));
    assert_false(allows(named, "create", "", "configmaps", "", ""));    /* no name: never */
    assert_false(allows(named, "list", "", "configmaps", "", ""));
    assert_false(allows(named, "deletecollection", "", "configmaps", "", ""));

    const char *emptyname = "- {apiGroups: [''], resources: [configmaps], resourceNames: [''], verbs: [create]}";
    assert_true(allows(emptyname, "create", "", "configmaps", "", "")); /* literal "" equals no name */

    const char *urls = "- {nonResourceURLs: [/healthz, '/metrics*', '/logs/**'], verbs: [get]}";
    assert_true(allows(urls, "get", "", "/healthz", "", ""));
    assert_false(allows(urls, "get", "", "/healthz/etcd", "", ""));
    assert_true(allows(urls, "get", "", "/metrics", "", ""));
    assert_true(allows(urls, "get", "", "/metrics/slis", "", ""));
    assert_true(allows(urls, "get", "", "/logs/", "", ""));             /* every trailing * dropped */
    assert_false(allows(urls, "post", "", "/healthz", "", ""));
    assert_false(allows(urls, "get", "", "pods", "", ""));              /* URL rule, resource request */

    const char *allurls = "- {nonResourceURLs: ['*'], verbs: ['*']}";
    assert_true(allows(allurls, "put", "", "/anything/at/all", "", ""));

    const char *noverbs = "- {apiGroups: [''], resources: [pods]}";
    assert_false(allows(noverbs, "get", "", "pods", "", ""));
}

static void test_identities(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    ka_rbac_identity id;
    char err[256];
    assert_int_equal(ka_rbac_identity_parse(a, "sa:dev/builder", &id, err, sizeof err), 0);
    assert_int_equal(id.kind, KA_RBAC_SA);
    assert_true(ka_str_eqc(id.user, "system:serviceaccount:dev:builder"));
    assert_int_equal(id.ngroups, 3);
    assert_true(ka_str_eqc(id.groups[1], "system:serviceaccounts:dev"));
    assert_int_equal(ka_rbac_identity_parse(a, "user:system:serviceaccount:kube-system:x", &id, err,
                                            sizeof err), 0);
    assert_int_equal(id.kind, KA_RBAC_SA);
    assert_true(ka_str_eqc(id.ns, "kube-system"));
    assert_int_equal(ka_rbac_identity_parse(a, "user:system:anonymous", &id, err, sizeof err), 0);
    assert_int_equal(id.ngroups, 1);
    assert_true(ka_str_eqc(id.groups[0], "system:unauthenticated"));
    assert_int_equal(ka_rbac_identity_parse(a, "group:system:masters", &id, err, sizeof err), 0);
    assert_true(ka_rbac_identity_superuser(&id));
    assert_int_equal(ka_rbac_identity_parse(a, "group:ops", &id, err, sizeof err), 0);
    assert_int_equal(id.ngroups, 2);
    assert_false(ka_rbac_identity_superuser(&id));
    assert_int_equal(ka_rbac_identity_parse(a, "alice", &id, err, sizeof err), -1);
    assert_int_equal(ka_rbac_identity_parse(a, "sa:alice", &id, err, sizeof err), -1);
    assert_int_equal(ka_rbac_identity_parse(a, "sa:a/b/c", &id, err, sizeof err), -1);
    assert_int_equal(ka_rbac_identity_parse(a, "robot:x", &id, err, sizeof err), -1);
    ka_arena_free(a);
}

static const char crd[] =
    "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
    "metadata: {name: widgets.example.com}\n"
    "spec: {group: example.com, scope: Cluster, names: {plural: widgets, singular: widget, kind: Widget, "
    "shortNames: [wg]}}\n";

static void test_requests(void **state)
{
    (void)state;
    ka_objset *s = load(crd);
    ka_rbac *m = ka_rbac_build(s, NULL);
    ka_arena *a = ka_arena_new();
    ka_rbac_request q;
    char err[256], warn[256];
    assert_int_equal(ka_rbac_request_make(m, a, "create", "deploy", "dev", NULL, &q, err, sizeof err,
                                          warn, sizeof warn), 0);
    assert_true(ka_str_eqc(q.group, "apps") && ka_str_eqc(q.resource, "deployments"));
    assert_true(ka_str_eqc(q.ns, "dev"));
    assert_int_equal(ka_rbac_request_make(m, a, "update", "deployments.v1.apps/scale", NULL, "w", &q,
                                          err, sizeof err, warn, sizeof warn), 0);
    assert_true(ka_str_eqc(q.group, "apps") && ka_str_eqc(q.subresource, "scale"));
    assert_int_equal(q.ns.n, 0);
    assert_int_equal(ka_rbac_request_make(m, a, "get", "Pod/log", "x", NULL, &q, err, sizeof err,
                                          warn, sizeof warn), 0);
    assert_true(ka_str_eqc(q.resource, "pods") && ka_str_eqc(q.subresource, "log"));
    assert_int_equal(ka_rbac_request_make(m, a, "get", "nodes", "dev", NULL, &q, err, sizeof err,
                                          warn, sizeof warn), 0);
    assert_int_equal(q.ns.n, 0);                  /* cluster-scoped: no namespace */
    assert_true(warn[0] != '\0');
    assert_int_equal(ka_rbac_request_make(m, a, "patch", "namespaces", NULL, "team-a", &q, err,
                                          sizeof err, warn, sizeof warn), 0);
    assert_true(ka_str_eqc(q.ns, "team-a"));      /* the Namespace object is in itself */
    assert_int_equal(ka_rbac_request_make(m, a, "list", "wg", "x", NULL, &q, err, sizeof err, warn,
                                          sizeof warn), 0);
    assert_true(ka_str_eqc(q.group, "example.com") && ka_str_eqc(q.resource, "widgets"));
    assert_int_equal(q.ns.n, 0);                  /* the CRD says Cluster */
    assert_int_equal(ka_rbac_request_make(m, a, "get", "things.other.io", "x", NULL, &q, err,
                                          sizeof err, warn, sizeof warn), 0);
    assert_true(ka_str_eqc(q.group, "other.io") && ka_str_eqc(q.ns, "x"));
    assert_int_equal(ka_rbac_request_make(m, a, "get", "/healthz", NULL, NULL, &q, err, sizeof err,
                                          warn, sizeof warn), 0);
    assert_true(q.nonresource && ka_str_eqc(q.path, "/healthz"));
    assert_int_equal(ka_rbac_request_make(m, a, "get", "pods/", NULL, NULL, &q, err, sizeof err, warn,
                                          sizeof warn), -1);
    ka_arena_free(a);
    ka_rbac_free(m);
    ka_objset_free(s);
}

#define CR(name, labels, body) \
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: " name \
    ", labels: {" labels "}}\n" body "\n"

static const char agg[] =
    CR("top", "", "aggregationRule: {clusterRoleSelectors: [{matchLabels: {t: 'y'}}, {matchLabels: {u: 'y'}}]}\n"
                  "rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]")
    CR("b", "t: 'y'", "rules: [{apiGroups: [''], resources: [b], verbs: [get]}, {apiGroups: [''], resources: [c], verbs: [get]}]")
    CR("a", "t: 'y', u: 'y'", "rules: [{apiGroups: [''], resources: [a], verbs: [get]}, {apiGroups: [''], resources: [c], verbs: [get]}]")
    CR("mid", "u: 'y'", "aggregationRule: {clusterRoleSelectors: [{matchLabels: {m: 'y'}}]}")
    CR("leaf", "m: 'y'", "rules: [{apiGroups: [''], resources: [leaf], verbs: [get]}]")
    CR("loop1", "l: '2'", "aggregationRule: {clusterRoleSelectors: [{matchLabels: {l: '1'}}]}")
    CR("loop2", "l: '1'", "aggregationRule: {clusterRoleSelectors: [{matchLabels: {l: '2'}}]}\n"
                          "rules: [{apiGroups: [''], resources: [stale], verbs: [get]}]")
    CR("loopsrc", "l: '1'", "rules: [{apiGroups: [''], resources: [x], verbs: [get]}]");

static void test_aggregation(void **state)
{
    (void)state;
    ka_objset *s = load(agg);
    ka_rbac *m = ka_rbac_build(s, &(ka_rbac_opts){ .no_builtin = true });
    const ka_rbac_role *top = ka_rbac_find_role(m, true, KA_STR(""), KA_STR("top"));
    assert_non_null(top);
    assert_true(top->aggregated);
    /* selector 1: a (a, c), b (b; c is a duplicate); selector 2: a again
     * (duplicates), mid (its leaf); the stored all-wildcard rule is ignored */
    const char *want[] = { "a", "c", "b", "leaf" };
    assert_int_equal(top->nrules, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(ka_str_eqc(top->rules[i].res[0], want[i]));
    assert_true(ka_str_eqc(top->rules[3].origin->name, "leaf"));
    /* a cycle settles on the union of its sources, without stale rules */
    const ka_rbac_role *l1 = ka_rbac_find_role(m, true, KA_STR(""), KA_STR("loop1"));
    const ka_rbac_role *l2 = ka_rbac_find_role(m, true, KA_STR(""), KA_STR("loop2"));
    assert_int_equal(l1->nrules, 1);
    assert_true(ka_str_eqc(l1->rules[0].res[0], "x"));
    assert_int_equal(l2->nrules, 1);
    assert_true(ka_str_eqc(l2->rules[0].res[0], "x"));
    ka_rbac_free(m);
    ka_objset_free(s);
}

static const char scope[] =
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n"
    "rules: [{apiGroups: [''], resources: [pods, nodes, namespaces], verbs: [get]}]\n"
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: dev}\n"
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\n"
    "subjects: [{kind: ServiceAccount, name: a}, {kind: Group, name: g}]\n"
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\n"
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\n"
    "subjects: [{kind: ServiceAccount, name: nobody}]\n";

static bool can(ka_rbac *m, const char *who, const char *verb, const char *res, const char *ns,
                const char *name)
{
    ka_arena *a = ka_arena_new();
    ka_rbac_identity id;
    ka_rbac_request q;
    char err[256], warn[256];
    assert_int_equal(ka_rbac_identity_parse(a, who, &id, err, sizeof err), 0);
    assert_int_equal(ka_rbac_request_make(m, a, verb, res, ns, name, &q, err, sizeof err, warn,
                                          sizeof warn), 0);
    ka_rbac_grants g;
    bool ok = ka_rbac_can(m, &id, &q, &g);
    ka_rbac_grants_free(&g);
    ka_arena_free(a);
    return ok;
}

static void test_binding_scope(void **state)
{
    (void)state;
    ka_objset *s = load(scope);
    ka_rbac *m = ka_rbac_build(s, &(ka_rbac_opts){ .no_builtin = true });
    assert_true(can(m, "sa:dev/a", "get", "pods", "dev", NULL));       /* SA ns defaults to dev */
    assert_false(can(m, "sa:other/a", "get", "pods", "dev", NULL));
    assert_false(can(m, "sa:dev/a", "get", "pods", NULL, NULL));       /* all namespaces */
    assert_false(can(m, "sa:dev/a", "get", "nodes", "dev", "n1"));     /* cluster-scoped */
    assert_true(can(m, "sa:dev/a", "get", "namespaces", NULL, "dev")); /* its own Namespace */
    assert_false(can(m, "sa:dev/a", "get", "namespaces", NULL, "prod"));
    assert_true(can(m, "group:g", "get", "pods", "dev", NULL));
    assert_false(can(m, "sa:default/nobody", "get", "pods", "dev", NULL)); /* CRB SA without ns */
    const ka_rbac_binding *crb = ka_rbac_binding_at(m, 0);
    assert_true(crb->cluster && crb->subjects[0].no_namespace);
    ka_rbac_free(m);
    ka_objset_free(s);
}

static const char chain[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\n"
    "spec: {serviceAccountName: web, containers: [{name: c}]}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: app}\n"
    "spec: {serviceAccountName: runner, containers: [{name: c}]}\n"
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: exec, namespace: app}\n"
    "rules: [{apiGroups: [''], resources: [pods/exec], verbs: [create]}]\n"
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: web, namespace: app}\n"
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}\n"
    "subjects: [{kind: ServiceAccount, name: web}]\n"
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: imp}\n"
    "rules: [{apiGroups: [''], resources: [groups], resourceNames: ['system:masters'], verbs: [impersonate]}]\n"
    "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: runner}\n"
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: imp}\n"
    "subjects: [{kind: ServiceAccount, name: runner, namespace: app}]\n";

static void test_escalation_path(void **state)
{
    (void)state;
    ka_objset *s = load(chain);
    ka_rbac *m = ka_rbac_build(s, NULL);
    ka_rbac_path p;
    /* web can exec into q, which runs as runner, who can impersonate system:masters */
    assert_int_equal(ka_rbac_escalation_path(m, KA_STR("app"), KA_STR("web"), &p), 1);
    assert_int_equal(p.n, 2);
    assert_non_null(strstr(p.steps[0], "exec into pods"));
    assert_non_null(strstr(p.steps[0], "sa:app/runner"));
    assert_non_null(strstr(p.steps[1], "impersonate the group system:masters"));
    ka_rbac_path_free(&p);
    assert_int_equal(ka_rbac_escalation_path(m, KA_STR("app"), KA_STR("runner"), &p), 0);
    ka_rbac_path_free(&p);
    assert_int_equal(ka_rbac_escalation_path(m, KA_STR("app"), KA_STR("nobody"), &p), -1);
    ka_rbac_path_free(&p);
    ka_rbac_free(m);
    ka_objset_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_matching),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_aggregation),
        cmocka_unit_test(test_binding_scope),
        cmocka_unit_test(test_escalation_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
