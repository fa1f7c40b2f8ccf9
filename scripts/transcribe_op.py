#!/usr/bin/env python3
"""Transcribes the real Oglio Po quota-premiale submission (seed 000_3ef7030fffcb8120.txt: letter
sub-allegato 1A and two schede 1B) into the app's exchange format:
assets/demo/oglio-po-2021-2023-quota-premiale.json.

Provenance script: the narrative is read from the seed by line ranges (line numbers "L123" as in
shared/spec/forms-2021-2023-premialita.md), the wrapped lines of the PDF extract are joined back
into paragraphs and list items, and the tables (budget, staff, deliverables, Gantt rows, embedded
data tables) are transcribed by hand below, cell by cell, from the same lines. Page furniture
(letterhead footer, template headings and instructions) is dropped.

Usage: scripts/transcribe_op.py [SEED] [OUTPUT]   (--dump prints each section for review)
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = Path("/work/shared/seeds/000_3ef7030fffcb8120.txt")
OUT = ROOT / "assets/demo/oglio-po-2021-2023-quota-premiale.json"

args = [a for a in sys.argv[1:] if not a.startswith("--")]
if args:
    SEED = Path(args[0])
if len(args) > 1:
    OUT = Path(args[1])
DUMP = "--dump" in sys.argv

RAW = SEED.read_text(encoding="utf-8").split("\n")


def line(n):
    """1-based line of the seed."""
    return RAW[n - 1]


# Letterhead footer printed on some scheda pages (page furniture, spec §9.3), with the blank
# lines around it.
FURNITURE = set()
for a, b in [(234, 254), (638, 658), (916, 937), (1323, 1343)]:
    FURNITURE.update(range(a, b + 1))

END_PUNCT = tuple(".;:!?…”\"")


def clean(s):
    s = s.replace("\u00a0", " ")
    s = re.sub(r"[ \t]+", " ", s)
    return s.strip()


def join_text(parts):
    """Joins the wrapped lines of one paragraph. A line ending in "letter-" followed by a line
    starting with a letter is a word broken after its own hyphen ("de-" + "istituzionalizzazione")."""
    out = ""
    for p in parts:
        p = clean(p)
        if not p:
            continue
        if not out:
            out = p
        elif re.search(r"\w-$", out) and p[:1].isalpha():
            out += p
        else:
            out += " " + p
    return out


BULLET_RE = re.compile(r"^(?:- |– )")
OMARK_RE = re.compile(r"^o ")  # Word's "o" bullet glyph, extracted as a letter
NUMBER_RE = re.compile(r"^\d{1,2}\. ")


def rich(a, b, bullet=(), para=(), join=(), numbered=(), skip=(), short=100):
    """Rich text from seed lines a..b (inclusive).

    Blocks: paragraphs, bullet items ("- "), numbered items ("1. "). Lines are joined into the
    current block unless a new block starts: explicit overrides (bullet/para/numbered/join), a
    typed list marker, or the previous line closes a paragraph (ends with punctuation and is
    shorter than a full line)."""
    bullet, para, join, numbered, skip = map(set, (bullet, para, join, numbered, skip))
    blocks = []  # [kind, [lines]]
    prev = None
    gap = False  # an empty Word paragraph (a line of spaces) closes the block
    for n in range(a, b + 1):
        if n in FURNITURE or n in skip:
            continue
        raw = line(n)
        if not raw.strip():
            if raw:
                gap = True
            continue
        body = clean(raw)
        lead = raw[:1] in (" ", "\t")
        kind = None
        if n in join and blocks:
            kind = None
        elif n in bullet:
            kind = "bullet"
        elif n in numbered:
            kind = "numbered"
        elif n in para:
            kind = "para"
        elif BULLET_RE.match(body):
            kind = "bullet"
        elif NUMBER_RE.match(body):
            kind = "numbered"
        elif re.match(r"^[a-z][\).] ", body):
            kind = "para"
        elif not blocks:
            kind = "para"
        elif gap:
            kind = "bullet" if (lead and blocks[-1][0] == "bullet") else "para"
        elif prev is not None and clean(prev).endswith(END_PUNCT) and (
            len(clean(prev)) < short
            # a sentence ending exactly at the end of a full line, and a capital at the start of
            # the next one: a new paragraph, far more often than a coincidental wrap
            or (clean(prev).endswith(tuple(".!?…”")) and body[:1].isupper())
        ):
            last = blocks[-1]
            if lead and (last[0] == "bullet" or clean(prev).endswith((":", ";"))):
                kind = "bullet"
            else:
                kind = "para"
        if kind is None:
            blocks[-1][1].append(raw)
        else:
            if kind == "bullet":
                body_txt = BULLET_RE.sub("", body)
                if n in bullet:
                    body_txt = OMARK_RE.sub("", body_txt)
                blocks.append(["bullet", [body_txt]])
            elif kind == "numbered":
                blocks.append(["numbered", [body]])
            else:
                blocks.append(["para", [raw]])
        prev = raw
        gap = False
    out = []
    for i, (kind, parts) in enumerate(blocks):
        txt = join_text(parts)
        if kind == "bullet":
            txt = "- " + txt
        sep = ""
        if i > 0:
            pk = blocks[i - 1][0]
            same_list = kind in ("bullet", "numbered") and pk == kind
            sep = "\n" if same_list else "\n\n"
        out.append(sep + txt)
    return "".join(out)


def table(rows):
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def words(text):
    """The app's count (src/words.rs): tokens with a letter or digit, editor markers excluded."""
    n = 0
    for ln in text.split("\n"):
        t = ln.lstrip()
        for m in ("- ", "• ", "* ", "– "):
            if t.startswith(m):
                ln = t[len(m):]
                break
        else:
            mm = re.match(r"^(\d{1,3})(\. |\) )", t)
            if mm:
                ln = t[mm.end():]
        n += sum(1 for tok in re.split(r"[\s\u00a0\u2007\u202f]+", ln)
                 if any(unicodedata.category(c)[0] in "LN" for c in tok))
    return n


