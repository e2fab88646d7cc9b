/*
 * test_netpol.c - the netpol primitives: port sets, addresses and CIDRs,
 * policyTypes defaulting and selection helpers, port questions, and small
 * end-to-end analyses built from in-memory manifests.
 *
 * Facts: k8s.io/api networking/v1 field docs (policyTypes defaulting, ports),
 * pkg/apis/networking/validation (CIDR and except rules), the upstream e2e
 * suite (test/e2e/network/netpol) and the AdminNetworkPolicy API docs
 * (kubernetes-sigs/network-policy-api apis/v1alpha1), restated in our words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kubearch/netpol.h"
#include "netpol/np_int.h"

/* ---- helpers --------------------------------------------------------------- */

static const char *ps_text(const ka_portset *s, ka_buf *b)
{
    ka_buf_reset(b);
    ka_portset_text(s, b);
    return ka_buf_cstr(b);
}

/* A loaded, indexed object set from YAML text. */
static ka_objset *set_from(const char *yaml)
{
    ka_diags d;
    ka_diags_init(&d);
    ka_objset *s = ka_objset_new(NULL);
    ka_file *f = ka_load_buffer("mem.yaml", yaml, strlen(yaml), NULL, &d);
    ka_objset_add_file(s, f, &d);
    ka_objset_index(s);
    assert_int_equal(d.errors, 0);
    ka_diags_free(&d);
    return s;
}

static const ka_object *find(const ka_objset *s, const char *kind, const char *ns, const char *name)
{
    const ka_object *o = ka_objset_find(s, kind, ka_str_c(ns), ka_str_c(name));
    assert_non_null(o);
    return o;
}

/* ---- port sets ---------------------------------------------------------------- */

static void test_portset_ops(void **state)
{
    (void)state;
    ka_portset a = { 0, 0, NULL }, b = { 0, 0, NULL };
    ka_buf t;
    ka_buf_init(&t);
    assert_string_equal(ps_text(&a, &t), "none");
    ka_portset_add(&a, KA_PROTO_TCP, 80, 80);
    ka_portset_add(&a, KA_PROTO_TCP, 81, 90); /* touching ranges merge */
    ka_portset_add(&a, KA_PROTO_UDP, 53, 53);
    assert_string_equal(ps_text(&a, &t), "TCP 80-90; UDP 53");
    ka_portset_add(&b, KA_PROTO_TCP, 85, 100);
    ka_portset_add(&b, KA_PROTO_SCTP, 1, 65535);
    ka_portset c = { 0, 0, NULL };
    ka_portset_copy(&c, &a);
    ka_portset_intersect(&c, &b);
    assert_string_equal(ps_text(&c, &t), "TCP 85-90");
    ka_portset_copy(&c, &a);
    ka_portset_subtract(&c, &b);
    assert_string_equal(ps_text(&c, &t), "TCP 80-84; UDP 53");
    ka_portset_copy(&c, &a);
    ka_portset_union(&c, &b);
    assert_string_equal(ps_text(&c, &t), "TCP 80-100; UDP 53; SCTP all");
    assert_true(ka_portset_contains(&c, KA_PROTO_SCTP, 1));
    assert_false(ka_portset_contains(&c, KA_PROTO_UDP, 54));
    /* the protocols never touch: 65535/TCP and 1/UDP stay apart */
    ka_portset_clear(&c);
    ka_portset_add(&c, KA_PROTO_TCP, 65535, 65535);
    ka_portset_add(&c, KA_PROTO_UDP, 1, 1);
    assert_int_equal(c.n, 2);
    ka_portset_all(&c);
    assert_true(ka_portset_is_all(&c));
    assert_string_equal(ps_text(&c, &t), "all");
    ka_portset_subtract(&c, &a);
    assert_false(ka_portset_is_all(&c));
    assert_string_equal(ps_text(&c, &t), "TCP 1-79,91-65535; UDP 1-52,54-65535; SCTP all");
    ka_portset_union(&c, &a);
    assert_true(ka_portset_is_all(&c));
    ka_buf_reset(&t);
    ka_portset_json(&a, &t);
    assert_string_equal(ka_buf_cstr(&t),
                        "[{\"protocol\":\"TCP\",\"port\":80,\"endPort\":90},{\"protocol\":\"UDP\",\"port\":53}]");
    ka_buf_reset(&t);
    ka_portset_json(&c, &t);
    assert_string_equal(ka_buf_cstr(&t), "\"all\"");
    /* many ranges: past the on-stack buffer of the set operations */
    ka_portset_clear(&a);
    ka_portset_clear(&b);
    for (unsigned p = 1; p < 400; p += 2)
        ka_portset_add(&a, KA_PROTO_TCP, p, p);
    assert_int_equal(a.n, 200);
    ka_portset_all(&b);
    ka_portset_subtract(&b, &a);
    assert_int_equal(b.n, 200 + 2);
    ka_portset_union(&b, &a);
    assert_true(ka_portset_is_all(&b));
    ka_portset_free(&a);
    ka_portset_free(&b);
    ka_portset_free(&c);
    ka_buf_free(&t);
}

