"""Multi-step forms ("wizards") on the site: state in the session, one write at the end.

A wizard is a class with steps (each a form, or only text) and a `commit` that writes
everything at once, through the single write path, inside one transaction, when the user
presses the button on "Controleer uw gegevens". Nothing is saved before that step, so a
wizard left halfway leaves no trace in the register.

Every step's texts (title, section text, info box) have defaults in code and can be changed
by editors in the CMS (`WizardText`, a Wagtail snippet); `sync_texts` creates the rows.

URLs: ``<prefix>`` starts a run (GET parameters go to `start`) and redirects to
``<prefix>/<token>/<step>``; the token keeps two runs in two tabs apart.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import Actor, resolve
from core.register.validation import ValidationFailed
from core.services import Conflict, NotAllowed

SESSION_KEY = "wizards"
MAX_RUNS = 10  # per session; the oldest run is dropped
REVIEW = "controleren"
WIZARDS: dict[str, type[Wizard]] = {}


@dataclass(frozen=True)
class Step:
    """One page of a wizard. `form` is a Django form class (SiteForm) or None for text only;
    `applies(run)` leaves a step out (e.g. "Deelnemers" for a gemeente)."""

    key: str
    title: str
    form: type[forms.Form] | None = None
    text: str = ""
    info_title: str = ""
    info_text: str = ""
    template: str = "site/wizard/step.html"
    applies: Callable[[Run], bool] | None = None


@dataclass
class Run:
    """One run of a wizard: its token, what `start` put in `context`, and each step's data."""

    token: str
    context: dict
    data: dict[str, dict]
    # the request's GET parameters (a search inside a step); not kept in the session
    query: dict = dataclass_field(default_factory=dict)

    def get(self, step: str, name: str, default=None):
        return self.data.get(step, {}).get(name, default)


@dataclass(frozen=True)
class Texts:
    title: str
    text: str = ""
    info_title: str = ""
    info_text: str = ""


