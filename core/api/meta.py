"""Organisations, registers, schemas, plugins, CMS pages and jobs in the API."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actors import Actor
from core.api.auth import actor_of
from core.api.errors import ProblemError
from core.api.strict import ANY, StrictQueryMixin
from core.constants import OrganisationStatus
from core.models import Job, Organisation, Register
from core.plugins.manager import loaded_plugins
from core.register import catalog
from core.register.query import MAX_PAGE_SIZE, QueryError

ORG_FILTERS = {"type": "type", "status": "status", "provincie": "provincie", "cbsCode": "cbs_code"}
ORG_SORTS = {"naam": "naam", "weergavenaam": "weergavenaam", "type": "type"}
ORG_FACETS = {"type": "type", "status": "status", "provincie": "provincie"}


def visible_organisations(actor: Actor):
    """Government users see every organisation (with its status); others only Actief ones."""
    qs = Organisation.objects.all()
    if actor.is_government:
        return qs
    own = Q(pk=actor.organisation.pk) if actor.organisation else Q(pk__in=[])
    return qs.filter(Q(status=OrganisationStatus.ACTIEF) | own)


def active_beheerder_q():
    """An Exists() for "has an active beheerder" (1.3): shown to everyone, never who it is."""
    from core.accounts.roles import active_beheerders

    return Exists(active_beheerders().filter(organisation=OuterRef("pk")))


def with_active_beheerder(qs):
    return qs.annotate(has_active_beheerder=active_beheerder_q())


def has_active_beheerder(org: Organisation) -> bool:
    annotated = getattr(org, "has_active_beheerder", None)
    if annotated is not None:
        return annotated
    return Organisation.objects.filter(pk=org.pk).filter(active_beheerder_q()).exists()


def _organisation_ref(org: Organisation) -> dict:
    return {
        "uuid": str(org.uuid),
        "url": f"/api/v1/organisaties/{org.uuid}",
        "type": org.type,
        "weergavenaam": org.display_name,
    }


def organisation_json(org: Organisation, *, actor: Actor | None = None) -> dict:
    """An organisation; with `actor` (the detail view) also its deelnemers or deelnemingen,
    limited to organisations that actor may see."""
    body = {
        "uuid": str(org.uuid),
        "url": f"/api/v1/organisaties/{org.uuid}",
        "type": org.type,
        "status": org.status,
        "naam": org.naam,
        "weergavenaam": org.display_name,
        "cbsCode": org.cbs_code or None,
        "provincie": org.provincie or None,
        "kvkNummer": org.kvk_nummer or None,
        "website": org.website or None,
        "beschrijvingKort": org.beschrijving_kort,
        "beschrijvingLang": org.beschrijving_lang,
        "logo": org.logo.url if org.logo else None,
        "heeftActieveBeheerder": has_active_beheerder(org),
    }
    if org.samengevoegd_in_id:
        body["samengevoegdIn"] = f"/api/v1/organisaties/{org.samengevoegd_in.uuid}"
    if actor is not None:
        from core.accounts.deelnemingen import deelnemers_of, deelnemingen_of
        from core.accounts.roles import SAMENWERKING_TYPES

        if org.type in SAMENWERKING_TYPES:
            rows = deelnemers_of(org, visible_to=actor)
            body["deelnemers"] = [_organisation_ref(d.organisation) for d in rows]
        else:
            rows = deelnemingen_of(org, visible_to=actor)
            body["deelnemingen"] = [_organisation_ref(d.samenwerking) for d in rows]
    return body


def _page_params(params, errors) -> tuple[int, int]:
    def number(key, default, high):
        raw = params.get(key, str(default))
        try:
            value = int(raw)
        except ValueError:
            errors.append((key, "Moet een geheel getal zijn."))
            return default
        if not 1 <= value <= high:
            errors.append((key, f"Moet tussen 1 en {high} liggen."))
        return max(1, min(value, high))

    return number("pagina", 1, 10_000), number("paginaGrootte", 20, MAX_PAGE_SIZE)


class OrganisationList(StrictQueryMixin, APIView):
    allowed_query = {"get": ANY}

    def get(self, request):
        actor = actor_of(request)
        params = request.query_params
        known = {"zoek", "pagina", "paginaGrootte", "sorteer", "facetten", *ORG_FILTERS}
        errors = [(k, "Onbekende parameter.") for k in params if k not in known]
        pagina, size = _page_params(params, errors)
        qs = visible_organisations(actor)
        for key, column in ORG_FILTERS.items():
            if key in params:
                qs = qs.filter(**{f"{column}__in": params.getlist(key)})
        if params.get("zoek"):
            term = params["zoek"].strip()
            qs = qs.filter(Q(naam__icontains=term) | Q(weergavenaam__icontains=term))
        order = []
        for key in [k for v in params.getlist("sorteer") for k in v.split(",") if k]:
            if key.removeprefix("-") not in ORG_SORTS:
                errors.append(("sorteer", f"Kan niet sorteren op {key!r}."))
            else:
                order.append(("-" if key.startswith("-") else "") + ORG_SORTS[key.lstrip("-")])
        facet_names = [k for v in params.getlist("facetten") for k in v.split(",") if k]
        errors += [("facetten", f"Geen facet {n!r}.") for n in facet_names if n not in ORG_FACETS]
        if errors:
            raise QueryError(errors)
        start = (pagina - 1) * size
        rows = with_active_beheerder(qs.select_related("samengevoegd_in")).order_by(
            *order, "naam", "id"
        )[start : start + size]
        body = {
            "items": [organisation_json(o) for o in rows],
            "total": qs.count(),
            "pagina": pagina,
            "paginaGrootte": size,
        }
        if facet_names:
            body["facetten"] = {
                name: [
                    {"waarde": r[ORG_FACETS[name]], "label": r[ORG_FACETS[name]], "aantal": r["n"]}
                    for r in qs.order_by()
                    .values(ORG_FACETS[name])
                    .annotate(n=Count("id"))
                    .order_by("-n", ORG_FACETS[name])
                    if r[ORG_FACETS[name]]
                ]
                for name in facet_names
            }
        return Response(body)


class OrganisationDetail(StrictQueryMixin, APIView):
    def get(self, request, uuid):
        actor = actor_of(request)
        org = (
            with_active_beheerder(visible_organisations(actor))
            .select_related("samengevoegd_in")
            .filter(uuid=uuid)
            .first()
        )
        if org is None:
            raise ProblemError(404, "Organisatie niet gevonden.")
        return Response(organisation_json(org, actor=actor))


def schema_json(entry) -> dict:
    schema = entry.schema
    return {
        "register": schema.register.slug,
        "slug": schema.slug,
        "naam": schema.naam,
        "collectie": schema.collection,
        "url": f"/api/v1/schemas/{schema.collection}",
        "objecten": f"/api/v1/{schema.collection}",
        "versie": entry.version.number,
        "definitie": entry.version.definition,
    }


class RegisterList(StrictQueryMixin, APIView):
    def get(self, request):
        entries = catalog.all_entries()
        items = [
            {
                "slug": r.slug,
                "naam": r.naam,
                "beschrijving": r.beschrijving,
                "url": f"/api/v1/registers/{r.slug}",
                "schemas": [
                    f"/api/v1/schemas/{e.schema.collection}"
                    for e in entries
                    if e.schema.register_id == r.pk
                ],
            }
            for r in Register.objects.order_by("slug")
        ]
        return Response(
            {"items": items, "total": len(items), "pagina": 1, "paginaGrootte": len(items)}
        )


class RegisterDetail(StrictQueryMixin, APIView):
    def get(self, request, slug):
        register = Register.objects.filter(slug=slug).first()
        if register is None:
            raise ProblemError(404, "Register niet gevonden.")
        schemas = [
            schema_json(e) for e in catalog.all_entries() if e.schema.register_id == register.pk
        ]
        return Response(
            {
                "slug": register.slug,
                "naam": register.naam,
                "beschrijving": register.beschrijving,
                "schemas": schemas,
            }
        )


class SchemaList(StrictQueryMixin, APIView):
    def get(self, request):
        items = [schema_json(e) for e in catalog.all_entries()]
        return Response(
            {"items": items, "total": len(items), "pagina": 1, "paginaGrootte": len(items)}
        )


class SchemaDetail(StrictQueryMixin, APIView):
    def get(self, request, collection):
        entry = catalog.by_collection(collection)
        if entry is None:
            raise ProblemError(404, "Schema niet gevonden.")
        body = schema_json(entry)
        body["versies"] = list(
            entry.schema.versions.order_by("number").values_list("number", flat=True)
        )
        return Response(body)


class PluginList(StrictQueryMixin, APIView):
    def get(self, request):
        items = loaded_plugins()
        return Response(
            {"items": items, "total": len(items), "pagina": 1, "paginaGrootte": len(items)}
        )


class JobDetail(StrictQueryMixin, APIView):
    """Progress of a background job, only for the user who started it."""

    def get(self, request, uuid):
        actor = actor_of(request)
        job = Job.objects.filter(uuid=uuid, user=actor.user).first() if actor.user else None
        if job is None:
            raise ProblemError(404, "Taak niet gevonden.")
        return Response(
            {
                "uuid": str(job.uuid),
                "titel": job.title,
                "status": job.status,
                "gedaan": job.done,
                "totaal": job.total,
                "percentage": job.percentage,
                "bericht": job.message,
                "resultaat": job.result,
            }
        )


def page_json(page, full: bool = False) -> dict:
    specific = page.specific
    body = {
        "id": page.pk,
        "titel": page.title,
        "slug": page.slug,
        "url": page.url,
        "type": specific._meta.model_name,
        "gepubliceerd": page.last_published_at.isoformat() if page.last_published_at else None,
        "bovenliggend": page.get_parent().pk if page.depth > 2 else None,
    }
    if full:
        body["introductie"] = str(getattr(specific, "intro", "") or "")
        stream = getattr(specific, "body", None)
        body["inhoud"] = list(stream.get_prep_value()) if stream is not None else []
    return body


class PageList(StrictQueryMixin, APIView):
    """CMS pages, headless: live and public pages only."""

    allowed_query = {"get": ANY}

    def get(self, request):
        from wagtail.models import Page

        params = request.query_params
        errors = [
            (k, "Onbekende parameter.")
            for k in params
            if k not in {"pagina", "paginaGrootte", "zoek", "type"}
        ]
        pagina, size = _page_params(params, errors)
        if errors:
            raise QueryError(errors)
        qs = Page.objects.live().public().filter(depth__gt=1).specific()
        if params.get("zoek"):
            qs = qs.filter(title__icontains=params["zoek"])
        if params.get("type"):
            qs = qs.filter(content_type__model=params["type"].lower())
        start = (pagina - 1) * size
        rows = list(qs.order_by("path")[start : start + size])
        return Response(
            {
                "items": [page_json(p) for p in rows],
                "total": qs.count(),
                "pagina": pagina,
                "paginaGrootte": size,
            }
        )


class PageDetail(StrictQueryMixin, APIView):
    def get(self, request, pk):
        from wagtail.models import Page

        page = Page.objects.live().public().filter(pk=pk, depth__gt=1).first()
        if page is None:
            raise ProblemError(404, "Pagina niet gevonden.")
        return Response(page_json(page, full=True))
