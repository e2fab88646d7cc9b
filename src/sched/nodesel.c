/*
 * nodesel.c - node selectors with the semantics of
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity.
 *
 * A NodeSelector is a list of terms, ORed. Inside a term, matchExpressions
 * (on node labels, operators In NotIn Exists DoesNotExist Gt Lt) and
 * matchFields (metadata.name only, In / NotIn with exactly one value) are
 * ANDed. A term with nothing in it matches no node, and so does a term with
 * any requirement that fails validation (labels.NewRequirement): upstream
 * keeps such errors to itself and simply never matches the term. A selector
 * with zero terms matches nothing.
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

static int str_cmp(const void *a, const void *b)
{
    return ka_str_cmp(*(const ka_str *)a, *(const ka_str *)b);
}

static bool scalar_str(const ka_node *n, ka_str *out)
{
    if (!ka_is_scalar(n))
        return false;
    *out = ka_is_null(n) && n->style == KA_STYLE_PLAIN ? (ka_str){ "", 0 } : ka_node_str(n);
    return true;
}

/* One NodeSelectorRequirement on labels -> a selector requirement; false
 * (with a reason) when NewRequirement would refuse it. */
static bool label_req(ka_arena *a, const ka_node *e, ka_requirement *r, char *why, size_t whyn)
{
    ka_str key, op;
    if (!ka_is_map(e) || !scalar_str(ka_get(e, "key"), &key)) {
        snprintf(why, whyn, "a requirement needs a key");
        return false;
    }
    op = ka_node_str(ka_get(e, "operator"));
    char kerr[256];
    if (!ka_label_key_valid(key, kerr, sizeof kerr)) {
        snprintf(why, whyn, "key \"%.*s\": %s", (int)key.n, key.p, kerr);
        return false;
    }
    if (ka_str_eqc(op, "In"))
        r->op = KA_SEL_IN;
    else if (ka_str_eqc(op, "NotIn"))
        r->op = KA_SEL_NOTIN;
    else if (ka_str_eqc(op, "Exists"))
        r->op = KA_SEL_EXISTS;
    else if (ka_str_eqc(op, "DoesNotExist"))
        r->op = KA_SEL_DOESNOTEXIST;
    else if (ka_str_eqc(op, "Gt"))
        r->op = KA_SEL_GT;
    else if (ka_str_eqc(op, "Lt"))
        r->op = KA_SEL_LT;
    else {
        snprintf(why, whyn, "unsupported operator \"%.*s\"", (int)op.n, op.p);
        return false;
    }
    const ka_node *vs = ka_get(e, "values");
    size_t nv = ka_is_seq(vs) ? ka_node_n(vs) : 0;
    ka_str *vals = nv ? ka_arena_alloc(a, nv * sizeof *vals) : NULL;
    for (size_t i = 0; i < nv; i++) {
        if (!scalar_str(KA_SEQ_ITEM(vs, i), &vals[i])) {
            snprintf(why, whyn, "values must be strings");
            return false;
        }
    }
    switch (r->op) {
    case KA_SEL_IN:
    case KA_SEL_NOTIN:
        if (nv == 0) {
            snprintf(why, whyn, "operator %.*s needs at least one value", (int)op.n, op.p);
            return false;
        }
        break;
    case KA_SEL_EXISTS:
    case KA_SEL_DOESNOTEXIST:
        if (nv != 0) {
            snprintf(why, whyn, "operator %.*s takes no values", (int)op.n, op.p);
            return false;
        }
        break;
    default: {
        int64_t ignored;
        if (nv != 1 || !ka_selector_int64(vals[0], &ignored)) {
            snprintf(why, whyn, "operator %.*s needs exactly one integer value", (int)op.n, op.p);
            return false;
        }
    }
    }
    for (size_t i = 0; i < nv; i++) {
        char verr[256];
        if (!ka_label_value_valid(vals[i], verr, sizeof verr)) {
            snprintf(why, whyn, "value \"%.*s\": %s", (int)vals[i].n, vals[i].p, verr);
            return false;
        }
    }
    if (nv > 1) {
        qsort(vals, nv, sizeof *vals, str_cmp);
        size_t w = 1;
        for (size_t i = 1; i < nv; i++)
            if (!ka_str_eq(vals[i], vals[w - 1]))
                vals[w++] = vals[i];
        nv = w;
    }
    r->key = key;
    r->vals = vals;
    r->nvals = nv;
    return true;
}

