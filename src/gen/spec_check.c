/*
 * spec_check.c - the rules that relate spec fields to each other, and the
 * derived model: the clusters of the pattern, each pool's capacity,
 * allocatable, default labels and taints, each workload's references.
 * Every rule reports at the position of the field that has to change.
 */
#include "spec_parse.h"

#include <string.h>

#define GIB ((int64_t)1 << 30)

/* A node carrying only a position, for diagnostics about model elements. */
static ka_node at_pos(ka_spec_pos p)
{
    ka_node n;
    memset(&n, 0, sizeof n);
    n.line = p.line;
    n.col = p.col;
    return n;
}

#define ERR_AT(r, pos, ...)                                                     \
    do {                                                                        \
        ka_node at_ = at_pos(pos);                                              \
        ka__sr_err(r, &at_, __VA_ARGS__);                                       \
    } while (0)

/* Looks up spec.<section>[i].<key> for precise positions; NULL when absent. */
static const ka_node *item_key(const ka_node *root, const char *section, size_t i, const char *key)
{
    const ka_node *seq = ka_get(ka_get(root, "spec"), section);
    if (!ka_is_seq(seq) || i >= ka_node_n(seq))
        return NULL;
    const ka_node *v = ka_get(KA_SEQ_ITEM(seq, i), key);
    return v;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && s && strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* ---- regions and zones ---------------------------------------------------- */

static bool zone_in_region(ka_provider p, const char *region, const char *zone)
{
    size_t rl = strlen(region), zl = strlen(zone);
    switch (p) {
    case KA_PROVIDER_AWS: /* eu-west-1a */
        return zl == rl + 1 && strncmp(zone, region, rl) == 0 && zone[rl] >= 'a' && zone[rl] <= 'z';
    case KA_PROVIDER_GCP: /* europe-west1-b */
        return zl == rl + 2 && strncmp(zone, region, rl) == 0 && zone[rl] == '-' &&
               zone[rl + 1] >= 'a' && zone[rl + 1] <= 'z';
    case KA_PROVIDER_AZURE: /* availability zones are numbered 1 to 3 */
        return strcmp(zone, "1") == 0 || strcmp(zone, "2") == 0 || strcmp(zone, "3") == 0;
    case KA_PROVIDER_BARE_METAL:
        return true;
    }
    return false;
}

static const char *zone_example(ka_provider p, const char *region, char *buf, size_t n)
{
    switch (p) {
    case KA_PROVIDER_AWS: snprintf(buf, n, "%sa", region); break;
    case KA_PROVIDER_GCP: snprintf(buf, n, "%s-b", region); break;
    default: snprintf(buf, n, "1"); break;
    }
    return buf;
}

static void check_regions(ka_sr *r, ka_spec *s, const ka_node *root)
{
    size_t primaries = 0, drs = 0;
    for (size_t i = 0; i < s->nregions; i++) {
        ka_spec_region *g = &s->regions[i];
        if (!g->name)
            continue;
        for (size_t j = 0; j < i; j++)
            if (s->regions[j].name && strcmp(s->regions[j].name, g->name) == 0)
                ERR_AT(r, g->pos, "regions[%zu]: region \"%s\" is listed twice", i, g->name);
        if (g->role == KA_ROLE_PRIMARY)
            primaries++;
        else
            drs++;
        if (g->provider == KA_PROVIDER_BARE_METAL && g->management == KA_MGMT_MANAGED)
            ERR_AT(r, g->pos, "regions[%zu]: bare-metal clusters cannot be managed by a provider: "
                              "use management: self-managed", i);
        const ka_node *zn = item_key(root, "regions", i, "zones");
        for (size_t z = 0; z < g->nzones; z++) {
            const ka_node *zat = ka_is_seq(zn) && z < ka_node_n(zn) ? KA_SEQ_ITEM(zn, z) : NULL;
            char ex[96];
            if (!zone_in_region(g->provider, g->name, g->zones[z]))
                ka__sr_err(r, zat, "regions[%zu].zones[%zu]: zone \"%s\" is not in %s region "
                                   "\"%s\" (expected a zone like \"%s\")",
                           i, z, g->zones[z], ka_provider_name(g->provider), g->name,
                           zone_example(g->provider, g->name, ex, sizeof ex));
            for (size_t y = 0; y < z; y++)
                if (strcmp(g->zones[y], g->zones[z]) == 0)
                    ka__sr_err(r, zat, "regions[%zu].zones[%zu]: zone \"%s\" is listed twice", i, z,
                               g->zones[z]);
        }
    }
    const ka_node *rat = ka_get(ka_get(root, "spec"), "regions");
    if (s->nregions && primaries != 1)
        ka__sr_err(r, rat, "regions: exactly one region must have role primary (found %zu)",
                   primaries);
    if (s->pattern == KA_PATTERN_MULTI_REGION) {
        if (s->nregions && drs != 1)
            ka__sr_err(r, rat, "regions: the multi-region pattern needs exactly one region with "
                               "role dr (found %zu)", drs);
    } else if (s->nregions > 1 || drs) {
        ka__sr_err(r, rat, "regions: the %s pattern runs in one region; use pattern: multi-region "
                           "for a disaster-recovery region", ka_pattern_name(s->pattern));
    }
    /* primary first: emitters and readers rely on the order */
    for (size_t i = 1; i < s->nregions; i++)
        if (s->regions[i].role == KA_ROLE_PRIMARY && s->regions[0].role != KA_ROLE_PRIMARY) {
            ka_spec_region t = s->regions[0];
            s->regions[0] = s->regions[i];
            s->regions[i] = t;
        }
}

/* ---- control plane ---------------------------------------------------------- */

static void check_control_plane(ka_sr *r, ka_spec *s, const ka_node *root)
{
    ka_spec_control_plane *cp = &s->control_plane;
    const ka_node *cpn = ka_get(ka_get(root, "spec"), "controlPlane");
    const ka_node *etcd = ka_get(cpn, "etcd");
    const ka_node *members = ka_get(etcd, "members"), *replicas = ka_get(cpn, "replicas");
    bool self = false;
    for (size_t i = 0; i < s->nregions; i++)
        self |= s->regions[i].management == KA_MGMT_SELF_MANAGED;
    if (!self && cpn && !ka_is_null(cpn)) {
        ka__sr_err(r, cpn, "controlPlane: every region is managed, so the provider runs the "
                           "control plane; remove controlPlane or use management: self-managed");
        return;
    }
    if (cp->etcd_members % 2 == 0) {
        uint32_t n = cp->etcd_members, tol = (n - 1) / 2;
        if (cp->etcd == KA_ETCD_STACKED && !members)
            ka__sr_err(r, replicas, "controlPlane.replicas: stacked etcd runs one member on each "
                                    "control-plane node, and %u members tolerate %u failure%s "
                                    "(quorum %u), no more than %u do; use an odd count: 3, 5 or 7",
                       n, tol, tol == 1 ? "" : "s", n / 2 + 1, n - 1);
        else
            ka__sr_err(r, members ? members : replicas,
                       "controlPlane.etcd.members: %u members tolerate %u failure%s (quorum %u), "
                       "no more than %u do; use an odd count: 3, 5 or 7",
                       n, tol, tol == 1 ? "" : "s", n / 2 + 1, n - 1);
    }
    else if (cp->etcd_members < 3 || cp->etcd_members > 7)
        ka__sr_err(r, members ? members : replicas,
                   "controlPlane.etcd.members: %u members %s; use 3, 5 or 7", cp->etcd_members,
                   cp->etcd_members < 3 ? "cannot survive the loss of one member"
                                        : "make every write slower; etcd recommends at most seven");
    if (cp->etcd == KA_ETCD_STACKED) {
        if (members && cp->etcd_members != cp->replicas)
            ka__sr_err(r, members, "controlPlane.etcd.members: stacked etcd runs one member on "
                                   "each control-plane node, so members (%u) must equal "
                                   "controlPlane.replicas (%u)", cp->etcd_members, cp->replicas);
        if (cp->netcd_endpoints)
            ka__sr_err(r, ka_get(etcd, "endpoints"), "controlPlane.etcd.endpoints: only external "
                                                     "etcd has endpoints");
    } else {
        if (cp->replicas < 2)
            ka__sr_err(r, replicas ? replicas : cpn, "controlPlane.replicas: a single "
                                                     "control-plane node is not highly available; "
                                                     "use 2 or more");
        if (cp->netcd_endpoints != cp->etcd_members)
            ka__sr_err(r, etcd, "controlPlane.etcd.endpoints: external etcd needs the client URL "
                                "of each of its %u members (found %zu)",
                       cp->etcd_members, cp->netcd_endpoints);
    }
}

/* ---- node pools ---------------------------------------------------------------- */

static const char *pool_class_label(ka_pool_class c)
{
    switch (c) {
    case KA_POOL_MEMORY: return "memory";
    case KA_POOL_COMPUTE: return "compute";
    case KA_POOL_STORAGE: return "storage";
    default: return NULL;
    }
}

/* Default node labels and taints of a class (docs/spec.md, "Node pools"). */
static void pool_defaults(ka_arena *a, ka_spec_pool *p)
{
    const char *wc = pool_class_label(p->cls);
    ka_spec_label add[3];
    size_t nadd = 0;
    add[nadd++] = (ka_spec_label){ "node-pool", p->name };
    add[nadd++] = (ka_spec_label){ "node-class", ka_pool_class_name(p->cls) };
    if (wc)
        add[nadd++] = (ka_spec_label){ "workload-class", wc };
    ka_spec_label *l = ka_arena_zalloc(a, (p->nlabels + nadd) * sizeof *l);
    size_t n = 0;
    for (size_t i = 0; i < p->nlabels; i++)
        l[n++] = p->labels[i];
    for (size_t i = 0; i < nadd; i++) {
        bool have = false;
        for (size_t j = 0; j < p->nlabels; j++)
            have |= strcmp(p->labels[j].key, add[i].key) == 0;
        if (!have)
            l[n++] = add[i];
    }
    ka__sort_labels(l, n);
    p->labels = l;
    p->nlabels = n;

    ka_spec_taint dt = { NULL, NULL, KA_TAINT_NO_SCHEDULE };
    if (p->cls == KA_POOL_SYSTEM)
        dt = (ka_spec_taint){ "CriticalAddonsOnly", "true", KA_TAINT_NO_SCHEDULE };
    else if (wc)
        dt = (ka_spec_taint){ "workload-class", wc, KA_TAINT_NO_SCHEDULE };
    if (!dt.key)
        return;
    for (size_t i = 0; i < p->ntaints; i++)
        if (strcmp(p->taints[i].key, dt.key) == 0)
            return;
    ka_spec_taint *t = ka_arena_zalloc(a, (p->ntaints + 1) * sizeof *t);
    t[0] = dt;
    for (size_t i = 0; i < p->ntaints; i++)
        t[i + 1] = p->taints[i];
    p->taints = t;
    p->ntaints++;
}

/* Node labels are set by the kubelet (--node-labels), and NodeRestriction
 * lets a kubelet set labels of the kubernetes.io and k8s.io namespaces only
 * under kubelet.kubernetes.io/ and node.kubernetes.io/; the well-known
 * topology, instance-type, os and hostname labels are the kubelet's and the
 * cloud provider's own. Returns why a key cannot be used, or NULL. */
static const char *label_restricted(const char *key)
{
    static const char *const own[] = {
        "kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch",
        "node.kubernetes.io/instance-type", "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
    };
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        if (strcmp(key, own[i]) == 0)
            return "is set by the kubelet or the cloud provider";
    const char *slash = strchr(key, '/');
    if (!slash)
        return NULL;
    size_t n = (size_t)(slash - key);
    char prefix[256];
    if (n >= sizeof prefix)
        return NULL;
    memcpy(prefix, key, n);
    prefix[n] = 0;
    bool k8s = strcmp(prefix, "kubernetes.io") == 0 || strcmp(prefix, "k8s.io") == 0 ||
               (n > 14 && strcmp(prefix + n - 14, ".kubernetes.io") == 0) ||
               (n > 7 && strcmp(prefix + n - 7, ".k8s.io") == 0);
    if (!k8s || strcmp(prefix, "kubelet.kubernetes.io") == 0 ||
        strcmp(prefix, "node.kubernetes.io") == 0)
        return NULL;
    return "is in a kubernetes.io or k8s.io namespace that kubelets may not set on their own "
           "Node (NodeRestriction); use a prefix of your own";
}

static void check_pool(ka_sr *r, const ka_spec_region *g, ka_spec_pool *p, const char *ctx,
                       bool sizing)
{
    if (!p->name)
        return;
    ka_node pat = at_pos(p->pos);
    if (!sizing)
        goto capacity;
    if (p->min_per_zone > p->max_per_zone)
        ka__sr_err(r, &pat, "%s: minPerZone (%u) is larger than maxPerZone (%u)", ctx,
                   p->min_per_zone, p->max_per_zone);
    if (!p->autoscaling && p->min_per_zone != p->max_per_zone)
        ka__sr_err(r, &pat, "%s: without autoscaling the pool has a fixed size: set minPerZone "
                            "and maxPerZone to the same number", ctx);
    if (p->max_per_zone == 0)
        ka__sr_err(r, &pat, "%s: maxPerZone must be at least 1", ctx);
    if (p->cls == KA_POOL_SYSTEM && p->min_per_zone == 0)
        ka__sr_err(r, &pat, "%s: the system pool runs CoreDNS and the other critical add-ons; it "
                            "needs minPerZone of at least 1", ctx);
    for (size_t i = 0; i < p->nlabels; i++) {
        const char *why = label_restricted(p->labels[i].key);
        if (why)
            ka__sr_err(r, &pat, "%s.labels: \"%s\" %s", ctx, p->labels[i].key, why);
    }
capacity:;
    const ka_instance *it = p->instance_type ? ka__instance_find(g->provider, p->instance_type)
                                             : NULL;
    if (!p->capacity_given) {
        if (!it && p->instance_type && !p->allocatable_given) {
            ka__sr_err(r, &pat, "%s: instance type \"%s\" is not in kubearch's %s table; give "
                                "capacity: {cpu, memory, pods} (or allocatable) for it", ctx,
                       p->instance_type, ka_provider_name(g->provider));
        }
        if (it) {
            p->capacity.cpu = ka__cpu_milli(r->a, (int64_t)it->vcpu * 1000);
            p->capacity.memory = ka__mem_bytes(r->a, (int64_t)it->mem_gib * GIB);
        } else if (p->allocatable_given) {
            p->capacity.cpu = p->allocatable.cpu;
            p->capacity.memory = p->allocatable.memory;
        }
    }
    if (!p->capacity.pods)
        p->capacity.pods = p->allocatable_given && p->allocatable.pods
                               ? p->allocatable.pods
                               : ka__max_pods(g->provider, g->management, it);
    if (!p->allocatable_given) {
        int64_t c, m;
        ka__allocatable(p->capacity.cpu.milli, p->capacity.memory.bytes, &c, &m);
        p->allocatable.cpu = ka__cpu_milli(r->a, c);
        p->allocatable.memory = ka__mem_bytes(r->a, m);
        p->allocatable.pods = p->capacity.pods;
    } else {
        if (!p->allocatable.pods)
            p->allocatable.pods = p->capacity.pods;
        if (p->allocatable.cpu.milli > p->capacity.cpu.milli ||
            p->allocatable.memory.bytes > p->capacity.memory.bytes ||
            p->allocatable.pods > p->capacity.pods)
            ka__sr_err(r, &pat, "%s: allocatable exceeds the capacity of the instance type", ctx);
    }
}

static void check_pools(ka_sr *r, ka_spec *s, const ka_node *root)
{
    uint64_t nodes_max = 0;
    bool shared_seen = false;
    for (size_t i = 0; i < s->nregions; i++) {
        ka_spec_region *g = &s->regions[i];
        bool own = g->npools > 0;
        if (!own) {
            /* the region shares the spec-level pools: copy them, each region
             * computes its own capacity (providers differ) */
            if (s->npools) {
                g->pools = ka_arena_zalloc(r->a, s->npools * sizeof *g->pools);
                memcpy(g->pools, s->pools, s->npools * sizeof *g->pools);
                g->npools = s->npools;
            }
        }
        if (!g->npools) {
            ERR_AT(r, g->pos, "nodePools: region \"%s\" has no node pools (give spec.nodePools or "
                              "regions[%zu].nodePools)", g->name ? g->name : "?", i);
            continue;
        }
        size_t systems = 0;
        for (size_t j = 0; j < g->npools; j++) {
            ka_spec_pool *p = &g->pools[j];
            char ctx[160];
            if (own)
                snprintf(ctx, sizeof ctx, "regions[%zu].nodePools[%zu]", i, j);
            else if (s->nregions > 1)
                snprintf(ctx, sizeof ctx, "nodePools[%zu] (in region %s)", j,
                         g->name ? g->name : "?");
            else
                snprintf(ctx, sizeof ctx, "nodePools[%zu]", j);
            /* spec-level pools: the sizing rules are reported once, the
             * instance-type lookups per region (providers differ) */
            bool report = own || !shared_seen;
            check_pool(r, g, p, ctx, report);
            if (!p->name)
                continue;
            for (size_t k = 0; k < j; k++)
                if (g->pools[k].name && strcmp(g->pools[k].name, p->name) == 0 && report)
                    ERR_AT(r, p->pos, "%s: node pool \"%s\" is listed twice", ctx, p->name);
            if (p->cls == KA_POOL_SYSTEM)
                systems++;
            pool_defaults(r->a, p);
            nodes_max += (uint64_t)p->max_per_zone * g->nzones;
        }
        if (!systems && (own || !shared_seen))
            ERR_AT(r, own ? g->pos : s->pools[0].pos,
                   "nodePools: no pool of class system: CoreDNS, metrics and the other critical "
                   "add-ons need a dedicated system pool");
        if (!own)
            shared_seen = true;
    }
    (void)root;
    if (nodes_max > 5000)
        ka__sr_err(r, ka_get(ka_get(root, "spec"), "nodePools"),
                   "nodePools: up to %llu nodes in one cluster; Kubernetes is designed for at most "
                   "5000 nodes per cluster", (unsigned long long)nodes_max);
}

/* ---- environments ---------------------------------------------------------------- */

static const char *const reserved_ns[] = {
    "default", "kube-system", "kube-public", "kube-node-lease", "cert-manager", "velero",
    "karmada-system", "argocd", "flux-system", "istio-system", "linkerd", "metallb-system",
    "external-dns", "capi-system",
};

static void check_envs(ka_sr *r, ka_spec *s)
{
    for (size_t i = 0; i < s->nenvs; i++) {
        ka_spec_env *e = &s->envs[i];
        if (!e->name)
            continue;
        ka_node pat = at_pos(e->pos);
        for (size_t j = 0; j < i; j++) {
            if (s->envs[j].name && strcmp(s->envs[j].name, e->name) == 0)
                ka__sr_err(r, &pat, "environments[%zu]: environment \"%s\" is listed twice", i,
                           e->name);
            else if (s->envs[j].ns && e->ns && strcmp(s->envs[j].ns, e->ns) == 0) {
                ka__sr_err(r, &pat, "environments[%zu]: namespace \"%s\" is already used by "
                                    "environment \"%s\"", i, e->ns, s->envs[j].name);
                break;
            }
        }
        if (e->ns && (in_list(reserved_ns, sizeof reserved_ns / sizeof *reserved_ns, e->ns) ||
                      strncmp(e->ns, "kube-", 5) == 0 ||
                      strcmp(e->ns, s->net.ingress_ns) == 0 ||
                      (s->monitoring.enabled && strcmp(e->ns, s->monitoring.ns) == 0) ||
                      (s->logging.enabled && strcmp(e->ns, s->logging.ns) == 0)))
            ka__sr_err(r, &pat, "environments[%zu]: namespace \"%s\" is reserved for the system or "
                                "a platform add-on; choose another namespace", i, e->ns);
        const ka_spec_quota *q = &e->quota;
        const ka_spec_limits *l = &e->limits;
        if (q->requests_cpu.milli > q->limits_cpu.milli)
            ka__sr_err(r, &pat, "environments[%zu].quota: requests.cpu (%s) is larger than "
                                "limits.cpu (%s)", i, q->requests_cpu.text, q->limits_cpu.text);
        if (q->requests_memory.bytes > q->limits_memory.bytes)
            ka__sr_err(r, &pat, "environments[%zu].quota: requests.memory (%s) is larger than "
                                "limits.memory (%s)", i, q->requests_memory.text,
                       q->limits_memory.text);
        if (l->default_request_cpu.milli > l->default_limit_cpu.milli ||
            l->default_request_memory.bytes > l->default_limit_memory.bytes)
            ka__sr_err(r, &pat, "environments[%zu].limits: defaultRequest must not be larger than "
                                "default", i);
        if (l->default_limit_cpu.milli > l->max_cpu.milli ||
            l->default_limit_memory.bytes > l->max_memory.bytes)
            ka__sr_err(r, &pat, "environments[%zu].limits: default must not be larger than max", i);
        for (size_t t = 0; t < e->nteams; t++)
            for (size_t u = 0; u < t; u++)
                if (strcmp(e->teams[t].name, e->teams[u].name) == 0) {
                    ka_node tat = at_pos(e->teams[t].pos);
                    ka__sr_err(r, &tat, "environments[%zu].teams[%zu]: team \"%s\" is listed twice",
                               i, t, e->teams[t].name);
                }
    }
}

/* ---- networking ------------------------------------------------------------------- */

static const char *const gateway_impls[] = {
    "envoy-gateway", "cilium", "istio", "contour", "nginx-gateway-fabric", "traefik",
};
static const char *const ingress_impls[] = { "contour", "traefik", "nginx" };

static bool cidr_parse(const char *s, uint32_t *net, uint32_t *mask)
{
    unsigned a, b, c, d, len;
    if (sscanf(s, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &len) != 5 || len > 32)
        return false;
    *mask = len ? ~0u << (32 - len) : 0;
    *net = ((a << 24) | (b << 16) | (c << 8) | d) & *mask;
    return true;
}

static void check_networking(ka_sr *r, ka_spec *s, const ka_node *root)
{
    const ka_node *net = ka_get(ka_get(root, "spec"), "networking");
    ka_spec_networking *n = &s->net;
    if (n->cni == KA_CNI_FLANNEL)
        ka__sr_err(r, ka_get(net, "cni"),
                   "networking.cni: flannel does not enforce NetworkPolicy, and every generated "
                   "namespace relies on default-deny policies; use cilium or calico");
    if (n->mesh == KA_MESH_LINKERD)
        ka__sr_err(r, ka_get(net, "serviceMesh"),
                   "networking.serviceMesh: with default-deny egress, Linkerd's proxies need "
                   "policies to its control plane that kubearch does not write yet; use istio "
                   "(its control-plane egress and mesh-wide mTLS are generated) or none");
    const ka_node *in = ka_get(net, "ingress"), *impl = ka_get(in, "implementation");
    if (n->ingress_api == KA_INGRESS_GATEWAY_API) {
        if (!in_list(gateway_impls, sizeof gateway_impls / sizeof *gateway_impls, n->ingress_impl))
            ka__sr_err(r, impl, "networking.ingress.implementation: \"%s\" is not a Gateway API "
                                "implementation kubearch knows (envoy-gateway, cilium, istio, "
                                "contour, nginx-gateway-fabric or traefik)", n->ingress_impl);
        if (strcmp(n->ingress_impl, "cilium") == 0 && n->cni != KA_CNI_CILIUM)
            ka__sr_err(r, impl, "networking.ingress.implementation: the cilium Gateway API "
                                "implementation needs cni: cilium");
        if (strcmp(n->ingress_impl, "cilium") == 0)
            ka__sr_err(r, impl, "networking.ingress.implementation: Cilium's gateway proxies from "
                                "the node (reserved:ingress identity), which namespace-based "
                                "NetworkPolicies cannot name; use envoy-gateway (or another "
                                "in-cluster gateway) so the tier policies stay exact");
    } else {
        if (strcmp(n->ingress_impl, "ingress-nginx") == 0)
            ka__sr_err(r, impl, "networking.ingress.implementation: the community ingress-nginx "
                                "controller is retired (no releases or security fixes after March "
                                "2026); use api: gateway-api, or nginx (F5 NGINX Ingress "
                                "Controller), contour or traefik");
        else if (!in_list(ingress_impls, sizeof ingress_impls / sizeof *ingress_impls,
                          n->ingress_impl))
            ka__sr_err(r, impl, "networking.ingress.implementation: \"%s\" is not an ingress "
                                "controller kubearch knows (contour, traefik or nginx)",
                       n->ingress_impl);
    }
    const ka_node *lb = ka_get(net, "loadBalancer");
    for (size_t i = 0; i < s->nregions; i++) {
        const ka_spec_region *g = &s->regions[i];
        if (n->lb == KA_LB_CLOUD && g->provider == KA_PROVIDER_BARE_METAL)
            ka__sr_err(r, lb ? lb : net, "networking.loadBalancer: bare-metal region \"%s\" has no "
                                         "cloud load balancer; use type: metallb", g->name);
        if (n->lb == KA_LB_METALLB && g->provider != KA_PROVIDER_BARE_METAL)
            ka__sr_err(r, ka_get(lb, "type"), "networking.loadBalancer: MetalLB is for bare metal; "
                                              "%s region \"%s\" has cloud load balancers (type: "
                                              "cloud)", ka_provider_name(g->provider), g->name);
    }
    if (n->lb == KA_LB_METALLB && !n->nlb_addresses)
        ka__sr_err(r, lb ? lb : net, "networking.loadBalancer.addresses: MetalLB needs at least one "
                                     "address range to hand out");
    uint32_t pn, pm, sn, sm;
    if (cidr_parse(n->pod_cidr, &pn, &pm) && cidr_parse(n->service_cidr, &sn, &sm)) {
        uint32_t m = pm & sm;
        if ((pn & m) == (sn & m))
            ka__sr_err(r, ka_get(net, "serviceCIDR"), "networking.serviceCIDR: %s overlaps "
                                                      "podCIDR %s", n->service_cidr, n->pod_cidr);
    }
    bool internet = false;
    const ka_node *tn = ka_get(net, "tiers");
    for (size_t i = 0; i < n->ntiers; i++) {
        const ka_spec_tier *t = &n->tiers[i];
        if (!t->name)
            continue;
        ka_node tat = at_pos(t->pos);
        if (strcmp(t->name, KA_PEER_INTERNET) == 0)
            ka__sr_err(r, &tat, "networking.tiers[%zu]: \"internet\" names the world outside the "
                                "cluster in from lists; choose another tier name", i);
        for (size_t j = 0; j < i; j++)
            if (n->tiers[j].name && strcmp(n->tiers[j].name, t->name) == 0)
                ka__sr_err(r, &tat, "networking.tiers[%zu]: tier \"%s\" is listed twice", i,
                           t->name);
        const ka_node *fn = ka_get(ka_is_seq(tn) && i < ka_node_n(tn) ? KA_SEQ_ITEM(tn, i) : NULL, "from");
        for (size_t f = 0; f < t->nfrom; f++) {
            const ka_node *fat = ka_is_seq(fn) && f < ka_node_n(fn) ? KA_SEQ_ITEM(fn, f) : &tat;
            if (strcmp(t->from[f], KA_PEER_INTERNET) == 0) {
                internet = true;
            } else {
                bool known = false;
                for (size_t j = 0; j < n->ntiers; j++)
                    known |= n->tiers[j].name && strcmp(n->tiers[j].name, t->from[f]) == 0;
                if (!known)
                    ka__sr_err(r, fat, "networking.tiers[%zu].from[%zu]: no tier named \"%s\" "
                                       "(use a tier name or internet)", i, f, t->from[f]);
            }
            for (size_t g = 0; g < f; g++)
                if (strcmp(t->from[g], t->from[f]) == 0)
                    ka__sr_err(r, fat, "networking.tiers[%zu].from[%zu]: \"%s\" is listed twice", i,
                               f, t->from[f]);
        }
    }
    if (internet && !n->domain)
        ka__sr_err(r, in ? in : net ? net : ka_get(root, "spec"),
                   "networking.ingress.domain: a tier accepts traffic from the internet, so the "
                   "gateway needs a DNS domain for its TLS certificate");
    if (internet && !n->acme_email)
        ka__sr_err(r, in ? in : net ? net : ka_get(root, "spec"),
                   "networking.ingress.acme.email: a tier accepts traffic from the internet; "
                   "cert-manager's ACME account needs a contact e-mail");
    if (s->monitoring.enabled) {
        for (size_t i = 0; i < n->ntiers; i++)
            if (n->tiers[i].name && n->tiers[i].port == s->monitoring.metrics_port) {
                ka_node tat = at_pos(n->tiers[i].pos);
                ka__sr_err(r, &tat, "networking.tiers[%zu].port: %u is the metrics port "
                                    "(monitoring.metricsPort); use another port", i,
                           n->tiers[i].port);
            }
    }
}

/* ---- storage ---------------------------------------------------------------------- */

/* The CSI driver of the built-in types, NULL on bare metal. */
static const char *csi_driver(ka_provider p)
{
    switch (p) {
    case KA_PROVIDER_AWS: return "ebs.csi.aws.com";
    case KA_PROVIDER_AZURE: return "disk.csi.azure.com";
    case KA_PROVIDER_GCP: return "pd.csi.storage.gke.io";
    default: return NULL;
    }
}

static bool zonal_driver(const char *d)
{
    static const char *const zonal[] = {
        "ebs.csi.aws.com", "disk.csi.azure.com", "pd.csi.storage.gke.io",
        "cinder.csi.openstack.org", "csi.vsphere.vmware.com",
    };
    return in_list(zonal, sizeof zonal / sizeof *zonal, d);
}

static void check_storage(ka_sr *r, ka_spec *s, const ka_node *root)
{
    ka_spec_storage *st = &s->storage;
    const ka_node *cn = ka_get(ka_get(ka_get(root, "spec"), "storage"), "classes");
    size_t defaults = 0;
    bool providers_differ = false;
    for (size_t i = 1; i < s->nregions; i++)
        providers_differ |= s->regions[i].provider != s->regions[0].provider;
    for (size_t i = 0; i < st->nclasses; i++) {
        ka_spec_storage_class *c = &st->classes[i];
        if (!c->name)
            continue;
        ka_node cat = at_pos(c->pos);
        const ka_node *item = ka_is_seq(cn) && i < ka_node_n(cn) ? KA_SEQ_ITEM(cn, i) : &cat;
        for (size_t j = 0; j < i; j++)
            if (st->classes[j].name && strcmp(st->classes[j].name, c->name) == 0)
                ka__sr_err(r, item, "storage.classes[%zu]: class \"%s\" is listed twice", i,
                           c->name);
        defaults += c->is_default;
        if (c->type == KA_STORAGE_CUSTOM) {
            if (!c->provisioner) {
                ka__sr_err(r, item, "storage.classes[%zu]: a custom class needs a provisioner "
                                    "(its CSI driver name)", i);
                continue;
            }
            if (strncmp(c->provisioner, "kubernetes.io/", 14) == 0) {
                ka__sr_err(r, ka_get(item, "provisioner"),
                           "storage.classes[%zu].provisioner: \"%s\" is an in-tree volume plugin, "
                           "removed from Kubernetes; use its CSI driver", i, c->provisioner);
                continue;
            }
            if (!ka_dns1123_subdomain(ka_str_c(c->provisioner)))
                ka__sr_err(r, ka_get(item, "provisioner"), "storage.classes[%zu].provisioner: "
                                                           "\"%s\" is not a CSI driver name", i,
                           c->provisioner);
            if (providers_differ && zonal_driver(c->provisioner))
                ka__sr_err(r, ka_get(item, "provisioner"), "storage.classes[%zu].provisioner: "
                                                           "\"%s\" exists on one provider only, "
                                                           "and the regions use several", i,
                           c->provisioner);
        } else {
            if (c->provisioner)
                ka__sr_err(r, ka_get(item, "provisioner"),
                           "storage.classes[%zu].provisioner: %s classes use the provider's CSI "
                           "driver; use type: custom to name another", i,
                           ka_storage_type_name(c->type));
            for (size_t g = 0; g < s->nregions; g++)
                if (!csi_driver(s->regions[g].provider)) {
                    ka__sr_err(r, ka_get(item, "type") ? ka_get(item, "type") : item,
                               "storage.classes[%zu]: bare metal has no built-in %s storage; use "
                               "type: custom with the provisioner of your CSI driver", i,
                               ka_storage_type_name(c->type));
                    break;
                }
        }
        const char *drv = c->provisioner ? c->provisioner : csi_driver(s->regions[0].provider);
        bool zonal = drv && (c->type != KA_STORAGE_CUSTOM || zonal_driver(drv));
        if (zonal && c->binding == KA_BINDING_IMMEDIATE)
            ka__sr_err(r, ka_get(item, "bindingMode"),
                       "storage.classes[%zu].bindingMode: Immediate creates zonal disks before the "
                       "pod is scheduled, in a zone the pod may not reach; use "
                       "WaitForFirstConsumer", i);
        if (zonal && !c->expansion)
            ka__sr_err(r, ka_get(item, "allowVolumeExpansion"),
                       "storage.classes[%zu].allowVolumeExpansion: the CSI driver supports "
                       "expansion; without it a full volume can only be migrated", i);
        bool iops = false, iops_gb = false;
        for (size_t p = 0; p < c->nparams; p++) {
            const char *k = c->params[p].key;
            if (strcmp(k, "fsType") == 0 || strcmp(k, "fstype") == 0)
                ka__sr_err(r, ka_get(ka_get(item, "parameters"), k),
                           "storage.classes[%zu].parameters: CSI drivers read the file system "
                           "from csi.storage.k8s.io/fstype, not %s", i, k);
            iops |= strcmp(k, "iops") == 0;
            iops_gb |= strcmp(k, "iopsPerGB") == 0;
        }
        if (iops && iops_gb)
            ka__sr_err(r, ka_get(item, "parameters"), "storage.classes[%zu].parameters: iops and "
                                                      "iopsPerGB exclude each other", i);
        if (c->nparams > 500)
            ka__sr_err(r, ka_get(item, "parameters"), "storage.classes[%zu].parameters: at most "
                                                      "512 parameters (with kubearch's own)", i);
    }
    if (defaults > 1)
        ka__sr_err(r, cn, "storage.classes: %zu classes are marked default; mark exactly one",
                   defaults);
    if (defaults == 0 && st->nclasses) {
        /* the first standard class, else the first class */
        ka_spec_storage_class *pick = &st->classes[0];
        for (size_t i = 0; i < st->nclasses; i++)
            if (st->classes[i].type == KA_STORAGE_STANDARD) {
                pick = &st->classes[i];
                break;
            }
        pick->is_default = true;
    }
    for (size_t i = 0; i < st->nclasses; i++)
        if (!st->classes[i].provisioner)
            st->classes[i].provisioner = csi_driver(s->regions ? s->regions[0].provider
                                                               : s->provider);
    /* Velero's object store: keys no plugin of the spec's providers reads, and
     * what each plugin cannot do without */
    for (size_t i = 0; st->backup && i < st->nbackup_config; i++) {
        bool known = false;
        for (size_t g = 0; g < s->nregions; g++)
            known |= ka__velero_config_key(s->regions[g].provider, st->backup_config[i].key);
        if (!known)
            ka__sr_err(r, ka_get(ka_path(root, "spec", "storage", "backup", NULL), "config"),
                       "storage.backup.config: \"%s\" is not a setting of the Velero plugin of "
                       "the spec's providers", st->backup_config[i].key);
    }
    for (size_t g = 0; st->backup && g < s->nregions; g++) {
        static const char *const need_azure[] = { "resourceGroup", "storageAccount" };
        const ka_node *bk = ka_get(ka_get(ka_get(root, "spec"), "storage"), "backup");
        ka_provider p = s->regions[g].provider;
        for (size_t k = 0; p == KA_PROVIDER_AZURE && k < 2; k++) {
            bool have = false;
            for (size_t i = 0; i < st->nbackup_config; i++)
                have |= strcmp(st->backup_config[i].key, need_azure[k]) == 0;
            if (!have)
                ka__sr_err(r, bk, "storage.backup.config: Velero's Azure plugin needs %s (the "
                                  "storage account holding the backups)", need_azure[k]);
        }
        bool s3 = false;
        for (size_t i = 0; i < st->nbackup_config; i++)
            s3 |= strcmp(st->backup_config[i].key, "s3Url") == 0;
        if (p == KA_PROVIDER_BARE_METAL && !s3)
            ka__sr_err(r, bk, "storage.backup.config: on bare metal Velero writes to an "
                              "S3-compatible store; give its s3Url (and region)");
    }
    if (st->snapshot_class && st->nclasses && !st->backup)
        ka__sr_err(r, ka_get(ka_get(root, "spec"), "storage") ? ka_get(ka_get(root, "spec"), "storage")
                                                               : ka_get(root, "spec"),
                   "storage.backup: volumes can be snapshotted but nothing is backed up, so the "
                   "cluster has no disaster recovery; add storage.backup (Velero), or set "
                   "storage.snapshots.enabled: false");
    if (st->snapshot_class && !st->nclasses)
        ka__sr_err(r, ka_get(ka_get(ka_get(root, "spec"), "storage"), "snapshots"),
                   "storage.snapshots: snapshot classes need at least one storage class");
}

/* The BackupStorageLocation config keys each Velero plugin reads; the
 * plugins reject keys they do not know, so a multi-provider spec gives each
 * cluster only its own provider's. */
bool ka__velero_config_key(ka_provider p, const char *key)
{
    static const char *const aws[] = {
        "region", "s3ForcePathStyle", "s3Url", "publicUrl", "profile", "kmsKeyId",
        "serverSideEncryption", "customerKeyEncryptionFile", "insecureSkipTLSVerify",
        "signatureVersion", "credentialsFile", "enableSharedConfig", "checksumAlgorithm",
        "tagging", "caCert",
    };
    static const char *const azure[] = {
        "resourceGroup", "storageAccount", "subscriptionId", "storageAccountKeyEnvVar",
        "blockSizeInBytes", "useAAD", "storageAccountURI", "activeDirectoryAuthorityURI",
        "credentialsFile",
    };
    static const char *const gcp[] = { "kmsKeyName", "serviceAccount", "credentialsFile",
                                       "storeEndpoint" };
    switch (p) {
    case KA_PROVIDER_AZURE: return in_list(azure, sizeof azure / sizeof *azure, key);
    case KA_PROVIDER_GCP: return in_list(gcp, sizeof gcp / sizeof *gcp, key);
    default: return in_list(aws, sizeof aws / sizeof *aws, key);
    }
}

/* ---- multi-cluster ------------------------------------------------------------------ */

static void check_multicluster(ka_sr *r, ka_spec *s, const ka_node *root)
{
    const ka_node *mc = ka_get(ka_get(root, "spec"), "multiCluster");
    const ka_spec_multicluster *m = &s->multicluster;
    if (s->pattern == KA_PATTERN_SINGLE_CLUSTER && m->fleet != KA_FLEET_NONE)
        ka__sr_err(r, ka_get(mc, "fleet"), "multiCluster.fleet: the single-cluster pattern has no "
                                           "fleet to manage; use fleet: none");
    if ((m->fleet == KA_FLEET_ARGOCD || m->fleet == KA_FLEET_FLUX) && !m->git_repo)
        ka__sr_err(r, ka_get(mc, "fleet"), "multiCluster.gitops.repository: fleet %s deploys from "
                                           "Git and needs the repository URL",
                   ka_fleet_name(m->fleet));
    const ka_node *prov = ka_get(mc, "provisioning") ? ka_get(mc, "provisioning")
                                                     : ka_get(ka_get(root, "spec"), "provider");
    for (size_t i = 0; m->provisioning == KA_PROVISION_CLUSTER_API && i < s->nregions; i++) {
        const ka_spec_region *g = &s->regions[i];
        /* what kubearch writes Cluster API manifests for: CAPA (self-managed
         * and EKS) and CAPZ self-managed; GCP machines need images built with
         * image-builder, AKS goes through the ASO-based API */
        if (g->provider == KA_PROVIDER_BARE_METAL || g->provider == KA_PROVIDER_GCP ||
            (g->provider == KA_PROVIDER_AZURE && g->management == KA_MGMT_MANAGED)) {
            ka__sr_err(r, prov, "multiCluster.provisioning: kubearch writes Cluster API manifests "
                                "for aws (self-managed and EKS) and self-managed azure; region "
                                "\"%s\" is %s %s: use provisioning: none", g->name,
                       ka_management_name(g->management), ka_provider_name(g->provider));
            break;
        }
    }
    if (strlen(s->name) > 54 && (m->provisioning == KA_PROVISION_CLUSTER_API ||
                                  m->fleet == KA_FLEET_FLUX))
        ka__sr_err(r, ka_get(ka_get(root, "metadata"), "name"),
                   "metadata.name: at most 54 characters (the management namespace is "
                   "<name>-clusters)");
}

/* ---- clusters ---------------------------------------------------------------------- */

static const char *join_name(ka_arena *a, const char *x, const char *y, const char *z)
{
    size_t n = strlen(x) + (y ? strlen(y) + 1 : 0) + (z ? strlen(z) + 1 : 0);
    char *s = ka_arena_alloc(a, n + 1);
    snprintf(s, n + 1, "%s%s%s%s%s", x, y ? "-" : "", y ? y : "", z ? "-" : "", z ? z : "");
    return s;
}

static void derive_clusters(ka_sr *r, ka_spec *s, const ka_node *root)
{
    if (!s->nregions || !s->nenvs)
        return;
    const ka_spec_region *primary = &s->regions[0], *dr = s->nregions > 1 ? &s->regions[1] : NULL;
    size_t max = s->nenvs * 2 + 1;
    s->clusters = ka_arena_zalloc(r->a, max * sizeof *s->clusters);
    if (s->pattern == KA_PATTERN_SINGLE_CLUSTER) {
        ka_spec_cluster *c = &s->clusters[s->nclusters++];
        c->name = s->name;
        c->region = primary;
        c->envs = ka_arena_zalloc(r->a, s->nenvs * sizeof *c->envs);
        for (size_t i = 0; i < s->nenvs; i++)
            c->envs[c->nenvs++] = &s->envs[i];
    } else {
        for (size_t i = 0; i < s->nenvs; i++) {
            ka_spec_cluster *c = &s->clusters[s->nclusters++];
            c->name = join_name(r->a, s->name, s->envs[i].name, NULL);
            c->region = primary;
            c->envs = ka_arena_zalloc(r->a, sizeof *c->envs);
            c->envs[c->nenvs++] = &s->envs[i];
        }
        if (s->pattern == KA_PATTERN_MULTI_REGION && dr) {
            size_t ndr = 0;
            for (size_t i = 0; i < s->nenvs; i++) {
                if (!s->envs[i].dr)
                    continue;
                ndr++;
                ka_spec_cluster *c = &s->clusters[s->nclusters++];
                c->name = join_name(r->a, s->name, s->envs[i].name, "dr");
                c->region = dr;
                c->dr = true;
                c->envs = ka_arena_zalloc(r->a, sizeof *c->envs);
                c->envs[c->nenvs++] = &s->envs[i];
            }
            if (!ndr) {
                ka_node at = at_pos(s->envs[0].pos);
                ka__sr_err(r, &at, "environments: the multi-region pattern needs at least one "
                                   "environment with disasterRecovery: true to run in the DR "
                                   "region");
            }
        }
    }
    for (size_t i = 0; i < s->nclusters; i++) {
        const ka_spec_cluster *c = &s->clusters[i];
        if (!ka_dns1123_label(ka_str_c(c->name)))
            ka__sr_err(r, ka_path(root, "metadata", "name", NULL),
                       "metadata.name: cluster name \"%s\" is longer than 63 characters; shorten "
                                "metadata.name or the environment names", c->name);
        /* MachineDeployment names <cluster>-<pool>-<zone> become label values */
        for (size_t p = 0; p < c->region->npools; p++) {
            const ka_spec_pool *pool = &c->region->pools[p];
            for (size_t z = 0; pool->name && z < c->region->nzones; z++) {
                size_t n = strlen(c->name) + strlen(pool->name) + strlen(c->region->zones[z]) + 2;
                if (n > 63) {
                    ka_node at = at_pos(pool->pos);
                    ka__sr_err(r, &at, "nodePools: the MachineDeployment name %s-%s-%s is longer "
                                       "than 63 characters; shorten the pool or spec name",
                               c->name, pool->name, c->region->zones[z]);
                    break;
                }
            }
        }
    }
}

/* ---- workloads --------------------------------------------------------------------------- */

static bool image_ok(const char *img, const char **why)
{
    if (!*img || strpbrk(img, " \t\n\"'")) {
        *why = "is not an image reference";
        return false;
    }
    if (strchr(img, '@'))
        return true; /* pinned by digest */
    const char *slash = strrchr(img, '/');
    const char *colon = strrchr(slash ? slash : img, ':');
    if (!colon || !colon[1]) {
        *why = "has no tag: pin a version (app:1.4.2) or a digest";
        return false;
    }
    if (strcmp(colon + 1, "latest") == 0) {
        *why = "uses the latest tag: pin a version (app:1.4.2) or a digest";
        return false;
    }
    return true;
}

/* Limits generated for a workload container: Guaranteed QoS (limits =
 * requests) for the high tier, CPU burst to twice the request otherwise;
 * memory limit = request always (memory is not compressible). */
void ka__workload_limits(const ka_spec_workload *w, int64_t *cpu_milli, int64_t *mem_bytes)
{
    *cpu_milli = w->env && w->env->qos == KA_QOS_HIGH ? w->cpu.milli : w->cpu.milli * 2;
    *mem_bytes = w->memory.bytes;
}

static void check_workloads(ka_sr *r, ka_spec *s)
{
    int64_t *sum = ka_arena_zalloc(r->a, (s->nenvs ? s->nenvs : 1) * 5 * sizeof *sum);
    for (size_t i = 0; i < s->nworkloads; i++) {
        ka_spec_workload *w = &s->workloads[i];
        ka_node wat = at_pos(w->pos);
        if (!w->name)
            continue;
        if (w->name[0] < 'a' || w->name[0] > 'z')
            ka__sr_err(r, &wat, "workloads[%zu].name: \"%s\" names a Service too, and Service "
                                "names start with a letter (RFC 1035)", i, w->name);
        for (size_t j = 0; j < i; j++)
            if (s->workloads[j].name && strcmp(s->workloads[j].name, w->name) == 0 &&
                w->environment && s->workloads[j].environment &&
                strcmp(s->workloads[j].environment, w->environment) == 0)
                ka__sr_err(r, &wat, "workloads[%zu]: workload \"%s\" is listed twice in "
                                    "environment \"%s\"", i, w->name, w->environment);
        if (w->environment) {
            w->env = ka_spec_find_env(s, w->environment);
            if (!w->env)
                ka__sr_err(r, &wat, "workloads[%zu].environment: no environment named \"%s\"", i,
                           w->environment);
        }
        if (w->tier) {
            w->tier_ref = ka_spec_find_tier(s, w->tier);
            if (!w->tier_ref)
                ka__sr_err(r, &wat, "workloads[%zu].tier: no networking tier named \"%s\"", i,
                           w->tier);
        }
        const char *why;
        if (w->image && !image_ok(w->image, &why))
            ka__sr_err(r, &wat, "workloads[%zu].image: \"%s\" %s", i, w->image, why);
        if (w->replicas < 2)
            ka__sr_err(r, &wat, "workloads[%zu].replicas: a single replica is not highly "
                                "available (every node drain is an outage); use 2 or more", i);
        if (w->spread == KA_SPREAD_ZONE && s->nregions && s->regions[0].nzones < 2)
            ka__sr_err(r, &wat, "workloads[%zu].spread: the region has one zone; use spread: host",
                       i);
        /* the pool in every cluster that runs the environment */
        for (size_t c = 0; w->env && c < s->nclusters; c++) {
            const ka_spec_cluster *cl = &s->clusters[c];
            if (!ka_spec_cluster_runs(cl, w->env))
                continue;
            const ka_spec_pool *p = ka_spec_workload_pool(cl, w);
            if (!p) {
                if (w->pool)
                    ka__sr_err(r, &wat, "workloads[%zu].pool: region \"%s\" has no node pool "
                                        "named \"%s\"", i, cl->region->name, w->pool);
                else
                    ka__sr_err(r, &wat, "workloads[%zu].pool: region \"%s\" has no general pool; "
                                        "name the pool to run on", i, cl->region->name);
                break;
            }
            if (p->cls == KA_POOL_SYSTEM) {
                ka__sr_err(r, &wat, "workloads[%zu].pool: pool \"%s\" is the system pool, "
                                    "reserved for critical add-ons", i, p->name);
                break;
            }
            int64_t lc, lm;
            ka__workload_limits(w, &lc, &lm);
            if (w->cpu.milli > p->allocatable.cpu.milli ||
                w->memory.bytes > p->allocatable.memory.bytes) {
                ka__sr_err(r, &wat, "workloads[%zu].requests: %s CPU and %s memory do not fit on "
                                    "one %s node of pool \"%s\" (allocatable %s CPU, %s memory)",
                           i, w->cpu.text, w->memory.text, p->instance_type, p->name,
                           p->allocatable.cpu.text, p->allocatable.memory.text);
                break;
            }
            uint64_t nodes = (uint64_t)p->max_per_zone * cl->region->nzones;
            if (w->spread == KA_SPREAD_HOST && w->replicas > nodes) {
                ka__sr_err(r, &wat, "workloads[%zu].replicas: %u replicas spread over hosts need "
                                    "%u nodes; pool \"%s\" has at most %llu", i, w->replicas,
                           w->replicas, p->name, (unsigned long long)nodes);
                break;
            }
        }
        if (w->env) {
            const ka_spec_limits *l = &w->env->limits;
            int64_t lc, lm;
            ka__workload_limits(w, &lc, &lm);
            if (lc > l->max_cpu.milli || lm > l->max_memory.bytes)
                ka__sr_err(r, &wat, "workloads[%zu].requests: the container limits (%s CPU) "
                                    "exceed the LimitRange max of environment \"%s\" (%s CPU, %s "
                                    "memory)", i, ka__cpu_milli(r->a, lc).text, w->env->name,
                           l->max_cpu.text, l->max_memory.text);
            size_t e = (size_t)(w->env - s->envs);
            int64_t pods = (int64_t)w->replicas + 1; /* one surge pod while rolling out */
            sum[e * 5 + 0] += pods;
            sum[e * 5 + 1] += pods * w->cpu.milli;
            sum[e * 5 + 2] += pods * w->memory.bytes;
            sum[e * 5 + 3] += pods * lc;
            sum[e * 5 + 4] += 1;
        }
    }
    for (size_t e = 0; e < s->nenvs; e++) {
        const ka_spec_env *env = &s->envs[e];
        const ka_spec_quota *q = &env->quota;
        ka_node eat = at_pos(env->pos);
        int64_t *x = &sum[e * 5];
        if (!x[4])
            continue;
        if (x[0] > q->pods)
            ka__sr_err(r, &eat, "environments[%zu].quota.pods: the workloads need %lld pods "
                                "(replicas plus one surge pod each during rollouts), the quota "
                                "allows %u", e, (long long)x[0], q->pods);
        if (x[1] > q->requests_cpu.milli || x[2] > q->requests_memory.bytes)
            ka__sr_err(r, &eat, "environments[%zu].quota.requests: the workloads request %s CPU "
                                "and %s memory (with one surge pod each), more than the quota "
                                "(%s, %s)", e, ka__cpu_milli(r->a, x[1]).text,
                       ka__mem_bytes(r->a, x[2]).text, q->requests_cpu.text,
                       q->requests_memory.text);
        if (x[3] > q->limits_cpu.milli || x[2] > q->limits_memory.bytes)
            ka__sr_err(r, &eat, "environments[%zu].quota.limits: the workloads' limits (%s CPU, "
                                "%s memory with one surge pod each) exceed the quota (%s, %s)", e,
                       ka__cpu_milli(r->a, x[3]).text, ka__mem_bytes(r->a, x[2]).text,
                       q->limits_cpu.text, q->limits_memory.text);
        if (x[4] > q->services)
            ka__sr_err(r, &eat, "environments[%zu].quota.services: %lld workloads get a Service "
                                "each, the quota allows %u", e, (long long)x[4], q->services);
    }
}

/* ---- logging ------------------------------------------------------------------------------ */

static void check_logging(ka_sr *r, ka_spec *s, const ka_node *root)
{
    const ka_spec_logging *lg = &s->logging;
    if (!lg->enabled)
        return;
    const ka_node *lv = ka_get(ka_get(root, "spec"), "logging");
    const ka_node *be = ka_get(lv, "backend");
    const ka_node *nsat = ka_get(lv, "namespace") ? ka_get(lv, "namespace") : lv;
    if (in_list(reserved_ns, sizeof reserved_ns / sizeof *reserved_ns, lg->ns) ||
        strncmp(lg->ns, "kube-", 5) == 0 || strcmp(lg->ns, s->net.ingress_ns) == 0 ||
        (s->monitoring.enabled && strcmp(lg->ns, s->monitoring.ns) == 0))
        ka__sr_err(r, nsat, "logging.namespace: \"%s\" is reserved for the system or another "
                            "add-on; the log collector gets a namespace of its own", lg->ns);
    const char *why;
    if (!image_ok(lg->image, &why))
        ka__sr_err(r, ka_get(lv, "image"), "logging.image: \"%s\" %s", lg->image, why);
    const ka_node *hat = ka_get(be, "host") ? ka_get(be, "host") : be ? be : lv;
    if (!ka_get(be, "host") && !*lg->host) {
        ka__sr_err(r, hat, "logging.backend.host: required: monitoring is disabled, so there is no "
                           "default backend (Loki in the monitoring namespace)");
    } else if (lg->backend_ns) {
        if (lg->ncidrs)
            ka__sr_err(r, ka_get(be, "cidrs"), "logging.backend.cidrs: the backend is a Service "
                                               "of namespace \"%s\", which the policy names; "
                                               "cidrs are for backends outside the cluster",
                       lg->backend_ns);
        /* the collector's egress policy names the backend's namespace: one
         * the tree puts objects in, so that it is known (NET-004) */
        if (!s->monitoring.enabled)
            ka__sr_err(r, hat, "logging.backend.host: an in-cluster backend runs in the monitoring "
                               "namespace, and monitoring is disabled; enable it, or name a "
                               "backend outside the cluster with its cidrs");
        else if (strcmp(lg->backend_ns, s->monitoring.ns) != 0)
            ka__sr_err(r, hat, "logging.backend.host: an in-cluster backend runs in the monitoring "
                               "namespace \"%s\" (beside Prometheus), not in \"%s\"; or name a "
                               "backend outside the cluster with its cidrs",
                       s->monitoring.ns, lg->backend_ns);
    } else if (!lg->ncidrs && *lg->host) {
        ka__sr_err(r, hat, "logging.backend.cidrs: the backend \"%s\" is outside the cluster and "
                           "NetworkPolicies name addresses, not host names: list the CIDRs it "
                           "resolves to (0.0.0.0/0 allows port %u to any address)",
                   lg->host, lg->port);
    }
}

void ka__spec_check(ka_sr *r, ka_spec *s, const ka_node *root)
{
    check_regions(r, s, root);
    check_control_plane(r, s, root);
    check_pools(r, s, root);
    check_envs(r, s);
    check_networking(r, s, root);
    check_storage(r, s, root);
    check_multicluster(r, s, root);
    derive_clusters(r, s, root);
    check_workloads(r, s);
    check_logging(r, s, root);
}
