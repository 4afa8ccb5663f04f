"""The catalogue's queues in functioneel beheer's "Te beoordelen" inbox.

- concept-applicaties: applications a gemeente or samenwerking registered (4.4) and that no
  supplier took over yet; accept publishes, decline archives (history kept; refused while a
  gebruik or version still refers to it).
- claims: applications a supplier took over from the gemeente that registered them; accept
  keeps the take-over, decline hands the application back.
- voorgesteld-gebruik: gebruik a supplier proposed that the afnemer left alone for more than
  14 days; accept takes it over for the afnemer (published), decline deletes the proposal.

Every decision changes objects through the one write path as the deciding functioneel
beheerder (so the history names them), is audited and told to the organisations concerned.
The inbox records the decision itself; `items` leaves out what it recorded.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.plugins import ReviewItem, ReviewQueue
from core.plugins.accounts import (
    AccountError,
    decided_keys,
    has_active_member,
    organisation_name,
    reads_review,
    record,
)
from core.plugins.register import (
    Claim,
    ObjectSummary,
    archive_as,
    claim_as,
    claims,
    delete_as,
    find_objects,
    object_summary,
    organisation_types,
    update_as,
)
from core.services import Conflict, NotAllowed, ValidationFailed
from plugins.catalogus.notify import GEBRUIK_BEHEERDER, application_name, tell_beheerders

MODULE = "catalogus/module"
GEBRUIK = "catalogus/gebruik"
REGISTERING_TYPES = ("Gemeente", "Samenwerking")
PATIENCE = timedelta(days=14)
PUBLISHED = "gepubliceerd"
CONCEPT = "concept"
GONE = "Dit item wacht niet (meer) op een beoordeling; vernieuw de lijst."


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y")


def _with_note(text: str, note: str, label: str = "Toelichting") -> str:
    note = (note or "").strip()
    return f"{text}\n\n{label} van functioneel beheer: {note}" if note else text


def _reasons(exc: ValidationFailed) -> str:
    return "; ".join(message for _pointer, message in exc.errors)


class CatalogusQueue(ReviewQueue):
    """Shared rules: who may look and decide, decided keys, write errors as Dutch messages."""

    what: str = "dit item"

    def pending(self) -> dict[str, object]:
        """Undecided items by key, with what the queue needs to decide on them."""
        raise NotImplementedError

    def item(self, key: str, found) -> ReviewItem:
        raise NotImplementedError

    def items(self, *, actor) -> list[ReviewItem]:
        if not reads_review(actor):
            return []
        return [self.item(key, found) for key, found in self.pending().items()]

    def _open(self, key: str, actor):
        """The undecided item behind `key`, for a decision by functioneel beheer."""
        if not actor.is_functioneel_beheerder:
            raise NotAllowed(f"Alleen functioneel beheer beslist over {self.what}.")
        found = self.pending().get(key)
        if found is None:
            raise AccountError(GONE)
        return found

    def _undecided(self, keys) -> set[str]:
        return set(keys) - decided_keys(self.slug)


class ConceptApplications(CatalogusQueue):
    slug = "concept-applicaties"
    naam = "Concept-applicaties van gemeenten en samenwerkingen"
    what = "concept-applicaties"

    def pending(self) -> dict[str, ObjectSummary]:
        found = {
            m.uuid: m
            for m in find_objects(MODULE, status=CONCEPT, owner_types=REGISTERING_TYPES)
            if m.data.get("geregistreerdDoor") in REGISTERING_TYPES
        }
        undecided = self._undecided(found)
        return {key: m for key, m in found.items() if key in undecided}

    def item(self, key: str, found: ObjectSummary) -> ReviewItem:
        naam = found.data.get("naam") or found.title
        supplier = organisation_name(found.data.get("aanbieder", "")) or "geen"
        warnings = tuple(
            f"Er is al een gepubliceerde applicatie {other.title} van {other.organisation_name}."
            for other in find_objects(MODULE, status=PUBLISHED, iexact={"naam": naam})
        )
        return ReviewItem(
            key=key,
            title=naam,
            description=(
                f"Geregistreerd door {found.organisation_name} "
                f"({found.organisation_type.lower()}) op {_date(found.created_at)}; "
                f"leverancier: {supplier}."
            ),
            submitted_at=found.created_at,
            url=found.api_path,
            warnings=warnings,
        )

    @transaction.atomic
    def accept(self, *, key, actor, note) -> str:
        found = self._open(key, actor)
        naam = found.data.get("naam") or found.title
        try:
            update_as(actor, key, {}, status=PUBLISHED)
        except ValidationFailed as exc:
            raise AccountError(f"{naam} kan niet worden gepubliceerd: {_reasons(exc)}") from None
        text = (
            f"Functioneel beheer heeft de applicatie {naam}, die {found.organisation_name} als "
            "concept registreerde, gepubliceerd."
        )
        tell_beheerders(
            found.organisation,
            f"{naam} is gepubliceerd in de Softwarecatalogus",
            _with_note(text, note),
            found.api_path,
        )
        supplier = found.data.get("aanbieder")
        if supplier and supplier != found.organisation:
            tell_beheerders(
                supplier,
                f"{naam} is gepubliceerd met uw organisatie als leverancier",
                _with_note(f"{text} U kunt de applicatie overnemen om haar te beheren.", note),
                found.api_path,
            )
        record(
            "catalogus.applicatie.gepubliceerd",
            actor=actor,
            organisation_uuid=found.organisation,
            target=naam,
            details={"uuid": key, "toelichting": note},
        )
        return f"De applicatie {naam} is gepubliceerd."

    @transaction.atomic
    def decline(self, *, key, actor, note) -> str:
        found = self._open(key, actor)
        naam = found.data.get("naam") or found.title
        try:
            archive_as(actor, key)
        except Conflict as exc:
            raise AccountError(f"{naam} is niet afgewezen. {exc}") from None
        text = (
            f"Functioneel beheer heeft de applicatie {naam}, die {found.organisation_name} als "
            "concept registreerde, afgewezen; zij is gearchiveerd."
        )
        tell_beheerders(
            found.organisation,
            f"{naam} is niet opgenomen in de Softwarecatalogus",
            _with_note(text, note, "Reden"),
        )
        record(
            "catalogus.applicatie.afgewezen",
            actor=actor,
            organisation_uuid=found.organisation,
            target=naam,
            details={"uuid": key, "reden": note},
        )
        return f"De applicatie {naam} is afgewezen en gearchiveerd."


class Claims(CatalogusQueue):
    slug = "claims"
    naam = "Applicaties overgenomen door een leverancier"
    what = "overnames"

    def pending(self) -> dict[str, tuple[Claim, ObjectSummary]]:
        found = {f"{c.uuid}:{c.version}": c for c in claims(MODULE)}
        result = {}
        for key in sorted(self._undecided(found), key=lambda k: (found[k].at, k)):
            summary = object_summary(found[key].uuid)
            if summary is not None:
                result[key] = (found[key], summary)
        return result

    def item(self, key: str, found: tuple[Claim, ObjectSummary]) -> ReviewItem:
        claim, module = found
        naam = module.data.get("naam") or module.title
        previous = organisation_name(claim.previous_owner)
        kind = organisation_types([claim.previous_owner]).get(claim.previous_owner, "")
        return ReviewItem(
            key=key,
            title=f"{naam} overgenomen door {module.organisation_name}",
            description=(
                f"{module.organisation_name} heeft de applicatie {naam} op {_date(claim.at)} "
                f"overgenomen van {previous}" + (f" ({kind.lower()})." if kind else ".")
            ),
            submitted_at=claim.at,
            url=module.api_path,
        )

    @transaction.atomic
    def accept(self, *, key, actor, note) -> str:
        claim, module = self._open(key, actor)
        naam = module.data.get("naam") or module.title
        new, previous = module.organisation_name, organisation_name(claim.previous_owner)
        text = (
            f"Functioneel beheer heeft bevestigd dat {new} de applicatie {naam} beheert, die "
            f"{previous} registreerde."
        )
        tell_beheerders(
            claim.new_owner,
            f"Uw overname van {naam} is bevestigd",
            _with_note(text, note),
            module.api_path,
        )
        tell_beheerders(
            claim.previous_owner,
            f"{naam} wordt beheerd door {new}",
            _with_note(text, note),
            module.api_path,
        )
        record(
            "catalogus.overname.bevestigd",
            actor=actor,
            organisation_uuid=claim.new_owner,
            target=naam,
            details={"uuid": claim.uuid, "versie": claim.version, "toelichting": note},
        )
        return f"De overname van {naam} door {new} blijft staan."

    @transaction.atomic
    def decline(self, *, key, actor, note) -> str:
        claim, module = self._open(key, actor)
        naam = module.data.get("naam") or module.title
        new, previous = module.organisation_name, organisation_name(claim.previous_owner)
        status = claim.status_before if claim.status_before in (CONCEPT, PUBLISHED) else None
        claim_as(actor, claim.uuid, organisation=claim.previous_owner, status=status)
        text = (
            f"Functioneel beheer heeft de overname van de applicatie {naam} door {new} "
            f"teruggedraaid; {previous} beheert haar weer."
        )
        tell_beheerders(
            claim.new_owner,
            f"Uw overname van {naam} is teruggedraaid",
            _with_note(text, note, "Reden"),
        )
        tell_beheerders(
            claim.previous_owner,
            f"{naam} is aan uw organisatie teruggegeven",
            _with_note(text, note, "Reden"),
            module.api_path,
        )
        record(
            "catalogus.overname.teruggedraaid",
            actor=actor,
            organisation_uuid=claim.previous_owner,
            target=naam,
            details={
                "uuid": claim.uuid,
                "versie": claim.version,
                "van": claim.new_owner,
                "reden": note,
            },
        )
        return f"{naam} is teruggegeven aan {previous}."


class ProposedGebruik(CatalogusQueue):
    slug = "voorgesteld-gebruik"
    naam = "Voorgesteld gebruik dat langer dan 14 dagen wacht"
    what = "voorgesteld gebruik"

    def pending(self) -> dict[str, ObjectSummary]:
        waited = timezone.now() - PATIENCE
        found = {
            g.uuid: g
            for g in find_objects(GEBRUIK, status=CONCEPT, created_before=waited)
            if g.data.get("afnemer") and g.data.get("afnemer") != g.organisation
        }
        undecided = self._undecided(found)
        return {key: g for key, g in found.items() if key in undecided}

    def item(self, key: str, found: ObjectSummary) -> ReviewItem:
        afnemer = found.data["afnemer"]
        afnemer_name = organisation_name(afnemer)
        days = (timezone.now() - found.created_at).days
        warnings = ()
        if not has_active_member(afnemer, [GEBRUIK_BEHEERDER]):
            warnings = (
                f"{afnemer_name} heeft geen actieve gebruik-beheerder die het voorstel kan "
                "beoordelen.",
            )
        return ReviewItem(
            key=key,
            title=found.title,
            description=(
                f"{found.organisation_name} stelde op {_date(found.created_at)} voor dat "
                f"{afnemer_name} {application_name(found.data)} gebruikt; {afnemer_name} "
                f"reageerde na {days} dagen nog niet."
            ),
            submitted_at=found.created_at,
            url=found.api_path,
            overdue=True,
            warnings=warnings,
        )

    @transaction.atomic
    def accept(self, *, key, actor, note) -> str:
        found = self._open(key, actor)
        afnemer = found.data["afnemer"]
        afnemer_name, app = organisation_name(afnemer), application_name(found.data)
        claim_as(actor, key, organisation=afnemer, status=PUBLISHED)
        text = (
            f"{found.organisation_name} stelde op {_date(found.created_at)} voor dat "
            f"{afnemer_name} {app} gebruikt. Functioneel beheer heeft dat gebruik namens "
            f"{afnemer_name} overgenomen en gepubliceerd; {afnemer_name} kan het in het eigen "
            "landschap wijzigen of verwijderen."
        )
        tell_beheerders(
            afnemer, f"{app} staat nu in uw landschap", _with_note(text, note), found.api_path
        )
        tell_beheerders(
            found.organisation,
            f"Uw voorstel over {app} bij {afnemer_name} is overgenomen",
            _with_note(text, note),
            found.api_path,
        )
        record(
            "catalogus.gebruik.overgenomen",
            actor=actor,
            organisation_uuid=afnemer,
            target=found.title,
            details={"uuid": key, "voorgesteldDoor": found.organisation, "toelichting": note},
        )
        return f"Het gebruik van {app} is overgenomen voor {afnemer_name} en gepubliceerd."

    @transaction.atomic
    def decline(self, *, key, actor, note) -> str:
        found = self._open(key, actor)
        afnemer = found.data["afnemer"]
        afnemer_name, app = organisation_name(afnemer), application_name(found.data)
        try:
            delete_as(actor, key)
        except Conflict as exc:
            raise AccountError(f"Het voorstel is niet verwijderd. {exc}") from None
        text = (
            f"{found.organisation_name} stelde op {_date(found.created_at)} voor dat "
            f"{afnemer_name} {app} gebruikt. Functioneel beheer heeft dat voorstel afgewezen "
            "en verwijderd."
        )
        tell_beheerders(
            afnemer, f"Voorgesteld gebruik van {app} is verwijderd", _with_note(text, note, "Reden")
        )
        tell_beheerders(
            found.organisation,
            f"Uw voorstel over {app} bij {afnemer_name} is afgewezen",
            _with_note(text, note, "Reden"),
        )
        record(
            "catalogus.gebruik.voorstel-afgewezen",
            actor=actor,
            organisation_uuid=afnemer,
            target=found.title,
            details={"uuid": key, "voorgesteldDoor": found.organisation, "reden": note},
        )
        return f"Het voorgestelde gebruik van {app} bij {afnemer_name} is verwijderd."


QUEUES = (ConceptApplications, Claims, ProposedGebruik)
