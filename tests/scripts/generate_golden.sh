#!/usr/bin/env bash
# Golden trees: every examples/specs/NAME.yaml generates exactly
# tests/golden/generate/NAME/ (byte-identical, every file), twice in a row.
#   bash tests/scripts/generate_golden.sh BUILD/kubearch
#   UPDATE=1 bash tests/scripts/generate_golden.sh BUILD/kubearch   # rewrite the goldens
set -u
bin=$(cd "$(dirname "${1:?usage: generate_golden.sh KUBEARCH}")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for spec in examples/specs/*.yaml; do
    name=$(basename "$spec" .yaml)
    out="$tmp/$name"
    if ! "$bin" generate "$spec" --dir "$out" -q >"$tmp/report" 2>&1; then
        echo "FAIL $name: generate failed"; cat "$tmp/report"; fail=1; continue
    fi
    # determinism: a second run into a fresh directory gives the same bytes
    "$bin" generate "$spec" --dir "$tmp/again" -q >/dev/null 2>&1
    if ! diff -r "$out" "$tmp/again" >/dev/null; then
        echo "FAIL $name: two runs differ"; fail=1
    fi
    rm -rf "$tmp/again"
    # idempotence: generating over the tree changes nothing
    if ! "$bin" generate "$spec" --dir "$out" >"$tmp/second" 2>&1 ||
        ! grep -q " 0 created, 0 updated, [0-9]* unchanged, 0 conflicts, 0 errors" "$tmp/second"; then
        echo "FAIL $name: second run is not a no-op"; tail -n 3 "$tmp/second"; fail=1
    fi
    golden=tests/golden/generate/$name
    if [ "${UPDATE:-0}" = 1 ]; then
        rm -rf "$golden"
        mkdir -p "$(dirname "$golden")"
        cp -r "$out" "$golden"
        echo "updated $golden"
        continue
    fi
    if ! diff -r -u "$golden" "$out" >"$tmp/diff"; then
        echo "FAIL $name: differs from $golden (UPDATE=1 to accept, after reading the diff)"
        head -n 60 "$tmp/diff"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "generate_golden: ok"
exit "$fail"
