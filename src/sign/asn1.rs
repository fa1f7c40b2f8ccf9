//! A tiny DER walker used where the exact original bytes matter (signed attributes, the
//! to-be-signed part of a certificate): re-encoding a parsed structure may reorder a SET and
//! change what was hashed.

/// One TLV: the tag byte, the whole element (header + content) and its content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub raw: &'a [u8],
    pub content: &'a [u8],
}

/// Reads the element at the start of `data` (definite lengths only, single-byte tags).
pub(crate) fn read_tlv(data: &[u8]) -> Option<Tlv<'_>> {
    let tag = *data.first()?;
    if tag & 0x1f == 0x1f {
        return None; // multi-byte tags never occur in the structures we walk
    }
    let first = *data.get(1)? as usize;
    let (len, hdr) = if first < 0x80 {
        (first, 2usize)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 8 {
            return None; // indefinite length (BER) or absurd
        }
        let mut len = 0usize;
        for i in 0..n {
            len = len.checked_mul(256)?.checked_add(*data.get(2 + i)? as usize)?;
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    if end > data.len() {
        return None;
    }
    Some(Tlv { tag, raw: &data[..end], content: &data[hdr..end] })
}

/// The children of a constructed element's content.
pub(crate) fn children(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let t = read_tlv(rest)?;
        rest = &rest[t.raw.len()..];
        out.push(t);
    }
    Some(out)
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Header: tag, length (None = indefinite), header size.
fn ber_header(data: &[u8]) -> Option<(u8, Option<usize>, usize)> {
    let tag = *data.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *data.get(1)? as usize;
    if first < 0x80 {
        return Some((tag, Some(first), 2));
    }
    let n = first & 0x7f;
    if n == 0 {
        return Some((tag, None, 2));
    }
    if n > 8 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = len.checked_mul(256)?.checked_add(*data.get(2 + i)? as usize)?;
    }
    Some((tag, Some(len), 2 + n))
}

fn ber_conv(data: &[u8], depth: usize, out: &mut Vec<u8>) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    let (tag, len, hdr) = ber_header(data)?;
    let constructed = tag & 0x20 != 0;
    let mut content = Vec::new();
    let consumed = match len {
        Some(l) => {
            let body = data.get(hdr..hdr.checked_add(l)?)?;
            if constructed {
                let mut p = 0;
                while p < body.len() {
                    p += ber_conv(&body[p..], depth + 1, &mut content)?;
                }
            } else {
                content.extend_from_slice(body);
            }
            hdr + l
        }
        None => {
            if !constructed {
                return None;
            }
            let mut p = hdr;
            loop {
                if data.get(p..p + 2)? == [0, 0] {
                    p += 2;
                    break;
                }
                p += ber_conv(data.get(p..)?, depth + 1, &mut content)?;
            }
            p
        }
    };
    if tag == 0x24 {
        // constructed OCTET STRING (BER segments) -> one primitive OCTET STRING
        let mut flat = Vec::new();
        let mut p = 0;
        while p < content.len() {
            let t = read_tlv(&content[p..])?;
            flat.extend_from_slice(t.content);
            p += t.raw.len();
        }
        out.push(0x04);
        push_len(out, flat.len());
        out.extend_from_slice(&flat);
    } else {
        out.push(tag);
        push_len(out, content.len());
        out.extend_from_slice(&content);
    }
    Some(consumed)
}

/// Re-encodes a BER element (indefinite lengths, segmented OCTET STRINGs, as NSS-based tools
/// write CMS) with definite lengths. DER parts, such as signed attributes, come out unchanged.
/// Returns the bytes and how many input bytes the element took.
pub(crate) fn ber_to_der(data: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let used = ber_conv(data, 0, &mut out)?;
    Some((out, used))
}

fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    push_len(&mut v, content.len());
    v.extend_from_slice(content);
    v
}

/// Drops exact duplicates from the SET-typed fields of a ContentInfo(SignedData)
/// (digestAlgorithms, certificates, crls, signerInfos): some tools (NSS) list a certificate
/// twice, which DER forbids. Nothing inside those elements is touched.
pub(crate) fn dedupe_signed_data_sets(content_info: &[u8]) -> Option<Vec<u8>> {
    let ci = read_tlv(content_info)?;
    let ci_kids = children(ci.content)?;
    let explicit = ci_kids.get(1)?;
    let sd = read_tlv(explicit.content)?;
    let mut sd_content = Vec::new();
    for k in children(sd.content)? {
        if matches!(k.tag, 0x31 | 0xA0 | 0xA1) {
            let mut seen: Vec<&[u8]> = Vec::new();
            let mut inner = Vec::new();
            for e in children(k.content)? {
                if !seen.contains(&e.raw) {
                    seen.push(e.raw);
                    inner.extend_from_slice(e.raw);
                }
            }
            sd_content.extend_from_slice(&encode(k.tag, &inner));
        } else {
            sd_content.extend_from_slice(k.raw);
        }
    }
    let sd_new = encode(sd.tag, &sd_content);
    let explicit_new = encode(explicit.tag, &sd_new);
    let mut ci_content = ci_kids.first()?.raw.to_vec();
    ci_content.extend_from_slice(&explicit_new);
    Some(encode(ci.tag, &ci_content))
}

