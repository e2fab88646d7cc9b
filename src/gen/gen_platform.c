/*
 * gen_platform.c - cluster-wide platform objects of a cluster: the
 * PriorityClasses of the QoS tiers, StorageClasses (CSI drivers only) and
 * their VolumeSnapshotClasses, the alerting rules of the monitoring hook,
 * the Velero backup Schedule and MetalLB address pools; the log collector
 * is in gen_logging.c.
 */
#include "gen_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- priority classes ------------------------------------------------------------ */

static ynode *priority(gctx *g, const char *name, int64_t value, bool global_default,
                       const char *preempt, const char *desc)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "scheduling.k8s.io/v1", "PriorityClass", NULL, name, &meta);
    g_labels(g, meta, NULL, "scheduling");
    y_putstr(b, o, "description", desc);
    y_putbool(b, o, "globalDefault", global_default);
    y_putstr(b, o, "preemptionPolicy", preempt);
    y_putint(b, o, "value", value);
    return o;
}

static void priorities(gctx *g, const char *unit)
{
    ylist l = { 0 };
    yl_add(g, &l, priority(g, "platform-critical", 1000000000, false, "PreemptLowerPriority",
                           "Platform add-ons that every workload depends on (ingress, DNS "
                           "integrations, monitoring, log collection)."));
    yl_add(g, &l, priority(g, g_priority_class(KA_QOS_HIGH), 100000, false, "PreemptLowerPriority",
                           "Workloads of high-QoS environments (production)."));
    yl_add(g, &l, priority(g, g_priority_class(KA_QOS_MEDIUM), 10000, false, "PreemptLowerPriority",
                           "Workloads of medium-QoS environments (staging)."));
    /* the default: pods that name no class never preempt anything */
    yl_add(g, &l, priority(g, g_priority_class(KA_QOS_LOW), 1000, true, "Never",
                           "Workloads of low-QoS environments (development) and pods that name "
                           "no priority class."));
    g_file(g, unit, y_strf(&g->yb, "%s/platform/priority-classes.yaml", unit)->s, &l);
}

/* ---- storage ------------------------------------------------------------------- */

typedef struct param {
    const char *key, *value;
} param;

/* The provider's CSI parameters of the built-in types (encryption on). */
static size_t builtin_params(ka_provider p, ka_storage_type t, param *out)
{
    size_t n = 0;
    out[n++] = (param){ "csi.storage.k8s.io/fstype", "ext4" };
    switch (p) {
    case KA_PROVIDER_AWS:
        out[n++] = (param){ "encrypted", "true" };
        if (t == KA_STORAGE_PERFORMANCE) {
            /* io2: provisioned IOPS per GiB, raised to the type minimum for
             * small volumes */
            out[n++] = (param){ "allowAutoIOPSPerGBIncrease", "true" };
            out[n++] = (param){ "iopsPerGB", "50" };
            out[n++] = (param){ "type", "io2" };
        } else {
            out[n++] = (param){ "type", "gp3" };
        }
        break;
    case KA_PROVIDER_AZURE:
        out[n++] = (param){ "skuName", t == KA_STORAGE_PERFORMANCE ? "Premium_LRS"
                                                                    : "StandardSSD_LRS" };
        break;
    case KA_PROVIDER_GCP:
        out[n++] = (param){ "type", t == KA_STORAGE_PERFORMANCE ? "pd-ssd" : "pd-balanced" };
        break;
    default:
        break;
    }
    return n;
}

static const char *class_driver(const ka_spec_storage_class *c, ka_provider p)
{
    if (c->type == KA_STORAGE_CUSTOM)
        return c->provisioner;
    switch (p) {
    case KA_PROVIDER_AWS: return "ebs.csi.aws.com";
    case KA_PROVIDER_AZURE: return "disk.csi.azure.com";
    case KA_PROVIDER_GCP: return "pd.csi.storage.gke.io";
    default: return c->provisioner;
    }
}

static int param_cmp(const void *a, const void *b)
{
    return strcmp(((const param *)a)->key, ((const param *)b)->key);
}

