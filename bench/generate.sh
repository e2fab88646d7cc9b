#!/usr/bin/env bash
# How long `kubearch generate` takes per example spec (plan + in-memory check +
# write into a fresh directory), and the plan alone (--no-check --dry-run).
# Not a timed test: it prints numbers to compare between builds.
#   bench/generate.sh [BUILD/kubearch] [RUNS]
set -u
cd "$(dirname "$0")/.." || exit 2
bin=${1:-build/kubearch}
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ms() { date +%s%N; }
printf "%-28s %6s %8s %12s %12s\n" spec files objects "full ms" "plan-only ms"
for spec in examples/specs/*.yaml; do
    name=$(basename "$spec" .yaml)
    full=0 plan=0
    for i in $(seq "$runs"); do
        rm -rf "$tmp/out"
        t0=$(ms); "$bin" generate "$spec" --dir "$tmp/out" -q >/dev/null 2>&1; t1=$(ms)
        "$bin" generate "$spec" --dir "$tmp/none" --dry-run --no-check -q >/dev/null 2>&1; t2=$(ms)
        full=$((full + t1 - t0)); plan=$((plan + t2 - t1))
    done
    files=$(find "$tmp/out" -type f | wc -l)
    objects=$(grep -rh "^kind:" "$tmp/out" | wc -l)
    printf "%-28s %6d %8d %12.1f %12.1f\n" "$name" "$files" "$objects" \
        "$(echo "$full / $runs / 1000000" | bc -l)" "$(echo "$plan / $runs / 1000000" | bc -l)"
done
