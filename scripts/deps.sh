#!/usr/bin/env bash
# Installs the Debian packages the build needs. Silent when all are present; runs `apt-get update`
# only when something is missing, so repeated `make` calls cost nothing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang-format curl
  libcurl4-openssl-dev libboost1.81-dev libsimdjson-dev libcli11-dev libfmt-dev
  libpcre2-dev libutf8proc-dev libsentencepiece-dev libstb-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jinja2 nodejs npm
  openssl nghttp2-server
)
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# nodejs/npm may come from elsewhere than Debian on some machines: a working `npm` is enough.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
