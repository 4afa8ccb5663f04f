"""Functioneel beheer of organisations, accounts and memberships in the admin.

The model admins live in `core.admin.modeladmins`; this module holds what they show and
call. Every change goes through a service that checks functioneel beheer itself (the views
only decide which buttons to show), runs in one transaction and writes the audit log.
VNG-raadplegers see the same lists and pages without buttons; their POSTs are refused by
`refuse_readonly_posts` before a view runs.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.functional import cached_property
from django.utils.http import urlsafe_base64_encode
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.views import CreateView, EditView, InspectView, InstanceSpecificView

from core.accounts import AccountError, audit, invitations, mail, merge, organisations
from core.accounts.links import absolute
from core.accounts.roles import (
    BEHEERDER_ROLES,
    require_functioneel_beheer,
    role_label,
    single_line,
)
from core.admin.permissions import admin_actor, decides_beheer
from core.constants import OrganisationStatus
from core.models import (
    AuditEntry,
    Deelneming,
    Invitation,
    Membership,
    Object,
    Organisation,
    TotpDevice,
    User,
)
from core.services import NotAllowed

__all__ = [
    "ORGANISATION_FIELDS",
    "USER_FIELDS",
    "send_password_reset",
    "set_user_active",
    "update_organisation",
    "update_user",
]

Status = OrganisationStatus
ORGANISATION_FIELDS = (
    "naam",
    "weergavenaam",
    "cbs_code",
    "provincie",
    "kvk_nummer",
    "website",
    "email",
    "telefoonnummer",
    "beschrijving_kort",
    "beschrijving_lang",
)
USER_FIELDS = ("voornaam", "tussenvoegsel", "achternaam", "telefoonnummer", "functie")


# --- services ---------------------------------------------------------------------


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(
            message for messages_ in error.message_dict.values() for message in messages_
        )
    return " ".join(error.messages)


@transaction.atomic
def update_organisation(org: Organisation, values: dict, *, actor) -> list[str]:
    """Change an organisation's reference fields (functioneel beheer); returns what changed.

    Type and status are not changed here: status through `organisations.set_status` or a
    merge, type not at all (the roles of its members depend on it).
    """
    require_functioneel_beheer(actor)
    unknown = sorted(set(values) - set(ORGANISATION_FIELDS))
    if unknown:
        raise AccountError("Deze gegevens worden hier niet gewijzigd: " + ", ".join(unknown))
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if org.status == Status.SAMENGEVOEGD:
        raise AccountError(
            f"{org} is samengevoegd in {org.samengevoegd_in}; wijzig die organisatie."
        )
    previous = {name: getattr(org, name) for name in values}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip() if name == "beschrijving_lang" else single_line(value)
        setattr(org, name, value)
    changed = [name for name in values if getattr(org, name) != previous[name]]
    if not changed:
        return []
    if not org.naam:
        raise AccountError("Vul de naam van de organisatie in.")
    if (
        "naam" in changed
        and Organisation.objects.filter(naam__iexact=org.naam, type=org.type)
        .exclude(pk=org.pk)
        .exists()
    ):
        raise AccountError(f"Er bestaat al een {org.type.lower()} met de naam “{org.naam}”.")
    others = [f.name for f in Organisation._meta.fields if f.name not in changed]
    try:
        org.full_clean(exclude=others)
    except ValidationError as exc:
        raise AccountError(_validation_message(exc)) from None
    org.save(update_fields=[*changed, "updated_at"])
    audit.record(
        "organisatie.gewijzigd",
        actor=actor,
        organisation=org,
        target=org.naam,
        details={name: {"van": previous[name], "naar": getattr(org, name)} for name in changed},
    )
    return changed


def _guard_superuser(user: User, actor) -> None:
    """A functioneel beheerder does not change a superuser's account: no escalation sideways."""
    if user.is_superuser and not actor.is_superuser:
        raise NotAllowed("Alleen een superuser wijzigt het account van een superuser.")


