"""4.6 / 4.7 "Een koppeling toevoegen" (#56, #55): pick a supplier's koppeling template of the
landscape's applications, or define one (A from the landscape, richting, B an application or
a buitengemeentelijke voorziening such as DigiD); gebruiksinformatie with standaardversies;
deelnemers (samenwerking only); controleren. One write in `commit`."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.accounts import organisation_names
from core.plugins.site import (
    DateInput,
    SiteForm,
    Step,
    create,
    enum_labels,
    is_uuid,
    titles,
    visible,
)
from plugins.catalogus.site.landscape.common import (
    KOPPELING,
    KOPPELING_DATES,
    LandscapeWizard,
    NoteField,
    checkboxes,
    choices,
    date_text,
    landscape_gebruik,
    today,
)
from plugins.catalogus.site.landscape.wizard_applicatie import (
    DeelnemersForm,
    deelnemer_choices,
    is_samenwerking,
)

VOORZIENING = "gemma/voorziening"
COMPLIANCY = "catalogus/compliancy"
TEMPLATE_FIELDS = (
    "moduleA",
    "moduleB",
    "buitengemeentelijkVoorziening",
    "gegevensuitwisselingRichting",
    "type",
    "standaardversies",
    "beschrijvingKort",
    "beschrijvingLang",
    "gerealiseerdMetIntermediairModule",
)


def landscape_modules(actor) -> dict[str, str]:
    """uuid → name of the applications in the organisation's landscape."""
    modules = {
        str(u)
        for u in landscape_gebruik(actor.organisation, actor).values_list("data__module", flat=True)
    }
    return dict(sorted(titles(modules, actor).items(), key=lambda item: item[1].lower()))


def templates_for(actor, modules) -> list:
    """Published koppelingen of suppliers (templates) with an application of the landscape."""
    wanted = list(modules)
    return list(
        visible(KOPPELING, actor)
        .filter(status="gepubliceerd", organisation__type__in=["Leverancier", "Community"])
        .filter(Q(data__moduleA__in=wanted) | Q(data__moduleB__in=wanted))
        .order_by("title", "id")
    )


class SjabloonForm(SiteForm, forms.Form):
    sjabloon = forms.ChoiceField(
        label=gettext_lazy("Bestaande koppelingen"), required=False, widget=forms.RadioSelect
    )
    nieuw = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sjabloon"].choices = list(templates)

    def clean(self):
        data = super().clean()
        if data.get("nieuw"):
            data["sjabloon"] = ""
        elif not data.get("sjabloon"):
            self.add_error(
                "sjabloon",
                _("Kies een koppeling, of kies “Ik kan de gewenste koppeling niet vinden”."),
            )
        return data


