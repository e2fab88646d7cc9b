/*
 * spec_parse_apps.c - reads the application-facing sections of the spec:
 * environments (quotas, limits, teams), networking (tiers and flows),
 * storage, multi-cluster, monitoring, logging and workloads. Defaults that
 * depend on other sections (an environment's quota from its QoS tier, the
 * default storage class, the fleet of a multi-cluster pattern, the log
 * backend beside Prometheus) are set here too.
 */
#include "spec_parse.h"

#include <string.h>

#define CTX(buf, ctx, key) ka__sr_ctx(buf, sizeof buf, ctx, key)
#define IDX(buf, ctx, i) ka__sr_idx(buf, sizeof buf, ctx, i)

/* ---- environments ---------------------------------------------------------- */

static const char *const env_fields[] = {
    "name", "namespace", "security", "qos", "disasterRecovery", "quota", "limits", "teams", NULL,
};
static const char *const quota_fields[] = {
    "requests", "limits", "storage", "pods", "services", "persistentVolumeClaims", "configMaps",
    "secrets", "loadBalancers", "nodePorts", NULL,
};
static const char *const cpumem_fields[] = { "cpu", "memory", NULL };
static const char *const limits_fields[] = { "defaultRequest", "default", "max", "maxVolume", NULL };
static const char *const team_fields[] = { "name", "access", "group", NULL };

/* Quota defaults per QoS tier: production-grade namespaces get the most. */
typedef struct quota_defaults {
    const char *req_cpu, *req_mem, *lim_cpu, *lim_mem, *storage;
    uint32_t pods, services, pvcs, configmaps, secrets;
} quota_defaults;

static const quota_defaults qdef[] = {
    [KA_QOS_HIGH] = { "16", "32Gi", "32", "64Gi", "1Ti", 200, 50, 50, 100, 100 },
    [KA_QOS_MEDIUM] = { "8", "16Gi", "16", "32Gi", "500Gi", 100, 30, 20, 50, 50 },
    [KA_QOS_LOW] = { "4", "8Gi", "8", "16Gi", "100Gi", 50, 20, 10, 50, 50 },
};

static void read_quota(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_env *e)
{
    const quota_defaults *d = &qdef[e->qos];
    ka_spec_quota *q = &e->quota;
    const ka_node *v = ka__sr_val(m, "quota");
    char c[256], cr[256], cl[256];
    CTX(c, ctx, "quota");
    if (v)
        ka__sr_map(r, v, c, quota_fields);
    const ka_node *req = ka__sr_val(v, "requests"), *lim = ka__sr_val(v, "limits");
    CTX(cr, c, "requests");
    CTX(cl, c, "limits");
    if (req)
        ka__sr_map(r, req, cr, cpumem_fields);
    if (lim)
        ka__sr_map(r, lim, cl, cpumem_fields);
    q->requests_cpu = ka__sr_cpu(r, req, "cpu", cr, d->req_cpu, false);
    q->requests_memory = ka__sr_mem(r, req, "memory", cr, d->req_mem, false);
    q->limits_cpu = ka__sr_cpu(r, lim, "cpu", cl, d->lim_cpu, false);
    q->limits_memory = ka__sr_mem(r, lim, "memory", cl, d->lim_mem, false);
    q->requests_storage = ka__sr_mem(r, v, "storage", c, d->storage, true);
    q->pods = ka__sr_uint(r, v, "pods", c, d->pods, 1, 100000);
    q->services = ka__sr_uint(r, v, "services", c, d->services, 0, 100000);
    q->pvcs = ka__sr_uint(r, v, "persistentVolumeClaims", c, d->pvcs, 0, 100000);
    q->configmaps = ka__sr_uint(r, v, "configMaps", c, d->configmaps, 0, 100000);
    q->secrets = ka__sr_uint(r, v, "secrets", c, d->secrets, 0, 100000);
    q->load_balancers = ka__sr_uint(r, v, "loadBalancers", c, 0, 0, 1000);
    q->node_ports = ka__sr_uint(r, v, "nodePorts", c, 0, 0, 1000);
}

