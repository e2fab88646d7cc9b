/*
 * rules_secrets.c - SEC-025: credentials written in plain text in container
 * environment variables and ConfigMap data.
 *
 * Two independent tests, each a heuristic tuned against the false positives
 * other linters are known for:
 *   - the name: split into words (separators and camelCase), it contains a
 *     credential word (password, secret, token, ...) or a qualified "key"
 *     (API key, private key, account key, ...), and its last word does not
 *     say the value is only about the credential (..._FILE, _PATH, _NAME,
 *     _REF, _ID, _URL, _TTL, _ENABLED, ...). The value must then be a real
 *     literal: not empty, not a boolean or a number, not a $(VAR), ${...} or
 *     {{ }} placeholder, not a path, a URL or a secret-manager reference.
 *   - the value: it has the shape of a well-known credential (a private key
 *     block, a cloud or forge access key, a URL with a password in it),
 *     whatever the name.
 * Messages never repeat the value.
 */
#include "rule.h"

#include <stdio.h>
#include <string.h>

/*=== words of a name ====================================================*/

#define MAX_WORDS 16
#define MAX_WORD 32

typedef struct words {
    size_t n;
    char w[MAX_WORDS][MAX_WORD];
} words;

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }
static char lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }

/* Split "dbPassword", "DB_PASSWORD", "api-key", "APIKey" into lower-case
 * words. Words longer than MAX_WORD - 1 are truncated (they match nothing). */
static void split_words(ka_str s, words *out)
{
    out->n = 0;
    size_t i = 0;
    while (i < s.n && out->n < MAX_WORDS) {
        while (i < s.n && !is_alnum(s.p[i]))
            i++;
        if (i >= s.n)
            break;
        size_t len = 0;
        char *w = out->w[out->n++];
        w[len++] = lower(s.p[i++]);
        while (i < s.n && is_alnum(s.p[i])) {
            char prev = s.p[i - 1], c = s.p[i];
            /* camelCase: "dbPassword"; acronym end: "APIKey" -> API, Key */
            if (is_upper(c) && (is_lower(prev) || is_digit(prev)))
                break;
            if (is_upper(c) && is_upper(prev) && i + 1 < s.n && is_lower(s.p[i + 1]))
                break;
            if (len < MAX_WORD - 1)
                w[len++] = lower(c);
            i++;
        }
        w[len] = '\0';
    }
}

static bool ends_with(const char *w, const char *suffix)
{
    size_t a = strlen(w), b = strlen(suffix);
    return a >= b && strcmp(w + a - b, suffix) == 0;
}

static bool in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0)
            return true;
    return false;
}

/* Words that name a credential; a word ending in one counts too
 * ("dbpassword", "clientsecret", "authtoken"), as does the plural. */
static const char *const credential_words[] = {
    "password", "passwd", "passphrase", "secret", "token", "credential", "creds",
    "apikey", "privatekey", "privkey", "secretkey", "accesskey", "authkey", NULL,
};

/* Words that must match exactly ("bypass" is not a password). */
static const char *const credential_exact[] = { "pass", "pwd", "pw", NULL };

/* "<qualifier> key" or "key <content>" names a key's material. */
static const char *const key_qualifiers[] = {
    "api", "private", "secret", "access", "auth", "account", "master", "encryption",
    "signing", "sign", "batch", "license", "licence", "ssh", "client", "storage",
    "shared", "hmac", "jwt", "session", "app", "admin", "service", "subscription", NULL,
};
static const char *const key_contents[] = {
    "content", "contents", "data", "material", "pem", NULL,
};

