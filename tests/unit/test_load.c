/*
 * test_load.c - the loader: positions, resolution, guard rails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kubearch/kubearch.h"

static ka_file *load(const char *text, ka_diags *d)
{
    ka_diags_init(d);
    return ka_load_buffer("t.yaml", text, strlen(text), NULL, d);
}

static void test_positions(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("a: 1\nb:\n  c: [x, \"y\"]\n", &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(f->ndocs, 1);
    const ka_node *root = f->docs[0].root;
    assert_true(ka_is_map(root));
    const ka_node *c = ka_path(root, "b", "c", NULL);
    assert_true(ka_is_seq(c));
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, 6);
    assert_int_equal(KA_SEQ_ITEM(c, 1)->col, 10);
    assert_int_equal(KA_SEQ_ITEM(c, 1)->style, KA_STYLE_QUOTED);
    assert_int_equal(KA_SEQ_ITEM(c, 0)->style, KA_STYLE_PLAIN);
    const ka_node *k = ka_get_key(root, "b");
    assert_int_equal(k->line, 2);
    assert_int_equal(k->col, 1);
    ka_file_free(f);
    ka_diags_free(&d);
}

static void test_documents_and_line_offsets(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("a: 1\n---\n# c\n---\nb: [\n---\nc:\n  d: 2\n", &d);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 6); /* the unterminated flow sequence is noticed at the next marker */
    assert_int_equal(f->ndocs, 4); /* "---" + comment is an explicit empty document */
    assert_non_null(f->docs[0].root);
    assert_true(ka_is_null(f->docs[1].root));
    assert_false(f->docs[1].rejected);
    assert_true(f->docs[2].rejected);
    const ka_node *dd = ka_path(f->docs[3].root, "c", "d", NULL);
    assert_int_equal(dd->line, 8);
    assert_int_equal(dd->col, 6);
    ka_file_free(f);
    ka_diags_free(&d);
}

/* Documents are parsed in runs; a run that meets a syntax error is undone and
 * parsed again a document at a time: nothing may be reported twice. */
static void test_run_undone_once(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("a: 1\na: 2\n---\nb: 1\n---\nc: [\n---\nd: 1\n", &d);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.v[0].line, 2); /* duplicate key */
    assert_int_equal(d.v[1].line, 7); /* unterminated flow sequence */
    assert_int_equal(f->ndocs, 4);
    assert_true(f->docs[0].rejected);
    assert_non_null(ka_get(f->docs[1].root, "b"));
    assert_true(f->docs[2].rejected);
    assert_int_equal(ka_get(f->docs[3].root, "d")->line, 8);
    ka_file_free(f);
    ka_diags_free(&d);
}

/* A large input is parsed by several threads; the documents, their
 * positions and the diagnostics must be those one thread gives. */
static void test_threads_same_result(void **state)
{
    (void)state;
    ka_buf b;
    ka_buf_init(&b);
    for (int i = 0; i < 60000; i++) {
        ka_buf_printf(&b, "%sapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\ndata:\n  k: v%d\n",
                      i ? "---\n" : "", i, i);
        if (i % 9000 == 8999)
            ka_buf_adds(&b, "bad: [\n");
        if (i % 13000 == 12999)
            ka_buf_adds(&b, "kind: Dup\n");
    }
    assert_true(b.n > ((size_t)4 << 20));
    ka_limits one, many;
    ka_limits_default(&one);
    ka_limits_default(&many);
    one.threads = 1;
    many.threads = 4;
    ka_diags d1, d4;
    ka_diags_init(&d1);
    ka_diags_init(&d4);
    ka_file *f1 = ka_load_buffer("t.yaml", b.p, b.n, &one, &d1);
    ka_file *f4 = ka_load_buffer("t.yaml", b.p, b.n, &many, &d4);
    assert_true(f4->shares > 1);
    assert_int_equal(f1->shares, 1);
    assert_int_equal(f1->ndocs, 60000);
    assert_int_equal(f1->ndocs, f4->ndocs);
    for (size_t i = 0; i < f1->ndocs; i++) {
        assert_int_equal(f1->docs[i].line, f4->docs[i].line);
        assert_int_equal(f1->docs[i].rejected, f4->docs[i].rejected);
        if (!f1->docs[i].root)
            continue;
        const ka_node *v1 = ka_path(f1->docs[i].root, "data", "k", NULL);
        const ka_node *v4 = ka_path(f4->docs[i].root, "data", "k", NULL);
        assert_string_equal(ka_cstr(v1), ka_cstr(v4));
        assert_int_equal(v1->line, v4->line);
        assert_int_equal(v1->col, v4->col);
    }
    assert_int_equal(d1.n, 10);
    assert_int_equal(d1.n, d4.n);
    for (size_t i = 0; i < d1.n; i++) {
        assert_int_equal(d1.v[i].line, d4.v[i].line);
        assert_string_equal(d1.v[i].msg, d4.v[i].msg);
    }
    ka_file_free(f1);
    ka_file_free(f4);
    ka_diags_free(&d1);
    ka_diags_free(&d4);
    ka_buf_free(&b);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("\xEF\xBB\xBF" "a: 1\r\nb: two\r\n", &d);
    assert_int_equal(d.errors, 0);
    const ka_node *b = ka_get(f->docs[0].root, "b");
    assert_string_equal(ka_cstr(b), "two");
    assert_int_equal(b->line, 2);
    assert_int_equal(b->col, 4);
    ka_file_free(f);
    ka_diags_free(&d);
}

/* Every YAML 1.1 boolean go-yaml v2 (hence sigs.k8s.io/yaml) knows, and
 * near misses that are strings. */
