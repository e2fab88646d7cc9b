/*
 * test_selector.c - label syntax and label selectors.
 *
 * The tables restate facts from k8s.io/apimachinery: pkg/labels/selector_test.go
 * (TestSelectorParse, TestDeterministicParse, TestSelectorMatches, TestSetMatches,
 * TestLexer*, TestRequirementConstructor, TestToString,
 * TestRequirementSelectorMatching, TestSetSelectorParser),
 * pkg/apis/meta/v1/helpers_test.go (TestLabelSelectorAsSelector) and
 * pkg/api/validate/content (kube_test.go, dns_test.go), plus cases that follow
 * from reading the parser (marked "from the parser"). The shared vectors in
 * ../shared/reference/vectors/selectors.yaml are run as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kubearch/labels.h"
#include "kubearch/load.h"

#define VECTORS "../shared/reference/vectors/selectors.yaml"

static ka_str repeat(ka_arena *a, char c, size_t n, const char *tail)
{
    size_t t = strlen(tail);
    char *p = ka_arena_alloc(a, n + t + 1);
    memset(p, c, n);
    memcpy(p + n, tail, t + 1);
    return (ka_str){ p, n + t };
}

/* ---- syntax ------------------------------------------------------------- */

static void test_label_keys(void **state)
{
    (void)state;
    static const char *const good[] = {
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
        "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
        "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678",
        "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
        "a", "A_b.C-d",
    };
    static const char *const bad[] = {
        "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
        "Example.com/abc", "example_com/abc", "example.com/", "/simple", "", "/", "a b",
        "a.", "_a", "a/", "ex..ample.com/a", "x\n",
    };
    char err[512];
    ka_arena *a = ka_arena_new();

    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        if (!ka_label_key_valid(ka_str_c(good[i]), err, sizeof err))
            print_error("key \"%s\": %s\n", good[i], err);
        assert_true(ka_label_key_valid(ka_str_c(good[i]), NULL, 0));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        assert_false(ka_label_key_valid(ka_str_c(bad[i]), err, sizeof err));
        assert_true(err[0] != '\0');
    }
    /* length limits: name 63, prefix 253 */
    assert_true(ka_label_key_valid(repeat(a, 'a', 63, ""), NULL, 0));
    assert_false(ka_label_key_valid(repeat(a, 'a', 64, ""), NULL, 0));
    ka_str longest = repeat(a, 'a', 253, "/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    assert_true(ka_label_key_valid(longest, NULL, 0));
    assert_false(ka_label_key_valid(repeat(a, 'a', 254, "/abc"), err, sizeof err));
    /* every broken rule is reported */
    assert_false(ka_label_key_valid(ka_str_c("/"), err, sizeof err));
    assert_non_null(strstr(err, "prefix"));
    assert_non_null(strstr(err, "name part must not be empty"));
    /* a short buffer is still NUL-terminated */
    char tiny[8];
    assert_false(ka_label_key_valid(ka_str_c("-"), tiny, sizeof tiny));
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
    ka_arena_free(a);
}

static void test_label_values(void **state)
{
    (void)state;
    static const char *const good[] = {
        "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "",
        "a.b_c-D",
    };
    static const char *const bad[] = {
        "nospecialchars%^=@", "Tama-nui-te-r\xc4\x81.is.M\xc4\x81ori.sun", "\\backslashes\\are\\bad",
        "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a b",
        "a/b",
    };
    ka_arena *a = ka_arena_new();
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(ka_label_value_valid(ka_str_c(good[i]), NULL, 0));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(ka_label_value_valid(ka_str_c(bad[i]), NULL, 0));
    assert_true(ka_label_value_valid(repeat(a, 'a', 63, ""), NULL, 0));
    assert_false(ka_label_value_valid(repeat(a, 'a', 64, ""), NULL, 0));
    ka_arena_free(a);
}

