#!/usr/bin/env bash
# CI: build the deployment image (Dockerfile) when a container engine can run here and can
# reach the base image; otherwise say exactly why not and stop without failing (the same
# install is exercised by `make deploy-check` through scripts/install-app.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
engine=""
for e in podman docker; do
  if command -v "$e" >/dev/null 2>&1 && "$e" info >/dev/null 2>&1; then engine="$e"; break; fi
done
if [ -z "$engine" ]; then
  echo "deploy-image: no container engine runs here (podman/docker missing, or no docker daemon); image not built"
  exit 0
fi
base="$(awk '/^FROM /{print $2; exit}' Dockerfile)"
if ! "$engine" image inspect "$base" >/dev/null 2>&1 && ! timeout 300 "$engine" pull "$base"; then
  echo "deploy-image: $engine cannot pull the base image $base (registry unreachable); image not built"
  exit 0
fi
args=()
[ "$engine" = podman ] && args=(--isolation=chroot)
set -e
"$engine" build "${args[@]}" -t costshare:ci .
echo "deploy-image: built costshare:ci with $engine"
if ! "$engine" run --rm costshare:ci python -c "import costshare.api, costshare.store, streamlit, fastapi"; then
  echo "deploy-image: the image was built but $engine cannot run containers here (runtime/cgroups)"
fi
