/*
 * rules_rbac.c - RBAC rules that read one object: the rules of a Role or
 * ClusterRole (RBAC-002..006, 009, 015, 019, 021, 028..030) and the subjects
 * of a binding (RBAC-007, 008, 025, 026). Every predicate asks the same
 * question the API server would: does this rule allow a request for that
 * verb and resource (ka_rbac_rule_allows), so wildcards, "*\/subresource"
 * patterns and resourceNames count exactly as they do there.
 */
#include "rule.h"
#include "rules_rbac.h"

#include <string.h>

/* ---- helpers shared with rules_rbac_model.c ---------------------------- */

bool ka_rbac_rule_grants(const ka_rbac_rule *r, const char *verb, const char *group,
                         const char *res, const char *sub)
{
    ka_rbac_request q;
    memset(&q, 0, sizeof q);
    q.verb = ka_str_c(verb);
    q.group = ka_str_c(group);
    q.resource = ka_str_c(res);
    q.subresource = ka_str_c(sub);
    if (ka_rbac_rule_allows(r, &q))
        return true;
    /* a rule limited to named objects still grants the verb on those
     * objects, except for create and deletecollection, which carry no name */
    if (!strcmp(verb, "create") || !strcmp(verb, "deletecollection"))
        return false;
    for (size_t i = 0; i < r->nnames; i++) {
        q.name = r->names[i];
        if (ka_rbac_rule_allows(r, &q))
            return true;
    }
    return false;
}

bool ka_rbac_subject_is_system(const ka_rbac_subject *s)
{
    static const char *const broad[] = { "system:anonymous", "system:unauthenticated",
                                         "system:authenticated", "system:serviceaccounts" };
    if (s->kind == KA_RBAC_SA)
        return ka_str_eqc(s->ns, "kube-system");
    if (!ka_str_has_prefix(s->name, "system:"))
        return false;
    for (size_t i = 0; i < sizeof broad / sizeof broad[0]; i++)
        if (ka_str_eqc(s->name, broad[i]))
            return false;
    return !ka_str_has_prefix(s->name, "system:serviceaccounts:");
}

bool ka_rbac_object_defaults(const ka_object *o)
{
    ka_str v;
    return ka_labels_get(&o->labels, KA_STR(KA_RBAC_DEFAULTS_LABEL), &v) &&
           ka_str_eqc(v, "rbac-defaults");
}

/* The rules a role-level check reads, or 0 when the role is skipped: not of
 * the rbac group, one of the API server's defaults, or aggregated (its rules
 * are the controller's copy of other roles' rules, reported there). */
static size_t own_rules(const ka_object *o, ka_arena *a, ka_rbac_rule **out)
{
    *out = NULL;
    if (!ka_str_eqc(o->group, KA_RBAC_API_GROUP) || ka_rbac_object_defaults(o))
        return 0;
    if (ka_kind_is(o, "ClusterRole") && ka_is_map(ka_get(o->root, "aggregationRule")))
        return 0;
    return ka_rbac_parse_rules(a, ka_get(o->root, "rules"), out);
}

typedef struct probe {
    const char *verb, *group, *res, *sub, *text;
} probe;

/* Texts of the probes a rule grants, joined with ", ". */
static bool probe_all(const ka_rbac_rule *r, const probe *p, size_t n, ka_buf *out)
{
    const char *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!ka_rbac_rule_grants(r, p[i].verb, p[i].group, p[i].res, p[i].sub))
            continue;
        if (last && !strcmp(last, p[i].text))
            continue;
        ka_buf_printf(out, "%s%s", out->n ? ", " : "", p[i].text);
        last = p[i].text;
    }
    return out->n > 0;
}

/* Report every rule of the role that grants one of the probes. */
static void report_probes(ka_ctx *ctx, const ka_object *o, const probe *p, size_t n,
                          const char *lead)
{
    ka_arena *a = ka_arena_new();
    ka_rbac_rule *rules;
    size_t nr = own_rules(o, a, &rules);
    ka_buf b;
    ka_buf_init(&b);
    for (size_t i = 0; i < nr; i++) {
        ka_buf_reset(&b);
        if (probe_all(&rules[i], p, n, &b))
            ka_report(ctx, o, rules[i].node, NULL, "rules[%zu] %s %.*s", i, lead, (int)b.n, b.p);
    }
    ka_buf_free(&b);
    ka_arena_free(a);
}

