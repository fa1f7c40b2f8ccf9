//! RFC 3161 time-stamp client: asks a time-stamping authority (TSA) for a token over the
//! signature value (CAdES-T / PAdES B-T). HTTP POST `application/timestamp-query`, optional basic
//! authentication given in the URL (`http://utente:password@host/percorso`). Plain `http://`
//! only: the token is signed by the TSA, so the transport needs no TLS; `https://` is refused
//! with a clear message.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use rsa::rand_core::{OsRng, RngCore};

use super::asn1;
use super::certs::DigestAlg;
use super::cmsx;
use super::error::SignError;

/// A time-stamping authority to ask for a signature timestamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampAuthority {
    /// e.g. `http://timestamp.example.it/tsa`; `http://utente:password@host/…` for basic auth.
    pub url: String,
}

impl TimestampAuthority {
    pub fn new(url: &str) -> TimestampAuthority {
        TimestampAuthority { url: url.trim().to_string() }
    }

    /// The URL without the password, for messages.
    pub fn display_url(&self) -> String {
        match split_url(&self.url) {
            Ok(u) => format!("http://{}{}", u.host_port, u.path),
            Err(_) => self.url.chars().take(80).collect(),
        }
    }
}

struct Url {
    auth: Option<String>,
    host_port: String,
    path: String,
}

fn split_url(url: &str) -> Result<Url, String> {
    let rest = if let Some(r) = url.strip_prefix("http://") {
        r
    } else if url.starts_with("https://") {
        return Err("sono supportati solo indirizzi http:// (la marca temporale è firmata dal servizio, non serve https): usa l'indirizzo http del servizio".into());
    } else {
        return Err("l'indirizzo deve iniziare con http://".into());
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (auth, host_port) = match authority.rfind('@') {
        Some(i) => (Some(authority[..i].to_string()), &authority[i + 1..]),
        None => (None, authority),
    };
    if host_port.is_empty() {
        return Err("manca il nome del server".into());
    }
    let host_port = if host_port.contains(':') { host_port.to_string() } else { format!("{host_port}:80") };
    Ok(Url { auth, host_port, path: path.to_string() })
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        vec![n as u8]
    } else {
        let b = (n as u64).to_be_bytes();
        let skip = b.iter().take_while(|x| **x == 0).count();
        let mut v = vec![0x80 | (8 - skip) as u8];
        v.extend_from_slice(&b[skip..]);
        v
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend(der_len(content.len()));
    v.extend_from_slice(content);
    v
}

/// TimeStampReq { version 1, messageImprint { sha256, hash }, nonce, certReq TRUE }.
fn request_der(hash: &[u8], nonce: &[u8; 8]) -> Vec<u8> {
    // 2.16.840.1.101.3.4.2.1 with NULL parameters
    let alg =
        tlv(0x30, &[&[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01][..], &[0x05, 0x00]].concat());
    let imprint = tlv(0x30, &[alg, tlv(0x04, hash)].concat());
    let mut n = nonce.to_vec();
    n[0] &= 0x7f; // positive INTEGER
    let body = [tlv(0x02, &[1]), imprint, tlv(0x02, &n), vec![0x01, 0x01, 0xff]].concat();
    tlv(0x30, &body)
}

fn http_post(url: &Url, body: &[u8]) -> Result<Vec<u8>, String> {
    let addr = url
        .host_port
        .to_socket_addrs()
        .map_err(|_| format!("server «{}» non trovato (sei collegato a internet?)", url.host_port))?
        .next()
        .ok_or_else(|| format!("server «{}» non trovato", url.host_port))?;
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(15))
        .map_err(|_| format!("il server «{}» non risponde (sei collegato a internet?)", url.host_port))?;
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(30)));
    let mut head = format!(
        "POST {} HTTP/1.0\r\nHost: {}\r\nContent-Type: application/timestamp-query\r\nAccept: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n",
        url.path,
        url.host_port,
        body.len()
    );
    if let Some(a) = &url.auth {
        head.push_str(&format!("Authorization: Basic {}\r\n", base64(a.as_bytes())));
    }
    head.push_str("\r\n");
    let io = |_| "collegamento interrotto durante la richiesta".to_string();
    s.write_all(head.as_bytes()).map_err(io)?;
    s.write_all(body).map_err(io)?;
    let mut resp = Vec::new();
    s.take(4 * 1024 * 1024).read_to_end(&mut resp).map_err(io)?;
    let split = resp.windows(4).position(|w| w == b"\r\n\r\n").ok_or("risposta non valida del server")?;
    let header = String::from_utf8_lossy(&resp[..split]).into_owned();
    let status: u16 = header.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    match status {
        200 => {}
        401 | 403 => return Err("accesso negato: controlla utente e password del servizio".into()),
        _ => return Err(format!("il server ha risposto con il codice HTTP {status}")),
    }
    if header.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        return Err("risposta del server in un formato non supportato (chunked)".into());
    }
    Ok(resp[split + 4..].to_vec())
}

