/*
 * rules_ingress.c - the edge: ING-001 (Ingress or Gateway serving plain
 * HTTP) and ING-002 (Ingress / Gateway API route backends naming a Service,
 * or a port of it, that is not in the input).
 *
 * Ingress backends come in two shapes: networking.k8s.io/v1 `service:
 * {name, port: {number | name}}` (or a `resource`), and the v1beta1 /
 * extensions `serviceName` + `servicePort`. The old fields in a v1 object
 * decode to nothing: the API server rejects such a backend, so it is
 * reported as naming no Service (kube-score #363).
 */
#include "net_util.h"

#include <ctype.h>
#include <string.h>

/* ---- host names --------------------------------------------------------- */

static bool host_eq(ka_str a, ka_str b)
{
    if (a.n != b.n)
        return false;
    for (size_t i = 0; i < a.n; i++)
        if (tolower((unsigned char)a.p[i]) != tolower((unsigned char)b.p[i]))
            return false;
    return true;
}

/* Does a certificate name (TLS host) cover host? A wildcard covers exactly
 * one leading label, as certificates do: *.example.com covers a.example.com,
 * not example.com nor a.b.example.com. */
static bool cert_covers(ka_str cert, ka_str host)
{
    if (host_eq(cert, host))
        return true;
    if (cert.n < 3 || cert.p[0] != '*' || cert.p[1] != '.')
        return false;
    ka_str suffix = { cert.p + 1, cert.n - 1 }; /* ".example.com" */
    if (host.n <= suffix.n || !host_eq((ka_str){ host.p + host.n - suffix.n, suffix.n }, suffix))
        return false;
    ka_str label = { host.p, host.n - suffix.n };
    return label.n > 0 && !memchr(label.p, '.', label.n) && !memchr(label.p, '*', label.n);
}

/* Gateway API hostname matching: a listener without hostname takes every
 * host; *.example.com takes any name below example.com (one label or more). */
static bool listener_covers(const ka_node *https_host, const ka_node *http_host)
{
    ka_str a = ka_node_str(https_host), b = ka_node_str(http_host);
    if (!a.n)
        return true;
    if (!b.n)
        return false;
    if (host_eq(a, b))
        return true;
    if (a.n < 3 || a.p[0] != '*' || a.p[1] != '.')
        return false;
    ka_str suffix = { a.p + 1, a.n - 1 };
    return b.n > suffix.n && host_eq((ka_str){ b.p + b.n - suffix.n, suffix.n }, suffix);
}

/* ---- ING-001 ------------------------------------------------------------ */

static void ing001_ingress(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *tls = ka_get(spec, "tls");
    if (!ka_is_seq(tls) || ka_node_n(tls) == 0) {
        ka_report(ctx, o, spec ? spec : o->root, NULL,
                  "Ingress has no tls section: every host it routes is served over plain HTTP");
        return;
    }
    /* an entry without hosts takes the controller's wildcard: every host */
    for (uint32_t t = 0; t < ka_node_n(tls); t++) {
        const ka_node *entry = KA_SEQ_ITEM(tls, t);
        const ka_node *hosts = ka_get(entry, "hosts");
        if (ka_is_map(entry) && (ka_is_null(hosts) || (ka_is_seq(hosts) && ka_node_n(hosts) == 0)))
            return;
    }
    const ka_node *rules = ka_get(spec, "rules");
    for (uint32_t r = 0; ka_is_seq(rules) && r < ka_node_n(rules); r++) {
        const ka_node *hn = ka_get(KA_SEQ_ITEM(rules, r), "host");
        ka_str host = ka_node_str(hn);
        if (!host.n)
            continue; /* a host-less rule: served on whatever the tls hosts are */
        bool covered = false;
        for (uint32_t t = 0; t < ka_node_n(tls) && !covered; t++) {
            const ka_node *hosts = ka_get(KA_SEQ_ITEM(tls, t), "hosts");
            for (uint32_t h = 0; ka_is_seq(hosts) && h < ka_node_n(hosts) && !covered; h++)
                covered = cert_covers(ka_node_str(KA_SEQ_ITEM(hosts, h)), host);
        }
        if (!covered)
            ka_report(ctx, o, hn, NULL,
                      "rules[%u].host %.*s is not covered by any tls[].hosts entry: it is served "
                      "over plain HTTP",
                      r, (int)host.n, host.p);
    }
}

static bool secure_listener(const ka_node *l)
{
    ka_str p = ka_node_str(ka_get(l, "protocol"));
    return ka_str_eqc(p, "HTTPS") || ka_str_eqc(p, "TLS");
}

