/*
 * net_util.h - small helpers shared by the network rule files
 * (rules_netcover.c, rules_netpeers.c, rules_services.c, rules_ingress.c,
 * rules_monitoring.c). Internal to libkubearch.
 */
#ifndef KA_NET_UTIL_H
#define KA_NET_UTIL_H

#include "rule.h"
#include "kubearch/netpol.h"   /* policyTypes defaulting: ka_netpol_types() */
#include "kubearch/selindex.h"

/* The first pod-bearing object (Pod or workload, input order not guaranteed
 * across values of an In requirement) of namespace ns whose pod template
 * labels sel matches, or NULL. Uses the label index when sel has an equality
 * or In requirement, stops at the first hit otherwise. */
const ka_object *ka_first_pod_matching(const ka_objset *s, ka_str ns, const ka_selector *sel);

/* The requirement of sel whose values name label pairs worth looking up
 * in an index (an equality, or the In with the fewest values), or NULL. */
const ka_requirement *ka_selector_index_req(const ka_selector *sel);

/* "Kind/name" of o appended to b (the namespace is implied by the context);
 * "Kind/prefix*" for a generateName object. */
void ka_buf_kind_name(ka_buf *b, const ka_object *o);

#endif
