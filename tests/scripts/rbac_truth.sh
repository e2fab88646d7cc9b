#!/usr/bin/env bash
# The truth table of ../shared/reference/rbac-semantics.md section 9 (rule
# matching, RoleBinding scope, resourceNames, */subresource, non-resource
# URLs, aggregation, User-form ServiceAccount subjects, system:masters),
# asked with `kubearch rbac can` against tests/cases/rbac/semantics.yaml.
# Usage: bash tests/scripts/rbac_truth.sh BUILD/kubearch
set -u
bin=${1:?usage: rbac_truth.sh KUBEARCH}
cd "$(dirname "$0")/../.." || exit 2
in=tests/cases/rbac/semantics.yaml
pass=0 fail=0

# subject | verb | resource | namespace | name | expected (yes/no) | why
while IFS='|' read -r subj verb res ns name want why; do
    [ -z "$subj" ] && continue
    args=(rbac can "$subj" "$verb" "$res")
    [ -n "$ns" ] && args+=(-n "$ns")
    [ -n "$name" ] && args+=(--name "$name")
    got=$("$bin" "${args[@]}" "$in" 2>/dev/null)
    rc=$?
    exp_rc=1
    [ "$want" = yes ] && exp_rc=0
    if [ "$got" = "$want" ] && [ "$rc" = "$exp_rc" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: can $subj $verb $res ns=$ns name=$name: got '$got' (exit $rc), want $want -- $why"
    fi
done <<'ROWS'
sa:test/test1|list|secrets|test||yes|RoleBinding -> ClusterRole, in the binding's namespace
sa:test/test1|list|secrets|default||no|not outside the binding's namespace (kubectl-who-can #31)
sa:test/test1|list|secrets|||no|all namespaces: only ClusterRoleBindings
user:alice|update|configmaps|default|my-configmap|no|alice is not bound
user:dave|get|configmaps|default|my-configmap|yes|resourceNames match the name
user:dave|get|configmaps|default|other|no|another name
user:dave|create|configmaps|default||no|resourceNames never match create
user:dave|get|configmaps|default||no|nor a request without a name
group:ops|update|deployments.apps/scale|prod|web|yes|*/scale covers any resource's scale
group:ops|update|deployments/scale|prod|web|yes|deployments resolves to group apps
group:ops|update|deployments.apps|prod|web|no|the parent resource is not implied
group:ops|update|deployments.extensions/scale|prod|web|no|apiGroups [apps] only
user:bob|get|/healthz/etcd|||no|nonResourceURLs through a RoleBinding grant nothing
user:bob|get|/healthz|||yes|system:discovery (default) grants it to every authenticated user
user:system:anonymous|get|/version|||yes|system:public-info-viewer (default) is bound to unauthenticated
user:system:anonymous|get|/api|||no|system:discovery is for authenticated users only
user:carol|list|pods|any||yes|aggregation recomputed from labels
user:carol|list|pods|||yes|through a ClusterRoleBinding in all namespaces
user:carol|get|pods|any|x|no|the aggregated rule lists only list
sa:dev/builder|create|pods|dev||yes|User-form ServiceAccount subject is the same identity
user:system:serviceaccount:dev:builder|delete|pods|dev|p1|yes|the User form of the subject asks as the ServiceAccount
sa:dev/builder|create|pods/exec|dev|x|no|pods does not cover pods/exec
sa:dev/builder|create|pods|prod||no|RoleBinding in dev only
group:system:masters|delete|nodes||n1|yes|superuser without bindings
group:system:masters|escalate|clusterroles.rbac.authorization.k8s.io||x|yes|superuser: every verb
ROWS
echo "rbac truth table: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
