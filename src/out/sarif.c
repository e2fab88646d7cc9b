/*
 * sarif.c - SARIF 2.1.0 (the OASIS Static Analysis Results Interchange
 * Format), the input of GitHub code scanning and most CI dashboards.
 *
 * One log, one run. tool.driver.rules is the whole rule table (so ruleIndex
 * is a rule's position in it); each finding becomes one result with its
 * physical location (file, line, column) and its logical location (the
 * object "Kind/ns/name", plus the container). partialFingerprints identify a
 * finding by rule, object, container and message, not by line, so code
 * scanning keeps tracking an alert when lines move. Nothing depends on time
 * or on the machine: the same input gives the same bytes.
 */
#include "kubearch/output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* The project's home; the kubearch.io domain is the one its annotations use. */
#define KA_INFO_URI "https://kubearch.io/"
#define FINGERPRINT_KEY "kubearchFinding/v1"

/* ---- text hygiene ------------------------------------------------------- */



/* ---- a small pretty-printing JSON writer -------------------------------- */

#define JW_MAXDEPTH 16

typedef struct jw {
    FILE *f;
    ka_buf b;                   /* pending output, flushed in 64 KiB pieces */
    ka_buf tmp;                 /* scratch for ka_utf8_clean */
    int depth;
    bool after_key;             /* a key was written: the value follows on its line */
    bool first[JW_MAXDEPTH];    /* nothing written yet at this depth */
} jw;

static void jw_init(jw *w, FILE *f)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    ka_buf_init(&w->b);
    ka_buf_init(&w->tmp);
}

static void jw_flush(jw *w)
{
    if (w->b.n)
        fwrite(w->b.p, 1, w->b.n, w->f);
    ka_buf_reset(&w->b);
}

static void jw_free(jw *w)
{
    jw_flush(w);
    ka_buf_free(&w->b);
    ka_buf_free(&w->tmp);
}

static void jw_newline(jw *w)
{
    ka_buf_addc(&w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        ka_buf_add(&w->b, "  ", 2);
}

/* Comma and line break before a value or key at the current depth. */
static void jw_sep(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first[w->depth])
        ka_buf_addc(&w->b, ',');
    w->first[w->depth] = false;
    jw_newline(w);
}

static void jw_open(jw *w, char c)
{
    jw_sep(w);
    ka_buf_addc(&w->b, c);
    if (w->depth + 1 >= JW_MAXDEPTH)
        abort(); /* a programming error: SARIF here is nowhere near this deep */
    w->first[++w->depth] = true;
}

static void jw_close(jw *w, char c)
{
    bool empty = w->first[w->depth];
    w->depth--;
    if (!empty)
        jw_newline(w);
    ka_buf_addc(&w->b, c);
    if (w->b.n > 1 << 16)
        jw_flush(w);
}

static void jw_key(jw *w, const char *k)
{
    jw_sep(w);
    ka_buf_json_str(&w->b, ka_str_c(k));
    ka_buf_add(&w->b, ": ", 2);
    w->after_key = true;
}

static void jw_str(jw *w, ka_str s)
{
    jw_sep(w);
    ka_buf_json_str(&w->b, ka_utf8_clean(&w->tmp, s));
}

static void jw_kstr(jw *w, const char *k, ka_str s)
{
    jw_key(w, k);
    jw_str(w, s);
}

static void jw_kcstr(jw *w, const char *k, const char *s)
{
    jw_kstr(w, k, ka_str_c(s));
}

static void jw_kuint(jw *w, const char *k, uint64_t v)
{
    jw_key(w, k);
    jw_sep(w);
    ka_buf_printf(&w->b, "%" PRIu64, v);
}

static void jw_kbool(jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_sep(w);
    ka_buf_adds(&w->b, v ? "true" : "false");
}

static void jw_kobj(jw *w, const char *k)
{
    jw_key(w, k);
    jw_open(w, '{');
}

static void jw_karr(jw *w, const char *k)
{
    jw_key(w, k);
    jw_open(w, '[');
}