static void read_limits(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_env *e)
{
    ka_spec_limits *l = &e->limits;
    const ka_node *v = ka__sr_val(m, "limits");
    char c[256], c1[256], c2[256], c3[256];
    CTX(c, ctx, "limits");
    if (v)
        ka__sr_map(r, v, c, limits_fields);
    const ka_node *dr = ka__sr_val(v, "defaultRequest"), *df = ka__sr_val(v, "default"),
                  *mx = ka__sr_val(v, "max");
    CTX(c1, c, "defaultRequest");
    CTX(c2, c, "default");
    CTX(c3, c, "max");
    if (dr)
        ka__sr_map(r, dr, c1, cpumem_fields);
    if (df)
        ka__sr_map(r, df, c2, cpumem_fields);
    if (mx)
        ka__sr_map(r, mx, c3, cpumem_fields);
    l->default_request_cpu = ka__sr_cpu(r, dr, "cpu", c1, "100m", false);
    l->default_request_memory = ka__sr_mem(r, dr, "memory", c1, "128Mi", false);
    l->default_limit_cpu = ka__sr_cpu(r, df, "cpu", c2, "500m", false);
    l->default_limit_memory = ka__sr_mem(r, df, "memory", c2, "512Mi", false);
    l->max_cpu = ka__sr_cpu(r, mx, "cpu", c3, "4", false);
    l->max_memory = ka__sr_mem(r, mx, "memory", c3, "8Gi", false);
    l->max_pvc_storage = ka__sr_mem(r, v, "maxVolume", c, "100Gi", false);
}

static size_t read_teams(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_team **out)
{
    const ka_node *seq = ka__sr_seq(r, m, "teams", ctx);
    char c[256], ci[256];
    *out = NULL;
    if (!seq)
        return 0;
    CTX(c, ctx, "teams");
    ka_spec_team *t = ka_arena_zalloc(r->a, (ka_node_n(seq) ? ka_node_n(seq) : 1) * sizeof *t);
    size_t n = 0;
    for (uint32_t i = 0; i < ka_node_n(seq); i++) {
        const ka_node *it = KA_SEQ_ITEM(seq, i);
        IDX(ci, c, i);
        if (!ka__sr_map(r, it, ci, team_fields))
            continue;
        ka_spec_team *x = &t[n];
        x->pos = (ka_spec_pos){ it->line, it->col };
        x->name = ka__sr_label(r, it, "name", ci, NULL);
        if (!ka__sr_val(it, "name"))
            ka__sr_err(r, it, "%s: name is required", ci);
        if (!ka__sr_val(it, "access"))
            ka__sr_err(r, it, "%s: access is required (admin, edit or view)", ci);
        x->access = (ka_access)ka__sr_enum(r, it, "access", ci, KA_E_ACCESS, KA_ACCESS_VIEW);
        x->group = ka__sr_str(r, it, "group", ci, x->name);
        if (x->group && !*x->group)
            ka__sr_err(r, ka_get(it, "group"), "%s.group: must not be empty", ci);
        if (x->name)
            n++;
    }
    *out = t;
    return n;
}

/* Defaults by the conventional environment names; anything else is treated
 * like staging. */
static void env_defaults(ka_spec_env *e)
{
    if (e->name && strcmp(e->name, "production") == 0) {
        e->security = KA_SECURITY_STRICT;
        e->qos = KA_QOS_HIGH;
        e->dr = true;
    } else if (e->name && strcmp(e->name, "development") == 0) {
        e->security = KA_SECURITY_RELAXED;
        e->qos = KA_QOS_LOW;
    } else {
        e->security = KA_SECURITY_STANDARD;
        e->qos = KA_QOS_MEDIUM;
    }
}

static void read_env(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_env *e)
{
    e->pos = (ka_spec_pos){ m->line, m->col };
    if (!ka__sr_map(r, m, ctx, env_fields))
        return;
    e->name = ka__sr_label(r, m, "name", ctx, NULL);
    if (!ka__sr_val(m, "name"))
        ka__sr_err(r, m, "%s: name is required", ctx);
    env_defaults(e);
    e->ns = ka__sr_label(r, m, "namespace", ctx, e->name);
    e->security = (ka_security_level)ka__sr_enum(r, m, "security", ctx, KA_E_SECURITY, e->security);
    e->qos = (ka_qos_tier)ka__sr_enum(r, m, "qos", ctx, KA_E_QOS, e->qos);
    e->dr = ka__sr_bool(r, m, "disasterRecovery", ctx, e->dr);
    read_quota(r, m, ctx, e);
    read_limits(r, m, ctx, e);
    e->nteams = read_teams(r, m, ctx, &e->teams);
}

static void read_envs(ka_sr *r, ka_spec *s, const ka_node *m)
{
    const ka_node *seq = ka__sr_seq(r, m, "environments", "");
    if (!seq || ka_node_n(seq) == 0) {
        ka__sr_err(r, seq ? seq : m, "environments: at least one environment is required");
        return;
    }
    s->envs = ka_arena_zalloc(r->a, ka_node_n(seq) * sizeof *s->envs);
    s->nenvs = ka_node_n(seq);
    char ci[256];
    for (uint32_t i = 0; i < ka_node_n(seq); i++)
        read_env(r, KA_SEQ_ITEM(seq, i), IDX(ci, "environments", i), &s->envs[i]);
}