def wc(s):
    return sum(1 for tok in re.split(r"[\s\u00a0\u2007\u202f]+", s)
               if any(unicodedata.category(c)[0] in "LN" for c in tok))


def para(n):
    """One line (or a few wrapped lines) as plain text."""
    if isinstance(n, tuple):
        return join_text([line(i) for i in range(n[0], n[1] + 1) if i not in FURNITURE])
    return clean(line(n))


# ============================================================================ profile

LETTERHEAD = [
    # spec §9.3, verbatim (L240–253)
    "Certificazione ISO 9001:2015",
    "Campi di attività: Progettazione servizi innovativi nell’area sociale e assistenziale. Gestione del servizio di integrazione lavorativa rivolto a persone con disabilità e svantaggio sociale",
    "Azienda Speciale Consortile “Oglio Po”  -  Piazza Matteotti, 2  - 46019 Viadana (Mantova) -  Tel. 0375 786230 Fax. 0375 786288",
    "P.IVA: 02609140203   C.F.: 91010010204",
    "E-mail: info@consociale.it – info@pec.consociale.it –  Sito internet : www.consociale.it",
]
for l in LETTERHEAD:  # each line is in the seed (modulo the extract's line breaks)
    assert all(w in "\n".join(RAW[239:253]) for w in l.split()), l

profile = {
    "ambito": "Oglio Po",
    "ente_capofila": "Azienda Speciale Consortile “Oglio Po”",
    "legal_rep": {"name": "Mariagrazia Tripodo", "title": "Prof.ssa", "gender": "F"},
    "ats": "ATS Val Padana",
    "asst": ["ASST di Mantova", "ASST di Cremona"],
    "comuni": [],
    "letterhead": {"lines": LETTERHEAD, "position": "footer", "pages": "every_page"},
    "formed_after_dgr_7631": True,
    "email": "info@consociale.it",
}

# ============================================================================ letter 1A (L1–46)

TITLE_1 = "AGENZIA PER LA VITA INDIPENDENTE E L’INCLUSIONE NELLA SOCIETA’ DELLE PERSONE CON DISABILITÀ"
TITLE_2 = "CREAZIONE DELL’AGENZIA PER LA COMUNITA’ DELL’ABITARE"
assert TITLE_1 in line(28) and TITLE_1 in line(52)
assert TITLE_2 in line(31) and TITLE_2 in line(1110)
assert line(36).strip() == "Viadana, 18/02/2022"

lettera = {
    "id": "lettera",
    "form": "lettera_1a",
    "fields": {
        "data": {"kind": "date", "date": "2022-02-18"},
        "luogo": {"kind": "text", "text": "Viadana"},
        "titoli_progetti": {"kind": "items", "items": [TITLE_1, TITLE_2]},
    },
}


def T(text):
    return {"kind": "text", "text": text}


def ents(*names, note=""):
    v = {"kind": "entities", "items": [{"name": n} for n in names]}
    if note:
        v["note"] = note
    return v


def act(id, label, periods=(), kind=None, parent=None, budget_label=None, in_budget=True):
    a = {"id": id, "label": label}
    if kind:
        a["kind"] = kind
    if parent:
        a["parent"] = parent
    if periods:
        a["periods"] = [{"from": f, "to": t} for f, t in periods]
    if budget_label:
        a["budget_label"] = budget_label
    if not in_budget:
        a["in_budget"] = False
    return a


