/*
 * spec_parse.c - reads the spec document into the model: envelope,
 * regions, control plane and node pools. Each reader checks the shape and
 * the syntax of what it reads (unknown fields, types, enums, names,
 * quantities); rules that relate fields to each other are in spec_check.c.
 * The application-facing sections are in spec_parse_apps.c.
 */
#include "spec_int.h"
#include "spec_parse.h"

#include <stdlib.h>
#include <string.h>

#define CTX(buf, ctx, key) ka__sr_ctx(buf, sizeof buf, ctx, key)
#define IDX(buf, ctx, i) ka__sr_idx(buf, sizeof buf, ctx, i)

/* ---- labels, taints, capacity ------------------------------------------- */

static int label_cmp(const void *a, const void *b)
{
    return strcmp(((const ka_spec_label *)a)->key, ((const ka_spec_label *)b)->key);
}

void ka__sort_labels(ka_spec_label *v, size_t n)
{
    qsort(v, n, sizeof *v, label_cmp);
}

/* A mapping of string keys to string values; with validate, keys and values
 * must be valid Kubernetes label keys and values. */
size_t ka__read_kv(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                   bool validate, ka_spec_label **out)
{
    const ka_node *v = ka__sr_val(m, key);
    char c[256];
    *out = NULL;
    if (!v)
        return 0;
    CTX(c, ctx, key);
    if (!ka_is_map(v)) {
        ka__sr_err(r, v, "%s: expected a mapping of keys to values", c);
        return 0;
    }
    ka_spec_label *l = ka_arena_zalloc(r->a, (ka_node_n(v) ? ka_node_n(v) : 1) * sizeof *l);
    size_t n = 0;
    for (uint32_t i = 0; i < ka_node_n(v); i++) {
        const ka_node *k = KA_MAP_KEY(v, i), *x = KA_MAP_VAL(v, i);
        if (!ka_is_scalar(k) || !ka_is_scalar(x)) {
            ka__sr_err(r, ka_is_scalar(k) ? x : k, "%s: keys and values must be single values", c);
            continue;
        }
        char err[256];
        if (validate && !ka_label_key_valid(ka_node_str(k), err, sizeof err)) {
            ka__sr_err(r, k, "%s: invalid label key \"%s\": %s", c, ka_cstr(k), err);
            continue;
        }
        if (validate && !ka_label_value_valid(ka_node_str(x), err, sizeof err)) {
            ka__sr_err(r, x, "%s: invalid label value \"%s\": %s", c, ka_cstr(x), err);
            continue;
        }
        l[n].key = ka_arena_strndup(r->a, k->u.s, ka_node_n(k));
        l[n].value = ka_is_null(x) ? "" : ka_arena_strndup(r->a, x->u.s, ka_node_n(x));
        n++;
    }
    ka__sort_labels(l, n);
    *out = l;
    return n;
}

static const char *const taint_fields[] = { "key", "value", "effect", NULL };

static size_t read_taints(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_taint **out)
{
    const ka_node *seq = ka__sr_seq(r, m, "taints", ctx);
    char c[256], ci[256];
    *out = NULL;
    if (!seq)
        return 0;
    CTX(c, ctx, "taints");
    ka_spec_taint *t = ka_arena_zalloc(r->a, (ka_node_n(seq) ? ka_node_n(seq) : 1) * sizeof *t);
    size_t n = 0;
    for (uint32_t i = 0; i < ka_node_n(seq); i++) {
        const ka_node *it = KA_SEQ_ITEM(seq, i);
        IDX(ci, c, i);
        if (!ka__sr_map(r, it, ci, taint_fields))
            continue;
        const char *key = ka__sr_str(r, it, "key", ci, NULL);
        char err[256];
        if (!key) {
            ka__sr_err(r, it, "%s: key is required", ci);
            continue;
        }
        if (!ka_label_key_valid(ka_str_c(key), err, sizeof err)) {
            ka__sr_err(r, ka_get(it, "key"), "%s.key: invalid taint key \"%s\": %s", ci, key, err);
            continue;
        }
        const char *val = ka__sr_str(r, it, "value", ci, "");
        if (!ka_label_value_valid(ka_str_c(val), err, sizeof err)) {
            ka__sr_err(r, ka_get(it, "value"), "%s.value: invalid taint value \"%s\": %s", ci, val,
                       err);
            continue;
        }
        t[n].key = key;
        t[n].value = val;
        t[n].effect = (ka_taint_effect)ka__sr_enum(r, it, "effect", ci, KA_E_EFFECT,
                                                   KA_TAINT_NO_SCHEDULE);
        n++;
    }
    *out = t;
    return n;
}

