/*
 * write.c - the connectivity matrix and single answers as text, JSON, CSV
 * and Graphviz dot. Writers only format what the analysis computed.
 */
#include "np_int.h"

#include <stdlib.h>
#include <string.h>

int ka_np_format_parse(const char *s)
{
    static const char *const names[] = { "text", "json", "csv", "dot" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

long ka_netpol_named_port(const ka_netpol *net, size_t to, ka_str name, ka_proto proto)
{
    if (to >= net->neps)
        return -1;
    const np_ep *e = &net->eps[net->order[to]];
    const np_member *m = &net->members[e->members.v[0]];
    for (size_t i = 0; i < m->ncports; i++)
        if (m->cports[i].proto == proto && ka_str_eq(m->cports[i].name, name))
            return m->cports[i].port;
    return -1;
}

/* Name of row i of the matrix (endpoint or class). */
static void row_name(const ka_netpol *net, const ka_np_matrix *m, uint32_t i, ka_buf *b)
{
    if (m->by_class)
        ka_netpol_class_name(net, i, b);
    else
        ka_buf_adds(b, ka_netpol_endpoint(net, i)->name);
}

/* Row names and port-set texts, built once: a matrix has millions of rows
 * but only as many names as endpoints (or classes) and a few port sets. */
typedef struct names {
    size_t nrows, nsets;
    ka_str *row, *set;
    ka_buf store;
    size_t wfrom, wto;   /* widest name used as FROM / TO */
} names;

static void names_init(names *nm, const ka_netpol *net, const ka_np_matrix *m)
{
    nm->nrows = m->by_class ? ka_netpol_nclasses(net) : ka_netpol_nendpoints(net);
    nm->nsets = m->nsets;
    ka_buf_init(&nm->store);
    size_t *off = ka_xmalloc((nm->nrows + nm->nsets + 1) * sizeof *off);
    for (size_t i = 0; i < nm->nrows; i++) {
        off[i] = nm->store.n;
        row_name(net, m, (uint32_t)i, &nm->store);
    }
    for (size_t i = 0; i < nm->nsets; i++) {
        off[nm->nrows + i] = nm->store.n;
        ka_portset_text(&m->sets[i], &nm->store);
    }
    off[nm->nrows + nm->nsets] = nm->store.n;
    nm->row = ka_xmalloc((nm->nrows + nm->nsets + 1) * sizeof *nm->row);
    for (size_t i = 0; i < nm->nrows + nm->nsets; i++)
        nm->row[i] = (ka_str){ nm->store.p + off[i], off[i + 1] - off[i] };
    nm->set = nm->row + nm->nrows;
    free(off);
    nm->wfrom = 4;
    nm->wto = 2;
    for (size_t i = 0; i < m->n; i++) {
        if (nm->row[m->v[i].from].n > nm->wfrom)
            nm->wfrom = nm->row[m->v[i].from].n;
        if (nm->row[m->v[i].to].n > nm->wto)
            nm->wto = nm->row[m->v[i].to].n;
    }
}

static void names_free(names *nm)
{
    free(nm->row);
    ka_buf_free(&nm->store);
}

static void pad(ka_buf *b, ka_str s, size_t width)
{
    ka_buf_addstr(b, s);
    for (size_t i = s.n; i < width; i++)
        ka_buf_addc(b, ' ');
}

static void flush_big(FILE *f, ka_buf *b)
{
    if (b->n > 1 << 16) {
        fwrite(b->p, 1, b->n, f);
        ka_buf_reset(b);
    }
}

static void csv_field(ka_buf *b, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n)) {
        ka_buf_add(b, s, n);
        return;
    }
    ka_buf_addc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') { /* doubled, in runs between quotes */
            ka_buf_add(b, s + start, i + 1 - start);
            ka_buf_addc(b, '"');
            start = i + 1;
        }
    ka_buf_add(b, s + start, n - start);
    ka_buf_addc(b, '"');
}

static void dot_id(ka_buf *b, const char *s, size_t n)
{
    ka_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            ka_buf_addc(b, '\\');
        ka_buf_addc(b, s[i]);
    }
    ka_buf_addc(b, '"');
}

