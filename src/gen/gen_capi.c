/*
 * gen_capi.c - Cluster API (v1beta2 core, bootstrap and control plane;
 * provider kinds at the versions their providers serve) for every cluster:
 *
 *   management/namespace.yaml            the namespace the clusters live in
 *   management/<cluster>/cluster.yaml    Cluster + infrastructure cluster
 *   management/<cluster>/control-plane.yaml
 *       self-managed: KubeadmControlPlane (replicas, rollout, remediation,
 *       audit logging, stacked or external etcd) + its machine template;
 *       managed (EKS): AWSManagedControlPlane
 *   management/<cluster>/workers.yaml    per pool: machine and bootstrap
 *       templates, one MachineDeployment per zone (failure domain) with the
 *       pool's labels, taints and autoscaler min/max annotations; managed:
 *       one MachinePool + AWSManagedMachinePool per pool and zone
 *   management/<cluster>/health-checks.yaml  MachineHealthChecks (auto-repair)
 */
#include "gen_int.h"

#include <string.h>

#define CAPI "cluster.x-k8s.io/v1beta2"
#define CP_GROUP "controlplane.cluster.x-k8s.io"
#define BOOT_GROUP "bootstrap.cluster.x-k8s.io"
#define INFRA_GROUP "infrastructure.cluster.x-k8s.io"

typedef struct capi {
    gctx *g;
    ybuild *b;
    const ka_spec_cluster *c;
    const char *ns;
    const char *unit;
    const char *dir;
    ka_provider p;
    bool managed;
} capi;

static ynode *obj(capi *x, const char *av, const char *kind, const char *name)
{
    ynode *meta, *o = y_object(x->b, av, kind, x->ns, name, &meta);
    ynode *l = y_putmap(x->b, meta, "labels");
    y_putstr(x->b, l, "app.kubernetes.io/managed-by", KA_MANAGED_BY);
    y_putstr(x->b, l, "app.kubernetes.io/part-of", x->g->s->name);
    y_putstr(x->b, l, "cluster.x-k8s.io/cluster-name", x->c->name);
    return o;
}

static void ref(capi *x, ynode *m, const char *key, const char *group, const char *kind,
                const char *name)
{
    ynode *r = y_putmap(x->b, m, key);
    y_putstr(x->b, r, "apiGroup", group);
    y_putstr(x->b, r, "kind", kind);
    y_putstr(x->b, r, "name", name);
}

static const char *infra_version(ka_provider p)
{
    /* CAPA serves v1beta2, CAPZ v1beta1 */
    return p == KA_PROVIDER_AWS ? "infrastructure.cluster.x-k8s.io/v1beta2"
                                : "infrastructure.cluster.x-k8s.io/v1beta1";
}

static const char *machine_template_kind(ka_provider p)
{
    return p == KA_PROVIDER_AWS ? "AWSMachineTemplate" : "AzureMachineTemplate";
}

static void arg(capi *x, ynode *seq, const char *name, const char *value)
{
    ynode *a = y_addmap(x->b, seq);
    y_putstr(x->b, a, "name", name);
    y_putstr(x->b, a, "value", value);
}

/* ---- infrastructure ---------------------------------------------------------------- */

static ynode *aws_network(capi *x, ynode *parent)
{
    ybuild *b = x->b;
    const ka_spec_region *r = x->c->region;
    ynode *net = y_putmap(b, parent, "network");
    ynode *subnets = y_putseq(b, net, "subnets");
    for (size_t i = 0; i < r->nzones; i++) {
        /* private /19 per zone from 10.0.0.0, public /22 per zone from 10.0.192.0 */
        ynode *s = y_addmap(b, subnets);
        y_putstr(b, s, "availabilityZone", r->zones[i]);
        y_putstr(b, s, "cidrBlock", y_strf(b, "10.0.%zu.0/19", i * 32)->s);
        y_putstr(b, s, "id", y_strf(b, "%s-private-%s", x->c->name, r->zones[i])->s);
        y_putbool(b, s, "isPublic", false);
        s = y_addmap(b, subnets);
        y_putstr(b, s, "availabilityZone", r->zones[i]);
        y_putstr(b, s, "cidrBlock", y_strf(b, "10.0.%zu.0/22", 192 + i * 4)->s);
        y_putstr(b, s, "id", y_strf(b, "%s-public-%s", x->c->name, r->zones[i])->s);
        y_putbool(b, s, "isPublic", true);
    }
    y_putstr(b, y_putmap(b, net, "vpc"), "cidrBlock", G_NODE_NETWORK);
    return net;
}

