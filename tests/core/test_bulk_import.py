"""The bulk path: all or nothing, every error at once, progress visible while it runs."""

import pytest
from django.db import connections

from core import services
from core.models import Job, Object, ObjectRelation, ObjectVersion
from core.register import catalog
from core.tasks import report_progress


def rows(orgs, count, bad_at=None):
    for index in range(1, count + 1):
        yield {
            "naam": f"Pakket {index}",
            "aanbieder": str(orgs["leverancier"].uuid),
            "categorie": "vliegtuig" if index == bad_at else "software",
        }


@pytest.mark.django_db
def test_one_bad_row_in_a_later_batch_writes_nothing(orgs, actor_for):
    entry = catalog.by_collection("producten")
    actor = actor_for("leverancier", "aanbod-beheerder")
    result = services.bulk_create(entry, rows(orgs, 7, bad_at=6), actor=actor, batch_size=2)
    assert result.created == 0
    assert [(n, p) for n, p, _m in result.errors] == [(6, "/categorie")]
    assert Object.objects.count() == ObjectVersion.objects.count() == 0
    assert ObjectRelation.objects.count() == 0


@pytest.mark.django_db
def test_valid_import_writes_objects_history_and_relations(orgs, actor_for):
    entry = catalog.by_collection("producten")
    actor = actor_for("leverancier", "aanbod-beheerder")
    result = services.bulk_create(entry, rows(orgs, 5), actor=actor, batch_size=2)
    assert (result.created, result.errors) == (5, [])
    assert Object.objects.count() == ObjectVersion.objects.count() == 5
    assert ObjectRelation.objects.filter(property="aanbieder").count() == 5
    assert set(Object.objects.values_list("data__geregistreerdDoor", flat=True)) == {"Leverancier"}


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_outside_the_import_transaction(orgs, actor_for):
    actor = actor_for("leverancier", "aanbod-beheerder")
    job = Job.objects.create(user=actor.user, organisation=actor.organisation, title="Import")
    seen = []

    def progress(done):
        report_progress(job.pk, done)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done FROM core_job WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone()[0])
        finally:
            other.close()

    services.bulk_create(
        catalog.by_collection("producten"),
        rows(orgs, 5),
        actor=actor,
        batch_size=2,
        progress=progress,
    )
    assert seen == [2, 4, 5]
