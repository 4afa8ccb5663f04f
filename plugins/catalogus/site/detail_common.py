"""Small look-ups the catalogue's detail pages, the compare page and the organisation
sections share: organisations and contact persons as the actor may see them, readable enum
labels, and who gets which button."""

from __future__ import annotations

from core.plugins.site import enum_labels, visible, visible_data, visible_organisations
from plugins.catalogus.site.menu import changes_landscape

GOVERNMENT_TYPES = ("Gemeente", "Samenwerking")
PUBLISHER_TYPES = ("Leverancier", "Community")


def organisations(uuids, actor) -> dict:
    """Visible organisations by uuid (str), in one query; invisible ones are absent."""
    wanted = {str(u) for u in uuids if u}
    if not wanted:
        return {}
    return {str(org.uuid): org for org in visible_organisations(actor).filter(uuid__in=wanted)}


def contact(uuid, actor) -> dict | None:
    """A contact person's readable fields, or None when the actor may not see them (a
    gemeente's contact person never reaches an anonymous visitor)."""
    if not uuid:
        return None
    found = visible("catalogus/contactpersoon", actor).filter(uuid=uuid).first()
    if found is None:
        return None
    data = visible_data(found, actor)
    name = " ".join(
        part
        for part in (data.get("voornaam"), data.get("tussenvoegsel"), data.get("achternaam"))
        if part
    )
    return {
        "naam": name or data.get("naam") or found.title,
        "functie": data.get("functie") or "",
        "emailadres": data.get("emailadres") or "",
        "telefoonnummer": data.get("telefoonnummer") or "",
    }


def label(schema: str, prop: str, value) -> str:
    """The readable label of one enum value ("" for none)."""
    if not value:
        return ""
    return enum_labels(schema, prop).get(str(value), str(value))


def labels(schema: str, prop: str, values) -> str:
    """Readable labels of a multi-valued enum as a comma list (never `["a","b"]`)."""
    names = enum_labels(schema, prop)
    return ", ".join(names.get(str(v), str(v)) for v in values or [])


def may_add_to_landscape(actor) -> bool:
    """Gebruik-beheerders of a gemeente or samenwerking add applications and diensten."""
    return changes_landscape(actor)


def external_url(url: str) -> str:
    """Evidence and website links work without "https://" (#382)."""
    url = (url or "").strip()
    if url and "://" not in url and not url.startswith("mailto:"):
        return f"https://{url}"
    return url
