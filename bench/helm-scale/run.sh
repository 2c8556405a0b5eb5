#!/usr/bin/env bash
# JMH: time and Java heap allocated by one helm check (embedded render, parse with lines, every chart check) of a
# generated chart with 50, 100 and 200 workloads, and of the render alone, to show both grow linearly.
# Usage: bench/helm-scale/run.sh [extra JMH args]   (defaults: -prof gc -f 1 -wi 3 -i 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$root" && bin/with-jdk21 mvn -B -q -DskipTests -pl plugins/helm -am install)
cd "$here"
"$root/bin/with-jdk21" mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(-prof gc -f 1 -wi 3 -i 5)
"$root/bin/with-jdk21" java --enable-native-access=ALL-UNNAMED -cp "target/classes:$(cat target/cp.txt)" \
  org.openjdk.jmh.Main ChartScaleBench "${args[@]}"