static void test_proto_and_port_parse(void **state)
{
    (void)state;
    assert_int_equal(ka_proto_parse(ka_str_c("TCP")), KA_PROTO_TCP);
    assert_int_equal(ka_proto_parse(ka_str_c("SCTP")), KA_PROTO_SCTP);
    assert_int_equal(ka_proto_parse(ka_str_c("tcp")), -1); /* the API is case-sensitive */
    assert_int_equal(ka_proto_parse(ka_str_c("ICMP")), -1);
    ka_str name;
    unsigned port;
    ka_proto proto;
    assert_int_equal(ka_np_port_parse("8080", &name, &port, &proto), 0);
    assert_int_equal(port, 8080);
    assert_int_equal(proto, KA_PROTO_TCP);
    assert_int_equal(ka_np_port_parse("53/udp", &name, &port, &proto), 0);
    assert_int_equal(proto, KA_PROTO_UDP);
    assert_int_equal(ka_np_port_parse("dns/UDP", &name, &port, &proto), 0);
    assert_true(ka_str_eqc(name, "dns"));
    assert_int_equal(port, 0);
    assert_int_equal(ka_np_port_parse("0", &name, &port, &proto), -1);
    assert_int_equal(ka_np_port_parse("65536", &name, &port, &proto), -1);
    assert_int_equal(ka_np_port_parse("80/ICMP", &name, &port, &proto), -1);
    assert_int_equal(ka_np_port_parse("Http", &name, &port, &proto), -1);
    assert_int_equal(ka_np_port_parse("", &name, &port, &proto), -1);
}

/* ---- addresses ------------------------------------------------------------------- */

static void test_addresses(void **state)
{
    (void)state;
    static const char *const good[] = {
        "10.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "fd00::1", "2001:db8::8:800:200c:417a",
        "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8", "1::", "1:2:3:4:5:6:7::",
    };
    static const char *const bad[] = {
        "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1.", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1",
        "1:", "fd00::g", "", "10.0.0.1/8", "12345::",
    };
    np_addr a;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        if (np_addr_parse(ka_str_c(good[i]), &a) != 0)
            print_error("should parse: %s\n", good[i]);
        assert_int_equal(np_addr_parse(ka_str_c(good[i]), &a), 0);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (np_addr_parse(ka_str_c(bad[i]), &a) == 0)
            print_error("should not parse: %s\n", bad[i]);
        assert_int_equal(np_addr_parse(ka_str_c(bad[i]), &a), -1);
    }
    ka_buf b;
    ka_buf_init(&b);
    np_addr_parse(ka_str_c("2001:db8:0:0:1:0:0:1"), &a);
    np_addr_text(&a, &b);
    assert_string_equal(ka_buf_cstr(&b), "2001:db8::1:0:0:1"); /* RFC 5952: first longest run */
    ka_buf_free(&b);
}

