"""Loads `<register>/<schema>.json` files (ours and plugins') into the register, idempotently.

Rules: a file carries `x-version`; the same version with the same content is a no-op,
a higher version is published as new, and a changed file with an unchanged version
is an error (published versions are immutable).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from jsonschema import Draft202012Validator

from core.register import indexes
from core.register.spec import ORGANISATION_TARGET, SchemaError, SchemaSpec, parse
from core.register.validation import check_schema, validate

REGISTER_FILE = "_register.json"
# API paths of the platform itself; a collection there would be unreachable.
RESERVED_COLLECTIONS = {
    "organisaties",
    "registers",
    "schemas",
    "plugins",
    "paginas",
    "taken",
    "openapi",
}


@dataclass
class SchemaFile:
    register: str
    slug: str
    path: Path
    definition: dict
    spec: SchemaSpec

    @property
    def key(self) -> str:
        return f"{self.register}/{self.slug}"

    @property
    def checksum(self) -> str:
        return hashlib.sha256(
            json.dumps(self.definition, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


def schema_dirs() -> list[Path]:
    from core.plugins.manager import pm

    dirs = [Path(settings.BASE_DIR) / "register_schemas"]
    for result in pm.hook.register_schema_dirs():
        dirs.extend(Path(d) for d in result or [])
    return dirs


def _read_json(path: Path, problems: list[str]):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{path.name}: geen geldige JSON ({exc})")
        return None


def read(dirs: list[Path] | None = None) -> tuple[dict[str, dict], list[SchemaFile], list[str]]:
    """All registers and schema files, with every problem found (nothing is written)."""
    registers: dict[str, dict] = {}
    files: list[SchemaFile] = []
    problems: list[str] = []
    for base in dirs or schema_dirs():
        for register_dir in sorted(p for p in base.iterdir() if p.is_dir()):
            meta_path = register_dir / REGISTER_FILE
            if not meta_path.exists():
                continue
            meta = _read_json(meta_path, problems) or {}
            registers[register_dir.name] = meta
            for path in sorted(register_dir.glob("*.json")):
                if path.name == REGISTER_FILE:
                    continue
                found = _read_schema(register_dir.name, path, problems)
                if found:
                    files.append(found)
    problems.extend(_cross_checks(files))
    return registers, files, problems


def _read_schema(register: str, path: Path, problems: list[str]) -> SchemaFile | None:
    where = f"{register}/{path.name}"
    definition = _read_json(path, problems)
    if not isinstance(definition, dict):
        if definition is not None:
            problems.append(f"{where}: een schema moet een JSON-object zijn")
        return None
    meta_problems = check_schema(definition)
    if meta_problems:
        problems.extend(f"{where}: ongeldig JSON Schema: {p}" for p in meta_problems)
        return None
    version = definition.get("x-version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"{where}: x-version (geheel getal ≥ 1) ontbreekt")
        return None
    try:
        spec = parse(definition, where)
    except SchemaError as exc:
        problems.append(str(exc))
        return None
    examples = definition.get("examples")
    if not examples:
        problems.append(f"{where}: minstens één voorbeeld in 'examples' is verplicht")
    validator = Draft202012Validator({k: v for k, v in definition.items() if k != "examples"})
    for index, example in enumerate(examples or []):
        for pointer, message in validate(validator, example):
            problems.append(f"{where}: voorbeeld {index} {pointer or '/'}: {message}")
    return SchemaFile(register, path.stem, path, definition, spec)


def _cross_checks(files: list[SchemaFile]) -> list[str]:
    problems = []
    keys = {f.key for f in files}
    collections: dict[str, str] = {}
    from core.register.query import RESERVED

    for f in files:
        clashes = sorted(set(f.spec.properties) & RESERVED)
        if clashes:
            problems.append(f"{f.key}: eigenschap(pen) {clashes} botsen met vaste zoekparameters")
        if f.spec.collection in RESERVED_COLLECTIONS:
            problems.append(f"{f.key}: x-collection {f.spec.collection!r} is gereserveerd")
        if f.spec.collection in collections:
            problems.append(
                f"{f.key}: x-collection {f.spec.collection!r} is al in gebruik door "
                f"{collections[f.spec.collection]}"
            )
        collections[f.spec.collection] = f.key
        for prop in f.spec.relations:
            target = prop.relation.target
            if target != ORGANISATION_TARGET and target not in keys:
                problems.append(f"{f.key}.{prop.name}: relatiedoel {target!r} bestaat niet")
    by_key = {f.key: f.spec for f in files}
    for f in files:
        for rules in f.spec.access.values():
            for rule in rules:
                for name in ("organisationAt", "ownedAt"):
                    if name in rule:
                        problem = _path_problem(f.key, name, rule[name], by_key)
                        if problem:
                            problems.append(problem)
    return problems


def _path_problem(key: str, name: str, path: list[str], by_key: dict) -> str | None:
    """A relation path must follow relations hop by hop: an organisationAt path ends at an
    organisation, an ownedAt path at an object (whose owner is compared)."""
    spec, where = by_key.get(key), key
    for index, hop in enumerate(path):
        prop = spec.properties.get(hop) if spec else None
        if prop is None or prop.relation is None:
            return f"{key}: {name} {path}: {hop!r} is geen relatie van {where}"
        target = prop.relation.target
        last = index == len(path) - 1
        if last and (target == ORGANISATION_TARGET) != (name == "organisationAt"):
            end = "een organisatie" if name == "organisationAt" else "een object"
            return f"{key}: {name} {path} eindigt niet bij {end}"
        if not last and target == ORGANISATION_TARGET:
            return f"{key}: {name} {path}: na {hop!r} (een organisatie) houdt het op"
        spec, where = by_key.get(target), target
    return None


@transaction.atomic
def load(dirs: list[Path] | None = None) -> list[str]:
    """Write registers, schemas and new versions; returns what changed. Raises on problems."""
    from core.models import Register, Schema, SchemaVersion

    registers, files, problems = read(dirs)
    if problems:
        raise SchemaError("\n".join(problems))
    changes = []
    register_objs = {}
    for slug, meta in registers.items():
        register_objs[slug], created = Register.objects.update_or_create(
            slug=slug,
            defaults={"naam": meta.get("naam", slug), "beschrijving": meta.get("beschrijving", "")},
        )
        if created:
            changes.append(f"register {slug} aangemaakt")
    for f in files:
        schema, _ = Schema.objects.get_or_create(
            register=register_objs[f.register],
            slug=f.slug,
            defaults={"naam": f.definition.get("title", f.slug), "collection": f.spec.collection},
        )
        number = f.definition["x-version"]
        existing = SchemaVersion.objects.filter(schema=schema, number=number).first()
        latest = schema.versions.order_by("-number").first()
        if existing is not None:
            if existing.checksum != f.checksum:
                raise SchemaError(
                    f"{f.key}: versie {number} is gepubliceerd en onveranderlijk; "
                    "verhoog x-version voor deze wijziging"
                )
            version = existing
        elif latest is not None and latest.number > number:
            raise SchemaError(
                f"{f.key}: x-version {number} is lager dan gepubliceerde {latest.number}"
            )
        else:
            version = SchemaVersion.objects.create(
                schema=schema,
                number=number,
                definition=f.definition,
                checksum=f.checksum,
                property_order=list(f.definition.get("properties", {})),
            )
            changes.append(f"{f.key} versie {number} gepubliceerd")
        Schema.objects.filter(pk=schema.pk).update(
            current_version=version,
            naam=f.definition.get("title", f.slug),
            collection=f.spec.collection,
        )
        indexes.apply(schema.pk, f.spec)
    from core.register import catalog

    transaction.on_commit(catalog.clear)
    return changes
