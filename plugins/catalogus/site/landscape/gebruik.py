"""/mijn-landschap/gebruik/<uuid>: one application in the landscape. 4.5 version, status,
hosting, referentiecomponenten and interne aantekening; contactpersoon; contracts (#17);
documents (#41: soort, titel, doelgroep and optionally the file, which can be replaced later;
downloads through /mijn-landschap/documenten/<uuid>/bestand for whoever may read the document);
dienstafnames; and 4.8 remove, after one confirmation that lists what goes with it.

Each form posts `formulier=<name>`; a refused or invalid post re-renders the page with status
400 and saves nothing."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import (
    FILE_EXTENSIONS,
    Conflict,
    DateInput,
    NotAllowed,
    SiteForm,
    ValidationFailed,
    actor_of,
    archive,
    attach_file,
    create,
    enum_labels,
    is_uuid,
    open_file,
    titles,
    update,
    visible,
    visible_data,
    visible_object,
)
from plugins.catalogus.site.landscape.common import (
    CONTRACT,
    DIENSTAFNAME,
    DOCUMENT,
    GEBRUIK,
    GEBRUIK_DATES,
    KOPPELING,
    MODULE,
    ON_PREMISES,
    LoginRequired,
    NoteField,
    choices,
    in_landscape,
    landscape_actor,
    login_redirect,
    org_uuid,
    today,
    writes,
)
from plugins.catalogus.site.landscape.overview import koppeling_rows, module_facts

CONTACTPERSOON = "catalogus/contactpersoon"
DATE = {"widget": DateInput()}


class GebruikEditForm(SiteForm, forms.Form):
    hosting = forms.ChoiceField(label=gettext_lazy("Hosting"), widget=forms.RadioSelect)
    versie = forms.ChoiceField(
        label=gettext_lazy("Versie"),
        required=False,
        help_text=gettext_lazy("Alleen bij on-premises hosting."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    startdatum = forms.DateField(label=gettext_lazy("Startdatum status"), **DATE)
    referentiecomponenten = forms.MultipleChoiceField(
        label=gettext_lazy("Gebruikt voor referentiecomponenten"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    contactpersoon = forms.ChoiceField(label=gettext_lazy("Contactpersoon"), required=False)
    interneAantekening = NoteField()

    def __init__(self, *args, hosting=(), versions=(), references=(), contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hosting"].choices = list(hosting)
        self.fields["versie"].choices = [("", _("— Onbekend —")), *versions]
        self.fields["status"].choices = [(s, s) for s in GEBRUIK_DATES]
        self.fields["referentiecomponenten"].choices = list(references)
        self.fields["contactpersoon"].choices = [("", _("— Geen —")), *contacts]


class ContactForm(SiteForm, forms.Form):
    voornaam = forms.CharField(label=gettext_lazy("Voornaam"), required=False, max_length=100)
    tussenvoegsel = forms.CharField(
        label=gettext_lazy("Tussenvoegsel"), required=False, max_length=20
    )
    achternaam = forms.CharField(label=gettext_lazy("Achternaam"), max_length=100)
    functie = forms.CharField(label=gettext_lazy("Functie"), required=False, max_length=100)
    emailadres = forms.EmailField(label=gettext_lazy("E-mailadres"), required=False)
    telefoonnummer = forms.CharField(
        label=gettext_lazy("Telefoonnummer"), required=False, max_length=30
    )


class ContractForm(SiteForm, forms.Form):
    contractNummer = forms.CharField(label=gettext_lazy("Contractnummer"), max_length=100)
    contractType = forms.ChoiceField(label=gettext_lazy("Soort contract"))
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    startDatum = forms.DateField(label=gettext_lazy("Ingangsdatum"), **DATE)
    eindDatum = forms.DateField(label=gettext_lazy("Einddatum"), required=False, **DATE)
    kosten = forms.DecimalField(
        label=gettext_lazy("Kosten (euro)"), required=False, min_value=0, decimal_places=2
    )
    kostenPeriode = forms.ChoiceField(label=gettext_lazy("Per"), required=False)
    opmerkingen = forms.CharField(
        label=gettext_lazy("Opmerkingen"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contractType"].choices = choices(CONTRACT, "contractType")
        self.fields["status"].choices = choices(CONTRACT, "status")
        self.fields["kostenPeriode"].choices = [("", "—"), *choices(CONTRACT, "kostenPeriode")]

    def clean(self):
        data = super().clean()
        start, end = data.get("startDatum"), data.get("eindDatum")
        if start and end and end < start:
            self.add_error("eindDatum", _("De einddatum ligt vóór de ingangsdatum."))
        return data


def file_field(required: bool) -> forms.FileField:
    """The document's file. The hint names what attach_file takes; attach_file decides (the
    browser's `accept` only helps choosing)."""
    names = [e.upper() for e in FILE_EXTENSIONS]
    size = settings.MAX_UPLOAD_SIZE
    limit = next(
        (f"{size // f} {unit}" for unit, f in (("MB", 1 << 20), ("kB", 1 << 10)) if size >= f),
        f"{size} bytes",
    )
    return forms.FileField(
        label=_("Bestand"),
        required=required,
        allow_empty_file=True,  # attach_file gives the one message for an empty file
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in FILE_EXTENSIONS)}),
        help_text=_("%(types)s of %(last)s, maximaal %(limit)s.")
        % {"types": ", ".join(names[:-1]), "last": names[-1], "limit": limit},
    )


