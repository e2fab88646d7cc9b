/*
 * rules_security.c - security context, capabilities, host namespaces, host
 * ports and hostPath volumes, ServiceAccount tokens and namespace Pod
 * Security labels (SEC-001 .. SEC-027; SEC-025 is in rules_secrets.c).
 *
 * Kubernetes facts these rules rely on (k8s.io/api core/v1, pod-security-
 * admission policy checks, pkg/apis/core/validation):
 *   - privileged, allowPrivilegeEscalation, capabilities and
 *     readOnlyRootFilesystem exist only in the container securityContext;
 *     the same keys in the pod securityContext are not fields and are ignored.
 *   - runAsUser, runAsGroup, runAsNonRoot and seccompProfile exist on both;
 *     a container value overrides the pod value.
 *   - Pods with spec.os.name: windows may not set the Linux-only fields
 *     (validation rejects them) and Pod Security Admission skips its
 *     allowPrivilegeEscalation, capabilities and seccomp checks for them; the
 *     rules that fire on a missing Linux-only field skip those pods.
 *   - Container runtimes apply capabilities in this order: add ALL, drop ALL,
 *     add each named capability, drop each named capability.
 */
#include "rule.h"

#include <string.h>

/*=== helpers ============================================================*/


static const ka_node *pod_spec(const ka_object *o)
{
    return o->pod ? o->pod->spec : NULL;
}


static bool is_windows(const ka_object *o)
{
    return ka_str_ieqc(ka_node_str(ka_path(pod_spec(o), "os", "name", NULL)), "windows");
}

/* A field's value, or NULL when absent or null. */
static const ka_node *field(const ka_node *m, const char *key)
{
    const ka_node *v = ka_get(m, key);
    return ka_is_null(v) ? NULL : v;
}

static const ka_node *container_sc(const ka_container *c)
{
    const ka_node *sc = ka_get(c->node, "securityContext");
    return ka_is_map(sc) ? sc : NULL;
}

static const ka_node *pod_sc(const ka_object *o)
{
    const ka_node *sc = ka_get(pod_spec(o), "securityContext");
    return ka_is_map(sc) ? sc : NULL;
}

/* A field that exists on both levels: the container's value wins. */
static const ka_node *effective(const ka_object *o, const ka_container *c, const char *key)
{
    const ka_node *v = field(container_sc(c), key);
    return v ? v : field(pod_sc(o), key);
}

/* Where a missing container field should be added: the key node of the
 * deepest existing mapping along keys (e.g. "securityContext", then
 * "capabilities"), else the container itself. */
static const ka_node *missing_at(const ka_container *c, const char *k1, const char *k2)
{
    const ka_node *at = c->node;
    const ka_node *m = c->node;
    const char *keys[2] = { k1, k2 };
    for (size_t i = 0; i < 2 && keys[i]; i++) {
        const ka_node *key = ka_get_key(m, keys[i]);
        const ka_node *val = ka_get(m, keys[i]);
        if (!key)
            break;
        at = key;
        if (!ka_is_map(val))
            break;
        m = val;
    }
    return at;
}

/* Capability name comparison: case-insensitive, optional CAP_ prefix. */
static bool cap_is(const ka_node *item, const char *name)
{
    ka_str s = ka_node_str(item);
    if (s.n > 4 && ka_str_ieqc((ka_str){ s.p, 4 }, "cap_"))
        s = (ka_str){ s.p + 4, s.n - 4 };
    return ka_str_ieqc(s, name);
}

static const ka_node *caps_list(const ka_container *c, const char *which)
{
    const ka_node *l = ka_get(ka_get(container_sc(c), "capabilities"), which);
    return ka_is_seq(l) ? l : NULL;
}

/* The first item of a capabilities list equal to name, or NULL. */
static const ka_node *caps_find(const ka_node *list, const char *name)
{
    for (uint32_t i = 0; list && i < ka_node_n(list); i++)
        if (cap_is(KA_SEQ_ITEM(list, i), name))
            return KA_SEQ_ITEM(list, i);
    return NULL;
}

/*=== SEC-001 privileged =================================================*/

void ka_rule_sec001(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *p = field(container_sc(c), "privileged");
        if (ka_bool(p) == 1)
            ka_report(ctx, o, p, c, "securityContext.privileged is true");
    }
}

