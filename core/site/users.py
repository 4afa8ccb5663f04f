"""Gebruikers (3.1–3.2, #65): the beheerder's view of the organisation's users and invitations.

Only beheerders of the active organisation see the page; anyone else gets a 404. Every action
is a POST that names a membership, invitation or access request by id; the id is looked up
within the active organisation only, so a beheerder of A cannot reach B by changing it.
"""

from __future__ import annotations

import uuid as uuidlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.accounts import AccountError, access_requests, invitations
from core.accounts.roles import manages, role_label, roles_for
from core.actors import Actor
from core.constants import Role
from core.models import Invitation, Membership, Organisation, TotpDevice
from core.services import NotAllowed
from core.site.forms import SiteForm
from core.site.organisation import current_actor


class InviteForm(SiteForm, forms.Form):
    """ "Gebruiker toevoegen": the role field only when the type has more than one role."""

    voornaam = forms.CharField(label=gettext_lazy("Voornaam"), max_length=100)
    tussenvoegsel = forms.CharField(
        label=gettext_lazy("Tussenvoegsel"), max_length=30, required=False
    )
    achternaam = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        help_text=gettext_lazy("Dit wordt ook de gebruikersnaam."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    telefoonnummer = forms.CharField(
        label=gettext_lazy("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    functie = forms.CharField(label=gettext_lazy("Functie"), max_length=100, required=False)
    rol = forms.ChoiceField(label=gettext_lazy("Rol"))
    is_aanspreekpunt = forms.BooleanField(
        label=gettext_lazy("Is aanspreekpunt"),
        required=False,
        help_text=gettext_lazy(
            "De contactgegevens staan dan op de organisatiepagina. Bij een nieuwe gebruiker "
            "stelt u dit in zodra de uitnodiging is geaccepteerd."
        ),
    )

    def __init__(self, org: Organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = roles_for(org.type)
        self.single_role = roles[0] if len(roles) == 1 else None
        if self.single_role:
            del self.fields["rol"]
        else:
            self.fields["rol"].choices = [(r, role_label(r)) for r in roles]
            # The least rights unless the beheerder chooses otherwise.
            if Role.GEBRUIK_RAADPLEGER in roles:
                self.fields["rol"].initial = Role.GEBRUIK_RAADPLEGER
            self.fields["rol"].error_messages["invalid_choice"] = _(
                "Kies een rol die bij dit type organisatie hoort."
            )

    def role(self) -> str:
        return self.single_role or self.cleaned_data["rol"]


def _managed(request) -> tuple[Actor, Organisation]:
    """The active organisation if the actor is its beheerder; otherwise a 404, not a hint."""
    actor = current_actor(request)
    org = actor.organisation
    if org is None or not manages(actor, org):
        raise Http404
    return actor, org


def _id(request, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


def _own_membership(request, org: Organisation) -> Membership:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=_id(request, "lidmaatschap"), organisation=org)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _own_invitation(request, org: Organisation) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(pk=_id(request, "uitnodiging"), organisation=org)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def _users_context(actor: Actor, org: Organisation, **extra) -> dict:
    confirmed = TotpDevice.objects.filter(user=OuterRef("user_id"), confirmed_at__isnull=False)
    memberships = (
        Membership.objects.filter(organisation=org)
        .select_related("user")
        .annotate(has_2fa=Exists(confirmed))
        .order_by("-actief", "user__achternaam", "user__voornaam", "user__email")
    )
    open_invitations = Invitation.objects.filter(
        organisation=org, used_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")
    roles = [(r, role_label(r)) for r in roles_for(org.type)]
    context = {
        "org": org,
        "manages": True,
        "memberships": memberships,
        "invitations": open_invitations,
        "roles": roles,
        "access_requests": _pending_requests(org),
        "form": InviteForm(org),
        "own_membership_id": Membership.objects.filter(user=actor.user, organisation=org)
        .values_list("pk", flat=True)
        .first(),
    }
    context.update(extra)
    return context


def _pending_requests(org: Organisation):
    return access_requests.pending_for(org)


def _page(request, actor, org, status=200, **extra):
    return render(
        request, "site/users/list.html", _users_context(actor, org, **extra), status=status
    )


def _refused(request, actor, org, exc: Exception):
    """A refused action: the page again with the reason, nothing changed."""
    status = 403 if isinstance(exc, NotAllowed) else 400
    return _page(request, actor, org, status=status, error=str(exc))


@login_required
def users_page(request):
    actor, org = _managed(request)
    return _page(request, actor, org)


@login_required
@require_POST
def invite(request):
    actor, org = _managed(request)
    form = InviteForm(org, request.POST)
    if not form.is_valid():
        return _page(request, actor, org, status=400, form=form, open_form=True)
    data = form.cleaned_data
    try:
        result = invitations.invite(
            actor=actor,
            organisation=org,
            email=data["email"],
            role=form.role(),
            voornaam=data["voornaam"],
            tussenvoegsel=data["tussenvoegsel"],
            achternaam=data["achternaam"],
            telefoonnummer=data["telefoonnummer"],
            functie=data["functie"],
            is_aanspreekpunt=data["is_aanspreekpunt"],
        )
    except (AccountError, NotAllowed) as exc:
        form.add_service_errors({"email": str(exc)})
        status = 403 if isinstance(exc, NotAllowed) else 400
        return _page(request, actor, org, status=status, form=form, open_form=True)
    messages.success(request, _("De gebruiker is succesvol toegevoegd."))
    messages.info(
        request,
        _("Er is een uitnodiging verstuurd naar %(email)s; de link is 72 uur geldig.")
        % {"email": result.email},
    )
    return redirect("organisation-users")


@login_required
@require_POST
def reinvite(request):
    actor, org = _managed(request)
    invitation = _own_invitation(request, org)
    try:
        invitations.reinvite(invitation, actor=actor)
    except (AccountError, NotAllowed) as exc:
        return _refused(request, actor, org, exc)
    messages.success(
        request,
        _("Er is een nieuwe uitnodiging verstuurd naar %(email)s; de vorige link werkt niet meer.")
        % {"email": invitation.email},
    )
    return redirect("organisation-users")


@login_required
@require_POST
def revoke(request):
    actor, org = _managed(request)
    invitation = _own_invitation(request, org)
    try:
        invitations.revoke(invitation, actor=actor)
    except (AccountError, NotAllowed) as exc:
        return _refused(request, actor, org, exc)
    messages.success(
        request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email}
    )
    return redirect("organisation-users")


@login_required
@require_POST
def change_role(request):
    actor, org = _managed(request)
    membership = _own_membership(request, org)
    role = request.POST.get("rol", "")
    try:
        invitations.change_role(membership, role, actor=actor)
    except (AccountError, NotAllowed) as exc:
        return _refused(request, actor, org, exc)
    messages.success(
        request,
        _("De rol van %(naam)s is nu %(rol)s.")
        % {"naam": membership.user, "rol": role_label(role).lower()},
    )
    return redirect("organisation-users")


def _set_active(request, active: bool):
    actor, org = _managed(request)
    membership = _own_membership(request, org)
    try:
        invitations.set_active(membership, active, actor=actor)
    except (AccountError, NotAllowed) as exc:
        return _refused(request, actor, org, exc)
    if active:
        message = _("%(naam)s is weer ingeschakeld.")
    else:
        message = _("%(naam)s is uitgeschakeld en kan niet meer namens %(org)s werken.")
    messages.success(request, message % {"naam": membership.user, "org": org})
    return redirect("organisation-users")


@login_required
@require_POST
def deactivate(request):
    return _set_active(request, False)


@login_required
@require_POST
def activate(request):
    return _set_active(request, True)


@login_required
@require_POST
def aanspreekpunt(request):
    actor, org = _managed(request)
    membership = _own_membership(request, org)
    value = request.POST.get("aanspreekpunt") == "ja"
    try:
        invitations.set_aanspreekpunt(membership, value, actor=actor)
    except (AccountError, NotAllowed) as exc:
        return _refused(request, actor, org, exc)
    if value:
        message = _("%(naam)s is nu aanspreekpunt.")
    else:
        message = _("%(naam)s is geen aanspreekpunt meer.")
    messages.success(request, message % {"naam": membership.user})
    return redirect("organisation-users")


@login_required
@require_POST
def access_request(request):
    """One-click grant (with a role) or decline of a request forwarded by functioneel beheer."""
    actor, org = _managed(request)
    try:
        key = uuidlib.UUID(request.POST.get("verzoek", ""))
    except ValueError:
        raise Http404 from None
    found = access_requests.pending_for(org).filter(uuid=key).first()
    if found is None:
        raise Http404
    decision = request.POST.get("besluit")
    try:
        if decision == "toekennen":
            access_requests.grant_by_beheerder(found, actor=actor, role=request.POST.get("rol", ""))
            messages.success(
                request,
                _("%(naam)s heeft toegang gekregen tot %(org)s.")
                % {"naam": found.naam, "org": org},
            )
        elif decision == "afwijzen":
            access_requests.decline(found, actor=actor, reason=request.POST.get("reden", ""))
            messages.success(
                request, _("Het verzoek van %(naam)s is afgewezen.") % {"naam": found.naam}
            )
        else:
            raise AccountError(_("Kies toekennen of afwijzen."))
    except (AccountError, NotAllowed) as exc:
        return _refused(request, actor, org, exc)
    return redirect("organisation-users")


urlpatterns = [
    path("mijn-organisatie/gebruikers", users_page, name="organisation-users"),
    path("mijn-organisatie/gebruikers/toevoegen", invite, name="organisation-user-invite"),
    path(
        "mijn-organisatie/gebruikers/uitnodiging-opnieuw",
        reinvite,
        name="organisation-invitation-reinvite",
    ),
    path(
        "mijn-organisatie/gebruikers/uitnodiging-intrekken",
        revoke,
        name="organisation-invitation-revoke",
    ),
    path("mijn-organisatie/gebruikers/rol", change_role, name="organisation-user-role"),
    path(
        "mijn-organisatie/gebruikers/uitschakelen",
        deactivate,
        name="organisation-user-deactivate",
    ),
    path("mijn-organisatie/gebruikers/inschakelen", activate, name="organisation-user-activate"),
    path(
        "mijn-organisatie/gebruikers/aanspreekpunt",
        aanspreekpunt,
        name="organisation-user-aanspreekpunt",
    ),
    path(
        "mijn-organisatie/gebruikers/toegangsverzoek",
        access_request,
        name="organisation-access-request",
    ),
]
