/*
 * rules_probes.c - PRB-001..PRB-004: readiness and liveness probes.
 *
 * Probes are demanded only from containers that serve: main containers of
 * long-running pods. Init containers (the API rejects probes on them),
 * sidecars, Jobs and CronJobs (not in the rules' kinds), and bare Pods that
 * run to completion (restartPolicy Never / OnFailure, or owned by a Job) are
 * not asked for probes.
 */
#include "rule.h"

#include <string.h>

/* A Pod that runs to completion: batch pods never serve behind a Service. */
static bool runs_to_completion(const ka_object *o)
{
    if (!ka_kind_is(o, "Pod") || !o->pod)
        return false;
    ka_str rp = ka_node_str(ka_get(o->pod->spec, "restartPolicy"));
    if (ka_str_eqc(rp, "Never") || ka_str_eqc(rp, "OnFailure"))
        return true;
    const ka_node *owners = ka_get(o->meta, "ownerReferences");
    if (ka_is_seq(owners))
        for (uint32_t i = 0; i < ka_node_n(owners); i++) {
            ka_str k = ka_node_str(ka_get(KA_SEQ_ITEM(owners, i), "kind"));
            if (ka_str_eqc(k, "Job") || ka_str_eqc(k, "CronJob"))
                return true;
        }
    return false;
}

static bool has_probe(const ka_container *c, const char *which)
{
    const ka_node *p = ka_get(c->node, which);
    return p && !ka_is_null(p);
}

/* The first Service of the input that sends traffic to o's pods, or NULL. */
static const ka_object *serving_service(ka_ctx *ctx, const ka_object *o)
{
    ka_objlist l = ka_ctx_selmatch(ctx, KA_IX_SERVICE, o->ns, &o->pod->labels);
    return l.n ? l.v[0] : NULL;
}

static void require_probe(ka_ctx *ctx, const ka_object *o, const char *which, const char *word,
                          bool behind_service_is_error)
{
    if (runs_to_completion(o))
        return;
    const ka_object *svc = NULL;
    bool looked = false;
    KA_FOR_CONTAINERS(o, c) {
        if (c->type != KA_CT_MAIN || has_probe(c, which))
            continue;
        if (behind_service_is_error && !looked) {
            svc = serving_service(ctx, o);
            looked = true;
        }
        if (svc)
            /* readiness decides whether the Service sends traffic: an error here */
            ka_report_sev(ctx, KA_SEV_ERROR, o, c->node, c,
                          "container has no %s probe, and Service %.*s sends it traffic", word,
                          (int)svc->name.n, svc->name.p);
        else
            ka_report(ctx, o, c->node, c, "container has no %s probe", word);
    }
}

void ka_rule_prb001(ka_ctx *ctx, const ka_object *o)
{
    require_probe(ctx, o, "readinessProbe", "readiness", true);
}

void ka_rule_prb002(ka_ctx *ctx, const ka_object *o)
{
    require_probe(ctx, o, "livenessProbe", "liveness", false);
}

/* ---- PRB-003: structural equality -------------------------------------- */

/* A plain scalar that YAML resolves to something other than a string. */
static bool typed_scalar(const ka_node *n)
{
    int64_t v;
    return ka_is_scalar(n) && n->style == KA_STYLE_PLAIN && (ka_int(n, &v) || ka_bool(n) >= 0);
}

static bool node_equal(const ka_node *a, const ka_node *b);

/* Every non-null entry of a has an equal entry in b (absent == null). */
static bool map_covered(const ka_node *a, const ka_node *b)
{
    for (uint32_t i = 0; i < ka_node_n(a); i++) {
        const ka_node *k = KA_MAP_KEY(a, i), *v = KA_MAP_VAL(a, i);
        if (!ka_is_scalar(k))
            return false;
        const ka_node *w = ka_get(b, ka_cstr(k));
        if (!node_equal(v, w))
            return false;
    }
    return true;
}

/* Structural equality, mapping key order ignored, absent equal to null. */
static bool node_equal(const ka_node *a, const ka_node *b)
{
    bool an = !a || ka_is_null(a), bn = !b || ka_is_null(b);
    if (an || bn)
        return an && bn;
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case KA_NODE_SCALAR:
        return ka_node_n(a) == ka_node_n(b) && memcmp(a->u.s, b->u.s, ka_node_n(a)) == 0 && typed_scalar(a) == typed_scalar(b);
    case KA_NODE_SEQ:
        if (ka_node_n(a) != ka_node_n(b))
            return false;
        for (uint32_t i = 0; i < ka_node_n(a); i++)
            if (!node_equal(KA_SEQ_ITEM(a, i), KA_SEQ_ITEM(b, i)))
                return false;
        return true;
    default:
        return map_covered(a, b) && map_covered(b, a);
    }
}

typedef struct field_default {
    const char *key;
    int64_t ival;        /* integer default, when str is NULL */
    const char *str;     /* string default */
} field_default;

/* Defaults the API server fills in (core/v1 SetDefaults_Probe, _HTTPGetAction). */
static const field_default probe_defaults[] = {
    { "initialDelaySeconds", 0, NULL }, { "timeoutSeconds", 1, NULL },
    { "periodSeconds", 10, NULL },      { "successThreshold", 1, NULL },
    { "failureThreshold", 3, NULL },
};
static const field_default http_defaults[] = {
    { "path", 0, "/" },
    { "scheme", 0, "HTTP" },
};

static const field_default *find_default(const field_default *t, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].key, key) == 0)
            return &t[i];
    return NULL;
}

