"""5.2–5.4 "Een dienst toevoegen" (#35): pick a dienst offered on an application of the
landscape, then status and interne aantekening, then controleren; the dienstafname hangs on
the organisation's gebruik of that application.

"Ik kan de gewenste dienst niet vinden": only suppliers register diensten (the dienst schema
lets no gemeente create one), so the step explains that and links to the search page instead
of offering a form that could never be saved."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import (
    DateInput,
    SiteForm,
    Step,
    create,
    is_uuid,
    titles,
    visible,
)
from plugins.catalogus.site.landscape.common import (
    DIENSTAFNAME,
    GEBRUIK,
    GEBRUIK_DATES,
    LandscapeWizard,
    NoteField,
    date_text,
    org_uuid,
    today,
)

DIENST = "catalogus/dienst"
RESULTS = 50


def own_gebruik(actor):
    """Gebruik the organisation owns (a dienstafname hangs on a gebruik it owns)."""
    return visible(GEBRUIK, actor).filter(
        status="gepubliceerd",
        organisation_id=actor.organisation.pk,
        data__afnemer=org_uuid(actor),
    )


def landscape_diensten(actor, text: str = "", only_module: str = ""):
    """Diensten offered on the applications of the own landscape, by dienst or app name."""
    modules = [str(m) for m in own_gebruik(actor).values_list("data__module", flat=True)]
    if only_module:
        modules = [m for m in modules if m == only_module]
    rows = visible(DIENST, actor).filter(status="gepubliceerd")
    rows = rows.filter(Q(pk__in=[]) if not modules else _any_module(modules))
    text = (text or "").strip()
    if text:
        named = [m for m, title in titles(modules, actor).items() if text.lower() in title.lower()]
        rows = rows.filter(Q(title__icontains=text) | _any_module(named or ["-"]))
    return rows.order_by("title", "id")


def _any_module(modules) -> Q:
    query = Q(pk__in=[])
    for module in modules:
        query |= Q(data__modules__contains=[module])
    return query


class DienstZoekForm(SiteForm, forms.Form):
    dienst = forms.CharField(label=gettext_lazy("Dienst"))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["dienst"].error_messages["required"] = _("Kies een dienst.")

    def clean_dienst(self):
        chosen = self.cleaned_data["dienst"]
        if not is_uuid(chosen) or not landscape_diensten(self.actor).filter(uuid=chosen).exists():
            raise forms.ValidationError(_("Kies een dienst uit de lijst."))
        return chosen


class AfnameForm(SiteForm, forms.Form):
    gebruik = forms.ChoiceField(
        label=gettext_lazy("Voor welke applicatie in uw landschap"),
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    startdatum = forms.DateField(
        label=gettext_lazy("Startdatum"),
        required=False,
        widget=DateInput(),
    )
    interneAantekening = NoteField()

    def __init__(self, *args, gebruik=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebruik"].choices = list(gebruik)
        self.fields["status"].choices = [(s, s) for s in GEBRUIK_DATES]
        if not self.is_bound:
            self.initial.setdefault("status", "In productie")
            self.initial.setdefault("startdatum", today())
            if len(gebruik) == 1:
                self.initial.setdefault("gebruik", gebruik[0][0])


class DienstToevoegen(LandscapeWizard):
    key = "dienst-toevoegen"
    title = gettext_lazy("Een dienst toevoegen")
    subtitle = gettext_lazy(
        "Vul het formulier in om de dienst aan uw applicatielandschap toe te voegen."
    )
    submit_label = gettext_lazy("Opslaan")
    success_message = gettext_lazy("Dienst succesvol toegevoegd!")
    review_text = gettext_lazy(
        "Controleer of alles klopt. Met Vorige past u een stap aan. Daarna vindt en wijzigt "
        "u de dienst bij de applicatie in uw landschap."
    )
    steps = [
        Step(
            key="zoeken",
            title=gettext_lazy("Toevoegen dienst"),
            form=DienstZoekForm,
            text=gettext_lazy(
                "Zoek de diensten die op de applicaties in uw landschap draaien, op naam van "
                "de dienst of de applicatie."
            ),
            info_title=gettext_lazy("Zoekpagina"),
            info_text=gettext_lazy(
                "U kunt ook op de pagina van een dienst beginnen, met de knop “Dienst toevoegen”."
            ),
            template="catalogus/landscape/wizard_dienst_zoeken.html",
        ),
        Step(
            key="afname",
            title=gettext_lazy("Toevoegen dienst"),
            form=AfnameForm,
            text=gettext_lazy(
                "Geef aan of u de dienst gebruikt en voeg eventueel een interne aantekening toe."
            ),
            info_title=gettext_lazy("Interne notitie"),
            info_text=gettext_lazy(
                "De interne aantekening is alleen leesbaar binnen uw eigen organisatie."
            ),
        ),
    ]

    def start(self, request, actor, **kwargs):
        context, data = {}, {}
        dienst = request.GET.get("dienst", "")
        module = request.GET.get("applicatie", "")
        if module:
            if not is_uuid(module):
                raise Http404
            context["applicatie"] = module
        if dienst:
            if not is_uuid(dienst) or not landscape_diensten(actor).filter(uuid=dienst).exists():
                raise Http404
            data["zoeken"] = {"dienst": dienst}
        return context, data

    def dienst(self, run, actor):
        return visible(DIENST, actor).filter(uuid=run.get("zoeken", "dienst")).first()

    def gebruik_choices(self, run, actor) -> list[tuple[str, str]]:
        dienst = self.dienst(run, actor)
        modules = [str(m) for m in (dienst.data.get("modules") or [])] if dienst else []
        rows = list(own_gebruik(actor).filter(data__module__in=modules).order_by("title"))
        names = titles({g.data.get("module") for g in rows}, actor)
        return [(str(g.uuid), names.get(str(g.data.get("module")), g.title)) for g in rows]

    def form_kwargs(self, step, run, actor) -> dict:
        if step.key == "zoeken":
            return {"actor": actor}
        return {"gebruik": self.gebruik_choices(run, actor)}

    def extra_context(self, step, run, actor, form=None) -> dict:
        if step.key != "zoeken":
            return {}
        query = run.query.get("q", "")
        rows = list(landscape_diensten(actor, query, run.context.get("applicatie", ""))[:RESULTS])
        modules = titles({m for r in rows for m in (r.data.get("modules") or [])}, actor)
        return {
            "query": query,
            "chosen": run.get("zoeken", "dienst", ""),
            "results": [
                {
                    "uuid": str(r.uuid),
                    "naam": r.title,
                    "applicaties": ", ".join(
                        modules[str(m)] for m in r.data.get("modules") or [] if str(m) in modules
                    ),
                }
                for r in rows
            ],
        }

    def review(self, run, actor):
        steps = {s.key: s for s in self.active_steps(run)}
        dienst = self.dienst(run, actor)
        info = run.data.get("afname", {})
        gebruik = dict(self.gebruik_choices(run, actor))
        return [
            (steps["zoeken"], [(_("Dienst"), dienst.title if dienst else "—")]),
            (
                steps["afname"],
                [
                    (_("Applicatie"), gebruik.get(info.get("gebruik"), "—")),
                    (_("Status"), info.get("status") or "—"),
                    (_("Startdatum"), date_text(info.get("startdatum"))),
                    (_("Interne aantekening"), info.get("interneAantekening") or "—"),
                ],
            ),
        ]

    def commit(self, run, actor) -> str:
        info = run.data["afname"]
        data = {
            "gebruik": info["gebruik"],
            "dienst": run.get("zoeken", "dienst"),
            "status": info["status"],
        }
        if info.get("startdatum"):
            data["startDatum"] = info["startdatum"]
        if info.get("interneAantekening"):
            data["interneAantekening"] = info["interneAantekening"]
        create(actor, DIENSTAFNAME, data)
        return f"/mijn-landschap/gebruik/{info['gebruik']}"
