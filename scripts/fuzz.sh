#!/usr/bin/env bash
# make fuzz: bounded libFuzzer runs of every fuzz/fuzz_*.c entry point.
#
# Each fuzzer is built with clang -fsanitize=fuzzer,address,undefined against
# the library sources themselves (the Makefile's LIB_SRC: src/{core,k8s,check,
# out,...}/*.c, compiled with the same sanitizers; not build/libkubearch.a),
# then
#   1. replays every saved crash in fuzz/regress/<fuzzer>/ (they must pass now),
#   2. fuzzes for FUZZ_SECONDS (default 60) from build/fuzz/corpus/<fuzzer>/,
#      seeded with fuzz/seeds/<fuzzer>/, fuzz/regress/<fuzzer>/ and, for the
#      loader, every YAML/JSON file of tests/cases and examples.
# A crash, sanitizer report, leak or timeout fails the run; its input is
# copied to fuzz/regress/<fuzzer>/ (FUZZ_KEEP=0: left in build/fuzz/artifacts)
# so that it stays a regression case.
#
# Environment: FUZZ_SECONDS (per fuzzer), FUZZERS ("fuzz_load fuzz_quantity"),
# FUZZ_TIMEOUT (seconds per input, default 10), FUZZ_JOBS (parallel compiles),
# FUZZ_BUILD (default build/fuzz), FUZZ_KEEP, CLANG (default clang), FUZZ_SAN
# (sanitizer flags, e.g. to step over a known report while hunting for others;
# better in another FUZZ_BUILD, so that the default objects and corpus stay).
set -u
cd "$(dirname "$0")/.." || exit 2

SECS=${FUZZ_SECONDS:-60}
TIMEOUT=${FUZZ_TIMEOUT:-10}
OUT=${FUZZ_BUILD:-build/fuzz}
CLANG=${CLANG:-clang}
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
KEEP=${FUZZ_KEEP:-1}
SAN=${FUZZ_SAN:-"-fsanitize=address,undefined -fno-sanitize-recover=all"}
CFLAGS_F="-std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L"

die() { echo "fuzz: $*" >&2; exit 2; }

# ---- toolchain: clang and the libFuzzer runtime (libclang-rt-14-dev) ---------
probe_fuzzer_runtime() {
    local t
    t=$(mktemp -d) || return 1
    printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$t/p.c"
    "$CLANG" -fsanitize=fuzzer,address,undefined "$t/p.c" -o "$t/p" >/dev/null 2>&1
    local rc=$?
    rm -rf "$t"
    return $rc
}
if ! command -v "$CLANG" >/dev/null 2>&1 || ! probe_fuzzer_runtime; then
    echo "fuzz: clang or its libFuzzer runtime is missing; running scripts/setup"
    scripts/setup || die "scripts/setup failed"
    probe_fuzzer_runtime || die "$CLANG cannot link -fsanitize=fuzzer (install libclang-rt-14-dev)"
fi

