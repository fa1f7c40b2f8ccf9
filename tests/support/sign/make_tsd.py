#!/usr/bin/env python3
"""Wraps a signed file and an RFC 3161 token as offices receive them.
Usage: make_tsd.py SIGNED TOKEN.der REPLY.tsr OUT.tsd OUT.m7m
.tsd: RFC 5544 TimeStampedData (DER, built by hand: asn1crypto has no type for it).
.m7m: the MIME envelope of the Italian desktop tools (p7m + timestamp reply, base64)."""
import base64, sys

signed, token, reply, out_tsd, out_m7m = sys.argv[1:6]
data = open(signed, "rb").read()
tok = open(token, "rb").read()
rep = open(reply, "rb").read()


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + content


OID_TSD = bytes([0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x1F])
evidence = tlv(0xA0, tlv(0x30, tok))  # tstEvidence [0] SEQUENCE OF TimeStampAndCRL
tsd = tlv(0x30, tlv(0x02, b"\x01") + tlv(0x16, b"file://documento.pdf.p7m") + tlv(0x04, data) + evidence)
open(out_tsd, "wb").write(tlv(0x30, OID_TSD + tlv(0xA0, tsd)))


def b64(b):
    s = base64.b64encode(b).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


bd = "----=_Part_0_12345.67890"
m7m = (
    "MIME-Version: 1.0\r\n"
    f'Content-Type: multipart/mixed; boundary="{bd}"\r\n\r\n'
    f"--{bd}\r\n"
    'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="documento.pdf.p7m"\r\n'
    "Content-Transfer-Encoding: base64\r\n"
    'Content-Disposition: attachment; filename="documento.pdf.p7m"\r\n\r\n'
    f"{b64(data)}\r\n"
    f"--{bd}\r\n"
    'Content-Type: application/timestamp-reply; name="documento.pdf.tsr"\r\n'
    "Content-Transfer-Encoding: base64\r\n"
    'Content-Disposition: attachment; filename="documento.pdf.tsr"\r\n\r\n'
    f"{b64(rep)}\r\n"
    f"--{bd}--\r\n"
)
open(out_m7m, "w", newline="").write(m7m)
