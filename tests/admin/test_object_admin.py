"""Objects in the admin: listed through visible_to, written only through the services."""

import pytest

from core import services
from core.actors import Actor
from core.constants import Channel, ObjectStatus, Role
from core.models import Object, ObjectVersion
from core.register import catalog
from tests.admin.conftest import is_denied
from tests.conftest import member

pytestmark = pytest.mark.django_db

OBJECTS = "/admin/core/object/"
CREATE = OBJECTS + "create/"


def product_form(orgs, **extra):
    """What a person fills in on the generated product form."""
    return {
        "naam": "Zaaksysteem Plus",
        "beschrijving": "Zaakgericht werken.",
        "aanbieder": str(orgs["leverancier"].uuid),
        "categorie": "software",
        "labels": ["cloud", "open-source"],
        "prijs": "1200",
        "releaseDatum": "2025-03-01",
        "_status": "gepubliceerd",
        "_eigenaar": str(orgs["leverancier"].pk),
        **extra,
    }


def supplier_product(orgs, org_key="leverancier", status=ObjectStatus.GEPUBLICEERD, **data):
    actor = Actor.for_membership(member(orgs[org_key], Role.AANBOD_BEHEERDER))
    payload = {
        "naam": "Bestaand product",
        "aanbieder": str(orgs[org_key].uuid),
        "categorie": "software",
        **data,
    }
    return services.create_object(
        catalog.by_key("voorbeeld/product"), payload, actor=actor, status=status
    )


def edit_form(obj, orgs, **changes):
    data = {
        "naam": obj.data["naam"],
        "aanbieder": obj.data["aanbieder"],
        "categorie": obj.data["categorie"],
        "_status": obj.status,
        "_versie": str(obj.version),
    }
    data.update(changes)
    return data


def test_create_is_two_steps_and_goes_through_the_service(admin_client, superuser, orgs):
    choose = admin_client.get(CREATE)
    assert choose.status_code == 200
    assert "?schema=producten" in choose.content.decode()

    form_page = admin_client.get(CREATE, {"schema": "producten"})
    assert form_page.status_code == 200
    form = form_page.context["form"]
    assert form.fields["naam"].required
    assert not form.fields["beschrijving"].required
    assert dict(form.fields["categorie"].choices)["dienst"] == "Dienst"
    assert 'type="date"' in str(form["releaseDatum"])
    assert "geregistreerdDoor" not in form.fields  # derived by the server
    assert "_eigenaar" in form.fields  # functioneel beheer chooses the owner

    response = admin_client.post(f"{CREATE}?schema=producten", product_form(orgs))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == OBJECTS

    obj = Object.objects.get(title="Zaaksysteem Plus")
    assert obj.organisation == orgs["leverancier"]
    assert obj.status == ObjectStatus.GEPUBLICEERD
    assert obj.data == {
        "naam": "Zaaksysteem Plus",
        "beschrijving": "Zaakgericht werken.",
        "aanbieder": str(orgs["leverancier"].uuid),
        "categorie": "software",
        "labels": ["cloud", "open-source"],
        "prijs": 1200,
        "releaseDatum": "2025-03-01",
        "geregistreerdDoor": "Leverancier",
    }
    version = ObjectVersion.objects.get(object=obj)
    assert (version.action, version.channel, version.user) == ("created", Channel.ADMIN, superuser)


