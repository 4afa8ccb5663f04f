"""Wizard "Applicatie publiceren" (requirements §3.2) and its edit twin: applicatie-informatie,
licentie & hosting, versies (on-premises only), referentiecomponenten, standaarden (pre-filled
from the chosen referentiecomponenten, as on the detail page), koppelingen, controleren.
Everything is written on "Applicatie aanmelden", in one transaction."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import (
    ObjectStatus,
    Step,
    archive,
    create,
    editable,
    may_create,
    update,
    visible,
    visible_data,
)
from plugins.catalogus.hooks import SAAS_VERSION
from plugins.catalogus.site.facts import standards_table
from plugins.catalogus.site.offer import forms as f
from plugins.catalogus.site.offer.base import OfferWizard, plain_rows, uuids
from plugins.catalogus.site.offer.common import (
    COMPLIANCY,
    KOPPELING,
    MODULE,
    ON_PREMISES,
    VERSION,
    contact_choices,
    own,
)

PUB = ObjectStatus.GEPUBLICEERD
INFO_FIELDS = ("naam", "website", "beschrijvingKort", "beschrijvingLang", "logo", "contactpersoon")
LICENCE_FIELDS = (
    "licentietype",
    "licentie",
    "cloudDienstverleningsmodel",
    "hostingLocatie",
    "hostingJurisdictie",
)
TEMPLATES = "catalogus/offer/"


def on_premises(run) -> bool:
    return ON_PREMISES in (run.get("licentie", "cloudDienstverleningsmodel") or [])


def may_link(run) -> bool:
    """Koppeling templates are for leveranciers and communities (the schema's create rule)."""
    return bool(run.context.get("koppelingen"))


def referentiecomponenten(actor):
    """GEMMA's referentiecomponenten to choose from: in use, not withdrawn."""
    return (
        visible("gemma/referentiecomponent", actor)
        .filter(data__gemmaStatus="In gebruik")
        .exclude(data__contains={"ingetrokken": True})  # NULL-safe, unlike ingetrokken=True
    )


class PublishWizard(OfferWizard):
    key = "applicatie-publiceren"
    title = gettext_lazy("Applicatie publiceren")
    subtitle = gettext_lazy(
        "Vul de gegevens van uw applicatie in. Na controle staat ze in de softwarecatalogus."
    )
    submit_label = gettext_lazy("Applicatie aanmelden")
    success_message = gettext_lazy("Applicatie succesvol aangemeld!")
    review_info_title = gettext_lazy("Uw applicatie wordt openbaar")
    review_info_text = gettext_lazy(
        "Na aanmelden ziet iedereen de applicatie, haar versies, standaarden en koppelingen "
        "in de softwarecatalogus. U kunt ze later wijzigen onder Mijn aanbod."
    )
    steps = [
        Step(
            "applicatie",
            gettext_lazy("Applicatie-informatie"),
            f.InformatieForm,
            text=gettext_lazy("Geef de naam en een korte beschrijving van uw applicatie."),
            info_title=gettext_lazy("Zoekpagina"),
            info_text=gettext_lazy(
                "Gemeenten vinden uw applicatie op naam en beschrijving. Houd de korte "
                "beschrijving kort: die staat in de zoekresultaten."
            ),
            template=TEMPLATES + "step.html",
        ),
        Step(
            "licentie",
            gettext_lazy("Licentie & hosting"),
            f.LicentieForm,
            text=gettext_lazy("Onder welke licentie en in welke hostingvormen biedt u haar aan?"),
            info_title=gettext_lazy("Versies"),
            info_text=gettext_lazy(
                "Kiest u On-premises, dan vult u in de volgende stap de versies in. Een SaaS-"
                "applicatie krijgt vanzelf de versie “Cloud”."
            ),
            template=TEMPLATES + "step.html",
        ),
        Step(
            "versies",
            gettext_lazy("Versies"),
            f.VersiesForm,
            text=gettext_lazy(
                "Vul per rij een versie en haar status in. Lege rijen worden overgeslagen; "
                "met Volgende en Vorige krijgt u extra rijen."
            ),
            template=TEMPLATES + "step_versies.html",
            applies=on_premises,
        ),
        Step(
            "referentiecomponenten",
            gettext_lazy("Referentiecomponenten"),
            f.ReferentiecomponentenForm,
            text=gettext_lazy(
                "Welke referentiecomponenten van de GEMMA vervult uw applicatie? Daaruit volgen "
                "de standaarden in de volgende stap."
            ),
            info_title=gettext_lazy("Alle referentiecomponenten"),
            info_text=gettext_lazy(
                "Kies alleen wat uw applicatie echt doet: gemeenten zoeken op "
                "referentiecomponent. Het overzicht met uitleg staat op GEMMA Online (link "
                "hieronder)."
            ),
            template=TEMPLATES + "step_zoeken.html",
        ),
        Step(
            "standaarden",
            gettext_lazy("Standaarden"),
            f.StandaardenForm,
            text=gettext_lazy(
                "Dit zijn de standaarden van de gekozen referentiecomponenten. Geef per "
                "standaardversie aan of uw applicatie haar ondersteunt, met zo mogelijk een "
                "link naar het bewijs (bijvoorbeeld een testrapport)."
            ),
            template=TEMPLATES + "step_standaarden.html",
        ),
        Step(
            "koppelingen",
            gettext_lazy("Koppelingen"),
            f.KoppelingenForm,
            text=gettext_lazy(
                "Met welke applicaties of buitengemeentelijke voorzieningen wisselt uw "
                "applicatie gegevens uit? Gemeenten nemen deze koppelingen over in hun landschap. "
                "Deze stap is niet verplicht."
            ),
            template=TEMPLATES + "step_koppelingen.html",
            applies=may_link,
        ),
    ]

    # --- the run ---------------------------------------------------------------------------

    def start(self, request, actor, **kwargs):
        return {"koppelingen": may_create(KOPPELING, actor)}, {}

    def module(self, run, actor):
        """The application being edited (None while publishing a new one)."""
        return None

    def form_kwargs(self, step, run, actor) -> dict:
        if step.key == "applicatie":
            return {"contacts": contact_choices(actor)}
        if step.key == "versies":
            return {"rows": f.row_count(run.data.get("versies"), "versie_")}
        if step.key == "referentiecomponenten":
            return self.search_kwargs(
                referentiecomponenten(actor),
                run,
                step.key,
                limit=None,
                chosen_from=visible("gemma/referentiecomponent", actor),
            )
        if step.key == "standaarden":
            chosen = run.get("referentiecomponenten", "keuze") or []
            return {"groups": standards_table(self.module(run, actor), chosen, actor)}
        if step.key == "koppelingen":
            return {
                "rows": f.row_count(run.data.get("koppelingen"), "doel_"),
                "targets": self.targets(run, actor),
            }
        return {}

    def targets(self, run, actor) -> list:
        """The other end of a koppeling: published applications and the voorzieningen."""
        modules = visible(MODULE, actor).filter(status=PUB).order_by("title", "id")
        if run.context.get("module"):
            modules = modules.exclude(uuid=run.context["module"])
        voorzieningen = visible("gemma/voorziening", actor).order_by("title", "id")
        return [
            ("", "—"),
            (
                _("Applicaties"),
                [(f"module:{u}", t) for u, t in modules.values_list("uuid", "title")],
            ),
            (
                _("Buitengemeentelijke voorzieningen"),
                [(f"voorziening:{u}", t) for u, t in voorzieningen.values_list("uuid", "title")],
            ),
        ]

    # --- "Controleer uw gegevens" ----------------------------------------------------------

    def review(self, run, actor):
        sections = []
        for step in self.active_steps(run):
            form = step.form(**self.form_kwargs(step, run, actor))
            if step.key == "versies":
                rows = [
                    (_("Versie"), f"{versie} ({status_label})")
                    for versie, status_label in self._version_rows(run, form)
                ]
                sections.append((step, rows or [(_("Versies"), "—")]))
            elif step.key == "standaarden":
                sections.append((step, self._standard_rows(run, form)))
            elif step.key == "koppelingen":
                sections.append((step, self._link_rows(run, form)))
            else:
                sections.append((step, plain_rows(step, form, run)))
        return sections

    @staticmethod
    def _version_rows(run, form):
        statuses = dict(form.fields["status_0"].choices) if "status_0" in form.fields else {}
        for i in range(len(form.rows)):
            versie = run.get("versies", f"versie_{i}")
            if versie:
                status = run.get("versies", f"status_{i}") or ""
                yield versie, statuses.get(status, status or "—")

    @staticmethod
    def _standard_rows(run, form):
        labels = {"": _("Niet opgegeven"), "Ondersteund": _("Ondersteund")}
        labels["Niet ondersteund"] = _("Niet ondersteund")
        rows = []
        for _group, group_rows in form.groups:
            for row, _support, _url in group_rows:
                value = run.get("standaarden", f"ondersteuning_{row.uuid}") or ""
                url = run.get("standaarden", f"url_{row.uuid}") or ""
                text = str(labels.get(value, value))
                rows.append((row.naam, f"{text} – {url}" if url else text))
        return rows or [(_("Standaarden"), _("Geen standaarden bij deze referentiecomponenten."))]

    @staticmethod
    def _link_rows(run, form):
        targets = {}
        for _label, options in form.fields["doel_0"].choices[1:] if form.rows else []:
            targets.update(dict(options))
        directions = dict(f.enum_choices(KOPPELING, "gegevensuitwisselingRichting"))
        rows = []
        for i in range(len(form.rows)):
            doel = run.get("koppelingen", f"doel_{i}")
            if doel:
                richting = directions.get(run.get("koppelingen", f"richting_{i}") or "", "")
                naam = run.get("koppelingen", f"naam_{i}") or ""
                text = f"{richting} {targets.get(doel, doel)}" + (f" ({naam})" if naam else "")
                rows.append((_("Koppeling"), text.strip()))
        return rows or [(_("Koppelingen"), "—")]

    # --- writing ---------------------------------------------------------------------------

    def module_data(self, run, actor, *, patch: bool) -> dict:
        """The application's data from the steps; in a patch an emptied field is removed."""
        data = {}
        for name in INFO_FIELDS:
            data[name] = run.get("applicatie", name)
        for name in LICENCE_FIELDS:
            data[name] = run.get("licentie", name)
        data["referentieComponenten"] = uuids(run.get("referentiecomponenten", "keuze"))
        if not patch:
            data["aanbieder"] = str(actor.organisation.uuid)
            return {k: v for k, v in data.items() if v not in (None, "", [])}
        return {k: (None if v in (None, "", []) else v) for k, v in data.items()}

    def commit(self, run, actor) -> str:
        module = create(actor, MODULE, self.module_data(run, actor, patch=False), status=PUB)
        self.write_related(run, actor, module)
        return "/mijn-aanbod"

    def write_related(self, run, actor, module) -> None:
        """Versions, declared standards and koppelingen to match the steps: new rows are
        created, changed rows updated, emptied rows archived (refused while in use)."""
        key = str(module.uuid)
        if on_premises(run):
            self._write_versions(run, actor, key)
        self._write_standards(run, actor, key)
        if may_link(run):
            self._write_links(run, actor, key)

    def _write_versions(self, run, actor, key: str) -> None:
        existing = {
            str(o.uuid): o
            for o in own(VERSION, actor).filter(data__module=key).exclude(data__versie=SAAS_VERSION)
        }
        saved = run.data.get("versies", {})
        for i in f.row_indexes(saved):
            versie = saved.get(f"versie_{i}") or ""
            status = saved.get(f"status_{i}") or "in gebruik"
            current = existing.get(saved.get(f"uuid_{i}") or "")
            if current is None:
                if versie:
                    create(actor, VERSION, {"module": key, "versie": versie, "status": status})
            elif not versie:
                archive(actor, current)
            elif (current.data.get("versie"), current.data.get("status")) != (versie, status):
                update(actor, current, {"versie": versie, "status": status})

    def _write_standards(self, run, actor, key: str) -> None:
        saved = run.data.get("standaarden", {})
        before = run.context.get("standaarden", {})
        existing = {  # the module-wide declarations; those of one version stay as they are
            str(o.data.get("standaardversie")): o
            for o in own(COMPLIANCY, actor).filter(data__module=key)
            if not o.data.get("moduleVersie")
        }
        for name, value in saved.items():
            if not name.startswith("ondersteuning_"):
                continue
            version = name.removeprefix("ondersteuning_")
            url = saved.get(f"url_{version}") or ""
            if [value or "", url] == list(before.get(version, ["", ""])):
                continue  # unchanged: leave the declaration (and its history) alone
            current = existing.get(version)
            if current is None and value:
                data = {"module": key, "standaardversie": version, "ondersteuning": value}
                create(actor, COMPLIANCY, {**data, **({"url": url} if url else {})})
            elif current is not None and value:
                update(actor, current, {"ondersteuning": value, "url": url or None})
            elif current is not None:
                archive(actor, current)

    def _write_links(self, run, actor, key: str) -> None:
        existing = {str(o.uuid): o for o in own(KOPPELING, actor).filter(data__moduleA=key)}
        saved = run.data.get("koppelingen", {})
        for i in f.row_indexes(saved):
            doel = saved.get(f"doel_{i}") or ""
            current = existing.get(saved.get(f"uuid_{i}") or "")
            if not doel:
                if current is not None:
                    archive(actor, current)
                continue
            kind, _sep, target = doel.partition(":")
            data = {
                "moduleA": key,
                "moduleB": target if kind == "module" else None,
                "buitengemeentelijkVoorziening": target if kind == "voorziening" else None,
                "gegevensuitwisselingRichting": saved.get(f"richting_{i}") or "AnaarB",
                "naam": saved.get(f"naam_{i}") or None,
            }
            if current is None:
                create(actor, KOPPELING, {k: v for k, v in data.items() if v is not None})
            elif any(current.data.get(k) != v for k, v in data.items()):
                update(actor, current, data)


class EditWizard(PublishWizard):
    """The same steps, pre-filled from the application and its own related rows."""

    key = "applicatie-bewerken"
    title = gettext_lazy("Applicatie bewerken")
    subtitle = gettext_lazy(
        "Pas de gegevens van uw applicatie aan; er verandert niets vóór de controle."
    )
    submit_label = gettext_lazy("Wijzigingen opslaan")
    success_message = gettext_lazy("De applicatie is bijgewerkt.")
    review_info_title = ""
    review_info_text = ""

    def start(self, request, actor, uuid=None, **kwargs):
        obj = self.editable_module(actor, uuid)
        data = visible_data(obj, actor)
        key = str(obj.uuid)
        steps = {
            "applicatie": {name: data.get(name) or "" for name in INFO_FIELDS},
            "licentie": {name: data.get(name) or "" for name in LICENCE_FIELDS},
            "referentiecomponenten": {"keuze": data.get("referentieComponenten") or []},
        }
        steps["licentie"]["cloudDienstverleningsmodel"] = (
            data.get("cloudDienstverleningsmodel") or []
        )
        versions = (
            own(VERSION, actor)
            .filter(data__module=key)
            .exclude(data__versie=SAAS_VERSION)
            .order_by("created_at", "id")
        )
        steps["versies"] = {}
        for i, version in enumerate(versions):
            steps["versies"].update(
                {
                    f"uuid_{i}": str(version.uuid),
                    f"versie_{i}": version.data.get("versie") or "",
                    f"status_{i}": version.data.get("status") or "in gebruik",
                }
            )
        groups = standards_table(obj, data.get("referentieComponenten") or [], actor)
        before = {row.uuid: [row.ondersteuning, row.url] for g in groups for row in g.rows}
        steps["standaarden"] = {}
        for version, (support, url) in before.items():
            steps["standaarden"][f"ondersteuning_{version}"] = support
            steps["standaarden"][f"url_{version}"] = url
        links = own(KOPPELING, actor).filter(data__moduleA=key).order_by("created_at", "id")
        steps["koppelingen"] = {}
        for i, link in enumerate(links):
            target = link.data.get("moduleB")
            doel = f"module:{target}" if target else ""
            if link.data.get("buitengemeentelijkVoorziening"):
                doel = f"voorziening:{link.data['buitengemeentelijkVoorziening']}"
            steps["koppelingen"].update(
                {
                    f"uuid_{i}": str(link.uuid),
                    f"doel_{i}": doel,
                    f"richting_{i}": link.data.get("gegevensuitwisselingRichting") or "AnaarB",
                    f"naam_{i}": link.data.get("naam") or "",
                }
            )
        context = {
            "module": key,
            "koppelingen": may_create(KOPPELING, actor),
            "standaarden": before,
        }
        if ON_PREMISES not in steps["licentie"]["cloudDienstverleningsmodel"]:
            steps.pop("versies")
        return context, steps

    @staticmethod
    def editable_module(actor, uuid):
        """Only an application the actor may change; others' applications are a 404."""
        found = (
            editable(MODULE, actor)
            .exclude(status=ObjectStatus.GEARCHIVEERD)
            .filter(uuid=uuid, organisation=actor.organisation)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def module(self, run, actor):
        return visible(MODULE, actor).filter(uuid=run.context["module"]).first()

    def cancel_url(self, run, actor) -> str:
        return "/mijn-aanbod"

    def commit(self, run, actor) -> str:
        obj = self.editable_module(actor, run.context["module"])
        status = PUB if obj.status == ObjectStatus.CONCEPT else None  # completing a claim
        module = update(actor, obj, self.module_data(run, actor, patch=True), status=status)
        self.write_related(run, actor, module)
        return "/mijn-aanbod"