static void test_dns1123(void **state)
{
    (void)state;
    static const char *const label_good[] = {
        "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2",
    };
    static const char *const label_bad[] = {
        "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a",
        "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a",
        "a b", "1 ", " 1", "1 2",
    };
    static const char *const sub_good[] = {
        "a", "a--1--2--b", "0", "a.a", "a-1.a", "a.1", "0.a", "1--a--b--2.1", "a.b.c.d.e",
        "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55",
    };
    static const char *const sub_bad[] = {
        "", "A", "aBc", "-", "a-", "-a", "_", "a_b", ".", "a.", ".a", "a..b", "1.", ".1", "1..2",
        " ", "a b", "A.a", "aB.a", "ab.A", "A.B.C.D.E", "a.B.c.d.e", "a@b", "a,b", "a;b", "a:b",
        "a%b", "a?b", "a$b",
    };
    ka_arena *a = ka_arena_new();
    for (size_t i = 0; i < sizeof label_good / sizeof *label_good; i++)
        assert_true(ka_dns1123_label(ka_str_c(label_good[i])));
    for (size_t i = 0; i < sizeof label_bad / sizeof *label_bad; i++)
        assert_false(ka_dns1123_label(ka_str_c(label_bad[i])));
    for (size_t i = 0; i < sizeof sub_good / sizeof *sub_good; i++)
        assert_true(ka_dns1123_subdomain(ka_str_c(sub_good[i])));
    for (size_t i = 0; i < sizeof sub_bad / sizeof *sub_bad; i++)
        assert_false(ka_dns1123_subdomain(ka_str_c(sub_bad[i])));
    assert_true(ka_dns1123_label(repeat(a, 'a', 63, "")));
    assert_false(ka_dns1123_label(repeat(a, 'a', 64, "")));
    assert_true(ka_dns1123_subdomain(repeat(a, 'a', 253, "")));
    assert_false(ka_dns1123_subdomain(repeat(a, 'a', 254, "")));
    /* the subdomain regex bounds only the whole name, not each label */
    assert_true(ka_dns1123_subdomain(repeat(a, 'a', 100, ".b")));
    ka_arena_free(a);
}

/* ---- string parser ---------------------------------------------------------- */

typedef struct parse_case {
    const char *in;
    size_t n;          /* 0: strlen(in) */
    bool valid;
    const char *string; /* canonical String(), when valid */
} parse_case;