static void test_booleans(void **state)
{
    (void)state;
    static const struct { const char *text; int want; } cases[] = {
        { "y", 1 }, { "Y", 1 }, { "yes", 1 }, { "Yes", 1 }, { "YES", 1 }, { "true", 1 },
        { "True", 1 }, { "TRUE", 1 }, { "on", 1 }, { "On", 1 }, { "ON", 1 },
        { "n", 0 }, { "N", 0 }, { "no", 0 }, { "No", 0 }, { "NO", 0 }, { "false", 0 },
        { "False", 0 }, { "FALSE", 0 }, { "off", 0 }, { "Off", 0 }, { "OFF", 0 },
        { "yES", -1 }, { "tRUE", -1 }, { "oN", -1 }, { "nO", -1 }, { "t", -1 }, { "f", -1 },
        { "1", -1 }, { "0", -1 }, { "", -1 }, { "truE", -1 }, { "enabled", -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "v: %s\n", cases[i].text);
        ka_diags d;
        ka_file *f = load(text, &d);
        if (ka_bool(ka_get(f->docs[0].root, "v")) != cases[i].want)
            print_error("ka_bool(%s) != %d\n", cases[i].text, cases[i].want);
        assert_int_equal(ka_bool(ka_get(f->docs[0].root, "v")), cases[i].want);
        ka_file_free(f);
        ka_diags_free(&d);
    }
}

static void test_str_contains(void **state)
{
    (void)state;
    assert_true(ka_str_contains(KA_STR("registry.k8s.io/alertmanager:v1"), "alertmanager"));
    assert_true(ka_str_contains(KA_STR("aab"), "ab"));   /* a false start first */
    assert_true(ka_str_contains(KA_STR("ab"), "ab"));
    assert_true(ka_str_contains(KA_STR("ab"), ""));
    assert_false(ka_str_contains(KA_STR("a"), "ab"));
    assert_false(ka_str_contains(KA_STR("abcab"), "abd"));
    assert_false(ka_str_contains((ka_str){ "abXY", 2 }, "bX")); /* within the length only */
}

static void test_scalars(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("t: true\ny: yes\nq: \"true\"\nn: ~\ni: -42\nbig: 99999999999999999999\ns: !!str 12\ne:\n", &d);
    const ka_node *r = f->docs[0].root;
    assert_int_equal(ka_bool(ka_get(r, "t")), 1);
    assert_int_equal(ka_bool(ka_get(r, "y")), 1);
    assert_int_equal(ka_bool(ka_get(r, "q")), -1);
    assert_true(ka_is_null(ka_get(r, "n")));
    assert_true(ka_is_null(ka_get(r, "e")));
    assert_true(ka_is_null(ka_get(r, "absent")));
    int64_t v = 0;
    assert_true(ka_int(ka_get(r, "i"), &v));
    assert_int_equal(v, -42);
    assert_false(ka_int(ka_get(r, "big"), &v));
    assert_false(ka_int(ka_get(r, "s"), &v));
    ka_file_free(f);
    ka_diags_free(&d);
}

static void test_alias_and_merge(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nl: [*b, *b]\n", &d);
    assert_int_equal(d.errors, 0);
    const ka_node *r = f->docs[0].root;
    const ka_node *m = ka_get(r, "m");
    assert_int_equal(ka_node_n(m), 2);
    assert_string_equal(ka_cstr(ka_get(m, "x")), "1");
    assert_string_equal(ka_cstr(ka_get(m, "y")), "3");
    const ka_node *l = ka_get(r, "l");
    /* aliases share the anchored node's children instead of copying them */
    assert_ptr_equal(KA_SEQ_ITEM(l, 0)->u.kids, KA_SEQ_ITEM(l, 1)->u.kids);
    ka_file_free(f);
    ka_diags_free(&d);
}

static void test_guard_rails(void **state)
{
    (void)state;
    ka_diags d;
    ka_limits lim;
    ka_limits_default(&lim);
    lim.max_depth = 3;
    ka_diags_init(&d);
    const char *deep = "a: {b: {c: {d: 1}}}\n---\nok: 1\n";
    ka_file *f = ka_load_buffer("t.yaml", deep, strlen(deep), &lim, &d);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.v[0].msg, "nesting deeper"));
    assert_int_equal(f->ndocs, 2);
    assert_null(f->docs[0].root);
    assert_non_null(f->docs[1].root);
    ka_file_free(f);
    ka_diags_free(&d);

    f = load("a: 1\nb: 2\na: 3\n", &d);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 1);
    ka_file_free(f);
    ka_diags_free(&d);

    f = load("? [complex]\n: key\n", &d);
    assert_int_equal(d.errors, 1);
    ka_file_free(f);
    ka_diags_free(&d);

    f = load("", &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(f->ndocs, 0);
    ka_file_free(f);
    ka_diags_free(&d);
}

static void test_json(void **state)
{
    (void)state;
    ka_diags d;
    ka_file *f = load("{\"a\": {\"b\": [1, \"x\\/y\", true]}, \"c\":\"\\u00e9\"}", &d);
    assert_int_equal(d.errors, 0);
    const ka_node *b = ka_path(f->docs[0].root, "a", "b", NULL);
    assert_int_equal(ka_node_n(b), 3);
    assert_string_equal(ka_cstr(KA_SEQ_ITEM(b, 1)), "x/y");
    assert_string_equal(ka_cstr(ka_get(f->docs[0].root, "c")), "\xc3\xa9");
    ka_file_free(f);
    ka_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_documents_and_line_offsets),
        cmocka_unit_test(test_run_undone_once),
        cmocka_unit_test(test_threads_same_result),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_str_contains),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_alias_and_merge),
        cmocka_unit_test(test_guard_rails),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