class DefinitieForm(SiteForm, forms.Form):
    moduleA = forms.ChoiceField(label=gettext_lazy("Applicatie A"))
    richting = forms.ChoiceField(
        label=gettext_lazy("Richting"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies de richting van de koppeling.")},
    )
    b = forms.ChoiceField(label=gettext_lazy("Applicatie B of buitengemeentelijke voorziening"))
    naam = forms.CharField(
        label=gettext_lazy("Naam"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Leeg laten geeft “<Applicatie A> <pijl> <Applicatie B>”."),
    )
    type = forms.ChoiceField(label=gettext_lazy("Transportprotocol"), required=False)
    beschrijvingKort = forms.CharField(
        label=gettext_lazy("Korte beschrijving"), required=False, max_length=255
    )

    def __init__(self, *args, modules=(), voorzieningen=(), default_a="", **kwargs):
        super().__init__(*args, **kwargs)
        if default_a and not self.is_bound:
            self.initial.setdefault("moduleA", default_a)
        self.fields["moduleA"].choices = [("", _("— Kies een applicatie —")), *modules]
        self.fields["richting"].choices = choices(KOPPELING, "gegevensuitwisselingRichting")
        self.fields["b"].choices = [
            ("", _("— Kies een applicatie of voorziening —")),
            (_("Applicaties in uw landschap"), [(f"module:{u}", n) for u, n in modules]),
            (
                _("Buitengemeentelijke voorzieningen"),
                [(f"voorziening:{u}", n) for u, n in voorzieningen],
            ),
        ]
        self.fields["type"].choices = [("", "—"), *choices(KOPPELING, "type")]

    def clean(self):
        data = super().clean()
        if data.get("b") and data.get("b") == f"module:{data.get('moduleA')}":
            self.add_error("b", _("Een koppeling verbindt twee verschillende applicaties."))
        return data


class KoppelingGebruikForm(SiteForm, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    startdatum = forms.DateField(
        label=gettext_lazy("Startdatum status"),
        widget=DateInput(),
        help_text=gettext_lazy("Een datum in het verleden mag ook."),
    )
    standaardversies = forms.MultipleChoiceField(
        label=gettext_lazy("Standaardversies"),
        required=False,
        widget=checkboxes(),
        help_text=gettext_lazy(
            "Voorgesteld: de standaardversies die beide applicaties ondersteunen."
        ),
    )
    interneAantekening = NoteField()

    def __init__(self, *args, standards=(), suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices(KOPPELING, "status")
        self.fields["standaardversies"].choices = list(standards)
        if not self.is_bound:
            self.initial.setdefault("status", "in gebruik")
            self.initial.setdefault("startdatum", today())
            self.initial.setdefault("standaardversies", list(suggested))


class KoppelingToevoegen(LandscapeWizard):
    key = "koppeling-toevoegen"
    title = gettext_lazy("Een koppeling toevoegen")
    subtitle = gettext_lazy(
        "Vul het formulier in om een koppeling aan uw applicatielandschap toe te voegen."
    )
    submit_label = gettext_lazy("Opslaan")
    success_message = gettext_lazy("Koppelingen succesvol opgeslagen!")
    review_info_title = gettext_lazy("Wat gebeurt er met uw gegevens?")
    review_info_text = gettext_lazy(
        "De koppeling wordt aan uw landschap toegevoegd. De gebruiksinformatie is zichtbaar "
        "voor andere gemeenten en samenwerkingen. Uw interne aantekening blijft binnen uw "
        "eigen organisatie."
    )
    steps = [
        Step(
            key="zoeken",
            title=gettext_lazy("Een koppeling zoeken"),
            form=SjabloonForm,
            text=gettext_lazy(
                "Kies een koppeling die de leveranciers van de applicaties in uw landschap "
                "ondersteunen, ook met buitengemeentelijke voorzieningen."
            ),
            info_title=gettext_lazy("Zoekpagina"),
            info_text=gettext_lazy(
                "Staat de koppeling er niet bij? Kies “Ik kan de gewenste koppeling niet "
                "vinden” en beschrijf hem zelf."
            ),
            template="catalogus/landscape/wizard_koppeling_zoeken.html",
        ),
        Step(
            key="definitie",
            title=gettext_lazy("De koppeling beschrijven"),
            form=DefinitieForm,
            text=gettext_lazy(
                "Kies applicatie A uit uw landschap, de richting en applicatie B of een "
                "buitengemeentelijke voorziening (zoals DigiD)."
            ),
            applies=lambda run: bool(run.get("zoeken", "nieuw")),
        ),
        Step(
            key="gebruik",
            title=gettext_lazy("Gebruiksinformatie"),
            form=KoppelingGebruikForm,
            text=gettext_lazy("Kies de status en voeg eventueel een interne aantekening toe."),
            info_title=gettext_lazy("Interne aantekening"),
            info_text=gettext_lazy("Alleen medewerkers van uw eigen organisatie lezen deze."),
        ),
        Step(
            key="deelnemers",
            title=gettext_lazy("Deelnemers toevoegen"),
            form=DeelnemersForm,
            text=gettext_lazy(
                "Kies de deelnemende organisaties die deze koppeling gebruiken. De koppeling "
                "verschijnt in het landschap van elke gekozen deelnemer."
            ),
            applies=is_samenwerking,
            template="catalogus/landscape/wizard_deelnemers.html",
        ),
    ]

    def start(self, request, actor, **kwargs):
        context = {"samenwerking": actor.organisation.type == "Samenwerking"}
        chosen = request.GET.get("applicatie", "")
        if chosen:
            if not is_uuid(chosen) or chosen not in landscape_modules(actor):
                raise Http404
            context["applicatie"] = chosen
        return context, {}

    def definition(self, run, actor) -> dict:
        """The koppeling's data as chosen in step 1 (a template's copy, or the definition)."""
        chosen = run.get("zoeken", "sjabloon")
        if chosen:
            template = visible(KOPPELING, actor).filter(uuid=chosen).first()
            if template is None:
                return {}
            return {k: template.data[k] for k in TEMPLATE_FIELDS if template.data.get(k)}
        definition = run.data.get("definitie", {})
        if not definition:
            return {}
        data = {
            "moduleA": definition["moduleA"],
            "gegevensuitwisselingRichting": definition["richting"],
        }
        kind, _sep, target = definition["b"].partition(":")
        data["moduleB" if kind == "module" else "buitengemeentelijkVoorziening"] = target
        for key in ("naam", "type", "beschrijvingKort"):
            if definition.get(key):
                data[key] = definition[key]
        return data

    def standards(self, data: dict, actor):
        """Standaardversies supported by A or B (#55); suggested: supported by both."""
        sides = [m for m in (data.get("moduleA"), data.get("moduleB")) if m]
        rows = (
            visible(COMPLIANCY, actor)
            .filter(data__module__in=sides, data__ondersteuning="Ondersteund")
            .values_list("data__module", "data__standaardversie")
        )
        supported: dict[str, set] = {}
        for module, version in rows:
            supported.setdefault(str(version), set()).add(str(module))
        both = {v for v, mods in supported.items() if len(mods) == len(sides) == 2}
        names = titles(set(supported) | set(data.get("standaardversies") or []), actor)
        options = [
            (u, f"{n} ({_('ondersteund door beide applicaties')})" if u in both else n)
            for u, n in sorted(names.items(), key=lambda item: item[1].lower())
        ]
        suggested = both | set(data.get("standaardversies") or [])
        return options, sorted(suggested)

    def form_kwargs(self, step, run, actor) -> dict:
        if step.key == "zoeken":
            modules = landscape_modules(actor)
            only = run.context.get("applicatie")
            found = templates_for(actor, [only] if only else modules)
            return {"templates": [(str(t.uuid), t.title) for t in found]}
        if step.key == "definitie":
            voorzieningen = (
                visible(VOORZIENING, actor).order_by("title").values_list("uuid", "title")
            )
            return {
                "modules": list(landscape_modules(actor).items()),
                "voorzieningen": [(str(u), t) for u, t in voorzieningen],
                "default_a": run.context.get("applicatie", ""),
            }
        if step.key == "gebruik":
            options, suggested = self.standards(self.definition(run, actor), actor)
            return {"standards": options, "suggested": suggested}
        if step.key == "deelnemers":
            return {"members": deelnemer_choices(actor)}
        return {}

    def review(self, run, actor):
        steps = {s.key: s for s in self.active_steps(run)}
        data = self.definition(run, actor)
        names = titles(
            [data.get(k) for k in ("moduleA", "moduleB", "buitengemeentelijkVoorziening")], actor
        )
        richting = enum_labels(KOPPELING, "gegevensuitwisselingRichting")
        first = steps["definitie"] if "definitie" in steps else steps["zoeken"]
        b = data.get("moduleB") or data.get("buitengemeentelijkVoorziening")
        sections = [
            (
                first,
                [
                    (_("Applicatie A"), names.get(str(data.get("moduleA")), "—")),
                    (_("Richting"), richting.get(data.get("gegevensuitwisselingRichting"), "—")),
                    (_("Applicatie B of voorziening"), names.get(str(b), "—")),
                    (_("Naam"), data.get("naam") or _("(standaardnaam)")),
                ],
            )
        ]
        info = run.data.get("gebruik", {})
        standards = titles(info.get("standaardversies", []), actor)
        sections.append(
            (
                steps["gebruik"],
                [
                    (_("Status"), enum_labels(KOPPELING, "status").get(info.get("status"), "—")),
                    (_("Startdatum status"), date_text(info.get("startdatum"))),
                    (_("Standaardversies"), ", ".join(sorted(standards.values())) or "—"),
                    (_("Interne aantekening"), info.get("interneAantekening") or "—"),
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
        data = self.definition(run, actor)
        info = run.data["gebruik"]
        data["status"] = info["status"]
        data[KOPPELING_DATES[info["status"]]] = info["startdatum"]
        if info.get("standaardversies"):
            data["standaardversies"] = info["standaardversies"]
        else:
            data.pop("standaardversies", None)
        if info.get("interneAantekening"):
            data["interneAantekening"] = info["interneAantekening"]
        if is_samenwerking(run):
            data["deelnemers"] = run.get("deelnemers", "deelnemers", [])
        create(actor, KOPPELING, data)
        return "/mijn-landschap"