static const parse_case parse_cases[] = {
    /* TestSelectorParse (String() is the input without spaces) */
    { "x=a,y=b,z=c", 0, true, "x=a,y=b,z=c" },
    { "", 0, true, "" },
    { "x!=a,y=b", 0, true, "x!=a,y=b" },
    { "x=", 0, true, "x=" },
    { "x= ", 0, true, "x=" },
    { "x=,z= ", 0, true, "x=,z=" },
    { "x= ,z= ", 0, true, "x=,z=" },
    { "!x", 0, true, "!x" },
    { "x>1", 0, true, "x>1" },
    { "x>1,z<5", 0, true, "x>1,z<5" },
    { "x=a||y=b", 0, false, NULL },
    { "x==a==b", 0, false, NULL },
    { "!x=a", 0, false, NULL },
    { "x<a", 0, false, NULL },
    /* TestDeterministicParse: requirements sorted by key */
    { "x=a,a=x", 0, true, "a=x,x=a" },
    { "a=x,x=a", 0, true, "a=x,x=a" },
    /* TestSetSelectorParser */
    { "\rx", 0, true, "x" },
    { "this-is-a-dns.domain.com/key-with-dash", 0, true, "this-is-a-dns.domain.com/key-with-dash" },
    { "this-is-another-dns.domain.com/key-with-dash in (so,what)", 0, true,
      "this-is-another-dns.domain.com/key-with-dash in (so,what)" },
    { "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", 0, true,
      "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)" },
    { "foo  in\t (abc)", 0, true, "foo in (abc)" },
    { "x notin\n (abc)", 0, true, "x notin (abc)" },
    { "x  notin\t\t\t(abc,def)", 0, true, "x notin (abc,def)" },
    { "x in (abc,)", 0, true, "x in (,abc)" },
    { "x in (abc,abc)", 0, true, "x in (abc)" },
    { "x in ()", 0, true, "x in ()" },
    { "x in (a,,,,,,)", 0, true, "x in (,a)" },
    { "x notin (abc,,def),bar,z in (),w", 0, true, "bar,w,x notin (,abc,def),z in ()" },
    { "x,y in (a)", 0, true, "x,y in (a)" },
    { "x=a,y!=b,z in (h,i,j)", 0, true, "x=a,y!=b,z in (h,i,j)" },
    { "x,,y", 0, false, NULL },
    { ",x,y", 0, false, NULL },
    { "x nott in (y)", 0, false, NULL },
    { "x notin ( )", 0, true, "x notin ()" },
    { "x notin (, a)", 0, true, "x notin (,a)" },
    { "a in (xyz),", 0, false, NULL },
    { "a in (xyz)b notin ()", 0, false, NULL },
    { "a ", 0, true, "a" },
    { "a in (x,y,notin, z,in)", 0, true, "a in (in,notin,x,y,z)" },
    { "a in (xyz abc)", 0, false, NULL },
    { "a notin(", 0, false, NULL },
    { "a (", 0, false, NULL },
    { "(", 0, false, NULL },
    /* TestSelectorMatches: in/notin are plain words in value position */
    { "notin=in", 0, true, "notin=in" },
    /* TestToString */
    { "x==abc", 0, true, "x==abc" },
    { "z!=a,z", 0, true, "z!=a,z" },
    /* from the parser: operators, keys and values */
    { "x!==a", 0, false, NULL },
    { "x>=1", 0, false, NULL },
    { "x>", 0, false, NULL },
    { "x>-1", 0, false, NULL },   /* an integer, but not a valid label value */
    { "x>05", 0, true, "x>05" },
    { "x>99999999999999999999", 0, false, NULL },
    { "in in (in)", 0, true, "in in (in)" },
    { "x=(a)", 0, false, NULL },
    { "x in a", 0, false, NULL },
    { "x in (a", 0, false, NULL },
    { "x in (a))", 0, false, NULL },
    { "x in (a)(", 0, false, NULL },
    { ")", 0, false, NULL },
    { ",", 0, false, NULL },
    { "!", 0, false, NULL },
    { "!!x", 0, false, NULL },
    { ">", 0, false, NULL },
    { "x=y,", 0, false, NULL },
    { "x=a b", 0, false, NULL },
    { "x, y", 0, true, "x,y" },
    { "  x  =  y  ", 0, true, "x=y" },
    { "!x,x", 0, true, "!x,x" },
    { "x,!x", 0, true, "x,!x" },
    { "Example.com/abc=1", 0, false, NULL },
    { "a/b/c", 0, false, NULL },
    { "x=-a", 0, false, NULL },
    { "x~y", 0, false, NULL },
    { "x in (a-,b)", 0, false, NULL },
    /* a NUL byte ends a token; met where a token starts it ends the input */
    { "a \0garbage", 10, true, "a" },
    { "a,\0b", 4, true, "a,b" },      /* consumed while scanning "," */
    { "a, \0b", 5, false, NULL },
    { "a\0b", 3, false, NULL },
    { "a=b\0", 4, true, "a=b" },
};

static void test_parse_table(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    char err[512];
    ka_buf b;

    ka_buf_init(&b);
    for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++) {
        const parse_case *c = &parse_cases[i];
        ka_str in = { c->in, c->n ? c->n : strlen(c->in) };
        ka_selector s;
        int rc = ka_selector_parse(a, in, &s, err, sizeof err);
        if ((rc == 0) != c->valid)
            print_error("\"%s\": rc %d (%s)\n", c->in, rc, rc ? err : "");
        assert_int_equal(rc == 0, c->valid);
        if (rc != 0) {
            assert_true(err[0] != '\0');
            continue;
        }
        ka_buf_reset(&b);
        ka_selector_string(&s, &b);
        if (strcmp(ka_buf_cstr(&b), c->string) != 0)
            print_error("\"%s\": String() %s\n", c->in, ka_buf_cstr(&b));
        assert_string_equal(ka_buf_cstr(&b), c->string);
        assert_false(s.nothing);
        /* the canonical form parses back to itself */
        ka_selector again;
        assert_int_equal(ka_selector_parse(a, (ka_str){ b.p, b.n }, &again, err, sizeof err), 0);
        ka_buf b2;
        ka_buf_init(&b2);
        ka_selector_string(&again, &b2);
        assert_string_equal(ka_buf_cstr(&b2), c->string);
        ka_buf_free(&b2);
    }
    ka_buf_free(&b);
    ka_arena_free(a);
}

