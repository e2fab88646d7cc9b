/*
 * rules_storage_csi.c - STO-014: StorageClass parameters that the CSI
 * driver (or the external-provisioner sidecar in front of it) rejects, so
 * that no volume of the class is ever provisioned.
 *
 * Only three drivers are judged, from their CreateVolume parameter parsing
 * (read for facts, nothing copied):
 *   ebs.csi.aws.com        aws-ebs-csi-driver pkg/driver/controller.go and
 *                          pkg/cloud/cloud.go, docs/parameters.md; keys are
 *                          compared lower-cased, tagSpecification* as written;
 *                          EC2 itself refuses io1/io2 without IOPS, IOPS on
 *                          gp2/sc1/st1/standard, and IOPS below the minimum
 *   pd.csi.storage.gke.io  gcp-compute-persistent-disk-csi-driver
 *                          pkg/parameters/parameters.go; keys lower-cased,
 *                          anything unknown (fsType included) is an error
 *   disk.csi.azure.com     azuredisk-csi-driver pkg/azureutils (ParseDiskParameters,
 *                          Normalize*); keys lower-cased, values compared as
 *                          written
 * Every other provisioner is left alone: parameters are opaque to Kubernetes.
 *
 * In front of each driver the external-provisioner (controller.go) strips the
 * keys under csi.storage.k8s.io/, rejects the ones it does not know, and
 * refuses a class that sets the file system type twice (fsType in any case,
 * and csi.storage.k8s.io/fstype).
 */
#include "storage_util.h"
#include "kubearch/quantity.h"

#include <string.h>

#define RESERVED_PREFIX "csi.storage.k8s.io/"

/* Keys under csi.storage.k8s.io/ that the external-provisioner accepts in a class. */
static const char *const reserved_keys[] = {
    "csi.storage.k8s.io/fstype",
    "csi.storage.k8s.io/secret-name",
    "csi.storage.k8s.io/secret-namespace",
    "csi.storage.k8s.io/provisioner-secret-name",
    "csi.storage.k8s.io/provisioner-secret-namespace",
    "csi.storage.k8s.io/controller-publish-secret-name",
    "csi.storage.k8s.io/controller-publish-secret-namespace",
    "csi.storage.k8s.io/node-stage-secret-name",
    "csi.storage.k8s.io/node-stage-secret-namespace",
    "csi.storage.k8s.io/node-publish-secret-name",
    "csi.storage.k8s.io/node-publish-secret-namespace",
    "csi.storage.k8s.io/controller-expand-secret-name",
    "csi.storage.k8s.io/controller-expand-secret-namespace",
    "csi.storage.k8s.io/node-expand-secret-name",
    "csi.storage.k8s.io/node-expand-secret-namespace",
    "csi.storage.k8s.io/controller-modify-secret-name",
    "csi.storage.k8s.io/controller-modify-secret-namespace",
};

#define NELEM(a) (sizeof(a) / sizeof *(a))

/*=== small parsers with Go's semantics ==================================*/

/* strconv.ParseInt(s, 10, bits): optional sign, decimal digits, in range. */
static bool go_int(ka_str s, int bits, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < s.n && (s.p[i] == '+' || s.p[i] == '-'))
        neg = s.p[i++] == '-';
    if (i == s.n)
        return false;
    uint64_t lim = bits == 32 ? (neg ? 2147483648u : 2147483647u)
                              : (neg ? 9223372036854775808u : 9223372036854775807u);
    uint64_t v = 0;
    for (; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        unsigned d = (unsigned)(s.p[i] - '0');
        if (v > (lim - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (out)
        *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* strconv.ParseBool */
static bool go_bool(ka_str s)
{
    static const char *const ok[] = { "1", "t", "T", "TRUE", "true", "True",
                                      "0", "f", "F", "FALSE", "false", "False" };
    for (size_t i = 0; i < NELEM(ok); i++)
        if (ka_str_eqc(s, ok[i]))
            return true;
    return false;
}

static bool is_alnum_str(ka_str s)
{
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return false;
    }
    return true;
}

static bool in_ci(ka_str s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_ieqc(s, list[i]))
            return true;
    return false;
}

static bool in_exact(ka_str s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_eqc(s, list[i]))
            return true;
    return false;
}

