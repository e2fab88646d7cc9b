/*
 * fuzz_selector.c - libFuzzer entry point for label selectors.
 *
 * Input: the first line is a selector string; every further line "key=value"
 * is a label. An input starting with byte 0x01 is instead read as a YAML
 * document: its "selector" goes through the LabelSelector conversion, its
 * "map" through SelectorFromSet and its "labels" become the label set.
 * A validated selector (string or LabelSelector form) must print a String()
 * that parses back to the same String() and matches the same labels;
 * SelectorFromSet validates nothing, so its output is only exercised.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kubearch/labels.h"
#include "kubearch/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static ka_labels parse_labels(ka_arena *a, const char *p, size_t n)
{
    size_t cap = 1, count = 0;
    for (size_t i = 0; i < n; i++)
        cap += p[i] == '\n';
    ka_kv *kv = ka_arena_alloc(a, cap * sizeof *kv);
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t len = nl ? (size_t)(nl - p) : n;
        const char *eq = memchr(p, '=', len);
        if (eq) {
            kv[count].key = (ka_str){ p, (size_t)(eq - p) };
            kv[count].val = (ka_str){ eq + 1, len - (size_t)(eq - p) - 1 };
            count++;
        }
        p += len + (nl != NULL);
        n -= len + (nl != NULL);
    }
    return (ka_labels){ count, kv };
}

/* String() re-parses and selects the same; for a parsed selector it is also a
 * fixed point (the LabelSelector form keeps duplicate values, which the
 * string parser folds). */
static void check_roundtrip(ka_arena *a, const ka_selector *s, const ka_labels *l, bool fixed)
{
    ka_buf b, b2;
    ka_selector r;
    char err[256];

    ka_buf_init(&b);
    ka_buf_init(&b2);
    ka_selector_string(s, &b);
    if (s->nothing) {
        CHECK(b.n == 0 && !ka_selector_matches(s, l));
    } else {
        CHECK(ka_selector_parse(a, (ka_str){ b.p, b.n }, &r, err, sizeof err) == 0);
        ka_selector_string(&r, &b2);
        CHECK(!fixed || (b.n == b2.n && (b.n == 0 || memcmp(b.p, b2.p, b.n) == 0)));
        CHECK(r.n == s->n);
        CHECK(ka_selector_matches(&r, l) == ka_selector_matches(s, l));
    }
    ka_buf_free(&b);
    ka_buf_free(&b2);
}

static void fuzz_yaml(ka_arena *a, const char *p, size_t n)
{
    ka_limits lim;
    ka_diags d;
    ka_limits_default(&lim);
    ka_diags_init(&d);
    ka_file *f = ka_load_buffer("<fuzz>", p, n, &lim, &d);
    for (size_t i = 0; f && i < f->ndocs; i++) {
        const ka_node *root = f->docs[i].root, *bad;
        ka_labels l = ka_labels_from_node(a, ka_get(root, "labels"));
        ka_selector s;
        char err[512];
        if (ka_selector_from_node(a, ka_get(root, "selector"), &s, &bad, err, sizeof err) == 0)
            check_roundtrip(a, &s, &l, false);
        else
            CHECK(bad != NULL && err[0] != '\0');
        if (ka_selector_from_map(a, ka_get(root, "map"), &s) == 0) {
            ka_buf b;
            ka_buf_init(&b);
            ka_selector_string(&s, &b);
            CHECK(ka_selector_matches(&s, &l) || s.n > 0);
            ka_buf_free(&b);
        }
    }
    if (f)
        ka_file_free(f);
    ka_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    ka_arena *a = ka_arena_new();

    if (size > 0 && data[0] == 0x01) {
        fuzz_yaml(a, p + 1, size - 1);
    } else {
        const char *nl = memchr(p, '\n', size);
        size_t sn = nl ? (size_t)(nl - p) : size;
        ka_labels l = nl ? parse_labels(a, nl + 1, size - sn - 1) : (ka_labels){ 0, NULL };
        ka_selector s;
        char err[512];
        if (ka_selector_parse(a, (ka_str){ p, sn }, &s, err, sizeof err) == 0)
            check_roundtrip(a, &s, &l, true);
        else
            CHECK(err[0] != '\0');
    }
    ka_arena_free(a);
    return 0;
}
