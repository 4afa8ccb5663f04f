"""API routes (NL API Design Rules: no trailing slashes, Dutch plural collections)."""

from django.urls import include, path

from core.api import files, meta, objects, openapi
from core.plugins.manager import pm

# A plugin route under this prefix is a sub-resource of one organisation (core's collection),
# e.g. a landscape; it is mounted beside core's organisation routes, not under `plugins/`.
ORGANISATION_PREFIX = "organisaties/<uuid:uuid>/"


def is_organisation_route(route) -> bool:
    return str(route.pattern).startswith(ORGANISATION_PREFIX)


def plugin_routes(organisation: bool = False):
    """Plugin routes: the organisation sub-resources, or (default) those under `plugins/`."""
    return [
        route
        for result in pm.hook.register_api_routes()
        for route in result or []
        if is_organisation_route(route) == organisation
    ]


urlpatterns = [
    path("openapi.json", openapi.OpenApiView.as_view(), name="openapi"),
    path("organisaties", meta.OrganisationList.as_view()),
    path("organisaties/<uuid:uuid>", meta.OrganisationDetail.as_view()),
    *plugin_routes(organisation=True),
    path("registers", meta.RegisterList.as_view()),
    path("registers/<slug:slug>", meta.RegisterDetail.as_view()),
    path("schemas", meta.SchemaList.as_view()),
    path("schemas/<slug:collection>", meta.SchemaDetail.as_view()),
    path("plugins", meta.PluginList.as_view()),
    path("paginas", meta.PageList.as_view()),
    path("paginas/<int:pk>", meta.PageDetail.as_view()),
    path("taken/<uuid:uuid>", meta.JobDetail.as_view()),
    path("plugins/", include(plugin_routes())),
    path("<slug:collection>", objects.CollectionView.as_view()),
    path("<slug:collection>/import", objects.ImportView.as_view()),
    path("<slug:collection>/<uuid:uuid>", objects.ObjectView.as_view()),
    path("<slug:collection>/<uuid:uuid>/historie", objects.HistoryView.as_view()),
    path("<slug:collection>/<uuid:uuid>/verwijzingen", objects.ReferencesView.as_view()),
    path("<slug:collection>/<uuid:uuid>/overnemen", objects.ClaimView.as_view()),
    path("<slug:collection>/<uuid:uuid>/acties/<slug:slug>", objects.ActionView.as_view()),
    path("<slug:collection>/<uuid:uuid>/bestanden/<str:prop>", files.FileView.as_view()),
]
