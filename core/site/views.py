"""Login, logout, switching the active organisation, the account page and job progress."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.actors import SESSION_KEY, acting_memberships
from core.models import Job

# Jobs in these states are still changing, so their page follows them.
RUNNING_JOB_STATUSES = (Job.Status.WACHTEND, Job.Status.BEZIG)


class LoginForm(AuthenticationForm):
    """One message for a wrong e-mail address or password, so neither leaks which was wrong."""

    error_messages = {
        "invalid_login": gettext_lazy(
            "Het e-mailadres of het wachtwoord is niet juist. Controleer beide en probeer het "
            "opnieuw."
        ),
        "inactive": gettext_lazy("Dit account is niet actief."),
    }


class LoginView(auth_views.LoginView):
    template_name = "site/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); confirms the logout on the next page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("U bent uitgelogd."))
        return response


def _refuse(request, message: str):
    """A 400 inside the site shell, so the user keeps their navigation."""
    return render(request, "400.html", {"message": message}, status=400)


@require_POST
def switch_organisation(request):
    if not request.user.is_authenticated:
        return redirect("login")
    try:
        organisation_id = int(request.POST.get("organisatie", ""))
    except ValueError:
        return _refuse(request, _("Ongeldige organisatie."))
    membership = acting_memberships(request.user).filter(organisation_id=organisation_id).first()
    if membership is None:
        return _refuse(request, _("U bent geen actief lid van deze organisatie."))
    request.session[SESSION_KEY] = organisation_id
    messages.success(
        request,
        _("U handelt nu namens %(organisation)s.") % {"organisation": membership.organisation},
    )
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


@login_required
def job_detail(request, job_uuid):
    """Progress of one background job; other users get a 404, not a hint that it exists."""
    job = get_object_or_404(Job, uuid=job_uuid, user=request.user)
    running = job.status in RUNNING_JOB_STATUSES
    return render(request, "site/job.html", {"job": job, "running": running})
