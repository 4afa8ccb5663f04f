"""One test per hook, each showing the example plugin's effect through the API.

`test_plugin_system.py` checks that every hook in `core.plugins.hookspecs` has a
`test_hook_<name>` here.
"""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import Object

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def lines(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


def openapi(api_as) -> dict:
    response = api_as().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_hook_register_schema_dirs(api_as):
    registers = api_as().get("/api/v1/registers").json()["items"]
    plugin_register = next(r for r in registers if r["slug"] == "voorbeeldplugin")
    assert plugin_register["naam"] == "Voorbeeldplugin-register"
    assert plugin_register["schemas"] == ["/api/v1/schemas/plugin-notities"]

    schema = api_as().get("/api/v1/schemas/plugin-notities").json()
    assert schema["register"] == "voorbeeldplugin"
    assert (schema["slug"], schema["versie"]) == ("notitie", 1)

    writer = api_as("gemeente", "gebruik-beheerder")
    created = writer.post(
        "/api/v1/plugin-notities",
        {"status": "gepubliceerd", "data": {"onderwerp": "Uit een plugin", "prioriteit": "hoog"}},
    )
    assert created.status_code == 201, created.content
    assert created.json()["schema"] == "voorbeeldplugin/notitie"

    listed = api_as().get("/api/v1/plugin-notities", {"prioriteit": "hoog"})
    assert listed.status_code == 200, listed.content
    assert [item["titel"] for item in listed.json()["items"]] == ["Uit een plugin"]

    invalid = writer.post("/api/v1/plugin-notities", {"data": {"prioriteit": "dringend"}})
    assert invalid.status_code == 400
    assert {p["pointer"] for p in invalid.json()["invalidParams"]} == {"/onderwerp", "/prioriteit"}


def test_hook_register_exporters(api_as, supplier, published, product_data):
    published("Zaaksysteem", "Burgerzaken")
    url = published("Archief")[0]["url"]
    supplier.patch(url, {"data": {"interneNotitie": "Alleen voor ons"}})

    response = api_as().get("/api/v1/producten", {"formaat": "jsonl"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"] == 'attachment; filename="producten.jsonl"'
    rows = lines(response)
    assert [row["titel"] for row in rows] == ["Archief", "Burgerzaken", "Zaaksysteem"]
    assert rows[0]["data"]["categorie"] == "software"
    assert "interneNotitie" not in rows[0]["data"]  # the exporter gets what the reader may see

    own = lines(supplier.get("/api/v1/producten", {"formaat": "jsonl", "velden": "interneNotitie"}))
    assert [row["data"] for row in own] == [{"interneNotitie": "Alleen voor ons"}, {}, {}]

    filtered = api_as().get("/api/v1/producten", {"formaat": "jsonl", "zoek": "burgerzaken"})
    assert [row["titel"] for row in lines(filtered)] == ["Burgerzaken"]

    formats = next(
        p["schema"]["enum"]
        for p in openapi(api_as)["paths"]["/producten"]["get"]["parameters"]
        if p["name"] == "formaat"
    )
    assert "jsonl" in formats


def test_hook_register_bundle_exporters(api_as, supplier, published, product_data):
    from core.plugins import bundle_exporters

    published("Zaaksysteem", "Archief")
    supplier.post("/api/v1/producten", {"data": product_data("Concept")})

    assert bundle_exporters("voorbeeld")["jsonl"].naam == "JSON Lines"
    assert "jsonl" not in bundle_exporters("landschap")  # only for the kinds it names

    # The example plugin owns the kind "voorbeeld" and builds its selection at its own route;
    # the format comes from the hook.
    response = api_as().get("/api/v1/plugins/voorbeeld/bundel", {"formaat": "jsonl"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"] == 'attachment; filename="voorbeeld.jsonl"'
    rows = lines(response)
    assert [(row["soort"], row["titel"]) for row in rows] == [
        ("voorbeeld", "Archief"),
        ("voorbeeld", "Zaaksysteem"),
    ]
    own = lines(supplier.get("/api/v1/plugins/voorbeeld/bundel", {"formaat": "jsonl"}))
    assert [row["titel"] for row in own] == ["Archief", "Concept", "Zaaksysteem"]  # visible()

    unknown = api_as().get("/api/v1/plugins/voorbeeld/bundel", {"formaat": "xml"})
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == "Kies een formaat: jsonl."


def test_bundle_exporter_kind_and_slug_are_unique():
    import types

    from django.core.exceptions import ImproperlyConfigured

    from core.plugins import bundle_exporters, hookimpl
    from core.plugins.manager import pm, registries
    from tests.example_plugin.strategies import JsonLinesBundle

    class OtherKind(JsonLinesBundle):
        kinds = ("ander",)

    class Clash(JsonLinesBundle):
        kinds = ("ander", "voorbeeld")

    for exporter, clash in ((OtherKind(), False), (Clash(), True)):
        module = types.ModuleType("dubbele_bundel")
        module.register_bundle_exporters = hookimpl(lambda exporter=exporter: [exporter])
        pm.register(module, name="dubbele_bundel")
        registries.cache_clear()
        try:
            if clash:
                with pytest.raises(ImproperlyConfigured, match="'jsonl' voor 'voorbeeld'"):
                    registries()
            else:  # the same slug for another kind is fine
                assert bundle_exporters("ander")["jsonl"] is exporter
        finally:
            pm.unregister(module)
            registries.cache_clear()


def test_hook_register_import_sources(api_as, supplier, product_data):
    url = "/api/v1/producten/import?bron=jsonl"
    good = "\n".join(json.dumps(product_data(naam)) for naam in ["Zaaksysteem", "Burgerzaken"])
    response = supplier.post(url, good.encode(), content_type="application/x-ndjson")
    assert response.status_code == 201, response.content
    assert response.json() == {"aangemaakt": 2}
    listed = supplier.get("/api/v1/producten").json()
    assert sorted(item["titel"] for item in listed["items"]) == ["Burgerzaken", "Zaaksysteem"]
    assert {item["status"] for item in listed["items"]} == {"concept"}

    broken = json.dumps(product_data("Nieuw")) + "\n{geen json\n"
    response = supplier.post(url, broken.encode(), content_type="application/x-ndjson")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "Het bestand kon niet worden gelezen: regel 2 is geen geldige JSON"
    )

    invalid_row = json.dumps(product_data("Nieuw")) + "\n" + json.dumps({"naam": "Half"})
    response = supplier.post(url, invalid_row.encode(), content_type="application/x-ndjson")
    assert response.status_code == 400
    problems = response.json()["invalidParams"]
    assert {(p["name"], p["pointer"]) for p in problems} == {
        ("rij 2", "/aanbieder"),
        ("rij 2", "/categorie"),
    }
    assert Object.objects.count() == 2  # neither bad file wrote anything

    unknown = supplier.post(
        "/api/v1/producten/import?bron=xml", b"<a/>", content_type="application/xml"
    )
    assert unknown.status_code == 400
    assert "jsonl" in unknown.json()["invalidParams"][0]["reason"]


def test_hook_register_list_filters(api_as, published):
    published("Zaaksysteem Plus", "zaakregistratie", "Burgerzaken", "Het Zaakportaal")

    response = api_as().get("/api/v1/producten", {"naamBegintMet": "Zaak"})
    assert response.status_code == 200, response.content
    body = response.json()
    titles = sorted(item["titel"] for item in body["items"])
    assert titles == ["Zaaksysteem Plus", "zaakregistratie"]
    assert body["total"] == 2

    with CaptureQueriesContext(connection) as queries:
        paged = api_as().get("/api/v1/producten", {"naamBegintMet": "zaak", "paginaGrootte": 1})
    assert [len(paged.json()["items"]), paged.json()["total"]] == [1, 2]
    assert any("LIKE" in q["sql"] and "count" in q["sql"].lower() for q in queries.captured_queries)

    exported = api_as().get("/api/v1/producten", {"naamBegintMet": "burger", "formaat": "jsonl"})
    assert [row["titel"] for row in lines(exported)] == ["Burgerzaken"]

    names = {p["name"] for p in openapi(api_as)["paths"]["/producten"]["get"]["parameters"]}
    assert "naamBegintMet" in names
    unknown = api_as().get("/api/v1/producten", {"naamEindigtOp": "plus"})
    assert unknown.status_code == 400


def test_hook_register_object_actions(api_as, supplier, published):
    product = published("Zaaksysteem")[0]
    url = f"{product['url']}/acties/tel-tekens"

    response = supplier.post(url, {})
    assert response.status_code == 200, response.content
    assert response.json() == {"titel": "Zaaksysteem", "tekens": 11}

    assert api_as().post(url, {}).status_code == 404  # applies_to: logged-in actors only
    assert supplier.post(f"{product['url']}/acties/bestaat-niet", {}).status_code == 404
    assert "/producten/{uuid}/acties/tel-tekens" in openapi(api_as)["paths"]


def test_hook_register_api_routes(api_as):
    response = api_as().get("/api/v1/plugins/voorbeeld/status")
    assert response.status_code == 200
    assert response.json() == {"plugin": "example_plugin", "versie": "0.1.0", "status": "ok"}
    assert response["API-Version"] == "1.0.0"

    operation = openapi(api_as)["paths"]["/plugins/voorbeeld/status"]["get"]
    assert operation["summary"] == "Status van de voorbeeldplugin"
    assert operation["operationId"] == "voorbeeldpluginStatus"
    assert operation["tags"] == ["Plugins"]


def test_hook_register_site_urls(client):
    response = client.get("/voorbeeld")
    assert response.status_code == 200
    assert response.content == b"Voorbeeldpagina"


def test_hook_site_menu_items(client, orgs):
    from tests.admin.conftest import logged_in
    from tests.conftest import member

    assert 'href="/voorbeeld"' not in client.get("/inloggen").content.decode()
    user = member(orgs["gemeente"], "gebruik-raadpleger", email="menu@example.nl").user
    html = logged_in(user).get("/mijn-account").content.decode()
    assert 'href="/voorbeeld"' in html


def test_hook_organisation_sections(client, orgs):
    from tests.admin.conftest import logged_in
    from tests.conftest import member

    url = f"/organisaties/{orgs['leverancier'].uuid}"
    assert "Voorbeeld" not in client.get(url).content.decode()  # the hook returns None

    user = member(orgs["gemeente"], "gebruik-raadpleger", email="kijker@example.nl").user
    page = logged_in(user).get(url).content.decode()
    assert '<section id="voorbeeld"' in page
    assert "<p>13 tekens in de naam</p>" in page


def test_hook_object_extra_data(api_as, supplier, published):
    product = published("Zaaksysteem")[0]

    logged_in = api_as("gemeente", "gebruik-raadpleger")
    item = logged_in.get("/api/v1/producten").json()["items"][0]
    assert item["_extra"] == {"example_plugin": {"lengteTitel": 11}}
    assert logged_in.get(product["url"]).json()["_extra"]["example_plugin"] == {"lengteTitel": 11}

    anonymous = api_as()
    assert "_extra" not in anonymous.get("/api/v1/producten").json()["items"][0]
    assert "_extra" not in anonymous.get(product["url"]).json()


def test_hook_validate_object(api_as, supplier, published, product_data, events):
    data = product_data("Zaaksysteem VERBODEN")
    del data["categorie"]
    response = supplier.post("/api/v1/producten", {"data": data})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert {(p["pointer"], p["reason"]) for p in response.json()["invalidParams"]} == {
        ("/naam", "Het woord VERBODEN is niet toegestaan in de naam."),
        ("/categorie", "Dit veld is verplicht."),  # reported together with schema errors
    }
    assert not Object.objects.exists()

    product = published("Zaaksysteem")[0]
    patched = supplier.patch(product["url"], {"data": {"naam": "VERBODEN product"}})
    assert patched.status_code == 400
    assert [p["pointer"] for p in patched.json()["invalidParams"]] == ["/naam"]
    current = supplier.get(product["url"]).json()
    assert (current["titel"], current["versie"]) == ("Zaaksysteem", 1)

    # The hook receives the schema: another register may use the word.
    other = api_as("gemeente", "gebruik-beheerder").post(
        "/api/v1/plugin-notities", {"data": {"onderwerp": "VERBODEN terrein"}}
    )
    assert other.status_code == 201, other.content


def test_hook_object_changed(
    api_as, orgs, supplier, product_data, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = supplier.post("/api/v1/producten", {"data": product_data()})
        assert created.status_code == 201, created.content
        assert events == []  # not before the transaction commits
    assert len(events) == 1
    event = events[0]
    assert event.action == "created"
    assert event.uuid == created.json()["uuid"]
    assert event.schema == "voorbeeld/product"
    assert event.organisation == str(orgs["leverancier"].uuid)
    assert event.acting_organisation == str(orgs["leverancier"].uuid)
    assert (event.version, event.role, event.channel) == (1, "aanbod-beheerder", "api")
    assert event.user_id is not None and event.request_id

    url = created.json()["url"]
    with django_capture_on_commit_callbacks(execute=True):
        supplier.patch(url, {"data": {"beschrijving": "Nieuw"}}, HTTP_X_REQUEST_ID="verzoek-42")
        supplier.delete(url)
    assert [(e.action, e.version) for e in events[1:]] == [("updated", 2), ("archived", 3)]
    assert events[1].request_id == "verzoek-42"

    events.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = supplier.post("/api/v1/producten", {"data": product_data("VERBODEN")})
        assert refused.status_code == 400
    assert callbacks == [] and events == []

    class RolledBack(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RolledBack),
        transaction.atomic(),
    ):
        response = supplier.post("/api/v1/producten", {"data": product_data("Teruggedraaid")})
        assert response.status_code == 201
        raise RolledBack
    assert callbacks == [] and events == []
    assert not Object.objects.filter(title="Teruggedraaid").exists()


@pytest.fixture
def only_example_loaders():
    """`prepare` with just the example plugin's data hooks (the real ones load whole datasets)."""
    from core.plugins.manager import pm
    from tests.example_plugin import hooks

    others = [
        (name, plugin)
        for name, plugin in pm.list_name_plugin()
        if plugin is not hooks
        and (hasattr(plugin, "load_reference_data") or hasattr(plugin, "load_demo_data"))
    ]
    for name, _plugin in others:
        pm.unregister(name=name)
    hooks.LOADED.clear()
    yield hooks.LOADED
    for name, plugin in others:
        pm.register(plugin, name=name)


def _prepare(settings, demo: bool) -> str:
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = settings.DEMO = demo
    out = StringIO()
    call_command("prepare", stdout=out)
    return out.getvalue()


def test_hook_load_reference_data(only_example_loaders, settings):
    output = _prepare(settings, demo=False)
    assert only_example_loaders == ["referentiedata"]
    assert "referentiedata: voorbeeldlijst (3 regels)" in output


def test_hook_load_demo_data(only_example_loaders, settings):
    output = _prepare(settings, demo=True)
    assert only_example_loaders == ["referentiedata", "demodata"]
    assert output.index("referentiedata:") < output.index("demo: voorbeeldobjecten")


def test_hook_register_notification_kinds(orgs, supplier, django_capture_on_commit_callbacks):
    from django.core import mail

    from core.accounts.notifications import kinds, set_preferences
    from core.plugins.accounts import notify_organisation
    from tests.conftest import member

    registered = kinds()
    assert registered["voorbeeld-melding"] == "Berichten van de voorbeeldplugin"
    assert "gebruik-voorgesteld" in registered  # the catalogue plugin's, next to core's
    assert "organisatiestatus" in registered

    beheerder = member(orgs["leverancier"], "aanbod-beheerder").user
    colleague = member(orgs["leverancier"], "aanbod-beheerder", email="stil@acme.nl").user
    set_preferences(colleague, {"voorbeeld-melding": "uit"})
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify_organisation(
            str(orgs["leverancier"].uuid), "voorbeeld-melding", "Onderwerp", "Tekst", "/pad"
        )
    assert sent == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [([beheerder.email], "Onderwerp")]
    assert "http" in mail.outbox[0].body and "/pad" in mail.outbox[0].body

    with pytest.raises(ValueError, match="Onbekende meldingssoort"):
        notify_organisation(str(orgs["leverancier"].uuid), "bestaat-niet", "Onderwerp", "Tekst")


def test_hook_register_review_queues(api_as, orgs, supplier, product_data):
    from core.actors import Actor
    from core.plugins.manager import review_queues
    from core.services import NotAllowed
    from tests.conftest import member

    created = supplier.post("/api/v1/producten", {"data": product_data("Zaaksysteem")})
    assert created.status_code == 201, created.content
    queue = review_queues()["voorbeeld-concepten"]
    assert queue.naam == "Conceptproducten (voorbeeld)"
    assert "concept-applicaties" in review_queues()  # the catalogue plugin's queues too

    fb = Actor.for_membership(member(orgs["vng"], "functioneel-beheerder"))
    raadpleger = Actor.for_membership(member(orgs["vng"], "vng-raadpleger"))
    outsider = Actor.for_membership(member(orgs["gemeente"], "gebruik-beheerder"))
    key = created.json()["uuid"]
    assert [(i.key, i.title) for i in queue.items(actor=fb)] == [(key, "Zaaksysteem")]
    assert [i.key for i in queue.items(actor=raadpleger)] == [key]  # read-only
    assert queue.items(actor=outsider) == []
    with pytest.raises(NotAllowed):
        queue.accept(key=key, actor=raadpleger, note="")
    assert api_as().get(created.json()["url"]).status_code == 404  # still a concept

    assert queue.accept(key=key, actor=fb, note="") == "Zaaksysteem is gepubliceerd."
    public = api_as().get(created.json()["url"])
    assert public.status_code == 200 and public.json()["status"] == "gepubliceerd"
    assert queue.items(actor=fb) == []


def test_hook_account_changed(api_as, orgs, supplier, django_capture_on_commit_callbacks):
    from django.db import transaction

    from core.plugins.manager import pm
    from tests.conftest import member
    from tests.example_plugin.hooks import ACCOUNT_CHANGES

    ACCOUNT_CHANGES.clear()
    user = member(orgs["leverancier"], "aanbod-beheerder").user
    contact = supplier.post(
        "/api/v1/contactpersonen",
        {"data": {"voornaam": "Eva", "achternaam": "Boer", "emailadres": user.email.upper()}},
    )
    assert contact.status_code == 201, contact.content

    previous = {
        "email": user.email,
        "voornaam": "",
        "tussenvoegsel": "",
        "achternaam": "",
        "telefoonnummer": "",
        "functie": "",
    }
    with transaction.atomic():  # as "Mijn account" saves the user and calls the hook
        user.email, user.voornaam, user.tussenvoegsel = "eva@acme.nl", "Eva", "de"
        user.achternaam, user.functie = "Boer", "Accountmanager"
        user.save()
        pm.hook.account_changed(user=user, previous=previous)
    assert [(previous["email"], "eva@acme.nl")] == ACCOUNT_CHANGES
    data = supplier.get(contact.json()["url"]).json()["data"]
    assert (data["naam"], data["emailadres"], data["functie"]) == (
        "Eva de Boer",
        "eva@acme.nl",
        "Accountmanager",
    )
    ACCOUNT_CHANGES.clear()
