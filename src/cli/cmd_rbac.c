/*
 * cmd_rbac.c - `kubearch rbac can | who-can | permissions`: RBAC questions
 * answered from manifests, the way the API server's RBAC authorizer would.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "kubearch/rbac.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char rbac_help[] =
    "Usage: kubearch rbac COMMAND [options] ... PATH...\n"
    "\n"
    "Answer RBAC questions from manifests, as the API server's RBAC authorizer would\n"
    "answer them once the manifests are applied.\n"
    "\n"
    "Commands:\n"
    "  can SUBJECT VERB RESOURCE PATH...      may SUBJECT do it? (yes / no, exit 0 / 1)\n"
    "  who-can VERB RESOURCE PATH...          every subject that may, and what grants it\n"
    "  permissions SUBJECT PATH...            the subject's effective permissions\n"
    "\n"
    "SUBJECT is user:NAME, group:NAME or sa:NAMESPACE/NAME (a ServiceAccount; also\n"
    "user:system:serviceaccount:NAMESPACE:NAME). RESOURCE is written as kubectl\n"
    "writes it: RESOURCE[.GROUP][/SUBRESOURCE] (pods, deployments.apps, pods/exec,\n"
    "deploy, csr), or a non-resource URL starting with / (/healthz, /metrics).\n"
    "PATH is a file, a directory (read recursively) or - for standard input.\n"
    "\n"
    "Run 'kubearch rbac COMMAND --help' for the options of a command.\n"
    "Documentation: docs/rbac.md. RBAC findings are rules of `kubearch check`\n"
    "(kubearch rules --category rbac).\n";

static const char can_help[] =
    "Usage: kubearch rbac can SUBJECT VERB RESOURCE [options] PATH...\n"
    "\n"
    "Say whether SUBJECT may do VERB on RESOURCE once the manifests are applied, like\n"
    "`kubectl auth can-i --as`: prints yes or no and exits 0 when allowed, 1 when not.\n"
    "\n"
    "What counts: Roles, ClusterRoles (aggregated ClusterRoles get the rules the\n"
    "aggregation controller would give them), RoleBindings and ClusterRoleBindings of\n"
    "the input, plus the default ClusterRoles and ClusterRoleBindings of an API server\n"
    "(admin, edit, view, cluster-admin, system:discovery, system:basic-user, ...) for\n"
    "names the input does not define. RoleBindings grant only requests in their own\n"
    "namespace; cluster-scoped resources and non-resource URLs only ClusterRoleBindings\n"
    "grant. resourceNames never match a request without a name (create,\n"
    "deletecollection, list). The group system:masters is allowed everything.\n"
    "\n"
    "Options:\n"
    "  -n, --namespace NS     the request's namespace (default: all namespaces, which\n"
    "                         only ClusterRoleBindings grant, as `kubectl -A`)\n"
    "  -A, --all-namespaces   the request is for all namespaces (the default)\n"
    "      --name NAME        the object's name (resourceNames rules need it)\n"
    "      --group GROUP      the subject is also in GROUP (repeatable; for users)\n"
    "      --explain          print the bindings and rules that allow it, or, when it\n"
    "                         is denied in all namespaces, the namespaces that allow it\n"
    "      --no-builtin       leave out the API server's default roles and bindings\n"
    "  -o, --output FORMAT    text (default) or json:\n"
    "                         {\"allowed\":true|false,\"grants\":[{\"binding\":\"Kind/ns/name\",\n"
    "                         \"role\":\"Kind/ns/name\",\"rule\":N}]} (N indexes the role's\n"
    "                         rules, for an aggregated role the aggregated rules)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Examples:\n"
    "  kubearch rbac can sa:dev/builder create pods -n dev manifests/\n"
    "  kubearch rbac can user:alice get /healthz cluster-dump.yaml\n"
    "  kubearch rbac can group:ops update deployments.apps/scale -n prod --name web k8s/\n"
    "\n"
    "Exit codes: 0 allowed, 1 not allowed, 2 usage or input errors.\n";

static const char whocan_help[] =
    "Usage: kubearch rbac who-can VERB RESOURCE [options] PATH...\n"
    "\n"
    "List every subject (user, group, ServiceAccount) that may do VERB on RESOURCE,\n"
    "with the binding, role and rule that grant it and the scope (a namespace, or\n"
    "cluster for ClusterRoleBindings). Members of system:masters may always; they are\n"
    "listed last. Matching and defaults are those of `kubearch rbac can`.\n"
    "\n"
    "Options:\n"
    "  -n, --namespace NS     only grants that apply in namespace NS (default: grants\n"
    "                         in any namespace, each RoleBinding in its own)\n"
    "      --name NAME        the object's name (resourceNames rules need it)\n"
    "      --no-builtin       leave out the API server's default roles and bindings\n"
    "  -o, --output FORMAT    text (default) or json: {\"subjects\":[{\"subject\":\"sa:ns/name\",\n"
    "                         \"grants\":[{\"binding\":..,\"role\":..,\"rule\":N,\"scope\":\"ns\"|\"cluster\"}]}]}\n"
    "  -h, --help             show this help\n"
    "\n"
    "Example:\n"
    "  kubearch rbac who-can get secrets -n prod manifests/\n"
    "\n"
    "Exit codes: 0 answered, 2 usage or input errors.\n";

static const char perms_help[] =
    "Usage: kubearch rbac permissions SUBJECT [options] PATH...\n"
    "\n"
    "Print the effective permissions of SUBJECT: one row per scope (cluster or a\n"
    "namespace), resource (RESOURCE.GROUP, or a non-resource URL) and resourceNames,\n"
    "with the verbs and the binding -> role rules that grant them. Rules that grant\n"
    "nothing in their scope (cluster-scoped resources or non-resource URLs through a\n"
    "RoleBinding) are left out. Wildcards are kept as written, never expanded.\n"
    "\n"
    "Options:\n"
    "  -n, --namespace NS     only what applies in namespace NS (ClusterRoleBindings\n"
    "                         and the RoleBindings of NS)\n"
    "      --group GROUP      the subject is also in GROUP (repeatable; for users)\n"
    "      --no-builtin       leave out the API server's default roles and bindings\n"
    "  -o, --output FORMAT    text (default) or json\n"
    "  -h, --help             show this help\n"
    "\n"
    "Example:\n"
    "  kubearch rbac permissions sa:dev/builder manifests/\n"
    "\n"
    "Exit codes: 0 answered, 2 usage or input errors.\n";

enum { OPT_NAME = 256, OPT_GROUP, OPT_EXPLAIN, OPT_NO_BUILTIN };

static const struct option rbac_opts[] = {
    { "namespace", required_argument, NULL, 'n' },
    { "all-namespaces", no_argument, NULL, 'A' },
    { "name", required_argument, NULL, OPT_NAME },
    { "group", required_argument, NULL, OPT_GROUP },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "no-builtin", no_argument, NULL, OPT_NO_BUILTIN },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

typedef enum { SUB_CAN, SUB_WHO, SUB_PERMS } subcmd;

typedef struct rbac_args {
    subcmd sub;
    const char *cmdname;
    const char *ns, *name, *output;
    bool all_ns, explain, json;
    ka_rbac_opts mopts;
    const char *groups[KA_RBAC_MAX_GROUPS];
    size_t ngroups;
    char **words;                /* positional arguments */
    int nwords;
} rbac_args;

