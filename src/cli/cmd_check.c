/*
 * cmd_check.c - `kubearch check [options] PATH...`
 */
#define _GNU_SOURCE
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_help[] =
    "Usage: kubearch check [options] PATH...\n"
    "\n"
    "Check Kubernetes manifests against the production-readiness rules.\n"
    "PATH is a file, a directory (read recursively: *.yaml, *.yml, *.json; hidden\n"
    "entries skipped) or - for standard input. Multi-document YAML, JSON and List\n"
    "kinds (kubectl get -o yaml|json) are read.\n"
    "\n"
    "Options:\n"
    "  -o, --output FORMAT          text (default), json, yaml, sarif, junit\n"
    "      --rules LIST             run only these rules (ids, slugs or categories, comma-separated)\n"
    "      --enable LIST            also run these rules (e.g. opt-in ones)\n"
    "      --disable LIST           do not run these rules\n"
    "      --enable-all             run every rule, including the opt-in ones\n"
    "      --scorecard              also evaluate the cluster-level production-readiness\n"
    "                               checklist (CLU-001..CLU-012) and print it first\n"
    "      --fail-on SEVERITY       exit 1 when a finding is at least error (default),\n"
    "                               warning or info\n"
    "      --kubernetes-version V   target version for deprecated APIs (default 1.36)\n"
    "      --config FILE            read this configuration instead of the .kubearch.yaml\n"
    "                               found upward from the current directory\n"
    "      --no-config              read no configuration file\n"
    "      --no-ignore-annotations  do not honour kubearch.io/ignore annotations\n"
    "      --assume-present LIST    objects that exist outside the input (Kind/ns/name or\n"
    "                               Kind/name, globs, comma-separated): references to them\n"
    "                               are not reported (REF-001, RBAC-010, RBAC-012)\n"
    "      --no-hints               text output without the fix hints\n"
    "      --color WHEN             auto (default: only on a terminal), always, never\n"
    "      --max-depth N            maximum nesting depth of a document (default 200)\n"
    "      --max-doc-bytes N        maximum size of one document (default 134217728)\n"
    "      --max-alias-nodes N      maximum nodes added by alias expansion (default 1000000)\n"
    "  -j, --jobs N                 threads parsing a folder's files or a large file\n"
    "                               (4 MiB or more) and running the rules: 0 one per\n"
    "                               CPU, at most 8 (default; rules from 1,024 objects);\n"
    "                               1 none\n"
    "  -h, --help                   show this help\n"
    "\n"
    "Suppression: annotate an object (or its pod template) with\n"
    "  kubearch.io/ignore: \"RES-001,SEC-005\"   (+ kubearch.io/ignore-reason: \"...\")\n"
    "or add exemptions to .kubearch.yaml (see docs/configuration.md).\n"
    "\n"
    "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or input errors\n"
    "(input errors are printed as file:line:col: error: ... on standard error; the\n"
    "other documents and files are still checked).\n";

enum {
    OPT_RULES = 256, OPT_ENABLE, OPT_DISABLE, OPT_ENABLE_ALL, OPT_FAIL_ON, OPT_KVER, OPT_CONFIG,
    OPT_NO_CONFIG, OPT_NO_IGNORE, OPT_ASSUME, OPT_SCORECARD, OPT_NO_HINTS, OPT_COLOR, OPT_MAX_DEPTH, OPT_MAX_DOC, OPT_MAX_ALIAS,
};

static const struct option check_opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "rules", required_argument, NULL, OPT_RULES },
    { "enable", required_argument, NULL, OPT_ENABLE },
    { "disable", required_argument, NULL, OPT_DISABLE },
    { "enable-all", no_argument, NULL, OPT_ENABLE_ALL },
    { "fail-on", required_argument, NULL, OPT_FAIL_ON },
    { "kubernetes-version", required_argument, NULL, OPT_KVER },
    { "config", required_argument, NULL, OPT_CONFIG },
    { "no-config", no_argument, NULL, OPT_NO_CONFIG },
    { "no-ignore-annotations", no_argument, NULL, OPT_NO_IGNORE },
    { "assume-present", required_argument, NULL, OPT_ASSUME },
    { "scorecard", no_argument, NULL, OPT_SCORECARD },
    { "no-hints", no_argument, NULL, OPT_NO_HINTS },
    { "color", required_argument, NULL, OPT_COLOR },
    { "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
    { "max-doc-bytes", required_argument, NULL, OPT_MAX_DOC },
    { "max-alias-nodes", required_argument, NULL, OPT_MAX_ALIAS },
    { "jobs", required_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end || v == 0)
        return false;
    *out = (size_t)v;
    return true;
}

