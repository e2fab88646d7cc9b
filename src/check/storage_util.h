/*
 * storage_util.h - helpers shared by the StorageClass rule files
 * (rules_storage.c, rules_storage_csi.c). Internal to libkubearch.
 */
#ifndef KA_STORAGE_UTIL_H
#define KA_STORAGE_UTIL_H

#include "rule.h"

/* Parameter keys and some values compare ASCII case-insensitively
 * (ka_str_ieqc), as the CSI drivers do (strings.ToLower, strings.EqualFold). */

/* The StorageClass's parameters mapping, or NULL. */
const ka_node *ka_sto_params(const ka_object *sc);

/* The value of the first parameter whose key equals key ignoring ASCII case,
 * or NULL; *keynode (when given) gets its key node. */
const ka_node *ka_sto_param(const ka_node *params, const char *key, const ka_node **keynode);

#endif
