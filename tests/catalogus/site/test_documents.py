"""Files of gebruik documents on the site (#41, issue 5 §4.3): upload with a new document or
later, download at /mijn-landschap/documenten/<uuid>/bestand for exactly who may read the
document, and the same file rules as the API (core/files.py), on the shared access world."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from core.actors import Actor
from core.models import Object, ObjectFile
from core.plugins.site import NotAllowed, attach_file, create, open_file
from tests.admin.conftest import logged_in
from tests.catalogus.conftest import FB, GEM, GEM2, LEV, LEV2, RPL, SAM, VNG
from tests.conftest import member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def actor_for(world, label: str) -> Actor:
    role, org_key = label.split("@")
    return Actor.for_membership(member(world.orgs[org_key], role))


def client_for(world, label: str):
    role, org_key = label.split("@")
    return logged_in(member(world.orgs[org_key], role).user)


@pytest.fixture
def gem(access_world):
    return client_for(access_world, GEM)


def gebruik_url(world) -> str:
    return f"/mijn-landschap/gebruik/{world.uuid('gem_gebruik')}"


def download_url(world, key: str) -> str:
    return f"/mijn-landschap/documenten/{world.uuid(key)}/bestand"


def upload(name="dpia.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_document(client, world, bestand=None):
    data = {"formulier": "document", "titel": "DPIA 2027", "soort": "DPIA", "doelgroep": "overheid"}
    if bestand is not None:
        data["bestand"] = bestand
    return client.post(gebruik_url(world), data)


def replace_file(client, world, key: str, bestand):
    uuid = world.uuid(key)
    return client.post(
        gebruik_url(world),
        {"formulier": "document-bestand", "id": uuid, f"document-{uuid}-bestand": bestand},
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored_files(settings) -> list:
    return [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()]


@pytest.fixture
def with_files(access_world, gem):
    """Utrecht gives its eigen-organisatie and its overheid document a file, through the
    gebruik page's "Bestand toevoegen" form."""
    for key, name in (("doc_eigen", "verwerkersovereenkomst.pdf"), ("doc_overheid", "dpia.pdf")):
        response = replace_file(gem, access_world, key, upload(name, PDF + key.encode()))
        assert response.status_code == 302, response.content.decode()[:2000]


# --- upload --------------------------------------------------------------------------------


def test_new_document_with_pdf_is_saved_and_downloads_the_same_bytes(access_world, gem):
    response = add_document(gem, access_world, upload())
    assert response.status_code == 302
    document = Object.objects.get(data__titel="DPIA 2027")
    stored = ObjectFile.objects.get(uuid=document.data["bestand"])
    assert (stored.filename, stored.content_type, stored.size) == (
        "dpia.pdf",
        "application/pdf",
        len(PDF),
    )
    assert document.version == 2  # created, then the file set through the write path
    page = gem.get(gebruik_url(access_world)).content.decode()
    link = f"/mijn-landschap/documenten/{document.uuid}/bestand"
    assert link in page
    download = gem.get(link)
    assert download.status_code == 200
    assert body(download) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="dpia.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]


def test_document_without_file_still_works_and_has_no_link(access_world, gem):
    assert add_document(gem, access_world).status_code == 302
    document = Object.objects.get(data__titel="DPIA 2027")
    assert "bestand" not in document.data
    page = gem.get(gebruik_url(access_world)).content.decode()
    assert f"/mijn-landschap/documenten/{document.uuid}/bestand" not in page
    assert gem.get(f"/mijn-landschap/documenten/{document.uuid}/bestand").status_code == 404


def test_generic_browser_type_counts_by_extension(access_world, gem):
    response = add_document(gem, access_world, upload(content_type="application/octet-stream"))
    assert response.status_code == 302
    document = Object.objects.get(data__titel="DPIA 2027")
    assert ObjectFile.objects.get(uuid=document.data["bestand"]).content_type == "application/pdf"


