#!/usr/bin/env bash
# The starter specs compiled into kubearch (src/gen/spec_examples.c) must be
# byte-identical to examples/specs/*.yaml, and every example must load.
#   bash tests/scripts/generate_examples.sh BUILD/kubearch
#   UPDATE=1 bash tests/scripts/generate_examples.sh   # regenerate spec_examples.c
set -u
cd "$(dirname "$0")/../.." || exit 2
patterns="single-cluster cluster-per-environment multi-region"

to_c() { # file -> C string literal lines
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$1"
}

if [ "${UPDATE:-0}" = 1 ]; then
    out=src/gen/spec_examples.c
    {
        echo "/*"
        echo " * spec_examples.c - GENERATED from the files in examples/specs/ by"
        echo " * UPDATE=1 bash tests/scripts/generate_examples.sh; do not edit."
        echo " * The starter specs that 'kubearch init' prints."
        echo " */"
        echo '#include "kubearch/spec.h"'
        echo
        for p in $patterns; do
            echo "static const char ex_${p//-/_}[] ="
            to_c "examples/specs/$p.yaml"
            echo "    ;"
            echo
        done
        echo "static const char ex_bare_metal[] ="
        to_c "examples/specs/bare-metal.yaml"
        echo "    ;"
        echo
        echo "const char *ka_spec_example_bare_metal(void)"
        echo "{"
        echo "    return ex_bare_metal;"
        echo "}"
        echo
        echo "const char *ka_spec_example(ka_pattern p)"
        echo "{"
        echo "    switch (p) {"
        echo "    case KA_PATTERN_SINGLE_CLUSTER: return ex_single_cluster;"
        echo "    case KA_PATTERN_CLUSTER_PER_ENV: return ex_cluster_per_environment;"
        echo "    case KA_PATTERN_MULTI_REGION: return ex_multi_region;"
        echo "    }"
        echo "    return ex_single_cluster;"
        echo "}"
    } >"$out.tmp" && mv "$out.tmp" "$out"
    echo "regenerated $out"
    exit 0
fi

bin=${1:?usage: generate_examples.sh KUBEARCH}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in $patterns; do
    if ! "$bin" init --pattern "$p" >"$tmp/$p.yaml" 2>"$tmp/err"; then
        echo "FAIL init --pattern $p: $(cat "$tmp/err")"; fail=1; continue
    fi
    if ! cmp -s "$tmp/$p.yaml" "examples/specs/$p.yaml"; then
        echo "FAIL built-in $p spec differs from examples/specs/$p.yaml (run UPDATE=1 $0)"
        fail=1
    fi
done
"$bin" init --provider bare-metal >"$tmp/bm.yaml" && cmp -s "$tmp/bm.yaml" examples/specs/bare-metal.yaml ||
    { echo "FAIL kubearch init --provider bare-metal does not print examples/specs/bare-metal.yaml"; fail=1; }
"$bin" init >"$tmp/default.yaml" && cmp -s "$tmp/default.yaml" examples/specs/single-cluster.yaml ||
    { echo "FAIL kubearch init does not print the single-cluster example"; fail=1; }
for f in examples/specs/*.yaml; do
    if ! "$bin" generate "$f" --dry-run --dir "$tmp/dry" >/dev/null 2>"$tmp/err"; then
        echo "FAIL $f does not generate: $(head -n 5 "$tmp/err")"; fail=1
    fi
done
# every starter of every provider generates and passes the in-memory check
for p in $patterns; do
    for prov in aws azure gcp bare-metal; do
        "$bin" init --pattern "$p" --provider "$prov" >"$tmp/s.yaml" 2>/dev/null || continue
        if ! "$bin" generate "$tmp/s.yaml" --dry-run --dir "$tmp/dry" -q >/dev/null 2>"$tmp/err"; then
            echo "FAIL init --pattern $p --provider $prov does not generate: $(head -n 5 "$tmp/err")"
            fail=1
        fi
    done
done
[ "$fail" = 0 ] && echo "generate_examples: ok"
exit "$fail"
