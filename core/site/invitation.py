"""Accepting an invitation (3.3–3.4): the link from the e-mail, used once within 72 hours.

A newcomer sets a password, chooses notification preferences and may go straight on to set
up two-step verification. Someone with an account logs in first and accepts with one button.
A link that no longer works changes nothing and says why.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordMixin
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.accounts import AccountError, invitations, notifications
from core.accounts.links import hash_token
from core.accounts.roles import role_label
from core.actors import SESSION_KEY
from core.models import Invitation, NotificationPreference, User
from core.site.forms import SiteForm

TWO_FACTOR_SETUP = "/mijn-account/tweestapsverificatie"
AFTER_ACCEPT = "/mijn-organisatie"
FREQUENCIES = NotificationPreference.Frequency


class NewAccountForm(SiteForm, SetPasswordMixin, forms.Form):
    """Name (prefilled from the invitation), password twice, preferences, optional 2FA.

    The passwords are Django's (`SetPasswordMixin`): the same fields, comparison and
    validators as the password reset, checked against the new account's name and e-mail.
    """

    error_messages = {"password_mismatch": gettext_lazy("De twee wachtwoorden zijn niet gelijk.")}

    voornaam = forms.CharField(label=gettext_lazy("Voornaam"), max_length=100)
    tussenvoegsel = forms.CharField(
        label=gettext_lazy("Tussenvoegsel"), max_length=30, required=False
    )
    achternaam = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=gettext_lazy("Wachtwoord"), label2=gettext_lazy("Wachtwoord herhalen")
    )
    tweestaps = forms.BooleanField(
        label=gettext_lazy("Tweestapsverificatie nu instellen"),
        required=False,
        help_text=gettext_lazy(
            "Aanbevolen: naast uw wachtwoord vraagt de catalogus dan een code uit een app op "
            "uw telefoon."
        ),
    )

    def __init__(self, invitation: Invitation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["password2"].help_text = ""
        default = notifications.DEFAULT_FREQUENCY
        self.kinds = notifications.kinds()
        for kind, label in self.kinds.items():
            self.fields[f"melding_{kind}"] = forms.ChoiceField(
                label=label,
                choices=FREQUENCIES.choices,
                initial=default,
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        if not self.has_error("password2", "password_mismatch"):
            candidate = User(
                email=self.invitation.email,
                voornaam=cleaned.get("voornaam", ""),
                achternaam=cleaned.get("achternaam", ""),
            )
            self.validate_password_for_user(candidate, "password1")
        return cleaned

    def preference_fields(self):
        return [self[f"melding_{kind}"] for kind in self.kinds]

    def account_fields(self):
        return [self[name] for name in ("voornaam", "tussenvoegsel", "achternaam")]

    def password_fields(self):
        return [self["password1"], self["password2"]]

    def preferences(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"melding_{kind}"] for kind in self.kinds}


def _unusable(request, token: str, reason: str):
    """Unknown link: 400; a link that did exist but was used, revoked or expired: 410."""
    known = Invitation.objects.filter(token_hash=hash_token(token)).exists()
    return render(
        request,
        "site/invitation/invalid.html",
        {"reason": reason},
        status=410 if known else 400,
    )


def _context(invitation: Invitation, **extra) -> dict:
    return {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "role": role_label(invitation.role),
        **extra,
    }


@sensitive_post_parameters("password1", "password2")
@never_cache
def accept(request, token: str):
    invitation, reason = invitations.find(token)
    if invitation is None:
        return _unusable(request, token, reason)
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        return _accept_logged_in(request, invitation, user)
    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = reverse("login") + "?" + urlencode({"next": request.path})
        context = _context(invitation, login_url=login_url)
        return render(request, "site/invitation/login_first.html", context)
    return _new_account(request, invitation)


def _accept_logged_in(request, invitation: Invitation, user: User):
    if user.email.lower() != invitation.email.lower():
        context = _context(invitation, other_user=user)
        status = 403 if request.method == "POST" else 200
        return render(request, "site/invitation/other_account.html", context, status=status)
    if request.method != "POST":
        return render(request, "site/invitation/confirm.html", _context(invitation))
    try:
        invitations.accept(invitation, user=user)
    except AccountError as exc:
        return render(request, "site/invitation/invalid.html", {"reason": str(exc)}, status=410)
    _act_for(request, invitation)
    messages.success(
        request,
        _("U bent nu %(role)s van %(org)s.")
        % {"role": role_label(invitation.role).lower(), "org": invitation.organisation},
    )
    return redirect(AFTER_ACCEPT)


def _act_for(request, invitation: Invitation) -> None:
    """The organisation one was invited to becomes the active one."""
    request.session[SESSION_KEY] = invitation.organisation_id


def _new_account(request, invitation: Invitation):
    initial = {
        "voornaam": invitation.voornaam,
        "tussenvoegsel": invitation.tussenvoegsel,
        "achternaam": invitation.achternaam,
    }
    if request.method != "POST":
        form = NewAccountForm(invitation, initial=initial)
        return render(request, "site/invitation/new_account.html", _context(invitation, form=form))
    form = NewAccountForm(invitation, request.POST, initial=initial)
    if not form.is_valid():
        context = _context(invitation, form=form)
        return render(request, "site/invitation/new_account.html", context, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            user = invitations.accept(invitation, password=data["password1"])
            user.voornaam = data["voornaam"].strip()
            user.tussenvoegsel = data["tussenvoegsel"].strip()
            user.achternaam = data["achternaam"].strip()
            user.save(update_fields=["voornaam", "tussenvoegsel", "achternaam"])
            notifications.set_preferences(user, form.preferences())
    except ValidationError as exc:  # the password, checked again by the service
        form.add_service_errors({"password1": " ".join(exc.messages)})
        context = _context(invitation, form=form)
        return render(request, "site/invitation/new_account.html", context, status=400)
    except AccountError as exc:
        return render(request, "site/invitation/invalid.html", {"reason": str(exc)}, status=410)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    _act_for(request, invitation)
    messages.success(
        request,
        _("Welkom! Uw account is actief en u bent %(role)s van %(org)s.")
        % {"role": role_label(invitation.role).lower(), "org": invitation.organisation},
    )
    return redirect(TWO_FACTOR_SETUP if data["tweestaps"] else AFTER_ACCEPT)


urlpatterns = [
    path("uitnodiging/<str:token>", accept, name="invitation-accept"),
]