def jsonable(value):
    """Cleaned form data as the session (JSON) can keep it."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk") and hasattr(value, "_meta"):
        return value.pk
    return value


class Wizard:
    """Subclass, set the class attributes, and implement `commit` (and where needed `start`,
    `allowed`, `form_kwargs`, `review`). Register the routes with `Wizard.urls()`."""

    key: ClassVar[str]  # e.g. "applicatie-toevoegen"; also the URL name prefix
    title: ClassVar[str]
    subtitle: ClassVar[str] = ""
    steps: ClassVar[list[Step]]
    review_text: ClassVar[str] = gettext_lazy(
        "Controleer of alles klopt. Met Vorige past u een stap aan."
    )
    review_info_title: ClassVar[str] = ""
    review_info_text: ClassVar[str] = ""
    review_template: ClassVar[str] = "site/wizard/review.html"
    submit_label: ClassVar[str] = gettext_lazy("Opslaan")
    success_message: ClassVar[str] = gettext_lazy("Opgeslagen.")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "key" in cls.__dict__:
            WIZARDS[cls.key] = cls

    # --- what subclasses decide ------------------------------------------------------------

    def allowed(self, actor: Actor) -> bool:
        """Who may use the wizard at all (checked on every request)."""
        return actor.is_authenticated and actor.organisation is not None

    def start(self, request, actor: Actor, **kwargs) -> tuple[dict, dict]:
        """(context, data) of a new run: e.g. the application chosen on its detail page, or
        an object's current values when the wizard edits it. Raise Http404 for a bad start."""
        return {}, {}

    def form_kwargs(self, step: Step, run: Run, actor: Actor) -> dict:
        """Extra keyword arguments for a step's form (choices that depend on the run)."""
        return {}

    def extra_context(self, step: Step, run: Run, actor: Actor, form=None) -> dict:
        """More for a step's template (search results, a warning); `run.query` holds GET and
        `form` is the step's form (bound after a POST)."""
        return {}

    def review(self, run: Run, actor: Actor) -> list[tuple[Step, list[tuple[str, str]]]]:
        """What "Controleer uw gegevens" shows: per step, (label, readable value) pairs."""
        sections = []
        for step in self.active_steps(run):
            if step.form is None:
                continue
            form = step.form(**self.form_kwargs(step, run, actor))
            rows = []
            for name, field in form.fields.items():
                value = run.get(step.key, name)
                rows.append((str(field.label), readable(field, value)))
            sections.append((step, rows))
        return sections

    def commit(self, run: Run, actor: Actor) -> str:
        """Write everything (inside a transaction); return the URL to go to afterwards.
        Raise ValidationFailed / NotAllowed / Conflict: nothing is then saved."""
        raise NotImplementedError

    def cancel_url(self, run: Run | None, actor: Actor) -> str:
        return "/"

    # --- the machinery ---------------------------------------------------------------------

    def active_steps(self, run: Run) -> list[Step]:
        return [s for s in self.steps if s.applies is None or s.applies(run)]

    def texts(self) -> dict[str, Texts]:
        """Step key (and "" for the wizard, REVIEW for the review) → texts, CMS edits first."""
        from core.models import WizardText

        texts = defaults(self)
        for row in WizardText.objects.filter(wizard=self.key):
            default = texts.get(row.step)
            if default is None:
                continue
            texts[row.step] = Texts(
                title=row.titel or default.title,
                text=row.tekst or default.text,
                info_title=row.info_titel or default.info_title,
                info_text=row.info_tekst or default.info_text,
            )
        return texts

    @classmethod
    def urls(cls, prefix: str, **start_kwargs) -> list:
        """Routes: the start (``prefix`` may hold converters, passed to `start`) and the steps."""
        wizard = cls()
        return [
            path(prefix, wizard.start_view, name=cls.key),
            path(f"{prefix}/<str:token>/<slug:step>", wizard.step_view, name=f"{cls.key}-stap"),
        ]

    def _actor(self, request) -> Actor:
        return resolve(request.actor)

    def _runs(self, request) -> dict:
        return request.session.setdefault(SESSION_KEY, {})

    def _load(self, request, token: str, kwargs: dict) -> Run | None:
        """The run of this token, if it was started for this wizard and this URL (an edit run
        of one object is no key to another object's URL)."""
        raw = self._runs(request).get(token)
        if (
            not raw
            or raw.get("wizard") != self.key
            or raw.get("url") != self._owner(request, kwargs)
        ):
            return None
        return Run(token=token, context=raw["context"], data=raw["data"])

    def _save(self, request, run: Run, kwargs: dict) -> None:
        runs = self._runs(request)
        runs[run.token] = {
            "wizard": self.key,
            "url": self._owner(request, kwargs),
            "context": run.context,
            "data": run.data,
        }
        while len(runs) > MAX_RUNS:
            runs.pop(next(iter(runs)))
        request.session.modified = True

    def _owner(self, request, kwargs: dict) -> str:
        """Whose run this is: the URL it started at and the organisation and role it acts
        for (after switching organisation, a run started for the other one has expired)."""
        actor = self._actor(request)
        org = actor.organisation.pk if actor.organisation else ""
        url = "|".join(f"{k}={kwargs[k]}" for k in sorted(kwargs))
        return f"{org}:{actor.role}:{url}"

    def _drop(self, request, run: Run) -> None:
        self._runs(request).pop(run.token, None)
        request.session.modified = True

    def step_url(self, run: Run, step: str, kwargs: dict) -> str:
        return reverse(f"{self.key}-stap", kwargs={**kwargs, "token": run.token, "step": step})

    def _refused(self, request):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return HttpResponseForbidden(_("U mag dit niet doen namens deze organisatie."))

    def start_view(self, request, **kwargs):
        actor = self._actor(request)
        if not self.allowed(actor):
            return self._refused(request)
        context, data = self.start(request, actor, **kwargs)
        run = Run(token=secrets.token_urlsafe(8), context=jsonable(context), data=jsonable(data))
        self._save(request, run, kwargs)
        # a step `start` already filled (the application chosen on its page) is skipped
        first = self._first_missing(run) or REVIEW
        return redirect(self.step_url(run, first, kwargs))

    def _first_missing(self, run: Run) -> str | None:
        for step in self.active_steps(run):
            if step.form is not None and step.key not in run.data:
                return step.key
        return None

    def step_view(self, request, token: str, step: str, **kwargs):
        actor = self._actor(request)
        if not self.allowed(actor):
            return self._refused(request)
        run = self._load(request, token, kwargs)
        if run is None:
            messages.info(request, _("Deze invoer is verlopen; begin opnieuw."))
            return redirect(reverse(self.key, kwargs=kwargs))
        run.query = {key: request.GET.get(key, "") for key in request.GET}
        steps = self.active_steps(run)
        keys = [s.key for s in steps] + [REVIEW]
        if step not in keys:
            raise Http404
        if request.method == "POST" and request.POST.get("actie") == "annuleren":
            self._drop(request, run)
            return redirect(self.cancel_url(run, actor))
        index = keys.index(step)
        missing = self._first_missing(run)
        if missing is not None and keys.index(missing) < index:
            return redirect(self.step_url(run, missing, kwargs))
        if step == REVIEW:
            return self._review_view(request, actor, run, steps, kwargs)
        current = steps[index]
        form = self._form(current, run, actor, request.POST if request.method == "POST" else None)
        if request.method == "POST":
            back = request.POST.get("actie") == "vorige"
            if back and index > 0:
                if form is not None and form.is_valid():
                    run.data[current.key] = jsonable(form.cleaned_data)
                    self._save(request, run, kwargs)
                return redirect(self.step_url(run, keys[index - 1], kwargs))
            if form is None or form.is_valid():
                run.data[current.key] = jsonable(form.cleaned_data) if form is not None else {}
                # a step's choice may add or drop later steps (and their data)
                kept = {s.key for s in self.active_steps(run)}
                run.data = {k: v for k, v in run.data.items() if k in kept}
                self._save(request, run, kwargs)
                following = [s.key for s in self.active_steps(run)] + [REVIEW]
                return redirect(self.step_url(run, following[following.index(step) + 1], kwargs))
        status = 400 if form is not None and form.is_bound and form.errors else 200
        extra = self.extra_context(current, run, actor, form)
        return self._render(
            request, current.template, run, steps, step, kwargs, status, form=form, **extra
        )

    def _form(self, step: Step, run: Run, actor: Actor, data) -> forms.Form | None:
        if step.form is None:
            return None
        kwargs = self.form_kwargs(step, run, actor)
        if data is not None:
            return step.form(data, **kwargs)
        return step.form(initial=run.data.get(step.key), **kwargs)

    def _stale_step(self, run: Run, actor: Actor) -> str | None:
        """Check every step's saved data again, against the choices of the steps before it
        as they are now (an earlier step may have changed since); the re-cleaned data is what
        the review shows and `commit` writes. Returns the first step that no longer holds."""
        for step in self.active_steps(run):
            if step.form is None:
                continue
            form = step.form(run.data.get(step.key, {}), **self.form_kwargs(step, run, actor))
            if not form.is_valid():
                return step.key
            run.data[step.key] = jsonable(form.cleaned_data)
        return None

    def _review_view(self, request, actor: Actor, run: Run, steps: list[Step], kwargs: dict):
        errors: list[str] = []
        if request.method == "POST" and request.POST.get("actie") == "vorige":
            return redirect(self.step_url(run, steps[-1].key, kwargs))
        stale = self._stale_step(run, actor)
        if stale is not None:
            messages.warning(request, _("Een eerdere keuze is gewijzigd; controleer deze stap."))
            return redirect(self.step_url(run, stale, kwargs))
        if request.method == "POST":
            try:
                with transaction.atomic():
                    url = self.commit(run, actor)
            except ValidationFailed as failed:
                errors = [message for _pointer, message in failed.errors]
            except (NotAllowed, Conflict) as refused:
                errors = [str(refused)]
            else:
                self._drop(request, run)
                messages.success(request, self.success_message)
                return redirect(url)
        return self._render(
            request,
            self.review_template,
            run,
            steps,
            REVIEW,
            kwargs,
            400 if errors else 200,
            sections=self.review(run, actor),
            errors=errors,
        )

    def _render(self, request, template, run, steps, step, kwargs, status, **extra):
        texts = self.texts()
        keys = [s.key for s in steps] + [REVIEW]
        if "sections" in extra:  # the review: each step under its (CMS) title, with its link
            extra["sections"] = [
                {
                    "key": part.key,
                    "title": texts[part.key].title,
                    "rows": rows,
                    "url": self.step_url(run, part.key, kwargs),
                }
                for part, rows in extra["sections"]
            ]
        context = {
            "wizard": self,
            "run": run,
            "wizard_texts": texts[""],
            "step_texts": texts[step],
            "step_key": step,
            "progress": [
                {
                    "key": key,
                    "title": texts[key].title,
                    "current": key == step,
                    "url": self.step_url(run, key, kwargs),
                    "done": key in run.data,
                }
                for key in keys
            ],
            "step_number": keys.index(step) + 1,
            "step_count": len(keys),
            "first": keys.index(step) == 0,
            **extra,
        }
        return render(request, template, context, status=status)