def test_invalid_input_shows_dutch_errors_on_the_field_and_creates_nothing(admin_client, orgs):
    response = admin_client.post(
        f"{CREATE}?schema=producten", product_form(orgs, naam="", prijs="duur")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["naam"] == ["Dit veld is verplicht."]
    assert errors["prijs"] == ["Voer een geheel getal in."]
    assert not Object.objects.exists()


def test_schema_errors_come_back_on_the_field_they_are_about(admin_client, orgs):
    response = admin_client.post(
        f"{CREATE}?schema=producten", product_form(orgs, naam="x" * 201, prijs="-5")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["naam"] == ["Maximaal 200 tekens."]
    assert errors["prijs"] == ["Minimaal 0."]
    assert "Het object is niet opgeslagen" in response.content.decode()
    assert not Object.objects.exists()


def test_not_allowed_is_a_dutch_message(staff_client, orgs):
    client = staff_client("gemeente", Role.GEBRUIK_BEHEERDER)
    choose = client.get(CREATE).content.decode()
    assert "?schema=afnames" in choose
    assert "?schema=producten" not in choose

    page = client.get(CREATE, {"schema": "producten"}, follow=True)
    assert "U mag geen product aanmaken." in page.content.decode()

    response = client.post(f"{CREATE}?schema=producten", product_form(orgs))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["U mag geen product aanmaken."]
    assert not Object.objects.exists()


def test_supplier_creates_for_its_own_organisation(staff_client, orgs):
    client = staff_client("leverancier", Role.AANBOD_BEHEERDER)
    form = client.get(CREATE, {"schema": "producten"}).context["form"]
    assert "_eigenaar" not in form.fields
    data = product_form(orgs)
    del data["_eigenaar"]
    assert client.post(f"{CREATE}?schema=producten", data).status_code == 302
    obj = Object.objects.get()
    assert obj.organisation == orgs["leverancier"]
    assert ObjectVersion.objects.get(object=obj).role == Role.AANBOD_BEHEERDER


def test_edit_with_a_stale_version_shows_the_conflict_and_changes_nothing(admin_client, orgs):
    obj = supplier_product(orgs)
    page = admin_client.get(f"{OBJECTS}edit/{obj.pk}/")
    assert page.status_code == 200
    assert page.context["form"]["_versie"].value() == 1
    assert page.context["form"]["naam"].value() == "Bestaand product"

    # Someone else saves first.
    other = Actor.for_membership(member(orgs["leverancier"], Role.AANBOD_BEHEERDER))
    services.update_object(obj, {"beschrijving": "Tussendoor"}, actor=other, partial=True)

    response = admin_client.post(
        f"{OBJECTS}edit/{obj.pk}/", edit_form(obj, orgs, naam="Mijn versie", _versie="1")
    )
    assert response.status_code == 200
    assert "Het object is intussen gewijzigd" in response.content.decode()
    obj.refresh_from_db()
    assert obj.version == 2
    assert obj.data["naam"] == "Bestaand product"
    assert obj.data["beschrijving"] == "Tussendoor"


def test_edit_saves_a_new_version_and_history_shows_the_change(admin_client, orgs):
    obj = supplier_product(orgs, beschrijving="Eerst")
    response = admin_client.post(
        f"{OBJECTS}edit/{obj.pk}/",
        edit_form(obj, orgs, naam="Nieuwe naam", beschrijving="", prijs="15"),
    )
    assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    assert obj.version == 2
    assert obj.data["naam"] == "Nieuwe naam"
    assert "beschrijving" not in obj.data  # cleared in the form
    assert obj.data["prijs"] == 15
    assert obj.data["geregistreerdDoor"] == "Leverancier"  # derived value kept

    history = admin_client.get(f"{OBJECTS}history/{obj.pk}/")
    assert history.status_code == 200
    rows = history.context["history"]
    assert [r["version"] for r in rows] == [2, 1]
    assert rows[0]["action"] == "Gewijzigd"
    assert rows[0]["channel"] == "Beheeromgeving"
    assert {"label": "Naam", "old": "Bestaand product", "new": "Nieuwe naam"} in rows[0]["changes"]
    assert rows[1]["role"] == "Aanbod-beheerder"
    assert "Nieuwe naam" in history.content.decode()


def test_edit_keeps_fields_the_form_does_not_show(admin_client, orgs):
    file_id = "5b0c6a58-3d8f-4a53-9d4b-2f1e0c9a7b61"
    obj = supplier_product(orgs, handleiding=file_id, interneNotitie="Alleen voor ons")
    form = admin_client.get(f"{OBJECTS}edit/{obj.pk}/").context["form"]
    assert "handleiding" not in form.fields  # files are uploaded elsewhere
    assert "interneNotitie" not in form.fields  # not visible to functioneel beheer
    response = admin_client.post(f"{OBJECTS}edit/{obj.pk}/", edit_form(obj, orgs, prijs="99"))
    assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    assert obj.data["handleiding"] == file_id
    assert obj.data["interneNotitie"] == "Alleen voor ons"
    assert obj.data["prijs"] == 99


def test_history_hides_fields_the_actor_may_not_see(admin_client, staff_client, orgs):
    obj = supplier_product(orgs, interneNotitie="Geheime marge")
    owner = Actor.for_membership(member(orgs["leverancier"], Role.AANBOD_BEHEERDER))
    services.update_object(obj, {"interneNotitie": "Nog geheimer"}, actor=owner, partial=True)

    seen_by_beheer = admin_client.get(f"{OBJECTS}history/{obj.pk}/").content.decode()
    assert "Geheime marge" not in seen_by_beheer
    assert "Nog geheimer" not in seen_by_beheer
    assert "Interne notitie" not in seen_by_beheer
    inspect = admin_client.get(f"{OBJECTS}inspect/{obj.pk}/").content.decode()
    assert "Nog geheimer" not in inspect

    seen_by_owner = staff_client("leverancier", Role.AANBOD_BEHEERDER).get(
        f"{OBJECTS}history/{obj.pk}/"
    )
    assert "Nog geheimer" in seen_by_owner.content.decode()


def test_list_shows_only_what_the_actor_may_see(admin_client, staff_client, orgs):
    own = supplier_product(orgs, naam="Eigen concept", status=ObjectStatus.CONCEPT)
    other = supplier_product(orgs, "leverancier2", naam="Andermans concept", status="concept")
    published = supplier_product(orgs, "leverancier2", naam="Andermans product")

    supplier = staff_client("leverancier", Role.AANBOD_BEHEERDER)
    listed = supplier.get(OBJECTS)
    body = listed.content.decode()
    assert "Eigen concept" in body
    assert "Andermans product" in body
    assert "Andermans concept" not in body
    # Buttons follow the update policy: own object editable, someone else's not.
    assert f"{OBJECTS}edit/{own.pk}/" in body
    assert f"{OBJECTS}edit/{published.pk}/" not in body
    assert supplier.get(f"{OBJECTS}inspect/{other.pk}/").status_code == 404
    assert is_denied(supplier.get(f"{OBJECTS}edit/{published.pk}/"))

    everything = admin_client.get(OBJECTS).content.decode()
    assert "Andermans concept" in everything


def test_list_filters_on_schema_and_status_and_searches_title(admin_client, orgs):
    supplier_product(orgs, naam="Gepubliceerd ding")
    supplier_product(orgs, naam="Concept ding", status=ObjectStatus.CONCEPT)
    product = catalog.by_key("voorbeeld/product").schema

    body = admin_client.get(OBJECTS, {"status__exact": "concept"}).content.decode()
    assert "Concept ding" in body and "Gepubliceerd ding" not in body
    body = admin_client.get(OBJECTS, {"schema": product.pk, "q": "gepubliceerd"})
    assert "Gepubliceerd ding" in body.content.decode()
    assert "Concept ding" not in body.content.decode()
    afname = catalog.by_key("voorbeeld/afname").schema
    body = admin_client.get(OBJECTS, {"schema": afname.pk}).content.decode()
    assert "Gepubliceerd ding" not in body and "Concept ding" not in body


def test_delete_archives_through_the_service(admin_client, orgs):
    obj = supplier_product(orgs)
    page = admin_client.get(f"{OBJECTS}delete/{obj.pk}/")
    assert page.status_code == 200
    assert "archiveren" in page.content.decode()
    response = admin_client.post(f"{OBJECTS}delete/{obj.pk}/", {"_versie": "1"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == ObjectStatus.GEARCHIVEERD
    last = obj.history.order_by("-version").first()
    assert (last.action, last.channel) == ("archived", Channel.ADMIN)
    assert obj not in admin_client.get(OBJECTS).context["object_list"]
    archived = admin_client.get(OBJECTS, {"status__exact": "gearchiveerd"})
    assert obj in archived.context["object_list"]


def test_archiving_something_in_use_shows_the_conflict(admin_client, orgs):
    product = supplier_product(orgs, naam="Veelgebruikt")
    municipality = Actor.for_membership(member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER))
    services.create_object(
        catalog.by_key("voorbeeld/afname"),
        {"product": str(product.uuid), "status": "in-productie"},
        actor=municipality,
    )
    response = admin_client.post(f"{OBJECTS}delete/{product.pk}/", {"_versie": "1"})
    assert response.status_code == 200
    assert "Kan niet worden gearchiveerd: nog in gebruik" in response.content.decode()
    product.refresh_from_db()
    assert product.status == ObjectStatus.GEPUBLICEERD


def test_archiving_a_stale_version_is_refused(admin_client, orgs):
    obj = supplier_product(orgs)
    owner = Actor.for_membership(member(orgs["leverancier"], Role.AANBOD_BEHEERDER))
    services.update_object(obj, {"prijs": 5}, actor=owner, partial=True)
    response = admin_client.post(f"{OBJECTS}delete/{obj.pk}/", {"_versie": "1"})
    assert "Het object is intussen gewijzigd" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == ObjectStatus.GEPUBLICEERD


def test_relation_choices_only_offer_visible_targets(staff_client, orgs):
    visible = supplier_product(orgs, "leverancier2", naam="Zichtbaar product")
    hidden = supplier_product(orgs, "leverancier2", naam="Verborgen concept", status="concept")
    client = staff_client("gemeente", Role.GEBRUIK_BEHEERDER)
    form = client.get(CREATE, {"schema": "afnames"}).context["form"]
    products = {o.pk for o in form.fields["product"].queryset}
    assert visible.pk in products
    assert hidden.pk in products  # a government actor may read concepts (x-access)
    assert "naam" not in form.fields and "afnemer" not in form.fields  # derived

    supplier = staff_client("leverancier", Role.AANBOD_BEHEERDER)
    form = supplier.get(CREATE, {"schema": "producten"}).context["form"]
    assert orgs["inactief"] not in form.fields["aanbieder"].queryset
    assert orgs["leverancier2"] in form.fields["aanbieder"].queryset


def test_list_makes_no_query_per_row(admin_client, orgs, django_assert_max_num_queries):
    for number in range(3):
        supplier_product(orgs, naam=f"Product {number}")
    admin_client.get(OBJECTS)  # warm the catalog and the session
    with django_assert_max_num_queries(20) as few:
        admin_client.get(OBJECTS)
    for number in range(3, 15):
        supplier_product(orgs, naam=f"Product {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(OBJECTS)
    assert "Product 14" in response.content.decode()


def test_municipality_records_use_with_many_relations(staff_client, orgs):
    product = supplier_product(orgs, naam="Zaaksysteem")
    client = staff_client("gemeente", Role.GEBRUIK_BEHEERDER)
    response = client.post(
        f"{CREATE}?schema=afnames",
        {
            "product": str(product.uuid),
            "deelnemers": [str(orgs["samenwerking"].uuid), str(orgs["gemeente2"].uuid)],
            "status": "gepland",
            "contractwaarde": "50000",
            "_status": "concept",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    obj = Object.objects.get(schema__collection="afnames")
    assert obj.title == "Utrecht gebruikt Zaaksysteem"
    assert obj.data["afnemer"] == str(orgs["gemeente"].uuid)
    assert sorted(obj.data["deelnemers"]) == sorted(
        [str(orgs["samenwerking"].uuid), str(orgs["gemeente2"].uuid)]
    )
    assert obj.data["contractwaarde"] == 50000

    form = client.get(f"{OBJECTS}edit/{obj.pk}/").context["form"]
    assert sorted(form["deelnemers"].value()) == sorted(obj.data["deelnemers"])
    assert form["product"].value() == str(product.uuid)
    inspect = client.get(f"{OBJECTS}inspect/{obj.pk}/").context["rows"]
    assert {"label": "Product", "value": "Zaaksysteem"} in inspect
