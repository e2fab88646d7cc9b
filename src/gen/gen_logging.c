/*
 * gen_logging.c - the log collector of a cluster (platform/logging.yaml):
 * a Fluent Bit DaemonSet on every node, control-plane nodes included, that
 * ships the container logs and, where kubearch writes the kubeadm control
 * plane, the API server's audit log (audit-log-path of the
 * KubeadmControlPlane) to the backend of the spec.
 *
 * kubearch installs the collector, so it declares its namespace (unlike the
 * add-ons' namespaces): Pod Security enforce privileged (hostPath volumes
 * are beyond baseline), a quota sized for one collector per node, default
 * deny with DNS, the API server (the kubernetes filter reads pod and
 * namespace metadata) and the backend allowed, and the monitoring hook.
 *
 * What a node-level reader cannot avoid is suppressed on the DaemonSet with
 * a reason, rule by rule: root (the log files are root's, mode 0640/0600),
 * the read-only hostPath of /var/log and the API token. Everything else is
 * as strict as the generated workloads: read-only root filesystem, every
 * capability dropped, no privilege escalation, RuntimeDefault seccomp.
 */
#include "gen_int.h"

#include <string.h>

#define NAME "fluent-bit"
#define HTTP_PORT 2020
#define CONF_DIR "/fluent-bit/etc/conf"
#define STATE_DIR "/var/fluent-bit/state"
/* where the KubeadmControlPlane's API server writes its audit log */
#define AUDIT_LOG "/var/log/kubernetes/audit/audit.log"

/* one collector container: requests and limits */
#define REQ_CPU_MILLI 100
#define LIM_CPU_MILLI 500
#define REQ_MEM_MI 128
#define LIM_MEM_MI 256

typedef struct lctx {
    gctx *g;
    ybuild *b;
    const ka_spec *s;
    const ka_spec_logging *lg;
    const ka_spec_cluster *c;
    bool audit;           /* the nodes hold the API server audit log (kubeadm) */
    bool capi;            /* Cluster API machines in the G_NODE_NETWORK network */
} lctx;

static void labels(lctx *x, ynode *meta)
{
    g_labels(x->g, meta, NAME, "logging");
}

static ynode *obj(lctx *x, const char *av, const char *kind, const char *ns, const char *name)
{
    ynode *meta, *o = y_object(x->b, av, kind, ns, name, &meta);
    labels(x, meta);
    return o;
}

static void sel(lctx *x, ynode *parent, const char *key)
{
    y_putstr(x->b, y_putmap(x->b, y_putmap(x->b, parent, key), "matchLabels"),
             "app.kubernetes.io/name", NAME);
}

/* Nodes of the cluster at its largest: every pool at maxPerZone in every
 * zone, plus the control-plane machines of a self-managed control plane. */
static int64_t max_nodes(const lctx *x)
{
    const ka_spec_region *r = x->c->region;
    int64_t n = r->management == KA_MGMT_SELF_MANAGED ? x->s->control_plane.replicas : 0;
    for (size_t i = 0; i < r->npools; i++)
        n += (int64_t)r->pools[i].max_per_zone * (int64_t)r->nzones;
    return n;
}

/* ---- namespace, quota ------------------------------------------------------------ */

static void psa(lctx *x, ynode *l, const char *mode, const char *level)
{
    y_putstr(x->b, l, y_strf(x->b, "pod-security.kubernetes.io/%s", mode)->s, level);
    y_putstr(x->b, l, y_strf(x->b, "pod-security.kubernetes.io/%s-version", mode)->s,
             y_strf(x->b, "v1.%d", x->s->kube_minor)->s);
}

static ynode *namespace_obj(lctx *x)
{
    ybuild *b = x->b;
    ynode *meta, *o = y_object(b, "v1", "Namespace", NULL, x->lg->ns, &meta);
    ynode *l = y_putmap(b, meta, "labels");
    y_putstr(b, l, "app.kubernetes.io/component", "logging");
    y_putstr(b, l, "app.kubernetes.io/managed-by", KA_MANAGED_BY);
    y_putstr(b, l, "app.kubernetes.io/part-of", x->s->name);
    /* hostPath volumes are beyond baseline: only the collector runs here, and
     * the audit trail records what baseline would have rejected */
    psa(x, l, "audit", "baseline");
    psa(x, l, "enforce", "privileged");
    return o;
}

