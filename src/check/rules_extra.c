/*
 * rules_extra.c - opt-in rules of rules_extra.def: SEC-019 (procMount),
 * SEC-021 (Windows HostProcess), SEC-024 (Secrets in environment
 * variables), IMG-002 (digest pinning), HA-005 (priority classes), HPA-004
 * (spec.replicas under an autoscaler), ING-003 (host-less Ingress rules),
 * PRB-007 (preStop hooks) and UPG-004 (restart policies). The CronJob rules
 * (JOB-002 .. JOB-004) are in rules_extra_cron.c.
 *
 * Kubernetes facts these rules rely on (k8s.io/api core/v1, pod-security-
 * admission policy checks, pkg/apis/{core,apps,batch,networking}/validation,
 * the kubelet's lifecycle handlers):
 *   - procMount takes Default or Unmasked (anything else is NotSupported);
 *     API servers 1.30+ reject Unmasked unless spec.hostUsers is false, and
 *     Pod Security Admission's baseline check allows only Default except for
 *     pods with hostUsers: false.
 *   - windowsOptions.hostProcess exists on the pod and the container
 *     securityContext; baseline forbids true on either level.
 *   - a digest is algorithm ":" hex, validated by the container runtime
 *     (go-digest): sha256, sha384 or sha512 with 64, 96 or 128 lowercase
 *     hex digits. With a digest the tag is ignored.
 *   - the Priority admission plugin gives a pod without priorityClassName
 *     the globalDefault class (or 0) and rejects a pod naming a class that
 *     does not exist; system-cluster-critical and system-node-critical are
 *     built in.
 *   - the HPA controller leaves a target at replicas 0 alone (scaling is
 *     disabled there).
 *   - an Ingress rule host is optional; with a '*' it must be a *.domain
 *     wildcard (IsWildcardDNS1123Subdomain), so "*" alone is rejected.
 *   - a lifecycle handler needs exactly one of exec, httpGet, tcpSocket,
 *     sleep; tcpSocket is accepted but the kubelet never runs it.
 *   - restartPolicy defaults to Always; apps workloads and
 *     ReplicationControllers accept only Always, Jobs only OnFailure or Never
 *     (Never alone with a podFailurePolicy).
 */
#include "rule.h"

#include <string.h>

/*=== helpers ============================================================*/

/* A field's value, or NULL when absent or null. */
static const ka_node *field(const ka_node *m, const char *key)
{
    const ka_node *v = ka_get(m, key);
    return ka_is_null(v) ? NULL : v;
}

static const ka_node *pod_spec(const ka_object *o)
{
    return o->pod ? o->pod->spec : NULL;
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

/* A scalar's text for a message, or a description of what it is instead. */
static const char *shown(const ka_node *n)
{
    return ka_is_scalar(n) ? ka_cstr(n) : ka_is_map(n) ? "(a mapping)" : "(a list)";
}

/* A name field's text for a message, or what stands for a missing one. */
static const char *name_or(const ka_node *n, const char *missing)
{
    return ka_len(n) ? ka_cstr(n) : missing;
}

/*=== SEC-019 procMount ==================================================*/

void ka_rule_sec019(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    /* baseline allows any procMount in a user namespace (hostUsers: false) */
    bool userns = ka_bool(field(pod_spec(o), "hostUsers")) == 0;
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *pm = field(container_sc(c), "procMount");
        if (!pm)
            continue;
        ka_str v = ka_node_str(pm);
        if (ka_is_scalar(pm) && ka_str_eqc(v, "Default"))
            continue;
        if (ka_is_scalar(pm) && ka_str_eqc(v, "Unmasked")) {
            if (!userns)
                ka_report(ctx, o, pm, c,
                          "securityContext.procMount is Unmasked in a pod that shares the node's "
                          "user namespace (spec.hostUsers is not false): /proc is not masked, and "
                          "API servers 1.30+ reject it");
            continue;
        }
        ka_report(ctx, o, pm, c,
                  "securityContext.procMount is \"%s\", which is neither Default nor Unmasked: "
                  "the API server rejects it",
                  shown(pm));
    }
}

/*=== SEC-021 Windows HostProcess ========================================*/

static const ka_node *host_process(const ka_node *sc)
{
    const ka_node *v = field(field(sc, "windowsOptions"), "hostProcess");
    return ka_bool(v) == 1 ? v : NULL;
}

void ka_rule_sec021(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod)
        return;
    const ka_node *pv = host_process(pod_sc(o));
    if (pv)
        ka_report(ctx, o, pv, NULL,
                  "spec.securityContext.windowsOptions.hostProcess is true: every container of "
                  "the pod runs as a process on the node");
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *cv = host_process(container_sc(c));
        if (cv)
            ka_report(ctx, o, cv, c,
                      "securityContext.windowsOptions.hostProcess is true: the container runs "
                      "as a process on the node");
    }
}

/*=== SEC-024 Secrets in environment variables ===========================*/

