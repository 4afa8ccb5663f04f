"""The result cards of /zoeken: what one page of results shows, in a fixed number of
queries whatever the page holds (objects, organisations, referentiecomponent names,
gemeenten counts), and only what the actor may read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Func, Q, TextField
from django.db.models.fields.json import KT

from core.plugins.site import enum_labels, visible, visible_data, visible_organisations
from plugins.catalogus.site.facts import dienst_gemeenten_count, gemeenten_count
from plugins.catalogus.site.search_params import APPLICATIE, DIENST, KIND_LABELS, ORGANISATIE

URLS = {APPLICATIE: "/applicaties/", DIENST: "/diensten/", ORGANISATIE: "/organisaties/"}
SHOWN_COMPONENTS = 2


@dataclass
class Link:
    name: str
    url: str


@dataclass
class Card:
    kind: str
    uuid: str
    name: str
    summary: str = ""
    supplier: Link | None = None
    registered: object = None  # date of the first registration
    components: list[Link] = field(default_factory=list)
    more_components: int = 0
    diensttypes: str = ""
    gemeenten: int | None = None  # only for government users
    concept: bool = False
    organisation_type: str = ""

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def url(self) -> str:
        return URLS[self.kind] + self.uuid


def build_cards(rows: list[tuple[str, int]], actor) -> list[Card]:
    """Cards in the order of `rows` ((kind, id) from search_query.page_rows)."""
    org_ids = [pk for kind, pk in rows if kind == ORGANISATIE]
    objects = {}
    for kind, schema in ((APPLICATIE, "catalogus/module"), (DIENST, "catalogus/dienst")):
        ids = [pk for k, pk in rows if k == kind]
        if ids:
            objects.update({o.pk: o for o in visible(schema, actor).filter(pk__in=ids)})
    datas = {pk: visible_data(obj, actor) for pk, obj in objects.items()}
    suppliers = {d.get("aanbieder") for d in datas.values() if d.get("aanbieder")}
    orgs_by_id, orgs_by_uuid = {}, {}
    if org_ids or suppliers:
        found = visible_organisations(actor).filter(Q(pk__in=org_ids) | Q(uuid__in=suppliers))
        for org in found:
            orgs_by_id[org.pk] = org
            orgs_by_uuid[str(org.uuid)] = org
    module_ids = [pk for kind, pk in rows if kind == APPLICATIE and pk in objects]
    modules = [str(objects[pk].uuid) for pk in module_ids]
    component_uuids = {u for pk in module_ids for u in _uuids(datas[pk])}
    names = {}
    if component_uuids:
        found = visible("gemma/referentiecomponent", actor).filter(uuid__in=component_uuids)
        names = {str(u): t for u, t in found.values_list("uuid", "title")}
    crowded = [str(objects[pk].uuid) for pk in module_ids if len(_uuids(datas[pk])) > 2]
    popular = component_use(crowded, actor) if crowded and actor.is_authenticated else {}
    gemeenten = gemeenten_count(modules, actor) if actor.is_government and modules else {}
    diensten = [str(objects[pk].uuid) for kind, pk in rows if kind == DIENST and pk in objects]
    if actor.is_government and diensten:
        gemeenten |= dienst_gemeenten_count(diensten, actor)
    type_labels = enum_labels("catalogus/dienst", "type")

    cards = []
    for kind, pk in rows:
        if kind == ORGANISATIE:
            org = orgs_by_id.get(pk)
            if org is not None:
                cards.append(
                    Card(
                        kind,
                        str(org.uuid),
                        org.display_name,
                        summary=org.beschrijving_kort,
                        registered=org.created_at,
                        organisation_type=org.get_type_display(),
                    )
                )
            continue
        obj = objects.get(pk)
        if obj is None:
            continue
        data = datas[pk]
        supplier = orgs_by_uuid.get(data.get("aanbieder") or "")
        card = Card(
            kind,
            str(obj.uuid),
            obj.title or data.get("naam", ""),
            summary=data.get("beschrijvingKort", ""),
            supplier=Link(supplier.display_name, URLS[ORGANISATIE] + str(supplier.uuid))
            if supplier
            else None,
            registered=obj.created_at,
            concept=obj.status == "concept",
        )
        if kind == APPLICATIE:
            uses = popular.get(str(obj.uuid), {})
            shown = sorted(
                (u for u in _uuids(data) if u in names),
                key=lambda u: (-uses.get(u, 0), names[u].lower()),
            )
            components = [Link(names[u], f"/referentiecomponenten/{u}") for u in shown]
            card.components = components[:SHOWN_COMPONENTS]
            card.more_components = max(0, len(components) - SHOWN_COMPONENTS)
        else:
            card.diensttypes = ", ".join(type_labels.get(t, t) for t in data.get("type") or [])
        if actor.is_government:
            card.gemeenten = gemeenten.get(str(obj.uuid), 0)
        cards.append(card)
    return cards


def component_use(module_uuids: list[str], actor) -> dict[str, dict[str, int]]:
    """Per application: how often the gebruik the actor may see names each referentiecomponent
    (#144: a card shows the two gemeenten register most). One query; anonymous visitors
    see no gebruik, so their cards list components alphabetically."""
    rows = (
        visible("catalogus/gebruik", actor)
        .alias(_m=KT("data__module"))
        .filter(_m__in=module_uuids)
        .annotate(
            _module=KT("data__module"),
            _component=Func(
                F("data__gebruiktVoorReferentiecomponenten"),
                function="jsonb_array_elements_text",
                output_field=TextField(),
            ),
        )
        .values("_module", "_component")
    )
    sql, args = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT _module, _component, count(*) FROM ({sql}) AS u GROUP BY 1, 2", args
        )
        found = cursor.fetchall()
    result: dict[str, dict[str, int]] = {}
    for module, component, n in found:
        result.setdefault(module, {})[component] = n
    return result


def _uuids(data) -> list[str]:
    return [str(u) for u in data.get("referentieComponenten") or []]
