#!/usr/bin/env bash
# Inputs that once crashed the loader fuzzer (fuzz/regress/fuzz_load/*) must
# now be checked cleanly: `check --enable-all` (in every output format) exits
# 0, 1 or 2 (findings and input errors are fine) within 60 seconds and prints
# no sanitizer report.
# Usage: bash tests/scripts/fuzz_regress.sh BUILD/kubearch
set -u
bin=${1:?usage: fuzz_regress.sh KUBEARCH}
cd "$(dirname "$0")/../.." || exit 2
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for f in fuzz/regress/fuzz_load/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    for fmt in text json yaml sarif junit; do
        timeout 60 "$bin" check --enable-all --no-config -o "$fmt" "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
        rc=$?
        if [ "$rc" -gt 2 ] || grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$tmp/err"; then
            bad=$((bad + 1))
            if [ "$rc" -eq 124 ]; then echo "FAIL $f (-o $fmt): timed out"; else echo "FAIL $f (-o $fmt): exit $rc"; fi
            head -n 20 "$tmp/err"
            break
        fi
    done
done
echo "fuzz regressions: $n inputs, $bad failed"
[ "$bad" -eq 0 ]