static void write_text(FILE *f, const ka_netpol *net, const ka_np_matrix *m)
{
    names nm;
    names_init(&nm, net, m);
    ka_buf b;
    ka_buf_init(&b);
    if (m->n) {
        pad(&b, KA_STR("FROM"), nm.wfrom + 2);
        pad(&b, KA_STR("TO"), nm.wto + 2);
        ka_buf_adds(&b, "PORTS\n");
    }
    for (size_t i = 0; i < m->n; i++) {
        pad(&b, nm.row[m->v[i].from], nm.wfrom + 2);
        pad(&b, nm.row[m->v[i].to], nm.wto + 2);
        ka_buf_addstr(&b, nm.set[m->v[i].ports]);
        ka_buf_addc(&b, '\n');
        flush_big(f, &b);
    }
    size_t n = ka_netpol_nendpoints(net);
    size_t nc = ka_netpol_nclasses(net), np = ka_netpol_npolicies(net);
    if (m->by_class) {
        ka_buf_adds(&b, m->n ? "\nclasses:\n" : "classes:\n");
        for (size_t c = 0; c < nc; c++) {
            ka_np_class cl = ka_netpol_class(net, c);
            ka_buf_adds(&b, "  ");
            ka_buf_addstr(&b, nm.row[c]);
            ka_buf_addc(&b, ':');
            for (size_t k = 0; k < cl.nmembers; k++) {
                ka_buf_addc(&b, ' ');
                ka_buf_adds(&b, ka_netpol_endpoint(net, cl.members[k])->name);
            }
            ka_buf_addc(&b, '\n');
            flush_big(f, &b);
        }
        ka_buf_printf(&b, "%zu class%s of %zu endpoint%s, %zu polic%s: %zu class pairs allowed\n", nc,
                      nc == 1 ? "" : "es", n, n == 1 ? "" : "s", np, np == 1 ? "y" : "ies", m->n);
    } else {
        /* pairs between two outside addresses are never listed or counted */
        size_t ext = 0;
        for (size_t i = 0; i < n; i++)
            ext += ka_netpol_endpoint(net, i)->kind == KA_EP_EXTERNAL;
        size_t pairs = (n ? n * (n - 1) : 0) - (ext ? ext * (ext - 1) : 0);
        ka_buf_printf(&b, "%s%zu endpoint%s in %zu class%s, %zu polic%s: %zu of %zu ordered pairs allowed\n",
                      m->n ? "\n" : "", n, n == 1 ? "" : "s", nc, nc == 1 ? "" : "es", np,
                      np == 1 ? "y" : "ies", m->n, pairs);
    }
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    names_free(&nm);
}