/* {"text": s} under key k: SARIF's message and multiformatMessageString. */
static void jw_ktext(jw *w, const char *k, ka_str s)
{
    jw_kobj(w, k);
    jw_kstr(w, "text", s);
    jw_close(w, '}');
}

/* ---- SARIF pieces ------------------------------------------------------- */

static const char *sarif_level(ka_severity s)
{
    switch (s) {
    case KA_SEV_ERROR: return "error";
    case KA_SEV_WARNING: return "warning";
    default: return "note";
    }
}

/* Percent-encode a path for a URI: unreserved characters, '/' and the
 * sub-delimiters stay, everything else (space, '%', '#', '?', ':', non-ASCII
 * bytes ...) becomes %XX, so "a b/ü.yaml" is "a%20b/%C3%BC.yaml". ':' is
 * escaped too, so that a first segment like "c:x.yaml" never reads as a
 * scheme. */
static void uri_escape_path(ka_buf *b, const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    (c && strchr("-._~/!$&'()*+,;=@", c));
        if (keep) {
            ka_buf_addc(b, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            ka_buf_add(b, e, 3);
        }
    }
}

/* artifactLocation for a path as the loader shows it: relative paths stay
 * relative (to %SRCROOT%, the directory kubearch ran in, which code scanning
 * takes as the repository root) with any leading "./" dropped; absolute
 * paths become file:// URIs; standard input has no URI, only a description. */
static void artifact_location(jw *w, const char *path)
{
    jw_kobj(w, "artifactLocation");
    if (strcmp(path, "<stdin>") == 0) {
        jw_ktext(w, "description", KA_STR("standard input"));
    } else {
        ka_buf uri;
        ka_buf_init(&uri);
        if (path[0] == '/') {
            ka_buf_adds(&uri, "file://");
            uri_escape_path(&uri, path);
        } else {
            while (path[0] == '.' && path[1] == '/') {
                path += 2;
                while (*path == '/')
                    path++;
            }
            uri_escape_path(&uri, path);
        }
        jw_kstr(w, "uri", (ka_str){ uri.p, uri.n });
        if (path[0] != '/')
            jw_kcstr(w, "uriBaseId", "%SRCROOT%");
        ka_buf_free(&uri);
    }
    jw_close(w, '}');
}

/* "Kind/ns/name" (or "Kind/name" when cluster-scoped), as the text report
 * names objects. */
static void object_name(ka_buf *b, const ka_finding *x)
{
    ka_buf_addstr(b, x->kind.n ? x->kind : KA_STR("<no kind>"));
    ka_buf_addc(b, '/');
    if (x->ns.n) {
        ka_buf_addstr(b, x->ns);
        ka_buf_addc(b, '/');
    }
    ka_buf_addstr(b, x->name.n ? x->name : KA_STR("<no name>"));
}

static bool has_object(const ka_finding *x)
{
    return x->obj || x->kind.n || x->name.n;
}

static void location(jw *w, const ka_finding *x)
{
    bool physical = x->path && *x->path;
    if (!physical && !has_object(x))
        return;
    jw_karr(w, "locations");
    jw_open(w, '{');
    if (physical) {
        jw_kobj(w, "physicalLocation");
        artifact_location(w, x->path);
        if (x->line > 0) { /* no region at all rather than an empty or zero one */
            jw_kobj(w, "region");
            jw_kuint(w, "startLine", x->line);
            if (x->col > 0)
                jw_kuint(w, "startColumn", x->col);
            jw_close(w, '}');
        }
        jw_close(w, '}');
    }
    if (has_object(x)) {
        ka_buf fq;
        ka_buf_init(&fq);
        object_name(&fq, x);
        jw_karr(w, "logicalLocations");
        jw_open(w, '{');
        if (x->container.n) {
            /* the container inside its object: Kind/ns/name/container */
            ka_buf_addc(&fq, '/');
            ka_buf_addstr(&fq, x->container);
            jw_kstr(w, "name", x->container);
            jw_kstr(w, "fullyQualifiedName", (ka_str){ fq.p, fq.n });
            jw_kcstr(w, "kind", "member");
        } else {
            jw_kstr(w, "name", x->name.n ? x->name : KA_STR("<no name>"));
            jw_kstr(w, "fullyQualifiedName", (ka_str){ fq.p, fq.n });
            jw_kcstr(w, "kind", "resource");
        }
        jw_close(w, '}');
        jw_close(w, ']');
        ka_buf_free(&fq);
    }
    jw_close(w, '}');
    jw_close(w, ']');
}

