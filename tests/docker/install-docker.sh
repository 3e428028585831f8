#!/usr/bin/env bash
# Installs Debian's Docker Engine (docker.io 20.10.x) plus what the private test daemon needs,
# WITHOUT starting or enabling a system dockerd/containerd.
#
# Idempotent: when dockerd, containerd, runc, busybox-static and curl are already there it only
# prints what it found. Decide on `dockerd`, not `docker`: machine images often ship a
# stand-alone Docker *client* in /usr/local/bin with no engine behind it.
#
# Usage: tests/docker/install-docker.sh        (root, or a user with sudo)
set -euo pipefail

# docker.io pulls containerd, runc, tini and iptables as hard dependencies; busybox-static is the
# only thing our test image is made of; curl is how dockerd-up.sh waits for /_ping.
# --no-install-recommends keeps apparmor, git, needrestart and cgroupfs-mount out: the first two are
# unused by the tests, and needrestart / cgroupfs-mount touch system services or mounts.
PACKAGES=(docker.io containerd runc busybox-static curl ca-certificates)

have_all() {
  command -v dockerd >/dev/null 2>&1 || [[ -x /usr/sbin/dockerd ]] || return 1
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
  done
}

print_versions() {
  # /usr/sbin may be missing from a non-root PATH; name the binaries explicitly.
  echo "install-docker: dockerd    $(/usr/sbin/dockerd --version 2>/dev/null || echo '?')"
  echo "install-docker: containerd $(/usr/bin/containerd --version 2>/dev/null || echo '?')"
  echo "install-docker: runc       $(/usr/sbin/runc --version 2>/dev/null | head -n1 || echo '?')"
}

if have_all; then
  echo "install-docker: already installed"
  print_versions
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

# Only what is missing now gets installed, and only services of packages WE installed get disabled
# below: a containerd that a Kubernetes node already runs, say, is none of our business.
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
newly() { [[ " ${missing[*]} " == *" $1 "* ]]; }

# Debian maintainer scripts start services through invoke-rc.d / deb-systemd-invoke, which ask
# /usr/sbin/policy-rc.d first; exit code 101 means "action forbidden". Without this, on a machine
# without systemd (like these VMs, where PID 1 is not systemd) docker.io's postinst would run
# /etc/init.d/docker start and leave a SYSTEM dockerd on /var/run/docker.sock behind. Only install
# our own policy when none exists, and remove exactly what we added.
POLICY=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\n# temporary, from ephemera tests/docker/install-docker.sh\nexit 101\n' |
    $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 0755 "$POLICY"
  added_policy=1
fi
cleanup() { if ((added_policy)); then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

# Remember whether system daemons were already up, to tell apart one that this install brought up.
sys_dockerd_before=0 sys_containerd_before=0
[[ -S /var/run/docker.sock ]] && sys_dockerd_before=1
[[ -S /run/containerd/containerd.sock ]] && sys_containerd_before=1

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# The packages also ENABLE the services for the next boot (systemd wants-symlinks and SysV
# /etc/rc?.d/S01docker), even though policy-rc.d kept them from starting now. Disable both: a system
# dockerd/containerd coming up after a reboot would own /run/containerd/containerd.sock, which is
# exactly what our private daemon must never share. `systemctl disable` works offline (no systemd
# needed: it only edits symlinks and calls systemd-sysv-install); update-rc.d covers machines
# without systemctl. Only for packages this run installed (see `missing`).
units=()
newly docker.io && units+=(docker.service docker.socket)
newly containerd && units+=(containerd.service)
if ((${#units[@]})) && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable "${units[@]}" >/dev/null 2>&1 || true
fi
if newly docker.io && command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/docker ]]; then
  $SUDO update-rc.d docker disable >/dev/null 2>&1 || true
fi

# Safety net: if a system daemon appeared anyway (a pre-existing policy-rc.d with another verdict),
# say so loudly instead of killing something we can't prove is ours. dockerd-up.sh never uses it:
# it starts its own containerd and passes --containerd explicitly.
if ((sys_dockerd_before == 0)) && [[ -S /var/run/docker.sock ]]; then
  echo "install-docker: WARNING: a system dockerd started during install (/var/run/docker.sock);" \
    "stop it with: $SUDO /etc/init.d/docker stop  (or systemctl stop docker.socket docker.service)" >&2
fi
if ((sys_containerd_before == 0)) && [[ -S /run/containerd/containerd.sock ]]; then
  echo "install-docker: WARNING: a system containerd started during install" \
    "(/run/containerd/containerd.sock)" >&2
fi

echo "install-docker: installed ${missing[*]}"
print_versions