static bool has_prefix(ka_str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

/*=== the class being checked ============================================*/

typedef struct sc {
    ka_ctx *ctx;
    const ka_object *o;
    const ka_node *params;
    const char *driver; /* for messages */
} sc;

#define KEY(p, i) KA_MAP_KEY((p)->params, i)
#define VAL(p, i) KA_MAP_VAL((p)->params, i)
#define KSTR(p, i) ka_node_str(KEY(p, i))
#define VSTR(p, i) ka_node_str(VAL(p, i))

/* The value of the parameter spelled exactly key (drivers that index the map
 * directly), or NULL. */
static const ka_node *exact(const sc *p, const char *key)
{
    return ka_get(p->params, key);
}

static void unknown_key(const sc *p, uint32_t i)
{
    ka_str k = KSTR(p, i);
    ka_report(p->ctx, p->o, KEY(p, i), NULL, "%s rejects the unknown parameter %.*s", p->driver,
              (int)k.n, k.p);
}

static void bad_value(const sc *p, uint32_t i, const char *why)
{
    ka_str k = KSTR(p, i), v = VSTR(p, i);
    ka_report(p->ctx, p->o, VAL(p, i), NULL, "%s rejects %.*s \"%.*s\": %s", p->driver, (int)k.n,
              k.p, (int)v.n, v.p, why);
}

/*=== the external-provisioner ===========================================*/

/* Returns the number of file system type keys. */
static int check_provisioner_keys(const sc *p)
{
    int fstypes = 0;
    for (uint32_t i = 0; i < ka_node_n(p->params); i++) {
        ka_str k = KSTR(p, i);
        bool fs = ka_str_ieqc(k, "fstype") || ka_str_eqc(k, RESERVED_PREFIX "fstype");
        if (fs && ++fstypes == 2)
            ka_report(p->ctx, p->o, KEY(p, i), NULL,
                      "the file system type is set twice (fsType and %sfstype): the "
                      "external-provisioner refuses to provision",
                      RESERVED_PREFIX);
        if (has_prefix(k, RESERVED_PREFIX) && !in_exact(k, reserved_keys, NELEM(reserved_keys)))
            ka_report(p->ctx, p->o, KEY(p, i), NULL,
                      "%.*s is not a parameter the external-provisioner knows under %s: it "
                      "refuses to provision",
                      (int)k.n, k.p, RESERVED_PREFIX);
    }
    return fstypes;
}

/* The file system type the volume is formatted with, "" when defaulted. */
static ka_str fs_type(const sc *p)
{
    const ka_node *v = exact(p, RESERVED_PREFIX "fstype");
    if (!v)
        v = ka_sto_param(p->params, "fstype", NULL);
    return ka_node_str(v);
}

/*=== ebs.csi.aws.com ====================================================*/

enum {
    EBS_TYPE, EBS_IOPSPERGB, EBS_AUTOINC, EBS_AUTOINC_MODIFY, EBS_IOPS, EBS_INITRATE,
    EBS_THROUGHPUT, EBS_ENCRYPTED, EBS_KMS, EBS_BLOCKEXPRESS, EBS_BLOCKSIZE, EBS_INODESIZE,
    EBS_BYTESPERINODE, EBS_NUMINODES, EBS_BIGALLOC, EBS_CLUSTERSIZE, EBS_FSCRYPT,
    EBS_ATTACH_INIT, EBS_FSTYPE, EBS_NKEYS
};

static const char *const ebs_keys[EBS_NKEYS] = {
    "type", "iopsPerGB", "allowAutoIOPSPerGBIncrease", "allowAutoIOPSIncreaseOnModify", "iops",
    "volumeInitializationRate", "throughput", "encrypted", "kmsKeyId", "blockExpress",
    "blockSize", "inodeSize", "bytesPerInode", "numberOfInodes", "ext4BigAlloc",
    "ext4ClusterSize", "ext4EncryptionSupport", "blockAttachUntilInitialized", "fsType",
};

static const char *const ebs_types[] = { "io1", "io2", "gp2", "gp3", "sc1", "st1", "standard",
                                         "sbp1", "sbg1" };

/* Formatting options each file system cannot take (FileSystemConfigs). */
static bool ebs_fs_refuses(ka_str fs, int key)
{
    bool ext4only = key == EBS_BIGALLOC || key == EBS_CLUSTERSIZE || key == EBS_FSCRYPT;
    if (ka_str_eqc(fs, "ext3"))
        return ext4only;
    if (ka_str_eqc(fs, "xfs"))
        return ext4only || key == EBS_BYTESPERINODE || key == EBS_NUMINODES;
    if (ka_str_eqc(fs, "ntfs"))
        return ext4only || key == EBS_BLOCKSIZE || key == EBS_INODESIZE ||
               key == EBS_BYTESPERINODE || key == EBS_NUMINODES;
    return false;
}

/* Is the option in effect (booleans only when exactly "true", as the driver reads them)? */
static bool ebs_option_set(int key, ka_str v)
{
    if (key == EBS_BIGALLOC || key == EBS_FSCRYPT)
        return ka_str_eqc(v, "true");
    return v.n > 0;
}

static void check_ebs_iops(const sc *p, const int *at)
{
    int64_t iops = 0, per_gb = 0;
    if (at[EBS_IOPS] >= 0 && !go_int(VSTR(p, at[EBS_IOPS]), 32, &iops))
        iops = 0;
    if (at[EBS_IOPSPERGB] >= 0 && !go_int(VSTR(p, at[EBS_IOPSPERGB]), 32, &per_gb))
        per_gb = 0;
    if (iops > 0 && per_gb > 0)
        ka_report(p->ctx, p->o, KEY(p, at[EBS_IOPSPERGB]), NULL,
                  "%s rejects iops together with iopsPerGB: set one of them", p->driver);
    ka_str type = at[EBS_TYPE] >= 0 ? VSTR(p, at[EBS_TYPE]) : KA_STR("gp3");
    if (!type.n)
        type = KA_STR("gp3"); /* the driver's default */
    if (!in_ci(type, ebs_types, NELEM(ebs_types))) {
        bad_value(p, (uint32_t)at[EBS_TYPE], "EC2 has no such volume type (io1, io2, gp2, gp3, "
                                             "sc1, st1, standard)");
        return;
    }
    bool provisioned = ka_str_ieqc(type, "io1") || ka_str_ieqc(type, "io2");
    bool fixed = ka_str_ieqc(type, "gp2") || ka_str_ieqc(type, "sc1") || ka_str_ieqc(type, "st1") ||
                 ka_str_ieqc(type, "standard");
    if (provisioned && iops <= 0 && per_gb <= 0)
        ka_report(p->ctx, p->o, VAL(p, at[EBS_TYPE]), NULL,
                  "type %.*s needs iops or iopsPerGB: EC2 requires provisioned IOPS for io1 and "
                  "io2 volumes",
                  (int)type.n, type.p);
    if (fixed && (iops > 0 || per_gb > 0)) {
        int k = iops > 0 ? EBS_IOPS : EBS_IOPSPERGB;
        ka_report(p->ctx, p->o, KEY(p, at[k]), NULL,
                  "EC2 does not accept IOPS for %.*s volumes; drop %s or use gp3, io1 or io2",
                  (int)type.n, type.p, ebs_keys[k]);
    }
    bool raise = at[EBS_AUTOINC] >= 0 && ka_str_eqc(VSTR(p, at[EBS_AUTOINC]), "true");
    int64_t min = ka_str_ieqc(type, "gp3") ? 3000 : provisioned ? 100 : 0;
    if (iops > 0 && iops < min && !raise)
        ka_report(p->ctx, p->o, VAL(p, at[EBS_IOPS]), NULL,
                  "iops %lld is below the %.*s minimum of %lld: EC2 rejects the volume (or set "
                  "allowAutoIOPSPerGBIncrease: \"true\")",
                  (long long)iops, (int)type.n, type.p, (long long)min);
}

static void check_ebs(const sc *p, int fstypes)
{
    int at[EBS_NKEYS];
    for (int k = 0; k < EBS_NKEYS; k++)
        at[k] = -1;
    for (uint32_t i = 0; i < ka_node_n(p->params); i++) {
        ka_str k = KSTR(p, i);
        if (has_prefix(k, RESERVED_PREFIX) || has_prefix(k, "tagSpecification") ||
            !ka_is_scalar(VAL(p, i)))
            continue; /* the sidecar's keys; tags (prefix compared as written); values the
                         API server already refuses (parameters are strings) */
        int key = -1;
        for (int j = 0; j < EBS_NKEYS && key < 0; j++)
            if (ka_str_ieqc(k, ebs_keys[j]))
                key = j;
        if (key < 0) {
            unknown_key(p, i);
            continue;
        }
        at[key] = (int)i;
        ka_str v = VSTR(p, i);
        if ((key == EBS_IOPS || key == EBS_IOPSPERGB || key == EBS_THROUGHPUT ||
             key == EBS_INITRATE) && !go_int(v, 32, NULL))
            bad_value(p, i, "not a 32-bit integer");
        if ((key == EBS_BLOCKSIZE || key == EBS_INODESIZE || key == EBS_BYTESPERINODE ||
             key == EBS_NUMINODES || key == EBS_CLUSTERSIZE) && !is_alnum_str(v))
            bad_value(p, i, "only letters and digits are accepted");
    }
    check_ebs_iops(p, at);
    if (at[EBS_CLUSTERSIZE] >= 0 && VSTR(p, at[EBS_CLUSTERSIZE]).n &&
        !(at[EBS_BIGALLOC] >= 0 && ka_str_eqc(VSTR(p, at[EBS_BIGALLOC]), "true")))
        ka_report(p->ctx, p->o, KEY(p, at[EBS_CLUSTERSIZE]), NULL,
                  "%s rejects ext4ClusterSize unless ext4BigAlloc is \"true\"", p->driver);
    ka_str fs = fs_type(p);
    for (int k = 0; k < EBS_NKEYS; k++)
        if (at[k] >= 0 && ebs_fs_refuses(fs, k) && ebs_option_set(k, VSTR(p, at[k])))
            ka_report(p->ctx, p->o, KEY(p, at[k]), NULL, "%s rejects %s with fstype %.*s",
                      p->driver, ebs_keys[k], (int)fs.n, fs.p);
    if (at[EBS_FSTYPE] >= 0 && fstypes == 1)
        ka_report_sev(p->ctx, KA_SEV_WARNING, p->o, KEY(p, at[EBS_FSTYPE]), NULL,
                      "%.*s is deprecated (still read by the external-provisioner); use "
                      "csi.storage.k8s.io/fstype",
                      (int)KSTR(p, at[EBS_FSTYPE]).n, KSTR(p, at[EBS_FSTYPE]).p);
}

/*=== pd.csi.storage.gke.io ==============================================*/

static const char *const gce_keys[] = {
    "type", "replication-type", "disk-encryption-kms-key", "labels",
    "provisioned-iops-on-create", "provisioned-throughput-on-create", "availability-class",
    "enable-confidential-storage", "storage-pools", "data-cache-size", "data-cache-mode",
    "resource-tags", "enable-multi-zone-provisioning", "access-mode", "use-allowed-disk-topology",
    "hyperdisk-type", "pd-type", "disk-type-preference",
};

static bool quantity_ok(ka_str v, bool nonneg)
{
    ka_quantity q;
    int r = ka_quantity_parse(v, &q);
    if (r == KA_QUANTITY_ETOOLONG)
        return true;
    return r == 0 && !(nonneg && q.neg);
}

static void check_gce_value(const sc *p, uint32_t i)
{
    ka_str k = KSTR(p, i), v = VSTR(p, i);
    if (ka_str_ieqc(k, "replication-type")) {
        if (v.n && !ka_str_ieqc(v, "none") && !ka_str_ieqc(v, "regional-pd"))
            bad_value(p, i, "replication-type is none or regional-pd");
    } else if (ka_str_ieqc(k, "availability-class")) {
        if (!ka_str_ieqc(v, "none") && !ka_str_ieqc(v, "regional-hard-failover"))
            bad_value(p, i, "availability-class is none or regional-hard-failover");
    } else if (ka_str_ieqc(k, "enable-confidential-storage") ||
               ka_str_ieqc(k, "enable-multi-zone-provisioning")) {
        if (!ka_str_ieqc(v, "true") && !ka_str_ieqc(v, "false"))
            bad_value(p, i, "expected true or false");
        else if (ka_str_ieqc(k, "enable-confidential-storage") && ka_str_ieqc(v, "true") &&
                 !ka_len(exact(p, "disk-encryption-kms-key")))
            ka_report(p->ctx, p->o, KEY(p, i), NULL,
                      "%s requires disk-encryption-kms-key for confidential storage", p->driver);
    } else if (ka_str_ieqc(k, "provisioned-iops-on-create")) {
        if (!quantity_ok(v, false))
            bad_value(p, i, "not a quantity");
    } else if (ka_str_ieqc(k, "provisioned-throughput-on-create") ||
               ka_str_ieqc(k, "data-cache-size")) {
        if (!quantity_ok(v, true))
            bad_value(p, i, "not a non-negative quantity");
    } else if (ka_str_ieqc(k, "hyperdisk-type") || ka_str_ieqc(k, "pd-type") ||
               ka_str_ieqc(k, "disk-type-preference")) {
        if (ka_str_ieqc(k, "disk-type-preference") && v.n && !ka_str_ieqc(v, "hyperdisk-type") &&
            !ka_str_ieqc(v, "pd-type"))
            bad_value(p, i, "disk-type-preference is hyperdisk-type or pd-type");
        else if (!ka_str_ieqc(ka_node_str(exact(p, "type")), "dynamic"))
            ka_report(p->ctx, p->o, KEY(p, i), NULL, "%s accepts %.*s only with type: dynamic",
                      p->driver, (int)k.n, k.p);
    }
}

static void check_gce(const sc *p)
{
    for (uint32_t i = 0; i < ka_node_n(p->params); i++) {
        ka_str k = KSTR(p, i);
        if (has_prefix(k, RESERVED_PREFIX) || ka_str_eqc(k, "csiProvisionerSecretName") ||
            ka_str_eqc(k, "csiProvisionerSecretNamespace") || !ka_is_scalar(VAL(p, i)))
            continue; /* the sidecar's keys; the two the driver skips as written */
        if (ka_str_ieqc(k, "fstype"))
            ka_report(p->ctx, p->o, KEY(p, i), NULL,
                      "%s rejects the parameter %.*s: use csi.storage.k8s.io/fstype", p->driver,
                      (int)k.n, k.p);
        else if (!in_ci(k, gce_keys, NELEM(gce_keys)))
            unknown_key(p, i);
        else
            check_gce_value(p, i);
    }
}

/*=== disk.csi.azure.com =================================================*/

static const char *const azure_keys[] = {
    "skuName", "location", "storageAccountType", "cachingMode", "subscriptionID",
    "resourceGroup", "DiskIOPSReadWrite", "DiskMBpsReadWrite", "LogicalSectorSize", "diskName",
    "diskEncryptionSetID", "diskEncryptionType", "tags", "writeAcceleratorEnabled", "maxShares",
    "fsType", "kind", "perfProfile", "networkAccessPolicy", "publicNetworkAccess",
    "diskAccessID", "enableBursting", "userAgent", "enableAsyncAttach", "zoned",
    "enablePerformancePlus", "attachDiskInitialDelay", "tagValueDelimiter",
};

static const char *const azure_skus[] = { "Premium_LRS", "PremiumV2_LRS", "Premium_ZRS",
                                          "Standard_LRS", "StandardSSD_LRS", "StandardSSD_ZRS",
                                          "UltraSSD_LRS" };
static const char *const azure_caching[] = { "None", "ReadOnly", "ReadWrite" };
static const char *const azure_encryption[] = { "EncryptionAtRestWithCustomerKey",
                                                "EncryptionAtRestWithPlatformAndCustomerKeys",
                                                "EncryptionAtRestWithPlatformKey" };
static const char *const azure_network[] = { "AllowAll", "AllowPrivate", "DenyAll" };
static const char *const azure_public[] = { "Enabled", "Disabled" };

/* A value that must be one of list exactly as written (empty: the default). */
static void azure_enum(const sc *p, uint32_t i, const char *const *list, size_t n,
                       const char *why)
{
    ka_str v = VSTR(p, i);
    if (v.n && !in_exact(v, list, n))
        bad_value(p, i, why);
}

static void check_azure_value(const sc *p, uint32_t i)
{
    ka_str k = KSTR(p, i), v = VSTR(p, i);
    int64_t n;
    if (ka_str_ieqc(k, "skuName") || ka_str_ieqc(k, "storageAccountType"))
        azure_enum(p, i, azure_skus, NELEM(azure_skus),
                   "not a disk SKU (Standard_LRS, Premium_LRS, StandardSSD_LRS, UltraSSD_LRS, "
                   "Premium_ZRS, StandardSSD_ZRS, PremiumV2_LRS; case matters)");
    else if (ka_str_ieqc(k, "cachingMode"))
        azure_enum(p, i, azure_caching, NELEM(azure_caching), "cachingMode is None, ReadOnly or ReadWrite");
    else if (ka_str_ieqc(k, "diskEncryptionType"))
        azure_enum(p, i, azure_encryption, NELEM(azure_encryption), "not a disk encryption type");
    else if (ka_str_ieqc(k, "networkAccessPolicy"))
        azure_enum(p, i, azure_network, NELEM(azure_network),
                   "networkAccessPolicy is AllowAll, AllowPrivate or DenyAll");
    else if (ka_str_ieqc(k, "publicNetworkAccess"))
        azure_enum(p, i, azure_public, NELEM(azure_public), "publicNetworkAccess is Enabled or Disabled");
    else if (ka_str_ieqc(k, "DiskIOPSReadWrite") || ka_str_ieqc(k, "DiskMBpsReadWrite") ||
             ka_str_ieqc(k, "LogicalSectorSize") || ka_str_ieqc(k, "attachDiskInitialDelay")) {
        if (!go_int(v, 64, NULL))
            bad_value(p, i, "not an integer");
    } else if (ka_str_ieqc(k, "maxShares")) {
        if (!go_int(v, 64, &n) || n < 1)
            bad_value(p, i, "maxShares is an integer of at least 1");
    } else if (ka_str_ieqc(k, "perfProfile")) {
        if (!ka_str_ieqc(v, "none") && !ka_str_ieqc(v, "basic") && !ka_str_ieqc(v, "advanced"))
            bad_value(p, i, "perfProfile is none, basic or advanced");
    } else if (ka_str_ieqc(k, "enablePerformancePlus")) {
        if (!go_bool(v))
            bad_value(p, i, "expected true or false");
    }
}

static void check_azure(const sc *p)
{
    for (uint32_t i = 0; i < ka_node_n(p->params); i++) {
        ka_str k = KSTR(p, i);
        if (has_prefix(k, RESERVED_PREFIX) || has_prefix(k, "device-setting/") ||
            !ka_is_scalar(VAL(p, i)))
            continue; /* the sidecar's keys; device settings (prefix compared as written) */
        if (!in_ci(k, azure_keys, NELEM(azure_keys)))
            unknown_key(p, i);
        else
            check_azure_value(p, i);
    }
    /* PremiumV2_LRS disks take no host caching */
    const ka_node *sku = ka_sto_param(p->params, "skuName", NULL);
    if (!sku)
        sku = ka_sto_param(p->params, "storageAccountType", NULL);
    const ka_node *cache = ka_sto_param(p->params, "cachingMode", NULL);
    ka_str c = ka_node_str(cache);
    if (ka_str_ieqc(ka_node_str(sku), "PremiumV2_LRS") && c.n && !ka_str_ieqc(c, "None"))
        ka_report(p->ctx, p->o, cache, NULL,
                  "%s rejects cachingMode %.*s for PremiumV2_LRS disks (only None)", p->driver,
                  (int)c.n, c.p);
}

/*=== STO-014 ============================================================*/

void ka_rule_sto014(ka_ctx *ctx, const ka_object *o)
{
    ka_str prov = ka_node_str(ka_get(o->root, "provisioner"));
    sc p = { ctx, o, ka_sto_params(o), NULL };
    if (ka_str_eqc(prov, "ebs.csi.aws.com"))
        p.driver = "the EBS CSI driver";
    else if (ka_str_eqc(prov, "pd.csi.storage.gke.io"))
        p.driver = "the GCE PD CSI driver";
    else if (ka_str_eqc(prov, "disk.csi.azure.com"))
        p.driver = "the Azure Disk CSI driver";
    if (!p.driver || !p.params)
        return;
    int fstypes = check_provisioner_keys(&p);
    if (ka_str_eqc(prov, "ebs.csi.aws.com"))
        check_ebs(&p, fstypes);
    else if (ka_str_eqc(prov, "pd.csi.storage.gke.io"))
        check_gce(&p);
    else
        check_azure(&p);
}
