#!/usr/bin/env bash
# The container image, built and run for real: builds the Containerfile with local base images
# (deploy/container/make-bases.sh, --pull=never, DIST=prebuilt from dist/target/control-plane), runs it with a
# read-only root filesystem, a tmpfs /tmp and a volume for /data, mounts the example plugin into /plugins.d, and
# checks /health/ready, /api/plugins (every plugin active, the example's source in the mount), a check route, the
# image's HEALTHCHECK, the non-root user, the read-only root, then a clean stop on SIGTERM. Prints the figures
# docs/PERFORMANCE.md quotes. Needs podman, runc, debootstrap, node, and `mvn package` done (dist/ and examples/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CONTAINERS_CONF="$PWD/deploy/container/containers.conf"
image=localhost/control-plane:ci
name="control-plane-ci-$$"
volume="control-plane-ci-data-$$"
port="${CP_CONTAINER_TEST_PORT:-18089}"
example=examples/hello-plugin/target/plugin/hello
fail() { echo "container-test: $*" >&2; podman logs "$name" 2>&1 | tail -40 >&2 || true; exit 1; }
cleanup() { podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; podman volume rm -f "$volume" >/dev/null 2>&1 || true; }
trap cleanup EXIT

[ -f dist/target/control-plane/.built ] || { echo "container-test: run mvn package first (no dist/target/control-plane)" >&2; exit 1; }
[ -d "$example" ] || { echo "container-test: run mvn package first (no $example)" >&2; exit 1; }

t0=$(date +%s)
eval "$(deploy/container/make-bases.sh)"   # sets RUNTIME_BASE and JDK_BASE
t1=$(date +%s)
podman build -q --pull=never --format docker --build-arg DIST=prebuilt \
  --build-arg JDK_BASE="$JDK_BASE" --build-arg RUNTIME_BASE="$RUNTIME_BASE" -t "$image" . >/dev/null
t2=$(date +%s)
echo "container-test: bases $((t1 - t0)) s, image build $((t2 - t1)) s"

podman volume create "$volume" >/dev/null
start_ms=$(date +%s%3N)
# helm-java writes its ~100 MB native library to /tmp and loads it from there: the tmpfs must allow exec.
podman run -d --name "$name" --read-only --tmpfs /tmp:rw,exec,nosuid,nodev,size=256m -v "$volume:/data" \
  -v "$PWD/$example:/plugins.d/hello:ro" -p "127.0.0.1:$port:8088" "$image" 2>/dev/null >/dev/null
base="http://127.0.0.1:$port"
ready=""
for _ in $(seq 1 240); do
  if curl -fsS "$base/health/ready" >/dev/null 2>&1; then ready=yes; break; fi
  [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || fail "the container exited before it was ready"
  sleep 0.25
done
[ -n "$ready" ] || fail "not ready after 60 s"
ready_ms=$(( $(date +%s%3N) - start_ms ))
echo "container-test: ready ${ready_ms} ms after podman run"

auth=(-H 'Authorization: Bearer demo-admin')
plugins="$(curl -fsS "${auth[@]}" "$base/api/plugins")" || fail "GET /api/plugins failed"
PLUGINS="$plugins" node -e '
  const body = JSON.parse(process.env.PLUGINS);
  const list = Array.isArray(body) ? body : body.plugins;
  const bad = list.filter(p => p.status !== "active").map(p => p.id + ": " + p.status);
  if (bad.length) { console.error("plugins not active: " + bad.join(", ")); process.exit(1); }
  const hello = list.find(p => p.id === "hello");
  if (!hello) { console.error("the mounted example plugin is not listed"); process.exit(1); }
  if (!String(hello.source).startsWith("/plugins.d/hello")) { console.error("hello loaded from " + hello.source); process.exit(1); }
  console.log("container-test: " + list.length + " plugins active, hello from " + hello.source);
' || fail "unexpected /api/plugins: $plugins"
code="$(curl -sS -o /tmp/container-test-helm.json -w '%{http_code}' "${auth[@]}" "$base/api/helm/checks")"
[ "$code" = 200 ] || fail "GET /api/helm/checks answered $code: $(head -c 400 /tmp/container-test-helm.json)"
node -e 'const b = JSON.parse(require("fs").readFileSync("/tmp/container-test-helm.json", "utf8"));
  if (!Array.isArray(b.findings)) { console.error("no findings array"); process.exit(1); }
  console.log("container-test: helm checks " + b.findings.length + " findings, engine " + (b.summary && b.summary.engine));' \
  || fail "unexpected /api/helm/checks"
curl -fsS "$base/" | grep -q importmap || fail "no GUI at /"

podman healthcheck run "$name" >/dev/null 2>&1 || fail "the image's HEALTHCHECK reports unhealthy"
uid="$(podman exec "$name" id -u)"
[ "$uid" != 0 ] || fail "runs as root"
[ "$(podman exec "$name" sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' /proc/1/status)" = "$uid" ] || fail "java (pid 1) is not uid $uid"
podman exec "$name" touch /opt/control-plane/x 2>/dev/null && fail "the root filesystem is writable"
podman exec "$name" sh -c 'ls /tmp/helm-java*/*.so' >/dev/null 2>&1 || echo "container-test: note: no helm-java library in /tmp"
rss_kb="$(podman exec "$name" sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/1/status)"
echo "container-test: uid $uid, read-only root, RSS $((rss_kb / 1024)) MB after the checks"
echo "container-test: image $(podman image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'), jlinked runtime $(podman run --rm --pull=never --entrypoint du "$image" -sm /opt/java | cut -f1) MB, modules $(podman run --rm --pull=never --entrypoint cat "$image" /opt/java/modules.txt)"

stop_start=$(date +%s%3N)
podman stop -t 20 "$name" >/dev/null
stop_ms=$(( $(date +%s%3N) - stop_start ))
exit_code="$(podman inspect -f '{{.State.ExitCode}}' "$name")"
# the JVM exits 143 (128 + SIGTERM) after its shutdown hooks; 137 would mean podman had to SIGKILL it
case "$exit_code" in 0|143) ;; *) fail "exit code $exit_code after SIGTERM" ;; esac
[ "$stop_ms" -lt 15000 ] || fail "stopping took ${stop_ms} ms (SIGTERM not handled?)"
# the server logs nothing on a clean drain; a failed one warns, a JVM crash at exit leaves an hs_err report
stop_log="$(podman logs --since "$(date -u -d "@$((stop_start / 1000 - 1))" +%Y-%m-%dT%H:%M:%SZ)" "$name" 2>&1 || true)"
if grep -E 'requests still running|SIGSEGV|fatal error|Exception' <<<"$stop_log" >&2; then fail "unclean stop (above)"; fi
echo "container-test: stopped on SIGTERM in ${stop_ms} ms, exit $exit_code"
echo "container-test: OK"