def money_row(activity, cost, amounts, notes=None, control=None):
    r = {"activity": activity, "cost": cost, "amounts": dict(sorted(amounts.items()))}
    if notes:
        r["notes"] = dict(sorted(notes.items()))
    if control:
        r["typed_control"] = control
    return r


def staff_row(role, **cells):
    out = {}
    for k, v in sorted(cells.items()):
        out[k] = {"persone": v} if isinstance(v, int) else {"testo": v}
    return {"role": role, "cells": out}


# ============================================================================ scheda 1 (L47–1101)

s1_contesto = "\n\n".join([
    rich(288, 314),
    # L317–319: data table (4 school years, 3 amounts; "1.015.679,505" has three decimals, sic)
    table([
        ["", "2018-2019", "2019-2020", "2020-2021", "2021/2022"],
        ["n. minori assistiti", "154", "166", "187", "224"],
        ["spesa complessiva", "€ 1.015.679,505", "€ 906.841,97", "€ 1.068.210,61", ""],
    ]),
    rich(322, 333),
    para(338),
    # L339–396: misura B1 (header cells broken letter by letter in the extract)
    table([
        ["AMBITO OGLIO PO", "A) Stato Vegetativo", "B) Ventilazione Meccanica", "C) Demenza",
         "D) Lesione Spinale", "E) Compr. Neurologica", "F) Deprivazione Sensoriale", "G) Autismo",
         "H) Ritardo Mentale", "I) Assistenza 24 ORE", "TOT."],
        ["2019", "2", "0", "0", "0", "7", "0", "10", "5", "4", "28"],
        ["2020", "0", "5", "11", "0", "9", "0", "12", "8", "12", "57"],
        ["TOTALE ATS", "11", "11", "89", "13", "75", "2", "106", "56", "109", "472"],
    ]),
    para(399),
    # L401–445: misura B2
    table([
        ["", "N. DI PERSONE SOSTENUTE PER ANNUALITA’ AVVISO", "", "", "", ""],
        ["MISURE", "2016", "2017", "2018", "2019", "2020"],
        ["SOSTEGNO CAREGIVER", "40", "34", "61", "42", "69"],
        ["SOSTEGNO ASS. FAM", "12", "8", "9", "12", "14"],
        ["VITA INDIPENDENTE ADULTI", "16", "9", "18", "22", "9"],
        ["VITA INDIPENDENTE MINORI", "18", "22", "26", "25", "22"],
        ["SOSTEGNO DOMICILIARIETÀ", "17", "13", "Non più finanziato", "Non più finanziato", "Non più finanziato"],
        ["POTENZIAMENTO SAD", "87", "58", "Non più finanziato", "Non più finanziato", "Non più finanziato"],
        ["SOSTEGNO SOLLIEVO", "5", "3", "Non più finanziato", "Non più finanziato", "Non più finanziato"],
        ["TOTALE SPESA", "€ 275.182,70", "€ 234.163,20", "€ 265.433,15", "€ 232.805,86", "€ 241.560,72"],
    ]),
    rich(448, 478),
])

s1_attivita = rich(
    518, 697,
    para=[574, 662],
    bullet=[605, 606, 629, 630, 631, 632, 633, 634, 635, 659, 660, 692, 693, 694, 695, 696, 697],
)
s1_attivita = s1_attivita  # noqa

s1_integrazione_macroaree = rich(701, 713, para=[709])

s1_activities = [
    act("p1-promozione", "PROMOZIONE/ SENSIBILIZZAZIONE", [("2022-01", "2022-06")],
        budget_label="Gestione attività di PROMOZIONE/SENSIBILIZZAZIONE"),
    act("p1-coprogettazione", "CO-PROGETTAZIONE", [("2022-05", "2022-10")],
        budget_label="Gestione attività di co-progettazione"),
    act("p1-sperimentazione", "FASE DI SPERIMENTAZIONE", [("2022-11", "2023-12")],
        budget_label="Sperimentazione"),
]