# ---- build ----------------------------------------------------------------------
# The library sources are the Makefile's LIB_SRC (so SKIP=... works here too),
# plus the weak rule placeholders it generates with scripts/gen_pending.py.
mkdir -p "$OUT/obj" "$OUT/gen" || die "cannot create $OUT"
# objects built with other flags are rebuilt
if [ "$(cat "$OUT/flags" 2>/dev/null)" != "$CLANG $CFLAGS_F $SAN" ]; then
    rm -f "$OUT"/obj/*.o
    echo "$CLANG $CFLAGS_F $SAN" >"$OUT/flags"
fi
read -r -a lib_src < <(make --no-print-directory -s -f Makefile -f - fuzz-print-lib-src 2>/dev/null <<<$'fuzz-print-lib-src:\n\t@echo $(LIB_SRC)')
if [ "${#lib_src[@]}" -eq 0 ]; then
    lib_src=()
    for s in src/*/*.c; do case $s in src/cli/*) ;; *) lib_src+=("$s") ;; esac; done
fi
if [ -f scripts/gen_pending.py ]; then
    python3 scripts/gen_pending.py "$OUT/gen/rules_pending.c.tmp" || die "scripts/gen_pending.py failed"
    if cmp -s "$OUT/gen/rules_pending.c.tmp" "$OUT/gen/rules_pending.c"; then
        rm -f "$OUT/gen/rules_pending.c.tmp"
    else
        mv "$OUT/gen/rules_pending.c.tmp" "$OUT/gen/rules_pending.c"
    fi
    lib_src+=("$OUT/gen/rules_pending.c")
fi
echo "fuzz: compiling ${#lib_src[@]} library sources with $CLANG ($SAN)"
export CLANG CFLAGS_F SAN OUT
# shellcheck disable=SC2016
printf '%s\0' "${lib_src[@]}" | xargs -0 -P "$JOBS" -n 1 sh -c '
    src=$1; obj=$OUT/obj/$(echo "$src" | tr / _ | sed "s/\.c$/.o/")
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find include src -name "*.h" -newer "$obj" 2>/dev/null | head -n 1)" ] || [ -n "$(find src -name "*.def" -newer "$obj" 2>/dev/null | head -n 1)" ]; then
        $CLANG $CFLAGS_F $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || exit 255
    fi' sh || die "library compilation failed"
lib_obj=()
for s in "${lib_src[@]}"; do lib_obj+=("$OUT/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"); done
# objects of sources that no longer exist must not be linked
for o in "$OUT"/obj/*.o; do
    keep=0
    for k in "${lib_obj[@]}"; do [ "$o" = "$k" ] && keep=1 && break; done
    [ "$keep" = 1 ] || rm -f "$o"
done

if [ -n "${FUZZERS:-}" ]; then
    read -r -a fuzzers <<<"$FUZZERS"
else
    fuzzers=()
    for f in fuzz/fuzz_*.c; do fuzzers+=("$(basename "$f" .c)"); done
fi
[ "${#fuzzers[@]}" -gt 0 ] || die "no fuzz/fuzz_*.c"

for f in "${fuzzers[@]}"; do
    [ -f "fuzz/$f.c" ] || die "no fuzz/$f.c"
    echo "fuzz: linking $OUT/$f"
    # shellcheck disable=SC2086
    "$CLANG" $CFLAGS_F $SAN -fsanitize=fuzzer "fuzz/$f.c" "${lib_obj[@]}" -lyaml -lm -o "$OUT/$f" ||
        die "cannot build $f"
done

# ---- seeds ------------------------------------------------------------------------
seed_dir=$OUT/seeds/fuzz_load
rm -rf "$seed_dir"
mkdir -p "$seed_dir"
while IFS= read -r -d '' s; do
    cp "$s" "$seed_dir/$(echo "$s" | tr '/' '_')"
done < <(find tests/cases examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k -print0 2>/dev/null)

max_len_of() {
    case $1 in
        fuzz_quantity) echo "${FUZZ_MAX_LEN:-512}" ;;
        fuzz_selector) echo "${FUZZ_MAX_LEN:-4096}" ;;
        *) echo "${FUZZ_MAX_LEN:-16384}" ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---- run --------------------------------------------------------------------------
failed=0
summary=()
for f in "${fuzzers[@]}"; do
    bin=$OUT/$f
    regress=fuzz/regress/$f
    corpus=$OUT/corpus/$f
    art=$OUT/artifacts/$f
    log=$OUT/$f.log
    mkdir -p "$corpus" "$art"
    rm -f "$art"/*

    # 1. saved crashes must not crash any more
    mapfile -t saved < <(find "$regress" -maxdepth 1 -type f ! -name '*.md' ! -name 'README*' 2>/dev/null | sort)
    if [ "${#saved[@]}" -gt 0 ]; then
        if "$bin" -timeout="$TIMEOUT" -rss_limit_mb=2048 "${saved[@]}" >"$OUT/$f.regress.log" 2>&1; then
            echo "fuzz: $f: ${#saved[@]} regression inputs pass"
        else
            echo "fuzz: $f: a regression input fails again:"
            grep -E 'ERROR|runtime error|Running:|SUMMARY' "$OUT/$f.regress.log" | head -n 20
            failed=1
            summary+=("$(printf '%-15s REGRESSION FAILED (see %s)' "$f" "$OUT/$f.regress.log")")
            continue
        fi
    fi

    # 2. bounded fuzzing
    seeds=()
    [ -d "fuzz/seeds/$f" ] && seeds+=("fuzz/seeds/$f")
    [ "${#saved[@]}" -gt 0 ] && seeds+=("$regress")
    [ "$f" = fuzz_load ] && seeds+=("$seed_dir")
    dict=()
    [ -f "fuzz/$f.dict" ] && dict=(-dict="fuzz/$f.dict")
    echo "fuzz: $f for ${SECS}s (corpus $corpus, log $log)"
    "$bin" -max_total_time="$SECS" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
        -max_len="$(max_len_of "$f")" -print_final_stats=1 -artifact_prefix="$art/" \
        "${dict[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p')
    if [ "$rc" -eq 0 ]; then
        summary+=("$(printf '%-15s ok     %10s execs %7s exec/s  %s  peak RSS %s MB' "$f" "${execs:-?}" "${rate:-?}" "${cov:-}" "${rss:-?}")")
    else
        failed=1
        echo "fuzz: $f FAILED (exit $rc):"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|ALARM|fuzz_[a-z]+: check failed)' "$log" | head -n 10
        grep -E '^    #[0-9]+ ' "$log" | head -n 12
        for a in "$art"/*; do
            [ -f "$a" ] || continue
            if [ "$KEEP" = 1 ]; then
                mkdir -p "$regress"
                cp "$a" "$regress/" && echo "fuzz: kept $regress/$(basename "$a")"
            else
                echo "fuzz: input in $a"
            fi
        done
        summary+=("$(printf '%-15s FAILED (exit %s) after %s execs, see %s' "$f" "$rc" "${execs:-?}" "$log")")
    fi
done

echo
echo "fuzz summary (${SECS}s each):"
printf '  %s\n' "${summary[@]}"
[ "$failed" -eq 0 ]