static void quota(lctx *x, ylist *l)
{
    ybuild *b = x->b;
    /* one collector per node, one more during a rollout (maxSurge 1) */
    int64_t pods = max_nodes(x) + 1;
    ynode *o = obj(x, "v1", "ResourceQuota", x->lg->ns, "compute-and-objects");
    ynode *hard = y_putmap(b, y_putmap(b, o, "spec"), "hard");
    y_putint(b, hard, "configmaps", 10);
    y_putstr(b, hard, "limits.cpu", ka__cpu_milli(b->a, pods * LIM_CPU_MILLI).text);
    y_putstr(b, hard, "limits.memory", ka__mem_bytes(b->a, pods * LIM_MEM_MI << 20).text);
    y_putint(b, hard, "persistentvolumeclaims", 0);
    y_putint(b, hard, "pods", pods);
    y_putstr(b, hard, "requests.cpu", ka__cpu_milli(b->a, pods * REQ_CPU_MILLI).text);
    y_putstr(b, hard, "requests.memory", ka__mem_bytes(b->a, pods * REQ_MEM_MI << 20).text);
    y_putint(b, hard, "secrets", 10);
    y_putint(b, hard, "services", 0);
    y_putint(b, hard, "services.loadbalancers", 0);
    y_putint(b, hard, "services.nodeports", 0);
    yl_add(x->g, l, o);

    o = obj(x, "v1", "LimitRange", x->lg->ns, "defaults");
    ynode *c = y_addmap(b, y_putseq(b, y_putmap(b, o, "spec"), "limits"));
    static const char *const keys[] = { "default", "defaultRequest", "max" };
    for (int i = 0; i < 3; i++) {
        ynode *m = y_putmap(b, c, keys[i]);
        bool req = i == 1;
        y_putstr(b, m, "cpu", ka__cpu_milli(b->a, req ? REQ_CPU_MILLI : LIM_CPU_MILLI).text);
        y_putstr(b, m, "memory",
                 ka__mem_bytes(b->a, (int64_t)(req ? REQ_MEM_MI : LIM_MEM_MI) << 20).text);
    }
    y_putstr(b, c, "type", "Container");
    yl_add(x->g, l, o);
}

/* ---- network policies ---------------------------------------------------------------- */

static ynode *policy(lctx *x, const char *name, ynode **spec)
{
    ynode *meta, *o = y_object(x->b, "networking.k8s.io/v1", "NetworkPolicy", x->lg->ns, name,
                               &meta);
    g_labels(x->g, meta, NULL, "network-policy");
    *spec = y_putmap(x->b, o, "spec");
    return o;
}

static void port(lctx *x, ynode *ports, uint32_t p, const char *proto)
{
    ynode *m = y_addmap(x->b, ports);
    y_putint(x->b, m, "port", p);
    y_putstr(x->b, m, "protocol", proto);
}

static void ns_peer(lctx *x, ynode *peer, const char *ns)
{
    y_putstr(x->b, y_putmap(x->b, y_putmap(x->b, peer, "namespaceSelector"), "matchLabels"),
             "kubernetes.io/metadata.name", ns);
}

static void types(lctx *x, ynode *spec, const char *t1, const char *t2)
{
    ynode *t = y_putseq(x->b, spec, "policyTypes");
    y_addstr(x->b, t, t1);
    if (t2)
        y_addstr(x->b, t, t2);
}