void ka_rule_sec024(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *env = field(c->node, "env");
        for (uint32_t i = 0; ka_is_seq(env) && i < ka_node_n(env); i++) {
            const ka_node *e = KA_SEQ_ITEM(env, i);
            const ka_node *vf = field(e, "valueFrom");
            const ka_node *ref = field(vf, "secretKeyRef");
            if (!ka_is_map(ref))
                continue;
            ka_report(ctx, o, ka_get_key(vf, "secretKeyRef"), c,
                      "env %s reads key %s of Secret %s into the environment",
                      name_or(field(e, "name"), "(unnamed)"), name_or(field(ref, "key"), "(none)"),
                      name_or(field(ref, "name"), "(unnamed)"));
        }
        const ka_node *envfrom = field(c->node, "envFrom");
        for (uint32_t i = 0; ka_is_seq(envfrom) && i < ka_node_n(envfrom); i++) {
            const ka_node *e = KA_SEQ_ITEM(envfrom, i);
            const ka_node *ref = field(e, "secretRef");
            if (!ka_is_map(ref))
                continue;
            ka_report(ctx, o, ka_get_key(e, "secretRef"), c,
                      "envFrom imports every key of Secret %s into the environment",
                      name_or(field(ref, "name"), "(unnamed)"));
        }
    }
}

/*=== IMG-002 digest pinning =============================================*/

static bool is_lower_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* A digest the container runtime accepts (go-digest's registered
 * algorithms, each with its exact length of lowercase hex). */
static bool digest_pins(ka_str d)
{
    static const struct {
        const char *alg;
        size_t hex;
    } algs[] = { { "sha256", 64 }, { "sha384", 96 }, { "sha512", 128 } };
    for (size_t a = 0; a < sizeof algs / sizeof *algs; a++) {
        size_t an = strlen(algs[a].alg);
        if (d.n != an + 1 + algs[a].hex || memcmp(d.p, algs[a].alg, an) != 0 || d.p[an] != ':')
            continue;
        for (size_t i = an + 1; i < d.n; i++)
            if (!is_lower_hex(d.p[i]))
                return false;
        return true;
    }
    return false;
}

void ka_rule_img002(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *img = ka_get(c->node, "image");
        if (!ka_is_scalar(img) || ka_is_null(img) || ka_node_n(img) == 0)
            continue; /* a missing image is a schema error, not this rule's */
        ka_str ref = ka_node_str(img);
        const char *at = memchr(ref.p, '@', ref.n);
        if (!at) {
            ka_report(ctx, o, img, c, "image \"%s\" is not pinned by a digest", ka_cstr(img));
            continue;
        }
        if (!digest_pins((ka_str){ at + 1, ref.n - (size_t)(at + 1 - ref.p) }))
            ka_report(ctx, o, img, c,
                      "image \"%s\" is not pinned: what follows its @ is not a sha256, sha384 or "
                      "sha512 digest (64, 96 or 128 lowercase hex digits)",
                      ka_cstr(img));
    }
}

/*=== HA-005 priority class ==============================================*/

static bool global_default_class(const ka_ctx *ctx)
{
    ka_objlist l = ka_objset_by_kind(ctx->set, "PriorityClass");
    for (size_t i = 0; i < l.n; i++)
        if (ka_bool(field(l.v[i]->root, "globalDefault")) == 1)
            return true;
    return false;
}

void ka_rule_ha005(ka_ctx *ctx, const ka_object *o)
{
    if (!pod_spec(o))
        return;
    const ka_node *pc = field(pod_spec(o), "priorityClassName");
    if (pc && !ka_is_scalar(pc))
        return; /* not a string: a schema error, not this rule's */
    ka_str n = ka_node_str(pc);
    if (n.n == 0) {
        if (global_default_class(ctx))
            return;
        ka_report(ctx, o, pc ? pc : ka_pod_spec_key(o), NULL,
                  "no priorityClassName: the pods get the cluster's globalDefault PriorityClass, "
                  "or priority 0 when there is none");
        return;
    }
    if (ka_str_eqc(n, "system-cluster-critical") || ka_str_eqc(n, "system-node-critical"))
        return;
    if (ka_present(ctx, "PriorityClass", (ka_str){ "", 0 }, n))
        return;
    ka_report(ctx, o, pc, NULL,
              "priorityClassName %.*s is not a PriorityClass of the input nor a built-in one: "
              "the API server rejects pods naming an unknown class",
              (int)n.n, n.p);
}

/*=== HPA-004 replicas under an autoscaler ===============================*/

void ka_rule_hpa004(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *rn = field(o->spec, "replicas");
    if (!rn)
        return;
    int64_t r;
    if (ka_int(rn, &r) && r == 0)
        return; /* the autoscaler leaves a workload at zero alone */
    ka_objlist l = ka_objset_scalers(ctx->set, o->kind, o->ns, o->name);
    if (!l.n)
        return;
    const ka_object *h = l.v[0];
    ka_report(ctx, o, rn, NULL,
              "spec.replicas is %s but %.*s %.*s scales this %.*s: every apply resets the "
              "replica count the autoscaler chose",
              shown(rn), (int)h->kind.n, h->kind.p, (int)h->name.n, h->name.p, (int)o->kind.n,
              o->kind.p);
}