static void write_json(FILE *f, const ka_netpol *net, const ka_np_matrix *m)
{
    ka_buf b, name;
    ka_buf_init(&b);
    ka_buf_init(&name);
    ka_buf_addc(&b, '{');
    if (m->by_class) {
        ka_buf_adds(&b, "\"classes\":[");
        for (size_t c = 0; c < ka_netpol_nclasses(net); c++) {
            ka_np_class cl = ka_netpol_class(net, c);
            if (c)
                ka_buf_addc(&b, ',');
            ka_buf_reset(&name);
            ka_netpol_class_name(net, c, &name);
            ka_buf_adds(&b, "{\"name\":");
            ka_buf_json_str(&b, (ka_str){ name.p, name.n });
            if (cl.ns.n) {
                ka_buf_adds(&b, ",\"namespace\":");
                ka_buf_json_str(&b, cl.ns);
            }
            ka_buf_adds(&b, ",\"members\":[");
            for (size_t k = 0; k < cl.nmembers; k++) {
                if (k)
                    ka_buf_addc(&b, ',');
                ka_buf_json_str(&b, ka_str_c(ka_netpol_endpoint(net, cl.members[k])->name));
            }
            ka_buf_adds(&b, "]}");
        }
        ka_buf_adds(&b, "],");
    }
    /* JSON forms of the names and port sets, built once */
    names nm;
    names_init(&nm, net, m);
    ka_buf js;
    ka_buf_init(&js);
    size_t total = nm.nrows + nm.nsets;
    size_t *off = ka_xmalloc((total + 1) * sizeof *off);
    for (size_t i = 0; i < total; i++) {
        off[i] = js.n;
        if (i < nm.nrows)
            ka_buf_json_str(&js, nm.row[i]);
        else
            ka_portset_json(&m->sets[i - nm.nrows], &js);
    }
    off[total] = js.n;
    ka_buf_adds(&b, "\"connections\":[");
    for (size_t i = 0; i < m->n; i++) {
        size_t fr = m->v[i].from, to = m->v[i].to, ps = nm.nrows + m->v[i].ports;
        ka_buf_adds(&b, i ? ",{\"from\":" : "{\"from\":");
        ka_buf_add(&b, js.p + off[fr], off[fr + 1] - off[fr]);
        ka_buf_adds(&b, ",\"to\":");
        ka_buf_add(&b, js.p + off[to], off[to + 1] - off[to]);
        ka_buf_adds(&b, ",\"ports\":");
        ka_buf_add(&b, js.p + off[ps], off[ps + 1] - off[ps]);
        ka_buf_addc(&b, '}');
        flush_big(f, &b);
    }
    free(off);
    ka_buf_free(&js);
    names_free(&nm);
    ka_buf_adds(&b, "]}\n");
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    ka_buf_free(&name);
}

static void write_csv(FILE *f, const ka_netpol *net, const ka_np_matrix *m)
{
    names nm;
    names_init(&nm, net, m);
    ka_buf b;
    ka_buf_init(&b);
    ka_buf_adds(&b, "from,to,ports\n");
    for (size_t i = 0; i < m->n; i++) {
        ka_str a = nm.row[m->v[i].from], t = nm.row[m->v[i].to], p = nm.set[m->v[i].ports];
        csv_field(&b, a.p, a.n);
        ka_buf_addc(&b, ',');
        csv_field(&b, t.p, t.n);
        ka_buf_addc(&b, ',');
        csv_field(&b, p.p, p.n);
        ka_buf_addc(&b, '\n');
        flush_big(f, &b);
    }
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    names_free(&nm);
}

/* Nodes grouped in one cluster box per namespace; externals outside. */
static void write_dot(FILE *f, const ka_netpol *net, const ka_np_matrix *m)
{
    ka_buf b, t;
    ka_buf_init(&b);
    ka_buf_init(&t);
    ka_buf_adds(&b, "digraph netpol {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n"
                    "  edge [fontsize=9];\n");
    size_t rows = m->by_class ? ka_netpol_nclasses(net) : ka_netpol_nendpoints(net);
    ka_str cur = { NULL, 0 };
    bool open = false;
    int cluster = 0;
    for (size_t i = 0; i < rows; i++) {
        ka_str ns;
        if (m->by_class)
            ns = ka_netpol_class(net, i).ns;
        else
            ns = ka_netpol_endpoint(net, i)->ns;
        if (open && (!ns.n || !ka_str_eq(ns, cur))) {
            ka_buf_adds(&b, "  }\n");
            open = false;
        }
        if (ns.n && !open) {
            ka_buf_printf(&b, "  subgraph cluster_%d {\n    label=", cluster++);
            dot_id(&b, ns.p, ns.n);
            ka_buf_adds(&b, ";\n");
            open = true;
            cur = ns;
        }
        ka_buf_reset(&t);
        row_name(net, m, (uint32_t)i, &t);
        ka_buf_adds(&b, open ? "    " : "  ");
        dot_id(&b, t.p, t.n);
        if (!ns.n)
            ka_buf_adds(&b, " [shape=ellipse]");
        ka_buf_adds(&b, ";\n");
    }
    if (open)
        ka_buf_adds(&b, "  }\n");
    names nm;
    names_init(&nm, net, m);
    for (size_t i = 0; i < m->n; i++) {
        ka_str a = nm.row[m->v[i].from], to = nm.row[m->v[i].to], p = nm.set[m->v[i].ports];
        ka_buf_adds(&b, "  ");
        dot_id(&b, a.p, a.n);
        ka_buf_adds(&b, " -> ");
        dot_id(&b, to.p, to.n);
        ka_buf_adds(&b, " [label=");
        dot_id(&b, p.p, p.n);
        ka_buf_adds(&b, "];\n");
        flush_big(f, &b);
    }
    names_free(&nm);
    ka_buf_adds(&b, "}\n");
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    ka_buf_free(&t);
}