static ynode *infra_cluster(capi *x)
{
    ybuild *b = x->b;
    const ka_spec_region *r = x->c->region;
    if (x->p == KA_PROVIDER_AWS) {
        ynode *o = obj(x, infra_version(x->p), x->managed ? "AWSManagedCluster" : "AWSCluster",
                       x->c->name);
        ynode *spec = y_putmap(b, o, "spec");
        if (x->managed)
            return o; /* the network lives on AWSManagedControlPlane */
        y_putbool(b, y_putmap(b, spec, "bastion"), "enabled", false);
        aws_network(x, spec);
        y_putstr(b, spec, "region", r->name);
        y_putstr(b, spec, "sshKeyName", ""); /* no SSH keys on any node */
        return o;
    }
    ynode *o = obj(x, infra_version(x->p), "AzureCluster", x->c->name);
    ynode *spec = y_putmap(b, o, "spec");
    ynode *id = y_putmap(b, spec, "identityRef");
    y_putstr(b, id, "apiVersion", "infrastructure.cluster.x-k8s.io/v1beta1");
    y_putstr(b, id, "kind", "AzureClusterIdentity");
    y_putstr(b, id, "name", y_strf(b, "%s-identity", x->g->s->name)->s);
    y_putstr(b, id, "namespace", x->ns);
    y_putstr(b, spec, "location", r->name);
    ynode *net = y_putmap(b, spec, "networkSpec");
    ynode *subnets = y_putseq(b, net, "subnets");
    ynode *s = y_addmap(b, subnets);
    y_addstr(b, y_putseq(b, s, "cidrBlocks"), "10.0.0.0/24");
    y_putstr(b, s, "name", "control-plane-subnet");
    y_putstr(b, s, "role", "control-plane");
    s = y_addmap(b, subnets);
    y_addstr(b, y_putseq(b, s, "cidrBlocks"), "10.0.64.0/18");
    y_putstr(b, s, "name", "node-subnet");
    y_putstr(b, s, "role", "node");
    ynode *vnet = y_putmap(b, net, "vnet");
    y_addstr(b, y_putseq(b, vnet, "cidrBlocks"), G_NODE_NETWORK);
    y_putstr(b, vnet, "name", y_strf(b, "%s-vnet", x->c->name)->s);
    y_putstr(b, spec, "resourceGroup", x->c->name);
    return o;
}

static ynode *machine_template(capi *x, const char *name, const char *instance_type, bool cp)
{
    ybuild *b = x->b;
    ynode *o = obj(x, infra_version(x->p), machine_template_kind(x->p), name);
    ynode *spec = y_putmap(b, y_putmap(b, y_putmap(b, o, "spec"), "template"), "spec");
    if (x->p == KA_PROVIDER_AWS) {
        y_putstr(b, spec, "iamInstanceProfile", cp ? "control-plane.cluster-api-provider-aws.sigs.k8s.io"
                                                   : "nodes.cluster-api-provider-aws.sigs.k8s.io");
        /* IMDSv2 only, not reachable from pods (hop limit 1) */
        ynode *md = y_putmap(b, spec, "instanceMetadataOptions");
        y_putstr(b, md, "httpEndpoint", "enabled");
        y_putint(b, md, "httpPutResponseHopLimit", 1);
        y_putstr(b, md, "httpTokens", "required");
        y_putstr(b, spec, "instanceType", instance_type);
        ynode *rv = y_putmap(b, spec, "rootVolume");
        y_putbool(b, rv, "encrypted", true);
        y_putint(b, rv, "size", cp ? 100 : 120);
        y_putstr(b, rv, "type", "gp3");
        y_putstr(b, spec, "sshKeyName", "");
    } else {
        ynode *os = y_putmap(b, spec, "osDisk");
        y_putint(b, os, "diskSizeGB", cp ? 128 : 128);
        y_putstr(b, y_putmap(b, os, "managedDisk"), "storageAccountType", "Premium_LRS");
        y_putstr(b, os, "osType", "Linux");
        y_putstr(b, spec, "vmSize", instance_type);
    }
    return o;
}

/* kubelet flags of every node: the external cloud provider (in-tree ones are
 * gone since 1.31) and the node's own name as the provider reports it */
