#!/usr/bin/env bash
# Whole-system request path: the packaged control plane beside a bare Helidon 4.2.6 route, same run, same wrk.
#
#   bench/server/request-path.sh [DIST_DIR] [ROUNDS=3] [DURATION=10]
#
# Starts DIST_DIR/bin/control-plane (default: this repo's dist/target/control-plane) on the demo workspace with
# the demo tokens, a temporary CP_DATA_DIR and the access log at its default (INFO, to the launcher's output,
# which goes to a file here), and bench/server/BareHelidon.java on the same distribution's lib/. Warms both, then
# per round runs, order alternating between rounds:
#   (1) wrk -t2 -c64 -dDURATIONs --latency  GET /api/metrics/profiles  (Authorization: Bearer demo-admin)
#   (2) wrk -t2 -c64 -dDURATIONs --latency  GET /bare                  (the bare server, same body size)
#   (3) wrk -t2 -c4  -dDURATIONs --latency  GET /api/helm/checks       (a chart render per request: see README)
# and prints requests/s and p99 per round, the medians and the ratios ours/bare. Stops both servers and removes
# its temporary files at the end (also on Ctrl-C or an error).
#
# Environment (all optional):
#   JAVA_HOME          JDK for both servers (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   CP_JAVA_OPTS       extra JVM options for the control plane (passed to its launcher, e.g. -XX:+UseSerialGC)
#   BARE_JAVA_OPTS     JVM options for the bare server (default: none, the JVM's defaults)
#   CP_PORT, BARE_PORT ports (default 18088, 18099)
#   CONNECTIONS        wrk connections for (1) and (2) (default 64); THREADS wrk threads (default 2)
#   HELM_CONNECTIONS   wrk connections for (3) (default 4; 0 skips the helm route)
#   WARMUP             seconds of wrk per route before the first round (default 20: the JIT needs it)
#   SERVER_CPUS, WRK_CPUS  taskset CPU lists to pin the servers and wrk (default: empty, nothing pinned)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dist="$(cd "${1:-$repo/dist/target/control-plane}" && pwd)"
rounds="${2:-3}"
duration="${3:-10}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_port="${CP_PORT:-18088}"
bare_port="${BARE_PORT:-18099}"
conns="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
helm_conns="${HELM_CONNECTIONS:-4}"
warmup="${WARMUP:-20}"
server_cpus="${SERVER_CPUS:-}"
wrk_cpus="${WRK_CPUS:-}"
token='Authorization: Bearer demo-admin'

command -v wrk >/dev/null || { echo "request-path: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "request-path: needs curl" >&2; exit 1; }
[ -x "$dist/bin/control-plane" ] || { echo "request-path: no $dist/bin/control-plane (build the distribution)" >&2; exit 1; }
[ -x "$JAVA_HOME/bin/java" ] || { echo "request-path: no java at $JAVA_HOME/bin/java (set JAVA_HOME)" >&2; exit 1; }
for p in "$cp_port" "$bare_port"; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then
    echo "request-path: port $p is already in use (set CP_PORT / BARE_PORT)" >&2; exit 1
  fi
done

tmp="$(mktemp -d /tmp/request-path.XXXXXX)"
cp_pid=""; bare_pid=""
stop() { # pid: SIGTERM, up to 15 s, then SIGKILL
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() { stop "$cp_pid"; stop "$bare_pid"; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

pin() { local cpus="$1"; shift; if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi; }

wait_ready() { # url pid name
  local i
  for i in $(seq 600); do
    curl -sf -o /dev/null --max-time 1 "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "request-path: $3 exited during start-up; its log:" >&2; tail -n 30 "$tmp/$3.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "request-path: $3 not ready after 60 s" >&2; exit 1
}

# --- start both servers -----------------------------------------------------------------------------------
mkdir -p "$tmp/data"
server_pin=(); [ -n "$server_cpus" ] && server_pin=(taskset -c "$server_cpus")
# Not through a shell function: $! must be the server's own pid (taskset and the launcher exec it).
CP_PORT="$cp_port" CP_DATA_DIR="$tmp/data" "${server_pin[@]}" "$dist/bin/control-plane" >"$tmp/cp.log" 2>&1 &
cp_pid=$!
# shellcheck disable=SC2086
"${server_pin[@]}" "$JAVA_HOME/bin/java" ${BARE_JAVA_OPTS:-} -cp "$dist/lib/*" "$here/BareHelidon.java" "$bare_port" \
  >"$tmp/bare.log" 2>&1 &
bare_pid=$!
wait_ready "http://127.0.0.1:$cp_port/health/ready" "$cp_pid" cp
wait_ready "http://127.0.0.1:$bare_port/bare" "$bare_pid" bare

ours_url="http://127.0.0.1:$cp_port/api/metrics/profiles"
bare_url="http://127.0.0.1:$bare_port/bare"
helm_url="http://127.0.0.1:$cp_port/api/helm/checks"
for u in "$ours_url" "$helm_url"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 -H "$token" "$u")"
  [ "$code" = 200 ] || { echo "request-path: GET $u answered $code, expected 200" >&2; exit 1; }
done
ours_bytes="$(curl -s -H "$token" "$ours_url" | wc -c)"
bare_bytes="$(curl -s "$bare_url" | wc -c)"

echo "# request-path $(date '+%Y-%m-%d %H:%M') dist=$dist rounds=$rounds duration=${duration}s"
echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1); CP_JAVA_OPTS='${CP_JAVA_OPTS:-}' BARE_JAVA_OPTS='${BARE_JAVA_OPTS:-}'"
echo "# ours: GET /api/metrics/profiles ($ours_bytes bytes) with a bearer token, access log on (default);" \
     "bare: GET /bare ($bare_bytes bytes); helm: GET /api/helm/checks with $helm_conns connections"
echo "# pinning: servers ${server_cpus:-not pinned}, wrk ${wrk_cpus:-not pinned}; nproc $(nproc)"
echo "# load before: $(uptime | sed 's/.*load average: //')"

# --- wrk ------------------------------------------------------------------------------------------------
# run_wrk NAME CONNECTIONS SECONDS URL [HEADER]: prints "<requests/s> <p99 ms> <non-2xx> <socket errors>"
run_wrk() {
  local name="$1" c="$2" d="$3" url="$4" header="${5:-}" out="$tmp/wrk-$1.txt" t="$threads"
  [ "$c" -lt "$t" ] && t="$c"
  if [ -n "$header" ]; then
    pin "$wrk_cpus" timeout $((d + 60)) wrk -t"$t" -c"$c" -d"${d}s" --latency -H "$header" "$url" >"$out" 2>&1 || true
  else
    pin "$wrk_cpus" timeout $((d + 60)) wrk -t"$t" -c"$c" -d"${d}s" --latency "$url" >"$out" 2>&1 || true
  fi
  cat "$out" >>"$tmp/wrk-all.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v * 0.001; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000;
                     if (v ~ /s$/) return v * 1000; return v + 0 }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" && p99 == "" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
    END { if (rps == "") rps = 0; if (p99 == "") p99 = 0; printf "%.0f %.2f %d %d\n", rps, p99, non2xx, err }' "$out"
}

