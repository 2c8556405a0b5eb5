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

. "$repo/bench/helm/lib.sh"
start_server "$fixtures" "$chart"

url="http://127.0.0.1:$port/api/helm/checks?chart=$chart"
auth="Authorization: Bearer bench"
first="$(curl -sf -H "$auth" "$url")" || { echo "bench-keda-chart: request failed; server log:" >&2; cat "$work/server.log" >&2; exit 1; }
echo "$first" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("engine=%s rendered=%s objects=%d findings=%d" % (d["engine"], d["rendered"], len(d["objects"]), len(d["findings"])))'

time_requests "$url" "$runs" "$warmup" "$work/api.txt"
api_ms="$(median < "$work/api.txt")"
echo "GET /api/helm/checks?chart=$chart (engine $engines): median ${api_ms} ms of $runs runs (all: $(tr '\n' ' ' < "$work/api.txt"))"

if [[ -n "$helm_bin" && -x "$helm_bin" ]]; then
  time_helm_template "$fixtures/$chart" "$runs" "$work/peer.txt"
  peer_ms="$(median < "$work/peer.txt")"
  echo "peer: helm template (CLI $("$helm_bin" version --short)) of the same chart: median ${peer_ms} ms of $runs runs"
  awk -v a="$api_ms" -v p="$peer_ms" 'BEGIN {printf "ratio end-to-end check / bare helm template: %.2f\n", a / p}'
fi