static void test_cidrs(void **state)
{
    (void)state;
    char err[256];
    np_cidr c, e;
    np_addr a;
    assert_int_equal(np_cidr_parse(ka_str_c("10.1.2.3/16"), false, &c, err, sizeof err), 0);
    assert_int_equal(c.bits, 16); /* host bits cleared, as net.ParseCIDR */
    np_addr_parse(ka_str_c("10.1.255.255"), &a);
    assert_true(np_cidr_contains(&c, &a));
    np_addr_parse(ka_str_c("10.2.0.0"), &a);
    assert_false(np_cidr_contains(&c, &a));
    assert_int_equal(np_cidr_parse(ka_str_c("10.0.0.1"), false, &c, err, sizeof err), -1);
    assert_int_equal(np_cidr_parse(ka_str_c("10.0.0.1"), true, &c, err, sizeof err), 0);
    assert_int_equal(c.bits, 32);
    assert_int_equal(np_cidr_parse(ka_str_c("10.0.0.0/33"), false, &c, err, sizeof err), -1);
    assert_int_equal(np_cidr_parse(ka_str_c("10.0.0.0/08"), false, &c, err, sizeof err), -1);
    /* 0.0.0.0/0 is every IPv4 address and no IPv6 one */
    np_cidr_parse(ka_str_c("0.0.0.0/0"), false, &c, err, sizeof err);
    np_addr_parse(ka_str_c("203.0.113.9"), &a);
    assert_true(np_cidr_contains(&c, &a));
    np_addr_parse(ka_str_c("::1"), &a);
    assert_false(np_cidr_contains(&c, &a));
    /* except must be a strict subset (validation) */
    np_cidr_parse(ka_str_c("10.0.0.0/8"), false, &c, err, sizeof err);
    np_cidr_parse(ka_str_c("10.1.0.0/16"), false, &e, err, sizeof err);
    assert_true(np_cidr_strict_subset(&e, &c));
    assert_false(np_cidr_strict_subset(&c, &c));
    np_cidr_parse(ka_str_c("192.168.0.0/16"), false, &e, err, sizeof err);
    assert_false(np_cidr_strict_subset(&e, &c));
    /* IPv6 prefixes on both sides of the 64-bit halves */
    np_cidr_parse(ka_str_c("fd00:1::/32"), false, &c, err, sizeof err);
    np_addr_parse(ka_str_c("fd00:1:ffff::1"), &a);
    assert_true(np_cidr_contains(&c, &a));
    np_cidr_parse(ka_str_c("fd00::1:0/112"), false, &c, err, sizeof err);
    np_addr_parse(ka_str_c("fd00::1:ffff"), &a);
    assert_true(np_cidr_contains(&c, &a));
    np_addr_parse(ka_str_c("fd00::2:0"), &a);
    assert_false(np_cidr_contains(&c, &a));
    np_addr last, next;
    np_cidr_last(&c, &last);
    assert_true(np_addr_next(&last, &next));
    assert_int_equal(np_addr_cmp(&next, &a), 0);
    np_addr_parse(ka_str_c("255.255.255.255"), &a);
    assert_false(np_addr_next(&a, &next));
    assert_true(ka_netpol_is_address("10.0.0.0/8"));
    assert_true(ka_netpol_is_address("fd00::1"));
    assert_false(ka_netpol_is_address("shop/web"));
}

/* ---- one policy -------------------------------------------------------------------- */

static const char policies[] =
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: egress-rules, namespace: x}\n"
    "spec: {podSelector: {}, egress: [{to: [{podSelector: {}}]}]}\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: empty-egress, namespace: x}\n"
    "spec: {podSelector: {}, egress: []}\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: literal, namespace: x}\n"
    "spec: {podSelector: {matchLabels: {app: a}}, policyTypes: [Egress], ingress: [{}]}\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: nosel, namespace: x}\n"
    "spec: {policyTypes: [Ingress, Egress]}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\n"
    "spec: {containers: [{name: c, image: i}]}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}\n"
    "spec: {containers: [{name: c, image: i}]}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: h, namespace: x, labels: {app: a}}\n"
    "spec: {hostNetwork: true, containers: [{name: c, image: i}]}\n"
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: y}\n"
    "spec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: i}]}}}\n";

static void test_policy_types(void **state)
{
    (void)state;
    ka_objset *s = set_from(policies);
    const ka_object *eg = find(s, "NetworkPolicy", "x", "egress-rules");
    const ka_object *em = find(s, "NetworkPolicy", "x", "empty-egress");
    const ka_object *lit = find(s, "NetworkPolicy", "x", "literal");
    const ka_object *nos = find(s, "NetworkPolicy", "x", "nosel");
    /* omitted policyTypes: Ingress always, Egress with egress rules */
    assert_int_equal(ka_netpol_types(eg), KA_NETPOL_INGRESS | KA_NETPOL_EGRESS);
    assert_false(ka_netpol_types_explicit(eg));
    assert_true(ka_netpol_isolates(eg, false));
    /* an empty egress list does not count */
    assert_int_equal(ka_netpol_types(em), KA_NETPOL_INGRESS);
    /* explicit types are literal: the ingress rule of "literal" is ignored */
    assert_int_equal(ka_netpol_types(lit), KA_NETPOL_EGRESS);
    assert_false(ka_netpol_isolates(lit, false));
    assert_true(ka_netpol_types_explicit(lit));
    assert_int_equal(ka_netpol_types(nos), KA_NETPOL_INGRESS | KA_NETPOL_EGRESS);
    ka_objset_free(s);
}

