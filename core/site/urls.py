"""Site routes besides Wagtail's pages."""

from django.urls import include, path

from core.plugins.manager import pm
from core.site import account, invitation, join, organisation, security, users, views

urlpatterns = [
    path("inloggen", views.LoginView.as_view(), name="login"),
    path("uitloggen", views.LogoutView.as_view(), name="logout"),
    path("organisatie-wisselen", views.switch_organisation, name="switch-organisation"),
    path("mijn-account", account.account, name="account"),
    path("mijn-account/tokens", account.create_token, name="token-create"),
    path("mijn-account/tokens/<int:token_id>/intrekken", account.revoke_token, name="token-revoke"),
    path("taken/<uuid:job_uuid>", views.job_detail, name="job-detail"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Account journeys (issue 4): each module lists its own routes.
    path("", include(join.urlpatterns)),
    path("", include(security.urlpatterns)),
    path("", include(organisation.urlpatterns)),
    path("", include(users.urlpatterns)),
    path("", include(invitation.urlpatterns)),
    # Plugins' pages (the catalogue: search, detail pages, landscape, offer), before Wagtail.
    path("", include([route for routes in pm.hook.register_site_urls() for route in routes or []])),
]
