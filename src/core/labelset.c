/*
 * labelset.c - label sets read from metadata mappings.
 */
#include "kubearch/labels.h"

ka_labels ka_labels_from_node(ka_arena *a, const ka_node *map)
{
    ka_labels l = { 0, NULL };
    if (!ka_is_map(map) || ka_node_n(map) == 0)
        return l;
    ka_kv *kv = ka_arena_alloc(a, ka_node_n(map) * sizeof *kv);
    size_t n = 0;
    for (uint32_t i = 0; i < ka_node_n(map); i++) {
        const ka_node *k = KA_MAP_KEY(map, i), *v = KA_MAP_VAL(map, i);
        if (!ka_is_scalar(k) || !ka_is_scalar(v))
            continue;
        kv[n].key = ka_node_str(k);
        /* a null label value reads as "" (as the API server would decode it) */
        kv[n].val = ka_is_null(v) ? (ka_str){ "", 0 } : ka_node_str(v);
        n++;
    }
    l.n = n;
    l.kv = kv;
    return l;
}

bool ka_labels_get(const ka_labels *l, ka_str key, ka_str *val)
{
    for (size_t i = 0; i < l->n; i++)
        if (ka_str_eq(l->kv[i].key, key)) {
            if (val)
                *val = l->kv[i].val;
            return true;
        }
    return false;
}
