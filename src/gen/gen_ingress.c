/*
 * gen_ingress.c - the public entry of a cluster: Gateway API (GatewayClass,
 * Gateway with an HTTPS listener and an HTTP listener that only redirects
 * and answers ACME challenges) or an IngressClass, and TLS from cert-manager
 * (ClusterIssuer + Certificate). Written only when some environment of the
 * cluster has an internet-facing tier with workloads.
 */
#include "gen_int.h"

#include <stdlib.h>
#include <string.h>

static const char *controller_name(const char *impl, bool gateway)
{
    static const char *const gw[][2] = {
        { "envoy-gateway", "gateway.envoyproxy.io/gatewayclass-controller" },
        { "contour", "projectcontour.io/gateway-controller" },
        { "istio", "istio.io/gateway-controller" },
        { "nginx-gateway-fabric", "gateway.nginx.org/nginx-gateway-controller" },
        { "traefik", "traefik.io/gateway-controller" },
        { "cilium", "io.cilium/gateway-controller" },
    };
    static const char *const ing[][2] = {
        { "contour", "projectcontour.io/ingress-controller" },
        { "traefik", "traefik.io/ingress-controller" },
        { "nginx", "nginx.org/ingress-controller" },
    };
    const char *const(*t)[2] = gateway ? gw : ing;
    size_t n = gateway ? sizeof gw / sizeof *gw : sizeof ing / sizeof *ing;
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i][0], impl) == 0)
            return t[i][1];
    return impl;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static ynode *cluster_issuer(gctx *g, bool gateway)
{
    ybuild *b = &g->yb;
    const ka_spec_networking *n = &g->s->net;
    ynode *meta, *o = y_object(b, "cert-manager.io/v1", "ClusterIssuer", NULL, "letsencrypt", &meta);
    g_labels(g, meta, NULL, "tls");
    ynode *acme = y_putmap(b, y_putmap(b, o, "spec"), "acme");
    y_putstr(b, acme, "email", n->acme_email);
    y_putstr(b, y_putmap(b, acme, "privateKeySecretRef"), "name", "letsencrypt-account");
    y_putstr(b, acme, "server", n->acme_server);
    ynode *http01 = y_putmap(b, y_addmap(b, y_putseq(b, acme, "solvers")), "http01");
    if (gateway) {
        ynode *pr = y_addmap(b, y_putseq(b, y_putmap(b, http01, "gatewayHTTPRoute"), "parentRefs"));
        y_putstr(b, pr, "kind", "Gateway");
        y_putstr(b, pr, "name", "public");
        y_putstr(b, pr, "namespace", n->ingress_ns);
        y_putstr(b, pr, "sectionName", "http");
    } else {
        y_putstr(b, y_putmap(b, http01, "ingress"), "ingressClassName", n->ingress_impl);
    }
    return o;
}

static ynode *certificate(gctx *g, const char *name, const char **hosts, size_t nhosts)
{
    ybuild *b = &g->yb;
    ynode *meta, *o = y_object(b, "cert-manager.io/v1", "Certificate", g->s->net.ingress_ns, name,
                               &meta);
    g_labels(g, meta, NULL, "tls");
    ynode *spec = y_putmap(b, o, "spec");
    ynode *dns = y_putseq(b, spec, "dnsNames");
    for (size_t i = 0; i < nhosts; i++)
        y_addstr(b, dns, hosts[i]);
    y_putstr(b, spec, "duration", "2160h0m0s");
    ynode *ref = y_putmap(b, spec, "issuerRef");
    y_putstr(b, ref, "group", "cert-manager.io");
    y_putstr(b, ref, "kind", "ClusterIssuer");
    y_putstr(b, ref, "name", "letsencrypt");
    ynode *pk = y_putmap(b, spec, "privateKey");
    y_putstr(b, pk, "algorithm", "ECDSA");
    y_putstr(b, pk, "rotationPolicy", "Always");
    y_putint(b, pk, "size", 256);
    y_putstr(b, spec, "renewBefore", "720h0m0s");
    y_putstr(b, spec, "secretName", name);
    return o;
}

