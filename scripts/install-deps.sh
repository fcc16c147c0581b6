#!/usr/bin/env bash
# Installs the Debian packages leakhunt builds and tests with. Idempotent and quick when all
# are present: it asks apt only for what dpkg says is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libsundials-dev libeigen3-dev libyaml-cpp-dev libudunits2-dev
  libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy python3-scipy
  libboost-dev libsqlite3-dev sqlite3
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev lld ninja-build
  chromium
  python3-matplotlib graphviz
  python3-dev python3-pybind11 python3-pandas python3-jsonschema python3-pytest
  libssl-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm build the Open MCT dashboard (web/). A machine may already carry a newer
# Node.js with its own npm (not Debian's package), so ask for the commands, not the packages.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
