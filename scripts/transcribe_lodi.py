#!/usr/bin/env python3
"""Fills the plan chapters of the Lodi 2025-2027 demo (assets/demo/piano-di-zona-2025-2027-lodi.json)
from the real plan as text (seed 004_d46b45fbb515c336.txt). Rerunnable: it rewrites only
`fascicolo.plan`; the documents already in the demo (grids, fund table, schede obiettivo, obiettivi
di sistema) stay as they are.

How: the chapters are found by their headings in the seed (anchors below, searched, not line
numbers); the wrapped lines of the PDF extract are joined back into paragraphs, bullets ("•") and
numbered items; "MACRO AREA …" and "Obiettivo …" lines inside a chapter become rich-text headings.
Where the seed holds a document the demo already has (a grid of §1.3, the fund table of §2.3, a
scheda obiettivo of §5.3), that range of lines becomes a placement of the document instead of
text. Page numbers (a line holding only 1-3 digits) and blank lines are dropped; everything else
is kept as written, mistakes included ("20211/2023", "2.11").

Usage: scripts/transcribe_lodi.py [SEED] [DEMO_JSON]
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = Path("/work/shared/seeds/004_d46b45fbb515c336.txt")
OUT = ROOT / "assets/demo/piano-di-zona-2025-2027-lodi.json"
args = [a for a in sys.argv[1:] if not a.startswith("--")]
if args:
    SEED = Path(args[0])
if len(args) > 1:
    OUT = Path(args[1])

RAW = SEED.read_text(encoding="utf-8").split("\n")
N = len(RAW)


def find(pattern, start=0, end=None):
    """Index (0-based) of the first line matching `pattern` in [start, end)."""
    rx = re.compile(pattern)
    for i in range(start, N if end is None else end):
        if rx.search(RAW[i]):
            return i
    raise SystemExit(f"anchor not found: {pattern!r} after line {start + 1}")


def clean(s):
    s = s.replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", s).strip()


PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
BULLET = re.compile(r"^\s*[•▪●◦]\s*")
NUMBERED = re.compile(r"^\s*\d{1,2}[.)] \S")
HEADING2 = re.compile(r"^\s*MACRO AREA\b")
HEADING3 = re.compile(r"^\s*(Obiettivo di sistema \d|Obiettivo \d|OBIETTIVO [Nn])")
END = tuple(".!?:")


def escape(s):
    # Literal asterisks ("Dopo di Noi*", "realizzate*100") must not turn into italics.
    return s.replace("*", "\\*")


def rich(lines):
    """Rich text of a range of seed lines (0-based indexes)."""
    blocks = []  # [kind, text]
    cur = None
    prev = ""
    idx = [i for i in lines if RAW[i].strip() and not PAGE_NUMBER.match(RAW[i])]
    k = 0
    while k < len(idx):
        line = clean(RAW[idx[k]])
        k += 1
        if HEADING2.match(line) or HEADING3.match(line):
            # A heading wrapped onto the next line continues in lower case.
            while k < len(idx) and len(line) > 50 and re.match(r"^[a-zàèéìòù]", clean(RAW[idx[k]])):
                line += " " + clean(RAW[idx[k]])
                k += 1
            cur = None
            blocks.append(["##" if HEADING2.match(line) else "###", line])
            prev = line
            continue
        if BULLET.match(line):
            cur = ["-", BULLET.sub("", line)]
            blocks.append(cur)
        elif NUMBERED.match(line):
            cur = ["1.", line]
            blocks.append(cur)
        elif cur is not None and not (
            prev.endswith(END) and len(prev) < 90 and re.match(r"^[A-ZÀÈÉÌÒÙ0-9“\"«(]", line)
        ):
            cur[1] += " " + line
        else:
            cur = ["p", line]
            blocks.append(cur)
        prev = line
    out = []
    for kind, text in blocks:
        text = escape(text)
        if kind == "p":
            out.append(text)
        elif kind == "-":
            out.append("- " + text)
        elif kind == "1.":
            out.append(text)
        else:
            out.append(f"{kind} {text}")
    return "\n\n".join(out)


def parts(start, end, docs=()):
    """Parts of a chapter from lines [start, end): text, with the ranges of `docs` ((from, to, id))
    replaced by the document."""
    out = []
    pos = start
    RANGES.extend((a + 1, b + 1, doc) for a, b, doc in docs)
    for a, b, doc in sorted(docs):
        if a > pos:
            t = rich(range(pos, a))
            if t:
                out.append({"kind": "text", "text": t})
        out.append({"kind": "document", "id": doc})
        pos = b
    t = rich(range(pos, end))
    if t:
        out.append({"kind": "text", "text": t})
    return out


def title_of(i):
    """The heading at line i without its number ("1.1 ", " 3) ", "8."), joined with a wrapped
    second line."""
    t = clean(RAW[i])
    j = i + 1
    while j < N and not RAW[j].strip():
        j += 1
    if len(t) > 50 and re.match(r"^[a-zàèéìòù]", clean(RAW[j])):
        t += " " + clean(RAW[j])
    return re.sub(r"^\d+(\.\d+)*[.)]?\s*", "", t)


def heading_end(i):
    """First line after the heading at i (and its wrapped second line)."""
    t = clean(RAW[i])
    j = i + 1
    while j < N and not RAW[j].strip():
        j += 1
    return j + 1 if len(t) > 50 and re.match(r"^[a-zàèéìòù]", clean(RAW[j])) else i + 1


# --------------------------------------------------------------------------- chapter anchors

A = {}
A["esiti"] = find(r"^\s*1\. ESITI DELLA PROGRAMMAZIONE")
A["esiti_sistema"] = find(r"^\s*1\.1 Esiti", A["esiti"])
A["esiti_premialita"] = find(r"^\s*1\.2 Esiti", A["esiti_sistema"])
A["esiti_tematici"] = find(r"^\s*1\.3 Esiti", A["esiti_premialita"])
A["contesto"] = find(r"^\s*2\. DATI DI CONTESTO", A["esiti_tematici"])
A["contesto_demografia"] = find(r"^\s*2\.1", A["contesto"])
A["contesto_socioeconomico"] = find(r"^\s*2\.2 ", A["contesto_demografia"])
A["contesto_risorse"] = find(r"^\s*2\.3 ", A["contesto_socioeconomico"])
A["offerta"] = find(r"^\s*3\) ", A["contesto_risorse"])
A["analisi"] = find(r"^\s*4\. ANALISI DEI BISOGNI", A["offerta"])
A["obiettivi"] = find(r"^\s*5\. INDIVIDUAZIONE", A["analisi"])
A["obiettivi_premessa"] = find(r"^\s*5\.1 ", A["obiettivi"])
A["obiettivi_sistema"] = find(r"^\s*5\.2 ", A["obiettivi_premessa"])
A["obiettivi_tematici"] = find(r"^\s*5\.3 ", A["obiettivi_sistema"])
A["valutazione"] = find(r"^\s*6\. SISTEMA DI VALUTAZIONE", A["obiettivi_tematici"])
A["ufficio_piano"] = find(r"^\s*7\. UFFICIO DI PIANO", A["valutazione"])
A["allegati"] = find(r"^\s*8\.ALLEGATI", A["ufficio_piano"])
A["allegato_indicatori"] = find(r"^\s*Allegato 1", A["allegati"])
PREMESSA = find(r"^\s*Premessa\s*$")


def subs(start, end, pattern):
    """Office sub-chapters inside [start, end): their heading lines."""
    rx = re.compile(pattern)
    return [i for i in range(start, end) if rx.match(RAW[i])]


def objectives(start, end):
    """(area line, objective line) of every objective heading in [start, end)."""
    out = []
    area = None
    for i in range(start, end):
        if HEADING2.match(RAW[i]):
            area = i
        elif re.match(r"^\s*(OBIETTIVO [Nn]|Obiettivo \d)", RAW[i]):
            out.append((area, i))
    return out


def doc_ranges(start, end, wanted):
    """Ranges of lines holding the documents `wanted` ({id: (area regex, objective number, nth)}):
    from the objective heading to the next objective or macro area heading. The macro area line
    goes with the document when the document is the area's first objective."""
    objs = objectives(start, end)
    bounds = sorted({i for _, i in objs} | {a for a, _ in objs if a is not None} | {end})
    out = []
    for doc, (area_rx, num, nth) in wanted.items():
        hits = [
            (a, i)
            for a, i in objs
            if a is not None
            and re.search(area_rx, RAW[a])
            and re.match(rf"^\s*(OBIETTIVO [Nn]\.?°?\s*{num}\b|Obiettivo {num}\b)", RAW[i])
        ]
        if len(hits) <= nth:
            raise SystemExit(f"{doc}: objective {num} not found in area {area_rx!r}")
        a, i = hits[nth]
        stop = next(b for b in bounds if b > i)
        first_of_area = all(not (x == a and y < i) for x, y in objs)
        out.append((a if first_of_area else i, stop, doc))
    return out


