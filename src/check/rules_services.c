/*
 * rules_services.c - Services and what they point at: SVC-001 (selector
 * matching no pod), SVC-002 (targetPort not exposed by the selected pods),
 * SVC-003 (NodePort / LoadBalancer exposure), SVC-004 (StatefulSet
 * serviceName without its headless Service).
 *
 * A Service selects the Pods and workload pod templates of its own namespace
 * (spec.selector is a plain map: every pair must be a label of the pod).
 * Selector-less Services get their endpoints by hand (Endpoints /
 * EndpointSlices, kube-linter #746) and ExternalName Services are a DNS
 * alias: neither selects pods. Lookups go through the object set's label
 * index, so each Service costs what it selects, not the namespace's size.
 */
#include "net_util.h"

#include <stdlib.h>
#include <string.h>

/* ---- the pods a Service selects ---------------------------------------- */

/* Labels that controllers put on the pods they create, never in a template:
 * a Service selecting one pod of a StatefulSet by its pod-name label still
 * targets that StatefulSet (kube-linter PR #465). */
static bool controller_label(ka_str key)
{
    static const char *const keys[] = {
        "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
        "pod-template-hash", "controller-revision-hash",
        "batch.kubernetes.io/job-completion-index", "batch.kubernetes.io/job-name",
        "batch.kubernetes.io/controller-uid", "job-name", "controller-uid",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (ka_str_eqc(key, keys[i]))
            return true;
    return false;
}

/* The selector of a Service that selects pods, without the controller
 * labels; false for ExternalName and selector-less Services. */
static bool service_selector(ka_arena *a, const ka_object *o, ka_selector *out)
{
    const ka_node *spec = o->spec;
    if (ka_str_eqc(ka_node_str(ka_get(spec, "type")), "ExternalName"))
        return false;
    const ka_node *sel = ka_get(spec, "selector");
    if (!ka_is_map(sel) || ka_node_n(sel) == 0)
        return false;
    if (ka_selector_from_map(a, sel, out) != 0)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++)
        if (!controller_label(out->reqs[i].key))
            out->reqs[k++] = out->reqs[i];
    out->n = k;
    return true;
}

static bool is_serving(const ka_container *c)
{
    return c->type == KA_CT_MAIN || c->type == KA_CT_SIDECAR;
}

/* ---- SVC-001 ------------------------------------------------------------ */

void ka_rule_svc001(ka_ctx *ctx, const ka_object *o)
{
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    if (service_selector(a, o, &sel) && !ka_first_pod_matching(ctx->set, o->ns, &sel)) {
        ka_buf text;
        ka_buf_init(&text);
        ka_selector_string(&sel, &text);
        ka_report(ctx, o, ka_path(o->spec, "selector", NULL), NULL,
                  "selector (%s) matches no Pod or workload pod template of namespace %.*s: the "
                  "Service has no endpoints",
                  text.n ? ka_buf_cstr(&text) : "only controller-set labels", (int)o->ns.n, o->ns.p);
        ka_buf_free(&text);
    }
    ka_arena_free(a);
}

/* ---- SVC-002 ------------------------------------------------------------ */

static ka_str port_protocol(const ka_node *port)
{
    ka_str p = ka_node_str(ka_get(port, "protocol"));
    return p.n ? p : KA_STR("TCP");
}

typedef struct portscan {
    bool declared;      /* some serving container declares a port */
    bool found;         /* the target is among them */
    ka_str other_proto; /* a named target exists, for this other protocol */
} portscan;

static void scan_pods(const ka_objvec *pods, ka_str name, int64_t num, ka_str proto, portscan *ps)
{
    memset(ps, 0, sizeof *ps);
    for (size_t i = 0; i < pods->n && !ps->found; i++) {
        const ka_object *p = pods->v[i];
        KA_FOR_CONTAINERS(p, c) {
            if (!is_serving(c))
                continue;
            const ka_node *ports = ka_get(c->node, "ports");
            for (uint32_t j = 0; ka_is_seq(ports) && j < ka_node_n(ports); j++) {
                const ka_node *cp = KA_SEQ_ITEM(ports, j);
                int64_t v;
                ps->declared = true;
                if (name.n) {
                    if (!ka_str_eq(ka_node_str(ka_get(cp, "name")), name))
                        continue;
                    if (ka_str_eq(port_protocol(cp), proto))
                        ps->found = true;
                    else
                        ps->other_proto = port_protocol(cp);
                } else if (ka_int(ka_get(cp, "containerPort"), &v) && v == num) {
                    ps->found = true;
                }
            }
        }
    }
}

