"""Download of the imported GEMMA model: the newest GemmaRelease, un-gzipped as it streams.

GEMMA is public reference data (EUPL), so the route is open to everyone. The file is the
one the register objects came from, byte for byte, so an architect can open GEMMA and a
landscape export side by side in Archi.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator

from django.http import Http404, StreamingHttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

CHUNK_SIZE = 64 * 1024


def _unpacked(packed: bytes) -> Iterator[bytes]:
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as unpacked:
        while data := unpacked.read(CHUNK_SIZE):
            yield data


def latest_release_stream() -> tuple[Iterator[bytes], str]:
    """(chunks of the newest imported GEMMA model as XML, file name); LookupError when no
    release was imported."""
    from plugins.ameff_export.models import GemmaRelease

    release = GemmaRelease.objects.order_by("-release", "-imported_at").first()
    if release is None:
        raise LookupError("Er is nog geen GEMMA-release geïmporteerd.")
    return _unpacked(bytes(release.content)), f"GEMMA_{release.release:%Y-%m-%d}.xml"


@require_GET
def gemma_model(request):
    try:
        chunks, filename = latest_release_stream()
    except LookupError:
        raise Http404 from None
    response = StreamingHttpResponse(chunks, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [path("gemma/model.xml", gemma_model, name="gemma-model")]