static void node_registration(capi *x, ynode *nr, const ka_spec_pool *pool)
{
    ybuild *b = x->b;
    ynode *args = y_putseq(b, nr, "kubeletExtraArgs");
    arg(x, args, "cloud-provider", "external");
    if (pool) {
        ka_buf l;
        ka_buf_init(&l);
        for (size_t i = 0; i < pool->nlabels; i++)
            ka_buf_printf(&l, "%s%s=%s", i ? "," : "", pool->labels[i].key, pool->labels[i].value);
        arg(x, args, "node-labels", ka_buf_cstr(&l));
        ka_buf_free(&l);
    }
    y_putstr(b, nr, "name", x->p == KA_PROVIDER_AWS ? "{{ ds.meta_data.local_hostname }}"
                                                    : "{{ ds.meta_data[\"local_hostname\"] }}");
    if (pool) {
        ynode *taints = y_putseq(b, nr, "taints");
        for (size_t i = 0; i < pool->ntaints; i++) {
            ynode *t = y_addmap(b, taints);
            y_putstr(b, t, "effect", ka_taint_effect_name(pool->taints[i].effect));
            y_putstr(b, t, "key", pool->taints[i].key);
            if (*pool->taints[i].value)
                y_putstr(b, t, "value", pool->taints[i].value);
        }
    }
}

/* ---- control plane ------------------------------------------------------------------- */

/* The audit policy (audit.k8s.io/v1): metadata for everything, no request
 * bodies of Secrets, ConfigMaps or token reviews; events of reads from the
 * kubelets and system components are dropped. */
static const char *audit_policy(capi *x)
{
    ybuild *b = x->b;
    ynode *p = y_map(b);
    y_putstr(b, p, "apiVersion", "audit.k8s.io/v1");
    y_putstr(b, p, "kind", "Policy");
    y_addstr(b, y_putseq(b, p, "omitStages"), "RequestReceived");
    ynode *rules = y_putseq(b, p, "rules");
    ynode *r = y_addmap(b, rules);
    y_putstr(b, r, "level", "None");
    y_addstr(b, y_putseq(b, r, "nonResourceURLs"), "/healthz*");
    y_addstr(b, y_get(r, "nonResourceURLs"), "/livez*");
    y_addstr(b, y_get(r, "nonResourceURLs"), "/readyz*");
    r = y_addmap(b, rules);
    y_putstr(b, r, "level", "Metadata");
    ynode *res = y_addmap(b, y_putseq(b, r, "resources"));
    y_putstr(b, res, "group", "");
    ynode *rs = y_putseq(b, res, "resources");
    y_addstr(b, rs, "configmaps");
    y_addstr(b, rs, "secrets");
    y_addstr(b, rs, "serviceaccounts/token");
    r = y_addmap(b, rules);
    y_putstr(b, r, "level", "Request");
    ynode *verbs = y_putseq(b, r, "verbs");
    y_addstr(b, verbs, "create");
    y_addstr(b, verbs, "delete");
    y_addstr(b, verbs, "deletecollection");
    y_addstr(b, verbs, "patch");
    y_addstr(b, verbs, "update");
    r = y_addmap(b, rules);
    y_putstr(b, r, "level", "Metadata");
    ka_buf out;
    ka_buf_init(&out);
    char err[128];
    if (y_emit(&p, 1, &out, err, sizeof err) < 0) {
        ka_diag_add(x->g->d, KA_DIAG_ERROR, x->unit, 0, 0, "%s", err);
        x->g->failed = true;
    }
    const char *s = y_str(b, ka_buf_cstr(&out))->s;
    ka_buf_free(&out);
    return s;
}

static void host_mount(capi *x, ynode *seq, const char *name, const char *path, bool ro,
                       const char *type)
{
    ynode *m = y_addmap(x->b, seq);
    y_putstr(x->b, m, "hostPath", path);
    y_putstr(x->b, m, "mountPath", path);
    y_putstr(x->b, m, "name", name);
    y_putstr(x->b, m, "pathType", type);
    y_putbool(x->b, m, "readOnly", ro);
}

