/*
 * kubearch/gen.h - `kubearch generate`: from a loaded architecture spec to
 * a planned tree of manifests, written atomically and checked.
 *
 * Generation is two steps. ka_gen_plan() renders every file in memory (YAML
 * through libyaml's emitter, deterministic: the same spec gives the same
 * bytes). ka_gen_write() compares the plan with what is on disk and writes
 * new or changed files atomically (temporary file + rename in the same
 * directory); a file that exists with other content is kept and reported
 * unless force is set. Paths in a plan are relative, made of DNS-1123 names,
 * and can never leave the output directory.
 */
#ifndef KUBEARCH_GEN_H
#define KUBEARCH_GEN_H

#include "base.h"
#include "check.h"
#include "diag.h"
#include "spec.h"

/* One planned file. unit is the directory that is applied (and checked) as
 * a whole: "management", "clusters/<name>", "fleet", or "" for files that
 * belong to no unit (ARCHITECTURE.md, the top kustomization). */
typedef struct ka_gen_file {
    char *path;            /* relative to the output directory, '/'-separated */
    char *unit;
    ka_buf data;
} ka_gen_file;

typedef struct ka_gen_plan {
    ka_gen_file *v;
    size_t n, cap;
} ka_gen_plan;

/* Render every file of the spec. 0, or -1 with diagnostics (an internal
 * emitter failure; a valid spec always renders). */
int ka_gen_plan_build(ka_gen_plan *out, const ka_spec *s, ka_diags *d);
void ka_gen_plan_free(ka_gen_plan *p);
/* The file at path, or NULL. */
const ka_gen_file *ka_gen_plan_find(const ka_gen_plan *p, const char *path);

typedef enum ka_gen_state {
    KA_GEN_CREATE = 0,     /* does not exist yet */
    KA_GEN_SAME,           /* exists with the same bytes */
    KA_GEN_UPDATE,         /* exists with other bytes; replaced (force) */
    KA_GEN_CONFLICT,       /* exists with other bytes; kept (no force) */
    KA_GEN_ERROR,          /* could not be read, compared or written */
} ka_gen_state;

const char *ka_gen_state_name(ka_gen_state s);

typedef struct ka_gen_opts {
    bool force;            /* replace files whose content differs */
    bool dry_run;          /* compare only, write nothing */
} ka_gen_opts;

typedef struct ka_gen_result {
    size_t n;
    ka_gen_state *state;   /* per plan file, in plan order */
    char **error;          /* per plan file: message when KA_GEN_ERROR, else NULL */
    size_t count[5];       /* by state */
} ka_gen_result;

/* Compare the plan with dir (created when missing unless dry_run) and write.
 * 0 when every file is created, same or updated; -1 when any conflicts or
 * errors (see out). */
int ka_gen_write(const ka_gen_plan *p, const char *dir, const ka_gen_opts *o, ka_gen_result *out);
void ka_gen_result_free(ka_gen_result *r);

/* Rules the self-check leaves out of its unit checks (comma list for
 * --disable). CLU-009 (logging and audit trail) scores a whole cluster: an
 * API server audit policy and a log-collector DaemonSet. Every cluster gets
 * its collector (clusters/<cluster>/platform/logging.yaml), but its audit
 * configuration is part of its control plane, which Cluster API keeps on the
 * management cluster (the KubeadmControlPlane in management/<cluster>/): the
 * audit Policy is a file on the control-plane machines, not an object the
 * cluster's API serves. No unit holds both halves, so each scores partial;
 * docs/generate.md has the per-cluster check that does pass.
 * IMG-002 (image pinned by digest) and PRB-007 (preStop hook) are opt-in
 * advice a generator cannot follow honestly: digests exist only once the
 * team's CI has pushed its images, and what a container must do before it
 * stops is the application's business. */
#define KA_GEN_CHECK_DISABLE "CLU-009,IMG-002,PRB-007"

/* Run every rule (as --enable-all --disable KA_GEN_CHECK_DISABLE) over each
 * unit of the plan, in memory.
 * Findings of all units are appended to out (caller frees with
 * ka_results_free each entry); returns the number of findings, -1 on error. */
typedef struct ka_gen_check {
    char *unit;
    ka_objset *set;
    ka_results res;
} ka_gen_check;
long ka_gen_self_check(const ka_gen_plan *p, ka_gen_check **out, size_t *nout, ka_diags *d);
void ka_gen_check_free(ka_gen_check *v, size_t n);

/* The connectivity the generated NetworkPolicies of cluster must give, as a
 * `kubearch netpol --expect` file (external endpoint 203.0.113.10): every
 * ordered pair of the cluster's declared workloads, allowed exactly on the
 * spec's flows. 0, or -1 with a message in err (unknown cluster). */
int ka_gen_flows(const ka_spec *s, const char *cluster, ka_buf *out, char *err, size_t errn);

/* The starter spec of a pattern for a provider (commented YAML, malloc'd);
 * provider < 0 keeps the example's own. NULL when there is no starter for
 * the combination (with a reason in why). */
char *ka_spec_starter(ka_pattern p, int provider, const char **why);

#endif
