#!/usr/bin/env bash
# Benchmarks of the desktop app; prints figures, asserts nothing.
#  1. cold start to the first interactive screen (release build, fresh DB and with the demo open)
#  2. keystroke-to-saved latency on a 2,400-word section (the autosave path, release)
#  3. memory (RSS and PSS of the app and its WebKit processes) with the demo open, with the WebKit
#     settings the app sets itself and with WebKit's defaults (PIANOZONA_WEBKIT_PREDEFINITO=1)
#  4. a scripted editing session (ui/e2e/bench-session.mjs through tauri-driver): memory at the
#     half and at the end of PDZ_BENCH_MINUTI minutes (default 10), both WebKit configurations;
#     PDZ_BENCH_MINUTI=0 skips it
#  5. size of the .deb
# Needs a built release app (scripts/run-demo.sh or `tauri build`); builds it if missing.
# PDZ_BENCH_APP=path measures another build (e.g. the debug one of the e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
APP="${PDZ_BENCH_APP:-${CARGO_TARGET_DIR:-$ROOT/target}/release/pianozona-app}"
if [ ! -x "$APP" ] && [ -z "${PDZ_BENCH_APP:-}" ]; then
  (cd ui && npm run --silent build) && (cd src-tauri && ../ui/node_modules/.bin/tauri build --no-bundle --ci)
fi
WORK=$(mktemp -d /tmp/pdz-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  DISP=98; while [ -e "/tmp/.X11-unix/X$DISP" ]; do DISP=$((DISP + 1)); done
  Xvfb ":$DISP" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & PIDS+=($!)
  export DISPLAY=":$DISP"
  for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$DISP" ] && break; sleep 0.1; done
fi
export WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1

now_ms() { date +%s%3N; }
avvio() { # $1 = db, $2.. = extra args; prints ms from exec to first interactive screen
  local db=$1; shift
  local t0; t0=$(now_ms)
  local out
  out=$(PIANOZONA_BENCH=esci timeout 60 "$APP" --db "$db" "$@" 2>/dev/null | grep -m1 PDZ_PRONTO_UNIX_MS || true)
  [ -n "$out" ] || { echo "n/d"; return; }
  echo $(( ${out#PDZ_PRONTO_UNIX_MS=} - t0 ))
}

echo "== Piano di Zona Desktop: benchmark ($(nproc) core, $(date -u +%FT%TZ))"
avvio "$WORK/riscaldamento.sqlite" >/dev/null # page cache warm-up for the binary and WebKit
r=(); for i in 1 2 3; do r+=("$(avvio "$WORK/vuoto-$i.sqlite")"); done
echo "avvio a freddo fino alla prima schermata interattiva (archivio nuovo): ${r[*]} ms"
avvio "$WORK/demo.sqlite" --esempio >/dev/null # imports the demo once
r=(); for i in 1 2 3; do r+=("$(avvio "$WORK/demo.sqlite" --esempio)"); done
echo "avvio fino al fascicolo di esempio aperto: ${r[*]} ms"

if [ -z "${PDZ_BENCH_APP:-}" ]; then
  cargo run -q --release -p pianozona-app --example bench_salvataggio 2>/dev/null | sed 's/^/latenza tasto→salvato: /'
else
  echo "latenza tasto→salvato: saltata con PDZ_BENCH_APP (si misura sulla build release)"
fi

memoria_esempio() { # $1 = label; the environment says which WebKit settings
  PIANOZONA_BENCH=1 "$APP" --db "$WORK/demo.sqlite" --esempio >"$WORK/rss.log" 2>/dev/null & APID=$!; PIDS+=($APID)
  for _ in $(seq 1 100); do grep -q PDZ_PRONTO "$WORK/rss.log" && break; sleep 0.2; done
  sleep 3
  tot=0; pss=0; dett=""
  for p in $APID $(pgrep -P "$APID" || true); do
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    ps_kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    tot=$((tot + kb)); pss=$((pss + ps_kb)); dett="$dett $(cat /proc/$p/comm 2>/dev/null):$((kb / 1024))MB"
  done
  echo "memoria con l'esempio aperto ($1): RSS $((tot / 1024)) MB sommando app e processi WebKit ($dett ); PSS (librerie condivise contate una volta) $((pss / 1024)) MB"
  kill "$APID" 2>/dev/null || true; wait "$APID" 2>/dev/null || true
}
memoria_esempio "impostazioni WebKit dell'app"
PIANOZONA_WEBKIT_PREDEFINITO=1 memoria_esempio "WebKit predefinito"

MINUTI=${PDZ_BENCH_MINUTI:-10}
if [ "$MINUTI" != 0 ] && command -v tauri-driver >/dev/null && [ -d ui/node_modules/webdriverio ]; then
  PORT=4544
  while (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do PORT=$((PORT + 2)); done
  tauri-driver --port "$PORT" --native-port $((PORT + 1)) >"$WORK/tauri-driver.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
  for conf in app predefinito; do
    rm -f "$WORK/sessione.sqlite"*
    if [ $conf = predefinito ]; then export PIANOZONA_WEBKIT_PREDEFINITO=1; et="WebKit predefinito"; else unset PIANOZONA_WEBKIT_PREDEFINITO; et="impostazioni WebKit dell'app"; fi
    PDZ_APP="$APP" PDZ_DB="$WORK/sessione.sqlite" PDZ_DRIVER_PORT=$PORT PDZ_BENCH_MINUTI=$MINUTI PDZ_BENCH_ETICHETTA="sessione di lavoro di $MINUTI minuti, $et, " \
      timeout $((MINUTI * 60 + 300)) node ui/e2e/bench-session.mjs || echo "sessione di lavoro ($et): non completata"
  done
  unset PIANOZONA_WEBKIT_PREDEFINITO
else
  echo "sessione di lavoro: saltata (PDZ_BENCH_MINUTI=0, o mancano tauri-driver / ui/node_modules)"
fi

DEB=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
if [ -n "$DEB" ]; then
  echo "pacchetto .deb: $(basename "$DEB") $(du -k "$DEB" | cut -f1) KB ($(stat -c %s "$DEB") byte)"
else
  echo "pacchetto .deb: non ancora costruito (cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb)"
fi
