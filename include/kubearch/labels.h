/*
 * kubearch/labels.h - label sets, label syntax validation and label selectors
 * with the exact semantics of k8s.io/apimachinery (pkg/labels,
 * pkg/apis/meta/v1 LabelSelectorAsSelector, pkg/util/validation).
 */
#ifndef KUBEARCH_LABELS_H
#define KUBEARCH_LABELS_H

#include "base.h"
#include "doc.h"

typedef struct ka_kv {
    ka_str key, val;
} ka_kv;

/* A label set (also used for annotations). Order is input order. */
typedef struct ka_labels {
    size_t n;
    const ka_kv *kv;
} ka_labels;

bool ka_labels_get(const ka_labels *l, ka_str key, ka_str *val);
/* Build a label set from a mapping node (non-scalar values are skipped). */
ka_labels ka_labels_from_node(ka_arena *a, const ka_node *map);

/* ---- syntax (pkg/util/validation) ---------------------------------- */
/* Qualified name: [prefix/]name, prefix a DNS-1123 subdomain (<=253),
 * name <=63 chars of [A-Za-z0-9_.-] starting and ending alphanumeric.
 * On failure writes a reason into err (if errn > 0) and returns false. */
bool ka_label_key_valid(ka_str key, char *err, size_t errn);
/* Empty, or <=63 chars of [A-Za-z0-9_.-] starting and ending alphanumeric. */
bool ka_label_value_valid(ka_str val, char *err, size_t errn);
bool ka_dns1123_label(ka_str s);      /* <=63, [a-z0-9-], alnum at both ends */
bool ka_dns1123_subdomain(ka_str s);  /* <=253, dot-separated labels */

/* ---- selectors ------------------------------------------------------ */
typedef enum ka_selop {
    KA_SEL_IN, KA_SEL_NOTIN, KA_SEL_EXISTS, KA_SEL_DOESNOTEXIST,
    KA_SEL_EQUALS, KA_SEL_DOUBLEEQUALS, KA_SEL_NOTEQUALS, KA_SEL_GT, KA_SEL_LT,
} ka_selop;

typedef struct ka_requirement {
    ka_str key;
    ka_selop op;
    size_t nvals;
    ka_str *vals;   /* sorted; the string syntax de-duplicates (sets.String), matchExpressions keep repeats as upstream does */
} ka_requirement;

/* A Gt or Lt operand, or the label value it is compared with, as an
 * integer: strconv.ParseInt(s, 10, 64) (optional sign, decimal digits, in
 * range). False when s is not one: such an operand makes the requirement
 * invalid, such a label value never matches. */
bool ka_selector_int64(ka_str s, int64_t *out);

typedef struct ka_selector {
    bool nothing;   /* a nil LabelSelector: matches no object */
    size_t n;       /* requirements, sorted by key; n == 0 && !nothing: everything */
    ka_requirement *reqs;
} ka_selector;

/* String syntax: "a=b,c!=d,e in (x,y),!f,g>3". Returns 0, or -1 with a message in err. */
int ka_selector_parse(ka_arena *a, ka_str s, ka_selector *out, char *err, size_t errn);
/* metav1.LabelSelector node (mapping with matchLabels / matchExpressions).
 * node == NULL or a null scalar gives the nil selector (matches nothing);
 * an empty mapping gives the empty selector (matches everything).
 * Returns 0, or -1 with a message in err and *bad set to the offending node. */
int ka_selector_from_node(ka_arena *a, const ka_node *node, ka_selector *out,
                          const ka_node **bad, char *err, size_t errn);
/* A plain map selector (Service.spec.selector, SelectorFromSet): each pair is key=value.
 * NULL / empty map gives the empty selector. */
int ka_selector_from_map(ka_arena *a, const ka_node *map, ka_selector *out);
bool ka_selector_matches(const ka_selector *s, const ka_labels *l);
bool ka_selector_empty(const ka_selector *s);   /* matches everything */
/* Canonical String() rendering, as apimachinery prints it. */
void ka_selector_string(const ka_selector *s, ka_buf *out);

#endif
