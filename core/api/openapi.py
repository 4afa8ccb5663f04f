"""OpenAPI 3.1 document generated at request time from the loaded schemas and plugins.

Each configurable type is its own component with its filters, so a newly loaded
schema is documented without a restart. Linted in CI with the API Design Rules.
"""

from __future__ import annotations

import copy
import re

from django.conf import settings
from django.http import JsonResponse
from django.views import View

from core.plugins.manager import exporters, list_filters, object_actions, pm
from core.register import catalog

VERSION_HEADER = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }


ERRORS = {
    "400": _problem("Ongeldig verzoek, met alle fouten tegelijk"),
    "401": _problem("Niet ingelogd of ongeldig token"),
    "403": _problem("Geen toegang"),
    "404": _problem("Niet gevonden"),
}


def _ok(description: str, schema: dict | None, status: str = "200") -> dict:
    response = {"description": description, "headers": VERSION_HEADER}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return {status: response}


def _pascal(slug: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in slug)
    return "".join(part[:1].upper() + part[1:] for part in cleaned.split())


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


LIST_PARAMS = [
    _query("zoek", "Zoeken in de volledige tekst (Nederlands)"),
    _query("pagina", "Paginanummer, vanaf 1", {"type": "integer", "minimum": 1}),
    _query(
        "paginaGrootte",
        "Aantal per pagina (max. 100)",
        {"type": "integer", "minimum": 1, "maximum": 100},
    ),
    _query("sorteer", "Komma-gescheiden; '-' voor aflopend"),
    _query("uitbreiden", "Relaties om in te sluiten, komma-gescheiden"),
    _query("velden", "Alleen deze velden tonen, komma-gescheiden"),
    _query("facetten", "Facetten met exacte aantallen, komma-gescheiden"),
    _query("publicatiestatus", "Publicatiestatus van het object (concept, gepubliceerd)"),
    _query("eigenaar", "Uuid van de eigenaar-organisatie", {"type": "string", "format": "uuid"}),
]
UUID_PARAM = {
    "name": "uuid",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}


def _data_schema(definition: dict) -> dict:
    schema = copy.deepcopy(definition)
    for key in ("$schema", "$id", "examples", "x-access", "x-version"):
        schema.pop(key, None)
    return schema


def _object_schema(name: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "url": {"type": "string"},
            "schema": {"type": "string"},
            "status": {"type": "string", "enum": ["concept", "gepubliceerd", "gearchiveerd"]},
            "titel": {"type": "string"},
            "eigenaar": {"$ref": "#/components/schemas/OrganisatieSamenvatting"},
            "versie": {"type": "integer"},
            "aangemaakt": {"type": "string", "format": "date-time"},
            "gewijzigd": {"type": "string", "format": "date-time"},
            "data": {"$ref": f"#/components/schemas/{name}"},
        },
    }


def _list_schema(item_ref: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "total": {"type": "integer"},
            "pagina": {"type": "integer"},
            "paginaGrootte": {"type": "integer"},
            "facetten": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FacetWaarde"},
                },
            },
        },
    }


def _write_body(name: str) -> dict:
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "string", "enum": ["concept", "gepubliceerd"]},
                        "data": {"$ref": f"#/components/schemas/{name}"},
                        "eigenaar": {
                            "type": "string",
                            "format": "uuid",
                            "description": "Alleen bij aanmaken: functioneel beheer maakt het "
                            "object voor deze organisatie.",
                        },
                    },
                    "required": ["data"],
                }
            }
        },
    }


