/*
 * deprecations.h - the compiled-in table of deprecated and removed API
 * versions (apiVersion + kind), internal to libkubearch.
 *
 * Rows come from Pluto's versions.yaml (Kubernetes and cert-manager rows,
 * see /work/shared/reference/deprecated-apis-pluto.txt) checked against the
 * Kubernetes deprecation guide. Versions are "major.minor" of the component
 * that serves the API: Kubernetes for built-in groups, cert-manager for its
 * own groups (which no --kubernetes-version can say anything about).
 */
#ifndef KA_DEPRECATIONS_H
#define KA_DEPRECATIONS_H

#include "kubearch/base.h"

/* A version "major.minor" encoded as major * 1000 + minor; 0 means never. */
#define KA_API_VERSION(major, minor) ((major) * 1000 + (minor))

typedef struct ka_deprecation {
    const char *group;        /* "" for the core group */
    const char *version;      /* "v1beta1" */
    const char *kind;         /* NULL: every kind of group/version */
    const char *component;    /* "Kubernetes" or an add-on, e.g. "cert-manager" */
    int deprecated;           /* KA_API_VERSION(...), 0: not deprecated (or not recorded) */
    int removed;              /* KA_API_VERSION(...), 0: still served */
    const char *replacement;  /* apiVersion to move to, "" when there is none */
    const char *note;         /* extra advice for the message, "" when none */
} ka_deprecation;

typedef enum ka_api_status {
    KA_API_SERVED = 0,        /* neither deprecated nor removed at the target */
    KA_API_DEPRECATED = 1,    /* deprecated at or before the target, still served */
    KA_API_REMOVED = 2,       /* removed at or before the target */
} ka_api_status;

size_t ka_deprecations_count(void);
const ka_deprecation *ka_deprecation_at(size_t i);
/* "v1", "v2" ...: a GA version (no row of the table is one). */
bool ka_api_version_is_ga(ka_str version);
/* The row for group/version/kind, or NULL when the API is not in the table. */
const ka_deprecation *ka_deprecation_find(ka_str group, ka_str version, ka_str kind);
/* Status of a row for a Kubernetes target version. Rows of add-on components
 * are versioned by the add-on, so a target Kubernetes version cannot place
 * them: they are reported as REMOVED when they have a removal version (every
 * release of the add-on since then rejects them), else DEPRECATED. */
ka_api_status ka_deprecation_status(const ka_deprecation *d, int major, int minor);
/* true when the row belongs to Kubernetes itself (versions are Kubernetes versions). */
bool ka_deprecation_is_kubernetes(const ka_deprecation *d);

#endif
