#!/usr/bin/env bash
# Data-driven cases: every tests/cases/**/NAME.{yaml,yml,json} whose first
# lines hold "# args: ARGS" (or that has a NAME.args file beside it) is run as
#   KUBEARCH ARGS [INPUT]   (the input path is appended unless ARGS holds $IN)
# from the project root, and its stdout, stderr and exit code are compared with
# NAME.expected. UPDATE=1 rewrites the expected files instead.
# Usage: tests/run_cases.sh BUILD/kubearch [CASE_FILTER]
set -u
bin=${1:?usage: run_cases.sh KUBEARCH [FILTER]}
filter=${2:-}
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_case() {
    local input=$1 base=${1%.*} args=""
    if [ -f "$base.args" ]; then
        args=$(head -n 1 "$base.args")
    else
        args=$(head -n 3 "$input" | sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' | sed -n 's/^# args: //p' | head -n 1)
    fi
    [ -n "$args" ] || return 0
    if [[ $args == *'$IN'* ]]; then
        args=${args//\$IN/$input}
    else
        args="$args $input"
    fi
    local out="$tmp/out" err="$tmp/err" got="$tmp/got"
    # shellcheck disable=SC2086
    (eval "set -- $args"; NO_COLOR=1 "$bin" "$@" >"$out" 2>"$err" </dev/null; echo $? >"$tmp/rc")
    {
        cat "$out"
        if [ -s "$err" ]; then echo "--- stderr"; cat "$err"; fi
        echo "--- exit $(cat "$tmp/rc")"
    } >"$got"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$got" "$base.expected"
        pass=$((pass + 1))
        return 0
    fi
    if [ -f "$base.expected" ] && cmp -s "$got" "$base.expected"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $input ($args)"
        if [ -f "$base.expected" ]; then
            diff -u "$base.expected" "$got" | head -n 40
        else
            echo "  (no $base.expected; run with UPDATE=1 and review it)"
        fi
    fi
}

while IFS= read -r -d '' f; do
    case $f in *"$filter"*) run_case "$f" ;; esac
done < <(find tests/cases -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)

echo "cases: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
