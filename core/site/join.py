"""Getting in: a leverancier signs up ("Aanmelden"), someone asks access to a gemeente.

Both forms are anonymous and lead to an e-mail with a confirmation link. Opening the link
shows a page with a button: confirming is a POST, so mail scanners that follow links do not
confirm on the requester's behalf.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.accounts import AccountError, access_requests, security, signups
from core.accounts.uploads import KVK_PATTERN, check_logo
from core.actors import resolve
from core.site.forms import SiteForm
from core.site.views import client_ip

# Where samenwerkingen and communities (and anyone stuck) reach VNG Realisatie.
VNG_CONTACT_EMAIL = getattr(settings, "SWC_CONTACT_EMAIL", "softwarecatalogus@vng.nl")
ORGANISATION_TYPES = [
    ("leverancier", _("Leverancier")),
    ("gemeente", _("Gemeente")),
    ("samenwerking", _("Samenwerking")),
    ("community", _("Community")),
]
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-]{6,20}$")


class ContactForm(SiteForm, forms.Form):
    """The contact person's fields, shared by both forms (same labels, same autocomplete)."""

    voornaam = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Vul uw voornaam in.")},
    )
    tussenvoegsel = forms.CharField(
        label=_("Tussenvoegsel"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )
    achternaam = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Vul uw achternaam in.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hier sturen we een link naartoe om uw e-mailadres te bevestigen."),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, bijv. naam@voorbeeld.nl."),
        },
    )
    telefoonnummer = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    CONTACT_FIELDS = ("voornaam", "tussenvoegsel", "achternaam", "email", "telefoonnummer")

    def clean_telefoonnummer(self) -> str:
        value = self.cleaned_data.get("telefoonnummer", "").strip()
        if value and not PHONE_PATTERN.match(value):
            raise forms.ValidationError(_("Vul een geldig telefoonnummer in, bijv. 030 123 45 67."))
        return value

    def contact_fields(self):
        return [self[name] for name in self.CONTACT_FIELDS]