/* A last word saying the value is about the credential, not the credential. */
static const char *const harmless_last[] = {
    "file", "files", "path", "paths", "dir", "directory", "name", "names", "ref", "reference",
    "id", "ids", "url", "uri", "endpoint", "host", "hostname", "port", "type", "length",
    "len", "min", "max", "ttl", "expiry", "expiration", "expires", "lifetime", "timeout",
    "duration", "interval", "period", "seconds", "days", "hours", "minutes", "header",
    "prefix", "suffix", "field", "enabled", "enable", "disabled", "disable", "required",
    "policy", "mode", "format", "version", "location", "mount", "mountpath", "volume",
    "audience", "issuer", "count", "size", "algorithm", "alg", "provider", "store",
    "region", "manager", "backend", "engine", "class", "namespace", "kind", "user",
    "username", "login", "rotation", "strategy", "source", "scope", "scopes",
    "method", "flow", "generator", "regex", "pattern", "complexity", "hint", "label",
    "annotation", NULL,
};

static bool credential_word(const char *w, size_t nwords)
{
    for (size_t i = 0; credential_words[i]; i++) {
        const char *c = credential_words[i];
        size_t cl = strlen(c), wl = strlen(w);
        if (ends_with(w, c))
            return true;
        if (wl == cl + 1 && w[cl] == 's' && strncmp(w, c, cl) == 0)
            return true;
    }
    /* "PWD" alone is the shell's working directory. */
    return in_list(w, credential_exact) && !(nwords == 1 && strcmp(w, "pwd") == 0);
}

static bool credential_name(ka_str name)
{
    words ws;
    split_words(name, &ws);
    if (ws.n == 0)
        return false;
    if (ws.n > 1 && in_list(ws.w[ws.n - 1], harmless_last))
        return false;
    for (size_t i = 0; i < ws.n; i++) {
        if (credential_word(ws.w[i], ws.n))
            return true;
        if (strcmp(ws.w[i], "key") == 0 || strcmp(ws.w[i], "keys") == 0) {
            if (i > 0 && in_list(ws.w[i - 1], key_qualifiers))
                return true;
            if (i + 1 < ws.n && in_list(ws.w[i + 1], key_contents))
                return true;
        }
    }
    return false;
}

/*=== literal values =====================================================*/

static bool has_prefix_ci(ka_str s, const char *p)
{
    size_t n = strlen(p);
    if (s.n < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[i]) != lower(p[i]))
            return false;
    return true;
}

static ka_str trim(ka_str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n' || s.p[0] == '\r')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\n' ||
                   s.p[s.n - 1] == '\r'))
        s.n--;
    return s;
}

static bool is_url(ka_str s)
{
    size_t i = 0;
    while (i < s.n && (is_alnum(s.p[i]) || s.p[i] == '+' || s.p[i] == '-' || s.p[i] == '.'))
        i++;
    return i > 0 && i + 3 <= s.n && memcmp(s.p + i, "://", 3) == 0;
}

/* A value that is not itself a secret: a placeholder, a reference, a path,
 * a flag or a number. */
static bool harmless_value(ka_str v)
{
    v = trim(v);
    if (v.n == 0)
        return true;
    if (ka_str_contains(v, "$(") || ka_str_contains(v, "${") || ka_str_contains(v, "{{"))
        return true;
    if (v.p[0] == '/' || has_prefix_ci(v, "./") || has_prefix_ci(v, "~/"))
        return true;
    static const char *const refs[] = {
        "arn:", "vault:", "ref+", "secretref+", "sm://", "gsm://", "projects/", "file:", NULL,
    };
    for (size_t i = 0; refs[i]; i++)
        if (has_prefix_ci(v, refs[i]))
            return true;
    if (is_url(v))
        return true; /* URLs with a password are caught by the value test */
    static const char *const flags[] = { "true", "false", "yes", "no", "on", "off", "null",
                                         "none", "nil", "enabled", "disabled", "unset",
                                         "n/a", "-", NULL };
    for (size_t i = 0; flags[i]; i++)
        if (v.n == strlen(flags[i]) && has_prefix_ci(v, flags[i]))
            return true;
    size_t i = 0;
    while (i < v.n && is_digit(v.p[i]))
        i++;
    return i == v.n;
}

/*=== credential shapes ==================================================*/

/* "-----BEGIN RSA PRIVATE KEY-----", "BEGIN OPENSSH PRIVATE KEY", "BEGIN PGP
 * PRIVATE KEY BLOCK": BEGIN and PRIVATE KEY on one line, any dashes. */
