"""The catalogue's "Te beoordelen" queues: what functioneel beheer sees, and what a decision does.

Objects are made through the API as their organisations would; decisions are the queue
methods the inbox calls, as the functioneel beheerder of VNG. The inbox records decisions
(`ReviewDecision`); where a test needs that, it records one the same way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.accounts import AccountError
from core.actors import Actor
from core.models import AuditEntry, Notification, Object, ObjectVersion, ReviewDecision
from core.plugins.manager import review_queues
from core.services import NotAllowed
from tests.conftest import member

pytestmark = pytest.mark.django_db

APPLICATIES = "/api/v1/applicaties"
GEBRUIK = "/api/v1/gebruik"


@pytest.fixture
def fb(orgs):
    return Actor.for_membership(member(orgs["vng"], "functioneel-beheerder"))


@pytest.fixture
def raadpleger(orgs):
    return Actor.for_membership(member(orgs["vng"], "vng-raadpleger"))


@pytest.fixture
def people(orgs):
    """The beheerders who hear about decisions, and a raadpleger who does not."""
    return {
        "utrecht": member(orgs["gemeente"], "gebruik-beheerder").user,
        "utrecht_raadpleger": member(orgs["gemeente"], "gebruik-raadpleger").user,
        "acme": member(orgs["leverancier"], "aanbod-beheerder").user,
        "denhaag": member(orgs["gemeente2"], "gebruik-beheerder").user,
    }


@pytest.fixture
def gemeente(api_as):
    return api_as("gemeente", "gebruik-beheerder")


@pytest.fixture
def supplier(api_as):
    return api_as("leverancier", "aanbod-beheerder")


def queue(slug: str):
    return review_queues()[slug]


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


def notes(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", "subject")
    )


@pytest.fixture
def registered(gemeente, orgs):
    """Utrecht registers "Parkeervergunningen" as a concept, naming Acme as its supplier."""
    data = {"naam": "Parkeervergunningen", "aanbieder": str(orgs["leverancier"].uuid)}
    return created(gemeente.post(APPLICATIES, {"data": data}))


def test_the_three_queues_are_registered_for_the_inbox():
    queues = review_queues()
    assert queues["concept-applicaties"].naam == (
        "Concept-applicaties van gemeenten en samenwerkingen"
    )
    assert queues["claims"].naam == "Applicaties overgenomen door een leverancier"
    assert queues["voorgesteld-gebruik"].naam == (
        "Voorgesteld gebruik dat langer dan 14 dagen wacht"
    )


# --- concept-applicaties ---------------------------------------------------------------


def test_concept_applications_of_gemeenten_wait_for_functioneel_beheer(
    registered, supplier, orgs, fb, raadpleger, actor_for
):
    own = {"naam": "Zaakwijzer Next", "aanbieder": str(orgs["leverancier"].uuid)}
    created(supplier.post(APPLICATIES, {"data": own}))  # a supplier's own concept: not here
    items = queue("concept-applicaties").items(actor=fb)
    assert [(i.key, i.title) for i in items] == [(registered["uuid"], "Parkeervergunningen")]
    item = items[0]
    assert item.description.startswith("Geregistreerd door Utrecht (gemeente) op ")
    assert item.description.endswith("leverancier: Acme Software.")
    assert item.url == f"/api/v1/applicaties/{registered['uuid']}"
    assert item.warnings == () and not item.overdue

    assert [i.key for i in queue("concept-applicaties").items(actor=raadpleger)] == [
        registered["uuid"]
    ]
    for outsider in ("gemeente", "leverancier"):
        role = "gebruik-beheerder" if outsider == "gemeente" else "aanbod-beheerder"
        assert queue("concept-applicaties").items(actor=actor_for(outsider, role)) == []


def test_a_name_already_published_is_a_warning(registered, supplier, orgs, fb):
    data = {"naam": "parkeervergunningen", "aanbieder": str(orgs["leverancier"].uuid)}
    created(supplier.post(APPLICATIES, {"status": "gepubliceerd", "data": data}))
    (item,) = queue("concept-applicaties").items(actor=fb)
    assert item.warnings == (
        "Er is al een gepubliceerde applicatie parkeervergunningen van Acme Software.",
    )


def test_accepting_a_concept_application_publishes_it_and_tells_both(
    registered, people, fb, api_as, django_capture_on_commit_callbacks
):
    key = registered["uuid"]
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("concept-applicaties").accept(key=key, actor=fb, note="Dank u wel.")
    assert message == "De applicatie Parkeervergunningen is gepubliceerd."
    obj = Object.objects.get(uuid=key)
    assert obj.status == "gepubliceerd"
    assert obj.organisation.naam == "Utrecht"  # still Utrecht's
    last = ObjectVersion.objects.filter(object=obj).latest("version")
    assert (last.user, last.role) == (fb.user, "functioneel-beheerder")
    assert queue("concept-applicaties").items(actor=fb) == []

    assert notes(people["utrecht"]) == [
        ("catalogus-beoordeling", "Parkeervergunningen is gepubliceerd in de Softwarecatalogus")
    ]
    assert notes(people["acme"]) == [
        (
            "catalogus-beoordeling",
            "Parkeervergunningen is gepubliceerd met uw organisatie als leverancier",
        )
    ]
    assert notes(people["utrecht_raadpleger"]) == []
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {people["utrecht"].email, people["acme"].email}
    body = by_recipient[people["utrecht"].email].body
    assert "Toelichting van functioneel beheer: Dank u wel." in body
    assert f"/api/v1/applicaties/{key}" in body
    entry = AuditEntry.objects.get(action="catalogus.applicatie.gepubliceerd")
    assert (entry.user, entry.organisation.naam, entry.target) == (
        fb.user,
        "Utrecht",
        "Parkeervergunningen",
    )
    # Published by functioneel beheer, the gemeente's application is visible to government.
    other = api_as("gemeente2", "gebruik-raadpleger").get(f"{APPLICATIES}/{key}")
    assert other.status_code == 200


def test_declining_a_concept_application_archives_it_with_the_reason(
    registered, people, fb, django_capture_on_commit_callbacks
):
    key = registered["uuid"]
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("concept-applicaties").decline(
            key=key, actor=fb, note="Bestaat al als Parkeren Online."
        )
    assert message == "De applicatie Parkeervergunningen is afgewezen en gearchiveerd."
    assert Object.objects.get(uuid=key).status == "gearchiveerd"
    assert queue("concept-applicaties").items(actor=fb) == []
    assert notes(people["utrecht"]) == [
        ("catalogus-beoordeling", "Parkeervergunningen is niet opgenomen in de Softwarecatalogus")
    ]
    assert notes(people["acme"]) == []
    (sent,) = mail.outbox
    assert "Reden van functioneel beheer: Bestaat al als Parkeren Online." in sent.body
    assert AuditEntry.objects.filter(action="catalogus.applicatie.afgewezen").count() == 1


def test_a_concept_application_in_use_cannot_be_declined(registered, gemeente, orgs, people, fb):
    gebruik = {"afnemer": str(orgs["gemeente"].uuid), "module": registered["uuid"]}
    created(gemeente.post(GEBRUIK, {"data": {**gebruik, "status": "In productie"}}))
    with pytest.raises(AccountError) as refused:
        queue("concept-applicaties").decline(key=registered["uuid"], actor=fb, note="")
    assert str(refused.value).startswith("Parkeervergunningen is niet afgewezen. ")
    assert "Kan niet worden gearchiveerd: nog in gebruik door" in str(refused.value)
    assert str(refused.value).endswith(" bij Utrecht.")  # the gebruik that refers to it
    assert Object.objects.get(uuid=registered["uuid"]).status == "concept"
    assert Notification.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="catalogus.").exists()


def test_only_functioneel_beheer_decides(registered, raadpleger, actor_for, fb):
    key = registered["uuid"]
    for actor in (raadpleger, actor_for("gemeente", "gebruik-beheerder")):
        for decide in (queue("concept-applicaties").accept, queue("concept-applicaties").decline):
            with pytest.raises(NotAllowed, match="Alleen functioneel beheer"):
                decide(key=key, actor=actor, note="")
    assert Object.objects.get(uuid=key).status == "concept"
    assert Notification.objects.count() == 0


def test_decided_unknown_and_moved_on_items_are_refused(registered, fb, orgs, supplier):
    concept = queue("concept-applicaties")
    with pytest.raises(AccountError, match="wacht niet"):
        concept.accept(key="00000000-0000-0000-0000-000000000000", actor=fb, note="")
    with pytest.raises(AccountError, match="wacht niet"):
        concept.accept(key="geen-uuid", actor=fb, note="")
    ReviewDecision.objects.create(queue=concept.slug, key=registered["uuid"], decision="afgewezen")
    assert concept.items(actor=fb) == []
    with pytest.raises(AccountError, match="wacht niet"):
        concept.accept(key=registered["uuid"], actor=fb, note="")
    assert Object.objects.get(uuid=registered["uuid"]).status == "concept"

    # A supplier's claim takes the application out of this queue (into "claims").
    ReviewDecision.objects.all().delete()
    claim = supplier.post(f"{APPLICATIES}/{registered['uuid']}/overnemen", {})
    assert claim.status_code == 200, claim.content
    assert concept.items(actor=fb) == []


# --- claims ----------------------------------------------------------------------------


@pytest.fixture
def claimed(registered, supplier):
    """Acme takes Parkeervergunningen over from Utrecht and publishes it at once."""
    url = f"{APPLICATIES}/{registered['uuid']}/overnemen"
    response = supplier.post(url, {"status": "gepubliceerd"})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_supplier_claim_is_an_item_until_decided(claimed, fb, raadpleger, actor_for):
    key = f"{claimed['uuid']}:{claimed['versie']}"
    items = queue("claims").items(actor=fb)
    assert [(i.key, i.title) for i in items] == [
        (key, "Parkeervergunningen overgenomen door Acme Software")
    ]
    assert "overgenomen van Utrecht (gemeente)." in items[0].description
    assert [i.key for i in queue("claims").items(actor=raadpleger)] == [key]
    assert queue("claims").items(actor=actor_for("leverancier", "aanbod-beheerder")) == []


def test_accepting_a_claim_keeps_it_and_tells_both(
    claimed, people, fb, django_capture_on_commit_callbacks
):
    key = f"{claimed['uuid']}:{claimed['versie']}"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("claims").accept(key=key, actor=fb, note="")
    assert message == "De overname van Parkeervergunningen door Acme Software blijft staan."
    obj = Object.objects.get(uuid=claimed["uuid"])
    assert (obj.organisation.naam, obj.status) == ("Acme Software", "gepubliceerd")
    assert notes(people["acme"]) == [
        ("catalogus-beoordeling", "Uw overname van Parkeervergunningen is bevestigd")
    ]
    assert notes(people["utrecht"]) == [
        ("catalogus-beoordeling", "Parkeervergunningen wordt beheerd door Acme Software")
    ]
    assert len(mail.outbox) == 2
    ReviewDecision.objects.create(queue="claims", key=key, decision="geaccepteerd")  # the inbox
    assert queue("claims").items(actor=fb) == []
    with pytest.raises(AccountError):
        queue("claims").decline(key=key, actor=fb, note="")
    assert Object.objects.get(uuid=claimed["uuid"]).organisation.naam == "Acme Software"


def test_declining_a_claim_gives_the_application_back(
    claimed, people, fb, orgs, api_as, django_capture_on_commit_callbacks
):
    key = f"{claimed['uuid']}:{claimed['versie']}"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("claims").decline(key=key, actor=fb, note="Niet uw product.")
    assert message == "Parkeervergunningen is teruggegeven aan Utrecht."
    obj = Object.objects.get(uuid=claimed["uuid"])
    assert (obj.organisation, obj.status) == (orgs["gemeente"], "concept")  # as before the claim
    back = ObjectVersion.objects.filter(object=obj).latest("version")
    assert back.action == "overgenomen" and back.user == fb.user
    assert back.changes["eigenaar"] == [str(orgs["leverancier"].uuid), str(orgs["gemeente"].uuid)]
    assert api_as().get(f"{APPLICATIES}/{obj.uuid}").status_code == 404  # no longer public
    # Handing back is no claim of Utrecht's: nothing new to review, and it is a concept again.
    assert queue("claims").items(actor=fb) == []
    assert [i.key for i in queue("concept-applicaties").items(actor=fb)] == [str(obj.uuid)]
    assert notes(people["acme"]) == [
        ("catalogus-beoordeling", "Uw overname van Parkeervergunningen is teruggedraaid")
    ]
    assert notes(people["utrecht"]) == [
        ("catalogus-beoordeling", "Parkeervergunningen is aan uw organisatie teruggegeven")
    ]
    assert all("Reden van functioneel beheer: Niet uw product." in m.body for m in mail.outbox)
    assert AuditEntry.objects.get(action="catalogus.overname.teruggedraaid").details["van"] == str(
        orgs["leverancier"].uuid
    )


def test_a_hand_over_by_functioneel_beheer_is_no_claim(registered, fb, orgs):
    from core import services

    obj = Object.objects.get(uuid=registered["uuid"])
    services.claim_object(obj, actor=fb, organisation=orgs["leverancier"])
    assert queue("claims").items(actor=fb) == []


# --- voorgesteld-gebruik ---------------------------------------------------------------


@pytest.fixture
def proposal(supplier, orgs):
    """Acme publishes Zaakwijzer and proposes that Den Haag uses it (a concept)."""
    module = created(
        supplier.post(
            APPLICATIES,
            {
                "status": "gepubliceerd",
                "data": {"naam": "Zaakwijzer", "aanbieder": str(orgs["leverancier"].uuid)},
            },
        )
    )
    data = {"afnemer": str(orgs["gemeente2"].uuid), "module": module["uuid"], "status": "Gepland"}
    return created(supplier.post(GEBRUIK, {"data": data}))


def age(uuid: str, days: int) -> None:
    Object.objects.filter(uuid=uuid).update(created_at=timezone.now() - timedelta(days=days))


def test_a_proposal_appears_only_after_fourteen_days(proposal, gemeente, orgs, fb, people):
    assert queue("voorgesteld-gebruik").items(actor=fb) == []
    age(proposal["uuid"], 13)
    assert queue("voorgesteld-gebruik").items(actor=fb) == []
    age(proposal["uuid"], 15)
    (item,) = queue("voorgesteld-gebruik").items(actor=fb)
    assert (item.key, item.title, item.overdue) == (
        proposal["uuid"],
        "Zaakwijzer bij Den Haag",
        True,
    )
    assert item.description.startswith("Acme Software stelde op ")
    assert item.description.endswith(
        "voor dat Den Haag Zaakwijzer gebruikt; Den Haag reageerde na 15 dagen nog niet."
    )
    assert item.warnings == ()

    # A gemeente's own concept gebruik is nobody's proposal.
    own = {"afnemer": str(orgs["gemeente"].uuid), "module": proposal["data"]["module"]}
    mine = created(gemeente.post(GEBRUIK, {"data": {**own, "status": "Gepland"}}))
    age(mine["uuid"], 30)
    assert [i.key for i in queue("voorgesteld-gebruik").items(actor=fb)] == [proposal["uuid"]]


def test_a_proposal_nobody_can_answer_is_flagged(proposal, fb):
    age(proposal["uuid"], 20)  # Den Haag has no gebruik-beheerder (no `people` here)
    (item,) = queue("voorgesteld-gebruik").items(actor=fb)
    assert item.warnings == (
        "Den Haag heeft geen actieve gebruik-beheerder die het voorstel kan beoordelen.",
    )


def test_accepting_a_proposal_takes_it_over_for_the_afnemer(
    proposal, people, fb, orgs, api_as, django_capture_on_commit_callbacks
):
    age(proposal["uuid"], 20)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("voorgesteld-gebruik").accept(key=proposal["uuid"], actor=fb, note="")
    assert message == "Het gebruik van Zaakwijzer is overgenomen voor Den Haag en gepubliceerd."
    obj = Object.objects.get(uuid=proposal["uuid"])
    assert (obj.organisation, obj.status) == (orgs["gemeente2"], "gepubliceerd")
    assert queue("voorgesteld-gebruik").items(actor=fb) == []
    assert notes(people["denhaag"]) == [
        ("catalogus-beoordeling", "Zaakwijzer staat nu in uw landschap")
    ]
    assert notes(people["acme"]) == [
        ("catalogus-beoordeling", "Uw voorstel over Zaakwijzer bij Den Haag is overgenomen")
    ]
    assert notes(people["utrecht"]) == []
    assert {m.to[0] for m in mail.outbox} == {people["denhaag"].email, people["acme"].email}
    edit = api_as("gemeente2", "gebruik-beheerder").patch(
        f"{GEBRUIK}/{proposal['uuid']}", {"data": {"status": "In productie"}}
    )
    assert edit.status_code == 200, edit.content  # Den Haag's own now


def test_declining_a_proposal_deletes_it(proposal, people, fb, django_capture_on_commit_callbacks):
    age(proposal["uuid"], 20)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("voorgesteld-gebruik").decline(
            key=proposal["uuid"], actor=fb, note="Den Haag gebruikt dit niet."
        )
    assert message == "Het voorgestelde gebruik van Zaakwijzer bij Den Haag is verwijderd."
    assert not Object.objects.filter(uuid=proposal["uuid"]).exists()
    assert queue("voorgesteld-gebruik").items(actor=fb) == []
    assert notes(people["denhaag"]) == [
        ("catalogus-beoordeling", "Voorgesteld gebruik van Zaakwijzer is verwijderd")
    ]
    assert notes(people["acme"]) == [
        ("catalogus-beoordeling", "Uw voorstel over Zaakwijzer bij Den Haag is afgewezen")
    ]
    assert all("Reden van functioneel beheer: Den Haag gebruikt" in m.body for m in mail.outbox)
    entry = AuditEntry.objects.get(action="catalogus.gebruik.voorstel-afgewezen")
    assert entry.organisation == people["denhaag"].memberships.get().organisation


def test_a_young_proposal_cannot_be_decided_by_functioneel_beheer(proposal, fb):
    """Within 14 days the afnemer decides itself; the queue refuses to step in."""
    with pytest.raises(AccountError, match="wacht niet"):
        queue("voorgesteld-gebruik").accept(key=proposal["uuid"], actor=fb, note="")
    assert Object.objects.get(uuid=proposal["uuid"]).status == "concept"
