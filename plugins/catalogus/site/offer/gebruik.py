"""Wizard "Applicatiegebruik melden" (#58, requirements §3.2): a supplier proposes that a
gemeente or samenwerking uses one of its own applications. Each proposal is a gebruik in
status concept, owned by the supplier, until the klant accepts (claims) or declines
(deletes) it; the catalogue's object_changed hook tells the klant."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import (
    ObjectStatus,
    Step,
    ValidationFailed,
    create,
    may_create,
    visible,
    visible_organisations,
)
from plugins.catalogus.site.offer import forms as f
from plugins.catalogus.site.offer.base import OfferWizard, plain_rows, uuids
from plugins.catalogus.site.offer.common import (
    CUSTOMER_TYPES,
    GEBRUIK,
    SEARCH_LIMIT,
    may_offer,
    own,
)

TEMPLATES = "catalogus/offer/"


def own_published(actor):
    return own("catalogus/module", actor).filter(status=ObjectStatus.GEPUBLICEERD)


def customers(actor):
    """Active gemeenten and samenwerkingen (the klanten one may propose a gebruik to)."""
    return visible_organisations(actor).filter(type__in=CUSTOMER_TYPES, status="Actief")


class GebruikWizard(OfferWizard):
    key = "gebruik-melden"
    title = gettext_lazy("Applicatiegebruik melden")
    subtitle = gettext_lazy(
        "Meld dat een gemeente of samenwerking een van uw applicaties gebruikt. De klant "
        "keurt uw melding goed of wijst haar af."
    )
    submit_label = gettext_lazy("Verzenden")
    success_message = gettext_lazy(
        "Uw melding is verzonden. Het gebruik is pas definitief als de klant het goedkeurt."
    )
    review_info_title = gettext_lazy("Wie ziet deze melding?")
    review_info_text = gettext_lazy(
        "De klant ziet uw melding als concept in zijn applicatielandschap en krijgt een "
        "bericht. Tot de klant het gebruik goedkeurt, zien alleen de klant en uw organisatie "
        "het. Het landschap, de koppelingen en de aantekeningen van de klant ziet u nooit."
    )
    steps = [
        Step(
            "applicatie",
            gettext_lazy("Applicatie"),
            f.ApplicatieKeuzeForm,
            text=gettext_lazy("Welke van uw gepubliceerde applicaties gebruikt de klant?"),
            template=TEMPLATES + "step.html",
        ),
        Step(
            "klanten",
            gettext_lazy("Klanten"),
            f.KlantenForm,
            text=gettext_lazy("Zoek de gemeenten en samenwerkingen die de applicatie gebruiken."),
            template=TEMPLATES + "step_zoeken.html",
        ),
        Step(
            "gebruik",
            gettext_lazy("Gebruiksinformatie"),
            f.GebruiksinformatieForm,
            text=gettext_lazy("In welke fase is het gebruik, en in welke hostingvorm?"),
            template=TEMPLATES + "step.html",
        ),
    ]

    def allowed(self, actor) -> bool:
        """Only leveranciers propose gebruik (the gebruik schema's create rule)."""
        return may_offer(actor) and may_create(GEBRUIK, actor)

    def start(self, request, actor, **kwargs):
        wanted = uuids(request.GET.getlist("applicatie"))[:1]
        found = own_published(actor).filter(uuid__in=wanted).values_list("uuid", flat=True)
        return {}, ({"applicatie": {"module": str(found[0])}} if found else {})

    def module(self, run, actor):
        key = run.get("applicatie", "module")
        return own_published(actor).filter(uuid__in=uuids([key])).first() if key else None

    def form_kwargs(self, step, run, actor) -> dict:
        if step.key == "applicatie":
            rows = own_published(actor).order_by("title").values_list("uuid", "title")
            return {"modules": [(str(u), t) for u, t in rows]}
        if step.key == "klanten":
            return self.customer_kwargs(run, actor)
        module = self.module(run, actor)
        return {"hosting": (module.data.get("cloudDienstverleningsmodel") or []) if module else []}

    def customer_kwargs(self, run, actor) -> dict:
        """Like `search_kwargs`, over organisations (by official and display name)."""
        text = self.search_text(run, "klanten").strip()
        chosen = self.chosen(run, "klanten")
        picked = list(customers(actor).filter(uuid__in=chosen))
        matches = customers(actor).exclude(uuid__in=chosen).order_by("naam")
        if text:
            matches = matches.filter(Q(naam__icontains=text) | Q(weergavenaam__icontains=text))
        found = list(matches[: SEARCH_LIMIT + 1])
        rows = picked + found[:SEARCH_LIMIT]
        return {
            "choices": [(str(o.uuid), o.display_name) for o in rows],
            "zoek": text,
            "more": len(found) > SEARCH_LIMIT,
        }

    def review(self, run, actor):
        return [
            (step, plain_rows(step, step.form(**self.form_kwargs(step, run, actor)), run))
            for step in self.active_steps(run)
        ]

    def commit(self, run, actor) -> str:
        module = self.module(run, actor)
        if module is None:
            raise ValidationFailed([("/module", _("Kies een van uw gepubliceerde applicaties."))])
        # what "Volgende" saved and the review showed, never ticks left over from a search
        saved = uuids(run.get("klanten", "keuze"))
        klanten = {str(o.uuid): o for o in customers(actor).filter(uuid__in=saved)}
        known = set(
            visible(GEBRUIK, actor)
            .filter(data__module=str(module.uuid), data__afnemer__in=list(klanten))
            .values_list("data__afnemer", flat=True)
        )
        if known:
            names = ", ".join(sorted(klanten[k].display_name for k in known if k in klanten))
            raise ValidationFailed(
                [
                    (
                        "/afnemer",
                        _(
                            "Voor %(namen)s is het gebruik van %(app)s al bekend of wacht uw "
                            "melding nog op antwoord."
                        )
                        % {"namen": names, "app": module.title},
                    )
                ]
            )
        for key in klanten:
            data = {
                "afnemer": key,
                "module": str(module.uuid),
                "status": run.get("gebruik", "status"),
                "cloudDienstverleningsmodel": run.get("gebruik", "cloudDienstverleningsmodel"),
                "hostingLocatie": run.get("gebruik", "hostingLocatie"),
            }
            create(
                actor, GEBRUIK, {k: v for k, v in data.items() if v}, status=ObjectStatus.CONCEPT
            )
        return "/mijn-aanbod#gebruik"
