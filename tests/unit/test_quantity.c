/*
 * test_quantity.c - resource.Quantity parsing, rounding, String(), Value().
 *
 * The tables restate facts from k8s.io/apimachinery pkg/api/resource
 * (quantity_test.go: TestQuantityParse, TestQuantityString, TestQuantityParseEmit,
 * TestParseQuantity, TestQuantityCmp, TestScaledValue) plus cases that follow
 * from reading ParseQuantity itself (marked "from the parser"). The shared
 * vectors in ../shared/reference/vectors/quantity.yaml are run as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kubearch/load.h"
#include "kubearch/quantity.h"

#define VECTORS "../shared/reference/vectors/quantity.yaml"

static ka_quantity parse_ok(const char *s)
{
    ka_quantity q;
    int rc = ka_quantity_parse(ka_str_c(s), &q);
    if (rc != 0)
        print_error("parse(\"%s\") = %d\n", s, rc);
    assert_int_equal(rc, 0);
    return q;
}

static const char *canon(const ka_quantity *q, char *buf)
{
    ka_quantity_string(q, buf, KA_QUANTITY_STRMAX);
    return buf;
}

static void expect_exact(const ka_quantity *q, const char *want)
{
    ka_buf b;
    ka_buf_init(&b);
    ka_quantity_exact(q, &b);
    assert_string_equal(ka_buf_cstr(&b), want);
    ka_buf_free(&b);
}

/* ---- parse: value, format, canonical form ------------------------------ */

typedef struct parse_case {
    const char *in, *exact;
    ka_qformat format;
    const char *canonical;
} parse_case;

#define DSI KA_QF_DECIMAL_SI
#define BSI KA_QF_BINARY_SI
#define DEX KA_QF_DECIMAL_EXPONENT

static const parse_case parse_cases[] = {
    /* TestQuantityParse */
    { "0", "0", DSI, "0" },
    { "0n", "0", DSI, "0" },
    { "0Ki", "0", BSI, "0" },
    { "0Ti", "0", BSI, "0" },
    { "1", "1", DSI, "1" },
    { "1Ki", "1024", BSI, "1Ki" },
    { "3Ei", "3458764513820540928", BSI, "3Ei" },
    { "50k", "50000", DSI, "50k" },
    { "300T", "300000000000000", DSI, "300T" },
    { "1E", "1000000000000000000", DSI, "1E" },
    { "1E-3", "0.001", DEX, "1e-3" },
    { "1e14", "100000000000000", DEX, "100e12" },
    { "100.035k", "100035", DSI, "100035" },
    { "0.0005k", "0.5", DSI, "500m" },
    { "0.5e-2", "0.005", DEX, "5e-3" },
    { "10.035M", "10035000", DSI, "10035k" },
    { "1.3E+6", "1300000", DEX, "1300e3" },
    { "1.53E12", "1530000000000", DEX, "1530e9" },
    { "9.01", "9.01", DSI, "9010m" },
    { "5.444T", "5444000000000", DSI, "5444G" },
    /* things that saturate or round up to the next nano */
    { "3.001n", "0.000000004", DSI, "4n" },
    { "1.1E-9", "0.000000002", DEX, "2e-9" },
    { "0.0000000005", "0.000000001", DSI, "1n" },
    { "0.00000012345", "0.000000124", DSI, "124n" },
    { "9Ei", "9223372036854775807", BSI, "9223372036854775807" },
    { "9223372036854775807Ki", "9223372036854775807", BSI, "9223372036854775807" },
    { "12E", "12000000000000000000", DSI, "12E" },
    /* fractional binary values; below 1 they turn DecimalSI */
    { "100.035Ki", "102435.84", BSI, "102435840m" },
    { "0.5Mi", "524288", BSI, "512Ki" },
    { "0.000000000001Ki", "0.000000002", DSI, "2n" },
    /* "written by trolls" */
    { ".001", "0.001", DSI, "1m" },
    { "1.", "1", DSI, "1" },
    { "1.G", "1000000000", DSI, "1G" },
    /* TestQuantityParseEmit */
    { ".001Ki", "1.024", BSI, "1024m" },
    { ".000001Ki", "0.001024", DSI, "1024u" },
    { ".000000001Ki", "0.000001024", DSI, "1024n" },
    /* TestParseQuantity */
    { "999999999999999999.1", "999999999999999999.1", DSI, "999999999999999999100m" },
    { "9999999999999999999000m", "9999999999999999999", DSI, "9999999999999999999" },
    { "1.0000000000000000001E", "1000000000000000000.1", DSI, "1000000000000000000100m" },
    { "-9223372036854775809.1", "-9223372036854775809.1", DSI, "-9223372036854775809100m" },
    { "10000000000000000000", "10000000000000000000", DSI, "10E" },
    /* negatives round away from zero, like the magnitude (from the parser) */
    { "-0.0000000001", "-0.000000001", DSI, "-1n" },
    { "-9Ei", "-9223372036854775807", BSI, "-9223372036854775807" },
    { "-1.5Gi", "-1610612736", BSI, "-1536Mi" },
    { "-0.5Ki", "-512", BSI, "-512" },
    /* from the parser: no digits at all still parse on the int64 path */
    { ".", "0", DSI, "0" },
    { "+", "0", DSI, "0" },
    { "-", "0", DSI, "0" },
    { "Ki", "0", BSI, "0" },
    { "m", "0", DSI, "0" },
    { "e5", "0", DEX, "0" },
    { "+.Ti", "0", BSI, "0" },
    { "0000", "0", DSI, "0" },
    /* exponents: sign, leading zeros, upper case */
    { "1e+03", "1000", DEX, "1e3" },
    { "1E-0", "1", DEX, "1" },
    { "2e-10", "0.000000001", DEX, "1e-9" },
    { "1e-1000000000", "0.000000001", DEX, "1e-9" },
    /* DecimalSI exponents above 18 have no suffix: upstream drops it */
    { "1000E", "1000000000000000000000", DSI, "1" },
    { "1e21", "1000000000000000000000", DEX, "1e21" },
    /* int32(parsed exponent) wraps, as in the suffixer */
    { "1e4294967296", "1", DEX, "1" },
    { "1e4294967299", "1000", DEX, "1e3" },
};

