"""A supplier's offer on the site: /mijn-aanbod and its wizards (publish and edit an
application, register and edit a dienst, report a gebruik)."""

from django.urls import path

from plugins.catalogus.site.offer.dienst import DienstEditWizard, DienstWizard
from plugins.catalogus.site.offer.export import export as aanbod_export
from plugins.catalogus.site.offer.gebruik import GebruikWizard
from plugins.catalogus.site.offer.publish import EditWizard, PublishWizard
from plugins.catalogus.site.offer.views import aanbod, archiveren, overnemen

urlpatterns = [
    path("mijn-aanbod", aanbod, name="aanbod"),
    path("mijn-aanbod/export", aanbod_export, name="aanbod-export"),
    *PublishWizard.urls("mijn-aanbod/applicatie-publiceren"),
    *EditWizard.urls("mijn-aanbod/applicaties/<uuid:uuid>/bewerken"),
    path("mijn-aanbod/applicaties/<uuid:uuid>/overnemen", overnemen, name="aanbod-overnemen"),
    *DienstWizard.urls("mijn-aanbod/dienst-registreren"),
    *DienstEditWizard.urls("mijn-aanbod/diensten/<uuid:uuid>/bewerken"),
    *GebruikWizard.urls("mijn-aanbod/gebruik-melden"),
    path("mijn-aanbod/<slug:soort>/<uuid:uuid>/archiveren", archiveren, name="aanbod-archiveren"),
]
