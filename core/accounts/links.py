"""Single-use links sent by e-mail: a random token, of which only the hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings


def new_token() -> tuple[str, str]:
    """(raw, hash): the raw value goes into the e-mail, the hash into the database."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def absolute(path: str) -> str:
    """A full URL for e-mails (SITE_URL, which `WAGTAILADMIN_BASE_URL` also follows)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