s1_deliverable = {
    "kind": "deliverables",
    "text": rich(824, 826),
    "rows": [
        {
            "activity": "p1-promozione",
            "phase": "FASE DI PROMOZIONE SENSIBILIZZAZIONE",
            "results": [
                para((726, 727)), para((729, 732)), para((734, 737)), para((739, 743)),
            ],
            "indicators": [
                para(745), para(746), para((747, 749)), para(750), para(751), para((752, 754)),
            ],
        },
        {
            "activity": "p1-coprogettazione",
            "phase": "FASE DI CO-PROGETTAZIONE",
            "results": [join_text([line(759), line(760), line(761), line(766), line(767), line(768), line(769)])],
            "indicators": [para((763, 765)), para((771, 772))],
        },
        {
            "activity": "p1-sperimentazione",
            "phase": "FASE DI SPERIMENTAZIONE",
            "results": [para((777, 778)), para((780, 782)), para((784, 786)), para((788, 790)), para((792, 793))],
            "indicators": [
                para(795), para((796, 798)), para((799, 801)), para((802, 804)), para((805, 807)),
                para((808, 810)), para((811, 814)), para((816, 817)), para((819, 820)), para(822),
            ],
        },
    ],
}
for row in s1_deliverable["rows"]:
    row["results"] = [re.sub(r"^\d\. ", "", r) for r in row["results"]]
    row["indicators"] = [re.sub(r"^- ", "", r) for r in row["indicators"]]

s1_budget = {
    "kind": "money_table",
    # "Entrate da finanziamento ... (es. FNPS, Enti terzo settore, ...; descrivere altre
    # tipologie) UNA PER COLONNA": the template's placeholder header was kept (L884–891), the
    # source written in the cells instead (cell notes).
    "extra_columns": [{"id": "altre", "source": ""}],
    "rows": [
        # L893–900: € 2.150,00 | | | € 150 | | € 2.000,00 PREMIALITA’
        money_row("p1-promozione", "2.150,00", {"ats": "150,00", "altre": "2.000,00"},
                  notes={"altre": "PREMIALITA’"}),
        # L901–905: € 4.150,00 | € 4.000,00 | | € 150 | |
        money_row("p1-coprogettazione", "4.150,00", {"proprie": "4.000,00", "ats": "150,00"}),
        # L907–913: € 118.200,00 | € 10.000,00 | € 10.000,00 | € 200 | | € 98.000,00 PREMIALITÀ E FNA (PROVI)
        money_row("p1-sperimentazione", "118.200,00",
                  {"proprie": "10.000,00", "comuni": "10.000,00", "ats": "200,00", "altre": "98.000,00"},
                  notes={"altre": "PREMIALITÀ E FNA (PROVI)"}),
    ],
}

PARTNER = join_text([line(966).split("     ")[1], line(967)])  # "Partner co-progettazione in seguito a stipula di convenzione"
assert PARTNER == "Partner co-progettazione in seguito a stipula di convenzione", PARTNER
s1_staff = {
    "kind": "staff_table",
    # "Da altro ente … (descrivere altri enti uno per colonna)": placeholder header kept (L941)
    "extra_columns": [{"id": "altro", "ente": ""}],
    "rows": [
        staff_row("RUP ASC Oglio Po", proprie=1),
        staff_row("Responsabile di progetto CONCASS", proprie=1),
        staff_row("Coordinatori di Area", proprie=2),
        staff_row("Segreteria", proprie=2),
        staff_row("Assistente sociale", comuni=10),
        staff_row("Case Manager", proprie=2),
        staff_row(para((951, 952)), proprie=3),
        staff_row(para((956, 957)), ats=1),
        staff_row(para((961, 962)), asst=4),
        staff_row("Consulenti alla pari", altro=PARTNER),
        staff_row("psicologo", ats=1),
        staff_row("Educatori professionali", ats=1, altro=PARTNER),
        staff_row("Attivatori di comunità", altro=PARTNER),
        staff_row("Assistenti personali", altro=PARTNER),
        staff_row("Mediatori familiari", altro=PARTNER),
        staff_row("Mediatori culturali", altro=PARTNER),
        staff_row(para((988, 991)), altro=PARTNER),
    ],
}

scheda1 = {
    "id": "scheda-1",
    "form": "scheda_1b",
    "number": 1,
    "all_n": 11,
    "activities": s1_activities,
    "fields": {
        "titolo": T(TITLE_1),
        "macroarea": {"kind": "choice", "selected": ["J"]},
        "punti_chiave": {"kind": "choice", "selected": []},
        "obiettivo": T(rich(155, 184)),
        "ats": ents(para(187)),
        "ambiti": ents(para(190)),
        "asst": ents("ASST DI MANTOVA", "ASST DI CREMONA"),
        "altri_enti": ents(note=para((195, 198))),
        "integrazione": T(rich(205, 282)),
        "contesto": T(s1_contesto),
        "innovazione": T(rich(484, 511)),
        "attivita": T(s1_attivita),
        "integrazione_macroaree": {"kind": "secondary_areas", "items": [], "text": s1_integrazione_macroaree},
        "deliverable": s1_deliverable,
        "cronoprogramma": {"kind": "gantt", "mode": "mensile", "start": "2022-01"},
        "risorse_economiche": s1_budget,
        "risorse_umane": s1_staff,
        "beneficiari": T(rich(999, 1045)),
        "criticita": T(rich(1051, 1082)),
        "sostenibilita": T(rich(1087, 1101)),
    },
}
assert para(193) == "ASST DI MANTOVA e ASST DI CREMONA"

