"""What every landscape page shares: who may look (government organisations with a landscape),
who may write (their gebruik-beheerders), and the landscape's rows, always read through
`visible()` so a page never shows what the API would not."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.plugins.site import Wizard, actor_of, enum_labels, visible
from plugins.catalogus.landscape import landscape_gebruik, landscape_koppelingen  # noqa: F401
from plugins.catalogus.rules import GEBRUIK_DATES, ON_PREMISES  # noqa: F401 (shared here)
from plugins.catalogus.rules import LIFECYCLE_DATES as KOPPELING_DATES  # noqa: F401
from plugins.catalogus.site.menu import changes_landscape, has_landscape

GEBRUIK = "catalogus/gebruik"
MODULE = "catalogus/module"
KOPPELING = "catalogus/koppeling"
DIENSTAFNAME = "catalogus/dienstafname"
CONTRACT = "catalogus/contract"
DOCUMENT = "catalogus/document"


class LoginRequired(Exception):
    """Raised for an anonymous visitor; the view turns it into the login redirect."""


def landscape_actor(request):
    """The actor of a landscape page: anonymous visitors log in first, everyone without a
    landscape (suppliers, VNG) gets a 404, as if the page did not exist."""
    actor = actor_of(request)
    if not actor.is_authenticated:
        raise LoginRequired
    if not has_landscape(actor):
        raise Http404
    return actor


def login_redirect(request):
    return redirect_to_login(request.get_full_path())


def writes(actor) -> bool:
    """Only gebruik-beheerders change a landscape; raadplegers read it."""
    return changes_landscape(actor)


def org_uuid(actor) -> str:
    return str(actor.organisation.uuid)


def in_landscape(schema: str, organisation_uuid: str, actor):
    """Rows of a schema with `afnemer`/`deelnemers` that belong to an organisation's
    landscape: its own, and those a samenwerking shares with it."""
    return visible(schema, actor).filter(
        Q(data__afnemer=organisation_uuid) | Q(data__deelnemers__contains=[organisation_uuid])
    )


def choices(schema: str, name: str) -> list[tuple[str, str]]:
    return list(enum_labels(schema, name).items())


def today() -> date:
    return date.today()


class NoteField(forms.CharField):
    """Interne aantekening: never leaves the own organisation (x-audience)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Interne aantekening"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Alleen leesbaar voor medewerkers van uw eigen organisatie."),
            **kwargs,
        )


CHECKBOXES = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}


def checkboxes() -> forms.CheckboxSelectMultiple:
    """Checkboxes with Utrecht's class (SiteForm dresses only single checkboxes)."""
    return forms.CheckboxSelectMultiple(attrs=dict(CHECKBOXES))


def date_text(value) -> str:
    """An ISO date as the review shows it (dd-mm-jjjj); "—" for none."""
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return "—"


class LandscapeWizard(Wizard):
    """The landscape's wizards: only gebruik-beheerders, and "Annuleren" leads back to
    /mijn-landschap."""

    def allowed(self, actor) -> bool:
        return writes(actor)

    def cancel_url(self, run, actor) -> str:
        return "/mijn-landschap"
