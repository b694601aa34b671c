#!/usr/bin/env bash
# Installs the Debian packages relkit needs to build and test, when any is
# missing. Idempotent and quiet when everything is present. Needs root (or
# sudo) only when something has to be installed.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libabsl-dev libgit2-dev libcurl4-openssl-dev rapidjson-dev libcli11-dev
  libexpat1-dev libssl-dev libzip-dev libsodium-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-dev python3-venv python3-pip python3-setuptools python3-wheel
  python3-pytest python3-packaging mypy twine
  clang libclang-rt-14-dev
)
if [[ "${1:-}" == "--minimal" ]]; then
  # Enough to build and run the CLI.
  packages=(cmake ninja-build g++ pkg-config libabsl-dev libgit2-dev
            libcurl4-openssl-dev rapidjson-dev libcli11-dev
            libexpat1-dev libssl-dev libzip-dev libsodium-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "relkit: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "relkit: need root to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
