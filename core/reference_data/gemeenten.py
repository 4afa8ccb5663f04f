"""The 342 gemeenten as organisations: reference data every environment needs.

Gemeenten never register themselves (VNG creates them), so the list ships with the product
and `manage.py prepare` loads it. Loading is an upsert on the CBS code: running it twice, or
after an admin created a gemeente by hand, never makes a duplicate.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.constants import OrganisationStatus, OrganisationType

GEMEENTEN_CSV = Path(__file__).with_name("gemeenten_2025.csv")
SYNCED_FIELDS = ("naam", "weergavenaam", "provincie")


@dataclass(frozen=True)
class Gemeente:
    cbs_code: str
    naam: str
    weergavenaam: str
    provincie: str


def read_gemeenten(path: Path = GEMEENTEN_CSV) -> list[Gemeente]:
    """The rows of the reference file, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Gemeente(row["cbs_code"], row["naam"], row["weergavenaam"], row["provincie"])
            for row in csv.DictReader(handle)
        ]


def load_gemeenten(path: Path = GEMEENTEN_CSV) -> list[str]:
    """Create or update one Gemeente per row; returns Dutch lines saying what changed.

    One query when everything is already there. An existing organisation is found by its
    CBS code (also written as GM0363), or else as a Gemeente of the same name without a
    code (created by hand or by older demo data), which then gets the code.
    """
    from core.models import Organisation

    gemeenten = read_gemeenten(path)
    wanted = {g.cbs_code for g in gemeenten}
    by_code = {}
    for org in Organisation.objects.filter(
        cbs_code__in=wanted | {f"GM{code}" for code in wanted}
    ).order_by("-cbs_code"):  # "0363" after "GM0363": the exact code wins
        by_code[org.cbs_code.removeprefix("GM")] = org
    if len(by_code) == len(gemeenten) and all(_matches(by_code[g.cbs_code], g) for g in gemeenten):
        return []
    with transaction.atomic():
        return _upsert(gemeenten, by_code)


def _matches(org, gemeente: Gemeente) -> bool:
    return org.cbs_code == gemeente.cbs_code and all(
        getattr(org, name) == getattr(gemeente, name) for name in SYNCED_FIELDS
    )


def _upsert(gemeenten: list[Gemeente], by_code: dict) -> list[str]:
    from core.models import Organisation

    uncoded = {
        org.naam: org
        for org in Organisation.objects.filter(type=OrganisationType.GEMEENTE, cbs_code="")
    }
    new, changed, now = [], [], timezone.now()
    for gemeente in gemeenten:
        org = by_code.get(gemeente.cbs_code) or uncoded.pop(gemeente.naam, None)
        if org is None:
            new.append(
                Organisation(
                    type=OrganisationType.GEMEENTE,
                    status=OrganisationStatus.ACTIEF,
                    cbs_code=gemeente.cbs_code,
                    naam=gemeente.naam,
                    weergavenaam=gemeente.weergavenaam,
                    provincie=gemeente.provincie,
                )
            )
        elif not _matches(org, gemeente):
            org.cbs_code = gemeente.cbs_code
            for name in SYNCED_FIELDS:
                setattr(org, name, getattr(gemeente, name))
            org.updated_at = now
            changed.append(org)
    Organisation.objects.bulk_create(new)
    Organisation.objects.bulk_update(changed, ["cbs_code", *SYNCED_FIELDS, "updated_at"])
    lines = []
    if new:
        lines.append(f"{len(new)} gemeenten toegevoegd")
    if changed:
        lines.append(f"{len(changed)} gemeenten bijgewerkt")
    return lines
