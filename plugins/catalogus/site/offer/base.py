"""The base of the offer wizards: only aanbod-beheerders, back to /mijn-aanbod, and steps
that search without JavaScript (a "Zoeken" button in the step's own form keeps what was
ticked and narrows the choices)."""

from __future__ import annotations

import uuid as uuidlib

from django.shortcuts import redirect

from core.plugins.site import Wizard, readable
from plugins.catalogus.site.offer.common import SEARCH_LIMIT, may_offer

SEARCH = "zoeken"


class OfferWizard(Wizard):
    """Subclasses list their searching steps' forms with `search_field` set."""

    def allowed(self, actor) -> bool:
        return may_offer(actor)

    def cancel_url(self, run, actor) -> str:
        return "/mijn-aanbod"

    def step_view(self, request, token: str, step: str, **kwargs):
        if request.method == "POST" and request.POST.get("actie") != SEARCH:
            self._forget_search(request, token, step, kwargs)
        if request.method == "POST" and request.POST.get("actie") == SEARCH:
            actor = self._actor(request)
            run = self._load(request, token, kwargs)
            if self.allowed(actor) and run is not None:
                current = next((s for s in self.active_steps(run) if s.key == step), None)
                field = getattr(current.form, "search_field", None) if current else None
                if field:
                    run.context.setdefault("zoek", {})[step] = request.POST.get("zoek", "")[:100]
                    run.context.setdefault("gekozen", {})[step] = request.POST.getlist(field)
                    self._save(request, run, kwargs)
                    return redirect(self.step_url(run, step, kwargs))
        return super().step_view(request, token, step, **kwargs)

    def _forget_search(self, request, token: str, step: str, kwargs: dict) -> None:
        """Ticks kept over a search give way to what the step now posts."""
        run = self._load(request, token, kwargs)
        if run is not None and run.context.get("gekozen", {}).pop(step, None) is not None:
            self._save(request, run, kwargs)

    def _form(self, step, run, actor, data):
        form = super()._form(step, run, actor, data)
        chosen = run.context.get("gekozen", {}).get(step.key)
        if form is not None and data is None and chosen is not None:
            form.initial = {**form.initial, form.search_field: chosen}
        return form

    # --- helpers for searching steps -------------------------------------------------------

    @staticmethod
    def search_text(run, step: str) -> str:
        return run.context.get("zoek", {}).get(step, "")

    @staticmethod
    def chosen(run, step: str, field: str = "keuze") -> list[str]:
        """What this step holds: ticked before a search, or saved by "Volgende"."""
        pending = run.context.get("gekozen", {}).get(step)
        values = pending if pending is not None else run.get(step, field) or []
        return uuids(values)

    def search_kwargs(
        self, queryset, run, step: str, limit: int | None = SEARCH_LIMIT, chosen_from=None
    ) -> dict:
        """Choices of a searching step: the chosen rows first (from `chosen_from`, default the
        same queryset), then the matches by title. The chosen ones are always offered, so a
        search never drops a tick."""
        text = self.search_text(run, step)
        chosen = self.chosen(run, step)
        source = queryset if chosen_from is None else chosen_from
        picked = list(source.filter(uuid__in=chosen).order_by("title").values_list("uuid", "title"))
        matches = queryset.exclude(uuid__in=chosen).order_by("title", "id")
        if text:
            matches = matches.filter(title__icontains=text.strip())
        found = list(matches.values_list("uuid", "title")[: limit + 1 if limit else None])
        more = bool(limit) and len(found) > limit
        rows = picked + found[:limit] if limit else picked + found
        return {
            "choices": [(str(uid), title) for uid, title in rows],
            "zoek": text,
            "more": more,
        }


def uuids(values) -> list[str]:
    """The well-formed uuids among posted values (anything else is dropped, not an error)."""
    found = []
    for value in values or []:
        try:
            found.append(str(uuidlib.UUID(str(value))))
        except ValueError:
            continue
    return found


def plain_rows(step, form, run) -> list[tuple[str, str]]:
    """A step's (label, value) rows for "Controleer uw gegevens", hidden fields left out."""
    return [
        (str(field.label), readable(field, run.get(step.key, name)))
        for name, field in form.fields.items()
        if not field.widget.is_hidden
    ]
