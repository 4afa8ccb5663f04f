"""Cell values of an imported sheet as the register stores them, shared by the Applicaties
and the Koppelingen import: enum labels back to values, Dutch or ISO dates, lists of names
and ids in one cell. Nothing here queries."""

from __future__ import annotations

import difflib
from datetime import date, datetime

from django.utils.translation import gettext as _

from plugins.catalogus.spreadsheet import columns as c
from plugins.catalogus.spreadsheet.reader import normalise


def same(a, b) -> bool:
    return normalise(a) == normalise(b)


def split(value) -> list[str]:
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def iso_text(value) -> str:
    """A stored ISO date as people read it (dd-mm-jjjj)."""
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return str(value or "")


def parse_date(value) -> str | None:
    """A cell as an ISO date; raises ValueError for text that is no date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(text)


def differs(old, new) -> bool:
    if isinstance(old, list) or isinstance(new, list):
        return set(old or []) != set(new or [])
    if isinstance(old, str) or isinstance(new, str):
        return (old or "").strip() != (new or "").strip()
    return old != new


def choose(value, labels: dict) -> str | None:
    """The stored value a cell names, by value or by label; None when it names none."""
    for key, label in labels.items():
        if same(value, key) or same(value, label):
            return key
    return None


def close_names(name: str, by_name, limit: int = 3) -> list[str]:
    """Normalised names like `name`, for "Bedoelt u …?"."""
    return difflib.get_close_matches(normalise(name), by_name, n=limit, cutoff=0.6)


def named_list(error, row, headers, by_id, by_name, unknown: str, names_column: bool) -> list:
    """A list of related objects from a names cell and an ids cell: the ids while the
    names still match them, otherwise the names; an empty names cell empties the list
    (the ids alone count only in a file without the names column). `error(kolom, bericht)`
    records a problem."""
    names_header, ids_header = headers
    names, ids = row.get(normalise(names_header)), split(row.get(ids_header))
    if names_column and not names:
        return []
    known = ids and all(i in by_id for i in ids)
    if known and (not names or same(names, c.LIST_SEPARATOR.join(by_id[i] for i in ids))):
        return list(dict.fromkeys(ids))
    if not names:
        if ids:
            error(ids_header, _("Onbekende id: %s.") % ", ".join(ids))
        return []
    found = []
    for name in split(names):
        uuid = by_name.get(normalise(name))
        if uuid is None:
            close = close_names(name, by_name)
            hint = (
                (_(" Bedoelt u: %s?") % ", ".join(by_id[by_name[n]] for n in close))
                if close
                else ""
            )
            error(names_header, f"{unknown}: {name}.{hint}")
        else:
            found.append(uuid)
    return list(dict.fromkeys(found))