static void policies(lctx *x, ylist *l)
{
    ybuild *b = x->b;
    const ka_spec_logging *lg = x->lg;
    ynode *spec, *o;

    o = policy(x, "default-deny", &spec);
    y_put(b, spec, "podSelector", y_map(b));
    types(x, spec, "Ingress", "Egress");
    yl_add(x->g, l, o);

    o = policy(x, "allow-dns", &spec);
    ynode *r = y_addmap(b, y_putseq(b, spec, "egress"));
    ynode *ports = y_putseq(b, r, "ports");
    port(x, ports, 53, "UDP");
    port(x, ports, 53, "TCP");
    ynode *peer = y_addmap(b, y_putseq(b, r, "to"));
    ns_peer(x, peer, "kube-system");
    y_putstr(b, y_putmap(b, y_putmap(b, peer, "podSelector"), "matchLabels"), "k8s-app",
             "kube-dns");
    y_put(b, spec, "podSelector", y_map(b));
    types(x, spec, "Egress", NULL);
    yl_add(x->g, l, o);

    /* the backend: a namespace in the cluster, or the addresses outside */
    o = policy(x, "allow-log-backend", &spec);
    r = y_addmap(b, y_putseq(b, spec, "egress"));
    port(x, y_putseq(b, r, "ports"), lg->port, "TCP");
    ynode *to = y_putseq(b, r, "to");
    if (lg->backend_ns) {
        ns_peer(x, y_addmap(b, to), lg->backend_ns);
    } else {
        for (size_t i = 0; i < lg->ncidrs; i++)
            y_putstr(b, y_putmap(b, y_addmap(b, to), "ipBlock"), "cidr", lg->cidrs[i]);
    }
    sel(x, spec, "podSelector");
    types(x, spec, "Egress", NULL);
    yl_add(x->g, l, o);

    /* the API server (the kubernetes filter). Calico applies NetworkPolicy
     * to the node addresses behind the kubernetes Service; Cilium gives them
     * the kube-apiserver identity, which only its own policy can name. */
    if (x->s->net.cni == KA_CNI_CALICO) {
        o = policy(x, "allow-api-server", &spec);
        r = y_addmap(b, y_putseq(b, spec, "egress"));
        ports = y_putseq(b, r, "ports");
        port(x, ports, 443, "TCP");
        port(x, ports, 6443, "TCP");
        y_putstr(b, y_putmap(b, y_addmap(b, y_putseq(b, r, "to")), "ipBlock"), "cidr",
                 x->capi ? G_NODE_NETWORK : "0.0.0.0/0");
        sel(x, spec, "podSelector");
        types(x, spec, "Egress", NULL);
        yl_add(x->g, l, o);
    } else {
        ynode *meta;
        o = y_object(b, "cilium.io/v2", "CiliumNetworkPolicy", lg->ns, "allow-api-server", &meta);
        g_labels(x->g, meta, NULL, "network-policy");
        spec = y_putmap(b, o, "spec");
        r = y_addmap(b, y_putseq(b, spec, "egress"));
        y_addstr(b, y_putseq(b, r, "toEntities"), "kube-apiserver");
        ports = y_putseq(b, y_addmap(b, y_putseq(b, r, "toPorts")), "ports");
        static const char *const api_ports[] = { "443", "6443" };
        for (int i = 0; i < 2; i++) {
            ynode *p = y_addmap(b, ports);
            y_putstr(b, p, "port", api_ports[i]);
            y_putstr(b, p, "protocol", "TCP");
        }
        sel(x, spec, "endpointSelector");
        yl_add(x->g, l, o);
    }

    if (x->s->monitoring.enabled) {
        o = policy(x, "allow-metrics-scrape", &spec);
        r = y_addmap(b, y_putseq(b, spec, "ingress"));
        ns_peer(x, y_addmap(b, y_putseq(b, r, "from")), x->s->monitoring.ns);
        port(x, y_putseq(b, r, "ports"), HTTP_PORT, "TCP");
        sel(x, spec, "podSelector");
        types(x, spec, "Ingress", NULL);
        yl_add(x->g, l, o);
    }
}

/* ---- identity ---------------------------------------------------------------------- */

