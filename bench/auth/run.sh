#!/usr/bin/env bash
# JMH: per-request cost of authentication + scope check. Usage: bench/auth/run.sh [extra JMH args]
# Installs the server module (and what it needs) into ~/.m2 first, then runs the benchmark in bench/auth.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$root" && bin/with-jdk21 mvn -B -q -o -DskipTests -pl server -am install)
cd "$here"
"$root/bin/with-jdk21" mvn -B -q -o package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
"$root/bin/with-jdk21" java -cp "target/classes:$(cat target/cp.txt)" org.openjdk.jmh.Main AuthPathBench "$@"
