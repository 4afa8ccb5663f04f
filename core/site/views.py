"""Login (password, then the authenticator code), logout, switching organisation, job progress."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from core.accounts import security
from core.actors import SESSION_KEY, acting_memberships
from core.models import Job
from core.site.forms import SiteForm

# Jobs in these states are still changing, so their page follows them.
RUNNING_JOB_STATUSES = (Job.Status.WACHTEND, Job.Status.BEZIG)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LoginForm(SiteForm, AuthenticationForm):
    """One message for a wrong e-mail address or password, so neither leaks which was wrong.

    Five failures for one address within 15 minutes lock it for 15 minutes, whether or not an
    account has that address; the lock message is the same either way.
    """

    error_messages = {
        "invalid_login": gettext_lazy(
            "Het e-mailadres of het wachtwoord is niet juist. Controleer beide en probeer het "
            "opnieuw."
        ),
        "inactive": gettext_lazy("Dit account is niet actief."),
        "locked": gettext_lazy(security.LOCKED_MESSAGE),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label, password.label = _("E-mailadres"), _("Wachtwoord")
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (email and password):
            return super().clean()  # the missing field's own error; nothing is tried
        # Counted before the password is checked, so parallel guesses cannot pass the limit.
        attempt = security.begin_attempt(email, client_ip(self.request))
        if attempt is None:
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            security.attempt_failed(attempt)
            raise
        security.attempt_passed(attempt)
        return cleaned


class LoginView(auth_views.LoginView):
    """Step 1: the password. With 2FA on, only the pending user id goes into the session."""

    template_name = "site/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # Wagtail sends a logged-in user without admin access here too: sending them back
        # would loop, so say what is wrong instead.
        if request.user.is_authenticated:
            target = self.get_success_url()
            if target.startswith("/admin/") and not request.user.has_perm(
                "wagtailadmin.access_admin"
            ):
                messages.error(request, _("U heeft geen toegang tot de beheeromgeving."))
                return redirect("/")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if security.has_two_factor(user):
            self.request.session.cycle_key()
            self.request.session[security.PENDING_SESSION_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "since": timezone.now().timestamp(),
            }
            return redirect("login-2fa")
        response = super().form_valid(form)
        security.clear_failures(user.email)
        return response


class SecondFactorForm(SiteForm, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy(
            "De zes cijfers die uw authenticator-app nu toont, of een van uw herstelcodes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


def pending_login(request):
    """The user who passed the password step in this session, if still recent enough."""
    pending = request.session.get(security.PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None, None
    age = timezone.now().timestamp() - float(pending.get("since", 0))
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or age > security.PENDING_VALID.total_seconds():
        request.session.pop(security.PENDING_SESSION_KEY, None)
        return None, None
    return user, pending


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SecondFactorView(FormView):
    """Step 2: the authenticator code or a recovery code; only then is the user logged in."""

    template_name = "site/login_2fa.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        self.user, self.pending = pending_login(request)
        if self.user is None:
            messages.info(request, _("Log opnieuw in: de inlogpoging is verlopen."))
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request = self.request
        attempt = security.begin_attempt(self.user.email, client_ip(request))
        if attempt is None:
            form.add_error(None, _(security.LOCKED_MESSAGE))
            return self.form_invalid(form)
        how = security.verify_second_factor(self.user, form.cleaned_data["code"])
        if how is None:
            security.attempt_failed(attempt)
            form.add_error(
                "code",
                _(
                    "Deze code is niet juist of al gebruikt. Voer de code in die uw app nu "
                    "toont, of een herstelcode die u nog niet gebruikte."
                ),
            )
            return self.form_invalid(form)
        pending = request.session.pop(security.PENDING_SESSION_KEY)
        login(request, self.user, backend=pending["backend"])
        security.mark_session_verified(request.session, self.user)
        security.clear_failures(self.user.email)
        if how == "herstelcode":
            left = security.unused_recovery_codes(self.user)
            messages.warning(
                request,
                _(
                    "U bent ingelogd met een herstelcode. U heeft nog %(n)s herstelcodes; "
                    "maak nieuwe aan via Mijn account."
                )
                % {"n": left},
            )
        target = pending.get("next") or "/"
        if not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            target = "/"
        return HttpResponseRedirect(target)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
    """Membership is checked now, not when the page was drawn: it may have just ended."""
    if not request.user.is_authenticated:
        return redirect("login")
    try:
        organisation_id = int(request.POST.get("organisatie", ""))
    except ValueError:
        return _refuse(request, _("Ongeldige organisatie."))
    membership = acting_memberships(request.user).filter(organisation_id=organisation_id).first()
    if membership is None:
        if request.session.get(SESSION_KEY) == organisation_id:
            # The session still pointed there: fall back to another membership from now on.
            del request.session[SESSION_KEY]
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
