/*
 * cmd_simulate.c - `kubearch simulate [options] PATH...`
 */
#define _GNU_SOURCE
#include "cli.h"

#include "kubearch/sched.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char simulate_help[] =
    "Usage: kubearch simulate [options] PATH...\n"
    "\n"
    "Place pods the way kube-scheduler's default plugins would, offline and\n"
    "deterministically, and show what a lost zone, node or pool does.\n"
    "\n"
    "PATH is a file, a directory (read recursively: *.yaml, *.yml, *.json) or - for\n"
    "standard input. Read from it: Nodes (labels, taints, unschedulable,\n"
    "status.allocatable), Pods bound to a node (existing load), pending Pods,\n"
    "workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,\n"
    "ReplicationController: expanded into their pods), Namespaces, PriorityClasses,\n"
    "PodDisruptionBudgets, Services and LimitRanges; or an Architecture spec\n"
    "(kubearch.io/v1alpha1), whose node pools become Nodes and whose workloads\n"
    "become pods.\n"
    "\n"
    "Options:\n"
    "  -o, --output FORMAT        text (default), json, yaml\n"
    "      --scheduler-config FILE\n"
    "                             a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1):\n"
    "                             the first profile's plugins (multiPoint, filter, score ...,\n"
    "                             \"*\" disables) and the args of NodeResourcesFit,\n"
    "                             NodeResourcesBalancedAllocation, PodTopologySpread,\n"
    "                             InterPodAffinity and NodeAffinity (default: the default profile)\n"
    "      --explain[=POD]        per-node filter results and scores (normalised, before\n"
    "                             weights) for every pod, or only for POD (ns/name or name);\n"
    "                             `--explain POD` works too when POD is not a path\n"
    "      --fail zone=Z|node=N|pool=P\n"
    "                             after placing everything, remove these nodes and reschedule\n"
    "                             their pods (repeatable: all together form one scenario)\n"
    "      --fail each-zone       one scenario per zone, with a summary table\n"
    "      --preempt              evict the victims DefaultPreemption picks for a pod that does\n"
    "                             not fit (without it, preemption is only reported)\n"
    "      --pool-label KEY       node label naming the pool (default: the first present of\n"
    "                             kubearch.io/pool, node.kubernetes.io/pool,\n"
    "                             cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup,\n"
    "                             karpenter.sh/nodepool, kubernetes.azure.com/agentpool, ...)\n"
    "      --cluster NAME         Architecture spec input: the derived cluster to simulate\n"
    "                             (default: the first, the primary)\n"
    "      --pool-size min|max    Architecture spec input: nodes per zone and pool at\n"
    "                             minPerZone (default) or maxPerZone\n"
    "      --pods                 text: list every node a workload runs on\n"
    "      --fail-unschedulable   exit 1 when a pod stays unschedulable\n"
    "      --stats                print the time spent scheduling on standard error\n"
    "      --color WHEN           auto (default), always, never\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Every node is evaluated (no percentageOfNodesToScore sampling) and ties go to the\n"
    "first node in input order. Queue order: priority, then input order.\n"
    "\n"
    "Exit codes: 0 done, 1 a failure scenario breaks a PodDisruptionBudget, a\n"
    "StatefulSet quorum or the control-plane quorum (or, with --fail-unschedulable, a pod\n"
    "stays unschedulable), 2 usage or input errors. See docs/simulate.md.\n";

enum {
    OPT_CONFIG = 256, OPT_EXPLAIN, OPT_FAIL, OPT_PREEMPT, OPT_POOL_LABEL, OPT_PODS, OPT_STATS,
    OPT_COLOR, OPT_FAIL_UNSCHED, OPT_CLUSTER, OPT_POOL_SIZE,
};

static const struct option sim_opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "scheduler-config", required_argument, NULL, OPT_CONFIG },
    { "explain", optional_argument, NULL, OPT_EXPLAIN },
    { "fail", required_argument, NULL, OPT_FAIL },
    { "preempt", no_argument, NULL, OPT_PREEMPT },
    { "pool-label", required_argument, NULL, OPT_POOL_LABEL },
    { "pods", no_argument, NULL, OPT_PODS },
    { "fail-unschedulable", no_argument, NULL, OPT_FAIL_UNSCHED },
    { "stats", no_argument, NULL, OPT_STATS },
    { "cluster", required_argument, NULL, OPT_CLUSTER },
    { "pool-size", required_argument, NULL, OPT_POOL_SIZE },
    { "color", required_argument, NULL, OPT_COLOR },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static bool is_path(const char *s)
{
    struct stat st;
    return strcmp(s, "-") == 0 || stat(s, &st) == 0;
}