#define N(x) (sizeof(x) / sizeof((x)[0]))

/* ---- RBAC-002 wildcards --------------------------------------------------- */

static bool has_star(const ka_str *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_eqc(v[i], "*"))
            return true;
    return false;
}

void ka_rule_rbac002(ka_ctx *ctx, const ka_object *o)
{
    ka_arena *a = ka_arena_new();
    ka_rbac_rule *rules;
    size_t nr = own_rules(o, a, &rules);
    for (size_t i = 0; i < nr; i++) {
        const ka_rbac_rule *r = &rules[i];
        bool v = has_star(r->verbs, r->nverbs), res = has_star(r->res, r->nres),
             g = has_star(r->groups, r->ngroups);
        if (!v && !res && !g)
            continue;
        ka_report(ctx, o, r->node, NULL, "rules[%zu] uses * for %s%s%s%s%s", i, v ? "verbs" : "",
                  v && (res || g) ? (res && g ? ", " : " and ") : "", res ? "resources" : "",
                  res && g ? " and " : "", g ? "apiGroups" : "");
    }
    ka_arena_free(a);
}

/* ---- RBAC-003 read Secrets ----------------------------------------------- */

void ka_rule_rbac003(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        { "get", "", "secrets", "", "get" },
        { "list", "", "secrets", "", "list" },
        { "watch", "", "secrets", "", "watch" },
    };
    report_probes(ctx, o, p, N(p), "reads Secrets:");
}

/* ---- RBAC-004 create or change pods and workloads ------------------------ */

#define POD_MAKER(verb, group, res) { verb, group, res, "", verb " " res }
#define POD_MAKERS(verb)                                                                       \
    POD_MAKER(verb, "", "pods"), POD_MAKER(verb, "apps", "deployments"),                       \
        POD_MAKER(verb, "apps", "replicasets"), POD_MAKER(verb, "apps", "statefulsets"),       \
        POD_MAKER(verb, "apps", "daemonsets"), POD_MAKER(verb, "batch", "jobs"),               \
        POD_MAKER(verb, "batch", "cronjobs"), POD_MAKER(verb, "", "replicationcontrollers"),   \
        POD_MAKER(verb, "extensions", "deployments"), POD_MAKER(verb, "extensions", "replicasets"), \
        POD_MAKER(verb, "extensions", "daemonsets")

void ka_rule_rbac004(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = { POD_MAKERS("create"), POD_MAKERS("update"), POD_MAKERS("patch") };
    report_probes(ctx, o, p, N(p), "can run pods of its choosing:");
}

/* ---- RBAC-005 exec / attach / debug / port-forward / proxy --------------- */

void ka_rule_rbac005(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        { "create", "", "pods", "exec", "exec into pods (pods/exec)" },
        { "get", "", "pods", "exec", "exec into pods (pods/exec)" },
        { "create", "", "pods", "attach", "attach to pods (pods/attach)" },
        { "get", "", "pods", "attach", "attach to pods (pods/attach)" },
        { "update", "", "pods", "ephemeralcontainers", "inject debug containers (pods/ephemeralcontainers)" },
        { "patch", "", "pods", "ephemeralcontainers", "inject debug containers (pods/ephemeralcontainers)" },
        { "create", "", "pods", "portforward", "port-forward to pods (pods/portforward)" },
        { "get", "", "pods", "portforward", "port-forward to pods (pods/portforward)" },
        { "create", "", "pods", "proxy", "proxy to pods (pods/proxy)" },
        { "get", "", "pods", "proxy", "proxy to pods (pods/proxy)" },
        { "create", "", "services", "proxy", "proxy to services (services/proxy)" },
        { "get", "", "services", "proxy", "proxy to services (services/proxy)" },
        { "get", "", "nodes", "proxy", "reach the kubelet API (nodes/proxy)" },
        { "create", "", "nodes", "proxy", "reach the kubelet API (nodes/proxy)" },
        { "update", "", "nodes", "proxy", "reach the kubelet API (nodes/proxy)" },
        { "patch", "", "nodes", "proxy", "reach the kubelet API (nodes/proxy)" },
        { "delete", "", "nodes", "proxy", "reach the kubelet API (nodes/proxy)" },
    };
    report_probes(ctx, o, p, N(p), "can");
}

/* ---- RBAC-006 bind / escalate / impersonate ------------------------------- */

