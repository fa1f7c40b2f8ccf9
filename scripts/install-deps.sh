#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Piano di Zona Desktop.
# Idempotent: skips what is already there. Lists live in scripts/deps/.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

pkgs=$(grep -hv '^\s*#' scripts/deps/apt.txt | awk 'NF' | sort -u)
missing=""
for p in $pkgs; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "==> apt-get install$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if grep -qv '^\s*#' scripts/deps/pip.txt; then
  echo "==> pip install (verifiers)"
  python3 -m pip install -q --disable-pip-version-check -r scripts/deps/pip.txt
fi

# Extra per-area steps (npm ci, cargo install …) live in scripts/deps/*.sh
for s in scripts/deps/*.sh; do [ -e "$s" ] && bash "$s"; done
echo "==> dipendenze pronte"
