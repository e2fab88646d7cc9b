/*
 * fuzz_load.c - libFuzzer entry point for the whole `kubearch check` path:
 * the input is loaded as one file (ka_load_buffer), added to an object set
 * and indexed, every rule runs on it (opt-in ones too), a writer formats the
 * results into /dev/null (one writer per input, chosen by its length), and
 * everything is freed. Crashes, sanitizer reports and leaks are findings;
 * input diagnostics and rule findings are not.
 *
 * Invariants checked on the way: rejected documents have no root and come
 * with an error diagnostic; findings are sorted, carry a rule, a message and
 * (for objects) a position; the severity counts add up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubearch/kubearch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                    \
    do {                                                                            \
        if (!(c)) {                                                                 \
            fprintf(stderr, "fuzz_load: check failed: %s (line %d)\n", #c, __LINE__); \
            abort();                                                                \
        }                                                                           \
    } while (0)

static FILE *devnull(void)
{
    static FILE *f;
    if (!f) {
        f = fopen("/dev/null", "w");
        CHECK(f != NULL);
    }
    return f;
}

static void check_file(const ka_file *f, const ka_diags *d)
{
    CHECK(f != NULL && f->arena != NULL);
    size_t rejected = 0;
    for (size_t i = 0; i < f->ndocs; i++) {
        const ka_doc *doc = &f->docs[i];
        if (doc->rejected) {
            CHECK(doc->root == NULL);
            rejected++;
        }
    }
    /* a rejected document always comes with an error diagnostic */
    CHECK(rejected == 0 || d->errors > 0);
}

static void check_results(const ka_results *r)
{
    size_t count[3] = { 0, 0, 0 };
    for (size_t i = 0; i < r->n; i++) {
        const ka_finding *f = &r->v[i];
        CHECK(f->rule != NULL && f->message != NULL);
        CHECK((int)f->severity >= KA_SEV_INFO && (int)f->severity <= KA_SEV_ERROR);
        count[f->severity]++;
        if (f->obj)
            CHECK(f->line >= 1 && f->col >= 1);
        if (i > 0) {
            const ka_finding *p = &r->v[i - 1];
            CHECK(p->file_index < f->file_index ||
                  (p->file_index == f->file_index &&
                   (p->line < f->line || (p->line == f->line && p->col <= f->col))));
        }
    }
    for (int s = 0; s < 3; s++)
        CHECK(count[s] == r->count[s]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ka_limits lim;
    ka_diags d;
    ka_limits_default(&lim);
    ka_diags_init(&d);

    ka_file *f = ka_load_buffer("<fuzz>", (const char *)data, size, &lim, &d);
    check_file(f, &d);

    ka_objset *set = ka_objset_new(&lim);
    ka_objset_add_file(set, f, &d); /* the set owns f from here */
    ka_objset_index(set);

    ka_check_opts co;
    memset(&co, 0, sizeof co);
    co.enable_all = true;
    ka_results res;
    char err[256];
    int rc = ka_check_run(set, &co, &res, err, sizeof err);
    CHECK(rc == 0);
    check_results(&res);
    CHECK(res.objects == ka_objset_count(set));

    ka_out_opts oo;
    memset(&oo, 0, sizeof oo);
    oo.hints = true;
    oo.input_errors = d.errors;
    oo.command = "kubearch check --enable-all <fuzz>";
    oo.kube_version = "1.36";
    FILE *out = devnull();
    /* One writer per input, by input length: SARIF alone (its rules array is
     * the same every time) would otherwise take most of each execution. */
    switch (size % 5) {
    case 0: ka_write_text(out, &res, &oo); break;
    case 1: ka_write_json(out, &res, &oo); break;
    case 2: ka_write_yaml(out, &res, &oo); break;
    case 3: ka_write_sarif(out, &res, &oo); break;
    default: ka_write_junit(out, &res, set, &oo); break;
    }
    ka_diags_print(&d, out);
    fflush(out);

    ka_results_free(&res);
    ka_objset_free(set);
    ka_diags_free(&d);
    return 0;
}