def _collection_paths(entry) -> tuple[dict, dict]:
    spec, name = entry.spec, _pascal(entry.schema.slug)
    tag = entry.schema.naam
    filters = [
        _query(p.name, f"Filter op {p.label}")
        for p in spec.properties.values()
        if p.filterable or p.facetable
    ] + [
        _query(f.key, f.description or f.key)
        for f in list_filters().values()
        if f.applies_to(spec) and f.key not in spec.properties
    ]
    formats = ["json", *sorted(exporters())]
    params = [
        *LIST_PARAMS,
        _query("formaat", "Antwoordformaat", {"type": "string", "enum": formats}),
        *filters,
    ]
    base, ref = f"/{spec.collection}", f"#/components/schemas/{name}Object"
    paths = {
        base: {
            "get": {
                "tags": [tag],
                "summary": f"{tag}: lijst",
                "operationId": f"list{name}",
                "parameters": params,
                "responses": {
                    **_ok("Lijst", {"$ref": f"#/components/schemas/{name}Lijst"}),
                    **ERRORS,
                },
            },
            "post": {
                "tags": [tag],
                "summary": f"{tag}: aanmaken",
                "operationId": f"create{name}",
                "requestBody": _write_body(name),
                "responses": {**_ok("Aangemaakt", {"$ref": ref}, "201"), **ERRORS},
            },
        },
        f"{base}/{{uuid}}": {
            "parameters": [UUID_PARAM],
            "get": {
                "tags": [tag],
                "summary": f"{tag}: lezen",
                "operationId": f"read{name}",
                "parameters": LIST_PARAMS[4:6],
                "responses": {**_ok("Object", {"$ref": ref}), **ERRORS},
            },
            "put": {
                "tags": [tag],
                "summary": f"{tag}: vervangen",
                "operationId": f"replace{name}",
                "requestBody": _write_body(name),
                "responses": {
                    **_ok("Gewijzigd", {"$ref": ref}),
                    **ERRORS,
                    "412": _problem("Versie verouderd (If-Match)"),
                },
            },
            "patch": {
                "tags": [tag],
                "summary": f"{tag}: deels wijzigen (JSON merge patch)",
                "operationId": f"patch{name}",
                "requestBody": {
                    "content": {
                        "application/merge-patch+json": {"schema": {"type": "object"}},
                        "application/json": {"schema": {"type": "object"}},
                    }
                },
                "responses": {
                    **_ok("Gewijzigd", {"$ref": ref}),
                    **ERRORS,
                    "412": _problem("Versie verouderd (If-Match)"),
                },
            },
            "delete": {
                "tags": [tag],
                "summary": f"{tag}: archiveren",
                "operationId": f"archive{name}",
                "parameters": [_query("definitief", "true: definitief verwijderen")],
                "responses": {
                    **_ok("Gearchiveerd", None, "204"),
                    **ERRORS,
                    "409": _problem("Nog in gebruik"),
                },
            },
        },
        f"{base}/{{uuid}}/historie": {
            "parameters": [UUID_PARAM],
            "get": {
                "tags": [tag],
                "summary": f"{tag}: historie",
                "operationId": f"history{name}",
                "responses": {**_ok("Historie", {"type": "object"}), **ERRORS},
            },
        },
        f"{base}/{{uuid}}/verwijzingen": {
            "parameters": [UUID_PARAM],
            "get": {
                "tags": [tag],
                "summary": f"{tag}: objecten die hiernaar verwijzen",
                "operationId": f"references{name}",
                "responses": {**_ok("Verwijzingen", {"type": "object"}), **ERRORS},
            },
        },
        f"{base}/{{uuid}}/overnemen": {
            "parameters": [UUID_PARAM],
            "post": {
                "tags": [tag],
                "summary": f"{tag}: overnemen (de eigen organisatie wordt eigenaar)",
                "operationId": f"claim{name}",
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "status": {
                                        "type": "string",
                                        "enum": ["concept", "gepubliceerd"],
                                    },
                                    "eigenaar": {"type": "string", "format": "uuid"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    **_ok("Overgenomen", {"$ref": f"#/components/schemas/{name}Object"}),
                    **ERRORS,
                },
            },
        },
    }
    for action in object_actions().values():
        paths[f"{base}/{{uuid}}/acties/{action.slug}"] = {
            "parameters": [UUID_PARAM],
            "post": {
                "tags": [tag],
                "summary": action.naam,
                "operationId": f"{action.slug}{name}",
                "responses": {**_ok("Resultaat", {"type": "object"}), **ERRORS},
            },
        }
    components = {
        name: _data_schema(entry.version.definition),
        f"{name}Object": _object_schema(name),
        f"{name}Lijst": _list_schema(ref),
    }
    return paths, components


