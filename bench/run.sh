#!/usr/bin/env bash
# make bench: kubearch against a bare libyaml event parse of the same input,
# measured in the same run.
#
#   1. a generated file of 40,000 Deployments + 40,000 Services (~75 MB,
#      bench/gen_workloads.c), and
#   2. the real-world corpus ../shared/corpus/files (when present),
#
# each timed best of $BENCH_RUNS rounds (default 3; a round runs every command
# once) for: the bare parse
# (bench/yaml_parse.c), `kubearch check -o json`, and `kubearch check` (text).
# Peak RSS comes from GNU time (%M). Targets (from the issue): check time
# <= 1.5 x the bare parse, peak RSS <= 3 x the input size.
#
# Environment: KUBEARCH (default build/kubearch), BENCH_DIR (default
# build/bench), BENCH_RUNS, BENCH_DEPLOYMENTS (default 40000), BENCH_CORPUS
# (default ../shared/corpus/files), BENCH_STRICT=1 (exit 1 when a target is
# missed), BENCH_INSTR=1 (also count instructions with callgrind: steady on a
# busy machine, where times are not).
set -u
cd "$(dirname "$0")/.." || exit 2

KUBEARCH=${KUBEARCH:-build/kubearch}
BENCH_DIR=${BENCH_DIR:-build/bench}
RUNS=${BENCH_RUNS:-3}
NDEPLOY=${BENCH_DEPLOYMENTS:-40000}
CORPUS=${BENCH_CORPUS:-../shared/corpus/files}
[ -d "$CORPUS" ] || CORPUS=/work/shared/corpus/files
CC_BENCH=${CC_BENCH:-cc}
missed=0

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$KUBEARCH" ] || die "$KUBEARCH not built (run make)"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"

# ---- helpers, built with cc -O2 from bench/*.c ----------------------------
build_helper() {
    local name=$1; shift
    if [ ! -x "$BENCH_DIR/$name" ] || [ "bench/$name.c" -nt "$BENCH_DIR/$name" ]; then
        echo "  CC  bench/$name.c"
        $CC_BENCH -O2 -std=c11 -Wall -Wextra -o "$BENCH_DIR/$name" "bench/$name.c" "$@" ||
            die "cannot build bench/$name.c"
    fi
}
build_helper gen_workloads
build_helper yaml_parse -lyaml

. bench/measure.sh # measure CMD... sets T (wall), C (CPU), RSS and RC
[ "$have_gnu_time" = 1 ] ||
    echo "bench: GNU time (/usr/bin/time, Debian package 'time') missing: peak RSS not measured"

# ---- input ------------------------------------------------------------------
INPUT=$BENCH_DIR/workloads-$NDEPLOY.yaml
if [ ! -s "$INPUT" ] || [ "$BENCH_DIR/gen_workloads" -nt "$INPUT" ]; then
    "$BENCH_DIR/gen_workloads" "$INPUT.tmp" "$NDEPLOY" && mv "$INPUT.tmp" "$INPUT" ||
        die "cannot generate $INPUT"
fi

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b > 0) printf f, a / b; else printf "n/a" }'; }
# verdict VALUE LIMIT: sets V to "ok" or "MISSED" (and records the miss);
# not run in a subshell so that the miss is remembered
verdict() {
    if awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }'; then V=ok; else missed=1; V=MISSED; fi
}

row() { printf '  %-28s %8s %8s %9s %9s %10s %11s\n' "$@"; }
header() { row "" "wall s" "cpu s" "wall/prs" "cpu/prs" "RSS MiB" "$1"; }

kubearch_objects() { # objects counted by kubearch in the summary line of the text output
    NO_COLOR=1 "$KUBEARCH" check --no-hints "$@" 2>/dev/null | tail -n 1 |
        sed -n 's/.* \([0-9][0-9]*\) objects\{0,1\}:.*/\1/p'
}

echo "== kubearch bench ($(uname -m), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   libyaml $(dpkg-query -W -f='${Version}' libyaml-0-2 2>/dev/null || echo '?'); best of $RUNS rounds (each runs every"
echo "   command once, so a busy spell of the machine touches them alike); cpu = user + sys;"
echo "   peak RSS by GNU time; the time target is judged on elapsed (wall) time, which is what"
echo "   \"check takes\" means to its user: check parses a folder's files, or a large file, and"
echo "   runs its rules on one thread per CPU (-j, at most 8); CPU time (all threads) and a"
echo "   one-thread run (-j1) are shown beside it"

# ---- 1. the generated file ----------------------------------------------------
bytes=$(stat -c %s "$INPUT")
in_kib=$((bytes / 1024))
objects=$(kubearch_objects "$INPUT")
objects=${objects:-0}
echo
echo "== generated: $INPUT ($(mib "$in_kib") MiB, $objects objects)"
header "RSS/input"