static void identity(lctx *x, ylist *l)
{
    ybuild *b = x->b;
    const char *crname = y_strf(b, "%s-%s", x->lg->ns, NAME)->s;
    ynode *o = obj(x, "v1", "ServiceAccount", x->lg->ns, NAME);
    /* only the collector's pods get a token; they ask for it */
    y_putbool(b, o, "automountServiceAccountToken", false);
    yl_add(x->g, l, o);

    /* the kubernetes filter: labels of pods and namespaces, nothing else */
    o = obj(x, "rbac.authorization.k8s.io/v1", "ClusterRole", NULL, crname);
    ynode *rule = y_addmap(b, y_putseq(b, o, "rules"));
    y_addstr(b, y_putseq(b, rule, "apiGroups"), "");
    ynode *res = y_putseq(b, rule, "resources");
    y_addstr(b, res, "namespaces");
    y_addstr(b, res, "pods");
    ynode *verbs = y_putseq(b, rule, "verbs");
    y_addstr(b, verbs, "get");
    y_addstr(b, verbs, "list");
    y_addstr(b, verbs, "watch");
    yl_add(x->g, l, o);

    o = obj(x, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", NULL, crname);
    ynode *ref = y_putmap(b, o, "roleRef");
    y_putstr(b, ref, "apiGroup", "rbac.authorization.k8s.io");
    y_putstr(b, ref, "kind", "ClusterRole");
    y_putstr(b, ref, "name", crname);
    ynode *sub = y_addmap(b, y_putseq(b, o, "subjects"));
    y_putstr(b, sub, "kind", "ServiceAccount");
    y_putstr(b, sub, "name", NAME);
    y_putstr(b, sub, "namespace", x->lg->ns);
    yl_add(x->g, l, o);
}

/* ---- configuration ------------------------------------------------------------------- */

static void kv(ka_buf *c, const char *k, const char *v)
{
    ka_buf_printf(c, "    %-26s %s\n", k, v);
}

static void tls(const lctx *x, ka_buf *c)
{
    kv(c, "tls", x->lg->tls ? "On" : "Off");
    if (x->lg->tls)
        kv(c, "tls.verify", "On");
}

/* One [OUTPUT] for the records of match (what: "pods" or "audit"). */
static void output(const lctx *x, ka_buf *c, const char *match, const char *what)
{
    const ka_spec_logging *lg = x->lg;
    char port[16];
    snprintf(port, sizeof port, "%u", lg->port);
    static const char *const plugin[] = {
        [KA_LOG_LOKI] = "loki", [KA_LOG_ELASTICSEARCH] = "es",
        [KA_LOG_OPENTELEMETRY] = "opentelemetry", [KA_LOG_FORWARD] = "forward",
    };
    ka_buf_adds(c, "\n[OUTPUT]\n");
    kv(c, "Name", plugin[lg->backend]);
    kv(c, "Match", match);
    kv(c, "Host", lg->host);
    kv(c, "Port", port);
    switch (lg->backend) {
    case KA_LOG_LOKI: {
        char lab[256];
        snprintf(lab, sizeof lab, "job=%s, cluster=%s",
                 strcmp(what, "audit") == 0 ? "kube-apiserver-audit" : "kubernetes-pods",
                 x->c->name);
        kv(c, "Labels", lab);
        if (strcmp(what, "pods") == 0)
            kv(c, "Label_Keys", "$kubernetes['namespace_name'],$kubernetes['container_name']");
        kv(c, "Line_Format", "json");
        break;
    }
    case KA_LOG_ELASTICSEARCH: {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "%s-%s", x->c->name, what);
        kv(c, "Logstash_Format", "On");
        kv(c, "Logstash_Prefix", prefix);
        kv(c, "Replace_Dots", "On");
        kv(c, "Suppress_Type_Name", "On");
        break;
    }
    case KA_LOG_OPENTELEMETRY:
        kv(c, "Logs_uri", "/v1/logs");
        break;
    case KA_LOG_FORWARD:
        break;
    }
    /* retried until delivered; the node buffer keeps the newest 200M */
    kv(c, "Retry_Limit", "no_limits");
    kv(c, "storage.total_limit_size", "200M");
    tls(x, c);
}

