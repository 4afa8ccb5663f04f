"""`GET /api/v1/organisaties/{uuid}/landschap?formaat=…&<filter>`: a landscape as a file for
scripts, with the overview's filter keys. Mounted as a sub-resource of core's organisations
through `register_api_routes` (a route under `organisaties/<uuid:uuid>/`).

`formaat` is required: the landscape is a bundle of several kinds of objects, which has no
single JSON list representation; the objects themselves are in the register's lists
(`/api/v1/gebruik?afnemer=<uuid>`, `/api/v1/koppelingen`)."""

from __future__ import annotations

from dataclasses import fields

from rest_framework.exceptions import NotAuthenticated
from rest_framework.views import APIView

from core.plugins import bundle_exporters
from core.plugins.api import ProblemError, actor_of
from plugins.catalogus.exports import (
    LANDSCAPE_KINDS,
    ExportRefused,
    UnknownFormat,
    UnknownSheet,
    check_landscape_access,
    find_landscape_organisation,
    landscape_export,
)
from plugins.catalogus.landscape import InvalidFilter, LandscapeFilter
from plugins.catalogus.selection import LANDSCHAP

FILTER_KEYS = tuple(f.name for f in fields(LandscapeFilter))
ALLOWED = {"formaat", "soort", "blad", *FILTER_KEYS}
FILTER_DOCS = {
    "zoek": "Tekst in de naam van de applicatie of de leverancier",
    "status": "Status van het gebruik (herhaalbaar)",
    "hosting": "Hostingvorm (cloudDienstverleningsmodel, herhaalbaar)",
    "leverancier": "Uuid van de leverancier (herhaalbaar)",
    "referentiecomponent": "Uuid van een GEMMA-referentiecomponent (herhaalbaar)",
    "voorziening": "Uuid van een voorziening waarmee gekoppeld is (herhaalbaar)",
    "herkomst": "eigen of samenwerking",
    "sorteer": "naam, -naam, leverancier, -leverancier, status, -status of hosting",
}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": name == "formaat",
        "description": description,
        "schema": schema or {"type": "string"},
    }


class _OpenApi:
    """The operation's documentation, with the formats installed at the time of asking."""

    def __get__(self, instance, owner) -> dict:
        formats = sorted(bundle_exporters(LANDSCHAP))
        return {
            "summary": "Applicatielandschap van een organisatie als bestand",
            "description": (
                "Het landschap van een gemeente of samenwerking (gebruik, koppelingen, "
                "voorzieningen en hun GEMMA-relaties), met dezelfde filters als "
                "/mijn-landschap. Het bestand bevat alleen wat de aanvrager mag zien. "
                "Medewerkers van gemeenten en samenwerkingen en functioneel beheer; "
                "leveranciers en VNG-raadplegers krijgen 403."
            ),
            "operationId": "exportLandschap",
            "tags": ["Organisaties"],
            "parameters": [
                _query(
                    "formaat", "Bestandsformaat (verplicht)", {"type": "string", "enum": formats}
                ),
                _query(
                    "soort",
                    "landschap (standaard) of alleen de koppelingen",
                    {"type": "string", "enum": ["landschap", "koppelingen"]},
                ),
                _query(
                    "blad",
                    "Alleen CSV: welk blad (Applicaties, Koppelingen, Diensten, Contracten);"
                    " standaard Applicaties",
                ),
                *[_query(key, FILTER_DOCS[key]) for key in FILTER_KEYS],
            ],
            "responses": {
                "200": {
                    "description": "Het bestand (Content-Disposition: attachment)",
                    "content": {"application/octet-stream": {"schema": {"type": "string"}}},
                }
            },
        }


class LandscapeExportView(APIView):
    """Applicatielandschap van een organisatie als bestand."""

    openapi = _OpenApi()

    def get(self, request, uuid):
        actor = actor_of(request)
        unknown = sorted(set(request.query_params) - ALLOWED)
        if unknown:
            raise ProblemError(
                400,
                "De zoekparameters zijn niet geldig.",
                [{"name": key, "reason": "Onbekende parameter."} for key in unknown],
            )
        if not actor.is_authenticated:
            raise NotAuthenticated()
        kind = request.query_params.get("soort") or LANDSCHAP
        try:
            organisation = find_landscape_organisation(actor, str(uuid))
            check_landscape_access(actor, organisation)
            flt = LandscapeFilter.from_query(request.query_params)
            export = landscape_export(
                actor,
                organisation,
                request.query_params.get("formaat", ""),
                flt,
                kind,
                request.query_params.get("blad", ""),
            )
        except ExportRefused as exc:
            raise ProblemError(exc.status, str(exc)) from exc
        except InvalidFilter as exc:
            raise ProblemError(
                400, "De zoekparameters zijn niet geldig.", [{"name": exc.key, "reason": str(exc)}]
            ) from exc
        except UnknownFormat as exc:
            name = "formaat" if kind in LANDSCAPE_KINDS else "soort"
            if isinstance(exc, UnknownSheet):
                name = "blad"
            raise ProblemError(400, str(exc), [{"name": name, "reason": str(exc)}]) from exc
        return export.response()