static void ing001_gateway(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *ls = ka_path(o->spec, "listeners", NULL);
    if (!ka_is_seq(ls))
        return;
    for (uint32_t i = 0; i < ka_node_n(ls); i++) {
        const ka_node *l = KA_SEQ_ITEM(ls, i);
        const ka_node *proto = ka_get(l, "protocol");
        ka_str name = ka_node_str(ka_get(l, "name"));
        const ka_node *host = ka_get(l, "hostname");
        if (ka_str_eqc(ka_node_str(proto), "HTTP")) {
            bool covered = false;
            for (uint32_t j = 0; j < ka_node_n(ls) && !covered; j++)
                covered = secure_listener(KA_SEQ_ITEM(ls, j)) &&
                          listener_covers(ka_get(KA_SEQ_ITEM(ls, j), "hostname"), host);
            if (!covered)
                ka_report(ctx, o, proto, NULL,
                          "listener %.*s serves plain HTTP for %s%s, and no HTTPS listener of the "
                          "Gateway covers it",
                          (int)name.n, name.p, host ? "hostname " : "every hostname",
                          host ? ka_cstr(host) : "");
        } else if (ka_str_eqc(ka_node_str(proto), "HTTPS")) {
            const ka_node *tls = ka_get(l, "tls");
            ka_str mode = ka_node_str(ka_get(tls, "mode"));
            const ka_node *refs = ka_get(tls, "certificateRefs");
            if ((!mode.n || ka_str_eqc(mode, "Terminate")) && (!ka_is_seq(refs) || ka_node_n(refs) == 0))
                ka_report(ctx, o, tls ? tls : proto, NULL,
                          "HTTPS listener %.*s has no tls.certificateRefs: it has no certificate "
                          "to terminate TLS with",
                          (int)name.n, name.p);
        }
    }
}

/* Gateway API kinds only: Istio's networking.istio.io Gateway shares the
 * kind name with another schema. */
static bool gateway_api(const ka_object *o)
{
    return ka_str_eqc(o->group, "gateway.networking.k8s.io");
}

void ka_rule_ing001(ka_ctx *ctx, const ka_object *o)
{
    if (ka_kind_is(o, "Ingress"))
        ing001_ingress(ctx, o);
    else if (gateway_api(o))
        ing001_gateway(ctx, o);
}

/* ---- ING-002 ------------------------------------------------------------ */

static void service_ports_text(ka_buf *b, const ka_node *ports)
{
    for (uint32_t i = 0; ka_is_seq(ports) && i < ka_node_n(ports); i++) {
        const ka_node *p = KA_SEQ_ITEM(ports, i);
        if (!ka_is_map(p))
            continue;
        if (b->n)
            ka_buf_adds(b, ", ");
        ka_buf_adds(b, ka_len(ka_get(p, "port")) ? ka_cstr(ka_get(p, "port")) : "?");
        if (ka_len(ka_get(p, "name"))) {
            ka_buf_addc(b, '/');
            ka_buf_adds(b, ka_cstr(ka_get(p, "name")));
        }
    }
}

/* Does Service svc define the port (a number: spec.ports[].port; a name:
 * spec.ports[].name)? An ExternalName Service without ports forwards
 * whatever port is asked. */
static bool service_has_port(const ka_object *svc, const ka_node *port)
{
    const ka_node *spec = ka_get(svc->root, "spec");
    const ka_node *ports = ka_get(spec, "ports");
    if ((!ka_is_seq(ports) || ka_node_n(ports) == 0) &&
        ka_str_eqc(ka_node_str(ka_get(spec, "type")), "ExternalName"))
        return true;
    int64_t num, v;
    bool by_num = ka_int(port, &num);
    for (uint32_t i = 0; ka_is_seq(ports) && i < ka_node_n(ports); i++) {
        const ka_node *p = KA_SEQ_ITEM(ports, i);
        if (by_num ? (ka_int(ka_get(p, "port"), &v) && v == num)
                   : ka_str_eq(ka_node_str(ka_get(p, "name")), ka_node_str(port)))
            return true;
    }
    return false;
}

/* Check one reference to Service ns/name on port (NULL: absent). `where`
 * names the referring field for the message. */
static void check_ref(ka_ctx *ctx, const ka_object *o, const char *where, ka_str ns,
                      const ka_node *name_node, const ka_node *port, const ka_node *port_parent)
{
    ka_str name = ka_node_str(name_node);
    const ka_object *svc = ka_objset_find(ctx->set, "Service", ns, name);
    if (!svc && ka_present(ctx, "Service", ns, name))
        return; /* declared present outside the input: no ports to compare */
    if (!svc) {
        ka_report(ctx, o, name_node, NULL,
                  "%s names Service %.*s, which is not in namespace %.*s of the input: requests "
                  "routed there fail",
                  where, (int)name.n, name.p, (int)ns.n, ns.p);
        return;
    }
    if (!port || ka_is_null(port) || (ka_is_map(port) && ka_node_n(port) == 0)) {
        ka_report(ctx, o, port ? port : port_parent, NULL,
                  "%s names Service %.*s without a port", where, (int)name.n, name.p);
        return;
    }
    if (service_has_port(svc, port))
        return;
    ka_buf ports;
    ka_buf_init(&ports);
    service_ports_text(&ports, ka_path(svc->root, "spec", "ports", NULL));
    ka_report(ctx, o, port, NULL, "%s asks for port %s, which Service %.*s does not define (ports: %s)",
              where, ka_cstr(port), (int)name.n, name.p, ports.n ? ka_buf_cstr(&ports) : "none");
    ka_buf_free(&ports);
}

