"""Headers every API response carries, and problem+json for API paths Django itself 404s."""

from django.conf import settings

from core.api.errors import problem

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000",
    "Referrer-Policy": "same-origin",
}


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code == 404 and "json" not in content_type:
            response = problem(404, "Deze API-route bestaat niet.")
        elif response.status_code == 500 and "json" not in content_type:
            response = problem(500, "Er ging iets mis aan onze kant.")
        response["API-Version"] = settings.API_VERSION
        for header, value in SECURITY_HEADERS.items():
            response.setdefault(header, value)
        if request.path == "/api/v1/openapi.json":
            response["Access-Control-Allow-Origin"] = "*"
        return response