def readable(field: forms.Field, value) -> str:
    """A stored value as the user chose it: choice labels, not keys; "—" for nothing."""
    if value in (None, "", [], {}):
        return "—"
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(field, forms.BooleanField):
        return _("Ja") if value else _("Nee")
    if isinstance(field, forms.DateField):
        try:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except (TypeError, ValueError):
            return str(value)
    return str(choices.get(value, value))


def defaults(wizard: Wizard | type[Wizard]) -> dict[str, Texts]:
    texts = {
        "": Texts(title=str(wizard.title), text=str(wizard.subtitle)),
        REVIEW: Texts(
            title=_("Controleer uw gegevens"),
            text=str(wizard.review_text),
            info_title=str(wizard.review_info_title),
            info_text=str(wizard.review_info_text),
        ),
    }
    for step in wizard.steps:
        texts[step.key] = Texts(
            title=str(step.title),
            text=str(step.text),
            info_title=str(step.info_title),
            info_text=str(step.info_text),
        )
    return texts


def sync_texts() -> int:
    """A CMS row for every step of every wizard, filled with the defaults; existing rows are
    never overwritten, so editors' texts survive a deploy. Returns how many were made."""
    from core.models import WizardText

    existing = set(WizardText.objects.values_list("wizard", "step"))
    made = [
        WizardText(
            wizard=key,
            step=step,
            titel=texts.title,
            tekst=texts.text,
            info_titel=texts.info_title,
            info_tekst=texts.info_text,
        )
        for key, cls in WIZARDS.items()
        for step, texts in defaults(cls).items()
        if (key, step) not in existing
    ]
    WizardText.objects.bulk_create(made)
    return len(made)


def sync_texts_of_all() -> int:
    """`sync_texts` after loading the URLconf, which imports every plugin's wizards."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the site modules that define wizards)
    return sync_texts()
