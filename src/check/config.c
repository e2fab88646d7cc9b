/*
 * config.c - .kubearch.yaml: rule selection, severity overrides, exemptions.
 *
 *   rules:
 *     enable: [RES-006]
 *     disable: [PRB-002, probes]
 *     severity: {RES-004: info}
 *   exemptions:
 *     - rules: [SEC-012]          # absent: every rule
 *       namespace: kube-system    # globs; every given field must match
 *       kind: DaemonSet
 *       name: "node-*"
 *       container: "*"
 *       reason: node agents need the host network
 *   kubernetesVersion: "1.31"
 *   failOn: warning
 *   ignoreAnnotations: true
 *   assumePresent: [Secret/shop/tls, "ServiceAccount/ci-?/builder"]
 *
 * Every mistake is a diagnostic with the file:line:col of the node at fault.
 */
#define _GNU_SOURCE
#include "kubearch/check.h"
#include "kubearch/load.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ka_config_find(const char *dir)
{
    char cur[PATH_MAX];
    if (!realpath(dir, cur))
        return NULL;
    for (;;) {
        size_t n = strlen(cur);
        char cand[PATH_MAX + 32];
        snprintf(cand, sizeof cand, "%s%s.kubearch.yaml", cur, n && cur[n - 1] == '/' ? "" : "/");
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode))
            return ka_xstrdup(cand);
        if (n <= 1)
            return NULL;
        char *slash = strrchr(cur, '/');
        if (!slash)
            return NULL;
        if (slash == cur)
            cur[1] = '\0';
        else
            *slash = '\0';
    }
}

typedef struct cfgp {
    const char *path;
    ka_diags *d;
    int errors;
} cfgp;

static void bad(cfgp *p, const ka_node *n, const char *msg, ka_str what)
{
    ka_diag_add(p->d, KA_DIAG_ERROR, p->path, n ? n->line : 0, n ? n->col : 0, "%s%s%.*s%s", msg,
                what.n ? " \"" : "", (int)what.n, what.p, what.n ? "\"" : "");
    p->errors++;
}

static char *dup_scalar(const ka_node *n)
{
    return ka_xstrdup(ka_cstr(n));
}

/* A list of names: a sequence of scalars or one comma-separated scalar. */
static char **name_list(cfgp *p, const ka_node *n, bool check_names)
{
    size_t cnt = ka_is_seq(n) ? ka_node_n(n) : 1;
    char **v = ka_xcalloc(cnt + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        const ka_node *it = ka_is_seq(n) ? KA_SEQ_ITEM(n, i) : n;
        if (!ka_is_scalar(it)) {
            bad(p, it, check_names ? "expected a rule id, slug or category" : "expected a string",
                (ka_str){ "", 0 });
            continue;
        }
        if (check_names) {
            /* validate every comma-separated word now, so the error has a position */
            const char *s = it->u.s;
            while (*s) {
                while (*s == ',' || *s == ' ')
                    s++;
                const char *e = s;
                while (*e && *e != ',' && *e != ' ')
                    e++;
                if (e > s) {
                    char w[128];
                    size_t wn = (size_t)(e - s) < sizeof w - 1 ? (size_t)(e - s) : sizeof w - 1;
                    memcpy(w, s, wn);
                    w[wn] = '\0';
                    bool known = strcmp(w, "all") == 0 || ka_rule_find(w) != NULL;
                    for (size_t r = 0; !known && r < ka_rules_count(); r++)
                        known = strcmp(ka_rule_at(r)->category, w) == 0;
                    if (!known)
                        bad(p, it, "unknown rule, slug or category", ka_str_c(w));
                }
                s = e;
            }
        }
        v[k++] = dup_scalar(it);
    }
    return v;
}

