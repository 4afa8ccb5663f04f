"""#352: editing "Mijn account" updates the user's contactpersonen, in the same transaction.

The account change goes through `core.accounts.security.update_profile`, the service behind
"Mijn account", which calls the `account_changed` hook that the catalogue implements.
"""

from __future__ import annotations

import pytest

from core import services
from core.accounts import AccountError
from core.accounts.security import update_profile
from core.actors import Actor
from core.models import AuditEntry, Object, ObjectVersion, User
from core.register import catalog
from tests.conftest import member

pytestmark = pytest.mark.django_db

JAN = {
    "voornaam": "Jan",
    "tussenvoegsel": "",
    "achternaam": "Visser",
    "email": "jan.visser@utrecht.nl",
    "telefoonnummer": "030 286 0000",
    "functie": "Informatiemanager",
}


def contact(org, data: dict, role: str = "gebruik-beheerder", status="gepubliceerd") -> Object:
    actor = Actor.for_membership(member(org, role))
    return services.create_object(
        catalog.by_key("catalogus/contactpersoon"), data, actor=actor, status=status
    )


def data_of(obj: Object) -> dict:
    return Object.objects.get(pk=obj.pk).data


@pytest.fixture
def jan(orgs) -> User:
    """Jan Visser, gebruik-beheerder of Utrecht and gebruik-raadpleger of Dimpact."""
    membership = member(orgs["gemeente"], "gebruik-beheerder", email=JAN["email"])
    user = membership.user
    for field, value in JAN.items():
        setattr(user, field, value)
    user.save()
    member(orgs["samenwerking"], "gebruik-raadpleger", email=JAN["email"])
    return user


@pytest.fixture
def records(orgs, jan):
    """Jan's contactpersoon at Utrecht (e-mail in other capitals) and at Dimpact; a colleague
    at Utrecht; and someone at Den Haag who happens to use the same address."""
    person = {"voornaam": "Jan", "achternaam": "Visser", "telefoonnummer": "030 286 0000"}
    return {
        "utrecht": contact(orgs["gemeente"], {**person, "emailadres": "Jan.Visser@Utrecht.nl"}),
        "dimpact": contact(orgs["samenwerking"], {**person, "emailadres": JAN["email"]}),
        "collega": contact(
            orgs["gemeente"],
            {"voornaam": "Els", "achternaam": "Kok", "emailadres": "els@utrecht.nl"},
        ),
        "elders": contact(orgs["gemeente2"], {**person, "emailadres": JAN["email"]}),
    }


def test_the_users_contactpersonen_follow_the_account(jan, records):
    changed = update_profile(
        jan,
        {
            **JAN,
            "tussenvoegsel": "de",
            "email": "j.devisser@utrecht.nl",
            "telefoonnummer": "030 286 1234",
            "functie": "CIO",
        },
    )
    assert set(changed) == {"tussenvoegsel", "email", "telefoonnummer", "functie"}
    for key in ("utrecht", "dimpact"):
        data = data_of(records[key])
        assert {k: data.get(k) for k in ("naam", "emailadres", "telefoonnummer", "functie")} == {
            "naam": "Jan de Visser",
            "emailadres": "j.devisser@utrecht.nl",
            "telefoonnummer": "030 286 1234",
            "functie": "CIO",
        }, key
    # Someone else's record, even with the same address at another organisation, stays.
    assert data_of(records["elders"])["emailadres"] == JAN["email"]
    assert data_of(records["elders"]).get("tussenvoegsel") is None
    assert data_of(records["collega"])["emailadres"] == "els@utrecht.nl"


def test_the_history_names_who_changed_it(jan, records):
    update_profile(jan, {**JAN, "functie": "CIO"})
    utrecht = ObjectVersion.objects.filter(object=records["utrecht"]).latest("version")
    assert (utrecht.action, utrecht.user, utrecht.role) == ("updated", jan, "gebruik-beheerder")
    assert utrecht.changes["functie"] == [None, "CIO"]
    # At Dimpact Jan only reads (raadpleger): the system writes his own details there.
    dimpact = ObjectVersion.objects.filter(object=records["dimpact"]).latest("version")
    assert (dimpact.action, dimpact.user, dimpact.channel) == ("updated", None, "system")


def test_an_emptied_field_is_removed_and_the_required_achternaam_kept(jan, records):
    update_profile(jan, {**JAN, "telefoonnummer": "", "achternaam": ""})
    data = data_of(records["utrecht"])
    assert "telefoonnummer" not in data
    assert data["achternaam"] == "Visser"