/* ---- networking ---------------------------------------------------------------- */

static const char *const net_fields[] = {
    "cni", "serviceMesh", "ingress", "loadBalancer", "dns", "podCIDR", "serviceCIDR", "tiers", NULL,
};
static const char *const ingress_fields[] = {
    "api", "implementation", "namespace", "domain", "acme", NULL,
};
static const char *const acme_fields[] = { "email", "server", NULL };
static const char *const lb_fields[] = { "type", "addresses", NULL };
static const char *const dns_fields[] = { "externalDns", NULL };
static const char *const tier_fields[] = { "name", "port", "protocol", "from", NULL };

/* Where each implementation runs its proxies by default: the namespace the
 * tier policies let internet traffic come from. */
static const char *default_ingress_ns(const char *impl)
{
    static const char *const map[][2] = {
        { "envoy-gateway", "envoy-gateway-system" }, { "contour", "projectcontour" },
        { "istio", "istio-ingress" }, { "nginx-gateway-fabric", "nginx-gateway" },
        { "traefik", "traefik" }, { "nginx", "nginx-ingress" }, { "cilium", "kube-system" },
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i][0], impl) == 0)
            return map[i][1];
    return "gateway-system";
}

#define LE_PRODUCTION "https://acme-v02.api.letsencrypt.org/directory"

static void read_tier(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_tier *t)
{
    t->pos = (ka_spec_pos){ m->line, m->col };
    t->protocol = "TCP";
    if (!ka__sr_map(r, m, ctx, tier_fields))
        return;
    t->name = ka__sr_label(r, m, "name", ctx, NULL);
    if (!ka__sr_val(m, "name"))
        ka__sr_err(r, m, "%s: name is required", ctx);
    if (!ka__sr_val(m, "port"))
        ka__sr_err(r, m, "%s: port is required", ctx);
    t->port = ka__sr_uint(r, m, "port", ctx, 8080, 1, 65535);
    t->protocol = ka__sr_str(r, m, "protocol", ctx, "TCP");
    if (strcmp(t->protocol, "TCP") && strcmp(t->protocol, "UDP") && strcmp(t->protocol, "SCTP")) {
        ka__sr_err(r, ka_get(m, "protocol"), "%s.protocol: unknown value \"%s\" (expected TCP, UDP "
                                             "or SCTP)", ctx, t->protocol);
        t->protocol = "TCP";
    }
    const ka_node *from = ka__sr_seq(r, m, "from", ctx);
    char c[256], ci[256];
    CTX(c, ctx, "from");
    if (from && ka_node_n(from)) {
        t->from = ka_arena_zalloc(r->a, ka_node_n(from) * sizeof *t->from);
        for (uint32_t i = 0; i < ka_node_n(from); i++) {
            const char *p = ka__sr_label_node(r, KA_SEQ_ITEM(from, i), IDX(ci, c, i));
            if (p)
                t->from[t->nfrom++] = p;
        }
    }
}