@transaction.atomic
def update_user(user: User, values: dict, *, actor) -> list[str]:
    """Name, phone and function of someone's account (functioneel beheer).

    Goes through the account's own profile service, so the contactpersonen that show this
    person follow the change (#352) and the audit log has it.
    """
    from core.accounts import security

    require_functioneel_beheer(actor)
    _guard_superuser(user, actor)
    unknown = sorted(set(values) - set(USER_FIELDS))
    if unknown:
        raise AccountError("Deze gegevens worden hier niet gewijzigd: " + ", ".join(unknown))
    return security.update_profile(user, values, actor=actor)


@transaction.atomic
def set_user_active(user: User, active: bool, *, actor) -> bool:
    """Switch an account on or off; off also ends all its sessions. Returns whether it changed.

    The memberships stay as they are, so switching the account back on restores them.
    """
    require_functioneel_beheer(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return False
    if not active and actor.user is not None and actor.user.pk == user.pk:
        raise AccountError("U kunt uw eigen account niet uitschakelen.")
    _guard_superuser(user, actor)
    user.is_active = active
    fields = ["is_active"]
    if not active:
        user.session_generation += 1
        fields.append("session_generation")
    user.save(update_fields=fields)
    audit.record(
        "account.geactiveerd" if active else "account.gedeactiveerd",
        actor=actor,
        target=user.email,
    )
    return True


def send_password_reset(user: User, *, actor) -> None:
    """Mail the account holder a link to choose a new password (the same link as
    "Wachtwoord vergeten"); nobody in beheer ever sees or sets a password."""
    require_functioneel_beheer(actor)
    if not user.is_active:
        raise AccountError("Dit account is uitgeschakeld; schakel het eerst in.")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = absolute(reverse("password_reset_confirm", args=[uid, token]))
    hours = round(settings.PASSWORD_RESET_TIMEOUT / 3600)
    audit.record("wachtwoord.herstel-verstuurd", actor=actor, target=user.email)
    mail.send("wachtwoord_herstellen", user.email, {"user": user, "link": link, "uren": hours})


# --- shared view pieces -------------------------------------------------------------


class ActorViewMixin:
    """The session's actor, and whether it may change anything here."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.actor = admin_actor(request)

    @cached_property
    def may_change(self) -> bool:
        return decides_beheer(self.request.user)


class ServiceFormMixin(ActorViewMixin):
    """A modeladmin form view whose valid form is handed to a service, never `form.save()`.

    Panels come from the view (create and edit differ); `perform` raises AccountError or
    NotAllowed with a Dutch message, which is shown on the form with nothing changed.
    """

    panels: list = []
    form_class_base = WagtailAdminModelForm

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=self.form_class_base).bind_to_model(
            self.model
        )

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = self.perform(form)
        except (AccountError, NotAllowed) as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return response


def _label(value: bool) -> str:
    return "ja" if value else "nee"


# --- organisations ------------------------------------------------------------------


class OrganisationForm(WagtailAdminModelForm):
    """A CBS-code belongs to one organisation: say which one has it, in plain Dutch."""

    def clean_cbs_code(self):
        code = (self.cleaned_data.get("cbs_code") or "").strip().upper()
        if code:
            other = Organisation.objects.filter(cbs_code__iexact=code)
            if self.instance.pk:
                other = other.exclude(pk=self.instance.pk)
            holder = other.first()
            if holder is not None:
                raise forms.ValidationError(f"CBS-code {code} hoort al bij {holder.naam}.")
        return code


class OrganisationCreateForm(OrganisationForm):
    """The organisation and, optionally, who to invite as its first beheerder (#63)."""

    beheerder_email = forms.EmailField(
        label="E-mailadres eerste beheerder",
        required=False,
        help_text="Krijgt een uitnodiging (72 uur geldig); ook wie al een account heeft, "
        "wordt pas beheerder na het accepteren daarvan.",
    )
    beheerder_voornaam = forms.CharField(label="Voornaam", max_length=100, required=False)
    beheerder_tussenvoegsel = forms.CharField(label="Tussenvoegsel", max_length=30, required=False)
    beheerder_achternaam = forms.CharField(label="Achternaam", max_length=150, required=False)


PROFILE_PANELS = [
    FieldPanel("naam"),
    FieldPanel("weergavenaam"),
    FieldPanel("cbs_code"),
    FieldPanel("provincie"),
    FieldPanel("kvk_nummer"),
    FieldPanel("website"),
    FieldPanel("email"),
    FieldPanel("telefoonnummer"),
    FieldPanel("beschrijving_kort"),
    FieldPanel("beschrijving_lang"),
]


class OrganisationCreateView(ServiceFormMixin, CreateView):
    """1.2: a missing organisation, active at once, with its first beheerder invited."""

    page_title = "Nieuwe organisatie"
    form_class_base = OrganisationCreateForm
    panels = [
        FieldPanel("type"),
        *PROFILE_PANELS,
        MultiFieldPanel(
            [
                FieldPanel("beheerder_email"),
                FieldPanel("beheerder_voornaam"),
                FieldPanel("beheerder_tussenvoegsel"),
                FieldPanel("beheerder_achternaam"),
            ],
            heading="Eerste beheerder (optioneel)",
        ),
    ]

    def perform(self, form):
        data = form.cleaned_data
        org = organisations.create_organisation(
            actor=self.actor,
            naam=data["naam"],
            type=data["type"],
            beheerder_email=data["beheerder_email"],
            beheerder={
                "voornaam": data["beheerder_voornaam"],
                "tussenvoegsel": data["beheerder_tussenvoegsel"],
                "achternaam": data["beheerder_achternaam"],
            },
            **{name: data[name] for name in ORGANISATION_FIELDS if name != "naam"},
        )
        invited = f" Er is een uitnodiging gestuurd naar {data['beheerder_email']}." * bool(
            data["beheerder_email"]
        )
        messages.success(self.request, f"Organisatie {org} is aangemaakt.{invited}")
        return redirect(self.url_helper.get_action_url("inspect", org.pk))


class OrganisationEditView(ServiceFormMixin, EditView):
    """The reference fields; type and status are not edited here."""

    page_title = "Organisatie bewerken"
    form_class_base = OrganisationForm
    panels = PROFILE_PANELS

    def perform(self, form):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        changed = update_organisation(self.instance, values, actor=self.actor)
        if changed:
            messages.success(self.request, f"Organisatie {self.instance.naam} is bijgewerkt.")
        else:
            messages.info(self.request, "Er was niets gewijzigd.")
        return redirect(self.url_helper.get_action_url("inspect", self.instance.pk))


def _active_beheerder(membership: Membership) -> bool:
    return membership.role in BEHEERDER_ROLES and membership.actief and membership.user.is_active


STATUS_BUTTONS = {Status.ACTIEF: "Activeren", Status.INACTIEF: "Deactiveren"}


class OrganisationInspectView(ActorViewMixin, InspectView):
    """The organisation, its people and links, and (for functioneel beheer) its actions.

    A merged organisation still opens, with a notice that leads to where it went.
    """

    template_name = "swc_admin/organisation_inspect.html"

    def get_template_names(self):
        return [self.template_name]

    def get_page_title(self):
        return "Organisatie"

    def get_fields_dict(self):
        org = self.instance
        rows = [
            ("Naam", org.naam),
            ("Weergavenaam", org.weergavenaam),
            ("Type", org.get_type_display()),
            ("Status", org.get_status_display()),
            ("CBS-code", org.cbs_code),
            ("Provincie", org.provincie),
            ("KvK-nummer", org.kvk_nummer),
            ("Website", org.website),
            ("E-mailadres", org.email),
            ("Telefoonnummer", org.telefoonnummer),
            ("Korte beschrijving", org.beschrijving_kort),
            ("UUID", org.uuid),
            ("Aangemaakt", org.created_at),
        ]
        return [{"label": label, "value": value or "—"} for label, value in rows]

    def get_context_data(self, **kwargs):
        org = self.instance
        memberships = (
            Membership.objects.filter(organisation=org)
            .select_related("user")
            .order_by("user__email")
        )
        owned = Object.objects.filter(organisation=org).count()
        actions = []
        if self.may_change and org.status != Status.SAMENGEVOEGD:
            actions = [
                {"status": status, "label": STATUS_BUTTONS[status]}
                for status in organisations.TRANSITIONS.get(org.status, ())
                if status in STATUS_BUTTONS
            ]
        return super().get_context_data(
            may_change=self.may_change,
            merged=org.status == Status.SAMENGEVOEGD,
            merged_into=org.samengevoegd_in,
            merged_url=self.url_helper.get_action_url("inspect", org.samengevoegd_in_id)
            if org.samengevoegd_in_id
            else "",
            merged_from=Organisation.objects.filter(samengevoegd_in=org).order_by("naam"),
            memberships=memberships,
            beheerders=[
                m
                for m in memberships
                if m.role in BEHEERDER_ROLES and m.actief and m.user.is_active
            ],
            deelnemingen=Deelneming.objects.filter(organisation=org).select_related("samenwerking"),
            deelnemers=Deelneming.objects.filter(samenwerking=org).select_related("organisation"),
            open_invitations=Invitation.objects.filter(organisation=org).usable().count(),
            owned=owned,
            status_actions=actions,
            status_url=self.url_helper.get_action_url("status", org.pk),
            merge_url=self.url_helper.get_action_url("samenvoegen", org.pk),
            edit_url=self.url_helper.get_action_url("edit", org.pk),
            audit=AuditEntry.objects.filter(organisation=org)[:10],
            audit_url=reverse("core_auditentry_modeladmin_index") + f"?organisation={org.pk}",
            **kwargs,
        )


class OrganisationStatusView(ActorViewMixin, InstanceSpecificView):
    """Activeren / Deactiveren: POST only, through `organisations.set_status`."""

    def check_action_permitted(self, user):
        return decides_beheer(user)

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        status = request.POST.get("status", "")
        try:
            organisations.set_status(self.instance, status, actor=self.actor)
        except (AccountError, NotAllowed) as exc:
            messages.error(request, str(exc))
        else:
            word = {Status.ACTIEF: "geactiveerd", Status.INACTIEF: "gedeactiveerd"}.get(
                status, f"op status {status} gezet"
            )
            messages.success(request, f"{self.instance} is {word}.")
        return redirect(self.url_helper.get_action_url("inspect", self.instance.pk))


MERGE_CANDIDATES = 200


class OrganisationMergeView(ActorViewMixin, InstanceSpecificView):
    """Samenvoegen: choose the target, see what moves and what blocks, confirm (POST).

    VNG-raadplegers may look at a preview; only functioneel beheer confirms.
    """

    page_title = "Samenvoegen"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)

    def get_page_subtitle(self):
        return str(self.instance)

    def _target(self, raw: str) -> Organisation | None:
        if not raw.isdigit():
            return None
        return Organisation.objects.filter(pk=int(raw)).first()

    def candidates(self, query: str):
        source = self.instance
        qs = (
            Organisation.objects.filter(type=source.type, status__in=merge.TARGET_STATUSES)
            .exclude(pk=source.pk)
            .order_by("naam")
        )
        if query:
            qs = qs.filter(
                Q(naam__icontains=query)
                | Q(weergavenaam__icontains=query)
                | Q(cbs_code__iexact=query)
                | Q(kvk_nummer=query)
            )
        return qs[:MERGE_CANDIDATES]

    def context(self, **kwargs):
        return self.get_context_data(
            inspect_url=self.url_helper.get_action_url("inspect", self.instance.pk),
            merge_url=self.url_helper.get_action_url("samenvoegen", self.instance.pk),
            may_change=self.may_change,
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        target = self._target(request.GET.get("doel", ""))
        if target is None:
            query = request.GET.get("q", "").strip()
            self.template_name = "swc_admin/merge.html"
            return self.render_to_response(
                self.context(query=query, candidates=self.candidates(query))
            )
        self.template_name = "swc_admin/merge_preview.html"
        return self.render_to_response(
            self.context(
                target=target,
                preview=merge.preview(self.instance, target),
                target_url=self.url_helper.get_action_url("inspect", target.pk),
            )
        )

    def post(self, request, *args, **kwargs):
        target = self._target(request.POST.get("doel", ""))
        if target is None:
            raise Http404("Onbekende organisatie")
        try:
            result = merge.merge(self.instance, target, actor=self.actor)
        except (AccountError, NotAllowed) as exc:
            messages.error(request, str(exc))
            return redirect(
                self.url_helper.get_action_url("samenvoegen", self.instance.pk)
                + f"?doel={target.pk}"
            )
        (messages.info if result["already_merged"] else messages.success)(
            request, result["message"]
        )
        self.template_name = "swc_admin/merge_result.html"
        return self.render_to_response(
            self.context(
                target=target,
                result=result,
                counts=result["counts"],
                target_url=self.url_helper.get_action_url("inspect", target.pk),
            )
        )


# --- users --------------------------------------------------------------------------


def with_two_factor(queryset):
    """Annotate `has_2fa` (a confirmed authenticator) in the same query as the list."""
    return queryset.annotate(
        has_2fa=Exists(TotpDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False))
    )


class UserForm(WagtailAdminModelForm):
    wachtwoord_herstel = forms.BooleanField(
        label="Stuur een e-mail om een nieuw wachtwoord te kiezen",
        required=False,
        help_text="De gebruiker krijgt dezelfde link als bij “Wachtwoord vergeten”.",
    )


class UserEditView(ServiceFormMixin, EditView):
    """Names, phone, function and whether the account is on; never a password."""

    page_title = "Gebruiker bewerken"
    form_class_base = UserForm
    panels = [
        *(FieldPanel(name) for name in USER_FIELDS),
        FieldPanel("is_active"),
        FieldPanel("wachtwoord_herstel"),
    ]

    def perform(self, form):
        data = form.cleaned_data
        user = User.objects.get(pk=self.instance.pk)  # the form changed self.instance
        changed = update_user(user, {name: data[name] for name in USER_FIELDS}, actor=self.actor)
        if set_user_active(user, data["is_active"], actor=self.actor):
            changed.append("actief")
        done = []
        if changed:
            done.append(f"{user.email} is bijgewerkt")
        if data["wachtwoord_herstel"]:
            send_password_reset(user, actor=self.actor)
            done.append(f"er gaat een e-mail naar {user.email} om een nieuw wachtwoord te kiezen")
        if done:
            messages.success(self.request, "; ".join(done).capitalize() + ".")
        else:
            messages.info(self.request, "Er was niets gewijzigd.")
        return redirect(self.url_helper.get_action_url("inspect", user.pk))


class UserInspectView(ActorViewMixin, InspectView):
    """The account as beheer may see it: no password hash, no recovery codes."""

    def get_page_title(self):
        return "Gebruiker"

    def get_fields_dict(self):
        user = self.instance
        memberships = (
            Membership.objects.filter(user=user).select_related("organisation").order_by("pk")
        )
        has_2fa = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        rows = [
            ("E-mailadres", user.email),
            ("Naam", user.get_full_name() or "—"),
            ("Telefoonnummer", user.telefoonnummer or "—"),
            ("Functie", user.functie or "—"),
            ("Actief", _label(user.is_active)),
            ("Tweestapsverificatie", "aan" if has_2fa else "uit"),
            ("Superuser", _label(user.is_superuser)),
            ("Toegang tot beheer", _label(user.is_staff)),
            ("Laatst ingelogd", user.last_login or "nooit"),
            ("Account sinds", user.date_joined),
            (
                "Lidmaatschappen",
                "; ".join(
                    f"{m.organisation} ({role_label(m.role)}"
                    + ("" if m.actief else ", uitgeschakeld")
                    + ")"
                    for m in memberships
                )
                or "geen",
            ),
        ]
        return [{"label": label, "value": value} for label, value in rows]


# --- memberships --------------------------------------------------------------------


class MembershipCreateForm(WagtailAdminModelForm):
    email = forms.EmailField(
        label="E-mailadres",
        help_text="Er gaat een uitnodiging (72 uur geldig) naar dit adres. Wie al een account "
        "heeft, wordt pas lid na het accepteren daarvan.",
    )
    voornaam = forms.CharField(label="Voornaam", max_length=100, required=False)
    tussenvoegsel = forms.CharField(label="Tussenvoegsel", max_length=30, required=False)
    achternaam = forms.CharField(label="Achternaam", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            field = self.fields["organisation"]
            field.label = "Organisatie"
            field.queryset = Organisation.objects.exclude(status=Status.SAMENGEVOEGD).order_by(
                "naam"
            )


class MembershipCreateView(ServiceFormMixin, CreateView):
    """Add someone to an organisation in a role of its type, through an invitation."""

    page_title = "Nieuw lidmaatschap"
    form_class_base = MembershipCreateForm
    panels = [
        FieldPanel("email"),
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("voornaam"),
        FieldPanel("tussenvoegsel"),
        FieldPanel("achternaam"),
    ]

    def perform(self, form):
        data = form.cleaned_data
        organisation = data["organisation"]
        result = invitations.invite(
            actor=self.actor,
            organisation=organisation,
            email=data["email"],
            role=data["role"],
            voornaam=data["voornaam"],
            tussenvoegsel=data["tussenvoegsel"],
            achternaam=data["achternaam"],
        )
        role = role_label(data["role"]).lower()
        messages.success(
            self.request,
            f"Er is een uitnodiging gestuurd naar {result.email} om {role} van "
            f"{organisation} te worden.",
        )
        return redirect(self.index_url)


class MembershipEditView(ServiceFormMixin, EditView):
    """Role, active and aanspreekpunt, through the same functions a beheerder uses."""

    page_title = "Lidmaatschap bewerken"
    panels = [FieldPanel("role"), FieldPanel("actief"), FieldPanel("is_aanspreekpunt")]

    def get_page_subtitle(self):
        membership = Membership.objects.select_related("user", "organisation").get(
            pk=self.instance.pk
        )
        return f"{membership.user.email} bij {membership.organisation}"

    def perform(self, form):
        data = form.cleaned_data
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "organisation")
            .get(pk=self.instance.pk)
        )
        changes = []
        if data["role"] != membership.role:
            invitations.change_role(membership, data["role"], actor=self.actor)
            changes.append(f"rol {role_label(data['role']).lower()}")
        if data["actief"] != membership.actief:
            invitations.set_active(membership, data["actief"], actor=self.actor)
            changes.append("ingeschakeld" if data["actief"] else "uitgeschakeld")
        if data["is_aanspreekpunt"] != membership.is_aanspreekpunt:
            invitations.set_aanspreekpunt(membership, data["is_aanspreekpunt"], actor=self.actor)
            changes.append(
                "aanspreekpunt" if data["is_aanspreekpunt"] else "geen aanspreekpunt meer"
            )
        if changes:
            messages.success(
                self.request,
                f"Lidmaatschap van {membership.user.email} bij {membership.organisation}: "
                + ", ".join(changes)
                + ".",
            )
        else:
            messages.info(self.request, "Er was niets gewijzigd.")
        return redirect(self.index_url)


