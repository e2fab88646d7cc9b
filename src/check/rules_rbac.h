/*
 * rules_rbac.h - helpers shared by the RBAC rule files (internal).
 */
#ifndef KA_RULES_RBAC_H
#define KA_RULES_RBAC_H

#include "kubearch/rbac.h"

/* Does the rule allow verb on group/resource[/sub] for some object name?
 * (resourceNames-limited rules count, except for create and
 * deletecollection, whose requests carry no name.) */
bool ka_rbac_rule_grants(const ka_rbac_rule *r, const char *verb, const char *group,
                         const char *res, const char *sub);
/* A control-plane identity: system:* users and groups other than the broad
 * ones (anonymous, unauthenticated, authenticated, serviceaccounts), and
 * ServiceAccounts of kube-system. */
bool ka_rbac_subject_is_system(const ka_rbac_subject *s);
/* Labelled kubernetes.io/bootstrapping=rbac-defaults (the API server's own). */
bool ka_rbac_object_defaults(const ka_object *o);

#endif