static bool private_key_block(ka_str s)
{
    if (!ka_str_contains(s, "PRIVATE KEY")) /* nearly every value: one memchr-led scan */
        return false;
    size_t line = 0;
    for (size_t i = 0; i <= s.n; i++) {
        if (i == s.n || s.p[i] == '\n') {
            ka_str l = { s.p + line, i - line };
            const char *b = NULL;
            for (size_t j = 0; j + 5 <= l.n; j++)
                if (memcmp(l.p + j, "BEGIN", 5) == 0) {
                    b = l.p + j;
                    break;
                }
            if (b && ka_str_contains((ka_str){ b, (size_t)(l.p + l.n - b) }, "PRIVATE KEY"))
                return true;
            line = i + 1;
        }
    }
    return false;
}

typedef bool (*charclass)(char);
static bool cc_upper_digit(char c) { return is_upper(c) || is_digit(c); }
static bool cc_alnum(char c) { return is_alnum(c); }
static bool cc_alnum_dash_us(char c) { return is_alnum(c) || c == '-' || c == '_'; }
static bool cc_alnum_us(char c) { return is_alnum(c) || c == '_'; }
static bool cc_alnum_dash(char c) { return is_alnum(c) || c == '-'; }

typedef struct token_shape {
    const char *prefix;
    charclass body;
    size_t min, max;   /* body length */
    const char *what;
} token_shape;

static const token_shape shapes[] = {
    { "AKIA", cc_upper_digit, 16, 16, "an AWS access key" },
    { "ASIA", cc_upper_digit, 16, 16, "an AWS access key" },
    { "AIza", cc_alnum_dash_us, 35, 35, "a Google API key" },
    { "ghp_", cc_alnum, 36, 36, "a GitHub token" },
    { "gho_", cc_alnum, 36, 36, "a GitHub token" },
    { "ghu_", cc_alnum, 36, 36, "a GitHub token" },
    { "ghs_", cc_alnum, 36, 36, "a GitHub token" },
    { "ghr_", cc_alnum, 36, 36, "a GitHub token" },
    { "github_pat_", cc_alnum_us, 22, 255, "a GitHub token" },
    { "glpat-", cc_alnum_dash_us, 20, 64, "a GitLab token" },
    { "xoxb-", cc_alnum_dash, 10, 255, "a Slack token" },
    { "xoxp-", cc_alnum_dash, 10, 255, "a Slack token" },
    { "xoxa-", cc_alnum_dash, 10, 255, "a Slack token" },
    { "xoxr-", cc_alnum_dash, 10, 255, "a Slack token" },
    { "xoxs-", cc_alnum_dash, 10, 255, "a Slack token" },
    { "sk_live_", cc_alnum, 16, 255, "a Stripe secret key" },
    { "rk_live_", cc_alnum, 16, 255, "a Stripe secret key" },
};

/* A token of a known shape, delimited by non-token characters. One pass:
 * only positions that start a token and hold the first letter of a known
 * prefix are compared (values are scanned once, not once per shape). */
static const char *known_token(ka_str s)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c != 'A' && c != 'g' && c != 'x' && c != 's' && c != 'r')
            continue;
        if (i > 0 && cc_alnum_dash_us(s.p[i - 1]))
            continue;
        for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
            const token_shape *t = &shapes[k];
            if (t->prefix[0] != c)
                continue;
            size_t pl = strlen(t->prefix);
            if (i + pl > s.n || memcmp(s.p + i, t->prefix, pl) != 0)
                continue;
            size_t j = i + pl;
            while (j < s.n && t->body(s.p[j]))
                j++;
            size_t len = j - i - pl;
            if (len < t->min || len > t->max)
                continue;
            if (j < s.n && cc_alnum_dash_us(s.p[j]))
                continue;
            return t->what;
        }
    }
    return NULL;
}