static void test_parse_requirements(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    ka_selector s;
    char err[256];

    /* sets.String: sorted and de-duplicated, "" for empty slots */
    assert_int_equal(ka_selector_parse(a, ka_str_c("x in (a,,a,,a,,a,,)"), &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.reqs[0].op, KA_SEL_IN);
    assert_int_equal(s.reqs[0].nvals, 2);
    assert_true(ka_str_eqc(s.reqs[0].vals[0], ""));
    assert_true(ka_str_eqc(s.reqs[0].vals[1], "a"));

    /* operators as the parser names them */
    static const struct { const char *in; ka_selop op; } ops[] = {
        { "x", KA_SEL_EXISTS }, { "!x", KA_SEL_DOESNOTEXIST }, { "x=1", KA_SEL_EQUALS },
        { "x==1", KA_SEL_DOUBLEEQUALS }, { "x!=1", KA_SEL_NOTEQUALS }, { "x in (1)", KA_SEL_IN },
        { "x notin (1)", KA_SEL_NOTIN }, { "x>1", KA_SEL_GT }, { "x<1", KA_SEL_LT },
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        assert_int_equal(ka_selector_parse(a, ka_str_c(ops[i].in), &s, err, sizeof err), 0);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.reqs[0].op, ops[i].op);
        assert_true(ka_str_eqc(s.reqs[0].key, "x"));
    }

    /* results live in the arena, not in the caller's buffer */
    char input[] = "app=web";
    assert_int_equal(ka_selector_parse(a, ka_str_c(input), &s, err, sizeof err), 0);
    memset(input, 'z', sizeof input - 1);
    assert_true(ka_str_eqc(s.reqs[0].key, "app"));
    assert_true(ka_str_eqc(s.reqs[0].vals[0], "web"));

    /* error text says what was found */
    assert_int_equal(ka_selector_parse(a, ka_str_c("x nott in (y)"), &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "nott"));
    assert_int_equal(ka_selector_parse(a, ka_str_c("x in (y)"), &s, NULL, 0), 0);
    ka_arena_free(a);
}

/* ---- matching ------------------------------------------------------------ */

typedef struct match_case {
    const char *sel;
    const char *labels[8]; /* key, value, key, value ..., NULL */
    bool match;
} match_case;

static const match_case match_cases[] = {
    /* TestSelectorMatches */
    { "", { "x", "y" }, true },
    { "x=y", { "x", "y" }, true },
    { "x=y,z=w", { "x", "y", "z", "w" }, true },
    { "x!=y,z!=w", { "x", "z", "z", "a" }, true },
    { "notin=in", { "notin", "in" }, true },
    { "x", { "x", "z" }, true },
    { "!x", { "y", "z" }, true },
    { "x>1", { "x", "2" }, true },
    { "x<1", { "x", "0" }, true },
    { "x=z", { NULL }, false },
    { "x=y", { "x", "z" }, false },
    { "x=y,z=w", { "x", "w", "z", "w" }, false },
    { "x!=y,z!=w", { "x", "z", "z", "w" }, false },
    { "x", { "y", "z" }, false },
    { "!x", { "x", "z" }, false },
    { "x>1", { "x", "0" }, false },
    { "x<1", { "x", "2" }, false },
    { "foo=bar", { "foo", "bar", "baz", "blah" }, true },
    { "baz=blah", { "foo", "bar", "baz", "blah" }, true },
    { "foo=bar,baz=blah", { "foo", "bar", "baz", "blah" }, true },
    { "foo=blah", { "foo", "bar", "baz", "blah" }, false },
    { "baz=bar", { "foo", "bar", "baz", "blah" }, false },
    { "foo=bar,foobar=bar,baz=blah", { "foo", "bar", "baz", "blah" }, false },
    /* TestRequirementSelectorMatching */
    { "x in (foo),y notin (alpha)", { "x", "foo", "y", "baz" }, true },
    { "x in (foo),y in (alpha)", { "x", "foo", "y", "baz" }, false },
    { "x notin (),y", { "y", "" }, true },
    { "!x,y", { "y", "" }, true },
    { "x notin (),!y", { "y", "" }, false },
    { "x in ()", { "y", "baz" }, false },
    { "z>1", { "z", "2" }, true },
    { "z>1", { "z", "v2" }, false },
    /* from Requirement.Matches */
    { "x!=y", { NULL }, true },
    { "x notin (a,b)", { NULL }, true },
    { "x notin (a,b)", { "x", "b" }, false },
    { "x in (a,b)", { "x", "b" }, true },
    { "x in ()", { "x", "" }, true },
    { "x=", { "x", "" }, true },
    { "x=", { NULL }, false },
    { "x>1", { NULL }, false },
    { "x<1", { NULL }, false },
    { "x>1", { "x", "+5" }, true },   /* ParseInt takes a sign */
    { "x<0", { "x", "-3" }, true },
    { "x>1", { "x", "05" }, true },
    { "x>1", { "x", "" }, false },
    { "x>1", { "x", "1.5" }, false },
    { "x>1", { "x", "99999999999999999999" }, false },
    { "x<1", { "x", "-9223372036854775808" }, true },
    { "x>9223372036854775806", { "x", "9223372036854775807" }, true },
    { "x>1,x<3", { "x", "2" }, true },
    { "x>1,x<3", { "x", "3" }, false },
    { "x=a,x", { "x", "a" }, true },
    { "x=A", { "x", "a" }, false },
};

