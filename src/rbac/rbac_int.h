/*
 * rbac_int.h - the RBAC model's insides, shared by the files of src/rbac/.
 */
#ifndef KA_RBAC_INT_H
#define KA_RBAC_INT_H

#include "kubearch/rbac.h"
#include "../core/hmap.h"

typedef struct ka_rbac_graph ka_rbac_graph;

struct ka_rbac {
    ka_arena *arena;
    const ka_objset *set;
    ka_objset *builtin;              /* the default policy, parsed (NULL when off) */
    size_t nroles, nbindings;
    ka_rbac_role *roles;             /* sorted: ClusterRoles by name, then Roles by ns/name */
    ka_rbac_binding *bindings;       /* sorted: ClusterRoleBindings, then RoleBindings */
    ka_hmap role_index;              /* "C\0name" / "R\0ns\0name" -> role */
    ka_hmap subject_index;           /* "U\0name" / "G\0name" / "S\0ns\0name" -> ka_ptrvec* */
    ka_hmap sa_index;                /* ns -> ka_ptrvec* of ka_str* (service accounts) */
    ka_ptrvec vecs;                  /* every ka_ptrvec the indexes own, to free them */
    ka_rbac_graph *graph;            /* escalation graph, built on first use */
};

/* Index keys ("K\0a\0b"), built in b. */
ka_str ka_rbac__key(ka_buf *b, char kind, ka_str a, ka_str c);

/* The built-in default policy as YAML (builtin.c). */
extern const char ka_rbac__builtin_yaml[];

/* Built-in resource table lookup (resources.c): by plural, singular, kind or
 * short name, case-insensitive for kinds. NULL group means "any". Returns
 * true and fills group/plural/namespaced when known. */
bool ka_rbac__resource_lookup(ka_str word, ka_str want_group, ka_str *group, ka_str *plural,
                              int *namespaced);

void ka_rbac__graph_free(ka_rbac_graph *g);
/* The first subject of b that applies to the identity, NULL when none does
 * (the one a grant is reported under). */
const ka_rbac_subject *ka_rbac__first_applying(const ka_rbac_binding *b, const ka_rbac_identity *id);

/* Append to a grants list. */
void ka_rbac__grant_push(ka_rbac_grants *g, const ka_rbac_binding *b, const ka_rbac_subject *s,
                         uint32_t rule);
void ka_rbac__grants_sort(ka_rbac_grants *g, bool by_subject);

#endif
