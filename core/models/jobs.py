"""Long-running work started by a user, with progress they can follow."""

import uuid

from django.db import models

from core.models.organisations import Organisation, User


class Job(models.Model):
    """Progress of one background task, visible to the user who started it."""

    class Status(models.TextChoices):
        WACHTEND = "wachtend", "Wachtend"
        BEZIG = "bezig", "Bezig"
        KLAAR = "klaar", "Klaar"
        MISLUKT = "mislukt", "Mislukt"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="jobs")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WACHTEND)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percentage(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.done else 0)