static void read_networking(ka_sr *r, ka_spec *s, const ka_node *m)
{
    ka_spec_networking *n = &s->net;
    const ka_node *v = ka__sr_val(m, "networking");
    if (v)
        ka__sr_map(r, v, "networking", net_fields);
    n->cni = (ka_cni)ka__sr_enum(r, v, "cni", "networking", KA_E_CNI, KA_CNI_CILIUM);
    n->mesh = (ka_mesh)ka__sr_enum(r, v, "serviceMesh", "networking", KA_E_MESH, KA_MESH_NONE);
    const ka_node *in = ka__sr_val(v, "ingress");
    if (in)
        ka__sr_map(r, in, "networking.ingress", ingress_fields);
    n->ingress_api = (ka_ingress_api)ka__sr_enum(r, in, "api", "networking.ingress",
                                                 KA_E_INGRESS_API, KA_INGRESS_GATEWAY_API);
    n->ingress_impl = ka__sr_str(r, in, "implementation", "networking.ingress",
                                 n->ingress_api == KA_INGRESS_GATEWAY_API ? "envoy-gateway"
                                                                          : "contour");
    n->ingress_ns = ka__sr_label(r, in, "namespace", "networking.ingress",
                                 default_ingress_ns(n->ingress_impl));
    n->domain = ka__sr_str(r, in, "domain", "networking.ingress", NULL);
    if (n->domain && !ka_dns1123_subdomain(ka_str_c(n->domain)))
        ka__sr_err(r, ka_get(in, "domain"), "networking.ingress.domain: \"%s\" is not a valid DNS "
                                            "name", n->domain);
    const ka_node *acme = ka__sr_val(in, "acme");
    if (acme)
        ka__sr_map(r, acme, "networking.ingress.acme", acme_fields);
    n->acme_email = ka__sr_str(r, acme, "email", "networking.ingress.acme", NULL);
    if (n->acme_email && (!strchr(n->acme_email, '@') || strchr(n->acme_email, ' ')))
        ka__sr_err(r, ka_get(acme, "email"), "networking.ingress.acme.email: \"%s\" is not an "
                                             "e-mail address", n->acme_email);
    n->acme_server = ka__sr_str(r, acme, "server", "networking.ingress.acme", LE_PRODUCTION);
    if (strncmp(n->acme_server, "https://", 8) != 0)
        ka__sr_err(r, ka_get(acme, "server"), "networking.ingress.acme.server: must be an https:// "
                                              "URL");

    const ka_node *lb = ka__sr_val(v, "loadBalancer");
    if (lb)
        ka__sr_map(r, lb, "networking.loadBalancer", lb_fields);
    n->lb = (ka_lb)ka__sr_enum(r, lb, "type", "networking.loadBalancer", KA_E_LB,
                               s->provider == KA_PROVIDER_BARE_METAL ? KA_LB_METALLB : KA_LB_CLOUD);
    const ka_node *addrs = ka__sr_seq(r, lb, "addresses", "networking.loadBalancer");
    if (addrs && ka_node_n(addrs)) {
        n->lb_addresses = ka_arena_zalloc(r->a, ka_node_n(addrs) * sizeof *n->lb_addresses);
        for (uint32_t i = 0; i < ka_node_n(addrs); i++) {
            const ka_node *a = KA_SEQ_ITEM(addrs, i);
            char ci[256];
            IDX(ci, "networking.loadBalancer.addresses", i);
            if (!ka_is_scalar(a) || !ka_len(a) || strspn(ka_cstr(a), "0123456789abcdefABCDEF.:/-") != ka_len(a)) {
                ka__sr_err(r, a, "%s: expected an address range (10.0.0.10-10.0.0.50) or a CIDR",
                           ci);
                continue;
            }
            n->lb_addresses[n->nlb_addresses++] = ka_arena_strndup(r->a, a->u.s, ka_node_n(a));
        }
    }
    const ka_node *dns = ka__sr_val(v, "dns");
    if (dns)
        ka__sr_map(r, dns, "networking.dns", dns_fields);
    n->external_dns = ka__sr_bool(r, dns, "externalDns", "networking.dns", n->domain != NULL);
    n->pod_cidr = ka__sr_str(r, v, "podCIDR", "networking", "10.244.0.0/16");
    n->service_cidr = ka__sr_str(r, v, "serviceCIDR", "networking", "10.96.0.0/12");
    const char *cidrs[2] = { n->pod_cidr, n->service_cidr };
    const char *keys[2] = { "podCIDR", "serviceCIDR" };
    for (int i = 0; i < 2; i++) {
        unsigned a, b, c, d, len;
        char tail;
        if (sscanf(cidrs[i], "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &len, &tail) != 5 || a > 255 ||
            b > 255 || c > 255 || d > 255 || len > 30 || len < 8)
            ka__sr_err(r, ka_get(v, keys[i]), "networking.%s: \"%s\" is not an IPv4 CIDR "
                                              "(a.b.c.d/8 to /30)", keys[i], cidrs[i]);
    }

    const ka_node *tiers = ka__sr_seq(r, v, "tiers", "networking");
    if (tiers && ka_node_n(tiers)) {
        n->tiers = ka_arena_zalloc(r->a, ka_node_n(tiers) * sizeof *n->tiers);
        n->ntiers = ka_node_n(tiers);
        char ci[256];
        for (uint32_t i = 0; i < ka_node_n(tiers); i++)
            read_tier(r, KA_SEQ_ITEM(tiers, i), IDX(ci, "networking.tiers", i), &n->tiers[i]);
    } else if (!tiers) {
        /* the default-deny pattern of the reference architecture */
        static const char *const from_inet[] = { KA_PEER_INTERNET };
        static const char *const from_front[] = { "frontend" };
        static const char *const from_back[] = { "backend" };
        n->ntiers = 3;
        n->tiers = ka_arena_zalloc(r->a, 3 * sizeof *n->tiers);
        n->tiers[0] = (ka_spec_tier){ { 0, 0 }, "frontend", 8080, "TCP", 1, (const char **)from_inet };
        n->tiers[1] = (ka_spec_tier){ { 0, 0 }, "backend", 8080, "TCP", 1, (const char **)from_front };
        n->tiers[2] = (ka_spec_tier){ { 0, 0 }, "database", 5432, "TCP", 1, (const char **)from_back };
    }
}

/* ---- storage --------------------------------------------------------------------- */

static const char *const storage_fields[] = { "classes", "snapshots", "backup", NULL };
static const char *const class_fields[] = {
    "name", "type", "provisioner", "reclaimPolicy", "bindingMode", "allowVolumeExpansion",
    "default", "parameters", NULL,
};
static const char *const snap_fields[] = { "enabled", "deletionPolicy", NULL };
static const char *const backup_fields[] = {
    "enabled", "schedule", "ttlHours", "bucket", "config", NULL,
};

static void read_class(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_storage_class *c)
{
    c->pos = (ka_spec_pos){ m->line, m->col };
    c->expansion = true;
    if (!ka__sr_map(r, m, ctx, class_fields))
        return;
    c->name = ka__sr_label(r, m, "name", ctx, NULL);
    if (!ka__sr_val(m, "name"))
        ka__sr_err(r, m, "%s: name is required", ctx);
    if (!ka__sr_val(m, "type"))
        ka__sr_err(r, m, "%s: type is required (performance, standard or custom)", ctx);
    c->type = (ka_storage_type)ka__sr_enum(r, m, "type", ctx, KA_E_STORAGE_TYPE,
                                           KA_STORAGE_STANDARD);
    c->provisioner = ka__sr_str(r, m, "provisioner", ctx, NULL);
    c->reclaim = (ka_reclaim)ka__sr_enum(r, m, "reclaimPolicy", ctx, KA_E_RECLAIM,
                                         c->type == KA_STORAGE_PERFORMANCE ? KA_RECLAIM_RETAIN
                                                                           : KA_RECLAIM_DELETE);
    c->binding = (ka_binding)ka__sr_enum(r, m, "bindingMode", ctx, KA_E_BINDING, KA_BINDING_WAIT);
    c->expansion = ka__sr_bool(r, m, "allowVolumeExpansion", ctx, true);
    c->is_default = ka__sr_bool(r, m, "default", ctx, false);
    c->nparams = ka__read_kv(r, m, "parameters", ctx, false, &c->params);
}

static void read_storage(ka_sr *r, ka_spec *s, const ka_node *m)
{
    ka_spec_storage *st = &s->storage;
    const ka_node *v = ka__sr_val(m, "storage");
    if (v)
        ka__sr_map(r, v, "storage", storage_fields);
    const ka_node *classes = ka__sr_seq(r, v, "classes", "storage");
    if (classes) {
        st->classes = ka_arena_zalloc(r->a, (ka_node_n(classes) ? ka_node_n(classes) : 1) * sizeof *st->classes);
        st->nclasses = ka_node_n(classes);
        char ci[256];
        for (uint32_t i = 0; i < ka_node_n(classes); i++)
            read_class(r, KA_SEQ_ITEM(classes, i), IDX(ci, "storage.classes", i), &st->classes[i]);
    } else if (s->provider != KA_PROVIDER_BARE_METAL) {
        /* performance + standard, standard the default (the reference strategy) */
        st->nclasses = 2;
        st->classes = ka_arena_zalloc(r->a, 2 * sizeof *st->classes);
        st->classes[0] = (ka_spec_storage_class){ .name = "performance",
                                                  .type = KA_STORAGE_PERFORMANCE,
                                                  .reclaim = KA_RECLAIM_RETAIN,
                                                  .binding = KA_BINDING_WAIT, .expansion = true };
        st->classes[1] = (ka_spec_storage_class){ .name = "standard", .type = KA_STORAGE_STANDARD,
                                                  .reclaim = KA_RECLAIM_DELETE,
                                                  .binding = KA_BINDING_WAIT, .expansion = true,
                                                  .is_default = true };
    }
    const ka_node *snap = ka__sr_val(v, "snapshots");
    if (snap)
        ka__sr_map(r, snap, "storage.snapshots", snap_fields);
    st->snapshot_class = ka__sr_bool(r, snap, "enabled", "storage.snapshots", st->nclasses > 0);
    st->snapshot_deletion = (ka_reclaim)ka__sr_enum(r, snap, "deletionPolicy", "storage.snapshots",
                                                    KA_E_RECLAIM, KA_RECLAIM_DELETE);
    const ka_node *bk = ka__sr_val(v, "backup");
    if (bk)
        ka__sr_map(r, bk, "storage.backup", backup_fields);
    st->backup = ka__sr_bool(r, bk, "enabled", "storage.backup", bk != NULL);
    st->backup_schedule = ka__sr_str(r, bk, "schedule", "storage.backup", "0 2 * * *");
    st->backup_ttl_hours = ka__sr_uint(r, bk, "ttlHours", "storage.backup", 720, 1, 87600);
    st->backup_bucket = ka__sr_str(r, bk, "bucket", "storage.backup", NULL);
    if (!st->backup_bucket) {
        char def[128];
        snprintf(def, sizeof def, "%s-backups", s->name);
        st->backup_bucket = ka_arena_strndup(r->a, def, strlen(def));
    } else if (!*st->backup_bucket || strpbrk(st->backup_bucket, " /\t\"'")) {
        ka__sr_err(r, ka_get(bk, "bucket"), "storage.backup.bucket: \"%s\" is not a bucket name",
                   st->backup_bucket);
    }
    st->nbackup_config = ka__read_kv(r, bk, "config", "storage.backup", false, &st->backup_config);
    /* five cron fields of [0-9*,/-] */
    const char *p = st->backup_schedule;
    int fields = 0;
    bool ok = true;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strspn(p, "0123456789*,/-");
        if (len == 0 || (p[len] && p[len] != ' '))
            ok = false;
        fields++;
        p += len;
        if (!ok)
            break;
    }
    if (!ok || fields != 5)
        ka__sr_err(r, ka_get(bk, "schedule"), "storage.backup.schedule: \"%s\" is not a cron "
                                              "schedule (five fields, e.g. \"0 2 * * *\")",
                   st->backup_schedule);
}

