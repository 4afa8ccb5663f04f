"""The example plugin's own API routes, mounted at /api/v1/plugins/voorbeeld/status and
/api/v1/plugins/voorbeeld/bundel (its bundle kind "voorbeeld" in any installed format)."""

from django.apps import apps
from django.http import StreamingHttpResponse
from rest_framework.response import Response
from rest_framework.views import APIView

from core.plugins import bundle_exporters
from core.plugins.api import ProblemError, actor_of
from tests.example_plugin.strategies import BUNDLE_KIND, ProductBundle


class StatusView(APIView):
    """Status van de voorbeeldplugin."""

    openapi = {
        "summary": "Status van de voorbeeldplugin",
        "description": "Laat zien dat een plugin een eigen, gedocumenteerde API-route heeft.",
        "operationId": "voorbeeldpluginStatus",
        "tags": ["Plugins"],
    }

    def get(self, request):
        config = apps.get_app_config("example_plugin")
        return Response({"plugin": config.label, "versie": config.plugin_version, "status": "ok"})


class BundleView(APIView):
    """Alle zichtbare producten als één bestand, in een formaat van een plugin."""

    openapi = {
        "summary": "Producten als bundel",
        "description": "Een plugin maakt de bundel, een formaatplugin schrijft hem.",
        "operationId": "voorbeeldpluginBundel",
        "tags": ["Plugins"],
    }

    def get(self, request):
        formats = bundle_exporters(BUNDLE_KIND)
        exporter = formats.get(request.query_params.get("formaat", ""))
        if exporter is None:
            raise ProblemError(400, "Kies een formaat: " + ", ".join(formats) + ".")
        actor = actor_of(request)
        stream = exporter.export(kind=BUNDLE_KIND, selection=ProductBundle(), actor=actor)
        response = StreamingHttpResponse(stream, content_type=exporter.media_type)
        response["Content-Disposition"] = f'attachment; filename="voorbeeld.{exporter.extension}"'
        return response