class DocumentForm(SiteForm, forms.Form):
    titel = forms.CharField(label=gettext_lazy("Titel"), max_length=300)
    soort = forms.ChoiceField(label=gettext_lazy("Soort document"))
    doelgroep = forms.ChoiceField(
        label=gettext_lazy("Zichtbaar voor"),
        widget=forms.RadioSelect,
        initial="eigen organisatie",
        help_text=gettext_lazy("Ook het bestand is alleen voor deze groep te downloaden."),
    )
    datum = forms.DateField(label=gettext_lazy("Datum"), required=False, **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = choices(DOCUMENT, "soort")
        self.fields["doelgroep"].choices = choices(DOCUMENT, "doelgroep")
        self.fields["bestand"] = file_field(required=False)


class BestandForm(SiteForm, forms.Form):
    """Add or replace the file of an existing document; prefixed per document."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bestand"] = file_field(required=True)


class AfnameForm(SiteForm, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    interneAantekening = NoteField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, s) for s in GEBRUIK_DATES]


def find_gebruik(actor, uuid):
    """A published gebruik of the actor's landscape (own or shared), or 404."""
    if not is_uuid(uuid):
        raise Http404
    found = in_landscape(GEBRUIK, org_uuid(actor), actor).filter(uuid=uuid, status="gepubliceerd")
    obj = found.select_related("organisation").first()
    if obj is None:
        raise Http404
    return obj


def related(obj, actor) -> dict:
    """What hangs on this gebruik: dienstafnames, their and its contracts, documents, and the
    own koppelingen with its application as A or B. One query per schema."""
    key, module = str(obj.uuid), str(obj.data.get("module"))
    afnames = list(visible(DIENSTAFNAME, actor).filter(data__gebruik=key).order_by("title"))
    contracts = list(
        visible(CONTRACT, actor)
        .filter(Q(data__gebruik=key) | Q(data__dienstafname__in=[str(a.uuid) for a in afnames]))
        .order_by("title")
    )
    documents = list(visible(DOCUMENT, actor).filter(data__gebruik=key).order_by("title"))
    koppelingen = list(
        visible(KOPPELING, actor)
        .filter(organisation_id=actor.organisation.pk)
        .filter(Q(data__moduleA=module) | Q(data__moduleB=module))
        .order_by("title")
    )
    return {
        "afnames": afnames,
        "contracts": contracts,
        "documents": documents,
        "koppelingen": koppelingen,
    }


def edit_kwargs(obj, actor) -> dict:
    labels = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
    module = visible(MODULE, actor).filter(uuid=obj.data.get("module")).first()
    offered = (module.data.get("cloudDienstverleningsmodel") if module else None) or []
    current = obj.data.get("cloudDienstverleningsmodel")
    hosting = [(v, labels[v]) for v in labels if v in offered or v == current] or list(
        labels.items()
    )
    versions = (
        visible("catalogus/moduleVersie", actor)
        .filter(data__module=str(obj.data.get("module")))
        .exclude(data__versie="Cloud")
        .order_by("-created_at")
        .values_list("uuid", "data__versie")
    )
    references = (
        visible("gemma/referentiecomponent", actor).order_by("title").values_list("uuid", "title")
    )
    contacts = (
        visible(CONTACTPERSOON, actor)
        .filter(organisation_id=actor.organisation.pk)
        .order_by("title")
        .values_list("uuid", "title")
    )
    return {
        "hosting": hosting,
        "versions": [(str(u), v) for u, v in versions],
        "references": [(str(u), t) for u, t in references],
        "contacts": [(str(u), t) for u, t in contacts],
    }


def edit_initial(data: dict) -> dict:
    status = data.get("status") or "In productie"
    return {
        "hosting": data.get("cloudDienstverleningsmodel"),
        "versie": data.get("moduleVersie", ""),
        "status": status,
        "startdatum": data.get(GEBRUIK_DATES.get(status, "")) or today(),
        "referentiecomponenten": data.get("gebruiktVoorReferentiecomponenten") or [],
        "contactpersoon": data.get("contactpersoon", ""),
        "interneAantekening": data.get("interneAantekening", ""),
    }


def _patch_from_edit(cleaned: dict, data: dict) -> dict:
    on_premises = cleaned["hosting"] == ON_PREMISES
    patch = {
        "cloudDienstverleningsmodel": cleaned["hosting"],
        "moduleVersie": (cleaned.get("versie") or None) if on_premises else None,
        "status": cleaned["status"],
        GEBRUIK_DATES[cleaned["status"]]: cleaned["startdatum"].isoformat(),
        "gebruiktVoorReferentiecomponenten": cleaned.get("referentiecomponenten") or None,
        "contactpersoon": cleaned.get("contactpersoon") or None,
        "interneAantekening": cleaned.get("interneAantekening") or None,
    }
    return {k: v for k, v in patch.items() if v is not None or k in data}


def _clean_data(cleaned: dict) -> dict:
    """Form values as register data: dates as ISO text, numbers as numbers, no blanks."""
    out = {}
    for key, value in cleaned.items():
        if value in (None, "", []):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "as_tuple"):  # Decimal
            value = float(value)
        out[key] = value
    return out