static const probe powers[] = {
    { "escalate", KA_RBAC_API_GROUP, "roles", "", "escalate roles" },
    { "escalate", KA_RBAC_API_GROUP, "clusterroles", "", "escalate clusterroles" },
    { "bind", KA_RBAC_API_GROUP, "roles", "", "bind roles" },
    { "bind", KA_RBAC_API_GROUP, "clusterroles", "", "bind clusterroles" },
    { "impersonate", "", "users", "", "impersonate users" },
    { "impersonate", "", "groups", "", "impersonate groups" },
    { "impersonate", "", "serviceaccounts", "", "impersonate serviceaccounts" },
    { "impersonate", "authentication.k8s.io", "uids", "", "impersonate uids" },
    { "impersonate", "authentication.k8s.io", "userextras", "scopes", "impersonate userextras" },
};

void ka_rule_rbac006(ka_ctx *ctx, const ka_object *o)
{
    ka_arena *a = ka_arena_new();
    ka_rbac_rule *rules;
    size_t nr = own_rules(o, a, &rules);
    ka_buf b;
    ka_buf_init(&b);
    for (size_t i = 0; i < nr; i++) {
        const ka_rbac_rule *r = &rules[i];
        ka_buf_reset(&b);
        probe_all(r, powers, N(powers), &b);
        /* userextras/KEY rules name their key */
        for (size_t k = 0; k < r->nres && !strstr(ka_buf_cstr(&b), "userextras"); k++) {
            ka_str s = r->res[k];
            if (s.n > 11 && ka_str_has_prefix(s, "userextras/")) {
                char sub[128];
                snprintf(sub, sizeof sub, "%.*s", (int)(s.n - 11), s.p + 11);
                if (ka_rbac_rule_grants(r, "impersonate", "authentication.k8s.io", "userextras", sub))
                    ka_buf_printf(&b, "%simpersonate userextras", b.n ? ", " : "");
            }
        }
        if (b.n) {
            ka_report(ctx, o, r->node, NULL, "rules[%zu] can %.*s", i, (int)b.n, b.p);
            continue;
        }
        /* the verb named on a resource the API server never checks it on */
        for (size_t v = 0; v < r->nverbs; v++) {
            ka_str verb = r->verbs[v];
            if (!ka_str_eqc(verb, "bind") && !ka_str_eqc(verb, "escalate") &&
                !ka_str_eqc(verb, "impersonate"))
                continue;
            ka_report_sev(ctx, KA_SEV_WARNING, o, r->node, NULL,
                          "rules[%zu] names verb %.*s on resources where the API server never "
                          "checks it (it grants nothing; %s)",
                          i, (int)verb.n, verb.p,
                          ka_str_eqc(verb, "impersonate")
                              ? "impersonate applies to users, groups, serviceaccounts, uids, userextras"
                              : "bind and escalate apply to roles and clusterroles");
            break;
        }
    }
    ka_buf_free(&b);
    ka_arena_free(a);
}

/* ---- RBAC-009 webhooks, CSR approval, PVs, tokens ---------------------- */

/* create, update and patch under one text: every way to write an object */
#define WRITE3(group, res, text) { "create", group, res, "", text }, { "update", group, res, "", text }, \
                                 { "patch", group, res, "", text }
#define ADM "admissionregistration.k8s.io"

void ka_rule_rbac009(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        WRITE3(ADM, "mutatingwebhookconfigurations", "write mutating webhooks"),
        WRITE3(ADM, "validatingwebhookconfigurations", "write validating webhooks"),
        WRITE3(ADM, "mutatingadmissionpolicies", "write admission policies"),
        WRITE3(ADM, "mutatingadmissionpolicybindings", "write admission policies"),
        WRITE3(ADM, "validatingadmissionpolicies", "write admission policies"),
        WRITE3(ADM, "validatingadmissionpolicybindings", "write admission policies"),
        { "update", "certificates.k8s.io", "certificatesigningrequests", "approval", "approve CSRs" },
        { "patch", "certificates.k8s.io", "certificatesigningrequests", "approval", "approve CSRs" },
        { "approve", "certificates.k8s.io", "signers", "", "approve for signers" },
        { "create", "", "persistentvolumes", "", "create PersistentVolumes" },
        { "create", "", "serviceaccounts", "token", "mint ServiceAccount tokens" },
    };
    report_probes(ctx, o, p, N(p), "can");
}

/* ---- RBAC-015 write RBAC -------------------------------------------------- */

