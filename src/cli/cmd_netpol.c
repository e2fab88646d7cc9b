/*
 * cmd_netpol.c - `kubearch netpol`: the connectivity matrix, one question
 * (--from/--to, --explain), asserted flows (--expect) and `netpol diff`.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "kubearch/netpol.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char netpol_help[] =
    "Usage: kubearch netpol [options] PATH...\n"
    "       kubearch netpol --from ENDPOINT --to ENDPOINT [--port PORT] [--explain] PATH...\n"
    "       kubearch netpol --expect FLOWS.yaml PATH...\n"
    "       kubearch netpol diff [options] BEFORE AFTER\n"
    "\n"
    "Who can reach whom under the NetworkPolicies (networking.k8s.io/v1),\n"
    "AdminNetworkPolicies and the BaselineAdminNetworkPolicy (policy.networking.k8s.io/\n"
    "v1alpha1) of the manifests, before a CNI enforces them. PATH is a file, a\n"
    "directory (read recursively) or - for standard input.\n"
    "\n"
    "Endpoints are named:\n"
    "  ns/name             a Pod (Pods owned by a workload in the input join it)\n"
    "  ns/Kind/name        a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob,\n"
    "                      ReplicaSet, ReplicationController) standing for its pods\n"
    "  IP or CIDR          an endpoint outside the cluster (--external, or given to\n"
    "                      --from / --to directly)\n"
    "A connection is allowed when the source's egress AND the destination's ingress\n"
    "allow it: ANP tier (priority order, first matching rule: Allow, Deny or Pass),\n"
    "then NetworkPolicy (isolated directions allow the union of their rules), then\n"
    "the BANP, then allowed. Named ports resolve against the destination pod.\n"
    "\n"
    "Modes:\n"
    "  (default)                the matrix: every allowed ordered pair with its ports\n"
    "      --from ENDPOINT      one question: what may ENDPOINT send to --to?\n"
    "      --to ENDPOINT\n"
    "      --port PORT          ask about one port: NUMBER or NAME, optionally /TCP,\n"
    "                           /UDP or /SCTP (default TCP), e.g. 5432, dns/UDP\n"
    "      --explain            name the policies and rules that isolated, allowed,\n"
    "                           denied or passed each side\n"
    "      --expect FILE        check the flows of FILE and exit 1 on any difference;\n"
    "                           FILE holds  flows: [{from: A, to: B, port: 80/TCP,\n"
    "                           allowed: true}, ...]  (port optional: any port)\n"
    "  diff BEFORE AFTER        the connectivity that changes between two versions\n"
    "\n"
    "Options:\n"
    "  -o, --output FORMAT      text (default), json, csv, dot (questions and --expect:\n"
    "                           text, json)\n"
    "      --group WHAT         matrix rows: endpoint (default) or class (equivalence\n"
    "                           classes of pods no policy can tell apart)\n"
    "      --external IP|CIDR   an endpoint outside the cluster (repeatable)\n"
    "      --ipblock-pod-ips B  true (default, upstream e2e, Calico, Antrea, OVN-K):\n"
    "                           ipBlocks also match pod IPs (status.podIP / podIPs);\n"
    "                           false (Cilium): only addresses outside the cluster\n"
    "      --host-network MODE  node (default): hostNetwork pods are neither selected\n"
    "                           nor isolated, and pod selectors never match them; pod:\n"
    "                           treat them as ordinary pods\n"
    "  -h, --help               show this help\n"
    "\n"
    "Self pairs (an endpoint to itself) are never listed. Invalid policies (what the\n"
    "API server or the CRD schema would reject) are reported as file:line:col errors\n"
    "and left out.\n"
    "\n"
    "Exit codes: matrix and diff: 0 (diff: no change), 1 (diff: changes); question:\n"
    "0 allowed, 1 denied; --expect: 0 every flow as expected, 1 otherwise; 2 usage or\n"
    "input errors (input errors are printed on standard error, the answer is still\n"
    "printed).\n";

enum { OPT_FROM = 256, OPT_TO, OPT_PORT, OPT_EXPLAIN, OPT_EXPECT, OPT_EXTERNAL, OPT_IPBLOCK,
       OPT_HOSTNET, OPT_GROUP };

static const struct option netpol_opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "from", required_argument, NULL, OPT_FROM },
    { "to", required_argument, NULL, OPT_TO },
    { "port", required_argument, NULL, OPT_PORT },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "expect", required_argument, NULL, OPT_EXPECT },
    { "external", required_argument, NULL, OPT_EXTERNAL },
    { "ipblock-pod-ips", required_argument, NULL, OPT_IPBLOCK },
    { "host-network", required_argument, NULL, OPT_HOSTNET },
    { "group", required_argument, NULL, OPT_GROUP },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

typedef struct args {
    const char *cmd;          /* "netpol" or "netpol diff" */
    int fmt;
    const char *from, *to, *port, *expect;
    bool explain, by_class;
    ka_netpol_opts opts;
    const char **ext;
    size_t next;
} args;

