"""A supplier proposes gebruik for a gemeente: the gemeente's gebruik-beheerders hear about it.

The notification kind "gebruik-voorgesteld" follows each user's preference (direct, daily
digest, off) and is sent only after the proposal is committed.
"""

from __future__ import annotations

import pytest
from django.core import mail

from core import services
from core.accounts.notifications import kinds, set_preferences
from core.actors import Actor
from core.constants import Channel
from core.models import Notification
from core.register import catalog
from tests.conftest import member

pytestmark = pytest.mark.django_db

APPLICATIES = "/api/v1/applicaties"
GEBRUIK = "/api/v1/gebruik"
SUBJECT = "Acme Software meldt dat uw organisatie Zaakwijzer gebruikt"


@pytest.fixture
def supplier(api_as):
    return api_as("leverancier", "aanbod-beheerder")


@pytest.fixture
def module(supplier, orgs) -> str:
    data = {"naam": "Zaakwijzer", "aanbieder": str(orgs["leverancier"].uuid)}
    response = supplier.post(APPLICATIES, {"status": "gepubliceerd", "data": data})
    assert response.status_code == 201, response.content
    return response.json()["uuid"]


@pytest.fixture
def denhaag(orgs):
    """Den Haag's people: two gebruik-beheerders and a raadpleger."""
    return {
        "beheerder": member(orgs["gemeente2"], "gebruik-beheerder").user,
        "collega": member(orgs["gemeente2"], "gebruik-beheerder", email="collega@denhaag.nl").user,
        "raadpleger": member(orgs["gemeente2"], "gebruik-raadpleger").user,
    }


def propose(client, orgs, module, afnemer="gemeente2", **extra):
    data = {"afnemer": str(orgs[afnemer].uuid), "module": module, "status": "Gepland", **extra}
    return client.post(GEBRUIK, {"data": data})


def test_the_kind_is_offered_in_the_preferences():
    assert kinds()["gebruik-voorgesteld"] == (
        "Een leverancier meldt gebruik van een applicatie door uw organisatie"
    )


def test_the_afnemers_gebruik_beheerders_are_told(
    supplier, orgs, module, denhaag, django_capture_on_commit_callbacks
):
    other = member(orgs["gemeente"], "gebruik-beheerder").user  # another gemeente
    own = member(orgs["leverancier"], "aanbod-beheerder").user  # the supplier itself
    with django_capture_on_commit_callbacks(execute=True):
        response = propose(supplier, orgs, module)
        assert response.status_code == 201, response.content
        assert mail.outbox == []  # nothing before the commit
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {denhaag["beheerder"].email, denhaag["collega"].email}
    message = sent[denhaag["beheerder"].email]
    assert message.subject == SUBJECT
    assert "Acme Software heeft gemeld dat Den Haag de applicatie Zaakwijzer gebruikt." in (
        message.body
    )
    assert "accepteert (overneemt)" in message.body and "wijs het dan af" in message.body
    assert "/mijn-landschap" in message.body
    assert Notification.objects.filter(kind="gebruik-voorgesteld").count() == 2
    for user in (denhaag["raadpleger"], other, own):
        assert not Notification.objects.filter(user=user).exists()


def test_preferences_decide_how_it_arrives(
    supplier, orgs, module, denhaag, django_capture_on_commit_callbacks
):
    set_preferences(denhaag["beheerder"], {"gebruik-voorgesteld": "dagelijks"})
    set_preferences(denhaag["collega"], {"gebruik-voorgesteld": "uit"})
    with django_capture_on_commit_callbacks(execute=True):
        assert propose(supplier, orgs, module).status_code == 201
    assert mail.outbox == []
    (note,) = Notification.objects.all()
    assert (note.user, note.digest, note.subject) == (denhaag["beheerder"], True, SUBJECT)


def test_inactive_members_hear_nothing(
    supplier, orgs, module, denhaag, django_capture_on_commit_callbacks
):
    denhaag["collega"].memberships.update(actief=False)
    denhaag["beheerder"].is_active = False
    denhaag["beheerder"].save()
    with django_capture_on_commit_callbacks(execute=True):
        assert propose(supplier, orgs, module).status_code == 201
    assert mail.outbox == [] and not Notification.objects.exists()


def test_no_notification_for_own_gebruik_a_refused_proposal_or_an_edit(
    api_as, supplier, orgs, module, denhaag, django_capture_on_commit_callbacks
):
    gemeente = api_as("gemeente2", "gebruik-beheerder")
    with django_capture_on_commit_callbacks(execute=True):
        own = propose(gemeente, orgs, module)  # Den Haag records its own concept gebruik
        assert own.status_code == 201, own.content
        refused = propose(
            supplier,
            orgs,
            module,
            startDatumGepland="2025-05-01",
            startDatumInProductie="2025-01-01",
        )
        assert refused.status_code == 400
    assert mail.outbox == [] and not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        proposed = propose(supplier, orgs, module)
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        edited = supplier.patch(proposed.json()["url"], {"data": {"status": "In productie"}})
        assert edited.status_code == 200, edited.content
    assert len(mail.outbox) == 2  # only a new proposal is news


def test_the_demo_generator_notifies_nobody(
    orgs, module, denhaag, django_capture_on_commit_callbacks
):
    """The seed writes proposals through the system channel; no real supplier is talking."""
    acme = member(orgs["leverancier"], "aanbod-beheerder")
    actor = Actor.for_membership(acme, channel=Channel.SYSTEM)
    data = {"afnemer": str(orgs["gemeente2"].uuid), "module": module, "status": "Gepland"}
    with django_capture_on_commit_callbacks(execute=True):
        services.create_object(catalog.by_key("catalogus/gebruik"), data, actor=actor)
    assert mail.outbox == [] and not Notification.objects.exists()
