/*
 * compile.c - NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy
 * objects into rules the evaluator can run.
 *
 * Validation follows what the API server (NetworkPolicy) or the CRD schema
 * (ANP / BANP) would reject: such an object never exists in a cluster, so it
 * is reported as an input error at its file:line:col and left out of the
 * analysis as a whole.
 */
#include "np_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cctx {
    ka_netpol *net;
    const ka_object *o;
    ka_diags *d;
    np_issues *issues;
    int errors;
} cctx;

static void bad(cctx *c, const ka_node *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

void np_issues_free(np_issues *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i].msg);
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

static void bad(cctx *c, const ka_node *at, const char *fmt, ...)
{
    c->errors++;
    if (!c->d && !c->issues)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!at)
        at = c->o->root;
    if (c->issues) {
        np_issues *v = c->issues;
        if (v->n == v->cap) {
            v->cap = v->cap ? v->cap * 2 : 8;
            v->v = ka_xrealloc(v->v, v->cap * sizeof *v->v);
        }
        v->v[v->n++] = (np_issue){ at, ka_xstrdup(msg) };
    }
    if (!c->d)
        return;
    ka_buf ref;
    ka_buf_init(&ref);
    ka_object_ref(c->o, &ref);
    ka_diag_add(c->d, KA_DIAG_ERROR, c->o->file->src.path, at->line, at->col, "%s: %s",
                ka_buf_cstr(&ref), msg);
    ka_buf_free(&ref);
}

static void warn(cctx *c, const ka_node *at, const char *msg)
{
    if (!c->d)
        return;
    ka_buf ref;
    ka_buf_init(&ref);
    ka_object_ref(c->o, &ref);
    ka_diag_add(c->d, KA_DIAG_WARNING, c->o->file->src.path, at->line, at->col, "%s: %s",
                ka_buf_cstr(&ref), msg);
    ka_buf_free(&ref);
}

static bool present(const ka_node *n)
{
    return n && !ka_is_null(n);
}

/* base.field or base.field[idx] (idx >= 0) into out, as snprintf would
 * (truncated, always terminated): paths are built for every rule, peer and
 * port, and only read when something is wrong, so they must be cheap. */
