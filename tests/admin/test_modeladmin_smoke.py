"""The admin loads for the people who run the register, and only for them."""

import pytest

from core.actors import SESSION_KEY
from core.constants import Role
from core.models import Organisation, Schema, User
from tests.admin.conftest import admin_access, is_denied, logged_in, menu_labels
from tests.conftest import member

pytestmark = pytest.mark.django_db

REGISTER_MENU = {"Register", "Organisaties", "Registers", "Schema's", "Objecten", "Plugins"}


def test_admin_index_shows_the_register_menu_to_a_superuser(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert menu_labels(response) >= REGISTER_MENU


def test_content_editor_without_staff_flag_gets_no_register(db):
    editor = admin_access(User.objects.create_user("redactie@vng.nl", "een-lang-wachtwoord"))
    client = logged_in(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert not REGISTER_MENU & menu_labels(response)
    assert is_denied(client.get("/admin/core/object/"))
    assert is_denied(client.get("/admin/plugins/"))


def test_staff_without_admin_permission_cannot_enter(orgs):
    user = User.objects.create_user("medewerker@vng.nl", "een-lang-wachtwoord", is_staff=True)
    response = logged_in(user).get("/admin/core/object/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")  # our login, with 2FA


def test_organisations_list_filters_by_type(admin_client, orgs):
    response = admin_client.get("/admin/core/organisation/", {"type__exact": "Gemeente"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Utrecht" in body
    assert "s-Gravenhage" in body
    assert "Acme Software" not in body
    assert "Dimpact" not in body


def test_organisations_search_on_cbs_code(admin_client, orgs):
    body = admin_client.get("/admin/core/organisation/", {"q": "GM0518"}).content.decode()
    assert "s-Gravenhage" in body
    assert "Utrecht" not in body


def test_organisations_are_for_functioneel_beheer_only(staff_client):
    assert (
        staff_client("vng", Role.FUNCTIONEEL_BEHEERDER).get("/admin/core/organisation/").status_code
        == 200
    )
    supplier = staff_client("leverancier", Role.AANBOD_BEHEERDER)
    assert is_denied(supplier.get("/admin/core/organisation/"))
    assert "Organisaties" not in menu_labels(supplier.get("/admin/"))
    # The objects list is still theirs to use.
    assert supplier.get("/admin/core/object/").status_code == 200


def test_schema_shows_its_versions_read_only(admin_client):
    schema = Schema.objects.get(register__slug="voorbeeld", slug="product")
    response = admin_client.get(f"/admin/core/schema/inspect/{schema.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Versies" in body
    assert f"{schema.current_version.number} (huidig)" in body
    assert "/api/v1/producten" in body
    assert "relatie naar organisatie" in body
    assert is_denied(admin_client.get(f"/admin/core/schema/edit/{schema.pk}/"))
    assert is_denied(admin_client.get("/admin/core/schema/create/"))
    assert is_denied(admin_client.get(f"/admin/core/schema/delete/{schema.pk}/"))


def test_schema_and_register_lists_load(admin_client):
    schemas = admin_client.get("/admin/core/schema/")
    assert schemas.status_code == 200
    assert "Product" in schemas.content.decode()
    registers = admin_client.get("/admin/core/register/")
    assert registers.status_code == 200
    assert "Voorbeeldregister" in registers.content.decode()


def test_plugins_page_lists_loaded_plugins(admin_client):
    response = admin_client.get("/admin/plugins/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "csv_export" in body
    assert "plugins.csv_export.hooks" in body
    assert "register_exporters" in body
    assert "1.0.0" in body


def test_functioneel_beheer_registers_an_organisation(staff_client):
    client = staff_client("vng", Role.FUNCTIONEEL_BEHEERDER)
    assert client.get("/admin/core/organisation/create/").status_code == 200
    response = client.post(
        "/admin/core/organisation/create/",
        {"naam": "Proefdorp", "type": "Gemeente", "status": "Concept", "cbs_code": "GM9999"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(cbs_code="GM9999").naam == "Proefdorp"


def test_the_active_organisation_in_the_session_decides(orgs):
    user = member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER, email="twee@petten.nl").user
    member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="twee@petten.nl")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = logged_in(admin_access(user))

    session = client.session
    session[SESSION_KEY] = orgs["leverancier"].pk
    session.save()
    assert is_denied(client.get("/admin/core/organisation/"))

    session[SESSION_KEY] = orgs["vng"].pk
    session.save()
    assert client.get("/admin/core/organisation/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/core/object/?data__interneNotitie__icontains=korting",
        "/admin/core/organisation/?memberships__user__password__startswith=md5",
        "/admin/core/register/?schemas__register_objects__data__naam__icontains=x",
    ],
)
def test_undeclared_list_lookups_are_refused(admin_client, path):
    assert admin_client.get(path).status_code == 400
