"""The two ways in: the admin upload (a task with a job page) and `manage.py import_gemma`."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.constants import Role
from core.models import Job, ObjectVersion, User
from plugins.ameff_export.models import GemmaRelease
from tests.admin.conftest import admin_access, is_denied, logged_in, menu_labels
from tests.conftest import member
from tests.plugins.ameff_export.conftest import SUBSET, gemma_objects

pytestmark = pytest.mark.django_db

URL = "/admin/gemma-import/"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("beheer@vng.nl", "een-lang-wachtwoord")


def staff(org, role: str) -> User:
    user = member(org, role).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return admin_access(user)


def test_upload_starts_the_import_and_the_job_page_shows_the_report(superuser, subset_bytes):
    client = logged_in(superuser)
    page = client.get(URL)
    assert page.status_code == 200
    assert "GEMMA-import" in menu_labels(page)
    assert "Er is nog geen GEMMA-release geïmporteerd." in page.content.decode()

    upload = SimpleUploadedFile("GEMMA release.xml.gz", gzip.compress(subset_bytes))
    response = client.post(URL, {"bestand": upload})

    assert response.status_code == 302
    job_uuid = re.fullmatch(r"/taken/([0-9a-f-]{36})", response["Location"]).group(1)
    job = Job.objects.get(uuid=job_uuid)
    assert (job.user, job.status) == (superuser, Job.Status.KLAAR)
    assert job.total == job.done == 750
    assert "Totaal: 750 aangemaakt, 0 bijgewerkt, 0 ongewijzigd, 0 ingetrokken." in job.message
    assert job.result["koppelingen"] == {
        "totaal": 746,
        "aanbevolen": 432,
        "verplicht": 313,
        "zonderRol": 1,
    }
    assert gemma_objects("gemma/referentiecomponent").count() == 171
    # History names the person who started the import.
    assert set(ObjectVersion.objects.values_list("user", "channel").distinct()) == {
        (superuser.pk, "import")
    }
    assert GemmaRelease.latest().imported_by == superuser

    job_page = client.get(response["Location"]).content.decode()
    assert "Klaar" in job_page
    assert "Koppelingen referentiecomponent → standaard: 746" in job_page

    listing = client.get(URL).content.decode()
    assert "2026-06-30" in listing
    assert "750 aangemaakt" in listing


def test_an_invalid_upload_fails_the_job_with_a_dutch_message(superuser):
    client = logged_in(superuser)
    upload = SimpleUploadedFile("GEMMA release.xml", b"<model>niet afgesloten")

    response = client.post(URL, {"bestand": upload})

    job = Job.objects.get(uuid=response["Location"].rsplit("/", 1)[1])
    assert job.status == Job.Status.MISLUKT
    assert job.message.startswith("Dit is geen geldig AMEFF-bestand: het is geen leesbare XML")
    assert not gemma_objects("gemma/referentiecomponent").exists()
    assert "Dit is geen geldig AMEFF-bestand" in client.get(response["Location"]).content.decode()


def test_the_form_refuses_other_files(superuser):
    upload = SimpleUploadedFile("landschap.csv", b"naam\nZaakwijzer\n")

    response = logged_in(superuser).post(URL, {"bestand": upload})

    assert response.status_code == 200
    assert "Kies een .xml- of .xml.gz-bestand." in response.content.decode()
    assert not Job.objects.exists()


def test_only_functioneel_beheer_imports(orgs):
    beheerder = logged_in(staff(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))
    assert beheerder.get(URL).status_code == 200
    assert "GEMMA-import" in menu_labels(beheerder.get("/admin/"))

    supplier = logged_in(staff(orgs["leverancier"], Role.AANBOD_BEHEERDER))
    assert is_denied(supplier.get(URL))
    upload = SimpleUploadedFile("GEMMA release.xml", SUBSET.read_bytes())
    assert is_denied(supplier.post(URL, {"bestand": upload}))
    assert "GEMMA-import" not in menu_labels(supplier.get("/admin/"))
    assert not Job.objects.exists()


def test_command_dry_run_then_import():
    out = io.StringIO()
    call_command("import_gemma", str(SUBSET), "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.startswith("Proefimport (niets opgeslagen) van GEMMA release 2026-06-30.")
    assert "Koppelingen referentiecomponent → standaard: 746 (verplicht 313, aanbevolen 432" in text
    assert "Standaardversie zonder Status: 1" in text
    assert not gemma_objects("gemma/referentiecomponent").exists()
    assert not GemmaRelease.objects.exists()

    out = io.StringIO()
    call_command("import_gemma", str(SUBSET), stdout=out)
    assert "Totaal: 750 aangemaakt" in out.getvalue()
    assert gemma_objects("gemma/referentiecomponent").count() == 171


def test_command_refuses_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match="Kan .* niet lezen"):
        call_command("import_gemma", str(tmp_path / "bestaat-niet.xml"))
    broken = tmp_path / "gemma.xml"
    broken.write_bytes(b"geen xml")
    with pytest.raises(CommandError, match="Dit is geen geldig AMEFF-bestand: het is geen"):
        call_command("import_gemma", str(broken))


def test_progress_is_reported_while_the_import_runs(subset_bytes):
    from plugins.ameff_export.importer import import_file

    calls: list[tuple[int, int]] = []
    import_file(subset_bytes, progress=lambda done, total: calls.append((done, total)))

    assert calls[0] == (0, 750)
    assert calls[-1] == (750, 750)
    assert len(calls) > 10
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_beside_the_import_transaction(superuser):
    """The job row is updated on a connection of its own, so the job page moves while the
    import's own transaction is still open."""
    from django.db import transaction

    from core.plugins.jobs import report_progress

    job = Job.objects.create(user=superuser, title="GEMMA-release importeren")
    with transaction.atomic():
        Job.objects.filter(pk=0).exists()  # the import's transaction is open
        report_progress(job.pk, 50, 750)
        assert Job.objects.get(pk=job.pk).done == 50
    job.refresh_from_db()
    assert (job.done, job.total) == (50, 750)