# ============================================================================ scheda 2 (L1102–2057)

s2_activities = [
    act("p2-struttura", para((1751, 1756)), [("2022-04", "2022-06")]),
    act("p2-tavolo-rete", para((1757, 1759)), [("2022-06", "2022-09")]),
    act("p2-mappatura", para(1760), [("2022-05", "2022-10")]),
    act("p2-laboratori", para((1761, 1764)), [("2022-09", "2023-02")],
        budget_label=para((1857, 1860)).replace("tema/problem a", "tema/problema")),
    # Block 14 phase with no Gantt row and no budget row (spec §13.1 #9): no periods.
    act("p2-modello", para((1653, 1654)), in_budget=False),
    act("p2-coprogettazione", para((1765, 1766)), [("2022-11", "2023-03")]),
    act("p2-sperimentazione", para((1767, 1768)), [("2023-04", "2023-12")]),
    # Gantt row with no budget row (spec §13.1 #9): kept in the budget, so QP-A-03 reports it.
    act("p2-azioni-coprogettate", para((1769, 1770)), [("2023-04", "2023-12")]),
    act("p2-governance", para(1772), kind="group", budget_label="Governance"),
    act("p2-gruppo-tecnico", para((1773, 1774)), [("2022-04", "2023-12")], parent="p2-governance"),
    act("p2-tavolo-permanente", para((1775, 1777)), [("2022-09", "2023-12")], parent="p2-governance"),
    act("p2-cabina", para(1778), [("2023-04", "2023-12")], parent="p2-governance"),
]
assert [a["label"] for a in s2_activities] == [
    "definizione della struttura dell’agenzia e delle figure professionali da incaricare",
    "costituzione del tavolo di rete inizio dei lavori",
    "mappatura",
    "laboratori di comunità l tema/problema dell’abitare.",
    "definizione del modello di Agenzia da sperimentare",
    "Avvio della fase di Coprogettazione.",
    "Sperimentazione dell’agenzia",
    "avvio delle azioni coprogettate",
    "governance",
    "gruppo tecnico di coordinamento",
    "tavolo di confronto permanente",
    "Cabina di regia",
], [a["label"] for a in s2_activities]
assert s2_activities[3]["budget_label"] == "lab di comunità tema/problema dell’abitare."

s2_obiettivo = rich(1212, 1288, join=[1215], para=[1218, 1245], bullet=[1242, 1243])
s2_modalita = rich(1310, 1378, bullet=[1359])
s2_contesto = rich(1385, 1456, para=[1404])
s2_attivita = rich(1504, 1568, para=[1505, 1520, 1534, 1544, 1546, 1547], bullet=[1565])

# Block 13 (L1575–1595): the secondary macroaree were lettered K…R by Word's list numbering,
# continued from the A–J list. Kept as imported (QP-S-11); the key points are those printed
# next to them, which belong to the real macroaree A, C, D, E, F, G, I, J.
s2_secondary = {
    "kind": "secondary_areas",
    "items": [
        {"area": "K", "key_points": ["A1", "A2"]},
        {"area": "L", "key_points": ["C2"]},
        {"area": "M", "key_points": ["D3"]},
        {"area": "N", "key_points": ["E8"]},
        {"area": "O", "key_points": ["F4"]},
        {"area": "P", "key_points": ["G3"]},
        {"area": "Q", "key_points": ["I2", "I3"]},
        {"area": "R", "key_points": ["J2"]},
    ],
}

