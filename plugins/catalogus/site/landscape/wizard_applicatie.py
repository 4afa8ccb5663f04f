"""4.3 / 4.4 "Een applicatie toevoegen" (#18, #12, #143): find the application (or register a
missing one, for an existing or a new supplier), gebruiksinformatie, referentiecomponenten,
deelnemers (samenwerking only), controleren. Everything is written in `commit`."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.accounts import (
    AccountError,
    deelnemers_of,
    organisation_names,
    register_concept_supplier,
    supplier_exists,
)
from core.plugins.site import (
    DateInput,
    NotAllowed,
    SiteForm,
    Step,
    ValidationFailed,
    create,
    enum_labels,
    is_uuid,
    titles,
    visible,
    visible_organisations,
)
from plugins.catalogus.site.landscape.common import (
    GEBRUIK,
    GEBRUIK_DATES,
    MODULE,
    ON_PREMISES,
    LandscapeWizard,
    NoteField,
    checkboxes,
    choices,
    date_text,
    landscape_gebruik,
    org_uuid,
    today,
)

GEMMA_OVERVIEW = "https://www.gemmaonline.nl/wiki/Overzicht_alle_referentiecomponenten"
RESULTS = 25


def search_modules(actor, text: str):
    """Applications by their name or their supplier's name: published ones and the concepts
    other gemeenten registered (visible() lets government users read those)."""
    rows = visible(MODULE, actor).filter(status__in=["gepubliceerd", "concept"])
    text = (text or "").strip()
    if text:
        suppliers = [
            str(u)
            for u in visible_organisations(actor)
            .filter(Q(naam__icontains=text) | Q(weergavenaam__icontains=text))
            .values_list("uuid", flat=True)[:200]
        ]
        rows = rows.filter(Q(title__icontains=text) | Q(data__aanbieder__in=suppliers))
    return rows.order_by("title", "id")


def existing_gebruik(actor, module_uuid: str):
    """The organisation's own gebruik of this application, if any (for the warning)."""
    found = landscape_gebruik(actor.organisation, actor).filter(data__module=str(module_uuid))
    return found.first()


