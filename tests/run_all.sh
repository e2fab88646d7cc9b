#!/usr/bin/env bash
# The whole suite for each build folder given (e.g. build build/asan):
# unit tests (cmocka), data-driven cases, script tests (tests/scripts/*.sh,
# each run as SCRIPT KUBEARCH), then one closing line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
total_pass=0 total_fail=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for build in "$@"; do
    echo "== $build"
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        if "$t" >"$build/tests/$(basename "$t").log" 2>&1; then
            total_pass=$((total_pass + 1))
            echo "ok   unit $(basename "$t")"
        else
            total_fail=$((total_fail + 1))
            echo "FAIL unit $(basename "$t")"
            tail -n 30 "$build/tests/$(basename "$t").log"
        fi
    done
    out=$(tests/run_cases.sh "$build/kubearch" 2>&1)
    echo "$out" | grep -v '^cases:' | head -n 200
    line=$(echo "$out" | tail -n 1)
    p=$(echo "$line" | sed -n 's/^cases: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/^cases: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    echo "$line"
    total_pass=$((total_pass + ${p:-0}))
    total_fail=$((total_fail + ${f:-1}))
    for s in tests/scripts/*.sh; do
        [ -f "$s" ] || continue
        if bash "$s" "$build/kubearch" >"$build/$(basename "$s").log" 2>&1; then
            total_pass=$((total_pass + 1))
            echo "ok   script $(basename "$s")"
        else
            total_fail=$((total_fail + 1))
            echo "FAIL script $(basename "$s")"
            tail -n 30 "$build/$(basename "$s").log"
        fi
    done
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