# in rounds (bench/measure.sh): each round runs every command once
for ((round = 0; round < RUNS; round++)); do
    measure_once parse "$BENCH_DIR/yaml_parse" "$INPUT"
    [ "$RC" = 0 ] || die "bare parse failed: $(head -n 3 "$BENCH_DIR/last.err")"
    measure_once json "$KUBEARCH" check -o json "$INPUT"
    [ "$RC" -le 1 ] || die "kubearch check -o json exited $RC: $(head -n 3 "$BENCH_DIR/last.err")"
    measure_once text env NO_COLOR=1 "$KUBEARCH" check "$INPUT"
    [ "$RC" -le 1 ] || die "kubearch check exited $RC: $(head -n 3 "$BENCH_DIR/last.err")"
    measure_once one "$KUBEARCH" check -o json -j1 "$INPUT"
    [ "$RC" -le 1 ] || die "kubearch check -o json -j1 exited $RC: $(head -n 3 "$BENCH_DIR/last.err")"
done
measured parse
tp=$T cp=$C rp=$RSS
row "libyaml bare event parse" "$tp" "$cp" "1.00" "1.00" "$(mib "$rp")" "$(div "$rp" "$in_kib")"
measured json
tj=$T cj=$C rj=$RSS
row "kubearch check -o json" "$tj" "$cj" "$(div "$tj" "$tp")" "$(div "$cj" "$cp")" "$(mib "$rj")" "$(div "$rj" "$in_kib")"
measured text
tt=$T ct=$C rt=$RSS
row "kubearch check (text)" "$tt" "$ct" "$(div "$tt" "$tp")" "$(div "$ct" "$cp")" "$(mib "$rt")" "$(div "$rt" "$in_kib")"
measured one
t1=$T c1=$C r1=$RSS
row "kubearch check -o json -j1" "$t1" "$c1" "$(div "$t1" "$tp")" "$(div "$c1" "$cp")" "$(mib "$r1")" "$(div "$r1" "$in_kib")"

echo
printf '  objects/s (wall): check -o json %s, text %s;  MB/s (wall): parse %s, check -o json %s\n' \
    "$(div "$objects" "$tj" %.0f)" "$(div "$objects" "$tt" %.0f)" \
    "$(div "$((bytes / 1000000))" "$tp" %.1f)" "$(div "$((bytes / 1000000))" "$tj" %.1f)"
ratio_j=$(div "$tj" "$tp") ratio_t=$(div "$tt" "$tp")
verdict "$ratio_j" 1.5; vj=$V
verdict "$ratio_t" 1.5; vt=$V
echo "  target check <= 1.5 x parse (wall): json $ratio_j $vj, text $ratio_t $vt"
echo "  (not judged) cpu, all threads:      json $(div "$cj" "$cp"), text $(div "$ct" "$cp");  one thread (-j1): wall $(div "$t1" "$tp"), cpu $(div "$c1" "$cp")"
if [ "$have_gnu_time" = 1 ]; then
    mr_j=$(div "$rj" "$in_kib") mr_t=$(div "$rt" "$in_kib")
    verdict "$mr_j" 3; vj=$V
    verdict "$mr_t" 3; vt=$V
    echo "  target peak RSS <= 3 x input:       json $mr_j $vj, text $mr_t $vt"
fi

