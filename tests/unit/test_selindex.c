/*
 * test_selindex.c - reverse selector lookups agree with brute force.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kubearch/kubearch.h"

static const char manifests[] =
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\nspec: {selector: {app: web}}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: any-tier, namespace: a}\nspec: {selector: {tier: fe}}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: other-ns, namespace: b}\nspec: {selector: {app: web}}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: manual, namespace: a}\nspec: {ports: [{port: 80}]}\n"
    "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: all, namespace: a}\nspec: {selector: {}, maxUnavailable: 1}\n"
    "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: expr, namespace: a}\n"
    "spec: {selector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}, maxUnavailable: 1}\n"
    "---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: old-empty, namespace: a}\nspec: {selector: {}}\n"
    "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: exists, namespace: a}\n"
    "spec: {selector: {matchExpressions: [{key: tier, operator: Exists}]}}\n"
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\n"
    "spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web, tier: fe}}, spec: {containers: [{name: c}]}}}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: api-0, namespace: a, labels: {app: api}}\nspec: {containers: [{name: c}]}\n";

static ka_objset *load_set(void)
{
    ka_diags d;
    ka_diags_init(&d);
    ka_objset *s = ka_objset_new(NULL);
    ka_objset_add_file(s, ka_load_buffer("t.yaml", manifests, sizeof manifests - 1, NULL, &d), &d);
    assert_int_equal(d.errors, 0);
    ka_objset_index(s);
    ka_diags_free(&d);
    return s;
}

static void names(ka_objlist l, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < l.n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%.*s", i ? "," : "", (int)l.v[i]->name.n, l.v[i]->name.p);
    }
}

static void test_services_of_pod(void **state)
{
    (void)state;
    ka_objset *s = load_set();
    ka_selindex *ix = ka_selindex_new(s, "Service", ka_selector_of_service);
    const ka_object *web = ka_objset_find(s, "Deployment", KA_STR("a"), KA_STR("web"));
    char buf[256];
    names(ka_selindex_match(ix, web->ns, &web->pod->labels), buf, sizeof buf);
    assert_string_equal(buf, "web,any-tier");
    const ka_object *api = ka_objset_find(s, "Pod", KA_STR("a"), KA_STR("api-0"));
    names(ka_selindex_match(ix, api->ns, &api->pod->labels), buf, sizeof buf);
    assert_string_equal(buf, "");
    ka_selindex_free(ix);
    ka_objset_free(s);
}

static void test_pdbs_of_pod(void **state)
{
    (void)state;
    ka_objset *s = load_set();
    ka_selindex *ix = ka_selindex_new(s, "PodDisruptionBudget", ka_selector_of_pdb);
    const ka_object *web = ka_objset_find(s, "Deployment", KA_STR("a"), KA_STR("web"));
    char buf[256];
    names(ka_selindex_match(ix, web->ns, &web->pod->labels), buf, sizeof buf);
    /* policy/v1 {} selects all; v1beta1 {} selects none */
    assert_string_equal(buf, "all,expr,exists");
    const ka_object *api = ka_objset_find(s, "Pod", KA_STR("a"), KA_STR("api-0"));
    names(ka_selindex_match(ix, api->ns, &api->pod->labels), buf, sizeof buf);
    assert_string_equal(buf, "all,expr");
    ka_selindex_free(ix);
    ka_objset_free(s);
}

/* Two query states on one index keep their own results and de-duplication
 * (threads share the index, each with its own state). */
static void test_query_states(void **state)
{
    (void)state;
    ka_objset *s = load_set();
    ka_selindex *ix = ka_selindex_new(s, "PodDisruptionBudget", ka_selector_of_pdb);
    const ka_object *web = ka_objset_find(s, "Deployment", KA_STR("a"), KA_STR("web"));
    const ka_object *api = ka_objset_find(s, "Pod", KA_STR("a"), KA_STR("api-0"));
    ka_selquery q1, q2;
    memset(&q1, 0, sizeof q1);
    memset(&q2, 0, sizeof q2);
    char buf[256];
    ka_objlist l1 = ka_selindex_match_q(ix, &q1, web->ns, &web->pod->labels);
    ka_objlist l2 = ka_selindex_match_q(ix, &q2, api->ns, &api->pod->labels);
    names(l1, buf, sizeof buf);
    assert_string_equal(buf, "all,expr,exists");
    names(l2, buf, sizeof buf);
    assert_string_equal(buf, "all,expr");
    for (int i = 0; i < 3; i++) { /* the same query again gives the same answer */
        names(ka_selindex_match_q(ix, &q1, web->ns, &web->pod->labels), buf, sizeof buf);
        assert_string_equal(buf, "all,expr,exists");
    }
    ka_selquery_free(&q1);
    ka_selquery_free(&q2);
    ka_selindex_free(ix);
    ka_objset_free(s);
}

static void test_pods_of_selector(void **state)
{
    (void)state;
    ka_objset *s = load_set();
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    char err[64];
    assert_int_equal(ka_selector_parse(a, KA_STR("app in (web,api)"), &sel, err, sizeof err), 0);
    ka_objvec v = { 0, 0, NULL };
    ka_objset_pods_matching(s, KA_STR("a"), &sel, &v);
    assert_int_equal(v.n, 2);
    assert_true(v.v[0]->index < v.v[1]->index);
    v.n = 0;
    assert_int_equal(ka_selector_parse(a, KA_STR("!tier"), &sel, err, sizeof err), 0);
    ka_objset_pods_matching(s, KA_STR("a"), &sel, &v);
    assert_int_equal(v.n, 1);
    assert_true(ka_str_eqc(v.v[0]->name, "api-0"));
    free(v.v);
    ka_arena_free(a);
    ka_objset_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_services_of_pod),
        cmocka_unit_test(test_pdbs_of_pod),
        cmocka_unit_test(test_query_states),
        cmocka_unit_test(test_pods_of_selector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
