#!/usr/bin/env bash
# The generated NetworkPolicies allow exactly the flows of the spec: for every
# cluster of every example, `kubearch netpol --expect` confirms each ordered
# pair of workloads (allowed on the tier port, denied on other ports, denied
# across namespaces and from/to the outside), and the full matrix has exactly
# as many allowed pairs as the spec has flows.
#   bash tests/scripts/generate_netpol.sh BUILD/kubearch
set -u
bin=$(cd "$(dirname "${1:?usage: generate_netpol.sh KUBEARCH}")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 2
if ! "$bin" netpol --help >/dev/null 2>&1; then
    echo "generate_netpol: kubearch netpol not available in this build; skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 clusters=0
for spec in examples/specs/*.yaml; do
    name=$(basename "$spec" .yaml)
    out="$tmp/$name"
    "$bin" generate "$spec" --dir "$out" -q >/dev/null 2>&1 || { echo "FAIL $name: generate"; fail=1; continue; }
    for dir in "$out"/clusters/*/; do
        c=$(basename "$dir")
        clusters=$((clusters + 1))
        "$bin" generate "$spec" --flows "$c" >"$tmp/flows.yaml" || { echo "FAIL $name/$c: --flows"; fail=1; continue; }
        if ! "$bin" netpol --external 203.0.113.10 --expect "$tmp/flows.yaml" "$dir" >"$tmp/expect" 2>&1; then
            echo "FAIL $name/$c: the policies do not give the spec's flows"
            grep -v "^ok " "$tmp/expect" | head -n 20
            fail=1
        fi
        want=$(grep -c "allowed: true" "$tmp/flows.yaml")
        got=$("$bin" netpol -o json "$dir" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["connections"]))' 2>/dev/null)
        if [ -n "$got" ] && [ "$got" != "$want" ]; then
            echo "FAIL $name/$c: the matrix allows $got pairs, the spec has $want flows"; fail=1
        fi
    done
done
[ "$fail" = 0 ] && echo "generate_netpol: ok ($clusters clusters)"
exit "$fail"