static ynode *kubeadm_control_plane(capi *x, const char *name, const char *tmpl)
{
    ybuild *b = x->b;
    const ka_spec *s = x->g->s;
    const ka_spec_control_plane *cp = &s->control_plane;
    ynode *o = obj(x, CP_GROUP "/v1beta2", "KubeadmControlPlane", name);
    ynode *spec = y_putmap(b, o, "spec");
    ynode *kcs = y_putmap(b, spec, "kubeadmConfigSpec");
    ynode *cc = y_putmap(b, kcs, "clusterConfiguration");
    ynode *api = y_putmap(b, cc, "apiServer");
    ynode *aa = y_putseq(b, api, "extraArgs");
    arg(x, aa, "audit-log-maxage", "30");
    arg(x, aa, "audit-log-maxbackup", "10");
    arg(x, aa, "audit-log-maxsize", "100");
    arg(x, aa, "audit-log-path", "/var/log/kubernetes/audit/audit.log");
    arg(x, aa, "audit-policy-file", "/etc/kubernetes/audit-policy.yaml");
    arg(x, aa, "cloud-provider", "external");
    arg(x, aa, "profiling", "false");
    ynode *vols = y_putseq(b, api, "extraVolumes");
    host_mount(x, vols, "audit-log", "/var/log/kubernetes/audit", false, "DirectoryOrCreate");
    host_mount(x, vols, "audit-policy", "/etc/kubernetes/audit-policy.yaml", true, "File");
    ynode *cm = y_putseq(b, y_putmap(b, cc, "controllerManager"), "extraArgs");
    arg(x, cm, "cloud-provider", "external");
    arg(x, cm, "profiling", "false");
    ynode *etcd = y_putmap(b, cc, "etcd");
    if (cp->etcd == KA_ETCD_EXTERNAL) {
        ynode *ext = y_putmap(b, etcd, "external");
        y_putstr(b, ext, "caFile", "/etc/kubernetes/pki/etcd/ca.crt");
        y_putstr(b, ext, "certFile", "/etc/kubernetes/pki/apiserver-etcd-client.crt");
        ynode *eps = y_putseq(b, ext, "endpoints");
        for (size_t i = 0; i < cp->netcd_endpoints; i++)
            y_addstr(b, eps, cp->etcd_endpoints[i]);
        y_putstr(b, ext, "keyFile", "/etc/kubernetes/pki/apiserver-etcd-client.key");
    } else {
        ynode *ea = y_putseq(b, y_putmap(b, etcd, "local"), "extraArgs");
        /* keep the database well under its 2 GB default quota */
        arg(x, ea, "auto-compaction-mode", "periodic");
        arg(x, ea, "auto-compaction-retention", "8h");
        arg(x, ea, "quota-backend-bytes", "8589934592");
    }
    arg(x, y_putseq(b, y_putmap(b, cc, "scheduler"), "extraArgs"), "profiling", "false");
    ynode *f = y_addmap(b, y_putseq(b, kcs, "files"));
    y_putstr(b, f, "content", audit_policy(x))->literal = true;
    y_putstr(b, f, "owner", "root:root");
    y_putstr(b, f, "path", "/etc/kubernetes/audit-policy.yaml");
    y_putstr(b, f, "permissions", "0600");
    node_registration(x, y_putmap(b, y_putmap(b, kcs, "initConfiguration"), "nodeRegistration"),
                      NULL);
    node_registration(x, y_putmap(b, y_putmap(b, kcs, "joinConfiguration"), "nodeRegistration"),
                      NULL);
    ynode *mt = y_putmap(b, y_putmap(b, spec, "machineTemplate"), "spec");
    y_putint(b, y_putmap(b, mt, "deletion"), "nodeDrainTimeoutSeconds", 600);
    ref(x, mt, "infrastructureRef", INFRA_GROUP, machine_template_kind(x->p), tmpl);
    ynode *rem = y_putmap(b, spec, "remediation");
    y_putint(b, rem, "maxRetry", 3);
    y_putint(b, rem, "minHealthyPeriodSeconds", 3600);
    y_putint(b, rem, "retryPeriodSeconds", 300);
    y_putint(b, spec, "replicas", cp->replicas);
    ynode *ro = y_putmap(b, spec, "rollout");
    y_putint(b, y_putmap(b, ro, "before"), "certificatesExpiryDays", 21);
    ynode *st = y_putmap(b, ro, "strategy");
    /* one extra machine at a time keeps etcd quorum through upgrades */
    y_putint(b, y_putmap(b, st, "rollingUpdate"), "maxSurge", 1);
    y_putstr(b, st, "type", "RollingUpdate");
    y_putstr(b, spec, "version", s->kubernetes_version);
    return o;
}

static ynode *eks_control_plane(capi *x, const char *name)
{
    ybuild *b = x->b;
    const ka_spec *s = x->g->s;
    ynode *o = obj(x, CP_GROUP "/v1beta2", "AWSManagedControlPlane", name);
    ynode *spec = y_putmap(b, o, "spec");
    y_putbool(b, spec, "associateOIDCProvider", true);
    y_putstr(b, spec, "eksClusterName", x->c->name);
    ynode *ea = y_putmap(b, spec, "endpointAccess");
    y_putbool(b, ea, "private", true);
    y_putbool(b, ea, "public", true);
    ynode *lg = y_putmap(b, spec, "logging");
    y_putbool(b, lg, "apiServer", true);
    y_putbool(b, lg, "audit", true);
    y_putbool(b, lg, "authenticator", true);
    y_putbool(b, lg, "controllerManager", true);
    y_putbool(b, lg, "scheduler", true);
    aws_network(x, spec);
    y_putstr(b, spec, "region", x->c->region->name);
    y_putstr(b, spec, "sshKeyName", "");
    /* EKS takes major.minor */
    y_putstr(b, spec, "version", y_strf(b, "v1.%d", s->kube_minor)->s);
    return o;
}