/* scheme://user:password@host with a literal password. */
static bool url_with_password(ka_str s)
{
    if (!s.n || !memchr(s.p, '@', s.n)) /* nearly every value */
        return false;
    for (size_t i = 0; i + 3 <= s.n; i++) {
        if (memcmp(s.p + i, "://", 3) != 0)
            continue;
        size_t colon = 0, j = i + 3;
        for (; j < s.n; j++) {
            char c = s.p[j];
            if (c == '/' || c == '@' || c == ' ' || c == '\n' || c == '?' || c == '#')
                break;
            if (c == ':' && !colon)
                colon = j;
        }
        /* the user may be empty ("redis://:pw@host"), the password not */
        if (j >= s.n || s.p[j] != '@' || !colon || colon + 1 == j)
            continue;
        ka_str pw = { s.p + colon + 1, j - colon - 1 };
        if (!(ka_str_contains(pw, "$(") || ka_str_contains(pw, "${") ||
              ka_str_contains(pw, "{{") || ka_str_contains(pw, "%s") ||
              (pw.n >= 2 && pw.p[0] == '<' && pw.p[pw.n - 1] == '>')))
            return true;
    }
    return false;
}

static const char *credential_shape(ka_str v)
{
    if (private_key_block(v))
        return "a private key";
    const char *t = known_token(v);
    if (t)
        return t;
    if (url_with_password(v))
        return "a URL with a password";
    return NULL;
}

/*=== the rule ===========================================================*/

static bool multi_line(ka_str s)
{
    s = trim(s);
    return memchr(s.p, '\n', s.n) != NULL;
}

static void check_env(ka_ctx *ctx, const ka_object *o, const ka_container *c)
{
    const ka_node *env = ka_get(c->node, "env");
    for (uint32_t i = 0; ka_is_seq(env) && i < ka_node_n(env); i++) {
        const ka_node *e = KA_SEQ_ITEM(env, i);
        const ka_node *name = ka_get(e, "name"), *val = ka_get(e, "value");
        if (!ka_is_scalar(val) || ka_is_null(val))
            continue;
        ka_str v = ka_node_str(val);
        char label[32];
        if (ka_len(name))
            label[0] = '\0';
        else
            snprintf(label, sizeof label, "env[%u]", i);
        const char *shape = credential_shape(v);
        if (shape && label[0])
            ka_report(ctx, o, val, c, "%s holds %s", label, shape);
        else if (shape)
            ka_report(ctx, o, val, c, "env %s holds %s", ka_cstr(name), shape);
        else if (credential_name(ka_node_str(name)) && !harmless_value(v))
            ka_report(ctx, o, val, c, "env %s is named like a credential and has a literal value",
                      ka_cstr(name));
    }
}

static void check_configmap(ka_ctx *ctx, const ka_object *o)
{
    const ka_node *data = ka_get(o->root, "data");
    for (uint32_t i = 0; ka_is_map(data) && i < ka_node_n(data); i++) {
        const ka_node *k = KA_MAP_KEY(data, i), *val = KA_MAP_VAL(data, i);
        if (!ka_is_scalar(val) || ka_is_null(val))
            continue;
        ka_str key = ka_node_str(k), v = ka_node_str(val);
        const char *shape = credential_shape(v);
        if (shape) {
            ka_report(ctx, o, val, NULL, "data key %s holds %s", ka_cstr(k), shape);
            continue;
        }
        /* A multi-line value under a file name ("app.properties") is a
         * file: its key says nothing about the content. */
        if (multi_line(v) && memchr(key.p, '.', key.n))
            continue;
        if (credential_name(key) && !harmless_value(v))
            ka_report(ctx, o, val, NULL,
                      "data key %s is named like a credential and has a literal value",
                      ka_cstr(k));
    }
}

void ka_rule_sec025(ka_ctx *ctx, const ka_object *o)
{
    if (ka_kind_is(o, "ConfigMap")) {
        check_configmap(ctx, o);
        return;
    }
    KA_FOR_CONTAINERS(o, c) check_env(ctx, o, c);
}
