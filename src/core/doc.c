/*
 * doc.c - lookups and YAML 1.1 scalar resolution over the node tree.
 */
#include "kubearch/doc.h"

#include <stdarg.h>
#include <string.h>

const ka_node *ka_getn(const ka_node *m, const char *key, size_t kn)
{
    if (!ka_is_map(m))
        return NULL;
    uint32_t n = ka_node_n(m);
    for (uint32_t i = 0; i < n; i++) {
        const ka_node *k = KA_MAP_KEY(m, i);
        if (k->type == KA_NODE_SCALAR && ka_node_n(k) == kn &&
            (kn == 0 || (k->u.s[0] == key[0] && memcmp(k->u.s, key, kn) == 0)))
            return KA_MAP_VAL(m, i);
    }
    return NULL;
}

const ka_node *ka_get_key(const ka_node *m, const char *key)
{
    const ka_node *v = ka_get(m, key);
    return v ? v - 1 : NULL; /* a mapping's kids are key, value, key, value ... */
}

const ka_node *ka_path(const ka_node *n, ...)
{
    va_list ap;
    va_start(ap, n);
    const char *k;
    while (n && (k = va_arg(ap, const char *)) != NULL)
        n = ka_get(n, k);
    va_end(ap);
    return n;
}

bool ka_is_null(const ka_node *n)
{
    if (!n)
        return true;
    if (n->type != KA_NODE_SCALAR || n->style != KA_STYLE_PLAIN)
        return false;
    ka_str s = ka_node_str(n);
    return s.n == 0 || ka_str_eqc(s, "~") || ka_str_eqc(s, "null") || ka_str_eqc(s, "Null") ||
           ka_str_eqc(s, "NULL");
}

int ka_bool(const ka_node *n)
{
    if (!ka_is_scalar(n) || n->style != KA_STYLE_PLAIN)
        return -1;
    /* sigs.k8s.io/yaml decodes with YAML 1.1 booleans (go-yaml v2): y, yes,
     * true, on and n, no, false, off, each lower case, capitalised or upper
     * case (y/Y and n/N only). By length, as this is asked of many fields. */
    ka_str s = ka_node_str(n);
#define IS3(a, b, c) (ka_str_eqc(s, a) || ka_str_eqc(s, b) || ka_str_eqc(s, c))
    switch (s.n) {
    case 1: return s.p[0] == 'y' || s.p[0] == 'Y' ? 1 : s.p[0] == 'n' || s.p[0] == 'N' ? 0 : -1;
    case 2: return IS3("on", "On", "ON") ? 1 : IS3("no", "No", "NO") ? 0 : -1;
    case 3: return IS3("yes", "Yes", "YES") ? 1 : IS3("off", "Off", "OFF") ? 0 : -1;
    case 4: return IS3("true", "True", "TRUE") ? 1 : -1;
    case 5: return IS3("false", "False", "FALSE") ? 0 : -1;
    default: return -1;
    }
#undef IS3
}

bool ka_int(const ka_node *n, int64_t *out)
{
    if (!ka_is_scalar(n) || n->style != KA_STYLE_PLAIN || ka_node_n(n) == 0)
        return false;
    const char *s = n->u.s;
    size_t i = 0, len = ka_node_n(n);
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    if (i >= len)
        return false;
    uint64_t v = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '_')
            continue;
        if (c < '0' || c > '9')
            return false;
        uint64_t d = (uint64_t)(c - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)v;
    }
    return true;
}
