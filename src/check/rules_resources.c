/*
 * rules_resources.c - RES-001..RES-005: container requests and limits.
 *
 * Semantics shared by the five rules:
 *  - every container counts except ephemeral ones: main containers, init
 *    containers and sidecars (the pod's effective request includes them);
 *  - a request that is absent while the limit is set counts as set: the API
 *    server defaults every missing request to its limit;
 *  - pod-level resources (spec.resources, PodLevelResources) cover the
 *    containers that do not set their own;
 *  - so does a LimitRange of the namespace in the input: the LimitRanger
 *    admission plugin sets its defaults on containers that lack them
 *    (limitrange.c);
 *  - a quantity that does not parse, is negative or is zero is reported with
 *    what is wrong with it (a zero limit means "no limit" to the kubelet and a
 *    zero request reserves nothing).
 */
#include "rule.h"

#include <string.h>

static const char *ctype_word(const ka_container *c)
{
    switch (c->type) {
    case KA_CT_INIT: return "init container";
    case KA_CT_SIDECAR: return "sidecar container";
    case KA_CT_EPHEMERAL: return "ephemeral container";
    default: return "container";
    }
}

/* Human name of a resource in messages. */
static const char *res_word(const char *res)
{
    if (strcmp(res, "cpu") == 0)
        return "CPU";
    return res;
}

typedef enum qstate { Q_OK, Q_ABSENT, Q_INVALID, Q_NEGATIVE, Q_ZERO } qstate;

static qstate quantity_state(const ka_node *n)
{
    if (!n || ka_is_null(n))
        return Q_ABSENT;
    if (!ka_is_scalar(n))
        return Q_INVALID;
    ka_quantity q;
    int rc = ka_quantity_parse(ka_node_str(n), &q);
    if (rc == KA_QUANTITY_ETOOLONG)
        return Q_OK; /* valid, merely longer than we hold */
    if (rc != 0)
        return Q_INVALID;
    if (q.neg)
        return Q_NEGATIVE;
    if (ka_quantity_is_zero(&q))
        return Q_ZERO;
    return Q_OK;
}

static const ka_node *res_value(const ka_node *resources, const char *section, const char *res)
{
    return ka_get(ka_get(resources, section), res);
}

/* Pod-level resources (spec.resources) set for this resource in section, or
 * in limits (which defaults the request). */
static bool pod_level_has(const ka_object *o, const char *section, const char *res)
{
    const ka_node *pr = ka_get(o->pod->spec, "resources");
    if (!ka_is_map(pr))
        return false;
    if (quantity_state(res_value(pr, section, res)) == Q_OK)
        return true;
    return strcmp(section, "requests") == 0 && quantity_state(res_value(pr, "limits", res)) == Q_OK;
}

/* Report a bad quantity; returns true when it reported. */
static bool report_bad(ka_ctx *ctx, const ka_object *o, const ka_container *c, const ka_node *n,
                       const char *section, const char *res)
{
    qstate st = quantity_state(n);
    const char *what = ka_cstr(n);
    if (st == Q_INVALID && !ka_is_scalar(n)) {
        ka_report(ctx, o, n, c, "%s has a %s as %s.%s, not a quantity", ctype_word(c),
                  ka_is_map(n) ? "mapping" : "list", section, res);
        return true;
    }
    switch (st) {
    case Q_INVALID:
        ka_report(ctx, o, n, c, "%s has %s.%s \"%s\", which is not a valid quantity",
                  ctype_word(c), section, res, what);
        return true;
    case Q_NEGATIVE:
        ka_report(ctx, o, n, c, "%s has a negative %s.%s (%s)", ctype_word(c), section, res, what);
        return true;
    case Q_ZERO:
        if (strcmp(section, "limits") == 0)
            ka_report(ctx, o, n, c, "%s has %s.%s: %s, which means no %s limit",
                      ctype_word(c), section, res, what, res_word(res));
        else
            ka_report(ctx, o, n, c, "%s has %s.%s: %s, which reserves no %s",
                      ctype_word(c), section, res, what, res_word(res));
        return true;
    default:
        return false;
    }
}

