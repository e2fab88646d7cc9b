/*
 * kubearch/check.h - the rule table, rule selection, findings.
 *
 * Rules are rows of one table (src/check/rules.def). The same rows drive
 * `kubearch rules`, `kubearch explain`, the SARIF rules array and
 * docs/rules.md. Findings are data: they are sorted deterministically before
 * any writer sees them.
 */
#ifndef KUBEARCH_CHECK_H
#define KUBEARCH_CHECK_H

#include "base.h"
#include "diag.h"
#include "object.h"

typedef enum ka_severity { KA_SEV_INFO = 0, KA_SEV_WARNING = 1, KA_SEV_ERROR = 2 } ka_severity;

const char *ka_severity_name(ka_severity s);
/* 0 and *out set, or -1 for an unknown name. */
int ka_severity_parse(const char *s, ka_severity *out);

typedef struct ka_ctx ka_ctx; /* the running check, passed to rule functions */

typedef void (*ka_object_check_fn)(ka_ctx *ctx, const ka_object *o);
typedef void (*ka_set_check_fn)(ka_ctx *ctx, const ka_objset *s);

typedef struct ka_rule {
    const char *id;          /* "RES-001" */
    const char *slug;        /* "cpu-request-missing" */
    ka_severity severity;    /* default severity */
    const char *category;    /* resources, probes, security, images, availability, ... */
    const char *checklist;   /* "CL4", or "" when it serves no checklist item */
    bool optin;              /* off unless enabled */
    const char *kinds;       /* comma-separated kinds inspected, "*" for all */
    const char *summary;     /* one line */
    const char *description; /* a paragraph: what and why */
    const char *hint;        /* how to fix */
    ka_object_check_fn check;    /* per object, or NULL */
    ka_set_check_fn check_set;   /* once over the whole set, or NULL */
} ka_rule;

size_t ka_rules_count(void);
const ka_rule *ka_rule_at(size_t i);
/* By id (case-insensitive) or slug. */
const ka_rule *ka_rule_find(const char *id_or_slug);

typedef struct ka_finding {
    const ka_rule *rule;
    ka_severity severity;     /* after configuration overrides */
    const char *path;
    uint32_t line, col;
    uint32_t file_index;      /* input order of the file, for sorting */
    uint32_t rule_rank;       /* the rule's place in id order, for sorting */
    const ka_object *obj;     /* NULL for set-level findings without an object */
    ka_str kind, ns, name;
    ka_str container;         /* empty when not about a container */
    const char *message;
    const char *hint;
} ka_finding;

/* Exemption from the configuration file: every set field must match (globs). */
typedef struct ka_exemption {
    char **rules;             /* NULL-terminated ids/slugs/categories; NULL = all rules */
    char *namespace_glob, *kind_glob, *name_glob, *container_glob;
    char *reason;
} ka_exemption;

typedef struct ka_config {
    char *path;               /* where it was read from, NULL when none */
    char **enable, **disable; /* NULL-terminated lists */
    const ka_rule **sev_rule; /* severity overrides: rule -> severity */
    ka_severity *sev_value;
    size_t nsev;
    ka_exemption *exemptions;
    size_t nexemptions;
    char *kubernetes_version; /* NULL when not set */
    char *fail_on;            /* NULL when not set */
    bool has_ignore_annotations;
    bool ignore_annotations;
    char **assume_present;    /* NULL-terminated "Kind/ns/name" globs */
} ka_config;

/* Find .kubearch.yaml upward from dir. Returns a malloc'd path or NULL. */
char *ka_config_find(const char *dir);
/* Parse a configuration file. 0 ok, -1 with diagnostics. */
int ka_config_load(const char *path, ka_config *cfg, ka_diags *d);
void ka_config_free(ka_config *cfg);

typedef struct ka_check_opts {
    const char *only;         /* --rules: comma list of ids/slugs/categories, or NULL */
    const char *enable;       /* --enable comma list, or NULL */
    const char *disable;      /* --disable comma list, or NULL */
    bool enable_all;          /* --enable-all */
    bool no_ignore_annotations;
    int kube_major, kube_minor; /* target version for UPG-002 (0 = default) */
    const ka_config *config;  /* may be NULL */
    const char *assume_present; /* --assume-present: comma list of Kind/ns/name (globs) */
    bool scorecard;           /* --scorecard: run the cluster checklist (CLU rules) */
    unsigned threads;         /* threads running the rules: 0 one per CPU (at most 8)
                                 from 1,024 objects on, else as given; the
                                 results do not depend on it */
} ka_check_opts;

/* One item of the cluster-level production-readiness scorecard (CLU-001..012). */
typedef enum ka_cl_status {
    KA_CL_PASS = 0, KA_CL_PARTIAL, KA_CL_FAIL, KA_CL_NOT_EVIDENCED,
} ka_cl_status;

const char *ka_cl_status_name(ka_cl_status s); /* "pass", "partial", "fail", "not-evidenced" */

typedef struct ka_scorecard_item {
    const ka_rule *rule;      /* CLU-00N; rule->summary is the item's name */
    ka_cl_status status;
    const char *detail;       /* one line: why this status */
    size_t nevidence;
    const char **evidence;    /* "Kind/ns/name" (or "Kind/name") of the objects it rests on */
} ka_scorecard_item;

typedef struct ka_results {
    ka_finding *v;
    size_t n, cap;
    size_t count[3];          /* by severity */
    size_t suppressed;        /* by annotations or exemptions */
    size_t objects, files;
    ka_arena *arena;          /* owns messages */
    bool *enabled;            /* per rule index: did it run */
    ka_scorecard_item *scorecard; /* items of the CLU rules that ran, in id order */
    size_t nscorecard;
} ka_results;

/* Resolve the rule selection; -1 with a message for unknown names. */
int ka_check_select(const ka_check_opts *o, bool *enabled, char *err, size_t errn);
/* Run the enabled rules over the (indexed) set. -1 on a selection error. */
int ka_check_run(const ka_objset *s, const ka_check_opts *o, ka_results *r, char *err, size_t errn);
void ka_results_free(ka_results *r);

/* Default and newest supported Kubernetes version for deprecation rules. */
#define KA_KUBE_DEFAULT_MAJOR 1
#define KA_KUBE_DEFAULT_MINOR 36
/* Parse "1.31", "v1.31", "v1.31.2". 0 ok, -1 bad. */
int ka_kube_version_parse(const char *s, int *major, int *minor);

#endif
