"""Account journeys: invitations, access requests, sign-ups, deelnemingen, audit, 2FA, e-mail.

Every link sent by e-mail carries a random token of which only the SHA-256 hash is stored,
so a database dump never yields a working link.
"""

import uuid

from django.db import models
from django.utils import timezone

from core.constants import Role
from core.models.objects import private_storage
from core.models.organisations import Organisation, User


class TokenLinkQuerySet(models.QuerySet):
    def usable(self):
        """Not yet used, not withdrawn and not expired."""
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mail invitation to act for an organisation in one role (#65, #63)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("e-mailadres")
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    voornaam = models.CharField("voornaam", max_length=100, blank=True)
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=30, blank=True)
    achternaam = models.CharField("achternaam", max_length=150, blank=True)
    telefoonnummer = models.CharField("telefoonnummer", max_length=30, blank=True)
    functie = models.CharField("functie", max_length=100, blank=True)
    is_aanspreekpunt = models.BooleanField("is aanspreekpunt", default=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TokenLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "uitnodiging"
        verbose_name_plural = "uitnodigingen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @property
    def status(self) -> str:
        if self.used_at:
            return "geaccepteerd"
        if self.revoked_at:
            return "ingetrokken"
        if self.expires_at <= timezone.now():
            return "verlopen"
        return "openstaand"


class AccessRequest(models.Model):
    """ "Contact opnemen met VNG": someone without access asks for it for a gemeente (1.4–1.7)."""

    class Status(models.TextChoices):
        E_MAIL_ONBEVESTIGD = "e-mail onbevestigd", "E-mail nog niet bevestigd"
        TE_BEOORDELEN = "te beoordelen", "Te beoordelen"
        DOORGESTUURD = "doorgestuurd", "Doorgestuurd naar beheerder"
        TOEGEKEND = "toegekend", "Toegekend"
        AFGEWEZEN = "afgewezen", "Afgewezen"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="access_requests"
    )
    voornaam = models.CharField("voornaam", max_length=100)
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=30, blank=True)
    achternaam = models.CharField("achternaam", max_length=150)
    email = models.EmailField("e-mailadres")
    telefoonnummer = models.CharField("telefoonnummer", max_length=30, blank=True)
    functie = models.CharField("functie", max_length=100, blank=True)
    toelichting = models.TextField("toelichting", max_length=2000, blank=True)
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.E_MAIL_ONBEVESTIGD
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    forwarded_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "toegangsverzoek"
        verbose_name_plural = "toegangsverzoeken"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} voor {self.organisation}"

    @property
    def naam(self) -> str:
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)


class SignUp(models.Model):
    """A leverancier's "Aanmelden": verified by e-mail, then reviewed by functioneel beheer."""

    class Status(models.TextChoices):
        E_MAIL_ONBEVESTIGD = "e-mail onbevestigd", "E-mail nog niet bevestigd"
        TE_BEOORDELEN = "te beoordelen", "Te beoordelen"
        GEACTIVEERD = "geactiveerd", "Geactiveerd"
        AFGEWEZEN = "afgewezen", "Afgewezen"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisatienaam = models.CharField("organisatienaam", max_length=255)
    beschrijving_kort = models.CharField("korte beschrijving", max_length=255)
    website = models.URLField("website")
    kvk_nummer = models.CharField("KvK-nummer", max_length=20, blank=True)
    logo = models.FileField("logo", upload_to="logos/aanmeldingen/", blank=True)
    voornaam = models.CharField("voornaam", max_length=100)
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=30, blank=True)
    achternaam = models.CharField("achternaam", max_length=150)
    email = models.EmailField("e-mailadres")
    telefoonnummer = models.CharField("telefoonnummer", max_length=30, blank=True)
    consent_at = models.DateTimeField("akkoord gegeven op")
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.E_MAIL_ONBEVESTIGD
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Created in status Concept once the e-mail address is confirmed.
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_up"
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "aanmelding"
        verbose_name_plural = "aanmeldingen"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.organisatienaam

    @property
    def contact_naam(self) -> str:
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)


class Deelneming(models.Model):
    """An organisation takes part in a samenwerking or community (immediately, no approval)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="deelnemingen"
    )
    samenwerking = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="deelnemers"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "deelneming"
        verbose_name_plural = "deelnemingen"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "samenwerking"], name="deelneming_uniek"
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("samenwerking")),
                name="deelneming_niet_zichzelf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} neemt deel aan {self.samenwerking}"


class OrganisationDocument(models.Model):
    """A certificate or statement on an organisation profile; private ones stay in the org."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documenten"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    naam = models.CharField("naam", max_length=200)
    # Private storage: served only through the view that checks `openbaar` or membership.
    bestand = models.FileField(
        "bestand", upload_to="organisatiedocumenten/%Y/%m/", storage=private_storage
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    openbaar = models.BooleanField(
        "openbaar", default=False, help_text="Openbaar: zichtbaar op de organisatiepagina."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "organisatiedocument"
        verbose_name_plural = "organisatiedocumenten"
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class AuditEntry(models.Model):
    """Append-only record of an account or organisation action: who, for whom, what."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField("actie", max_length=60, db_index=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_email = models.CharField("gebruiker", max_length=254, blank=True)
    acting_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        verbose_name="organisatie",
    )
    target = models.CharField("betreft", max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    channel = models.CharField("kanaal", max_length=20, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "auditregel"
        verbose_name_plural = "auditlog"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class NotificationPreference(models.Model):
    """Per user and kind of e-mail: direct, in a daily digest, or not at all."""

    class Frequency(models.TextChoices):
        DIRECT = "direct", "Direct"
        DAGELIJKS = "dagelijks", "Dagelijkse samenvatting"
        UIT = "uit", "Uit"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=60)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.frequency}"


class Notification(models.Model):
    """A notification for one user, kept for the daily digest (or as sent)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notification_pending",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238); confirmed once a first code was right."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step: a code is never accepted twice.
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"2FA van {self.user}"


class RecoveryCode(models.Model):
    """A single-use code to log in without the authenticator app; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"herstelcode van {self.user_id}"


class LoginFailure(models.Model):
    """A failed login, counted per e-mail address to throttle password guessing."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} {self.at:%Y-%m-%d %H:%M}"


class ReviewDecision(models.Model):
    """Functioneel beheer's decision on one item of a "Te beoordelen" queue (never asked twice)."""

    queue = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    decision = models.CharField(max_length=20)  # "geaccepteerd" | "afgewezen"
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "key"], name="review_decision")]

    def __str__(self) -> str:
        return f"{self.queue}/{self.key}: {self.decision}"
