"""The "Applicatie publiceren" wizard and its edit twin, step by step through the site as a
supplier would use them: validation per step, versions only for on-premises, standards
pre-filled from the referentiecomponenten, one write at the end, history."""

from __future__ import annotations

import pytest

from core import services
from core.actors import Actor
from core.models import Object, ObjectVersion
from core.register import catalog
from tests.admin.conftest import logged_in
from tests.catalogus.conftest import LEV, LEV2
from tests.conftest import member

pytestmark = pytest.mark.django_db

PUBLISH = "/mijn-aanbod/applicatie-publiceren"


def client_for(world, label: str):
    role, org_key = label.split("@")
    return logged_in(member(world.orgs[org_key], role).user)


def actor_for(world, label: str) -> Actor:
    role, org_key = label.split("@")
    return Actor.for_membership(member(world.orgs[org_key], role))


def objects(schema: str):
    return Object.objects.filter(schema=catalog.by_key(schema).schema)


def start(client, url: str) -> str:
    """Start a run; returns the base URL of its steps (".../<token>")."""
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    return response.url.rsplit("/", 1)[0]


def step(client, base: str, key: str, data: dict, actie: str = "volgende"):
    return client.post(f"{base}/{key}", {**data, "actie": actie})


def start_edit(client, module) -> str:
    """Start the edit wizard of `module`. The world's Zaakwijzer has no licentietype, which
    the wizard requires: the review sends the user to that step first, so fill it in."""
    base = start(client, f"/mijn-aanbod/applicaties/{module.uuid}/bewerken")
    review = client.get(f"{base}/controleren")
    assert review.status_code == 302 and review["Location"] == f"{base}/licentie"
    models = module.data.get("cloudDienstverleningsmodel") or []
    licence = {"licentietype": "Closed source", "cloudDienstverleningsmodel": models}
    assert step(client, base, "licentie", {**licence, "hostingLocatie": "NL"}).status_code == 302
    return base


@pytest.fixture
def gemma(access_world):
    """A referentiecomponent "Zaakregistratiecomponent" that demands the standaard StUF-ZKN
    (whose version is the world's "stuf"), one in development and one withdrawn."""
    system, vng = Actor.for_system(), access_world.orgs["vng"]

    def make(schema, data):
        return services.create_object(
            catalog.by_key(schema), data, actor=system, status="gepubliceerd", organisation=vng
        )

    standaard = make("gemma/standaard", {"naam": "StUF-ZKN", "objectId": "stuf-zkn"})
    stuf = access_world.objects["stuf"]
    services.update_object(
        stuf,
        {"standaard": str(standaard.uuid), "versieaanduiding": "3.10"},
        actor=system,
        partial=True,
    )
    rc = make(
        "gemma/referentiecomponent",
        {
            "naam": "Zaakregistratiecomponent",
            "objectId": "zrc",
            "gemmaStatus": "In gebruik",
            "verplichteStandaarden": [str(standaard.uuid)],
        },
    )
    other = make(
        "gemma/referentiecomponent",
        {"naam": "Archiefcomponent", "objectId": "arc", "gemmaStatus": "In gebruik"},
    )
    draft = make(
        "gemma/referentiecomponent",
        {"naam": "Toekomstcomponent", "objectId": "tc", "gemmaStatus": "In ontwikkeling"},
    )
    gone = make(
        "gemma/referentiecomponent",
        {
            "naam": "Oude zaakcomponent",
            "objectId": "ozc",
            "gemmaStatus": "In gebruik",
            "ingetrokken": True,
        },
    )
    return {"rc": rc, "other": other, "draft": draft, "gone": gone, "stuf": stuf}


