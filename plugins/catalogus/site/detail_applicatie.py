"""`/applicaties/<uuid>`: one application with its tabs (beschrijving, versies, standaarden,
diensten, koppelingen, gebruik) and similar applications.

Every list starts from `visible()`, so a supplier never sees another organisation's
landscape and anonymous visitors never see gebruik. A fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.plugins.site import actor_of, may, titles, visible, visible_data, visible_object
from plugins.catalogus.site.detail_common import (
    PUBLISHER_TYPES,
    contact,
    external_url,
    label,
    labels,
    may_add_to_landscape,
    organisations,
)
from plugins.catalogus.site.facts import gemeenten_count, row_count, standards_table
from plugins.catalogus.site.menu import has_offer

PUBLISHED = "gepubliceerd"
SIMILAR_LIMIT = 5


@dataclass
class Tab:
    id: str
    title: str
    count: int | None = None


def applicatie(request, uuid):
    actor = actor_of(request)
    module = visible_object("catalogus/module", uuid, actor)
    data = visible_data(module, actor)
    key = str(module.uuid)
    orgs = organisations([data.get("aanbieder")], actor)
    own = _is_own(module, data, actor)
    component_uuids = data.get("referentieComponenten") or []

    versions = _versions(key, actor)
    standards = standards_table(module, component_uuids, actor)
    diensten = list(
        visible("catalogus/dienst", actor)
        .filter(data__modules__contains=[key])
        .select_related("organisation")
        .order_by("title")
    )
    koppelingen = _koppelingen(key, actor)
    gebruik = _gebruik(key, module.title, actor, own)
    similar = _similar(key, component_uuids, actor)
    component_titles = titles(component_uuids, actor)

    tabs = [
        Tab("beschrijving", _("Beschrijving")),
        Tab("versies", _("Versies"), len(versions)),
        Tab("standaarden", _("Standaarden"), row_count(standards)),
        Tab("diensten", _("Diensten"), len(diensten)),
        Tab("koppelingen", _("Koppelingen"), len(koppelingen)),
    ]
    if gebruik is not None:
        tabs.append(Tab("gebruik", _("Gebruik"), len(gebruik)))
    context = {
        "module": module,
        "data": data,
        "aanbieder": orgs.get(str(data.get("aanbieder") or "")),
        "is_concept": module.status != PUBLISHED,
        "not_by_supplier": (data.get("geregistreerdDoor") or "Leverancier") not in PUBLISHER_TYPES,
        "website": external_url(data.get("website")),
        "hosting": labels(
            "catalogus/module", "cloudDienstverleningsmodel", data.get("cloudDienstverleningsmodel")
        ),
        "hosting_locatie": label("catalogus/module", "hostingLocatie", data.get("hostingLocatie")),
        "jurisdictie": label(
            "catalogus/module", "hostingJurisdictie", data.get("hostingJurisdictie")
        ),
        "contactpersoon": contact(data.get("contactpersoon"), actor),
        "referentiecomponenten": [
            {"uuid": str(u), "naam": component_titles[str(u)]}
            for u in component_uuids
            if str(u) in component_titles
        ],
        "tabs": tabs,
        "versions": versions,
        "standards": standards,
        "diensten": [(d, labels("catalogus/dienst", "type", d.data.get("type"))) for d in diensten],
        "koppelingen": koppelingen,
        "gebruik": gebruik,
        "gebruik_names_only": own and not actor.is_government,
        "gemeenten": gemeenten_count([key], actor).get(key, 0) if actor.is_government else None,
        "similar": similar,
        "may_add": may_add_to_landscape(actor),
        "may_edit": has_offer(actor) and may(module, actor),
    }
    return render(request, "catalogus/detail/applicatie.html", context)


def _is_own(module, data, actor) -> bool:
    """The actor's organisation offers this application (it may see who uses it, #19)."""
    org = actor.organisation
    if org is None:
        return False
    return module.organisation_id == org.pk or str(data.get("aanbieder") or "") == str(org.uuid)


