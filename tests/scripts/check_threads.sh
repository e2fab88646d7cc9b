#!/usr/bin/env bash
# The rules run on several threads; their findings are merged and sorted,
# so the output must not depend on how many. Checks every case input, and
# all of them at once (many objects, every set-rule task), with every rule
# and the scorecard, on 1, 3 and 8 threads: the outputs (JSON, text, SARIF)
# and exit codes must be byte-identical. An explicit -j uses the threads even
# for a small input (automatic mode waits for 1,024 objects).
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
[ "$fail" = 0 ] && echo "check threads: $n inputs and all together give the same output on 1, 3 and 8 threads"
exit "$fail"