/*=== ING-003 rules without host =========================================*/

void ka_rule_ing003(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *rules = field(o->spec, "rules");
    for (uint32_t r = 0; ka_is_seq(rules) && r < ka_node_n(rules); r++) {
        const ka_node *rule = KA_SEQ_ITEM(rules, r);
        if (!ka_is_map(rule))
            continue;
        const ka_node *h = field(rule, "host");
        ka_str hs = ka_node_str(h);
        if (!h)
            ka_report(ctx, o, rule, NULL, "rules[%u] has no host: it matches every host name", r);
        else if (ka_is_scalar(h) && hs.n == 0)
            ka_report(ctx, o, h, NULL, "rules[%u].host is empty: the rule matches every host name",
                      r);
        else if (ka_str_eqc(hs, "*"))
            ka_report(ctx, o, h, NULL,
                      "rules[%u].host is \"*\": the API server accepts only *.domain wildcards and "
                      "rejects the rule (leave host out for a catch-all, or name the hosts)",
                      r);
    }
}

/*=== PRB-007 preStop hook ===============================================*/

/* A bare Pod that runs to completion (restartPolicy Never or OnFailure). */
static bool runs_to_completion(const ka_object *o)
{
    if (!ka_kind_is(o, "Pod"))
        return false;
    ka_str rp = ka_node_str(field(pod_spec(o), "restartPolicy"));
    return ka_str_eqc(rp, "Never") || ka_str_eqc(rp, "OnFailure");
}

void ka_rule_prb007(ka_ctx *ctx, const ka_object *o)
{
    if (!o->pod || runs_to_completion(o))
        return;
    KA_FOR_CONTAINERS(o, c) {
        if (c->type != KA_CT_MAIN)
            continue;
        const ka_node *lc = field(c->node, "lifecycle");
        const ka_node *ps = field(lc, "preStop");
        if (!ps) {
            const ka_node *at = ka_get_key(c->node, "lifecycle");
            ka_report(ctx, o, at ? at : c->node, c,
                      "no lifecycle.preStop hook: the process gets SIGTERM while Service "
                      "endpoints may still send it requests");
            continue;
        }
        if (field(ps, "exec") || field(ps, "httpGet") || field(ps, "sleep"))
            continue;
        if (field(ps, "tcpSocket"))
            ka_report(ctx, o, ka_get_key(ps, "tcpSocket"), c,
                      "lifecycle.preStop has only a tcpSocket handler, which the kubelet never "
                      "runs for hooks");
        else
            ka_report(ctx, o, ka_get_key(lc, "preStop"), c,
                      "lifecycle.preStop has no handler (exec, httpGet or sleep): the API server "
                      "rejects it");
    }
}

/*=== UPG-004 restart policy =============================================*/

void ka_rule_upg004(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = pod_spec(o);
    if (!spec)
        return;
    const ka_node *rp = field(spec, "restartPolicy");
    ka_str v = ka_node_str(rp);
    /* an empty value is defaulted like an absent one */
    bool unset = !rp || (ka_is_scalar(rp) && v.n == 0);
    bool always = unset || ka_str_eqc(v, "Always");
    bool never = ka_str_eqc(v, "Never"), onfailure = ka_str_eqc(v, "OnFailure");
    int kn = (int)o->kind.n;
    if (ka_kind_is(o, "Job") || ka_kind_is(o, "CronJob")) {
        const ka_node *jobspec = ka_kind_is(o, "Job")
                                     ? o->spec
                                     : ka_path(o->spec, "jobTemplate", "spec", NULL);
        if (unset)
            ka_report(ctx, o, rp ? rp : ka_pod_spec_key(o), NULL,
                      "restartPolicy is not set: it defaults to Always, which a %.*s rejects "
                      "(OnFailure or Never)",
                      kn, o->kind.p);
        else if (always)
            ka_report(ctx, o, rp, NULL,
                      "restartPolicy is Always, which a %.*s rejects (OnFailure or Never)", kn,
                      o->kind.p);
        else if (onfailure && field(jobspec, "podFailurePolicy"))
            ka_report(ctx, o, rp, NULL,
                      "restartPolicy is OnFailure, but a Job with a podFailurePolicy accepts "
                      "only Never");
        else if (!never && !onfailure)
            ka_report(ctx, o, rp, NULL,
                      "restartPolicy \"%s\" is not a valid value for a %.*s (OnFailure or Never)",
                      shown(rp), kn, o->kind.p);
    } else if (ka_kind_is(o, "Pod")) {
        if (!always && !never && !onfailure)
            ka_report(ctx, o, rp, NULL,
                      "restartPolicy \"%s\" is not a valid value (Always, OnFailure or Never)",
                      shown(rp));
    } else if (!always) {
        ka_report(ctx, o, rp, NULL,
                  "restartPolicy \"%s\" is rejected: a %.*s's pods can only use Always",
                  shown(rp), kn, o->kind.p);
    }
}
