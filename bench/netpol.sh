#!/usr/bin/env bash
# bench/netpol.sh: `kubearch netpol` on a generated cluster dump of 10,000 pods
# in 1,000 namespaces with 5,000 NetworkPolicies (bench/gen_netpol.c), timed
# best of $BENCH_RUNS (default 3):
#
#   1. the full matrix grouped by equivalence class (--group class): the
#      target of issue 6 is at most 2 s;
#   2. the full matrix by endpoint (every allowed pod pair), text and JSON;
#   3. one question with --explain;
#   4. `kubearch check` of the NET-010.. rules on the same input.
#
# Environment: KUBEARCH (default build/kubearch), BENCH_DIR (default
# build/bench), BENCH_RUNS, NETPOL_PODS / NETPOL_NAMESPACES / NETPOL_POLICIES
# (defaults 10000 / 1000 / 5000), BENCH_STRICT=1 (exit 1 when the target is
# missed).
set -u
cd "$(dirname "$0")/.." || exit 2

KUBEARCH=${KUBEARCH:-build/kubearch}
BENCH_DIR=${BENCH_DIR:-build/bench}
RUNS=${BENCH_RUNS:-3}
PODS=${NETPOL_PODS:-10000}
NSS=${NETPOL_NAMESPACES:-1000}
POLS=${NETPOL_POLICIES:-5000}
CC_BENCH=${CC_BENCH:-cc}
TARGET=2.0

die() { echo "bench netpol: $*" >&2; exit 2; }
[ -x "$KUBEARCH" ] || die "$KUBEARCH not built (run make)"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
if [ ! -x "$BENCH_DIR/gen_netpol" ] || [ bench/gen_netpol.c -nt "$BENCH_DIR/gen_netpol" ]; then
    echo "  CC  bench/gen_netpol.c"
    $CC_BENCH -O2 -std=c11 -Wall -Wextra -o "$BENCH_DIR/gen_netpol" bench/gen_netpol.c ||
        die "cannot build bench/gen_netpol.c"
fi
INPUT=$BENCH_DIR/netpol-$PODS-$NSS-$POLS.yaml
if [ ! -s "$INPUT" ] || [ "$BENCH_DIR/gen_netpol" -nt "$INPUT" ]; then
    "$BENCH_DIR/gen_netpol" "$INPUT.tmp" "$PODS" "$NSS" "$POLS" && mv "$INPUT.tmp" "$INPUT" ||
        die "cannot generate $INPUT"
fi

GNU_TIME=/usr/bin/time
have_time=0
[ -x "$GNU_TIME" ] && "$GNU_TIME" -f %M true >/dev/null 2>&1 && have_time=1

# measure CMD...: best wall time of $RUNS runs in T (seconds), peak RSS in RSS
# (KiB, 0 without GNU time), exit code of the last run in RC.
now_ns() { date +%s%N; }
measure() {
    local best="" peak=0 i t0 t1 dt m
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now_ns)
        if [ "$have_time" = 1 ]; then
            "$GNU_TIME" -f %M -o "$BENCH_DIR/np-time.out" "$@" >"$BENCH_DIR/np-last.out" 2>"$BENCH_DIR/np-last.err"
            RC=$?
            m=$(tail -n 1 "$BENCH_DIR/np-time.out")
            case $m in *[!0-9]*|'') m=0 ;; esac
            [ "$m" -gt "$peak" ] && peak=$m
        else
            "$@" >"$BENCH_DIR/np-last.out" 2>"$BENCH_DIR/np-last.err"
            RC=$?
        fi
        t1=$(now_ns)
        dt=$((t1 - t0))
        if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then best=$dt; fi
    done
    T=$(awk -v n="$best" 'BEGIN { printf "%.3f", n / 1e9 }')
    RSS=$peak
}
row() { printf '  %-44s %9s %10s  %s\n' "$@"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo "== kubearch netpol bench ($(uname -m), $(nproc) CPUs), best of $RUNS runs"
echo "   input: $INPUT ($(awk -v b="$(stat -c %s "$INPUT")" 'BEGIN { printf "%.1f", b / 1048576 }') MiB:" \
     "$PODS pods, $NSS namespaces, $POLS policies)"
row "" "time (s)" "RSS (MiB)" "result"

measure "$KUBEARCH" netpol --group class "$INPUT"
[ "$RC" = 0 ] || die "netpol --group class exited $RC: $(head -n 3 "$BENCH_DIR/np-last.err")"
tc=$T
row "matrix by equivalence class (--group class)" "$T" "$(mib "$RSS")" "$(tail -n 1 "$BENCH_DIR/np-last.out")"

measure "$KUBEARCH" netpol "$INPUT"
row "matrix by endpoint (text)" "$T" "$(mib "$RSS")" "$(tail -n 1 "$BENCH_DIR/np-last.out")"

measure "$KUBEARCH" netpol -o json "$INPUT"
row "matrix by endpoint (-o json)" "$T" "$(mib "$RSS")" "$(wc -c <"$BENCH_DIR/np-last.out") bytes"

measure "$KUBEARCH" netpol --from app-0000/frontend-0 --to app-0000/backend-4 --port 9000 --explain "$INPUT"
row "one question with --explain" "$T" "$(mib "$RSS")" "$(head -n 1 "$BENCH_DIR/np-last.out")"

measure "$KUBEARCH" check -o json --rules NET-010,NET-011,NET-012,NET-013,NET-014,NET-015,NET-016 "$INPUT"
row "check NET-010..NET-016" "$T" "$(mib "$RSS")" "exit $RC"

echo
if awk -v v="$tc" -v l="$TARGET" 'BEGIN { exit !(v <= l) }'; then
    echo "  target: class matrix <= ${TARGET} s: $tc s ok"
else
    echo "  target: class matrix <= ${TARGET} s: $tc s MISSED"
    [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