/* ---- shared helpers ----------------------------------------------------- */

static void json_str(ka_buf *b, ka_str s) { ka_buf_json_str(b, s); }

static void ref_role(ka_buf *b, const ka_rbac_binding *bd)
{
    ka_rbac_role_ref(bd->role, b);
}

static void grant_json(ka_buf *b, const ka_rbac_grant *g, bool scope)
{
    ka_buf tmp;
    ka_buf_init(&tmp);
    ka_buf_adds(b, "{\"binding\":");
    ka_rbac_binding_ref(g->binding, &tmp);
    json_str(b, (ka_str){ tmp.p, tmp.n });
    ka_buf_reset(&tmp);
    ka_buf_adds(b, ",\"role\":");
    ref_role(&tmp, g->binding);
    json_str(b, (ka_str){ tmp.p, tmp.n });
    ka_buf_printf(b, ",\"rule\":%u", g->rule);
    if (scope) {
        ka_buf_adds(b, ",\"scope\":");
        json_str(b, g->binding->cluster ? KA_STR("cluster") : g->binding->ns);
    }
    ka_buf_addc(b, '}');
    ka_buf_free(&tmp);
}

/* "ClusterRoleBinding/x -> ClusterRole/y rules[0]" (+ " (built-in)") */
static void grant_text(ka_buf *b, const ka_rbac_binding *bd, const uint32_t *rules, size_t n)
{
    ka_rbac_binding_ref(bd, b);
    ka_buf_adds(b, " -> ");
    ref_role(b, bd);
    ka_buf_adds(b, " rules[");
    for (size_t i = 0; i < n; i++)
        ka_buf_printf(b, "%s%u", i ? "," : "", rules[i]);
    ka_buf_addc(b, ']');
    if (bd->builtin)
        ka_buf_adds(b, " (built-in)");
    else if (bd->role->builtin)
        ka_buf_adds(b, " (built-in role)");
}