@pytest.mark.parametrize(
    "name,content,content_type,message",
    [
        ("setup.exe", b"MZ\x90\x00\x03", "application/x-msdownload", "Dit bestandstype is niet"),
        ("rapport.pdf", b"Dit is geen PDF.", "application/pdf", "De inhoud past niet bij"),
        ("setup.pdf", b"MZ\x90\x00\x03", "application/octet-stream", "De inhoud past niet bij"),
        ("leeg.pdf", b"", "application/pdf", "Het bestand is leeg."),
    ],
)
def test_refused_file_saves_nothing(
    access_world, gem, settings, name, content, content_type, message
):
    documents = Object.objects.filter(schema_id=access_world.objects["doc_eigen"].schema_id)
    before = (documents.count(), ObjectFile.objects.count(), len(stored_files(settings)))
    response = add_document(gem, access_world, upload(name, content, content_type))
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('id="fout-document"')[1].split("</ul>")[0]
    assert message in summary and 'href="#id_bestand"' in summary
    assert (documents.count(), ObjectFile.objects.count(), len(stored_files(settings))) == before


def test_too_large_file_saves_nothing(access_world, gem, settings):
    settings.MAX_UPLOAD_SIZE = 100
    response = add_document(gem, access_world, upload(content=PDF + b"x" * 200))
    assert response.status_code == 400
    assert "Het bestand is groter dan 100 bytes." in response.content.decode()
    assert not Object.objects.filter(data__titel="DPIA 2027").exists()
    assert ObjectFile.objects.count() == 0