static void gateway_objs(gctx *g, const ka_spec_cluster *c, const char **hosts, size_t nhosts,
                         ylist *l)
{
    ybuild *b = &g->yb;
    const ka_spec_networking *n = &g->s->net;
    ynode *meta, *o = y_object(b, "gateway.networking.k8s.io/v1", "GatewayClass", NULL,
                               n->ingress_impl, &meta);
    g_labels(g, meta, NULL, "ingress");
    y_putstr(b, y_putmap(b, o, "spec"), "controllerName", controller_name(n->ingress_impl, true));
    yl_add(g, l, o);

    o = y_object(b, "gateway.networking.k8s.io/v1", "Gateway", n->ingress_ns, "public", &meta);
    g_labels(g, meta, NULL, "ingress");
    ynode *spec = y_putmap(b, o, "spec");
    y_putstr(b, spec, "gatewayClassName", n->ingress_impl);
    ynode *ls = y_putseq(b, spec, "listeners");
    /* HTTP: only the redirect below and cert-manager's ACME challenges */
    ynode *http = y_addmap(b, ls);
    y_putstr(b, y_putmap(b, y_putmap(b, http, "allowedRoutes"), "namespaces"), "from", "Same");
    y_putstr(b, http, "name", "http");
    y_putint(b, http, "port", 80);
    y_putstr(b, http, "protocol", "HTTP");
    /* HTTPS: routes of the environments with public tiers */
    ynode *https = y_addmap(b, ls);
    ynode *ns = y_putmap(b, y_putmap(b, https, "allowedRoutes"), "namespaces");
    y_putstr(b, ns, "from", "Selector");
    ynode *me = y_addmap(b, y_putseq(b, y_putmap(b, ns, "selector"), "matchExpressions"));
    y_putstr(b, me, "key", "kubernetes.io/metadata.name");
    y_putstr(b, me, "operator", "In");
    ynode *vals = y_putseq(b, me, "values");
    for (size_t i = 0; i < c->nenvs; i++)
        if (g_env_public(g->s, c->envs[i]))
            y_addstr(b, vals, c->envs[i]->ns);
    y_putstr(b, https, "name", "https");
    y_putint(b, https, "port", 443);
    y_putstr(b, https, "protocol", "HTTPS");
    ynode *tls = y_putmap(b, https, "tls");
    ynode *cr = y_addmap(b, y_putseq(b, tls, "certificateRefs"));
    y_putstr(b, cr, "kind", "Secret");
    y_putstr(b, cr, "name", "public-tls");
    y_putstr(b, tls, "mode", "Terminate");
    yl_add(g, l, o);

    o = y_object(b, "gateway.networking.k8s.io/v1", "HTTPRoute", n->ingress_ns, "https-redirect",
                 &meta);
    g_labels(g, meta, NULL, "ingress");
    spec = y_putmap(b, o, "spec");
    ynode *pr = y_addmap(b, y_putseq(b, spec, "parentRefs"));
    y_putstr(b, pr, "name", "public");
    y_putstr(b, pr, "sectionName", "http");
    ynode *f = y_addmap(b, y_putseq(b, y_addmap(b, y_putseq(b, spec, "rules")), "filters"));
    ynode *rr = y_putmap(b, f, "requestRedirect");
    y_putstr(b, rr, "scheme", "https");
    y_putint(b, rr, "statusCode", 301);
    y_putstr(b, f, "type", "RequestRedirect");
    yl_add(g, l, o);

    yl_add(g, l, cluster_issuer(g, true));
    yl_add(g, l, certificate(g, "public-tls", hosts, nhosts));
}

static void ingress_objs(gctx *g, const char **hosts, size_t nhosts, ylist *l)
{
    ybuild *b = &g->yb;
    const ka_spec_networking *n = &g->s->net;
    ynode *meta, *o = y_object(b, "networking.k8s.io/v1", "IngressClass", NULL, n->ingress_impl,
                               &meta);
    y_putstr(b, y_putmap(b, meta, "annotations"), "ingressclass.kubernetes.io/is-default-class",
             "true");
    g_labels(g, meta, NULL, "ingress");
    y_putstr(b, y_putmap(b, o, "spec"), "controller", controller_name(n->ingress_impl, false));
    yl_add(g, l, o);
    yl_add(g, l, cluster_issuer(g, false));
    /* the controller's default certificate, served when no Ingress matches
     * the SNI name; it lives in the controller's namespace */
    yl_add(g, l, certificate(g, "default-tls", hosts, nhosts));
}

void ka__gen_ingress(gctx *g, const ka_spec_cluster *c)
{
    const ka_spec *s = g->s;
    size_t nhosts = 0;
    const char **hosts = ka_xcalloc(s->nworkloads + 1, sizeof *hosts);
    for (size_t i = 0; i < s->nworkloads; i++) {
        const ka_spec_workload *w = &s->workloads[i];
        if (!ka_spec_cluster_runs(c, w->env))
            continue;
        for (size_t f = 0; f < w->tier_ref->nfrom; f++)
            if (strcmp(w->tier_ref->from[f], KA_PEER_INTERNET) == 0) {
                hosts[nhosts++] = g_host(g, w->env, w);
                break;
            }
    }
    if (nhosts) {
        qsort(hosts, nhosts, sizeof *hosts, cmp_cstr);
        ylist l = { 0 };
        if (s->net.ingress_api == KA_INGRESS_GATEWAY_API)
            gateway_objs(g, c, hosts, nhosts, &l);
        else
            ingress_objs(g, hosts, nhosts, &l);
        const char *unit = g_cluster_unit(g, c);
        g_file(g, unit, y_strf(&g->yb, "%s/platform/ingress.yaml", unit)->s, &l);
    }
    free(hosts);
}
