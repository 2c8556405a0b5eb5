#!/usr/bin/env bash
# Audit search on a 1 GiB log, through the HTTP endpoint, beside grep -c on the same file.
#
#   bench/audit/run.sh [RUNS=7]
#
# Generates bench/audit/target/audit.log (GenerateAuditLog.java, 1 GiB, fixed seed) unless it exists, starts
# AuditBenchServer.java (the control plane with the audit plugin from plugins/audit's test class path; the
# packaged distribution does not bundle the plugin until it is rebuilt), reads the file once so the page cache
# is warm for both sides, warms the JIT, then per run measures, in this order:
#   grep      grep -c 7f3kq9zx audit.log                                   (the peer: a rare word, whole file)
#   rare q    GET /api/audit/search?q=7f3kq9zx            (tenant tA)        (whole file, both cores)
#   rare q/1  the same on a second server with plugins.audit.scan-threads=1  (what the second core brings)
#   newest    GET /api/audit/search                       (tenant tA, 20 % of the lines: newest 100)
#   newest 2% GET /api/audit/search                       (tenant t13, 2 % of the lines: newest 100)
# and prints each run, the medians and the ratio rare q / grep. Wall times are curl's time_total (client side,
# loopback) and the server's own took_ms. Stops the servers at the end (also on Ctrl-C or an error); deletes the
# 1 GiB file unless KEEP_LOG=1.
#
# Environment: JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), AUDIT_PORT (18190; the second server uses
# AUDIT_PORT+1), GEN_BYTES (1073741824), WARMUP (8 requests per query), KEEP_LOG.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs="${1:-7}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
port="${AUDIT_PORT:-18190}"
port1=$((port + 1))
bytes="${GEN_BYTES:-1073741824}"
warmup="${WARMUP:-8}"
target="$here/target"
log="$target/audit.log"
needle=7f3kq9zx

command -v curl >/dev/null || { echo "audit bench: needs curl" >&2; exit 1; }
[ -x "$java" ] || { echo "audit bench: no java at $java (set JAVA_HOME)" >&2; exit 1; }
[ -d "$repo/plugins/audit/target/classes" ] || {
  echo "audit bench: build the plugin first: bin/with-jdk21 mvn -B -o -pl plugins/audit install" >&2; exit 1; }
for p in "$port" "$port1"; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then
    echo "audit bench: port $p is in use (set AUDIT_PORT)" >&2; exit 1
  fi
done
mkdir -p "$target"
cp_file="$repo/plugins/audit/target/bench.classpath"
if [ ! -s "$cp_file" ]; then
  (cd "$repo" && bin/with-jdk21 mvn -B -o -q -pl plugins/audit dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath)
fi
classpath="$(cat "$cp_file"):$repo/plugins/audit/target/classes"

if [ ! -s "$log" ] || [ "$(stat -c %s "$log")" -lt "$bytes" ]; then
  "$java" "$here/GenerateAuditLog.java" "$log" "$bytes"
fi