#define RBACW(res) { "create", KA_RBAC_API_GROUP, res, "", "create " res }, \
                   { "update", KA_RBAC_API_GROUP, res, "", "update " res }, \
                   { "patch", KA_RBAC_API_GROUP, res, "", "patch " res }

void ka_rule_rbac015(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = { RBACW("roles"), RBACW("clusterroles"), RBACW("rolebindings"),
                               RBACW("clusterrolebindings") };
    report_probes(ctx, o, p, N(p), "can");
}

/* ---- RBAC-019 APIServices and CRDs -------------------------------------- */

void ka_rule_rbac019(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        WRITE3("apiregistration.k8s.io", "apiservices", "write apiservices"),
        WRITE3("apiextensions.k8s.io", "customresourcedefinitions", "write customresourcedefinitions"),
    };
    report_probes(ctx, o, p, N(p), "can");
}

/* ---- RBAC-021 / 028 / 029 / 030 ---------------------------------------- */

void ka_rule_rbac021(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        { "update", "", "namespaces", "", "update namespaces" },
        { "patch", "", "namespaces", "", "patch namespaces" },
    };
    report_probes(ctx, o, p, N(p), "can");
}

void ka_rule_rbac028(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        { "update", "", "nodes", "", "update nodes" },
        { "patch", "", "nodes", "", "patch nodes" },
        { "update", "", "nodes", "status", "update nodes/status" },
        { "patch", "", "nodes", "status", "patch nodes/status" },
    };
    report_probes(ctx, o, p, N(p), "can");
}

void ka_rule_rbac029(ka_ctx *ctx, const ka_object *o)
{
    static const probe p[] = {
        { "delete", "", "events", "", "delete events" },
        { "deletecollection", "", "events", "", "delete events" },
        { "delete", "events.k8s.io", "events", "", "delete events" },
        { "deletecollection", "events.k8s.io", "events", "", "delete events" },
        { "delete", "", "namespaces", "", "delete namespaces" },
        { "deletecollection", "", "namespaces", "", "delete namespaces" },
    };
    report_probes(ctx, o, p, N(p), "can");
}

void ka_rule_rbac030(ka_ctx *ctx, const ka_object *o)
{
    ka_arena *a = ka_arena_new();
    ka_rbac_rule *rules;
    size_t nr = own_rules(o, a, &rules);
    for (size_t i = 0; i < nr; i++)
        if (has_star(rules[i].urls, rules[i].nurls) && rules[i].nverbs)
            ka_report(ctx, o, rules[i].node, NULL, "rules[%zu] allows every non-resource URL", i);
    ka_arena_free(a);
}

/* ---- binding subjects --------------------------------------------------- */

static bool roleref_is(const ka_object *o, const char *const *names, size_t n)
{
    ka_str name = ka_node_str(ka_path(o->root, "roleRef", "name", NULL));
    for (size_t i = 0; i < n; i++)
        if (ka_str_eqc(name, names[i]))
            return true;
    return false;
}

static const char *const harmless_roles[] = { "system:basic-user", "system:discovery",
                                              "system:public-info-viewer",
                                              "system:service-account-issuer-discovery" };

/* Each subject node of a binding (continue moves to the next one). */
#define FOR_SUBJECTS(o, sn)                                                          \
    for (const ka_node *subs_ = ka_get((o)->root, "subjects"); subs_; subs_ = NULL) \
        for (uint32_t i_ = 0; ka_is_seq(subs_) && i_ < ka_node_n(subs_); i_++)              \
            for (const ka_node *sn = KA_SEQ_ITEM(subs_, i_); sn; sn = NULL)

static bool rbac_binding(const ka_object *o)
{
    return ka_str_eqc(o->group, KA_RBAC_API_GROUP) && ka_is_seq(ka_get(o->root, "subjects")) &&
           ka_node_n(ka_get(o->root, "subjects")) > 0;
}

