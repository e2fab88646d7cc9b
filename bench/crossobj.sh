#!/usr/bin/env bash
# Cross-object benchmark: a generated cluster of N namespaces (default 3000),
# each with what a platform team writes per namespace - Namespace, three
# NetworkPolicies (default deny, DNS egress, ingress to the app through
# namespace and pod selectors), ResourceQuota, LimitRange, two Deployments
# with their Services, PodDisruptionBudgets and HorizontalPodAutoscalers, a
# StatefulSet with its headless Service and PDB, an Ingress with TLS, a
# ServiceMonitor and a ConfigMap (21 objects), plus the ingress-nginx
# namespace the policies admit traffic from. Every 7th / 11th / 13th
# namespace carries a broken relation (Service selector typo, policy selecting
# nothing, Ingress backend missing) so that the cross-object rules report.
#
# Times, best of $BENCH_RUNS rounds (default 5; each round runs every
# command once, so a busy spell of the machine touches them alike): the bare
# libyaml event parse
# (bench/yaml_parse.c), `kubearch check -o json` with one cheap rule (the
# cost of loading, indexing and writing), with the default rules, with every
# rule (--enable-all), with only the cross-object rules ($CROSSOBJ_RULES), and
# with the default rules on one thread (-j1).
# The target (issue 3): check within 1.5x of the bare parse. A quadratic rule
# shows up as the check time growing faster than the input: run with
# CROSSOBJ_NAMESPACES=1000 and 4000 to see, or with BENCH_INSTR=1, which counts
# instructions (callgrind: steady on a busy machine) at $CROSSOBJ_INSTR_NAMESPACES
# (default 1000) and three times as many namespaces and prints the growth of
# each command: 3.0 is linear, 9.0 quadratic.
#
# Environment: KUBEARCH (default build/kubearch), BENCH_DIR (default
# build/bench), BENCH_RUNS, CROSSOBJ_NAMESPACES, CC_BENCH (default cc),
# BENCH_STRICT=1 (exit 1 when the target is missed), BENCH_INSTR=1,
# CROSSOBJ_INSTR_NAMESPACES.
set -u
cd "$(dirname "$0")/.." || exit 2

KUBEARCH=${KUBEARCH:-build/kubearch}
BENCH_DIR=${BENCH_DIR:-build/bench}
RUNS=${BENCH_RUNS:-5}
NNS=${CROSSOBJ_NAMESPACES:-3000}
CC_BENCH=${CC_BENCH:-cc}
CROSS_RULES=${CROSSOBJ_RULES:-NET-001,NET-002,NET-003,NET-004,NET-012,NET-013,NET-016,SVC-001,SVC-002,SVC-003,SVC-004,ING-001,ING-002,MON-001,RES-008,PDB-001,PDB-002,PDB-003,PDB-004,PDB-005,PDB-006,HPA-001,HPA-002,HPA-003}

die() { echo "crossobj: $*" >&2; exit 2; }
[ -x "$KUBEARCH" ] || die "$KUBEARCH not built (run make)"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
if [ ! -x "$BENCH_DIR/yaml_parse" ] || [ bench/yaml_parse.c -nt "$BENCH_DIR/yaml_parse" ]; then
    echo "  CC  bench/yaml_parse.c"
    $CC_BENCH -O2 -std=c11 -Wall -Wextra -o "$BENCH_DIR/yaml_parse" bench/yaml_parse.c -lyaml ||
        die "cannot build bench/yaml_parse.c"
fi