static void selected_names(ka_buf *b, const ka_objvec *pods)
{
    for (size_t i = 0; i < pods->n && i < 3; i++) {
        if (i)
            ka_buf_adds(b, ", ");
        ka_buf_kind_name(b, pods->v[i]);
    }
    if (pods->n > 3)
        ka_buf_printf(b, " and %zu more", pods->n - 3);
}

static void check_service_port(ka_ctx *ctx, const ka_object *o, const ka_node *port, uint32_t i,
                               const ka_objvec *pods, ka_buf *names)
{
    const ka_node *tp = ka_get(port, "targetPort");
    const ka_node *at = tp;
    ka_str name = { "", 0 };
    int64_t num = 0;
    if (!tp || ka_is_null(tp)) {
        at = ka_get(port, "port"); /* targetPort defaults to port */
        if (!ka_int(at, &num))
            return;
    } else if (!ka_int(tp, &num)) {
        name = ka_node_str(tp);
        if (!name.n)
            return;
    }
    ka_str proto = port_protocol(port);
    portscan ps;
    scan_pods(pods, name, num, proto, &ps);
    if (ps.found)
        return;
    ka_buf_reset(names);
    selected_names(names, pods);
    if (name.n) {
        if (ps.other_proto.n)
            ka_report(ctx, o, at, NULL,
                      "ports[%u].targetPort \"%.*s\" names a containerPort of the selected pods "
                      "(%s) for %.*s, not %.*s: traffic to this port goes nowhere",
                      i, (int)name.n, name.p, ka_buf_cstr(names), (int)ps.other_proto.n,
                      ps.other_proto.p, (int)proto.n, proto.p);
        else
            ka_report(ctx, o, at, NULL,
                      "ports[%u].targetPort \"%.*s\" names no %.*s containerPort of the selected "
                      "pods (%s): traffic to this port goes nowhere",
                      i, (int)name.n, name.p, (int)proto.n, proto.p, ka_buf_cstr(names));
    } else if (ps.declared) {
        /* containerPorts are informational: the pod may listen anyway, so a
         * numbered port is a warning (as in PRB-004) */
        ka_report_sev(ctx, KA_SEV_WARNING, o, at, NULL,
                      "ports[%u] targets port %lld, which none of the selected pods (%s) declares "
                      "among its containerPorts",
                      i, (long long)num, ka_buf_cstr(names));
    }
}

void ka_rule_svc002(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *ports = ka_path(o->spec, "ports", NULL);
    if (!ka_is_seq(ports) || ka_node_n(ports) == 0)
        return;
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    if (service_selector(a, o, &sel)) {
        ka_objvec pods = { 0, 0, NULL };
        ka_objset_pods_matching(ctx->set, o->ns, &sel, &pods);
        if (pods.n) { /* selecting nothing is SVC-001's finding */
            ka_buf names;
            ka_buf_init(&names);
            for (uint32_t i = 0; i < ka_node_n(ports); i++)
                if (ka_is_map(KA_SEQ_ITEM(ports, i)))
                    check_service_port(ctx, o, KA_SEQ_ITEM(ports, i), i, &pods, &names);
            ka_buf_free(&names);
        }
        free(pods.v);
    }
    ka_arena_free(a);
}

/* ---- SVC-003 ------------------------------------------------------------ */

/* Cloud annotations that give a LoadBalancer Service a private address: it
 * is reachable from the VPC, not from the internet. */
