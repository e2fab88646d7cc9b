/*
 * policy.c - facts about one NetworkPolicy that do not need the whole
 * analysis: effective policyTypes, per-direction isolation, and whether the
 * policy selects a given Pod or workload. The coverage rules (NET-001..004)
 * and the analysis share these so that they can never disagree.
 */
#include "kubearch/netpol.h"

#include <string.h>

static const ka_node *policy_spec(const ka_object *policy)
{
    return policy ? ka_get(policy->root, "spec") : NULL;
}

bool ka_netpol_types_explicit(const ka_object *policy)
{
    /* the API server defaults when len(policyTypes) == 0: an empty list is
     * the same as an absent one */
    const ka_node *pt = ka_get(policy_spec(policy), "policyTypes");
    return ka_is_seq(pt) && ka_node_n(pt) > 0;
}

unsigned ka_netpol_types(const ka_object *policy)
{
    const ka_node *spec = policy_spec(policy);
    const ka_node *pt = ka_get(spec, "policyTypes");
    if (ka_is_seq(pt) && ka_node_n(pt) > 0) {
        /* taken literally: ["Egress"] means ingress rules are ignored */
        unsigned m = 0;
        for (uint32_t i = 0; i < ka_node_n(pt); i++) {
            const ka_node *t = KA_SEQ_ITEM(pt, i);
            if (ka_str_eqc(ka_node_str(t), "Ingress"))
                m |= KA_NETPOL_INGRESS;
            else if (ka_str_eqc(ka_node_str(t), "Egress"))
                m |= KA_NETPOL_EGRESS;
        }
        return m;
    }
    /* API server defaulting (absent or empty): Ingress always, Egress only
     * when there is at least one egress rule (an empty egress list does not
     * count) */
    const ka_node *eg = ka_get(spec, "egress");
    unsigned m = KA_NETPOL_INGRESS;
    if (ka_is_seq(eg) && ka_node_n(eg) > 0)
        m |= KA_NETPOL_EGRESS;
    return m;
}

bool ka_netpol_isolates(const ka_object *policy, bool egress)
{
    return (ka_netpol_types(policy) & (egress ? KA_NETPOL_EGRESS : KA_NETPOL_INGRESS)) != 0;
}

bool ka_netpol_host_network(const ka_object *pod)
{
    if (!pod || !pod->pod)
        return false;
    return ka_bool(ka_get(pod->pod->spec, "hostNetwork")) == 1;
}

bool ka_netpol_selects(const ka_object *policy, const ka_object *pod)
{
    if (!policy || !pod || !pod->pod || !ka_str_eq(policy->ns, pod->ns))
        return false;
    if (ka_netpol_host_network(pod))
        return false;
    const ka_node *ps = ka_get(policy_spec(policy), "podSelector");
    if (!ps || ka_is_null(ps))
        return true; /* required by the schema; the reference code reads null as {} */
    ka_arena *a = ka_arena_new();
    ka_selector sel;
    char err[8];
    bool ok = ka_selector_from_node(a, ps, &sel, NULL, err, sizeof err) == 0 &&
              ka_selector_matches(&sel, &pod->pod->labels);
    ka_arena_free(a);
    return ok;
}