def _versions(key: str, actor) -> list[dict]:
    rows = visible("catalogus/moduleVersie", actor).filter(data__module=key).order_by("title")
    versions = []
    for row in rows:
        d = row.data
        datums = [
            (_("In ontwikkeling"), d.get("datumInOntwikkeling")),
            (_("In gebruik"), d.get("datumInGebruik")),
            (_("Einde ondersteuning"), d.get("datumEindeOndersteuning")),
            (_("Teruggetrokken"), d.get("datumTeruggetrokken")),
        ]
        versions.append(
            {
                "versie": d.get("versie") or row.title,
                "status": label("catalogus/moduleVersie", "status", d.get("status")),
                "beschrijving": d.get("beschrijvingKort") or "",
                "datums": datums,
                "has_dates": any(day for _name, day in datums),
            }
        )
    return versions


def _koppelingen(key: str, actor) -> list[dict]:
    """Suppliers' templates for everyone; a gemeente's own koppelingen only where visible()
    returns them (government users, the owner), labelled with whose they are."""
    rows = list(
        visible("catalogus/koppeling", actor)
        .filter(Q(data__moduleA=key) | Q(data__moduleB=key))
        .select_related("organisation")
        .order_by("title")
    )
    others = set()
    for row in rows:
        d = row.data
        other = d.get("moduleB") if d.get("moduleA") == key else d.get("moduleA")
        others.update(u for u in (other, d.get("buitengemeentelijkVoorziening")) if u)
    names = titles(others, actor)
    result = []
    for row in rows:
        d = row.data
        other = d.get("moduleB") if d.get("moduleA") == key else d.get("moduleA")
        voorziening = d.get("buitengemeentelijkVoorziening")
        result.append(
            {
                "obj": row,
                "naam": row.title,
                "andere": names.get(str(other)) if other else None,
                "andere_uuid": str(other) if other and str(other) in names else None,
                "voorziening": names.get(str(voorziening)) if voorziening else None,
                "richting": label(
                    "catalogus/koppeling",
                    "gegevensuitwisselingRichting",
                    d.get("gegevensuitwisselingRichting"),
                ),
                "type": label("catalogus/koppeling", "type", d.get("type")),
                "is_template": row.organisation.type in PUBLISHER_TYPES,
                "eigenaar": row.organisation.display_name,
            }
        )
    return result


def _short_version(name: str, module_title: str) -> str:
    """A version's title is "<application> <versie>"; in the application's own table the
    versie alone reads better."""
    return name.removeprefix(f"{module_title} ") if name else ""


def _gebruik(key: str, title: str, actor, own: bool) -> list[dict] | None:
    """Who uses the application (accepted registrations only): for government users with
    status and version; a supplier sees the names for its own applications (#19, #105);
    everyone else gets no tab at all (None)."""
    if not (actor.is_government or own):
        return None
    rows = list(
        visible("catalogus/gebruik", actor)
        .filter(data__module=key, status=PUBLISHED)
        .order_by("created_at")
    )
    org_keys, version_keys = set(), set()
    for row in rows:
        org_keys.add(row.data.get("afnemer"))
        org_keys.update(row.data.get("deelnemers") or [])
        version_keys.add(row.data.get("moduleVersie"))
    orgs = organisations(org_keys, actor)
    version_names = titles(version_keys, actor) if actor.is_government else {}
    result = []
    for row in rows:
        afnemer = orgs.get(str(row.data.get("afnemer") or ""))
        if afnemer is None:
            continue
        result.append(
            {
                "afnemer": afnemer,
                "deelnemers": [
                    orgs[str(u)] for u in row.data.get("deelnemers") or [] if str(u) in orgs
                ],
                "status": row.data.get("status") or "",
                "versie": _short_version(
                    version_names.get(str(row.data.get("moduleVersie") or ""), ""), title
                ),
            }
        )
    result.sort(key=lambda r: r["afnemer"].display_name.lower())
    return result


def _similar(key: str, component_uuids, actor) -> list:
    """A few published applications that share a referentiecomponent (#19)."""
    wanted = [str(u) for u in component_uuids or [] if u]
    if not wanted:
        return []
    return list(
        visible("catalogus/module", actor)
        .filter(status=PUBLISHED, data__referentieComponenten__has_any_keys=wanted)
        .exclude(uuid=key)
        .order_by("title")[:SIMILAR_LIMIT]
    )