/*=== SEC-002 allowPrivilegeEscalation ===================================*/

void ka_rule_sec002(ka_ctx *ctx, const ka_object *o)
{
    if (is_windows(o))
        return;
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *v = field(container_sc(c), "allowPrivilegeEscalation");
        int b = ka_bool(v);
        if (b == 0)
            continue;
        if (b == 1)
            ka_report(ctx, o, v, c, "securityContext.allowPrivilegeEscalation is true");
        else if (v)
            ka_report(ctx, o, v, c,
                      "securityContext.allowPrivilegeEscalation is not the boolean false");
        else
            ka_report(ctx, o, missing_at(c, "securityContext", NULL), c,
                      "securityContext.allowPrivilegeEscalation is not set (defaults to true)");
    }
}

/*=== SEC-003 run as root ================================================*/

void ka_rule_sec003(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *nonroot = effective(o, c, "runAsNonRoot");
        const ka_node *user = effective(o, c, "runAsUser");
        int64_t uid = 0;
        bool has_uid = ka_int(user, &uid);
        if (ka_bool(nonroot) == 1 || (has_uid && uid > 0))
            continue;
        if (has_uid && uid == 0)
            ka_report(ctx, o, user, c, "runAsUser is 0 (root)");
        else if (user && !has_uid)
            ka_report(ctx, o, user, c, "runAsUser is not an integer user id");
        else if (ka_bool(nonroot) == 0)
            ka_report(ctx, o, nonroot, c, "runAsNonRoot is false and no non-zero runAsUser is set");
        else
            ka_report(ctx, o, missing_at(c, "securityContext", NULL), c,
                      "neither runAsNonRoot: true nor a non-zero runAsUser is set "
                      "(pod or container)");
    }
}

/*=== SEC-004 low UID / GID ==============================================*/

#define KA_HIGH_ID 10000

void ka_rule_sec004(ka_ctx *ctx, const ka_object *o)
{
    if (is_windows(o))
        return;
    static const char *const keys[] = { "runAsUser", "runAsGroup" };
    KA_FOR_CONTAINERS(o, c) {
        for (size_t i = 0; i < 2; i++) {
            const ka_node *v = effective(o, c, keys[i]);
            int64_t id;
            if (ka_int(v, &id) && id < KA_HIGH_ID)
                ka_report(ctx, o, v, c, "%s is %lld (below %d)", keys[i], (long long)id,
                          KA_HIGH_ID);
        }
    }
}

/*=== SEC-005 readOnlyRootFilesystem =====================================*/

void ka_rule_sec005(ka_ctx *ctx, const ka_object *o)
{
    if (is_windows(o))
        return;
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *v = field(container_sc(c), "readOnlyRootFilesystem");
        int b = ka_bool(v);
        if (b == 1)
            continue;
        if (b == 0)
            ka_report(ctx, o, v, c, "securityContext.readOnlyRootFilesystem is false");
        else if (v)
            ka_report(ctx, o, v, c,
                      "securityContext.readOnlyRootFilesystem is not the boolean true");
        else
            ka_report(ctx, o, missing_at(c, "securityContext", NULL), c,
                      "securityContext.readOnlyRootFilesystem is not set");
    }
}

/*=== SEC-006 drop ALL ===================================================*/

void ka_rule_sec006(ka_ctx *ctx, const ka_object *o)
{
    if (is_windows(o))
        return;
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *drop = caps_list(c, "drop");
        if (caps_find(drop, "ALL"))
            continue;
        if (drop)
            ka_report(ctx, o, drop, c, "securityContext.capabilities.drop does not include ALL");
        else
            ka_report(ctx, o, missing_at(c, "securityContext", "capabilities"), c,
                      "securityContext.capabilities.drop is not set");
    }
}

/*=== SEC-007 NET_RAW ====================================================*/