/// Raw bytes of `tbsCertificate` inside a DER certificate.
pub(crate) fn cert_tbs(cert_der: &[u8]) -> Option<&[u8]> {
    let outer = read_tlv(cert_der)?;
    let kids = children(outer.content)?;
    kids.first().map(|t| t.raw)
}

/// For every SignerInfo of a CMS ContentInfo(SignedData), the raw `signedAttrs` re-tagged as a
/// universal SET (0x31), which is what the signature covers (RFC 5652 §5.4).
pub(crate) fn signed_attrs_for_signing(content_info: &[u8]) -> Option<Vec<Option<Vec<u8>>>> {
    let ci = read_tlv(content_info)?;
    let ci_kids = children(ci.content)?;
    let explicit = ci_kids.get(1)?; // [0] EXPLICIT
    let sd = read_tlv(explicit.content)?;
    let sd_kids = children(sd.content)?;
    let signer_infos = sd_kids.last()?; // SET OF SignerInfo
    let mut out = Vec::new();
    for si in children(signer_infos.content)? {
        let kids = children(si.content)?;
        let attrs = kids.iter().find(|t| t.tag == 0xA0).map(|t| {
            let mut v = t.raw.to_vec();
            v[0] = 0x31;
            v
        });
        out.push(attrs);
    }
    Some(out)
}

/// Hex of a PDF string `<…>` (ISO 32000: white space ignored, a missing last digit is 0);
/// None when a character is not hex. The digits are decoded by the `hex` crate.
pub(crate) fn hex_decode_lenient(data: &[u8]) -> Option<Vec<u8>> {
    let mut digits: Vec<u8> =
        data.iter().copied().filter(|c| !matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')).collect();
    if digits.len() % 2 == 1 {
        digits.push(b'0');
    }
    hex::decode(digits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_long_and_short() {
        let d = [0x30, 0x03, 0x02, 0x01, 0x05];
        let t = read_tlv(&d).unwrap();
        assert_eq!(t.content.len(), 3);
        assert_eq!(children(t.content).unwrap().len(), 1);
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(std::iter::repeat_n(7u8, 0x80));
        assert_eq!(read_tlv(&long).unwrap().content.len(), 0x80);
        assert!(read_tlv(&[0x30, 0x80, 0, 0]).is_none());
        assert!(read_tlv(&[0x30, 0x05, 0]).is_none());
    }

    #[test]
    fn ber_indefinite_to_der() {
        // SEQUENCE (indef) { INTEGER 5, OCTET STRING constructed (indef) { "ab", "c" } }
        let ber =
            [0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0, 0, 0, 0, 0xFF];
        let (der, used) = ber_to_der(&ber).unwrap();
        assert_eq!(der, vec![0x30, 0x08, 0x02, 0x01, 0x05, 0x04, 0x03, b'a', b'b', b'c']);
        assert_eq!(used, ber.len() - 1);
        assert!(ber_to_der(&[0x30, 0x80, 0x02, 0x01]).is_none());
        let d = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(ber_to_der(&d).unwrap().0, d.to_vec());
    }

    #[test]
    fn hex_roundtrip() {
        assert_eq!(hex_decode_lenient(hex::encode_upper([0, 255, 16]).as_bytes()).unwrap(), vec![0, 255, 16]);
        assert!(hex_decode_lenient(b"zz").is_none());
        assert_eq!(hex_decode_lenient(b"4 1\n4").unwrap(), vec![0x41, 0x40]);
    }
}

/// Decodes base64 (PEM armour and white space ignored), as some Italian tools save .p7m files.
pub(crate) fn base64_decode_lenient(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for line in text.split(|&c| c == b'\n') {
        if line.starts_with(b"-----") {
            continue;
        }
        for &c in line {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                b'=' | b' ' | b'\r' | b'\t' => continue,
                _ => return None,
            } as u32;
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod b64_tests {
    #[test]
    fn b64() {
        assert_eq!(super::base64_decode_lenient(b"-----BEGIN X-----\nTWFu\nTQ==\n-----END X-----\n").unwrap(), b"ManM");
        assert!(super::base64_decode_lenient(b"%%%").is_none());
    }
}
