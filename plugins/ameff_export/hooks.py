"""Hook implementations of the AMEFF plugin."""

from pathlib import Path

from core.plugins import hookimpl

BUNDLED_RELEASE = Path(__file__).parent / "data" / "GEMMA_2026-06-30.xml.gz"


@hookimpl
def load_reference_data():
    """The catalogue needs GEMMA (referentiecomponenten, standaarden) to be usable at all, so
    a fresh installation gets the bundled release; once any release is in, this is a no-op."""
    from plugins.ameff_export.importer import import_file
    from plugins.ameff_export.models import GemmaRelease

    if GemmaRelease.objects.exists():
        return None
    report = import_file(BUNDLED_RELEASE.read_bytes())
    total = report.to_json()["totaal"]
    return [
        f"GEMMA-release {report.release} geïmporteerd: {total['aangemaakt']} aangemaakt, "
        f"{total['bijgewerkt']} bijgewerkt, {total['ongewijzigd']} ongewijzigd."
    ]


@hookimpl
def register_bundle_exporters():
    """AMEFF for landscapes, their koppelingen and suppliers' offers (`formaat=ameff`)."""
    from plugins.ameff_export.export import AmeffExporter

    return [AmeffExporter()]


@hookimpl
def register_site_urls():
    """`/gemma/model.xml`: the imported GEMMA model, for everyone (GEMMA is public)."""
    from plugins.ameff_export.gemma_download import urlpatterns

    return urlpatterns
