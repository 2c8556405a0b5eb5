#!/usr/bin/env bash
# Captures one scrape of a real Prometheus node exporter (Debian: prometheus-node-exporter) into
# bench/metrics/target/node-exporter.prom. Third-party output: generated at run time, never committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target/node-exporter.prom"
mkdir -p "$here/target"
bin="${NODE_EXPORTER_BIN:-$(command -v prometheus-node-exporter || command -v node_exporter || true)}"
[ -x "$bin" ] || { echo "prometheus-node-exporter not installed (apt-get install prometheus-node-exporter)" >&2; exit 1; }
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" --web.listen-address="127.0.0.1:$port" >"$here/target/node-exporter.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf -o "$out" "http://127.0.0.1:$port/metrics" && break
  sleep 0.1
done
[ -s "$out" ] || { echo "node exporter did not answer" >&2; exit 1; }
echo "captured $(wc -c <"$out") bytes, $(grep -c '^# TYPE' "$out") families from node exporter $("$bin" --version 2>&1 | head -1)"