def test_form_is_multipart_and_names_types_and_limit(access_world, gem):
    page = gem.get(gebruik_url(access_world)).content.decode()
    form = page.split('id="document-toevoegen"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in form
    assert 'type="file" name="bestand"' in form and 'accept=".csv,.docx' in form
    assert "CSV, DOCX, JPG, ODT, PDF, PNG, TXT of XLSX, maximaal 5 MB." in form


# --- replace --------------------------------------------------------------------------------


def test_replace_file_of_existing_document(access_world, gem, with_files):
    assert body(gem.get(download_url(access_world, "doc_eigen"))) == PDF + b"doc_eigen"
    response = replace_file(gem, access_world, "doc_eigen", upload("scan.png", PNG, "image/png"))
    assert response.status_code == 302
    download = gem.get(download_url(access_world, "doc_eigen"))
    assert body(download) == PNG and download["Content-Type"] == "image/png"
    assert 'filename="scan.png"' in download["Content-Disposition"]


def test_refused_replacement_keeps_the_old_file(access_world, gem, with_files):
    before = Object.objects.get(pk=access_world.objects["doc_eigen"].pk).data["bestand"]
    response = replace_file(
        gem, access_world, "doc_eigen", upload("x.exe", b"MZ", "application/x-msdownload")
    )
    assert response.status_code == 400
    page = response.content.decode()
    uuid = access_world.uuid("doc_eigen")
    summary = page.split(f'id="fout-bestand-document-{uuid}"')[1].split("</ul>")[0]
    assert "Dit bestandstype is niet toegestaan" in summary
    assert Object.objects.get(pk=access_world.objects["doc_eigen"].pk).data["bestand"] == before
    assert body(gem.get(download_url(access_world, "doc_eigen"))) == PDF + b"doc_eigen"


# --- who may read, who may write ------------------------------------------------------------

# Per actor: may they download the eigen-organisatie and the overheid document?
DOWNLOADS = {
    GEM: (True, True),
    RPL: (True, True),
    GEM2: (False, True),
    SAM: (False, True),
    FB: (True, True),
    LEV: (False, False),  # the supplier of the application
    LEV2: (False, False),
    VNG: (False, False),
}


@pytest.mark.parametrize("label", list(DOWNLOADS))
def test_download_only_for_who_may_read_the_document(access_world, with_files, label):
    client = client_for(access_world, label)
    for key, allowed in zip(("doc_eigen", "doc_overheid"), DOWNLOADS[label], strict=True):
        response = client.get(download_url(access_world, key))
        assert response.status_code == (200 if allowed else 404), (label, key)
        if allowed:
            assert body(response) == PDF + key.encode()
        # exactly the API's answer for the same reader
        api = access_world.api(label).get(f"{access_world.url(key)}/bestanden/bestand")
        assert api.status_code == response.status_code, (label, key)


def test_anonymous_is_sent_to_login(client, access_world, with_files):
    response = client.get(download_url(access_world, "doc_overheid"))
    assert response.status_code == 302 and "inloggen" in response["Location"]
    assert b"%PDF" not in response.content


def test_unknown_and_malformed_document_are_404(access_world, gem):
    assert gem.get("/mijn-landschap/documenten/geen-uuid/bestand").status_code == 404
    missing = "/mijn-landschap/documenten/00000000-0000-4000-8000-000000000000/bestand"
    assert gem.get(missing).status_code == 404
    # a gebruik is not a document, even for its owner
    assert gem.get(download_url(access_world, "gem_gebruik")).status_code == 404


def test_raadpleger_downloads_but_cannot_upload(access_world, with_files):
    client = client_for(access_world, RPL)
    page = client.get(gebruik_url(access_world)).content.decode()
    assert download_url(access_world, "doc_eigen") in page
    assert "Bestand toevoegen" not in page and "Ander bestand kiezen" not in page
    before = Object.objects.get(pk=access_world.objects["doc_eigen"].pk).data["bestand"]
    response = replace_file(client, access_world, "doc_eigen", upload("nieuw.pdf"))
    assert response.status_code == 403
    assert Object.objects.get(pk=access_world.objects["doc_eigen"].pk).data["bestand"] == before
    document = Object.objects.get(pk=access_world.objects["doc_default"].pk)
    with pytest.raises(NotAllowed):
        attach_file(actor_for(access_world, RPL), document, "bestand", upload())
    assert "bestand" not in Object.objects.get(pk=document.pk).data


def test_other_gemeente_cannot_upload_through_the_gebruik_page(access_world):
    client = client_for(access_world, GEM2)
    response = replace_file(client, access_world, "doc_overheid", upload())
    assert response.status_code == 404
    assert "bestand" not in Object.objects.get(pk=access_world.objects["doc_overheid"].pk).data


def test_open_file_checks_access_itself(access_world, with_files):
    """A plugin may hold an object it fetched without the read rules; open_file still decides."""
    document = Object.objects.get(pk=access_world.objects["doc_eigen"].pk)
    with pytest.raises(Http404):
        open_file(actor_for(access_world, LEV), document, "bestand")
    with pytest.raises(Http404):
        open_file(actor_for(access_world, GEM2), document, "bestand")
    with pytest.raises(Http404):
        open_file(actor_for(access_world, GEM), document, "titel")  # not a file property
    file, filename, content_type = open_file(actor_for(access_world, GEM), document, "bestand")
    with file:
        assert file.read() == PDF + b"doc_eigen"
    assert (filename, content_type) == ("verwerkersovereenkomst.pdf", "application/pdf")


# --- performance ----------------------------------------------------------------------------


def test_gebruik_page_queries_do_not_grow_with_documents(
    access_world, gem, with_files, django_assert_max_num_queries
):
    gem.get(gebruik_url(access_world))  # warm the session and caches
    with django_assert_max_num_queries(25) as before:
        assert gem.get(gebruik_url(access_world)).status_code == 200
    actor = actor_for(access_world, GEM)
    for n in range(6):
        document = create(
            actor,
            "catalogus/document",
            {
                "titel": f"Bijlage {n}",
                "soort": "Overig",
                "gebruik": access_world.uuid("gem_gebruik"),
            },
        )
        attach_file(actor, document, "bestand", upload(f"bijlage-{n}.pdf"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = gem.get(gebruik_url(access_world)).content.decode()
    assert page.count('/bestand" download>') == 8


def test_buren_links_only_the_shared_file(access_world, with_files):
    client = client_for(access_world, GEM2)
    page = client.get(f"/organisaties/{access_world.orgs['gemeente'].uuid}/landschap")
    html = page.content.decode()
    assert download_url(access_world, "doc_overheid") in html
    assert download_url(access_world, "doc_eigen") not in html