# ---- 2. the real-world corpus ---------------------------------------------------
echo
if [ -d "$CORPUS" ]; then
    # the files kubearch reads from a directory: *.yaml, *.yml, *.json, no hidden entries
    mapfile -d '' files < <(find "$CORPUS" \( -name '.*' -prune \) -o -type f \
        \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)
    nfiles=${#files[@]}
    cbytes=$(cat "${files[@]}" | wc -c)
    c_kib=$((cbytes / 1024))
    cobjects=$(kubearch_objects "$CORPUS")
    cobjects=${cobjects:-0}
    echo "== corpus: $CORPUS ($nfiles files, $(mib "$c_kib") MiB, $cobjects objects)"
    header "files/s"
    for ((round = 0; round < RUNS; round++)); do
        measure_once cparse "$BENCH_DIR/yaml_parse" "${files[@]}"
        measure_once cjson "$KUBEARCH" check -o json "$CORPUS"
        measure_once ctext env NO_COLOR=1 "$KUBEARCH" check "$CORPUS"
    done
    measured cparse
    pp_t=$T pp_c=$C pp_r=$RSS
    [ "$RC" = 0 ] || echo "  (bare parse: libyaml stopped on $(wc -l <"$BENCH_DIR/last.err") files with syntax errors)"
    row "libyaml bare event parse" "$pp_t" "$pp_c" "1.00" "1.00" "$(mib "$pp_r")" "$(div "$nfiles" "$pp_t" %.0f)"
    measured cjson
    cj_t=$T cj_c=$C cj_r=$RSS cj_rc=$RC
    row "kubearch check -o json" "$cj_t" "$cj_c" "$(div "$cj_t" "$pp_t")" "$(div "$cj_c" "$pp_c")" "$(mib "$cj_r")" "$(div "$nfiles" "$cj_t" %.0f)"
    measured ctext
    ct_t=$T ct_c=$C ct_r=$RSS
    row "kubearch check (text)" "$ct_t" "$ct_c" "$(div "$ct_t" "$pp_t")" "$(div "$ct_c" "$pp_c")" "$(mib "$ct_r")" "$(div "$nfiles" "$ct_t" %.0f)"
    echo
    printf '  files/s (wall): check -o json %s;  objects/s (wall): check -o json %s, text %s\n' \
        "$(div "$nfiles" "$cj_t" %.0f)" "$(div "$cobjects" "$cj_t" %.0f)" "$(div "$cobjects" "$ct_t" %.0f)"
    echo "  (exit $cj_rc: $("$KUBEARCH" check -o json "$CORPUS" 2>&1 >/dev/null | grep -c ': error: ') input errors in the corpus are expected)"
    r=$(div "$cj_t" "$pp_t")
    verdict "$r" 1.5
    echo "  check -o json vs parse (wall): $r (target 1.5: $V); cpu $(div "$cj_c" "$pp_c"); peak RSS / input $(div "$cj_r" "$c_kib")"
else
    echo "== corpus: $CORPUS not present, skipped"
fi

# ---- instruction counts (optional) -------------------------------------------
# Wall and cpu times drift with the machine's load; instruction counts under
# callgrind do not. BENCH_INSTR=1 counts them on a smaller generated file.
if [ "${BENCH_INSTR:-0}" = 1 ]; then
    echo
    if command -v valgrind >/dev/null 2>&1; then
        small_n=${BENCH_INSTR_DEPLOYMENTS:-4000}
        small=$BENCH_DIR/workloads-$small_n.yaml
        if [ ! -s "$small" ] || [ "$BENCH_DIR/gen_workloads" -nt "$small" ]; then
            "$BENCH_DIR/gen_workloads" "$small" "$small_n" || die "cannot generate $small"
        fi
        instr() {
            NO_COLOR=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
                sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n 1
        }
        ip=$(instr "$BENCH_DIR/yaml_parse" "$small")
        ij=$(instr "$KUBEARCH" check -o json -j1 "$small")
        it=$(instr "$KUBEARCH" check -j1 "$small")
        echo "== instructions (callgrind) on $small ($small_n Deployments + Services), check -j1"
        echo "   (the work itself; parsing threads add about 1%, and valgrind runs them one at a time)"
        printf '  %-28s %14s %9s\n' "" "instructions" "vs parse"
        printf '  %-28s %14s %9s\n' "libyaml bare event parse" "$ip" "1.00"
        printf '  %-28s %14s %9s\n' "kubearch check -o json" "$ij" "$(div "$ij" "$ip")"
        printf '  %-28s %14s %9s\n' "kubearch check (text)" "$it" "$(div "$it" "$ip")"
    else
        echo "== instructions: valgrind not installed, skipped"
    fi
fi

# ---- 3. peers ------------------------------------------------------------------
echo
echo "== peers on the generated file"
peers=0
for peer in kube-linter kubeconform kube-score kubeval polaris; do
    if ! command -v "$peer" >/dev/null 2>&1; then
        echo "  $peer: not installed (not measured)"
        continue
    fi
    peers=1
    case $peer in
        kube-linter) measure kube-linter lint "$INPUT" ;;
        kubeconform) measure kubeconform -summary -ignore-missing-schemas "$INPUT" ;;
        kube-score) measure kube-score score "$INPUT" ;;
        kubeval) measure kubeval --ignore-missing-schemas "$INPUT" ;;
        polaris) measure polaris audit --audit-path "$INPUT" --format json ;;
    esac
    row "$peer" "$T" "$C" "$(div "$T" "$tp")" "$(div "$C" "$cp")" "$(mib "$RSS")" "$(div "$RSS" "$in_kib")"
done
[ "$peers" = 1 ] || echo "  (no peer linter is installed here, and none can be installed: only the libyaml baseline is compared)"

# ==== the other benchmarks ======================================================
# After the main part, so that one `make bench` prints every comparison: the
# cross-object rules (bench/crossobj.sh), NetworkPolicy reachability
# (netpol.sh), RBAC (rbac.sh) and the scheduler simulation (simulate.sh), each
# with its own generated input and targets. A target one of them misses (or
# a failure) counts as missed here. BENCH_EXTRA=0 skips them all, and
# BENCH_EXTRA="crossobj netpol" runs only those.
for extra in ${BENCH_EXTRA-crossobj netpol rbac simulate}; do
    [ "$extra" != 0 ] || break
    [ -f "bench/$extra.sh" ] || continue
    echo
    KUBEARCH=$KUBEARCH BENCH_DIR=$BENCH_DIR CC_BENCH=$CC_BENCH BENCH_STRICT=1 bash "bench/$extra.sh"
    rc=$?
    if [ "$rc" != 0 ]; then
        missed=1
        echo "bench: bench/$extra.sh missed a target or failed (exit $rc)"
    fi
done

echo
if [ "$missed" = 1 ]; then
    echo "bench: a target was MISSED (see above)"
    [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
else
    echo "bench: all targets met"
fi
exit 0
