"""Events emitted after commit. Their fields are part of the stable plugin surface."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectEvent:
    action: str  # "created" | "updated" | "archived" | "deleted"
    uuid: str
    schema: str  # "<register>/<schema>"
    organisation: str  # uuid of the owning organisation
    version: int
    user_id: int | None
    acting_organisation: str | None
    role: str | None
    channel: str
    request_id: str