def _static_paths() -> dict:
    def simple(path, summary, op_id, params=None, schema=None, path_params=None):
        operation = {
            "tags": ["Platform"],
            "summary": summary,
            "operationId": op_id,
            "responses": {**_ok(summary, schema or {"type": "object"}), **ERRORS},
        }
        if params:
            operation["parameters"] = params
        item = {"get": operation}
        if path_params:
            item["parameters"] = path_params
        return {path: item}

    org_params = [
        *LIST_PARAMS[:5],
        _query("facetten", "type, status, provincie"),
        _query("type", "Organisatietype"),
        _query("status", "Organisatiestatus"),
        _query("provincie", "Provincie"),
        _query("cbsCode", "CBS-code"),
    ]
    page_params = [*LIST_PARAMS[:3], _query("type", "Paginatype")]
    paths = {}
    paths.update(
        simple(
            "/organisaties",
            "Organisaties",
            "listOrganisaties",
            org_params,
            _list_schema("#/components/schemas/Organisatie"),
        )
    )
    paths.update(
        simple(
            "/organisaties/{uuid}",
            "Organisatie",
            "readOrganisatie",
            None,
            {"$ref": "#/components/schemas/Organisatie"},
            [UUID_PARAM],
        )
    )
    paths.update(simple("/registers", "Registers", "listRegisters"))
    paths.update(
        simple(
            "/registers/{slug}",
            "Register",
            "readRegister",
            path_params=[
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        )
    )
    paths.update(simple("/schemas", "Schema's", "listSchemas"))
    paths.update(
        simple(
            "/schemas/{collectie}",
            "Schema",
            "readSchema",
            path_params=[
                {"name": "collectie", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        )
    )
    paths.update(simple("/plugins", "Geladen plugins", "listPlugins"))
    paths.update(simple("/paginas", "CMS-pagina's", "listPaginas", page_params))
    paths.update(
        simple(
            "/paginas/{id}",
            "CMS-pagina",
            "readPagina",
            path_params=[
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
        )
    )
    paths.update(
        simple("/taken/{uuid}", "Voortgang van een taak", "readTaak", path_params=[UUID_PARAM])
    )
    return paths


STATIC_COMPONENTS = {
    "Problem": {
        "type": "object",
        "required": ["status", "title", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "invalidParams": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "pointer": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                },
            },
        },
    },
    "FacetWaarde": {
        "type": "object",
        "properties": {
            "waarde": {"type": "string"},
            "label": {"type": "string"},
            "aantal": {"type": "integer"},
        },
    },
    "OrganisatieSamenvatting": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "naam": {"type": "string"},
            "type": {"type": "string"},
            "status": {"type": "string"},
        },
    },
    "Organisatie": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "url": {"type": "string"},
            "type": {
                "type": "string",
                "enum": ["Gemeente", "Leverancier", "Samenwerking", "Community", "VNG"],
            },
            "status": {"type": "string", "enum": ["Concept", "Actief", "Inactief", "Samengevoegd"]},
            "naam": {"type": "string"},
            "weergavenaam": {"type": "string"},
            "cbsCode": {"type": ["string", "null"]},
            "provincie": {"type": ["string", "null"]},
            "kvkNummer": {"type": ["string", "null"]},
            "website": {"type": ["string", "null"]},
            "beschrijvingKort": {"type": "string"},
            "beschrijvingLang": {"type": "string"},
            "logo": {"type": ["string", "null"]},
            "heeftActieveBeheerder": {
                "type": "boolean",
                "description": "Of de organisatie een actieve beheerder heeft (nooit wie).",
            },
            "samengevoegdIn": {
                "type": "string",
                "description": "Alleen bij status Samengevoegd: de organisatie waarin zij opging.",
            },
            "deelnemers": {
                "type": "array",
                "description": "Alleen bij één samenwerking of community: wie eraan deelneemt.",
                "items": {"$ref": "#/components/schemas/OrganisatieVerwijzing"},
            },
            "deelnemingen": {
                "type": "array",
                "description": "Alleen bij één organisatie: de samenwerkingen en communities "
                "waaraan zij deelneemt.",
                "items": {"$ref": "#/components/schemas/OrganisatieVerwijzing"},
            },
        },
    },
    "OrganisatieVerwijzing": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "url": {"type": "string"},
            "type": {"type": "string"},
            "weergavenaam": {"type": "string"},
        },
    },
}


def plugin_paths() -> dict:
    """Plugin routes, documented from their views' `openapi` attribute when present."""
    from core.api.urls import is_organisation_route

    paths = {}
    for result in pm.hook.register_api_routes():
        for route in result or []:
            prefix = "/" if is_organisation_route(route) else "/plugins/"
            path = prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(route.pattern))
            view = getattr(route.callback, "view_class", None)
            operation = copy.deepcopy(getattr(view, "openapi", None)) or {
                "summary": (view.__doc__ or route.name or path).strip().splitlines()[0]
            }
            operation.setdefault("tags", ["Plugins"])
            operation.setdefault("operationId", (route.name or path).replace("-", "_"))
            responses = operation.get("responses") or _ok("Antwoord", {"type": "object"})
            for response in responses.values():
                response.setdefault("headers", VERSION_HEADER)
            operation["responses"] = {**responses, **ERRORS}
            params = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in route.pattern.converters
            ]
            methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
            item = {"parameters": params} if params else {}
            methods = methods or ["get"]
            for method in methods:
                suffix = f"_{method}" if len(methods) > 1 else ""
                item[method] = {**operation, "operationId": operation["operationId"] + suffix}
            paths[path] = item
    return paths


def document() -> dict:
    paths = _static_paths()
    components = dict(STATIC_COMPONENTS)
    for entry in catalog.all_entries():
        entry_paths, entry_components = _collection_paths(entry)
        paths.update(entry_paths)
        components.update(entry_components)
    paths.update(plugin_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Softwarecatalogus API",
            "version": settings.API_VERSION,
            "description": "De registers van de Softwarecatalogus (NL API Design Rules).",
            "contact": {
                "name": "VNG Realisatie",
                "email": "softwarecatalogus@vng.nl",
                "url": "https://www.softwarecatalogus.nl",
            },
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "Platform"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "headers": {
                "API-Version": {
                    "description": "Volledige versie van de API",
                    "schema": {"type": "string"},
                }
            },
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
        "security": [{}, {"token": []}],
    }


class OpenApiView(View):
    def get(self, request):
        return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