warm() { run_wrk "warm-$1" "$2" "$warmup" "$3" "${4:-}" >/dev/null; }
if [ "$warmup" -gt 0 ]; then
  warm ours "$conns" "$ours_url" "$token"
  warm bare "$conns" "$bare_url"
  [ "$helm_conns" -gt 0 ] && warm helm "$helm_conns" "$helm_url" "$token"
fi

declare -a ours_rps ours_p99 bare_rps bare_p99 helm_rps helm_p99
printf '%-6s %-12s %12s %10s %12s %10s %8s %8s %12s %10s  %s\n' round order "ours req/s" "ours p99" "bare req/s" \
  "bare p99" "rps o/b" "p99 o/b" "helm req/s" "helm p99" "load"
for r in $(seq "$rounds"); do
  if [ $((r % 2)) = 1 ]; then order="ours,bare"; else order="bare,ours"; fi
  for who in ${order//,/ }; do
    if [ "$who" = ours ]; then
      read -r o_rps o_p99 o_bad o_err < <(run_wrk "ours-$r" "$conns" "$duration" "$ours_url" "$token")
    else
      read -r b_rps b_p99 b_bad b_err < <(run_wrk "bare-$r" "$conns" "$duration" "$bare_url")
    fi
  done
  h_rps=0; h_p99=0; h_bad=0; h_err=0
  if [ "$helm_conns" -gt 0 ]; then
    read -r h_rps h_p99 h_bad h_err < <(run_wrk "helm-$r" "$helm_conns" "$duration" "$helm_url" "$token")
  fi
  ours_rps+=("$o_rps"); ours_p99+=("$o_p99"); bare_rps+=("$b_rps"); bare_p99+=("$b_p99")
  helm_rps+=("$h_rps"); helm_p99+=("$h_p99")
  ratio_rps="$(awk -v a="$o_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  ratio_p99="$(awk -v a="$o_p99" -v b="$b_p99" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
  printf '%-6s %-12s %12s %9sms %12s %9sms %8s %8s %12s %9sms  %s\n' "$r" "$order" "$o_rps" "$o_p99" "$b_rps" "$b_p99" \
    "$ratio_rps" "$ratio_p99" "$h_rps" "$h_p99" "$(uptime | sed 's/.*load average: //')"
  for x in "ours:$o_bad:$o_err" "bare:$b_bad:$b_err" "helm:$h_bad:$h_err"; do
    IFS=: read -r n bad err <<<"$x"
    if [ "$bad" != 0 ] || [ "$err" != 0 ]; then echo "  warning: $n had $bad non-2xx responses, $err socket errors" ; fi
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_o_rps="$(median "${ours_rps[@]}")"; m_o_p99="$(median "${ours_p99[@]}")"
m_b_rps="$(median "${bare_rps[@]}")"; m_b_p99="$(median "${bare_p99[@]}")"
m_h_rps="$(median "${helm_rps[@]}")"; m_h_p99="$(median "${helm_p99[@]}")"
printf '%-6s %-12s %12.0f %9.2fms %12.0f %9.2fms %8.2f %8.1f %12.0f %9.2fms  %s\n' median "" "$m_o_rps" "$m_o_p99" \
  "$m_b_rps" "$m_b_p99" "$(awk -v a="$m_o_rps" -v b="$m_b_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" \
  "$(awk -v a="$m_o_p99" -v b="$m_b_p99" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "$m_h_rps" "$m_h_p99" \
  "$(uptime | sed 's/.*load average: //')"
echo "# ratios of the medians: requests/s ours/bare $(awk -v a="$m_o_rps" -v b="$m_b_rps" 'BEGIN { printf "%.2f", a / b }')," \
     "p99 ours/bare $(awk -v a="$m_o_p99" -v b="$m_b_p99" 'BEGIN { printf "%.1f", a / b }')"
rss="$(awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { printf "RSS %d MB, peak %d MB", r / 1024, h / 1024 }' "/proc/$cp_pid/status" 2>/dev/null || true)"
echo "# control plane after the run: $rss; its log (access log included) $(wc -l <"$tmp/cp.log") lines," \
     "$(($(wc -c <"$tmp/cp.log") / 1048576)) MB"