static ka_labels make_labels(ka_arena *a, const char *const *kv)
{
    size_t n = 0;
    while (kv[2 * n])
        n++;
    ka_kv *v = ka_arena_alloc(a, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i].key = ka_str_c(kv[2 * i]);
        v[i].val = ka_str_c(kv[2 * i + 1]);
    }
    return (ka_labels){ n, v };
}

static void test_match_table(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    char err[256];
    for (size_t i = 0; i < sizeof match_cases / sizeof *match_cases; i++) {
        const match_case *c = &match_cases[i];
        ka_selector s;
        ka_labels l = make_labels(a, c->labels);
        if (ka_selector_parse(a, ka_str_c(c->sel), &s, err, sizeof err) != 0)
            print_error("\"%s\": %s\n", c->sel, err);
        assert_int_equal(ka_selector_parse(a, ka_str_c(c->sel), &s, err, sizeof err), 0);
        if (ka_selector_matches(&s, &l) != c->match)
            print_error("\"%s\" should %smatch\n", c->sel, c->match ? "" : "not ");
        assert_int_equal(ka_selector_matches(&s, &l), c->match);
    }
    ka_arena_free(a);
}

/* ---- structured selectors --------------------------------------------------- */

/* Loads one YAML document; its root stays valid until the file is freed. */
static const ka_node *yaml_root(ka_file **f, const char *text)
{
    ka_limits lim;
    ka_diags d;
    ka_limits_default(&lim);
    ka_diags_init(&d);
    *f = ka_load_buffer("<test>", text, strlen(text), &lim, &d);
    if (d.errors)
        ka_diags_print(&d, stderr);
    assert_int_equal(d.errors, 0);
    ka_diags_free(&d);
    assert_true((*f)->ndocs >= 1);
    return (*f)->docs[0].root;
}

typedef struct node_case {
    const char *yaml;      /* the document's "s" key is the selector */
    bool valid;
    const char *string;    /* String() when valid */
    const char *bad_text;  /* text of the offending node when invalid, if scalar */
} node_case;

