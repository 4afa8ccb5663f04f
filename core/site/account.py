"""'Mijn account': personal data, memberships and their beheerders, notification preferences,
security (2FA, password, sessions) and API tokens (one membership each, shown once)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.accounts import AccountError, audit, security
from core.accounts.notifications import Frequency, kinds, preferences, set_preferences
from core.accounts.roles import active_beheerders
from core.actors import acting_memberships, resolve
from core.api.meta import visible_organisations
from core.models import ApiToken
from core.services import NotAllowed
from core.site.forms import SiteForm


def _membership_rows(request) -> list[dict]:
    """All memberships (also of organisations the user cannot act for) with their beheerders.

    Beheerders are shown to members whose membership is active (#1.3): a member may know who
    manages their organisation, nobody else learns it here.
    """
    memberships = list(
        request.user.memberships.select_related("organisation").order_by("organisation__naam")
    )
    actor = resolve(request.actor)
    active_id = actor.organisation.id if actor.organisation else None
    acting_ids = set(acting_memberships(request.user).values_list("organisation_id", flat=True))
    visible = [m.organisation_id for m in memberships if m.actief]
    # Link only to organisation pages this user may open (an Inactief one would be a 404).
    linkable = set(
        visible_organisations(actor)
        .filter(pk__in=[m.organisation_id for m in memberships])
        .values_list("pk", flat=True)
    )
    beheerders: dict[int, list] = {}
    for beheer in (
        active_beheerders()
        .filter(organisation_id__in=visible)
        .select_related("user")
        .order_by("user__achternaam", "user__voornaam", "user__email")
    ):
        beheerders.setdefault(beheer.organisation_id, []).append(beheer.user)
    return [
        {
            "membership": membership,
            "active": membership.organisation_id == active_id,
            "can_act": membership.organisation_id in acting_ids,
            "linkable": membership.organisation_id in linkable,
            "beheerders": beheerders.get(membership.organisation_id, [])
            if membership.actief
            else None,
        }
        for membership in memberships
    ]


def account_context(request) -> dict:
    return {"rows": _membership_rows(request)}


class ProfileForm(SiteForm, forms.Form):
    voornaam = forms.CharField(label=gettext_lazy("Voornaam"), max_length=100, required=False)
    tussenvoegsel = forms.CharField(
        label=gettext_lazy("Tussenvoegsel"), max_length=30, required=False
    )
    achternaam = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        help_text=gettext_lazy(
            "U logt hiermee in; e-mails van de Softwarecatalogus gaan hierheen."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    telefoonnummer = forms.CharField(
        label=gettext_lazy("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    functie = forms.CharField(label=gettext_lazy("Functie"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voornaam"].widget.attrs["autocomplete"] = "given-name"
        self.fields["achternaam"].widget.attrs["autocomplete"] = "family-name"
        self.fields["functie"].widget.attrs["autocomplete"] = "organization-title"

    @classmethod
    def for_user(cls, user, data=None):
        initial = {field: getattr(user, field) for field in security.PROFILE_FIELDS}
        return cls(data=data, initial=initial, prefix="gegevens")


class NotificationForm(SiteForm, forms.Form):
    """One radio group per kind of e-mail: direct, in the daily digest, or not at all."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, prefix="meldingen", **kwargs)
        chosen = preferences(user)
        for kind, label in kinds().items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Frequency.choices,
                initial=chosen.get(kind),
                widget=forms.RadioSelect,
            )


