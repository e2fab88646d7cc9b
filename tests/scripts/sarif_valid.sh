#!/usr/bin/env bash
# `kubearch check -o sarif` validates against the official SARIF 2.1.0 JSON
# schema and says what the JSON report says. Runs over examples/shop, every
# input under tests/cases (among them tests/cases/output/sarif-clean.yaml,
# zero findings, and sarif-input-error.yaml, an unreadable document), standard
# input, an absolute path and a file name that needs URI escaping.
#
# The validator is Debian's python3-jsonschema run by /usr/bin/python3 (not a
# pyenv python3 on PATH), the draft the schema declares ($schema: draft-04),
# with format checking (uri, uri-reference). The schema is read from
# ../shared/reference beside the project (or $SARIF_SCHEMA); without it the
# test is skipped.
# Usage: bash tests/scripts/sarif_valid.sh BUILD/kubearch   (from any directory)
set -u
[ $# -ge 1 ] || { echo "usage: sarif_valid.sh KUBEARCH" >&2; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=${SARIF_SCHEMA:-$root/../shared/reference/sarif-schema-2.1.0.json}
py=/usr/bin/python3
[ -x "$bin" ] || { echo "sarif_valid: $bin is not executable" >&2; exit 2; }
if [ ! -f "$schema" ]; then
    echo "sarif_valid: skipped: no SARIF schema at $schema"
    exit 0
fi
if ! "$py" -c 'import jsonschema' 2>/dev/null; then
    echo "sarif_valid: $py cannot import jsonschema: install python3-jsonschema (scripts/setup)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
# under ASan a sanitizer report must not pass for exit 1 (findings)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"

# run NAME ARGS...: SARIF and JSON reports of the same check, and the exit code
manifest=$tmp/manifest
n=0
run() {
    local name=$1
    shift
    "$bin" check --no-config -o sarif "$@" >"$tmp/$name.sarif" 2>"$tmp/$name.err" </dev/null
    local rc=$?
    "$bin" check --no-config -o json "$@" >"$tmp/$name.json" 2>/dev/null </dev/null
    printf '%s\t%s\t%s\n' "$name" "$rc" "$*" >>"$manifest"
    n=$((n + 1))
}

run shop examples/shop
i=0
while IFS= read -r -d '' f; do
    i=$((i + 1))
    run "case$i" "$f"
done < <(find tests/cases -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)

# standard input: no URI, but line and column
"$bin" check --no-config -o sarif - <examples/shop/checkout.yaml >"$tmp/stdin.sarif" 2>"$tmp/stdin.err"
"$bin" check --no-config -o json - <examples/shop/checkout.yaml >"$tmp/stdin.json" 2>/dev/null
printf 'stdin\t%s\t-\n' "$?" >>"$manifest"
# an absolute path: a file:// URI
run absolute "$root/examples/shop/namespace.yaml"
# a relative path with characters a URI must escape, given with a leading ./
mkdir -p "$tmp/w/dir with space"
cp examples/shop/checkout.yaml "$tmp/w/dir with space/ü#%:x.yaml"
(cd "$tmp/w" && "$bin" check --no-config -o sarif "./dir with space/ü#%:x.yaml" >"$tmp/escaped.sarif" 2>/dev/null)
(cd "$tmp/w" && "$bin" check --no-config -o json "./dir with space/ü#%:x.yaml" >"$tmp/escaped.json" 2>/dev/null)
printf 'escaped\t%s\t-\n' "$?" >>"$manifest"
"$bin" rules -o json >"$tmp/rules.json"

"$py" - "$schema" "$tmp" "$root" <<'EOF'
import json, os, sys, urllib.parse
import jsonschema
from jsonschema import validators

schema_path, tmp, root = sys.argv[1:4]
with open(schema_path, encoding="utf-8") as fh:
    schema = json.load(fh)
Validator = validators.validator_for(schema)
Validator.check_schema(schema)
validator = Validator(schema, format_checker=jsonschema.FormatChecker())
rule_ids = [r["id"] for r in json.load(open(os.path.join(tmp, "rules.json")))["rules"]]
LEVEL = {"error": "error", "warning": "warning", "info": "note"}

failures = []
def fail(name, msg):
    failures.append(f"{name}: {msg}")

seen_clean = seen_input_error = seen_region = 0
runs = [line.rstrip("\n").split("\t", 2) for line in open(os.path.join(tmp, "manifest"), encoding="utf-8")]
for name, rc, args in runs:
    try:
        raw = open(os.path.join(tmp, name + ".sarif"), "rb").read()
        log = json.loads(raw.decode("utf-8"))
        report = json.load(open(os.path.join(tmp, name + ".json"), encoding="utf-8"))
    except Exception as e:  # not UTF-8, not JSON, or empty (a crash)
        fail(name, f"unreadable output ({args}, exit {rc}): {e}")
        continue
    if rc not in ("0", "1", "2"):
        fail(name, f"exit {rc} ({args})")
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors[:5]:
        fail(name, f"schema: {e.message} at /{'/'.join(map(str, e.absolute_path))}")
    if errors:
        continue
    if len(log["runs"]) != 1:
        fail(name, "not exactly one run")
        continue
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    if driver["name"] != "kubearch" or not driver.get("version"):
        fail(name, "tool.driver name/version")
    if [r["id"] for r in driver["rules"]] != rule_ids:
        fail(name, "tool.driver.rules is not the rule table in order")
    results = run.get("results", [])
    findings = report["findings"]
    if len(results) != len(findings):
        fail(name, f"{len(results)} results, {len(findings)} findings in the JSON report")
        continue
    inv = run["invocations"][0]
    input_errors = report["summary"]["inputErrors"]
    if inv["executionSuccessful"] != (input_errors == 0):
        fail(name, "executionSuccessful does not match inputErrors")
    if (rc == "2") != (input_errors > 0):
        fail(name, f"exit {rc} with {input_errors} input errors")
    if input_errors:
        seen_input_error += 1
        if not inv.get("toolExecutionNotifications"):
            fail(name, "input errors but no toolExecutionNotifications")
    elif not results:
        seen_clean += 1
    fps = set()
    for k, (res, fnd) in enumerate(zip(results, findings)):
        where = f"result {k}"
        if res["ruleId"] != fnd["rule"]:
            fail(name, f"{where}: ruleId {res['ruleId']} != {fnd['rule']}")
        if rule_ids[res["ruleIndex"]] != res["ruleId"]:
            fail(name, f"{where}: ruleIndex does not point at its rule")
        if res["level"] != LEVEL[fnd["severity"]]:
            fail(name, f"{where}: level {res['level']} for severity {fnd['severity']}")
        if res["message"]["text"] != fnd["message"]:
            fail(name, f"{where}: message differs")
        fp = json.dumps(res["partialFingerprints"], sort_keys=True)
        if fp in fps:
            fail(name, f"{where}: duplicate partialFingerprints {fp}")
        fps.add(fp)
        locs = res.get("locations", [])
        if not locs:
            if fnd["file"] or fnd["kind"] or fnd["name"]:
                fail(name, f"{where}: no location")
            continue
        phys = locs[0].get("physicalLocation")
        if fnd["file"] and not phys:
            fail(name, f"{where}: no physicalLocation for {fnd['file']}")
        if phys:
            region = phys.get("region")
            if fnd["line"] > 0:
                if not region or region.get("startLine") != fnd["line"]:
                    fail(name, f"{where}: region {region} for line {fnd['line']}")
                elif fnd["column"] > 0 and region.get("startColumn") != fnd["column"]:
                    fail(name, f"{where}: startColumn {region.get('startColumn')} != {fnd['column']}")
                else:
                    seen_region += 1
            elif region is not None:
                fail(name, f"{where}: a region for a finding without a line")
            if region is not None and (not region or region.get("startLine", 0) < 1):
                fail(name, f"{where}: empty or zero region {region}")
            art = phys["artifactLocation"]
            path = fnd["file"]
            if path == "<stdin>":
                if "uri" in art:
                    fail(name, f"{where}: standard input has a uri {art['uri']}")
            else:
                uri = art.get("uri", "")
                if path.startswith("/"):
                    if not uri.startswith("file:///") or urllib.parse.unquote(uri[7:]) != path:
                        fail(name, f"{where}: uri {uri} for {path}")
                else:
                    while path.startswith("./"):
                        path = path[2:].lstrip("/")
                    if urllib.parse.unquote(uri) != path or art.get("uriBaseId") != "%SRCROOT%":
                        fail(name, f"{where}: uri {uri} for {path}")
        for ll in locs[0].get("logicalLocations", []):
            fq = ll.get("fullyQualifiedName", "")
            want = ((fnd["kind"] or "<no kind>") + "/" + (fnd["namespace"] + "/" if fnd["namespace"] else "")
                    + (fnd["name"] or "<no name>"))  # the text report's placeholders
            if fnd.get("container"):
                want += "/" + fnd["container"]
            if fq != want:
                fail(name, f"{where}: fullyQualifiedName {fq!r} != {want!r}")
    if name == "shop" and not any(
        loc.get("physicalLocation", {}).get("region", {}).get("startLine", 0) > 0
        for res in results for loc in res.get("locations", [])
    ):
        fail(name, "no result with a real region (startLine > 0)")
    if name == "stdin" and not results:
        fail(name, "no results from standard input")
    if name == "escaped":
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for res in results for loc in res["locations"]}
        if uris != {"dir%20with%20space/%C3%BC%23%25%3Ax.yaml"}:
            fail(name, f"escaped uri {uris}")

if not seen_clean:
    fail("all", "no run with zero findings was validated")
if not seen_input_error:
    fail("all", "no run with input errors was validated")
if not seen_region:
    fail("all", "no region was checked")
for f in failures:
    print("FAIL", f)
print(f"sarif_valid: {len(runs)} SARIF logs validated with {Validator.__name__} "
      f"({seen_region} regions checked): {len(failures)} problems")
sys.exit(1 if failures else 0)
EOF