static void ingress_backend(ka_ctx *ctx, const ka_object *o, const ka_node *b, const char *where)
{
    if (!ka_is_map(b) || ka_get(b, "resource"))
        return; /* a resource backend (e.g. a storage bucket) is not a Service */
    bool v1 = ka_str_eqc(o->group, "networking.k8s.io") && ka_str_eqc(o->version, "v1");
    const ka_node *svc = ka_get(b, "service");
    const ka_node *old = ka_get(b, "serviceName");
    if (v1 && ka_is_map(svc)) {
        const ka_node *port = ka_get(svc, "port");
        const ka_node *pv = ka_get(port, "number");
        if (!pv || ka_is_null(pv))
            pv = ka_get(port, "name");
        check_ref(ctx, o, where, o->ns, ka_get(svc, "name"), pv, port ? port : svc);
    } else if (!v1 && old && ka_len(old)) {
        check_ref(ctx, o, where, o->ns, old, ka_get(b, "servicePort"), b);
    } else if (v1 && old) {
        ka_report(ctx, o, ka_get_key(b, "serviceName"), NULL,
                  "%s uses serviceName/servicePort, fields of networking.k8s.io/v1beta1: a "
                  "networking.k8s.io/v1 backend names its Service as service: {name, port}, so "
                  "this one names no Service and the API server rejects it",
                  where);
    } else {
        ka_report(ctx, o, b, NULL, "%s names no Service", where);
    }
}

static void ing002_ingress(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *spec = o->spec;
    char where[96];
    ingress_backend(ctx, o, ka_get(spec, "defaultBackend"), "defaultBackend");
    ingress_backend(ctx, o, ka_get(spec, "backend"), "backend");
    const ka_node *rules = ka_get(spec, "rules");
    for (uint32_t r = 0; ka_is_seq(rules) && r < ka_node_n(rules); r++) {
        const ka_node *paths = ka_path(KA_SEQ_ITEM(rules, r), "http", "paths", NULL);
        for (uint32_t p = 0; ka_is_seq(paths) && p < ka_node_n(paths); p++) {
            snprintf(where, sizeof where, "rules[%u].http.paths[%u].backend", r, p);
            const ka_node *b = ka_get(KA_SEQ_ITEM(paths, p), "backend");
            if (!b)
                ka_report(ctx, o, KA_SEQ_ITEM(paths, p), NULL, "%s is missing", where);
            else
                ingress_backend(ctx, o, b, where);
        }
    }
}

/* A Gateway API BackendObjectReference: group "" and kind Service are the
 * defaults; other kinds are left alone. The port is required for Services. */
static void route_ref(ka_ctx *ctx, const ka_object *o, const ka_node *ref, const char *where)
{
    if (!ka_is_map(ref))
        return;
    ka_str group = ka_node_str(ka_get(ref, "group"));
    ka_str kind = ka_node_str(ka_get(ref, "kind"));
    if (group.n || (kind.n && !ka_str_eqc(kind, "Service")))
        return;
    const ka_node *name = ka_get(ref, "name");
    if (!ka_len(name)) {
        ka_report(ctx, o, ref, NULL, "%s names no Service", where);
        return;
    }
    ka_str ns = ka_node_str(ka_get(ref, "namespace"));
    check_ref(ctx, o, where, ns.n ? ns : o->ns, name, ka_get(ref, "port"), ref);
}

static void mirror_filters(ka_ctx *ctx, const ka_object *o, const ka_node *filters, const char *at)
{
    char where[128];
    for (uint32_t f = 0; ka_is_seq(filters) && f < ka_node_n(filters); f++) {
        snprintf(where, sizeof where, "%s.filters[%u].requestMirror.backendRef", at, f);
        route_ref(ctx, o, ka_path(KA_SEQ_ITEM(filters, f), "requestMirror", "backendRef", NULL), where);
    }
}

static void ing002_route(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *rules = ka_path(o->spec, "rules", NULL);
    char where[96];
    for (uint32_t r = 0; ka_is_seq(rules) && r < ka_node_n(rules); r++) {
        const ka_node *rule = KA_SEQ_ITEM(rules, r);
        const ka_node *refs = ka_get(rule, "backendRefs");
        for (uint32_t b = 0; ka_is_seq(refs) && b < ka_node_n(refs); b++) {
            snprintf(where, sizeof where, "rules[%u].backendRefs[%u]", r, b);
            route_ref(ctx, o, KA_SEQ_ITEM(refs, b), where);
            mirror_filters(ctx, o, ka_get(KA_SEQ_ITEM(refs, b), "filters"), where);
        }
        snprintf(where, sizeof where, "rules[%u]", r);
        mirror_filters(ctx, o, ka_get(rule, "filters"), where);
    }
}

void ka_rule_ing002(ka_ctx *ctx, const ka_object *o)
{
    if (ka_kind_is(o, "Ingress"))
        ing002_ingress(ctx, o);
    else if (gateway_api(o))
        ing002_route(ctx, o);
}
