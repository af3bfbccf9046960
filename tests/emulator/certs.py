# SPDX-License-Identifier: BSD-3-Clause
"""Throw-away TLS material: a private CA and a loopback server certificate,
written into the emulator's state directory at start-up."""
import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"

# Names the server answers to; *.localhost lets tests use a separate
# auth host (auth.localhost) without touching /etc/hosts. Anaconda's own
# names are reached through nss_wrapper or a proxy; only clients that trust
# this throw-away CA accept them.
DNS_NAMES = ("localhost", "*.localhost", "anaconda.com", "*.anaconda.com",
             "anaconda.cloud", "*.anaconda.cloud")
# TLS client authentication (knob "mtls"): a client certificate from the
# test CA, its key, a key that does not match it, and a certificate from
# another CA the server does not trust.
CLIENT_CERT_FILE = "client.pem"
CLIENT_KEY_FILE = "client-key.pem"
CLIENT_OTHER_KEY_FILE = "client-other-key.pem"
ROGUE_CERT_FILE = "rogue-client.pem"
ROGUE_KEY_FILE = "rogue-client-key.pem"
IP_NAMES = ("127.0.0.1", "::1")


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write(path, data, mode):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _validity(builder):
    # Back-dated a day so clock skew between processes never matters.
    now = datetime.datetime.now(datetime.timezone.utc)
    return (builder.not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .serial_number(x509.random_serial_number()))


def _make_ca(cn="anaconda-auth emulator test CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(cn)
    builder = _validity(x509.CertificateBuilder()
                        .subject_name(name).issuer_name(name)
                        .public_key(key.public_key()))
    builder = builder.add_extension(
        x509.BasicConstraints(ca=True, path_length=0), critical=True)
    builder = builder.add_extension(
        x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                      crl_sign=True, content_commitment=False,
                      key_encipherment=False, data_encipherment=False,
                      key_agreement=False, encipher_only=False,
                      decipher_only=False), critical=True)
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
        critical=False)
    return key, builder.sign(key, hashes.SHA256())


def _make_server_cert(ca_key, ca_cert):
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName(n) for n in DNS_NAMES]
    sans += [x509.IPAddress(ipaddress.ip_address(a)) for a in IP_NAMES]
    builder = _validity(x509.CertificateBuilder()
                        .subject_name(_name("localhost"))
                        .issuer_name(ca_cert.subject)
                        .public_key(key.public_key()))
    builder = builder.add_extension(
        x509.SubjectAlternativeName(sans), critical=False)
    builder = builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
        critical=False)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


def _make_client_cert(ca_key, ca_cert):
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _validity(x509.CertificateBuilder()
                        .subject_name(_name("alice@example.com"))
                        .issuer_name(ca_cert.subject)
                        .public_key(key.public_key()))
    builder = builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
        critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


def _write_key(path, key):
    _write(path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()), 0o600)


def create_client(state_dir, ca_key, ca_cert):
    """Client certificates for the mTLS tests (see CLIENT_* above)."""
    pem = serialization.Encoding.PEM
    key, cert = _make_client_cert(ca_key, ca_cert)
    _write(os.path.join(state_dir, CLIENT_CERT_FILE), cert.public_bytes(pem), 0o644)
    _write_key(os.path.join(state_dir, CLIENT_KEY_FILE), key)
    _write_key(os.path.join(state_dir, CLIENT_OTHER_KEY_FILE),
               ec.generate_private_key(ec.SECP256R1()))
    rogue_ca_key, rogue_ca = _make_ca("a CA the emulator does not trust")
    rkey, rcert = _make_client_cert(rogue_ca_key, rogue_ca)
    _write(os.path.join(state_dir, ROGUE_CERT_FILE), rcert.public_bytes(pem), 0o644)
    _write_key(os.path.join(state_dir, ROGUE_KEY_FILE), rkey)


def create(state_dir):
    """Create a fresh CA and server certificate; return their paths as
    (ca_path, cert_path, key_path)."""
    ca_key, ca_cert = _make_ca()
    key, cert = _make_server_cert(ca_key, ca_cert)
    pem = serialization.Encoding.PEM
    paths = tuple(os.path.join(state_dir, f)
                  for f in (CA_FILE, CERT_FILE, KEY_FILE))
    _write(paths[0], ca_cert.public_bytes(pem), 0o644)
    _write(paths[1], cert.public_bytes(pem), 0o644)
    _write(paths[2], key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()), 0o600)
    create_client(state_dir, ca_key, ca_cert)
    return paths