void ka_rule_sec007(ka_ctx *ctx, const ka_object *o)
{
    if (is_windows(o))
        return;
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *priv = field(container_sc(c), "privileged");
        if (ka_bool(priv) == 1) {
            ka_report(ctx, o, priv, c,
                      "privileged: true grants every capability, NET_RAW included");
            continue;
        }
        const ka_node *add = caps_list(c, "add"), *drop = caps_list(c, "drop");
        /* The runtime order: add ALL, drop ALL, add named, drop named. */
        if (caps_find(drop, "NET_RAW"))
            continue;
        const ka_node *named = caps_find(add, "NET_RAW");
        if (named) {
            ka_report(ctx, o, named, c, "securityContext.capabilities.add includes %s",
                      ka_cstr(named));
            continue;
        }
        if (caps_find(drop, "ALL"))
            continue;
        const ka_node *all = caps_find(add, "ALL");
        if (all)
            ka_report(ctx, o, all, c, "securityContext.capabilities.add includes %s", ka_cstr(all));
        else if (drop)
            ka_report(ctx, o, drop, c,
                      "securityContext.capabilities.drop includes neither NET_RAW nor ALL");
        else
            ka_report(ctx, o, missing_at(c, "securityContext", "capabilities"), c,
                      "NET_RAW is not dropped (securityContext.capabilities.drop is not set)");
    }
}

/*=== SEC-008 / SEC-009 added capabilities ===============================*/

void ka_rule_sec008(ka_ctx *ctx, const ka_object *o)
{
    static const char *const dangerous[] = { "SYS_ADMIN", "NET_ADMIN", "ALL" };
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *add = caps_list(c, "add");
        for (uint32_t i = 0; add && i < ka_node_n(add); i++) {
            const ka_node *it = KA_SEQ_ITEM(add, i);
            for (size_t d = 0; d < sizeof dangerous / sizeof *dangerous; d++)
                if (cap_is(it, dangerous[d])) {
                    ka_report(ctx, o, it, c, "securityContext.capabilities.add includes %s",
                              ka_cstr(it));
                    break;
                }
        }
    }
}

void ka_rule_sec009(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *add = caps_list(c, "add");
        for (uint32_t i = 0; add && i < ka_node_n(add); i++) {
            const ka_node *it = KA_SEQ_ITEM(add, i);
            if (!ka_is_scalar(it) || ka_is_null(it) || cap_is(it, "NET_BIND_SERVICE"))
                continue;
            ka_report(ctx, o, it, c, "securityContext.capabilities.add includes %s",
                      ka_cstr(it));
        }
    }
}

/*=== SEC-010 seccomp ====================================================*/

void ka_rule_sec010(ka_ctx *ctx, const ka_object *o)
{
    if (is_windows(o))
        return;
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *prof = field(container_sc(c), "seccompProfile");
        const char *level = "container";
        if (!prof) {
            prof = field(pod_sc(o), "seccompProfile");
            level = "pod";
        }
        if (!prof) {
            ka_report(ctx, o, missing_at(c, "securityContext", NULL), c,
                      "no seccompProfile on the container or the pod (runs Unconfined)");
            continue;
        }
        const ka_node *type = field(prof, "type");
        ka_str t = ka_node_str(type);
        if (ka_str_ieqc(t, "RuntimeDefault") || ka_str_ieqc(t, "Localhost"))
            continue;
        if (type)
            ka_report(ctx, o, type, c, "%s seccompProfile.type is %s", level, ka_cstr(type));
        else
            ka_report(ctx, o, prof, c, "%s seccompProfile has no type", level);
    }
}

/*=== SEC-012 .. SEC-014 host namespaces =================================*/

static void host_flag(ka_ctx *ctx, const ka_object *o, const char *key)
{
    const ka_node *v = field(pod_spec(o), key);
    if (ka_bool(v) == 1)
        ka_report(ctx, o, v, NULL, "spec.%s is true", key);
}

void ka_rule_sec012(ka_ctx *ctx, const ka_object *o) { host_flag(ctx, o, "hostNetwork"); }
void ka_rule_sec013(ka_ctx *ctx, const ka_object *o) { host_flag(ctx, o, "hostPID"); }
void ka_rule_sec014(ka_ctx *ctx, const ka_object *o) { host_flag(ctx, o, "hostIPC"); }

/*=== SEC-015 hostPort ===================================================*/

void ka_rule_sec015(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *ports = ka_get(c->node, "ports");
        for (uint32_t i = 0; ka_is_seq(ports) && i < ka_node_n(ports); i++) {
            const ka_node *p = KA_SEQ_ITEM(ports, i);
            const ka_node *hp = field(p, "hostPort");
            int64_t v;
            if (!hp || (ka_int(hp, &v) && v == 0))
                continue; /* 0 means no host port */
            const ka_node *cp = field(p, "containerPort");
            if (cp)
                ka_report(ctx, o, hp, c, "hostPort %s (containerPort %s)", ka_cstr(hp),
                          ka_cstr(cp));
            else
                ka_report(ctx, o, hp, c, "hostPort %s", ka_cstr(hp));
        }
    }
}

