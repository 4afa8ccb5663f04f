"""Consent before membership (#60) and e-mails that leave only after the commit.

A beheerder's invitation never makes an existing account a member by itself (see also
test_invitations.py); only a membership the person asked for (a sign-up they confirmed) is
granted at once. Every service e-mail is sent after its transaction commits, so an action
that is rolled back after the e-mail was "sent" has told nobody anything.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.template import TemplateDoesNotExist

from core.accounts import AccountError, invitations
from core.accounts import mail as account_mail
from core.accounts.queues import SignUpQueue
from core.actors import Actor
from core.constants import Role
from core.models import AuditEntry, Invitation, Membership
from tests.accounts.test_signups import fb_actor, submitted_and_verified
from tests.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(orgs) -> Actor:
    return Actor.for_membership(member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER))


def test_an_invitation_for_an_existing_account_is_no_membership(orgs, beheerder, committed):
    piet = member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER, email="piet@denhaag.nl").user
    with committed():
        result = invitations.invite(
            actor=beheerder,
            organisation=orgs["gemeente"],
            email="piet@denhaag.nl",
            role=Role.GEBRUIK_RAADPLEGER,
        )
    assert isinstance(result, Invitation)
    assert not Membership.objects.filter(user=piet, organisation=orgs["gemeente"]).exists()
    assert [m.to for m in mail.outbox] == [["piet@denhaag.nl"]]


def test_a_confirmed_sign_up_of_someone_with_an_account_is_granted_at_once(orgs, committed):
    """The contact person signed up and confirmed the address: that is their consent."""
    jan = member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="jan@zeta.example").user
    sign_up = submitted_and_verified()
    sent = len(mail.outbox)
    with committed():
        SignUpQueue().accept(key=str(sign_up.uuid), actor=fb_actor(orgs), note="")
    sign_up.refresh_from_db()
    membership = Membership.objects.get(user=jan, organisation=sign_up.organisation)
    assert membership.role == Role.AANBOD_BEHEERDER and membership.actief
    assert not Invitation.objects.filter(organisation=sign_up.organisation).exists()
    subjects = [m.subject for m in mail.outbox[sent:] if m.to == ["jan@zeta.example"]]
    assert any("toegang gekregen" in subject for subject in subjects), subjects
    entry = AuditEntry.objects.get(action="lidmaatschap.toegevoegd", target="jan@zeta.example")
    assert entry.details["op_verzoek"] is True


# --- e-mail after the commit ---------------------------------------------------------------


def test_no_email_before_the_commit(orgs, beheerder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitations.invite(
            actor=beheerder,
            organisation=orgs["gemeente"],
            email="ria@utrecht.nl",
            role=Role.GEBRUIK_RAADPLEGER,
        )
        assert mail.outbox == [], "nothing leaves while the transaction is open"
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["ria@utrecht.nl"]]


def test_an_action_that_fails_after_the_email_sends_nothing(orgs, beheerder, committed):
    """Two invitations in one transaction; the second is refused after the first "sent"
    its e-mail: the whole action is undone and nobody receives anything."""
    member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="kees@utrecht.nl")
    with committed(), pytest.raises(AccountError, match="al lid"), transaction.atomic():
        invitations.invite(
            actor=beheerder,
            organisation=orgs["gemeente"],
            email="ria@utrecht.nl",
            role=Role.GEBRUIK_RAADPLEGER,
        )
        invitations.invite(
            actor=beheerder,
            organisation=orgs["gemeente"],
            email="kees@utrecht.nl",
            role=Role.GEBRUIK_RAADPLEGER,
        )
    assert mail.outbox == []
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="uitnodiging.verstuurd").exists()


def test_the_same_two_steps_without_a_failure_do_send(orgs, beheerder, committed):
    """The counterpart of the test above: it is the rollback that stops the e-mail."""
    with committed(), transaction.atomic():
        for email in ("ria@utrecht.nl", "kees@utrecht.nl"):
            invitations.invite(
                actor=beheerder,
                organisation=orgs["gemeente"],
                email=email,
                role=Role.GEBRUIK_RAADPLEGER,
            )
    assert sorted(m.to[0] for m in mail.outbox) == ["kees@utrecht.nl", "ria@utrecht.nl"]


def test_a_rolled_back_savepoint_drops_only_its_own_email(committed):
    context = {"organisation": "Utrecht", "role": "Gebruik-raadpleger", "url": "/"}
    with committed(), transaction.atomic():
        account_mail.send("toegang_gekregen", "blijft@utrecht.nl", context)
        with pytest.raises(RuntimeError), transaction.atomic():
            account_mail.send("toegang_gekregen", "weg@utrecht.nl", context)
            raise RuntimeError("later stap mislukt")
    assert [m.to for m in mail.outbox] == [["blijft@utrecht.nl"]]


def test_a_template_error_undoes_the_action_at_once(committed):
    """Rendering happens before the commit, so a broken e-mail cannot follow a saved change
    silently: the caller's transaction sees the error."""
    with committed(), pytest.raises(TemplateDoesNotExist), transaction.atomic():
        account_mail.send("bestaat-niet", "iemand@utrecht.nl", {})
    assert mail.outbox == []