# ---- input (deterministic: same N, same bytes) --------------------------------
# gen_input N: writes $BENCH_DIR/crossobj-N.yaml (unless up to date) and sets INPUT
gen_input() {
INPUT=$BENCH_DIR/crossobj-$1.yaml
if [ ! -s "$INPUT" ] || [ "$0" -nt "$INPUT" ]; then
    awk -v n="$1" '
    function ns_objects(i,   ns, team, svcsel, polsel, backend) {
        ns = sprintf("team-%05d", i)
        team = sprintf("t%d", i % 97)
        svcsel = (i % 7 == 3) ? "apii" : "api"           # Service selector typo
        polsel = (i % 11 == 5) ? "dbb" : "db"            # policy selecting nothing
        backend = (i % 13 == 8) ? "web-old" : "web"      # Ingress backend missing
        printf "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n  labels:\n    team: %s\n    pod-security.kubernetes.io/enforce: restricted\n---\n", ns, team
        printf "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: %s\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n---\n", ns
        printf "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns\n  namespace: %s\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: kube-system}\n      podSelector:\n        matchLabels: {k8s-app: kube-dns}\n    ports:\n    - {port: 53, protocol: UDP}\n    - {port: 53, protocol: TCP}\n---\n", ns
        printf "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-app\n  namespace: %s\nspec:\n  podSelector:\n    matchLabels: {app: %s}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: ingress-nginx}\n      podSelector:\n        matchLabels: {app.kubernetes.io/name: ingress-nginx}\n    - podSelector:\n        matchLabels: {app: web}\n    - namespaceSelector:\n        matchExpressions:\n        - {key: team, operator: Exists}\n      podSelector:\n        matchLabels: {app: api}\n---\n", ns, polsel
        printf "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n  namespace: %s\nspec:\n  hard: {requests.cpu: \"20\", requests.memory: 40Gi, limits.memory: 80Gi}\n---\n", ns
        printf "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: %s\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m, memory: 512Mi}\n    defaultRequest: {cpu: 100m, memory: 128Mi}\n---\n", ns
        workload(ns, "api", 8080)
        workload(ns, "web", 3000)
        printf "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: %s\n  labels: {app: api}\nspec:\n  selector: {app: %s}\n  ports:\n  - {name: http, port: 80, targetPort: http}\n  - {name: metrics, port: 9090, targetPort: 9090}\n---\n", ns, svcsel
        printf "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: %s\n  labels: {app: web}\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: http}\n---\n", ns
        printf "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: %s\nspec:\n  serviceName: db\n  replicas: 3\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db, tier: data}\n    spec:\n      containers:\n      - name: db\n        image: postgres:16.3\n        ports: [{name: pg, containerPort: 5432}]\n        resources:\n          requests: {cpu: 500m, memory: 1Gi}\n          limits: {memory: 1Gi}\n        readinessProbe:\n          tcpSocket: {port: pg}\n---\n", ns
        printf "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: %s\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{name: pg, port: 5432, targetPort: pg}]\n---\n", ns
        printf "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\n  namespace: %s\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: db}\n---\n", ns
        printf "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: %s\nspec:\n  ingressClassName: nginx\n  tls:\n  - hosts: [%s.example.com]\n    secretName: web-tls\n  rules:\n  - host: %s.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: %s\n            port: {name: http}\n      - path: /api\n        pathType: Prefix\n        backend:\n          service:\n            name: api\n            port: {number: 80}\n---\n", ns, ns, ns, backend
        printf "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: api\n  namespace: %s\nspec:\n  selector:\n    matchLabels: {app: api}\n  endpoints:\n  - {port: metrics, interval: 30s}\n---\n", ns
        printf "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: %s\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: \"a,b,c\"\n---\n", ns
    }
    function workload(ns, app, port) {
        printf "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n  namespace: %s\n  labels: {app: %s}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: %s}\n  template:\n    metadata:\n      labels: {app: %s, tier: backend}\n    spec:\n      serviceAccountName: %s\n      containers:\n      - name: %s\n        image: registry.example.com/%s:1.4.2\n        ports:\n        - {name: http, containerPort: %d}\n        - {name: metrics, containerPort: 9090}\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n          limits: {memory: 256Mi}\n        readinessProbe:\n          httpGet: {path: /ready, port: http}\n---\n", app, ns, app, app, app, app, app, app, port
        printf "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels: {app: %s}\n---\n", app, ns, app
        printf "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}\n  minReplicas: 3\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n---\n", app, ns, app
    }
    BEGIN {
        # the ingress controller the policies admit traffic from
        printf "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n---\n"
        printf "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress-nginx-controller\n  namespace: ingress-nginx\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app.kubernetes.io/name: ingress-nginx}\n  template:\n    metadata:\n      labels: {app.kubernetes.io/name: ingress-nginx}\n    spec:\n      containers:\n      - name: controller\n        image: registry.k8s.io/ingress-nginx/controller:v1.11.2\n        ports: [{name: https, containerPort: 443}]\n---\n"
        for (i = 0; i < n; i++) ns_objects(i)
    }
    ' >"$INPUT.tmp" && mv "$INPUT.tmp" "$INPUT" || die "cannot generate $INPUT"
fi
}
gen_input "$NNS"

# ---- measuring: measure CMD... sets T (wall) and C (CPU, all threads), best of
# $RUNS (bench/measure.sh) --------------------------------------------------------
MEASURE_ERR=$BENCH_DIR/crossobj.err
. bench/measure.sh

div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
row() { printf '  %-40s %9s %9s %9s %9s\n' "$@"; }

bytes=$(stat -c %s "$INPUT")
objects=$(grep -c '^kind: ' "$INPUT")
echo "== cross-object: $INPUT ($NNS namespaces, $objects objects, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB), best of $RUNS"
row "" "wall (s)" "vs parse" "cpu (s)" "vs parse"

