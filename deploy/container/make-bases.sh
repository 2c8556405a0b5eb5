#!/usr/bin/env bash
# Makes the local base images the Containerfile builds on, for machines that cannot pull from a registry:
#   localhost/control-plane-base/debian:bookworm  Debian bookworm minbase (debootstrap), the runtime stage's base
#   localhost/control-plane-base/jdk:<major>      the same plus a JDK at /opt/jdk (jdeps, jlink) and Maven at
#                                                 /opt/maven, the build and jlink stages' base
# Idempotent: an image that exists is kept; the debootstrap root filesystem is cached as a tarball under
# CP_CONTAINER_CACHE (default ~/.cache/control-plane/container), outside target/, so `mvn clean` keeps it.
#   JDK_HOME    JDK copied into the jdk base (default: a 21+ JDK found like the launcher does)
#   MAVEN_HOME  Maven copied into the jdk base (default: the one `mvn` on PATH runs)
#   FORCE=1     rebuilds both images and the tarball
# Prints the two image names, one a line, as the Containerfile's build arguments (RUNTIME_BASE=..., JDK_BASE=...).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$repo/deploy/container/containers.conf}"
cache="${CP_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/control-plane/container}"
suite=bookworm
runtime_image="localhost/control-plane-base/debian:$suite"
mkdir -p "$cache"

if [ -z "${JDK_HOME:-}" ]; then
  # shellcheck source=../../dist/src/bin/find-java.sh
  . "$repo/dist/src/bin/find-java.sh"
  JDK_HOME="$JAVA_DIR"
fi
[ -x "$JDK_HOME/bin/jlink" ] || { echo "make-bases: $JDK_HOME is not a JDK (no bin/jlink); set JDK_HOME" >&2; exit 1; }
jdk_major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK_HOME/release")"
jdk_image="localhost/control-plane-base/jdk:$jdk_major"
MAVEN_HOME="${MAVEN_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v mvn)")")")}"
[ -x "$MAVEN_HOME/bin/mvn" ] || { echo "make-bases: no Maven at $MAVEN_HOME; set MAVEN_HOME" >&2; exit 1; }

exists() { [ -z "${FORCE:-}" ] && podman image exists "$1"; }

rootfs_tar="$cache/debian-$suite-minbase.tar"
if [ -n "${FORCE:-}" ] || [ ! -s "$rootfs_tar" ]; then
  command -v debootstrap >/dev/null || { echo "make-bases: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  work="$(mktemp -d "$cache/rootfs.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "make-bases: debootstrap --variant=minbase $suite (a few minutes, once)" >&2
  debootstrap --variant=minbase "$suite" "$work/root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$cache/debootstrap.log" 2>&1 \
    || { echo "make-bases: debootstrap failed, see $cache/debootstrap.log" >&2; exit 1; }
  # what a runtime never uses: package caches and lists, documentation, locales but C
  rm -rf "$work/root/var/cache/apt/"*.bin "$work/root/var/lib/apt/lists/"* "$work/root/usr/share/doc/"* \
    "$work/root/usr/share/man/"* "$work/root/usr/share/info/"*
  find "$work/root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C*' -exec rm -rf {} + 2>/dev/null || true
  tar -C "$work/root" --numeric-owner -cf "$rootfs_tar.part" .
  mv "$rootfs_tar.part" "$rootfs_tar"
  rm -rf "$work"; trap - EXIT
fi

if ! exists "$runtime_image"; then
  podman import -q --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' "$rootfs_tar" "$runtime_image" >/dev/null
fi

if ! exists "$jdk_image"; then
  ctx="$(mktemp -d "$cache/jdk.XXXXXX")"
  trap 'rm -rf "$ctx"' EXIT
  # dereferenced: a distribution JDK links lib/security/cacerts to /etc/ssl, which the image does not have
  cp -rL "$JDK_HOME" "$ctx/jdk"
  # Debian's Maven links its jars from /usr/share/java: copy them resolved
  cp -aL "$MAVEN_HOME" "$ctx/maven"
  cat >"$ctx/Containerfile" <<CF
FROM $runtime_image
COPY jdk /opt/jdk
COPY maven /opt/maven
ENV JAVA_HOME=/opt/jdk PATH=/opt/jdk/bin:/opt/maven/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CF
  podman build -q --pull=never -t "$jdk_image" "$ctx" >/dev/null
  rm -rf "$ctx"; trap - EXIT
fi
echo "RUNTIME_BASE=$runtime_image"
echo "JDK_BASE=$jdk_image"