def gebruik_page(request, uuid):
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    obj = find_gebruik(actor, uuid)
    may_edit = writes(actor) and obj.organisation_id == actor.organisation.pk
    forms_ = {
        "gebruik": GebruikEditForm(initial=edit_initial(obj.data), **edit_kwargs(obj, actor))
        if may_edit
        else None,
        "contract": ContractForm(),
        "document": DocumentForm(),
        "contactpersoon": ContactForm(),
    }
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not may_edit:
            errors = [_("Alleen een gebruik-beheerder van de eigen organisatie wijzigt dit.")]
            status = 403
        else:
            done, errors, bound = _handle(request, actor, obj)
            if done:
                messages.success(request, done)
                return redirect("landschap-gebruik", uuid=obj.uuid)
            if bound is not None:
                forms_[request.POST.get("formulier")] = bound
            status = 400
    return render(
        request,
        "catalogus/landscape/gebruik.html",
        _context(obj, actor, may_edit, forms_, errors),
        status=status,
    )


def _handle(request, actor, obj):
    """Process one posted form: (success message, errors, the bound form to re-render)."""
    which = request.POST.get("formulier")
    found = related(obj, actor)
    try:
        with transaction.atomic():
            if which == "gebruik":
                form = GebruikEditForm(request.POST, **edit_kwargs(obj, actor))
                if not form.is_valid():
                    return None, [], form
                update(actor, obj, _patch_from_edit(form.cleaned_data, obj.data))
                return _("De gebruiksinformatie is opgeslagen."), [], None
            if which == "contactpersoon":
                form = ContactForm(request.POST)
                if not form.is_valid():
                    return None, [], form
                person = create(actor, CONTACTPERSOON, _clean_data(form.cleaned_data))
                update(actor, obj, {"contactpersoon": str(person.uuid)})
                return _("De contactpersoon is toegevoegd."), [], None
            if which == "contract":
                form = ContractForm(request.POST)
                if not form.is_valid():
                    return None, [], form
                create(
                    actor, CONTRACT, {**_clean_data(form.cleaned_data), "gebruik": str(obj.uuid)}
                )
                return _("Het contract is toegevoegd."), [], None
            if which == "document":
                form = DocumentForm(request.POST, request.FILES)
                if not form.is_valid():
                    return None, [], form
                upload = form.cleaned_data.pop("bestand", None)
                data = {**_clean_data(form.cleaned_data), "gebruik": str(obj.uuid)}
                try:
                    with transaction.atomic():  # a refused file: no document either
                        document = create(actor, DOCUMENT, data)
                        if upload:
                            attach_file(actor, document, "bestand", upload)
                except ValidationFailed as failed:
                    return None, [], _with_errors(form, failed)
                return _("Het document is toegevoegd."), [], None
            if which == "document-bestand":
                target = next(
                    (o for o in found["documents"] if str(o.uuid) == request.POST.get("id")), None
                )
                if target is None:
                    raise Http404
                form = BestandForm(request.POST, request.FILES, prefix=f"document-{target.uuid}")
                if not form.is_valid():
                    return None, [], form
                try:
                    attach_file(actor, target, "bestand", form.cleaned_data["bestand"])
                except ValidationFailed as failed:
                    return None, [], _with_errors(form, failed)
                return _("Het bestand is opgeslagen."), [], None
            if which in ("contract-verwijderen", "document-verwijderen", "dienst-verwijderen"):
                pool = {
                    "contract-verwijderen": found["contracts"],
                    "document-verwijderen": found["documents"],
                    "dienst-verwijderen": found["afnames"],
                }[which]
                target = next((o for o in pool if str(o.uuid) == request.POST.get("id")), None)
                if target is None:
                    raise Http404
                if which == "dienst-verwijderen":
                    for contract in found["contracts"]:
                        if contract.data.get("dienstafname") == str(target.uuid):
                            archive(actor, contract)
                archive(actor, target)
                return _("Verwijderd."), [], None
            if which == "dienst":
                target = next(
                    (o for o in found["afnames"] if str(o.uuid) == request.POST.get("id")), None
                )
                if target is None:
                    raise Http404
                form = AfnameForm(request.POST, prefix=f"dienst-{target.uuid}")
                if not form.is_valid():
                    return None, [_("Kies een geldige status voor de dienst.")], None
                patch = {
                    "status": form.cleaned_data["status"],
                    "interneAantekening": form.cleaned_data["interneAantekening"] or None,
                }
                update(actor, target, {k: v for k, v in patch.items() if v or k in target.data})
                return _("De dienst is bijgewerkt."), [], None
    except ValidationFailed as failed:
        return None, [message for _pointer, message in failed.errors], None
    except (NotAllowed, Conflict) as refused:
        return None, [str(refused)], None
    return None, [_("Onbekend formulier.")], None