void ka_rule_rbac007(ka_ctx *ctx, const ka_object *o)
{
    if (!rbac_binding(o))
        return;
    ka_str role = ka_node_str(ka_path(o->root, "roleRef", "name", NULL));
    FOR_SUBJECTS(o, sn) {
        ka_str kind = ka_node_str(ka_get(sn, "kind")), name = ka_node_str(ka_get(sn, "name"));
        bool anon = (ka_str_eqc(kind, "User") && ka_str_eqc(name, "system:anonymous")) ||
                    (ka_str_eqc(kind, "Group") && ka_str_eqc(name, "system:unauthenticated"));
        bool all = ka_str_eqc(kind, "Group") && ka_str_eqc(name, "system:authenticated");
        if (anon && !ka_str_eqc(role, "system:public-info-viewer"))
            ka_report_sev(ctx, KA_SEV_ERROR, o, sn, NULL,
                          "grants %.*s to %.*s %.*s: anyone who can reach the API server",
                          (int)role.n, role.p, (int)kind.n, kind.p, (int)name.n, name.p);
        else if (all && !roleref_is(o, harmless_roles, N(harmless_roles)))
            ka_report_sev(ctx, KA_SEV_WARNING, o, sn, NULL,
                          "grants %.*s to Group system:authenticated: every user and every "
                          "ServiceAccount of the cluster",
                          (int)role.n, role.p);
    }
}

void ka_rule_rbac008(ka_ctx *ctx, const ka_object *o)
{
    if (!rbac_binding(o))
        return;
    if (ka_rbac_object_defaults(o) && roleref_is(o, (const char *const[]){ "cluster-admin" }, 1))
        return;
    FOR_SUBJECTS(o, sn) {
        ka_str kind = ka_node_str(ka_get(sn, "kind")), name = ka_node_str(ka_get(sn, "name"));
        if (!ka_str_eqc(name, "system:masters"))
            continue;
        if (ka_str_eqc(kind, "Group"))
            ka_report(ctx, o, sn, NULL,
                      "names Group system:masters, whose members bypass authorization: the "
                      "binding changes nothing and RBAC cannot limit them");
        else
            ka_report(ctx, o, sn, NULL,
                      "names %.*s system:masters; the superuser is the Group system:masters, a "
                      "different identity", (int)kind.n, kind.p);
    }
}

void ka_rule_rbac025(ka_ctx *ctx, const ka_object *o)
{
    if (!rbac_binding(o) || roleref_is(o, harmless_roles, N(harmless_roles)))
        return;
    ka_str role = ka_node_str(ka_path(o->root, "roleRef", "name", NULL));
    FOR_SUBJECTS(o, sn) {
        ka_str kind = ka_node_str(ka_get(sn, "kind")), name = ka_node_str(ka_get(sn, "name"));
        if (!ka_str_eqc(kind, "Group"))
            continue;
        if (ka_str_eqc(name, "system:serviceaccounts"))
            ka_report(ctx, o, sn, NULL, "grants %.*s to every ServiceAccount of the cluster",
                      (int)role.n, role.p);
        else if (ka_str_has_prefix(name, "system:serviceaccounts:"))
            ka_report(ctx, o, sn, NULL, "grants %.*s to every ServiceAccount of namespace %.*s",
                      (int)role.n, role.p, (int)(name.n - 23), name.p + 23);
    }
}

void ka_rule_rbac026(ka_ctx *ctx, const ka_object *o)
{
    if (!rbac_binding(o) || ka_rbac_object_defaults(o))
        return;
    ka_str role = ka_node_str(ka_path(o->root, "roleRef", "name", NULL));
    bool cluster = ka_kind_is(o, "ClusterRoleBinding");
    FOR_SUBJECTS(o, sn) {
        ka_str kind = ka_node_str(ka_get(sn, "kind")), name = ka_node_str(ka_get(sn, "name"));
        ka_str ns = ka_node_str(ka_get(sn, "namespace"));
        if (ka_str_eqc(kind, "ServiceAccount") && ka_str_eqc(name, "default")) {
            if (!ns.n && !cluster)
                ns = o->ns;
            if (ns.n)
                ka_report(ctx, o, sn, NULL,
                          "grants %.*s to ServiceAccount %.*s/default, which every pod of the "
                          "namespace without a serviceAccountName runs as",
                          (int)role.n, role.p, (int)ns.n, ns.p);
        } else if (ka_str_eqc(kind, "User") && ka_str_has_prefix(name, "system:serviceaccount:") &&
                   name.n > 30 && ka_str_eqc((ka_str){ name.p + name.n - 8, 8 }, ":default")) {
            ka_report(ctx, o, sn, NULL,
                      "grants %.*s to %.*s, a namespace's default ServiceAccount, which every pod "
                      "without a serviceAccountName runs as",
                      (int)role.n, role.p, (int)name.n, name.p);
        }
    }
}