def test_nothing_is_written_when_nothing_differs(jan, records):
    versions = ObjectVersion.objects.filter(object=records["utrecht"]).count()
    update_profile(jan, {**JAN, "voornaam": "Jan"})  # no change at all
    update_profile(jan, {**JAN, "email": "JAN.VISSER@utrecht.nl"})  # same address, lowered
    assert ObjectVersion.objects.filter(object=records["utrecht"]).count() == versions


def test_archived_contactpersonen_are_left_alone(jan, records, orgs):
    gem = Actor.for_membership(member(orgs["gemeente"], "gebruik-beheerder", email=JAN["email"]))
    services.archive_object(records["utrecht"], actor=gem)
    update_profile(jan, {**JAN, "functie": "CIO"})
    assert "functie" not in data_of(records["utrecht"])
    assert data_of(records["dimpact"])["functie"] == "CIO"


@pytest.mark.parametrize(
    ("field", "value"),
    [("telefoonnummer", "bel mij maar"), ("email", "jan-zonder-apenstaartje")],
)
def test_a_refused_update_undoes_the_account_change(jan, records, field, value):
    """The contactpersoon schema refuses the value: the user keeps the old details too."""
    before = {key: data_of(obj) for key, obj in records.items()}
    with pytest.raises(AccountError) as refused:
        update_profile(jan, {**JAN, field: value, "functie": "CIO"})
    message = str(refused.value)
    assert message.startswith("Uw gegevens zijn niet opgeslagen: ")
    assert "contactpersoon Jan Visser van " in message
    jan.refresh_from_db()
    assert (jan.email, jan.telefoonnummer, jan.functie) == (
        JAN["email"],
        JAN["telefoonnummer"],
        JAN["functie"],
    )
    assert {key: data_of(obj) for key, obj in records.items()} == before
    assert not AuditEntry.objects.filter(action="account.gewijzigd").exists()


def test_an_organisation_the_user_no_longer_acts_for_keeps_its_record(jan, records):
    """A deactivated membership: Dimpact's record of Jan is Dimpact's to keep or change."""
    jan.memberships.filter(organisation__naam="Dimpact").update(actief=False)
    update_profile(jan, {**JAN, "functie": "CIO"})
    assert data_of(records["utrecht"])["functie"] == "CIO"
    assert "functie" not in data_of(records["dimpact"])


# --- H3: the system writes only the user's own record, only the person fields -------------


def test_the_system_write_for_a_raadpleger_is_audited_in_the_users_name(jan, records, orgs):
    """At Dimpact Jan may not edit contactpersonen; his own record follows anyway, and the
    audit log says it was his account change (the history only says "system")."""
    before = Object.objects.get(pk=records["dimpact"].pk)
    update_profile(jan, {**JAN, "functie": "CIO"})
    after = Object.objects.get(pk=records["dimpact"].pk)
    assert after.data["functie"] == "CIO"
    assert (after.status, after.organisation_id) == (before.status, before.organisation_id)
    assert {k: v for k, v in after.data.items() if k not in ("functie",)} == {
        k: v for k, v in before.data.items() if k not in ("functie",)
    }
    (entry,) = AuditEntry.objects.filter(action="contactpersoon.eigen-gegevens")
    assert (entry.user, entry.organisation.naam, entry.target) == (
        jan,
        "Dimpact",
        str(records["dimpact"].uuid),
    )
    assert entry.details["velden"] == ["functie"]
    # Where Jan may edit himself (Utrecht, beheerder), he writes: no system entry for it.
    assert not AuditEntry.objects.filter(
        action="contactpersoon.eigen-gegevens", target=str(records["utrecht"].uuid)
    ).exists()


def test_a_raadpleger_cannot_reach_other_records_of_the_organisation(jan, records, orgs):
    """The system write is for the person's own record only: a colleague's record at the
    organisation where Jan only reads stays untouched, even if its name is his."""
    colleague = contact(
        orgs["samenwerking"],
        {"voornaam": "Jan", "achternaam": "Visser", "emailadres": "jan.visser@dimpact.nl"},
    )
    untouched = data_of(colleague)
    update_profile(jan, {**JAN, "achternaam": "de Visser", "functie": "CIO"})
    assert data_of(colleague) == untouched
    assert data_of(records["dimpact"])["achternaam"] == "de Visser"
    assert AuditEntry.objects.filter(action="contactpersoon.eigen-gegevens").count() == 1