def _with_errors(form, failed: ValidationFailed):
    """The write path's messages at the form's fields (or at the top of the form), so they
    appear in its error summary."""
    for pointer, message in failed.errors:
        name = pointer.strip("/").split("/")[0]
        form.add_error(name if name in form.fields else None, message)
    return form


def _context(obj, actor, may_edit, forms_, errors) -> dict:
    data = visible_data(obj, actor)
    module = str(data.get("module"))
    facts = module_facts([module], actor).get(module, {})
    found = related(obj, actor)
    names = titles(
        [
            data.get("moduleVersie"),
            data.get("contactpersoon"),
            *(data.get("gebruiktVoorReferentiecomponenten") or []),
            *(a.data.get("dienst") for a in found["afnames"]),
        ],
        actor,
    )
    return {
        "obj": obj,
        "data": data,
        "module": module,
        "facts": facts,
        "versie": names.get(str(data.get("moduleVersie") or ""), ""),
        "contactpersoon": names.get(str(data.get("contactpersoon") or ""), ""),
        "hosting": enum_labels(GEBRUIK, "cloudDienstverleningsmodel").get(
            data.get("cloudDienstverleningsmodel"), ""
        ),
        "dates": [(status, data[key]) for status, key in GEBRUIK_DATES.items() if data.get(key)],
        "referenties": sorted(
            names[r] for r in data.get("gebruiktVoorReferentiecomponenten") or [] if r in names
        ),
        "afnames": [
            {
                "obj": a,
                "data": visible_data(a, actor),
                "dienst": names.get(str(a.data.get("dienst")), _("Onbekende dienst")),
                "form": AfnameForm(
                    prefix=f"dienst-{a.uuid}",
                    initial={
                        "status": a.data.get("status"),
                        "interneAantekening": a.data.get("interneAantekening", ""),
                    },
                ),
            }
            for a in found["afnames"]
        ],
        "contracts": [{"obj": c, "data": visible_data(c, actor)} for c in found["contracts"]],
        "documents": [
            {
                "obj": d,
                "data": visible_data(d, actor),
                "doelgroep": enum_labels(DOCUMENT, "doelgroep").get(
                    d.data.get("doelgroep") or "eigen organisatie", ""
                ),
                "form": _bestand_form(d, forms_.get("document-bestand")) if may_edit else None,
            }
            for d in found["documents"]
        ],
        "koppelingen": koppeling_rows(found["koppelingen"], actor),
        "may_edit": may_edit,
        "forms": forms_,
        "bestand_errors": bool(getattr(forms_.get("document-bestand"), "errors", None)),
        "errors": errors,
        "via": obj.organisation_id != actor.organisation.pk,
    }