/* ---- fingerprints ------------------------------------------------------- */

typedef struct fp_entry {
    uint64_t hash;
    size_t i;        /* finding index */
} fp_entry;

static int fp_cmp(const void *pa, const void *pb)
{
    const fp_entry *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static void hash_field(ka_buf *b, ka_str s)
{
    ka_buf_addstr(b, s);
    ka_buf_addc(b, '\0'); /* a separator that no field contains */
}

/* FNV-1a 64. Fingerprints must not change between releases (code scanning
 * tracks alerts by them): this is not ka_hash, which may change for speed. */
static uint64_t fingerprint_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Stable identity of each finding: a hash of rule, object (kind, namespace,
 * name), container and message - not the file or the line - and, for exact
 * repeats within one run, the occurrence number in output order. */
static void fingerprints(const ka_results *r, uint64_t *hash, uint32_t *occ)
{
    ka_buf key;
    ka_buf_init(&key);
    fp_entry *e = ka_xmalloc((r->n ? r->n : 1) * sizeof *e);
    for (size_t i = 0; i < r->n; i++) {
        const ka_finding *x = &r->v[i];
        ka_buf_reset(&key);
        hash_field(&key, ka_str_c(x->rule->id));
        hash_field(&key, x->kind);
        hash_field(&key, x->ns);
        hash_field(&key, x->name);
        hash_field(&key, x->container);
        hash_field(&key, ka_str_c(x->message));
        hash[i] = fingerprint_hash(key.p, key.n);
        e[i] = (fp_entry){ hash[i], i };
    }
    qsort(e, r->n, sizeof *e, fp_cmp);
    for (size_t k = 0; k < r->n; k++)
        occ[e[k].i] = (k > 0 && e[k - 1].hash == e[k].hash) ? occ[e[k - 1].i] + 1 : 1;
    free(e);
    ka_buf_free(&key);
}

/* ---- the log ------------------------------------------------------------ */

static void rule_descriptor(jw *w, const ka_rule *r, ka_buf *tmp)
{
    jw_open(w, '{');
    jw_kcstr(w, "id", r->id);
    jw_kcstr(w, "name", r->slug);
    jw_ktext(w, "shortDescription", ka_str_c(r->summary));
    jw_ktext(w, "fullDescription", ka_str_c(r->description));
    jw_kobj(w, "help");
    jw_kcstr(w, "text", r->hint);
    ka_buf_reset(tmp);
    ka_buf_printf(tmp, "%s\n\n**How to fix:** %s\n\n`kubearch explain %s` shows this rule.",
                  r->description, r->hint, r->id);
    jw_kstr(w, "markdown", (ka_str){ tmp->p, tmp->n });
    jw_close(w, '}');
    jw_kobj(w, "defaultConfiguration");
    jw_kbool(w, "enabled", !r->optin);
    jw_kcstr(w, "level", sarif_level(r->severity));
    jw_close(w, '}');
    jw_kobj(w, "properties");
    jw_kcstr(w, "category", r->category);
    if (*r->checklist)
        jw_kcstr(w, "checklist", r->checklist);
    /* GitHub code scanning ranks non-security alerts by this */
    jw_kcstr(w, "problem.severity",
             r->severity == KA_SEV_ERROR     ? "error"
             : r->severity == KA_SEV_WARNING ? "warning"
                                             : "recommendation");
    jw_karr(w, "tags");
    jw_str(w, KA_STR("kubernetes"));
    if (strcmp(r->category, "kubernetes") != 0)
        jw_str(w, ka_str_c(r->category));
    jw_close(w, ']');
    jw_close(w, '}');
    jw_close(w, '}');
}

static size_t rule_index(const ka_rule *r)
{
    size_t n = ka_rules_count();
    for (size_t i = 0; i < n; i++)
        if (ka_rule_at(i) == r)
            return i;
    return SIZE_MAX;
}

static void result(jw *w, const ka_finding *x, uint64_t hash, uint32_t occ)
{
    jw_open(w, '{');
    jw_kcstr(w, "ruleId", x->rule->id);
    size_t ri = rule_index(x->rule);
    if (ri != SIZE_MAX)
        jw_kuint(w, "ruleIndex", ri);
    jw_kcstr(w, "level", sarif_level(x->severity));
    jw_ktext(w, "message", ka_str_c(x->message));
    location(w, x);
    char fp[48];
    snprintf(fp, sizeof fp, "%016" PRIx64 ":%" PRIu32, hash, occ);
    jw_kobj(w, "partialFingerprints");
    jw_kcstr(w, FINGERPRINT_KEY, fp);
    jw_close(w, '}');
    jw_close(w, '}');
}

void ka_write_sarif(FILE *f, const ka_results *r, const ka_out_opts *o)
{
    jw w;
    jw_init(&w, f);
    ka_buf tmp;
    ka_buf_init(&tmp);

    jw_open(&w, '{');
    jw_kcstr(&w, "$schema", SARIF_SCHEMA);
    jw_kcstr(&w, "version", "2.1.0");
    jw_karr(&w, "runs");
    jw_open(&w, '{');

    jw_kobj(&w, "tool");
    jw_kobj(&w, "driver");
    jw_kcstr(&w, "name", "kubearch");
    jw_kcstr(&w, "version", KA_VERSION);
    jw_kcstr(&w, "semanticVersion", KA_VERSION);
    jw_kcstr(&w, "informationUri", KA_INFO_URI);
    jw_karr(&w, "rules");
    size_t nrules = ka_rules_count();
    for (size_t i = 0; i < nrules; i++)
        rule_descriptor(&w, ka_rule_at(i), &tmp);
    jw_close(&w, ']');
    jw_close(&w, '}');
    jw_close(&w, '}');

    jw_karr(&w, "invocations");
    jw_open(&w, '{');
    jw_kbool(&w, "executionSuccessful", o->input_errors == 0);
    if (o->command && *o->command)
        jw_kcstr(&w, "commandLine", o->command);
    if (o->input_errors) {
        jw_karr(&w, "toolExecutionNotifications");
        jw_open(&w, '{');
        jw_kcstr(&w, "level", "error");
        ka_buf_reset(&tmp);
        ka_buf_printf(&tmp,
                      "%zu input error%s: some files or documents could not be read and were "
                      "not checked (the diagnostics are on standard error)",
                      o->input_errors, o->input_errors == 1 ? "" : "s");
        jw_ktext(&w, "message", (ka_str){ tmp.p, tmp.n });
        jw_close(&w, '}');
        jw_close(&w, ']');
    }
    jw_close(&w, '}');
    jw_close(&w, ']');

    jw_kcstr(&w, "columnKind", "unicodeCodePoints");

    jw_karr(&w, "results");
    uint64_t *hash = ka_xmalloc((r->n ? r->n : 1) * sizeof *hash);
    uint32_t *occ = ka_xmalloc((r->n ? r->n : 1) * sizeof *occ);
    fingerprints(r, hash, occ);
    for (size_t i = 0; i < r->n; i++) {
        result(&w, &r->v[i], hash[i], occ[i]);
        if (w.b.n > 1 << 16)
            jw_flush(&w);
    }
    free(hash);
    free(occ);
    jw_close(&w, ']');

    jw_kobj(&w, "properties");
    if (o->kube_version)
        jw_kcstr(&w, "kubernetesVersion", o->kube_version);
    jw_kuint(&w, "files", r->files);
    jw_kuint(&w, "objects", r->objects);
    jw_kuint(&w, "suppressed", r->suppressed);
    jw_kuint(&w, "inputErrors", o->input_errors);
    jw_close(&w, '}');

    jw_close(&w, '}');
    jw_close(&w, ']');
    jw_close(&w, '}');
    ka_buf_addc(&w.b, '\n');
    ka_buf_free(&tmp);
    jw_free(&w);
}
