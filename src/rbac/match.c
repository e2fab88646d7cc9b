/*
 * match.c - one PolicyRule against one request, identities, and building a
 * request from kubectl-style words.
 *
 * The matching functions restate k8s.io/component-helpers/auth/rbac
 * (VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches,
 * NonResourceURLMatches) and the subject test of the RBAC authorizer
 * (appliesToUser in pkg/registry/rbac/validation).
 */
#include "rbac_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- rule matching ------------------------------------------------------ */

static bool has_or_star(const ka_str *v, size_t n, ka_str want)
{
    for (size_t i = 0; i < n; i++)
        if (ka_str_eqc(v[i], "*") || ka_str_eq(v[i], want))
            return true;
    return false;
}

/* "*" matches every resource and subresource; an exact "res" or "res/sub";
 * "*\/sub" matches that subresource of any resource. "pods/" + "*" is not a
 * pattern: it only matches a subresource literally named "*". */
static bool resource_matches(const ka_rbac_rule *r, const ka_rbac_request *q)
{
    for (size_t i = 0; i < r->nres; i++) {
        ka_str rr = r->res[i];
        if (ka_str_eqc(rr, "*"))
            return true;
        if (q->subresource.n == 0) {
            if (ka_str_eq(rr, q->resource))
                return true;
            continue;
        }
        size_t rn = q->resource.n, sn = q->subresource.n;
        if (rr.n == rn + 1 + sn && memcmp(rr.p, q->resource.p, rn) == 0 && rr.p[rn] == '/' &&
            memcmp(rr.p + rn + 1, q->subresource.p, sn) == 0)
            return true;
        if (rr.n == sn + 2 && rr.p[0] == '*' && rr.p[1] == '/' &&
            memcmp(rr.p + 2, q->subresource.p, sn) == 0)
            return true;
    }
    return false;
}

static bool name_matches(const ka_rbac_rule *r, ka_str name)
{
    if (r->nnames == 0)
        return true;
    for (size_t i = 0; i < r->nnames; i++)
        if (ka_str_eq(r->names[i], name))
            return true;
    return false;
}

/* A trailing "*" makes the entry a prefix (all trailing stars are dropped). */
static bool url_matches(const ka_rbac_rule *r, ka_str path)
{
    for (size_t i = 0; i < r->nurls; i++) {
        ka_str u = r->urls[i];
        if (ka_str_eqc(u, "*") || ka_str_eq(u, path))
            return true;
        if (u.n && u.p[u.n - 1] == '*') {
            size_t n = u.n;
            while (n && u.p[n - 1] == '*')
                n--;
            if (path.n >= n && memcmp(path.p, u.p, n) == 0)
                return true;
        }
    }
    return false;
}

bool ka_rbac_rule_allows(const ka_rbac_rule *r, const ka_rbac_request *q)
{
    if (!has_or_star(r->verbs, r->nverbs, q->verb))
        return false;
    if (q->nonresource)
        return url_matches(r, q->path);
    return has_or_star(r->groups, r->ngroups, q->group) && resource_matches(r, q) &&
           name_matches(r, q->name);
}

bool ka_rbac_binding_in_scope(const ka_rbac_binding *b, const ka_rbac_request *q)
{
    if (b->cluster)
        return true;
    /* the authorizer visits RoleBindings only for namespaced requests, and
     * only those of the request's namespace */
    return !q->nonresource && q->ns.n && ka_str_eq(q->ns, b->ns);
}

/* ---- identities --------------------------------------------------------- */

static ka_str dup(ka_arena *a, const char *p, size_t n)
{
    return (ka_str){ ka_arena_strndup(a, p, n), n };
}

bool ka_rbac_identity_add_group(ka_rbac_identity *id, ka_str g)
{
    for (size_t i = 0; i < id->ngroups; i++)
        if (ka_str_eq(id->groups[i], g))
            return true;
    if (id->ngroups == KA_RBAC_MAX_GROUPS)
        return false;
    id->groups[id->ngroups++] = g;
    return true;
}