GRIDS = {
    "esiti-a-1": (r"MACRO AREA A", 1, 0),
    "esiti-d-1-anziani": (r"MACRO AREA D", 1, 0),
    "esiti-d-1-disabili": (r"MACRO AREA D", 1, 1),
    "esiti-h-1": (r"MACRO AREA H", 1, 0),
}
SCHEDE = {
    "scheda-a-1": (r"MACRO AREA A", 1, 0),
    "scheda-a-2": (r"MACRO AREA A", 2, 0),
    "scheda-b-1": (r"MACRO AREA B", 1, 0),
    "scheda-b-2": (r"MACRO AREA B", 2, 0),
    "scheda-de-2": (r"MACRO AREA D, E", 2, 0),
    "scheda-gi-1": (r"MACRO AREA G-I", 1, 0),
    "scheda-gi-3": (r"MACRO AREA G-I", 3, 0),
    "scheda-h-2": (r"MACRO AREA H", 2, 0),
    "scheda-j-3": (r"MACRO AREA J", 3, 0),
    "scheda-l-imm-1": (r"MACRO AREA L-IMM", 1, 0),
}


def chapter(cid, start, end, docs=(), title=None, children=None, template=True):
    c = {"id": cid}
    if template:
        c["template"] = cid
    if title:
        c["title"] = title
    p = parts(start, end, docs)
    if p:
        c["parts"] = p
    if children:
        c["children"] = children
    return c


