"""Wizard "Dienst registreren" (#187, requirements §3.2): the applications the dienst is for
(own and other suppliers', searchable), the information about the dienst, controleren.
The edit wizard reuses the steps, pre-filled."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy

from core.plugins.site import ObjectStatus, Step, create, editable, update, visible, visible_data
from plugins.catalogus.site.offer import forms as f
from plugins.catalogus.site.offer.base import OfferWizard, plain_rows, uuids
from plugins.catalogus.site.offer.common import DIENST, MODULE, contact_choices

TEMPLATES = "catalogus/offer/"
FIELDS = ("naam", "website", "beschrijvingKort", "beschrijvingLang", "type", "contactpersoon")


class DienstWizard(OfferWizard):
    key = "dienst-registreren"
    title = gettext_lazy("Dienst registreren")
    subtitle = gettext_lazy(
        "Vul het formulier in om uw dienst in de softwarecatalogus te registreren."
    )
    submit_label = gettext_lazy("Dienst registreren")
    success_message = gettext_lazy("Dienst succesvol aangemeld!")
    review_info_title = gettext_lazy("Uw dienst wordt openbaar")
    review_info_text = gettext_lazy(
        "Na registreren staat de dienst bij de gekozen applicaties in de softwarecatalogus. "
        "U wijzigt of verwijdert hem onder Mijn aanbod."
    )
    steps = [
        Step(
            "applicaties",
            gettext_lazy("Registreer uw dienst"),
            f.ApplicatiesForm,
            text=gettext_lazy(
                "Een dienst koppelt u aan uw eigen applicaties of aan applicaties van andere "
                "leveranciers. Zoek op naam en vink de applicaties aan waarvoor u de dienst levert."
            ),
            info_title=gettext_lazy("Zoekpagina"),
            info_text=gettext_lazy(
                "U kunt ook beginnen op de pagina van een applicatie met “Dienst registreren”."
            ),
            template=TEMPLATES + "step_zoeken.html",
        ),
        Step(
            "dienst",
            gettext_lazy("Informatie over uw dienst"),
            f.DienstForm,
            text=gettext_lazy(
                "Geef de dienst een herkenbare naam, bijvoorbeeld “Functioneel beheer "
                "Zaakwijzer”, en kies een of meer diensttypes."
            ),
            template=TEMPLATES + "step.html",
        ),
    ]

    def start(self, request, actor, **kwargs):
        chosen = uuids(request.GET.getlist("applicatie"))
        found = visible(MODULE, actor).filter(uuid__in=chosen).values_list("uuid", flat=True)
        picked = [str(u) for u in found]
        return {}, ({"applicaties": {"keuze": picked}} if picked else {})

    def form_kwargs(self, step, run, actor) -> dict:
        if step.key == "applicaties":
            return self.search_kwargs(visible(MODULE, actor), run, step.key)
        return {"contacts": contact_choices(actor)}

    def review(self, run, actor):
        return [
            (step, plain_rows(step, step.form(**self.form_kwargs(step, run, actor)), run))
            for step in self.active_steps(run)
        ]

    def dienst_data(self, run, *, patch: bool) -> dict:
        data = {name: run.get("dienst", name) for name in FIELDS}
        data["modules"] = uuids(run.get("applicaties", "keuze"))
        if patch:
            return {k: (None if v in (None, "", []) else v) for k, v in data.items()}
        return {k: v for k, v in data.items() if v not in (None, "", [])}

    def commit(self, run, actor) -> str:
        create(actor, DIENST, self.dienst_data(run, patch=False), status=ObjectStatus.GEPUBLICEERD)
        return "/mijn-aanbod#diensten"


class DienstEditWizard(DienstWizard):
    key = "dienst-bewerken"
    title = gettext_lazy("Dienst bewerken")
    subtitle = gettext_lazy("Pas uw dienst aan; er verandert niets vóór de controle.")
    submit_label = gettext_lazy("Wijzigingen opslaan")
    success_message = gettext_lazy("De dienst is bijgewerkt.")
    review_info_title = ""
    review_info_text = ""

    @staticmethod
    def editable_dienst(actor, uuid):
        found = (
            editable(DIENST, actor)
            .exclude(status=ObjectStatus.GEARCHIVEERD)
            .filter(uuid=uuid, organisation=actor.organisation)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def start(self, request, actor, uuid=None, **kwargs):
        obj = self.editable_dienst(actor, uuid)
        data = visible_data(obj, actor)
        steps = {
            "applicaties": {"keuze": data.get("modules") or []},
            "dienst": {name: data.get(name) or ("" if name != "type" else []) for name in FIELDS},
        }
        return {"dienst": str(obj.uuid)}, steps

    def commit(self, run, actor) -> str:
        obj = self.editable_dienst(actor, run.context["dienst"])
        update(actor, obj, self.dienst_data(run, patch=True))
        return "/mijn-aanbod#diensten"
