/*
 * spec.c - an Architecture spec (kubearch.io/v1alpha1) as cluster input.
 *
 * The spec is loaded and validated with ka_spec_load (include/kubearch/
 * spec.h, src/gen). One derived cluster is simulated (the first, or the one
 * named with --cluster): its region's node pools become Nodes, minPerZone
 * (or maxPerZone) of them in each zone, with the pool's labels, taints and
 * allocatable resources; a self-managed control plane becomes tainted
 * control-plane Nodes spread over the zones. The workloads are exactly the
 * manifests `kubearch generate` writes for that cluster (its plan, rendered
 * in memory): Deployments with their requests, node selectors, tolerations
 * and spread constraints, PodDisruptionBudgets, PriorityClasses, Namespaces
 * and LimitRanges. External etcd members are spread over the zones for the
 * quorum check of failure scenarios.
 */
#include "sim.h"

#include "kubearch/gen.h"
#include "kubearch/spec.h"

#include <string.h>

#define KS_SPEC_EPHEMERAL "80Gi"

static void node_yaml(ka_buf *b, const char *name, const char *zone, const char *region,
                      const ka_spec_label *labels, size_t nlabels, const ka_spec_taint *taints,
                      size_t ntaints, const char *cpu, const char *mem, uint32_t pods, bool cp)
{
    ka_buf_adds(b, "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: ");
    ka_buf_json_str(b, ka_str_c(name));
    ka_buf_adds(b, "\n  labels:\n    kubernetes.io/hostname: ");
    ka_buf_json_str(b, ka_str_c(name));
    ka_buf_adds(b, "\n    topology.kubernetes.io/zone: ");
    ka_buf_json_str(b, ka_str_c(zone));
    ka_buf_adds(b, "\n    topology.kubernetes.io/region: ");
    ka_buf_json_str(b, ka_str_c(region));
    ka_buf_adds(b, "\n");
    if (cp)
        ka_buf_adds(b, "    node-role.kubernetes.io/control-plane: \"\"\n");
    for (size_t i = 0; i < nlabels; i++) {
        const char *k = labels[i].key;
        if (!strcmp(k, "kubernetes.io/hostname") || !strcmp(k, "topology.kubernetes.io/zone") ||
            !strcmp(k, "topology.kubernetes.io/region"))
            continue;
        ka_buf_adds(b, "    ");
        ka_buf_json_str(b, ka_str_c(k));
        ka_buf_adds(b, ": ");
        ka_buf_json_str(b, ka_str_c(labels[i].value));
        ka_buf_adds(b, "\n");
    }
    if (ntaints || cp) {
        ka_buf_adds(b, "spec:\n  taints:\n");
        if (cp)
            ka_buf_adds(b, "  - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}\n");
        for (size_t i = 0; i < ntaints; i++) {
            ka_buf_adds(b, "  - {key: ");
            ka_buf_json_str(b, ka_str_c(taints[i].key));
            ka_buf_adds(b, ", value: ");
            ka_buf_json_str(b, ka_str_c(taints[i].value));
            ka_buf_printf(b, ", effect: %s}\n", ka_taint_effect_name(taints[i].effect));
        }
    }
    /* the spec says nothing of disks: a 100 GiB root volume less the
     * kubelet's reservations and eviction threshold */
    ka_buf_printf(b, "status:\n  allocatable: {cpu: \"%s\", memory: \"%s\", "
                     "ephemeral-storage: \"%s\", pods: \"%u\"}\n", cpu, mem, KS_SPEC_EPHEMERAL, pods);
}

static ka_str keep(ks_sim *s, const char *c)
{
    return ka_arena_str(s->a, ka_str_c(c));
}