static void test_selects(void **state)
{
    (void)state;
    ka_objset *s = set_from(policies);
    const ka_object *lit = find(s, "NetworkPolicy", "x", "literal");
    const ka_object *nos = find(s, "NetworkPolicy", "x", "nosel");
    const ka_object *a = find(s, "Pod", "x", "a"), *b = find(s, "Pod", "x", "b");
    const ka_object *h = find(s, "Pod", "x", "h"), *d = find(s, "Deployment", "y", "d");
    assert_true(ka_netpol_selects(lit, a));
    assert_false(ka_netpol_selects(lit, b));
    assert_false(ka_netpol_selects(lit, h)); /* hostNetwork: never selected */
    assert_true(ka_netpol_host_network(h));
    assert_false(ka_netpol_selects(lit, d)); /* another namespace */
    assert_true(ka_netpol_selects(nos, b));  /* absent podSelector: every pod */
    assert_false(ka_netpol_selects(nos, lit)); /* not a pod */
    ka_objset_free(s);
}

/* ---- analyses ------------------------------------------------------------------- */

static ka_netpol *analyse(ka_objset *s, const char *const *ext, size_t next, size_t *errors)
{
    ka_diags d;
    ka_diags_init(&d);
    ka_netpol_opts o;
    ka_netpol_opts_default(&o);
    o.externals = ext;
    o.nexternals = next;
    ka_netpol *net = ka_netpol_build(s, &o, &d);
    *errors = d.errors;
    ka_diags_free(&d);
    return net;
}

static const char *verdict(ka_netpol *net, const char *from, const char *to, ka_buf *b)
{
    long f = ka_netpol_find(net, from), t = ka_netpol_find(net, to);
    assert_true(f >= 0);
    assert_true(t >= 0);
    ka_portset p = { 0, 0, NULL };
    ka_netpol_query(net, (size_t)f, (size_t)t, &p, NULL);
    ps_text(&p, b);
    ka_portset_free(&p);
    return ka_buf_cstr(b);
}

static const char tiers[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: x, labels: {tier: web}}\n"
    "spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}\n"
    "status: {podIP: 10.0.0.1}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: x, labels: {tier: api}}\n"
    "spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 9000}]}]}\n"
    "status: {podIP: 10.0.0.2}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: other, namespace: y, labels: {tier: api}}\n"
    "spec: {containers: [{name: c, image: i}]}\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\n"
    "spec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: x}\n"
    "spec:\n  podSelector: {matchLabels: {tier: web}}\n  policyTypes: [Egress]\n"
    "  egress: [{to: [{podSelector: {}}], ports: [{port: http}]}, {to: [{ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}}]}]\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: x}\n"
    "spec:\n  podSelector: {matchLabels: {tier: api}}\n  policyTypes: [Ingress]\n"
    "  ingress: [{from: [{podSelector: {matchLabels: {tier: web}}}], ports: [{port: 9000, endPort: 9010}]}]\n";

static void test_tiers(void **state)
{
    (void)state;
    static const char *const ext[] = { "192.0.2.0/24", "192.0.2.7", "198.51.100.0/24" };
    ka_objset *s = set_from(tiers);
    size_t errors;
    ka_netpol *net = analyse(s, ext, 3, &errors);
    assert_int_equal(errors, 0);
    ka_buf b;
    ka_buf_init(&b);
    /* the named port resolves against the destination (x/api: 9000) */
    assert_string_equal(verdict(net, "x/web", "x/api", &b), "TCP 9000");
    assert_string_equal(verdict(net, "x/api", "x/web", &b), "none");  /* api egress isolated */
    assert_string_equal(verdict(net, "x/web", "y/other", &b), "none"); /* podSelector: own ns only */
    assert_string_equal(verdict(net, "y/other", "x/api", &b), "none");
    /* the range is only half outside the except: not every address allowed */
    assert_string_equal(verdict(net, "x/web", "192.0.2.0/24", &b), "none");
    assert_string_equal(verdict(net, "x/web", "192.0.2.7", &b), "all");
    assert_string_equal(verdict(net, "192.0.2.7", "x/web", &b), "none");
    assert_string_equal(verdict(net, "198.51.100.0/24", "y/other", &b), "all");
    assert_int_equal(ka_netpol_nendpoints(net), 6);
    assert_int_equal(ka_netpol_npolicies(net), 3);
    /* explanation of the allowed pair: both sides isolated, one rule each */
    ka_portset p = { 0, 0, NULL };
    ka_np_explain ex = { 0, 0, NULL };
    ka_netpol_query(net, (size_t)ka_netpol_find(net, "x/web"), (size_t)ka_netpol_find(net, "x/api"),
                    &p, &ex);
    size_t allow = 0, isolated = 0;
    for (size_t i = 0; i < ex.n; i++) {
        allow += ex.v[i].kind == KA_STEP_ALLOW;
        isolated += ex.v[i].kind == KA_STEP_ISOLATED;
    }
    assert_int_equal(allow, 2);
    assert_int_equal(isolated, 4);
    ka_np_explain_free(&ex);
    ka_portset_free(&p);
    /* the matrix agrees with single questions */
    ka_np_matrix m;
    ka_netpol_matrix(net, false, &m);
    for (size_t i = 0; i < m.n; i++) {
        ka_portset q = { 0, 0, NULL };
        ka_netpol_query(net, m.v[i].from, m.v[i].to, &q, NULL);
        assert_true(ka_portset_equal(&q, &m.sets[m.v[i].ports]));
        assert_true(m.v[i].from != m.v[i].to);
        ka_portset_free(&q);
    }
    size_t want = 0; /* every non-empty, non-self, non-external-to-external pair */
    for (size_t i = 0; i < ka_netpol_nendpoints(net); i++)
        for (size_t j = 0; j < ka_netpol_nendpoints(net); j++) {
            if (i == j || (ka_netpol_endpoint(net, i)->kind == KA_EP_EXTERNAL &&
                           ka_netpol_endpoint(net, j)->kind == KA_EP_EXTERNAL))
                continue;
            ka_portset q = { 0, 0, NULL };
            ka_netpol_query(net, i, j, &q, NULL);
            want += !ka_portset_empty(&q);
            ka_portset_free(&q);
        }
    assert_int_equal(m.n, want);
    ka_np_matrix_free(&m);
    ka_buf_free(&b);
    ka_netpol_free(net);
    ka_objset_free(s);
}

