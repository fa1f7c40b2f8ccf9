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
    Some(Tlv {
        tag,
        raw: &data[..end],
        content: &data[hdr..end],
    })
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

pub(crate) fn hex_upper(data: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(data.len() * 2);
    for b in data {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}

pub(crate) fn hex_decode_lenient(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut hi: Option<u8> = None;
    for &c in data {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0' => continue,
            _ => return None,
        };
        match hi.take() {
            None => hi = Some(v),
            Some(h) => out.push(h << 4 | v),
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
    Some(out)
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
        long.extend(std::iter::repeat(7u8).take(0x80));
        assert_eq!(read_tlv(&long).unwrap().content.len(), 0x80);
        assert!(read_tlv(&[0x30, 0x80, 0, 0]).is_none());
        assert!(read_tlv(&[0x30, 0x05, 0]).is_none());
    }

    #[test]
    fn hex_roundtrip() {
        assert_eq!(
            hex_decode_lenient(hex_upper(&[0, 255, 16]).as_bytes()).unwrap(),
            vec![0, 255, 16]
        );
        assert!(hex_decode_lenient(b"zz").is_none());
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
        assert_eq!(
            super::base64_decode_lenient(b"-----BEGIN X-----\nTWFu\nTQ==\n-----END X-----\n").unwrap(),
            b"ManM"
        );
        assert!(super::base64_decode_lenient(b"%%%").is_none());
    }
}
