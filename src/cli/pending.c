/*
 * pending.c - TEMPORARY weak placeholders for commands being written in
 * parallel (each lives in its own cmd_*.c and overrides these). Deleted once
 * every command exists.
 */
#include "cli.h"

static int not_yet(const char *cmd)
{
    fprintf(stderr, "kubearch %s: not available in this build\n", cmd);
    return KA_EXIT_USAGE;
}

__attribute__((weak)) int ka_cmd_init(int argc, char **argv) { (void)argc; (void)argv; return not_yet("init"); }
__attribute__((weak)) int ka_cmd_generate(int argc, char **argv) { (void)argc; (void)argv; return not_yet("generate"); }
__attribute__((weak)) int ka_cmd_simulate(int argc, char **argv) { (void)argc; (void)argv; return not_yet("simulate"); }
__attribute__((weak)) int ka_cmd_netpol(int argc, char **argv) { (void)argc; (void)argv; return not_yet("netpol"); }
__attribute__((weak)) int ka_cmd_rbac(int argc, char **argv) { (void)argc; (void)argv; return not_yet("rbac"); }
