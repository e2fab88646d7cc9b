#!/usr/bin/env bash
# `kubearch check -o junit` is well-formed XML (parsed with python3's
# xml.etree) whose counts add up: one testcase per object, one <failure> per
# finding (type = rule id, body = file:line:col and hint), the suite's
# tests/failures/errors attributes equal to what its testcases hold, and one
# <error> testcase when input could not be read. Runs over examples/shop and
# every input under tests/cases, compared with the -o json report of the
# same check.
# Usage: bash tests/scripts/junit_valid.sh BUILD/kubearch   (from any directory)
set -u
[ $# -ge 1 ] || { echo "usage: junit_valid.sh KUBEARCH" >&2; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
[ -x "$bin" ] || { echo "junit_valid: $bin is not executable" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
# under ASan a sanitizer report must not pass for exit 1 (findings)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"

manifest=$tmp/manifest
run() {
    local name=$1
    shift
    "$bin" check --no-config -o junit "$@" >"$tmp/$name.xml" 2>/dev/null </dev/null
    local rc=$?
    "$bin" check --no-config -o json "$@" >"$tmp/$name.json" 2>/dev/null </dev/null
    printf '%s\t%s\t%s\n' "$name" "$rc" "$*" >>"$manifest"
}

run shop examples/shop
i=0
while IFS= read -r -d '' f; do
    i=$((i + 1))
    run "case$i" "$f"
done < <(find tests/cases -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)

"$py" - "$tmp" <<'EOF'
import json, os, sys
import xml.etree.ElementTree as ET
from collections import Counter

tmp = sys.argv[1]
failures = []
def fail(name, msg):
    failures.append(f"{name}: {msg}")

seen = {"passing": 0, "failing": 0, "input": 0}
runs = [line.rstrip("\n").split("\t", 2) for line in open(os.path.join(tmp, "manifest"), encoding="utf-8")]
for name, rc, args in runs:
    try:
        root = ET.parse(os.path.join(tmp, name + ".xml")).getroot()
        report = json.load(open(os.path.join(tmp, name + ".json"), encoding="utf-8"))
    except Exception as e:
        fail(name, f"unreadable output ({args}, exit {rc}): {e}")
        continue
    if rc not in ("0", "1", "2"):
        fail(name, f"exit {rc} ({args})")
    summary, findings = report["summary"], report["findings"]
    if root.tag != "testsuites":
        fail(name, f"root element <{root.tag}>")
        continue
    suites = root.findall("testsuite")
    if len(suites) != 1 or suites[0].get("name") != "kubearch check":
        fail(name, "not exactly one <testsuite name=\"kubearch check\">")
        continue
    suite = suites[0]
    cases = suite.findall("testcase")
    with_failure = [c for c in cases if c.find("failure") is not None]
    with_error = [c for c in cases if c.find("error") is not None]
    for el in (root, suite):
        got = {k: int(el.get(k, "-1")) for k in ("tests", "failures", "errors")}
        want = {"tests": len(cases), "failures": len(with_failure), "errors": len(with_error)}
        if got != want:
            fail(name, f"<{el.tag}> counts {got}, its testcases hold {want}")
    objects = [c for c in cases if c.get("classname") != "kubearch"]
    if len(objects) != summary["objects"]:
        fail(name, f"{len(objects)} object testcases for {summary['objects']} objects")
    fails = [f for c in cases for f in c.findall("failure")]
    if len(fails) != len(findings):
        fail(name, f"{len(fails)} <failure> for {len(findings)} findings")
    if Counter(f.get("type") for f in fails) != Counter(x["rule"] for x in findings):
        fail(name, "failure types are not the findings' rules")
    # every finding's file:line:col and hint appear in a failure of its object
    bodies = Counter((c.get("name"), (f.text or "").split(": ", 1)[0], f.get("type")) for c in cases for f in c.findall("failure"))
    for x in findings:
        if not x["file"]:  # no object: in the testcase of its own
            if not any(c.get("name") == "findings without an object" and
                       any(f.get("type") == x["rule"] for f in c.findall("failure")) for c in cases):
                fail(name, f"no failure for {x['rule']} without an object")
            continue
        ref = (x["kind"] or "<no kind>") + "/" + (x["namespace"] + "/" if x["namespace"] else "") + (x["name"] or "<no name>")
        loc = x["file"] + (f":{x['line']}" + (f":{x['column']}" if x["column"] else "") if x["line"] else "")
        key = (ref, loc, x["rule"])
        if bodies[key] <= 0:
            fail(name, f"no failure {key}")
        bodies[key] -= 1
    for c in cases:
        for f in c.findall("failure"):
            if "\nhint: " not in (f.text or ""):
                fail(name, f"failure without a hint in {c.get('name')}")
                break
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    if props.get("findings") != str(len(findings)) or props.get("objects") != str(summary["objects"]):
        fail(name, f"properties {props}")
    if summary["inputErrors"]:
        seen["input"] += 1
        if len(with_error) != 1 or rc != "2":
            fail(name, f"input errors: {len(with_error)} error testcases, exit {rc}")
    elif with_error:
        fail(name, "an <error> without input errors")
    seen["passing"] += len(cases) - len(with_failure) - len(with_error)
    seen["failing"] += len(with_failure)

for k, v in seen.items():
    if not v:
        fail("all", f"no {k} testcase was checked")
for f in failures:
    print("FAIL", f)
print(f"junit_valid: {len(runs)} reports, {seen['failing']} failing, {seen['passing']} passing "
      f"testcases: {len(failures)} problems")
sys.exit(1 if failures else 0)
EOF
