#!/usr/bin/env bash
# Refresh the lock files in requirements/ from pyproject.toml (run after changing a dependency):
#   requirements/main.lock        what `scripts/demo.sh` installs: journeymap's runtime dependencies
#   requirements/test.lock        what `scripts/test.sh` installs: runtime + the `test` extra
#   requirements/alt-pyyaml.lock  a second PyYAML (older libyaml) for the loader's cross-parser tests
# Every file pins exact versions with hashes for Python 3.10 and newer on any platform. The lock is
# made by uv, itself pinned here and installed into .venv-lock/ on first use.
# Usage: scripts/lock.sh [--upgrade]   (--upgrade moves every pin to the newest release)
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
if [ ! -x .venv-lock/bin/uv ] || [ "$(.venv-lock/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    python3 -m venv .venv-lock
    .venv-lock/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
upgrade=()
[ "${1:-}" = "--upgrade" ] && upgrade=(--upgrade)
compile() {
    local out=$1; shift
    # --no-header and a fixed --custom-compile-command keep the files free of local paths
    .venv-lock/bin/uv pip compile -q --generate-hashes --universal --python-version 3.10 \
        --custom-compile-command "bash scripts/lock.sh" "${upgrade[@]}" "$@" -o "$out"
}
compile requirements/main.lock pyproject.toml requirements/build.in
compile requirements/test.lock pyproject.toml requirements/build.in --extra test
compile requirements/alt-pyyaml.lock requirements/alt-pyyaml.in
echo "lock: requirements/*.lock refreshed; commit them with the change to pyproject.toml"
