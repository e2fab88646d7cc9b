#!/usr/bin/env bash
# `kubearch simulate` on the command line: help, usage errors (exit 2),
# standard input, output formats, --explain forms, exit 1 for broken
# scenarios and --fail-unschedulable, and JSON that a JSON parser accepts.
set -u
bin=$(realpath "$1")
cd "$(dirname "$0")/../.."
cases=tests/cases/simulate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
t() { # t NAME EXPECTED_EXIT CMD...
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; head -5 "$tmp/err"
        fails=$((fails + 1))
    fi
}
has() { # has NAME PATTERN (in the last stdout+stderr)
    if ! grep -q -- "$2" "$tmp/out" "$tmp/err"; then
        echo "FAIL $1: output lacks '$2'"; fails=$((fails + 1))
    fi
}

t "help" 0 "$bin" simulate --help;               has "help" "Usage: kubearch simulate"
has "help" "--scheduler-config"; has "help" "each-zone"; has "help" "Exit codes"
t "help via kubearch help" 0 "$bin" help simulate; has "help via kubearch help" "Usage: kubearch simulate"
t "no input" 2 "$bin" simulate;                   has "no input" "no input"
t "bad option" 2 "$bin" simulate --frob x;        has "bad option" "unknown option --frob"
t "bad format" 2 "$bin" simulate -o xml "$cases/zone-loss.yaml"; has "bad format" "unknown output format"
t "bad fail" 2 "$bin" simulate --fail rack=1 "$cases/zone-loss.yaml"; has "bad fail" "--fail takes"
t "missing value" 2 "$bin" simulate "$cases/zone-loss.yaml" --scheduler-config; has "missing value" "needs a value"
t "missing config" 2 "$bin" simulate --scheduler-config /no/such.yaml "$cases/zone-loss.yaml"
has "missing config" "/no/such.yaml"
t "missing file" 2 "$bin" simulate /no/such/input.yaml

# standard input, and the same result as the file
"$bin" simulate - <"$cases/message-six-nodes.yaml" >/dev/null 2>&1 ||
    { echo "FAIL stdin: nonzero exit"; fails=$((fails + 1)); }
"$bin" simulate - <"$cases/message-six-nodes.yaml" >"$tmp/a" 2>/dev/null
"$bin" simulate "$cases/message-six-nodes.yaml" >"$tmp/b" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL stdin: differs from the file"; fails=$((fails + 1)); }

# exit codes
t "broken scenario" 1 "$bin" simulate --fail zone=a "$cases/zone-loss.yaml"
t "healthy scenario" 0 "$bin" simulate --fail node=cp-b "$cases/zone-loss.yaml"
t "unschedulable is not a failure" 0 "$bin" simulate "$cases/message-six-nodes.yaml"
t "fail-unschedulable" 1 "$bin" simulate --fail-unschedulable "$cases/message-six-nodes.yaml"

# --explain forms: all pods, one pod (ns/name, name, =value)
"$bin" simulate -o json --explain "$cases/message-six-nodes.yaml" >"$tmp/all" 2>/dev/null
n=$(grep -c '"nodes":\[{"node"' "$tmp/all")
[ "$n" = 6 ] || { echo "FAIL explain all: $n pods explained, want 6"; fails=$((fails + 1)); }
for form in "--explain shop/web-0" "--explain web-0" "--explain=shop/web-0"; do
    # shellcheck disable=SC2086
    "$bin" simulate -o json $form "$cases/message-six-nodes.yaml" >"$tmp/one" 2>/dev/null
    n=$(grep -c '"nodes":\[{"node"' "$tmp/one")
    [ "$n" = 1 ] || { echo "FAIL $form: $n pods explained, want 1"; fails=$((fails + 1)); }
done
t "explain text" 0 "$bin" simulate --explain shop/web-0 "$cases/message-six-nodes.yaml"
has "explain text" "Explain shop/web-0"; has "explain text" "<- chosen"

# machine output parses, and YAML carries the same keys
if command -v python3 >/dev/null 2>&1; then
    for f in zone-loss message-six-nodes spec-zone-loss; do
        "$bin" simulate -o json --fail each-zone --explain "$cases/$f.yaml" >"$tmp/j" 2>/dev/null
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert {"pods","nodes","pools","zones","scenarios","summary"} <= set(d), d.keys(); p=d["pods"][0]; assert list(p)[:4]==["pod","workload","node","message"], p' "$tmp/j" ||
            { echo "FAIL json $f"; fails=$((fails + 1)); }
        if python3 -c 'import yaml' 2>/dev/null; then
            "$bin" simulate -o yaml --fail each-zone "$cases/$f.yaml" >"$tmp/y" 2>/dev/null
            "$bin" simulate -o json --fail each-zone "$cases/$f.yaml" >"$tmp/j2" 2>/dev/null
            python3 -c 'import json,yaml,sys; a=yaml.safe_load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a==b' "$tmp/y" "$tmp/j2" ||
                { echo "FAIL yaml $f differs from json"; fails=$((fails + 1)); }
        fi
    done
fi

# --stats goes to standard error only
"$bin" simulate --stats "$cases/zone-loss.yaml" >"$tmp/out" 2>"$tmp/err"
grep -q "scheduling took" "$tmp/err" || { echo "FAIL stats: no timing on stderr"; fails=$((fails + 1)); }
grep -q "scheduling took" "$tmp/out" && { echo "FAIL stats: timing on stdout"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "simulate_cli: all passed"
[ "$fails" -eq 0 ]
