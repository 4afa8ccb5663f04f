"""Re-importing: idempotent, links from the catalogue survive, withdrawn elements reported."""

from __future__ import annotations

import pytest

from core.models import ObjectRelation
from plugins.ameff_export.importer import GemmaImportError, element_uuid, import_file
from plugins.ameff_export.models import GemmaRelease
from tests.plugins.ameff_export.conftest import (
    create_as_system,
    edited,
    element_named,
    gemma_objects,
    remove_element,
    set_release,
)

pytestmark = pytest.mark.django_db

COMPONENT = "Zaakregistratiecomponent"
VOORZIENING = "DigiD"


@pytest.fixture
def catalogue(orgs):
    """An application, its use by a gemeente and a koppeling, all pointing at GEMMA."""

    def make() -> dict:
        component = gemma_objects("gemma/referentiecomponent").get(data__naam=COMPONENT)
        digid = gemma_objects("gemma/voorziening").get(data__naam=VOORZIENING)
        application = create_as_system(
            "catalogus/module",
            {
                "naam": "Zaakwijzer",
                "aanbieder": str(orgs["leverancier"].uuid),
                "referentieComponenten": [str(component.uuid)],
            },
            orgs["leverancier"],
        )
        gebruik = create_as_system(
            "catalogus/gebruik",
            {
                "afnemer": str(orgs["gemeente"].uuid),
                "module": str(application.uuid),
                "status": "In productie",
                "gebruiktVoorReferentiecomponenten": [str(component.uuid)],
            },
            orgs["gemeente"],
        )
        koppeling = create_as_system(
            "catalogus/koppeling",
            {
                "moduleA": str(application.uuid),
                "buitengemeentelijkVoorziening": str(digid.uuid),
                "gegevensuitwisselingRichting": "AnaarB",
            },
            orgs["gemeente"],
        )
        return {
            "component": component,
            "digid": digid,
            "application": application,
            "gebruik": gebruik,
            "koppeling": koppeling,
        }

    return make


def test_reimport_keeps_uuids_and_links(subset_bytes, catalogue):
    import_file(subset_bytes)
    objects = catalogue()
    uuids = set(gemma_objects("gemma/standaard").values_list("uuid", flat=True)) | set(
        gemma_objects("gemma/referentiecomponent").values_list("uuid", flat=True)
    )

    again = import_file(subset_bytes)

    assert again.total("ongewijzigd") == 750
    assert again.total("aangemaakt") == again.total("bijgewerkt") == 0
    assert again.total("ingetrokken") == 0
    assert (
        set(gemma_objects("gemma/standaard").values_list("uuid", flat=True))
        | set(gemma_objects("gemma/referentiecomponent").values_list("uuid", flat=True))
    ) == uuids
    application = objects["application"]
    application.refresh_from_db()
    assert application.data["referentieComponenten"] == [str(objects["component"].uuid)]
    assert ObjectRelation.objects.filter(
        source=application, target_object=objects["component"]
    ).exists()


def test_newer_release_withdraws_and_reports_who_points_at_it(subset_bytes, catalogue, api_as):
    import_file(subset_bytes)
    objects = catalogue()

    def newer(root):
        set_release(root, "2026-12-31")
        remove_element(root, COMPONENT)
        remove_element(root, VOORZIENING)
        renamed = element_named(root, "Documentbeheercomponent")
        renamed.find("{http://www.opengroup.org/xsd/archimate/3.0/}name").text = "Documentcomponent"

    report = import_file(edited(subset_bytes, newer))

    assert report.release == "2026-12-31"
    counts = report.counts
    assert counts["gemma/referentiecomponent"]["ingetrokken"] == 1
    assert counts["gemma/referentiecomponent"]["bijgewerkt"] == 1  # the renamed one
    assert counts["gemma/referentiecomponent"]["ongewijzigd"] == 169
    assert counts["gemma/voorziening"]["ingetrokken"] == 1
    assert counts["gemma/voorziening"]["ongewijzigd"] == 55
    assert counts["gemma/standaard"]["ongewijzigd"] == 200

    withdrawn = {item["naam"]: item for item in report.withdrawn}
    assert set(withdrawn) == {COMPONENT, VOORZIENING}
    component = withdrawn[COMPONENT]
    assert component["schema"] == "gemma/referentiecomponent"
    assert component["uuid"] == str(objects["component"].uuid)
    referrers = {(r["schema"], r["uuid"], r["titel"]) for r in component["verwijzingen"]}
    assert referrers == {
        ("catalogus/module", str(objects["application"].uuid), "Zaakwijzer"),
        ("catalogus/gebruik", str(objects["gebruik"].uuid), objects["gebruik"].title),
    }
    assert withdrawn[VOORZIENING]["verwijzingen"] == [
        {
            "schema": "catalogus/koppeling",
            "uuid": str(objects["koppeling"].uuid),
            "titel": objects["koppeling"].title,
        }
    ]
    text = "\n".join(report.lines())
    assert f"gebruikt door catalogus/module Zaakwijzer ({objects['application'].uuid})" in text

    # Withdrawn, not archived: the links keep working and the API says so.
    for key in ("component", "digid"):
        obj = objects[key]
        obj.refresh_from_db()
        assert obj.status == "gepubliceerd"
        assert obj.data["ingetrokken"] is True
        assert obj.data["release"] == "2026-06-30"
    assert ObjectRelation.objects.filter(
        source=objects["koppeling"], target_object=objects["digid"]
    ).exists()
    listed = api_as().get("/api/v1/referentiecomponenten", {"ingetrokken": "true"}).json()
    assert [item["uuid"] for item in listed["items"]] == [str(objects["component"].uuid)]

    # Unchanged elements keep the release their data came from; the renamed one moves on.
    renamed = gemma_objects("gemma/referentiecomponent").get(data__naam="Documentcomponent")
    assert renamed.data["release"] == "2026-12-31"
    assert renamed.uuid == element_uuid(renamed.data["objectId"])

    # The element comes back in a later release: no longer withdrawn, same uuid.
    def later(root):
        set_release(root, "2027-06-30")

    back = import_file(edited(subset_bytes, later))
    assert back.returned == 2
    assert back.counts["gemma/referentiecomponent"]["bijgewerkt"] == 2  # back + renamed back
    objects["component"].refresh_from_db()
    assert objects["component"].data["ingetrokken"] is False
    assert GemmaRelease.objects.count() == 3


def test_an_older_release_is_refused(subset_bytes):
    import_file(edited(subset_bytes, lambda root: set_release(root, "2027-01-01")))

    with pytest.raises(GemmaImportError, match="ouder dan de al geïmporteerde release 2027-01-01"):
        import_file(subset_bytes)
    assert GemmaRelease.objects.count() == 1