def _bestand_form(document, bound):
    """The posted file form again for the document it was for (with its errors), else empty."""
    prefix = f"document-{document.uuid}"
    return bound if bound is not None and bound.prefix == prefix else BestandForm(prefix=prefix)


def document_bestand(request, uuid):
    """Download a document's file, for exactly who may read the document: its organisation,
    and other government organisations when its doelgroep is overheid (never suppliers).
    Not only landscape owners: functioneel beheer reads overheid documents too."""
    actor = actor_of(request)
    if not actor.is_authenticated:
        return login_redirect(request)
    document = visible_object(DOCUMENT, uuid, actor)
    file, filename, content_type = open_file(actor, document, "bestand")
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def gebruik_verwijderen(request, uuid):
    """4.8: archive the gebruik and everything on it, children first, in one transaction."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    obj = find_gebruik(actor, uuid)
    if not (writes(actor) and obj.organisation_id == actor.organisation.pk):
        raise Http404
    found = related(obj, actor)
    errors = []
    if request.method == "POST":
        try:
            with transaction.atomic():
                for contract in found["contracts"]:
                    archive(actor, contract)
                for key in ("documents", "afnames", "koppelingen"):
                    for child in found[key]:
                        archive(actor, child)
                archive(actor, obj)
        except (NotAllowed, Conflict) as refused:
            errors = [str(refused)]
        else:
            messages.success(request, _("De applicatie is uit uw landschap verwijderd."))
            return redirect("landschap")
    module = str(obj.data.get("module"))
    context = {
        "obj": obj,
        "naam": module_facts([module], actor).get(module, {}).get("naam", obj.title),
        "koppelingen": koppeling_rows(found["koppelingen"], actor),
        "afnames": found["afnames"],
        "contracts": found["contracts"],
        "documents": found["documents"],
        "errors": errors,
    }
    return render(
        request,
        "catalogus/landscape/gebruik_verwijderen.html",
        context,
        status=409 if errors else 200,
    )
