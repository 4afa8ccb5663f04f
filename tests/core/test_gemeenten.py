"""The 342 gemeenten ship with the product and load idempotently, without touching users."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.constants import OrganisationStatus, OrganisationType, Role
from core.models import Membership, Organisation, User
from core.reference_data.gemeenten import GEMEENTEN_CSV, load_gemeenten, read_gemeenten


def gemeenten():
    return Organisation.objects.filter(type=OrganisationType.GEMEENTE)


def test_the_reference_file_is_in_the_project_with_its_licence():
    assert GEMEENTEN_CSV.parent.name == "reference_data"
    readme = (GEMEENTEN_CSV.parent / "README.md").read_text(encoding="utf-8")
    assert "EUPL-1.2" in readme and "gemeenten_2025.csv" in readme
    rows = read_gemeenten()
    assert len(rows) == len({r.cbs_code for r in rows}) == 342


@pytest.mark.django_db
def test_loads_all_342_with_code_names_and_province():
    assert load_gemeenten() == ["342 gemeenten toegevoegd"]
    assert gemeenten().count() == 342
    assert set(gemeenten().values_list("status", flat=True)) == {OrganisationStatus.ACTIEF}
    amsterdam = Organisation.objects.get(cbs_code="0363")
    assert (amsterdam.naam, amsterdam.provincie) == ("Amsterdam", "Noord-Holland")
    den_haag = Organisation.objects.get(cbs_code="0518")
    assert (den_haag.naam, den_haag.weergavenaam) == ("'s-Gravenhage", "Den Haag")
    assert str(den_haag) == "Den Haag"
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_second_load_is_a_single_query_and_changes_nothing():
    load_gemeenten()
    before = list(gemeenten().order_by("pk").values_list("pk", "uuid", "updated_at"))
    with CaptureQueriesContext(connection) as queries:
        assert load_gemeenten() == []
    assert len(queries) == 1
    assert list(gemeenten().order_by("pk").values_list("pk", "uuid", "updated_at")) == before


@pytest.mark.django_db
def test_existing_gemeenten_are_adopted_not_duplicated_and_users_kept():
    # Made by hand before the list was loaded: one without a code, one with the GM form,
    # one whose name drifted. Their status (set by VNG) and members stay as they are.
    utrecht = Organisation.objects.create(naam="Utrecht", type=OrganisationType.GEMEENTE)
    zeist = Organisation.objects.create(
        naam="Zeist", type=OrganisationType.GEMEENTE, cbs_code="GM0355"
    )
    haag = Organisation.objects.create(
        naam="Den Haag",
        type=OrganisationType.GEMEENTE,
        cbs_code="0518",
        status=OrganisationStatus.INACTIEF,
    )
    user = User.objects.create_user("beheer@utrecht.example.nl", "een-lang-wachtwoord")
    Membership.objects.create(user=user, organisation=utrecht, role=Role.GEBRUIK_BEHEERDER)

    assert load_gemeenten() == ["339 gemeenten toegevoegd", "3 gemeenten bijgewerkt"]

    assert gemeenten().count() == 342
    utrecht.refresh_from_db()
    zeist.refresh_from_db()
    haag.refresh_from_db()
    assert (utrecht.cbs_code, utrecht.provincie) == ("0344", "Utrecht")
    assert zeist.cbs_code == "0355"
    assert (haag.naam, haag.weergavenaam, haag.status) == (
        "'s-Gravenhage",
        "Den Haag",
        OrganisationStatus.INACTIEF,
    )
    assert list(Membership.objects.values_list("user__email", "organisation__cbs_code")) == [
        ("beheer@utrecht.example.nl", "0344")
    ]
    assert load_gemeenten() == []


@pytest.mark.django_db
def test_prepare_loads_them(capsys):
    call_command("load_gemeenten")
    call_command("load_gemeenten")
    out = capsys.readouterr().out
    assert "342 gemeenten toegevoegd" in out and "Gemeenten al geladen." in out
    assert gemeenten().count() == 342
