/*
 * kubearch/output.h - writers for check results. Writers only format: they
 * never re-run analysis, and they print findings in the order given (already
 * sorted by ka_check_run).
 */
#ifndef KUBEARCH_OUTPUT_H
#define KUBEARCH_OUTPUT_H

#include <stdio.h>

#include "check.h"
#include "diag.h"

#define KA_VERSION "0.1.0"

typedef struct ka_out_opts {
    bool color;             /* ANSI colour (text only) */
    bool hints;             /* fix hints under each finding (text only) */
    size_t input_errors;    /* diagnostics of level error */
    const char *command;    /* the command line, for SARIF invocations; may be NULL */
    const char *kube_version; /* "1.36" */
} ka_out_opts;

void ka_write_text(FILE *f, const ka_results *r, const ka_out_opts *o);
void ka_write_json(FILE *f, const ka_results *r, const ka_out_opts *o);
void ka_write_yaml(FILE *f, const ka_results *r, const ka_out_opts *o);
void ka_write_sarif(FILE *f, const ka_results *r, const ka_out_opts *o);
void ka_write_junit(FILE *f, const ka_results *r, const ka_objset *s, const ka_out_opts *o);

/* The rule table. */
void ka_write_rules_text(FILE *f, const bool *only);
void ka_write_rules_json(FILE *f, const bool *only);
void ka_write_rules_markdown(FILE *f);
void ka_write_rule_explain(FILE *f, const ka_rule *r);

#endif