/* ---- workers --------------------------------------------------------------------------- */

static void autoscaler_annotations(capi *x, ynode *meta, const ka_spec_pool *p)
{
    ybuild *b = x->b;
    if (!p->autoscaling)
        return;
    ynode *a = y_putmap(b, meta, "annotations");
    /* capacity lets the autoscaler scale a zone up from zero nodes */
    y_putstr(b, a, "capacity.cluster-autoscaler.kubernetes.io/cpu", p->capacity.cpu.text);
    ka_buf l;
    ka_buf_init(&l);
    for (size_t i = 0; i < p->nlabels; i++)
        ka_buf_printf(&l, "%s%s=%s", i ? "," : "", p->labels[i].key, p->labels[i].value);
    y_putstr(b, a, "capacity.cluster-autoscaler.kubernetes.io/labels", ka_buf_cstr(&l));
    ka_buf_reset(&l);
    y_putstr(b, a, "capacity.cluster-autoscaler.kubernetes.io/maxPods",
             y_strf(b, "%u", p->capacity.pods)->s);
    y_putstr(b, a, "capacity.cluster-autoscaler.kubernetes.io/memory", p->capacity.memory.text);
    if (p->ntaints) {
        for (size_t i = 0; i < p->ntaints; i++)
            ka_buf_printf(&l, "%s%s=%s:%s", i ? "," : "", p->taints[i].key, p->taints[i].value,
                          ka_taint_effect_name(p->taints[i].effect));
        y_putstr(b, a, "capacity.cluster-autoscaler.kubernetes.io/taints", ka_buf_cstr(&l));
    }
    ka_buf_free(&l);
    y_putstr(b, a, "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size",
             y_strf(b, "%u", p->max_per_zone)->s);
    y_putstr(b, a, "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size",
             y_strf(b, "%u", p->min_per_zone)->s);
}

static ynode *machine_deployment(capi *x, const ka_spec_pool *p, const char *zone)
{
    ybuild *b = x->b;
    const char *name = y_strf(b, "%s-%s-%s", x->c->name, p->name, zone)->s;
    const char *tmpl = y_strf(b, "%s-%s", x->c->name, p->name)->s;
    ynode *o = obj(x, CAPI, "MachineDeployment", name);
    ynode *meta = y_get(o, "metadata");
    y_putstr(b, y_get(meta, "labels"), "node-pool", p->name);
    autoscaler_annotations(x, meta, p);
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "clusterName", x->c->name);
    if (!p->autoscaling)
        y_putint(b, spec, "replicas", p->min_per_zone);
    ynode *st = y_putmap(b, y_putmap(b, spec, "rollout"), "strategy");
    ynode *ru = y_putmap(b, st, "rollingUpdate");
    y_putint(b, ru, "maxSurge", 1);
    y_putint(b, ru, "maxUnavailable", 0);
    y_putstr(b, st, "type", "RollingUpdate");
    ynode *ml = y_putmap(b, y_putmap(b, spec, "selector"), "matchLabels");
    y_putstr(b, ml, "cluster.x-k8s.io/cluster-name", x->c->name);
    y_putstr(b, ml, "cluster.x-k8s.io/deployment-name", name);
    ynode *tpl = y_putmap(b, spec, "template");
    ynode *tl = y_putmap(b, y_putmap(b, tpl, "metadata"), "labels");
    y_putstr(b, tl, "cluster.x-k8s.io/cluster-name", x->c->name);
    y_putstr(b, tl, "cluster.x-k8s.io/deployment-name", name);
    y_putstr(b, tl, "node-pool", p->name);
    ynode *ts = y_putmap(b, tpl, "spec");
    ref(x, y_putmap(b, ts, "bootstrap"), "configRef", BOOT_GROUP, "KubeadmConfigTemplate", tmpl);
    y_putstr(b, ts, "clusterName", x->c->name);
    y_putint(b, y_putmap(b, ts, "deletion"), "nodeDrainTimeoutSeconds", 600);
    y_putstr(b, ts, "failureDomain", zone);
    ref(x, ts, "infrastructureRef", INFRA_GROUP, machine_template_kind(x->p), tmpl);
    y_putstr(b, ts, "version", x->g->s->kubernetes_version);
    return o;
}

