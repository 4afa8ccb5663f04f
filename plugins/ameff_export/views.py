"""Admin screen for functioneel beheer: upload a GEMMA release, follow the import as a job."""

from __future__ import annotations

import base64
import gzip

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

DEFAULT_MAX_UPLOAD_SIZE = 50 * 1024 * 1024


def max_upload_size() -> int:
    return int(getattr(settings, "AMEFF_EXPORT_MAX_UPLOAD_SIZE", DEFAULT_MAX_UPLOAD_SIZE))


def request_actor(request):
    """The admin user as an actor, for the organisation chosen in the session."""
    from core.actors import SESSION_KEY, actor_for_user
    from core.constants import Channel

    return actor_for_user(request.user, request.session.get(SESSION_KEY), Channel.ADMIN)


def may_import(request) -> bool:
    """GEMMA is reference data for everyone: only functioneel beheer replaces it."""
    user = request.user
    if not (user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)):
        return False
    return request_actor(request).is_functioneel_beheerder


class ReleaseUploadForm(forms.Form):
    bestand = forms.FileField(
        label="AMEFF-bestand",
        help_text="Een GEMMA-release als ArchiMate-uitwisselingsbestand (.xml of .xml.gz), "
        "bijvoorbeeld 'GEMMA release.xml' uit de GEMMA-Archi-repository.",
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        limit = max_upload_size()
        if upload.size > limit:
            raise forms.ValidationError(
                f"Het bestand is te groot (meer dan {limit // (1024 * 1024)} MB)."
            )
        if not upload.name.lower().endswith((".xml", ".xml.gz", ".gz")):
            raise forms.ValidationError("Kies een .xml- of .xml.gz-bestand.")
        return upload


class GemmaImportView(WagtailAdminTemplateMixin, FormView):
    """Starts the import as a task and sends the user to its job page."""

    page_title = "GEMMA-release importeren"
    header_icon = "upload"
    template_name = "ameff_export/import.html"
    form_class = ReleaseUploadForm

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        from plugins.ameff_export.models import GemmaRelease

        releases = GemmaRelease.objects.defer("content").select_related("imported_by")[:10]
        return super().get_context_data(releases=releases, **kwargs)

    def form_valid(self, form):
        from core.plugins.jobs import Job
        from plugins.ameff_export.tasks import import_gemma_release

        upload = form.cleaned_data["bestand"]
        content = upload.read()
        if content[:2] != b"\x1f\x8b":  # the task argument is stored: keep it small
            content = gzip.compress(content, compresslevel=6)
        actor = request_actor(self.request)
        job = Job.objects.create(
            user=self.request.user,
            organisation=actor.organisation,
            title=f"GEMMA-release importeren ({upload.name[:150]})",
        )
        import_gemma_release.enqueue(job.pk, base64.b64encode(content).decode("ascii"))
        return redirect(reverse("job-detail", args=[job.uuid]))
