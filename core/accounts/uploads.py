"""Checks on uploaded logos and documents: the content decides, never the name or the browser.

A renamed executable or an SVG with a script is refused. Logos are read by their magic bytes
first, so Pillow only ever parses the three formats we accept, and then fully verified.
"""

from __future__ import annotations

import io
import re

from django.conf import settings

from core.accounts import AccountError

LOGO_MAX_SIZE = 1024 * 1024  # 1 MB: a logo, not a photo
# Format name → file extension. No SVG: it can carry scripts.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_REFUSED = "Het logo is geen geldige afbeelding. Kies een PNG-, JPEG- of WebP-bestand."
# Images of a format we do not accept get their own message (GIF, BMP, TIFF).
OTHER_IMAGE_MAGIC = (b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
DOCUMENT_MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",)}
DOCUMENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
KVK_PATTERN = re.compile(r"^\d{8}$")


def sniff_image(head: bytes) -> str | None:
    """The image format by its magic bytes, or None for anything but PNG, JPEG and WebP."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def read_limited(upload, limit: int) -> bytes:
    """The uploaded bytes, refusing anything over `limit` before reading it all."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise AccountError(_too_big(limit))
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise AccountError(_too_big(limit))
    if not content:
        raise AccountError("Het bestand is leeg.")
    return content


def _too_big(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"Het bestand is groter dan {limit // (1024 * 1024)} MB."
    return f"Het bestand is groter dan {limit // 1024 or 1} kB."


def check_logo(upload) -> tuple[bytes, str]:
    """(content, extension) of a real PNG, JPEG or WebP image of at most 1 MB."""
    from PIL import Image  # Wagtail depends on Pillow, so it is always installed

    content = read_limited(upload, LOGO_MAX_SIZE)
    kind = sniff_image(content[:16])
    if kind is None and content.startswith(OTHER_IMAGE_MAGIC):
        raise AccountError(
            "Dit afbeeldingsformaat is niet toegestaan. Kies een PNG-, JPEG- of WebP-bestand."
        )
    if kind is None:
        raise AccountError(LOGO_REFUSED)
    try:
        with Image.open(io.BytesIO(content), formats=[kind]) as image:
            image.verify()  # a truncated or forged file fails here
    except Exception:  # Pillow raises many kinds for broken or hostile files
        raise AccountError(LOGO_REFUSED) from None
    if hasattr(upload, "seek"):
        upload.seek(0)
    return content, LOGO_FORMATS[kind]


def check_document(upload) -> tuple[bytes, str]:
    """(content, extension) of a PDF, PNG or JPEG file within MAX_UPLOAD_SIZE."""
    content = read_limited(upload, settings.MAX_UPLOAD_SIZE)
    for extension, signatures in DOCUMENT_MAGIC.items():
        if content.startswith(signatures):
            return content, extension
    raise AccountError("Dit bestandstype is niet toegestaan. Kies een PDF-, PNG- of JPEG-bestand.")