int ks_spec_objects(ks_sim *s)
{
    const ka_object *arch = NULL;
    for (size_t i = 0; i < ka_objset_count(s->set); i++) {
        const ka_object *o = ka_objset_at(s->set, i);
        if (ka_str_eqc(o->kind, KA_SPEC_KIND) && ka_str_eqc(o->api_version, KA_SPEC_API_VERSION)) {
            if (arch) {
                ks_warn(s, o, o->root, "only the first Architecture spec is simulated");
                continue;
            }
            arch = o;
        }
    }
    if (!arch)
        return 0;
    ka_spec *spec = NULL;
    if (ka_spec_load(&spec, arch->file, s->diags) < 0)
        return -1;
    const ka_spec_cluster *c = NULL;
    for (size_t i = 0; i < spec->nclusters; i++)
        if (!s->opts->cluster ? i == 0 : !strcmp(spec->clusters[i].name, s->opts->cluster))
            c = &spec->clusters[i];
    if (!c) {
        ka_buf names;
        ka_buf_init(&names);
        for (size_t i = 0; i < spec->nclusters; i++)
            ka_buf_printf(&names, "%s%s", i ? ", " : "", spec->clusters[i].name);
        ka_diag_add(s->diags, KA_DIAG_ERROR, arch->file->src.path, 0, 0,
                    "--cluster %s: the spec derives no such cluster (it has: %s)",
                    s->opts->cluster ? s->opts->cluster : "", ka_buf_cstr(&names));
        ka_buf_free(&names);
        ka_spec_free(spec);
        return -1;
    }
    if (spec->nclusters > 1 && !s->opts->cluster)
        ks_warn(s, arch, arch->root,
                "the spec derives %zu clusters; simulating %s (choose with --cluster)",
                spec->nclusters, c->name);
    s->spec_cluster = ka_arena_str(s->a, ka_str_c(c->name)).p;
    const ka_spec_region *r = c->region;
    ka_buf y;
    ka_buf_init(&y);
    char name[512];
    /* the control plane, when it runs on our nodes */
    const ka_spec_control_plane *cp = &spec->control_plane;
    if (r->management == KA_MGMT_SELF_MANAGED && r->nzones) {
        for (uint32_t i = 0; i < cp->replicas; i++) {
            const char *zone = r->zones[cp->spread_zones ? i % r->nzones : 0];
            snprintf(name, sizeof name, "%s-control-plane-%u", c->name, i);
            node_yaml(&y, name, zone, r->name, NULL, 0, NULL, 0, "4", "16Gi", 110, true);
        }
        if (cp->etcd == KA_ETCD_EXTERNAL && cp->etcd_members) {
            s->netcd = cp->etcd_members;
            s->etcd_zone_name = ka_arena_alloc(s->a, cp->etcd_members * sizeof *s->etcd_zone_name);
            for (uint32_t i = 0; i < cp->etcd_members; i++)
                s->etcd_zone_name[i] = keep(s, r->zones[i % r->nzones]);
        }
    }
    for (size_t p = 0; p < r->npools; p++) {
        const ka_spec_pool *pool = &r->pools[p];
        uint32_t count = s->opts->spec_max ? pool->max_per_zone : pool->min_per_zone;
        for (size_t z = 0; z < r->nzones; z++)
            for (uint32_t i = 0; i < count; i++) {
                snprintf(name, sizeof name, "%s-%s-%s-%u", c->name, pool->name, r->zones[z], i);
                node_yaml(&y, name, r->zones[z], r->name, pool->labels, pool->nlabels,
                          pool->taints, pool->ntaints, pool->allocatable.cpu.text,
                          pool->allocatable.memory.text, pool->allocatable.pods, false);
            }
    }
    s->gen = ka_objset_new(NULL);
    ka_objset_add_file(s->gen, ka_load_buffer("<spec nodes>", y.p ? y.p : "", y.n, NULL, s->diags),
                       s->diags);
    ka_buf_free(&y);
    /* the manifests `generate` writes for this cluster */
    ka_gen_plan plan;
    if (ka_gen_plan_build(&plan, spec, s->diags) < 0) {
        ka_spec_free(spec);
        return -1;
    }
    char unit[600];
    snprintf(unit, sizeof unit, "clusters/%s", c->name);
    for (size_t i = 0; i < plan.n; i++) {
        const ka_gen_file *f = &plan.v[i];
        size_t pl = strlen(f->path);
        if (strcmp(f->unit, unit) || pl < 5 || strcmp(f->path + pl - 5, ".yaml"))
            continue;
        ka_file *lf = ka_load_buffer(f->path, f->data.p ? f->data.p : "", f->data.n, NULL, s->diags);
        ka_objset_add_file(s->gen, lf, s->diags);
    }
    ka_gen_plan_free(&plan);
    ka_objset_index(s->gen);
    ka_spec_free(spec);
    return 0;
}
