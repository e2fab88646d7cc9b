#!/usr/bin/env bash
# The rules run on several threads; their findings are merged and sorted,
# so the output must not depend on how many. Checks every case input, and
# all of them at once (many objects, every set-rule task), with every rule
# and the scorecard, on 1, 3 and 8 threads: the outputs (JSON, text, SARIF,
# YAML, JUnit) and exit codes must be byte-identical. An explicit -j uses the
# threads even for a small input (automatic mode waits for 1,024 objects).
# Usage: bash tests/scripts/check_threads.sh BUILD/kubearch
set -u
bin=${1:?usage: check_threads.sh KUBEARCH}
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() { # run NAME FORMAT FILES...: compares -j1 with -j3 and -j8
    local name=$1 fmt=$2
    shift 2
    local j
    for j in 1 3 8; do
        "$bin" check --no-config --enable-all --scorecard -o "$fmt" -j "$j" "$@" >"$tmp/out$j" 2>"$tmp/err$j"
        echo "exit $?" >>"$tmp/out$j"
    done
    for j in 3 8; do
        if ! cmp -s "$tmp/out1" "$tmp/out$j" || ! cmp -s "$tmp/err1" "$tmp/err$j"; then
            echo "FAIL $name ($fmt): -j1 and -j$j differ"
            diff "$tmp/out1" "$tmp/out$j" | head -n 10
            fail=1
        fi
    done
}
n=0
for f in tests/cases/*/*.yaml; do
    run "$f" json "$f"
    n=$((n + 1))
done
all=$(ls tests/cases/*/*.yaml | grep -v '/generate/')
# shellcheck disable=SC2086
run "all case inputs" json $all
# shellcheck disable=SC2086
run "all case inputs" text $all
# shellcheck disable=SC2086
run "all case inputs" sarif $all
# shellcheck disable=SC2086
run "all case inputs" yaml $all
# shellcheck disable=SC2086
run "all case inputs" junit $all
# a folder: its files are loaded on threads, then added in walk order, with
# the walk's own diagnostics (a dangling link) in their place
run "the cases folder" json tests/cases
mkdir -p "$tmp/tree/a/b" "$tmp/tree/c"
cp tests/cases/network/*.yaml "$tmp/tree/a/"
cp tests/cases/loader/*.yaml "$tmp/tree/a/b/"
cp tests/cases/resources/*.yaml "$tmp/tree/c/"
ln -s "$tmp/tree/missing.yaml" "$tmp/tree/a/dangling.yaml"
run "a folder with a dangling link" json "$tmp/tree"
grep -q 'dangling symbolic link' "$tmp/err1" || { echo "FAIL folder: the dangling link is not reported"; fail=1; }

# a file of many documents: its objects and indexes are built on threads
# too (from 4,096 documents), with documents that are not objects (their
# errors must keep their order) and Lists among them
awk 'BEGIN {
    for (i = 0; i < 6000; i++) {
        if (i) print "---"
        ns = sprintf("ns-%d", i % 300)
        if (i % 997 == 5) { print "- a sequence, not an object"; continue }
        if (i % 1499 == 7) {
            printf "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: in-list-%d, namespace: %s}}\n", i, ns
            continue
        }
        if (i % 3 == 0)
            printf "apiVersion: v1\nkind: Service\nmetadata:\n  name: s%d\n  namespace: %s\nspec:\n  selector: {app: a%d}\n  ports: [{port: 80, targetPort: http}]\n", i, ns, i % 7
        else
            printf "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\n  namespace: %s\n  labels: {app: a%d}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: a%d}}\n  template:\n    metadata: {labels: {app: a%d}}\n    spec:\n      containers: [{name: c, image: \"r/i:1\", ports: [{name: http, containerPort: 8080}]}]\n", i, ns, i % 7, i % 7, i % 7
    }
}' >"$tmp/many.yaml"
run "6,000 documents" json "$tmp/many.yaml"
grep -q '"objects":' "$tmp/out1" || { echo "FAIL 6,000 documents: no summary"; fail=1; }
grep -c 'not a Kubernetes object' "$tmp/err1" | grep -qx 7 ||
    { echo "FAIL 6,000 documents: want 7 non-object errors, got: $(grep -c 'not a Kubernetes object' "$tmp/err1")"; fail=1; }

[ "$fail" = 0 ] && echo "check threads: $n inputs and all together give the same output on 1, 3 and 8 threads"
exit "$fail"