static void test_parse_table(void **state)
{
    (void)state;
    char buf[KA_QUANTITY_STRMAX];
    for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++) {
        const parse_case *c = &parse_cases[i];
        ka_quantity q = parse_ok(c->in);
        if (strcmp(canon(&q, buf), c->canonical) != 0 || q.format != c->format)
            print_error("case \"%s\": %s %s\n", c->in, buf, ka_qformat_name(q.format));
        expect_exact(&q, c->exact);
        assert_string_equal(ka_qformat_name(q.format), ka_qformat_name(c->format));
        assert_string_equal(canon(&q, buf), c->canonical);
    }
}

/* The sign is independent of every rule: "-x" is exactly -(x), "+x" is x. */
static void test_parse_signs(void **state)
{
    (void)state;
    char a[KA_QUANTITY_STRMAX], b[KA_QUANTITY_STRMAX + 1];
    for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++) {
        const parse_case *c = &parse_cases[i];
        if (c->in[0] == '-' || c->in[0] == '+')
            continue;
        ka_quantity q = parse_ok(c->in);
        snprintf(a, sizeof a, "-%s", c->in);
        ka_quantity n = parse_ok(a);
        snprintf(a, sizeof a, "+%s", c->in);
        ka_quantity p = parse_ok(a);
        assert_int_equal(ka_quantity_cmp(&q, &p), 0);
        assert_int_equal(p.format, q.format);
        assert_int_equal(n.format, q.format);
        if (ka_quantity_is_zero(&q)) {
            assert_true(ka_quantity_is_zero(&n));
            assert_string_equal(canon(&n, a), "0");
            continue;
        }
        assert_int_equal(ka_quantity_cmp(&n, &q), -1);
        snprintf(b, sizeof b, "-%s", canon(&q, a));
        assert_string_equal(canon(&n, a), b);
    }
}

static void test_parse_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* TestQuantityParse invalid list */
        "", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
        " 1", "1 ",
        /* TestQuantityParseNonNumericPanic */
        "Non-Numeric",
        /* from the parser */
        "1e", "1e+", "1E+-3", "1Ki5", "1e3Ki", "1.5.", "--1", "+-1", "1\n", "1\t", "1K",
        "1k3", "1e9223372036854775808", "Pi", "+Ei", ".e-10", "1ee3", "0x10", "1_000",
        "\xef\xbc\x91",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ka_quantity q;
        if (ka_quantity_parse(ka_str_c(bad[i]), &q) != -1)
            print_error("accepted \"%s\"\n", bad[i]);
        assert_int_equal(ka_quantity_parse(ka_str_c(bad[i]), &q), -1);
    }
    /* an embedded NUL is just another byte that is not part of the grammar */
    ka_quantity q;
    assert_int_equal(ka_quantity_parse((ka_str){ "1\0", 2 }, &q), -1);
}

/* ---- String(): canonical forms and the text upstream keeps verbatim ---- */

