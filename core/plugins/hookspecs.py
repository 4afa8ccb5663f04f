"""The hooks of the Softwarecatalogus (project name ``softwarecatalogus``).

Every hook is called with keyword arguments only (pluggy refuses positional calls), and
an implementation may accept a subset of the parameters. Registration hooks run once
when plugins load; operation hooks run per request or per change. ``plugins/README.md`` documents
each one; a test keeps that document and these specs in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from core.actors import Actor
    from core.plugins.base import (
        BundleExporter,
        Exporter,
        ImportSource,
        ListFilter,
        ObjectAction,
        PageSection,
        ReviewQueue,
    )
    from core.plugins.events import ObjectEvent

hookspec = pluggy.HookspecMarker("softwarecatalogus")


@hookspec
def register_schema_dirs() -> list[Path]:
    """Directories with ``<register>/<schema>.json`` files that ``load_schemas`` reads.

    :return: a list of directories, loaded after ``register_schemas/``.
    """


@hookspec
def register_exporters() -> list[Exporter]:
    """Exporters offered as ``formaat=<slug>`` on every list.

    :return: a list of :class:`core.plugins.Exporter`; slugs must be unique.
    """


@hookspec
def register_bundle_exporters() -> list[BundleExporter]:
    """Formats for files of several kinds of objects at once (a landscape, an offer).

    :return: a list of :class:`core.plugins.BundleExporter`; a ``(kind, slug)`` pair must be
        unique over all plugins.
    """


@hookspec
def register_import_sources() -> list[ImportSource]:
    """Readers that turn an uploaded file into object data for the bulk import.

    :return: a list of :class:`core.plugins.ImportSource`; slugs must be unique.
    """


@hookspec
def register_list_filters() -> list[ListFilter]:
    """Extra query keys for lists; each adds an SQL condition, never a Python filter.

    :return: a list of :class:`core.plugins.ListFilter`; keys must not clash with properties.
    """


@hookspec
def register_object_actions() -> list[ObjectAction]:
    """Actions on one object, offered at ``POST /api/v1/<collectie>/<uuid>/acties/<slug>``.

    :return: a list of :class:`core.plugins.ObjectAction`; slugs must be unique.
    """


@hookspec
def register_api_routes() -> list[Any]:
    """Extra API routes, mounted under ``/api/v1/plugins/`` and listed in the OpenAPI document.

    :return: a list of Django URL patterns (``django.urls.path``).
    """


@hookspec
def register_site_urls() -> list[Any]:
    """Pages of the public site (server-rendered), mounted at the site root before Wagtail's
    page tree, so a plugin's path wins over an editor's page of the same name.

    :return: a list of Django URL patterns (``django.urls.path``); names must be unique.
    """


@hookspec
def site_menu_items(actor: Actor) -> list[tuple[str, str]] | None:
    """Links a plugin adds to the site's main menu, after the editors' pages.

    :param actor: who is looking (the menu differs per organisation type and role).
    :return: a list of ``(label, url)``, or ``None`` for nothing.
    """


@hookspec
def organisation_sections(organisation: Any, actor: Actor) -> list[PageSection] | None:
    """Extra sections on the public organisation page ``/organisaties/<uuid>``.

    :param organisation: the :class:`core.models.Organisation`, already visible to ``actor``.
    :param actor: who is looking; return only what this actor may see.
    :return: a list of :class:`core.plugins.PageSection`, or ``None`` for nothing.
    """


@hookspec
def object_extra_data(obj: Any, actor: Actor) -> dict | None:
    """Extra data about one object in API responses, under ``_extra.<plugin>``.

    :param obj: the :class:`core.models.Object`, already visible to ``actor``.
    :param actor: who is reading; return only what this actor may see.
    :return: a JSON-serialisable dict, or ``None`` for nothing.
    """


@hookspec
def validate_object(
    schema: str, data: dict, previous: dict | None, actor: Actor
) -> list[tuple[str, str]] | None:
    """Rules a JSON Schema cannot express, checked on every write before saving.

    :param schema: ``<register>/<schema>`` of the object.
    :param data: the new data, after the merge patch and server-derived fields.
    :param previous: the data before this write, or ``None`` on create.
    :param actor: who is writing.
    :return: a list of ``(json_pointer, dutch_message)`` problems, or ``None``.
    """


@hookspec
def object_changed(event: ObjectEvent) -> None:
    """Called after the transaction that changed an object has committed.

    :param event: a frozen :class:`core.plugins.ObjectEvent`; its fields are stable.
    """


@hookspec
def load_reference_data() -> list[str] | None:
    """Load the reference data the running product needs, idempotently.

    Called by ``manage.py prepare`` (so by ``make run``) after migrations and schemas,
    in every environment. Must be fast when the data is already there.

    :return: Dutch lines that say what was loaded, or ``None``.
    """


@hookspec
def load_demo_data() -> list[str] | None:
    """Fill an empty catalogue with demo content; only called in demo mode.

    Called by ``manage.py prepare`` after :func:`load_reference_data` and the demo users.
    Must do nothing when the content is already there.

    :return: Dutch lines that say what was created, or ``None``.
    """


@hookspec
def register_notification_kinds() -> dict[str, str] | None:
    """Kinds of notification e-mail a plugin sends; users choose per kind how they get them.

    :return: ``{kind: dutch_label}``; kinds must be unique over core and all plugins.
    """


@hookspec
def register_review_queues() -> list[ReviewQueue] | None:
    """Queues in functioneel beheer's "Te beoordelen" inbox.

    :return: a list of :class:`core.plugins.ReviewQueue`; slugs must be unique.
    """


@hookspec
def account_changed(user: Any, previous: dict) -> None:
    """A user changed their name, e-mail, phone or function on "Mijn account".

    Called inside the transaction of the change, so a failure undoes it.

    :param user: the :class:`core.models.User` after the change.
    :param previous: ``{"email", "voornaam", "tussenvoegsel", "achternaam", "telefoonnummer",
        "functie"}`` before the change.
    """
