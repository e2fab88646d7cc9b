/*
 * starter.c - the starter specs of `kubearch init`: the built-in examples
 * (spec_examples.c), moved to another cloud provider by replacing the
 * provider-specific tokens of the AWS primary region (provider, region,
 * zones, instance types) with their equivalents. Comments stay as written.
 */
#include "kubearch/gen.h"

#include <stdlib.h>
#include <string.h>

typedef struct subst {
    const char *from, *to;
} subst;

/* Longest tokens first: zones before their region. */
static const subst to_azure[] = {
    { "provider: aws", "provider: azure" },
    { "eu-west-1a", "\"1\"" }, { "eu-west-1b", "\"2\"" }, { "eu-west-1c", "\"3\"" },
    { "eu-west-1", "westeurope" },
    { "m6i.large", "Standard_D2s_v5" }, { "m6i.xlarge", "Standard_D4s_v5" },
    { "r6i.xlarge", "Standard_E4s_v5" }, { "c6i.2xlarge", "Standard_F8s_v2" },
    { "i4i.xlarge", "Standard_L8s_v3" },
    /* Velero's Azure plugin needs the storage account of the bucket */
    { "bucket: shop-backups\n", "bucket: shop-backups\n      config:\n        resourceGroup: "
                                "shop-backups\n        storageAccount: shopbackups\n" },
    /* AKS through Cluster API is not written by kubearch (see docs/spec.md) */
    { "management: managed", "management: self-managed" },
};
static const subst to_gcp[] = {
    { "provider: aws", "provider: gcp" },
    { "eu-west-1a", "europe-west1-b" }, { "eu-west-1b", "europe-west1-c" },
    { "eu-west-1c", "europe-west1-d" }, { "eu-west-1", "europe-west1" },
    { "m6i.large", "n2-standard-2" }, { "m6i.xlarge", "n2-standard-4" },
    { "r6i.xlarge", "n2-highmem-4" }, { "c6i.2xlarge", "c2-standard-8" },
    { "i4i.xlarge", "c3-standard-8-lssd" },
    /* kubearch writes Cluster API for aws and azure: GCP clusters are built
     * with other tooling and get the in-cluster manifests */
    { "provisioning: cluster-api", "provisioning: none" },
};

static bool token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

static char *substitute(const char *text, const subst *t, size_t nt)
{
    ka_buf b;
    ka_buf_init(&b);
    const char *p = text;
    while (*p) {
        bool done = false;
        if (p == text || !token_char(p[-1])) {
            for (size_t i = 0; i < nt && !done; i++) {
                size_t n = strlen(t[i].from);
                if (strncmp(p, t[i].from, n) == 0 && (t[i].from[n - 1] == '\n' ||
                                                       !token_char(p[n]))) {
                    ka_buf_adds(&b, t[i].to);
                    p += n;
                    done = true;
                }
            }
        }
        if (!done)
            ka_buf_addc(&b, *p++);
    }
    ka_buf_cstr(&b);
    return b.p;
}

char *ka_spec_starter(ka_pattern p, int provider, const char **why)
{
    const char *text = ka_spec_example(p);
    *why = NULL;
    switch (provider) {
    case -1:
    case KA_PROVIDER_AWS:
        return ka_xstrdup(text);
    case KA_PROVIDER_AZURE:
        return substitute(text, to_azure, sizeof to_azure / sizeof *to_azure);
    case KA_PROVIDER_GCP:
        return substitute(text, to_gcp, sizeof to_gcp / sizeof *to_gcp);
    case KA_PROVIDER_BARE_METAL:
        if (p == KA_PATTERN_SINGLE_CLUSTER)
            return ka_xstrdup(ka_spec_example_bare_metal());
        *why = "the bare-metal starter exists for the single-cluster pattern only (bare-metal "
               "clusters are not provisioned by Cluster API); start from it and add clusters";
        return NULL;
    }
    *why = "unknown provider";
    return NULL;
}
