"""Login step 2, two-factor setup, "log out everywhere", password reset and change.

The routes of 'Mijn account' that change personal data live here too, next to the account
page's own routes in `core.site.urls`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.accounts import AccountError, audit, mail, security, totp
from core.accounts.links import absolute
from core.actors import resolve
from core.services import NotAllowed
from core.site import account, views
from core.site.forms import SiteForm

# The secret being set up lives in the session until the first code confirms it.
SETUP_SESSION_KEY = "tweestaps_nieuw_geheim"


class CodeForm(SiteForm, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit uw app"),
        max_length=12,
        help_text=gettext_lazy("De zes cijfers die uw authenticator-app nu toont."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


def grouped(secret: str) -> str:
    """Easier to type over: groups of four characters."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _setup_context(request, **extra) -> dict:
    user = request.user
    device = security.confirmed_device(user)
    context = {
        "device": device,
        "required": security.requires_two_factor(user),
        "recovery_codes_left": security.unused_recovery_codes(user) if device else 0,
        "form": CodeForm(),
        "disable_form": CodeForm(prefix="uitschakelen"),
    }
    if device is None:
        secret = request.session.get(SETUP_SESSION_KEY)
        if not secret:
            secret = request.session[SETUP_SESSION_KEY] = totp.new_secret()
        uri = totp.provisioning_uri(secret, user.email)
        context.update(
            secret=grouped(secret),
            qr=totp.qr_svg(uri, _("QR-code om de Softwarecatalogus aan uw app toe te voegen")),
        )
    context.update(extra)
    return context


@never_cache
@login_required
def setup(request):
    """Status and setup of the authenticator; the page the middleware sends FB users to."""
    return render(request, "site/security/two_factor.html", _setup_context(request))


@never_cache
@login_required
@require_POST
def confirm(request):
    form = CodeForm(request.POST)
    secret = request.session.get(SETUP_SESSION_KEY)
    if not secret:
        messages.error(request, _("Begin opnieuw: scan de QR-code en voer de code in."))
        return redirect("two-factor-setup")
    if form.is_valid():
        try:
            codes = security.confirm_device(
                request.user, secret, form.cleaned_data["code"], actor=resolve(request.actor)
            )
        except AccountError as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[SETUP_SESSION_KEY]
            security.mark_session_verified(request.session, request.user)
            return render(
                request,
                "site/security/recovery_codes.html",
                {"codes": codes, "new_device": True},
            )
    context = _setup_context(request, form=form)
    return render(request, "site/security/two_factor.html", context, status=400)


@never_cache
@login_required
@require_POST
def regenerate(request):
    try:
        codes = security.regenerate_recovery_codes(request.user, actor=resolve(request.actor))
    except AccountError as exc:
        messages.error(request, str(exc))
        return redirect("two-factor-setup")
    return render(request, "site/security/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def disable(request):
    form = CodeForm(request.POST, prefix="uitschakelen")
    status = 400
    if form.is_valid():
        try:
            security.disable_two_factor(
                request.user, form.cleaned_data["code"], actor=resolve(request.actor)
            )
        except NotAllowed as exc:
            form.add_error("code", str(exc))
            status = 403
        except AccountError as exc:
            form.add_error("code", str(exc))
        else:
            request.session.pop(security.VERIFIED_SESSION_KEY, None)
            messages.success(request, _("Tweestapsverificatie is uitgeschakeld."))
            return redirect("account")
    context = _setup_context(request, disable_form=form)
    return render(request, "site/security/two_factor.html", context, status=status)


@login_required
@require_POST
def logout_everywhere(request):
    """Every session of this user ends, this one included (API tokens stay: revoke those)."""
    security.logout_everywhere(request.user, actor=resolve(request.actor))
    logout(request)
    messages.success(
        request,
        _("U bent op alle apparaten uitgelogd. Log opnieuw in om verder te gaan."),
    )
    return redirect("login")


# --- password reset ---------------------------------------------------------------------


class ResetRequestForm(SiteForm, PasswordResetForm):
    """Django's form, with our Dutch e-mail; it mails only existing active accounts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = _("E-mailadres")
        field.widget.attrs["autocomplete"] = "email"

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        link = absolute(reverse("password_reset_confirm", args=[context["uid"], context["token"]]))
        hours = round(security.password_reset_hours())
        mail.send("wachtwoord_herstellen", user.email, {"user": user, "link": link, "uren": hours})
        audit.record("wachtwoord.herstel-aangevraagd", user=user, target=user.email)


class ResetSetPasswordForm(SiteForm, SetPasswordForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address has an account."""

    template_name = "site/password/reset_form.html"
    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "site/password/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "site/password/reset_confirm.html"
    form_class = ResetSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            security.password_changed(form.user, how="herstel")
        # Proving the mailbox ends a lock-out from password guessing.
        security.clear_failures(form.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "site/password/reset_complete.html"


urlpatterns = [
    path("inloggen/verificatie", views.SecondFactorView.as_view(), name="login-2fa"),
    path("mijn-account/tweestapsverificatie", setup, name="two-factor-setup"),
    path("mijn-account/tweestapsverificatie/bevestigen", confirm, name="two-factor-confirm"),
    path(
        "mijn-account/tweestapsverificatie/herstelcodes",
        regenerate,
        name="two-factor-recovery-codes",
    ),
    path("mijn-account/tweestapsverificatie/uitschakelen", disable, name="two-factor-disable"),
    path("mijn-account/overal-uitloggen", logout_everywhere, name="logout-everywhere"),
    path("mijn-account/gegevens", account.update_profile, name="account-profile"),
    path(
        "mijn-account/e-mailadres-bevestigen/<str:token>",
        account.confirm_email,
        name="account-email-confirm",
    ),
    path("mijn-account/meldingen", account.update_notifications, name="account-notifications"),
    path("mijn-account/wachtwoord", account.change_password, name="password-change"),
    path("wachtwoord-vergeten", PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd",
        PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/gelukt",
        PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>",
        sensitive_post_parameters()(PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
]