static const char admin[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\n"
    "spec: {containers: [{name: c, image: i}]}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: y, labels: {app: b}}\n"
    "spec: {containers: [{name: c, image: i}]}\n"
    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: open, namespace: x}\n"
    "spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{}]}\n"
    "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: low}\n"
    "spec:\n  priority: 20\n  subject: {namespaces: {}}\n"
    "  ingress: [{action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {port: 22, protocol: TCP}}]}]\n"
    "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: high}\n"
    "spec:\n  priority: 10\n  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}\n"
    "  ingress:\n  - {action: Deny, from: [{namespaces: {}}], ports: [{portRange: {start: 1, end: 1023}}]}\n"
    "  - {action: Pass, from: [{namespaces: {}}], ports: [{portNumber: {port: 8080, protocol: TCP}}]}\n"
    "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\n"
    "spec:\n  subject: {namespaces: {}}\n"
    "  ingress: [{action: Deny, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}}]}]\n";

static void test_admin_tiers(void **state)
{
    (void)state;
    ka_objset *s = set_from(admin);
    size_t errors;
    ka_netpol *net = analyse(s, NULL, 0, &errors);
    assert_int_equal(errors, 0);
    ka_buf b;
    ka_buf_init(&b);
    /* y/b -> x/a: the priority-10 Deny takes TCP 1-1023 (22 included, even
     * though the priority-20 ANP allows it); the rest reaches x's open
     * NetworkPolicy: everything else allowed */
    assert_string_equal(verdict(net, "y/b", "x/a", &b), "TCP 1024-65535; UDP all; SCTP all");
    /* x/a -> y/b: ANP "low" allows TCP 22; y has no NetworkPolicy, so the rest
     * falls to the BANP, which denies everything from app=a */
    assert_string_equal(verdict(net, "x/a", "y/b", &b), "TCP 22");
    ka_buf_free(&b);
    ka_netpol_free(net);
    ka_objset_free(s);
}

static void test_invalid_left_out(void **state)
{
    (void)state;
    static const char bad[] =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: [{name: c, image: i}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\nspec: {containers: [{name: c, image: i}]}\n"
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\n"
        "spec: {podSelector: {}, ingress: [{from: [{}]}]}\n";
    ka_objset *s = set_from(bad);
    size_t errors;
    ka_netpol *net = analyse(s, NULL, 0, &errors);
    assert_int_equal(errors, 1);
    assert_int_equal(ka_netpol_npolicies(net), 0); /* rejected: never applied */
    ka_buf b;
    ka_buf_init(&b);
    assert_string_equal(verdict(net, "x/a", "x/b", &b), "all");
    ka_buf_free(&b);
    ka_netpol_free(net);
    ka_objset_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_portset_ops),
        cmocka_unit_test(test_proto_and_port_parse),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_cidrs),
        cmocka_unit_test(test_policy_types),
        cmocka_unit_test(test_selects),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_admin_tiers),
        cmocka_unit_test(test_invalid_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
