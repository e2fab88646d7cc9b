/*
 * cli.h - the command table shared by main.c and the cmd_*.c files.
 * Only the CLI exits; every command returns its exit code.
 */
#ifndef KA_CLI_H
#define KA_CLI_H

#include "kubearch/kubearch.h"

enum { KA_EXIT_OK = 0, KA_EXIT_FINDINGS = 1, KA_EXIT_USAGE = 2 };

typedef struct ka_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} ka_command;

int ka_cmd_check(int argc, char **argv);
int ka_cmd_rules(int argc, char **argv);
int ka_cmd_explain(int argc, char **argv);
int ka_cmd_init(int argc, char **argv);
int ka_cmd_generate(int argc, char **argv);
int ka_cmd_simulate(int argc, char **argv);
int ka_cmd_netpol(int argc, char **argv);
int ka_cmd_rbac(int argc, char **argv);

/* "error: ..." on stderr and KA_EXIT_USAGE. */
int ka_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
bool ka_is_help(const char *arg);

#endif