static ynode *kubeadm_config_template(capi *x, const ka_spec_pool *p)
{
    ybuild *b = x->b;
    ynode *o = obj(x, BOOT_GROUP "/v1beta2", "KubeadmConfigTemplate",
                   y_strf(b, "%s-%s", x->c->name, p->name)->s);
    ynode *spec = y_putmap(b, y_putmap(b, y_putmap(b, o, "spec"), "template"), "spec");
    node_registration(x, y_putmap(b, y_putmap(b, spec, "joinConfiguration"), "nodeRegistration"),
                      p);
    return o;
}

static void eks_pool(capi *x, const ka_spec_pool *p, const char *zone, ylist *l)
{
    ybuild *b = x->b;
    const char *name = y_strf(b, "%s-%s-%s", x->c->name, p->name, zone)->s;
    ynode *o = obj(x, CAPI, "MachinePool", name);
    ynode *meta = y_get(o, "metadata");
    y_putstr(b, y_get(meta, "labels"), "node-pool", p->name);
    autoscaler_annotations(x, meta, p);
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "clusterName", x->c->name);
    y_addstr(b, y_putseq(b, spec, "failureDomains"), zone);
    if (!p->autoscaling)
        y_putint(b, spec, "replicas", p->min_per_zone);
    ynode *ts = y_putmap(b, y_putmap(b, spec, "template"), "spec");
    y_putstr(b, y_putmap(b, ts, "bootstrap"), "dataSecretName", "");
    y_putstr(b, ts, "clusterName", x->c->name);
    ref(x, ts, "infrastructureRef", INFRA_GROUP, "AWSManagedMachinePool", name);
    /* Machine versions are full semantic versions (CAPI's webhook) */
    y_putstr(b, ts, "version", x->g->s->kubernetes_version);
    yl_add(x->g, l, o);

    o = obj(x, "infrastructure.cluster.x-k8s.io/v1beta2", "AWSManagedMachinePool", name);
    spec = y_putmap(b, o, "spec");
    y_addstr(b, y_putseq(b, spec, "availabilityZones"), zone);
    y_putint(b, spec, "diskSize", 120);
    y_putstr(b, spec, "instanceType", p->instance_type);
    ynode *lb = y_putmap(b, spec, "labels");
    for (size_t i = 0; i < p->nlabels; i++)
        y_putstr(b, lb, p->labels[i].key, p->labels[i].value);
    y_putbool(b, y_putmap(b, spec, "nodeRepairConfig"), "enabled", true);
    ynode *sc = y_putmap(b, spec, "scaling");
    y_putint(b, sc, "maxSize", p->max_per_zone);
    y_putint(b, sc, "minSize", p->min_per_zone);
    if (p->ntaints) {
        static const char *const eks_effect[] = { "no-schedule", "prefer-no-schedule", "no-execute" };
        ynode *ts2 = y_putseq(b, spec, "taints");
        for (size_t i = 0; i < p->ntaints; i++) {
            ynode *t = y_addmap(b, ts2);
            y_putstr(b, t, "effect", eks_effect[p->taints[i].effect]);
            y_putstr(b, t, "key", p->taints[i].key);
            y_putstr(b, t, "value", p->taints[i].value);
        }
    }
    y_putint(b, y_putmap(b, spec, "updateConfig"), "maxUnavailable", 1);
    yl_add(x->g, l, o);
}