static ynode *storage_class(gctx *g, const ka_spec_storage_class *c, ka_provider p)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "storage.k8s.io/v1", "StorageClass", NULL, c->name, &meta);
    if (c->is_default)
        y_putstr(b, y_putmap(b, meta, "annotations"), "storageclass.kubernetes.io/is-default-class",
                 "true");
    g_labels(g, meta, NULL, "storage");
    y_putbool(b, o, "allowVolumeExpansion", c->expansion);
    param v[16 + 512];
    size_t n = c->type == KA_STORAGE_CUSTOM ? 0 : builtin_params(p, c->type, v);
    for (size_t i = 0; i < c->nparams && n < sizeof v / sizeof *v; i++) {
        bool replaced = false;
        for (size_t j = 0; j < n; j++)
            if (strcmp(v[j].key, c->params[i].key) == 0) {
                v[j].value = c->params[i].value;
                replaced = true;
            }
        if (!replaced)
            v[n++] = (param){ c->params[i].key, c->params[i].value };
    }
    qsort(v, n, sizeof *v, param_cmp);
    if (n) {
        ynode *pm = y_putmap(b, o, "parameters");
        for (size_t i = 0; i < n; i++)
            y_putstr(b, pm, v[i].key, v[i].value);
    }
    y_putstr(b, o, "provisioner", class_driver(c, p));
    y_putstr(b, o, "reclaimPolicy", ka_reclaim_name(c->reclaim));
    y_putstr(b, o, "volumeBindingMode", ka_binding_name(c->binding));
    return o;
}

static void storage(gctx *g, const ka_spec_cluster *c, const char *unit)
{
    const ka_spec_storage *st = &g->s->storage;
    if (!st->nclasses)
        return;
    ybuild *b = &g->yb;
    ka_provider p = c->region->provider;
    ylist l = { 0 };
    for (size_t i = 0; i < st->nclasses; i++)
        yl_add(g, &l, storage_class(g, &st->classes[i], p));
    if (st->snapshot_class) {
        /* one snapshot class per driver, named after its first storage class;
         * the default storage class's driver gets the default snapshot class */
        const char *def_driver = NULL;
        for (size_t i = 0; i < st->nclasses; i++)
            if (st->classes[i].is_default)
                def_driver = class_driver(&st->classes[i], p);
        for (size_t i = 0; i < st->nclasses; i++) {
            const char *drv = class_driver(&st->classes[i], p);
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen |= strcmp(class_driver(&st->classes[j], p), drv) == 0;
            if (seen)
                continue;
            ynode *meta, *o = y_object(b, "snapshot.storage.k8s.io/v1", "VolumeSnapshotClass", NULL,
                                       y_strf(b, "%s-snapshots", st->classes[i].name)->s, &meta);
            if (def_driver && strcmp(def_driver, drv) == 0)
                y_putstr(b, y_putmap(b, meta, "annotations"),
                         "snapshot.storage.kubernetes.io/is-default-class", "true");
            g_labels(g, meta, NULL, "storage");
            y_putstr(b, o, "deletionPolicy", ka_reclaim_name(st->snapshot_deletion));
            y_putstr(b, o, "driver", drv);
            if (strcmp(drv, "disk.csi.azure.com") == 0)
                y_putstr(b, y_putmap(b, o, "parameters"), "incremental", "true");
            yl_add(g, &l, o);
        }
    }
    g_file(g, unit, y_strf(b, "%s/platform/storage.yaml", unit)->s, &l);
}

/* ---- monitoring hook ---------------------------------------------------------------- */

static void alert(gctx *g, ynode *rules, const char *name, const char *expr, const char *dur,
                  const char *severity, const char *summary)
{
    ybuild *b = &g->yb;
    ynode *r = y_addmap(b, rules);
    y_putstr(b, r, "alert", name);
    y_putstr(b, y_putmap(b, r, "annotations"), "summary", summary);
    y_putstr(b, r, "expr", expr);
    y_putstr(b, r, "for", dur);
    y_putstr(b, y_putmap(b, r, "labels"), "severity", severity);
}

static void monitoring(gctx *g, const ka_spec_cluster *c, const char *unit)
{
    const ka_spec *s = g->s;
    bool any = false;
    for (size_t i = 0; i < s->nworkloads; i++)
        any |= ka_spec_cluster_runs(c, s->workloads[i].env);
    /* the rules watch the declared workloads, scraped through PodMonitors */
    if (!s->monitoring.enabled || !any)
        return;
    ybuild *b = &g->yb;
    ka_buf ns;
    ka_buf_init(&ns);
    for (size_t i = 0; i < c->nenvs; i++) {
        if (i)
            ka_buf_addc(&ns, '|');
        ka_buf_adds(&ns, c->envs[i]->ns);
    }
    const char *sel = y_strf(b, "namespace=~\"%s\"", ka_buf_cstr(&ns))->s;
    ka_buf_free(&ns);
    ynode *meta, *o = y_object(b, "monitoring.coreos.com/v1", "PrometheusRule", s->monitoring.ns,
                               y_strf(b, "%s-architecture", s->name)->s, &meta);
    g_labels(g, meta, NULL, "monitoring");
    ynode *grp = y_addmap(b, y_putseq(b, y_putmap(b, o, "spec"), "groups"));
    y_putstr(b, grp, "name", "kubearch.architecture");
    ynode *rules = y_putseq(b, grp, "rules");
    /* metrics of kube-state-metrics */
    alert(g, rules, "WorkloadReplicasUnavailable",
          y_strf(b, "kube_deployment_status_replicas_available{%s} < "
                    "kube_deployment_spec_replicas{%s}", sel, sel)->s,
          "10m", "warning", "A Deployment runs fewer available replicas than it asks for.");
    alert(g, rules, "DisruptionBudgetExhausted",
          y_strf(b, "kube_poddisruptionbudget_status_pod_disruptions_allowed{%s} == 0", sel)->s,
          "30m", "warning", "A PodDisruptionBudget allows no eviction: node drains will wait.");
    alert(g, rules, "NamespaceQuotaNearlyFull",
          y_strf(b, "kube_resourcequota{%s,type=\"used\"} / ignoring(type) "
                    "kube_resourcequota{%s,type=\"hard\"} > 0.9", sel, sel)->s,
          "15m", "warning", "A namespace uses more than 90% of a ResourceQuota limit.");
    ylist l = { 0 };
    yl_add(g, &l, o);
    g_file(g, unit, y_strf(b, "%s/platform/monitoring.yaml", unit)->s, &l);
}