typedef struct string_case {
    const char *canonical, *alternate;
} string_case;

/* TestQuantityString: parsing `canonical` keeps its text; `alternate` is
 * not kept and prints as `canonical`. */
static const string_case string_cases[] = {
    { "1Gi", "1024Mi" }, { "300Mi", "307200Ki" }, { "6Ki", NULL }, { "1001Gi", "1025024Mi" },
    { "1Ti", "1024Gi" }, { "5", "5000m" }, { "500m", "0.5" }, { "1G", "1000M" },
    { "1G", "0.001T" }, { "1m", "1000u" }, { "80m", NULL }, { "1080m", "1.08" },
    { "1080m", "1080000000n" }, { "300M", NULL }, { "1T", NULL }, { "1234567M", NULL },
    { "3k", NULL }, { "1025", NULL }, { "0", "00" }, { "1e9", ".001e12" },
    { "1e-3", "0.001e0" }, { "1e-9", "1000e-12" }, { "80e-3", NULL }, { "300e6", NULL },
    { "1e12", NULL }, { "1e3", NULL }, { "3e3", NULL }, { "1n", NULL }, { "80n", NULL },
    { "1080n", NULL }, { "1u", NULL }, { "80u", NULL }, { "1080u", NULL },
};

static void test_string_canonical(void **state)
{
    (void)state;
    char buf[KA_QUANTITY_STRMAX], neg[KA_QUANTITY_STRMAX];
    for (size_t i = 0; i < sizeof string_cases / sizeof *string_cases; i++) {
        const string_case *c = &string_cases[i];
        ka_quantity q = parse_ok(c->canonical);
        assert_string_equal(canon(&q, buf), c->canonical);
        assert_true(q.verbatim);
        ka_quantity_string_parsed(&q, ka_str_c(c->canonical), buf, sizeof buf);
        assert_string_equal(buf, c->canonical);
        if (!ka_quantity_is_zero(&q)) {
            snprintf(neg, sizeof neg, "-%s", c->canonical);
            ka_quantity n = parse_ok(neg);
            assert_string_equal(canon(&n, buf), neg);
        }
        if (!c->alternate)
            continue;
        q = parse_ok(c->alternate);
        assert_false(q.verbatim);
        ka_quantity_string_parsed(&q, ka_str_c(c->alternate), buf, sizeof buf);
        assert_string_equal(buf, c->canonical);
    }
}

/* ParseQuantity caches the input as String() whenever its int64 path finds
 * the text canonical-looking, so these print as typed. */
static void test_string_parsed_verbatim(void **state)
{
    (void)state;
    static const char *const kept[][2] = {
        { "1E6", "1e6" }, { "1E-3", "1e-3" }, { "+1", "1" }, { "01", "1" },
        { "+01Ki", "1Ki" }, { "1e+03", "1e3" }, { "-5", "-5" }, { "1025Ki", "1025Ki" },
        /* the check looks at digits and scale only, not at the decimal point */
        { "100.035k", "100035" }, { "1.", "1" }, { "1.G", "1G" }, { "5.444T", "5444G" },
    };
    static const char *const recomputed[][2] = {
        { "1.3E+6", "1300e3" }, { "8Ki", "8Ki" }, { "1000k", "1M" }, { "0.5", "500m" },
        { "00", "0" }, { "+0", "0" }, { "1e2", "100" },
    };
    char buf[KA_QUANTITY_STRMAX];
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        ka_quantity q = parse_ok(kept[i][0]);
        assert_true(q.verbatim);
        ka_quantity_string_parsed(&q, ka_str_c(kept[i][0]), buf, sizeof buf);
        assert_string_equal(buf, kept[i][0]);
        assert_string_equal(canon(&q, buf), kept[i][1]);
    }
    for (size_t i = 0; i < sizeof recomputed / sizeof *recomputed; i++) {
        ka_quantity q = parse_ok(recomputed[i][0]);
        assert_false(q.verbatim);
        ka_quantity_string_parsed(&q, ka_str_c(recomputed[i][0]), buf, sizeof buf);
        assert_string_equal(buf, recomputed[i][1]);
    }
}

static void test_string_truncates(void **state)
{
    (void)state;
    char small[4];
    ka_quantity q = parse_ok("1234567M");
    assert_int_equal(ka_quantity_string(&q, small, sizeof small), 8);
    assert_string_equal(small, "123");
    assert_int_equal(ka_quantity_string(&q, NULL, 0), 8);
}

/* ---- Value() / MilliValue() --------------------------------------------- */

typedef struct int_case {
    const char *in;
    bool value_ok;
    int64_t value;
    bool milli_ok;
    int64_t milli;
} int_case;