s2_deliverable = {
    "kind": "deliverables",
    "rows": [
        {
            "activity": "p2-struttura",
            "phase": para((1603, 1605)),
            "results": [para(1607), para(1608), para((1609, 1610))],
            # "partecipazione Verbali" is one line of the extract, hence one paragraph (sic)
            "indicators": [para(1614), para((1615, 1616))],
        },
        {
            "activity": "p2-mappatura",
            "phase": para(1618),
            "results": [para(1621), para(1622)],
            "indicators": [para(1624), para(1625)],
        },
        {
            "activity": "p2-laboratori",
            "phase": para((1627, 1628)),
            "results": [para((1631, 1633))],
            "indicators": [para(1635), para(1636), para(1637)],
        },
        {
            "activity": "p2-tavolo-rete",
            "phase": para((1639, 1640)),
            "results": [para((1642, 1643)), para((1644, 1645)), para(1646)],
            "indicators": [para(1648), para(1649), para(1650), para(1651)],
        },
        {
            "activity": "p2-modello",
            "phase": para((1653, 1654)),
            "results": [para((1656, 1659))],
            "indicators": [para(1661)],
        },
        {
            "activity": "p2-coprogettazione",
            "phase": para((1663, 1664)),
            "results": [
                # the extract prints the cells by bands: L1691 opens the second band of this
                # column, between the two bands of indicators
                para((1667, 1670)), para((1672, 1676)), para((1691, 1692)), para((1694, 1706)), para((1708, 1714)),
                para((1716, 1718)), para((1720, 1722)),
            ],
            "indicators": [
                para(1678), para(1679), para((1680, 1682)), para(1683), para((1684, 1686)),
                para((1687, 1689)), para(1690), para((1726, 1727)),
                para((1729, 1730)), para(1732), para((1733, 1737)),
            ],
        },
    ],
}
assert s2_deliverable["rows"][0]["indicators"][1] == "n. di partecipanti e varietà della partecipazione Verbali"

s2_budget = {
    "kind": "money_table",
    "extra_columns": [{"id": "premialita", "source": "premialità"}],
    # Columns from the layout of L1786–1937: Costo totale | proprie | Comuni | ATS | ASST* |
    # premialità | totale attività (typed; it repeats Costo totale). The only placement that
    # reproduces the printed column totals (spec §13).
    "rows": [
        money_row("p2-struttura", "900,00", {"proprie": "900,00", "ats": "100,00"}, control="900,00"),
        money_row("p2-tavolo-rete", "1.200,00", {"proprie": "1.200,00", "ats": "200,00"}, control="1.200,00"),
        money_row("p2-mappatura", "7.020,00", {"comuni": "6.520,00", "premialita": "500,00"}, control="7.020,00"),
        money_row("p2-laboratori", "2.408,00", {"comuni": "1.408,00", "premialita": "1.000,00"}, control="2.408,00"),
        money_row("p2-coprogettazione", "4.350,00", {"proprie": "3.600,00", "premialita": "750,00"}, control="4.350,00"),
        money_row("p2-sperimentazione", "16.000,00", {"premialita": "16.000,00"}, control="16.000,00"),
        money_row("p2-governance", "4.655,00",
                  {"proprie": "2.530,00", "comuni": "375,00", "ats": "200,00", "premialita": "1.750,00"},
                  control="4.655,00"),
    ],
    # Row "totale" (L1919–1937); ATS and ASST typed "€ -". The typed total of the "totale
    # attività" column (€ 36.533,00) has no place in the model (see notes).
    "typed_totals": dict(sorted({
        "cost": "36.533,00", "proprie": "8.230,00", "comuni": "8.303,00", "ats": "0,00",
        "asst": "0,00", "premialita": "20.000,00",
    }.items())),
    "show_control_column": True,
}

s2_staff = {
    "kind": "staff_table",
    "extra_columns": [{"id": "premialita", "ente": "premialità", "linked_column": "premialita"}],
    "rows": [
        staff_row("Assistente sociale", comuni=10, ats=1),
        staff_row("referenti concass", proprie=2),
        staff_row("referente asc", proprie=2),
        staff_row("Sociologo", ats=1),
        # a single "3" spans these three rows (merged cell, L1950–1953): not assignable, see notes
        staff_row("coordinatore"),
        staff_row("amministrativo"),
        staff_row("tecnico"),
        staff_row("referente uffici tecnici", comuni=2),
    ],
}

scheda2 = {
    "id": "scheda-2",
    "form": "scheda_1b",
    "number": 2,
    "all_n": 12,
    "activities": s2_activities,
    "fields": {
        "titolo": T(TITLE_2),
        "macroarea": {"kind": "choice", "selected": ["B"]},
        # L1145–1149: "X" before the five key points of B (B4 typed "co programmazione")
        "punti_chiave": {"kind": "choice", "selected": ["B1", "B2", "B3", "B4", "B5"]},
        "obiettivo": T(s2_obiettivo),
        "ats": ents(para(1291)),
        "ambiti": ents(para(1294)),
        "asst": ents("ASST DI MANTOVA", "ASST Cremona"),
        "altri_enti": ents(note=para((1300, 1303))),
        "integrazione": T(s2_modalita),
        "contesto": T(s2_contesto),
        "innovazione": T(rich(1462, 1497)),
        "attivita": T(s2_attivita),
        "integrazione_macroaree": s2_secondary,
        "deliverable": s2_deliverable,
        "cronoprogramma": {"kind": "gantt", "mode": "mesi_relativi", "start": "2022-04"},
        "risorse_economiche": s2_budget,
        "risorse_umane": s2_staff,
        "beneficiari": T(rich(1962, 2000, bullet=[1991, 1992, 1995, 1998])),
        "criticita": T(rich(2005, 2033)),
        "sostenibilita": T(rich(2037, 2052)),
    },
}
assert para(1297) == "ASST DI MANTOVA- ASST Cremona"

