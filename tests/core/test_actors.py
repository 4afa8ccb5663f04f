"""Who counts as government, functioneel beheer or superuser: the boundary in one place."""

import pytest

from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType
from core.models import ApiToken, User
from tests.conftest import Api, make_org, member

pytestmark = pytest.mark.django_db


def test_an_unverified_concept_gemeente_is_not_yet_government(orgs):
    concept = make_org("Nepgemeente", OrganisationType.GEMEENTE, status=OrganisationStatus.CONCEPT)
    assert not Actor.for_membership(member(concept, "gebruik-raadpleger")).is_government
    assert Actor.for_membership(member(orgs["gemeente"], "gebruik-raadpleger")).is_government


def test_functioneel_beheerder_role_counts_only_within_vng(orgs):
    assert Actor.for_membership(member(orgs["vng"], "functioneel-beheerder")).is_government
    elsewhere = Actor.for_membership(member(orgs["leverancier"], "functioneel-beheerder"))
    assert not elsewhere.is_functioneel_beheerder and not elsewhere.is_government


def test_a_superusers_token_acts_in_its_own_role_only(orgs):
    admin = User.objects.create_superuser("beheer@example.nl", "een-lang-wachtwoord")
    membership = member(orgs["gemeente"], "gebruik-raadpleger", email=admin.email)
    _token, raw = ApiToken.objects.issue(membership, "lezen")
    response = Api(raw).post(
        "/api/v1/producten",
        {
            "data": {
                "naam": "X",
                "aanbieder": str(orgs["leverancier"].uuid),
                "categorie": "software",
            }
        },
    )
    assert response.status_code == 403
