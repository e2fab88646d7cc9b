/*
 * labels.c - label syntax and label selectors with the semantics of
 * k8s.io/apimachinery: pkg/api/validate/content (label keys and values,
 * RFC 1123 names), pkg/labels (the selector lexer, parser, Requirement
 * validation, String() and Matches) and pkg/apis/meta/v1
 * (LabelSelectorAsSelector, SelectorFromSet).
 *
 * The label-set helpers declared beside these (ka_labels_get,
 * ka_labels_from_node) live in src/core/labelset.c.
 */
#include "kubearch/labels.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L_NAME_MAX 63
#define L_SUBDOMAIN_MAX 253

/* ---- error text ---------------------------------------------------------- */

static size_t l_used(const char *err, size_t errn)
{
    const char *nul = memchr(err, '\0', errn);
    return nul ? (size_t)(nul - err) : errn;
}

/* Appends to err, separating messages with "; " as upstream joins them. */
static void l_err(char *err, size_t errn, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void l_err(char *err, size_t errn, const char *fmt, ...)
{
    size_t used;
    va_list ap;

    if (!err || errn == 0)
        return;
    used = l_used(err, errn);
    if (used >= errn - 1)
        return;
    if (used > 0) {
        snprintf(err + used, errn - used, "; ");
        used = l_used(err, errn);
    }
    va_start(ap, fmt);
    vsnprintf(err + used, errn - used, fmt, ap);
    va_end(ap);
}

static void l_err_reset(char *err, size_t errn)
{
    if (err && errn > 0)
        err[0] = '\0';
}

/* Printable form of user text inside messages: length-limited. */
#define L_SHOW(s) (int)((s).n > 80 ? 80 : (s).n), (s).p

/* ---- syntax (pkg/api/validate/content) ---------------------------------- */

static bool l_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool l_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? with no length limit of its own. */
static bool l_dns_label_chars(const char *p, size_t n)
{
    if (n == 0 || !l_lower_alnum(p[0]) || !l_lower_alnum(p[n - 1]))
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (!l_lower_alnum(p[i]) && p[i] != '-')
            return false;
    return true;
}

bool ka_dns1123_label(ka_str s)
{
    return s.n <= L_NAME_MAX && l_dns_label_chars(s.p, s.n);
}

/* Labels joined by dots; only the whole is bounded (253), as in the regex. */
static bool l_subdomain_chars(ka_str s)
{
    size_t start = 0;

    for (size_t i = 0; i <= s.n; i++) {
        if (i < s.n && s.p[i] != '.')
            continue;
        if (!l_dns_label_chars(s.p + start, i - start))
            return false;
        start = i + 1;
    }
    return true;
}

bool ka_dns1123_subdomain(ka_str s)
{
    return s.n <= L_SUBDOMAIN_MAX && l_subdomain_chars(s);
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] */
static bool l_name_chars(ka_str s)
{
    if (s.n == 0 || !l_alnum(s.p[0]) || !l_alnum(s.p[s.n - 1]))
        return false;
    for (size_t i = 1; i + 1 < s.n; i++)
        if (!l_alnum(s.p[i]) && s.p[i] != '-' && s.p[i] != '_' && s.p[i] != '.')
            return false;
    return true;
}

static const char l_name_rule[] =
    "must be alphanumeric characters, '-', '_' or '.', starting and ending with an "
    "alphanumeric character";

static bool l_check_prefix(ka_str prefix, char *err, size_t errn)
{
    bool ok = true;

    if (prefix.n == 0) {
        l_err(err, errn, "prefix part must not be empty");
        return false;
    }
    if (prefix.n > L_SUBDOMAIN_MAX) {
        l_err(err, errn, "prefix part must be at most %d bytes", L_SUBDOMAIN_MAX);
        ok = false;
    }
    if (!l_subdomain_chars(prefix)) {
        l_err(err, errn, "prefix part must be a lowercase RFC 1123 subdomain (e.g. 'example.com')");
        ok = false;
    }
    return ok;
}

/* Like upstream, every broken rule is reported, joined with "; ". */
bool ka_label_key_valid(ka_str key, char *err, size_t errn)
{
    const char *slash = key.n ? memchr(key.p, '/', key.n) : NULL;
    ka_str name = key;
    bool ok = true;

    l_err_reset(err, errn);
    if (slash) {
        ka_str prefix = { key.p, (size_t)(slash - key.p) };
        name = (ka_str){ slash + 1, key.n - prefix.n - 1 };
        if (name.n && memchr(name.p, '/', name.n)) {
            l_err(err, errn, "a label key is a name with an optional DNS subdomain prefix "
                             "and one '/' (e.g. 'example.com/MyName')");
            return false;
        }
        ok = l_check_prefix(prefix, err, errn);
    }
    if (name.n == 0) {
        l_err(err, errn, "name part must not be empty");
        ok = false;
    } else if (name.n > L_NAME_MAX) {
        l_err(err, errn, "name part must be at most %d bytes", L_NAME_MAX);
        ok = false;
    }
    if (!l_name_chars(name)) {
        l_err(err, errn, "name part %s (e.g. 'MyName', 'my.name', '123-abc')", l_name_rule);
        ok = false;
    }
    return ok;
}

bool ka_label_value_valid(ka_str val, char *err, size_t errn)
{
    bool ok = true;

    l_err_reset(err, errn);
    if (val.n > L_NAME_MAX) {
        l_err(err, errn, "must be at most %d bytes", L_NAME_MAX);
        ok = false;
    }
    if (val.n > 0 && !l_name_chars(val)) {
        l_err(err, errn, "a label value must be empty or %s (e.g. 'MyValue', 'my_value', '12345')",
              l_name_rule);
        ok = false;
    }
    return ok;
}

/* strconv.ParseInt(s, 10, 64): optional sign, digits only, range-checked. */
bool ka_selector_int64(ka_str s, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0, lim;

    if (s.n > 0 && (s.p[0] == '+' || s.p[0] == '-')) {
        neg = s.p[0] == '-';
        i = 1;
    }
    if (i >= s.n)
        return false;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < s.n; i++) {
        uint64_t d = (uint64_t)(s.p[i] - '0');
        if (s.p[i] < '0' || s.p[i] > '9' || v > (lim - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* ---- requirements (NewRequirement) ---------------------------------------- */

static const char *l_op_name(ka_selop op)
{
    switch (op) {
    case KA_SEL_IN: return "in";
    case KA_SEL_NOTIN: return "notin";
    case KA_SEL_EXISTS: return "exists";
    case KA_SEL_DOESNOTEXIST: return "!";
    case KA_SEL_EQUALS: return "=";
    case KA_SEL_DOUBLEEQUALS: return "==";
    case KA_SEL_NOTEQUALS: return "!=";
    case KA_SEL_GT: return "gt";
    case KA_SEL_LT: return "lt";
    }
    return "?";
}

/* The value-count rule of each operator; false with a message when broken. */
static bool l_check_arity(ka_selop op, const ka_str *vals, size_t n, char *err, size_t errn)
{
    int64_t ignored;

    switch (op) {
    case KA_SEL_IN:
    case KA_SEL_NOTIN:
        if (n == 0)
            l_err(err, errn, "values: the '%s' operator needs at least one value", l_op_name(op));
        return n != 0;
    case KA_SEL_EQUALS:
    case KA_SEL_DOUBLEEQUALS:
    case KA_SEL_NOTEQUALS:
        if (n != 1)
            l_err(err, errn, "values: an exact match needs exactly one value");
        return n == 1;
    case KA_SEL_EXISTS:
    case KA_SEL_DOESNOTEXIST:
        if (n != 0)
            l_err(err, errn, "values: must be empty for exists and does-not-exist");
        return n == 0;
    case KA_SEL_GT:
    case KA_SEL_LT:
        if (n != 1) {
            l_err(err, errn, "values: 'gt' and 'lt' need exactly one value");
            return false;
        }
        if (!ka_selector_int64(vals[0], &ignored)) {
            l_err(err, errn, "values[0]: '%.*s' is not an integer, as 'gt' and 'lt' require",
                  L_SHOW(vals[0]));
            return false;
        }
        return true;
    }
    l_err(err, errn, "operator: unsupported value");
    return false;
}

/* What l_validate() found wrong; a value index (>= 0) for a bad value. */
enum { L_VALID = -1, L_BAD_KEY = -2, L_BAD_ARITY = -3 };

/* NewRequirement's checks, in its order: key syntax, value count, then each
 * value's syntax. Reports the first failing check. */
static long l_validate(ka_str key, ka_selop op, const ka_str *vals, size_t n, char *err,
                       size_t errn)
{
    char why[384];

    l_err_reset(err, errn);
    if (!ka_label_key_valid(key, why, sizeof why)) {
        l_err(err, errn, "key '%.*s': %s", L_SHOW(key), why);
        return L_BAD_KEY;
    }
    if (!l_check_arity(op, vals, n, err, errn))
        return L_BAD_ARITY;
    for (size_t i = 0; i < n; i++)
        if (!ka_label_value_valid(vals[i], why, sizeof why)) {
            l_err(err, errn, "values[%zu] of key '%.*s': '%.*s': %s", i, L_SHOW(key),
                  L_SHOW(vals[i]), why);
            return (long)i;
        }
    return L_VALID;
}

/* ---- building selectors ----------------------------------------------------- */

/* Heap vectors used while parsing; results are copied into the arena. */
typedef struct l_strvec {
    ka_str *v;
    size_t n, cap;
} l_strvec;

static void l_strvec_push(l_strvec *sv, ka_str s)
{
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? 2 * sv->cap : 8;
        sv->v = ka_xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
}

typedef struct l_reqvec {
    ka_requirement *v;
    size_t n, cap;
} l_reqvec;

static void l_reqvec_push(l_reqvec *rv, ka_requirement r)
{
    if (rv->n == rv->cap) {
        rv->cap = rv->cap ? 2 * rv->cap : 8;
        rv->v = ka_xrealloc(rv->v, rv->cap * sizeof *rv->v);
    }
    rv->v[rv->n++] = r;
}

static void l_reqvec_free(l_reqvec *rv)
{
    free(rv->v);
    rv->v = NULL;
    rv->n = rv->cap = 0;
}

static int l_strcmp_qsort(const void *a, const void *b)
{
    return ka_str_cmp(*(const ka_str *)a, *(const ka_str *)b);
}

/* Copy values into the arena, sorted; dedup for the parser's sets.String,
 * kept for the structured form, whose slice upstream never de-duplicates. */
static ka_str *l_values_copy(ka_arena *a, l_strvec *sv, bool dedup, size_t *nout)
{
    ka_str *out;
    size_t n = 0;

    if (sv->n == 0) {
        *nout = 0;
        return NULL;
    }
    qsort(sv->v, sv->n, sizeof *sv->v, l_strcmp_qsort);
    out = ka_arena_alloc(a, sv->n * sizeof *out);
    for (size_t i = 0; i < sv->n; i++) {
        if (dedup && n > 0 && ka_str_eq(out[n - 1], sv->v[i]))
            continue;
        out[n++] = ka_arena_str(a, sv->v[i]);
    }
    *nout = n;
    return out;
}

/* Stable merge sort by key: upstream sorts with sort.Sort, which keeps the
 * input order of equal keys for the short lists selectors are in practice. */
static void l_sort_reqs(ka_requirement *v, ka_requirement *tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;

    if (n < 2)
        return;
    l_sort_reqs(v, tmp, mid);
    l_sort_reqs(v + mid, tmp, n - mid);
    while (i < mid && j < n)
        tmp[k++] = ka_str_cmp(v[j].key, v[i].key) < 0 ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static void l_finish(ka_arena *a, l_reqvec *rv, ka_selector *out)
{
    out->nothing = false;
    out->n = rv->n;
    out->reqs = NULL;
    if (rv->n > 0) {
        ka_requirement *tmp = ka_xmalloc(rv->n * sizeof *tmp);
        l_sort_reqs(rv->v, tmp, rv->n);
        free(tmp);
        out->reqs = ka_arena_alloc(a, rv->n * sizeof *out->reqs);
        memcpy(out->reqs, rv->v, rv->n * sizeof *out->reqs);
    }
    l_reqvec_free(rv);
}

/* ---- lexer (pkg/labels Lexer) --------------------------------------------- */

typedef enum l_tok {
    T_ERROR, T_EOS, T_CPAR, T_COMMA, T_NOT, T_DEQ, T_EQ, T_GT, T_ID, T_IN, T_LT, T_NEQ,
    T_NOTIN, T_OPAR,
} l_tok;

typedef struct l_item {
    l_tok tok;
    ka_str lit;
} l_item;

typedef struct l_lexer {
    ka_str s;
    size_t pos;
} l_lexer;

/* Like upstream, a NUL byte reads as end of input wherever it is met. */
static char l_read(l_lexer *l)
{
    return l->pos < l->s.n ? l->s.p[l->pos++] : '\0';
}

static bool l_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool l_is_special(char c)
{
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

static l_tok l_lookup(const char *p, size_t n)
{
    static const struct { const char *s; l_tok t; } tab[] = {
        { ")", T_CPAR }, { ",", T_COMMA }, { "!", T_NOT }, { "==", T_DEQ }, { "=", T_EQ },
        { ">", T_GT }, { "in", T_IN }, { "<", T_LT }, { "!=", T_NEQ }, { "notin", T_NOTIN },
        { "(", T_OPAR },
    };
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if (strlen(tab[i].s) == n && memcmp(tab[i].s, p, n) == 0)
            return tab[i].t;
    return T_ERROR;
}

/* Longest run of special characters that still spells a token. */
static l_item l_scan_special(l_lexer *l)
{
    size_t start = l->pos, n = 0;
    l_item last = { T_ERROR, { l->s.p + start, 0 } };
    char ch;

    while ((ch = l_read(l)) != '\0') {
        if (!l_is_special(ch)) {
            l->pos--;
            break;
        }
        n++;
        l_tok t = l_lookup(l->s.p + start, n);
        if (t != T_ERROR) {
            last.tok = t;
            last.lit.n = n;
        } else if (last.tok != T_ERROR) {
            l->pos--;
            break;
        }
    }
    return last;
}

static l_item l_scan_id(l_lexer *l)
{
    size_t start = l->pos, end = start;
    char ch;

    while ((ch = l_read(l)) != '\0') {
        if (l_is_special(ch) || l_is_ws(ch)) {
            l->pos--;
            break;
        }
        end = l->pos;
    }
    l_item it = { T_ID, { l->s.p + start, end - start } };
    l_tok kw = l_lookup(it.lit.p, it.lit.n);
    if (kw == T_IN || kw == T_NOTIN)
        it.tok = kw;
    return it;
}

static l_item l_lex(l_lexer *l)
{
    char ch = l_read(l);

    while (l_is_ws(ch))
        ch = l_read(l);
    if (ch == '\0')
        return (l_item){ T_EOS, { "", 0 } };
    l->pos--;
    return l_is_special(ch) ? l_scan_special(l) : l_scan_id(l);
}

/* ---- parser (pkg/labels Parser) ------------------------------------------- */

typedef enum l_ctx { CTX_KEY_AND_OPERATOR, CTX_VALUES } l_ctx;

typedef struct l_parser {
    l_lexer lx;
    l_item cur;         /* one token of lookahead; stays at EOS once reached */
    char *err;
    size_t errn;
} l_parser;

/* In value position the keywords in/notin are plain identifiers. */
static l_item l_peek(const l_parser *p, l_ctx ctx)
{
    l_item it = p->cur;
    if (ctx == CTX_VALUES && (it.tok == T_IN || it.tok == T_NOTIN))
        it.tok = T_ID;
    return it;
}

static l_item l_next(l_parser *p, l_ctx ctx)
{
    l_item it = l_peek(p, ctx);
    if (p->cur.tok != T_EOS)
        p->cur = l_lex(&p->lx);
    return it;
}

static int l_fail(l_parser *p, const char *what, ka_str found)
{
    l_err(p->err, p->errn, "found '%.*s', expected: %s", L_SHOW(found), what);
    return -1;
}

static int l_parse_id_list(l_parser *p, l_strvec *vals)
{
    for (;;) {
        l_item it = l_next(p, CTX_VALUES), la;
        switch (it.tok) {
        case T_ID:
            l_strvec_push(vals, it.lit);
            la = l_peek(p, CTX_VALUES);
            if (la.tok == T_COMMA)
                continue;
            if (la.tok == T_CPAR)
                return 0;
            return l_fail(p, "',' or ')'", la.lit);
        case T_COMMA:
            /* empty slots: "(,", ",,", ",)" each stand for "" */
            if (vals->n == 0)
                l_strvec_push(vals, (ka_str){ "", 0 });
            la = l_peek(p, CTX_VALUES);
            if (la.tok == T_CPAR) {
                l_strvec_push(vals, (ka_str){ "", 0 });
                return 0;
            }
            if (la.tok == T_COMMA)
                l_strvec_push(vals, (ka_str){ "", 0 });
            break;
        default:
            return l_fail(p, "',', or identifier", it.lit);
        }
    }
}

static int l_parse_values(l_parser *p, l_strvec *vals)
{
    l_item it = l_next(p, CTX_VALUES), la;

    if (it.tok != T_OPAR)
        return l_fail(p, "'('", it.lit);
    la = l_peek(p, CTX_VALUES);
    switch (la.tok) {
    case T_ID:
    case T_COMMA:
        if (l_parse_id_list(p, vals) != 0)
            return -1;
        if (l_next(p, CTX_VALUES).tok != T_CPAR)
            return l_fail(p, "')'", la.lit);
        return 0;
    case T_CPAR:
        l_next(p, CTX_VALUES);
        l_strvec_push(vals, (ka_str){ "", 0 }); /* "()" is the set {""} */
        return 0;
    default:
        return l_fail(p, "',', ')' or identifier", la.lit);
    }
}

static int l_parse_exact_value(l_parser *p, l_strvec *vals)
{
    l_item la = l_peek(p, CTX_VALUES), it;

    if (la.tok == T_EOS || la.tok == T_COMMA) {
        l_strvec_push(vals, (ka_str){ "", 0 }); /* "x=" compares with "" */
        return 0;
    }
    it = l_next(p, CTX_VALUES);
    if (it.tok != T_ID)
        return l_fail(p, "identifier", it.lit);
    l_strvec_push(vals, it.lit);
    return 0;
}

static int l_parse_operator(l_parser *p, ka_selop *op)
{
    l_item it = l_next(p, CTX_KEY_AND_OPERATOR);

    switch (it.tok) {
    case T_IN: *op = KA_SEL_IN; return 0;
    case T_NOTIN: *op = KA_SEL_NOTIN; return 0;
    case T_EQ: *op = KA_SEL_EQUALS; return 0;
    case T_DEQ: *op = KA_SEL_DOUBLEEQUALS; return 0;
    case T_NEQ: *op = KA_SEL_NOTEQUALS; return 0;
    case T_GT: *op = KA_SEL_GT; return 0;
    case T_LT: *op = KA_SEL_LT; return 0;
    default:
        return l_fail(p, "in, notin, =, ==, !=, gt, lt", it.lit);
    }
}

/* Key, with the operator implied by what follows it: "!key" is DoesNotExist
 * however it continues; a bare key before ',' or the end is Exists. */
static int l_parse_key(l_parser *p, ka_str *key, ka_selop *op, bool *unary)
{
    l_item it = l_next(p, CTX_VALUES), la;
    char why[384];

    *unary = false;
    if (it.tok == T_NOT) {
        *op = KA_SEL_DOESNOTEXIST;
        *unary = true;
        it = l_next(p, CTX_VALUES);
    }
    if (it.tok != T_ID)
        return l_fail(p, "identifier", it.lit);
    if (!ka_label_key_valid(it.lit, why, sizeof why)) {
        l_err(p->err, p->errn, "key '%.*s': %s", L_SHOW(it.lit), why);
        return -1;
    }
    *key = it.lit;
    la = l_peek(p, CTX_VALUES);
    if (!*unary && (la.tok == T_EOS || la.tok == T_COMMA)) {
        *op = KA_SEL_EXISTS;
        *unary = true;
    }
    return 0;
}

static int l_parse_requirement(l_parser *p, ka_arena *a, ka_requirement *r)
{
    l_strvec vals = { NULL, 0, 0 };
    bool unary;
    int rc = -1;

    memset(r, 0, sizeof *r);
    if (l_parse_key(p, &r->key, &r->op, &unary) != 0)
        return -1;
    if (!unary) {
        if (l_parse_operator(p, &r->op) != 0)
            goto out;
        if (r->op == KA_SEL_IN || r->op == KA_SEL_NOTIN)
            rc = l_parse_values(p, &vals);
        else
            rc = l_parse_exact_value(p, &vals);
        if (rc != 0)
            goto out;
        rc = -1;
        r->vals = l_values_copy(a, &vals, true, &r->nvals);
    }
    if (l_validate(r->key, r->op, r->vals, r->nvals, p->err, p->errn) != L_VALID)
        goto out;
    r->key = ka_arena_str(a, r->key);
    rc = 0;
out:
    free(vals.v);
    return rc;
}

/* One requirement, its error wrapped the way upstream reports it. */
static int l_parse_wrapped(l_parser *p, ka_arena *a, ka_requirement *r)
{
    char why[512] = "";
    l_parser sub = *p;
    int rc;

    sub.err = why;
    sub.errn = sizeof why;
    rc = l_parse_requirement(&sub, a, r);
    p->lx = sub.lx;
    p->cur = sub.cur;
    if (rc != 0)
        l_err(p->err, p->errn, "unable to parse requirement: %s", why);
    return rc;
}

static int l_parse_all(l_parser *p, ka_arena *a, l_reqvec *reqs)
{
    for (;;) {
        l_item it = l_peek(p, CTX_VALUES), t;
        ka_requirement r;

        if (it.tok == T_EOS)
            return 0;
        if (it.tok != T_ID && it.tok != T_NOT)
            return l_fail(p, "!, identifier, or 'end of string'", it.lit);
        if (l_parse_wrapped(p, a, &r) != 0)
            return -1;
        l_reqvec_push(reqs, r);
        t = l_next(p, CTX_VALUES);
        if (t.tok == T_EOS)
            return 0;
        if (t.tok != T_COMMA)
            return l_fail(p, "',' or 'end of string'", t.lit);
        it = l_peek(p, CTX_VALUES);
        if (it.tok != T_ID && it.tok != T_NOT)
            return l_fail(p, "identifier after ','", it.lit);
    }
}

int ka_selector_parse(ka_arena *a, ka_str s, ka_selector *out, char *err, size_t errn)
{
    l_parser p = { { s, 0 }, { T_EOS, { "", 0 } }, err, errn };
    l_reqvec reqs = { NULL, 0, 0 };

    l_err_reset(err, errn);
    memset(out, 0, sizeof *out);
    p.cur = l_lex(&p.lx);
    if (l_parse_all(&p, a, &reqs) != 0) {
        l_reqvec_free(&reqs);
        out->nothing = true; /* a caller ignoring the error selects nothing */
        return -1;
    }
    l_finish(a, &reqs, out);
    return 0;
}

/* ---- structured selectors --------------------------------------------------- */

/* A string field as the JSON decoder fills it: null reads as "". */
static bool l_node_string(const ka_node *n, ka_str *out)
{
    if (!n || ka_is_null(n)) {
        *out = (ka_str){ "", 0 };
        return true;
    }
    if (!ka_is_scalar(n))
        return false;
    *out = ka_node_str(n);
    return true;
}

typedef struct l_nodectx {
    ka_arena *a;
    const ka_node **bad;
    char *err;
    size_t errn;
} l_nodectx;

/* Records the offending node; the message is already in c->err. */
static int l_node_bad(l_nodectx *c, const ka_node *n)
{
    if (c->bad)
        *c->bad = n;
    return -1;
}

static int l_node_fail(l_nodectx *c, const ka_node *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int l_node_fail(l_nodectx *c, const ka_node *n, const char *fmt, ...)
{
    va_list ap;

    if (c->err && c->errn > 0) {
        va_start(ap, fmt);
        vsnprintf(c->err, c->errn, fmt, ap);
        va_end(ap);
    }
    return l_node_bad(c, n);
}

/* Go maps keep the last of duplicate keys. */
static bool l_key_repeats_later(const ka_node *map, uint32_t i, ka_str key)
{
    for (uint32_t j = i + 1; j < ka_node_n(map); j++)
        if (ka_is_scalar(KA_MAP_KEY(map, j)) && ka_str_eq(ka_node_str(KA_MAP_KEY(map, j)), key))
            return true;
    return false;
}

static int l_add_match_labels(l_nodectx *c, const ka_node *ml, l_reqvec *reqs)
{
    for (uint32_t i = 0; i < ka_node_n(ml); i++) {
        const ka_node *kn = KA_MAP_KEY(ml, i), *vn = KA_MAP_VAL(ml, i);
        ka_str key, val;
        if (!ka_is_scalar(kn))
            return l_node_fail(c, kn, "matchLabels: keys must be strings");
        key = ka_node_str(kn);
        if (!l_node_string(vn, &val))
            return l_node_fail(c, vn, "matchLabels.%.*s: value must be a string", L_SHOW(key));
        if (l_key_repeats_later(ml, i, key))
            continue;
        long bad = l_validate(key, KA_SEL_EQUALS, &val, 1, c->err, c->errn);
        if (bad != L_VALID)
            return l_node_bad(c, bad == L_BAD_KEY ? kn : vn);
        ka_requirement r = { ka_arena_str(c->a, key), KA_SEL_EQUALS, 1, NULL };
        r.vals = ka_arena_alloc(c->a, sizeof *r.vals);
        r.vals[0] = ka_arena_str(c->a, val);
        l_reqvec_push(reqs, r);
    }
    return 0;
}

static bool l_selector_op(ka_str s, ka_selop *op)
{
    if (ka_str_eqc(s, "In"))
        *op = KA_SEL_IN;
    else if (ka_str_eqc(s, "NotIn"))
        *op = KA_SEL_NOTIN;
    else if (ka_str_eqc(s, "Exists"))
        *op = KA_SEL_EXISTS;
    else if (ka_str_eqc(s, "DoesNotExist"))
        *op = KA_SEL_DOESNOTEXIST;
    else
        return false;
    return true;
}

static int l_collect_values(l_nodectx *c, const ka_node *vn, l_strvec *vals)
{
    if (!vn || ka_is_null(vn))
        return 0;
    if (!ka_is_seq(vn))
        return l_node_fail(c, vn, "values must be a list of strings");
    for (uint32_t i = 0; i < ka_node_n(vn); i++) {
        ka_str v;
        if (!l_node_string(KA_SEQ_ITEM(vn, i), &v))
            return l_node_fail(c, KA_SEQ_ITEM(vn, i), "values[%u] must be a string", i);
        l_strvec_push(vals, v);
    }
    return 0;
}

static int l_add_expression(l_nodectx *c, const ka_node *e, uint32_t idx, l_reqvec *reqs)
{
    const ka_node *kn = ka_get(e, "key"), *on = ka_get(e, "operator"), *vn = ka_get(e, "values");
    l_strvec vals = { NULL, 0, 0 };
    ka_requirement r = { { "", 0 }, KA_SEL_IN, 0, NULL };
    ka_str opname;
    int rc = -1;

    if (!ka_is_map(e))
        return l_node_fail(c, e, "matchExpressions[%u] must be a mapping", idx);
    if (!l_node_string(kn, &r.key))
        return l_node_fail(c, kn, "matchExpressions[%u].key must be a string", idx);
    if (!l_node_string(on, &opname) || !l_selector_op(opname, &r.op))
        return l_node_fail(c, on ? on : e, "\"%.*s\" is not a valid label selector operator",
                           L_SHOW(ka_node_str(on)));
    if (l_collect_values(c, vn, &vals) != 0)
        goto out;
    long bad = l_validate(r.key, r.op, vals.v, vals.n, c->err, c->errn);
    if (bad != L_VALID) {
        const ka_node *where = bad >= 0 ? KA_SEQ_ITEM(vn, (uint32_t)bad)
                               : bad == L_BAD_ARITY && vn ? vn
                               : bad == L_BAD_KEY && kn ? kn : e;
        l_node_bad(c, where);
        goto out;
    }
    r.key = ka_arena_str(c->a, r.key);
    r.vals = l_values_copy(c->a, &vals, false, &r.nvals);
    l_reqvec_push(reqs, r);
    rc = 0;
out:
    free(vals.v);
    return rc;
}

int ka_selector_from_node(ka_arena *a, const ka_node *node, ka_selector *out,
                          const ka_node **bad, char *err, size_t errn)
{
    l_nodectx c = { a, bad, err, errn };
    l_reqvec reqs = { NULL, 0, 0 };
    const ka_node *ml, *me;

    l_err_reset(err, errn);
    if (bad)
        *bad = NULL;
    memset(out, 0, sizeof *out);
    if (!node || ka_is_null(node)) {
        out->nothing = true; /* a nil *LabelSelector selects nothing */
        return 0;
    }
    out->nothing = true; /* until it is known to be valid */
    if (!ka_is_map(node))
        return l_node_fail(&c, node, "a label selector must be a mapping");
    ml = ka_get(node, "matchLabels");
    me = ka_get(node, "matchExpressions");
    if (ml && !ka_is_null(ml) && !ka_is_map(ml))
        return l_node_fail(&c, ml, "matchLabels must be a mapping");
    if (me && !ka_is_null(me) && !ka_is_seq(me))
        return l_node_fail(&c, me, "matchExpressions must be a list");
    if (ka_is_map(ml) && l_add_match_labels(&c, ml, &reqs) != 0)
        goto fail;
    for (uint32_t i = 0; ka_is_seq(me) && i < ka_node_n(me); i++)
        if (l_add_expression(&c, KA_SEQ_ITEM(me, i), i, &reqs) != 0)
            goto fail;
    l_finish(a, &reqs, out);
    return 0;
fail:
    l_reqvec_free(&reqs);
    return -1;
}

int ka_selector_from_map(ka_arena *a, const ka_node *map, ka_selector *out)
{
    l_reqvec reqs = { NULL, 0, 0 };

    memset(out, 0, sizeof *out);
    if (!map || ka_is_null(map))
        return 0;
    if (!ka_is_map(map))
        return -1;
    /* SelectorFromSet trusts its input: no syntax checks, only key=value */
    for (uint32_t i = 0; i < ka_node_n(map); i++) {
        const ka_node *kn = KA_MAP_KEY(map, i);
        ka_str key, val;
        if (!ka_is_scalar(kn) || !l_node_string(KA_MAP_VAL(map, i), &val)) {
            l_reqvec_free(&reqs);
            return -1;
        }
        key = ka_node_str(kn);
        if (l_key_repeats_later(map, i, key))
            continue;
        ka_requirement r = { ka_arena_str(a, key), KA_SEL_EQUALS, 1, NULL };
        r.vals = ka_arena_alloc(a, sizeof *r.vals);
        r.vals[0] = ka_arena_str(a, val);
        l_reqvec_push(&reqs, r);
    }
    l_finish(a, &reqs, out);
    return 0;
}

/* ---- matching and printing ------------------------------------------------ */

static bool l_has_value(const ka_requirement *r, ka_str v)
{
    size_t lo = 0, hi = r->nvals;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ka_str_cmp(r->vals[mid], v);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Gt/Lt compare integers; a label value that is not one never matches. */
static bool l_match_order(const ka_requirement *r, ka_str have)
{
    int64_t lv, rv;

    if (!ka_selector_int64(have, &lv) || r->nvals != 1 || !ka_selector_int64(r->vals[0], &rv))
        return false;
    return r->op == KA_SEL_GT ? lv > rv : lv < rv;
}

static bool l_req_matches(const ka_requirement *r, const ka_labels *l)
{
    ka_str have;
    bool exists = ka_labels_get(l, r->key, &have);

    switch (r->op) {
    case KA_SEL_IN:
    case KA_SEL_EQUALS:
    case KA_SEL_DOUBLEEQUALS:
        return exists && l_has_value(r, have);
    case KA_SEL_NOTIN:
    case KA_SEL_NOTEQUALS:
        return !exists || !l_has_value(r, have); /* a missing key is "not in" */
    case KA_SEL_EXISTS:
        return exists;
    case KA_SEL_DOESNOTEXIST:
        return !exists;
    case KA_SEL_GT:
    case KA_SEL_LT:
        return exists && l_match_order(r, have);
    }
    return false;
}

bool ka_selector_matches(const ka_selector *s, const ka_labels *l)
{
    static const ka_labels none = { 0, NULL };

    if (s->nothing)
        return false;
    for (size_t i = 0; i < s->n; i++)
        if (!l_req_matches(&s->reqs[i], l ? l : &none))
            return false;
    return true;
}

bool ka_selector_empty(const ka_selector *s)
{
    return !s->nothing && s->n == 0;
}

static void l_req_string(const ka_requirement *r, ka_buf *out)
{
    static const char *const sep[] = {
        [KA_SEL_IN] = " in (", [KA_SEL_NOTIN] = " notin (", [KA_SEL_EQUALS] = "=",
        [KA_SEL_DOUBLEEQUALS] = "==", [KA_SEL_NOTEQUALS] = "!=", [KA_SEL_GT] = ">",
        [KA_SEL_LT] = "<",
    };

    if (r->op == KA_SEL_DOESNOTEXIST)
        ka_buf_addc(out, '!');
    ka_buf_addstr(out, r->key);
    if (r->op == KA_SEL_EXISTS || r->op == KA_SEL_DOESNOTEXIST)
        return;
    ka_buf_adds(out, sep[r->op]);
    for (size_t i = 0; i < r->nvals; i++) {
        if (i > 0)
            ka_buf_addc(out, ',');
        ka_buf_addstr(out, r->vals[i]);
    }
    if (r->op == KA_SEL_IN || r->op == KA_SEL_NOTIN)
        ka_buf_addc(out, ')');
}

void ka_selector_string(const ka_selector *s, ka_buf *out)
{
    /* a nil selector prints as "" too, like labels.Nothing() */
    for (size_t i = 0; !s->nothing && i < s->n; i++) {
        if (i > 0)
            ka_buf_addc(out, ',');
        l_req_string(&s->reqs[i], out);
    }
}
