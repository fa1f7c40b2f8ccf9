#!/usr/bin/env bash
# Archive benchmarks of issue 11 on a release build: save p95 in an archive of 1,000 fascicoli,
# start-up on that archive (quick check at open, the day's backup in the background) and import of
# 500/1,000/2,000/3,000 documents. The generated archives are kept in $BENCH_DIR (default
# $CARGO_TARGET_DIR/benchdata) so later runs skip their generation (~1 GB of disk).
#
#   scripts/bench-archive.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
T="${CARGO_TARGET_DIR:-$ROOT/target}"
BENCH_DIR="${BENCH_DIR:-$T/benchdata}"
mkdir -p "$BENCH_DIR"
export PIANOZONA_BENCH_DB_1000="$BENCH_DIR/archivio-1000.sqlite"
export PIANOZONA_BENCH_DB="$BENCH_DIR/search.sqlite"
cargo bench --bench core 2>&1 | grep -v '^\s*\(Compiling\|Finished\|Running\)'