static const char *const alloc_fields[] = { "cpu", "memory", "pods", NULL };

/* capacity / allocatable: {cpu, memory, pods}; returns false when absent. */
static bool read_alloc(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                       ka_spec_alloc *out)
{
    const ka_node *v = ka__sr_val(m, key);
    char c[256];
    if (!v)
        return false;
    CTX(c, ctx, key);
    if (!ka__sr_map(r, v, c, alloc_fields))
        return false;
    if (!ka__sr_val(v, "cpu") || !ka__sr_val(v, "memory"))
        ka__sr_err(r, v, "%s: cpu and memory are required", c);
    out->cpu = ka__sr_cpu(r, v, "cpu", c, "1", false);
    out->memory = ka__sr_mem(r, v, "memory", c, "1Gi", false);
    out->pods = ka__sr_uint(r, v, "pods", c, 0, 1, 250);
    return true;
}

/* ---- node pools ---------------------------------------------------------- */

static const char *const pool_fields[] = {
    "name", "class", "instanceType", "minPerZone", "maxPerZone", "autoscaling", "labels",
    "taints", "capacity", "allocatable", NULL,
};

static void read_pool(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_pool *p)
{
    p->pos = (ka_spec_pos){ m->line, m->col };
    if (!ka__sr_map(r, m, ctx, pool_fields))
        return;
    p->name = ka__sr_label(r, m, "name", ctx, NULL);
    if (!ka__sr_val(m, "name"))
        ka__sr_err(r, m, "%s: name is required", ctx);
    if (!ka__sr_val(m, "class"))
        ka__sr_err(r, m, "%s: class is required (system, general, memory-optimized, "
                         "compute-optimized or storage-optimized)", ctx);
    p->cls = (ka_pool_class)ka__sr_enum(r, m, "class", ctx, KA_E_POOL_CLASS, KA_POOL_GENERAL);
    p->instance_type = ka__sr_str(r, m, "instanceType", ctx, NULL);
    if (!p->instance_type)
        ka__sr_err(r, m, "%s: instanceType is required", ctx);
    p->autoscaling = ka__sr_bool(r, m, "autoscaling", ctx, true);
    p->min_per_zone = ka__sr_uint(r, m, "minPerZone", ctx, 1, 0, 1000);
    p->max_per_zone = ka__sr_uint(r, m, "maxPerZone", ctx,
                                  p->autoscaling ? p->min_per_zone * 3 : p->min_per_zone, 1, 1000);
    if (p->autoscaling && !ka__sr_val(m, "maxPerZone") && p->max_per_zone == 0)
        p->max_per_zone = 1;
    p->nlabels = ka__read_kv(r, m, "labels", ctx, true, &p->labels);
    p->ntaints = read_taints(r, m, ctx, &p->taints);
    p->allocatable_given = read_alloc(r, m, "allocatable", ctx, &p->allocatable);
    /* without capacity, spec_check.c fills it from the instance table */
    p->capacity_given = read_alloc(r, m, "capacity", ctx, &p->capacity);
}

size_t ka__read_pools(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_pool **out)
{
    const ka_node *seq = ka__sr_seq(r, m, "nodePools", ctx);
    char c[256], ci[256];
    *out = NULL;
    if (!seq)
        return 0;
    CTX(c, ctx, "nodePools");
    ka_spec_pool *v = ka_arena_zalloc(r->a, (ka_node_n(seq) ? ka_node_n(seq) : 1) * sizeof *v);
    for (uint32_t i = 0; i < ka_node_n(seq); i++)
        read_pool(r, KA_SEQ_ITEM(seq, i), IDX(ci, c, i), &v[i]);
    *out = v;
    return ka_node_n(seq);
}

/* ---- regions --------------------------------------------------------------- */

static const char *const region_fields[] = {
    "name", "role", "provider", "management", "zones", "nodePools", NULL,
};

