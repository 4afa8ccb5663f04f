"""The example plugin's own API route, mounted at /api/v1/plugins/voorbeeld/status."""

from django.apps import apps
from rest_framework.response import Response
from rest_framework.views import APIView


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