static const node_case node_cases[] = {
    /* TestLabelSelectorAsSelector */
    { "s: {matchLabels: {foo: bar}}", true, "foo=bar", NULL },
    { "s: {matchExpressions: [{key: baz, operator: In, values: [qux, norf]}]}", true,
      "baz in (norf,qux)", NULL },
    { "s: {matchLabels: {foo: bar}, matchExpressions: [{key: baz, operator: In, values: [qux, norf]}]}",
      true, "baz in (norf,qux),foo=bar", NULL },
    { "s: {matchExpressions: [{key: baz, operator: Exists, values: [qux, norf]}]}", false, NULL, NULL },
    /* TestRequirementConstructor through the structured form */
    { "s: {matchExpressions: [{key: x1, operator: In}]}", false, NULL, NULL },
    { "s: {matchExpressions: [{key: x2, operator: NotIn, values: []}]}", false, NULL, NULL },
    { "s: {matchExpressions: [{key: x6, operator: Exists}]}", true, "x6", NULL },
    { "s: {matchExpressions: [{key: x7, operator: DoesNotExist}]}", true, "!x7", NULL },
    { "s: {matchExpressions: [{key: x17, operator: In, values: [ok, 'a b']}]}", false, NULL, "a b" },
    { "s: {matchExpressions: [{key: x18, operator: unsupportedOp}]}", false, NULL, "unsupportedOp" },
    /* from LabelSelectorAsSelector: only the four set operators, spelled exactly */
    { "s: {matchExpressions: [{key: x, operator: in, values: [a]}]}", false, NULL, "in" },
    { "s: {matchExpressions: [{key: x, operator: Gt, values: ['1']}]}", false, NULL, "Gt" },
    { "s: {matchExpressions: [{key: x, values: [a]}]}", false, NULL, NULL },
    { "s: {matchExpressions: [{key: 'a b', operator: Exists}]}", false, NULL, "a b" },
    { "s: {matchExpressions: [{operator: Exists}]}", false, NULL, NULL },
    { "s: {matchLabels: {'a b': c}}", false, NULL, "a b" },
    { "s: {matchLabels: {a: 'c d'}}", false, NULL, "c d" },
    /* the structured form keeps duplicate values (String() sorts them) */
    { "s: {matchExpressions: [{key: x, operator: In, values: [b, a, b]}]}", true, "x in (a,b,b)", NULL },
    /* matchLabels come first among equal keys */
    { "s: {matchExpressions: [{key: x, operator: In, values: [a]}], matchLabels: {x: a}}", true,
      "x=a,x in (a)", NULL },
    { "s: {matchLabels: {b: '1', a: '2'}}", true, "a=2,b=1", NULL },
    { "s: {matchLabels: {a: }}", true, "a=", NULL },
    { "s: {matchExpressions: [{key: x, operator: NotIn, values: [~, a]}]}", true, "x notin (,a)", NULL },
    { "s: {matchLabels: null, matchExpressions: null}", true, "", NULL },
    { "s: {matchLabels: {}, matchExpressions: []}", true, "", NULL },
    { "s: {matchLabels: [a]}", false, NULL, NULL },
    { "s: {matchExpressions: {key: x}}", false, NULL, NULL },
    { "s: {matchExpressions: [x]}", false, NULL, "x" },
    { "s: [a]", false, NULL, NULL },
    { "s: {matchExpressions: [{key: x, operator: In, values: [[a]]}]}", false, NULL, NULL },
};

static void test_from_node(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    ka_buf b;
    ka_buf_init(&b);
    for (size_t i = 0; i < sizeof node_cases / sizeof *node_cases; i++) {
        const node_case *c = &node_cases[i];
        ka_file *f;
        const ka_node *root = yaml_root(&f, c->yaml), *bad = NULL;
        ka_selector s;
        char err[512] = "";
        int rc = ka_selector_from_node(a, ka_get(root, "s"), &s, &bad, err, sizeof err);
        if ((rc == 0) != c->valid)
            print_error("%s: rc %d %s\n", c->yaml, rc, err);
        assert_int_equal(rc == 0, c->valid);
        if (rc == 0) {
            ka_buf_reset(&b);
            ka_selector_string(&s, &b);
            if (strcmp(ka_buf_cstr(&b), c->string) != 0)
                print_error("%s: String() %s\n", c->yaml, ka_buf_cstr(&b));
            assert_string_equal(ka_buf_cstr(&b), c->string);
            assert_null(bad);
        } else {
            assert_true(err[0] != '\0');
            assert_non_null(bad);
            if (c->bad_text)
                assert_string_equal(ka_cstr(bad), c->bad_text);
        }
        ka_file_free(f);
    }
    ka_buf_free(&b);
    ka_arena_free(a);
}

