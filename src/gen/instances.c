/*
 * instances.c - capacity of the instance types a spec can name without
 * giving capacity itself, and the allocatable / max-pods estimates derived
 * from it. vCPU and memory are the providers' published sizes; aws max pods
 * are the VPC CNI secondary-IP limits of amazon-eks-ami eni-max-pods.txt.
 */
#include "spec_int.h"

#include <string.h>

#define GIB ((int64_t)1 << 30)
#define MIB ((int64_t)1 << 20)

static const ka_instance instances[] = {
    /* aws: general (m), memory (r), compute (c), storage (i), burstable (t) */
    { KA_PROVIDER_AWS, "m6i.large", 2, 8, 29 },
    { KA_PROVIDER_AWS, "m6i.xlarge", 4, 16, 58 },
    { KA_PROVIDER_AWS, "m6i.2xlarge", 8, 32, 58 },
    { KA_PROVIDER_AWS, "m6i.4xlarge", 16, 64, 234 },
    { KA_PROVIDER_AWS, "m6i.8xlarge", 32, 128, 234 },
    { KA_PROVIDER_AWS, "m7i.large", 2, 8, 29 },
    { KA_PROVIDER_AWS, "m7i.xlarge", 4, 16, 58 },
    { KA_PROVIDER_AWS, "m7i.2xlarge", 8, 32, 58 },
    { KA_PROVIDER_AWS, "m7i.4xlarge", 16, 64, 234 },
    { KA_PROVIDER_AWS, "r6i.large", 2, 16, 29 },
    { KA_PROVIDER_AWS, "r6i.xlarge", 4, 32, 58 },
    { KA_PROVIDER_AWS, "r6i.2xlarge", 8, 64, 58 },
    { KA_PROVIDER_AWS, "r6i.4xlarge", 16, 128, 234 },
    { KA_PROVIDER_AWS, "c6i.large", 2, 4, 29 },
    { KA_PROVIDER_AWS, "c6i.xlarge", 4, 8, 58 },
    { KA_PROVIDER_AWS, "c6i.2xlarge", 8, 16, 58 },
    { KA_PROVIDER_AWS, "c6i.4xlarge", 16, 32, 234 },
    { KA_PROVIDER_AWS, "i4i.large", 2, 16, 29 },
    { KA_PROVIDER_AWS, "i4i.xlarge", 4, 32, 58 },
    { KA_PROVIDER_AWS, "i4i.2xlarge", 8, 64, 58 },
    { KA_PROVIDER_AWS, "i4i.4xlarge", 16, 128, 234 },
    { KA_PROVIDER_AWS, "t3.medium", 2, 4, 17 },
    { KA_PROVIDER_AWS, "t3.large", 2, 8, 35 },
    /* azure: D (general), E (memory), F (compute), L (storage) */
    { KA_PROVIDER_AZURE, "Standard_D2s_v5", 2, 8, 0 },
    { KA_PROVIDER_AZURE, "Standard_D4s_v5", 4, 16, 0 },
    { KA_PROVIDER_AZURE, "Standard_D8s_v5", 8, 32, 0 },
    { KA_PROVIDER_AZURE, "Standard_D16s_v5", 16, 64, 0 },
    { KA_PROVIDER_AZURE, "Standard_E4s_v5", 4, 32, 0 },
    { KA_PROVIDER_AZURE, "Standard_E8s_v5", 8, 64, 0 },
    { KA_PROVIDER_AZURE, "Standard_E16s_v5", 16, 128, 0 },
    { KA_PROVIDER_AZURE, "Standard_F4s_v2", 4, 8, 0 },
    { KA_PROVIDER_AZURE, "Standard_F8s_v2", 8, 16, 0 },
    { KA_PROVIDER_AZURE, "Standard_F16s_v2", 16, 32, 0 },
    { KA_PROVIDER_AZURE, "Standard_L8s_v3", 8, 64, 0 },
    { KA_PROVIDER_AZURE, "Standard_L16s_v3", 16, 128, 0 },
    /* gcp: e2/n2 standard (general), n2-highmem (memory), c2/c3 (compute), -lssd (storage) */
    { KA_PROVIDER_GCP, "e2-standard-2", 2, 8, 0 },
    { KA_PROVIDER_GCP, "e2-standard-4", 4, 16, 0 },
    { KA_PROVIDER_GCP, "n2-standard-2", 2, 8, 0 },
    { KA_PROVIDER_GCP, "n2-standard-4", 4, 16, 0 },
    { KA_PROVIDER_GCP, "n2-standard-8", 8, 32, 0 },
    { KA_PROVIDER_GCP, "n2-standard-16", 16, 64, 0 },
    { KA_PROVIDER_GCP, "n2-highmem-4", 4, 32, 0 },
    { KA_PROVIDER_GCP, "n2-highmem-8", 8, 64, 0 },
    { KA_PROVIDER_GCP, "n2-highmem-16", 16, 128, 0 },
    { KA_PROVIDER_GCP, "c2-standard-8", 8, 32, 0 },
    { KA_PROVIDER_GCP, "c3-standard-8", 8, 32, 0 },
    { KA_PROVIDER_GCP, "c3-standard-8-lssd", 8, 32, 0 },
    { KA_PROVIDER_GCP, "c3-standard-22-lssd", 22, 88, 0 },
};

