#!/usr/bin/env bash
# Load over a mix of routes: many clients on every cheap route at once, and a burst on the heavy (check) routes beside
# them, against the packaged control plane on the demo workspace.
#
#   bench/server/load-mix.sh [DIST_DIR] [DURATION=60] [CLIENTS=200]
#
# Cheap routes share CLIENTS connections (one wrk per route, -t1, CLIENTS/routes connections each); at the same time
# HEAVY_CLIENTS connections per heavy route ask for chart checks. Prints per route: requests/s, p50, p99, max and the
# answers by status, then a verdict:
#   - a cheap route must answer only 2xx, with no socket error;
#   - a heavy route may answer 200 or 503 with Retry-After (its concurrency limit), nothing else, and no socket error.
# Exits 1 when a verdict fails; with P99_LIMIT_MS set, also when a cheap route's p99 is above it (figures are for
# docs/PERFORMANCE.md; CI runs a short budget and checks the errors only: the machine is shared).
#
# Environment: JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), CP_PORT (18090), HEAVY_CLIENTS (10),
# WARMUP seconds (10), CP_JAVA_OPTS (passed to the launcher), P99_LIMIT_MS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dist="$(cd "${1:-$repo/dist/target/control-plane}" && pwd)"
duration="${2:-60}"
clients="${3:-200}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
port="${CP_PORT:-18090}"
heavy_clients="${HEAVY_CLIENTS:-10}"
warmup="${WARMUP:-10}"
base="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "load-mix: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
[ -x "$dist/bin/control-plane" ] || { echo "load-mix: no $dist/bin/control-plane (build the distribution)" >&2; exit 1; }
if curl -s -o /dev/null --max-time 1 "$base/"; then
  echo "load-mix: port $port is already in use (set CP_PORT)" >&2; exit 1
fi

# Cheap: answered from memory or a small file. Heavy: a render, a check or a scan, each behind its own limit.
cheap=(/api/plugins /api/metrics/profiles /api/testruns "/api/testruns?status=running" /health/ready /health/live
  /metrics /)
heavy=(/api/helm/checks /api/keda/scalers /api/karpenter/nodepools /api/argocd/apps /api/checks
  "/api/audit/search?limit=10")

tmp="$(mktemp -d /tmp/load-mix.XXXXXX)"
cp_pid=""
cleanup() {
  if [ -n "$cp_pid" ] && kill -0 "$cp_pid" 2>/dev/null; then
    kill -TERM "$cp_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$cp_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$cp_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

CP_PORT="$port" CP_DATA_DIR="$tmp/data" "$dist/bin/control-plane" >"$tmp/server.log" 2>&1 &
cp_pid=$!
for _ in $(seq 300); do
  curl -s -o /dev/null -w '%{http_code}' "$base/health/ready" 2>/dev/null | grep -q 200 && break
  kill -0 "$cp_pid" 2>/dev/null || { echo "load-mix: the server exited:" >&2; cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done

run_wrk() { # name connections seconds path
  wrk -t1 -c"$2" -d"$3"s --timeout 30s -s "$here/mix.lua" "$base$4" >"$tmp/$1.out" 2>&1
}

if [ "$warmup" -gt 0 ]; then
  i=0; pids=()
  for p in "${cheap[@]}" "${heavy[@]}"; do run_wrk "warm$i" 4 "$warmup" "$p" & pids+=($!); i=$((i + 1)); done
  wait "${pids[@]}"
fi

per=$(( clients / ${#cheap[@]} )); [ "$per" -lt 1 ] && per=1
i=0; pids=()
for p in "${cheap[@]}"; do run_wrk "cheap$i" "$per" "$duration" "$p" & pids+=($!); i=$((i + 1)); done
i=0
for p in "${heavy[@]}"; do run_wrk "heavy$i" "$heavy_clients" "$duration" "$p" & pids+=($!); i=$((i + 1)); done
wait "${pids[@]}"

fail=0
report() { # kind index path
  local f="$tmp/$1$2.out" reqs p50 p99 max statuses errs
  reqs=$(awk '/^requests /{print $2}' "$f"); p50=$(awk '/^p50_ms/{print $2}' "$f")
  p99=$(awk '/^p99_ms/{print $2}' "$f"); max=$(awk '/^max_ms/{print $2}' "$f")
  statuses=$(awk '/^status /{printf "%s×%s ", $3, $2}' "$f")
  errs=$(awk '/^errors_/{s += $2} END {print s + 0}' "$f")
  printf '%-6s %-34s %9.0f/s  p50 %8s ms  p99 %8s ms  max %8s ms  %s socket-errors=%s\n' "$1" "$3" \
    "$(echo "${reqs:-0} / $duration" | bc -l)" "${p50:-?}" "${p99:-?}" "${max:-?}" "$statuses" "$errs"
  [ "${errs:-1}" = 0 ] || fail=1
  if [ "$1" = cheap ]; then
    awk '/^status /{split($2, s, "+"); if (s[1] < 200 || s[1] > 299) bad = 1} END {exit bad}' "$f" || fail=1
    if [ -n "${P99_LIMIT_MS:-}" ] && [ "$(echo "${p99:-99999} > $P99_LIMIT_MS" | bc -l)" = 1 ]; then fail=1; fi
  else
    awk '/^status /{if ($2 != "200" && $2 != "503+retry-after") bad = 1} END {exit bad}' "$f" || fail=1
  fi
}
echo "load-mix: $clients clients over ${#cheap[@]} cheap routes and $heavy_clients per heavy route for $duration s ($(nproc) CPUs)"
i=0; for p in "${cheap[@]}"; do report cheap "$i" "$p"; i=$((i + 1)); done
i=0; for p in "${heavy[@]}"; do report heavy "$i" "$p"; i=$((i + 1)); done
if grep -q "SEVERE" "$tmp/server.log"; then
  echo "load-mix: the server logged SEVERE lines:" >&2; grep -m5 -A3 "SEVERE" "$tmp/server.log" >&2; fail=1
fi
[ "$fail" = 0 ] && echo "load-mix: PASS" || echo "load-mix: FAIL"
exit "$fail"
