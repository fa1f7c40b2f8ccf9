#!/usr/bin/env bash
# Creates a throw-away test PKI in DIR (never committed): a root CA, signer certificates shaped
# like Italian qualified ones (TINIT- serialNumber, nonRepudiation), PKCS#12 files, an NSS db for
# pdfsig, and — with --softhsm — a SoftHSM2 token holding the signer key and certificates.
# Usage: make_pki.sh DIR [--softhsm]
set -euo pipefail
D="$1"; shift || true
mkdir -p "$D"; cd "$D"
q() { "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; "$@"; exit 1; }; }

q openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes -keyout ca.key -out ca.crt \
  -subj "/C=IT/O=Test QTSP SpA/OU=Solo per test/CN=Test Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash"
# an unrelated CA, to test "untrusted"
q openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes -keyout other-ca.key -out other-ca.crt \
  -subj "/C=IT/O=Altra CA/CN=Other Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

cat > signer.ext <<'EXT'
basicConstraints = critical,CA:FALSE
keyUsage = critical,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 1.3.6.1.4.1.99999.1.1
EXT

# RSA signer
q openssl req -new -newkey rsa:2048 -nodes -keyout signer.key -out signer.csr \
  -subj "/C=IT/O=Comune di Esempio/serialNumber=TINIT-RSSMRA80A01F205X/SN=Rossi/GN=Mario/CN=Mario Rossi/dnQualifier=TEST0001"
q openssl x509 -req -in signer.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 730 -sha256 \
  -extfile signer.ext -out signer.crt
q openssl pkcs12 -export -inkey signer.key -in signer.crt -certfile ca.crt -name "Mario Rossi" \
  -passout pass:test1234 -out signer.p12
q openssl pkcs12 -export -legacy -inkey signer.key -in signer.crt -certfile ca.crt -name "Mario Rossi" \
  -passout pass:test1234 -out signer-legacy.p12
q openssl pkcs12 -export -nokeys -in signer.crt -certfile ca.crt -passout pass:test1234 -out nokey.p12
printf 'test1234' > p12.pass

# ECDSA P-256 signer (non-ASCII name)
q openssl req -utf8 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr \
  -subj "/C=IT/serialNumber=TINIT-BNCLCU75C41F205Y/SN=Bianchi/GN=Lucia/CN=Lucia Bianchi Niccolò"
q openssl x509 -req -in ec.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 730 -sha256 \
  -extfile signer.ext -out ec.crt
q openssl pkcs12 -export -inkey ec.key -in ec.crt -certfile ca.crt -name "Lucia Bianchi" \
  -passout pass:test1234 -out ec.p12

# Expired signer (valid 2020-2021), issued with `openssl ca` to set past dates
mkdir -p caddb; : > caddb/index.txt; echo 1000 > caddb/serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = test
[ test ]
database = caddb/index.txt
serial = caddb/serial
new_certs_dir = caddb
certificate = ca.crt
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
countryName = optional
organizationName = optional
serialNumber = optional
surname = optional
givenName = optional
commonName = supplied
CNF
q openssl req -new -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr \
  -subj "/C=IT/serialNumber=TINIT-VRDGPP70A01F205Z/SN=Verdi/GN=Giuseppe/CN=Giuseppe Verdi"
q openssl ca -batch -config ca.cnf -in expired.csr -out expired.crt -extfile signer.ext \
  -startdate 20200101000000Z -enddate 20210101000000Z -notext
q openssl pkcs12 -export -inkey expired.key -in expired.crt -certfile ca.crt -name "Giuseppe Verdi" \
  -passout pass:test1234 -out expired.p12

# Not yet valid (2030-2032)
q openssl req -new -newkey rsa:2048 -nodes -keyout future.key -out future.csr \
  -subj "/C=IT/serialNumber=TINIT-FTRNNA90A41F205K/SN=Futura/GN=Anna/CN=Anna Futura"
q openssl ca -batch -config ca.cnf -in future.csr -out future.crt -extfile signer.ext \
  -startdate 20300101000000Z -enddate 20320101000000Z -notext
q openssl pkcs12 -export -inkey future.key -in future.crt -certfile ca.crt -name "Anna Futura" \
  -passout pass:test1234 -out future.p12
# Ed25519 key (not usable for Italian qualified signatures, nor here)
q openssl req -x509 -newkey ed25519 -nodes -keyout ed.key -out ed.crt -days 365 -subj "/C=IT/CN=Chiave Ed25519"
q openssl pkcs12 -export -inkey ed.key -in ed.crt -name "Ed" -passout pass:test1234 -out ed25519.p12
# Plain digitalSignature certificate without codice fiscale (not a qualified-looking one)
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' > ds.ext
q openssl req -new -newkey rsa:2048 -nodes -keyout ds.key -out ds.csr -subj "/C=IT/O=Ufficio di Piano/CN=Ufficio di Piano"
q openssl x509 -req -in ds.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -sha256 -extfile ds.ext -out ds.crt
q openssl pkcs12 -export -inkey ds.key -in ds.crt -certfile ca.crt -name "Ufficio" -passout pass:test1234 -out ds.p12

# RFC 3161 time-stamping authority (for B-T fixtures made by pyHanko through tsa_server.py)
q openssl req -new -newkey rsa:2048 -nodes -keyout tsa.key -out tsa.csr -subj "/C=IT/O=Test QTSP SpA/CN=Test TSA"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > tsa.ext
q openssl x509 -req -in tsa.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 730 -sha256 -extfile tsa.ext -out tsa.crt
echo 01 > tsaserial
cat > tsa.cnf <<CNF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $PWD
serial = $PWD/tsaserial
signer_cert = $PWD/tsa.crt
signer_key = $PWD/tsa.key
certs = $PWD/ca.crt
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.2.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF

# DER / PKCS#8 copies for the token
q openssl x509 -in signer.crt -outform DER -out signer.der
q openssl x509 -in ca.crt -outform DER -out ca.der
q openssl pkcs8 -topk8 -nocrypt -in signer.key -out signer.pk8.pem

# NSS db trusting the test CA, for poppler's pdfsig
rm -rf nssdb; mkdir -p nssdb
q certutil -N -d "sql:$PWD/nssdb" --empty-password
q certutil -A -d "sql:$PWD/nssdb" -n "Test Root CA" -t "CT,C,C" -i ca.crt

if [ "${1:-}" = "--softhsm" ]; then
  export SOFTHSM2_CONF="$PWD/softhsm2.conf"
  mkdir -p tokens
  printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$PWD" > "$SOFTHSM2_CONF"
  MOD=$(ls /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so 2>/dev/null | head -1)
  [ -n "$MOD" ] || { echo "libsofthsm2.so not found: apt-get install softhsm2" >&2; exit 1; }
  echo "$MOD" > softhsm.module
  # slot "firma": the signing key + certificates (Italian cards keep it apart from the CNS slot)
  q softhsm2-util --init-token --free --label cns --so-pin 87654321 --pin 123456
  q softhsm2-util --init-token --free --label firma --so-pin 87654321 --pin 123456
  q softhsm2-util --import signer.pk8.pem --token firma --label "Mario Rossi" --id 01 --pin 123456
  q pkcs11-tool --module "$MOD" --token-label firma --login --pin 123456 \
    --write-object signer.der --type cert --id 01 --label "Mario Rossi"
  q pkcs11-tool --module "$MOD" --token-label firma --login --pin 123456 \
    --write-object ca.der --type cert --id 02 --label "Test Root CA"
  # an ECDSA P-256 key pair on a token of its own
  q openssl pkcs8 -topk8 -nocrypt -in ec.key -out ec.pk8.pem
  q openssl x509 -in ec.crt -outform DER -out ec.der
  q softhsm2-util --init-token --free --label firma-ec --so-pin 87654321 --pin 123456
  q softhsm2-util --import ec.pk8.pem --token firma-ec --label "Lucia Bianchi" --id 0a --pin 123456
  q pkcs11-tool --module "$MOD" --token-label firma-ec --login --pin 123456 \
    --write-object ec.der --type cert --id 0a --label "Lucia Bianchi"
  # a token with a certificate whose private key is absent
  q softhsm2-util --init-token --free --label solocert --so-pin 87654321 --pin 123456
  q pkcs11-tool --module "$MOD" --token-label solocert --login --pin 123456 \
    --write-object signer.der --type cert --id 01 --label "Mario Rossi"
fi
echo "PKI ready in $D"
