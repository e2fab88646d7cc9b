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

# measure CMD...: best of $RUNS; T wall seconds, C cpu seconds (user + sys,
# steadier than wall time on a shared machine; needs GNU time), RC exit code
measure() {
    local best="" bestc="" i t0 t1 c
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%U %S' -o "$BENCH_DIR/rbac.time" "$@" >/dev/null 2>"$BENCH_DIR/rbac.err"
        else
            "$@" >/dev/null 2>"$BENCH_DIR/rbac.err"
        fi
        RC=$?
        t1=$(date +%s%N)
        if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
        if [ -x /usr/bin/time ]; then
            c=$(tail -n 1 "$BENCH_DIR/rbac.time" | awk '{ printf "%.0f", ($1 + $2) * 1000 }')
            if [ -z "$bestc" ] || [ "$c" -lt "$bestc" ]; then bestc=$c; fi
        fi
    done
    T=$(awk -v n="$best" 'BEGIN { printf "%.3f", n / 1e9 }')
    C=$(awk -v n="${bestc:-0}" 'BEGIN { printf "%.2f", n / 1e3 }')
}
row() { printf '  %-44s %8s %8s %5s\n' "$@"; }

echo "== kubearch rbac bench: $IN ($(du -m "$IN" | cut -f1) MiB, $NS namespaces), best of $RUNS"
row "" "wall s" "cpu s" "exit"
measure "$KUBEARCH" check --rules META-005 "$IN";                     row "parse only (check --rules META-005)" "$T" "$C" "$RC"
measure "$KUBEARCH" rbac can sa:ns-7/sa-0 create pods -n ns-7 "$IN"; row "rbac can sa:ns-7/sa-0 create pods" "$T" "$C" "$RC"
measure "$KUBEARCH" rbac who-can get secrets "$IN";                   row "rbac who-can get secrets" "$T" "$C" "$RC"
measure "$KUBEARCH" rbac who-can update deployments.apps/scale -n ns-3 "$IN"; row "rbac who-can update deployments/scale -n" "$T" "$C" "$RC"
measure "$KUBEARCH" rbac permissions sa:ns-5/sa-1 "$IN";              row "rbac permissions sa:ns-5/sa-1" "$T" "$C" "$RC"
measure "$KUBEARCH" rbac permissions user:user-9 --group team-9 "$IN"; row "rbac permissions user:user-9" "$T" "$C" "$RC"
measure "$KUBEARCH" check --rules rbac -o json "$IN";                 row "check --rules rbac (all RBAC rules)" "$T" "$C" "$RC"
measure "$KUBEARCH" check --rules RBAC-033 -o json "$IN";             row "check --rules RBAC-033 (escalation graph)" "$T" "$C" "$RC"