void ka_netpol_write_matrix(FILE *f, const ka_netpol *net, const ka_np_matrix *m, ka_np_format fmt)
{
    switch (fmt) {
    case KA_NP_JSON: write_json(f, net, m); break;
    case KA_NP_CSV: write_csv(f, net, m); break;
    case KA_NP_DOT: write_dot(f, net, m); break;
    default: write_text(f, net, m); break;
    }
}

/* ---- one answer ------------------------------------------------------------- */

static void policy_ref(const ka_object *o, ka_buf *b)
{
    ka_object_ref(o, b);
}

static void rule_ref(const ka_np_step *s, ka_buf *b)
{
    if (s->rule < 0)
        return;
    ka_buf_printf(b, " %s[%d]", s->side == KA_NETPOL_EGRESS ? "egress" : "ingress", s->rule);
    if (s->rule_name.n) {
        ka_buf_adds(b, " \"");
        ka_buf_addstr(b, s->rule_name);
        ka_buf_addc(b, '"');
    }
}

void ka_np_step_text(const ka_np_step *s, ka_buf *b)
{
    switch (s->kind) {
    case KA_STEP_OPEN:
        ka_buf_adds(b, "not isolated: no policy selects it for this direction, all allowed");
        return;
    case KA_STEP_EXTERNAL:
        ka_buf_adds(b, "outside the cluster: no policy applies");
        return;
    case KA_STEP_HOSTNET:
        ka_buf_adds(b, "hostNetwork pod: policies do not apply to it (--host-network=node)");
        return;
    case KA_STEP_ISOLATED:
        ka_buf_adds(b, "isolated by ");
        policy_ref(s->policy, b);
        return;
    case KA_STEP_NO_RULE:
        if (ka_portset_is_all(&s->ports)) {
            ka_buf_adds(b, "no rule matches this peer: everything denied");
            return;
        }
        ka_buf_adds(b, "no rule allows ");
        ka_portset_text(&s->ports, b);
        ka_buf_adds(b, ": denied");
        return;
    case KA_STEP_BASELINE_OPEN:
        ka_buf_adds(b, "no policy decided ");
        ka_portset_text(&s->ports, b);
        ka_buf_adds(b, ": allowed by default");
        return;
    case KA_STEP_ALLOW: ka_buf_adds(b, "allows "); break;
    case KA_STEP_DENY: ka_buf_adds(b, "denies "); break;
    case KA_STEP_PASS: ka_buf_adds(b, "passes to NetworkPolicy "); break;
    }
    ka_portset_text(&s->ports, b);
    ka_buf_adds(b, ": ");
    policy_ref(s->policy, b);
    rule_ref(s, b);
}

static const char *step_kind_name(ka_np_stepkind k)
{
    static const char *const kinds[] = {
        [KA_STEP_OPEN] = "open", [KA_STEP_EXTERNAL] = "external", [KA_STEP_HOSTNET] = "hostNetwork",
        [KA_STEP_ISOLATED] = "isolated", [KA_STEP_ALLOW] = "allow", [KA_STEP_DENY] = "deny",
        [KA_STEP_PASS] = "pass", [KA_STEP_NO_RULE] = "noRule", [KA_STEP_BASELINE_OPEN] = "default",
    };
    return kinds[k];
}

