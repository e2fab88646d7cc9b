/*
 * rules_storage.c - STO-010..STO-013: StorageClass binding mode, volume
 * expansion, removed in-tree provisioners and the default class.
 * STO-014 (CSI parameters) is in rules_storage_csi.c.
 *
 * Kubernetes facts these rules rely on (storage.k8s.io/v1 StorageClass,
 * k8s.io/component-helpers/storage/volume):
 *   - volumeBindingMode defaults to Immediate: the volume is provisioned (or
 *     a local PV bound) as soon as the claim exists, before the scheduler has
 *     picked a node for the pod that uses it;
 *   - a class is the default when its annotation
 *     storageclass.kubernetes.io/is-default-class, or the beta
 *     storageclass.beta.kubernetes.io/is-default-class, is exactly "true";
 *     with several defaults the newest one is used;
 *   - the in-tree volume plugins were removed from Kubernetes; for the
 *     migrated ones the class's provisioner name is still served by the CSI
 *     driver (CSI migration), for the others nothing provisions at all.
 */
#include "storage_util.h"

#include <string.h>

/*=== shared helpers (storage_util.h) ====================================*/


const ka_node *ka_sto_params(const ka_object *sc)
{
    const ka_node *p = ka_get(sc->root, "parameters");
    return ka_is_map(p) ? p : NULL;
}

const ka_node *ka_sto_param(const ka_node *params, const char *key, const ka_node **keynode)
{
    for (uint32_t i = 0; ka_is_map(params) && i < ka_node_n(params); i++)
        if (ka_str_ieqc(ka_node_str(KA_MAP_KEY(params, i)), key)) {
            if (keynode)
                *keynode = KA_MAP_KEY(params, i);
            return KA_MAP_VAL(params, i);
        }
    return NULL;
}

/*=== provisioner facts ==================================================*/

/* Provisioners whose volumes are reachable from one zone only (zonal block
 * storage): provisioning before scheduling can strand the pod. */
static const char *const zonal_provisioners[] = {
    "ebs.csi.aws.com",
    "pd.csi.storage.gke.io",
    "disk.csi.azure.com",
    "cinder.csi.openstack.org",
    "csi.vsphere.vmware.com",
    "diskplugin.csi.alibabacloud.com",
    "blockvolume.csi.oraclecloud.com",
    "kubernetes.io/aws-ebs",
    "kubernetes.io/gce-pd",
    "kubernetes.io/azure-disk",
    "kubernetes.io/cinder",
    "kubernetes.io/vsphere-volume",
};

#define LOCAL_PROVISIONER "kubernetes.io/no-provisioner"

typedef struct intree {
    const char *name;
    const char *csi;   /* the CSI driver that replaces it, NULL when upstream names none */
    int removed;       /* the 1.x release without the plugin */
    bool migrated;     /* CSI migration serves the old provisioner name */
} intree;

static const intree intree_provisioners[] = {
    { "kubernetes.io/aws-ebs", "ebs.csi.aws.com", 27, true },
    { "kubernetes.io/azure-disk", "disk.csi.azure.com", 27, true },
    { "kubernetes.io/azure-file", "file.csi.azure.com", 30, true },
    { "kubernetes.io/cinder", "cinder.csi.openstack.org", 26, true },
    { "kubernetes.io/flocker", NULL, 25, false },
    { "kubernetes.io/gce-pd", "pd.csi.storage.gke.io", 28, true },
    { "kubernetes.io/glusterfs", NULL, 26, false },
    { "kubernetes.io/portworx-volume", "pxd.portworx.com", 36, true },
    { "kubernetes.io/quobyte", NULL, 25, false },
    { "kubernetes.io/rbd", "rbd.csi.ceph.com", 31, false },
    { "kubernetes.io/scaleio", NULL, 22, false },
    { "kubernetes.io/storageos", NULL, 25, false },
    { "kubernetes.io/vsphere-volume", "csi.vsphere.vmware.com", 30, true },
};

static bool in_list(ka_str s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_eqc(s, list[i]))
            return true;
    return false;
}

static const ka_node *provisioner(const ka_object *o)
{
    return ka_get(o->root, "provisioner");
}

/*=== STO-010 volumeBindingMode ==========================================*/

/* A zone-redundant Azure disk SKU (Premium_ZRS, StandardSSD_ZRS) attaches
 * from every zone of the region. */
static bool azure_zone_redundant(const ka_object *o)
{
    const ka_node *params = ka_sto_params(o);
    const ka_node *sku = ka_sto_param(params, "skuName", NULL);
    if (!sku)
        sku = ka_sto_param(params, "storageAccountType", NULL);
    ka_str s = ka_node_str(sku);
    return s.n >= 4 && ka_str_ieqc((ka_str){ s.p + s.n - 4, 4 }, "_zrs");
}

/* allowedTopologies pins the class to one zone: the volume and the pod both
 * end up there whatever the binding mode. */
static bool pinned_to_one_zone(const ka_object *o)
{
    const ka_node *terms = ka_get(o->root, "allowedTopologies");
    if (!ka_is_seq(terms) || ka_node_n(terms) != 1)
        return false;
    const ka_node *exprs = ka_get(KA_SEQ_ITEM(terms, 0), "matchLabelExpressions");
    for (uint32_t i = 0; ka_is_seq(exprs) && i < ka_node_n(exprs); i++) {
        const ka_node *e = KA_SEQ_ITEM(exprs, i);
        ka_str key = ka_node_str(ka_get(e, "key"));
        const ka_node *vals = ka_get(e, "values");
        if (key.n >= 5 && memcmp(key.p + key.n - 5, "/zone", 5) == 0 && ka_is_seq(vals) &&
            ka_node_n(vals) == 1)
            return true;
    }
    return false;
}