/* ---- multi-cluster, monitoring ------------------------------------------------------ */

static const char *const mc_fields[] = { "provisioning", "fleet", "gitops", NULL };
static const char *const gitops_fields[] = { "repository", "branch", "path", NULL };
static const char *const mon_fields[] = { "enabled", "namespace", "metricsPort", NULL };

static void read_multicluster(ka_sr *r, ka_spec *s, const ka_node *m)
{
    ka_spec_multicluster *mc = &s->multicluster;
    const ka_node *v = ka__sr_val(m, "multiCluster");
    if (v)
        ka__sr_map(r, v, "multiCluster", mc_fields);
    mc->provisioning = (ka_provisioning)ka__sr_enum(r, v, "provisioning", "multiCluster",
                                                    KA_E_PROVISIONING, KA_PROVISION_CLUSTER_API);
    mc->fleet = (ka_fleet)ka__sr_enum(r, v, "fleet", "multiCluster", KA_E_FLEET,
                                      s->pattern == KA_PATTERN_SINGLE_CLUSTER ? KA_FLEET_NONE
                                                                              : KA_FLEET_KARMADA);
    const ka_node *g = ka__sr_val(v, "gitops");
    if (g)
        ka__sr_map(r, g, "multiCluster.gitops", gitops_fields);
    mc->git_repo = ka__sr_str(r, g, "repository", "multiCluster.gitops", NULL);
    if (mc->git_repo && strncmp(mc->git_repo, "https://", 8) != 0 &&
        strncmp(mc->git_repo, "ssh://", 6) != 0 && strncmp(mc->git_repo, "git@", 4) != 0)
        ka__sr_err(r, ka_get(g, "repository"), "multiCluster.gitops.repository: \"%s\" is not a "
                                               "Git URL (https://, ssh:// or git@)", mc->git_repo);
    mc->git_branch = ka__sr_str(r, g, "branch", "multiCluster.gitops", "main");
    mc->git_path = ka__sr_str(r, g, "path", "multiCluster.gitops", ".");
    if (strstr(mc->git_path, "..") || mc->git_path[0] == '/')
        ka__sr_err(r, ka_get(g, "path"), "multiCluster.gitops.path: must be a relative path "
                                         "inside the repository");
}

