"""The steps of the offer wizards as forms. Choices that depend on the actor or on earlier
steps arrive as keyword arguments (the wizard's `form_kwargs`), so a step builds the same
fields on GET, on POST and on "Controleer uw gegevens"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import SiteForm, enum_labels
from plugins.catalogus.site.facts import NIET_ONDERSTEUND, ONDERSTEUND
from plugins.catalogus.site.offer.common import KOPPELING, MODULE, OPEN_SOURCE, VERSION

BLANK_ROWS = 3  # empty rows under the filled ones (versions, koppelingen), no JavaScript needed
MIN_ROWS = 5


def checkboxes() -> forms.CheckboxSelectMultiple:
    """Checkboxes dressed as checkboxes (Django's widget is a kind of RadioSelect)."""
    return forms.CheckboxSelectMultiple(
        attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
    )


def enum_choices(schema: str, name: str, blank: str | None = None) -> list[tuple[str, str]]:
    choices = list(enum_labels(schema, name).items())
    return [("", blank), *choices] if blank is not None else choices


def url_field(label, max_length: int = 500, **kwargs) -> forms.URLField:
    return forms.URLField(
        label=label, required=False, max_length=max_length, assume_scheme="https", **kwargs
    )


def row_count(saved: dict | None, prefix: str) -> int:
    """Rows to show: up to the last filled row (or existing object, by its uuid), plus a few
    blank ones, at least MIN_ROWS."""
    used = [
        int(key.rsplit("_", 1)[1])
        for key, value in (saved or {}).items()
        if value and key.startswith((prefix, "uuid_")) and key.rsplit("_", 1)[1].isdigit()
    ]
    return max(MIN_ROWS, max(used, default=-1) + 1 + BLANK_ROWS)


def row_indexes(saved: dict | None) -> list[int]:
    """Every row index a saved step holds (filled, emptied or blank)."""
    found = {key.rsplit("_", 1)[1] for key in saved or {} if "_" in key}
    return sorted(int(i) for i in found if i.isdigit())


class InformatieForm(SiteForm, forms.Form):
    naam = forms.CharField(label=gettext_lazy("Naam"), max_length=200)
    website = url_field(gettext_lazy("Website"))
    beschrijvingKort = forms.CharField(
        label=gettext_lazy("Korte beschrijving"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Eén of twee zinnen; maximaal 255 tekens."),
    )
    beschrijvingLang = forms.CharField(
        label=gettext_lazy("Uitgebreide omschrijving"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    logo = url_field(gettext_lazy("Logo (URL)"))
    contactpersoon = forms.ChoiceField(label=gettext_lazy("Aanspreekpunt"), required=False)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contactpersoon"].choices = contacts
        self.fields["contactpersoon"].help_text = _(
            "Een contactpersoon van uw organisatie; beheer ze onder Mijn organisatie."
        )


class LicentieForm(SiteForm, forms.Form):
    licentietype = forms.ChoiceField(
        label=gettext_lazy("Licentietype"), widget=forms.RadioSelect, initial="Closed source"
    )
    licentie = forms.ChoiceField(
        label=gettext_lazy("Licentie"),
        required=False,
        help_text=gettext_lazy("Alleen bij open source."),
    )
    cloudDienstverleningsmodel = forms.MultipleChoiceField(
        label=gettext_lazy("Hostingvorm"),
        widget=checkboxes(),
        help_text=gettext_lazy("Kies alle vormen waarin u de applicatie aanbiedt."),
        error_messages={"required": gettext_lazy("Kies minstens één hostingvorm.")},
    )
    hostingLocatie = forms.ChoiceField(label=gettext_lazy("Hostinglocatie"), required=False)
    hostingJurisdictie = forms.ChoiceField(
        label=gettext_lazy("Jurisdictie van de hosting"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["licentietype"].choices = enum_choices(MODULE, "licentietype")
        fields["licentie"].choices = enum_choices(MODULE, "licentie", "—")
        fields["cloudDienstverleningsmodel"].choices = enum_choices(
            MODULE, "cloudDienstverleningsmodel"
        )
        fields["hostingLocatie"].choices = enum_choices(MODULE, "hostingLocatie", "—")
        fields["hostingJurisdictie"].choices = enum_choices(MODULE, "hostingJurisdictie", "—")

    def clean(self):
        data = super().clean()
        if data.get("licentietype") == OPEN_SOURCE:
            if not data.get("licentie"):
                self.add_error("licentie", _("Kies de open-sourcelicentie."))
        else:
            data["licentie"] = ""  # a closed-source application has no licence to name
        return data


class VersiesForm(SiteForm, forms.Form):
    """Rows of versie + status; an emptied row of an existing version removes it."""

    def __init__(self, *args, rows: int = MIN_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = enum_choices(VERSION, "status")
        self.rows = []
        for i in range(rows):
            self.fields[f"uuid_{i}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"versie_{i}"] = forms.CharField(
                label=_("Versie (rij %(n)s)") % {"n": i + 1}, max_length=50, required=False
            )
            self.fields[f"status_{i}"] = forms.ChoiceField(
                label=_("Status (rij %(n)s)") % {"n": i + 1},
                choices=statuses,
                initial="in gebruik",
                required=False,
            )
            self.rows.append((self[f"uuid_{i}"], self[f"versie_{i}"], self[f"status_{i}"]))

    def clean(self):
        data = super().clean()
        seen = set()
        for i in range(len(self.rows)):
            versie = (data.get(f"versie_{i}") or "").strip()
            data[f"versie_{i}"] = versie
            if versie.lower() in seen:
                self.add_error(f"versie_{i}", _("Deze versie staat er al."))
            elif versie:
                seen.add(versie.lower())
        return data


class ZoekKeuzeForm(SiteForm, forms.Form):
    """A step that searches (button "Zoeken", no JavaScript needed) and ticks rows; the
    choices are the matches plus what was ticked before."""

    search_field = "keuze"
    search_label = gettext_lazy("Zoeken")
    keuze = forms.MultipleChoiceField(widget=checkboxes())

    def __init__(self, *args, choices=(), zoek: str = "", more: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keuze"].choices = choices
        self.zoek = zoek
        self.more = more


class ReferentiecomponentenForm(ZoekKeuzeForm):
    search_label = gettext_lazy("Filter referentiecomponenten op naam")
    keuze = forms.MultipleChoiceField(
        label=gettext_lazy("Referentiecomponenten"),
        widget=checkboxes(),
        required=False,
    )


class ApplicatiesForm(ZoekKeuzeForm):
    search_label = gettext_lazy("Zoek applicaties op naam")
    keuze = forms.MultipleChoiceField(
        label=gettext_lazy("Applicaties"),
        widget=checkboxes(),
        error_messages={"required": gettext_lazy("Kies minstens één applicatie.")},
    )


class KlantenForm(ZoekKeuzeForm):
    search_label = gettext_lazy("Zoek gemeenten en samenwerkingen op naam")
    keuze = forms.MultipleChoiceField(
        label=gettext_lazy("Klanten"),
        widget=checkboxes(),
        error_messages={"required": gettext_lazy("Kies minstens één gemeente of samenwerking.")},
    )


class StandaardenForm(SiteForm, forms.Form):
    """Per standaardversie of the chosen referentiecomponenten: supported or not, with an
    optional evidence URL. `groups` are facts.StandardGroup rows (as on the detail page)."""

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("Niet opgegeven")),
            (ONDERSTEUND, _("Ondersteund")),
            (NIET_ONDERSTEUND, _("Niet ondersteund")),
        ]
        self.groups = []
        for group in groups:
            rows = []
            for row in group.rows:
                support, url = f"ondersteuning_{row.uuid}", f"url_{row.uuid}"
                self.fields[support] = forms.ChoiceField(
                    label=row.naam, choices=choices, required=False, widget=forms.RadioSelect
                )
                self.fields[url] = url_field(
                    _("Bewijs (URL) voor %(naam)s") % {"naam": row.naam}, max_length=1000
                )
                rows.append((row, self[support], self[url]))
            self.groups.append((group, rows))

    def clean(self):
        data = super().clean()
        for name in list(data):
            support = f"ondersteuning_{name.removeprefix('url_')}"
            if name.startswith("url_") and data.get(name) and not data.get(support):
                self.add_error(name, _("Geef eerst aan of de standaard ondersteund wordt."))
        return data


class KoppelingenForm(SiteForm, forms.Form):
    """Optional rows: the other end (an application or a voorziening), direction and name.
    An emptied row of an existing koppeling removes it."""

    def __init__(self, *args, rows: int = MIN_ROWS, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        directions = enum_choices(KOPPELING, "gegevensuitwisselingRichting")
        self.rows = []
        for i in range(rows):
            self.fields[f"uuid_{i}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"doel_{i}"] = forms.ChoiceField(
                label=_("Applicatie B of voorziening (rij %(n)s)") % {"n": i + 1},
                choices=targets,
                required=False,
            )
            self.fields[f"richting_{i}"] = forms.ChoiceField(
                label=_("Richting (rij %(n)s)") % {"n": i + 1},
                choices=directions,
                required=False,
                initial="AnaarB",
            )
            self.fields[f"naam_{i}"] = forms.CharField(
                label=_("Naam (rij %(n)s)") % {"n": i + 1}, max_length=500, required=False
            )
            self.rows.append(
                (self[f"uuid_{i}"], self[f"doel_{i}"], self[f"richting_{i}"], self[f"naam_{i}"])
            )

    def clean(self):
        data = super().clean()
        for i in range(len(self.rows)):
            if data.get(f"naam_{i}") and not data.get(f"doel_{i}"):
                self.add_error(f"doel_{i}", _("Kies met welke applicatie of voorziening."))
        return data


# The six diensttypes (the schema's item enum, which carries no separate labels).
DIENSTTYPES = (
    "Functioneel beheer",
    "Applicatiebeheer",
    "Technisch beheer",
    "Implementatieondersteuning",
    "Opleidingen",
    "Licentiereseller",
)


class DienstForm(SiteForm, forms.Form):
    naam = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=200,
        help_text=gettext_lazy(
            "Bijvoorbeeld “Functioneel beheer Zaakwijzer” of “Implementatie van Burgerzaken”."
        ),
    )
    website = url_field(gettext_lazy("Website"))
    beschrijvingKort = forms.CharField(
        label=gettext_lazy("Korte omschrijving"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Vat uw dienst samen in één of twee zinnen."),
    )
    beschrijvingLang = forms.CharField(
        label=gettext_lazy("Uitgebreide omschrijving"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    type = forms.MultipleChoiceField(
        label=gettext_lazy("Diensttype"),
        widget=checkboxes(),
        error_messages={"required": gettext_lazy("Kies minstens één diensttype.")},
    )
    contactpersoon = forms.ChoiceField(label=gettext_lazy("Aanspreekpunt"), required=False)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(v, v) for v in DIENSTTYPES]
        self.fields["contactpersoon"].choices = contacts


class ApplicatieKeuzeForm(SiteForm, forms.Form):
    module = forms.ChoiceField(
        label=gettext_lazy("Applicatie"),
        error_messages={"required": gettext_lazy("Kies een van uw applicaties.")},
    )

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "—"), *modules]


class GebruiksinformatieForm(SiteForm, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), initial="In productie")
    cloudDienstverleningsmodel = forms.ChoiceField(label=gettext_lazy("Hostingvorm"))
    hostingLocatie = forms.ChoiceField(label=gettext_lazy("Hostinglocatie"), required=False)

    def __init__(self, *args, hosting=(), **kwargs):
        super().__init__(*args, **kwargs)
        gebruik = "catalogus/gebruik"
        self.fields["status"].choices = enum_choices(gebruik, "status")
        labels = enum_labels(gebruik, "cloudDienstverleningsmodel")
        self.fields["cloudDienstverleningsmodel"].choices = [
            (value, labels.get(value, value)) for value in hosting
        ]
        self.fields["hostingLocatie"].choices = enum_choices(gebruik, "hostingLocatie", "—")
