"""E-mails from templates: `templates/emails/<name>.txt`, whose first line is the subject.

`send` is what services use: the e-mail leaves only once the surrounding transaction has
committed, so an action that is rolled back (a later check fails, a second write conflicts)
has told nobody anything, and no link points at a row that was never saved. Outside a
transaction (autocommit) it leaves at once.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render(name: str, context: dict) -> tuple[str, str]:
    """(subject, body) of an e-mail template, always in Dutch (the site's first language)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{name}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def _recipients(to: str | list[str]) -> list[str]:
    return [to] if isinstance(to, str) else list(to)


def _deliver(subject: str, body: str, recipients: list[str]) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send(name: str, to: str | list[str], context: dict) -> None:
    """Send one templated e-mail after the current transaction commits (links and
    confirmations that must always arrive, and notifications).

    Rendered now, so the text shows the state the action saw and a template error undoes
    the action; delivered after the commit. `robust`: a mail server failure after the
    commit is logged and does not stop the other e-mails of the same action.
    """
    recipients = _recipients(to)
    if not recipients:
        return
    subject, body = render(name, context)
    transaction.on_commit(partial(_deliver, subject, body, recipients), robust=True)


def send_now(name: str, to: str | list[str], context: dict) -> None:
    """Send at once, for callers that already run after the commit (notification
    delivery, digests), where a failure must reach the caller."""
    recipients = _recipients(to)
    if recipients:
        _deliver(*render(name, context), recipients)