static void read_monitoring(ka_sr *r, ka_spec *s, const ka_node *m)
{
    ka_spec_monitoring *mo = &s->monitoring;
    const ka_node *v = ka__sr_val(m, "monitoring");
    if (v)
        ka__sr_map(r, v, "monitoring", mon_fields);
    mo->enabled = ka__sr_bool(r, v, "enabled", "monitoring", true);
    mo->ns = ka__sr_label(r, v, "namespace", "monitoring", "monitoring");
    mo->metrics_port = ka__sr_uint(r, v, "metricsPort", "monitoring", 9090, 1, 65535);
}

/* ---- logging ---------------------------------------------------------------------------- */

static const char *const log_fields[] = { "enabled", "namespace", "image", "backend", NULL };
static const char *const log_backend_fields[] = { "type", "host", "port", "tls", "cidrs", NULL };

/* a.b.c.d (with_len false) or a.b.c.d/n (with_len true), nothing else */
static bool ipv4_text(const char *t, bool with_len)
{
    unsigned a, b, c, d, len = 0;
    int used = 0;
    int n = with_len ? sscanf(t, "%u.%u.%u.%u/%u%n", &a, &b, &c, &d, &len, &used)
                     : sscanf(t, "%u.%u.%u.%u%n", &a, &b, &c, &d, &used);
    return n == (with_len ? 5 : 4) && !t[used] && a < 256 && b < 256 && c < 256 && d < 256 &&
           len <= 32 && strspn(t, "0123456789./") == strlen(t);
}

