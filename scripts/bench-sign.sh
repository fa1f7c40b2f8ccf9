#!/usr/bin/env bash
# Sign and verify times and peak memory, ours beside pyHanko's, openssl's and pdfsig's, on the
# same files, as processes (what a user waits for). Prints a table; asserts nothing.
#
#   bash scripts/bench-sign.sh [RUNS]        (default 7 runs each, median shown)
#   BIN=path/to/pianozona bash scripts/bench-sign.sh
#
# BIN defaults to the release build ($CARGO_TARGET_DIR or target)/release/pianozona.
set -euo pipefail
RUNS=${1:-7}
HERE=$(cd "$(dirname "$0")/.." && pwd)
TGT=${CARGO_TARGET_DIR:-$HERE/target}
BIN=${BIN:-$TGT/release/pianozona}
[ -x "$BIN" ] || { echo "manca $BIN: cargo build --release --bin pianozona (oppure BIN=...)" >&2; exit 2; }
for t in pyhanko openssl pdfsig python3 /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "strumento mancante: $t (bash scripts/install-deps.sh)" >&2; exit 2; }
done
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
bash "$HERE/tests/support/sign/make_pki.sh" "$W" >/dev/null 2>&1
python3 "$HERE/tests/support/sign/make_pdf.py" "$W/doc.pdf"
cd "$W"

# median of RUNS runs: prints "ms_median peak_kib_median"
measure() {
  local ts=() ms=()
  for _ in $(seq "$RUNS"); do
    rm -f out.*
    /usr/bin/time -f "%e %M" -o t.txt "$@" >/dev/null 2>&1 || { echo "fallito: $*" >&2; cat t.txt >&2; return 1; }
    read -r sec kib < <(tail -1 t.txt)
    ts+=("$(python3 -c "print(round($sec*1000))")")
    ms+=("$kib")
  done
  python3 - "${ts[*]}" "${ms[*]}" <<'PY'
import statistics, sys
t = [int(x) for x in sys.argv[1].split()]
m = [int(x) for x in sys.argv[2].split()]
print(f"{statistics.median(t):8.0f} ms {statistics.median(m)/1024:8.1f} MiB")
PY
}

row() { printf '  %-44s %s\n' "$1" "$(measure "${@:2}")"; }

KIB=$(( $(stat -c %s doc.pdf) / 1024 ))
echo "Firma e verifica come processi: mediana di $RUNS esecuzioni, tempo e memoria massima (RSS)"
echo "PDF/A di prova: ${KIB} KiB; chiave RSA-2048 in PKCS#12; binario: $BIN"
echo
echo "PAdES B-B, firma"
row "noi       pianozona sign" "$BIN" sign doc.pdf -o out.pdf --p12 signer.p12 --password-file p12.pass
row "pyHanko   pyhanko sign addsig --use-pades" pyhanko sign addsig --field Firma1 --use-pades pkcs12 --passfile p12.pass doc.pdf out.pdf signer.p12
"$BIN" sign doc.pdf -o signed.pdf --p12 signer.p12 --password-file p12.pass >/dev/null
echo "PAdES B-B, verifica dello stesso file"
row "noi       pianozona verify" "$BIN" verify signed.pdf --trust ca.crt
row "pyHanko   pyhanko sign validate" pyhanko sign validate --trust ca.crt --trust-replace --no-revocation-check signed.pdf
row "poppler   pdfsig" pdfsig -nssdir "sql:$W/nssdb" signed.pdf
echo "CAdES-BES (.p7m), firma"
row "noi       pianozona sign --cades" "$BIN" sign doc.pdf -o out.p7m --cades --p12 signer.p12 --password-file p12.pass
row "openssl   openssl cms -sign -cades" openssl cms -sign -binary -nodetach -cades -md sha256 -in doc.pdf -signer signer.crt -inkey signer.key -outform DER -out out.p7m
"$BIN" sign doc.pdf -o signed.p7m --cades --p12 signer.p12 --password-file p12.pass >/dev/null
echo "CAdES-BES (.p7m), verifica dello stesso file"
row "noi       pianozona verify" "$BIN" verify signed.p7m --trust ca.crt
row "openssl   openssl cms -verify" openssl cms -verify -binary -inform DER -in signed.p7m -CAfile ca.crt -out out.bin