static void jpath(char *out, size_t n, const char *base, const char *field, long idx)
{
    size_t k = 0;
    for (const char *p = base; *p && k + 1 < n; p++)
        out[k++] = *p;
    if (k + 1 < n)
        out[k++] = '.';
    for (const char *p = field; *p && k + 1 < n; p++)
        out[k++] = *p;
    if (idx >= 0) {
        char digits[24];
        size_t nd = 0;
        unsigned long v = (unsigned long)idx;
        do {
            digits[nd++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (k + 1 < n)
            out[k++] = '[';
        while (nd && k + 1 < n)
            out[k++] = digits[--nd];
        if (k + 1 < n)
            out[k++] = ']';
    }
    if (n)
        out[k] = '\0';
}

/* A LabelSelector field; absent/null gives `absent_sel` (empty or nothing). */
static void selector(cctx *c, const ka_node *n, const char *path, bool absent_all, ka_selector *out)
{
    char err[256];
    const ka_node *badn = NULL;
    if (!present(n)) {
        memset(out, 0, sizeof *out);
        out->nothing = !absent_all;
        return;
    }
    if (ka_selector_from_node(c->net->arena, n, out, &badn, err, sizeof err) < 0) {
        bad(c, badn ? badn : n, "%s: %s", path, err);
        memset(out, 0, sizeof *out);
        out->nothing = true;
    }
}

/* IANA_SVC_NAME (pkg/util/validation IsValidPortName): 1-15 of [a-z0-9-],
 * at least one letter, no leading/trailing/double hyphen. */
static bool valid_port_name(ka_str s)
{
    if (s.n == 0 || s.n > 15 || s.p[0] == '-' || s.p[s.n - 1] == '-')
        return false;
    bool letter = false;
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        if (ch >= 'a' && ch <= 'z')
            letter = true;
        else if (!(ch >= '0' && ch <= '9') && ch != '-')
            return false;
        if (ch == '-' && i + 1 < s.n && s.p[i + 1] == '-')
            return false;
    }
    return letter;
}

static int protocol(cctx *c, const ka_node *n, const char *path)
{
    if (!present(n))
        return KA_PROTO_TCP; /* the API defaults protocol to TCP */
    if (!ka_is_scalar(n)) {
        bad(c, n, "%s.protocol: must be a string: \"TCP\", \"UDP\" or \"SCTP\"", path);
        return KA_PROTO_TCP;
    }
    int p = ka_proto_parse(ka_node_str(n));
    if (p < 0)
        bad(c, n, "%s.protocol: unsupported value \"%s\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
            path, ka_cstr(n));
    return p < 0 ? KA_PROTO_TCP : p;
}

static bool port_number(cctx *c, const ka_node *n, const char *path, const char *field,
                        uint16_t *out)
{
    int64_t v;
    if (!ka_int(n, &v)) {
        bad(c, n, "%s.%s: must be a number", path, field);
        return false;
    }
    if (v < KA_PORT_MIN || v > KA_PORT_MAX) {
        bad(c, n, "%s.%s: must be between 1 and 65535, inclusive", path, field);
        return false;
    }
    *out = (uint16_t)v;
    return true;
}

/* One NetworkPolicyPort. */
static void np_port_entry(cctx *c, const ka_node *pn, const char *path, np_port *out)
{
    memset(out, 0, sizeof *out);
    out->node = pn;
    if (!ka_is_map(pn)) {
        bad(c, pn, "%s: must be a mapping", path);
        return;
    }
    out->proto = (uint8_t)protocol(c, ka_get(pn, "protocol"), path);
    const ka_node *port = ka_get(pn, "port"), *end = ka_get(pn, "endPort");
    int64_t v;
    if (!present(port)) {
        out->kind = NP_PORT_ALLPORTS;
        if (present(end))
            bad(c, end, "%s.endPort: may not be specified when `port` is not specified", path);
        return;
    }
    if (ka_int(port, &v)) {
        if (!port_number(c, port, path, "port", &out->lo))
            return;
        out->kind = NP_PORT_RANGE;
        out->hi = out->lo;
        if (present(end)) {
            uint16_t e;
            if (port_number(c, end, path, "endPort", &e)) {
                if (e < out->lo)
                    bad(c, end, "%s.endPort: must be greater than or equal to `port`", path);
                out->hi = e;
            }
        }
        return;
    }
    ka_str name = ka_node_str(port);
    out->kind = NP_PORT_NAMED;
    out->name = name;
    if (!ka_is_scalar(port))
        bad(c, port, "%s.port: must be a port number (1-65535) or a port name", path);
    else if (!valid_port_name(name))
        bad(c, port, "%s.port: \"%s\" is neither a port number (1-65535) nor a valid port name "
                     "(1-15 lower-case letters, digits and '-', at least one letter)",
            path, ka_cstr(port));
    if (present(end))
        bad(c, end, "%s.endPort: may not be specified when `port` is non-numeric", path);
}

/* An ipBlock or an ANP network as a unit, de-duplicated by its text. */
static uint32_t add_unit(ka_netpol *net, const np_cidr *cidr, const np_cidr *ex, size_t nex,
                         bool pod_ips)
{
    ka_buf key;
    ka_buf_init(&key);
    ka_buf_printf(&key, "%d|", pod_ips);
    np_addr_text(&cidr->a, &key);
    ka_buf_printf(&key, "/%u", cidr->bits);
    for (size_t i = 0; i < nex; i++) {
        ka_buf_addc(&key, ',');
        np_addr_text(&ex[i].a, &key);
        ka_buf_printf(&key, "/%u", ex[i].bits);
    }
    void **slot = ka_hmap_slot(&net->unitmap, (ka_str){ key.p, key.n });
    ka_buf_free(&key);
    if (*slot)
        return (uint32_t)((uintptr_t)*slot - 1);
    if (net->nunits == net->capunits) {
        net->capunits = net->capunits ? net->capunits * 2 : 16;
        net->units = ka_xrealloc(net->units, net->capunits * sizeof *net->units);
    }
    np_unit *u = &net->units[net->nunits];
    u->cidr = *cidr;
    u->nexcept = nex;
    u->except = nex ? ka_arena_alloc(net->arena, nex * sizeof *ex) : NULL;
    if (nex)
        memcpy(u->except, ex, nex * sizeof *ex);
    u->pod_ips = pod_ips;
    *slot = (void *)(uintptr_t)(net->nunits + 1);
    return (uint32_t)net->nunits++;
}

static void ipblock(cctx *c, const ka_node *ib, const char *path, np_peer *out)
{
    char err[256];
    out->kind = NP_PEER_CIDR;
    if (!ka_is_map(ib)) {
        bad(c, ib, "%s.ipBlock: must be a mapping", path);
        return;
    }
    const ka_node *cn = ka_get(ib, "cidr"), *en = ka_get(ib, "except");
    np_cidr cidr;
    if (!present(cn)) {
        bad(c, ib, "%s.ipBlock.cidr: Required value", path);
        return;
    }
    if (np_cidr_parse(ka_node_str(cn), false, &cidr, err, sizeof err) < 0) {
        bad(c, cn, "%s.ipBlock.cidr: %s", path, err);
        return;
    }
    size_t nex = ka_is_seq(en) ? ka_node_n(en) : 0;
    np_cidr *ex = nex ? ka_xcalloc(nex, sizeof *ex) : NULL;
    if (present(en) && !ka_is_seq(en))
        bad(c, en, "%s.ipBlock.except: must be a list", path);
    for (size_t i = 0; i < nex; i++) {
        const ka_node *x = KA_SEQ_ITEM(en, i);
        if (np_cidr_parse(ka_node_str(x), false, &ex[i], err, sizeof err) < 0)
            bad(c, x, "%s.ipBlock.except[%zu]: %s", path, i, err);
        else if (!np_cidr_strict_subset(&ex[i], &cidr))
            bad(c, x, "%s.ipBlock.except[%zu]: must be a strict subset of `cidr`", path, i);
    }
    out->unit = add_unit(c->net, &cidr, ex, nex, c->net->opts.ipblock_pod_ips);
    free(ex);
}

/* One NetworkPolicyPeer. */
static void np_peer_entry(cctx *c, const ka_node *pn, const char *path, np_peer *out)
{
    memset(out, 0, sizeof *out);
    out->node = pn;
    if (!ka_is_map(pn)) {
        bad(c, pn, "%s: must be a mapping", path);
        out->kind = NP_PEER_NOTHING;
        return;
    }
    const ka_node *ps = ka_get(pn, "podSelector"), *ns = ka_get(pn, "namespaceSelector");
    const ka_node *ib = ka_get(pn, "ipBlock");
    int npeers = present(ps) + present(ns) + present(ib);
    if (npeers == 0) {
        bad(c, pn, "%s: must specify a peer", path);
        out->kind = NP_PEER_NOTHING;
        return;
    }
    if (present(ib)) {
        if (npeers > 1)
            bad(c, pn, "%s: may not specify more than 1 peer when ipBlock is specified", path);
        ipblock(c, ib, path, out);
        return;
    }
    char sub[300];
    out->kind = NP_PEER_SEL;
    /* namespaceSelector alone: all pods of the selected namespaces; podSelector
     * alone: pods of the policy's own namespace; both in one peer: AND */
    out->ns_mode = present(ns) ? NP_NS_SEL : NP_NS_OWN;
    if (present(ns)) {
        jpath(sub, sizeof sub, path, "namespaceSelector", -1);
        selector(c, ns, sub, true, &out->nssel);
    }
    out->has_podsel = present(ps);
    if (present(ps)) {
        jpath(sub, sizeof sub, path, "podSelector", -1);
        selector(c, ps, sub, true, &out->podsel);
    }
}

static void np_rules(cctx *c, const ka_node *list, const char *dirname, const char *peerkey,
                     np_policy *p, int dir)
{
    if (!present(list))
        return;
    if (!ka_is_seq(list)) {
        bad(c, list, "spec.%s: must be a list", dirname);
        return;
    }
    p->nrules[dir] = ka_node_n(list);
    p->rules[dir] = ka_node_n(list) ? ka_arena_zalloc(c->net->arena, ka_node_n(list) * sizeof(np_rule)) : NULL;
    for (uint32_t i = 0; i < ka_node_n(list); i++) {
        const ka_node *rn = KA_SEQ_ITEM(list, i);
        np_rule *r = &p->rules[dir][i];
        char path[128];
        jpath(path, sizeof path, "spec", dirname, (long)i);
        r->index = (int)i;
        r->action = NP_ALLOW;
        r->node = rn;
        if (!ka_is_map(rn) && !ka_is_null(rn)) {
            bad(c, rn, "%s: must be a mapping", path);
            continue;
        }
        const ka_node *peers = ka_get(rn, peerkey);
        const ka_node *ports = ka_get(rn, "ports");
        /* absent or empty from / to: every source / destination, in or out of the cluster */
        r->all_peers = !ka_is_seq(peers) || ka_node_n(peers) == 0;
        if (present(peers) && !ka_is_seq(peers))
            bad(c, peers, "%s.%s: must be a list", path, peerkey);
        if (!r->all_peers) {
            r->npeers = ka_node_n(peers);
            r->peers = ka_arena_zalloc(c->net->arena, ka_node_n(peers) * sizeof(np_peer));
            for (uint32_t j = 0; j < ka_node_n(peers); j++) {
                char pp[160];
                jpath(pp, sizeof pp, path, peerkey, (long)j);
                np_peer_entry(c, KA_SEQ_ITEM(peers, j), pp, &r->peers[j]);
            }
        }
        /* absent or empty ports: every port of every protocol */
        r->all_ports = !ka_is_seq(ports) || ka_node_n(ports) == 0;
        if (present(ports) && !ka_is_seq(ports))
            bad(c, ports, "%s.ports: must be a list", path);
        if (!r->all_ports) {
            r->nports = ka_node_n(ports);
            r->ports = ka_arena_zalloc(c->net->arena, ka_node_n(ports) * sizeof(np_port));
            for (uint32_t j = 0; j < ka_node_n(ports); j++) {
                char pp[160];
                jpath(pp, sizeof pp, path, "ports", (long)j);
                np_port_entry(c, KA_SEQ_ITEM(ports, j), pp, &r->ports[j]);
            }
        }
    }
}

static bool compile_np(cctx *c, np_policy *p)
{
    const ka_node *spec = ka_get(c->o->root, "spec");
    memset(p, 0, sizeof *p);
    p->obj = c->o;
    p->tier = NP_TIER_NP;
    if (present(spec) && !ka_is_map(spec)) {
        bad(c, spec, "spec: must be a mapping");
        return false;
    }
    const ka_node *pt = ka_get(spec, "policyTypes");
    if (present(pt)) {
        if (!ka_is_seq(pt)) {
            bad(c, pt, "spec.policyTypes: must be a list");
        } else {
            if (ka_node_n(pt) > 2)
                bad(c, pt, "spec.policyTypes: may not specify more than two policyTypes");
            for (uint32_t i = 0; i < ka_node_n(pt); i++) {
                ka_str t = ka_node_str(KA_SEQ_ITEM(pt, i));
                if (!ka_str_eqc(t, "Ingress") && !ka_str_eqc(t, "Egress"))
                    bad(c, KA_SEQ_ITEM(pt, i),
                        "spec.policyTypes[%u]: unsupported value \"%.*s\": supported values: "
                        "\"Ingress\", \"Egress\"",
                        i, (int)t.n, t.p);
            }
        }
    }
    p->types = ka_netpol_types(c->o);
    /* podSelector is required, but a null one decodes as {}: every pod */
    selector(c, ka_get(spec, "podSelector"), "spec.podSelector", true, &p->podsel);
    np_rules(c, ka_get(spec, "ingress"), "ingress", "from", p, NP_DIR_IN);
    np_rules(c, ka_get(spec, "egress"), "egress", "to", p, NP_DIR_OUT);
    return c->errors == 0;
}

/* ---- AdminNetworkPolicy / BaselineAdminNetworkPolicy ---------------------- */

static void anp_ports(cctx *c, const ka_node *ports, const char *path, np_rule *r, bool *named)
{
    *named = false;
    r->all_ports = !present(ports) || (ka_is_seq(ports) && ka_node_n(ports) == 0);
    if (present(ports) && !ka_is_seq(ports)) {
        bad(c, ports, "%s.ports: must be a list", path);
        return;
    }
    if (r->all_ports)
        return;
    r->nports = ka_node_n(ports);
    r->ports = ka_arena_zalloc(c->net->arena, ka_node_n(ports) * sizeof(np_port));
    for (uint32_t j = 0; j < ka_node_n(ports); j++) {
        const ka_node *pn = KA_SEQ_ITEM(ports, j);
        np_port *pt = &r->ports[j];
        char pp[160];
        jpath(pp, sizeof pp, path, "ports", (long)j);
        pt->node = pn;
        const ka_node *num = ka_get(pn, "portNumber"), *nm = ka_get(pn, "namedPort"),
                      *rg = ka_get(pn, "portRange");
        if (present(num) + present(nm) + present(rg) != 1) {
            bad(c, pn, "%s: exactly one of portNumber, namedPort, portRange must be set", pp);
            continue;
        }
        if (present(num)) {
            pt->kind = NP_PORT_RANGE;
            pt->proto = (uint8_t)protocol(c, ka_get(num, "protocol"), pp);
            if (port_number(c, ka_get(num, "port"), pp, "portNumber.port", &pt->lo))
                pt->hi = pt->lo;
        } else if (present(rg)) {
            pt->kind = NP_PORT_RANGE;
            pt->proto = (uint8_t)protocol(c, ka_get(rg, "protocol"), pp);
            if (port_number(c, ka_get(rg, "start"), pp, "portRange.start", &pt->lo) &&
                port_number(c, ka_get(rg, "end"), pp, "portRange.end", &pt->hi) && pt->hi < pt->lo)
                bad(c, rg, "%s.portRange: start must not be greater than end", pp);
        } else {
            pt->kind = NP_PORT_NAMED;
            pt->proto = KA_PROTO_TCP;
            pt->name = ka_node_str(nm);
            *named = true;
            if (!valid_port_name(pt->name))
                bad(c, nm, "%s.namedPort: \"%s\" is not a valid port name", pp, ka_cstr(nm));
        }
    }
}

/* namespaces / pods as used by subjects and peers */
static void anp_pods(cctx *c, const ka_node *pods, const char *path, ka_selector *nssel,
                     ka_selector *podsel)
{
    char sub[300];
    jpath(sub, sizeof sub, path, "namespaceSelector", -1);
    if (!present(ka_get(pods, "namespaceSelector")))
        bad(c, pods, "%s: Required value", sub);
    selector(c, ka_get(pods, "namespaceSelector"), sub, false, nssel);
    jpath(sub, sizeof sub, path, "podSelector", -1);
    if (!present(ka_get(pods, "podSelector")))
        bad(c, pods, "%s: Required value", sub);
    selector(c, ka_get(pods, "podSelector"), sub, false, podsel);
}

static void anp_peer(cctx *c, const ka_node *pn, const char *path, bool egress, np_peer *out)
{
    memset(out, 0, sizeof *out);
    out->node = pn;
    out->kind = NP_PEER_NOTHING;
    const ka_node *ns = ka_get(pn, "namespaces"), *pods = ka_get(pn, "pods");
    const ka_node *nodes = ka_get(pn, "nodes"), *nets = ka_get(pn, "networks"),
                  *dns = ka_get(pn, "domainNames");
    int n = present(ns) + present(pods) + present(nodes) + present(nets) + present(dns);
    if (!ka_is_map(pn) || n != 1) {
        bad(c, pn, "%s: exactly one of namespaces, pods%s must be set", path,
            egress ? ", nodes, networks, domainNames" : "");
        return;
    }
    if (!egress && (present(nodes) || present(nets) || present(dns))) {
        bad(c, pn, "%s: ingress peers are namespaces or pods", path);
        return;
    }
    char sub[300];
    if (present(ns)) {
        out->kind = NP_PEER_SEL;
        out->ns_mode = NP_NS_SEL;
        jpath(sub, sizeof sub, path, "namespaces", -1);
        selector(c, ns, sub, false, &out->nssel);
    } else if (present(pods)) {
        out->kind = NP_PEER_SEL;
        out->ns_mode = NP_NS_SEL;
        out->has_podsel = true;
        jpath(sub, sizeof sub, path, "pods", -1);
        anp_pods(c, pods, sub, &out->nssel, &out->podsel);
    } else if (present(nets)) {
        /* networks are a list of CIDRs; each is its own unit, and the API says
         * they are checked against cluster-internal traffic too */
        if (!ka_is_seq(nets) || ka_node_n(nets) == 0) {
            bad(c, nets, "%s.networks: must be a non-empty list of CIDRs", path);
            return;
        }
        out->kind = NP_PEER_CIDR;
        out->unit = UINT32_MAX; /* expanded by the caller */
    } else {
        warn(c, present(nodes) ? nodes : dns,
             "nodes and domainNames peers are not modelled: this peer matches nothing here");
    }
}

static void anp_rules(cctx *c, const ka_node *list, const char *dirname, bool egress, bool baseline,
                      np_policy *p)
{
    int dir = egress ? NP_DIR_OUT : NP_DIR_IN;
    if (!present(list))
        return;
    if (!ka_is_seq(list)) {
        bad(c, list, "spec.%s: must be a list", dirname);
        return;
    }
    if (ka_node_n(list) > 100)
        bad(c, list, "spec.%s: must have at most 100 items", dirname);
    p->nrules[dir] = ka_node_n(list);
    p->rules[dir] = ka_node_n(list) ? ka_arena_zalloc(c->net->arena, ka_node_n(list) * sizeof(np_rule)) : NULL;
    const char *peerkey = egress ? "to" : "from";
    for (uint32_t i = 0; i < ka_node_n(list); i++) {
        const ka_node *rn = KA_SEQ_ITEM(list, i);
        np_rule *r = &p->rules[dir][i];
        char path[128];
        jpath(path, sizeof path, "spec", dirname, (long)i);
        r->index = (int)i;
        r->node = rn;
        r->name = ka_node_str(ka_get(rn, "name"));
        ka_str act = ka_node_str(ka_get(rn, "action"));
        if (ka_str_eqc(act, "Allow"))
            r->action = NP_ALLOW;
        else if (ka_str_eqc(act, "Deny"))
            r->action = NP_DENY;
        else if (ka_str_eqc(act, "Pass") && !baseline)
            r->action = NP_PASS;
        else
            bad(c, ka_get(rn, "action") ? ka_get(rn, "action") : rn,
                "%s.action: unsupported value \"%.*s\": supported values: %s", path, (int)act.n,
                act.p, baseline ? "\"Allow\", \"Deny\"" : "\"Allow\", \"Deny\", \"Pass\"");
        const ka_node *peers = ka_get(rn, peerkey);
        if (!ka_is_seq(peers) || ka_node_n(peers) == 0) {
            bad(c, peers ? peers : rn, "%s.%s: must have at least 1 item", path, peerkey);
            continue;
        }
        /* networks peers expand to one peer per CIDR */
        size_t total = 0;
        for (uint32_t j = 0; j < ka_node_n(peers); j++) {
            const ka_node *nets = ka_get(KA_SEQ_ITEM(peers, j), "networks");
            total += ka_is_seq(nets) && ka_node_n(nets) ? ka_node_n(nets) : 1;
        }
        r->peers = ka_arena_zalloc(c->net->arena, total * sizeof(np_peer));
        bool cidr_peers = false;
        for (uint32_t j = 0; j < ka_node_n(peers); j++) {
            char pp[160];
            jpath(pp, sizeof pp, path, peerkey, (long)j);
            np_peer one;
            anp_peer(c, KA_SEQ_ITEM(peers, j), pp, egress, &one);
            if (one.kind == NP_PEER_CIDR) {
                const ka_node *nets = ka_get(KA_SEQ_ITEM(peers, j), "networks");
                cidr_peers = true;
                for (uint32_t k = 0; k < ka_node_n(nets); k++) {
                    char err[256];
                    np_cidr cidr;
                    const ka_node *cn = KA_SEQ_ITEM(nets, k);
                    if (np_cidr_parse(ka_node_str(cn), false, &cidr, err, sizeof err) < 0) {
                        bad(c, cn, "%s.networks[%u]: %s", pp, k, err);
                        continue;
                    }
                    np_peer *q = &r->peers[r->npeers++];
                    *q = one;
                    q->node = cn;
                    q->unit = add_unit(c->net, &cidr, NULL, 0, true);
                }
            } else {
                if (ka_get(KA_SEQ_ITEM(peers, j), "nodes") || ka_get(KA_SEQ_ITEM(peers, j), "domainNames"))
                    cidr_peers = true;
                r->peers[r->npeers++] = one;
            }
        }
        bool named;
        anp_ports(c, ka_get(rn, "ports"), path, r, &named);
        if (named && cidr_peers)
            bad(c, rn, "%s: networks/nodes/domainNames peer cannot be set with namedPorts", path);
    }
}

static bool compile_admin(cctx *c, np_policy *p, bool baseline)
{
    const ka_node *spec = ka_get(c->o->root, "spec");
    memset(p, 0, sizeof *p);
    p->obj = c->o;
    p->tier = baseline ? NP_TIER_BASELINE : NP_TIER_ADMIN;
    if (!ka_is_map(spec)) {
        bad(c, spec, "spec: Required value");
        return false;
    }
    if (baseline) {
        if (!ka_str_eqc(c->o->name, "default"))
            bad(c, ka_get(c->o->meta, "name"),
                "Only one baseline admin network policy with metadata.name=\"default\" can be "
                "created in the cluster");
    } else {
        const ka_node *pr = ka_get(spec, "priority");
        int64_t v;
        if (!ka_int(pr, &v) || v < 0 || v > 1000)
            bad(c, pr ? pr : spec, "spec.priority: must be a number from 0 to 1000");
        else
            p->priority = (int32_t)v;
    }
    const ka_node *subj = ka_get(spec, "subject");
    const ka_node *sns = ka_get(subj, "namespaces"), *spods = ka_get(subj, "pods");
    if (present(sns) + present(spods) != 1) {
        bad(c, subj ? subj : spec, "spec.subject: exactly one of namespaces, pods must be set");
    } else if (present(sns)) {
        selector(c, sns, "spec.subject.namespaces", false, &p->subj_nssel);
    } else {
        p->subj_has_podsel = true;
        anp_pods(c, spods, "spec.subject.pods", &p->subj_nssel, &p->podsel);
    }
    anp_rules(c, ka_get(spec, "ingress"), "ingress", false, baseline, p);
    anp_rules(c, ka_get(spec, "egress"), "egress", true, baseline, p);
    return c->errors == 0;
}

bool np_compile_one(ka_netpol *net, const ka_object *o, np_policy *out, ka_diags *d,
                    np_issues *issues)
{
    cctx c = { net, o, d, issues, 0 };
    /* units a rejected policy added stay: they only split classes further */
    if (ka_str_eqc(o->kind, "NetworkPolicy"))
        return compile_np(&c, out);
    return compile_admin(&c, out, ka_str_eqc(o->kind, "BaselineAdminNetworkPolicy"));
}

const np_issues *np_policy_issues(const ka_netpol *net, const ka_object *o)
{
    return ka_hmap_get(&net->issues, (ka_str){ (const char *)&o, sizeof o });
}

static int cmp_policy(const void *a, const void *b)
{
    const np_policy *x = a, *y = b;
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    if (x->tier == NP_TIER_ADMIN && x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    if (x->tier == NP_TIER_ADMIN) {
        int c = ka_str_cmp(x->obj->name, y->obj->name);
        if (c)
            return c;
    }
    /* otherwise input order (qsort is not stable) */
    return x->obj->index < y->obj->index ? -1 : x->obj->index > y->obj->index;
}

static int kind_tier(const ka_object *o)
{
    if (ka_str_eqc(o->group, "networking.k8s.io") && ka_str_eqc(o->kind, "NetworkPolicy"))
        return NP_TIER_NP;
    if (!ka_str_eqc(o->group, "policy.networking.k8s.io"))
        return -1;
    if (ka_str_eqc(o->kind, "AdminNetworkPolicy"))
        return NP_TIER_ADMIN;
    if (ka_str_eqc(o->kind, "BaselineAdminNetworkPolicy"))
        return NP_TIER_BASELINE;
    return -1;
}

void np_compile_all(ka_netpol *net, ka_diags *d)
{
    /* input order, so that diagnostics come out in file order */
    size_t n = ka_objset_count(net->set);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(net->set, i);
        int tier = kind_tier(o);
        if (tier < 0)
            continue;
        if (net->npol == net->cappol) {
            net->cappol = net->cappol ? net->cappol * 2 : 16;
            net->pol = ka_xrealloc(net->pol, net->cappol * sizeof *net->pol);
        }
        np_policy *p = &net->pol[net->npol];
        np_issues *iss = net->keep_issues ? ka_xcalloc(1, sizeof *iss) : NULL;
        bool ok = np_compile_one(net, o, p, d, iss);
        if (iss && iss->n) {
            *ka_hmap_slot(&net->issues, (ka_str){ (const char *)&o, sizeof o }) = iss;
            ka_ptrvec_push(&net->issue_lists, iss);
        } else if (iss) {
            np_issues_free(iss);
            free(iss);
        }
        if (!ok)
            continue;
        if (p->tier == NP_TIER_NP)
            p->ns = np_ns_intern(net, o->ns);
        net->npol++;
    }
    /* precedence order: ANPs by priority (ties by name, for stable output:
     * the API leaves their order undefined), then the NetworkPolicies (their
     * order never matters), then BANPs */
    if (net->npol > 1)
        qsort(net->pol, net->npol, sizeof *net->pol, cmp_policy);
    for (size_t i = 0; i < net->npol; i++) {
        net->nadmin += net->pol[i].tier == NP_TIER_ADMIN;
        net->npolicies_np += net->pol[i].tier == NP_TIER_NP;
    }
    net->nbase = net->npol - net->nadmin - net->npolicies_np;
}
