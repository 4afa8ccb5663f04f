"""Holes found in review, kept shut: 2FA pages from an unverified session, deactivating VNG
itself, and tokens surviving a switched-off membership."""

import pytest
from django.test import Client

from core.accounts import AccountError, invitations, organisations
from core.actors import Actor
from core.constants import OrganisationStatus, Role
from core.models import ApiToken, RecoveryCode
from tests.admin.conftest import with_two_factor
from tests.conftest import member

pytestmark = pytest.mark.django_db


def test_recovery_codes_need_a_session_that_passed_the_second_step(orgs):
    """A session from before 2FA was switched on (a stolen cookie) cannot mint new codes."""
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user
    client = Client()
    client.force_login(user)  # the old session, never through step 2
    with_two_factor(user)
    response = client.post("/mijn-account/tweestapsverificatie/herstelcodes")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen")
    assert not RecoveryCode.objects.filter(user=user).exists()


def test_vng_itself_cannot_be_deactivated(orgs):
    fb = Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))
    with pytest.raises(AccountError, match="VNG zelf"):
        organisations.set_status(orgs["vng"], OrganisationStatus.INACTIEF, actor=fb)
    orgs["vng"].refresh_from_db()
    assert orgs["vng"].status == OrganisationStatus.ACTIEF


def test_switching_a_membership_off_kills_its_tokens_for_good(orgs):
    beheerder = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)
    colleague = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER)
    _token, raw = ApiToken.objects.issue(colleague, "script")
    actor = Actor.for_membership(beheerder)
    invitations.set_active(colleague, False, actor=actor)
    invitations.set_active(colleague, True, actor=actor)
    assert ApiToken.objects.authenticate(raw) is None
