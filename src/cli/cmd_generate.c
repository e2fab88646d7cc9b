/*
 * cmd_generate.c - `kubearch generate SPEC --dir DIR [--dry-run] [--force]`
 */
#include "cli.h"
#include "kubearch/gen.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char generate_help[] =
    "Usage: kubearch generate SPEC --dir DIR [options]\n"
    "\n"
    "Generate every manifest of the architecture described by SPEC (an\n"
    "apiVersion kubearch.io/v1alpha1 kind Architecture file, or - for standard\n"
    "input; 'kubearch init' prints a starter) into DIR, as a kustomize tree:\n"
    "\n"
    "  ARCHITECTURE.md            decisions, reasons, production-readiness checklist\n"
    "  management/                Cluster API: Cluster, control plane, machine\n"
    "                             templates, a MachineDeployment per pool and zone,\n"
    "                             MachineHealthChecks; Argo CD / Flux fleet objects\n"
    "  clusters/CLUSTER/platform/ PriorityClasses, StorageClasses, snapshot classes,\n"
    "                             Gateway + cert-manager TLS, alert rules, backups\n"
    "  clusters/CLUSTER/namespaces/NAMESPACE/\n"
    "                             Namespace (Pod Security), default-deny and tier\n"
    "                             NetworkPolicies, ResourceQuota, LimitRange, team\n"
    "                             RBAC, and per workload a Deployment, Service,\n"
    "                             ServiceAccount, PodDisruptionBudget and route\n"
    "  fleet/                     Karmada propagation and failover policies\n"
    "\n"
    "Every directory has a kustomization.yaml. The same spec always gives the\n"
    "same bytes. Before writing, every unit (management, each cluster, fleet) is\n"
    "checked in memory with every rule of 'kubearch check --enable-all'; nothing is\n"
    "written unless there are zero findings.\n"
    "\n"
    "Files are written atomically (temporary file + rename). A file that exists\n"
    "with other content is left untouched and reported as a conflict unless\n"
    "--force. Paths are built from validated names and never leave DIR (symbolic\n"
    "links inside DIR are not followed).\n"
    "\n"
    "Options:\n"
    "  -d, --dir DIR         output directory (created if missing; its parent must exist)\n"
    "  -n, --dry-run         write nothing; list what would be created or changed\n"
    "  -f, --force           replace files whose content differs\n"
    "      --no-check        skip the in-memory check (not recommended)\n"
    "  -o, --output FORMAT   report format: text (default) or json\n"
    "  -q, --quiet           print only conflicts, errors and the summary\n"
    "      --flows CLUSTER   write nothing; print the flows the NetworkPolicies of\n"
    "                        CLUSTER allow and deny, as a 'kubearch netpol --expect'\n"
    "                        file (external endpoint 203.0.113.10); --dir not needed\n"
    "  -h, --help            show this help\n"
    "\n"
    "The report lists each file as create, update, conflict or error (unchanged\n"
    "files are counted in the summary). Spec mistakes are reported as\n"
    "file:line:col: error: ... (docs/spec.md documents every field).\n"
    "\n"
    "Exit codes: 0 written (or nothing to do), 1 conflicts or check findings,\n"
    "2 usage, spec or write errors.\n";

static const struct option gen_opts[] = {
    { "dir", required_argument, NULL, 'd' },
    { "dry-run", no_argument, NULL, 'n' },
    { "force", no_argument, NULL, 'f' },
    { "no-check", no_argument, NULL, 'C' },
    { "output", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "flows", required_argument, NULL, 'F' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static void report_text(const ka_gen_plan *p, const ka_gen_result *r, bool dry, bool quiet)
{
    for (size_t i = 0; i < p->n; i++) {
        ka_gen_state st = r->state[i];
        if (st == KA_GEN_SAME || (quiet && (st == KA_GEN_CREATE || st == KA_GEN_UPDATE)))
            continue;
        if (st == KA_GEN_CONFLICT)
            printf("conflict  %s (differs from what kubearch would write; kept, use --force to "
                   "replace it)\n", p->v[i].path);
        else if (st == KA_GEN_ERROR)
            printf("error     %s\n", r->error[i]);
        else
            printf("%s%-9s %s\n", dry ? "would " : "", ka_gen_state_name(st), p->v[i].path);
    }
    printf("%zu files: %zu %s, %zu %s, %zu unchanged, %zu conflicts, %zu errors\n", p->n,
           r->count[KA_GEN_CREATE], dry ? "to create" : "created", r->count[KA_GEN_UPDATE],
           dry ? "to update" : "updated", r->count[KA_GEN_SAME], r->count[KA_GEN_CONFLICT],
           r->count[KA_GEN_ERROR]);
}

static void report_json(const ka_gen_plan *p, const ka_gen_result *r, bool dry)
{
    ka_buf b;
    ka_buf_init(&b);
    ka_buf_printf(&b, "{\"dryRun\":%s,\"files\":[", dry ? "true" : "false");
    for (size_t i = 0; i < p->n; i++) {
        ka_buf_adds(&b, i ? ",{\"path\":" : "{\"path\":");
        ka_buf_json_str(&b, ka_str_c(p->v[i].path));
        ka_buf_printf(&b, ",\"state\":\"%s\"", ka_gen_state_name(r->state[i]));
        if (r->error[i]) {
            ka_buf_adds(&b, ",\"error\":");
            ka_buf_json_str(&b, ka_str_c(r->error[i]));
        }
        ka_buf_addc(&b, '}');
    }
    ka_buf_printf(&b, "],\"summary\":{\"files\":%zu,\"create\":%zu,\"update\":%zu,"
                      "\"unchanged\":%zu,\"conflict\":%zu,\"error\":%zu}}\n",
                  p->n, r->count[KA_GEN_CREATE], r->count[KA_GEN_UPDATE], r->count[KA_GEN_SAME],
                  r->count[KA_GEN_CONFLICT], r->count[KA_GEN_ERROR]);
    fputs(ka_buf_cstr(&b), stdout);
    ka_buf_free(&b);
}

/* Findings of the in-memory check, unit by unit, on stderr. */
static void report_findings(const ka_gen_check *v, size_t n)
{
    ka_out_opts oo;
    memset(&oo, 0, sizeof oo);
    oo.hints = true;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].res.n)
            continue;
        fprintf(stderr, "kubearch generate: %s:\n", v[i].unit);
        ka_write_text(stderr, &v[i].res, &oo);
    }
}