/* "prefix" + a [+ ":" + b] in the arena. */
static ka_str join(ka_arena *a, const char *prefix, ka_str x, ka_str y)
{
    size_t np = strlen(prefix), n = np + x.n + (y.p ? 1 + y.n : 0);
    char *p = ka_arena_alloc(a, n + 1), *q = p;
    memcpy(q, prefix, np);
    q += np;
    memcpy(q, x.p, x.n);
    q += x.n;
    if (y.p) {
        *q++ = ':';
        memcpy(q, y.p, y.n);
        q += y.n;
    }
    *q = '\0';
    return (ka_str){ p, n };
}

void ka_rbac_identity_sa(ka_rbac_identity *out, ka_arena *a, ka_str ns, ka_str name)
{
    out->kind = KA_RBAC_SA;
    out->ns = dup(a, ns.p, ns.n);
    out->name = dup(a, name.p, name.n);
    out->user = join(a, "system:serviceaccount:", ns, name);
    out->ngroups = 0;
    ka_rbac_identity_add_group(out, KA_STR("system:serviceaccounts"));
    ka_rbac_identity_add_group(out, join(a, "system:serviceaccounts:", ns, (ka_str){ NULL, 0 }));
    ka_rbac_identity_add_group(out, KA_STR("system:authenticated"));
}

static int sa_words(ka_arena *a, const char *p, char sep, ka_rbac_identity *out, char *err,
                    size_t errn, const char *text)
{
    const char *s = strchr(p, sep);
    if (!s || s == p || !s[1] || strchr(s + 1, sep)) {
        snprintf(err, errn, "\"%s\": a ServiceAccount is written sa:NAMESPACE/NAME", text);
        return -1;
    }
    ka_rbac_identity_sa(out, a, (ka_str){ p, (size_t)(s - p) }, ka_str_c(s + 1));
    return 0;
}

int ka_rbac_identity_parse(ka_arena *a, const char *text, ka_rbac_identity *out, char *err,
                           size_t errn)
{
    memset(out, 0, sizeof *out);
    const char *colon = strchr(text, ':');
    if (!colon || !colon[1]) {
        snprintf(err, errn, "\"%s\": write the subject as user:NAME, group:NAME or sa:NAMESPACE/NAME",
                 text);
        return -1;
    }
    size_t kl = (size_t)(colon - text);
    const char *rest = colon + 1;
    if ((kl == 2 && strncmp(text, "sa", 2) == 0) ||
        (kl == 14 && strncmp(text, "serviceaccount", 14) == 0))
        return sa_words(a, rest, '/', out, err, errn, text);
    if (kl == 4 && strncmp(text, "user", 4) == 0) {
        static const char pfx[] = "system:serviceaccount:";
        if (strncmp(rest, pfx, sizeof pfx - 1) == 0)
            return sa_words(a, rest + sizeof pfx - 1, ':', out, err, errn, text);
        out->kind = KA_RBAC_USER;
        out->name = out->user = dup(a, rest, strlen(rest));
        if (strcmp(rest, "system:anonymous") == 0)
            ka_rbac_identity_add_group(out, KA_STR("system:unauthenticated"));
        else
            ka_rbac_identity_add_group(out, KA_STR("system:authenticated"));
        return 0;
    }
    if (kl == 5 && strncmp(text, "group", 5) == 0) {
        out->kind = KA_RBAC_GROUP;
        out->name = dup(a, rest, strlen(rest));
        out->user = (ka_str){ "", 0 };
        ka_rbac_identity_add_group(out, out->name);
        if (strcmp(rest, "system:unauthenticated") != 0)
            ka_rbac_identity_add_group(out, KA_STR("system:authenticated"));
        return 0;
    }
    snprintf(err, errn, "\"%s\": unknown subject kind \"%.*s\" (user, group or sa)", text,
             (int)kl, text);
    return -1;
}

bool ka_rbac_identity_superuser(const ka_rbac_identity *id)
{
    for (size_t i = 0; i < id->ngroups; i++)
        if (ka_str_eqc(id->groups[i], "system:masters"))
            return true;
    return false;
}

