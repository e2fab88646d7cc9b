/*
 * junit.c - JUnit XML, as Jenkins (junit plugin), GitLab (artifacts:reports:
 * junit), Azure Pipelines and most CI dashboards read it.
 *
 *   <testsuites>                 totals of the one suite below
 *     <testsuite name="kubearch check">
 *       <testcase classname="FILE" name="Kind/ns/name">     one per object
 *         <failure type="RULE-ID" message="...">file:line:col ... hint</failure>
 *       </testcase>                                          (no failure: passed)
 *
 * Every object of the set is a testcase, so clean objects show as passed
 * tests. Each finding is one <failure> of its object's testcase; findings
 * without an object get a testcase of their own, and input errors (files or
 * documents that could not be read) one <error>. The suite's failures and
 * errors attributes count testcases, as JUnit defines them; the number of
 * findings is in the suite's properties. No timestamps, no durations.
 */
#include "kubearch/output.h"

#include <stdlib.h>
#include <string.h>


/* Escaped XML text; malformed UTF-8 becomes U+FFFD. In an attribute (attr),
 * line breaks and tabs are written as character references, since parsers
 * turn literal ones into spaces. */
static void xml_text(ka_buf *b, ka_str s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t i = 0, start = 0;
    while (i < s.n) {
        size_t k = ka_utf8_seq(p + i, s.n - i);
        const char *rep = NULL;
        if (k == 0)
            rep = "\xEF\xBF\xBD";
        else if (attr && p[i] == '\n')
            rep = "&#10;";
        else if (attr && p[i] == '\r')
            rep = "&#13;";
        else if (attr && p[i] == '\t')
            rep = "&#9;";
        if (!rep) {
            i += k;
            continue;
        }
        ka_buf_xml_str(b, (ka_str){ s.p + start, i - start });
        ka_buf_adds(b, rep);
        i++;
        start = i;
    }
    ka_buf_xml_str(b, (ka_str){ s.p + start, s.n - start });
}

static void attr(ka_buf *b, const char *name, ka_str v)
{
    ka_buf_printf(b, " %s=\"", name);
    xml_text(b, v, true);
    ka_buf_addc(b, '"');
}

static void finding_ref(ka_buf *b, const ka_finding *x)
{
    ka_buf_addstr(b, x->kind.n ? x->kind : KA_STR("<no kind>"));
    ka_buf_addc(b, '/');
    if (x->ns.n) {
        ka_buf_addstr(b, x->ns);
        ka_buf_addc(b, '/');
    }
    ka_buf_addstr(b, x->name.n ? x->name : KA_STR("<no name>"));
}

/* <failure type="ID" message="[container] message">the text report's line
 * and hint</failure> */
static void failure(ka_buf *b, ka_buf *tmp, const ka_finding *x)
{
    ka_buf_adds(b, "      <failure");
    attr(b, "type", ka_str_c(x->rule->id));
    ka_buf_reset(tmp);
    if (x->container.n) {
        ka_buf_addc(tmp, '[');
        ka_buf_addstr(tmp, x->container);
        ka_buf_adds(tmp, "] ");
    }
    ka_buf_adds(tmp, x->message);
    attr(b, "message", (ka_str){ tmp->p, tmp->n });
    ka_buf_addc(b, '>');
    ka_buf_reset(tmp);
    if (x->path && *x->path) {
        ka_buf_adds(tmp, x->path);
        if (x->line) {
            ka_buf_printf(tmp, ":%u", x->line);
            if (x->col)
                ka_buf_printf(tmp, ":%u", x->col);
        }
        ka_buf_adds(tmp, ": ");
    }
    ka_buf_printf(tmp, "%s %s ", ka_severity_name(x->severity), x->rule->id);
    finding_ref(tmp, x);
    if (x->container.n) {
        ka_buf_adds(tmp, " [");
        ka_buf_addstr(tmp, x->container);
        ka_buf_addc(tmp, ']');
    }
    ka_buf_adds(tmp, ": ");
    ka_buf_adds(tmp, x->message);
    if (x->hint && *x->hint) {
        ka_buf_adds(tmp, "\nhint: ");
        ka_buf_adds(tmp, x->hint);
    }
    xml_text(b, (ka_str){ tmp->p, tmp->n }, false);
    ka_buf_adds(b, "</failure>\n");
}

static void testcase_open(ka_buf *b, ka_str classname, ka_str name)
{
    ka_buf_adds(b, "    <testcase");
    attr(b, "classname", classname);
    attr(b, "name", name);
}

static void property(ka_buf *b, const char *name, const char *value)
{
    ka_buf_adds(b, "      <property");
    attr(b, "name", ka_str_c(name));
    attr(b, "value", ka_str_c(value));
    ka_buf_adds(b, "/>\n");
}

static void property_n(ka_buf *b, const char *name, size_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", v);
    property(b, name, num);
}

