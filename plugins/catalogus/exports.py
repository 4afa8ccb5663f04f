"""The export entry points' shared code: which selection a kind reads, who may export what,
the file name, and the streamed response. Used by the site buttons (`/mijn-landschap/export`,
`/mijn-aanbod/export`), the API (`/api/v1/organisaties/{uuid}/landschap`) and
`manage.py export_landschap`; the formats themselves are plugins (`bundle_exporters`).

Who may export a landscape (a gemeente's or samenwerking's):
- functioneel beheer: any landscape;
- government users (any role of an active gemeente or samenwerking): their own, and another
  one only as `visible()` shows it to them (published gebruik, never the other's interne
  aantekening; as on "gluren bij de buren");
- nobody else: suppliers and communities never get a landscape, VNG-raadplegers see landscape
  data only as aggregates. They are refused (403), not shown an empty file.
An offer is exported by the aanbod-beheerders of the publishing organisation only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.plugins import bundle_exporters
from core.plugins.site import is_uuid, visible_organisations
from plugins.catalogus.landscape import LandscapeFilter
from plugins.catalogus.selection import (
    AANBOD,
    KOPPELINGEN,
    LANDSCHAP,
    LandscapeSelection,
    OfferSelection,
)
from plugins.catalogus.site.menu import LANDSCAPE_TYPES, has_offer

LANDSCAPE_KINDS = (LANDSCHAP, KOPPELINGEN)


class ExportRefused(Exception):
    """The actor gets no such file: `status` 404 (no such landscape) or 403 (not for them).
    The message is Dutch."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


class UnknownFormat(ValueError):
    """`formaat` is missing or not installed for the kind; the message lists the formats."""


class UnknownSheet(UnknownFormat):
    """A one-table format (CSV) was asked for a `blad` the kind does not have."""


def export_links(kind: str, query: str = "") -> list[dict]:
    """One download link per installed format of ``kind``: {"naam", "url", "slug"}.

    ``query`` is the landscape filter as a querystring (``LandscapeFilter.querystring()``);
    an offer export takes no filter."""
    links = []
    for slug, exporter in bundle_exporters(kind).items():
        if kind == AANBOD:
            url = "/mijn-aanbod/export?" + urlencode({"formaat": slug})
        else:
            url = "/mijn-landschap/export?" + urlencode({"formaat": slug, "soort": kind})
            if query:
                url += "&" + query.lstrip("?&")
        links.append({"naam": exporter.naam, "url": url, "slug": slug})
        if slug == "csv":  # a one-table format: one more link per other table it offers
            for table in getattr(exporter, "tables", {}).get(kind, ()):
                naam = f"{exporter.naam} ({table.lower()})"
                table_url = f"{url}&{urlencode({'blad': table})}"
                links.append({"naam": naam, "url": table_url, "slug": slug})
    return links


def choose_exporter(kind: str, formaat: str):
    """The installed exporter for ``formaat``; UnknownFormat names the ones there are."""
    found = bundle_exporters(kind)
    if formaat in found:
        return found[formaat]
    known = ", ".join(found) or _("geen (er is geen exportplugin geïnstalleerd)")
    if not formaat:
        raise UnknownFormat(_("Kies een formaat: %(known)s.") % {"known": known})
    raise UnknownFormat(
        _("Onbekend formaat '%(formaat)s'; kies uit: %(known)s.")
        % {"formaat": formaat, "known": known}
    )


def find_landscape_organisation(actor, uuid):
    """The organisation behind ``uuid`` as the actor may see it, or ExportRefused(404)."""
    found = visible_organisations(actor).filter(uuid=uuid).first() if is_uuid(uuid) else None
    if found is None:
        raise ExportRefused(_("Organisatie niet gevonden."), 404)
    return found


def check_landscape_access(actor, organisation) -> None:
    """Raises ExportRefused unless the actor may export this organisation's landscape (see
    the module docstring for who may)."""
    if organisation.type not in LANDSCAPE_TYPES:
        raise ExportRefused(
            _("%(org)s heeft geen applicatielandschap.") % {"org": organisation.display_name},
            404,
        )
    if not actor.is_authenticated and not actor.is_functioneel_beheerder:
        raise ExportRefused(_("Log in om een landschap te exporteren."), 401)
    if not actor.is_government:
        raise ExportRefused(
            _(
                "Alleen medewerkers van gemeenten en samenwerkingen en functioneel beheer "
                "exporteren een applicatielandschap."
            )
        )


@dataclass(frozen=True)
class Export:
    """One file to write: the exporter, what it reads, for whom, and its name."""

    exporter: Any
    kind: str
    selection: Any
    actor: Any
    filename: str
    started: Any = None

    def chunks(self) -> Iterator[bytes]:
        return self.started

    def response(self) -> StreamingHttpResponse:
        response = StreamingHttpResponse(self.chunks(), content_type=self.exporter.media_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


def filename(kind: str, organisation, exporter) -> str:
    """`landschap-utrecht-2026-01-13.xml`: kind, organisation and today's date."""
    name = slugify(organisation.display_name) or str(organisation.uuid)
    return f"{kind}-{name}-{timezone.localdate().isoformat()}.{exporter.extension}"


def landscape_export(
    actor,
    organisation,
    formaat: str,
    flt: LandscapeFilter | None = None,
    kind: str = LANDSCHAP,
    blad: str = "",
) -> Export:
    """A landscape (or its koppelingen) export; checks access first, then the format."""
    if kind not in LANDSCAPE_KINDS:
        raise UnknownFormat(
            _("Soort is 'landschap' of 'koppelingen', niet '%(kind)s'.") % {"kind": kind}
        )
    check_landscape_access(actor, organisation)
    exporter = choose_exporter(kind, formaat)
    selection = LandscapeSelection(organisation, flt or LandscapeFilter(), blad)
    name = filename(kind, organisation, exporter)
    return _checked(Export(exporter, kind, selection, actor, name))


def offer_export(actor, formaat: str, blad: str = "") -> Export:
    """The actor's own organisation's offer; only its aanbod-beheerders export it."""
    if not has_offer(actor):
        raise ExportRefused(
            _(
                "Alleen aanbodbeheerders van een leverancier, community of samenwerking "
                "exporteren een aanbod."
            )
        )
    exporter = choose_exporter(AANBOD, formaat)
    organisation = actor.organisation
    selection = OfferSelection(organisation, blad)
    name = filename(AANBOD, organisation, exporter)
    return _checked(Export(exporter, AANBOD, selection, actor, name))


def _checked(export: Export) -> Export:
    """Start the export once, so what a format refuses up front (an unknown `blad`) is an
    UnknownFormat here, before any response has begun; the chunks themselves stay lazy."""
    return replace(
        export,
        started=export.exporter.export(
            kind=export.kind, selection=export.selection, actor=export.actor
        ),
    )
