#!/usr/bin/env bash
# RBAC benchmark: a generated estate of NAMESPACES namespaces (default 2,000:
# 4,000 Roles, 500 ClusterRoles, 6,000 RoleBindings, 200 ClusterRoleBindings,
# 6,000 ServiceAccounts, 4,000 Deployments; bench/gen_rbac.c), timed best of
# $BENCH_RUNS (default 3) for:
#   load + model   `rbac can` (one question: loading dominates)
#   who-can        `rbac who-can get secrets` (every binding, every namespace)
#   permissions    `rbac permissions` of a ServiceAccount and of a user
#   check          `check --rules rbac` (every RBAC rule, escalation graph included)
#   parse only     `check --rules META-005` (the loader and one trivial rule)
# Environment: KUBEARCH (default build/kubearch), BENCH_DIR (default
# build/bench), BENCH_RUNS, BENCH_RBAC_NAMESPACES.
set -u
cd "$(dirname "$0")/.." || exit 2
KUBEARCH=${KUBEARCH:-build/kubearch}
BENCH_DIR=${BENCH_DIR:-build/bench}
RUNS=${BENCH_RUNS:-3}
NS=${BENCH_RBAC_NAMESPACES:-2000}
die() { echo "bench/rbac: $*" >&2; exit 2; }
[ -x "$KUBEARCH" ] || die "$KUBEARCH not built (run make)"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
if [ ! -x "$BENCH_DIR/gen_rbac" ] || [ bench/gen_rbac.c -nt "$BENCH_DIR/gen_rbac" ]; then
    ${CC_BENCH:-cc} -O2 -std=c11 -Wall -Wextra -o "$BENCH_DIR/gen_rbac" bench/gen_rbac.c ||
        die "cannot build bench/gen_rbac.c"
fi
IN=$BENCH_DIR/rbac-$NS.yaml
if [ ! -s "$IN" ] || [ "$BENCH_DIR/gen_rbac" -nt "$IN" ]; then
    "$BENCH_DIR/gen_rbac" "$IN.tmp" "$NS" && mv "$IN.tmp" "$IN" || die "cannot generate $IN"
fi

measure() { # sets T (best wall seconds) and RC
    local best="" i t0 t1
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>"$BENCH_DIR/rbac.err"
        RC=$?
        t1=$(date +%s%N)
        if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
    done
    T=$(awk -v n="$best" 'BEGIN { printf "%.3f", n / 1e9 }')
}
row() { printf '  %-44s %8s %5s\n' "$@"; }

echo "== kubearch rbac bench: $IN ($(du -m "$IN" | cut -f1) MiB, $NS namespaces), best of $RUNS"
row "" "wall s" "exit"
measure "$KUBEARCH" check --rules META-005 "$IN";                     row "parse only (check --rules META-005)" "$T" "$RC"
measure "$KUBEARCH" rbac can sa:ns-7/sa-0 create pods -n ns-7 "$IN"; row "rbac can sa:ns-7/sa-0 create pods" "$T" "$RC"
measure "$KUBEARCH" rbac who-can get secrets "$IN";                   row "rbac who-can get secrets" "$T" "$RC"
measure "$KUBEARCH" rbac who-can update deployments.apps/scale -n ns-3 "$IN"; row "rbac who-can update deployments/scale -n" "$T" "$RC"
measure "$KUBEARCH" rbac permissions sa:ns-5/sa-1 "$IN";              row "rbac permissions sa:ns-5/sa-1" "$T" "$RC"
measure "$KUBEARCH" rbac permissions user:user-9 --group team-9 "$IN"; row "rbac permissions user:user-9" "$T" "$RC"
measure "$KUBEARCH" check --rules rbac -o json "$IN";                 row "check --rules rbac (all RBAC rules)" "$T" "$RC"
measure "$KUBEARCH" check --rules RBAC-033 -o json "$IN";             row "check --rules RBAC-033 (escalation graph)" "$T" "$RC"
