#!/usr/bin/env bash
# Parser throughput (MB/s) on node-exporter payloads beside `promtool check metrics` on the same corpus.
# Usage: bench/metrics/parser-throughput.sh [COPIES=1,10,50] [ROUNDS=7]
# COPIES: corpus sizes, in node-exporter payloads (families renamed per copy so the corpus stays valid).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
copies="${1:-1,10,50}"
rounds="${2:-7}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v promtool >/dev/null || { echo "promtool not installed (apt-get install prometheus)" >&2; exit 1; }
(cd "$root" && mvn -B -o -q -pl plugins/metrics compile)
"$here/capture-node-exporter.sh"
"$JAVA_HOME/bin/java" -Xmx1g -cp "$root/plugins/metrics/target/classes" "$here/ParserThroughput.java" \
  "$here/target/node-exporter.prom" "$copies" "$rounds"
