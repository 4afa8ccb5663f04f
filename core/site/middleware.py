"""Dutch first (the language switch), and the second login step enforced on every page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.accounts import security


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but ignores the browser's Accept-Language: only the chosen language counts."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code


# Reachable without completing 2FA: leaving, files, the language switch.
TWO_FACTOR_EXEMPT = (
    "/uitloggen",
    "/admin/logout/",
    "/inloggen",
    "/static/",
    "/i18n/",
    "/favicon.ico",
)
# Other ways in that would skip our login (and so the second step) are sent to ours.
# The setup, for those who must set up 2FA and have no device yet (with a device, recovery codes
# and switching off need a session that passed the second step).
SETUP_PATHS = (
    "/mijn-account/tweestapsverificatie",
    "/mijn-account/tweestapsverificatie/bevestigen",
)
LOGIN_DETOURS = {"/admin/login/": "login", "/_util/login/": "login"}
PASSWORD_RESET_DETOURS = ("/admin/password_reset/",)


class TwoFactorMiddleware:
    """Enforces the second step for every site and /admin/ page.

    A user with a confirmed authenticator must have passed login step 2 in this session (else
    they are logged out and asked to log in again). Functioneel beheerders and superusers
    without one are sent to the setup page. The API is token-based: an unverified session there
    simply counts as anonymous. Must come after the authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.check(request) or self.get_response(request)

    def check(self, request):
        path = request.path
        if path in LOGIN_DETOURS:
            return redirect_to_login(
                request.GET.get("next") or "/admin/", reverse(LOGIN_DETOURS[path])
            )
        if path.startswith(PASSWORD_RESET_DETOURS):
            return redirect("password_reset")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or path.startswith(TWO_FACTOR_EXEMPT):
            return None
        if security.has_two_factor(user):
            if security.session_verified(request.session, user):
                return None
            if path.startswith("/api/"):
                request.user = AnonymousUser()
                return None
            logout(request)
            messages.info(request, _("Log opnieuw in met uw wachtwoord en uw code."))
            return redirect_to_login(request.get_full_path(), reverse("login"))
        if not security.requires_two_factor(user) or path in SETUP_PATHS:
            return None
        if path.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        return redirect("two-factor-setup")
