#!/usr/bin/env bash
# How generate and init write: atomically, never over a changed file without
# --force, nothing at all with --dry-run, never outside the output directory.
#   bash tests/scripts/generate_write.sh BUILD/kubearch
set -u
bin=$(cd "$(dirname "${1:?usage: generate_write.sh KUBEARCH}")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
spec=examples/specs/single-cluster.yaml
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { echo "FAIL: $*"; fail=1; }
run() { "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }

out=$tmp/tree
f=$out/clusters/shop/namespaces/production/quota.yaml

# 1. a fresh tree
run generate "$spec" --dir "$out"
[ "$(rc)" = 0 ] && [ -f "$f" ] && grep -q "files: 50 created" "$tmp/out" && ok || bad "fresh generate (exit $(rc))"
[ -z "$(find "$out" -name '.*' -print)" ] && ok || bad "temporary files left behind"

# 2. a second run changes nothing
run generate "$spec" --dir "$out"
[ "$(rc)" = 0 ] && grep -q "0 created, 0 updated, 50 unchanged, 0 conflicts" "$tmp/out" && ok || bad "second run not a no-op"

# 3. a changed file is kept and reported
echo "# local edit" >>"$f"
cp "$f" "$tmp/edited"
run generate "$spec" --dir "$out"
[ "$(rc)" = 1 ] && grep -q "^conflict  clusters/shop/namespaces/production/quota.yaml" "$tmp/out" && ok ||
    bad "conflict not reported (exit $(rc))"
cmp -s "$f" "$tmp/edited" && ok || bad "conflicting file was changed without --force"

# 4. --dry-run lists what would change and writes nothing
rm "$out/clusters/shop/platform/storage.yaml"
run generate "$spec" --dir "$out" --dry-run
grep -q "^would create    clusters/shop/platform/storage.yaml" "$tmp/out" && ok || bad "dry run did not list the missing file"
[ ! -e "$out/clusters/shop/platform/storage.yaml" ] && ok || bad "dry run wrote a file"
cmp -s "$f" "$tmp/edited" && ok || bad "dry run changed a file"
run generate "$spec" --dir "$tmp/nowhere" --dry-run
[ "$(rc)" = 0 ] && [ ! -e "$tmp/nowhere" ] && grep -q "50 to create" "$tmp/out" && ok || bad "dry run into a missing directory"

# 5. --force replaces by rename (a new inode), restoring the generated content
ino=$(stat -c %i "$f")
run generate "$spec" --dir "$out" --force
[ "$(rc)" = 0 ] && grep -q "^update    clusters/shop/namespaces/production/quota.yaml" "$tmp/out" && ok || bad "--force did not update"
[ "$(stat -c %i "$f")" != "$ino" ] && ok || bad "update was not an atomic rename"
cmp -s "$f" tests/golden/generate/single-cluster/clusters/shop/namespaces/production/quota.yaml && ok || bad "--force content differs from the golden"

# 6. symbolic links are never followed out of the directory
mkdir "$tmp/outside"
out2=$tmp/tree2
mkdir "$out2"
ln -s "$tmp/outside" "$out2/clusters"
run generate "$spec" --dir "$out2"
[ "$(rc)" = 2 ] && grep -q "symbolic link" "$tmp/out" && ok || bad "symlinked directory not refused (exit $(rc))"
[ -z "$(ls -A "$tmp/outside")" ] && ok || bad "wrote through a symlinked directory"
rm "$out2/clusters"
echo "secret" >"$tmp/outside/target"
run generate "$spec" --dir "$out2"
ln -sf "$tmp/outside/target" "$out2/ARCHITECTURE.md"
run generate "$spec" --dir "$out2" --force
[ "$(rc)" = 2 ] && grep -q "ARCHITECTURE.md is a symbolic link" "$tmp/out" && ok || bad "symlinked file not refused"
[ "$(cat "$tmp/outside/target")" = secret ] && ok || bad "wrote through a symlinked file"

# 7. an unwritable directory is an error, not a crash
out3=$tmp/tree3
mkdir "$out3"
chmod a-w "$out3"
if [ "$(id -u)" != 0 ]; then
    run generate "$spec" --dir "$out3"
    [ "$(rc)" = 2 ] && grep -q "^error" "$tmp/out" && ok || bad "unwritable directory (exit $(rc))"
fi
chmod u+w "$out3"

# 8. the spec from standard input; JSON report
"$bin" generate - --dir "$tmp/stdin" -o json <"$spec" >"$tmp/json" 2>"$tmp/err"
[ $? = 0 ] && diff -r "$tmp/stdin" tests/golden/generate/single-cluster >/dev/null && ok || bad "spec from stdin"
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["create"]==50' "$tmp/json" && ok ||
        bad "JSON report"
fi

# 9. usage errors
run generate "$spec"
[ "$(rc)" = 2 ] && grep -q -- "--dir DIR is required" "$tmp/err" && ok || bad "missing --dir"
run generate --dir "$tmp/x"
[ "$(rc)" = 2 ] && ok || bad "missing spec"
run generate "$spec" --dir "$tmp/x" -o xml
[ "$(rc)" = 2 ] && ok || bad "bad output format"
run generate "$tmp/missing.yaml" --dir "$tmp/x"
[ "$(rc)" = 2 ] && ok || bad "missing spec file"
run generate --help
[ "$(rc)" = 0 ] && grep -q "Usage: kubearch generate" "$tmp/out" && ok || bad "generate --help"

# 10. init --file writes once and never overwrites
run init --file "$tmp/spec.yaml"
[ "$(rc)" = 0 ] && cmp -s "$tmp/spec.yaml" "$spec" && ok || bad "init --file"
echo "# mine" >>"$tmp/spec.yaml"
cp "$tmp/spec.yaml" "$tmp/spec.keep"
run init --file "$tmp/spec.yaml" --pattern multi-region
[ "$(rc)" = 2 ] && grep -q "already exists" "$tmp/err" && cmp -s "$tmp/spec.yaml" "$tmp/spec.keep" && ok ||
    bad "init --file overwrote a file"
run init --pattern nope
[ "$(rc)" = 2 ] && ok || bad "init bad pattern"
run init --provider bare-metal --pattern multi-region
[ "$(rc)" = 2 ] && ok || bad "init bare-metal multi-region"
run init extra
[ "$(rc)" = 2 ] && ok || bad "init extra argument"
run init --help
[ "$(rc)" = 0 ] && grep -q "Usage: kubearch init" "$tmp/out" && ok || bad "init --help"

[ "$fail" = 0 ] && echo "generate_write: ok ($n checks)"
exit "$fail"