int ka_cmd_generate(int argc, char **argv)
{
    const char *dir = NULL, *output = "text", *flows = NULL;
    ka_gen_opts go = { false, false };
    bool check = true, quiet = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":d:nfo:qh", gen_opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'n': go.dry_run = true; break;
        case 'f': go.force = true; break;
        case 'C': check = false; break;
        case 'o': output = optarg; break;
        case 'q': quiet = true; break;
        case 'F': flows = optarg; break;
        case 'h':
            fputs(generate_help, stdout);
            return KA_EXIT_OK;
        case ':':
            return ka_usage_error("generate", "option %s needs a value", argv[optind - 1]);
        default:
            return ka_usage_error("generate", "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return ka_usage_error("generate", "no spec: give the architecture spec file (or - for "
                                          "standard input); 'kubearch init' prints a starter");
    if (argc - optind > 1)
        return ka_usage_error("generate", "one spec at a time (got \"%s\" too)", argv[optind + 1]);
    if (!dir && !flows)
        return ka_usage_error("generate", "--dir DIR is required (where to write the tree)");
    if (dir && !*dir)
        return ka_usage_error("generate", "--dir must not be empty");
    if (strcmp(output, "text") && strcmp(output, "json"))
        return ka_usage_error("generate", "unknown output format \"%s\" (text or json)", output);

    ka_diags d;
    ka_diags_init(&d);
    ka_spec *spec = NULL;
    int rc = KA_EXIT_OK;
    if (ka_spec_load_path(&spec, argv[optind], &d) < 0) {
        ka_diags_print(&d, stderr);
        fprintf(stderr, "kubearch generate: %zu error%s in the spec; nothing written\n", d.errors,
                d.errors == 1 ? "" : "s");
        ka_diags_free(&d);
        return KA_EXIT_USAGE;
    }
    if (flows) {
        ka_buf out;
        ka_buf_init(&out);
        char err[512];
        if (ka_gen_flows(spec, flows, &out, err, sizeof err) < 0) {
            rc = ka_usage_error("generate", "%s", err);
        } else {
            fwrite(out.p, 1, out.n, stdout);
        }
        ka_buf_free(&out);
        goto out;
    }
    ka_gen_plan plan;
    if (ka_gen_plan_build(&plan, spec, &d) < 0) {
        ka_diags_print(&d, stderr);
        rc = KA_EXIT_USAGE;
        goto out;
    }
    if (check) {
        ka_gen_check *v = NULL;
        size_t nv = 0;
        long n = ka_gen_self_check(&plan, &v, &nv, &d);
        if (n != 0 || d.errors) {
            ka_diags_print(&d, stderr);
            report_findings(v, nv);
            fprintf(stderr, "kubearch generate: the generated manifests do not pass the check "
                            "(%ld finding%s); nothing written. This is a kubearch bug: please "
                            "report it with the spec. --no-check writes them anyway.\n",
                    n, n == 1 ? "" : "s");
            ka_gen_check_free(v, nv);
            ka_gen_plan_free(&plan);
            rc = n < 0 || d.errors ? KA_EXIT_USAGE : KA_EXIT_FINDINGS;
            goto out;
        }
        ka_gen_check_free(v, nv);
    }
    ka_gen_result res;
    ka_gen_write(&plan, dir, &go, &res);
    if (strcmp(output, "json") == 0)
        report_json(&plan, &res, go.dry_run);
    else
        report_text(&plan, &res, go.dry_run, quiet);
    if (res.count[KA_GEN_ERROR])
        rc = KA_EXIT_USAGE;
    else if (res.count[KA_GEN_CONFLICT])
        rc = KA_EXIT_FINDINGS;
    ka_gen_result_free(&res);
    ka_gen_plan_free(&plan);
out:
    ka_spec_free(spec);
    ka_diags_free(&d);
    return rc;
}