/* RES-001 / RES-002 and the request half of RES-005. Returns true when the
 * container has a usable request (its own, defaulted from its limit, or the
 * pod's); false after reporting a bad value, or when it is missing (reported
 * only when report_missing). */
static bool check_request(ka_ctx *ctx, const ka_object *o, const ka_container *c, const char *res,
                          bool report_missing)
{
    const ka_node *resources = ka_get(c->node, "resources");
    const ka_node *rq = res_value(resources, "requests", res);
    const ka_node *lim = res_value(resources, "limits", res);
    if (quantity_state(rq) != Q_ABSENT)
        return !report_bad(ctx, o, c, rq, "requests", res);
    if (quantity_state(lim) != Q_ABSENT) {
        /* the API server copies the limit into the missing request */
        qstate st = quantity_state(lim);
        if (st == Q_OK)
            return true;
        if (!ka_is_scalar(lim))
            ka_report(ctx, o, lim, c,
                      "%s has no %s request; it defaults to limits.%s, which is not a quantity",
                      ctype_word(c), res_word(res), res);
        else
            ka_report(ctx, o, lim, c, "%s has no %s request; it defaults to limits.%s, which is %s%s%s",
                      ctype_word(c), res_word(res), res,
                      st == Q_ZERO ? "" : st == Q_NEGATIVE ? "negative (" : "not a valid quantity (",
                      ka_cstr(lim), st == Q_ZERO ? "" : ")");
        return false;
    }
    if (pod_level_has(o, "requests", res) || ka_ctx_limitrange_default(ctx, o->ns, false, res))
        return true;
    if (report_missing)
        ka_report(ctx, o, c->node, c, "%s has no %s request", ctype_word(c), res_word(res));
    return false;
}

static bool check_limit(ka_ctx *ctx, const ka_object *o, const ka_container *c, const char *res,
                        bool report_missing)
{
    const ka_node *lim = res_value(ka_get(c->node, "resources"), "limits", res);
    if (quantity_state(lim) != Q_ABSENT)
        return !report_bad(ctx, o, c, lim, "limits", res);
    if (pod_level_has(o, "limits", res) || ka_ctx_limitrange_default(ctx, o->ns, true, res))
        return true;
    if (report_missing)
        ka_report(ctx, o, c->node, c, "%s has no %s limit", ctype_word(c), res_word(res));
    return false;
}

void ka_rule_res001(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c)
        check_request(ctx, o, c, "cpu", true);
}

void ka_rule_res002(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c)
        check_request(ctx, o, c, "memory", true);
}

void ka_rule_res003(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c)
        check_limit(ctx, o, c, "memory", true);
}

void ka_rule_res004(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c)
        check_limit(ctx, o, c, "cpu", true);
}

/* RES-005: a limit is needed (it also defaults the request); a request alone
 * is reported as a missing limit, neither as both missing. */
void ka_rule_res005(ka_ctx *ctx, const ka_object *o)
{
    const char *res = "ephemeral-storage";
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *resources = ka_get(c->node, "resources");
        bool has_rq = quantity_state(res_value(resources, "requests", res)) != Q_ABSENT ||
                      pod_level_has(o, "requests", res) ||
                      ka_ctx_limitrange_default(ctx, o->ns, false, res);
        bool has_lim = quantity_state(res_value(resources, "limits", res)) != Q_ABSENT ||
                       pod_level_has(o, "limits", res) ||
                       ka_ctx_limitrange_default(ctx, o->ns, true, res);
        if (!has_rq && !has_lim) {
            ka_report(ctx, o, c->node, c, "%s has no ephemeral-storage request or limit",
                      ctype_word(c));
            continue;
        }
        if (has_rq)
            check_request(ctx, o, c, res, false);
        check_limit(ctx, o, c, res, true);
    }
}