/*=== SEC-016 .. SEC-018 hostPath ========================================*/

/* The hostPath source of a volume, or NULL. */
static const ka_node *volume_host_path(const ka_node *vol)
{
    return field(vol, "hostPath");
}

void ka_rule_sec016(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *vols = ka_get(pod_spec(o), "volumes");
    for (uint32_t i = 0; ka_is_seq(vols) && i < ka_node_n(vols); i++) {
        const ka_node *v = KA_SEQ_ITEM(vols, i);
        const ka_node *hp = volume_host_path(v);
        if (!hp)
            continue;
        const ka_node *path = field(hp, "path");
        if (ka_is_scalar(path))
            ka_report(ctx, o, path, NULL, "volume \"%s\" is a hostPath (%s)",
                      ka_cstr(ka_get(v, "name")), ka_cstr(path));
        else
            ka_report(ctx, o, path ? path : hp, NULL, "volume \"%s\" is a hostPath",
                      ka_cstr(ka_get(v, "name")));
    }
}

/* Lexical normalisation of an absolute host path: repeated and trailing
 * slashes collapse, "." disappears, ".." removes the previous element. The
 * kubelet does not resolve symlinks either, so this is what gets mounted. */
static size_t normalize_path(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    size_t i = 0;
    if (cap < 2)
        return 0;
    out[o++] = '/';
    while (i < n) {
        while (i < n && in[i] == '/')
            i++;
        size_t s = i;
        while (i < n && in[i] != '/')
            i++;
        size_t len = i - s;
        if (len == 0 || (len == 1 && in[s] == '.'))
            continue;
        if (len == 2 && in[s] == '.' && in[s + 1] == '.') {
            while (o > 1 && out[o - 1] != '/')
                o--;
            if (o > 1)
                o--; /* the slash before the removed element */
            continue;
        }
        if (o + (o > 1) + len >= cap)
            return 0; /* too long to be one of ours */
        if (o > 1)
            out[o++] = '/';
        memcpy(out + o, in + s, len);
        o += len;
    }
    out[o] = '\0';
    return o;
}

typedef struct sensitive_path {
    const char *path;
    const char *what;
} sensitive_path;

static const sensitive_path sensitive_dirs[] = {
    { "/", "the node's root filesystem" },
    { "/bin", "node binaries" },
    { "/boot", "the node's kernel and boot loader" },
    { "/dev", "the node's devices" },
    { "/etc", "the node's configuration" },
    { "/etc/kubernetes", "the kubelet and control-plane configuration" },
    { "/etc/kubernetes/manifests", "the static pod manifests" },
    { "/etc/kubernetes/pki", "the cluster certificates and keys" },
    { "/home", "the node users' home directories" },
    { "/lib", "node libraries" },
    { "/proc", "every process of the node" },
    { "/root", "root's home directory" },
    { "/run", "runtime sockets and state" },
    { "/run/containerd", "the container runtime's state and socket" },
    { "/run/crio", "the container runtime's state and socket" },
    { "/run/docker", "the container runtime's state" },
    { "/sbin", "node binaries" },
    { "/sys", "the kernel's control interface" },
    { "/usr", "node binaries and libraries" },
    { "/var", "the node's state" },
    { "/var/lib", "the node's state" },
    { "/var/lib/containerd", "every container's filesystem" },
    { "/var/lib/docker", "every container's filesystem" },
    { "/var/lib/etcd", "the cluster's data store" },
    { "/var/lib/kubelet", "the kubelet's state and every pod's volumes" },
    { "/var/lib/kubelet/pki", "the kubelet's credentials" },
    { "/var/run", "runtime sockets and state" },
    { "/var/run/containerd", "the container runtime's state and socket" },
    { "/var/run/crio", "the container runtime's state and socket" },
    { "/var/run/docker", "the container runtime's state" },
};

/* Runtime sockets anywhere (they are moved around by distributions). */
static const char *const runtime_sockets[] = {
    "docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock",
    "podman.sock",
};

