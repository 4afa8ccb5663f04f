"""/mijn-landschap/importeren and /mijn-landschap/sjabloon.xlsx: who may use them, the
dry-run page (changes, errors by sheet/row/column, the "Importeren" button), the import
itself inline and as a task, and that a job is only its own user's."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry, Job, Object
from core.plugins import bundle_exporters
from core.register import catalog
from plugins.catalogus.selection import LANDSCHAP
from tests.admin.conftest import logged_in
from tests.catalogus.spreadsheet.helpers import (
    actor,
    column,
    edited,
    landscape,
    workbook,
    xlsx_file,
)
from tests.conftest import member

pytestmark = pytest.mark.django_db

UPLOAD = "/mijn-landschap/importeren"
TEMPLATE = "/mijn-landschap/sjabloon.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(world, org_key: str, role: str = "gebruik-beheerder", email=None):
    return logged_in(member(world.orgs[org_key], role, email=email).user)


def new_rows(*rows) -> bytes:
    return xlsx_file([["Applicatie", "Status", "Hostingvorm", "Start gepland"], *rows])


def upload(client, content: bytes, name="landschap.xlsx"):
    return client.post(UPLOAD, {"bestand": SimpleUploadedFile(name, content)})


def gebruik_count(world, module_key: str) -> int:
    return Object.objects.filter(
        schema=catalog.by_key("catalogus/gebruik").schema,
        data__afnemer=str(world.orgs["gemeente"].uuid),
        data__module=world.uuid(module_key),
    ).count()


@pytest.mark.parametrize("url", [UPLOAD, TEMPLATE])
def test_who_may_import(access_world, client, url):
    w = access_world
    assert client_for(w, "gemeente").get(url).status_code == 200
    assert client_for(w, "samenwerking").get(url).status_code == 200
    assert client_for(w, "gemeente", "gebruik-raadpleger").get(url).status_code == 403
    assert client_for(w, "leverancier", "aanbod-beheerder").get(url).status_code == 404
    assert client_for(w, "vng", "vng-raadpleger").get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_upload_page(access_world):
    page = client_for(access_world, "gemeente").get(UPLOAD).content.decode()
    assert '<h1 class="utrecht-heading-1">Landschap importeren</h1>' in page
    assert 'enctype="multipart/form-data"' in page
    assert f'href="{TEMPLATE}"' in page
    assert 'href="/mijn-landschap/export?formaat=xlsx&amp;soort=landschap"' in page
    assert '<label class="utrecht-form-label" for="id_bestand">' in page


def test_template_download(access_world):
    response = client_for(access_world, "gemeente").get(TEMPLATE)
    assert response["Content-Type"] == XLSX
    assert 'filename="sjabloon-landschap.xlsx"' in response["Content-Disposition"]
    assert workbook(response.content).sheetnames == ["Applicaties", "Koppelingen", "Toelichting"]


def test_dry_run_then_import(access_world):
    w = access_world
    client = client_for(w, "gemeente")
    content = new_rows(
        ["Burgerzaken Pro", "Gepland", "On-premises (zelf beheerd)", datetime.date(2026, 9, 1)]
    )
    response = upload(client, content)
    assert response.status_code == 302
    dry_run_url = response["Location"]
    assert dry_run_url.startswith(UPLOAD + "/")
    assert gebruik_count(w, "lev2_module") == 0  # the dry run wrote nothing

    page = client.get(dry_run_url).content.decode()
    assert 'id="aantal-nieuw">1<' in page and 'id="aantal-fouten">0<' in page
    row = page.split('id="rij-2"')[1].split("</tr>")[0]
    assert "Burgerzaken Pro" in row and "Nieuw" in row and "01-09-2026" in row
    assert ">Importeren</button>" in page

    response = client.post(dry_run_url)
    assert response.status_code == 302
    result_url = response["Location"]
    assert result_url != dry_run_url
    assert gebruik_count(w, "lev2_module") == 1
    page = client.get(result_url).content.decode()
    assert "Uw landschap is bijgewerkt: 1 gebruik toegevoegd, 0 gewijzigd." in page
    job = Job.objects.get(uuid=result_url.rsplit("/", 1)[1])
    assert job.status == "klaar" and job.message == "1 gebruik toegevoegd, 0 gewijzigd."
    audit = AuditEntry.objects.get(action="landschap-import")
    assert audit.details == {"nieuw": 1, "gewijzigd": 0} and audit.channel == "import"

    again = client.post(dry_run_url)  # a second click imports nothing twice
    assert again["Location"] == result_url
    assert gebruik_count(w, "lev2_module") == 1
    assert "al geïmporteerd" in client.get(dry_run_url).content.decode()


def test_errors_are_shown_and_nothing_can_be_imported(access_world):
    w = access_world
    client = client_for(w, "gemeente")
    content = new_rows(
        ["Burgerzaken Pro", "Gepland", None, None],
        ["Zaakwijzr", "Gepland", None, None],
        ["Marktvergunningen", "Bijna", None, None],
    )
    dry_run_url = upload(client, content)["Location"]
    page = client.get(dry_run_url).content.decode()
    assert (
        "Blad Applicaties, rij 3, kolom Applicatie: Zaakwijzr staat niet in de softwarecatalogus."
        in page
    )
    assert "Bedoelt u: Zaakwijzer (Acme Software)?" in page
    assert "Blad Applicaties, rij 4, kolom Status: Onbekende status" in page
    assert "2 fouten: er is niets geïmporteerd" in page
    assert ">Importeren</button>" not in page
    assert client.post(dry_run_url).status_code == 400
    assert gebruik_count(w, "lev2_module") == 0


def test_an_edited_export_updates_through_the_pages(access_world):
    w = access_world
    client = client_for(w, "gemeente")
    exporter = bundle_exporters(LANDSCHAP)["xlsx"]
    exported = b"".join(
        exporter.export(kind=LANDSCHAP, selection=landscape(w), actor=actor(w, "gemeente"))
    )

    def change(ws):
        ws.cell(3, column(ws, "Status")).value = "Uit te faseren"
        ws.cell(3, column(ws, "Start uitfasering")).value = datetime.date(2026, 12, 31)

    dry_run_url = upload(client, edited(exported, change))["Location"]
    page = client.get(dry_run_url).content.decode()
    assert 'id="aantal-gewijzigd">1<' in page and 'id="aantal-ongewijzigd">1<' in page
    assert "<del>In productie</del> → Uit te faseren" in page
    client.post(dry_run_url)
    gebruik = Object.objects.get(pk=w.objects["gem_gebruik"].pk)
    assert gebruik.data["status"] == "Uit te faseren"
    assert gebruik.history.order_by("-version").first().channel == "import"


def test_unchanged_file_says_so(access_world):
    w = access_world
    client = client_for(w, "gemeente")
    exporter = bundle_exporters(LANDSCHAP)["csv-puntkomma"]
    exported = b"".join(
        exporter.export(kind=LANDSCHAP, selection=landscape(w), actor=actor(w, "gemeente"))
    )
    page = client.get(upload(client, exported, "landschap.csv")["Location"]).content.decode()
    assert "Het bestand verandert niets aan uw landschap." in page
    assert ">Importeren</button>" not in page


def test_large_files_run_as_tasks(access_world, settings):
    settings.CATALOGUS_IMPORT_INLINE_BYTES = 0
    settings.CATALOGUS_IMPORT_INLINE_WRITES = 0
    w = access_world
    client = client_for(w, "gemeente")
    dry_run_url = upload(client, new_rows(["Marktvergunningen", "Gepland", None, None]))["Location"]
    assert 'id="aantal-nieuw">1<' in client.get(dry_run_url).content.decode()
    result_url = client.post(dry_run_url)["Location"]
    assert "1 gebruik toegevoegd" in client.get(result_url).content.decode()
    assert gebruik_count(w, "gem_published_module") == 1


def test_bad_files(access_world):
    client = client_for(access_world, "gemeente")
    response = upload(client, b"x", "landschap.txt")
    assert response.status_code == 400
    assert "Kies een .xlsx- of .csv-bestand." in response.content.decode()
    page = client.get(upload(client, b"geen zip")["Location"]).content.decode()
    assert "Dit is geen geldig Excel-bestand (.xlsx)." in page


def test_a_job_is_only_its_own_users(access_world):
    w = access_world
    dry_run_url = upload(
        client_for(w, "gemeente"), new_rows(["Marktvergunningen", "Gepland", None, None])
    )["Location"]
    colleague = client_for(w, "gemeente", email="collega@utrecht.nl")
    assert colleague.get(dry_run_url).status_code == 404
    assert colleague.post(dry_run_url).status_code == 404
    assert client_for(w, "gemeente", "gebruik-raadpleger").get(dry_run_url).status_code == 403
    assert client_for(w, "gemeente").get(UPLOAD + "/geen-uuid").status_code == 404
    assert gebruik_count(w, "gem_published_module") == 0
