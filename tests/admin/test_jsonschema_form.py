"""The object form is generated from the schema at request time, newly loaded schemas included."""

import json

import pytest
from django import forms

from core.actors import Actor
from core.admin.forms import ObjectForm, PrettyJSONField, UuidChoiceField
from core.constants import ObjectStatus
from core.models import Object, ObjectVersion
from core.register import catalog, loader

pytestmark = pytest.mark.django_db

CREATE = "/admin/core/object/create/"

DEVICE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Apparaat",
    "type": "object",
    "x-version": 1,
    "x-collection": "apparaten",
    "x-title-property": "naam",
    "required": ["naam", "soort"],
    "additionalProperties": False,
    "properties": {
        "naam": {"type": "string", "title": "Naam", "maxLength": 100},
        "aantal": {"type": "integer", "title": "Aantal", "minimum": 1},
        "actief": {"type": "boolean", "title": "Actief"},
        "soort": {
            "type": "string",
            "title": "Soort",
            "enum": ["laptop", "telefoon"],
            "x-enum-labels": {"laptop": "Laptop", "telefoon": "Telefoon"},
        },
        "aangeschaft": {"type": "string", "format": "date", "title": "Aangeschaft"},
        "leverancier": {
            "type": "string",
            "format": "uuid",
            "title": "Leverancier",
            "x-relation": {"target": "organisatie"},
        },
        "specificaties": {
            "type": "object",
            "title": "Specificaties",
            "properties": {"geheugen": {"type": "integer"}},
            "additionalProperties": False,
        },
        "poorten": {"type": "array", "title": "Poorten", "items": {"type": "string"}},
    },
    "examples": [{"naam": "ThinkPad", "soort": "laptop"}],
}


@pytest.fixture
def device_schema_dir(tmp_path):
    register = tmp_path / "proef"
    register.mkdir()
    (register / "_register.json").write_text(json.dumps({"naam": "Proefregister"}))
    (register / "apparaat.json").write_text(json.dumps(DEVICE_SCHEMA))
    return tmp_path


def device_form(orgs, **extra):
    return {
        "naam": "ThinkPad X1",
        "aantal": "2",
        "actief": "true",
        "soort": "laptop",
        "aangeschaft": "2024-05-01",
        "leverancier": str(orgs["leverancier"].uuid),
        "specificaties": '{"geheugen": 16}',
        "poorten": '["usb-c", "hdmi"]',
        "_status": "gepubliceerd",
        "_eigenaar": str(orgs["vng"].pk),
        **extra,
    }


def test_a_schema_loaded_after_start_gets_a_working_form(
    admin_client, orgs, device_schema_dir, django_capture_on_commit_callbacks
):
    assert "?schema=apparaten" not in admin_client.get(CREATE).content.decode()
    assert admin_client.get(CREATE, {"schema": "apparaten"}).status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        loader.load([device_schema_dir])

    assert "?schema=apparaten" in admin_client.get(CREATE).content.decode()
    page = admin_client.get(CREATE, {"schema": "apparaten"})
    assert page.status_code == 200
    fields = page.context["form"].fields
    assert isinstance(fields["naam"], forms.CharField) and fields["naam"].required
    assert isinstance(fields["aantal"], forms.IntegerField)
    assert isinstance(fields["actief"], forms.NullBooleanField)
    assert fields["soort"].required
    assert ("telefoon", "Telefoon") in fields["soort"].choices
    assert isinstance(fields["aangeschaft"], forms.DateField)
    assert isinstance(fields["leverancier"], UuidChoiceField)
    assert isinstance(fields["specificaties"], PrettyJSONField)
    assert isinstance(fields["poorten"], PrettyJSONField)

    response = admin_client.post(f"{CREATE}?schema=apparaten", device_form(orgs))
    assert response.status_code == 302, response.context["form"].errors
    obj = Object.objects.get(schema__collection="apparaten")
    assert obj.title == "ThinkPad X1"
    assert obj.organisation == orgs["vng"]
    assert obj.data == {
        "naam": "ThinkPad X1",
        "aantal": 2,
        "actief": True,
        "soort": "laptop",
        "aangeschaft": "2024-05-01",
        "leverancier": str(orgs["leverancier"].uuid),
        "specificaties": {"geheugen": 16},
        "poorten": ["usb-c", "hdmi"],
    }
    assert ObjectVersion.objects.get(object=obj).channel == "admin"

    edit = admin_client.get(f"/admin/core/object/edit/{obj.pk}/")
    assert '"geheugen": 16' in edit.context["form"]["specificaties"].value()


def test_json_fields_are_parsed_and_validated_against_the_schema(
    admin_client, orgs, device_schema_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        loader.load([device_schema_dir])
    url = f"{CREATE}?schema=apparaten"

    broken = admin_client.post(url, device_form(orgs, specificaties='{"geheugen": 16'))
    assert broken.context["form"].errors["specificaties"] == [
        "Geen geldige JSON: controleer haakjes, komma's en quotes."
    ]
    # The typed text comes back as typed, so it can be corrected.
    assert broken.context["form"]["specificaties"].value() == '{"geheugen": 16'
    assert "{&quot;geheugen&quot;: 16</textarea>" in broken.content.decode()

    wrong = admin_client.post(
        url, device_form(orgs, specificaties='{"geheugen": "veel"}', poorten='"usb"', aantal="0")
    )
    errors = wrong.context["form"].errors
    assert errors["specificaties"] == ["geheugen: Verwacht type geheel getal."]
    assert errors["poorten"] == ["Verwacht type lijst."]
    assert errors["aantal"] == ["Minimaal 1."]
    assert not Object.objects.filter(schema__collection="apparaten").exists()


def product_entry():
    return catalog.by_key("voorbeeld/product")


def test_service_errors_land_on_the_field_named_by_the_pointer(orgs):
    form = ObjectForm(product_entry(), Actor.for_system(), data={"_status": "concept"})
    form.is_valid()
    form.add_service_errors(
        [
            ("/labels/1", "Kies een van: cloud, open-source, on-premises."),
            ("/geregistreerdDoor", "Dit veld wordt door de server bepaald."),
            ("/bestaatNiet", "Onbekend veld."),
            ("", "Het verzoek moet een JSON-object zijn."),
        ]
    )
    assert "1: Kies een van: cloud, open-source, on-premises." in form.errors["labels"]
    assert form.non_field_errors() == [
        "Geregistreerd door: Dit veld wordt door de server bepaald.",
        "/bestaatNiet: Onbekend veld.",
        "Het verzoek moet een JSON-object zijn.",
    ]


def test_status_of_the_object_does_not_clash_with_a_status_property(orgs):
    afname = catalog.by_key("voorbeeld/afname")
    form = ObjectForm(afname, Actor.for_system())
    assert [c for c, _ in form.fields["status"].choices if c] == [
        "gepland",
        "in-productie",
        "uitgefaseerd",
    ]
    assert [c for c, _ in form.fields["_status"].choices] == [
        ObjectStatus.CONCEPT,
        ObjectStatus.GEPUBLICEERD,
    ]