/* Windows named pipes of the runtimes. */
static const char *const runtime_pipes[] = {
    "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\containerd-containerd",
};

static const char *sensitive_reason(ka_str path)
{
    for (size_t i = 0; i < sizeof runtime_pipes / sizeof *runtime_pipes; i++)
        if (ka_str_ieqc(path, runtime_pipes[i]))
            return "the container runtime's named pipe";
    if (path.n == 0 || path.p[0] != '/')
        return NULL;
    char norm[512];
    size_t n = normalize_path(path.p, path.n, norm, sizeof norm);
    if (n == 0)
        return NULL;
    for (size_t i = 0; i < sizeof sensitive_dirs / sizeof *sensitive_dirs; i++)
        if (strcmp(norm, sensitive_dirs[i].path) == 0)
            return sensitive_dirs[i].what;
    const char *base = strrchr(norm, '/') + 1;
    for (size_t i = 0; i < sizeof runtime_sockets / sizeof *runtime_sockets; i++)
        if (strcmp(base, runtime_sockets[i]) == 0)
            return "the container runtime's socket";
    return NULL;
}

void ka_rule_sec017(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *vols = ka_get(pod_spec(o), "volumes");
    for (uint32_t i = 0; ka_is_seq(vols) && i < ka_node_n(vols); i++) {
        const ka_node *v = KA_SEQ_ITEM(vols, i);
        const ka_node *path = field(volume_host_path(v), "path");
        if (!ka_is_scalar(path))
            continue;
        const char *why = sensitive_reason(ka_node_str(path));
        if (why)
            ka_report(ctx, o, path, NULL, "hostPath %s (volume \"%s\") exposes %s",
                      ka_cstr(path), ka_cstr(ka_get(v, "name")), why);
    }
}

/* The hostPath volume called name, or NULL. */
static const ka_node *find_host_path_volume(const ka_object *o, ka_str name)
{
    const ka_node *vols = ka_get(pod_spec(o), "volumes");
    for (uint32_t i = 0; ka_is_seq(vols) && i < ka_node_n(vols); i++) {
        const ka_node *v = KA_SEQ_ITEM(vols, i);
        if (ka_str_eq(ka_node_str(ka_get(v, "name")), name))
            return volume_host_path(v) ? v : NULL;
    }
    return NULL;
}

void ka_rule_sec018(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *mounts = ka_get(c->node, "volumeMounts");
        for (uint32_t i = 0; ka_is_seq(mounts) && i < ka_node_n(mounts); i++) {
            const ka_node *m = KA_SEQ_ITEM(mounts, i);
            ka_str name = ka_node_str(ka_get(m, "name"));
            if (!name.n || !find_host_path_volume(o, name))
                continue;
            const ka_node *ro = field(m, "readOnly");
            if (ka_bool(ro) == 1)
                continue;
            ka_report(ctx, o, ro ? ro : m, c, "hostPath volume \"%s\" is mounted writable at %s",
                      ka_cstr(ka_get(m, "name")), ka_cstr(ka_get(m, "mountPath")));
        }
    }
}

/*=== SEC-022 / SEC-023 ServiceAccount ===================================*/

/* The pod's ServiceAccount name: serviceAccountName, else the deprecated
 * serviceAccount, else "default". *at gets the node that named it and *key
 * its field name (NULL when neither is set). */
static ka_str service_account(const ka_object *o, const ka_node **at, const char **key)
{
    static const char *const keys[] = { "serviceAccountName", "serviceAccount" };
    for (size_t i = 0; i < 2; i++) {
        const ka_node *v = field(pod_spec(o), keys[i]);
        if (ka_len(v)) {
            *at = v;
            *key = keys[i];
            return ka_node_str(v);
        }
    }
    *at = NULL;
    *key = NULL;
    return KA_STR("default");
}

typedef enum token_source {
    TOKEN_POD_TRUE,   /* the pod's field is true */
    TOKEN_POD_FALSE,  /* the pod's field is false */
    TOKEN_SA_TRUE,    /* pod unset; the ServiceAccount in the input says true */
    TOKEN_SA_FALSE,   /* pod unset; the ServiceAccount says false */
    TOKEN_SA_UNSET,   /* pod unset; the ServiceAccount is in the input, unset */
    TOKEN_DEFAULT,    /* pod unset; the ServiceAccount is not in the input */
} token_source;

