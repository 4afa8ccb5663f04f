"""The public organisation page and "Mijn organisatie": profile, documents, deelnemingen.

What may be seen follows `core.api.meta.visible_organisations` (the API's rule), so the site
and the API never disagree; anything else answers 404 with nothing leaked.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.accounts import AccountError, deelnemingen, profile
from core.accounts.roles import BEHEERDER_ROLES, DEELNEMER_TYPES, SAMENWERKING_TYPES, manages
from core.actors import Actor, resolve
from core.api.meta import has_active_beheerder, visible_organisations, with_active_beheerder
from core.constants import OrganisationStatus, OrganisationType
from core.models import Deelneming, Membership, Organisation, OrganisationDocument
from core.plugins.manager import pm
from core.services import NotAllowed
from core.site.forms import SiteForm

# Contact persons of these types are public (#394); of the others only for government users.
PUBLIC_CONTACT_TYPES = (OrganisationType.LEVERANCIER, OrganisationType.COMMUNITY)


# --- who sees what --------------------------------------------------------------------------


def current_actor(request) -> Actor:
    return resolve(request.actor)


def is_member(actor: Actor, org: Organisation) -> bool:
    """Acting for this organisation right now (the actor decides, as everywhere)."""
    return actor.organisation is not None and actor.organisation.pk == org.pk


def sees_private(actor: Actor, org: Organisation) -> bool:
    return is_member(actor, org) or actor.is_functioneel_beheerder


def sees_aanspreekpunten(actor: Actor, org: Organisation) -> bool:
    """Leveranciers' and communities' contacts are public; those of gemeenten, samenwerkingen
    and VNG only for government users and the organisation's own members (#394)."""
    if org.type in PUBLIC_CONTACT_TYPES:
        return True
    return is_member(actor, org) or actor.is_government


def visible_documents(actor: Actor, org: Organisation):
    qs = OrganisationDocument.objects.filter(organisation=org)
    if not sees_private(actor, org):
        qs = qs.filter(openbaar=True)
    return qs.order_by("naam")


def _active_memberships(org: Organisation):
    return (
        Membership.objects.filter(organisation=org, actief=True, user__is_active=True)
        .select_related("user")
        .order_by("user__achternaam", "user__voornaam", "user__email")
    )


def organisation_detail(request, uuid):
    actor = current_actor(request)
    org = (
        with_active_beheerder(visible_organisations(actor))
        .select_related("samengevoegd_in")
        .filter(uuid=uuid)
        .first()
    )
    if org is None:
        raise Http404
    member = is_member(actor, org)
    context = {
        "org": org,
        "is_member": member,
        "has_active_beheerder": has_active_beheerder(org),
        "documents": visible_documents(actor, org),
        "shows_private_documents": sees_private(actor, org),
        "is_samenwerking": org.type in SAMENWERKING_TYPES,
        "merged_into": None,
    }
    if org.samengevoegd_in_id:
        context["merged_into"] = (
            visible_organisations(actor).filter(pk=org.samengevoegd_in_id).first()
        )
    if org.type in SAMENWERKING_TYPES:
        context["deelnemers"] = deelnemingen.deelnemers_of(org, visible_to=actor)
    else:
        context["deelnemingen"] = deelnemingen.deelnemingen_of(org, visible_to=actor)
    if sees_aanspreekpunten(actor, org):
        context["aanspreekpunten"] = _active_memberships(org).filter(is_aanspreekpunt=True)
    if member or actor.is_functioneel_beheerder:
        # Who the beheerders are (1.3): for the organisation itself, never for visitors.
        context["beheerders"] = _active_memberships(org).filter(role__in=BEHEERDER_ROLES)
    context["sections"] = [
        section
        for sections in pm.hook.organisation_sections(organisation=org, actor=actor)
        for section in sections or []
    ]
    return render(request, "site/organisation/detail.html", context)