/* ---- backup -------------------------------------------------------------------------- */

static void backup(gctx *g, const ka_spec_cluster *c, const char *unit)
{
    const ka_spec_storage *st = &g->s->storage;
    if (!st->backup)
        return;
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "velero.io/v1", "Schedule", "velero",
                               y_strf(b, "%s-daily", c->name)->s, &meta);
    g_labels(g, meta, NULL, "backup");
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "schedule", st->backup_schedule);
    ynode *tpl = y_putmap(b, spec, "template");
    ynode *inc = y_putseq(b, tpl, "includedNamespaces");
    for (size_t i = 0; i < c->nenvs; i++)
        y_addstr(b, inc, c->envs[i]->ns);
    y_putbool(b, tpl, "snapshotVolumes", st->nclasses > 0);
    y_putstr(b, tpl, "storageLocation", "default");
    y_putstr(b, tpl, "ttl", y_strf(b, "%uh0m0s", st->backup_ttl_hours)->s);
    y_putbool(b, spec, "useOwnerReferencesInBackup", false);
    ylist l = { 0 };
    yl_add(g, &l, o);

    /* where the backups go: the provider's object store */
    ka_provider p = c->region->provider;
    o = y_object(b, "velero.io/v1", "BackupStorageLocation", "velero", "default", &meta);
    g_labels(g, meta, NULL, "backup");
    spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "accessMode", "ReadWrite");
    param v[64];
    size_t n = 0;
    if (p == KA_PROVIDER_AWS)
        v[n++] = (param){ "region", c->region->name };
    if (p == KA_PROVIDER_BARE_METAL)
        v[n++] = (param){ "s3ForcePathStyle", "true" };
    for (size_t i = 0; i < st->nbackup_config && n < sizeof v / sizeof *v; i++) {
        if (!ka__velero_config_key(p, st->backup_config[i].key))
            continue; /* another provider's setting (multi-region) */
        bool replaced = false;
        for (size_t j = 0; j < n; j++)
            if (strcmp(v[j].key, st->backup_config[i].key) == 0) {
                v[j].value = st->backup_config[i].value;
                replaced = true;
            }
        if (!replaced)
            v[n++] = (param){ st->backup_config[i].key, st->backup_config[i].value };
    }
    qsort(v, n, sizeof *v, param_cmp);
    if (n) {
        ynode *cfg = y_putmap(b, spec, "config");
        for (size_t i = 0; i < n; i++)
            y_putstr(b, cfg, v[i].key, v[i].value);
    }
    y_putbool(b, spec, "default", true);
    ynode *os = y_putmap(b, spec, "objectStorage");
    y_putstr(b, os, "bucket", st->backup_bucket);
    y_putstr(b, os, "prefix", c->name); /* clusters sharing a bucket stay apart */
    y_putstr(b, spec, "provider", p == KA_PROVIDER_AZURE ? "azure"
                                  : p == KA_PROVIDER_GCP ? "gcp" : "aws");
    yl_add(g, &l, o);
    g_file(g, unit, y_strf(b, "%s/platform/backup.yaml", unit)->s, &l);
}

/* ---- MetalLB ------------------------------------------------------------------------- */

