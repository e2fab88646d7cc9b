/*
 * cmd_init.c - `kubearch init [--pattern P] [--provider P] [--file PATH]`
 */
#define _GNU_SOURCE
#include "cli.h"
#include "kubearch/gen.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char init_help[] =
    "Usage: kubearch init [--pattern PATTERN] [--provider PROVIDER] [--file PATH]\n"
    "\n"
    "Print a commented starter architecture spec (apiVersion kubearch.io/v1alpha1,\n"
    "kind Architecture) on standard output, or write it to PATH. Edit it, then run\n"
    "'kubearch generate SPEC --dir DIR'.\n"
    "\n"
    "The default is the reference single-cluster architecture: production, staging\n"
    "and development namespaces; five node pools (system, general, memory-,\n"
    "compute- and storage-optimized) over three zones; an HA control plane with\n"
    "stacked etcd; Cilium; default-deny tiers internet -> frontend -> backend ->\n"
    "database; performance and standard storage; Gateway API with cert-manager TLS.\n"
    "\n"
    "Options:\n"
    "  -p, --pattern PATTERN    single-cluster (default): one namespace per environment\n"
    "                           cluster-per-environment: one cluster per environment\n"
    "                           multi-region: primary region + DR region (AWS + Azure)\n"
    "      --provider PROVIDER  aws (default), azure, gcp or bare-metal (single-cluster\n"
    "                           only): the primary region's provider, region, zones\n"
    "                           and instance types\n"
    "  -f, --file PATH          write the spec to PATH instead of standard output;\n"
    "                           an existing PATH is never overwritten\n"
    "  -h, --help               show this help\n"
    "\n"
    "The same specs are in examples/specs/. Every field and its default is documented\n"
    "in docs/spec.md.\n"
    "\n"
    "Exit codes: 0 written, 2 usage error or PATH exists or cannot be written.\n";

static const struct option init_opts[] = {
    { "pattern", required_argument, NULL, 'p' },
    { "provider", required_argument, NULL, 'P' },
    { "file", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static int lookup(const char *v, const char *(*name)(int), int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v, name(i)) == 0)
            return i;
    return -1;
}

static const char *pattern_name(int i) { return ka_pattern_name((ka_pattern)i); }
static const char *provider_name(int i) { return ka_provider_name((ka_provider)i); }

/* Creates path exclusively (O_EXCL: never replaces a file, even one created
 * between a check and the write). */
static int write_new(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            fprintf(stderr, "kubearch init: error: %s already exists; not overwriting it\n", path);
        else
            fprintf(stderr, "kubearch init: error: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = strlen(text), off = 0;
    while (off < n) {
        ssize_t w = write(fd, text + off, n - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "kubearch init: error: cannot write %s: %s\n", path, strerror(errno));
            close(fd);
            unlink(path);
            return -1;
        }
        off += (size_t)w;
    }
    if (close(fd) < 0) {
        fprintf(stderr, "kubearch init: error: cannot write %s: %s\n", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

int ka_cmd_init(int argc, char **argv)
{
    int pattern = KA_PATTERN_SINGLE_CLUSTER, provider = -1;
    const char *file = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":p:f:h", init_opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            pattern = lookup(optarg, pattern_name, 3);
            if (pattern < 0)
                return ka_usage_error("init", "unknown pattern \"%s\" (single-cluster, "
                                              "cluster-per-environment or multi-region)", optarg);
            break;
        case 'P':
            provider = lookup(optarg, provider_name, 4);
            if (provider < 0)
                return ka_usage_error("init", "unknown provider \"%s\" (aws, azure, gcp or "
                                              "bare-metal)", optarg);
            break;
        case 'f': file = optarg; break;
        case 'h':
            fputs(init_help, stdout);
            return KA_EXIT_OK;
        case ':':
            return ka_usage_error("init", "option %s needs a value", argv[optind - 1]);
        default:
            return ka_usage_error("init", "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return ka_usage_error("init", "unexpected argument \"%s\" (use --file PATH to write a "
                                      "file)", argv[optind]);
    const char *why;
    char *text = ka_spec_starter((ka_pattern)pattern, provider, &why);
    if (!text)
        return ka_usage_error("init", "%s", why);
    int rc = KA_EXIT_OK;
    if (file) {
        if (write_new(file, text) < 0)
            rc = KA_EXIT_USAGE;
        else
            fprintf(stderr, "kubearch init: wrote %s; next: kubearch generate %s --dir DIR\n", file,
                    file);
    } else {
        fputs(text, stdout);
        if (fflush(stdout) != 0)
            rc = KA_EXIT_USAGE;
    }
    free(text);
    return rc;
}