/// Asks `tsa` for a token over `stamped` (the signature value) and checks it: granted, signed
/// by the TSA, imprint and nonce matching. Returns the token (a DER ContentInfo).
pub(crate) fn timestamp_token(tsa: &TimestampAuthority, stamped: &[u8]) -> Result<Vec<u8>, SignError> {
    let fail = |detail: String| SignError::Timestamp { url: tsa.display_url(), detail };
    let url = split_url(&tsa.url).map_err(fail)?;
    let hash = DigestAlg::Sha256.digest_parts(&[stamped]);
    let mut nonce = [0u8; 8];
    OsRng.fill_bytes(&mut nonce);
    let req = request_der(&hash, &nonce);
    let resp = http_post(&url, &req).map_err(fail)?;
    // TimeStampResp { status PKIStatusInfo { status INTEGER, ... }, timeStampToken OPTIONAL }
    let parsed = (|| {
        let outer = asn1::read_tlv(&resp)?;
        let kids = asn1::children(outer.content)?;
        let status_info = asn1::children(kids.first()?.content)?;
        let status = status_info.first()?.content.last().copied()?;
        Some((status, kids.get(1).map(|t| t.raw.to_vec())))
    })();
    let (status, token) =
        parsed.ok_or_else(|| fail("risposta non riconosciuta (non è una marca temporale RFC 3161)".into()))?;
    if status > 1 {
        return Err(fail(format!("richiesta rifiutata dal servizio (stato {status})")));
    }
    let token = token.ok_or_else(|| fail("la risposta non contiene la marca temporale".into()))?;
    let check = cmsx::check_timestamp(&token, &[stamped]);
    if !check.valid {
        return Err(fail(check.problem.unwrap_or_else(|| "marca temporale non valida".into())));
    }
    let mut n = nonce.to_vec();
    n[0] &= 0x7f;
    if cmsx::timestamp_nonce(&token).is_some_and(|t| asn1_int_eq(&t, &n)) {
        Ok(token)
    } else {
        Err(fail("la marca temporale non risponde a questa richiesta (nonce diverso)".into()))
    }
}

/// INTEGER contents equal, ignoring leading zero bytes.
fn asn1_int_eq(a: &[u8], b: &[u8]) -> bool {
    let strip = |x: &[u8]| x.iter().skip_while(|c| **c == 0).copied().collect::<Vec<u8>>();
    strip(a) == strip(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_base64() {
        let u = split_url("http://utente:segreto@tsa.example.it:8080/tsa").unwrap();
        assert_eq!(u.host_port, "tsa.example.it:8080");
        assert_eq!(u.path, "/tsa");
        assert_eq!(base64(u.auth.unwrap().as_bytes()), "dXRlbnRlOnNlZ3JldG8=");
        assert!(split_url("https://x/y").err().unwrap_or_default().contains("http://"));
        assert_eq!(split_url("http://h").unwrap().host_port, "h:80");
        let t = TimestampAuthority::new("http://a:b@h/p");
        assert_eq!(t.display_url(), "http://h:80/p");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn request_is_der() {
        let r = request_der(&[7u8; 32], &[0xff; 8]);
        let t = asn1::read_tlv(&r).unwrap();
        assert_eq!(t.raw.len(), r.len());
        assert_eq!(asn1::children(t.content).unwrap().len(), 4);
    }
}
