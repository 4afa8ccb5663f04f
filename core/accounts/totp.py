"""Time-based one-time passwords (RFC 6238) and recovery codes, with the standard library only.

A secret is 20 random bytes (160 bits, the size RFC 4226 recommends for HMAC-SHA-1), kept
base32-encoded because that is what authenticator apps read from the QR code. Codes are six
digits for a 30-second step; one step either side is accepted for clock drift, and a step once
used is never accepted again (`TotpDevice.last_step`), so an observed code cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

ISSUER = "Softwarecatalogus"
STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps accepted before and after the current one
SECRET_BYTES = 20

RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without look-alikes (0/o, 1/l/i): easy to copy from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10


def new_secret() -> str:
    """A fresh base32 secret (no padding, as authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def step_at(when: float | None = None) -> int:
    """The time step (counter) for a Unix time; now when not given."""
    return int((time.time() if when is None else when) // STEP_SECONDS)


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226: HMAC of the counter, dynamically truncated to `digits` decimal digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def code_at(secret: str, when: float | None = None) -> str:
    """The six-digit code an authenticator app shows at `when` (now when not given)."""
    return hotp(_key(secret), step_at(when))


def normalise_code(code: str) -> str:
    """Apps show "123 456"; people type spaces or dashes. Keep the digits only."""
    return "".join(ch for ch in code or "" if not ch.isspace() and ch != "-")


def matching_step(
    secret: str, code: str, *, last_step: int = 0, when: float | None = None
) -> int | None:
    """The time step `code` belongs to (within the window), or None.

    Steps at or before `last_step` are never matched: that is the replay protection.
    """
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    current = step_at(when)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step > last_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The `otpauth://` URI that authenticator apps read (Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str, label: str) -> str:
    """The provisioning URI as an inline SVG QR code (no JavaScript, no external service).

    `label` becomes the image's accessible name; the secret is also shown as text beside it.
    """
    import segno
    from django.utils.html import escape

    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes as shown to the user: two groups of five characters, e.g. "k3m9p-x2qrt"."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    """SHA-256 of the normalised code: only this is stored."""
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()
