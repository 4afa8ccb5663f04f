"""JSON Schema Draft 2020-12 validation with every error at once, in Dutch, with its pointer."""

from __future__ import annotations

import uuid
from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as JsonSchemaError

FORMAT_CHECKER = FormatChecker()


class ValidationFailed(Exception):
    """All problems of one write: a list of (json_pointer, Dutch message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{p}: {m}" for p, m in errors))
        self.errors = errors


def is_uuid(value) -> bool:
    """Whether a value can be a uuid (relations, filters); anything else matches nothing."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def pointer(path) -> str:
    return (
        "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else ""
    )


def _dutch(error: JsonSchemaError) -> str:
    v = error.validator_value
    messages = {
        "required": lambda: "Dit veld is verplicht.",
        "type": lambda: f"Verwacht type {_type_name(v)}.",
        "enum": lambda: "Kies een van: " + ", ".join(map(str, v)) + ".",
        "const": lambda: f"De waarde moet {v!r} zijn.",
        "minLength": lambda: f"Minimaal {v} tekens.",
        "maxLength": lambda: f"Maximaal {v} tekens.",
        "minimum": lambda: f"Minimaal {v}.",
        "maximum": lambda: f"Maximaal {v}.",
        "minItems": lambda: f"Minimaal {v} waarde(n).",
        "maxItems": lambda: f"Maximaal {v} waarde(n).",
        "uniqueItems": lambda: "Elke waarde mag maar één keer voorkomen.",
        "pattern": lambda: "De waarde heeft niet de juiste vorm.",
        "format": lambda: f"Geen geldige {_format_name(v)}.",
        "additionalProperties": lambda: "Onbekend veld.",
        "unevaluatedProperties": lambda: "Onbekend veld.",
    }
    return messages.get(error.validator, lambda: f"Ongeldige waarde ({error.validator}).")()


def _type_name(value) -> str:
    names = {
        "string": "tekst",
        "integer": "geheel getal",
        "number": "getal",
        "boolean": "ja/nee",
        "array": "lijst",
        "object": "object",
        "null": "leeg",
    }
    if isinstance(value, list):
        return " of ".join(names.get(v, v) for v in value)
    return names.get(value, value)


def _format_name(value) -> str:
    return {
        "date": "datum (JJJJ-MM-DD)",
        "date-time": "datum en tijd",
        "email": "e-mailadres",
        "uri": "URL",
        "uuid": "uuid",
    }.get(value, value)


def _errors(error: JsonSchemaError) -> list[tuple[str, str]]:
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        return [
            (pointer([*error.absolute_path, name]), "Dit veld is verplicht.") for name in missing
        ]
    if error.validator in {"additionalProperties", "unevaluatedProperties"}:
        allowed = set((error.schema.get("properties") or {}).keys())
        extra = [k for k in (error.instance or {}) if k not in allowed]
        return [(pointer([*error.absolute_path, name]), "Onbekend veld.") for name in extra]
    if error.context and error.validator in {"anyOf", "oneOf"}:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)))
        return _errors(best)
    return [(pointer(error.absolute_path), _dutch(error))]


@lru_cache(maxsize=512)
def validator_for(version_id: int) -> Draft202012Validator:
    """One reused validator per (immutable) schema version."""
    from core.models import SchemaVersion

    definition = SchemaVersion.objects.values_list("definition", flat=True).get(pk=version_id)
    return Draft202012Validator(_without_examples(definition), format_checker=FORMAT_CHECKER)


def _without_examples(definition: dict) -> dict:
    return {k: v for k, v in definition.items() if k != "examples"}


def validate(validator: Draft202012Validator, data) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for error in validator.iter_errors(data):
        found.extend(_errors(error))
    return sorted(set(found))


def check_schema(definition: dict) -> list[str]:
    """Problems with a schema document itself (not with data)."""
    try:
        Draft202012Validator.check_schema(definition)
    except Exception as exc:  # jsonschema.SchemaError carries the message
        return [str(getattr(exc, "message", exc))]
    return []
