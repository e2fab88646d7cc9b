/*
 * flows.c - port questions ("8080/TCP", "dns/UDP"), --expect flow files and
 * the connectivity diff between two versions of the manifests.
 */
#include "np_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ka_np_port_parse(const char *s, ka_str *name, unsigned *port, ka_proto *proto)
{
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    *proto = KA_PROTO_TCP;
    *port = 0;
    *name = (ka_str){ "", 0 };
    if (slash) {
        const char *p = slash + 1;
        if (strcasecmp(p, "TCP") == 0)
            *proto = KA_PROTO_TCP;
        else if (strcasecmp(p, "UDP") == 0)
            *proto = KA_PROTO_UDP;
        else if (strcasecmp(p, "SCTP") == 0)
            *proto = KA_PROTO_SCTP;
        else
            return -1;
    }
    if (n == 0 || n > 15)
        return -1;
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        digits = digits && s[i] >= '0' && s[i] <= '9';
    if (digits) {
        unsigned long v = strtoul(s, NULL, 10);
        if (v < KA_PORT_MIN || v > KA_PORT_MAX)
            return -1;
        *port = (unsigned)v;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return -1;
    *name = (ka_str){ s, n };
    return 0;
}

/* Resolve a port question against the destination: 0 when a name has no
 * container port there. */
static unsigned resolve(const ka_netpol *net, size_t to, ka_str name, unsigned port, ka_proto proto)
{
    if (!name.n)
        return port;
    long v = ka_netpol_named_port(net, to, name, proto);
    return v < 0 ? 0 : (unsigned)v;
}

bool ka_netpol_question(const ka_netpol *net, size_t from, size_t to, const char *port_text,
                        ka_np_question *q)
{
    memset(q, 0, sizeof *q);
    q->from = from;
    q->to = to;
    if (!port_text)
        return true;
    ka_str name;
    unsigned port;
    ka_proto proto;
    if (ka_np_port_parse(port_text, &name, &port, &proto) < 0)
        return false;
    q->has_port = true;
    q->proto = proto;
    q->port = resolve(net, to, name, port, proto);
    q->port_text = port_text;
    return true;
}

/* ---- --expect ---------------------------------------------------------------- */

static void flow_err(ka_diags *d, const char *path, const ka_node *n, const char *msg,
                     const char *arg)
{
    ka_diag_add(d, KA_DIAG_ERROR, path, n ? n->line : 0, n ? n->col : 0, msg, arg);
}

int ka_netpol_expect(FILE *f, const ka_netpol *net, const char *path, ka_np_format fmt,
                     ka_diags *d, size_t *failed)
{
    *failed = 0;
    ka_limits lim;
    ka_limits_default(&lim);
    ka_file *file = ka_load_path(path, &lim, d);
    if (!file)
        return -1;
    const ka_node *root = file->ndocs ? file->docs[0].root : NULL;
    const ka_node *flows = ka_is_map(root) ? ka_get(root, "flows") : root;
    if (!ka_is_seq(flows)) {
        flow_err(d, path, root, "%s", "expected a list of flows (or a mapping with \"flows:\")");
        ka_file_free(file);
        return -1;
    }
    size_t errors = d->errors;
    /* validate everything before answering anything */
    for (uint32_t i = 0; i < ka_node_n(flows); i++) {
        const ka_node *fl = KA_SEQ_ITEM(flows, i);
        if (!ka_is_map(fl)) {
            flow_err(d, path, fl, "%s", "a flow is a mapping with from, to, allowed and optional port");
            continue;
        }
        static const char *const keys[] = { "from", "to" };
        for (int k = 0; k < 2; k++) {
            const ka_node *v = ka_get(fl, keys[k]);
            if (!ka_is_scalar(v) || ka_is_null(v))
                flow_err(d, path, v ? v : fl, "flow needs \"%s\"", keys[k]);
            else if (ka_netpol_find(net, ka_cstr(v)) < 0)
                flow_err(d, path, v,
                         "unknown endpoint \"%s\" (ns/name for Pods, ns/Kind/name for workloads, "
                         "or an --external value)",
                         ka_cstr(v));
        }
        const ka_node *al = ka_get(fl, "allowed");
        if (ka_bool(al) < 0)
            flow_err(d, path, al ? al : fl, "%s", "flow needs \"allowed: true\" or \"allowed: false\"");
        const ka_node *pt = ka_get(fl, "port");
        if (pt && !ka_is_null(pt)) {
            ka_str name;
            unsigned port;
            ka_proto proto;
            if (!ka_is_scalar(pt) || ka_np_port_parse(ka_cstr(pt), &name, &port, &proto) < 0)
                flow_err(d, path, pt, "bad port \"%s\" (NUMBER or NAME, optionally /TCP, /UDP, /SCTP)",
                         ka_cstr(pt));
        }
    }
    if (d->errors != errors) {
        ka_file_free(file);
        return -1;
    }
    ka_buf b, t;
    ka_buf_init(&b);
    ka_buf_init(&t);
    ka_portset ports = { 0, 0, NULL };
    if (fmt == KA_NP_JSON)
        ka_buf_adds(&b, "{\"flows\":[");
    for (uint32_t i = 0; i < ka_node_n(flows); i++) {
        const ka_node *fl = KA_SEQ_ITEM(flows, i);
        size_t from = (size_t)ka_netpol_find(net, ka_cstr(ka_get(fl, "from")));
        size_t to = (size_t)ka_netpol_find(net, ka_cstr(ka_get(fl, "to")));
        const ka_node *pt = ka_get(fl, "port");
        bool want = ka_bool(ka_get(fl, "allowed")) == 1;
        ka_np_question q;
        ka_netpol_question(net, from, to, pt && !ka_is_null(pt) ? ka_cstr(pt) : NULL, &q);
        ka_netpol_query(net, from, to, &ports, NULL);
        bool got = q.has_port ? q.port && ka_portset_contains(&ports, q.proto, q.port)
                              : !ka_portset_empty(&ports);
        if (got != want)
            (*failed)++;
        ka_buf_reset(&t);
        ka_portset_text(&ports, &t);
        if (fmt == KA_NP_JSON) {
            if (i)
                ka_buf_addc(&b, ',');
            ka_buf_adds(&b, "{\"from\":");
            ka_buf_json_str(&b, ka_str_c(ka_netpol_endpoint(net, from)->name));
            ka_buf_adds(&b, ",\"to\":");
            ka_buf_json_str(&b, ka_str_c(ka_netpol_endpoint(net, to)->name));
            if (q.has_port) {
                ka_buf_adds(&b, ",\"port\":");
                ka_buf_json_str(&b, ka_str_c(q.port_text));
            }
            ka_buf_printf(&b, ",\"expected\":%s,\"allowed\":%s,\"ok\":%s,\"ports\":",
                          want ? "true" : "false", got ? "true" : "false",
                          got == want ? "true" : "false");
            ka_portset_json(&ports, &b);
            ka_buf_printf(&b, ",\"line\":%u}", fl->line);
        } else {
            ka_buf_printf(&b, "%s %s:%u: %s -> %s", got == want ? "ok  " : "FAIL", path, fl->line,
                          ka_netpol_endpoint(net, from)->name, ka_netpol_endpoint(net, to)->name);
            if (q.has_port)
                ka_buf_printf(&b, " port %s", q.port_text);
            if (got == want)
                ka_buf_printf(&b, ": %s", got ? "allowed" : "denied");
            else
                ka_buf_printf(&b, ": expected %s, but %s", want ? "allowed" : "denied",
                              got ? "allowed" : "denied");
            if (got || (!q.has_port && got != want))
                ka_buf_printf(&b, " (%s)", ka_buf_cstr(&t));
            else if (q.has_port && got != want && !ka_portset_empty(&ports))
                ka_buf_printf(&b, " (allowed: %s)", ka_buf_cstr(&t));
            ka_buf_addc(&b, '\n');
        }
    }
    if (fmt == KA_NP_JSON)
        ka_buf_printf(&b, "],\"passed\":%zu,\"failed\":%zu}\n", (size_t)ka_node_n(flows) - *failed, *failed);
    else
        ka_buf_printf(&b, "%u flows: %zu as expected, %zu not\n", ka_node_n(flows),
                      (size_t)ka_node_n(flows) - *failed, *failed);
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    ka_buf_free(&t);
    ka_portset_free(&ports);
    ka_file_free(file);
    return 0;
}

/* ---- diff -------------------------------------------------------------------------- */

typedef struct drow {
    const char *from, *to;
    const ka_portset *before, *after;   /* NULL: not allowed in that version */
} drow;

static int cmp_name_pair(const char *af, const char *at, const char *bf, const char *bt)
{
    int c = strcmp(af, bf);
    return c ? c : strcmp(at, bt);
}

static void diff_rows(const ka_netpol *na, const ka_np_matrix *ma, const ka_netpol *nb,
                      const ka_np_matrix *mb, drow **out, size_t *nout)
{
    /* both matrices are sorted by endpoint rank = by name (externals last, in
     * option order, identical in both runs): a merge */
    size_t i = 0, j = 0, n = 0, cap = 16;
    drow *v = ka_xmalloc(cap * sizeof *v);
    while (i < ma->n || j < mb->n) {
        const char *af = NULL, *at = NULL, *bf = NULL, *bt = NULL;
        if (i < ma->n) {
            af = ka_netpol_endpoint(na, ma->v[i].from)->name;
            at = ka_netpol_endpoint(na, ma->v[i].to)->name;
        }
        if (j < mb->n) {
            bf = ka_netpol_endpoint(nb, mb->v[j].from)->name;
            bt = ka_netpol_endpoint(nb, mb->v[j].to)->name;
        }
        int c = !af ? 1 : !bf ? -1 : cmp_name_pair(af, at, bf, bt);
        drow r = { 0 };
        if (c < 0) {
            r = (drow){ af, at, &ma->sets[ma->v[i].ports], NULL };
            i++;
        } else if (c > 0) {
            r = (drow){ bf, bt, NULL, &mb->sets[mb->v[j].ports] };
            j++;
        } else {
            r = (drow){ af, at, &ma->sets[ma->v[i].ports], &mb->sets[mb->v[j].ports] };
            i++;
            j++;
            if (ka_portset_equal(r.before, r.after))
                continue;
        }
        if (n == cap) {
            cap *= 2;
            v = ka_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = r;
    }
    *out = v;
    *nout = n;
}

static const char *change_name(const drow *r)
{
    return !r->before ? "added" : !r->after ? "removed" : "changed";
}

size_t ka_netpol_write_diff(FILE *f, const ka_netpol *na, const ka_np_matrix *ma,
                            const ka_netpol *nb, const ka_np_matrix *mb, ka_np_format fmt)
{
    drow *rows;
    size_t n;
    diff_rows(na, ma, nb, mb, &rows, &n);
    ka_buf b, t;
    ka_buf_init(&b);
    ka_buf_init(&t);
    size_t added = 0, removed = 0;
    for (size_t i = 0; i < n; i++) {
        added += !rows[i].before;
        removed += !rows[i].after;
    }
    if (fmt == KA_NP_JSON)
        ka_buf_adds(&b, "{\"changes\":[");
    else if (fmt == KA_NP_CSV)
        ka_buf_adds(&b, "from,to,change,before,after\n");
    else if (fmt == KA_NP_DOT)
        ka_buf_adds(&b, "digraph netpol_diff {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n"
                        "  edge [fontsize=9];\n");
    for (size_t i = 0; i < n; i++) {
        const drow *r = &rows[i];
        switch (fmt) {
        case KA_NP_JSON:
            if (i)
                ka_buf_addc(&b, ',');
            ka_buf_adds(&b, "{\"from\":");
            ka_buf_json_str(&b, ka_str_c(r->from));
            ka_buf_adds(&b, ",\"to\":");
            ka_buf_json_str(&b, ka_str_c(r->to));
            ka_buf_printf(&b, ",\"change\":\"%s\",\"before\":", change_name(r));
            if (r->before)
                ka_portset_json(r->before, &b);
            else
                ka_buf_adds(&b, "null");
            ka_buf_adds(&b, ",\"after\":");
            if (r->after)
                ka_portset_json(r->after, &b);
            else
                ka_buf_adds(&b, "null");
            ka_buf_addc(&b, '}');
            break;
        case KA_NP_CSV:
            ka_buf_printf(&b, "%s,%s,%s,", r->from, r->to, change_name(r));
            ka_buf_reset(&t);
            if (r->before)
                ka_portset_text(r->before, &t);
            ka_buf_printf(&b, "%s,", ka_buf_cstr(&t));
            ka_buf_reset(&t);
            if (r->after)
                ka_portset_text(r->after, &t);
            ka_buf_printf(&b, "%s\n", ka_buf_cstr(&t));
            break;
        case KA_NP_DOT:
            ka_buf_reset(&t);
            ka_portset_text(r->after ? r->after : r->before, &t);
            ka_buf_printf(&b, "  \"%s\" -> \"%s\" [label=\"%s\", color=%s%s];\n", r->from, r->to,
                          ka_buf_cstr(&t), !r->before ? "green" : !r->after ? "red" : "orange",
                          !r->after ? ", style=dashed" : "");
            break;
        default:
            ka_buf_printf(&b, "%c %s -> %s: ", !r->before ? '+' : !r->after ? '-' : '~', r->from,
                          r->to);
            if (r->before && r->after) {
                ka_portset_text(r->before, &b);
                ka_buf_adds(&b, " => ");
                ka_portset_text(r->after, &b);
            } else {
                ka_portset_text(r->before ? r->before : r->after, &b);
            }
            ka_buf_addc(&b, '\n');
            break;
        }
    }
    if (fmt == KA_NP_JSON)
        ka_buf_printf(&b, "],\"added\":%zu,\"removed\":%zu,\"changed\":%zu}\n", added, removed,
                      n - added - removed);
    else if (fmt == KA_NP_DOT)
        ka_buf_adds(&b, "}\n");
    else if (fmt == KA_NP_TEXT)
        ka_buf_printf(&b, "%zu changes: %zu added, %zu removed, %zu changed\n", n, added, removed,
                      n - added - removed);
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    ka_buf_free(&t);
    free(rows);
    return n;
}

bool ka_netpol_is_address(const char *s)
{
    np_cidr c;
    char err[8];
    return np_cidr_parse(ka_str_c(s), true, &c, err, sizeof err) == 0;
}
