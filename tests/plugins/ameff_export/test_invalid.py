"""Files that are not a valid GEMMA release are refused with a Dutch message; nothing changes."""

from __future__ import annotations

import gzip

import pytest

from core.models import Object, ObjectVersion
from plugins.ameff_export.importer import GemmaImportError, import_file
from plugins.ameff_export.models import GemmaRelease
from plugins.ameff_export.xml import InvalidAmeff
from tests.plugins.ameff_export.conftest import (
    EXAMPLES,
    create_as_system,
    edited,
    element_named,
    gemma_objects,
)

pytestmark = pytest.mark.django_db

MODEL = '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="id-m">'
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE model [\n <!ENTITY a "aaaaaaaaaa">\n'
    + b"".join(
        f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode() for i in range(8)
    )
    + b"]>\n"
    + MODEL.encode()
    + b"<name>&i;</name></model>"
)
EXTERNAL = (
    b'<?xml version="1.0"?>\n<!DOCTYPE model [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    + MODEL.encode()
    + b"<name>&x;</name></model>"
)


def no_xsi_type(root):
    element_named(root, "Zaakregistratiecomponent").set(
        "{http://www.w3.org/2001/XMLSchema-instance}type", "Referentiecomponent"
    )


@pytest.fixture
def unchanged(orgs):
    """A register with GEMMA content; each refusal must leave it exactly as it was (a refusal
    halfway through the writes is `test_a_failure_halfway_rolls_everything_back`)."""
    create_as_system(
        "gemma/standaard",
        {"naam": "StUF-ZKN", "objectId": "0b5f8c1e-2d3a-4b6c-8e9f-1a2b3c4d5e6f"},
        orgs["vng"],
    )
    before = (
        Object.objects.count(),
        ObjectVersion.objects.count(),
        GemmaRelease.objects.count(),
        sorted(Object.objects.values_list("uuid", "version")),
    )
    yield
    after = (
        Object.objects.count(),
        ObjectVersion.objects.count(),
        GemmaRelease.objects.count(),
        sorted(Object.objects.values_list("uuid", "version")),
    )
    assert after == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "het bestand is leeg"),
        (b"   \n", "het bestand is leeg"),
        (b"dit is geen XML", "het is geen leesbare XML"),
        (b"<model><name>niet afgesloten", "het is geen leesbare XML"),
        (BOMB, "DOCTYPE- of ENTITY-declaratie"),
        (EXTERNAL, "DOCTYPE- of ENTITY-declaratie"),
        (BOMB.decode().encode("utf-16"), "het is geen leesbare XML"),
        (b'<?xml version="1.0"?><archimate xmlns="urn:x"/>', "het hoofdelement is <archimate>"),
        (
            b'<model xmlns="http://www.opengroup.org/xsd/archimate"><name>2.x</name></model>',
            "verwacht <model> in 'http://www.opengroup.org/xsd/archimate/3.0/'",
        ),
        (MODEL.encode() + b"</model>", "voldoet niet aan het ArchiMate-uitwisselingsschema (XSD)"),
        (gzip.compress(b"<model"), "het is geen leesbare XML"),
        (b"\x1f\x8b\x08\x00kapot", "het gzip-bestand is beschadigd"),
    ],
    ids=[
        "leeg",
        "witruimte",
        "geen-xml",
        "afgebroken",
        "xml-bom",
        "externe-entiteit",
        "xml-bom-utf16",
        "verkeerd-hoofdelement",
        "archimate-2-namespace",
        "xsd-fout",
        "gzip-geen-xml",
        "gzip-kapot",
    ],
)
def test_invalid_files_are_refused(unchanged, content, reason):
    with pytest.raises(InvalidAmeff) as refused:
        import_file(content)

    message = str(refused.value)
    assert message.startswith("Dit is geen geldig AMEFF-bestand: ")
    assert reason in message


def test_xsd_failure_in_a_real_file_names_the_line(unchanged, subset_bytes):
    with pytest.raises(InvalidAmeff, match=r"\(XSD\): regel \d+: .*Referentiecomponent"):
        import_file(edited(subset_bytes, no_xsi_type))


def test_a_gzip_bomb_is_refused(unchanged, settings):
    settings.AMEFF_EXPORT_MAX_XML_SIZE = 1024 * 1024
    bomb = gzip.compress(
        MODEL.encode() + b"<name>" + b"a" * (20 * 1024 * 1024) + b"</name></model>"
    )
    assert len(bomb) < 100 * 1024

    with pytest.raises(InvalidAmeff, match="uitgepakt is het bestand groter dan 1 MB"):
        import_file(bomb)


def test_an_ameff_file_that_is_no_gemma_release(unchanged):
    content = (EXAMPLES / "archi-tests_Sample1.xml").read_bytes()

    with pytest.raises(GemmaImportError, match="Dit is geen GEMMA-release: de modeleigenschap"):
        import_file(content)


def test_a_failure_halfway_rolls_everything_back(subset_bytes):
    """The last component is invalid for its schema: what was written before it is undone."""

    def too_long(root):
        element_named(root, "Zaakregistratiecomponent").find(
            "{http://www.opengroup.org/xsd/archimate/3.0/}name"
        ).text = "x" * 501

    with pytest.raises(GemmaImportError) as refused:
        import_file(edited(subset_bytes, too_long))

    message = str(refused.value)
    assert "gemma/referentiecomponent" in message
    assert "/naam: Maximaal 500 tekens." in message
    assert message.endswith("Er is niets gewijzigd.")
    assert not gemma_objects("gemma/standaard").exists()
    assert not ObjectVersion.objects.exists()
    assert not GemmaRelease.objects.exists()