static void test_nil_and_empty(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    static const char *const kv[] = { "foo", "bar", NULL };
    ka_labels l = make_labels(a, kv);
    ka_selector s;
    ka_buf b;
    ka_file *f;
    const ka_node *root = yaml_root(&f, "nil: null\nempty: {}\nsel: {matchLabels: {}}\n");

    /* nil LabelSelector: labels.Nothing() */
    assert_int_equal(ka_selector_from_node(a, NULL, &s, NULL, NULL, 0), 0);
    assert_true(s.nothing);
    assert_false(ka_selector_matches(&s, &l));
    assert_false(ka_selector_empty(&s));
    ka_buf_init(&b);
    ka_selector_string(&s, &b);
    assert_string_equal(ka_buf_cstr(&b), "");
    assert_int_equal(ka_selector_from_node(a, ka_get(root, "nil"), &s, NULL, NULL, 0), 0);
    assert_true(s.nothing);
    /* empty LabelSelector: labels.Everything() */
    assert_int_equal(ka_selector_from_node(a, ka_get(root, "empty"), &s, NULL, NULL, 0), 0);
    assert_false(s.nothing);
    assert_true(ka_selector_empty(&s));
    assert_true(ka_selector_matches(&s, &l));
    assert_true(ka_selector_matches(&s, NULL));
    assert_int_equal(ka_selector_from_node(a, ka_get(root, "sel"), &s, NULL, NULL, 0), 0);
    assert_true(ka_selector_empty(&s));
    /* Parse("") is empty too */
    assert_int_equal(ka_selector_parse(a, ka_str_c(""), &s, NULL, 0), 0);
    assert_true(ka_selector_empty(&s));
    ka_buf_free(&b);
    ka_file_free(f);
    ka_arena_free(a);
}

static void test_from_map(void **state)
{
    (void)state;
    ka_arena *a = ka_arena_new();
    ka_file *f;
    const ka_node *root = yaml_root(&f, "svc: {tier: fe, app: web}\n"
                                        "odd: {'a b': '=c'}\n"
                                        "empty: {}\n"
                                        "nul: ~\n"
                                        "list: [a]\n"
                                        "deep: {a: {b: c}}\n");
    static const char *const web[] = { "app", "web", "tier", "fe", "x", "y", NULL };
    static const char *const other[] = { "app", "web", NULL };
    ka_selector s;
    ka_buf b;
    ka_buf_init(&b);

    /* TestSetMatches: a map is key=value for each pair */
    assert_int_equal(ka_selector_from_map(a, ka_get(root, "svc"), &s), 0);
    ka_selector_string(&s, &b);
    assert_string_equal(ka_buf_cstr(&b), "app=web,tier=fe");
    assert_true(ka_selector_matches(&s, &(ka_labels){ 0 }) == false);
    ka_labels lw = make_labels(a, web), lo = make_labels(a, other);
    assert_true(ka_selector_matches(&s, &lw));
    assert_false(ka_selector_matches(&s, &lo));
    /* SelectorFromSet does not validate */
    assert_int_equal(ka_selector_from_map(a, ka_get(root, "odd"), &s), 0);
    ka_buf_reset(&b);
    ka_selector_string(&s, &b);
    assert_string_equal(ka_buf_cstr(&b), "a b==c");
    /* nil and empty maps select everything */
    assert_int_equal(ka_selector_from_map(a, ka_get(root, "empty"), &s), 0);
    assert_true(ka_selector_empty(&s));
    assert_int_equal(ka_selector_from_map(a, ka_get(root, "nul"), &s), 0);
    assert_true(ka_selector_empty(&s));
    assert_int_equal(ka_selector_from_map(a, NULL, &s), 0);
    assert_true(ka_selector_empty(&s));
    assert_int_equal(ka_selector_from_map(a, ka_get(root, "list"), &s), -1);
    assert_int_equal(ka_selector_from_map(a, ka_get(root, "deep"), &s), -1);
    ka_buf_free(&b);
    ka_file_free(f);
    ka_arena_free(a);
}

/* ---- shared vectors -------------------------------------------------------- */

