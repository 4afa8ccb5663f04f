"""Tokens bind user, organisation and role; files obey field audiences; history records all."""

from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core.models import ApiToken, Job, Membership, Object, ObjectFile, ObjectVersion
from tests.conftest import Api, member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 handleiding"


@pytest.fixture
def product(api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    response = acme.post(
        "/api/v1/producten",
        {
            "status": "gepubliceerd",
            "data": {
                "naam": "Pakket",
                "aanbieder": str(orgs["leverancier"].uuid),
                "categorie": "software",
                "prijsafspraak": "Staffelkorting voor gemeenten",
            },
        },
    )
    assert response.status_code == 201
    return acme, response.json()["url"]


def test_token_acts_for_its_own_organisation_and_role(orgs):
    both = member(orgs["leverancier"], "aanbod-beheerder", email="twee@example.nl")
    Membership.objects.create(
        user=both.user, organisation=orgs["gemeente"], role="gebruik-raadpleger"
    )
    _token, supplier_raw = ApiToken.objects.issue(both, "leverancier")
    as_supplier = Api(supplier_raw)
    created = as_supplier.post(
        "/api/v1/producten",
        {
            "data": {
                "naam": "Via token",
                "aanbieder": str(orgs["leverancier"].uuid),
                "categorie": "dienst",
            }
        },
    )
    assert created.status_code == 201
    version = ObjectVersion.objects.get()
    assert (version.user, version.organisation, version.role, version.channel) == (
        both.user,
        orgs["leverancier"],
        "aanbod-beheerder",
        "api",
    )
    # The same user's token for the gemeente membership is read-only there.
    reader = Membership.objects.get(user=both.user, organisation=orgs["gemeente"])
    _token, reader_raw = ApiToken.objects.issue(reader, "gemeente")
    assert Api(reader_raw).patch(created.json()["url"], {"data": {"naam": "X"}}).status_code == 403


def test_revoked_token_or_removed_membership_stops_working(orgs):
    membership = member(orgs["leverancier"], "aanbod-beheerder")
    token, raw = ApiToken.objects.issue(membership, "script")
    assert token.key_hash != raw and raw.startswith("swc_")  # only the hash is stored
    assert Api(raw).get("/api/v1/producten").status_code == 200
    membership.role = "gebruik-raadpleger"
    membership.save()
    assert Api(raw).get("/api/v1/producten").status_code == 401
    membership.role = "aanbod-beheerder"
    membership.save()
    token.revoked_at = token.created_at
    token.save()
    assert Api(raw).get("/api/v1/producten").status_code == 401


def test_request_id_is_recorded(product):
    acme, url = product
    acme.patch(url, {"data": {"naam": "Nieuw"}}, HTTP_X_REQUEST_ID="verzoek-123")
    assert ObjectVersion.objects.order_by("-version").first().request_id == "verzoek-123"
    history = acme.get(f"{url}/historie").json()["items"][0]
    assert history["verzoekId"] == "verzoek-123" and history["rol"] == "aanbod-beheerder"


def test_file_upload_and_audience_checked_download(product, api_as):
    acme, url = product
    upload = acme.put(
        f"{url}/bestanden/handleiding",
        PDF,
        content_type="application/pdf",
        HTTP_X_BESTANDSNAAM="handleiding.pdf",
    )
    assert upload.status_code == 201, upload.content
    assert Object.objects.get().data["handleiding"] == upload.json()["uuid"]
    download = api_as().get(f"{url}/bestanden/handleiding")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # prijsafspraak is an `overheid` field: a file-like property under it would be refused
    # the same way; here the text field itself is hidden from a supplier and visible to a gemeente.
    assert "prijsafspraak" not in api_as("leverancier2", "aanbod-beheerder").get(url).json()["data"]
    assert api_as("gemeente", "gebruik-raadpleger").get(url).json()["data"]["prijsafspraak"]
    other = api_as("leverancier2", "aanbod-beheerder").put(
        f"{url}/bestanden/handleiding", PDF, content_type="application/pdf"
    )
    assert other.status_code == 403
    assert ObjectFile.objects.count() == 1


def test_hidden_file_property_is_404(product, api_as, tmp_path):
    acme, url = product
    assert acme.get(f"{url}/bestanden/interneNotitie").status_code == 404
    assert api_as().get(f"{url}/bestanden/bestaatniet").status_code == 404


def test_list_does_not_grow_queries_with_the_page(api_as, orgs, django_assert_max_num_queries):
    acme = api_as("leverancier", "aanbod-beheerder")
    for index in range(25):
        acme.post(
            "/api/v1/producten",
            {
                "status": "gepubliceerd",
                "data": {
                    "naam": f"Pakket {index}",
                    "aanbieder": str(orgs["leverancier"].uuid),
                    "categorie": "software",
                },
            },
        )
    with django_assert_max_num_queries(12):
        response = api_as().get(
            "/api/v1/producten",
            {"paginaGrootte": 25, "uitbreiden": "aanbieder", "facetten": "categorie,labels"},
        )
    assert len(response.json()["items"]) == 25
    assert response.json()["items"][0]["_uitgebreid"]["aanbieder"]["naam"] == "Acme Software"


def test_background_import_reports_progress_to_its_starter(api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    rows = "\n".join(
        f'{{"naam": "Import {i}", "aanbieder": "{orgs["leverancier"].uuid}", '
        f'"categorie": "software"}}'
        for i in range(3)
    )
    response = acme.post(
        "/api/v1/producten/import?bron=jsonl&achtergrond=true",
        rows,
        content_type="application/x-ndjson",
    )
    assert response.status_code == 202, response.content
    job_url = response["Location"]
    job = acme.get(job_url).json()
    assert (job["status"], job["gedaan"], job["totaal"]) == ("klaar", 3, 3)
    assert api_as("leverancier2", "aanbod-beheerder").get(job_url).status_code == 404
    assert Job.objects.get().user.email == "aanbod-beheerder@acmesoftware.nl"


@pytest.mark.django_db(transaction=True)
def test_periodic_cleanup_runs_in_the_database_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from core.tasks import ensure_periodic_tasks

    ensure_periodic_tasks()
    ensure_periodic_tasks()  # idempotent: still one pending run per periodic task
    cleanup_runs = DBTaskResult.objects.filter(task_path="core.tasks.cleanup")
    assert cleanup_runs.filter(status="READY").count() == 1
    digests = DBTaskResult.objects.filter(task_path="core.tasks.send_digests", status="READY")
    assert digests.get().run_after.astimezone(ZoneInfo("Europe/Amsterdam")).hour == 7
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    pending = cleanup_runs.get(status="READY")  # it re-enqueued itself for tomorrow
    finished = cleanup_runs.get(status="SUCCESSFUL")
    assert (pending.run_after - finished.finished_at).total_seconds() > 23 * 3600
