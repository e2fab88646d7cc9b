/*
 * test_deprecations.c - the deprecated / removed API table (src/k8s).
 *
 * Facts from Pluto's versions.yaml (../shared/reference/deprecated-apis-pluto.txt)
 * and the Kubernetes deprecation guide. When the Pluto summary is present the
 * test also checks that every Kubernetes and cert-manager row of it is in the
 * table with the same versions, except the corrections documented in
 * deprecations.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s/deprecations.h"

#define PLUTO "../shared/reference/deprecated-apis-pluto.txt"

static const ka_deprecation *find(const char *api_version, const char *kind)
{
    const char *slash = strchr(api_version, '/');
    ka_str group = slash ? (ka_str){ api_version, (size_t)(slash - api_version) } : KA_STR("");
    ka_str version = ka_str_c(slash ? slash + 1 : api_version);
    return ka_deprecation_find(group, version, ka_str_c(kind));
}

static ka_api_status status_at(const char *api_version, const char *kind, int major, int minor)
{
    const ka_deprecation *d = find(api_version, kind);
    return d ? ka_deprecation_status(d, major, minor) : KA_API_SERVED;
}

static void test_lookup(void **state)
{
    (void)state;
    const ka_deprecation *d = find("apps/v1beta1", "Deployment");
    assert_non_null(d);
    assert_string_equal(d->replacement, "apps/v1");
    assert_int_equal(d->deprecated, KA_API_VERSION(1, 9));
    assert_int_equal(d->removed, KA_API_VERSION(1, 16));
    assert_true(ka_deprecation_is_kubernetes(d));

    /* served versions and unknown kinds are not in the table */
    assert_null(find("apps/v1", "Deployment"));
    assert_null(find("batch/v1", "CronJob"));
    assert_null(find("v1", "Pod"));
    assert_null(find("apps/v1beta1", "DaemonSet")); /* apps/v1beta1 never had DaemonSet */
    /* case matters: kinds and groups are case-sensitive */
    assert_null(find("apps/v1beta1", "deployment"));
    assert_null(find("Apps/v1beta1", "Deployment"));
    /* a group prefix or suffix is not the group */
    assert_null(find("xapps/v1beta1", "Deployment"));
    assert_null(find("apps/v1beta10", "Deployment"));

    d = find("policy/v1beta1", "PodSecurityPolicy");
    assert_non_null(d);
    assert_string_equal(d->replacement, "");
    assert_true(strstr(d->note, "Pod Security Admission") != NULL);

    /* not in Pluto, from the 1.24 changelog */
    d = find("node.k8s.io/v1alpha1", "RuntimeClass");
    assert_non_null(d);
    assert_int_equal(d->removed, KA_API_VERSION(1, 24));
    assert_int_equal(d->deprecated, 0);
}

/* ka_deprecation_find answers GA versions without a scan: that is only right
 * while no row of the table is a GA version. */
static void test_no_ga_rows(void **state)
{
    (void)state;
    assert_true(ka_api_version_is_ga(KA_STR("v1")));
    assert_true(ka_api_version_is_ga(KA_STR("v2")));
    assert_false(ka_api_version_is_ga(KA_STR("v1beta1")));
    assert_false(ka_api_version_is_ga(KA_STR("v")));
    assert_false(ka_api_version_is_ga(KA_STR("")));
    for (size_t i = 0; i < ka_deprecations_count(); i++)
        assert_false(ka_api_version_is_ga(ka_str_c(ka_deprecation_at(i)->version)));
}