static bool field_req(const ka_node *e, ks_field *f, char *why, size_t whyn)
{
    ka_str key;
    if (!ka_is_map(e) || !scalar_str(ka_get(e, "key"), &key) ||
        !ka_str_eqc(key, "metadata.name")) {
        snprintf(why, whyn, "matchFields supports only the key metadata.name");
        return false;
    }
    const ka_node *vs = ka_get(e, "values");
    if (!ka_is_seq(vs) || ka_node_n(vs) != 1 || !scalar_str(KA_SEQ_ITEM(vs, 0), &f->value)) {
        snprintf(why, whyn, "matchFields values must have one element");
        return false;
    }
    ka_str op = ka_node_str(ka_get(e, "operator"));
    if (ka_str_eqc(op, "In"))
        f->not_in = false;
    else if (ka_str_eqc(op, "NotIn"))
        f->not_in = true;
    else {
        snprintf(why, whyn, "matchFields supports only In and NotIn");
        return false;
    }
    return true;
}

static void parse_term(ks_sim *s, const ka_node *tn, ks_nsterm *t, const ka_object *o)
{
    char why[512];
    memset(t, 0, sizeof *t);
    t->valid = true;
    if (!ka_is_map(tn)) {
        t->valid = false;
        return;
    }
    const ka_node *me = ka_get(tn, "matchExpressions");
    const ka_node *mf = ka_get(tn, "matchFields");
    if (ka_is_seq(me) && ka_node_n(me) > 0) {
        t->has_labels = true;
        t->labels.n = ka_node_n(me);
        t->labels.reqs = ka_arena_zalloc(s->a, ka_node_n(me) * sizeof *t->labels.reqs);
        for (uint32_t i = 0; i < ka_node_n(me); i++)
            if (!label_req(s->a, KA_SEQ_ITEM(me, i), &t->labels.reqs[i], why, sizeof why)) {
                ks_warn(s, o, KA_SEQ_ITEM(me, i),
                        "node selector term never matches: %s", why);
                t->valid = false;
                return;
            }
    }
    if (ka_is_seq(mf) && ka_node_n(mf) > 0) {
        t->nfields = ka_node_n(mf);
        t->fields = ka_arena_zalloc(s->a, ka_node_n(mf) * sizeof *t->fields);
        for (uint32_t i = 0; i < ka_node_n(mf); i++)
            if (!field_req(KA_SEQ_ITEM(mf, i), &t->fields[i], why, sizeof why)) {
                ks_warn(s, o, KA_SEQ_ITEM(mf, i), "node selector term never matches: %s", why);
                t->valid = false;
                return;
            }
    }
}

void ks_nodesel_parse(ks_sim *s, const ka_node *n, bool preferred, ks_nodesel *out,
                      const ka_object *o)
{
    memset(out, 0, sizeof *out);
    if (!preferred) {
        const ka_node *terms = ka_get(n, "nodeSelectorTerms");
        if (!ka_is_seq(terms))
            return;
        out->terms = ka_node_n(terms) ? ka_arena_zalloc(s->a, ka_node_n(terms) * sizeof *out->terms) : NULL;
        for (uint32_t i = 0; i < ka_node_n(terms); i++)
            parse_term(s, KA_SEQ_ITEM(terms, i), &out->terms[out->n++], o);
        return;
    }
    if (!ka_is_seq(n))
        return;
    out->terms = ka_node_n(n) ? ka_arena_zalloc(s->a, ka_node_n(n) * sizeof *out->terms) : NULL;
    for (uint32_t i = 0; i < ka_node_n(n); i++) {
        const ka_node *pt = KA_SEQ_ITEM(n, i);
        int64_t w = 0;
        if (!ka_int(ka_get(pt, "weight"), &w) || w == 0)
            continue; /* weight 0 terms are skipped upstream */
        ks_nsterm t;
        parse_term(s, ka_get(pt, "preference"), &t, o);
        if (!t.valid || (!t.has_labels && t.nfields == 0))
            continue;
        t.weight = (int32_t)w;
        out->terms[out->n++] = t;
    }
}

bool ks_nsterm_match(const ks_nsterm *t, const ka_labels *labels, ka_str node_name)
{
    if (!t->valid || (!t->has_labels && t->nfields == 0))
        return false;
    if (t->has_labels && !ka_selector_matches(&t->labels, labels))
        return false;
    for (uint32_t i = 0; i < t->nfields; i++) {
        bool eq = ka_str_eq(t->fields[i].value, node_name);
        if (eq == t->fields[i].not_in)
            return false;
    }
    return true;
}

bool ks_nodesel_match(const ks_nodesel *s, const ka_labels *labels, ka_str node_name)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (ks_nsterm_match(&s->terms[i], labels, node_name))
            return true;
    return false;
}
