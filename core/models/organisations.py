"""Organisations, users, memberships and API tokens: the security boundary."""

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.actors import ACTING_STATUSES
from core.constants import (
    GOVERNMENT_TYPES,
    OrganisationStatus,
    OrganisationType,
    Role,
)


class Organisation(models.Model):
    """A gemeente, leverancier, samenwerking, community or VNG itself."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField("type", max_length=20, choices=OrganisationType.choices)
    status = models.CharField(
        "status",
        max_length=20,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.CONCEPT,
    )
    naam = models.CharField("naam", max_length=255, help_text="Officiële naam, bijv. 's-Gravenhage")
    weergavenaam = models.CharField(
        "weergavenaam", max_length=255, blank=True, help_text="Naam in de interface, bijv. Den Haag"
    )
    cbs_code = models.CharField("CBS-code", max_length=10, blank=True)
    provincie = models.CharField("provincie", max_length=100, blank=True)
    kvk_nummer = models.CharField("KvK-nummer", max_length=20, blank=True)
    website = models.URLField("website", blank=True)
    beschrijving_kort = models.CharField("korte beschrijving", max_length=255, blank=True)
    beschrijving_lang = models.TextField("lange beschrijving", blank=True)
    logo = models.FileField("logo", upload_to="logos/", blank=True)
    telefoonnummer = models.CharField("telefoonnummer", max_length=30, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    samengevoegd_in = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="samengevoegd in",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["naam"]
        indexes = [models.Index(fields=["type", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cbs_code"], condition=~models.Q(cbs_code=""), name="org_unique_cbs_code"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.weergavenaam or self.naam

    @property
    def is_public(self) -> bool:
        return self.status == OrganisationStatus.ACTIEF

    @property
    def is_government(self) -> bool:
        return self.type in GOVERNMENT_TYPES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; the e-mail address is the username."""

    email = models.EmailField("e-mailadres", unique=True)
    voornaam = models.CharField("voornaam", max_length=100, blank=True)
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=30, blank=True)
    achternaam = models.CharField("achternaam", max_length=150, blank=True)
    is_active = models.BooleanField("actief", default=True)
    is_staff = models.BooleanField("toegang tot beheer", default=False)
    telefoonnummer = models.CharField("telefoonnummer", max_length=30, blank=True)
    functie = models.CharField("functie", max_length=100, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of the session hash: raising it logs the user out everywhere.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)

    def get_short_name(self) -> str:
        return self.voornaam or self.email

    def _get_session_auth_hash(self, secret=None) -> str:
        """Checked on every request; a new password or generation ends all older sessions."""
        return salted_hmac(
            "core.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    # Wagtail's admin reads these names.
    @property
    def first_name(self) -> str:
        return self.voornaam

    @property
    def last_name(self) -> str:
        return self.achternaam


class Membership(models.Model):
    """A user acting for an organisation in exactly one role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    actief = models.BooleanField(
        "actief", default=True, help_text="Uitgeschakeld: de gebruiker handelt niet meer namens."
    )
    is_aanspreekpunt = models.BooleanField(
        "is aanspreekpunt", default=False, help_text="Getoond als contact op de organisatiepagina."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.role})"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenManager(models.Manager):
    def issue(self, membership: Membership, naam: str) -> tuple["ApiToken", str]:
        """Create a token for one membership; the raw value is shown once, only its hash kept."""
        raw = "swc_" + secrets.token_urlsafe(32)
        token = self.create(
            user=membership.user,
            organisation=membership.organisation,
            role=membership.role,
            naam=naam,
            key_hash=_hash_token(raw),
            prefix=raw[:10],
        )
        return token, raw

    def authenticate(self, raw: str) -> "ApiToken | None":
        token = (
            self.select_related("user", "organisation")
            .filter(
                key_hash=_hash_token(raw),
                revoked_at__isnull=True,
                user__is_active=True,
                organisation__status__in=ACTING_STATUSES,
            )
            .first()
        )
        if token is None:
            return None
        # The membership must still exist with the same role, or the token is dead.
        if not Membership.objects.filter(
            user=token.user, organisation=token.organisation, role=token.role, actief=True
        ).exists():
            return None
        return token


class ApiToken(models.Model):
    """A machine client's credential, bound to one user, one organisation and one role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="swc_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    naam = models.CharField("naam", max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"

    def __str__(self) -> str:
        return f"{self.naam} ({self.prefix}…)"
