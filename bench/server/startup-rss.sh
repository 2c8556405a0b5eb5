#!/usr/bin/env bash
# Start-up time and idle memory of the packaged control plane, every bundled plugin loaded.
#
#   bench/server/startup-rss.sh [DIST_DIR] [RUNS=5]
#
# Per run: starts DIST_DIR/bin/control-plane (default: this repo's dist/target/control-plane) on the demo
# workspace with a fresh temporary CP_DATA_DIR, and measures
#   - start-up: from just before the launcher is started to the first 200 of GET /health/ready, in ms (the
#     launcher's own work, finding a JDK, is included: it is part of what a user waits for); polled every 10 ms
#     by the shell itself (bash /dev/tcp, no process forked per poll, so the probe takes no CPU from the JVM);
#   - CPU at ready: user + system CPU time of the server process (and of the launcher's children) when it was
#     first ready, in ms; steadier than the wall time on a machine that others share;
#   - "JVM → listening": Helidon's own "N milliseconds since JVM startup" log line;
#   - RSS: VmRSS of /proc/<pid>/status after IDLE seconds without a request, and the peak VmHWM;
# then stops the server (SIGTERM) and checks it exited. Prints every run and the medians.
# JVM options: the launcher's defaults; CP_JAVA_OPTS (passed to the launcher) measures a variant.
#
# Environment (all optional):
#   JAVA_HOME     left as it is: the launcher finds its JDK exactly as it would for a user (printed per run)
#   CP_JAVA_OPTS  extra JVM options for the launcher (a variant to measure, e.g. "-Xmx256m -XX:+UseSerialGC")
#   CP_PORT       port (default 18088)
#   IDLE          seconds idle before RSS is read (default 60; 0 reads it right after start-up)
#   PRIME         unmeasured start/stop cycles first (default 1: page cache, a CDS archive to create)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dist="$(cd "${1:-$repo/dist/target/control-plane}" && pwd)"
runs="${2:-5}"
port="${CP_PORT:-18088}"
idle="${IDLE:-60}"
prime="${PRIME:-1}"

[ -x "$dist/bin/control-plane" ] || { echo "startup-rss: no $dist/bin/control-plane (build the distribution)" >&2; exit 1; }
command -v curl >/dev/null || { echo "startup-rss: needs curl" >&2; exit 1; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "startup-rss: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
  echo "startup-rss: port $port is already in use (set CP_PORT)" >&2; exit 1
fi

tmp="$(mktemp -d /tmp/startup-rss.XXXXXX)"
pid=""
stop() {
  local i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || { pid=""; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
cleanup() { stop; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

exec {sleep_fd}<> <(:)              # read -t on this fd sleeps without forking
nap() { read -r -t "$1" -u "$sleep_fd" || true; }
us() { local t="${1/./}"; echo "${t#0}"; }   # EPOCHREALTIME to microseconds
clk_tck="$(getconf CLK_TCK)"

# ready: 0 when GET /health/ready answers 200, with builtins only
ready() {
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 || { exec 3<&-; return 1; }
  IFS= read -r -t 5 line <&3 || true
  exec 3<&-
  [[ "$line" == "HTTP/1.1 200"* ]]
}

# one_run N: sets R_START (ms), R_CPU (ms), R_JVM (JVM to listening, ms), R_RSS, R_PEAK (MB); N=0 is a priming run.
# Runs in this shell (not a subshell) so that the EXIT trap knows the server's pid.
one_run() {
  local n="$1" data="$tmp/data-$1" log="$tmp/run-$1.log" t0 t1 i ok="" body rss hwm jvm_ms exe stat f cpu_ms
  mkdir -p "$data"
  t0="$EPOCHREALTIME"
  CP_PORT="$port" CP_DATA_DIR="$data" "$dist/bin/control-plane" >"$log" 2>&1 &
  pid=$!
  for i in $(seq 6000); do
    if ready; then ok=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    nap 0.01
  done
  t1="$EPOCHREALTIME"
  cpu_ms=0
  if [ -n "$ok" ] && read -r stat <"/proc/$pid/stat"; then
    read -r -a f <<<"${stat##*) }"     # f[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
    cpu_ms=$(( (f[11] + f[12] + f[13] + f[14]) * 1000 / clk_tck ))
  fi
  if [ -z "$ok" ]; then echo "startup-rss: run $n: not ready (log below)" >&2; tail -n 30 "$log" >&2; exit 1; fi
  body="$(curl -s "http://127.0.0.1:$port/health/ready")"
  exe="$(readlink "/proc/$pid/exe" || echo '?')"
  case "$body" in *'"plugins_failed":[]'*) ;; *) echo "startup-rss: run $n: a plugin failed: $body" >&2 ;; esac
  if [ "$n" = 0 ]; then stop; return; fi
  [ "$idle" -gt 0 ] && sleep "$idle"
  rss="$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")"
  hwm="$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")"
  jvm_ms="$(sed -n 's/.* \([0-9][0-9]*\) milliseconds since JVM startup.*/\1/p' "$log" | head -n1)"
  stop
  R_INFO="$exe $body"
  R_START="$(( ($(us "$t1") - $(us "$t0")) / 1000 ))"; R_CPU="$cpu_ms"; R_JVM="${jvm_ms:-0}"; R_RSS="$rss"; R_PEAK="$hwm"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# startup-rss $(date '+%Y-%m-%d %H:%M') dist=$dist runs=$runs idle=${idle}s prime=$prime"
echo "# JAVA_HOME=${JAVA_HOME:-unset} CP_JAVA_OPTS='${CP_JAVA_OPTS:-}'; load before: $(uptime | sed 's/.*load average: //')"
for i in $(seq "$prime"); do one_run 0; done
declare -a st cp jv rs hw
printf '%-6s %12s %12s %14s %10s %10s  %s\n' run "start-up ms" "CPU ms" "JVM→listen ms" "RSS MB" "peak MB" "load"
for n in $(seq "$runs"); do
  one_run "$n"
  st+=("$R_START"); cp+=("$R_CPU"); jv+=("$R_JVM"); rs+=("$R_RSS"); hw+=("$R_PEAK")
  printf '%-6s %12s %12s %14s %10s %10s  %s\n' "$n" "$R_START" "$R_CPU" "$R_JVM" "$R_RSS" "$R_PEAK" \
    "$(uptime | sed 's/.*load average: //')"
done
printf '%-6s %12s %12s %14s %10s %10s\n' median "$(median "${st[@]}")" "$(median "${cp[@]}")" "$(median "${jv[@]}")" \
  "$(median "${rs[@]}")" "$(median "${hw[@]}")"
printf '%-6s %12s %12s %14s %10s %10s\n' min-max "$(printf '%s\n' "${st[@]}" | sort -g | sed -n '1p;$p' | paste -sd-)" \
  "$(printf '%s\n' "${cp[@]}" | sort -g | sed -n '1p;$p' | paste -sd-)" "" \
  "$(printf '%s\n' "${rs[@]}" | sort -g | sed -n '1p;$p' | paste -sd-)" ""
echo "# java and readiness of the last run: $R_INFO"
