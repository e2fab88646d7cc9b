# bench/measure.sh - sourced by the bench scripts: timing one command.
#
# measure CMD... : runs CMD $RUNS times (stdout to /dev/null, stderr kept in
# $MEASURE_ERR) and sets T (best wall seconds), C (best CPU seconds, user +
# system of all threads: steadier than wall time on a busy machine; the wall
# time when GNU time is missing), RSS (peak KiB, the largest of the runs, 0
# without GNU time) and RC (exit code of the last run).
# Needs RUNS and BENCH_DIR; sets have_gnu_time.
#
# Commands compared with each other are better measured in rounds, each
# round running every command once, so that a spell when the machine is
# busy touches all of them alike: measure_once NAME CMD... runs CMD once and
# keeps the best under NAME; measured NAME then sets T, C, RSS and RC.
GNU_TIME=/usr/bin/time
have_gnu_time=0
if [ -x "$GNU_TIME" ] && "$GNU_TIME" -f %M true >/dev/null 2>&1; then have_gnu_time=1; fi
MEASURE_ERR=${MEASURE_ERR:-$BENCH_DIR/last.err}

now_ns() { date +%s%N; }
declare -A M_BEST M_BESTC M_PEAK M_RC
measure_once() {
    local name=$1
    shift
    RUNS=1 measure "$@"
    local b=${M_BEST[$name]:-} bc=${M_BESTC[$name]:-}
    if [ -z "$b" ] || awk -v a="$T" -v b="$b" 'BEGIN { exit !(a < b) }'; then M_BEST[$name]=$T; fi
    if [ -z "$bc" ] || awk -v a="$C" -v b="$bc" 'BEGIN { exit !(a < b) }'; then M_BESTC[$name]=$C; fi
    if [ "$RSS" -gt "${M_PEAK[$name]:-0}" ]; then M_PEAK[$name]=$RSS; fi
    M_RC[$name]=$RC
}
measured() {
    T=${M_BEST[$1]} C=${M_BESTC[$1]} RSS=${M_PEAK[$1]:-0} RC=${M_RC[$1]}
}
measure() {
    local best="" bestc="" peak=0 i t0 t1 dt m c
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now_ns)
        if [ "$have_gnu_time" = 1 ]; then
            "$GNU_TIME" -f '%M %U %S' -o "$BENCH_DIR/time.out" "$@" >/dev/null 2>"$MEASURE_ERR"
            RC=$?
        else
            "$@" >/dev/null 2>"$MEASURE_ERR"
            RC=$?
        fi
        t1=$(now_ns)
        dt=$((t1 - t0))
        if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then best=$dt; fi
        if [ "$have_gnu_time" = 1 ]; then
            read -r m c < <(tail -n 1 "$BENCH_DIR/time.out" | awk '{ printf "%d %.0f\n", $1, ($2 + $3) * 1e9 }')
            case $m in *[!0-9]*|'') m=0 ;; esac
            if [ "$m" -gt "$peak" ]; then peak=$m; fi
            if [ -z "$bestc" ] || [ "$c" -lt "$bestc" ]; then bestc=$c; fi
        fi
    done
    T=$(awk -v n="$best" 'BEGIN { printf "%.3f", n / 1e9 }')
    C=$(awk -v n="${bestc:-$best}" 'BEGIN { printf "%.2f", n / 1e9 }')
    RSS=$peak
}