static const int_case int_cases[] = {
    /* TestScaledValue: 1 at nano/micro/milli/unit scale */
    { "1n", true, 1, true, 1 },
    { "1u", true, 1, true, 1 },
    { "1m", true, 1, true, 1 },
    { "1", true, 1, true, 1000 },
    { "100m", true, 1, true, 100 },
    { "1.5", true, 2, true, 1500 },
    { "1Gi", true, 1073741824, true, 1073741824000 },
    { "0", true, 0, true, 0 },
    /* int64 edges: MaxMilliValue = (2^63-1)/1000 */
    { "9223372036854775807", true, INT64_MAX, false, 0 },
    { "9223372036854775808", false, 0, false, 0 },
    { "9223372036854775806.1", true, INT64_MAX, false, 0 },
    { "9223372036854775807.1", false, 0, false, 0 },
    { "9223372036854775.807", true, 9223372036854776, true, INT64_MAX },
    { "9223372036854775.808", true, 9223372036854776, false, 0 },
    { "9223372036854775807m", true, 9223372036854776, true, INT64_MAX },
    { "9Ei", true, INT64_MAX, false, 0 },
    { "1e19", false, 0, false, 0 },
    { "1e-1000000000", true, 1, true, 1 },
    /* negatives: ceil, down to INT64_MIN */
    { "-1.5", true, -1, true, -1500 },
    { "-0.5", true, 0, true, -500 },
    { "-9223372036854775808", true, INT64_MIN, false, 0 },
    { "-9223372036854775809", false, 0, false, 0 },
    { "-9223372036854775808.5", true, INT64_MIN, false, 0 },
    { "-9223372036854775.808", true, -9223372036854775, true, INT64_MIN },
};

static void test_value_milli(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof int_cases / sizeof *int_cases; i++) {
        const int_case *c = &int_cases[i];
        ka_quantity q = parse_ok(c->in);
        int64_t v = 12345, m = 12345;
        print_message("case \"%s\"\n", c->in);
        assert_int_equal(ka_quantity_value(&q, &v), c->value_ok ? 0 : -1);
        if (c->value_ok)
            assert_int_equal(v, c->value);
        else
            assert_int_equal(v, 12345); /* untouched on overflow */
        assert_int_equal(ka_quantity_milli(&q, &m), c->milli_ok ? 0 : -1);
        if (c->milli_ok)
            assert_int_equal(m, c->milli);
    }
}

/* ---- comparison ---------------------------------------------------------- */