static int load_set(const rbac_args *a, ka_objset **out, ka_diags *d)
{
    ka_limits lim;
    ka_limits_default(&lim);
    ka_objset *s = ka_objset_new(&lim);
    ka_objset_load_all(s, (const char *const *)a->words, (size_t)a->nwords, d);
    ka_objset_index(s);
    *out = s;
    return 0;
}

static int parse_identity(const rbac_args *a, ka_arena *ar, const char *text, ka_rbac_identity *id)
{
    char err[256];
    if (ka_rbac_identity_parse(ar, text, id, err, sizeof err) < 0)
        return ka_usage_error(a->cmdname, "%s", err);
    for (size_t i = 0; i < a->ngroups; i++)
        if (!ka_rbac_identity_add_group(id, ka_str_c(a->groups[i])))
            return ka_usage_error(a->cmdname, "too many groups (at most %d)", KA_RBAC_MAX_GROUPS);
    return 0;
}

/* What a subcommand works on: the objects of its PATH words, what loading
 * them reported, the RBAC model built from them, and an arena for the
 * identity and the request. */
typedef struct rbac_input {
    ka_arena *ar;
    ka_diags d;
    ka_objset *s;
    ka_rbac *m;
} rbac_input;

/* Step past the nargs words before the PATHs (with id, the first is the
 * SUBJECT, parsed into it), then load the PATHs and build the model. A bad
 * SUBJECT is a usage error before any file is read, with nothing to free. */
static int input_open(rbac_args *a, int nargs, ka_rbac_identity *id, rbac_input *in)
{
    in->ar = ka_arena_new();
    int rc = id ? parse_identity(a, in->ar, a->words[0], id) : 0;
    a->words += nargs;
    a->nwords -= nargs;
    if (rc) {
        ka_arena_free(in->ar);
        return rc;
    }
    ka_diags_init(&in->d);
    load_set(a, &in->s, &in->d);
    in->m = ka_rbac_build(in->s, &a->mopts);
    return 0;
}

static void input_free(rbac_input *in)
{
    ka_rbac_free(in->m);
    ka_objset_free(in->s);
    ka_diags_free(&in->d);
    ka_arena_free(in->ar);
}

/* ---- can ---------------------------------------------------------------- */

static int make_request(const rbac_args *a, const ka_rbac *m, ka_arena *ar, const char *verb,
                        const char *res, ka_rbac_request *q)
{
    char err[256], warn[256];
    if (ka_rbac_request_make(m, ar, verb, res, a->all_ns ? NULL : a->ns, a->name, q, err,
                             sizeof err, warn, sizeof warn) < 0)
        return ka_usage_error(a->cmdname, "%s", err);
    if (warn[0])
        fprintf(stderr, "kubearch %s: note: %s\n", a->cmdname, warn);
    return 0;
}

/* Namespaces whose RoleBindings would allow what was denied cluster-wide. */
static void allowed_namespaces(const ka_rbac *m, const ka_rbac_identity *id,
                               const ka_rbac_request *q, ka_buf *out)
{
    const ka_rbac_binding **bs;
    size_t n = ka_rbac_bindings_for(m, id, &bs);
    ka_str last = { NULL, 0 };
    for (size_t i = 0; i < n; i++) {
        const ka_rbac_binding *b = bs[i];
        if (b->cluster || !b->role || (last.p && ka_str_eq(last, b->ns)))
            continue;
        ka_rbac_request rq = *q;
        rq.ns = b->ns;
        ka_rbac_grants g;
        if (ka_rbac_can(m, id, &rq, &g) && g.n) {
            ka_buf_printf(out, "%s%.*s", out->n ? ", " : "", (int)b->ns.n, b->ns.p);
            last = b->ns;
        }
        ka_rbac_grants_free(&g);
    }
    free(bs);
}