void ka_write_junit(FILE *f, const ka_results *r, const ka_objset *s, const ka_out_opts *o)
{
    size_t nobj = s ? ka_objset_count(s) : 0;

    /* Group findings by object without disturbing their order: a counting
     * sort on the object's index; bucket nobj holds the ones without an
     * object in this set. */
    size_t *start = ka_xcalloc(nobj + 2, sizeof *start);
    size_t *order = ka_xmalloc((r->n ? r->n : 1) * sizeof *order);
    size_t *slot = ka_xmalloc((r->n ? r->n : 1) * sizeof *slot);
    for (size_t i = 0; i < r->n; i++) {
        const ka_object *obj = r->v[i].obj;
        size_t k = nobj;
        if (obj && obj->index < nobj && ka_objset_at(s, obj->index) == obj)
            k = obj->index;
        slot[i] = k;
        start[k + 1]++;
    }
    for (size_t k = 0; k <= nobj; k++)
        start[k + 1] += start[k];
    {
        size_t *fill = ka_xmalloc((nobj + 1) * sizeof *fill);
        memcpy(fill, start, (nobj + 1) * sizeof *fill);
        for (size_t i = 0; i < r->n; i++)
            order[fill[slot[i]]++] = i;
        free(fill);
    }
    free(slot);

    size_t orphans = start[nobj + 1] - start[nobj];
    size_t failed = 0;
    for (size_t k = 0; k < nobj; k++)
        failed += start[k + 1] > start[k];
    if (orphans)
        failed++;
    size_t tests = nobj + (orphans ? 1 : 0) + (o->input_errors ? 1 : 0);
    size_t errors = o->input_errors ? 1 : 0;

    ka_buf b, tmp;
    ka_buf_init(&b);
    ka_buf_init(&tmp);
    ka_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    ka_buf_printf(&b,
                  "<testsuites name=\"kubearch\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
                  tests, failed, errors);
    ka_buf_printf(&b,
                  "  <testsuite name=\"kubearch check\" tests=\"%zu\" failures=\"%zu\" "
                  "errors=\"%zu\" skipped=\"0\">\n",
                  tests, failed, errors);
    ka_buf_adds(&b, "    <properties>\n");
    property(&b, "kubearch.version", KA_VERSION);
    if (o->kube_version)
        property(&b, "kubernetes.version", o->kube_version);
    property_n(&b, "files", r->files);
    property_n(&b, "objects", r->objects);
    property_n(&b, "findings", r->n);
    property_n(&b, "errors", r->count[KA_SEV_ERROR]);
    property_n(&b, "warnings", r->count[KA_SEV_WARNING]);
    property_n(&b, "infos", r->count[KA_SEV_INFO]);
    property_n(&b, "suppressed", r->suppressed);
    property_n(&b, "inputErrors", o->input_errors);
    ka_buf_adds(&b, "    </properties>\n");

    for (size_t k = 0; k < nobj; k++) {
        const ka_object *obj = ka_objset_at(s, k);
        ka_buf_reset(&tmp);
        ka_object_ref(obj, &tmp);
        testcase_open(&b, ka_str_c(obj->file ? obj->file->src.path : ""),
                      (ka_str){ tmp.p, tmp.n });
        if (start[k + 1] == start[k]) {
            ka_buf_adds(&b, "/>\n");
        } else {
            ka_buf_adds(&b, ">\n");
            for (size_t j = start[k]; j < start[k + 1]; j++)
                failure(&b, &tmp, &r->v[order[j]]);
            ka_buf_adds(&b, "    </testcase>\n");
        }
        if (b.n > 1 << 16) {
            fwrite(b.p, 1, b.n, f);
            ka_buf_reset(&b);
        }
    }
    if (orphans) {
        testcase_open(&b, KA_STR("kubearch"), KA_STR("findings without an object"));
        ka_buf_adds(&b, ">\n");
        for (size_t j = start[nobj]; j < start[nobj + 1]; j++)
            failure(&b, &tmp, &r->v[order[j]]);
        ka_buf_adds(&b, "    </testcase>\n");
    }
    if (o->input_errors) {
        testcase_open(&b, KA_STR("kubearch"), KA_STR("input"));
        ka_buf_adds(&b, ">\n      <error type=\"input-error\"");
        ka_buf_reset(&tmp);
        ka_buf_printf(&tmp, "%zu input error%s: see standard error", o->input_errors,
                      o->input_errors == 1 ? "" : "s");
        attr(&b, "message", (ka_str){ tmp.p, tmp.n });
        ka_buf_adds(&b, ">Some files or documents could not be read and were not checked; "
                        "the diagnostics (file:line:col: error: ...) are on standard "
                        "error.</error>\n    </testcase>\n");
    }
    ka_buf_adds(&b, "  </testsuite>\n</testsuites>\n");
    fwrite(b.p, 1, b.n, f);
    ka_buf_free(&b);
    ka_buf_free(&tmp);
    free(start);
    free(order);
}