def office_children(start, end, pattern, prefix):
    """Sub-chapters of the office found by their numbered headings."""
    heads = subs(start, end, pattern)
    kids = []
    for k, h in enumerate(heads):
        stop = heads[k + 1] if k + 1 < len(heads) else end
        kids.append(chapter(f"{prefix}-{k + 1}", heading_end(h), stop, title=title_of(h), template=False))
    return heads[0] if heads else end, kids


def canonical(path):
    """Rewrites the file in the CLI's canonical export form (import into a scratch database, then
    export), so that the demo equals what `pianozona export` writes. Needs the built CLI:
    $PIANOZONA_BIN, else $CARGO_TARGET_DIR/{release,debug}/pianozona, else target/…"""
    import os
    import subprocess
    import tempfile

    tgt = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    cands = [os.environ.get("PIANOZONA_BIN", "")] + [str(tgt / p / "pianozona") for p in ("release", "debug")]
    exe = next((c for c in cands if c and Path(c).exists()), None)
    if exe is None:
        print("warning: pianozona not built; the file is not in canonical export form", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "x.sqlite")
        env = dict(os.environ)
        env.pop("PIANOZONA_TEMPLATES", None)
        o = subprocess.run([exe, "--db", db, "import", str(path)], capture_output=True, text=True, env=env)
        if o.returncode != 0:
            raise SystemExit(f"import refused the transcription:\n{o.stderr}")
        fid = o.stdout.strip().splitlines()[-1].strip()
        out = Path(d) / "out.json"
        o = subprocess.run([exe, "--db", db, "export", fid, "-o", str(out)], capture_output=True, text=True, env=env)
        if o.returncode != 0:
            raise SystemExit(f"export failed:\n{o.stderr}")
        path.write_bytes(out.read_bytes())


RANGES = []  # (first line, last line + 1, document id), 1-based, for --ranges


demo = json.loads(OUT.read_text(encoding="utf-8"))
fasc = demo["fascicolo"]
ids = {d["id"] for d in fasc["documents"]}
for d in list(GRIDS) + list(SCHEDE) + ["tabella-fondi"]:
    if d not in ids:
        raise SystemExit(f"the demo has no document {d}")

# Fund table of §2.3: from its caption to its TOTALI row (the three totals follow).
t0 = find(r"^\s*Tabella 12 - Fondi", A["contesto_risorse"], A["offerta"])
t1 = find(r"^\s*TOTALI\s*$", t0, A["offerta"])
tot = [i for i in range(t1 + 1, A["offerta"]) if RAW[i].strip()][:3]
# Its footnote "4 Si specifica …" is the document's note: it goes with the table.
n0 = find(r"^\s*4 Si specifica", tot[-1], A["offerta"])
n1 = find(r"Ufficio di Piano\.\s*$", n0, A["offerta"])
FUND = [(t0, n1 + 1, "tabella-fondi")]