/* Joins repeated --enable/--disable/--rules values into one comma list. */
static void append_list(ka_buf *b, const char *v)
{
    if (b->n)
        ka_buf_addc(b, ',');
    ka_buf_adds(b, v);
}

int ka_cmd_check(int argc, char **argv)
{
    const char *output = "text", *fail_on = NULL, *kver = NULL, *config = NULL, *color = "auto";
    bool no_config = false, no_hints = false;
    ka_check_opts co;
    memset(&co, 0, sizeof co);
    ka_limits lim;
    ka_limits_default(&lim);
    ka_buf only, en, dis, assume;
    ka_buf_init(&assume);
    ka_buf_init(&only);
    ka_buf_init(&en);
    ka_buf_init(&dis);
    int rc = KA_EXIT_OK;

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:j:h", check_opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h':
            fputs(check_help, stdout);
            goto done;
        case OPT_RULES: append_list(&only, optarg); break;
        case OPT_ENABLE: append_list(&en, optarg); break;
        case OPT_DISABLE: append_list(&dis, optarg); break;
        case OPT_ENABLE_ALL: co.enable_all = true; break;
        case OPT_FAIL_ON: fail_on = optarg; break;
        case OPT_KVER: kver = optarg; break;
        case OPT_CONFIG: config = optarg; break;
        case OPT_NO_CONFIG: no_config = true; break;
        case OPT_NO_IGNORE: co.no_ignore_annotations = true; break;
        case OPT_ASSUME: append_list(&assume, optarg); break;
        case OPT_SCORECARD: co.scorecard = true; break;
        case OPT_NO_HINTS: no_hints = true; break;
        case OPT_COLOR: color = optarg; break;
        case OPT_MAX_DEPTH: {
            size_t v;
            if (!parse_size(optarg, &v) || v > 100000) {
                rc = ka_usage_error("check", "--max-depth needs a number from 1 to 100000");
                goto done;
            }
            lim.max_depth = (uint32_t)v;
            break;
        }
        case OPT_MAX_DOC:
            if (!parse_size(optarg, &lim.max_doc_bytes)) {
                rc = ka_usage_error("check", "--max-doc-bytes needs a positive number");
                goto done;
            }
            break;
        case 'j': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (!*optarg || *end || v > 64 || optarg[0] == '-') {
                rc = ka_usage_error("check", "--jobs needs a number from 0 to 64");
                goto done;
            }
            lim.threads = co.threads = (unsigned)v;
            break;
        }
        case OPT_MAX_ALIAS:
            if (!parse_size(optarg, &lim.max_alias_nodes)) {
                rc = ka_usage_error("check", "--max-alias-nodes needs a positive number");
                goto done;
            }
            break;
        case ':':
            rc = ka_usage_error("check", "option %s needs a value", argv[optind - 1]);
            goto done;
        default:
            rc = ka_usage_error("check", "unknown option %s", argv[optind - 1]);
            goto done;
        }
    }
    if (optind >= argc) {
        rc = ka_usage_error("check", "no input: give files, directories or - for standard input");
        goto done;
    }
    if (strcmp(output, "text") && strcmp(output, "json") && strcmp(output, "yaml") &&
        strcmp(output, "sarif") && strcmp(output, "junit")) {
        rc = ka_usage_error("check", "unknown output format \"%s\" (text, json, yaml, sarif, junit)",
                            output);
        goto done;
    }
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
        rc = ka_usage_error("check", "--color takes auto, always or never");
        goto done;
    }

    ka_diags diags;
    ka_diags_init(&diags);
    ka_config cfg;
    memset(&cfg, 0, sizeof cfg);
    bool have_cfg = false;
    if (!no_config) {
        char *path = config ? ka_xstrdup(config) : ka_config_find(".");
        if (path) {
            if (ka_config_load(path, &cfg, &diags) < 0) {
                ka_diags_print(&diags, stderr);
                fprintf(stderr, "kubearch check: error: invalid configuration %s\n", path);
                free(path);
                ka_config_free(&cfg);
                ka_diags_free(&diags);
                rc = KA_EXIT_USAGE;
                goto done;
            }
            have_cfg = true;
            free(path);
        }
    }
    co.config = have_cfg ? &cfg : NULL;
    if (!fail_on && have_cfg && cfg.fail_on)
        fail_on = cfg.fail_on;
    if (!kver && have_cfg && cfg.kubernetes_version)
        kver = cfg.kubernetes_version;
    if (have_cfg && cfg.has_ignore_annotations && !cfg.ignore_annotations)
        co.no_ignore_annotations = true;
    ka_severity fail_sev = KA_SEV_ERROR;
    if (fail_on && ka_severity_parse(fail_on, &fail_sev) < 0) {
        rc = ka_usage_error("check", "--fail-on takes error, warning or info");
        goto cleanup;
    }
    char kvbuf[32];
    if (kver) {
        if (ka_kube_version_parse(kver, &co.kube_major, &co.kube_minor) < 0) {
            rc = ka_usage_error("check", "--kubernetes-version takes a version like 1.31, not \"%s\"",
                                kver);
            goto cleanup;
        }
        if (co.kube_major > KA_KUBE_DEFAULT_MAJOR ||
            (co.kube_major == KA_KUBE_DEFAULT_MAJOR && co.kube_minor > KA_KUBE_DEFAULT_MINOR)) {
            fprintf(stderr, "kubearch check: warning: Kubernetes %d.%d is newer than the newest "
                            "known version %d.%d; deprecations after it are unknown\n",
                    co.kube_major, co.kube_minor, KA_KUBE_DEFAULT_MAJOR, KA_KUBE_DEFAULT_MINOR);
        }
    }
    snprintf(kvbuf, sizeof kvbuf, "%d.%d", co.kube_major ? co.kube_major : KA_KUBE_DEFAULT_MAJOR,
             co.kube_major ? co.kube_minor : KA_KUBE_DEFAULT_MINOR);
    co.only = only.n ? ka_buf_cstr(&only) : NULL;
    co.enable = en.n ? ka_buf_cstr(&en) : NULL;
    co.disable = dis.n ? ka_buf_cstr(&dis) : NULL;
    co.assume_present = assume.n ? ka_buf_cstr(&assume) : NULL;
    {
        /* selection errors are usage errors: report them before reading input */
        bool *tmp = ka_xcalloc(ka_rules_count(), sizeof(bool));
        char err[256];
        int sr = ka_check_select(&co, tmp, err, sizeof err);
        free(tmp);
        if (sr < 0) {
            rc = ka_usage_error("check", "%s", err);
            goto cleanup;
        }
    }

    ka_objset *set = ka_objset_new(&lim);
    ka_objset_load_all(set, (const char *const *)argv + optind, (size_t)(argc - optind), &diags);
    ka_objset_index(set);
    ka_results res;
    char err[256];
    if (ka_check_run(set, &co, &res, err, sizeof err) < 0) {
        rc = ka_usage_error("check", "%s", err);
        ka_results_free(&res);
        ka_objset_free(set);
        goto cleanup;
    }
    ka_diags_print(&diags, stderr);
    ka_out_opts oo;
    memset(&oo, 0, sizeof oo);
    oo.color = strcmp(color, "always") == 0 || (strcmp(color, "auto") == 0 && isatty(1) &&
                                                !getenv("NO_COLOR"));
    oo.hints = !no_hints;
    oo.input_errors = diags.errors;
    oo.kube_version = kvbuf;
    if (strcmp(output, "json") == 0)
        ka_write_json(stdout, &res, &oo);
    else if (strcmp(output, "yaml") == 0)
        ka_write_yaml(stdout, &res, &oo);
    else if (strcmp(output, "sarif") == 0)
        ka_write_sarif(stdout, &res, &oo);
    else if (strcmp(output, "junit") == 0)
        ka_write_junit(stdout, &res, set, &oo);
    else
        ka_write_text(stdout, &res, &oo);
    fflush(stdout);
    if (diags.errors)
        rc = KA_EXIT_USAGE;
    else {
        size_t failing = 0;
        for (int s = (int)fail_sev; s <= KA_SEV_ERROR; s++)
            failing += res.count[s];
        rc = failing ? KA_EXIT_FINDINGS : KA_EXIT_OK;
    }
    ka_results_free(&res);
    ka_objset_free(set);
cleanup:
    if (have_cfg)
        ka_config_free(&cfg);
    ka_diags_free(&diags);
done:
    ka_buf_free(&only);
    ka_buf_free(&en);
    ka_buf_free(&dis);
    ka_buf_free(&assume);
    return rc;
}