class TokenForm(SiteForm, forms.Form):
    naam = forms.CharField(
        label=gettext_lazy("Naam van het token"),
        max_length=100,
        help_text=gettext_lazy("Bijvoorbeeld het script of systeem dat het gebruikt."),
    )
    lidmaatschap = forms.ModelChoiceField(
        label=gettext_lazy("Namens"), queryset=None, empty_label=None
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lidmaatschap"]
        field.queryset = acting_memberships(user)
        field.label_from_instance = lambda m: f"{m.organisation.display_name} ({m.role})"


def token_context(user, form=None, raw=None) -> dict:
    tokens = user.swc_tokens.select_related("organisation").order_by("-created_at")
    return {"token_form": form or TokenForm(user), "tokens": tokens, "new_token": raw}


def render_account(request, status: int = 200, **overrides):
    """The whole page; a form that failed is passed in bound, so its errors show in place."""
    user = request.user
    context = {
        **account_context(request),
        **token_context(user, overrides.pop("token_form", None), overrides.pop("raw", None)),
        "profile_form": ProfileForm.for_user(user),
        "notification_form": NotificationForm(user),
        "two_factor": security.confirmed_device(user),
        "two_factor_required": security.requires_two_factor(user),
        "recovery_codes_left": security.unused_recovery_codes(user),
        **overrides,
    }
    return render(request, "site/account.html", context, status=status)


@login_required
def account(request):
    return render_account(request)


@login_required
@require_POST
def update_profile(request):
    form = ProfileForm.for_user(request.user, request.POST)
    if not form.is_valid():
        return render_account(request, 400, profile_form=form, profile_open=True)
    new_email = form.cleaned_data["email"].lower() != request.user.email.lower()
    try:
        changed = security.request_profile_change(
            request.user, form.cleaned_data, actor=resolve(request.actor)
        )
    except AccountError as exc:
        form.add_error("email", str(exc))
        return render_account(request, 400, profile_form=form, profile_open=True)
    if new_email:
        messages.info(
            request,
            _(
                "We hebben een link gestuurd naar %(email)s. Uw wijzigingen worden opgeslagen "
                "zodra u die opent terwijl u bent ingelogd."
            )
            % {"email": form.cleaned_data["email"]},
        )
    elif changed:
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
    else:
        messages.info(request, _("Er was niets gewijzigd."))
    return redirect("account")


@login_required
@require_http_methods(["GET", "POST"])
def confirm_email(request, token: str):
    """The link sent to a new e-mail address: a page with a button; only the POST applies it,
    and only for the account that asked (so a mailbox alone takes over nothing)."""
    if request.method == "POST":
        try:
            security.confirm_profile_change(request.user, token, actor=resolve(request.actor))
        except AccountError as exc:
            context = {
                "message": str(exc),
                "again_url": reverse("account"),
                "again_label": _("Naar Mijn account"),
            }
            return render(request, "site/join/link_invalid.html", context, status=400)
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        return redirect("account")
    context = {
        "title": _("E-mailadres bevestigen"),
        "text": _("Bevestig dit e-mailadres voor uw account; dan worden uw gegevens opgeslagen."),
    }
    return render(request, "site/join/verify.html", context)


@login_required
@require_POST
def update_notifications(request):
    form = NotificationForm(request.user, request.POST)
    if not form.is_valid():
        return render_account(request, 400, notification_form=form)
    with transaction.atomic():
        before = preferences(request.user)
        set_preferences(request.user, form.cleaned_data)
        changed = {k: v for k, v in form.cleaned_data.items() if before.get(k) != v}
        if changed:
            audit.record(
                "meldingen.voorkeuren",
                actor=resolve(request.actor),
                target=request.user.email,
                details=changed,
            )
    messages.success(request, _("Uw meldingsvoorkeuren zijn opgeslagen."))
    return redirect("account")


@login_required
@require_POST
def create_token(request):
    """Only with 2FA on: a token is a password-less way in."""
    form = TokenForm(request.user, request.POST)
    if not form.is_valid():
        return render_account(request, 400, token_form=form)
    try:
        _token, raw = security.issue_token(
            request.user,
            form.cleaned_data["lidmaatschap"],
            form.cleaned_data["naam"],
            actor=resolve(request.actor),
        )
    except NotAllowed as exc:
        return render_account(request, 403, token_error=str(exc))
    except AccountError as exc:
        form.add_error("naam", str(exc))
        return render_account(request, 400, token_form=form)
    return render_account(request, 201, raw=raw)


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    security.revoke_token(request.user, token, actor=resolve(request.actor))
    messages.success(request, _("Het token “%(naam)s” is ingetrokken.") % {"naam": token.naam})
    return redirect("account")


class SitePasswordChangeForm(SiteForm, PasswordChangeForm):
    pass


@sensitive_post_parameters()
@login_required
def change_password(request):
    """Django's validators; other sessions end (new hash), this one stays."""
    form = SitePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                security.password_changed(user, how="wijziging", actor=resolve(request.actor))
            update_session_auth_hash(request, user)
            messages.success(
                request,
                _("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."),
            )
            return redirect("account")
        return render(request, "site/password/change.html", {"form": form}, status=400)
    return render(request, "site/password/change.html", {"form": form})
