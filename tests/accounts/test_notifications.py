"""Notification e-mails: direct, in the daily digest, or not at all; only after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from core.accounts import notifications
from core.accounts.notifications import Frequency, notify, send_digests, set_preferences
from core.constants import Role
from core.models import Notification
from tests.conftest import member

pytestmark = pytest.mark.django_db

KIND = "toegangsverzoek"


@pytest.fixture
def users(orgs):
    def make(email: str, frequency: str | None = None):
        user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email=email).user
        user.voornaam = email.split("@")[0].capitalize()
        user.save()
        if frequency:
            set_preferences(user, {KIND: frequency})
        return user

    return make


def tell(recipients, subject="Nieuw toegangsverzoek voor Utrecht", url="/mijn-organisatie"):
    return notify(recipients, KIND, subject, "Piet Jansen vraagt toegang.", url)


def test_direct_sends_one_email_after_commit(users, django_capture_on_commit_callbacks):
    anna = users("anna@utrecht.nl", Frequency.DIRECT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tell([anna]) == 1
        assert not mail.outbox, "nothing before the commit"
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["anna@utrecht.nl"]
    assert message.subject == "Nieuw toegangsverzoek voor Utrecht"
    assert message.body.startswith("Beste Anna,")
    assert "Piet Jansen vraagt toegang." in message.body
    assert "http://127.0.0.1:8000/mijn-organisatie" in message.body
    assert "Wijzig uw voorkeuren op Mijn account:" in message.body
    assert "http://127.0.0.1:8000/mijn-account#meldingen" in message.body
    note = Notification.objects.get(user=anna)
    assert note.sent_at is not None and not note.digest


def test_default_is_direct(users, django_capture_on_commit_callbacks):
    bram = users("bram@utrecht.nl")
    with django_capture_on_commit_callbacks(execute=True):
        tell([bram])
    assert [m.to for m in mail.outbox] == [["bram@utrecht.nl"]]


def test_subject_and_body_are_not_html_escaped(users, django_capture_on_commit_callbacks):
    anna = users("anna@utrecht.nl")
    with django_capture_on_commit_callbacks(execute=True):
        notify([anna], KIND, "Verzoek van ’s-Gravenhage & co", "“Graag” <snel>", "")
    [message] = mail.outbox
    assert message.subject == "Verzoek van ’s-Gravenhage & co"
    assert "“Graag” <snel>" in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body


def test_daily_waits_for_the_digest_and_off_sends_nothing(
    users, django_capture_on_commit_callbacks
):
    dirk = users("dirk@utrecht.nl", Frequency.DAGELIJKS)
    otto = users("otto@utrecht.nl", Frequency.UIT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tell([dirk, otto]) == 1
    assert not callbacks and not mail.outbox
    note = Notification.objects.get()
    assert (note.user, note.digest, note.sent_at) == (dirk, True, None)
    assert not Notification.objects.filter(user=otto).exists()


def test_inactive_users_are_not_told(users, django_capture_on_commit_callbacks):
    ina = users("ina@utrecht.nl")
    ina.is_active = False
    ina.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([ina]) == 0
    assert not mail.outbox and not Notification.objects.exists()


def test_a_rolled_back_change_tells_nobody(users, django_capture_on_commit_callbacks):
    anna = users("anna@utrecht.nl", Frequency.DIRECT)
    dirk = users("dirk@utrecht.nl", Frequency.DAGELIJKS)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell([anna, dirk])
        raise RuntimeError("de wijziging mislukt")
    assert not callbacks
    assert not mail.outbox
    assert not Notification.objects.exists(), "no digest line either"


def test_unknown_kind_or_frequency_is_refused(users):
    anna = users("anna@utrecht.nl")
    with pytest.raises(ValueError):
        notify([anna], "bestaat-niet", "x", "y")
    with pytest.raises(ValueError):
        set_preferences(anna, {KIND: "elk-uur"})
    with pytest.raises(ValueError):
        set_preferences(anna, {"bestaat-niet": Frequency.DIRECT})


def test_digest_sends_one_email_per_user_and_marks_them_sent(users):
    dirk = users("dirk@utrecht.nl", Frequency.DAGELIJKS)
    dora = users("dora@utrecht.nl", Frequency.DAGELIJKS)
    tell([dirk], subject="Eerste verzoek")
    tell([dirk, dora], subject="Tweede verzoek", url="")
    assert send_digests() == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"dirk@utrecht.nl", "dora@utrecht.nl"}
    dirk_mail = by_recipient["dirk@utrecht.nl"]
    assert dirk_mail.subject == "Samenvatting van uw meldingen in de Softwarecatalogus (2)"
    body = dirk_mail.body
    assert "zijn er 2 meldingen voor u" in body
    assert body.index("1. Eerste verzoek") < body.index("2. Tweede verzoek")
    assert "http://127.0.0.1:8000/mijn-organisatie" in body
    assert "http://127.0.0.1:8000/mijn-account#meldingen" in body
    dora_mail = by_recipient["dora@utrecht.nl"]
    assert "is er 1 melding voor u" in dora_mail.body
    assert "Eerste verzoek" not in dora_mail.body, "only one's own notifications"
    assert not Notification.objects.filter(sent_at__isnull=True).exists()

    assert send_digests() == 0
    assert len(mail.outbox) == 2


def test_digest_skips_direct_notifications_and_inactive_users(
    users, django_capture_on_commit_callbacks
):
    anna = users("anna@utrecht.nl", Frequency.DIRECT)
    dirk = users("dirk@utrecht.nl", Frequency.DAGELIJKS)
    with django_capture_on_commit_callbacks(execute=True):
        tell([anna, dirk])
    mail.outbox.clear()
    dirk.is_active = False
    dirk.save()
    assert send_digests() == 0
    assert not mail.outbox
    # Dirk's line is not kept for ever: it is marked done.
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_digest_task_runs_with_the_immediate_backend(users):
    from core.tasks import send_digests as digest_task

    dirk = users("dirk@utrecht.nl", Frequency.DAGELIJKS)
    tell([dirk])
    result = digest_task.enqueue()
    assert result.return_value == {"samenvattingen": 1}
    assert [m.to for m in mail.outbox] == [["dirk@utrecht.nl"]]
    assert digest_task.enqueue().return_value == {"samenvattingen": 0}


def test_notify_organisation_reaches_only_active_members_in_the_roles(orgs, users):
    beheerder = users("beheer@utrecht.nl", Frequency.DAGELIJKS)
    raadpleger = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="lees@utrecht.nl")
    set_preferences(raadpleger.user, {KIND: Frequency.DAGELIJKS})
    count = notifications.notify_organisation(
        orgs["gemeente"], KIND, "x", "y", roles=[Role.GEBRUIK_BEHEERDER]
    )
    assert count == 1
    assert list(Notification.objects.values_list("user", flat=True)) == [beheerder.pk]