/* Is the API token mounted? The pod's field wins over its ServiceAccount's;
 * both unset means true. */
static token_source token_mount(ka_ctx *ctx, const ka_object *o, ka_str sa, const ka_node **podf)
{
    *podf = field(pod_spec(o), "automountServiceAccountToken");
    int b = ka_bool(*podf);
    if (b == 1)
        return TOKEN_POD_TRUE;
    if (b == 0)
        return TOKEN_POD_FALSE;
    const ka_object *s = ka_objset_find(ctx->set, "ServiceAccount", o->ns, sa);
    if (!s)
        return TOKEN_DEFAULT;
    b = ka_bool(field(s->root, "automountServiceAccountToken"));
    return b == 1 ? TOKEN_SA_TRUE : b == 0 ? TOKEN_SA_FALSE : TOKEN_SA_UNSET;
}

void ka_rule_sec022(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    const ka_node *san, *podf;
    const char *sakey;
    ka_str sa = service_account(o, &san, &sakey);
    const ka_node *at = san ? san : ka_pod_spec_key(o);
    switch (token_mount(ctx, o, sa, &podf)) {
    case TOKEN_POD_FALSE:
    case TOKEN_SA_FALSE:
        return;
    case TOKEN_POD_TRUE:
        ka_report(ctx, o, podf, NULL, "automountServiceAccountToken is true");
        return;
    case TOKEN_SA_TRUE:
        ka_report(ctx, o, at, NULL,
                  "automountServiceAccountToken is not set and ServiceAccount %.*s sets it true",
                  (int)sa.n, sa.p);
        return;
    case TOKEN_SA_UNSET:
        ka_report(ctx, o, at, NULL,
                  "automountServiceAccountToken is set on neither the pod nor ServiceAccount "
                  "%.*s (defaults to true)",
                  (int)sa.n, sa.p);
        return;
    case TOKEN_DEFAULT:
        ka_report(ctx, o, at, NULL, "automountServiceAccountToken is not set (defaults to true)");
        return;
    }
}

/* A projected volume with a serviceAccountToken source. */
static bool has_projected_token(const ka_object *o)
{
    const ka_node *vols = ka_get(pod_spec(o), "volumes");
    for (uint32_t i = 0; ka_is_seq(vols) && i < ka_node_n(vols); i++) {
        const ka_node *srcs = ka_path(KA_SEQ_ITEM(vols, i), "projected", "sources", NULL);
        for (uint32_t j = 0; ka_is_seq(srcs) && j < ka_node_n(srcs); j++)
            if (field(KA_SEQ_ITEM(srcs, j), "serviceAccountToken"))
                return true;
    }
    return false;
}

void ka_rule_sec023(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    const ka_node *san, *podf;
    const char *sakey;
    ka_str sa = service_account(o, &san, &sakey);
    if (!ka_str_eqc(sa, "default"))
        return;
    /* A pod that gets no token has no API identity to share. */
    token_source t = token_mount(ctx, o, sa, &podf);
    if ((t == TOKEN_POD_FALSE || t == TOKEN_SA_FALSE) && !has_projected_token(o))
        return;
    if (san)
        ka_report(ctx, o, san, NULL, "%s is default", sakey);
    else
        ka_report(ctx, o, ka_pod_spec_key(o), NULL,
                  "no serviceAccountName: the pod runs as the namespace's default ServiceAccount");
}

/*=== SEC-027 Pod Security Admission labels ==============================*/

void ka_rule_sec027(ka_ctx *ctx, const ka_object *o)
{
    static const char key[] = "pod-security.kubernetes.io/enforce";
    const ka_node *labels = ka_get(o->meta, "labels");
    const ka_node *v = ka_get(labels, key);
    if (!v || ka_is_null(v)) {
        const ka_node *at = ka_get_key(o->meta, "labels");
        if (!at)
            at = ka_get_key(o->root, "metadata");
        ka_report(ctx, o, at, NULL, "no %s label", key);
        return;
    }
    ka_str lvl = ka_node_str(v);
    if (ka_str_eqc(lvl, "privileged") || ka_str_eqc(lvl, "baseline") ||
        ka_str_eqc(lvl, "restricted"))
        return;
    ka_report(ctx, o, v, NULL, "%s is \"%s\", not privileged, baseline or restricted", key,
              ka_cstr(v));
}