offerta_first, offerta_kids = office_children(A["offerta"], A["analisi"], r"^\s*3\.\d ", "offerta")
analisi_first, analisi_kids = office_children(A["analisi"], A["obiettivi"], r"^\s*4\.\d ", "analisi")
up_first, up_kids = office_children(A["ufficio_piano"], A["allegati"], r"^\s*7\.\d ", "ufficio")

TEMPLATE_TITLES = {
    "valutazione": "Sistema di valutazione del Piano di Zona",
    "ufficio_piano": "Ufficio di Piano: competenze e struttura organizzativa",
}


def own_title(cid):
    """The seed's title when it says more than the template's."""
    t = title_of(A[cid])
    return None if t.upper() == TEMPLATE_TITLES.get(cid, t).upper() else t


chapters = [
    chapter("premessa", PREMESSA + 1, A["esiti"]),
    chapter(
        "esiti",
        A["esiti"] + 1,
        A["esiti_sistema"],
        children=[
            chapter("esiti_sistema", A["esiti_sistema"] + 1, A["esiti_premialita"]),
            chapter("esiti_premialita", A["esiti_premialita"] + 1, A["esiti_tematici"]),
            chapter(
                "esiti_tematici",
                A["esiti_tematici"] + 1,
                A["contesto"],
                docs=doc_ranges(A["esiti_tematici"], A["contesto"], GRIDS),
            ),
        ],
    ),
    chapter(
        "contesto",
        A["contesto"] + 1,
        A["contesto_demografia"],
        children=[
            chapter("contesto_demografia", A["contesto_demografia"] + 1, A["contesto_socioeconomico"]),
            chapter("contesto_socioeconomico", A["contesto_socioeconomico"] + 1, A["contesto_risorse"]),
            chapter("contesto_risorse", A["contesto_risorse"] + 1, A["offerta"], docs=FUND),
        ],
    ),
    chapter(
        "offerta",
        A["offerta"] + 1,
        offerta_first,
        title=title_of(A["offerta"]),
        children=offerta_kids,
    ),
    chapter("analisi", A["analisi"] + 1, analisi_first, children=analisi_kids),
    chapter(
        "obiettivi",
        A["obiettivi"] + 1,
        A["obiettivi_premessa"],
        children=[
            chapter("obiettivi_premessa", A["obiettivi_premessa"] + 1, A["obiettivi_sistema"]),
            chapter("obiettivi_sistema", heading_end(A["obiettivi_sistema"]), A["obiettivi_tematici"]),
            chapter(
                "obiettivi_tematici",
                A["obiettivi_tematici"] + 1,
                A["valutazione"],
                docs=doc_ranges(A["obiettivi_tematici"], A["valutazione"], SCHEDE),
            ),
            {"id": "obiettivi_bilancio", "template": "obiettivi_bilancio"},
        ],
    ),
    chapter("valutazione", A["valutazione"] + 1, A["ufficio_piano"], title=own_title("valutazione")),
    chapter("ufficio_piano", A["ufficio_piano"] + 1, up_first, children=up_kids),
    {"id": "approvazione", "template": "approvazione"},
    chapter(
        "allegati",
        A["allegati"] + 1,
        A["allegato_indicatori"],
        children=[chapter("allegato_indicatori", A["allegato_indicatori"] + 1, N)],
    ),
]
# The chapter "obiettivi_sistema" places its document where the seed lists the objectives: after
# the text (the template's default place).

if "--ranges" in sys.argv:
    # The seed's lines the demo holds as documents (for the comparison of the PDF with the seed).
    print(json.dumps(sorted(RANGES)))
    raise SystemExit(0)
fasc["plan"] = {"years": {"consuntivo": [2022, 2023, 2024], "programma": [2025, 2026, 2027]}, "chapters": chapters}
text = json.dumps(demo, ensure_ascii=False, indent=2) + "\n"
OUT.write_text(text, encoding="utf-8")
canonical(OUT)
text = OUT.read_text(encoding="utf-8")


def count(cs):
    n = 0
    for c in cs:
        n += sum(len(p["text"].split()) for p in c.get("parts", []) if p["kind"] == "text")
        n += count(c.get("children", []))
    return n


print(f"{OUT.relative_to(ROOT)}: {len(text.encode()) // 1024} KiB, {count(chapters)} words of narrative")