static int run_can(rbac_args *a)
{
    if (a->nwords < 4)
        return ka_usage_error(a->cmdname, "usage: kubearch rbac can SUBJECT VERB RESOURCE PATH...");
    const char *verb = a->words[1], *res = a->words[2];
    ka_rbac_identity id;
    rbac_input in;
    int rc = input_open(a, 3, &id, &in);
    if (rc)
        return rc;
    ka_rbac_request q;
    rc = make_request(a, in.m, in.ar, verb, res, &q);
    if (rc)
        goto out;
    ka_diags_print(&in.d, stderr);
    ka_rbac_grants g;
    bool ok = ka_rbac_can(in.m, &id, &q, &g);
    ka_buf b;
    ka_buf_init(&b);
    if (a->json) {
        ka_buf_printf(&b, "{\"allowed\":%s,\"grants\":[", ok ? "true" : "false");
        for (size_t i = 0; i < g.n; i++) {
            if (i)
                ka_buf_addc(&b, ',');
            grant_json(&b, &g.v[i], false);
        }
        ka_buf_adds(&b, "]}\n");
    } else {
        ka_buf_adds(&b, ok ? "yes\n" : "no\n");
        if (a->explain) {
            if (ka_rbac_identity_superuser(&id))
                ka_buf_adds(&b, "  group system:masters: allowed everything, authorization is not asked\n");
            for (size_t i = 0; i < g.n;) {
                size_t j = i;
                uint32_t rules[64];
                size_t nr = 0;
                while (j < g.n && g.v[j].binding == g.v[i].binding) {
                    if (nr < 64)
                        rules[nr++] = g.v[j].rule;
                    j++;
                }
                ka_buf_adds(&b, "  ");
                grant_text(&b, g.v[i].binding, rules, nr);
                ka_buf_adds(&b, " for ");
                ka_rbac_subject_string(g.v[i].subject, &b);
                ka_buf_addc(&b, '\n');
                i = j;
            }
            if (!ok) {
                ka_buf ns;
                ka_buf_init(&ns);
                if (!q.nonresource && !q.ns.n &&
                    ka_rbac_resource_namespaced(in.m, q.group, q.resource) != 0)
                    allowed_namespaces(in.m, &id, &q, &ns);
                if (ns.n)
                    ka_buf_printf(&b, "  not in all namespaces; allowed in: %.*s\n", (int)ns.n, ns.p);
                else
                    ka_buf_adds(&b, "  no binding of the subject or its groups grants it\n");
                ka_buf_free(&ns);
            }
        }
    }
    fwrite(b.p, 1, b.n, stdout);
    ka_buf_free(&b);
    ka_rbac_grants_free(&g);
    rc = in.d.errors ? KA_EXIT_USAGE : ok ? KA_EXIT_OK : KA_EXIT_FINDINGS;
out:
    input_free(&in);
    return rc;
}

/* ---- who-can ------------------------------------------------------------ */

static int run_who(rbac_args *a)
{
    if (a->nwords < 3)
        return ka_usage_error(a->cmdname, "usage: kubearch rbac who-can VERB RESOURCE PATH...");
    const char *verb = a->words[0], *res = a->words[1];
    rbac_input in;
    input_open(a, 2, NULL, &in);
    ka_rbac_request q;
    int rc = make_request(a, in.m, in.ar, verb, res, &q);
    if (rc)
        goto out;
    ka_diags_print(&in.d, stderr);
    ka_rbac_grants g;
    ka_rbac_who_can(in.m, &q, q.ns.n == 0, &g);
    ka_buf b, row;
    ka_buf_init(&b);
    ka_buf_init(&row);
    if (a->json) {
        ka_buf_adds(&b, "{\"subjects\":[");
        for (size_t i = 0; i < g.n;) {
            size_t j = i;
            ka_buf_reset(&row);
            ka_rbac_subject_string(g.v[i].subject, &row);
            ka_buf_adds(&b, i ? ",{\"subject\":" : "{\"subject\":");
            json_str(&b, (ka_str){ row.p, row.n });
            ka_buf_adds(&b, ",\"grants\":[");
            for (; j < g.n; j++) {
                ka_buf tmp;
                ka_buf_init(&tmp);
                ka_rbac_subject_string(g.v[j].subject, &tmp);
                bool same = tmp.n == row.n && memcmp(tmp.p, row.p, row.n) == 0;
                ka_buf_free(&tmp);
                if (!same)
                    break;
                if (j > i)
                    ka_buf_addc(&b, ',');
                grant_json(&b, &g.v[j], true);
            }
            ka_buf_adds(&b, "]}");
            i = j;
        }
        ka_buf_printf(&b, "%s{\"subject\":\"group:system:masters\",\"superuser\":true,\"grants\":[]}]}\n",
                      g.n ? "," : "");
    } else {
        /* rows: subject, scope, binding -> role rules[...] */
        size_t nrows = 0, cap = 16, w1 = 7, w2 = 5;
        char **cols = ka_xmalloc(cap * 3 * sizeof *cols);
        for (size_t i = 0; i < g.n;) {
            size_t j = i;
            uint32_t rules[64];
            size_t nr = 0;
            while (j < g.n && g.v[j].binding == g.v[i].binding && g.v[j].subject == g.v[i].subject) {
                if (nr < 64)
                    rules[nr++] = g.v[j].rule;
                j++;
            }
            if (nrows == cap) {
                cap *= 2;
                cols = ka_xrealloc(cols, cap * 3 * sizeof *cols);
            }
            ka_buf_reset(&row);
            ka_rbac_subject_string(g.v[i].subject, &row);
            cols[nrows * 3] = ka_xstrdup(ka_buf_cstr(&row));
            const ka_rbac_binding *bd = g.v[i].binding;
            ka_buf_reset(&row);
            ka_buf_addstr(&row, bd->cluster ? KA_STR("cluster") : bd->ns);
            cols[nrows * 3 + 1] = ka_xstrdup(ka_buf_cstr(&row));
            ka_buf_reset(&row);
            grant_text(&row, bd, rules, nr);
            cols[nrows * 3 + 2] = ka_xstrdup(ka_buf_cstr(&row));
            size_t l1 = strlen(cols[nrows * 3]), l2 = strlen(cols[nrows * 3 + 1]);
            w1 = l1 > w1 ? l1 : w1;
            w2 = l2 > w2 ? l2 : w2;
            nrows++;
            i = j;
        }
        w1 = w1 < 20 ? 20 : w1;
        ka_buf_printf(&b, "%-*s  %-*s  %s\n", (int)w1, "SUBJECT", (int)w2, "SCOPE", "GRANTED BY");
        for (size_t r = 0; r < nrows; r++) {
            ka_buf_printf(&b, "%-*s  %-*s  %s\n", (int)w1, cols[r * 3], (int)w2, cols[r * 3 + 1],
                          cols[r * 3 + 2]);
            for (int k = 0; k < 3; k++)
                free(cols[r * 3 + k]);
        }
        free(cols);
        ka_buf_printf(&b, "%-*s  %-*s  %s\n", (int)w1, "group:system:masters", (int)w2, "cluster",
                      "(superuser: authorization is not asked)");
    }
    fwrite(b.p, 1, b.n, stdout);
    ka_buf_free(&b);
    ka_buf_free(&row);
    ka_rbac_grants_free(&g);
    rc = in.d.errors ? KA_EXIT_USAGE : KA_EXIT_OK;
out:
    input_free(&in);
    return rc;
}