static bool check_string(const ka_node *c, const ka_selector *s, char *why, size_t whyn)
{
    const ka_node *want = ka_get(c, "string");
    ka_buf b;
    bool ok;

    if (!want)
        return true;
    ka_buf_init(&b);
    ka_selector_string(s, &b);
    ok = strcmp(ka_buf_cstr(&b), ka_cstr(want)) == 0;
    if (!ok)
        snprintf(why, whyn, "String() \"%s\", want \"%s\"", ka_buf_cstr(&b), ka_cstr(want));
    ka_buf_free(&b);
    return ok;
}

static bool check_values_of(const ka_node *c, const ka_selector *s, char *why, size_t whyn)
{
    for (uint32_t i = 0; i < ka_node_n(c); i++) {
        ka_str k = ka_node_str(KA_MAP_KEY(c, i));
        const ka_node *want = KA_MAP_VAL(c, i);
        if (!ka_str_has_prefix(k, "values_of_"))
            continue;
        ka_str key = { k.p + 10, k.n - 10 };
        const ka_requirement *r = NULL;
        for (size_t j = 0; j < s->n && !r; j++)
            if (ka_str_eq(s->reqs[j].key, key))
                r = &s->reqs[j];
        bool ok = r && ka_is_seq(want) && r->nvals == ka_node_n(want);
        for (uint32_t j = 0; ok && j < ka_node_n(want); j++)
            ok = ka_str_eq(r->vals[j], ka_node_str(KA_SEQ_ITEM(want, j)));
        if (!ok) {
            snprintf(why, whyn, "values of %.*s differ", (int)key.n, key.p);
            return false;
        }
    }
    return true;
}

static bool check_vector(ka_arena *a, const ka_node *c, char *why, size_t whyn)
{
    const char *kind = ka_cstr(ka_get(c, "kind"));
    const ka_node *sel = ka_get(c, "sel");
    ka_selector s;
    char err[512] = "";
    int rc;

    if (sel)
        rc = ka_selector_parse(a, ka_node_str(sel), &s, err, sizeof err);
    else
        rc = ka_selector_from_node(a, ka_get(c, "selector"), &s, NULL, err, sizeof err);

    if (strcmp(kind, "match") == 0) {
        if (rc != 0) {
            snprintf(why, whyn, "selector rejected: %s", err);
            return false;
        }
        ka_labels l = ka_labels_from_node(a, ka_get(c, "labels"));
        if (ka_selector_matches(&s, &l) != (ka_bool(ka_get(c, "match")) == 1)) {
            snprintf(why, whyn, "match is %d", !ka_selector_matches(&s, &l) ? 0 : 1);
            return false;
        }
        return check_string(c, &s, why, whyn);
    }
    if (strcmp(kind, "parse") == 0 || strcmp(kind, "convert") == 0) {
        bool valid = ka_bool(ka_get(c, "valid")) == 1;
        if ((rc == 0) != valid) {
            snprintf(why, whyn, "valid is %d (%s)", rc == 0, err);
            return false;
        }
        return rc != 0 || (check_string(c, &s, why, whyn) && check_values_of(c, &s, why, whyn));
    }
    snprintf(why, whyn, "unknown kind \"%s\"", kind);
    return false;
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

    ka_arena *a = ka_arena_new();
    size_t pass = 0;
    char why[600];
    for (uint32_t i = 0; i < ka_node_n(cases); i++) {
        const ka_node *c = KA_SEQ_ITEM(cases, i);
        if (check_vector(a, c, why, sizeof why))
            pass++;
        else
            print_error("vector %s (line %u): %s\n", ka_cstr(ka_get(c, "id")), c->line, why);
    }
    print_message("selector vectors: %zu/%u passed\n", pass, ka_node_n(cases));
    assert_int_equal(pass, ka_node_n(cases));
    ka_arena_free(a);
    ka_file_free(f);
    ka_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_keys),
        cmocka_unit_test(test_label_values),
        cmocka_unit_test(test_dns1123),
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_requirements),
        cmocka_unit_test(test_match_table),
        cmocka_unit_test(test_from_node),
        cmocka_unit_test(test_nil_and_empty),
        cmocka_unit_test(test_from_map),
        cmocka_unit_test(test_shared_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