static void add_external(args *a, const char *s)
{
    for (size_t i = 0; i < a->next; i++)
        if (strcmp(a->ext[i], s) == 0)
            return;
    a->ext = ka_xrealloc(a->ext, (a->next + 1) * sizeof *a->ext);
    a->ext[a->next++] = s;
}

/* Returns -1 to go on, or the exit code. */
static int parse(args *a, int argc, char **argv)
{
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", netpol_opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            a->fmt = ka_np_format_parse(optarg);
            if (a->fmt < 0)
                return ka_usage_error(a->cmd, "unknown output format \"%s\" (text, json, csv, dot)",
                                      optarg);
            break;
        case 'h':
            fputs(netpol_help, stdout);
            return KA_EXIT_OK;
        case OPT_FROM: a->from = optarg; break;
        case OPT_TO: a->to = optarg; break;
        case OPT_PORT: {
            ka_str name;
            unsigned port;
            ka_proto proto;
            if (ka_np_port_parse(optarg, &name, &port, &proto) < 0)
                return ka_usage_error(a->cmd, "--port takes NUMBER or NAME, optionally /TCP, /UDP "
                                              "or /SCTP, not \"%s\"", optarg);
            a->port = optarg;
            break;
        }
        case OPT_EXPLAIN: a->explain = true; break;
        case OPT_EXPECT: a->expect = optarg; break;
        case OPT_EXTERNAL:
            if (!ka_netpol_is_address(optarg))
                return ka_usage_error(a->cmd, "--external takes an IP address or a CIDR, not \"%s\"",
                                      optarg);
            add_external(a, optarg);
            break;
        case OPT_IPBLOCK:
            if (strcmp(optarg, "true") == 0)
                a->opts.ipblock_pod_ips = true;
            else if (strcmp(optarg, "false") == 0)
                a->opts.ipblock_pod_ips = false;
            else
                return ka_usage_error(a->cmd, "--ipblock-pod-ips takes true or false");
            break;
        case OPT_HOSTNET:
            if (strcmp(optarg, "node") == 0)
                a->opts.host_network_pods = false;
            else if (strcmp(optarg, "pod") == 0)
                a->opts.host_network_pods = true;
            else
                return ka_usage_error(a->cmd, "--host-network takes node or pod");
            break;
        case OPT_GROUP:
            if (strcmp(optarg, "endpoint") == 0)
                a->by_class = false;
            else if (strcmp(optarg, "class") == 0)
                a->by_class = true;
            else
                return ka_usage_error(a->cmd, "--group takes endpoint or class");
            break;
        case ':':
            return ka_usage_error(a->cmd, "option %s needs a value", argv[optind - 1]);
        default:
            return ka_usage_error(a->cmd, "unknown option %s", argv[optind - 1]);
        }
    }
    return -1;
}

static ka_objset *load(int n, char **paths, ka_diags *d)
{
    ka_objset *set = ka_objset_new(NULL);
    ka_objset_load_all(set, (const char *const *)paths, (size_t)n, d);
    ka_objset_index(set);
    return set;
}

static int run_diff(args *a, int argc, char **argv)
{
    if (argc - optind != 2)
        return ka_usage_error(a->cmd, "give two versions: kubearch netpol diff BEFORE AFTER");
    if (a->from || a->to || a->port || a->explain || a->expect)
        return ka_usage_error(a->cmd, "diff takes no --from, --to, --port, --explain, --expect");
    if (a->by_class)
        return ka_usage_error(a->cmd, "diff compares endpoints: --group class is not supported");
    ka_diags d;
    ka_diags_init(&d);
    a->opts.externals = a->ext;
    a->opts.nexternals = a->next;
    ka_objset *sa = load(1, &argv[optind], &d), *sb = load(1, &argv[optind + 1], &d);
    ka_netpol *na = ka_netpol_build(sa, &a->opts, &d), *nb = ka_netpol_build(sb, &a->opts, &d);
    ka_np_matrix ma, mb;
    ka_netpol_matrix(na, false, &ma);
    ka_netpol_matrix(nb, false, &mb);
    ka_diags_print(&d, stderr);
    size_t changes = ka_netpol_write_diff(stdout, na, &ma, nb, &mb, (ka_np_format)a->fmt);
    fflush(stdout);
    int rc = d.errors ? KA_EXIT_USAGE : changes ? KA_EXIT_FINDINGS : KA_EXIT_OK;
    ka_np_matrix_free(&ma);
    ka_np_matrix_free(&mb);
    ka_netpol_free(na);
    ka_netpol_free(nb);
    ka_objset_free(sa);
    ka_objset_free(sb);
    ka_diags_free(&d);
    return rc;
}