void ka_rbac_identity_string(const ka_rbac_identity *id, ka_buf *out)
{
    switch (id->kind) {
    case KA_RBAC_SA:
        ka_buf_printf(out, "sa:%.*s/%.*s", (int)id->ns.n, id->ns.p, (int)id->name.n, id->name.p);
        break;
    case KA_RBAC_GROUP:
        ka_buf_printf(out, "group:%.*s", (int)id->name.n, id->name.p);
        break;
    default:
        ka_buf_printf(out, "user:%.*s", (int)id->user.n, id->user.p);
    }
}

bool ka_rbac_subject_applies(const ka_rbac_subject *s, const ka_rbac_identity *id)
{
    switch (s->kind) {
    case KA_RBAC_USER:
        return id->user.n && ka_str_eq(s->name, id->user);
    case KA_RBAC_GROUP:
        for (size_t i = 0; i < id->ngroups; i++)
            if (ka_str_eq(id->groups[i], s->name))
                return true;
        return false;
    case KA_RBAC_SA:
        return !s->no_namespace && id->kind == KA_RBAC_SA && ka_str_eq(s->ns, id->ns) &&
               ka_str_eq(s->name, id->name);
    default:
        return false;
    }
}

const ka_rbac_subject *ka_rbac__first_applying(const ka_rbac_binding *b, const ka_rbac_identity *id)
{
    for (size_t i = 0; i < b->nsubjects; i++)
        if (ka_rbac_subject_applies(&b->subjects[i], id))
            return &b->subjects[i];
    return NULL;
}

/* ---- requests ----------------------------------------------------------- */

static bool crd_lookup(const ka_objset *s, ka_str word, ka_str want_group, ka_str *group,
                       ka_str *plural, int *namespaced)
{
    if (!s)
        return false;
    ka_objlist l = ka_objset_by_kind(s, "CustomResourceDefinition");
    for (size_t i = 0; i < l.n; i++) {
        const ka_node *spec = ka_get(l.v[i]->root, "spec");
        const ka_node *names = ka_get(spec, "names");
        ka_str g = ka_node_str(ka_get(spec, "group"));
        ka_str p = ka_node_str(ka_get(names, "plural"));
        if (!p.n || (want_group.p && !ka_str_eq(want_group, g)))
            continue;
        bool hit = ka_str_eq(word, p) || ka_str_eq(word, ka_node_str(ka_get(names, "singular")));
        ka_str kind = ka_node_str(ka_get(names, "kind"));
        if (!hit && kind.n == word.n) {
            hit = true;
            for (size_t k = 0; k < kind.n && hit; k++)
                hit = tolower((unsigned char)kind.p[k]) == tolower((unsigned char)word.p[k]);
        }
        const ka_node *sh = ka_get(names, "shortNames");
        for (uint32_t k = 0; !hit && ka_is_seq(sh) && k < ka_node_n(sh); k++)
            hit = ka_str_eq(word, ka_node_str(KA_SEQ_ITEM(sh, k)));
        if (!hit)
            continue;
        *group = g;
        *plural = p;
        *namespaced = ka_str_eqc(ka_node_str(ka_get(spec, "scope")), "Cluster") ? 0 : 1;
        return true;
    }
    return false;
}

int ka_rbac_resource_namespaced(const ka_rbac *m, ka_str group, ka_str resource)
{
    ka_str g, p;
    int ns;
    if (ka_rbac__resource_lookup(resource, group, &g, &p, &ns) && ka_str_eq(p, resource))
        return ns;
    if (m && crd_lookup(m->set, resource, group, &g, &p, &ns) && ka_str_eq(p, resource))
        return ns;
    return -1;
}

static bool looks_like_version(ka_str s)
{
    return s.n >= 2 && s.p[0] == 'v' && isdigit((unsigned char)s.p[1]);
}

