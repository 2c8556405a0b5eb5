# Sourced by the launchers: sets JAVA to a java 21+ from JAVA_HOME, PATH or /usr/lib/jvm, or explains and exits.
java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1; }

find_java() {
  local candidates=() c m d
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/java" ] && candidates+=("$d/bin/java"); done
  for c in "${candidates[@]}"; do
    m="$(java_major "$c" || true)"
    if [ -n "$m" ] && [ "$m" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}

if ! JAVA="$(find_java)"; then
  echo "control-plane: needs a JDK 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
  echo "Set JAVA_HOME to one, e.g. export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
