"""#352: a user's name, e-mail, phone and function are one record with their contactpersonen.

When a user edits "Mijn account", their own contactpersoon records follow, wherever they are
shown.

Which records are the user's own: contactpersonen of an organisation the user currently
acts for whose e-mail address is the account's address (before this change, compared
case-insensitively). An account's address belongs to one account only and was proven by its
holder (the invitation link, or the confirmation sent to a new address), so such a record
describes this person and nobody else. A record with the same address at an organisation
the user does not act for is that organisation's business and stays as it is.

Who writes: the user, through the write path like any edit, where the schema lets them
(a beheerder). Where it does not (a raadpleger may not edit contactpersonen), the system
writes, because the person only changed facts about themselves, which #352 makes one
record. That exception is kept narrow: only the user's own records as defined above, only
the person fields below (never status, organisation or any other property), and every such
write is audited in the user's name, so the "system" entry in the object's history can be
traced to the account change that caused it.
"""

from __future__ import annotations

from core.plugins.accounts import AccountError, acting_actors, record
from core.plugins.register import find_objects, system_actor, update_as
from core.plugins.site import NotAllowed, ValidationFailed

CONTACT = "catalogus/contactpersoon"
# Contactpersoon property ← user attribute: the only properties a sync may write.
FIELDS = {
    "voornaam": "voornaam",
    "tussenvoegsel": "tussenvoegsel",
    "achternaam": "achternaam",
    "emailadres": "email",
    "telefoonnummer": "telefoonnummer",
    "functie": "functie",
}


def _patch(user, current: dict) -> dict:
    """The merge patch that makes a contactpersoon say what the account says. An empty value
    removes the property, except the required achternaam, which then stays as it was."""
    patch = {}
    for prop, attr in FIELDS.items():
        value = (getattr(user, attr, "") or "").strip()
        if not value and prop == "achternaam":
            continue
        wanted = value or None
        if current.get(prop) != wanted:
            patch[prop] = wanted
    return patch


def _write(actor, contact, patch: dict) -> None:
    """As the user where the schema allows it, otherwise as the system on their behalf."""
    try:
        update_as(actor, contact.uuid, patch)
        return
    except NotAllowed:
        pass  # refused before anything was written: the user may not edit this record
    update_as(system_actor(), contact.uuid, patch)
    record(
        "contactpersoon.eigen-gegevens",
        actor=actor,
        organisation_uuid=str(actor.organisation.uuid),
        target=contact.uuid,
        details={"velden": sorted(patch), "geschreven_door": "systeem, namens de gebruiker"},
    )


def sync_contacts(user, previous: dict) -> int:
    """Update the user's own contactpersonen through the write path, inside the caller's
    transaction; returns how many changed. A refused update raises `AccountError` (Dutch),
    so the account change is undone with it."""
    old_email = (previous.get("email") or "").strip()
    if not old_email:
        return 0
    changed = 0
    for actor in acting_actors(user):
        owner = str(actor.organisation.uuid)
        for contact in find_objects(CONTACT, owners=[owner], iexact={"emailadres": old_email}):
            patch = _patch(user, contact.data)
            if not patch:
                continue
            try:
                _write(actor, contact, patch)
            except ValidationFailed as exc:
                reasons = "; ".join(message for _pointer, message in exc.errors)
                raise AccountError(
                    f"Uw gegevens zijn niet opgeslagen: ze konden niet worden overgenomen in "
                    f"contactpersoon {contact.title} van {contact.organisation_name} ({reasons})."
                ) from None
            changed += 1
    return changed