int ka_rbac_request_make(const ka_rbac *m, ka_arena *a, const char *verb, const char *resource,
                         const char *ns, const char *name, ka_rbac_request *out, char *err,
                         size_t errn, char *warn, size_t warnn)
{
    memset(out, 0, sizeof *out);
    if (warnn)
        warn[0] = '\0';
    if (!*verb) {
        snprintf(err, errn, "empty verb");
        return -1;
    }
    out->verb = dup(a, verb, strlen(verb));
    if (resource[0] == '/') {
        out->nonresource = true;
        out->path = dup(a, resource, strlen(resource));
        if (ns && *ns && warnn)
            snprintf(warn, warnn, "-n %s ignored: non-resource URLs have no namespace", ns);
        return 0;
    }
    if (!*resource) {
        snprintf(err, errn, "empty resource");
        return -1;
    }
    /* RESOURCE[.GROUP][/SUBRESOURCE]; kubectl also takes RESOURCE.VERSION.GROUP */
    const char *slash = strchr(resource, '/');
    ka_str word = { resource, slash ? (size_t)(slash - resource) : strlen(resource) };
    if (slash) {
        out->subresource = dup(a, slash + 1, strlen(slash + 1));
        if (!out->subresource.n || strchr(slash + 1, '/')) {
            snprintf(err, errn, "\"%s\": write RESOURCE[.GROUP][/SUBRESOURCE]", resource);
            return -1;
        }
    }
    ka_str want_group = { NULL, 0 };
    const char *dot = memchr(word.p, '.', word.n);
    if (dot) {
        want_group = (ka_str){ dot + 1, word.n - (size_t)(dot - word.p) - 1 };
        word.n = (size_t)(dot - word.p);
        const char *dot2 = memchr(want_group.p, '.', want_group.n);
        ka_str first = { want_group.p, dot2 ? (size_t)(dot2 - want_group.p) : want_group.n };
        if (dot2 && looks_like_version(first))
            want_group = (ka_str){ dot2 + 1, want_group.n - first.n - 1 };
    }
    ka_str g = { "", 0 }, plural = word;
    int namespaced = -1;
    if (ka_str_eqc(word, "*")) {
        g = want_group.p ? want_group : (ka_str){ "*", 1 };
    } else if (ka_rbac__resource_lookup(word, want_group, &g, &plural, &namespaced) ||
               crd_lookup(m ? m->set : NULL, word, want_group, &g, &plural, &namespaced)) {
        /* known: canonical plural and group */
    } else {
        g = want_group.p ? want_group : (ka_str){ "", 0 };
        plural = word;
    }
    out->group = dup(a, g.p, g.n);
    out->resource = dup(a, plural.p, plural.n);
    if (name && *name)
        out->name = dup(a, name, strlen(name));
    bool is_ns = out->group.n == 0 && ka_str_eqc(out->resource, "namespaces");
    if (is_ns && out->name.n) {
        /* /api/v1/namespaces/NAME carries namespace NAME in the request info */
        if (ns && *ns && strcmp(ns, name) != 0 && warnn)
            snprintf(warn, warnn, "-n %s ignored: a request on namespace %s is in that namespace",
                     ns, name);
        out->ns = out->name;
    } else if (namespaced == 0) {
        if (ns && *ns && warnn)
            snprintf(warn, warnn, "-n %s ignored: %.*s is cluster-scoped", ns,
                     (int)out->resource.n, out->resource.p);
    } else if (ns && *ns) {
        out->ns = dup(a, ns, strlen(ns));
    }
    return 0;
}

void ka_rbac_request_string(const ka_rbac_request *q, ka_buf *out)
{
    ka_buf_addstr(out, q->verb);
    ka_buf_addc(out, ' ');
    if (q->nonresource) {
        ka_buf_addstr(out, q->path);
        return;
    }
    ka_buf_addstr(out, q->resource);
    if (q->group.n) {
        ka_buf_addc(out, '.');
        ka_buf_addstr(out, q->group);
    }
    if (q->subresource.n) {
        ka_buf_addc(out, '/');
        ka_buf_addstr(out, q->subresource);
    }
    if (q->name.n) {
        ka_buf_addc(out, ' ');
        ka_buf_addstr(out, q->name);
    }
    if (q->ns.n)
        ka_buf_printf(out, " in namespace %.*s", (int)q->ns.n, q->ns.p);
}