/* A DNS name: dot-separated DNS-1123 labels, at most 253 characters. */
static bool dns_name(const char *t)
{
    size_t n = strlen(t);
    if (!n || n > 253)
        return false;
    const char *p = t;
    while (*p) {
        size_t l = strcspn(p, ".");
        if (!ka_dns1123_label((ka_str){ p, l }))
            return false;
        p += l;
        if (*p == '.' && !*++p)
            return false; /* trailing dot */
    }
    return true;
}

/* The namespace of an in-cluster Service host <service>.<namespace>.svc or
 * <service>.<namespace>.svc.cluster.local (arena copy), NULL for other hosts.
 * *bad is set for a host that ends in .svc but is not of that form. */
static const char *service_ns(ka_sr *r, const char *host, bool *bad)
{
    static const char *const tails[] = { ".svc.cluster.local", ".svc" };
    size_t n = strlen(host);
    *bad = false;
    for (size_t i = 0; i < 2; i++) {
        size_t tl = strlen(tails[i]);
        if (n <= tl || strcmp(host + n - tl, tails[i]) != 0)
            continue;
        const char *dot = memchr(host, '.', n - tl);
        if (!dot || memchr(dot + 1, '.', (size_t)(host + n - tl - dot - 1))) {
            *bad = true;
            return NULL;
        }
        return ka_arena_strndup(r->a, dot + 1, (size_t)(host + n - tl - dot - 1));
    }
    return NULL;
}

static void read_logging(ka_sr *r, ka_spec *s, const ka_node *m)
{
    static const uint32_t default_port[] = {
        [KA_LOG_LOKI] = 3100, [KA_LOG_ELASTICSEARCH] = 9200, [KA_LOG_OPENTELEMETRY] = 4318,
        [KA_LOG_FORWARD] = 24224,
    };
    ka_spec_logging *lg = &s->logging;
    const ka_node *v = ka__sr_val(m, "logging");
    if (v)
        ka__sr_map(r, v, "logging", log_fields);
    lg->ns = ka__sr_label(r, v, "namespace", "logging", "logging");
    lg->image = ka__sr_str(r, v, "image", "logging", KA_LOG_DEFAULT_IMAGE);
    const ka_node *be = ka__sr_val(v, "backend");
    if (be)
        ka__sr_map(r, be, "logging.backend", log_backend_fields);
    lg->backend = (ka_log_backend)ka__sr_enum(r, be, "type", "logging.backend", KA_E_LOG_BACKEND,
                                              KA_LOG_LOKI);
    /* the default backend is Loki beside Prometheus; without monitoring
     * there is none, and no collector unless a backend is named */
    const char *def_host = "";
    if (s->monitoring.enabled) {
        char h[128];
        snprintf(h, sizeof h, "loki.%s.svc.cluster.local", s->monitoring.ns);
        def_host = ka_arena_strndup(r->a, h, strlen(h));
    }
    lg->host = ka__sr_str(r, be, "host", "logging.backend", def_host);
    lg->enabled = ka__sr_bool(r, v, "enabled", "logging",
                              s->monitoring.enabled || ka__sr_val(be, "host") != NULL);
    lg->port = ka__sr_uint(r, be, "port", "logging.backend", default_port[lg->backend], 1, 65535);
    /* an empty host (none given, no default) is reported by spec_check.c
     * when logging is enabled; a bad one here, and then treated as empty */
    bool ip = ipv4_text(lg->host, false), bad = false;
    if (*lg->host && !ip) {
        if (!dns_name(lg->host)) {
            ka__sr_err(r, ka_get(be, "host"), "logging.backend.host: \"%s\" is not a host name "
                                              "or an IPv4 address", lg->host);
            bad = true;
        } else {
            lg->backend_ns = service_ns(r, lg->host, &bad);
            if (bad)
                ka__sr_err(r, ka_get(be, "host"), "logging.backend.host: \"%s\": an in-cluster "
                                                  "backend is <service>.<namespace>.svc (or "
                                                  ".svc.cluster.local)", lg->host);
        }
    }
    if (bad)
        lg->host = "";
    lg->tls = ka__sr_bool(r, be, "tls", "logging.backend", lg->backend_ns == NULL);
    const ka_node *cidrs = ka__sr_seq(r, be, "cidrs", "logging.backend");
    if (cidrs && ka_node_n(cidrs)) {
        lg->cidrs = ka_arena_zalloc(r->a, ka_node_n(cidrs) * sizeof *lg->cidrs);
        for (uint32_t i = 0; i < ka_node_n(cidrs); i++) {
            const ka_node *c = KA_SEQ_ITEM(cidrs, i);
            char ci[256];
            IDX(ci, "logging.backend.cidrs", i);
            if (!ka_is_scalar(c) || ka_is_null(c) || !ipv4_text(ka_cstr(c), true)) {
                ka__sr_err(r, c, "%s: expected an IPv4 CIDR (a.b.c.d/n)", ci);
                continue;
            }
            lg->cidrs[lg->ncidrs++] = ka_arena_strndup(r->a, c->u.s, ka_node_n(c));
        }
    } else if (ip) {
        /* an address: that one host */
        lg->cidrs = ka_arena_zalloc(r->a, sizeof *lg->cidrs);
        char one[32];
        snprintf(one, sizeof one, "%s/32", lg->host);
        lg->cidrs[lg->ncidrs++] = ka_arena_strndup(r->a, one, strlen(one));
    }
}