/* ---- permissions -------------------------------------------------------- */

typedef struct perm_row {
    ka_str scope;                /* "" = cluster */
    bool url;
    ka_str group, resource;      /* or resource = URL */
    ka_buf names;                /* comma-joined resourceNames */
    ka_str verbs[24];
    size_t nverbs;
    bool verbs_more;
    ka_rbac_grants via;
    size_t seq;                  /* insertion order: keeps the sort stable */
} perm_row;

static int verb_rank(ka_str v)
{
    static const char *const order[] = { "*", "get", "list", "watch", "create", "update", "patch",
                                         "delete", "deletecollection" };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (ka_str_eqc(v, order[i]))
            return (int)i;
    return 100;
}

static int cmp_verb(const void *pa, const void *pb)
{
    const ka_str *a = pa, *b = pb;
    int ra = verb_rank(*a), rb = verb_rank(*b);
    return ra != rb ? ra - rb : ka_str_cmp(*a, *b);
}

static int cmp_row(const void *pa, const void *pb)
{
    const perm_row *a = pa, *b = pb;
    if ((a->scope.n == 0) != (b->scope.n == 0))
        return a->scope.n == 0 ? -1 : 1;
    int c = ka_str_cmp(a->scope, b->scope);
    if (!c && a->url != b->url)
        c = a->url ? 1 : -1;
    if (!c)
        c = ka_str_cmp(a->resource, b->resource);
    if (!c)
        c = ka_str_cmp(a->group, b->group);
    if (!c)
        c = ka_str_cmp((ka_str){ a->names.p, a->names.n }, (ka_str){ b->names.p, b->names.n });
    return c;
}

static int cmp_row_seq(const void *pa, const void *pb)
{
    int c = cmp_row(pa, pb);
    if (c)
        return c;
    const perm_row *a = pa, *b = pb;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* One row per (scope, resource or URL, names) of one rule; rows are merged
 * after sorting, so that a large estate costs n log n, not n^2. */
static void add_perm(perm_row **rows, size_t *n, size_t *cap, ka_str scope, bool url, ka_str group,
                     ka_str res, const ka_rbac_rule *r, const ka_rbac_grant *g)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        *rows = ka_xrealloc(*rows, *cap * sizeof **rows);
    }
    perm_row *row = &(*rows)[(*n)++];
    memset(row, 0, sizeof *row);
    row->seq = *n;
    row->scope = scope;
    row->url = url;
    row->group = group;
    row->resource = res;
    ka_buf_init(&row->names);
    for (size_t i = 0; !url && i < r->nnames; i++)
        ka_buf_printf(&row->names, "%s%.*s", i ? "," : "", (int)r->names[i].n, r->names[i].p);
    for (size_t v = 0; v < r->nverbs; v++) {
        bool have = false;
        for (size_t k = 0; k < row->nverbs && !have; k++)
            have = ka_str_eq(row->verbs[k], r->verbs[v]);
        if (have)
            continue;
        if (row->nverbs < sizeof row->verbs / sizeof row->verbs[0])
            row->verbs[row->nverbs++] = r->verbs[v];
        else
            row->verbs_more = true;
    }
    ka_rbac_grants_push(&row->via, g);
}

