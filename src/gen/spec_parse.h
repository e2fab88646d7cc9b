/*
 * spec_parse.h - shared between the section readers of the spec loader.
 */
#ifndef KA_SPEC_PARSE_H
#define KA_SPEC_PARSE_H

#include "spec_int.h"

/* Default and supported Kubernetes versions. The oldest supported minor is
 * 1.31: generated PodDisruptionBudgets set unhealthyPodEvictionPolicy (GA in
 * 1.31). The newest is the newest the deprecation table knows. */
#define KA_SPEC_DEFAULT_K8S "v1.35.0"
#define KA_SPEC_MIN_MINOR 31
#define KA_SPEC_MAX_MINOR 36

void ka__sort_labels(ka_spec_label *v, size_t n);
size_t ka__read_kv(ka_sr *r, const ka_node *m, const char *key, const char *ctx,
                   bool validate, ka_spec_label **out);
size_t ka__read_pools(ka_sr *r, const ka_node *m, const char *ctx, ka_spec_pool **out);
void ka__spec_parse_apps(ka_sr *r, ka_spec *s, const ka_node *m);

#endif
