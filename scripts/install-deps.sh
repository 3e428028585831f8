#!/usr/bin/env bash
# Installs every build and test dependency of Ephemera from Debian's packages.
# Idempotent: a second run installs nothing and takes about a second.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config g++
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-filesystem1.81-dev
  libboost-system1.81-dev libboost-program-options1.81-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev
  libcurl4-openssl-dev libsqlite3-dev libyaml-cpp-dev libsystemd-dev libssl-dev
  catch2 libbenchmark-dev
  binutils openssl curl jq python3
  prometheus  # promtool: checks /metrics and the alert rules in tests
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Some packages (prometheus) would start a system service from their
# maintainer scripts; a temporary policy-rc.d forbids that.
added_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  added_policy=1
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
if ((added_policy)); then $SUDO rm -f /usr/sbin/policy-rc.d; fi
