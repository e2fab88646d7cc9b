/*
 * cmd_rules.c - `kubearch rules` and `kubearch explain`.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char rules_help[] =
    "Usage: kubearch rules [options]\n"
    "\n"
    "List the rules kubearch check runs.\n"
    "\n"
    "Options:\n"
    "  -o, --output FORMAT    text (default), json, markdown (the source of docs/rules.md)\n"
    "      --category NAME    only rules of this category\n"
    "      --severity LEVEL   only rules of this default severity (error, warning, info)\n"
    "      --checklist CLn    only rules serving this checklist item (CL1..CL12)\n"
    "      --default          only rules that run by default\n"
    "      --opt-in           only rules that are off by default\n"
    "  -h, --help             show this help\n";

static const char explain_help[] =
    "Usage: kubearch explain RULE\n"
    "\n"
    "Explain one rule (by id, e.g. RES-001, or slug, e.g. cpu-request-missing): what it\n"
    "checks, why it matters, its default severity and how to fix a finding.\n";

int ka_cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },  { "category", required_argument, NULL, 'c' },
        { "severity", required_argument, NULL, 's' }, { "checklist", required_argument, NULL, 'l' },
        { "default", no_argument, NULL, 'd' },        { "opt-in", no_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },           { NULL, 0, NULL, 0 },
    };
    const char *output = "text", *cat = NULL, *sev = NULL, *cl = NULL;
    bool only_default = false, only_optin = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'c': cat = optarg; break;
        case 's': sev = optarg; break;
        case 'l': cl = optarg; break;
        case 'd': only_default = true; break;
        case 'i': only_optin = true; break;
        case 'h': fputs(rules_help, stdout); return KA_EXIT_OK;
        case ':': return ka_usage_error("rules", "option %s needs a value", argv[optind - 1]);
        default: return ka_usage_error("rules", "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return ka_usage_error("rules", "unexpected argument \"%s\"", argv[optind]);
    ka_severity sv = KA_SEV_ERROR;
    if (sev && ka_severity_parse(sev, &sv) < 0)
        return ka_usage_error("rules", "--severity takes error, warning or info");
    size_t n = ka_rules_count();
    bool *only = ka_xcalloc(n, sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        const ka_rule *r = ka_rule_at(i);
        only[i] = (!cat || strcmp(cat, r->category) == 0) && (!sev || r->severity == sv) &&
                  (!cl || strcmp(cl, r->checklist) == 0) && (!only_default || !r->optin) &&
                  (!only_optin || r->optin);
    }
    int rc = KA_EXIT_OK;
    if (strcmp(output, "text") == 0)
        ka_write_rules_text(stdout, only);
    else if (strcmp(output, "json") == 0)
        ka_write_rules_json(stdout, only);
    else if (strcmp(output, "markdown") == 0)
        ka_write_rules_markdown(stdout);
    else
        rc = ka_usage_error("rules", "unknown output format \"%s\" (text, json, markdown)", output);
    free(only);
    return rc;
}

int ka_cmd_explain(int argc, char **argv)
{
    if (argc < 2)
        return ka_usage_error("explain", "which rule? give an id (RES-001) or a slug");
    if (ka_is_help(argv[1])) {
        fputs(explain_help, stdout);
        return KA_EXIT_OK;
    }
    if (argc > 2)
        return ka_usage_error("explain", "give one rule");
    const ka_rule *r = ka_rule_find(argv[1]);
    if (!r)
        return ka_usage_error("explain", "unknown rule \"%s\" (see `kubearch rules`)", argv[1]);
    ka_write_rule_explain(stdout, r);
    return KA_EXIT_OK;
}