int ka_cmd_simulate(int argc, char **argv)
{
    const char *output = "text", *color = "auto";
    ka_sim_opts so;
    memset(&so, 0, sizeof so);
    ka_sim_fail *fails = NULL;
    size_t nfails = 0;
    bool pods = false, stats = false, fail_unsched = false;
    int rc = KA_EXIT_OK;

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", sim_opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h':
            fputs(simulate_help, stdout);
            goto done;
        case OPT_CONFIG: so.scheduler_config = optarg; break;
        case OPT_EXPLAIN:
            if (optarg) {
                so.explain_pod = optarg;
            } else if (optind < argc && argv[optind][0] != '-' && !is_path(argv[optind])) {
                so.explain_pod = argv[optind++];
            } else {
                so.explain_all = true;
            }
            break;
        case OPT_FAIL: {
            ka_sim_fail f = { 0, NULL };
            if (strcmp(optarg, "each-zone") == 0)
                f.kind = KA_FAIL_EACH_ZONE;
            else if (strncmp(optarg, "zone=", 5) == 0 && optarg[5])
                f = (ka_sim_fail){ KA_FAIL_ZONE, optarg + 5 };
            else if (strncmp(optarg, "node=", 5) == 0 && optarg[5])
                f = (ka_sim_fail){ KA_FAIL_NODE, optarg + 5 };
            else if (strncmp(optarg, "pool=", 5) == 0 && optarg[5])
                f = (ka_sim_fail){ KA_FAIL_POOL, optarg + 5 };
            else {
                rc = ka_usage_error("simulate", "--fail takes zone=NAME, node=NAME, pool=NAME or "
                                                "each-zone, not \"%s\"", optarg);
                goto done;
            }
            fails = realloc(fails, (nfails + 1) * sizeof *fails);
            if (!fails)
                abort();
            fails[nfails++] = f;
            break;
        }
        case OPT_PREEMPT: so.preempt = true; break;
        case OPT_POOL_LABEL: so.pool_label = optarg; break;
        case OPT_PODS: pods = true; break;
        case OPT_FAIL_UNSCHED: fail_unsched = true; break;
        case OPT_STATS: stats = true; break;
        case OPT_CLUSTER: so.cluster = optarg; break;
        case OPT_POOL_SIZE:
            if (strcmp(optarg, "min") && strcmp(optarg, "max")) {
                rc = ka_usage_error("simulate", "--pool-size takes min or max");
                goto done;
            }
            so.spec_max = strcmp(optarg, "max") == 0;
            break;
        case OPT_COLOR: color = optarg; break;
        case ':':
            rc = ka_usage_error("simulate", "option %s needs a value", argv[optind - 1]);
            goto done;
        default:
            rc = ka_usage_error("simulate", "unknown option %s", argv[optind - 1]);
            goto done;
        }
    }
    if (optind >= argc) {
        rc = ka_usage_error("simulate", "no input: give files, directories or - for standard input");
        goto done;
    }
    if (strcmp(output, "text") && strcmp(output, "json") && strcmp(output, "yaml")) {
        rc = ka_usage_error("simulate", "unknown output format \"%s\" (text, json, yaml)", output);
        goto done;
    }
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
        rc = ka_usage_error("simulate", "--color takes auto, always or never");
        goto done;
    }
    so.fail = fails;
    so.nfail = nfails;

    ka_diags diags;
    ka_diags_init(&diags);
    ka_objset *set = ka_objset_new(NULL);
    ka_objset_load_all(set, (const char *const *)argv + optind, (size_t)(argc - optind), &diags);
    ka_objset_index(set);
    ka_sim *sim = NULL;
    int r = ka_sim_run(set, &so, &diags, &sim);
    ka_diags_print(&diags, stderr);
    if (r < 0 || !sim) {
        rc = KA_EXIT_USAGE;
    } else {
        if (strcmp(output, "json") == 0) {
            ka_sim_write_json(stdout, sim);
        } else if (strcmp(output, "yaml") == 0) {
            ka_sim_write_yaml(stdout, sim);
        } else {
            ka_sim_text_opts to = { false, pods };
            to.color = strcmp(color, "always") == 0 ||
                       (strcmp(color, "auto") == 0 && isatty(1) && !getenv("NO_COLOR"));
            ka_sim_write_text(stdout, sim, &to);
        }
        fflush(stdout);
        if (stats)
            fprintf(stderr, "kubearch simulate: scheduling took %.3f s\n", ka_sim_seconds(sim));
        if (diags.errors)
            rc = KA_EXIT_USAGE;
        else if (ka_sim_broken(sim) || (fail_unsched && ka_sim_unschedulable(sim)))
            rc = KA_EXIT_FINDINGS;
    }
    ka_sim_free(sim);
    ka_objset_free(set);
    ka_diags_free(&diags);
done:
    free(fails);
    return rc;
}
