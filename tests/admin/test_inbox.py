"""The "Te beoordelen" inbox: any queue, decided once, by functioneel beheer only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.accounts import AccountError, audit, signups
from core.accounts.links import new_token
from core.accounts.queues import AccessRequestQueue, SignUpQueue
from core.actors import Actor
from core.admin.inbox import pending, waiting
from core.constants import Role
from core.models import AccessRequest, AuditEntry, Organisation, ReviewDecision, SignUp
from core.plugins import hookimpl
from core.plugins.base import ReviewItem, ReviewQueue
from core.plugins.manager import pm, registries
from tests.accounts.committing import commit_per_request
from tests.admin.conftest import is_denied, menu_labels
from tests.conftest import member

# Requests commit like real ones, so the e-mails of a decision leave (see committing.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_per_request")]
__all__ = ["commit_per_request"]

INBOX = "/admin/te-beoordelen/"


class ToyQueue(ReviewQueue):
    """A queue as a plugin would write one; it remembers what it was asked to do."""

    slug = "proefrij"
    naam = "Proefverzoeken"
    extra_actions = {"parkeren": "Parkeren tot volgende week"}

    def __init__(self):
        now = timezone.now()
        self.waiting = {
            "anna": ReviewItem(
                key="anna",
                title="Verzoek van Anna",
                description="Anna wil meedoen met de proef.",
                submitted_at=now - timedelta(days=1),
                url="/proef/anna",
                warnings=("Lijkt op de bestaande deelnemer Anne",),
            ),
            "bert": ReviewItem(
                key="bert",
                title="Verzoek van Bert",
                description="Bert wacht al lang.",
                submitted_at=now - timedelta(days=30),
                overdue=True,
            ),
        }
        self.calls: list[tuple[str, str, str]] = []
        self.race = False  # simulate someone else deciding at the same moment

    def items(self, *, actor):
        return list(self.waiting.values())

    def _do(self, what: str, key: str, actor, note: str) -> str:
        self.calls.append((what, key, note))
        if key not in self.waiting:
            raise AccountError("Dit verzoek bestaat niet (meer).")
        audit.record(f"proef.{what}", actor=actor, target=key)
        if self.race:
            ReviewDecision.objects.create(queue=self.slug, key=key, decision="geaccepteerd")
        return f"Verzoek {key}: {what}."

    def accept(self, *, key, actor, note):
        return self._do("accept", key, actor, note)

    def decline(self, *, key, actor, note):
        return self._do("decline", key, actor, note)

    def run_action(self, *, action, key, actor, note):
        return self._do(action, key, actor, note)


class BrokenQueue(ReviewQueue):
    slug = "kapot"
    naam = "Kapotte rij"

    def items(self, *, actor):
        raise RuntimeError("database van de plugin is weg")


class ToyPlugin:
    def __init__(self, *queues):
        self.queues = list(queues)

    @hookimpl
    def register_review_queues(self):
        return self.queues


@pytest.fixture
def queues():
    """Registers test queues through the plugin hook, as a third-party plugin would."""
    registered = []

    def register(*queue_list):
        plugin = ToyPlugin(*queue_list)
        pm.register(plugin, name=f"inbox-test-{len(registered)}")
        registered.append(plugin)
        registries.cache_clear()
        return queue_list[0]

    yield register
    for plugin in registered:
        pm.unregister(plugin)
    registries.cache_clear()


@pytest.fixture
def toy(queues):
    return queues(ToyQueue())


@pytest.fixture
def fb(staff_client, orgs):
    client = staff_client("vng", Role.FUNCTIONEEL_BEHEERDER)
    client.user = member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER).user
    return client


def decide(client, key, action, note="", queue="proefrij"):
    return client.post(INBOX, {"queue": queue, "key": key, "action": action, "note": note})


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_functioneel_beheer_sees_every_queue_with_its_items(fb, toy):
    response = fb.get(INBOX)
    assert response.status_code == 200
    assert "Te beoordelen" in menu_labels(response)
    body = response.content.decode()
    assert "Proefverzoeken (2)" in body
    assert "Verzoek van Anna" in body
    assert 'href="/proef/anna"' in body
    assert "Anna wil meedoen met de proef." in body
    assert "Lijkt op de bestaande deelnemer Anne" in body
    assert "Wacht te lang" in body  # Bert
    assert body.index("Verzoek van Bert") < body.index("Verzoek van Anna")  # oldest first
    assert "Accepteren" in body and "Afwijzen" in body
    assert "Parkeren tot volgende week" in body
    # Core's own queues are there too, even when empty.
    assert "Aanmeldingen van leveranciers" in body
    assert "Toegangsverzoeken van gemeenten" in body


def test_accepting_records_the_decision_once(fb, toy):
    response = decide(fb, "anna", "accept", "Welkom")
    assert response.status_code == 302
    assert toy.calls == [("accept", "anna", "Welkom")]
    decision = ReviewDecision.objects.get(queue="proefrij", key="anna")
    assert decision.decision == "geaccepteerd"
    assert decision.note == "Welkom"
    assert decision.decided_by == fb.user
    assert AuditEntry.objects.filter(action="beoordeling.geaccepteerd").count() == 1

    body = fb.get(INBOX).content.decode()
    assert "Verzoek van Anna" not in body  # decided items leave the inbox
    assert "Proefverzoeken (1)" in body


def test_the_queue_message_is_shown(fb, toy):
    response = fb.post(INBOX, {"queue": "proefrij", "key": "anna", "action": "accept"}, follow=True)
    assert "Verzoek anna: accept." in messages_of(response)


def test_a_second_decision_is_refused_and_changes_nothing(fb, toy):
    decide(fb, "anna", "accept")
    response = fb.post(
        INBOX,
        {"queue": "proefrij", "key": "anna", "action": "decline", "note": "toch niet"},
        follow=True,
    )
    assert "Over dit item is al besloten: geaccepteerd door" in messages_of(response)
    assert toy.calls == [("accept", "anna", "")]  # the queue was not asked again
    assert ReviewDecision.objects.get(queue="proefrij", key="anna").decision == "geaccepteerd"


def test_a_simultaneous_decision_rolls_the_queue_action_back(fb, toy):
    toy.race = True  # another beheerder's decision lands while ours runs
    response = fb.post(INBOX, {"queue": "proefrij", "key": "anna", "action": "accept"}, follow=True)
    assert "al besloten" in messages_of(response)
    assert toy.calls == [("accept", "anna", "")]
    # The queue's own change was undone together with the refused decision.
    assert not AuditEntry.objects.filter(action="proef.accept").exists()
    assert not ReviewDecision.objects.exists()


def test_declining_asks_for_a_reason(fb, toy):
    response = fb.post(
        INBOX, {"queue": "proefrij", "key": "anna", "action": "decline", "note": "  "}, follow=True
    )
    assert "Geef een reden op om af te wijzen" in messages_of(response)
    assert toy.calls == []
    assert not ReviewDecision.objects.exists()

    decide(fb, "anna", "decline", "Past niet bij de proef")
    decision = ReviewDecision.objects.get(queue="proefrij", key="anna")
    assert decision.decision == "afgewezen"
    assert decision.note == "Past niet bij de proef"


def test_a_refusal_by_the_queue_is_shown_and_nothing_is_recorded(fb, toy):
    response = fb.post(
        INBOX, {"queue": "proefrij", "key": "onbekend", "action": "accept"}, follow=True
    )
    assert "Dit verzoek bestaat niet (meer)." in messages_of(response)
    assert not ReviewDecision.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="beoordeling.").exists()


def test_an_extra_action_runs_without_deciding(fb, toy):
    response = fb.post(
        INBOX, {"queue": "proefrij", "key": "bert", "action": "parkeren"}, follow=True
    )
    assert "Verzoek bert: parkeren." in messages_of(response)
    assert toy.calls == [("parkeren", "bert", "")]
    assert not ReviewDecision.objects.exists()  # still waiting, still in the inbox
    assert "Verzoek van Bert" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"queue": "bestaat-niet", "key": "anna", "action": "accept"}, "bestaat niet (meer)"),
        ({"queue": "proefrij", "key": "anna", "action": "wissen"}, "Onbekende actie"),
        ({"queue": "proefrij", "key": "", "action": "accept"}, "Onbekend item"),
        ({"queue": "proefrij", "key": "x" * 101, "action": "accept"}, "Onbekend item"),
    ],
)
def test_bad_posts_are_refused_clearly(fb, toy, data, message):
    response = fb.post(INBOX, data, follow=True)
    assert message in messages_of(response)
    assert toy.calls == []
    assert not ReviewDecision.objects.exists()


def test_a_broken_queue_does_not_take_the_inbox_down(fb, toy, queues):
    queues(BrokenQueue())
    response = fb.get(INBOX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deze lijst kon niet worden geladen." in body
    assert "Verzoek van Anna" in body


def test_vng_raadpleger_reads_without_buttons(staff_client, toy):
    client = staff_client("vng", Role.VNG_RAADPLEGER)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert "Te beoordelen" in menu_labels(response)
    body = response.content.decode()
    assert "Verzoek van Anna" in body
    assert "U kunt hier alleen meekijken." in body
    assert "Accepteren" not in body and "Afwijzen" not in body and 'name="note"' not in body

    forged = decide(client, "anna", "accept")
    assert forged.status_code == 403
    assert toy.calls == []
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize(
    ("org_key", "role"),
    [
        ("gemeente", Role.GEBRUIK_BEHEERDER),
        ("leverancier", Role.AANBOD_BEHEERDER),
        ("samenwerking", Role.GEBRUIK_BEHEERDER),
    ],
)
def test_other_roles_do_not_see_or_use_the_inbox(staff_client, toy, org_key, role):
    client = staff_client(org_key, role)
    assert "Te beoordelen" not in menu_labels(client.get("/admin/"))
    assert is_denied(client.get(INBOX))
    assert decide(client, "anna", "accept").status_code == 403
    assert toy.calls == []
    assert not ReviewDecision.objects.exists()


def test_a_post_without_csrf_token_is_refused(fb, toy):
    fb.handler.enforce_csrf_checks = True
    assert decide(fb, "anna", "accept").status_code == 403
    assert toy.calls == []
    assert not ReviewDecision.objects.exists()


# --- the real queues of core ------------------------------------------------------


def _access_request(org: Organisation, **extra) -> AccessRequest:
    return AccessRequest.objects.create(
        organisation=org,
        voornaam="Sanne",
        achternaam="de Vries",
        email="sanne@utrecht.example.nl",
        status=AccessRequest.Status.TE_BEOORDELEN,
        token_hash=new_token()[1],
        expires_at=timezone.now() + timedelta(hours=72),
        email_verified_at=timezone.now(),
        **extra,
    )


def test_an_access_request_is_declined_from_the_inbox(fb, orgs):
    request = _access_request(orgs["gemeente"])
    body = fb.get(INBOX).content.decode()
    assert "Sanne de Vries voor Utrecht" in body
    assert "Doorsturen naar de huidige beheerder" in body

    mail.outbox.clear()
    response = fb.post(
        INBOX,
        {
            "queue": "toegangsverzoeken",
            "key": str(request.uuid),
            "action": "decline",
            "note": "Niet bekend bij de gemeente",
        },
        follow=True,
    )
    assert "is afgewezen" in messages_of(response)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.AFGEWEZEN
    assert ReviewDecision.objects.get(queue="toegangsverzoeken", key=str(request.uuid)).decision
    assert [m.to for m in mail.outbox] == [["sanne@utrecht.example.nl"]]
    assert "Sanne de Vries voor Utrecht" not in response.content.decode()


def test_forwarding_without_a_beheerder_is_refused_by_the_queue(fb, orgs):
    request = _access_request(orgs["gemeente"])
    response = fb.post(
        INBOX,
        {"queue": "toegangsverzoeken", "key": str(request.uuid), "action": "doorsturen"},
        follow=True,
    )
    assert "heeft geen actieve beheerder" in messages_of(response)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.TE_BEOORDELEN
    assert not ReviewDecision.objects.exists()


def test_a_sign_up_is_accepted_from_the_inbox(fb):
    org = Organisation.objects.create(naam="Nieuwe Leverancier BV", type="Leverancier")
    sign_up = SignUp.objects.create(
        organisatienaam=org.naam,
        beschrijving_kort="Software voor gemeenten",
        website="https://nieuw.example.nl",
        voornaam="Kim",
        achternaam="Jansen",
        email="kim@nieuw.example.nl",
        consent_at=timezone.now(),
        status=SignUp.Status.TE_BEOORDELEN,
        token_hash=new_token()[1],
        expires_at=timezone.now() + timedelta(hours=72),
        email_verified_at=timezone.now(),
        organisation=org,
    )
    assert "Nieuwe Leverancier BV" in fb.get(INBOX).content.decode()
    response = fb.post(
        INBOX,
        {"queue": "aanmeldingen", "key": str(sign_up.uuid), "action": "accept"},
        follow=True,
    )
    assert "is geactiveerd" in messages_of(response)
    org.refresh_from_db()
    assert org.status == "Actief"
    assert ReviewDecision.objects.filter(queue="aanmeldingen", key=str(sign_up.uuid)).exists()
    assert any("kim@nieuw.example.nl" in m.to for m in mail.outbox)


def test_the_dashboard_says_how_much_waits(fb, toy, gemeente_client):
    body = fb.get("/admin/").content.decode()
    assert "2 items wachten op een beslissing" in body
    assert "waarvan 1 te lang" in body
    assert f'href="{INBOX}#rij-proefrij"' in body
    decide(fb, "anna", "accept")
    assert "1 item wacht op een beslissing" in fb.get("/admin/").content.decode()
    assert "op een beslissing" not in gemeente_client.get("/admin/").content.decode()


@pytest.fixture
def gemeente_client(staff_client):
    return staff_client("gemeente", Role.GEBRUIK_BEHEERDER)


# --- a fixed number of queries, however much waits ----------------------------------------


def _sign_up(naam: str, email: str, kvk: str = "", **extra) -> SignUp:
    fields = {"status": SignUp.Status.TE_BEOORDELEN, "email_verified_at": timezone.now()}
    return SignUp.objects.create(
        organisatienaam=naam,
        beschrijving_kort="Software voor gemeenten",
        website="https://example.nl",
        kvk_nummer=kvk,
        voornaam="Kim",
        achternaam="Jansen",
        email=email,
        consent_at=timezone.now(),
        token_hash=new_token()[1],
        expires_at=timezone.now() + timedelta(hours=72),
        **{**fields, **extra},
    )


def _lots_waiting(orgs, start: int, count: int) -> None:
    """Sign-ups that each raise every kind of warning (same KvK number, similar name, an
    earlier refusal), and access requests for gemeenten with and without a beheerder."""
    for n in range(start, start + count):
        kvk = f"1{n:07}"
        Organisation.objects.create(naam=f"Acme {n} Software", type="Leverancier", kvk_nummer=kvk)
        _sign_up(f"Acme {n} Software BV", f"kim{n}@acme.example", kvk=kvk)
        _sign_up(f"Oud {n}", f"kim{n}@acme.example", status=SignUp.Status.AFGEWEZEN)
        request = _access_request(orgs["gemeente"] if n % 2 else orgs["gemeente2"])
        AccessRequest.objects.filter(pk=request.pk).update(email=f"sanne{n}@utrecht.example")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [INBOX, "/admin/"])
def test_the_inbox_and_its_panel_do_not_grow_with_the_items(
    fb, orgs, url, django_assert_max_num_queries
):
    member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER)
    _lots_waiting(orgs, 1, 1)
    few = _queries(fb, url)
    _lots_waiting(orgs, 2, 8)
    with django_assert_max_num_queries(few):
        response = fb.get(url)
    body = response.content.decode()
    if url == INBOX:
        assert body.count("Zelfde KvK-nummer") == 9
        assert body.count("Lijkt op de bestaande organisatie") >= 9
        assert body.count("Een eerdere aanmelding van") == 9
    else:
        assert "18 items wachten op een beslissing" in body


def test_the_batched_warnings_match_one_sign_up_at_a_time(orgs):
    _lots_waiting(orgs, 1, 3)
    waiting_sign_ups = list(SignUp.objects.filter(status=SignUp.Status.TE_BEOORDELEN))
    batched = signups.similar_many(waiting_sign_ups)
    assert batched == [signups.similar(sign_up) for sign_up in waiting_sign_ups]
    for sign_up, warnings in zip(waiting_sign_ups, batched, strict=True):
        n = sign_up.organisatienaam.split()[1]
        assert f"Zelfde KvK-nummer (1{int(n):07}) als “Acme {n} Software”" in warnings[0]
        assert any(f"organisatie “Acme {n} Software”" in w for w in warnings)
        assert warnings[-1].startswith(f"Een eerdere aanmelding van “Oud {n}”")


def test_the_panel_counts_what_the_inbox_lists(fb, orgs, toy):
    _lots_waiting(orgs, 1, 3)
    old = SignUp.objects.filter(status=SignUp.Status.TE_BEOORDELEN).first()
    SignUp.objects.filter(pk=old.pk).update(email_verified_at=timezone.now() - timedelta(days=9))
    decided = AccessRequest.objects.first()
    ReviewDecision.objects.create(queue="toegangsverzoeken", key=str(decided.uuid), decision="x")
    actor = Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))
    listed = {s.queue.slug: (len(s.items), s.overdue) for s in pending(actor)}
    counted = {w.queue.slug: (w.count, w.overdue) for w in waiting(actor)}
    assert counted == listed
    assert counted["aanmeldingen"] == (3, 1)
    assert counted["toegangsverzoeken"] == (2, 0)
    assert counted["proefrij"] == (2, 1)  # a queue without `count` is listed and counted
    # Others count nothing, as they list nothing.
    gemeente = Actor.for_membership(member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER))
    assert SignUpQueue().count(actor=gemeente) == (0, 0)
    assert AccessRequestQueue().count(actor=gemeente) == (0, 0)