/* Merge sorted rows with the same key: verbs and grants are united. */
static size_t merge_rows(perm_row *rows, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        perm_row *x = &rows[i];
        perm_row *y = out ? &rows[out - 1] : NULL;
        if (!y || cmp_row(x, y) != 0) {
            if (&rows[out] != x)
                rows[out] = *x;
            out++;
            continue;
        }
        for (size_t v = 0; v < x->nverbs; v++) {
            bool have = false;
            for (size_t k = 0; k < y->nverbs && !have; k++)
                have = ka_str_eq(y->verbs[k], x->verbs[v]);
            if (have)
                continue;
            if (y->nverbs < sizeof y->verbs / sizeof y->verbs[0])
                y->verbs[y->nverbs++] = x->verbs[v];
            else
                y->verbs_more = true;
        }
        y->verbs_more |= x->verbs_more;
        for (size_t k = 0; k < x->via.n; k++) {
            bool dup = false;
            for (size_t q = 0; q < y->via.n && !dup; q++)
                dup = y->via.v[q].binding == x->via.v[k].binding && y->via.v[q].rule == x->via.v[k].rule;
            if (!dup && y->via.n < 64)
                ka_rbac_grants_push(&y->via, &x->via.v[k]);
        }
        ka_buf_free(&x->names);
        ka_rbac_grants_free(&x->via);
    }
    return out;
}

static void verbs_text(ka_buf *b, const perm_row *r)
{
    for (size_t k = 0; k < r->nverbs; k++)
        ka_buf_printf(b, "%s%.*s", k ? "," : "", (int)r->verbs[k].n, r->verbs[k].p);
    if (r->verbs_more)
        ka_buf_adds(b, ",...");
}

static void resource_text(ka_buf *b, const perm_row *r)
{
    ka_buf_addstr(b, r->resource);
    if (!r->url && r->group.n) {
        ka_buf_addc(b, '.');
        ka_buf_addstr(b, r->group);
    }
}

