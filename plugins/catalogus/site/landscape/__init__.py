"""The landscape of a gemeente or samenwerking (klantreis gemeente 4–6.3): /mijn-landschap,
its wizards (applicatie, koppeling, dienst toevoegen), the gebruik page, and another
organisation's landscape for government users (gluren bij de buren)."""

from django.urls import path

from plugins.catalogus.site.landscape import buren, export, gebruik, overview
from plugins.catalogus.site.landscape.importeren import urlpatterns as import_urls
from plugins.catalogus.site.landscape.plot import urlpatterns as plot_urls
from plugins.catalogus.site.landscape.wizard_applicatie import ApplicatieToevoegen
from plugins.catalogus.site.landscape.wizard_dienst import DienstToevoegen
from plugins.catalogus.site.landscape.wizard_koppeling import KoppelingToevoegen

urlpatterns = [
    path("mijn-landschap", overview.landschap, name="landschap"),
    path("mijn-landschap/filters", overview.bewaarde_filters, name="landschap-filters"),
    path("mijn-landschap/export", export.export, name="landschap-export"),
    path("mijn-landschap/voorstel/<str:uuid>", overview.voorstel, name="landschap-voorstel"),
    path(
        "mijn-landschap/koppelingen/<str:uuid>/verwijderen",
        overview.koppeling_verwijderen,
        name="landschap-koppeling-verwijderen",
    ),
    path("mijn-landschap/gebruik/<str:uuid>", gebruik.gebruik_page, name="landschap-gebruik"),
    path(
        "mijn-landschap/gebruik/<str:uuid>/verwijderen",
        gebruik.gebruik_verwijderen,
        name="landschap-gebruik-verwijderen",
    ),
    path(
        "mijn-landschap/documenten/<str:uuid>/bestand",
        gebruik.document_bestand,
        name="landschap-document-bestand",
    ),
    *ApplicatieToevoegen.urls("mijn-landschap/applicatie-toevoegen"),
    *KoppelingToevoegen.urls("mijn-landschap/koppeling-toevoegen"),
    *DienstToevoegen.urls("mijn-landschap/dienst-toevoegen"),
    *plot_urls,
    *import_urls,
    path("organisaties/<str:uuid>/landschap", buren.buren, name="landschap-buren"),
]
