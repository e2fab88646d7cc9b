/*
 * gen_rbac.c - write a large RBAC estate for bench/rbac.sh.
 *
 *   gen_rbac OUT.yaml NAMESPACES
 *
 * Per namespace: 3 ServiceAccounts, 2 Deployments, 2 Roles and 3
 * RoleBindings (one to a Role, one to the built-in edit, one to a shared
 * ClusterRole, one naming the namespace's ServiceAccounts group). Cluster-wide:
 * one ClusterRole per 4 namespaces (every fourth labelled to aggregate into
 * view, so aggregation has work to do), an aggregated ClusterRole, and one
 * ClusterRoleBinding per 10 namespaces, a few of them to powerful roles so
 * that escalation paths exist.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_rbac OUT.yaml NAMESPACES\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10);
    FILE *f = fopen(argv[1], "w");
    if (!f || n < 1)
        return 2;
    const char *rb = "apiVersion: rbac.authorization.k8s.io/v1\n";
    long ncr = n / 4 + 1;
    for (long c = 0; c < ncr; c++) {
        fprintf(f, "---\n%skind: ClusterRole\nmetadata:\n  name: shared-%ld\n", rb, c);
        if (c % 4 == 0)
            fprintf(f, "  labels: {rbac.authorization.k8s.io/aggregate-to-view: \"true\", tier: t%ld}\n", c % 7);
        fprintf(f, "rules:\n"
                   "- {apiGroups: [\"\"], resources: [configmaps, services], verbs: [get, list, watch]}\n"
                   "- {apiGroups: [example%ld.io], resources: [widgets, widgets/status], verbs: [get, list, watch, update]}\n"
                   "- {apiGroups: [apps], resources: [deployments/scale], verbs: [update]}\n",
                c);
        if (c % 50 == 1)
            fprintf(f, "- {apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create]}\n");
        if (c % 100 == 2)
            fprintf(f, "- {apiGroups: [\"*\"], resources: [\"*\"], verbs: [\"*\"]}\n");
    }
    fprintf(f, "---\n%skind: ClusterRole\nmetadata: {name: tiers}\n"
               "aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions: [{key: tier, operator: In, values: [t1, t3]}]\n", rb);
    for (long i = 0; i < n; i++) {
        fprintf(f, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns-%ld}\n", i);
        for (int s = 0; s < 3; s++)
            fprintf(f, "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa-%d, namespace: ns-%ld}\n", s, i);
        for (int d = 0; d < 2; d++)
            fprintf(f, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-%d, namespace: ns-%ld}\n"
                       "spec:\n  selector: {matchLabels: {app: app-%d}}\n  template:\n"
                       "    metadata: {labels: {app: app-%d}}\n"
                       "    spec: {serviceAccountName: sa-%d, containers: [{name: c, image: \"app:1.%d\"}]}\n",
                    d, i, d, d, d, d);
        fprintf(f, "---\n%skind: Role\nmetadata: {name: app, namespace: ns-%ld}\nrules:\n"
                   "- {apiGroups: [\"\"], resources: [pods], verbs: [get, list, watch%s]}\n"
                   "- {apiGroups: [\"\"], resources: [secrets], resourceNames: [app-%ld], verbs: [get]}\n"
                   "- {apiGroups: [apps], resources: [deployments], verbs: [get, patch]}\n",
                rb, i, i % 5 == 0 ? ", create" : "", i);
        fprintf(f, "---\n%skind: Role\nmetadata: {name: reader, namespace: ns-%ld}\nrules:\n"
                   "- {apiGroups: [\"\"], resources: [configmaps], verbs: [get, list]}\n", rb, i);
        fprintf(f, "---\n%skind: RoleBinding\nmetadata: {name: app, namespace: ns-%ld}\n"
                   "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n"
                   "subjects: [{kind: ServiceAccount, name: sa-0, namespace: ns-%ld}]\n", rb, i, i);
        fprintf(f, "---\n%skind: RoleBinding\nmetadata: {name: team, namespace: ns-%ld}\n"
                   "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}\n"
                   "subjects: [{kind: Group, name: team-%ld}, {kind: User, name: user-%ld}]\n",
                rb, i, i % 3 ? "view" : "edit", i % 50, i);
        fprintf(f, "---\n%skind: RoleBinding\nmetadata: {name: shared, namespace: ns-%ld}\n"
                   "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: shared-%ld}\n"
                   "subjects: [{kind: Group, name: \"system:serviceaccounts:ns-%ld\"}, {kind: ServiceAccount, name: sa-1}]\n",
                rb, i, i % ncr, i);
    }
    for (long c = 0; c < n / 10 + 1; c++)
        fprintf(f, "---\n%skind: ClusterRoleBinding\nmetadata: {name: crb-%ld}\n"
                   "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: shared-%ld}\n"
                   "subjects: [{kind: ServiceAccount, name: sa-2, namespace: ns-%ld}, {kind: Group, name: ops-%ld}]\n",
                rb, c, (c * 7) % ncr, (c * 13) % n, c % 20);
    return fclose(f) ? 2 : 0;
}