# ============================================================================ notes

NOTES = """Trascrizione della richiesta reale dell’Ambito Oglio Po (sub-allegato 1A del 18/02/2022 e due schede 1B, All. n. 11 e n. 12 al PDZ 2021/2023), dal testo estratto del PDF. Testi e tabelle sono riportati come scritti, errori compresi (sezioni oltre il limite di parole, righe di bilancio non in pareggio, totali digitati errati, macroaree secondarie con lettere K–R). Provenienza: scripts/transcribe_op.py.

Dati ricostruiti o dedotti (non leggibili nell’estratto):
- Cronoprogramma: nei diagrammi di Gantt originali i mesi erano solo celle ombreggiate, perse nell’estrazione del testo. I periodi delle azioni sono quindi PLAUSIBILI, non originali: scheda 1 griglia mensile 01/2022–12/2023 (promozione 01–06/2022, co-progettazione 05–10/2022, sperimentazione 11/2022–12/2023); scheda 2 griglia a mesi relativi 1…21 con avvio 04/2022 (anch’esso dedotto: 21 mesi che terminano a 12/2023). Ridisegnare le barre sull’originale.
- Scheda 1: le spunte della macroarea e dei punti chiave non sono visibili nell’estratto. La macroarea J è ripresa dalla lettera (che spunta B e J; B è la macroarea della scheda 2); i punti chiave sono lasciati vuoti (la Verifica lo segnala).
- Scheda 2: spuntati i cinque punti chiave della macroarea B, marcati «X» nell’originale («Allargamento della rete e co programmazione» = B4).
- Risorse umane: la colonna di ciascun valore è dedotta dalla spaziatura dell’estratto. Scheda 1: Proprie per RUP, responsabile CONCASS, coordinatori, segreteria, case manager, tutor; Da Comuni per gli assistenti sociali; Da ATS per referente rendicontazione, psicologo, educatori; Da ASST per i referenti socio-sanitari; il testo «Partner co-progettazione in seguito a stipula di convenzione» nella colonna «Da altro ente», lasciata senza nome come nell’originale. Scheda 2: assistenti sociali 10 Da Comuni e 1 Da ATS, sociologo Da ATS, referente uffici tecnici Da Comuni; la colonna «premialità» è una colonna aggiuntiva collegata alla fonte «premialità» delle Risorse economiche.
- Scheda 2, Risorse umane: un unico valore «3» copre le tre righe «coordinatore», «amministrativo», «tecnico» (cella unita); riga e colonna non si possono ricostruire, perciò le tre righe sono senza valori. Indicare i valori corretti.
- Scheda 2, Risorse economiche: la posizione degli importi nelle colonne è l’unica che riproduce i totali stampati (proprie € 8.230,00, Comuni € 8.303,00, premialità € 20.000,00, costo € 36.533,00). La riga dei totali digitata è conservata come «totali riportati» (l’ATS vi risulta «€ -» mentre le celle sommano € 500,00); i valori della colonna «totale attività» (che ripete il costo totale) sono conservati come colonna di controllo digitata. Il totale digitato di questa colonna (€ 36.533,00) non ha posto nel modello e non è riportato.
- Scheda 1, Risorse economiche: la colonna «Entrate da finanziamento …» ha ancora l’intestazione segnaposto del modello; la fonte era scritta nelle celle («PREMIALITA’», «PREMIALITÀ E FNA (PROVI)»), conservata come nota di cella. Nessuna riga dei totali nell’originale.
- Scheda 2, Integrazione tra macroaree: accanto alle lettere K…R l’originale stampa le etichette delle macroaree reali («K. Contrasto alla povertà e all’emarginazione sociale», «L. Promozione inclusione attiva», «M. Domiciliarità», «N. Anziani», «O. Digitalizzazione dei servizi», «P. Politiche giovanili e per i minori», «Q. Interventi per la famiglia», «R. Interventi a favore di persone con disabilità»). Il modello conserva solo il codice come scritto (la Verifica lo segnala); la macroarea reale si riconosce dai punti chiave, che sono quelli di A, C, D, E, F, G, I, J.
- Scheda 1, Integrazione tra macroaree: l’originale elenca le macroaree in un testo libero (senza lettere); è riportato come testo.
- Azioni: un solo elenco per scheda. Le etichette sono quelle del Gantt; quelle diverse del bilancio sono conservate come etichetta di bilancio (es. «Gestione attività di co-progettazione», «lab di comunità tema/problema dell’abitare.», «Governance»); nelle righe dei deliverable il campo «fase» conserva la dicitura della tabella deliverable. Il deliverable «Avvio del tavolo di coordinamento permanente» è collegato all’azione «costituzione del tavolo di rete inizio dei lavori» (abbinamento dedotto).
- Scheda 2: la fase «definizione del modello di Agenzia da sperimentare» compare solo tra i deliverable (nessuna riga nel Gantt né nel bilancio): è un’azione senza periodo e fuori bilancio. L’azione «avvio delle azioni coprogettate» è nel Gantt ma non ha una riga di bilancio: resta «nel bilancio», così la Verifica lo segnala. Omessa una riga vuota del Gantt dopo di essa.

Forma del testo:
- Paragrafi ricomposti dagli a capo dell’estratto; i simboli di elenco persi nell’estrazione sono resi come elenchi puntati (anche le «o» degli elenchi Word, scheda 1, aree di intervento); le parole spezzate a fine riga dopo un trattino sono ricongiunte («de-istituzionalizzazione», «co-progettazione»); spazi multipli ridotti a uno. Le intestazioni e le istruzioni del modello, anche dove riscritte a mano, non sono riportate (il modello stampa quelle canoniche); il piè di pagina con la carta intestata dell’Azienda è nel profilo.
- Scheda 1, Contesto: le tre tabelle di dati sono riportate come tabelle nel testo; le intestazioni spezzate lettera per lettera nell’estratto sono ricongiunte («Vegetati vo» → «Vegetativo»), perciò il conteggio è di circa 15 parole inferiore a quello dell’estratto grezzo (≈1204) e resta entro le 1200. L’importo «€ 1.015.679,505» (tre decimali) e le 4 colonne di anni con 3 importi sono come nell’originale.
- Profilo: i 27 Comuni dell’Ambito non sono elencati per nome nella richiesta (elenco vuoto). La carta intestata era stampata come piè di pagina solo su alcune pagine delle schede, non sulla lettera; il profilo la stampa su ogni pagina (l’opzione più vicina).
- Opzioni: caselle «X» digitate, zeri nei totali come «€ -» e intestazione breve delle fonti aggiuntive («premialità») riproducono l’aspetto dell’originale."""

