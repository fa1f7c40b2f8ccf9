#!/usr/bin/env bash
# Fuzzes `pianozona verify` on signed PDFs: mutates them (byte flips, truncations, appended
# updates, duplicated objects), runs verify, counts crashes (exit code other than 0/1/2/3 or a
# signal) and, for every mutant judged valid, renders it with pdftoppm and compares the pages
# with the original's render. Prints runs, crashes, valid mutants, valid mutants that render
# differently. Usage: scripts/fuzz-verify.sh [SECONDS=600] [BIN=target/debug/pianozona]
set -uo pipefail
SECS="${1:-600}"
BIN="${2:-${CARGO_TARGET_DIR:-target}/debug/pianozona}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
bash "$HERE/tests/support/sign/make_pki.sh" "$W/pki" >/dev/null
python3 "$HERE/tests/support/sign/make_pdf.py" "$W/doc.pdf" >/dev/null
"$BIN" sign "$W/doc.pdf" -o "$W/s1.pdf" --p12 "$W/pki/signer.p12" --password-file "$W/pki/p12.pass" \
  --visible 1/380,50,560,110 >/dev/null
"$BIN" sign "$W/s1.pdf" -o "$W/s2.pdf" --p12 "$W/pki/ec.p12" --password-file "$W/pki/p12.pass" >/dev/null
for s in s1 s2; do pdftoppm -r 40 -png "$W/$s.pdf" "$W/$s-ref" 2>/dev/null; done
python3 - "$W" "$BIN" "$SECS" <<'PY'
import glob, hashlib, os, random, subprocess, sys, time
w, binp, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
seeds = {s: open(f"{w}/{s}.pdf", "rb").read() for s in ("s1", "s2")}
refs = {s: [hashlib.sha256(open(p, "rb").read()).hexdigest() for p in sorted(glob.glob(f"{w}/{s}-ref*.png"))] for s in seeds}
tokens = [b"(", b")", b"[", b"]", b"<<", b">>", b"/", b"#zz", b" R ", b"endobj", b"stream", b"xref", b"%%EOF",
          b"0 0 0 rg 0 0 600 800 re f", b"/Annots", b"/Contents", b"/Root", b"/ByteRange", b"9", b"\x00"]
def mutate(d):
    d = bytearray(d)
    for _ in range(random.randint(1, 4)):
        k = random.random()
        # mostly in the unsigned tail of the file (after the first signature) where updates go
        lo = random.choice([0, len(d) * 3 // 4])
        i = random.randrange(lo, len(d))
        if k < 0.3:
            d[i] = random.randrange(256)
        elif k < 0.5:
            d[i:i] = random.choice(tokens)
        elif k < 0.6:
            del d[i:i + random.randint(1, 64)]
        elif k < 0.7:
            d = d[:i]
        elif k < 0.85:
            # duplicate a chunk (objects redefined later)
            j = random.randrange(0, len(d)); d[len(d):] = d[j:j + random.randint(10, 800)]
        else:
            # a digit of a number changed (offsets, lengths, object numbers)
            digits = [p for p in range(lo, len(d)) if 48 <= d[p] <= 57]
            if digits:
                p = random.choice(digits); d[p] = random.randrange(48, 58)
    return bytes(d)
runs = crashes = valid = differ = 0
t0 = time.time()
while time.time() - t0 < secs:
    s = random.choice(list(seeds))
    m = mutate(seeds[s])
    path = f"{w}/m.pdf"
    open(path, "wb").write(m)
    try:
        p = subprocess.run([binp, "verify", "--trust", f"{w}/pki/ca.crt", path], capture_output=True, timeout=60)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        rc = -999
    runs += 1
    if rc not in (0, 1, 2, 3):
        crashes += 1
        open(f"{w}/../crash-{crashes}.pdf", "wb").write(m)
        print(f"CRASH rc={rc}: {p.stderr[-300:] if rc != -999 else 'timeout'}", flush=True)
        continue
    if rc == 0:
        valid += 1
        for f in glob.glob(f"{w}/mr*.png"):
            os.remove(f)
        subprocess.run(["pdftoppm", "-r", "40", "-png", path, f"{w}/mr"], capture_output=True, timeout=60)
        got = [hashlib.sha256(open(p, "rb").read()).hexdigest() for p in sorted(glob.glob(f"{w}/mr*.png"))]
        if got != refs[s]:
            differ += 1
            keep = f"{os.path.dirname(w)}/fuzz-differ-{differ}.pdf"
            open(keep, "wb").write(m)
            print(f"VALID BUT RENDERS DIFFERENTLY: saved {keep}", flush=True)
print(f"runs={runs} crashes={crashes} valid_mutants={valid} valid_with_different_render={differ} seconds={int(time.time()-t0)}")
PY
