"""Base classes plugins subclass: exporters, import sources, list filters, object actions,
review queues."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django.db.models import Q

    from core.actors import Actor
    from core.register.spec import SchemaSpec


class Exporter:
    """Turns the rows of a list (same filters, same access) into a streamed file."""

    slug: ClassVar[str]
    naam: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]

    def export(
        self, *, rows: Iterable[dict], spec: SchemaSpec, fields: list[str], actor: Actor
    ) -> Iterator[bytes]:
        """Yield the file in chunks. ``rows`` are API representations, already filtered."""
        raise NotImplementedError


class BundleExporter:
    """Writes a file of several kinds of objects at once (a landscape, an offer).

    The plugin that owns a bundle kind (e.g. the catalogue's ``landschap``) builds the
    ``selection`` (querysets that already apply access); the format plugin writes it. Core
    only matches ``kind`` and ``slug``, it does not know what is inside."""

    slug: ClassVar[str]
    naam: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]

    def export(self, *, kind: str, selection: Any, actor: Actor) -> Iterator[bytes]:
        """Yield the file in chunks; same selection → byte-identical file."""
        raise NotImplementedError


class ImportSource:
    """Reads an uploaded file into object data dicts for the bulk import path."""

    slug: ClassVar[str]
    naam: ClassVar[str]
    media_types: ClassVar[tuple[str, ...]] = ()

    def read(self, *, content: bytes, spec: SchemaSpec) -> Iterator[dict]:
        raise NotImplementedError


class ListFilter:
    """An extra query key on lists; ``condition`` returns a Q over ``core.Object``."""

    key: ClassVar[str]
    description: ClassVar[str] = ""

    def applies_to(self, spec: SchemaSpec) -> bool:
        return True

    def condition(self, *, value: str, spec: SchemaSpec, actor: Actor) -> Q:
        raise NotImplementedError


class ObjectAction:
    """Something a user can do to one object besides editing it."""

    slug: ClassVar[str]
    naam: ClassVar[str]

    def applies_to(self, *, obj: Any, actor: Actor) -> bool:
        return True

    def run(self, *, obj: Any, actor: Actor, payload: dict) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class ReviewItem:
    """One thing waiting for functioneel beheer in the "Te beoordelen" inbox."""

    key: str  # unique within its queue, stable across requests
    title: str
    description: str
    submitted_at: datetime
    url: str = ""  # where to look closer (admin or site)
    overdue: bool = False  # waiting longer than the queue's patience
    warnings: tuple[str, ...] = ()  # e.g. "lijkt op de bestaande organisatie …"


class ReviewQueue:
    """A kind of item to accept or decline; each decision is recorded and e-mailed by the queue.

    ``items`` lists only undecided items. ``accept``/``decline`` carry out the decision and
    raise ``core.accounts.AccountError`` (or ``core.services.NotAllowed``) with a Dutch
    message when they cannot; the inbox records the decision only when they succeed.
    """

    slug: ClassVar[str]
    naam: ClassVar[str]
    # Decisions besides accept/decline, e.g. {"doorsturen": "Doorsturen naar de beheerder"}.
    extra_actions: ClassVar[dict[str, str]] = {}

    def items(self, *, actor: Actor) -> list[ReviewItem]:
        raise NotImplementedError

    def run_action(self, *, action: str, key: str, actor: Actor, note: str) -> str:
        """Carry out one of ``extra_actions``; return a Dutch confirmation."""
        raise NotImplementedError

    def accept(self, *, key: str, actor: Actor, note: str) -> str:
        """Carry out the acceptance; return a Dutch confirmation."""
        raise NotImplementedError

    def decline(self, *, key: str, actor: Actor, note: str) -> str:
        """Carry out the refusal; return a Dutch confirmation."""
        raise NotImplementedError


@dataclass(frozen=True)
class PageSection:
    """A block a plugin adds to a core page (the organisation page): a heading and HTML the
    plugin rendered for this actor (escape what you did not write; templates do that)."""

    id: str  # the anchor, e.g. "aanbod"
    title: str
    html: str