class ZoekForm(SiteForm, forms.Form):
    applicatie = forms.CharField(label=gettext_lazy("Applicatie"), required=False)
    nieuw = forms.BooleanField(required=False, widget=forms.HiddenInput)
    bevestigd = forms.BooleanField(
        label=gettext_lazy("Ik wil deze applicatie toch nog een keer toevoegen"), required=False
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        if data.get("nieuw"):
            data["applicatie"] = ""
            return data
        chosen = data.get("applicatie")
        found = (
            search_modules(self.actor, "").filter(uuid=chosen).first() if is_uuid(chosen) else None
        )
        if found is None:
            self.add_error("applicatie", _("Kies een applicatie uit de zoekresultaten."))
            return data
        existing = existing_gebruik(self.actor, chosen)
        if existing is not None and not data.get("bevestigd"):
            self.add_error(
                "applicatie",
                _(
                    "Deze applicatie staat al in uw landschap. Bewerk het bestaande gebruik, "
                    "of vink aan dat u hem nog een keer wilt toevoegen."
                ),
            )
        return data


class NieuwForm(SiteForm, forms.Form):
    leverancier = forms.ChoiceField(
        label=gettext_lazy("Selecteren van leverancier"), required=False
    )
    leverancier_naam = forms.CharField(
        label=gettext_lazy("Naam leverancier"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Alleen als de leverancier nog niet in de lijst staat."),
    )
    leverancier_website = forms.URLField(
        label=gettext_lazy("Website leverancier"), required=False, max_length=200
    )
    naam = forms.CharField(label=gettext_lazy("Naam applicatie"), max_length=200)
    website = forms.URLField(label=gettext_lazy("Website applicatie"), required=False)
    beschrijvingKort = forms.CharField(
        label=gettext_lazy("Korte beschrijving"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leverancier"].choices = [("", _("— Kies een leverancier —")), *suppliers]

    def clean(self):
        data = super().clean()
        chosen, naam = data.get("leverancier"), (data.get("leverancier_naam") or "").strip()
        if chosen and naam:
            self.add_error(
                "leverancier_naam",
                _("Kies een leverancier uit de lijst óf vul een nieuwe naam in, niet allebei."),
            )
        elif not chosen and not naam:
            self.add_error(
                "leverancier", _("Kies een leverancier of vul de naam van een nieuwe in.")
            )
        elif naam and supplier_exists(naam):
            self.add_error(
                "leverancier_naam",
                _("Deze leverancier staat al in de catalogus; kies hem in de lijst."),
            )
        return data


class GebruikForm(SiteForm, forms.Form):
    hosting = forms.ChoiceField(label=gettext_lazy("Hosting"), widget=forms.RadioSelect)
    versie = forms.ChoiceField(
        label=gettext_lazy("Versie"),
        required=False,
        help_text=gettext_lazy("Alleen bij on-premises hosting."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), initial="In productie")
    startdatum = forms.DateField(
        label=gettext_lazy("Startdatum status"),
        widget=DateInput(),
        help_text=gettext_lazy("Een datum in het verleden mag ook."),
    )
    interneAantekening = NoteField()

    def __init__(self, *args, hosting=(), versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hosting"].choices = list(hosting)
        self.fields["versie"].choices = [("", _("— Onbekend —")), *versions]
        self.fields["status"].choices = [(s, s) for s in GEBRUIK_DATES]
        if not self.is_bound and not self.initial.get("startdatum"):
            self.initial["startdatum"] = today()
        if not self.initial.get("status"):
            self.initial["status"] = "In productie"
        if len(self.fields["hosting"].choices) == 1 and not self.initial.get("hosting"):
            self.initial["hosting"] = self.fields["hosting"].choices[0][0]

    def clean(self):
        data = super().clean()
        if data.get("hosting") != ON_PREMISES:
            data["versie"] = ""
        return data


class ReferentieForm(SiteForm, forms.Form):
    geselecteerd = forms.MultipleChoiceField(
        label=gettext_lazy("Selecteer referentiecomponenten"),
        required=False,
        widget=checkboxes(),
        help_text=gettext_lazy("De referentiecomponenten die de leverancier opgaf."),
    )
    toevoegen = forms.MultipleChoiceField(
        label=gettext_lazy("Referentiecomponenten toevoegen"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("Andere referentiecomponenten uit GEMMA."),
    )

    def __init__(self, *args, offered=(), others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["geselecteerd"].choices = list(offered)
        self.fields["toevoegen"].choices = list(others)
        if not self.is_bound and "geselecteerd" not in self.initial:
            self.initial["geselecteerd"] = [value for value, _label in offered]


class DeelnemersForm(SiteForm, forms.Form):
    deelnemers = forms.MultipleChoiceField(
        label=gettext_lazy("Deelnemers"),
        required=False,
        widget=checkboxes(),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deelnemers"].choices = list(members)


def deelnemer_choices(actor) -> list[tuple[str, str]]:
    names = organisation_names(deelnemers_of(org_uuid(actor)))
    return sorted(names.items(), key=lambda item: item[1].lower())


def is_samenwerking(run) -> bool:
    return bool(run.context.get("samenwerking"))


def reference_choices(actor) -> list[tuple[str, str]]:
    rows = (
        visible("gemma/referentiecomponent", actor).order_by("title").values_list("uuid", "title")
    )
    return [(str(u), t) for u, t in rows]


class ApplicatieToevoegen(LandscapeWizard):
    key = "applicatie-toevoegen"
    title = gettext_lazy("Een applicatie toevoegen")
    subtitle = gettext_lazy(
        "Vul het formulier in om een applicatie aan uw applicatielandschap toe te voegen."
    )
    submit_label = gettext_lazy("Gebruik registreren")
    success_message = gettext_lazy("Gebruik succesvol geregistreerd!")
    review_info_title = gettext_lazy("Wat gebeurt er met uw gegevens?")
    review_info_text = gettext_lazy(
        "De applicatie wordt aan uw landschap toegevoegd. De gebruiksinformatie is zichtbaar "
        "voor andere gemeenten en samenwerkingen, en de leverancier ziet dat u zijn applicatie "
        "gebruikt. Uw interne aantekening blijft binnen uw eigen organisatie."
    )
    steps = [
        Step(
            key="zoeken",
            title=gettext_lazy("Toevoegen applicatie"),
            form=ZoekForm,
            text=gettext_lazy(
                "Zoek de applicatie op naam van de applicatie of van de leverancier. Staat "
                "hij er niet bij, dan kunt u hem aan de centrale lijst toevoegen."
            ),
            info_title=gettext_lazy("Zoekpagina"),
            info_text=gettext_lazy(
                "U kunt ook op de pagina van een applicatie beginnen, met de knop "
                "“Applicatie toevoegen”."
            ),
            template="catalogus/landscape/wizard_zoeken.html",
        ),
        Step(
            key="nieuw",
            title=gettext_lazy("Een nieuwe applicatie toevoegen"),
            form=NieuwForm,
            text=gettext_lazy(
                "Publiceren applicatie: na het toevoegen is de applicatie zichtbaar voor andere "
                "gemeenten, zodat zij hem niet nogmaals registreren. Hij blijft een concept "
                "tot de leverancier of functioneel beheer hem bevestigt."
            ),
            info_title=gettext_lazy("Applicatie zoeken"),
            info_text=gettext_lazy(
                "Zoek eerst op de zoekpagina, ook onder andere schrijfwijzen, of de applicatie "
                "er al is."
            ),
            applies=lambda run: bool(run.get("zoeken", "nieuw")),
        ),
        Step(
            key="gebruik",
            title=gettext_lazy("Gebruiksinformatie"),
            form=GebruikForm,
            text=gettext_lazy(
                "Kies de hosting en de versie en voeg eventueel een interne aantekening toe."
            ),
            info_title=gettext_lazy("Interne aantekening"),
            info_text=gettext_lazy("Alleen medewerkers van uw eigen organisatie lezen deze."),
        ),
        Step(
            key="referentiecomponenten",
            title=gettext_lazy("Koppel de applicatie aan referentiecomponenten"),
            form=ReferentieForm,
            text=gettext_lazy(
                "Door aan te geven waarvoor u de applicatie gebruikt, delen gemeenten kennis "
                "over hun landschap."
            ),
            info_title=gettext_lazy("Referentiecomponenten"),
            info_text=gettext_lazy(
                "Op GEMMA Online staat een overzicht van alle referentiecomponenten."
            ),
            template="catalogus/landscape/wizard_referentiecomponenten.html",
        ),
        Step(
            key="deelnemers",
            title=gettext_lazy("Deelnemers toevoegen"),
            form=DeelnemersForm,
            text=gettext_lazy(
                "Kies de deelnemende organisaties die deze applicatie via uw samenwerking "
                "gebruiken. Het gebruik verschijnt in het landschap van elke gekozen deelnemer."
            ),
            applies=is_samenwerking,
            template="catalogus/landscape/wizard_deelnemers.html",
        ),
    ]

    def start(self, request, actor, **kwargs):
        context = {"samenwerking": actor.organisation.type == "Samenwerking"}
        data = {}
        chosen = request.GET.get("applicatie", "")
        if chosen:
            if not is_uuid(chosen) or not search_modules(actor, "").filter(uuid=chosen).exists():
                raise Http404
            context["voorkeur"] = chosen
            if existing_gebruik(actor, chosen) is None:  # else step 1 shows the warning
                data["zoeken"] = {"applicatie": chosen, "nieuw": False, "bevestigd": False}
        return context, data

    def module(self, run, actor):
        chosen = run.get("zoeken", "applicatie")
        if not chosen:
            return None
        return visible(MODULE, actor).filter(uuid=chosen).first()

    def form_kwargs(self, step, run, actor) -> dict:
        if step.key == "zoeken":
            return {"actor": actor}
        if step.key == "nieuw":
            suppliers = (
                visible_organisations(actor)
                .filter(type="Leverancier", status="Actief")
                .order_by("naam")
                .values_list("uuid", "naam")
            )
            return {"suppliers": [(str(u), n) for u, n in suppliers]}
        if step.key == "gebruik":
            labels = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
            module = self.module(run, actor)
            offered = (module.data.get("cloudDienstverleningsmodel") if module else None) or []
            hosting = [(v, labels[v]) for v in offered if v in labels] or list(labels.items())
            versions = []
            if module is not None:
                rows = (
                    visible("catalogus/moduleVersie", actor)
                    .filter(data__module=str(module.uuid))
                    .exclude(data__versie="Cloud")
                    .order_by("-created_at")
                    .values_list("uuid", "data__versie")
                )
                versions = [(str(u), v) for u, v in rows]
            return {"hosting": hosting, "versions": versions}
        if step.key == "referentiecomponenten":
            all_refs = reference_choices(actor)
            module = self.module(run, actor)
            offered_uuids = set((module.data.get("referentieComponenten") or []) if module else [])
            offered = [(u, t) for u, t in all_refs if u in offered_uuids]
            others = [(u, t) for u, t in all_refs if u not in offered_uuids]
            return {"offered": offered, "others": others}
        if step.key == "deelnemers":
            return {"members": deelnemer_choices(actor)}
        return {}

    def extra_context(self, step, run, actor, form=None) -> dict:
        if step.key == "zoeken":
            query = run.query.get("q", "")
            posted = form.data.get("applicatie", "") if form is not None and form.is_bound else ""
            chosen = posted or run.get("zoeken", "applicatie") or run.context.get("voorkeur", "")
            if not is_uuid(chosen):
                chosen = ""
            rows = list(search_modules(actor, query)[:RESULTS]) if query else []
            if chosen and all(str(r.uuid) != chosen for r in rows):
                rows = list(visible(MODULE, actor).filter(uuid=chosen)) + rows
            suppliers = organisation_names({r.data.get("aanbieder") for r in rows})
            existing = existing_gebruik(actor, chosen) if chosen else None
            return {
                "query": query,
                "chosen": chosen,
                "existing": existing,
                "results": [
                    {
                        "uuid": str(r.uuid),
                        "naam": r.title,
                        "concept": r.status == "concept",
                        "leverancier": suppliers.get(str(r.data.get("aanbieder") or ""), ""),
                        "samenvatting": r.data.get("beschrijvingKort", ""),
                    }
                    for r in rows
                ],
            }
        if step.key == "referentiecomponenten":
            return {"gemma_overview": GEMMA_OVERVIEW}
        return {}

    def review(self, run, actor):
        steps = {s.key: s for s in self.active_steps(run)}
        sections = []
        if run.get("zoeken", "nieuw"):
            new = run.data.get("nieuw", {})
            supplier = new.get("leverancier_naam") or organisation_names(
                [new.get("leverancier")]
            ).get(new.get("leverancier"), "")
            sections.append(
                (
                    steps["nieuw"],
                    [
                        (_("Leverancier"), supplier or "—"),
                        (_("Naam applicatie"), new.get("naam") or "—"),
                        (_("Website applicatie"), new.get("website") or "—"),
                        (_("Korte beschrijving"), new.get("beschrijvingKort") or "—"),
                    ],
                )
            )
        else:
            module = self.module(run, actor)
            sections.append((steps["zoeken"], [(_("Applicatie"), module.title if module else "—")]))
        info = run.data.get("gebruik", {})
        versions = titles([info.get("versie")], actor)
        hosting = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
        sections.append(
            (
                steps["gebruik"],
                [
                    (_("Hosting"), hosting.get(info.get("hosting"), "—")),
                    (_("Versie"), versions.get(info.get("versie") or "", "—")),
                    (_("Status"), info.get("status") or "—"),
                    (_("Startdatum status"), date_text(info.get("startdatum"))),
                    (_("Interne aantekening"), info.get("interneAantekening") or "—"),
                ],
            )
        )
        refs = run.data.get("referentiecomponenten", {})
        chosen = [*refs.get("geselecteerd", []), *refs.get("toevoegen", [])]
        names = titles(chosen, actor)
        sections.append(
            (
                steps["referentiecomponenten"],
                [
                    (
                        _("Referentiecomponenten"),
                        ", ".join(sorted(names[u] for u in chosen if u in names)) or "—",
                    )
                ],
            )
        )
        if "deelnemers" in steps:
            members = organisation_names(run.get("deelnemers", "deelnemers", []))
            sections.append(
                (
                    steps["deelnemers"],
                    [(_("Deelnemers"), ", ".join(sorted(members.values())) or "—")],
                )
            )
        return sections

    def commit(self, run, actor) -> str:
        module_uuid = run.get("zoeken", "applicatie")
        if run.get("zoeken", "nieuw"):
            module_uuid = self._new_module(run, actor)
        info = run.data["gebruik"]
        refs = run.data.get("referentiecomponenten", {})
        data = {
            "afnemer": org_uuid(actor),
            "module": module_uuid,
            "cloudDienstverleningsmodel": info["hosting"],
            "status": info["status"],
            GEBRUIK_DATES[info["status"]]: info["startdatum"],
        }
        if info.get("versie"):
            data["moduleVersie"] = info["versie"]
        if info.get("interneAantekening"):
            data["interneAantekening"] = info["interneAantekening"]
        chosen = list(dict.fromkeys([*refs.get("geselecteerd", []), *refs.get("toevoegen", [])]))
        if chosen:
            data["gebruiktVoorReferentiecomponenten"] = chosen
        if is_samenwerking(run):
            data["deelnemers"] = run.get("deelnemers", "deelnemers", [])
        create(actor, GEBRUIK, data)
        return "/mijn-landschap"

    def _new_module(self, run, actor) -> str:
        """4.4: a concept application, for an existing supplier or a new concept one."""
        new = run.data["nieuw"]
        supplier = new.get("leverancier")
        if not supplier:
            try:
                supplier = register_concept_supplier(
                    actor, new["leverancier_naam"], new.get("leverancier_website") or ""
                )
            except AccountError as refused:
                raise NotAllowed(str(refused)) from refused
        data = {"naam": new["naam"], "aanbieder": supplier}
        for key in ("website", "beschrijvingKort"):
            if new.get(key):
                data[key] = new[key]
        try:
            module = create(actor, MODULE, data, status="concept")
        except ValidationFailed:
            raise
        return str(module.uuid)


__all__ = ["ApplicatieToevoegen", "choices"]
