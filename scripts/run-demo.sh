#!/usr/bin/env bash
# Builds and starts Piano di Zona Desktop on the demo data, installing what a fresh Debian machine
# lacks (scripts/install-deps.sh). The demo uses its own database, so real data is never touched:
#   bash scripts/run-demo.sh            # build (release) and start with the demo fascicolo
#   PIANOZONA_DB=/path/x.sqlite bash scripts/run-demo.sh   # another database
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/install-deps.sh

echo "==> build dell'interfaccia"
(cd ui && npm run --silent build)
echo "==> build dell'applicazione (release; la prima volta richiede alcuni minuti)"
(cd src-tauri && ../ui/node_modules/.bin/tauri build --no-bundle --ci)
APP="${CARGO_TARGET_DIR:-$(pwd)/target}/release/pianozona-app"

DB="${PIANOZONA_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/PianoDiZona/demo.sqlite}"
mkdir -p "$(dirname "$DB")"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Nessuno schermo grafico (DISPLAY non impostato): avvio sotto Xvfb per una prova senza finestra." >&2
  exec xvfb-run -a -s "-screen 0 1280x820x24" "$APP" --db "$DB" --esempio
fi
echo "==> avvio: $APP (archivio $DB)"
exec "$APP" --db "$DB" --esempio
