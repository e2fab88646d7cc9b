#!/usr/bin/env bash
# Documents are parsed in runs; a run that meets a syntax error is parsed
# again a document at a time. That must cost the run once, not once per
# document after the error: 20,000 small documents with a syntax error in
# every 2,000th load in well under a second (a quadratic retry took a
# minute). Checks the input errors are all reported, each once, and that
# the other documents are all there.
# Usage: bash tests/scripts/load_errors_linear.sh BUILD/kubearch
set -u
bin=${1:?usage: load_errors_linear.sh KUBEARCH}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk 'BEGIN {
    for (i = 0; i < 20000; i++) {
        if (i) print "---"
        printf "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: ns\ndata:\n  k: v\n", i
        if (i % 2000 == 1999) print "bad: ["
    }
}' >"$tmp/in.yaml"
timeout 30 "$bin" check --no-config --rules META-005 "$tmp/in.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
fail=0
[ "$rc" = 2 ] || { echo "exit $rc, want 2 (timeout is 124)"; fail=1; }
n=$(grep -c 'syntax error' "$tmp/err")
[ "$n" = 10 ] || { echo "$n syntax errors reported, want 10"; fail=1; }
grep -q '^1 file, 19990 objects: .*10 input errors$' "$tmp/out" ||
    { echo "summary: $(tail -n 1 "$tmp/out")"; fail=1; }
[ "$fail" = 0 ] && echo "load errors linear: ok"
exit "$fail"