static int run_perms(rbac_args *a)
{
    if (a->nwords < 2)
        return ka_usage_error(a->cmdname, "usage: kubearch rbac permissions SUBJECT PATH...");
    ka_rbac_identity id;
    rbac_input in;
    int rc = input_open(a, 1, &id, &in);
    if (rc)
        return rc;
    ka_diags_print(&in.d, stderr);
    const ka_rbac_binding **bs;
    size_t nb = ka_rbac_bindings_for(in.m, &id, &bs);
    perm_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    for (size_t i = 0; i < nb; i++) {
        const ka_rbac_binding *bd = bs[i];
        if (!bd->role)
            continue;
        if (!bd->cluster && a->ns && strcmp(a->ns, "") && !ka_str_eqc(bd->ns, a->ns))
            continue;
        const ka_rbac_subject *sj = NULL;
        for (size_t k = 0; k < bd->nsubjects && !sj; k++)
            if (ka_rbac_subject_applies(&bd->subjects[k], &id))
                sj = &bd->subjects[k];
        if (!sj)
            continue;
        ka_str scope = bd->cluster ? (ka_str){ "", 0 } : bd->ns;
        for (size_t r = 0; r < bd->role->nrules; r++) {
            const ka_rbac_rule *rl = &bd->role->rules[r];
            ka_rbac_grant g = { bd, sj, (uint32_t)r };
            /* non-resource URLs: only through ClusterRoleBindings */
            for (size_t u = 0; bd->cluster && u < rl->nurls; u++)
                add_perm(&rows, &nrows, &cap, scope, true, (ka_str){ "", 0 }, rl->urls[u], rl, &g);
            for (size_t gi = 0; gi < rl->ngroups; gi++)
                for (size_t ri = 0; ri < rl->nres; ri++) {
                    ka_str res = rl->res[ri];
                    /* cluster-scoped resources through a RoleBinding grant
                     * nothing (the binding's own Namespace object aside) */
                    if (!bd->cluster && !ka_str_eqc(res, "namespaces") &&
                        ka_rbac_resource_namespaced(in.m, rl->groups[gi], res) == 0)
                        continue;
                    add_perm(&rows, &nrows, &cap, scope, false, rl->groups[gi], res, rl, &g);
                }
        }
    }
    free(bs);
    if (nrows > 1)
        qsort(rows, nrows, sizeof *rows, cmp_row_seq);
    nrows = merge_rows(rows, nrows);
    for (size_t i = 0; i < nrows; i++)
        qsort(rows[i].verbs, rows[i].nverbs, sizeof rows[i].verbs[0], cmp_verb);
    bool super = ka_rbac_identity_superuser(&id);
    ka_buf b, tmp;
    ka_buf_init(&b);
    ka_buf_init(&tmp);
    ka_rbac_identity_string(&id, &tmp);
    if (a->json) {
        ka_buf_adds(&b, "{\"subject\":");
        json_str(&b, (ka_str){ tmp.p, tmp.n });
        ka_buf_adds(&b, ",\"user\":");
        json_str(&b, id.user);
        ka_buf_adds(&b, ",\"groups\":[");
        for (size_t i = 0; i < id.ngroups; i++) {
            if (i)
                ka_buf_addc(&b, ',');
            json_str(&b, id.groups[i]);
        }
        ka_buf_printf(&b, "],\"superuser\":%s,\"permissions\":[", super ? "true" : "false");
        for (size_t i = 0; i < nrows; i++) {
            const perm_row *r = &rows[i];
            ka_buf_adds(&b, i ? ",{\"scope\":" : "{\"scope\":");
            json_str(&b, r->scope.n ? r->scope : KA_STR("cluster"));
            if (r->url) {
                ka_buf_adds(&b, ",\"nonResourceURL\":");
                json_str(&b, r->resource);
            } else {
                ka_buf_adds(&b, ",\"apiGroup\":");
                json_str(&b, r->group);
                ka_buf_adds(&b, ",\"resource\":");
                json_str(&b, r->resource);
                ka_buf_adds(&b, ",\"resourceNames\":[");
                size_t st = 0;
                for (size_t k = 0; k <= r->names.n; k++) {
                    if (k == r->names.n || r->names.p[k] == ',') {
                        if (k > st || (k == st && r->names.n && k < r->names.n)) {
                            if (st)
                                ka_buf_addc(&b, ',');
                            json_str(&b, (ka_str){ r->names.p + st, k - st });
                        }
                        st = k + 1;
                    }
                }
                ka_buf_addc(&b, ']');
            }
            ka_buf_adds(&b, ",\"verbs\":[");
            for (size_t k = 0; k < r->nverbs; k++) {
                if (k)
                    ka_buf_addc(&b, ',');
                json_str(&b, r->verbs[k]);
            }
            ka_buf_adds(&b, "],\"grants\":[");
            for (size_t k = 0; k < r->via.n; k++) {
                if (k)
                    ka_buf_addc(&b, ',');
                grant_json(&b, &r->via.v[k], false);
            }
            ka_buf_adds(&b, "]}");
        }
        ka_buf_adds(&b, "]}\n");
    } else {
        ka_buf_printf(&b, "%.*s: user \"%.*s\", groups ", (int)tmp.n, tmp.p, (int)id.user.n,
                      id.user.p);
        for (size_t i = 0; i < id.ngroups; i++)
            ka_buf_printf(&b, "%s%.*s", i ? ", " : "", (int)id.groups[i].n, id.groups[i].p);
        ka_buf_addc(&b, '\n');
        if (super)
            ka_buf_adds(&b, "in system:masters: allowed everything, whatever the bindings say\n");
        if (!nrows) {
            ka_buf_adds(&b, "no permissions from RBAC bindings\n");
        } else {
            size_t w[4] = { 5, 8, 5, 5 };
            for (size_t i = 0; i < nrows; i++) {
                const perm_row *r = &rows[i];
                size_t l0 = r->scope.n ? r->scope.n : 7;
                ka_buf_reset(&tmp);
                resource_text(&tmp, r);
                size_t l1 = tmp.n, l2 = r->names.n ? r->names.n : 1;
                ka_buf_reset(&tmp);
                verbs_text(&tmp, r);
                size_t l3 = tmp.n;
                w[0] = l0 > w[0] ? l0 : w[0];
                w[1] = l1 > w[1] ? l1 : w[1];
                w[2] = l2 > w[2] ? l2 : w[2];
                w[3] = l3 > w[3] ? l3 : w[3];
            }
            ka_buf_printf(&b, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], "SCOPE", (int)w[1],
                          "RESOURCE", (int)w[2], "NAMES", (int)w[3], "VERBS", "GRANTED BY");
            for (size_t i = 0; i < nrows; i++) {
                const perm_row *r = &rows[i];
                ka_buf_printf(&b, "%-*.*s  ", (int)w[0], (int)(r->scope.n ? r->scope.n : 7),
                              r->scope.n ? r->scope.p : "cluster");
                ka_buf_reset(&tmp);
                resource_text(&tmp, r);
                ka_buf_printf(&b, "%-*.*s  ", (int)w[1], (int)tmp.n, tmp.p);
                ka_buf_printf(&b, "%-*.*s  ", (int)w[2], (int)(r->names.n ? r->names.n : 1),
                              r->names.n ? r->names.p : "-");
                ka_buf_reset(&tmp);
                verbs_text(&tmp, r);
                ka_buf_printf(&b, "%-*.*s  ", (int)w[3], (int)tmp.n, tmp.p);
                for (size_t k = 0; k < r->via.n; k++) {
                    if (k)
                        ka_buf_adds(&b, "; ");
                    grant_text(&b, r->via.v[k].binding, &r->via.v[k].rule, 1);
                }
                ka_buf_addc(&b, '\n');
            }
        }
    }
    fwrite(b.p, 1, b.n, stdout);
    ka_buf_free(&b);
    ka_buf_free(&tmp);
    for (size_t i = 0; i < nrows; i++) {
        ka_buf_free(&rows[i].names);
        ka_rbac_grants_free(&rows[i].via);
    }
    free(rows);
    rc = in.d.errors ? KA_EXIT_USAGE : KA_EXIT_OK;
    input_free(&in);
    return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