pid=""; pid1=""
stop() {
  local p="$1" i
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
cleanup() {
  stop "$pid"; stop "$pid1"
  if [ "${KEEP_LOG:-0}" != 1 ]; then rm -f "$log"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # port data-dir scan-threads -> pid in $started
  SCAN_THREADS="$3" "$java" -cp "$classpath" "$here/AuditBenchServer.java" "$log" "$1" "$2" >"$2.log" 2>&1 &
  started=$!
  local i
  for i in $(seq 600); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$1/healthz" && return 0
    kill -0 "$started" 2>/dev/null || { echo "audit bench: server exited; its log:" >&2; tail -n 30 "$2.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "audit bench: server on $1 not ready after 60 s" >&2; exit 1
}
start "$port" "$target/data" ""; pid=$started
start "$port1" "$target/data-1" 1; pid1=$started

search() { # port token query -> "seconds took_ms count"
  local out
  out="$(curl -s -w '\n%{time_total}' -H "Authorization: Bearer $2" "http://127.0.0.1:$1/api/audit/search?$3")"
  local secs="${out##*$'\n'}" body="${out%$'\n'*}"
  local took count
  took="$(sed -n 's/.*"took_ms":\([0-9]*\).*/\1/p' <<<"$body")"
  count="$(sed -n 's/^{"count":\([0-9]*\),.*/\1/p' <<<"$body")"
  echo "$secs ${took:-?} ${count:-?}"
}
seconds_of() { # command... -> wall seconds
  local s e
  # not to /dev/null: GNU grep then stops at the first match
  s=$(date +%s%N); "$@" >"$target/grep.out"; e=$(date +%s%N)
  awk -v d=$((e - s)) 'BEGIN { printf "%.3f", d / 1e9 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "audit bench: $(stat -c %s "$log") bytes, $(nproc) cores, $("$java" -version 2>&1 | head -1)"
echo "start: $(uptime)"
cat "$log" >/dev/null   # page cache warm for grep and the server alike
for i in $(seq "$warmup"); do
  search "$port" bench-ta "q=$needle" >/dev/null; search "$port1" bench-ta "q=$needle" >/dev/null
  search "$port" bench-ta "" >/dev/null; search "$port" bench-t13 "" >/dev/null
done
grep -c "$needle" "$log" >"$target/grep.out"

declare -a g q q1 n n13 qt q1t nt n13t ratio
printf '%-4s %9s %16s %16s %16s %16s\n' run grep "rare q" "rare q/1 thread" "newest tA" "newest t13"
for r in $(seq "$runs"); do
  g[r]=$(seconds_of grep -c "$needle" "$log")
  read -r q[r] qt[r] qc <<<"$(search "$port" bench-ta "q=$needle")"
  read -r q1[r] q1t[r] _ <<<"$(search "$port1" bench-ta "q=$needle")"
  read -r n[r] nt[r] nc <<<"$(search "$port" bench-ta "")"
  read -r n13[r] n13t[r] n13c <<<"$(search "$port" bench-t13 "")"
  ratio[r]=$(awk -v a="${q[r]}" -v b="${g[r]}" 'BEGIN { printf "%.3f", a / b }')
  printf '%-4s %8ss %9ss %4sms %9ss %4sms %9ss %4sms %9ss %4sms\n' "$r" "${g[r]}" "${q[r]}" "${qt[r]}" "${q1[r]}" \
    "${q1t[r]}" "${n[r]}" "${nt[r]}" "${n13[r]}" "${n13t[r]}"
done
mg=$(printf '%s\n' "${g[@]}" | median); mq=$(printf '%s\n' "${q[@]}" | median)
mq1=$(printf '%s\n' "${q1[@]}" | median); mn=$(printf '%s\n' "${n[@]}" | median)
mn13=$(printf '%s\n' "${n13[@]}" | median)
echo
echo "medians over $runs runs (items: rare q $qc, newest tA $nc, newest t13 $n13c)"
printf '  grep -c %s            %8.3f s\n' "$needle" "$mg"
printf '  rare q (2 threads)         %8.3f s   server %s ms   ratio to grep %.2f\n' "$mq" \
  "$(printf '%s\n' "${qt[@]}" | median)" "$(awk -v a="$mq" -v b="$mg" 'BEGIN { print a / b }')"
printf '  rare q (1 thread)          %8.3f s   server %s ms   ratio to grep %.2f\n' "$mq1" \
  "$(printf '%s\n' "${q1t[@]}" | median)" "$(awk -v a="$mq1" -v b="$mg" 'BEGIN { print a / b }')"
printf '  newest 100, tenant tA      %8.4f s   server %s ms\n' "$mn" "$(printf '%s\n' "${nt[@]}" | median)"
printf '  newest 100, tenant t13     %8.4f s   server %s ms\n' "$mn13" "$(printf '%s\n' "${n13t[@]}" | median)"
printf '  median of the per-run ratios rare q / grep: %s\n' "$(printf '%s\n' "${ratio[@]}" | median)"
echo "end: $(uptime)"