static void read_region(ka_sr *r, ka_spec *s, const ka_node *m, const char *ctx,
                        ka_spec_region *g)
{
    g->pos = (ka_spec_pos){ m->line, m->col };
    g->provider = s->provider;
    g->management = s->management;
    if (!ka__sr_map(r, m, ctx, region_fields))
        return;
    g->name = ka__sr_label(r, m, "name", ctx, NULL);
    if (!ka__sr_val(m, "name"))
        ka__sr_err(r, m, "%s: name is required", ctx);
    g->role = (ka_region_role)ka__sr_enum(r, m, "role", ctx, KA_E_ROLE, KA_ROLE_PRIMARY);
    g->provider = (ka_provider)ka__sr_enum(r, m, "provider", ctx, KA_E_PROVIDER, s->provider);
    g->management = (ka_management)ka__sr_enum(r, m, "management", ctx, KA_E_MANAGEMENT,
                                               s->management);
    const ka_node *zones = ka__sr_seq(r, m, "zones", ctx);
    char c[256], ci[256];
    CTX(c, ctx, "zones");
    if (!zones || ka_node_n(zones) == 0) {
        ka__sr_err(r, zones ? zones : m, "%s: at least one zone is required", c);
    } else {
        g->zones = ka_arena_zalloc(r->a, ka_node_n(zones) * sizeof *g->zones);
        for (uint32_t i = 0; i < ka_node_n(zones); i++) {
            const char *z = ka__sr_label_node(r, KA_SEQ_ITEM(zones, i), IDX(ci, c, i));
            if (z)
                g->zones[g->nzones++] = z;
        }
    }
    if (ka__sr_val(m, "nodePools"))
        g->npools = ka__read_pools(r, m, ctx, &g->pools);
}

/* ---- control plane --------------------------------------------------------- */

static const char *const cp_fields[] = { "replicas", "instanceType", "etcd", "spreadOverZones", NULL };
static const char *const etcd_fields[] = { "topology", "members", "endpoints", NULL };

static void read_control_plane(ka_sr *r, ka_spec *s, const ka_node *m)
{
    ka_spec_control_plane *cp = &s->control_plane;
    const ka_node *v = ka__sr_val(m, "controlPlane");
    cp->replicas = 3;
    cp->etcd = KA_ETCD_STACKED;
    cp->etcd_members = 3;
    cp->spread_zones = true;
    if (!v || !ka__sr_map(r, v, "controlPlane", cp_fields))
        return;
    cp->pos = (ka_spec_pos){ v->line, v->col };
    cp->replicas = ka__sr_uint(r, v, "replicas", "controlPlane", 3, 1, 9);
    cp->instance_type = ka__sr_str(r, v, "instanceType", "controlPlane", NULL);
    cp->spread_zones = ka__sr_bool(r, v, "spreadOverZones", "controlPlane", true);
    const ka_node *e = ka__sr_val(v, "etcd");
    if (e && ka__sr_map(r, e, "controlPlane.etcd", etcd_fields)) {
        cp->etcd = (ka_etcd_topology)ka__sr_enum(r, e, "topology", "controlPlane.etcd", KA_E_ETCD,
                                                 KA_ETCD_STACKED);
        cp->etcd_members = ka__sr_uint(r, e, "members", "controlPlane.etcd",
                                       cp->etcd == KA_ETCD_STACKED ? cp->replicas : 3, 1, 9);
        const ka_node *eps = ka__sr_seq(r, e, "endpoints", "controlPlane.etcd");
        if (eps && ka_node_n(eps)) {
            cp->etcd_endpoints = ka_arena_zalloc(r->a, ka_node_n(eps) * sizeof *cp->etcd_endpoints);
            for (uint32_t i = 0; i < ka_node_n(eps); i++) {
                const ka_node *x = KA_SEQ_ITEM(eps, i);
                char ci[256];
                ka__sr_idx(ci, sizeof ci, "controlPlane.etcd.endpoints", i);
                if (!ka_is_scalar(x) || strncmp(ka_cstr(x), "https://", 8) != 0 ||
                    strpbrk(ka_cstr(x), " \t\"'")) {
                    ka__sr_err(r, x, "%s: expected an https:// etcd client URL", ci);
                    continue;
                }
                cp->etcd_endpoints[cp->netcd_endpoints++] = ka_arena_strndup(r->a, x->u.s, ka_node_n(x));
            }
        }
    } else {
        cp->etcd_members = cp->replicas;
    }
}

/* ---- the document ------------------------------------------------------------- */

static const char *const top_fields[] = { "apiVersion", "kind", "metadata", "spec", NULL };
static const char *const meta_fields[] = { "name", "labels", "annotations", NULL };
static const char *const spec_fields[] = {
    "pattern", "provider", "management", "kubernetesVersion", "regions", "controlPlane",
    "environments", "nodePools", "networking", "storage", "multiCluster", "monitoring",
    "logging", "workloads", NULL,
};