def organisation_document(request, uuid, doc_uuid):
    """Streams a document; a private one (or one of an invisible organisation) is a 404."""
    actor = current_actor(request)
    org = visible_organisations(actor).filter(uuid=uuid).first()
    if org is None:
        raise Http404
    document = visible_documents(actor, org).filter(uuid=doc_uuid).first()
    if document is None:
        raise Http404
    try:
        handle = document.bestand.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    if not document.openbaar:
        response["Cache-Control"] = "private, no-store"
    return response


# --- Mijn organisatie ---------------------------------------------------------------------


EDITABLE_FORM_FIELDS = tuple(profile.EDITABLE)


class ProfileForm(SiteForm, forms.Form):
    """Lengths and formats are checked by `profile.update_profile`, so every error shows."""

    weergavenaam = forms.CharField(
        label=gettext_lazy("Weergavenaam"),
        required=False,
        help_text=gettext_lazy("De naam in de interface, bijvoorbeeld Den Haag."),
    )
    beschrijving_kort = forms.CharField(
        label=gettext_lazy("Korte beschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 255}),
        help_text=gettext_lazy("Maximaal 255 tekens."),
    )
    beschrijving_lang = forms.CharField(
        label=gettext_lazy("Lange beschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    website = forms.CharField(
        label=gettext_lazy("Website"),
        required=False,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        help_text=gettext_lazy("Bijvoorbeeld https://www.voorbeeld.nl"),
    )
    email = forms.CharField(
        label=gettext_lazy("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    telefoonnummer = forms.CharField(
        label=gettext_lazy("Telefoonnummer"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    kvk_nummer = forms.CharField(
        label=gettext_lazy("KvK-nummer"),
        required=False,
        help_text=gettext_lazy("8 cijfers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=gettext_lazy("PNG, JPEG of WebP, maximaal 1 MB."),
    )
    logo_verwijderen = forms.BooleanField(
        label=gettext_lazy("Huidig logo verwijderen"), required=False
    )

    def __init__(self, org: Organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = set(profile.editable_fields(org))
        for name in EDITABLE_FORM_FIELDS:
            if name not in editable:
                del self.fields[name]
            else:  # the browser helps; the service decides
                self.fields[name].widget.attrs.setdefault("maxlength", profile.EDITABLE[name][0])
        if not org.logo:
            del self.fields["logo_verwijderen"]


class DocumentForm(SiteForm, forms.Form):
    naam = forms.CharField(
        label=gettext_lazy("Naam van het document"),
        max_length=200,
        help_text=gettext_lazy("Bijvoorbeeld ISO 27001-certificaat."),
    )
    bestand = forms.FileField(
        label=gettext_lazy("Bestand"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        help_text=gettext_lazy("PDF, PNG of JPEG."),
    )
    openbaar = forms.TypedChoiceField(
        label=gettext_lazy("Wie mag het document zien?"),
        choices=[
            ("nee", gettext_lazy("Besloten: alleen leden van de organisatie")),
            ("ja", gettext_lazy("Openbaar: iedereen, op de organisatiepagina")),
        ],
        coerce=lambda value: value == "ja",
        initial="nee",
        widget=forms.RadioSelect,
    )

    def __init__(self, org: Organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not profile.may_publish_documents(org):
            del self.fields["openbaar"]


def _manage_context(request, actor: Actor, org: Organisation, **extra) -> dict:
    manager = manages(actor, org)
    context = {
        "org": org,
        "manages": manager,
        "documents": OrganisationDocument.objects.filter(organisation=org).order_by("naam"),
        "may_publish": profile.may_publish_documents(org),
        "is_concept": org.status == OrganisationStatus.CONCEPT,
        "takes_part": org.type in DEELNEMER_TYPES,
        "has_deelnemers": org.type in SAMENWERKING_TYPES,
    }
    if manager:
        context.setdefault("form", ProfileForm(org, initial=_initial(org)))
        context.setdefault("document_form", DocumentForm(org))
    context.update(extra)
    return context


def _initial(org: Organisation) -> dict:
    return {name: getattr(org, name) for name in profile.EDITABLE}


def _no_organisation(request):
    return render(request, "site/organisation/none.html", status=200)


@login_required
def manage(request):
    """GET shows the profile; POST (beheerders) saves it."""
    actor = current_actor(request)
    org = actor.organisation
    if org is None:
        return _no_organisation(request)
    if request.method == "POST":
        if not manages(actor, org):
            raise Http404
        form = ProfileForm(org, request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in profile.EDITABLE}
            try:
                profile.update_profile(
                    org,
                    data,
                    actor=actor,
                    logo=form.cleaned_data.get("logo"),
                    remove_logo=form.cleaned_data.get("logo_verwijderen", False),
                )
            except profile.ProfileError as exc:
                form.add_service_errors(exc.errors)
            except NotAllowed:
                raise Http404 from None
            else:
                messages.success(request, _("De gegevens van de organisatie zijn opgeslagen."))
                return redirect("organisation-manage")
        context = _manage_context(request, actor, org, form=form)
        return render(request, "site/organisation/manage.html", context, status=400)
    return render(request, "site/organisation/manage.html", _manage_context(request, actor, org))


def _managed_org(request) -> tuple[Actor, Organisation]:
    """The active organisation when the actor is its beheerder; anything else is a 404."""
    actor = current_actor(request)
    org = actor.organisation
    if org is None or not manages(actor, org):
        raise Http404
    return actor, org


@login_required
@require_POST
def document_add(request):
    actor, org = _managed_org(request)
    form = DocumentForm(org, request.POST, request.FILES)
    if form.is_valid():
        try:
            profile.add_document(
                org,
                actor=actor,
                naam=form.cleaned_data["naam"],
                upload=form.cleaned_data["bestand"],
                openbaar=form.cleaned_data.get("openbaar", False),
            )
        except profile.ProfileError as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(
                request,
                _("Het document “%(naam)s” is toegevoegd.") % {"naam": form.cleaned_data["naam"]},
            )
            return redirect("organisation-manage")
    context = _manage_context(request, actor, org, document_form=form)
    return render(request, "site/organisation/manage.html", context, status=400)


def _own_document(org: Organisation, doc_uuid) -> OrganisationDocument:
    return get_object_or_404(OrganisationDocument, uuid=doc_uuid, organisation=org)


@login_required
@require_POST
def document_delete(request, doc_uuid):
    actor, org = _managed_org(request)
    document = _own_document(org, doc_uuid)
    profile.delete_document(document, actor=actor)
    messages.success(request, _("Het document “%(naam)s” is verwijderd.") % {"naam": document})
    return redirect("organisation-manage")


@login_required
@require_POST
def document_public(request, doc_uuid):
    actor, org = _managed_org(request)
    document = _own_document(org, doc_uuid)
    openbaar = request.POST.get("openbaar") == "ja"
    try:
        profile.set_document_public(document, openbaar, actor=actor)
    except AccountError as exc:
        context = _manage_context(request, actor, org, error=str(exc))
        return render(request, "site/organisation/manage.html", context, status=400)
    if openbaar:
        messages.success(request, _("“%(naam)s” is nu openbaar.") % {"naam": document})
    else:
        messages.success(request, _("“%(naam)s” is nu besloten.") % {"naam": document})
    return redirect("organisation-manage")


# --- deelnemingen (2.2 / 2.3) -------------------------------------------------------------


class JoinForm(SiteForm, forms.Form):
    samenwerking = forms.ModelChoiceField(
        label=gettext_lazy("Samenwerking of community"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("— kies —"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Kies een actieve samenwerking of community waaraan u nog niet deelneemt."
            ),
            "required": gettext_lazy("Kies een samenwerking of community."),
        },
    )

    def __init__(self, org: Organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["samenwerking"]
        field.queryset = deelnemingen.joinable_samenwerkingen(org)
        field.label_from_instance = lambda o: f"{o.display_name} ({o.get_type_display()})"


def _deelnemingen_context(actor: Actor, org: Organisation, **extra) -> dict:
    manager = manages(actor, org)
    context = {
        "org": org,
        "manages": manager,
        "deelnemingen": deelnemingen.deelnemingen_of(org),
    }
    if manager:
        context["form"] = JoinForm(org)
    context.update(extra)
    return context


@login_required
def deelnemingen_page(request):
    """A gemeente's or leverancier's deelnemingen; its beheerder adds and ends them."""
    actor = current_actor(request)
    org = actor.organisation
    if org is None:
        return _no_organisation(request)
    if org.type not in DEELNEMER_TYPES:
        raise Http404
    if request.method == "POST":
        if not manages(actor, org):
            raise Http404
        form = JoinForm(org, request.POST)
        if form.is_valid():
            samenwerking = form.cleaned_data["samenwerking"]
            try:
                deelnemingen.join(actor=actor, organisation=org, samenwerking=samenwerking)
            except AccountError as exc:
                form.add_service_errors({"samenwerking": str(exc)})
            else:
                messages.success(
                    request,
                    _("%(org)s neemt nu deel aan %(samenwerking)s.")
                    % {"org": org, "samenwerking": samenwerking},
                )
                return redirect("organisation-deelnemingen")
        context = _deelnemingen_context(actor, org, form=form)
        return render(request, "site/organisation/deelnemingen.html", context, status=400)
    context = _deelnemingen_context(actor, org)
    return render(request, "site/organisation/deelnemingen.html", context)


@login_required
@require_POST
def deelneming_leave(request, pk: int):
    actor, org = _managed_org(request)
    deelneming = get_object_or_404(
        Deelneming.objects.select_related("samenwerking", "organisation"), pk=pk, organisation=org
    )
    deelnemingen.leave(deelneming, actor=actor)
    messages.success(
        request,
        _("%(org)s neemt niet meer deel aan %(samenwerking)s.")
        % {"org": org, "samenwerking": deelneming.samenwerking},
    )
    return redirect("organisation-deelnemingen")


@login_required
def deelnemers_page(request):
    """A samenwerking's or community's deelnemers, linking to their organisation pages."""
    actor = current_actor(request)
    org = actor.organisation
    if org is None:
        return _no_organisation(request)
    if org.type not in SAMENWERKING_TYPES:
        raise Http404
    visible = visible_organisations(actor).filter(pk=OuterRef("organisation_id"))
    rows = deelnemingen.deelnemers_of(org).annotate(linkable=Exists(visible))
    context = {"org": org, "deelnemers": rows, "manages": manages(actor, org)}
    return render(request, "site/organisation/deelnemers.html", context)


urlpatterns = [
    path("organisaties/<uuid:uuid>", organisation_detail, name="organisation-detail"),
    path(
        "organisaties/<uuid:uuid>/documenten/<uuid:doc_uuid>",
        organisation_document,
        name="organisation-document",
    ),
    path("mijn-organisatie", manage, name="organisation-manage"),
    path("mijn-organisatie/documenten", document_add, name="organisation-document-add"),
    path(
        "mijn-organisatie/documenten/<uuid:doc_uuid>/verwijderen",
        document_delete,
        name="organisation-document-delete",
    ),
    path(
        "mijn-organisatie/documenten/<uuid:doc_uuid>/openbaar",
        document_public,
        name="organisation-document-public",
    ),
    path("mijn-organisatie/deelnemingen", deelnemingen_page, name="organisation-deelnemingen"),
    path(
        "mijn-organisatie/deelnemingen/<int:pk>/beeindigen",
        deelneming_leave,
        name="organisation-deelneming-leave",
    ),
    path("mijn-organisatie/deelnemers", deelnemers_page, name="organisation-deelnemers"),
]