fascicolo = {
    "title": "Richiesta quota premiale 2021-2023 – Ambito Oglio Po",
    "family": "qp2021",
    "variant": "ambito",
    "date": "2022-02-18",
    "signer": {"name": "Mariagrazia Tripodo", "title": "Prof.ssa", "gender": "F"},
    "options": dict(sorted({"checkbox_style": "x", "other_header_style": "short", "zero_style": "dash"}.items())),
    "documents": [lettera, scheda1, scheda2],
    "notes": NOTES,
}


def sort_fields(doc):
    doc["fields"] = dict(sorted(doc["fields"].items()))


for d in fascicolo["documents"]:
    sort_fields(d)

exchange = {"format": "pianozona.fascicolo", "version": 1, "profile": profile, "fascicolo": fascicolo}

LIMITS = {"obiettivo": 600, "integrazione": 600, "contesto": 1200, "innovazione": 600, "attivita": 2400,
          "deliverable": 1200, "beneficiari": 1200, "criticita": 1200, "sostenibilita": 1200}


def section_words(v):
    if v["kind"] == "text":
        return words(v["text"])
    if v["kind"] == "deliverables":
        return words(v.get("text", "")) + sum(
            wc(r.get("phase", "")) + sum(map(wc, r["results"])) + sum(map(wc, r["indicators"])) for r in v["rows"])
    return 0


if DUMP:
    for d in fascicolo["documents"][1:]:
        for k, v in d["fields"].items():
            if v["kind"] == "text" and k in LIMITS:
                print(f"===== {d['id']} {k} ({section_words(v)} parole)\n{v['text']}\n")
for d in fascicolo["documents"][1:]:
    for k in LIMITS:
        print(f"{d['id']:9} {k:14} {section_words(d['fields'][k]):5} / {LIMITS[k]}", file=sys.stderr)

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(exchange, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"scritto {OUT}", file=sys.stderr)
