"""E-mails from templates: `templates/emails/<name>.txt`, whose first line is the subject."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def render(name: str, context: dict) -> tuple[str, str]:
    """(subject, body) of an e-mail template, always in Dutch (the site's first language)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{name}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def send(name: str, to: str | list[str], context: dict) -> None:
    """Send one templated e-mail now (links and confirmations that must always arrive)."""
    subject, body = render(name, context)
    recipients = [to] if isinstance(to, str) else list(to)
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
