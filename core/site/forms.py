"""The one base for every form on the site: NL Design System (Utrecht) classes and aria wiring.

`SiteForm` is a mixin, so it dresses Django's own forms too (``SiteForm, SetPasswordForm``).
Templates only place the fields, with templates/site/forms/_field.html and _errors.html.

Ids follow Django's convention, which Django writes into each widget's ``aria-describedby``:
``<auto_id>_helptext`` for the help text, ``<auto_id>_error`` for the error message; Django
also sets ``aria-invalid``. Classes, like those attributes, are worked out when a field is
rendered, so fields added in ``__init__`` and errors added after validation (`add_error`,
`add_service_errors`) are dressed the same way.
"""

from __future__ import annotations

from django import forms

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"

# Widget → its Utrecht classes, the first being the block that takes ``--invalid``. The first
# match wins (to Django a CheckboxSelectMultiple is a RadioSelect, so it comes first); anything
# else (text, e-mail, URL, number, file) is a textbox.
WIDGET_CLASSES = (
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.PasswordInput, f"{TEXTBOX} utrecht-textbox--password"),
)


def utrecht_classes(widget: forms.Widget) -> str:
    for widget_class, classes in WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            return classes
    return TEXTBOX


class SiteBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        default = utrecht_classes(widget)
        classes = attrs.get("class") or widget.attrs.get("class") or default
        if self.errors:
            classes = f"{classes} {default.split()[0]}--invalid"
        attrs["class"] = classes
        return attrs


class SiteForm:
    """Mixin for `forms.Form` and Django's auth forms: Utrecht classes per widget type (a
    class set on the widget wins), ``<block>--invalid`` after an error, and Django's
    ``aria-invalid`` and ``aria-describedby``."""

    bound_field_class = SiteBoundField

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Errors found by a service (the one place that decides) shown at their fields; an
        error about something that is not a field goes to the top of the form."""
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class DateInput(forms.DateInput):
    """The browser's date picker; its value must be ISO (YYYY-MM-DD), whatever the language,
    or the browser drops it and the field shows empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
