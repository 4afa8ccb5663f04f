"""Login, logout and switching the active organisation."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.actors import SESSION_KEY, acting_memberships


class LoginView(auth_views.LoginView):
    template_name = "site/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_POST
def switch_organisation(request):
    if not request.user.is_authenticated:
        return redirect("login")
    try:
        organisation_id = int(request.POST.get("organisatie", ""))
    except ValueError:
        return HttpResponseBadRequest("Ongeldige organisatie.")
    membership = acting_memberships(request.user).filter(organisation_id=organisation_id).first()
    if membership is None:
        return HttpResponseBadRequest("U bent geen actief lid van deze organisatie.")
    request.session[SESSION_KEY] = organisation_id
    messages.success(request, f"U handelt nu namens {membership.organisation}.")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)
