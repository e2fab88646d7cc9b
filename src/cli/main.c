/*
 * main.c - `kubearch COMMAND ...`: one dispatch table, one help text.
 */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

static const ka_command commands[] = {
    { "check", ka_cmd_check, "check manifests against the production-readiness rules" },
    { "rules", ka_cmd_rules, "list the rules (filterable, -o json|markdown)" },
    { "explain", ka_cmd_explain, "explain one rule: what it checks, why, how to fix" },
    { "init", ka_cmd_init, "print a commented starter architecture spec" },
    { "generate", ka_cmd_generate, "generate a complete, verified set of manifests from a spec" },
    { "simulate", ka_cmd_simulate, "simulate kube-scheduler placement and zone/node failures" },
    { "netpol", ka_cmd_netpol, "who can reach whom under the NetworkPolicies, and why" },
    { "rbac", ka_cmd_rbac, "who can do what under RBAC, and why" },
};

int ka_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kubearch%s%s: error: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nRun 'kubearch %s%s--help' for usage.\n", cmd ? cmd : "", cmd ? " " : "");
    va_end(ap);
    return KA_EXIT_USAGE;
}

bool ka_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0 || strcmp(arg, "help") == 0;
}

static void usage(FILE *f)
{
    fprintf(f, "kubearch %s - design, implement and verify production-grade Kubernetes clusters\n\n"
               "Usage: kubearch COMMAND [options] [PATH...]\n\nCommands:\n",
            KA_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-10s %s\n", "version", "print the version");
    fprintf(f, "\nRun 'kubearch COMMAND --help' for the options of a command.\n"
               "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.\n"
               "Documentation: docs/ (kubearch.md and one page per command).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return KA_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (ka_is_help(cmd)) {
        if (strcmp(cmd, "help") == 0 && argc > 2) {
            for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
                if (strcmp(commands[i].name, argv[2]) == 0) {
                    char *hv[] = { argv[2], "--help", NULL };
                    return commands[i].run(2, hv);
                }
        }
        usage(stdout);
        return KA_EXIT_OK;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("kubearch %s\n", KA_VERSION);
        return KA_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, cmd) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return ka_usage_error(NULL, "unknown command \"%s\"", cmd);
}
