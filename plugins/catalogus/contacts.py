"""#352: a user's name, e-mail, phone and function are one record with their contactpersonen.

When a user edits "Mijn account", every contactpersoon of one of their organisations whose
e-mail address was theirs (case-insensitive) follows, wherever it is shown. Only the user's
own organisations: a person of the same address elsewhere is someone else's record.
"""

from __future__ import annotations

from core.plugins.accounts import AccountError, acting_actors
from core.plugins.register import find_objects, system_actor, update_as
from core.services import ValidationFailed

CONTACT = "catalogus/contactpersoon"
# Contactpersoon property ← user attribute.
FIELDS = {
    "voornaam": "voornaam",
    "tussenvoegsel": "tussenvoegsel",
    "achternaam": "achternaam",
    "emailadres": "email",
    "telefoonnummer": "telefoonnummer",
    "functie": "functie",
}
# Roles that may edit their organisation's contactpersonen themselves; for the others the
# system writes (the user still only changed their own details).
EDITORS = ("aanbod-beheerder", "gebruik-beheerder")


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


def sync_contacts(user, previous: dict) -> int:
    """Update the user's contactpersonen through the write path, inside the caller's
    transaction; returns how many changed. A refused update raises `AccountError` (Dutch),
    so the account change is undone with it."""
    old_email = (previous.get("email") or "").strip()
    if not old_email:
        return 0
    changed = 0
    for actor in acting_actors(user):
        owner = str(actor.organisation.uuid)
        writer = actor if actor.role in EDITORS else system_actor()
        for contact in find_objects(CONTACT, owners=[owner], iexact={"emailadres": old_email}):
            patch = _patch(user, contact.data)
            if not patch:
                continue
            try:
                update_as(writer, contact.uuid, patch)
            except ValidationFailed as exc:
                reasons = "; ".join(message for _pointer, message in exc.errors)
                raise AccountError(
                    f"Uw gegevens zijn niet opgeslagen: ze konden niet worden overgenomen in "
                    f"contactpersoon {contact.title} van {contact.organisation_name} ({reasons})."
                ) from None
            changed += 1
    return changed
