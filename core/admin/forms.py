"""Object forms generated from a schema at request time, so a newly loaded schema needs no restart.

Flat properties become Django fields, relations become choosers over what the actor may see,
nested objects and free arrays fall back to a JSON textarea. The form only collects and parses
input; the schema, through `core.services`, stays the one place that validates, and its errors
are mapped back onto the fields here.
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.db.models import Model, Q, QuerySet

from core.actors import Actor
from core.admin.display import property_order
from core.constants import ObjectStatus, OrganisationStatus
from core.models import Object, Organisation
from core.register import access, catalog
from core.register.spec import Property

__all__ = [
    "OWNER_FIELD",
    "STATUS_FIELD",
    "VERSION_FIELD",
    "ObjectForm",
    "field_for",
    "object_choices",
    "organisation_choices",
]

# Our own fields start with "_" so they never clash with a schema property (e.g. `status`).
STATUS_FIELD = "_status"
OWNER_FIELD = "_eigenaar"
VERSION_FIELD = "_versie"
REQUIRED = "Dit veld is verplicht."  # the same words as the write path's schema errors
LONG_TEXT = 255  # strings allowed to be longer than this get a textarea
STATUS_CHOICES = [
    (ObjectStatus.CONCEPT.value, ObjectStatus.CONCEPT.label),
    (ObjectStatus.GEPUBLICEERD.value, ObjectStatus.GEPUBLICEERD.label),
]


class PrettyJSONField(forms.JSONField):
    """A JSON textarea that shows stored values indented, and explains errors in Dutch."""

    default_error_messages = {
        "invalid": "Geen geldige JSON: controleer haakjes, komma's en quotes."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "class": "monospace"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:
            return ""
        return json.dumps(value, ensure_ascii=False, indent=2)


class UuidChoiceField(forms.ModelChoiceField):
    """Chooses one related row; the object data stores its uuid as a string."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="uuid", **kwargs)


class UuidMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="uuid", **kwargs)


class _ObjectTitleMixin:
    def label_from_instance(self, obj):
        return obj.title or str(obj.uuid)


class ObjectChoiceField(_ObjectTitleMixin, UuidChoiceField):
    pass


class ObjectMultipleChoiceField(_ObjectTitleMixin, UuidMultipleChoiceField):
    pass


def organisation_choices(actor: Actor) -> QuerySet:
    """Organisations the actor may name in a relation (same rule as the write path)."""
    qs = Organisation.objects.order_by("naam")
    if not actor.is_government:
        own = Q(pk=actor.organisation.pk) if actor.organisation else Q(pk__in=[])
        qs = qs.filter(Q(status=OrganisationStatus.ACTIEF) | own)
    return qs


def object_choices(target: str, actor: Actor) -> QuerySet | None:
    entry = catalog.by_key(target)
    if entry is None:
        return None
    qs = Object.objects.filter(schema=entry.schema).order_by("title", "pk")
    return access.visible_to(qs, {entry.schema.pk: entry.spec}, actor)


def _relation_field(prop: Property, actor: Actor, common: dict) -> forms.Field:
    if prop.relation.to_organisation:
        qs = organisation_choices(actor)
        return (UuidMultipleChoiceField if prop.many else UuidChoiceField)(qs, **common)
    qs = object_choices(prop.relation.target, actor)
    if qs is None:  # target schema not loaded: let the user type the uuid
        return forms.CharField(**common)
    return (ObjectMultipleChoiceField if prop.many else ObjectChoiceField)(qs, **common)


def _enum_field(values: list, prop: Property, many: bool, common: dict) -> forms.Field:
    by_text = {str(v): v for v in values}
    choices = [(str(v), prop.enum_labels.get(str(v), str(v))) for v in values]
    if many:
        return forms.TypedMultipleChoiceField(
            choices=choices,
            coerce=by_text.get,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.TypedChoiceField(
        choices=[("", "---------"), *choices], coerce=by_text.get, empty_value=None, **common
    )


def _string_field(prop: Property, common: dict) -> forms.Field:
    fmt = prop.definition.get("format")
    if fmt == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    if fmt == "email":
        return forms.EmailField(**common)
    if fmt == "uri":
        return forms.URLField(assume_scheme="https", **common)
    long = prop.definition.get("maxLength", 0) > LONG_TEXT
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}) if long else None, **common)