static const char *config(lctx *x)
{
    ka_buf c;
    ka_buf_init(&c);
    ka_buf_adds(&c, "[SERVICE]\n");
    kv(&c, "Daemon", "Off");
    kv(&c, "Flush", "5");
    kv(&c, "Log_Level", "info");
    kv(&c, "Parsers_File", "/fluent-bit/etc/parsers.conf");
    kv(&c, "HTTP_Server", "On");
    kv(&c, "HTTP_Listen", "0.0.0.0");
    kv(&c, "HTTP_Port", "2020");
    kv(&c, "Health_Check", "On");
    kv(&c, "storage.path", STATE_DIR "/buffers");
    kv(&c, "storage.sync", "normal");
    kv(&c, "storage.backlog.mem_limit", "16M");

    ka_buf_adds(&c, "\n[INPUT]\n");
    kv(&c, "Name", "tail");
    kv(&c, "Tag", "kube.*");
    kv(&c, "Path", "/var/log/containers/*.log");
    kv(&c, "multiline.parser", "cri, docker");
    kv(&c, "DB", STATE_DIR "/containers.db");
    kv(&c, "DB.locking", "true");
    kv(&c, "Skip_Long_Lines", "On");
    kv(&c, "Refresh_Interval", "10");
    kv(&c, "storage.type", "filesystem");
    if (x->audit) {
        ka_buf_adds(&c, "\n[INPUT]\n");
        kv(&c, "Name", "tail");
        kv(&c, "Tag", "audit.*");
        kv(&c, "Path", AUDIT_LOG);
        kv(&c, "Parser", "json");
        kv(&c, "DB", STATE_DIR "/audit.db");
        kv(&c, "DB.locking", "true");
        kv(&c, "Buffer_Max_Size", "1MB");
        kv(&c, "Skip_Long_Lines", "On");
        kv(&c, "Refresh_Interval", "10");
        kv(&c, "storage.type", "filesystem");
    }

    ka_buf_adds(&c, "\n[FILTER]\n");
    kv(&c, "Name", "kubernetes");
    kv(&c, "Match", "kube.*");
    kv(&c, "Merge_Log", "On");
    kv(&c, "Keep_Log", "Off");
    kv(&c, "K8S-Logging.Parser", "On");
    kv(&c, "K8S-Logging.Exclude", "On");
    kv(&c, "Labels", "On");
    kv(&c, "Annotations", "Off");

    ka_buf_adds(&c, "\n[FILTER]\n");
    kv(&c, "Name", "record_modifier");
    kv(&c, "Match", "*");
    char rec[128];
    snprintf(rec, sizeof rec, "cluster %s", x->c->name);
    kv(&c, "Record", rec);
    kv(&c, "Record", "node ${NODE_NAME}");

    if (x->lg->backend == KA_LOG_LOKI || x->lg->backend == KA_LOG_ELASTICSEARCH) {
        /* separate streams (indices) for the audit trail */
        output(x, &c, "kube.*", "pods");
        if (x->audit)
            output(x, &c, "audit.*", "audit");
    } else {
        output(x, &c, "*", "logs");
    }
    const char *text = y_strf(x->b, "%s", ka_buf_cstr(&c))->s;
    ka_buf_free(&c);
    return text;
}

/* FNV-1a of the configuration: a new value rolls the pods when it changes. */
static const char *config_hash(lctx *x, const char *text)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return y_strf(x->b, "%016llx", (unsigned long long)h)->s;
}

/* ---- the DaemonSet ----------------------------------------------------------------------- */

static void mount(lctx *x, ynode *mounts, const char *name, const char *path, bool ro)
{
    ynode *m = y_addmap(x->b, mounts);
    y_putstr(x->b, m, "mountPath", path);
    y_putstr(x->b, m, "name", name);
    if (ro)
        y_putbool(x->b, m, "readOnly", true);
}