static void explain_json(ka_buf *b, const ka_np_explain *ex, unsigned side)
{
    ka_buf_addc(b, '[');
    bool first = true;
    for (size_t i = 0; i < ex->n; i++) {
        const ka_np_step *s = &ex->v[i];
        if (s->side != side)
            continue;
        if (!first)
            ka_buf_addc(b, ',');
        first = false;
        ka_buf_printf(b, "{\"step\":\"%s\"", step_kind_name(s->kind));
        if (s->policy) {
            ka_buf t;
            ka_buf_init(&t);
            policy_ref(s->policy, &t);
            ka_buf_adds(b, ",\"policy\":");
            ka_buf_json_str(b, (ka_str){ t.p, t.n });
            ka_buf_free(&t);
        }
        if (s->rule >= 0) {
            ka_buf_printf(b, ",\"rule\":\"%s[%d]\"", side == KA_NETPOL_EGRESS ? "egress" : "ingress",
                          s->rule);
            if (s->rule_name.n) {
                ka_buf_adds(b, ",\"ruleName\":");
                ka_buf_json_str(b, s->rule_name);
            }
        }
        if (s->kind != KA_STEP_ISOLATED) {
            ka_buf_adds(b, ",\"ports\":");
            ka_portset_json(&s->ports, b);
        }
        ka_buf_addc(b, '}');
    }
    ka_buf_addc(b, ']');
}

bool ka_netpol_write_answer(FILE *f, const ka_netpol *net, const ka_np_question *q,
                            const ka_portset *ports, const ka_np_explain *ex, ka_np_format fmt)
{
    const char *from = ka_netpol_endpoint(net, q->from)->name;
    const char *to = ka_netpol_endpoint(net, q->to)->name;
    bool allowed = q->has_port ? q->port && ka_portset_contains(ports, q->proto, q->port)
                               : !ka_portset_empty(ports);
    ka_buf b;
    ka_buf_init(&b);
    if (fmt == KA_NP_JSON) {
        ka_buf_adds(&b, "{\"from\":");
        ka_buf_json_str(&b, ka_str_c(from));
        ka_buf_adds(&b, ",\"to\":");
        ka_buf_json_str(&b, ka_str_c(to));
        if (q->has_port) {
            ka_buf_printf(&b, ",\"port\":{\"protocol\":\"%s\"", ka_proto_name(q->proto));
            if (q->port)
                ka_buf_printf(&b, ",\"port\":%u", q->port);
            ka_buf_adds(&b, ",\"asked\":");
            ka_buf_json_str(&b, ka_str_c(q->port_text));
            ka_buf_addc(&b, '}');
        }
        ka_buf_printf(&b, ",\"allowed\":%s,\"ports\":", allowed ? "true" : "false");
        ka_portset_json(ports, &b);
        if (ex) {
            ka_buf_adds(&b, ",\"explain\":{\"egress\":");
            explain_json(&b, ex, KA_NETPOL_EGRESS);
            ka_buf_adds(&b, ",\"ingress\":");
            explain_json(&b, ex, KA_NETPOL_INGRESS);
            ka_buf_addc(&b, '}');
        }
        ka_buf_adds(&b, "}\n");
    } else {
        ka_buf_printf(&b, "%s -> %s", from, to);
        if (q->has_port) {
            ka_buf_printf(&b, " port %s", q->port_text);
            if (!q->port)
                ka_buf_adds(&b, " (no such named port on the destination)");
            ka_buf_printf(&b, ": %s\n", allowed ? "allowed" : "denied");
        } else {
            ka_buf_adds(&b, allowed ? ": allowed " : ": denied");
            if (allowed)
                ka_portset_text(ports, &b);
            ka_buf_addc(&b, '\n');
        }
        if (ex) {
            for (unsigned side = KA_NETPOL_EGRESS;; side = KA_NETPOL_INGRESS) {
                ka_buf_printf(&b, "  %s of %s:\n", side == KA_NETPOL_EGRESS ? "egress" : "ingress",
                              side == KA_NETPOL_EGRESS ? from : to);
                for (size_t i = 0; i < ex->n; i++) {
                    if (ex->v[i].side != side)
                        continue;
                    ka_buf_adds(&b, "    ");
                    ka_np_step_text(&ex->v[i], &b);
                    ka_buf_addc(&b, '\n');
                }
                if (side == KA_NETPOL_INGRESS)
                    break;
            }
        }
    }
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    return allowed;
}