static int resolve_endpoint(const args *a, const ka_netpol *net, const char *name, const char *opt,
                            size_t *out)
{
    long i = ka_netpol_find(net, name);
    if (i < 0) {
        return ka_usage_error(a->cmd,
                              "%s: no endpoint \"%s\" in the input (ns/name for Pods, ns/Kind/name "
                              "for workloads, or an IP / CIDR)",
                              opt, name);
    }
    *out = (size_t)i;
    return -1;
}

static int run_question(args *a, ka_netpol *net, ka_diags *d)
{
    size_t from = 0, to = 0;
    int rc = resolve_endpoint(a, net, a->from, "--from", &from);
    if (rc < 0)
        rc = resolve_endpoint(a, net, a->to, "--to", &to);
    if (rc >= 0) {
        ka_diags_print(d, stderr);
        return rc;
    }
    ka_np_question q;
    ka_netpol_question(net, from, to, a->port, &q);
    ka_portset ports = { 0, 0, NULL };
    ka_np_explain ex = { 0, 0, NULL };
    ka_netpol_query(net, from, to, &ports, a->explain ? &ex : NULL);
    ka_diags_print(d, stderr);
    bool ok = ka_netpol_write_answer(stdout, net, &q, &ports, a->explain ? &ex : NULL,
                                     (ka_np_format)a->fmt);
    fflush(stdout);
    ka_portset_free(&ports);
    ka_np_explain_free(&ex);
    return d->errors ? KA_EXIT_USAGE : ok ? KA_EXIT_OK : KA_EXIT_FINDINGS;
}

int ka_cmd_netpol(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    a.cmd = "netpol";
    ka_netpol_opts_default(&a.opts);
    bool diff = argc > 1 && strcmp(argv[1], "diff") == 0;
    if (diff) {
        a.cmd = "netpol diff";
        argc--;
        argv++;
    }
    int rc = parse(&a, argc, argv);
    if (rc >= 0)
        goto done;
    if (diff) {
        rc = run_diff(&a, argc, argv);
        goto done;
    }
    if (optind >= argc) {
        rc = ka_usage_error(a.cmd, "no input: give files, directories or - for standard input");
        goto done;
    }
    bool question = a.from || a.to;
    if (question && (!a.from || !a.to)) {
        rc = ka_usage_error(a.cmd, "a question needs both --from and --to");
        goto done;
    }
    if (!question && (a.port || a.explain)) {
        rc = ka_usage_error(a.cmd, "--port and --explain need --from and --to");
        goto done;
    }
    if (question && a.expect) {
        rc = ka_usage_error(a.cmd, "--expect checks its own flows: no --from / --to with it");
        goto done;
    }
    if ((question || a.expect) && a.fmt != KA_NP_TEXT && a.fmt != KA_NP_JSON) {
        rc = ka_usage_error(a.cmd, "questions and --expect write text or json");
        goto done;
    }
    if ((question || a.expect) && a.by_class) {
        rc = ka_usage_error(a.cmd, "--group applies to the matrix only");
        goto done;
    }
    /* an address asked about directly is an external endpoint */
    if (question) {
        if (ka_netpol_is_address(a.from))
            add_external(&a, a.from);
        if (ka_netpol_is_address(a.to))
            add_external(&a, a.to);
    }
    a.opts.externals = a.ext;
    a.opts.nexternals = a.next;

    ka_diags d;
    ka_diags_init(&d);
    ka_objset *set = load(argc - optind, &argv[optind], &d);
    ka_netpol *net = ka_netpol_build(set, &a.opts, &d);
    if (question) {
        rc = run_question(&a, net, &d);
    } else if (a.expect) {
        size_t failed = 0;
        ka_diags fd; /* the flows file's own errors */
        ka_diags_init(&fd);
        ka_diags_print(&d, stderr);
        int r = ka_netpol_expect(stdout, net, a.expect, (ka_np_format)a.fmt, &fd, &failed);
        fflush(stdout);
        ka_diags_print(&fd, stderr);
        rc = d.errors || r < 0 ? KA_EXIT_USAGE : failed ? KA_EXIT_FINDINGS : KA_EXIT_OK;
        ka_diags_free(&fd);
    } else {
        ka_np_matrix m;
        ka_netpol_matrix(net, a.by_class, &m);
        ka_diags_print(&d, stderr);
        ka_netpol_write_matrix(stdout, net, &m, (ka_np_format)a.fmt);
        fflush(stdout);
        ka_np_matrix_free(&m);
        rc = d.errors ? KA_EXIT_USAGE : KA_EXIT_OK;
    }
    ka_netpol_free(net);
    ka_objset_free(set);
    ka_diags_free(&d);
done:
    free(a.ext);
    return rc;
}
