#!/usr/bin/env bash
# Command-line behaviour: help on every command, usage errors exit 2, stdin,
# --fail-on, rule listing and explain, configuration errors.
set -u
bin=$(realpath "$1")
cd "$(dirname "$0")/../.."
fails=0
t() { # t NAME EXPECTED_EXIT CMD...
    local name=$1 want=$2
    shift 2
    "$@" >/tmp/ka_cli_out.$$ 2>/tmp/ka_cli_err.$$ </dev/null
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; cat /tmp/ka_cli_err.$$ | head -5
        fails=$((fails + 1))
    fi
}
has() { # has NAME PATTERN (in the last stdout+stderr)
    if ! grep -q -- "$2" /tmp/ka_cli_out.$$ /tmp/ka_cli_err.$$; then
        echo "FAIL $1: output lacks '$2'"; fails=$((fails + 1))
    fi
}

t "no args" 2 "$bin";                               has "no args" "Usage: kubearch COMMAND"
t "help" 0 "$bin" --help;                           has "help" "Commands:"
t "version" 0 "$bin" version;                       has "version" "kubearch [0-9]"
t "unknown command" 2 "$bin" frobnicate;            has "unknown command" 'unknown command "frobnicate"'
for c in check rules explain; do
    t "$c --help" 0 "$bin" $c --help;               has "$c --help" "Usage: kubearch $c"
done
t "help check" 0 "$bin" help check;                 has "help check" "Usage: kubearch check"
t "check no input" 2 "$bin" check;                  has "check no input" "no input"
t "check bad option" 2 "$bin" check --frob x;       has "check bad option" "unknown option --frob"
t "check missing value" 2 "$bin" check examples -o; has "check missing value" "needs a value"
t "check bad format" 2 "$bin" check -o xml examples; has "check bad format" "unknown output format"
t "check unknown rule" 2 "$bin" check --rules NOPE-1 examples; has "check unknown rule" 'unknown rule, slug or category "NOPE-1"'
t "check bad fail-on" 2 "$bin" check --fail-on fatal examples
t "check bad version" 2 "$bin" check --kubernetes-version latest examples
t "check bad jobs" 2 "$bin" check -j many examples;   has "check bad jobs" "--jobs needs a number from 0 to 64"
t "check too many jobs" 2 "$bin" check --jobs 65 examples
t "check jobs" 0 "$bin" check --no-config --jobs 3 --rules META-005 examples
t "check missing file" 2 "$bin" check --no-config does/not/exist.yaml; has "check missing file" "does/not/exist.yaml: error: cannot open"

# stdin, and --fail-on: SEC-027 is a warning
ns='apiVersion: v1
kind: Namespace
metadata: {name: team-a}'
out=$(printf '%s\n' "$ns" | "$bin" check --no-config --rules SEC-027 -)
rc=$?
[ $rc = 0 ] || { echo "FAIL stdin warning-only: exit $rc, want 0"; fails=$((fails + 1)); }
case $out in *"<stdin>:3:1: warning SEC-027 Namespace/team-a"*) ;; *) echo "FAIL stdin: $out"; fails=$((fails + 1)) ;; esac
printf '%s\n' "$ns" | "$bin" check --no-config --rules SEC-027 --fail-on warning - >/dev/null
rc=$?
[ $rc = 1 ] || { echo "FAIL --fail-on warning: exit $rc, want 1"; fails=$((fails + 1)); }
printf '%s\n' "$ns" | "$bin" check --no-config --rules SEC-027 --fail-on warning --disable SEC-027 - >/dev/null
rc=$?
[ $rc = 0 ] || { echo "FAIL --disable after --rules keeps --rules: exit $rc, want 0"; fails=$((fails + 1)); }

# rules and explain
t "rules" 0 "$bin" rules;                           has "rules" "^ID  *SLUG  *SEVERITY"
t "rules json" 0 "$bin" rules -o json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["rules"]) >= 40, len(d["rules"]); assert all(r["id"] and r["slug"] and r["summary"] for r in d["rules"])' /tmp/ka_cli_out.$$ \
    || { echo "FAIL rules -o json is not the rule table"; fails=$((fails + 1)); }
t "rules filter" 0 "$bin" rules --category security --severity error
if grep -v '^ID' /tmp/ka_cli_out.$$ | grep -qv ' security '; then echo "FAIL rules filter"; fails=$((fails + 1)); fi
t "rules bad severity" 2 "$bin" rules --severity fatal
t "explain" 0 "$bin" explain RES-001;               has "explain" "Container has no CPU request"
t "explain slug" 0 "$bin" explain cpu-request-missing; has "explain slug" "RES-001"
t "explain unknown" 2 "$bin" explain NOPE-1
t "explain none" 2 "$bin" explain

# configuration errors carry file:line:col and exit 2
cfg=$(mktemp -d)
printf 'rules:\n  disable: [NOPE-9]\nfrob: 1\n' > "$cfg/.kubearch.yaml"
t "bad config" 2 "$bin" check --config "$cfg/.kubearch.yaml" examples
has "bad config" ".kubearch.yaml:2:13: error: unknown rule, slug or category \"NOPE-9\""
has "bad config" ".kubearch.yaml:3:1: error: unknown field \"frob\""
# found upward from the working directory
mkdir -p "$cfg/a/b"
printf 'rules:\n  disable: [SEC-027, NET-002]\n' > "$cfg/.kubearch.yaml"
printf '%s\n' "$ns" > "$cfg/a/b/ns.yaml"
out=$(cd "$cfg/a/b" && "$bin" check --fail-on warning ns.yaml)
rc=$?
[ $rc = 0 ] || { echo "FAIL config found upward: exit $rc, want 0 ($out)"; fails=$((fails + 1)); }
rm -rf "$cfg"

# a file name that is not UTF-8 still gives valid UTF-8 JSON
odd=$(mktemp -d)
printf '%s\n' "$ns" > "$odd/ns-$(printf '\377').yaml"
"$bin" check --no-config --rules SEC-027 -o json "$odd" > "$odd/out.json"
/usr/bin/python3 -c 'import json,sys; d=json.loads(open(sys.argv[1],"rb").read().decode("utf-8")); assert "\ufffd" in d["findings"][0]["file"]' "$odd/out.json" \
    || { echo "FAIL non-UTF-8 file name breaks the JSON"; fails=$((fails + 1)); }
rm -rf "$odd"
rm -f /tmp/ka_cli_out.$$ /tmp/ka_cli_err.$$
[ $fails = 0 ] && echo "cli: all passed"
[ $fails = 0 ]