static ynode *health_check(capi *x, bool cp)
{
    ybuild *b = x->b;
    ynode *o = obj(x, CAPI, "MachineHealthCheck",
                   y_strf(b, "%s-%s", x->c->name, cp ? "control-plane" : "workers")->s);
    ynode *spec = y_putmap(b, o, "spec");
    ynode *checks = y_putmap(b, spec, "checks");
    y_putint(b, checks, "nodeStartupTimeoutSeconds", 600);
    ynode *conds = y_putseq(b, checks, "unhealthyNodeConditions");
    static const char *const status[] = { "Unknown", "False" };
    for (int i = 0; i < 2; i++) {
        ynode *c = y_addmap(b, conds);
        y_putstr(b, c, "status", status[i]);
        y_putint(b, c, "timeoutSeconds", 300);
        y_putstr(b, c, "type", "Ready");
    }
    y_putstr(b, spec, "clusterName", x->c->name);
    if (!cp) {
        /* stop remediating when many workers fail at once: that is an outage
         * of the zone or the network, and new machines would fail too */
        y_putstr(b, y_putmap(b, y_putmap(b, spec, "remediation"), "triggerIf"),
                 "unhealthyLessThanOrEqualTo", "40%");
    }
    ynode *sel = y_putmap(b, spec, "selector");
    if (cp) {
        ynode *ml = y_putmap(b, sel, "matchLabels");
        y_putstr(b, ml, "cluster.x-k8s.io/cluster-name", x->c->name);
        y_putstr(b, ml, "cluster.x-k8s.io/control-plane", "");
    } else {
        ynode *me = y_addmap(b, y_putseq(b, sel, "matchExpressions"));
        y_putstr(b, me, "key", "node-pool");
        y_putstr(b, me, "operator", "Exists");
        y_putstr(b, y_putmap(b, sel, "matchLabels"), "cluster.x-k8s.io/cluster-name", x->c->name);
    }
    return o;
}

static void cluster_objs(capi *x)
{
    ybuild *b = x->b;
    const ka_spec *s = x->g->s;
    const ka_spec_cluster *c = x->c;
    const char *cp_name = y_strf(b, "%s-control-plane", c->name)->s;
    ylist l = { 0 };

    ynode *o = obj(x, CAPI, "Cluster", c->name);
    ynode *lbl = y_get(y_get(o, "metadata"), "labels");
    y_putstr(b, lbl, "kubearch.io/region", c->region->name);
    y_putstr(b, lbl, "kubearch.io/role", c->dr ? "dr" : "primary");
    ynode *spec = y_putmap(b, o, "spec");
    ynode *cn = y_putmap(b, spec, "clusterNetwork");
    y_addstr(b, y_putseq(b, y_putmap(b, cn, "pods"), "cidrBlocks"), s->net.pod_cidr);
    y_putstr(b, cn, "serviceDomain", "cluster.local");
    y_addstr(b, y_putseq(b, y_putmap(b, cn, "services"), "cidrBlocks"), s->net.service_cidr);
    ref(x, spec, "controlPlaneRef", CP_GROUP,
        x->managed ? "AWSManagedControlPlane" : "KubeadmControlPlane", cp_name);
    ref(x, spec, "infrastructureRef", INFRA_GROUP,
        x->p == KA_PROVIDER_AWS ? (x->managed ? "AWSManagedCluster" : "AWSCluster") : "AzureCluster",
        c->name);
    yl_add(x->g, &l, o);
    yl_add(x->g, &l, infra_cluster(x));
    g_file(x->g, x->unit, y_strf(b, "%s/cluster.yaml", x->dir)->s, &l);

    if (x->managed) {
        yl_add(x->g, &l, eks_control_plane(x, cp_name));
    } else {
        const char *it = s->control_plane.instance_type;
        if (!it)
            it = x->p == KA_PROVIDER_AWS ? "m6i.xlarge" : "Standard_D4s_v5";
        yl_add(x->g, &l, kubeadm_control_plane(x, cp_name, cp_name));
        yl_add(x->g, &l, machine_template(x, cp_name, it, true));
    }
    g_file(x->g, x->unit, y_strf(b, "%s/control-plane.yaml", x->dir)->s, &l);

    const ka_spec_region *r = c->region;
    for (size_t i = 0; i < r->npools; i++) {
        const ka_spec_pool *p = &r->pools[i];
        if (x->managed) {
            for (size_t z = 0; z < r->nzones; z++)
                eks_pool(x, p, r->zones[z], &l);
            continue;
        }
        yl_add(x->g, &l, machine_template(x, y_strf(b, "%s-%s", c->name, p->name)->s,
                                          p->instance_type, false));
        yl_add(x->g, &l, kubeadm_config_template(x, p));
        for (size_t z = 0; z < r->nzones; z++)
            yl_add(x->g, &l, machine_deployment(x, p, r->zones[z]));
    }
    g_file(x->g, x->unit, y_strf(b, "%s/workers.yaml", x->dir)->s, &l);

    if (!x->managed) {
        yl_add(x->g, &l, health_check(x, true));
        yl_add(x->g, &l, health_check(x, false));
        g_file(x->g, x->unit, y_strf(b, "%s/health-checks.yaml", x->dir)->s, &l);
    }
}

/* The namespace of the Cluster objects on the management cluster: PSA
 * restricted and default-deny (no pod runs in it). */
