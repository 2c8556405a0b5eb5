#!/usr/bin/env bash
# HIF validation throughput (MB/s) on the fixtures' largest HIF-standard dataset, beside python-jsonschema.
#
#   bench/compliance/hif-bench.sh [ROUNDS=5] [COPIES=190]
#
# Corpus (bench/compliance/hif-peer.py corpus, written to a temporary folder): the largest file of
# ../shared/fixtures/hif/HIF-standard/data as it is and COPIES times over (validated against the fixtures'
# hif_schema.json, a draft-07 schema: its own), and the same converted to the shipped schema's LegacyGraph, as it
# is and COPIES times over (validated against the shipped 2020-12 schema "hif", with format assertions).
# For each file: ours in process (reader + validator, as the route runs them) and through
# POST /api/compliance/hif/validate of a server on loopback (hif-throughput.java), then the peer (json.loads +
# jsonschema iter_errors, the class its $schema names, with its format checker). Every round repeats the file
# for at least a second; the medians are printed last. Needs: the JDK 25 (JAVA_HOME), Maven, python3 with
# jsonschema (pip, or apt-get install python3-jsonschema for /usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
n="${2:-190}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
fixtures="${SHARED_DIR:-$root/../shared}/fixtures/hif/HIF-standard"
[ -d "$fixtures" ] || { echo "hif-bench: no $fixtures (set SHARED_DIR)" >&2; exit 1; }
py=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then py="$p"; break; fi
done
[ -n "$py" ] || echo "hif-bench: no python3 with jsonschema (apt-get install python3-jsonschema): peer skipped" >&2

tmp="$(mktemp -d /tmp/hif-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && bin/with-jdk21 mvn -B -o -q -Dstyle.color=never -pl plugins/compliance test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$tmp/cp.txt") >/dev/null
# a copy of the classes: a build of the module running meanwhile must not swap them under the benchmark
cp -r "$root/plugins/compliance/target/classes" "$tmp/classes"
cp="$tmp/classes:$(cat "$tmp/cp.txt")"
builtin="$root/plugins/compliance/src/main/resources/io/asyncsidecar/controlplane/plugins/compliance/hif/hif.schema.json"

echo "== corpus"
python3 "$here/hif-peer.py" corpus "$fixtures/data" "$tmp/corpus" "$n" | tee "$tmp/corpus.tsv"

echo "== ours (JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2), -Xmx1g)"
"$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" "$here/hif-throughput.java" "$fixtures/schemas" "$rounds" \
  "hif_schema=$tmp/corpus/standard.json" "hif_schema=$tmp/corpus/standard-x$n.json" \
  "hif=$tmp/corpus/legacy.json" "hif=$tmp/corpus/legacy-x$n.json" 2>"$tmp/ours.log" | tee "$tmp/ours.tsv" \
  || { echo "hif-bench: the Java side failed; its log:" >&2; grep -v '^INFO\|^WARNING\|^[A-Z][a-z][a-z] [0-9]' "$tmp/ours.log" | tail -20 >&2; exit 1; }

if [ -n "$py" ]; then
  echo "== peer: $("$py" -c 'import importlib.metadata as m, sys; print("python", sys.version.split()[0], "jsonschema", m.version("jsonschema"))')"
  printf 'case\tbytes\tMB/s per round\tmedian MB/s\n' | tee "$tmp/peer.tsv"
  for c in "hif_schema=$fixtures/schemas/hif_schema.json=standard.json" \
           "hif_schema=$fixtures/schemas/hif_schema.json=standard-x$n.json" \
           "hif=$builtin=legacy.json" "hif=$builtin=legacy-x$n.json"; do
    label="${c%%=*}"; rest="${c#*=}"; schema="${rest%=*}"; file="${rest##*=}"
    runs="$("$py" "$here/hif-peer.py" peer "$schema" "$tmp/corpus/$file" "$rounds" | cut -f1 | tr '\n' ' ')"
    median="$(echo "$runs" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    printf '%s:%s\t%s\t%s\t%s\n' "$label" "$file" "$(stat -c %s "$tmp/corpus/$file")" "$runs" "$median" \
      | tee -a "$tmp/peer.tsv"
  done
fi

echo "== medians (MB/s)"
printf '%-32s %10s %12s %10s %10s\n' case bytes in-process http peer
while IFS=$'\t' read -r name bytes path _ median _; do
  [ "$path" = "in-process" ] || continue
  http="$(awk -F'\t' -v n="$name" '$1==n && $3=="http" {print $5}' "$tmp/ours.tsv")"
  peer="$( [ -f "$tmp/peer.tsv" ] && awk -F'\t' -v n="$name" '$1==n {print $4}' "$tmp/peer.tsv")"
  printf '%-32s %10s %12s %10s %10s\n' "$name" "$bytes" "$median" "$http" "${peer:--}"
done < "$tmp/ours.tsv"
