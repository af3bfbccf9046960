# SPDX-License-Identifier: BSD-3-Clause
"""RS256 JSON Web Tokens for the emulator: one signing key per run,
signing, verification and the JWKS document."""
import base64
import json
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    text = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text.encode())


def _int_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def decode_unverified(token):
    """The payload of a JWT-shaped string, or None when it is not one."""
    try:
        parts = token.split(".")
        if len(parts) != 3:
            return None
        payload = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeError):
        return None
    return payload if isinstance(payload, dict) else None


class Signer:
    """Holds the RSA key that signs every token this emulator issues."""

    def __init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537,
                                             key_size=2048)
        self.kid = "emulator-" + secrets.token_hex(4)

    def sign(self, claims, kid=None):
        header = {"alg": "RS256", "typ": "JWT", "kid": kid or self.kid}
        head = b64url(json.dumps(header, separators=(",", ":")).encode())
        body = b64url(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{head}.{body}".encode()
        sig = self._key.sign(signing_input, padding.PKCS1v15(),
                             hashes.SHA256())
        return f"{head}.{body}.{b64url(sig)}"

    def verify(self, token):
        """The claims of a token we signed, or None (any other string)."""
        try:
            head, body, sig = token.split(".")
            header = json.loads(b64url_decode(head))
            if not isinstance(header, dict) or header.get("alg") != "RS256":
                return None
            self._key.public_key().verify(
                b64url_decode(sig), f"{head}.{body}".encode(),
                padding.PKCS1v15(), hashes.SHA256())
            claims = json.loads(b64url_decode(body))
        except (ValueError, UnicodeError, InvalidSignature):
            return None
        return claims if isinstance(claims, dict) else None

    def jwks(self):
        pub = self._key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256",
                          "kid": self.kid, "n": b64url(_int_bytes(pub.n)),
                          "e": b64url(_int_bytes(pub.e))}]}