static void management_namespace(gctx *g, const char *ns)
{
    ybuild *b = &g->yb;
    ylist l = { 0 };
    ynode *meta, *o = y_object(b, "v1", "Namespace", NULL, ns, &meta);
    ynode *lb = y_putmap(b, meta, "labels");
    y_putstr(b, lb, "app.kubernetes.io/managed-by", KA_MANAGED_BY);
    y_putstr(b, lb, "app.kubernetes.io/part-of", g->s->name);
    static const char *const modes[] = { "audit", "enforce", "warn" };
    for (int i = 0; i < 3; i++) {
        y_putstr(b, lb, y_strf(b, "pod-security.kubernetes.io/%s", modes[i])->s, "restricted");
        y_putstr(b, lb, y_strf(b, "pod-security.kubernetes.io/%s-version", modes[i])->s,
                 y_strf(b, "v1.%d", g->s->kube_minor)->s);
    }
    yl_add(g, &l, o);
    o = y_object(b, "networking.k8s.io/v1", "NetworkPolicy", ns, "default-deny", &meta);
    g_labels(g, meta, NULL, "network-policy");
    ynode *spec = y_putmap(b, o, "spec");
    y_put(b, spec, "podSelector", y_map(b));
    ynode *t = y_putseq(b, spec, "policyTypes");
    y_addstr(b, t, "Ingress");
    y_addstr(b, t, "Egress");
    yl_add(g, &l, o);
    g_file(g, "management", "management/namespace.yaml", &l);

    /* deleting a Cluster object deletes the cluster: require an explicit
     * annotation first (ValidatingAdmissionPolicy, no engine needed) */
    o = y_object(b, "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", NULL,
                 "cluster-deletion-guard", &meta);
    g_labels(g, meta, NULL, "policy");
    spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "failurePolicy", "Fail");
    ynode *rr = y_addmap(b, y_putseq(b, y_putmap(b, spec, "matchConstraints"), "resourceRules"));
    y_addstr(b, y_putseq(b, rr, "apiGroups"), "cluster.x-k8s.io");
    y_addstr(b, y_putseq(b, rr, "apiVersions"), "v1beta2");
    y_addstr(b, y_putseq(b, rr, "operations"), "DELETE");
    y_addstr(b, y_putseq(b, rr, "resources"), "clusters");
    ynode *v = y_addmap(b, y_putseq(b, spec, "validations"));
    y_putstr(b, v, "expression", "has(oldObject.metadata.annotations) && "
                                 "'kubearch.io/allow-deletion' in oldObject.metadata.annotations "
                                 "&& oldObject.metadata.annotations['kubearch.io/allow-deletion'] "
                                 "== 'true'");
    y_putstr(b, v, "message", "annotate the Cluster kubearch.io/allow-deletion=true before "
                              "deleting it");
    y_putstr(b, v, "reason", "Forbidden");
    ylist p2 = { 0 };
    yl_add(g, &p2, o);
    o = y_object(b, "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", NULL,
                 "cluster-deletion-guard", &meta);
    g_labels(g, meta, NULL, "policy");
    spec = y_putmap(b, o, "spec");
    ynode *me = y_addmap(b, y_putseq(b, y_putmap(b, y_putmap(b, spec, "matchResources"),
                                                 "namespaceSelector"), "matchExpressions"));
    y_putstr(b, me, "key", "kubernetes.io/metadata.name");
    y_putstr(b, me, "operator", "In");
    y_addstr(b, y_putseq(b, me, "values"), ns);
    y_putstr(b, spec, "policyName", "cluster-deletion-guard");
    y_addstr(b, y_putseq(b, spec, "validationActions"), "Deny");
    yl_add(g, &p2, o);
    g_file(g, "management", "management/admission.yaml", &p2);
}

void ka__gen_capi(gctx *g)
{
    const ka_spec *s = g->s;
    const char *ns = g_capi_ns(g);
    /* Flux's Kustomizations live next to the clusters' kubeconfig Secrets */
    if (s->multicluster.provisioning == KA_PROVISION_CLUSTER_API ||
        s->multicluster.fleet == KA_FLEET_FLUX)
        management_namespace(g, ns);
    if (s->multicluster.provisioning != KA_PROVISION_CLUSTER_API)
        return;
    for (size_t i = 0; i < s->nclusters; i++) {
        const ka_spec_cluster *c = &s->clusters[i];
        capi x = { g, &g->yb, c, ns, "management", NULL, c->region->provider,
                   c->region->management == KA_MGMT_MANAGED };
        x.dir = y_strf(&g->yb, "management/%s", c->name)->s;
        cluster_objs(&x);
    }
}
