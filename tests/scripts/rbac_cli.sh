#!/usr/bin/env bash
# `kubearch rbac` on the command line: help for every subcommand, usage
# errors exit 2, `can` exits 0 / 1, standard input, folders, JSON that
# parses, deterministic output, --fail-on with the RBAC rules in `check`.
# Usage: bash tests/scripts/rbac_cli.sh BUILD/kubearch
set -u
bin=$(realpath "$1")
cd "$(dirname "$0")/../.." || exit 2
fails=0
out=$(mktemp) err=$(mktemp) tmpd=$(mktemp -d)
trap 'rm -rf "$out" "$err" "$tmpd"' EXIT
t() { # t NAME EXPECTED_EXIT CMD...
    local name=$1 want=$2
    shift 2
    "$@" >"$out" 2>"$err" </dev/null
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; head -5 "$err"
        fails=$((fails + 1))
    fi
}
has() { # has NAME PATTERN (in the last stdout+stderr)
    if ! grep -q -- "$2" "$out" "$err"; then
        echo "FAIL $1: output lacks '$2'"; fails=$((fails + 1))
    fi
}
json() { # json NAME: the last stdout is one JSON document
    if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null; then
        echo "FAIL $1: stdout is not JSON"; fails=$((fails + 1))
    fi
}
sem=tests/cases/rbac/semantics.yaml

t "rbac no args" 2 "$bin" rbac;                         has "rbac no args" "Usage: kubearch rbac COMMAND"
t "rbac --help" 0 "$bin" rbac --help;                   has "rbac --help" "who-can VERB RESOURCE"
t "help rbac" 0 "$bin" help rbac;                       has "help rbac" "Usage: kubearch rbac"
for c in can who-can permissions; do
    t "$c --help" 0 "$bin" rbac $c --help;              has "$c --help" "Usage: kubearch rbac $c"
    has "$c --help exit codes" "Exit codes:"
done
t "unknown subcommand" 2 "$bin" rbac frob $sem;         has "unknown subcommand" 'unknown command "frob"'
t "unknown option" 2 "$bin" rbac can --frob user:a get pods $sem
t "bad output" 2 "$bin" rbac who-can get pods -o yaml $sem; has "bad output" 'unknown output format'
t "missing words" 2 "$bin" rbac can user:a get $sem
t "no input" 2 "$bin" rbac who-can get pods
t "bad subject" 2 "$bin" rbac permissions team:x $sem;  has "bad subject" 'unknown subject kind'
t "bad sa" 2 "$bin" rbac can sa:builder get pods $sem;  has "bad sa" 'sa:NAMESPACE/NAME'
t "bad resource" 2 "$bin" rbac can user:a get pods/exec/x $sem
t "-n with -A" 2 "$bin" rbac can user:a get pods -n x -A $sem
t "--explain on who-can" 2 "$bin" rbac who-can get pods --explain $sem
t "missing file" 2 "$bin" rbac who-can get pods /nonexistent.yaml

t "can yes" 0 "$bin" rbac can sa:test/test1 list secrets -n test $sem;   has "can yes" "^yes$"
t "can no" 1 "$bin" rbac can sa:test/test1 list secrets -n other $sem;   has "can no" "^no$"
t "can json" 0 "$bin" rbac can sa:test/test1 get secrets -n test -o json $sem; json "can json"
has "can json shape" '"grants":\[{"binding":"RoleBinding/test/read-secrets","role":"ClusterRole/secret-reader","rule":0}\]'
t "can json no" 1 "$bin" rbac can user:x delete nodes -o json $sem;    json "can json no"
has "can json no shape" '{"allowed":false,"grants":\[\]}'
t "cluster-scoped -n" 1 "$bin" rbac can user:x delete nodes -n dev $sem; has "cluster-scoped -n" "nodes is cluster-scoped"
t "who-can json" 0 "$bin" rbac who-can list pods -o json $sem;         json "who-can json"
t "permissions json" 0 "$bin" rbac permissions group:ops -o json $sem; json "permissions json"
has "permissions json scale" '"resource":"\*/scale"'
"$bin" rbac can user:carol list pods - <"$sem" >"$out" 2>&1
grep -qx yes "$out" || { echo "FAIL stdin: $(cat "$out")"; fails=$((fails + 1)); }
mkdir -p "$tmpd/a/b" && cp $sem "$tmpd/a/b/x.yaml"
t "folder" 0 "$bin" rbac can sa:dev/builder create pods -n dev "$tmpd"

# deterministic: the same answer twice, and independent of input order
"$bin" rbac who-can get secrets tests/cases/rbac >"$tmpd/1" 2>/dev/null
"$bin" rbac who-can get secrets tests/cases/rbac >"$tmpd/2" 2>/dev/null
cmp -s "$tmpd/1" "$tmpd/2" || { echo "FAIL who-can not deterministic"; fails=$((fails + 1)); }

# the rules in check: selectable by category, exit 1 on an error finding
t "check rbac" 1 "$bin" check --rules rbac tests/cases/rbac/check-bindings.yaml
t "check rbac warning only" 0 "$bin" check --rules RBAC-003 $sem
t "check fail-on warning" 1 "$bin" check --rules RBAC-003 --fail-on warning $sem
t "explain RBAC-033" 0 "$bin" explain RBAC-033;       has "explain RBAC-033" "escalation-path"
t "rules rbac" 0 "$bin" rules;                        has "rules rbac" "RBAC-031"

echo "rbac cli: $fails failed"
[ "$fails" -eq 0 ]