static bool internal_load_balancer(const ka_object *o)
{
    static const struct { const char *key, *val; } marks[] = {
        { "service.beta.kubernetes.io/aws-load-balancer-internal", NULL },
        { "service.beta.kubernetes.io/aws-load-balancer-scheme", "internal" },
        { "networking.gke.io/load-balancer-type", "Internal" },
        { "cloud.google.com/load-balancer-type", "Internal" },
        { "service.beta.kubernetes.io/azure-load-balancer-internal", "true" },
        { "service.beta.kubernetes.io/oci-load-balancer-internal", "true" },
        { "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private" },
    };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        ka_str v;
        if (!ka_labels_get(&o->annotations, ka_str_c(marks[i].key), &v))
            continue;
        if (marks[i].val ? ka_str_eqc(v, marks[i].val) : !ka_str_eqc(v, "false"))
            return true;
    }
    return false;
}

static bool open_range(ka_str r)
{
    return ka_str_eqc(r, "0.0.0.0/0") || ka_str_eqc(r, "::/0");
}

void ka_rule_svc003(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *type = ka_get(spec, "type");
    ka_str t = ka_node_str(type);
    if (ka_str_eqc(t, "NodePort")) {
        ka_report(ctx, o, type, NULL,
                  "type NodePort opens the Service's ports on every node of the cluster, around "
                  "any Ingress or Gateway");
        return;
    }
    if (!ka_str_eqc(t, "LoadBalancer") || internal_load_balancer(o))
        return;
    const ka_node *ranges = ka_get(spec, "loadBalancerSourceRanges");
    if (ka_is_seq(ranges) && ka_node_n(ranges) > 0) {
        for (uint32_t i = 0; i < ka_node_n(ranges); i++)
            if (open_range(ka_node_str(KA_SEQ_ITEM(ranges, i)))) {
                ka_report(ctx, o, KA_SEQ_ITEM(ranges, i), NULL,
                          "loadBalancerSourceRanges admits every address (%s)",
                          ka_cstr(KA_SEQ_ITEM(ranges, i)));
                return;
            }
        return;
    }
    /* the older annotation does the same as the field */
    ka_str v;
    if (ka_labels_get(&o->annotations, KA_STR("service.beta.kubernetes.io/load-balancer-source-ranges"),
                      &v) &&
        v.n && !ka_str_contains(v, "0.0.0.0/0") && !ka_str_contains(v, "::/0"))
        return;
    ka_report(ctx, o, type, NULL,
              "type LoadBalancer without loadBalancerSourceRanges is reachable from anywhere the "
              "load balancer is (usually the internet)");
}

/* ---- SVC-004 ------------------------------------------------------------ */

void ka_rule_svc004(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *sn = ka_path(o->spec, "serviceName", NULL);
    ka_str name = ka_node_str(sn);
    if (!name.n || !o->pod)
        return; /* serviceName is optional: no stable DNS names were asked for */
    if (!ka_dns1123_label(name)) {
        ka_report(ctx, o, sn, NULL,
                  "serviceName \"%.*s\" is not a DNS-1123 label: the controller cannot create pods "
                  "with it as their subdomain",
                  (int)name.n, name.p);
        return;
    }
    const ka_object *svc = ka_objset_find(ctx->set, "Service", o->ns, name);
    if (!svc && ka_present(ctx, "Service", o->ns, name))
        return; /* declared present outside the input: cannot be judged */
    if (!svc) {
        ka_report(ctx, o, sn, NULL,
                  "serviceName %.*s names no Service of namespace %.*s: the pods get no stable DNS "
                  "names",
                  (int)name.n, name.p, (int)o->ns.n, o->ns.p);
        return;
    }
    const ka_node *cip = ka_path(svc->root, "spec", "clusterIP", NULL);
    if (!ka_str_eqc(ka_node_str(cip), "None")) {
        ka_report(ctx, o, sn, NULL,
                  "Service %.*s is not headless (spec.clusterIP is %s, not None): the pods get no "
                  "per-pod DNS names",
                  (int)name.n, name.p, cip ? ka_cstr(cip) : "unset");
        return;
    }
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    if (!service_selector(a, svc, &sel) || !ka_selector_matches(&sel, &o->pod->labels))
        ka_report(ctx, o, sn, NULL,
                  "headless Service %.*s does not select the StatefulSet's pods (its selector "
                  "misses the pod template labels): their DNS records are never published",
                  (int)name.n, name.p);
    ka_arena_free(a);
}
