"""The account page: memberships, and API tokens issued there (one membership each, shown once)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.actors import acting_memberships, resolve
from core.models import ApiToken


def account_context(request) -> dict:
    """All memberships, also those of inactive organisations the user cannot act for."""
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__naam"
    )
    actor = resolve(request.actor)
    active_id = actor.organisation.id if actor.organisation else None
    acting_ids = set(acting_memberships(request.user).values_list("organisation_id", flat=True))
    rows = [
        {
            "membership": membership,
            "active": membership.organisation_id == active_id,
            "can_act": membership.organisation_id in acting_ids,
        }
        for membership in memberships
    ]
    return {"rows": rows}


@login_required
def account(request):
    context = {**account_context(request), **token_context(request.user)}
    return render(request, "site/account.html", context)


class TokenForm(forms.Form):
    naam = forms.CharField(
        label=gettext_lazy("Naam van het token"),
        max_length=100,
        help_text=gettext_lazy("Bijvoorbeeld het script of systeem dat het gebruikt."),
    )
    lidmaatschap = forms.ModelChoiceField(
        label=gettext_lazy("Namens"), queryset=None, empty_label=None
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lidmaatschap"]
        field.queryset = acting_memberships(user)
        field.label_from_instance = lambda m: f"{m.organisation.display_name} ({m.role})"


def token_context(user, form=None, raw=None) -> dict:
    tokens = user.swc_tokens.select_related("organisation").order_by("-created_at")
    return {"token_form": form or TokenForm(user), "tokens": tokens, "new_token": raw}


@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.user, request.POST)
    if not form.is_valid():
        context = {**account_context(request), **token_context(request.user, form)}
        return render(request, "site/account.html", context, status=400)
    _token, raw = ApiToken.objects.issue(
        form.cleaned_data["lidmaatschap"], form.cleaned_data["naam"]
    )
    context = {**account_context(request), **token_context(request.user, raw=raw)}
    return render(request, "site/account.html", context, status=201)


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("Het token “%(naam)s” is ingetrokken.") % {"naam": token.naam})
    return redirect("account")
