#!/usr/bin/env bash
# `kubearch check -o yaml` says exactly what `-o json` says: the YAML parsed
# with python3-yaml (safe_load) equals the JSON parsed with json, key order
# included. Runs over examples/shop, every input under tests/cases (among
# them tests/cases/output/yaml-tricky-strings.yaml: names such as "true",
# "123", "null", "<<", "- a: b #c", line breaks and control characters) and
# standard input.
# Usage: bash tests/scripts/yaml_output.sh BUILD/kubearch   (from any directory)
set -u
[ $# -ge 1 ] || { echo "usage: yaml_output.sh KUBEARCH" >&2; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
[ -x "$bin" ] || { echo "yaml_output: $bin is not executable" >&2; exit 2; }
if ! "$py" -c 'import yaml' 2>/dev/null; then
    echo "yaml_output: $py cannot import yaml: install python3-yaml (scripts/setup)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
# under ASan a sanitizer report must not pass for exit 1 (findings)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"

manifest=$tmp/manifest
run() {
    local name=$1
    shift
    "$bin" check --no-config -o yaml "$@" >"$tmp/$name.yaml" 2>"$tmp/$name.err" </dev/null
    local rc1=$?
    "$bin" check --no-config -o json "$@" >"$tmp/$name.json" 2>/dev/null </dev/null
    local rc2=$?
    printf '%s\t%s\t%s\t%s\n' "$name" "$rc1" "$rc2" "$*" >>"$manifest"
}

run shop examples/shop
i=0
while IFS= read -r -d '' f; do
    i=$((i + 1))
    run "case$i" "$f"
done < <(find tests/cases -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)
"$bin" check --no-config -o yaml - <examples/shop/checkout.yaml >"$tmp/stdin.yaml" 2>/dev/null
rc1=$?
"$bin" check --no-config -o json - <examples/shop/checkout.yaml >"$tmp/stdin.json" 2>/dev/null
printf 'stdin\t%s\t%s\t-\n' "$rc1" "$?" >>"$manifest"

"$py" - "$tmp" <<'EOF'
import json, os, sys
import yaml

tmp = sys.argv[1]
failures = []

def same(a, b):
    """Equal values, dictionaries in the same key order, no type coercion
    (True == 1 in Python, so compare types too)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b

nfindings = 0
runs = [line.rstrip("\n").split("\t", 3) for line in open(os.path.join(tmp, "manifest"), encoding="utf-8")]
for name, rc_yaml, rc_json, args in runs:
    try:
        with open(os.path.join(tmp, name + ".yaml"), encoding="utf-8") as fh:
            y = yaml.safe_load(fh)
        with open(os.path.join(tmp, name + ".json"), encoding="utf-8") as fh:
            j = json.load(fh)
    except Exception as e:
        failures.append(f"{name}: unreadable output ({args}): {e}")
        continue
    if rc_yaml not in ("0", "1", "2"):
        failures.append(f"{name}: exit {rc_yaml} ({args})")
    if rc_yaml != rc_json:
        failures.append(f"{name}: exit {rc_yaml} with -o yaml, {rc_json} with -o json")
    if not same(y, j):
        detail = ""
        if isinstance(y, dict) and isinstance(j, dict):
            for k, (a, b) in enumerate(zip(y.get("findings", []), j.get("findings", []))):
                if not same(a, b):
                    detail = f": finding {k}: yaml {a!r} json {b!r}"
                    break
        failures.append(f"{name}: -o yaml differs from -o json ({args}){detail}")
    nfindings += len(j.get("findings", []))

for f in failures:
    print("FAIL", f)
print(f"yaml_output: {len(runs)} reports, {nfindings} findings compared: {len(failures)} problems")
sys.exit(1 if failures else 0)
EOF