static ynode *daemonset(lctx *x, const char *hash)
{
    ybuild *b = x->b;
    ynode *meta, *o = y_object(b, "apps/v1", "DaemonSet", x->lg->ns, NAME, &meta);
    ynode *an = y_putmap(b, meta, "annotations");
    y_putstr(b, an, "kubearch.io/ignore", "SEC-003,SEC-004,SEC-016,SEC-022");
    y_putstr(b, an, "kubearch.io/ignore-reason",
             y_strf(b, "A node's log collector: the container logs%s are files of root that "
                       "other users cannot read, so it runs as root (SEC-003, SEC-004), with every "
                       "capability dropped, and reads /var/log through a read-only hostPath "
                       "volume (SEC-016); its kubernetes filter reads pod and namespace metadata "
                       "from the API with its ServiceAccount token (SEC-022; get, list and watch "
                       "only).", x->audit ? " and the API server audit log" : "")->s);
    labels(x, meta);
    ynode *spec = y_putmap(b, o, "spec");
    y_putint(b, spec, "revisionHistoryLimit", 5);
    sel(x, spec, "selector");
    ynode *tpl = y_putmap(b, spec, "template");
    ynode *tmeta = y_putmap(b, tpl, "metadata");
    y_putstr(b, y_putmap(b, tmeta, "annotations"), "kubearch.io/config-hash", hash);
    labels(x, tmeta);
    ynode *pod = y_putmap(b, tpl, "spec");
    y_putbool(b, pod, "automountServiceAccountToken", true);

    ynode *ctr = y_addmap(b, y_putseq(b, pod, "containers"));
    ynode *args = y_putseq(b, ctr, "args");
    y_addstr(b, args, "--workdir=/fluent-bit/etc");
    y_addstr(b, args, "--config=" CONF_DIR "/fluent-bit.conf");
    y_addstr(b, y_putseq(b, ctr, "command"), "/fluent-bit/bin/fluent-bit");
    ynode *env = y_addmap(b, y_putseq(b, ctr, "env"));
    y_putstr(b, env, "name", "NODE_NAME");
    y_putstr(b, y_putmap(b, y_putmap(b, env, "valueFrom"), "fieldRef"), "fieldPath",
             "spec.nodeName");
    y_putstr(b, ctr, "image", x->lg->image);
    ynode *live = y_putmap(b, ctr, "livenessProbe");
    y_putint(b, live, "failureThreshold", 6);
    ynode *hg = y_putmap(b, live, "httpGet");
    y_putstr(b, hg, "path", "/");
    y_putstr(b, hg, "port", "http");
    y_putint(b, live, "initialDelaySeconds", 10);
    y_putint(b, live, "periodSeconds", 20);
    y_putstr(b, ctr, "name", NAME);
    ynode *p = y_addmap(b, y_putseq(b, ctr, "ports"));
    y_putint(b, p, "containerPort", HTTP_PORT);
    y_putstr(b, p, "name", "http");
    y_putstr(b, p, "protocol", "TCP");
    ynode *ready = y_putmap(b, ctr, "readinessProbe");
    y_putint(b, ready, "failureThreshold", 3);
    hg = y_putmap(b, ready, "httpGet");
    y_putstr(b, hg, "path", "/api/v1/health");
    y_putstr(b, hg, "port", "http");
    y_putint(b, ready, "periodSeconds", 10);
    ynode *res = y_putmap(b, ctr, "resources");
    ynode *lim = y_putmap(b, res, "limits");
    y_putstr(b, lim, "cpu", ka__cpu_milli(b->a, LIM_CPU_MILLI).text);
    y_putstr(b, lim, "ephemeral-storage", "1Gi");
    y_putstr(b, lim, "memory", ka__mem_bytes(b->a, (int64_t)LIM_MEM_MI << 20).text);
    ynode *req = y_putmap(b, res, "requests");
    y_putstr(b, req, "cpu", ka__cpu_milli(b->a, REQ_CPU_MILLI).text);
    y_putstr(b, req, "ephemeral-storage", "128Mi");
    y_putstr(b, req, "memory", ka__mem_bytes(b->a, (int64_t)REQ_MEM_MI << 20).text);
    ynode *sc = y_putmap(b, ctr, "securityContext");
    y_putbool(b, sc, "allowPrivilegeEscalation", false);
    y_addstr(b, y_putseq(b, y_putmap(b, sc, "capabilities"), "drop"), "ALL");
    y_putbool(b, sc, "privileged", false);
    y_putbool(b, sc, "readOnlyRootFilesystem", true);
    /* root without capabilities: reads root's files by owner permission */
    y_putint(b, sc, "runAsGroup", 0);
    y_putbool(b, sc, "runAsNonRoot", false);
    y_putint(b, sc, "runAsUser", 0);
    ynode *vm = y_putseq(b, ctr, "volumeMounts");
    mount(x, vm, "config", CONF_DIR, true);
    mount(x, vm, "state", STATE_DIR, false);
    mount(x, vm, "varlog", "/var/log", true);

    y_putstr(b, y_putmap(b, pod, "nodeSelector"), "kubernetes.io/os", "linux");
    y_putstr(b, pod, "priorityClassName", "platform-critical");
    y_putstr(b, y_putmap(b, y_putmap(b, pod, "securityContext"), "seccompProfile"), "type",
             "RuntimeDefault");
    y_putstr(b, pod, "serviceAccountName", NAME);
    y_putint(b, pod, "terminationGracePeriodSeconds", 30);
    /* every node: the system pool's and the control plane's taints too */
    y_putstr(b, y_addmap(b, y_putseq(b, pod, "tolerations")), "operator", "Exists");
    ynode *vols = y_putseq(b, pod, "volumes");
    ynode *v = y_addmap(b, vols);
    y_putstr(b, y_putmap(b, v, "configMap"), "name", NAME);
    y_putstr(b, v, "name", "config");
    /* read positions and the delivery buffer: kept across container
     * restarts; a replacement pod starts at the end of the files, and the
     * surge rollout (the old pod stops once the new one is ready) leaves
     * no gap */
    v = y_addmap(b, vols);
    y_putstr(b, y_putmap(b, v, "emptyDir"), "sizeLimit", "512Mi");
    y_putstr(b, v, "name", "state");
    v = y_addmap(b, vols);
    ynode *hp = y_putmap(b, v, "hostPath");
    y_putstr(b, hp, "path", "/var/log");
    y_putstr(b, hp, "type", "Directory");
    y_putstr(b, v, "name", "varlog");

    ynode *us = y_putmap(b, spec, "updateStrategy");
    ynode *ru = y_putmap(b, us, "rollingUpdate");
    y_putint(b, ru, "maxSurge", 1);
    y_putint(b, ru, "maxUnavailable", 0);
    y_putstr(b, us, "type", "RollingUpdate");
    return o;
}

