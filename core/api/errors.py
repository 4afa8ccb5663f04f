"""Errors as application/problem+json (RFC 9457), in Dutch, every validation error at once."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler

from core.register.query import QueryError
from core.register.validation import ValidationFailed
from core.services import Conflict, NotAllowed

PROBLEM = "application/problem+json"
TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet ingelogd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    412: "Versie verouderd",
    413: "Te groot",
    415: "Mediatype niet ondersteund",
    428: "If-Match vereist",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


def problem(status: int, detail: str, errors: list[dict] | None = None, **extra) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
        **extra,
    }
    if errors:
        body["invalidParams"] = errors
    return JsonResponse(
        body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False}
    )


class ProblemError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


DRF_DETAIL = {
    exceptions.ParseError: "De inhoud is geen geldige JSON.",
    exceptions.UnsupportedMediaType: "Gebruik Content-Type application/json.",
    exceptions.NotAuthenticated: "Log in of gebruik een API-token.",
    exceptions.AuthenticationFailed: "Het API-token is ongeldig of ingetrokken.",
    exceptions.MethodNotAllowed: "Deze methode is hier niet toegestaan.",
    exceptions.NotAcceptable: "Dit antwoordformaat wordt niet ondersteund.",
    exceptions.NotFound: "Niet gevonden.",
    exceptions.PermissionDenied: "U heeft geen toegang.",
}


def exception_handler(exc, context):
    if isinstance(exc, ProblemError):
        return problem(exc.status, exc.detail, exc.errors)
    if isinstance(exc, ValidationFailed):
        return problem(
            400,
            "De gegevens zijn niet geldig.",
            [
                {"name": pointer or "/", "pointer": pointer, "reason": message}
                for pointer, message in exc.errors
            ],
        )
    if isinstance(exc, QueryError):
        return problem(
            400,
            "De zoekparameters zijn niet geldig.",
            [{"name": name, "reason": message} for name, message in exc.errors],
        )
    if isinstance(exc, NotAllowed):
        request = context.get("request")
        if request is not None and not request.user.is_authenticated:
            return _unauthenticated("Log in of gebruik een API-token om dit te doen.")
        return problem(403, str(exc))
    if isinstance(exc, Conflict):
        return problem(exc.status, str(exc))
    response = drf_handler(exc, context)
    if response is None:
        return None
    detail = next((m for cls, m in DRF_DETAIL.items() if isinstance(exc, cls)), None)
    detail = detail or "Het verzoek kon niet worden verwerkt."
    if response.status_code == 401:
        return _unauthenticated(detail)
    return problem(response.status_code, detail)


def _unauthenticated(detail: str) -> JsonResponse:
    response = problem(401, detail)
    response["WWW-Authenticate"] = "Token"
    return response