def field_for(prop: Property, actor: Actor, required: bool) -> forms.Field:
    """The form field for one schema property."""
    common = {
        "label": prop.label,
        "required": required,
        "help_text": prop.definition.get("description", ""),
        "error_messages": {"required": REQUIRED},
    }
    if prop.relation:
        return _relation_field(prop, actor, common)
    items = prop.definition.get("items") or {}
    if prop.type == "array" and items.get("enum"):
        return _enum_field(items["enum"], prop, True, common)
    if prop.definition.get("enum"):
        return _enum_field(prop.definition["enum"], prop, False, common)
    if prop.type == "string":
        return _string_field(prop, common)
    if prop.type == "integer":
        return forms.IntegerField(**common)
    if prop.type == "number":
        return forms.FloatField(**common)
    if prop.type == "boolean":
        if required:  # a checkbox always answers; unticked means "nee"
            return forms.BooleanField(**{**common, "required": False})
        return forms.NullBooleanField(**common)
    return PrettyJSONField(**common)


def _initial(prop: Property, value):
    if prop.definition.get("format") == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if prop.enum is not None and prop.relation is None:
        return [str(v) for v in value] if isinstance(value, list) else str(value)
    return value


def _to_json(value):
    if isinstance(value, Model):
        return str(value.uuid)
    if isinstance(value, QuerySet | list | tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _is_empty(value) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, list | tuple | QuerySet) and len(value) == 0


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


class ObjectForm(forms.Form):
    """The form for one schema, for one actor; `obj` makes it an edit form."""

    def __init__(self, entry, actor: Actor, *, obj: Object | None = None, data=None):
        self.entry, self.actor, self.obj = entry, actor, obj
        spec = entry.spec
        current = obj.data if obj else {}
        if obj is not None:
            owner_id = obj.organisation_id
        else:
            owner_id = actor.organisation.pk if actor.organisation else None
        self.hidden = access.hidden_fields(spec, actor, owner_id, current)
        self.properties = [
            p
            for p in property_order(spec)
            if not p.server_only and not p.file and p.name not in self.hidden
        ]
        initial = {
            p.name: _initial(p, current[p.name]) for p in self.properties if p.name in current
        }
        super().__init__(data=data, initial=initial)
        for prop in self.properties:
            self.fields[prop.name] = field_for(prop, actor, self._required(prop))
        self._add_meta_fields()

    def _required(self, prop: Property) -> bool:
        if prop.name not in self.entry.spec.required:
            return False
        # A required array may be empty unless the schema says otherwise.
        return prop.type != "array" or prop.definition.get("minItems", 0) > 0

    def _add_meta_fields(self) -> None:
        obj, actor = self.obj, self.actor
        self.fields[STATUS_FIELD] = forms.ChoiceField(
            label="Publicatiestatus",
            choices=STATUS_CHOICES,
            initial=obj.status if obj and obj.status in dict(STATUS_CHOICES) else "concept",
            help_text="Concepten zijn alleen zichtbaar voor de eigenaar en beheer.",
        )
        if obj is None and actor.is_functioneel_beheerder:
            self.fields[OWNER_FIELD] = forms.ModelChoiceField(
                Organisation.objects.order_by("naam"),
                label="Eigenaar",
                required=actor.organisation is None,
                initial=actor.organisation.pk if actor.organisation else None,
                help_text="De organisatie die het object beheert (functioneel beheer).",
            )
        if obj is not None:
            self.fields[VERSION_FIELD] = forms.IntegerField(
                widget=forms.HiddenInput, initial=obj.version
            )

    @property
    def property_names(self) -> list[str]:
        return [p.name for p in self.properties]

    def to_data(self) -> dict:
        """The object's data for the write path: form values plus what the form cannot show."""
        data = {}
        if self.obj is not None:
            shown = set(self.property_names)
            data = {
                name: value
                for name, value in self.obj.data.items()
                if name in self.entry.spec.properties
                and name not in shown
                and not self.entry.spec.properties[name].server_only
            }
        for prop in self.properties:
            value = self.cleaned_data.get(prop.name)
            if _is_empty(value):
                if prop.type == "array" and prop.name in self.entry.spec.required:
                    data[prop.name] = []
                continue
            data[prop.name] = _to_json(value)
        return data

    @property
    def status(self) -> str:
        return self.cleaned_data[STATUS_FIELD]

    @property
    def owner(self) -> Organisation | None:
        return self.cleaned_data.get(OWNER_FIELD)

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get(VERSION_FIELD)

    def add_service_errors(self, errors: list[tuple[str, str]]) -> None:
        """Put the write path's (JSON pointer, message) errors on the field they are about."""
        properties = self.entry.spec.properties
        for pointer, message in errors:
            parts = [_unescape(s) for s in pointer.split("/")[1:]] if pointer else []
            name = parts[0] if parts else None
            if name in self.fields and name in properties:
                rest = "/".join(parts[1:])
                self.add_error(name, f"{rest}: {message}" if rest else message)
            elif name in properties:
                self.add_error(None, f"{properties[name].label}: {message}")
            else:
                self.add_error(None, f"{pointer}: {message}" if pointer else message)