static bool value_is_default(const ka_node *v, const field_default *d)
{
    if (!v || ka_is_null(v))
        return true;
    if (d->str)
        return ka_str_eqc(ka_node_str(v), d->str);
    int64_t x;
    return ka_int(v, &x) && x == d->ival;
}

static bool equal_with_defaults(const ka_node *a, const ka_node *b, const field_default *t, size_t n,
                                const char *skip);

static bool field_equal(const ka_node *a, const ka_node *b, const char *key, const field_default *t,
                        size_t n)
{
    const ka_node *va = ka_get(a, key), *vb = ka_get(b, key);
    const field_default *d = find_default(t, n, key);
    if (d) {
        bool da = value_is_default(va, d), db = value_is_default(vb, d);
        if (da || db)
            return da && db;
    }
    if (t == probe_defaults && strcmp(key, "httpGet") == 0 && ka_is_map(va) && ka_is_map(vb))
        return equal_with_defaults(va, vb, http_defaults,
                                   sizeof http_defaults / sizeof *http_defaults, NULL);
    return node_equal(va, vb);
}

/* Mappings a and b equal, fields with a default equal to it when absent. */
static bool equal_with_defaults(const ka_node *a, const ka_node *b, const field_default *t, size_t n,
                                const char *skip)
{
    const ka_node *m[2] = { a, b };
    for (int side = 0; side < 2; side++)
        for (uint32_t i = 0; i < ka_node_n(m[side]); i++) {
            const ka_node *k = KA_MAP_KEY(m[side], i);
            if (!ka_is_scalar(k))
                return false;
            if (skip && strcmp(ka_cstr(k), skip) == 0)
                continue;
            if (!field_equal(a, b, ka_cstr(k), t, n))
                return false;
        }
    return true;
}

void ka_rule_prb003(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        if (c->type == KA_CT_INIT)
            continue; /* the API rejects probes on init containers */
        const ka_node *live = ka_get(c->node, "livenessProbe");
        const ka_node *ready = ka_get(c->node, "readinessProbe");
        if (!ka_is_map(live) || !ka_is_map(ready))
            continue;
        /* terminationGracePeriodSeconds only affects what happens after a
         * liveness failure, not when a probe fails */
        if (equal_with_defaults(live, ready, probe_defaults,
                                sizeof probe_defaults / sizeof *probe_defaults,
                                "terminationGracePeriodSeconds"))
            ka_report(ctx, o, live, c,
                      "liveness and readiness probes are identical: a container that "
                      "cannot serve for a while is restarted instead of taken out of rotation");
    }
}

/* ---- PRB-004: probe ports ---------------------------------------------- */

static void check_port(ka_ctx *ctx, const ka_object *o, const ka_container *c, const char *probe,
                       const char *handler, const ka_node *h)
{
    const ka_node *port = ka_get(h, "port");
    if (!port || ka_is_null(port) || !ka_is_scalar(port))
        return;
    const ka_node *ports = ka_get(c->node, "ports");
    int64_t num;
    if (ka_int(port, &num)) {
        /* a numbered port: judged only against a declared ports list, and
         * only when the probe targets the pod itself */
        if (!ka_is_seq(ports) || ka_node_n(ports) == 0 || !ka_is_null(ka_get(h, "host")))
            return;
        ka_buf decl;
        ka_buf_init(&decl);
        for (uint32_t i = 0; i < ka_node_n(ports); i++) {
            const ka_node *cp = ka_get(KA_SEQ_ITEM(ports, i), "containerPort");
            int64_t v;
            if (ka_int(cp, &v) && v == num) {
                ka_buf_free(&decl);
                return;
            }
            if (ka_is_scalar(cp)) {
                if (decl.n)
                    ka_buf_adds(&decl, ", ");
                ka_buf_addstr(&decl, ka_node_str(cp));
            }
        }
        /* containerPorts are informational: the probe may still work, so this
         * is a warning; a named port that does not exist never works (error). */
        ka_report_sev(ctx, KA_SEV_WARNING, o, port, c,
                  "%s.%s.port %lld is not among the container's declared ports (%s)", probe,
                  handler, (long long)num,
                  decl.n ? ka_buf_cstr(&decl) : "none");
        ka_buf_free(&decl);
        return;
    }
    ka_str name = ka_node_str(port);
    if (ka_is_seq(ports))
        for (uint32_t i = 0; i < ka_node_n(ports); i++)
            if (ka_str_eq(ka_node_str(ka_get(KA_SEQ_ITEM(ports, i), "name")), name))
                return;
    ka_report(ctx, o, port, c,
              "%s.%s.port \"%.*s\" names no port of the container, so the probe can "
              "never succeed",
              probe, handler, (int)name.n, name.p);
}

void ka_rule_prb004(ka_ctx *ctx, const ka_object *o)
{
    static const char *const probes[] = { "livenessProbe", "readinessProbe", "startupProbe" };
    static const char *const handlers[] = { "httpGet", "tcpSocket", "grpc" };
    KA_FOR_CONTAINERS(o, c) {
        if (c->type == KA_CT_INIT)
            continue;
        for (size_t p = 0; p < 3; p++) {
            const ka_node *pr = ka_get(c->node, probes[p]);
            if (!ka_is_map(pr))
                continue;
            for (size_t h = 0; h < 3; h++) {
                const ka_node *hn = ka_get(pr, handlers[h]);
                if (ka_is_map(hn))
                    check_port(ctx, o, c, probes[p], handlers[h], hn);
            }
        }
    }
}