static void metallb(gctx *g, const char *unit)
{
    const ka_spec_networking *n = &g->s->net;
    if (n->lb != KA_LB_METALLB)
        return;
    ybuild *b = &g->yb;
    ylist l = { 0 };
    ynode *meta, *o = y_object(b, "metallb.io/v1beta1", "IPAddressPool", "metallb-system", "public",
                               &meta);
    g_labels(g, meta, NULL, "load-balancer");
    ynode *spec = y_putmap(b, o, "spec");
    ynode *a = y_putseq(b, spec, "addresses");
    for (size_t i = 0; i < n->nlb_addresses; i++)
        y_addstr(b, a, n->lb_addresses[i]);
    y_putbool(b, spec, "autoAssign", true);
    yl_add(g, &l, o);
    o = y_object(b, "metallb.io/v1beta1", "L2Advertisement", "metallb-system", "public", &meta);
    g_labels(g, meta, NULL, "load-balancer");
    y_addstr(b, y_putseq(b, y_putmap(b, o, "spec"), "ipAddressPools"), "public");
    yl_add(g, &l, o);
    g_file(g, unit, y_strf(b, "%s/platform/metallb.yaml", unit)->s, &l);
}

/* ---- admission policy ------------------------------------------------------------- */

/* Pods of the environment namespaces must run pinned images (a version tag
 * other than latest, or a digest), enforced by the API server itself with a
 * ValidatingAdmissionPolicy (GA since 1.30), so no policy engine is needed. */
static void admission(gctx *g, const ka_spec_cluster *c, const char *unit)
{
    ybuild *b = &g->yb;
    ylist l = { 0 };
    ynode *meta, *o = y_object(b, "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy",
                               NULL, "pinned-images", &meta);
    g_labels(g, meta, NULL, "policy");
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "failurePolicy", "Fail");
    ynode *rr = y_addmap(b, y_putseq(b, y_putmap(b, spec, "matchConstraints"), "resourceRules"));
    y_addstr(b, y_putseq(b, rr, "apiGroups"), "");
    y_addstr(b, y_putseq(b, rr, "apiVersions"), "v1");
    ynode *ops = y_putseq(b, rr, "operations");
    y_addstr(b, ops, "CREATE");
    y_addstr(b, ops, "UPDATE");
    y_addstr(b, y_putseq(b, rr, "resources"), "pods");
    ynode *vals = y_putseq(b, spec, "validations");
    static const char *const lists[] = { "containers", "initContainers" };
    for (int i = 0; i < 2; i++) {
        ynode *v = y_addmap(b, vals);
        y_putstr(b, v, "expression",
                 y_strf(b, "!has(object.spec.%s) || object.spec.%s.all(c, c.image.contains('@') || "
                           "(c.image.substring(c.image.lastIndexOf('/') + 1).contains(':') && "
                           "!c.image.endsWith(':latest')))", lists[i], lists[i])->s);
        y_putstr(b, v, "message", "images must be pinned to a version tag other than latest, "
                                  "or to a digest");
        y_putstr(b, v, "reason", "Forbidden");
    }
    yl_add(g, &l, o);
    o = y_object(b, "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", NULL,
                 "pinned-images", &meta);
    g_labels(g, meta, NULL, "policy");
    spec = y_putmap(b, o, "spec");
    ynode *me = y_addmap(b, y_putseq(b, y_putmap(b, y_putmap(b, spec, "matchResources"),
                                                 "namespaceSelector"), "matchExpressions"));
    y_putstr(b, me, "key", "kubernetes.io/metadata.name");
    y_putstr(b, me, "operator", "In");
    ynode *nv = y_putseq(b, me, "values");
    for (size_t i = 0; i < c->nenvs; i++)
        y_addstr(b, nv, c->envs[i]->ns);
    y_putstr(b, spec, "policyName", "pinned-images");
    y_addstr(b, y_putseq(b, spec, "validationActions"), "Deny");
    yl_add(g, &l, o);
    g_file(g, unit, y_strf(b, "%s/platform/admission.yaml", unit)->s, &l);
}

/* ---- service mesh -------------------------------------------------------------- */

/* Istio: mutual TLS required mesh-wide (PeerAuthentication in the root
 * namespace); plain-text connections to meshed workloads are refused. */
static void mesh(gctx *g, const char *unit)
{
    if (g->s->net.mesh != KA_MESH_ISTIO)
        return;
    ybuild *b = &g->yb;
    ylist l = { 0 };
    ynode *meta, *o = y_object(b, "security.istio.io/v1", "PeerAuthentication", "istio-system",
                               "default", &meta);
    g_labels(g, meta, NULL, "mesh");
    y_putstr(b, y_putmap(b, y_putmap(b, o, "spec"), "mtls"), "mode", "STRICT");
    yl_add(g, &l, o);
    g_file(g, unit, y_strf(b, "%s/platform/mesh.yaml", unit)->s, &l);
}

void ka__gen_platform(gctx *g, const ka_spec_cluster *c)
{
    const char *unit = g_cluster_unit(g, c);
    priorities(g, unit);
    admission(g, c, unit);
    mesh(g, unit);
    storage(g, c, unit);
    monitoring(g, c, unit);
    backup(g, c, unit);
    metallb(g, unit);
    ka__gen_logging(g, c);
}