class MembershipInspectView(InspectView):
    def get_page_title(self):
        return "Lidmaatschap"

    def get_fields_dict(self):
        m = self.instance
        rows = [
            ("Gebruiker", m.user.email),
            ("Organisatie", m.organisation),
            ("Type organisatie", m.organisation.get_type_display()),
            ("Rol", role_label(m.role)),
            ("Actief", _label(m.actief)),
            ("Aanspreekpunt", _label(m.is_aanspreekpunt)),
            ("Sinds", m.created_at),
        ]
        return [{"label": label, "value": value} for label, value in rows]


# --- audit log ----------------------------------------------------------------------


class AuditInspectView(InspectView):
    """One entry in full, details as readable JSON; there is nothing to change."""

    def get_page_title(self):
        return "Auditregel"

    def get_fields_dict(self):
        entry = self.instance
        rows = [
            ("Tijdstip", entry.at),
            ("Actie", entry.action),
            ("Gebruiker", entry.user_email or "—"),
            ("Namens", entry.acting_organisation or "—"),
            ("Organisatie", entry.organisation or "—"),
            ("Betreft", entry.target or "—"),
            ("Kanaal", entry.channel or "—"),
            ("Request-id", entry.request_id or "—"),
            ("Details", json.dumps(entry.details, ensure_ascii=False, indent=2, default=str)),
        ]
        return [{"label": label, "value": value} for label, value in rows]