static void test_status_by_target(void **state)
{
    (void)state;
    /* batch/v1beta1 CronJob: deprecated 1.21, removed 1.25 */
    assert_int_equal(status_at("batch/v1beta1", "CronJob", 1, 20), KA_API_SERVED);
    assert_int_equal(status_at("batch/v1beta1", "CronJob", 1, 21), KA_API_DEPRECATED);
    assert_int_equal(status_at("batch/v1beta1", "CronJob", 1, 24), KA_API_DEPRECATED);
    assert_int_equal(status_at("batch/v1beta1", "CronJob", 1, 25), KA_API_REMOVED);
    assert_int_equal(status_at("batch/v1beta1", "CronJob", 1, 36), KA_API_REMOVED);
    /* minor versions compare as numbers, not text: 1.9 < 1.16 */
    assert_int_equal(status_at("extensions/v1beta1", "Deployment", 1, 8), KA_API_SERVED);
    assert_int_equal(status_at("extensions/v1beta1", "Deployment", 1, 9), KA_API_DEPRECATED);
    assert_int_equal(status_at("extensions/v1beta1", "Deployment", 1, 15), KA_API_DEPRECATED);
    assert_int_equal(status_at("extensions/v1beta1", "Deployment", 1, 16), KA_API_REMOVED);
    /* a later major version is past every 1.x removal */
    assert_int_equal(status_at("extensions/v1beta1", "Ingress", 2, 0), KA_API_REMOVED);
    /* no deprecation release recorded: served until removed */
    assert_int_equal(status_at("extensions/v1beta1", "ReplicaSet", 1, 15), KA_API_SERVED);
    assert_int_equal(status_at("extensions/v1beta1", "ReplicaSet", 1, 16), KA_API_REMOVED);
    /* deprecated, not removed yet */
    assert_int_equal(status_at("storage.k8s.io/v1beta1", "VolumeAttributesClass", 1, 33),
                     KA_API_SERVED);
    assert_int_equal(status_at("storage.k8s.io/v1beta1", "VolumeAttributesClass", 1, 36),
                     KA_API_DEPRECATED);
    /* deprecated and removed in the same release */
    assert_int_equal(status_at("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", 1, 34),
                     KA_API_SERVED);
    assert_int_equal(status_at("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", 1, 35),
                     KA_API_REMOVED);
    /* flowcontrol v1beta1 stopped being served in 1.26 (Pluto's 1.29 row is wrong) */
    assert_int_equal(status_at("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 1, 25),
                     KA_API_DEPRECATED);
    assert_int_equal(status_at("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 1, 26),
                     KA_API_REMOVED);
    /* the default target */
    assert_int_equal(status_at("resource.k8s.io/v1beta1", "ResourceClaim", 1, 36), KA_API_REMOVED);
    assert_int_equal(status_at("resource.k8s.io/v1beta1", "ResourceClaim", 1, 35),
                     KA_API_DEPRECATED);
}

static void test_cert_manager(void **state)
{
    (void)state;
    const ka_deprecation *d = find("cert-manager.io/v1alpha2", "Certificate");
    assert_non_null(d);
    assert_false(ka_deprecation_is_kubernetes(d));
    assert_string_equal(d->component, "cert-manager");
    assert_string_equal(d->replacement, "cert-manager.io/v1");
    /* cert-manager versions cannot be placed by a Kubernetes target */
    assert_int_equal(ka_deprecation_status(d, 1, 10), KA_API_REMOVED);
    assert_int_equal(ka_deprecation_status(d, 1, 36), KA_API_REMOVED);
    assert_null(find("cert-manager.io/v1", "Certificate"));
    /* ACME kinds live in their own group */
    d = find("acme.cert-manager.io/v1beta1", "Order");
    assert_non_null(d);
    assert_string_equal(d->replacement, "acme.cert-manager.io/v1");
    /* the old group: every kind, ACME kinds with their own successor */
    d = find("certmanager.k8s.io/v1alpha1", "Issuer");
    assert_non_null(d);
    assert_null(d->kind);
    assert_string_equal(d->replacement, "cert-manager.io/v1");
    d = find("certmanager.k8s.io/v1alpha1", "Challenge");
    assert_non_null(d);
    assert_string_equal(d->replacement, "acme.cert-manager.io/v1");
}

/* Every row is well formed and no group/version/kind appears twice. */
static void test_rows(void **state)
{
    (void)state;
    size_t n = ka_deprecations_count();
    assert_true(n > 50);
    assert_null(ka_deprecation_at(n));
    for (size_t i = 0; i < n; i++) {
        const ka_deprecation *d = ka_deprecation_at(i);
        assert_non_null(d);
        assert_non_null(d->group);
        assert_true(d->version[0] == 'v');
        assert_true(d->deprecated || d->removed);
        if (d->deprecated && d->removed)
            assert_true(d->deprecated <= d->removed);
        assert_true(d->replacement[0] || d->note[0]);
        assert_true(d->kind || !ka_deprecation_is_kubernetes(d));
        for (size_t j = 0; j < i; j++) {
            const ka_deprecation *e = ka_deprecation_at(j);
            bool same = strcmp(d->group, e->group) == 0 && strcmp(d->version, e->version) == 0 &&
                        ((!d->kind && !e->kind) || (d->kind && e->kind && strcmp(d->kind, e->kind) == 0));
            if (same)
                fail_msg("duplicate row %s/%s %s", d->group, d->version, d->kind ? d->kind : "*");
        }
        /* the row is what find() returns for its own key (no row shadows it) */
        if (d->kind) {
            const ka_deprecation *f =
                ka_deprecation_find(ka_str_c(d->group), ka_str_c(d->version), ka_str_c(d->kind));
            assert_ptr_equal(f, d);
        }
    }
}

static int parse_version(const char *s)
{
    while (*s == ' ')
        s++;
    if (*s != 'v')
        return 0;
    int ma = 0, mi = 0;
    if (sscanf(s + 1, "%d.%d", &ma, &mi) != 2)
        return 0;
    return KA_API_VERSION(ma, mi);
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Every Kubernetes and cert-manager row of the Pluto summary is in the table. */
static void test_pluto_rows(void **state)
{
    (void)state;
    FILE *f = fopen(PLUTO, "r");
    if (!f) {
        print_message("skipped: %s not found\n", PLUTO);
        skip();
    }
    char line[512];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *field[6];
        int nf = 0;
        char *p = line;
        while (nf < 6) {
            field[nf++] = p;
            char *bar = strchr(p, '|');
            if (!bar)
                break;
            *bar = '\0';
            p = bar + 1;
        }
        if (nf != 6)
            continue;
        for (int i = 0; i < 6; i++)
            field[i] = trim(field[i]);
        const char *comp = field[5];
        if (strcmp(comp, "k8s") != 0 && strcmp(comp, "cert-manager") != 0)
            continue;
        const char *av = field[0], *kind = field[1];
        /* documented corrections (see deprecations.c) */
        if (strcmp(av, "flowcontrol.apiserver.k8s.io/v1beta1") == 0)
            continue;
        const ka_deprecation *d = find(av, kind);
        if (!d)
            fail_msg("Pluto row %s %s is not in the table", av, kind);
        int dep = parse_version(field[2]), rem = parse_version(field[3]);
        if (d->removed != rem)
            fail_msg("%s %s: removed %d, Pluto says %d", av, kind, d->removed, rem);
        if (d->deprecated != dep)
            fail_msg("%s %s: deprecated %d, Pluto says %d", av, kind, d->deprecated, dep);
        checked++;
    }
    fclose(f);
    assert_true(checked > 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_no_ga_rows),
        cmocka_unit_test(test_status_by_target),
        cmocka_unit_test(test_cert_manager),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_pluto_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