/* ---- workloads ------------------------------------------------------------------------ */

static const char *const wl_fields[] = {
    "name", "environment", "tier", "replicas", "requests", "pool", "spread", "image", NULL,
};

static void read_workload(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_workload *w)
{
    w->pos = (ka_spec_pos){ m->line, m->col };
    if (!ka__sr_map(r, m, ctx, wl_fields))
        return;
    static const char *const required[] = { "name", "environment", "tier", "requests", "image" };
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!ka__sr_val(m, required[i]))
            ka__sr_err(r, m, "%s: %s is required", ctx, required[i]);
    w->name = ka__sr_label(r, m, "name", ctx, NULL);
    w->environment = ka__sr_label(r, m, "environment", ctx, NULL);
    w->tier = ka__sr_label(r, m, "tier", ctx, NULL);
    w->replicas = ka__sr_uint(r, m, "replicas", ctx, 2, 1, 10000);
    const ka_node *req = ka__sr_val(m, "requests");
    char c[256];
    CTX(c, ctx, "requests");
    if (req && ka__sr_map(r, req, c, cpumem_fields) &&
        (!ka__sr_val(req, "cpu") || !ka__sr_val(req, "memory")))
        ka__sr_err(r, req, "%s: cpu and memory are required", c);
    w->cpu = ka__sr_cpu(r, req, "cpu", c, "100m", false);
    w->memory = ka__sr_mem(r, req, "memory", c, "128Mi", false);
    w->pool = ka__sr_label(r, m, "pool", ctx, NULL);
    w->spread = (ka_spread)ka__sr_enum(r, m, "spread", ctx, KA_E_SPREAD, KA_SPREAD_ZONE);
    w->image = ka__sr_str(r, m, "image", ctx, NULL);
}

static void read_workloads(ka_sr *r, ka_spec *s, const ka_node *m)
{
    const ka_node *seq = ka__sr_seq(r, m, "workloads", "");
    if (!seq || !ka_node_n(seq))
        return;
    s->workloads = ka_arena_zalloc(r->a, ka_node_n(seq) * sizeof *s->workloads);
    s->nworkloads = ka_node_n(seq);
    char ci[256];
    for (uint32_t i = 0; i < ka_node_n(seq); i++)
        read_workload(r, KA_SEQ_ITEM(seq, i), IDX(ci, "workloads", i), &s->workloads[i]);
}

void ka__spec_parse_apps(ka_sr *r, ka_spec *s, const ka_node *m)
{
    read_envs(r, s, m);
    read_networking(r, s, m);
    read_storage(r, s, m);
    read_multicluster(r, s, m);
    read_monitoring(r, s, m);
    read_logging(r, s, m);
    read_workloads(r, s, m);
}