static void test_cmp(void **state)
{
    (void)state;
    static const struct { const char *a, *b; int want; } rows[] = {
        /* TestQuantityCmp */
        { "0", "0", 0 }, { "100m", "50m", 1 }, { "50m", "100m", -1 }, { "10000T", "100Gi", 1 },
        /* equal values in different notations */
        { "1Ki", "1024", 0 }, { "1e3", "1k", 0 }, { "0Ki", "-0", 0 }, { "0.5", "500m", 0 },
        { "-1", "1", -1 }, { "-1", "-2", 1 }, { "1.0001", "1", 1 }, { "999m", "1", -1 },
        { "12E", "9Ei", 1 }, { "-12E", "-9Ei", -1 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        ka_quantity a = parse_ok(rows[i].a), b = parse_ok(rows[i].b);
        assert_int_equal(ka_quantity_cmp(&a, &b), rows[i].want);
        assert_int_equal(ka_quantity_cmp(&b, &a), -rows[i].want);
    }
}

/* ---- limits ---------------------------------------------------------------- */

static void test_precision_limit(void **state)
{
    (void)state;
    char in[KA_QUANTITY_MAXDIGITS + 16];
    ka_quantity q;

    memset(in, '7', KA_QUANTITY_MAXDIGITS);
    in[KA_QUANTITY_MAXDIGITS] = '\0';
    assert_int_equal(ka_quantity_parse(ka_str_c(in), &q), 0);
    assert_int_equal(q.ndigits, KA_QUANTITY_MAXDIGITS);
    in[KA_QUANTITY_MAXDIGITS] = '7';
    in[KA_QUANTITY_MAXDIGITS + 1] = '\0';
    assert_int_equal(ka_quantity_parse(ka_str_c(in), &q), KA_QUANTITY_ETOOLONG);
    /* digits below the nano are rounded away before the limit applies */
    memset(in, '0', sizeof in);
    memcpy(in, "0.", 2);
    in[sizeof in - 2] = '3';
    in[sizeof in - 1] = '\0';
    assert_int_equal(ka_quantity_parse(ka_str_c(in), &q), 0);
    expect_exact(&q, "0.000000001");
    /* trailing zeros cost nothing */
    ka_buf b;
    ka_buf_init(&b);
    ka_buf_adds(&b, "1");
    for (int i = 0; i < 400; i++)
        ka_buf_addc(&b, '0');
    assert_int_equal(ka_quantity_parse((ka_str){ b.p, b.n }, &q), 0);
    assert_int_equal(q.scale, 400);
    ka_buf_free(&b);
}

/* ---- shared vectors ------------------------------------------------------- */

static bool vec_int(const ka_node *n, int64_t *out)
{
    return ka_int(n, out);
}

/* One vector; returns a failure description or NULL. */
static const char *check_vector(const ka_node *c, char *why, size_t whyn)
{
    ka_str in = ka_node_str(ka_get(c, "in"));
    int ok_want = ka_bool(ka_get(c, "ok"));
    ka_quantity q;
    int rc = ka_quantity_parse(in, &q);
    char buf[KA_QUANTITY_STRMAX];

    if ((rc == 0) != (ok_want == 1)) {
        snprintf(why, whyn, "parse returned %d, want ok=%d", rc, ok_want);
        return why;
    }
    if (rc != 0)
        return NULL;

    ka_buf b;
    ka_buf_init(&b);
    ka_quantity_exact(&q, &b);
    const char *exact = ka_cstr(ka_get(c, "exact"));
    if (strcmp(ka_buf_cstr(&b), exact) != 0) {
        snprintf(why, whyn, "exact %s, want %s", ka_buf_cstr(&b), exact);
        ka_buf_free(&b);
        return why;
    }
    ka_buf_free(&b);
    if (strcmp(ka_qformat_name(q.format), ka_cstr(ka_get(c, "format"))) != 0) {
        snprintf(why, whyn, "format %s, want %s", ka_qformat_name(q.format),
                 ka_cstr(ka_get(c, "format")));
        return why;
    }
    if (strcmp(canon(&q, buf), ka_cstr(ka_get(c, "canonical"))) != 0) {
        snprintf(why, whyn, "canonical %s, want %s", buf, ka_cstr(ka_get(c, "canonical")));
        return why;
    }
    static const char *const ints[] = { "milli", "value" };
    for (int k = 0; k < 2; k++) {
        const ka_node *n = ka_get(c, ints[k]);
        int64_t got = 0, want;
        int grc = k == 0 ? ka_quantity_milli(&q, &got) : ka_quantity_value(&q, &got);
        if (!n)
            continue; /* omitted for negative inputs */
        if (ka_is_null(n)) {
            /* beyond int64: we promise overflow detection */
            if (grc != -1) {
                snprintf(why, whyn, "%s %" PRId64 ", want overflow", ints[k], got);
                return why;
            }
            continue;
        }
        if (!vec_int(n, &want) || grc != 0 || got != want) {
            snprintf(why, whyn, "%s rc=%d %" PRId64 ", want %s", ints[k], grc, got, ka_cstr(n));
            return why;
        }
    }
    return NULL;
}

static void test_shared_vectors(void **state)
{
    (void)state;
    if (access(VECTORS, R_OK) != 0) {
        print_message("skipping: %s not found (run from the project root)\n", VECTORS);
        skip();
    }
    ka_limits lim;
    ka_diags d;
    ka_limits_default(&lim);
    ka_diags_init(&d);
    ka_file *f = ka_load_path(VECTORS, &lim, &d);
    if (!f || f->ndocs < 1 || !f->docs[0].root)
        ka_diags_print(&d, stderr);
    assert_non_null(f);
    assert_true(f->ndocs >= 1);
    const ka_node *cases = ka_get(f->docs[0].root, "cases");
    assert_true(ka_is_seq(cases));

    size_t pass = 0;
    char why[256];
    for (uint32_t i = 0; i < ka_node_n(cases); i++) {
        const ka_node *c = KA_SEQ_ITEM(cases, i);
        const char *fail = check_vector(c, why, sizeof why);
        if (fail)
            print_error("vector \"%s\" (line %u): %s\n", ka_cstr(ka_get(c, "in")), c->line, fail);
        else
            pass++;
    }
    print_message("quantity vectors: %zu/%u passed\n", pass, ka_node_n(cases));
    assert_int_equal(pass, ka_node_n(cases));
    ka_file_free(f);
    ka_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_signs),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_string_canonical),
        cmocka_unit_test(test_string_parsed_verbatim),
        cmocka_unit_test(test_string_truncates),
        cmocka_unit_test(test_value_milli),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_precision_limit),
        cmocka_unit_test(test_shared_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
