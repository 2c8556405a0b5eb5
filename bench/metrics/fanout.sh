#!/usr/bin/env bash
# Fan-out: POST /api/metrics/aggregate with N (default 1000) distinct loopback endpoints that each answer after
# DELAY ms (default 200) with a node-exporter payload, against a control plane started here with AUTH_MODE=none.
# Usage: bench/metrics/fanout.sh [N=1000] [RUNS=7] [DELAY_MS=200]
# Env: SERVER_JAVA_OPTS (default -Xmx512m), JAVA_HOME (default temurin 25).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:-1000}"; runs="${2:-7}"; delay="${3:-200}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The metrics plugin and the server it runs in (the plugin is found on the classpath).
(cd "$root" && mvn -B -o -q -pl plugins/metrics compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$here/target/classpath.txt")
[ -s "$here/target/node-exporter.prom" ] || "$here/capture-node-exporter.sh"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

tport="$(free_port)"
"$java" "$here/FanoutTargets.java" "$tport" "$here/target/node-exporter.prom" "$delay" >"$here/target/targets.log" 2>&1 &
pids+=($!)

sport="$(free_port)"
mkdir -p "$here/target/empty-plugins" "$here/target/data"
CP_PORT="$sport" AUTH_MODE=none CP_PLUGINS_DIR="$here/target/empty-plugins" CP_DATA_DIR="$here/target/data" \
  "$java" ${SERVER_JAVA_OPTS:--Xmx512m} -Dcp.home="$root" \
  -cp "$root/plugins/metrics/target/classes:$(cat "$here/target/classpath.txt")" \
  io.asyncsidecar.controlplane.server.Main >"$here/target/server.log" 2>&1 &
spid=$!
pids+=($spid)

for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$sport/health/ready" >/dev/null && curl -sf "http://127.0.0.1:$tport/m/0" >/dev/null && break
  sleep 0.1
done
echo "server pid $spid on :$sport (${SERVER_JAVA_OPTS:--Xmx512m}), targets on :$tport, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$java" "$here/FanoutBench.java" "http://127.0.0.1:$sport" "http://127.0.0.1:$tport" "$n" "$runs" "$spid"
"$JAVA_HOME/bin/jcmd" "$spid" GC.heap_info | sed -n '2,3p'
