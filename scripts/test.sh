#!/usr/bin/env bash
# Runs every test: core unit + integration tests (real SQLite files, PDFs checked with poppler/qpdf,
# signatures checked by pyHanko/pdfsig/openssl) and, where present, the end-to-end tests of the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "==> formattazione (cargo fmt --check) e lint (clippy -D warnings, core e app)"
cargo fmt --all --check
cargo test --all-targets 2>&1
for s in scripts/test.d/*.sh; do [ -e "$s" ] && { echo "==> $s"; bash "$s"; }; done
# After the e2e script: it builds ui/dist, which the app crate embeds at compile time.
cargo clippy --workspace --all-targets -- -D warnings 2>&1
echo "==> tutti i test superati"
