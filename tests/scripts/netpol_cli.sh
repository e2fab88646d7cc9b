#!/usr/bin/env bash
# kubearch netpol on the command line: help, usage errors (exit 2), exit codes
# of questions / --expect / diff, standard input, JSON that parses, CSV and dot
# shapes, and the same matrix from a file, a directory and stdin.
set -u
bin=$(realpath "$1")
cd "$(dirname "$0")/../.."
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
T=tests/cases/netpol/tiers.yaml
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
json_ok() { # json_ok NAME: the last stdout is one JSON document
    if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null; then
        echo "FAIL $1: stdout is not JSON"; fails=$((fails + 1))
    fi
}

t "help" 0 "$bin" netpol --help;                     has "help" "Usage: kubearch netpol"
has "help explains endpoints" "ns/Kind/name"
has "help explains exit codes" "Exit codes"
t "help via kubearch help" 0 "$bin" help netpol;     has "help via kubearch help" "--ipblock-pod-ips"
t "no input" 2 "$bin" netpol;                        has "no input" "no input"
t "bad option" 2 "$bin" netpol --frob $T;            has "bad option" "unknown option --frob"
t "missing value" 2 "$bin" netpol $T --from;         has "missing value" "needs a value"
t "bad format" 2 "$bin" netpol -o xml $T;            has "bad format" "unknown output format"
t "bad external" 2 "$bin" netpol --external 10.0.0.0/40 $T; has "bad external" "IP address or a CIDR"
t "bad ipblock knob" 2 "$bin" netpol --ipblock-pod-ips maybe $T
t "bad host-network" 2 "$bin" netpol --host-network bridge $T
t "bad group" 2 "$bin" netpol --group pod $T
t "from without to" 2 "$bin" netpol --from shop/Deployment/frontend $T; has "from without to" "both --from and --to"
t "explain alone" 2 "$bin" netpol --explain $T;       has "explain alone" "need --from and --to"
t "bad port" 2 "$bin" netpol --from a --to b --port 99999 $T; has "bad port" "--port takes"
t "question csv" 2 "$bin" netpol -o csv --from shop/Deployment/frontend --to shop/Deployment/backend $T
t "expect and from" 2 "$bin" netpol --expect x --from a --to b $T
t "missing file" 2 "$bin" netpol does/not/exist.yaml; has "missing file" "does/not/exist.yaml"
t "missing flows" 2 "$bin" netpol --expect does/not/exist.flows $T
t "diff one arg" 2 "$bin" netpol diff $T;            has "diff one arg" "two versions"
t "diff help" 0 "$bin" netpol diff --help;           has "diff help" "netpol diff"

# questions: 0 allowed, 1 denied
t "allowed" 0 "$bin" netpol --from shop/Deployment/frontend --to shop/Deployment/backend --port 9000 $T
has "allowed" "allowed"
t "denied" 1 "$bin" netpol --from shop/Deployment/frontend --to shop/StatefulSet/postgres $T
t "named port missing" 1 "$bin" netpol --from shop/Deployment/frontend --to shop/Deployment/backend --port nope $T
has "named port missing" "no such named port"

# JSON documents parse, with the exact top-level shape
t "json matrix" 0 "$bin" netpol -o json --external 203.0.113.10 $T; json_ok "json matrix"
python3 - "$tmp/out" <<'EOF' || { echo "FAIL json shape"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["connections"], d.keys()
for c in d["connections"]:
    assert list(c) == ["from", "to", "ports"], c
    assert c["ports"] == "all" or all(set(p) <= {"protocol", "port", "endPort"} for p in c["ports"]), c
EOF
t "json class" 0 "$bin" netpol -o json --group class $T; json_ok "json class"
t "json question" 0 "$bin" netpol -o json --explain --from shop/Deployment/frontend --to shop/Deployment/backend $T
json_ok "json question"
t "json expect" 1 "$bin" netpol -o json --expect tests/cases/netpol/tiers-broken.flows.in $T; json_ok "json expect"
t "json diff" 1 "$bin" netpol diff -o json $T tests/cases/netpol/diff-after.yaml; json_ok "json diff"

# csv: a header and three fields per line
t "csv" 0 "$bin" netpol -o csv $T
if ! awk -F, 'NR == 1 && $0 != "from,to,ports" { exit 1 } NF != 3 { exit 1 }' "$tmp/out"; then
    echo "FAIL csv shape"; fails=$((fails + 1))
fi
# dot: one digraph, balanced braces
t "dot" 0 "$bin" netpol -o dot $T
if [ "$(grep -c '{' "$tmp/out")" != "$(grep -c '}' "$tmp/out")" ] || ! head -1 "$tmp/out" | grep -q '^digraph'; then
    echo "FAIL dot shape"; fails=$((fails + 1))
fi
if command -v dot >/dev/null 2>&1 && ! dot -Tsvg "$tmp/out" >/dev/null 2>&1; then
    echo "FAIL dot: graphviz rejects it"; fails=$((fails + 1))
fi

# the same matrix from a file, a directory and standard input
"$bin" netpol $T >"$tmp/file" 2>&1
mkdir -p "$tmp/dir" && cp $T "$tmp/dir/m.yaml"
"$bin" netpol "$tmp/dir" >"$tmp/dir.out" 2>&1
"$bin" netpol - <$T >"$tmp/stdin" 2>&1
cmp -s "$tmp/file" "$tmp/dir.out" || { echo "FAIL file vs directory"; fails=$((fails + 1)); }
cmp -s "$tmp/file" "$tmp/stdin" || { echo "FAIL file vs stdin"; fails=$((fails + 1)); }

# bad YAML: file:line:col, exit 2, the rest still analysed
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n' >"$tmp/bad.yaml"
t "bad yaml" 2 "$bin" netpol $T "$tmp/bad.yaml"; has "bad yaml" "bad.yaml:[0-9]*:[0-9]*: error"
has "bad yaml still answers" "ordered pairs allowed"

# deterministic: twice the same bytes
"$bin" netpol -o json --external 0.0.0.0/0 tests/cases/netpol >"$tmp/a" 2>/dev/null
"$bin" netpol -o json --external 0.0.0.0/0 tests/cases/netpol >"$tmp/b" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL nondeterministic output"; fails=$((fails + 1)); }

# the class matrix and the endpoint matrix agree on a generated cluster
if command -v cc >/dev/null 2>&1 && cc -O2 -std=c11 -o "$tmp/gen" bench/gen_netpol.c 2>/dev/null; then
    "$tmp/gen" "$tmp/gen.yaml" 300 30 150
    t "generated" 0 "$bin" netpol "$tmp/gen.yaml"; has "generated" "300 endpoints"
    t "generated class" 0 "$bin" netpol --group class "$tmp/gen.yaml"; has "generated class" "classes of 300 endpoints"
fi

echo "netpol_cli: $fails failures"
[ "$fails" -eq 0 ]
