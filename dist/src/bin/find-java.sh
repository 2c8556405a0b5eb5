# Sourced by the launchers: sets JAVA to a java 21+ from JAVA_HOME, PATH or /usr/lib/jvm (first match wins), and
# JAVA_VERSION to its version (e.g. 25.0.3) and JAVA_DIR to its home (symbolic links resolved), or explains and
# exits.
# A JDK's version is read from its `release` file when it has one (no JVM is started for that, which saves
# 50-600 ms of start-up per candidate); `java -version` is the fallback.
java_version() {
  local java="$1" real release v
  real="$(readlink -f "$java" 2>/dev/null || echo "$java")"
  release="$(dirname "$(dirname "$real")")/release"
  if [ -r "$release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release" | head -n1)"
    [ -n "$v" ] && { echo "$v"; return 0; }
  fi
  "$java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n1
}
java_major() { local v; v="$(java_version "$1")"; v="${v#1.}"; echo "${v%%[.+-]*}"; }

find_java() {
  local candidates=() seen=" " c m d real
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/java" ] && candidates+=("$d/bin/java"); done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    real="$(readlink -f "$c" 2>/dev/null || echo "$c")"
    case "$seen" in *" $real "*) continue ;; esac
    seen="$seen$real "
    m="$(java_major "$c" || true)"
    if [ -n "$m" ] && [ "$m" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

if ! JAVA="$(find_java)"; then
  echo "control-plane: needs a JDK 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
  echo "Set JAVA_HOME to one, e.g. export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
JAVA_VERSION="$(java_version "$JAVA")"
JAVA_DIR="$(dirname "$(dirname "$(readlink -f "$JAVA" 2>/dev/null || echo "$JAVA")")")"
if [ -n "${JAVA_HOME:-}" ] && [ "$JAVA" != "$JAVA_HOME/bin/java" ]; then
  java_home_version="$(java_version "$JAVA_HOME/bin/java" 2>/dev/null || true)"
  echo "control-plane: ignoring JAVA_HOME=$JAVA_HOME (${java_home_version:+Java $java_home_version, }not a JDK 21+)" >&2
  unset java_home_version
fi