int ka_cmd_rbac(int argc, char **argv)
{
    if (argc < 2 || ka_is_help(argv[1])) {
        fputs(rbac_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? KA_EXIT_USAGE : KA_EXIT_OK;
    }
    rbac_args a;
    memset(&a, 0, sizeof a);
    a.output = "text";
    const char *help;
    if (strcmp(argv[1], "can") == 0) {
        a.sub = SUB_CAN;
        a.cmdname = "rbac can";
        help = can_help;
    } else if (strcmp(argv[1], "who-can") == 0) {
        a.sub = SUB_WHO;
        a.cmdname = "rbac who-can";
        help = whocan_help;
    } else if (strcmp(argv[1], "permissions") == 0) {
        a.sub = SUB_PERMS;
        a.cmdname = "rbac permissions";
        help = perms_help;
    } else {
        return ka_usage_error("rbac", "unknown command \"%s\" (can, who-can, permissions)", argv[1]);
    }
    argc--;
    argv++;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:Ao:h", rbac_opts, NULL)) != -1) {
        switch (c) {
        case 'n': a.ns = optarg; break;
        case 'A': a.all_ns = true; break;
        case 'o': a.output = optarg; break;
        case 'h': fputs(help, stdout); return KA_EXIT_OK;
        case OPT_NAME: a.name = optarg; break;
        case OPT_EXPLAIN: a.explain = true; break;
        case OPT_NO_BUILTIN: a.mopts.no_builtin = true; break;
        case OPT_GROUP:
            if (a.ngroups == KA_RBAC_MAX_GROUPS)
                return ka_usage_error(a.cmdname, "too many --group options");
            a.groups[a.ngroups++] = optarg;
            break;
        case ':': return ka_usage_error(a.cmdname, "option %s needs a value", argv[optind - 1]);
        default: return ka_usage_error(a.cmdname, "unknown option %s", argv[optind - 1]);
        }
    }
    if (strcmp(a.output, "text") && strcmp(a.output, "json"))
        return ka_usage_error(a.cmdname, "unknown output format \"%s\" (text, json)", a.output);
    a.json = strcmp(a.output, "json") == 0;
    if (a.sub == SUB_WHO && a.ngroups)
        return ka_usage_error(a.cmdname, "--group applies to can and permissions");
    if (a.sub != SUB_CAN && (a.explain || a.all_ns))
        return ka_usage_error(a.cmdname, "%s applies to can", a.explain ? "--explain" : "-A");
    if (a.sub == SUB_PERMS && a.name)
        return ka_usage_error(a.cmdname, "--name applies to can and who-can");
    if (a.all_ns && a.ns)
        return ka_usage_error(a.cmdname, "-n and -A exclude each other");
    a.words = argv + optind;
    a.nwords = argc - optind;
    switch (a.sub) {
    case SUB_CAN: return run_can(&a);
    case SUB_WHO: return run_who(&a);
    default: return run_perms(&a);
    }
}