/* ---- monitoring hook ---------------------------------------------------------------------- */

static void alert(lctx *x, ynode *rules, const char *name, const char *expr, const char *dur,
                  const char *severity, const char *summary)
{
    ybuild *b = x->b;
    ynode *r = y_addmap(b, rules);
    y_putstr(b, r, "alert", name);
    y_putstr(b, y_putmap(b, r, "annotations"), "summary", summary);
    y_putstr(b, r, "expr", expr);
    y_putstr(b, r, "for", dur);
    y_putstr(b, y_putmap(b, r, "labels"), "severity", severity);
}

static void monitoring(lctx *x, ylist *l)
{
    ybuild *b = x->b;
    const ka_spec *s = x->s;
    ynode *o = obj(x, "monitoring.coreos.com/v1", "PodMonitor", x->lg->ns, NAME);
    ynode *spec = y_putmap(b, o, "spec");
    ynode *ep = y_addmap(b, y_putseq(b, spec, "podMetricsEndpoints"));
    y_putstr(b, ep, "interval", "30s");
    y_putstr(b, ep, "path", "/api/v2/metrics/prometheus");
    y_putstr(b, ep, "port", "http");
    sel(x, spec, "selector");
    yl_add(x->g, l, o);

    o = obj(x, "monitoring.coreos.com/v1", "PrometheusRule", s->monitoring.ns,
            y_strf(b, "%s-logging", s->name)->s);
    ynode *grp = y_addmap(b, y_putseq(b, y_putmap(b, o, "spec"), "groups"));
    y_putstr(b, grp, "name", "kubearch.logging");
    ynode *rules = y_putseq(b, grp, "rules");
    const char *ns = x->lg->ns;
    alert(x, rules, "LogCollectorUnavailable",
          y_strf(b, "kube_daemonset_status_number_unavailable{namespace=\"%s\",daemonset=\"%s\"} > 0",
                 ns, NAME)->s,
          "15m", "warning",
          "The log collector is not ready on every node: the logs of those nodes (on "
          "control-plane nodes, the API server audit log) are not shipped.");
    alert(x, rules, "LogDeliveryFailing",
          y_strf(b, "sum by (pod) (rate(fluentbit_output_errors_total{namespace=\"%s\"}[5m])) > 0",
                 ns)->s,
          "15m", "warning",
          "The log collector cannot deliver to the log backend; records wait in the node's "
          "buffer until it is full.");
    alert(x, rules, "LogRecordsDropped",
          y_strf(b, "sum by (pod) (rate(fluentbit_output_dropped_records_total{namespace=\"%s\"}[5m])) "
                    "> 0", ns)->s,
          "5m", "critical", "The log collector drops records: logs are lost.");
    yl_add(x->g, l, o);
}

void ka__gen_logging(gctx *g, const ka_spec_cluster *c)
{
    const ka_spec *s = g->s;
    if (!s->logging.enabled)
        return;
    bool capi = s->multicluster.provisioning == KA_PROVISION_CLUSTER_API;
    lctx x = { g, &g->yb, s, &s->logging, c,
               capi && c->region->management == KA_MGMT_SELF_MANAGED, capi };
    ylist l = { 0 };
    yl_add(g, &l, namespace_obj(&x));
    quota(&x, &l);
    policies(&x, &l);
    identity(&x, &l);
    const char *conf = config(&x);
    ynode *meta, *cm = y_object(x.b, "v1", "ConfigMap", s->logging.ns, NAME, &meta);
    labels(&x, meta);
    y_putstr(x.b, y_putmap(x.b, cm, "data"), "fluent-bit.conf", conf)->literal = true;
    yl_add(g, &l, cm);
    yl_add(g, &l, daemonset(&x, config_hash(&x, conf)));
    if (s->monitoring.enabled)
        monitoring(&x, &l);
    const char *unit = g_cluster_unit(g, c);
    g_file(g, unit, y_strf(x.b, "%s/platform/logging.yaml", unit)->s, &l);
}