def test_publish_journey_step_by_step(access_world, gemma, django_capture_on_commit_callbacks):
    world = access_world
    client = client_for(world, LEV)
    before = Object.objects.count()
    base = start(client, PUBLISH)
    assert base.startswith(PUBLISH + "/")

    # 1 Applicatie-informatie: required name, short description at most 255 characters.
    page = client.get(f"{base}/applicatie")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Applicatie-informatie" in html and "Uitgebreide omschrijving" in html
    assert "Eva de Boer" in html  # own contact persons to choose from
    assert "Bo Peters" not in html  # not another supplier's
    response = step(client, base, "applicatie", {"naam": "", "beschrijvingKort": "x" * 256})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Naam: Dit is een verplicht veld." in html
    assert "255" in html and "foutmelding" in html
    contact = world.uuid("lev_contact")
    response = step(
        client,
        base,
        "applicatie",
        {
            "naam": "Vergunningwijzer",
            "website": "vergunningwijzer.example.nl",
            "beschrijvingKort": "Vergunningen aanvragen en behandelen.",
            "beschrijvingLang": "Van aanvraag tot besluit.",
            "contactpersoon": contact,
        },
    )
    assert response.status_code == 302 and response.url == f"{base}/licentie"

    # 2 Licentie & hosting: an open-source licence must be named; at least one hosting.
    response = step(client, base, "licentie", {"licentietype": "Open source"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies de open-sourcelicentie." in html
    assert "Kies minstens één hostingvorm." in html
    response = step(
        client,
        base,
        "licentie",
        {"licentietype": "Closed source", "cloudDienstverleningsmodel": ["SaaS"]},
    )
    assert response.url == f"{base}/referentiecomponenten"  # no versions for SaaS only
    assert client.get(f"{base}/versies").status_code == 404
    response = step(
        client,
        base,
        "licentie",
        {
            "licentietype": "Open source",
            "licentie": "European Union Public Licence (EUPL), versie 1.2",
            "cloudDienstverleningsmodel": ["SaaS", "On-premises (self-managed)"],
            "hostingLocatie": "NL",
            "hostingJurisdictie": "EU",
        },
    )
    assert response.url == f"{base}/versies"

    # 3 Versies (on-premises): rows of versie + status, no duplicates.
    response = step(
        client,
        base,
        "versies",
        {"versie_0": "2.0", "status_0": "in gebruik", "versie_1": "2.0", "status_1": "in gebruik"},
    )
    assert response.status_code == 400
    assert "Deze versie staat er al." in response.content.decode()
    response = step(
        client,
        base,
        "versies",
        {
            "versie_0": "2.0",
            "status_0": "in gebruik",
            "versie_1": "2.1",
            "status_1": "in ontwikkeling",
        },
    )
    assert response.url == f"{base}/referentiecomponenten"

    # 4 Referentiecomponenten: only "In gebruik" and not withdrawn; a search without JavaScript.
    html = client.get(f"{base}/referentiecomponenten").content.decode()
    assert "Zaakregistratiecomponent" in html and "Archiefcomponent" in html
    assert "Toekomstcomponent" not in html and "Oude zaakcomponent" not in html
    rc, other = str(gemma["rc"].uuid), str(gemma["other"].uuid)
    response = step(
        client, base, "referentiecomponenten", {"zoek": "zaak", "keuze": [other]}, actie="zoeken"
    )
    assert response.status_code == 302 and response.url == f"{base}/referentiecomponenten"
    html = client.get(f"{base}/referentiecomponenten").content.decode()
    assert "Zaakregistratiecomponent" in html
    assert f'value="{other}"' in html and "checked" in html  # the tick survived the search
    response = step(client, base, "referentiecomponenten", {"keuze": [rc]})
    assert response.url == f"{base}/standaarden"

    # 5 Standaarden: pre-filled from the chosen referentiecomponent.
    html = client.get(f"{base}/standaarden").content.decode()
    assert "StUF-ZKN" in html and "Verplicht" in html and "Niet ondersteund" in html
    stuf = str(gemma["stuf"].uuid)
    response = step(client, base, "standaarden", {f"url_{stuf}": "https://example.nl/rapport"})
    assert response.status_code == 400
    assert "Geef eerst aan of de standaard ondersteund wordt." in response.content.decode()
    response = step(
        client,
        base,
        "standaarden",
        {f"ondersteuning_{stuf}": "Ondersteund", f"url_{stuf}": "example.nl/testrapport"},
    )
    assert response.url == f"{base}/koppelingen"

    # 6 Koppelingen: optional rows; a name without a target is refused.
    response = step(client, base, "koppelingen", {"naam_0": "Naar DigiD"})
    assert response.status_code == 400
    assert "Kies met welke applicatie of voorziening." in response.content.decode()
    digid, burgerzaken = world.uuid("digid"), world.uuid("lev2_module")
    response = step(
        client,
        base,
        "koppelingen",
        {
            "doel_0": f"voorziening:{digid}",
            "richting_0": "AnaarB",
            "doel_1": f"module:{burgerzaken}",
            "richting_1": "bi-directioneel",
            "naam_1": "Vergunningen en Burgerzaken",
        },
    )
    assert response.url == f"{base}/controleren"

    # 7 Controleer uw gegevens: readable values, nothing written yet.
    page = client.get(f"{base}/controleren")
    html = page.content.decode()
    assert page.status_code == 200
    for text in (
        "Vergunningwijzer",
        "Eva de Boer",
        "European Union Public Licence",
        "2.1 (In ontwikkeling)",
        "Zaakregistratiecomponent",
        "Ondersteund – https://example.nl/testrapport",
        "A → B DigiD",
        "Applicatie aanmelden",
    ):
        assert text in html, text
    assert Object.objects.count() == before

    with django_capture_on_commit_callbacks(execute=True):
        response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302 and response.url == "/mijn-aanbod"
    assert "Applicatie succesvol aangemeld!" in client.get("/mijn-aanbod").content.decode()

    module = objects("catalogus/module").get(title="Vergunningwijzer")
    key = str(module.uuid)
    assert module.status == "gepubliceerd"
    assert module.organisation == world.orgs["leverancier"]
    assert module.data["aanbieder"] == str(world.orgs["leverancier"].uuid)
    assert module.data["website"] == "https://vergunningwijzer.example.nl"
    assert module.data["licentie"] == "European Union Public Licence (EUPL), versie 1.2"
    assert module.data["referentieComponenten"] == [rc]
    assert module.data["contactpersoon"] == contact
    versions = objects("catalogus/moduleVersie").filter(data__module=key)
    assert sorted(v.data["versie"] for v in versions) == ["2.0", "2.1", "Cloud"]
    declared = objects("catalogus/compliancy").get(data__module=key)
    assert declared.data["standaardversie"] == stuf
    assert declared.data["ondersteuning"] == "Ondersteund"
    assert declared.data["url"] == "https://example.nl/testrapport"
    links = objects("catalogus/koppeling").filter(data__moduleA=key)
    assert {ln.title for ln in links} == {"Vergunningwijzer → DigiD", "Vergunningen en Burgerzaken"}
    assert ObjectVersion.objects.filter(object=module, action="created").count() == 1
    assert (
        ObjectVersion.objects.get(object=declared).user
        == member(world.orgs["leverancier"], "aanbod-beheerder").user
    )


def test_a_tampered_step_is_checked_again_before_anything_is_written(access_world, gemma):
    """A koppeling target that was never offered (its voorziening is an application): the
    review checks every step again, sends the user back to it and writes nothing."""
    world = access_world
    client = client_for(world, LEV)
    base = start(client, PUBLISH)
    step(client, base, "applicatie", {"naam": "Half werk"})
    step(
        client,
        base,
        "licentie",
        {"licentietype": "Closed source", "cloudDienstverleningsmodel": ["SaaS"]},
    )
    step(client, base, "referentiecomponenten", {})
    step(client, base, "standaarden", {})
    step(client, base, "koppelingen", {"doel_0": f"voorziening:{world.uuid('digid')}"})
    session = client.session
    run = next(iter(session["wizards"].values()))
    # as if the session were tampered with: the write path is the last word
    run["data"]["koppelingen"]["doel_0"] = f"voorziening:{world.uuid('lev2_module')}"
    session.save()
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302
    assert response["Location"].endswith("/koppelingen")
    assert not objects("catalogus/module").filter(title="Half werk").exists()


def test_publish_wizard_permissions(access_world, client):
    world = access_world
    assert client.get(PUBLISH).status_code == 302  # anonymous → login
    assert "/inloggen" in client.get(PUBLISH).url
    assert client_for(world, "gebruik-beheerder@gemeente").get(PUBLISH).status_code == 403
    assert client_for(world, "gebruik-raadpleger@leverancier").get(PUBLISH).status_code == 403
    assert client_for(world, "aanbod-beheerder@community").get(PUBLISH).status_code == 302


def test_edit_round_trip(access_world, gemma):
    world = access_world
    client = client_for(world, LEV)
    module = world.objects["lev_module"]
    base = start_edit(client, module)
    html = client.get(f"{base}/applicatie").content.decode()
    assert 'value="Zaakwijzer"' in html
    versies = client.get(f"{base}/versies").content.decode()
    assert 'value="4.2"' in versies and 'value="Cloud"' not in versies
    koppelingen = client.get(f"{base}/koppelingen").content.decode()
    assert f'value="voorziening:{world.uuid("digid")}" selected' in koppelingen
    review = client.get(f"{base}/controleren")  # every step is filled already
    assert review.status_code == 200
    assert "Zaakwijzer" in review.content.decode()

    compliancy_before = (
        objects("catalogus/compliancy").filter(data__module=str(module.uuid)).count()
    )
    response = step(
        client,
        base,
        "applicatie",
        {
            "naam": "Zaakwijzer Plus",
            "beschrijvingKort": "Nu met meer.",
            "contactpersoon": world.uuid("lev_contact"),
        },
    )
    assert response.url == f"{base}/licentie"
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302 and response.url == "/mijn-aanbod"
    module.refresh_from_db()
    assert module.title == "Zaakwijzer Plus"
    assert module.data["beschrijvingKort"] == "Nu met meer."
    assert module.data["cloudDienstverleningsmodel"] == ["SaaS", "On-premises (self-managed)"]
    assert "website" not in module.data
    assert module.history.filter(action="updated").exists()
    assert (
        objects("catalogus/compliancy").filter(data__module=str(module.uuid)).count()
        == compliancy_before
    )
    version = world.objects["lev_v1"]
    version.refresh_from_db()
    assert version.status == "gepubliceerd" and version.data["versie"] == "4.2"


def test_edit_adds_and_archives_versions(access_world):
    world = access_world
    lev = actor_for(world, LEV)
    module = services.create_object(
        catalog.by_key("catalogus/module"),
        {
            "naam": "Kleine app",
            "aanbieder": str(world.orgs["leverancier"].uuid),
            "cloudDienstverleningsmodel": ["On-premises (self-managed)"],
        },
        actor=lev,
        status="gepubliceerd",
    )
    old = services.create_object(
        catalog.by_key("catalogus/moduleVersie"),
        {"module": str(module.uuid), "versie": "1.0"},
        actor=lev,
        status="gepubliceerd",
    )
    client = client_for(world, LEV)
    base = start_edit(client, module)
    response = step(
        client,
        base,
        "versies",
        {
            "uuid_0": str(old.uuid),
            "versie_0": "",
            "versie_1": "2.0",
            "status_1": "in gebruik",
        },
    )
    assert response.status_code == 302
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == "gearchiveerd"
    assert (
        objects("catalogus/moduleVersie")
        .filter(data__module=str(module.uuid), data__versie="2.0", status="gepubliceerd")
        .exists()
    )


def test_edit_refuses_to_remove_a_version_in_use(access_world):
    """Utrecht uses Zaakwijzer 4.2: removing it is refused with the write path's message,
    naming only what the supplier may see; nothing changes."""
    world = access_world
    client = client_for(world, LEV)
    module = world.objects["lev_module"]
    base = start_edit(client, module)
    version = world.objects["lev_v1"]
    response = step(
        client, base, "versies", {"uuid_0": str(version.uuid), "versie_0": "", "status_0": ""}
    )
    assert response.status_code == 302
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kan niet worden gearchiveerd" in html
    assert "Verlengen bespreken" not in html  # Utrecht's interne aantekening
    version.refresh_from_db()
    assert version.status == "gepubliceerd"


def test_edit_is_only_for_own_applications(access_world):
    world = access_world
    other = world.objects["lev2_module"]
    client = client_for(world, LEV)
    assert client.get(f"/mijn-aanbod/applicaties/{other.uuid}/bewerken").status_code == 404
    # A run of one application does not open another one's steps: the token is unknown
    # there, so it starts again, and that start is a 404 for someone else's application.
    base = start(client, f"/mijn-aanbod/applicaties/{world.uuid('lev_module')}/bewerken")
    token = base.rsplit("/", 1)[1]
    foreign = client.get(f"/mijn-aanbod/applicaties/{other.uuid}/bewerken/{token}/applicatie")
    assert foreign.status_code == 302
    assert foreign["Location"] == f"/mijn-aanbod/applicaties/{other.uuid}/bewerken"
    # Beta may not edit Acme's application.
    beta = client_for(world, LEV2)
    assert (
        beta.get(f"/mijn-aanbod/applicaties/{world.uuid('lev_module')}/bewerken").status_code == 404
    )


def test_edit_archives_emptied_rows_beyond_the_first_five(access_world):
    world = access_world
    lev = actor_for(world, LEV)
    module = services.create_object(
        catalog.by_key("catalogus/module"),
        {
            "naam": "Veel versies",
            "aanbieder": str(world.orgs["leverancier"].uuid),
            "cloudDienstverleningsmodel": ["On-premises (self-managed)"],
        },
        actor=lev,
        status="gepubliceerd",
    )
    versions = [
        services.create_object(
            catalog.by_key("catalogus/moduleVersie"),
            {"module": str(module.uuid), "versie": f"1.{n}", "status": "in gebruik"},
            actor=lev,
            status="gepubliceerd",
        )
        for n in range(7)
    ]
    client = client_for(world, LEV)
    base = start_edit(client, module)
    html = client.get(f"{base}/versies").content.decode()
    assert 'id="id_versie_9"' in html  # seven rows and three blank ones
    rows = {}
    for i, version in enumerate(versions):
        keep = i not in (0, 6)
        rows |= {
            f"uuid_{i}": str(version.uuid),
            f"versie_{i}": version.data["versie"] if keep else "",
            f"status_{i}": "in gebruik",
        }
    assert step(client, base, "versies", rows).status_code == 302
    assert step(client, base, "controleren", {}, actie="opslaan").status_code == 302
    for version in versions:
        version.refresh_from_db()
    assert [v.status for v in versions] == ["gearchiveerd"] + ["gepubliceerd"] * 5 + [
        "gearchiveerd"
    ]
