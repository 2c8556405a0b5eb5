#!/usr/bin/env bash
# OpenAPI check of a ~3.9 MB Kubernetes Swagger 2.0 spec, end to end through the server, beside `spectral lint`
# on the same file in the same run.
#
#   bench/compliance/openapi-bench.sh [DIST_DIR] [RUNS=9] [SPECTRAL_RUNS=3]
#
# Builds the spec from the shared fixtures' kube-openapi/v2_batch.v1.json (openapi-spec.py) into
# bench/compliance/target/workspace/kube-swagger.json. Starts DIST_DIR/bin/control-plane when given (a packaged
# distribution), else the server from the compliance module's test class path (the plugin on the class path),
# either way on that workspace with AUTH_MODE=none, the access log off, server.max-payload-size 16 MiB and the spec
# as plugins.compliance.openapi.path. Warms up with 20 checks of each kind (JIT), then times RUNS checks of each with curl
# (time_total: connect, request, check, response read):
#   workspace  POST /api/compliance/openapi/check            (no body: the configured workspace spec)
#   body       POST /api/compliance/openapi/check with the spec as an application/json body
# then SPECTRAL_RUNS runs of `spectral lint -r .ci/spectral/ruleset.yaml -f json` (spectral:oas, every rule) on
# the same file, and prints each run, the medians and the ratio spectral/ours.
#
# With DIST_DIR, CP_PLUGINS_DIR=<folder holding plugins/compliance/target/plugin/compliance> runs a fresh build
# of the plugin in its own class loader under an older distribution.
# Needs: the JDK 25 (JAVA_HOME), Maven (without DIST_DIR), python3, curl, bc, and spectral (`npm ci` in
# .ci/spectral).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dist="${1:-}"
runs="${2:-9}"
spectral_runs="${3:-3}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
port="${CP_PORT:-18097}"
fixtures="${SHARED_DIR:-$repo/../shared}/fixtures/openapi/kube-openapi/v2_batch.v1.json"
spectral="$repo/.ci/spectral/node_modules/.bin/spectral"

[ -f "$fixtures" ] || { echo "openapi-bench: no $fixtures (set SHARED_DIR)" >&2; exit 1; }
command -v curl >/dev/null || { echo "openapi-bench: needs curl" >&2; exit 1; }
[ -x "$spectral" ] || echo "openapi-bench: no spectral at $spectral (npm ci in .ci/spectral): its side is skipped" >&2
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
  echo "openapi-bench: port $port is in use (set CP_PORT)" >&2; exit 1
fi

ws="$here/target/workspace"
mkdir -p "$ws"
spec="$ws/kube-swagger.json"
echo "== spec: $(python3 "$here/openapi-spec.py" "$fixtures" "$spec")"

tmp="$(mktemp -d /tmp/openapi-bench.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export CP_PORT="$port" CP_WORKSPACE="$ws" CP_DATA_DIR="$tmp/data" CP_ACCESS_LOG=false AUTH_MODE=none
export PLUGINS_COMPLIANCE_OPENAPI_PATH=kube-swagger.json
payload="-Dserver.max-payload-size=16777216"
if [ -n "$dist" ]; then
  dist="$(cd "$dist" && pwd)"
  echo "== server: $dist/bin/control-plane"
  CP_JAVA_OPTS="${CP_JAVA_OPTS:-} $payload" "$dist/bin/control-plane" >"$tmp/server.log" 2>&1 &
else
  (cd "$repo" && bin/with-jdk21 mvn -B -o -q -Dstyle.color=never -pl plugins/compliance test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$tmp/cp.txt") >/dev/null
  # a copy of the classes, so that a build of the module meanwhile does not swap them under the server
  cp -r "$repo/plugins/compliance/target/classes" "$tmp/classes"
  mkdir -p "$tmp/no-plugins"
  echo "== server: the compliance module's test class path ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
  CP_CONFIG="$repo/config/application.yaml" CP_PLUGINS_DIR="$tmp/no-plugins" \
    "$JAVA_HOME/bin/java" ${CP_JAVA_OPTS:-} "$payload" -Dcp.home="$repo" -cp "$tmp/classes:$(cat "$tmp/cp.txt")" \
    io.asyncsidecar.controlplane.server.Main >"$tmp/server.log" 2>&1 &
fi
pid=$!
for _ in $(seq 600); do
  curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/health/ready" && break
  kill -0 "$pid" 2>/dev/null || { echo "openapi-bench: the server exited; its log:" >&2; tail -30 "$tmp/server.log" >&2; exit 1; }
  sleep 0.1
done

url="http://127.0.0.1:$port/api/compliance/openapi/check"
check() { # kind -> seconds
  if [ "$1" = body ]; then
    curl -s -o "$tmp/out.json" -w '%{time_total}' -X POST -H 'Content-Type: application/json' \
      --data-binary @"$spec" "$url"
  else
    curl -s -o "$tmp/out.json" -w '%{time_total}' -X POST "$url"
  fi
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for _ in $(seq 20); do check workspace >/dev/null; check body >/dev/null; done
python3 - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print("== ours: %d paths, %d operations, %d findings (%s), verdict %s, check %d ms in the server" % (
    s["paths"], s["operations"], len(d["findings"]), ", ".join("%s %d" % kv for kv in sorted(s["by_rule"].items())),
    s["verdict"], s["duration_ms"]))
PY
declare -A med
for kind in workspace body; do
  times=""
  for _ in $(seq "$runs"); do times="$times $(check "$kind")"; done
  med[$kind]="$(echo "$times" | median)"
  echo "ours ($kind) s:$times  median ${med[$kind]}"
done

if [ -x "$spectral" ] && [ "$spectral_runs" -gt 0 ]; then
  echo "== spectral $("$spectral" --version) (ruleset .ci/spectral/ruleset.yaml)"
  times=""
  for _ in $(seq "$spectral_runs"); do
    start=$(date +%s.%N)
    "$spectral" lint -r "$repo/.ci/spectral/ruleset.yaml" -f json -q -o "$tmp/spectral.json" "$spec" >/dev/null 2>&1 || true
    times="$times $(echo "$(date +%s.%N) - $start" | bc)"
  done
  med[spectral]="$(echo "$times" | median)"
  echo "spectral s:$times  median ${med[spectral]}  ($(python3 -c "import json; print(len(json.load(open('$tmp/spectral.json'))))") results)"
  echo "== medians: ours workspace ${med[workspace]} s, ours body ${med[body]} s, spectral ${med[spectral]} s;" \
    "spectral/ours $(echo "${med[spectral]} / ${med[workspace]}" | bc -l | xargs printf '%.0f')x (workspace)," \
    "$(echo "${med[spectral]} / ${med[body]}" | bc -l | xargs printf '%.0f')x (body)"
else
  echo "== medians: ours workspace ${med[workspace]} s, ours body ${med[body]} s (spectral not installed)"
fi
