#!/usr/bin/env python3
"""Writes a small one-page PDF/A-2b test document (embedded DejaVu Sans, XMP pdfaid 2B,
sRGB GTS_PDFA1 OutputIntent, /ID). Used by the signing tests while they cannot use the real
export; options: --xref-stream (object streams + cross-reference stream), --encrypt PASSWORD,
--certify-p1 (adds a DocMDP P=1 permission entry, as a certified document has)."""
import argparse, os, sys
import pikepdf
from pikepdf import Name, Dictionary, Array, String

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--xref-stream", action="store_true")
ap.add_argument("--encrypt")
ap.add_argument("--certify-p1", action="store_true")
ap.add_argument("--title", default="Piano di Zona - documento di prova")
a = ap.parse_args()

font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
icc_path = os.path.join(os.path.dirname(pikepdf.__file__), "pdfa", "data", "sRGB.icc")
for p in (font_path, icc_path):
    if not os.path.exists(p):
        sys.exit(f"missing {p} (install fonts-dejavu-core / pikepdf)")

pdf = pikepdf.new()
font_file = pikepdf.Stream(pdf, open(font_path, "rb").read())
font_file["/Length1"] = len(open(font_path, "rb").read())
desc = pdf.make_indirect(Dictionary(
    Type=Name.FontDescriptor, FontName=Name("/DejaVuSans"), Flags=32,
    FontBBox=Array([-1021, -463, 1793, 1232]), ItalicAngle=0, Ascent=928, Descent=-236,
    CapHeight=729, StemV=80, FontFile2=font_file))
font = pdf.make_indirect(Dictionary(
    Type=Name.Font, Subtype=Name.TrueType, BaseFont=Name("/DejaVuSans"), FirstChar=32, LastChar=126,
    Widths=Array([600] * 95), Encoding=Name.WinAnsiEncoding, FontDescriptor=desc))
text = a.title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
content = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET\nBT /F1 11 Tf 72 730 Td (Il legale rappresentante) Tj ET\n"
page = pdf.add_blank_page(page_size=(595, 842))
page.obj["/Resources"] = Dictionary(Font=Dictionary(F1=font))
page.obj["/Contents"] = pdf.make_stream(content)

icc = pdf.make_stream(open(icc_path, "rb").read())
icc["/N"] = 3
pdf.Root["/OutputIntents"] = Array([Dictionary(
    Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
    Info=String("sRGB IEC61966-2.1"), DestOutputProfile=icc)])
pdf.Root["/Lang"] = String("it-IT")
pdf.docinfo["/Title"] = a.title
pdf.docinfo["/Producer"] = "pianozona test fixture"
pdf.docinfo["/CreationDate"] = "D:20261124100000+00'00'"
pdf.docinfo["/ModDate"] = "D:20261124100000+00'00'"
with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
    meta.load_from_docinfo(pdf.docinfo)
    meta["pdfaid:part"] = "2"
    meta["pdfaid:conformance"] = "B"
if a.certify_p1:
    sig = pdf.make_indirect(Dictionary(Type=Name.Sig, Filter=Name("/Adobe.PPKLite"),
        SubFilter=Name("/ETSI.CAdES.detached"),
        Reference=Array([Dictionary(Type=Name.SigRef, TransformMethod=Name.DocMDP,
            TransformParams=Dictionary(Type=Name.TransformParams, P=1, V=Name("/1.2")))])))
    pdf.Root["/Perms"] = Dictionary(DocMDP=sig)
kw = {}
if a.xref_stream:
    kw["object_stream_mode"] = pikepdf.ObjectStreamMode.generate
if a.encrypt:
    kw["encryption"] = pikepdf.Encryption(owner=a.encrypt, user=a.encrypt, R=6)
pdf.save(a.out, deterministic_id=not a.encrypt, **kw)
