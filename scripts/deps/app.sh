#!/usr/bin/env bash
# Desktop app (issue 4): UI dependencies from npm (Vite, Svelte, Tauri CLI, WebdriverIO) and
# tauri-driver from crates.io. Idempotent; called by scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! command -v npm >/dev/null 2>&1; then
  echo "==> apt-get install nodejs npm"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# npm ci only when the lockfile changed since the last install (node_modules/.package-lock.json).
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm ci (ui/)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --locked
fi
