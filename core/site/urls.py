"""Site routes besides Wagtail's pages (the site shell issue fills these)."""

from django.urls import path

from core.site import views

urlpatterns = [
    path("inloggen", views.LoginView.as_view(), name="login"),
    path("uitloggen", views.LogoutView.as_view(), name="logout"),
    path("organisatie-wisselen", views.switch_organisation, name="switch-organisation"),
]
