#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds it (debug, frontend embedded), starts Xvfb and
# tauri-driver (-> WebKitWebDriver), and runs ui/e2e/scenario.mjs (WebdriverIO) against a fresh
# temporary database. Screenshots go to test-output/screenshots/. Fails loudly; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"

for b in Xvfb WebKitWebDriver tauri-driver pdftotext import node; do
  command -v "$b" >/dev/null || { echo "e2e: manca «$b» (eseguire scripts/install-deps.sh)" >&2; exit 1; }
done

echo "==> app: build dell'interfaccia (ui/dist, incorporata nell'app)"
mkdir -p test-output
(cd ui && npm run --silent build) >test-output/ui-build.log 2>&1 || { tail -n 40 test-output/ui-build.log >&2; exit 1; }
echo "==> app: test Rust della shell e tipi TypeScript generati da Rust"
cargo test -q -p pianozona-app --lib 2>&1 | tail -n 3
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && [ -n "$(git status --porcelain -- ui/src/lib/bindings)" ]; then
  echo "e2e: ui/src/lib/bindings non corrisponde ai tipi Rust: rigenerare con 'cargo test -p pianozona-app --lib export_bindings' e fare commit" >&2
  git status --short -- ui/src/lib/bindings >&2
  exit 1
fi
echo "==> app: controllo dei tipi dell'interfaccia (svelte-check) e test unitari (vitest)"
(cd ui && npx --no-install svelte-check --tsconfig ./tsconfig.json --threshold error --output human 2>&1 | tail -n 2 && npx --no-install vitest run 2>&1 | tail -n 4)

echo "==> e2e: build dell'app (debug, interfaccia incorporata)"
mkdir -p test-output
if ! { (cd src-tauri && timeout 2400 ../ui/node_modules/.bin/tauri build --debug --no-bundle --ci); } >test-output/e2e-build.log 2>&1; then
  echo "e2e: build non riuscita; ultime righe di test-output/e2e-build.log:" >&2
  tail -n 40 test-output/e2e-build.log >&2
  exit 1
fi
APP="${CARGO_TARGET_DIR:-$ROOT/target}/debug/pianozona-app"
[ -x "$APP" ] || { echo "e2e: binario dell'app non trovato: $APP" >&2; exit 1; }

echo "==> e2e: riga di comando (pianozona print)"
cargo build -q --bin pianozona >test-output/e2e-cli-build.log 2>&1 || { tail -n 40 test-output/e2e-cli-build.log >&2; exit 1; }
CLI="${CARGO_TARGET_DIR:-$ROOT/target}/debug/pianozona"

# A CUPS PDF printer (cups-pdf) for the print test: started here if CUPS is installed and not running.
PDZ_PRINTER=""
PDZ_PRINT_OUT=""
if command -v lpadmin >/dev/null && [ -x /usr/lib/cups/backend/cups-pdf ]; then
  if ! LC_ALL=C lpstat -r 2>/dev/null | grep -q "is running" && [ "$(id -u)" = 0 ] && command -v cupsd >/dev/null; then
    cupsd
    for _ in $(seq 1 50); do LC_ALL=C lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
  fi
  if LC_ALL=C lpstat -r 2>/dev/null | grep -q "is running"; then
    # pdftocairo keeps the text of our embedded fonts (the default PostScript path turns it into Type 3
    # glyphs that pdftotext cannot read back).
    lpstat -e 2>/dev/null | grep -qx PDZ-PDF || lpadmin -p PDZ-PDF -v cups-pdf:/ -E -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd >/dev/null 2>&1 || true
    lpadmin -p PDZ-PDF -o pdftops-renderer-default=pdftocairo >/dev/null 2>&1 || true
    if lpstat -e 2>/dev/null | grep -qx PDZ-PDF; then
      PDZ_PRINTER=PDZ-PDF
      PDZ_PRINT_OUT="$(getent passwd "$(id -un)" | cut -d: -f6)/PDF"
    fi
  fi
fi
[ -n "$PDZ_PRINTER" ] || echo "e2e: attenzione: nessuna stampante PDF di CUPS (pacchetti cups e printer-driver-cups-pdf): la stampa non sarà verificata" >&2

WORK=$(mktemp -d /tmp/pdz-e2e.XXXXXX)
OUT="$ROOT/test-output"
rm -rf "$OUT/screenshots"; mkdir -p "$OUT/screenshots"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A free display number.
DISP=99
while [ -e "/tmp/.X11-unix/X$DISP" ] || [ -e "/tmp/.X$DISP-lock" ]; do DISP=$((DISP + 1)); done
Xvfb ":$DISP" -screen 0 1366x768x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISP"
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$DISP" ] && break; sleep 0.1; done

# A private session bus (WebKitGTK wants one); harmless if missing.
if command -v dbus-launch >/dev/null; then eval "$(dbus-launch --sh-syntax)"; PIDS+=("$DBUS_SESSION_BUS_PID"); fi
export WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
export LANG=C.UTF-8

# Test-only grant (debug builds only, src-tauri/src/state.rs): the scenario hands paths in these
# folders through window.__PDZ_TEST_PATHS__ instead of the native dialogs.
export PIANOZONA_TEST_GRANT="$WORK:$ROOT/assets/demo"

PORT=4444
while (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do PORT=$((PORT + 2)); done
tauri-driver --port "$PORT" --native-port $((PORT + 1)) >"$WORK/tauri-driver.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

export PDZ_APP="$APP" PDZ_WORK="$WORK" PDZ_OUT="$OUT" PDZ_DRIVER_PORT="$PORT" PDZ_CLI="$CLI" PDZ_PRINTER PDZ_PRINT_OUT
echo "==> e2e: scenario (display $DISPLAY, tauri-driver :$PORT, archivio in $WORK)"
set +e
timeout 1200 node ui/e2e/scenario.mjs
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "==> e2e FALLITO (codice $rc); ultime righe di tauri-driver:" >&2
  tail -n 30 "$WORK/tauri-driver.log" >&2 || true
  exit $rc
fi
echo "==> e2e superato; schermate in test-output/screenshots/"