void ka_rule_sto010(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *prov = provisioner(o);
    ka_str p = ka_node_str(prov);
    bool local = ka_str_eqc(p, LOCAL_PROVISIONER);
    if (!local && !in_list(p, zonal_provisioners, sizeof zonal_provisioners / sizeof *zonal_provisioners))
        return;
    const ka_node *mode = ka_get(o->root, "volumeBindingMode");
    if (!ka_is_null(mode) && !ka_str_eqc(ka_node_str(mode), "Immediate"))
        return; /* WaitForFirstConsumer, or a value the API server rejects */
    if (!local && (pinned_to_one_zone(o) ||
                   (ka_str_eqc(p, "disk.csi.azure.com") && azure_zone_redundant(o))))
        return;
    const ka_node *at = ka_is_null(mode) ? prov : mode;
    const char *how = ka_is_null(mode) ? "volumeBindingMode is not set (Immediate)"
                                       : "volumeBindingMode is Immediate";
    if (local)
        ka_report(ctx, o, at, NULL,
                  "%s: claims bind to a local PersistentVolume before the pod is scheduled, "
                  "possibly on a node the pod cannot run on",
                  how);
    else
        ka_report(ctx, o, at, NULL,
                  "%s: %.*s creates the volume in a zone chosen before the pod is scheduled",
                  how, (int)p.n, p.p);
}

/*=== STO-011 allowVolumeExpansion =======================================*/

void ka_rule_sto011(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *prov = provisioner(o);
    if (ka_str_eqc(ka_node_str(prov), LOCAL_PROVISIONER))
        return; /* local volumes cannot grow whatever the class says */
    const ka_node *v = ka_get(o->root, "allowVolumeExpansion");
    if (ka_is_null(v))
        ka_report(ctx, o, prov, NULL, "allowVolumeExpansion is not set (false)");
    else if (ka_bool(v) == 0)
        ka_report(ctx, o, v, NULL, "allowVolumeExpansion is %s", ka_cstr(v));
    /* anything else is true, or not a boolean (the API server rejects it) */
}

/*=== STO-012 in-tree provisioners =======================================*/

void ka_rule_sto012(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *prov = provisioner(o);
    ka_str p = ka_node_str(prov);
    const intree *it = NULL;
    for (size_t i = 0; i < sizeof intree_provisioners / sizeof *intree_provisioners; i++)
        if (ka_str_eqc(p, intree_provisioners[i].name))
            it = &intree_provisioners[i];
    if (!it)
        return;
    char use[128];
    if (it->csi)
        snprintf(use, sizeof use, "use provisioner %s", it->csi);
    else
        snprintf(use, sizeof use, "use the storage system's CSI driver");
    bool removed = ctx->kube_major > 1 || ctx->kube_minor >= it->removed;
    if (!removed)
        ka_report_sev(ctx, KA_SEV_WARNING, o, prov, NULL,
                      "in-tree provisioner %s is deprecated and removed in Kubernetes 1.%d; %s",
                      it->name, it->removed, use);
    else if (it->migrated)
        ka_report(ctx, o, prov, NULL,
                  "in-tree provisioner %s was removed in Kubernetes 1.%d and works only through "
                  "CSI migration; %s",
                  it->name, it->removed, use);
    else
        ka_report(ctx, o, prov, NULL,
                  "in-tree provisioner %s was removed in Kubernetes 1.%d: nothing provisions "
                  "volumes of this class; %s",
                  it->name, it->removed, use);
}

/*=== STO-013 default StorageClass =======================================*/

static const ka_node *default_annotation(const ka_object *o)
{
    static const char *const keys[] = { "storageclass.kubernetes.io/is-default-class",
                                        "storageclass.beta.kubernetes.io/is-default-class" };
    const ka_node *ann = ka_get(o->meta, "annotations");
    for (size_t i = 0; i < 2; i++) {
        const ka_node *v = ka_get(ann, keys[i]);
        if (ka_is_scalar(v) && strcmp(v->u.s, "true") == 0)
            return v;
    }
    return NULL;
}

void ka_setrule_sto013(ka_ctx *ctx, const ka_objset *s)
{
    ka_objlist l = ka_objset_by_kind(s, "StorageClass");
    if (!l.n)
        return;
    /* The same class may come twice (a base and an overlay): count names,
     * each by the object the name index keeps. */
    size_t classes = 0, defaults = 0;
    ka_buf names;
    ka_buf_init(&names);
    for (size_t i = 0; i < l.n; i++) {
        const ka_object *o = l.v[i];
        if (ka_objset_find(s, "StorageClass", o->ns, o->name) != o)
            continue;
        classes++;
        if (default_annotation(o)) {
            ka_buf_printf(&names, "%s%.*s", defaults ? ", " : "", (int)o->name.n, o->name.p);
            defaults++;
        }
    }
    if (defaults == 0) {
        const ka_object *first = l.v[0];
        for (size_t i = 1; i < l.n; i++)
            if (l.v[i]->index < first->index)
                first = l.v[i];
        ka_report(ctx, first, NULL, NULL,
                  "none of the %zu StorageClasses is marked default: claims without "
                  "storageClassName stay Pending",
                  classes);
    } else if (defaults > 1) {
        for (size_t i = 0; i < l.n; i++) {
            const ka_object *o = l.v[i];
            const ka_node *v = default_annotation(o);
            if (v && ka_objset_find(s, "StorageClass", o->ns, o->name) == o)
                ka_report(ctx, o, v, NULL,
                          "%zu StorageClasses are marked default (%s): the newest one wins",
                          defaults, ka_buf_cstr(&names));
        }
    }
    ka_buf_free(&names);
}
