"""Every catalogue page of the site, gathered for the `register_site_urls` hook."""

from plugins.catalogus.site import compare, detail, landscape, offer, search

urlpatterns = [
    *search.urlpatterns,
    *compare.urlpatterns,
    *detail.urlpatterns,
    *landscape.urlpatterns,
    *offer.urlpatterns,
]