const ka_instance *ka__instance_find(ka_provider p, const char *name)
{
    for (size_t i = 0; i < sizeof instances / sizeof *instances; i++)
        if (instances[i].provider == p && strcmp(instances[i].name, name) == 0)
            return &instances[i];
    return NULL;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? 0 : (v > hi ? hi - lo : v - lo);
}

/* The tiered reservations managed offerings publish (GKE's table; EKS and AKS
 * use close figures): CPU 6% of the first core, 1% of the second, 0.5% of
 * cores 3-4, 0.25% above; memory 25% of the first 4 GiB, 20% of the next 4,
 * 10% of the next 8, 6% of the next 112, 2% above 128 GiB; plus the kubelet's
 * 100Mi hard eviction threshold. Results round down to whole millicores and
 * MiB so that they are never optimistic. */
void ka__allocatable(int64_t cpu, int64_t mem, int64_t *alloc_cpu, int64_t *alloc_mem)
{
    /* twice the reservation in millicores x 1000 keeps the 0.25% exact */
    int64_t r2 = clamp(cpu, 0, 1000) * 120 + clamp(cpu, 1000, 2000) * 20 +
                 clamp(cpu, 2000, 4000) * 10 + (cpu > 4000 ? cpu - 4000 : 0) * 5;
    int64_t rcpu = (r2 + 1999) / 2000;
    *alloc_cpu = cpu > rcpu ? cpu - rcpu : 0;

    int64_t rm = clamp(mem, 0, 4 * GIB) / 100 * 25 + clamp(mem, 4 * GIB, 8 * GIB) / 100 * 20 +
                 clamp(mem, 8 * GIB, 16 * GIB) / 100 * 10 + clamp(mem, 16 * GIB, 128 * GIB) / 100 * 6 +
                 (mem > 128 * GIB ? mem - 128 * GIB : 0) / 100 * 2;
    int64_t am = mem - rm - 100 * MIB;
    *alloc_mem = am > 0 ? am / MIB * MIB : 0;
}

/* kubelet's default maxPods (110) for self-managed nodes and GKE; the VPC CNI
 * limit capped at 110 on EKS; 250 on AKS (Azure CNI Overlay, the mode its
 * Cilium and Calico options run in). */
uint32_t ka__max_pods(ka_provider p, ka_management m, const ka_instance *it)
{
    if (m != KA_MGMT_MANAGED)
        return 110;
    switch (p) {
    case KA_PROVIDER_AWS:
        return it && it->eni_pods && it->eni_pods < 110 ? it->eni_pods : 110;
    case KA_PROVIDER_AZURE:
        return 250;
    default:
        return 110;
    }
}