# check_once NAME ARGS...: one timed `kubearch check -o json ARGS INPUT`
check_once() {
    local name=$1
    shift
    measure_once "$name" "$KUBEARCH" check -o json "$@" "$INPUT"
    [ "$RC" -le 1 ] || die "kubearch check $* exited $RC: $(head -n 3 "$BENCH_DIR/crossobj.err")"
}
# report NAME LABEL: the row of a measured command against the parse (sets T, C)
report() {
    measured "$1"
    row "$2" "$T" "$(div "$T" "$tp")" "$C" "$(div "$C" "$cp")"
}

# in rounds (bench/measure.sh): each round runs every command once
for ((round = 0; round < RUNS; round++)); do
    measure_once parse "$BENCH_DIR/yaml_parse" "$INPUT"
    [ "$RC" = 0 ] || die "bare parse failed: $(head -n 3 "$BENCH_DIR/crossobj.err")"
    # loading, indexing and writing with one cheap per-object rule: what the
    # cross-object rules add is measured against this
    check_once load --rules IMG-001
    check_once default
    check_once all --enable-all
    check_once cross --rules "$CROSS_RULES"
    check_once onethread -j1
done
measured parse
tp=$T cp=$C
row "libyaml bare event parse" "$tp" "1.00" "$cp" "1.00"
report load "kubearch check -o json (IMG-001 only)"
report default "kubearch check -o json (default rules)"
ta=$T ca=$C
report all "kubearch check -o json --enable-all"
te=$T ce=$C
report cross "kubearch check -o json (cross-object)"
report onethread "kubearch check -o json -j1 (one thread)"

echo
NO_COLOR=1 "$KUBEARCH" check --no-hints --rules "$CROSS_RULES" "$INPUT" 2>/dev/null |
    awk '$3 ~ /^[A-Z]+-[0-9]+$/ { n[$3]++ } END { for (r in n) printf "  %s %d\n", r, n[r] }' | sort |
    tr '\n' ' ' | sed 's/^/  findings by rule:/'
echo

missed=0

# ---- instruction counts (optional) --------------------------------------------
# Wall times drift with the machine's load; instruction counts do not. The
# growth column compares N and 3N namespaces: 3.0 is linear, 9.0 quadratic.
if [ "${BENCH_INSTR:-0}" = 1 ]; then
    if command -v valgrind >/dev/null 2>&1; then
        n1=${CROSSOBJ_INSTR_NAMESPACES:-1000}
        n3=$((n1 * 3))
        instr() {
            valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
                sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n 1
        }
        gen_input "$n1"; in1=$INPUT
        gen_input "$n3"; in3=$INPUT
        echo "== instructions (callgrind): $n1 and $n3 namespaces, check on one thread (-j1: the"
        echo "   work itself; parsing threads add about 1%, and valgrind runs them one at a time)"
        irow() { printf '  %-40s %14s %9s %14s %9s %7s\n' "$@"; }
        irow "" "at $n1" "vs parse" "at $n3" "vs parse" "growth"
        p1=$(instr "$BENCH_DIR/yaml_parse" "$in1") p3=$(instr "$BENCH_DIR/yaml_parse" "$in3")
        irow "libyaml bare event parse" "$p1" "1.00" "$p3" "1.00" "$(div "$p3" "$p1")"
        icheck() { # icheck LABEL ARGS...: check -o json ARGS on both inputs
            local label=$1; shift
            i1=$(instr "$KUBEARCH" check -o json -j1 "$@" "$in1")
            i3=$(instr "$KUBEARCH" check -o json -j1 "$@" "$in3")
            irow "$label" "$i1" "$(div "$i1" "$p1")" "$i3" "$(div "$i3" "$p3")" "$(div "$i3" "$i1")"
        }
        icheck "kubearch check -o json (IMG-001 only)" --rules IMG-001
        icheck "kubearch check -o json (default rules)"
        icheck "kubearch check -o json --enable-all" --enable-all
        ie=$(div "$i3" "$p3")
        icheck "kubearch check -o json (cross-object)" --rules "$CROSS_RULES"
        r=MISSED
        if awk -v v="$ie" 'BEGIN { exit !(v <= 1.5) }'; then r=ok; else missed=1; fi
        echo "  target check --enable-all <= 1.5 x parse (instructions, $n3 namespaces): $ie $r"
    else
        echo "== instructions: valgrind not installed, skipped"
    fi
    echo
fi

for pair in "default rules:$ta:$ca" "--enable-all:$te:$ce"; do
    rest=${pair#*:}
    r=$(div "${rest%%:*}" "$tp") rc=$(div "${rest##*:}" "$cp")
    if awk -v v="$r" 'BEGIN { exit !(v <= 1.5) }'; then
        echo "  target check (${pair%%:*}) <= 1.5 x parse (wall): $r ok (cpu $rc)"
    else
        echo "  target check (${pair%%:*}) <= 1.5 x parse (wall): $r MISSED (cpu $rc)"
        missed=1
    fi
done
[ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
exit 0