static void read_version(ka_sr *r, ka_spec *s, const ka_node *m)
{
    const ka_node *v = ka__sr_val(m, "kubernetesVersion");
    s->kubernetes_version = ka__sr_str(r, m, "kubernetesVersion", "", KA_SPEC_DEFAULT_K8S);
    const char *t = s->kubernetes_version;
    /* v1.N.P, exactly: Cluster API and kubeadm need a full patch version */
    unsigned maj = 0, min = 0, pat = 0;
    int used = 0;
    if (sscanf(t, "v%u.%u.%u%n", &maj, &min, &pat, &used) != 3 || t[used] || maj != 1 ||
        t[1] == '0' || strchr(t, '+') || strchr(t, ' ')) {
        ka__sr_err(r, v, "kubernetesVersion: \"%s\" is not a release version like %s", t,
                   KA_SPEC_DEFAULT_K8S);
        s->kube_minor = KA_SPEC_MIN_MINOR;
        return;
    }
    s->kube_minor = (int)min;
    if (min < KA_SPEC_MIN_MINOR || min > KA_SPEC_MAX_MINOR) {
        ka__sr_err(r, v, "kubernetesVersion: %s is not supported: use v1.%d to v1.%d (older "
                         "minors are out of upstream support; newer ones are unknown to kubearch)",
                   t, KA_SPEC_MIN_MINOR, KA_SPEC_MAX_MINOR);
        s->kube_minor = KA_SPEC_MIN_MINOR;
    }
}

void ka__spec_parse(ka_sr *r, ka_spec *s, const ka_node *root)
{
    if (!ka_is_map(root)) {
        ka__sr_err(r, root, "the spec must be a mapping (apiVersion, kind, metadata, spec)");
        return;
    }
    ka__sr_map(r, root, "", top_fields);
    const char *av = ka__sr_str(r, root, "apiVersion", "", NULL);
    if (!av || strcmp(av, KA_SPEC_API_VERSION) != 0)
        ka__sr_err(r, av ? ka_get(root, "apiVersion") : root,
                   "apiVersion: expected %s%s%s%s", KA_SPEC_API_VERSION, av ? ", not \"" : "",
                   av ? av : "", av ? "\"" : "");
    const char *kind = ka__sr_str(r, root, "kind", "", NULL);
    if (!kind || strcmp(kind, KA_SPEC_KIND) != 0)
        ka__sr_err(r, kind ? ka_get(root, "kind") : root, "kind: expected %s%s%s%s",
                   KA_SPEC_KIND, kind ? ", not \"" : "", kind ? kind : "", kind ? "\"" : "");
    const ka_node *meta = ka__sr_val(root, "metadata");
    if (meta && ka__sr_map(r, meta, "metadata", meta_fields))
        s->name = ka__sr_label(r, meta, "name", "metadata", NULL);
    if (!s->name && !ka__sr_val(meta, "name"))
        ka__sr_err(r, meta ? meta : root, "metadata.name is required");
    if (!s->name)
        s->name = "invalid";

    const ka_node *m = ka__sr_val(root, "spec");
    if (!m) {
        ka__sr_err(r, root, "spec is required");
        return;
    }
    if (!ka__sr_map(r, m, "spec", spec_fields))
        return;
    if (!ka__sr_val(m, "pattern"))
        ka__sr_err(r, m, "pattern is required (single-cluster, cluster-per-environment or "
                         "multi-region)");
    s->pattern = (ka_pattern)ka__sr_enum(r, m, "pattern", "", KA_E_PATTERN,
                                         KA_PATTERN_SINGLE_CLUSTER);
    s->provider = (ka_provider)ka__sr_enum(r, m, "provider", "", KA_E_PROVIDER, KA_PROVIDER_AWS);
    s->management = (ka_management)ka__sr_enum(r, m, "management", "", KA_E_MANAGEMENT,
                                               KA_MGMT_SELF_MANAGED);
    read_version(r, s, m);

    const ka_node *regions = ka__sr_seq(r, m, "regions", "");
    if (!regions || ka_node_n(regions) == 0) {
        ka__sr_err(r, regions ? regions : m, "regions: at least one region is required");
    } else {
        s->regions = ka_arena_zalloc(r->a, ka_node_n(regions) * sizeof *s->regions);
        s->nregions = ka_node_n(regions);
        char ci[256];
        for (uint32_t i = 0; i < ka_node_n(regions); i++)
            read_region(r, s, KA_SEQ_ITEM(regions, i), IDX(ci, "regions", i), &s->regions[i]);
    }
    read_control_plane(r, s, m);
    s->npools = ka__read_pools(r, m, "", &s->pools);
    ka__spec_parse_apps(r, s, m);
}