static void free_list(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

static void parse_rules(cfgp *p, const ka_node *m, ka_config *c)
{
    if (!ka_is_map(m)) {
        bad(p, m, "\"rules\" must be a mapping", (ka_str){ "", 0 });
        return;
    }
    for (uint32_t i = 0; i < ka_node_n(m); i++) {
        const ka_node *k = KA_MAP_KEY(m, i), *v = KA_MAP_VAL(m, i);
        ka_str key = ka_node_str(k);
        if (ka_str_eqc(key, "enable")) {
            free_list(c->enable);
            c->enable = name_list(p, v, true);
        } else if (ka_str_eqc(key, "disable")) {
            free_list(c->disable);
            c->disable = name_list(p, v, true);
        } else if (ka_str_eqc(key, "severity")) {
            if (!ka_is_map(v)) {
                bad(p, v, "\"severity\" must map rule ids to error, warning or info", (ka_str){ "", 0 });
                continue;
            }
            c->sev_rule = ka_xrealloc(c->sev_rule, (c->nsev + ka_node_n(v)) * sizeof *c->sev_rule);
            c->sev_value = ka_xrealloc(c->sev_value, (c->nsev + ka_node_n(v)) * sizeof *c->sev_value);
            for (uint32_t j = 0; j < ka_node_n(v); j++) {
                const ka_node *rk = KA_MAP_KEY(v, j), *rv = KA_MAP_VAL(v, j);
                const ka_rule *r = ka_rule_find(ka_cstr(rk));
                ka_severity s;
                if (!r) {
                    bad(p, rk, "unknown rule", ka_node_str(rk));
                    continue;
                }
                if (!ka_is_scalar(rv) || ka_severity_parse(ka_cstr(rv), &s) < 0) {
                    bad(p, rv, "severity must be error, warning or info, not", ka_node_str(rv));
                    continue;
                }
                c->sev_rule[c->nsev] = r;
                c->sev_value[c->nsev] = s;
                c->nsev++;
            }
        } else {
            bad(p, k, "unknown field in \"rules\":", key);
        }
    }
}

static void parse_exemptions(cfgp *p, const ka_node *s, ka_config *c)
{
    if (!ka_is_seq(s)) {
        bad(p, s, "\"exemptions\" must be a list", (ka_str){ "", 0 });
        return;
    }
    c->exemptions = ka_xcalloc(ka_node_n(s) ? ka_node_n(s) : 1, sizeof *c->exemptions);
    for (uint32_t i = 0; i < ka_node_n(s); i++) {
        const ka_node *m = KA_SEQ_ITEM(s, i);
        if (!ka_is_map(m)) {
            bad(p, m, "an exemption must be a mapping", (ka_str){ "", 0 });
            continue;
        }
        ka_exemption *e = &c->exemptions[c->nexemptions++];
        for (uint32_t j = 0; j < ka_node_n(m); j++) {
            const ka_node *k = KA_MAP_KEY(m, j), *v = KA_MAP_VAL(m, j);
            ka_str key = ka_node_str(k);
            char **slot = NULL;
            if (ka_str_eqc(key, "rules")) {
                e->rules = name_list(p, v, true);
                continue;
            } else if (ka_str_eqc(key, "namespace")) {
                slot = &e->namespace_glob;
            } else if (ka_str_eqc(key, "kind")) {
                slot = &e->kind_glob;
            } else if (ka_str_eqc(key, "name")) {
                slot = &e->name_glob;
            } else if (ka_str_eqc(key, "container")) {
                slot = &e->container_glob;
            } else if (ka_str_eqc(key, "reason")) {
                slot = &e->reason;
            } else {
                bad(p, k, "unknown field in an exemption:", key);
                continue;
            }
            if (!ka_is_scalar(v)) {
                bad(p, v, "expected a string for", key);
                continue;
            }
            free(*slot);
            *slot = dup_scalar(v);
        }
    }
}

int ka_config_load(const char *path, ka_config *c, ka_diags *d)
{
    memset(c, 0, sizeof *c);
    c->path = ka_xstrdup(path);
    cfgp p = { path, d, 0 };
    ka_file *f = ka_load_path(path, NULL, d);
    if (!f)
        return -1;
    size_t before = d->errors;
    const ka_node *root = NULL;
    for (size_t i = 0; i < f->ndocs; i++)
        if (f->docs[i].root) {
            root = f->docs[i].root;
            break;
        }
    if (d->errors > before) {
        ka_file_free(f);
        return -1;
    }
    if (root && !ka_is_null(root) && !ka_is_map(root)) {
        bad(&p, root, "the configuration must be a mapping", (ka_str){ "", 0 });
        root = NULL;
    }
    for (uint32_t i = 0; root && ka_is_map(root) && i < ka_node_n(root); i++) {
        const ka_node *k = KA_MAP_KEY(root, i), *v = KA_MAP_VAL(root, i);
        ka_str key = ka_node_str(k);
        if (ka_str_eqc(key, "rules")) {
            parse_rules(&p, v, c);
        } else if (ka_str_eqc(key, "exemptions")) {
            parse_exemptions(&p, v, c);
        } else if (ka_str_eqc(key, "kubernetesVersion")) {
            int ma, mi;
            if (!ka_is_scalar(v) || ka_kube_version_parse(ka_cstr(v), &ma, &mi) < 0)
                bad(&p, v, "kubernetesVersion must look like 1.31, not", ka_node_str(v));
            else
                c->kubernetes_version = dup_scalar(v);
        } else if (ka_str_eqc(key, "failOn")) {
            ka_severity s;
            if (!ka_is_scalar(v) || ka_severity_parse(ka_cstr(v), &s) < 0)
                bad(&p, v, "failOn must be error, warning or info, not", ka_node_str(v));
            else
                c->fail_on = dup_scalar(v);
        } else if (ka_str_eqc(key, "assumePresent")) {
            free_list(c->assume_present);
            c->assume_present = name_list(&p, v, false);
        } else if (ka_str_eqc(key, "ignoreAnnotations")) {
            int b = ka_bool(v);
            if (b < 0)
                bad(&p, v, "ignoreAnnotations must be true or false", (ka_str){ "", 0 });
            c->has_ignore_annotations = true;
            c->ignore_annotations = b == 1;
        } else {
            bad(&p, k, "unknown field", key);
        }
    }
    ka_file_free(f);
    return p.errors ? -1 : 0;
}

void ka_config_free(ka_config *c)
{
    free(c->path);
    free_list(c->enable);
    free_list(c->disable);
    free(c->sev_rule);
    free(c->sev_value);
    for (size_t i = 0; i < c->nexemptions; i++) {
        ka_exemption *e = &c->exemptions[i];
        free_list(e->rules);
        free(e->namespace_glob);
        free(e->kind_glob);
        free(e->name_glob);
        free(e->container_glob);
        free(e->reason);
    }
    free(c->exemptions);
    free(c->kubernetes_version);
    free(c->fail_on);
    free_list(c->assume_present);
    memset(c, 0, sizeof *c);
}