class SignUpForm(ContactForm):
    organisatienaam = forms.CharField(
        label=_("Organisatienaam"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Vul de naam van uw organisatie in.")},
    )
    beschrijving_kort = forms.CharField(
        label=_("Korte beschrijving"),
        max_length=255,
        help_text=_("Wat doet uw organisatie? Hoogstens 255 tekens."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Vul een korte beschrijving in."),
            "max_length": _(
                "De korte beschrijving mag hoogstens %(limit_value)d tekens lang zijn "
                "(nu %(show_value)d)."
            ),
        },
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        assume_scheme="https",
        help_text=_("Bijvoorbeeld https://www.voorbeeld.nl"),
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
        error_messages={
            "required": _("Vul het adres van uw website in."),
            "invalid": _("Vul een geldig webadres in, bijv. https://www.voorbeeld.nl."),
        },
    )
    kvk_nummer = forms.CharField(
        label=_("KvK-nummer"),
        max_length=20,
        required=False,
        help_text=_("8 cijfers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG of WebP, hoogstens 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    akkoord = forms.BooleanField(
        label=_(
            "Ik ga akkoord met de richtlijnen van de Softwarecatalogus en met de opslag van "
            "mijn persoonsgegevens om deze aanmelding te behandelen."
        ),
        error_messages={
            "required": _(
                "Ga akkoord met de richtlijnen en de opslag van uw persoonsgegevens om u aan "
                "te melden."
            )
        },
    )

    ORGANISATION_FIELDS = ("organisatienaam", "beschrijving_kort", "website", "kvk_nummer", "logo")
    field_order = [*ORGANISATION_FIELDS, *ContactForm.CONTACT_FIELDS, "akkoord"]

    def clean_website(self) -> str:
        value = self.cleaned_data.get("website", "")
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise forms.ValidationError(
                _("Vul een geldig webadres in, bijv. https://www.voorbeeld.nl.")
            )
        return value

    def clean_kvk_nummer(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("kvk_nummer", ""))
        if value and not KVK_PATTERN.match(value):
            raise forms.ValidationError(_("Een KvK-nummer bestaat uit 8 cijfers."))
        return value

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            check_logo(upload)
        except AccountError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def submit(self, actor):
        data = self.cleaned_data
        return signups.submit(
            **{name: data[name] for name in self.ORGANISATION_FIELDS + self.CONTACT_FIELDS},
            consent=data["akkoord"],
            actor=actor,
        )

    def organisation_fields(self):
        return [self[name] for name in self.ORGANISATION_FIELDS]


class GemeenteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.weergavenaam and obj.weergavenaam != obj.naam:
            return f"{obj.weergavenaam} ({obj.naam})"
        return obj.naam


class AccessRequestForm(ContactForm):
    functie = forms.CharField(
        label=_("Functie"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    gemeente = GemeenteChoiceField(
        label=_("Gemeente"),
        queryset=None,
        empty_label=_("Kies uw gemeente"),
        error_messages={
            "required": _("Kies de gemeente waarvoor u toegang vraagt."),
            "invalid_choice": _("Kies een gemeente uit de lijst."),
        },
    )
    toelichting = forms.CharField(
        label=_("Toelichting"),
        max_length=2000,
        required=False,
        help_text=_("Bijvoorbeeld uw rol bij het beheer van de applicaties."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = [*ContactForm.CONTACT_FIELDS, "functie", "gemeente", "toelichting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Alphabetical by the name people use ("Den Haag", not "'s-Gravenhage").
        self.fields["gemeente"].queryset = access_requests.gemeenten().order_by(
            Lower(Coalesce(NullIf("weergavenaam", Value("")), "naam"))
        )

    def submit(self, actor):
        data = self.cleaned_data
        return access_requests.submit(
            organisation=data["gemeente"],
            **{name: data[name] for name in self.field_order if name != "gemeente"},
            actor=actor,
        )


def _link_refused(request, message: str, *, again_url: str, again_label: str):
    return render(
        request,
        "site/join/link_invalid.html",
        {"message": message, "again_url": again_url, "again_label": again_label},
        status=400,
    )


def _throttle(form: str, request) -> None:
    if not security.allow_submission(form, client_ip(request)):
        raise AccountError(security.TOO_MANY_SUBMISSIONS)


# --- leverancier sign-up ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request):
    """Choose the organisation type; leveranciers get the form, the others an explanation."""
    if request.method == "POST":
        form = SignUpForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                _throttle("aanmelden", request)
                form.submit(resolve(request.actor))
            except AccountError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("signup-done")
        context = _signup_context(form, "leverancier")
        return render(request, "site/join/signup.html", context, status=400)
    chosen = request.GET.get("type", "").strip().lower()
    if chosen not in dict(ORGANISATION_TYPES):
        chosen = ""
    return render(request, "site/join/signup.html", _signup_context(SignUpForm(), chosen))


def _signup_context(form: SignUpForm, chosen: str) -> dict:
    return {
        "form": form,
        "chosen": chosen,
        "types": ORGANISATION_TYPES,
        "contact_email": VNG_CONTACT_EMAIL,
        "max_beschrijving": 255,
    }


@require_GET
def signup_done(request):
    return render(request, "site/join/signup_done.html", {"hours": _hours(signups.SIGNUP_VALID)})


def _confirm_link(request, token: str, service, *, done: str, again: dict, text):
    """A confirmation link from an e-mail: GET shows a button, only the POST confirms (mail
    scanners follow links); `text(found)` says what is being confirmed."""
    if request.method == "POST":
        try:
            service.verify(token, actor=resolve(request.actor))
        except AccountError as exc:
            return _link_refused(request, str(exc), **again)
        return redirect(done)
    found, reason = service.find(token)
    if found is None:
        return _link_refused(request, reason, **again)
    context = {"title": _("E-mailadres bevestigen"), "text": text(found)}
    return render(request, "site/join/verify.html", context)


@require_http_methods(["GET", "POST"])
def signup_verify(request, token: str):
    return _confirm_link(
        request,
        token,
        signups,
        done="signup-verified",
        again={"again_url": "/aanmelden?type=leverancier", "again_label": _("Opnieuw aanmelden")},
        text=lambda sign_up: (
            _(
                "Bevestig uw e-mailadres om de aanmelding van %(naam)s af te ronden. Daarna "
                "beoordeelt VNG Realisatie uw aanmelding."
            )
            % {"naam": sign_up.organisatienaam}
        ),
    )


@require_GET
def signup_verified(request):
    return render(request, "site/join/signup_verified.html")


# --- access to a gemeente ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def access_request(request):
    """ "Contact opnemen met VNG": ask for access to a gemeente (klantreis 1.4)."""
    if request.method == "POST":
        form = AccessRequestForm(request.POST)
        if form.is_valid():
            try:
                _throttle("toegang-aanvragen", request)
                form.submit(resolve(request.actor))
            except AccountError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("access-request-done")
        return render(request, "site/join/access_request.html", {"form": form}, status=400)
    return render(request, "site/join/access_request.html", {"form": AccessRequestForm()})


@require_GET
def access_request_done(request):
    return render(
        request,
        "site/join/access_request_done.html",
        {"hours": _hours(access_requests.REQUEST_VALID)},
    )


@require_http_methods(["GET", "POST"])
def access_request_verify(request, token: str):
    return _confirm_link(
        request,
        token,
        access_requests,
        done="access-request-verified",
        again={"again_url": "/toegang-aanvragen", "again_label": _("Opnieuw toegang aanvragen")},
        text=lambda access: (
            _(
                "Bevestig uw e-mailadres om uw verzoek om toegang tot %(gemeente)s af te "
                "ronden. Daarna beoordeelt VNG Realisatie uw verzoek."
            )
            % {"gemeente": access.organisation}
        ),
    )


@require_GET
def access_request_verified(request):
    return render(request, "site/join/access_request_verified.html")


def _hours(delta) -> int:
    return int(delta.total_seconds() // 3600)


urlpatterns = [
    path("aanmelden", signup, name="signup"),
    path("aanmelden/verzonden", signup_done, name="signup-done"),
    path("aanmelden/bevestigen/<str:token>", signup_verify, name="signup-verify"),
    path("aanmelden/bevestigd", signup_verified, name="signup-verified"),
    path("toegang-aanvragen", access_request, name="access-request"),
    path("toegang-aanvragen/verzonden", access_request_done, name="access-request-done"),
    path(
        "toegang-aanvragen/bevestigen/<str:token>",
        access_request_verify,
        name="access-request-verify",
    ),
    path("toegang-aanvragen/bevestigd", access_request_verified, name="access-request-verified"),
]
