"""Choices shared by models, policies and the API (stored values are Dutch domain words)."""

from django.db import models


class OrganisationType(models.TextChoices):
    GEMEENTE = "Gemeente", "Gemeente"
    LEVERANCIER = "Leverancier", "Leverancier"
    SAMENWERKING = "Samenwerking", "Samenwerking"
    COMMUNITY = "Community", "Community"
    VNG = "VNG", "VNG"


class OrganisationStatus(models.TextChoices):
    CONCEPT = "Concept", "Concept"
    ACTIEF = "Actief", "Actief"
    INACTIEF = "Inactief", "Inactief"
    SAMENGEVOEGD = "Samengevoegd", "Samengevoegd"


class Role(models.TextChoices):
    AANBOD_BEHEERDER = "aanbod-beheerder", "Aanbod-beheerder"
    GEBRUIK_BEHEERDER = "gebruik-beheerder", "Gebruik-beheerder"
    GEBRUIK_RAADPLEGER = "gebruik-raadpleger", "Gebruik-raadpleger"
    FUNCTIONEEL_BEHEERDER = "functioneel-beheerder", "Functioneel beheerder"
    VNG_RAADPLEGER = "vng-raadpleger", "VNG-raadpleger"


class ObjectStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    GEPUBLICEERD = "gepubliceerd", "Gepubliceerd"
    GEARCHIVEERD = "gearchiveerd", "Gearchiveerd"


class Channel(models.TextChoices):
    API = "api", "API"
    ADMIN = "admin", "Beheeromgeving"
    SITE = "site", "Website"
    IMPORT = "import", "Import"
    SYSTEM = "system", "Systeem"


class Audience(models.TextChoices):
    OPENBAAR = "openbaar", "Openbaar"
    OVERHEID = "overheid", "Overheid"
    EIGEN_ORGANISATIE = "eigen organisatie", "Eigen organisatie"
    GENOEMDE_ORGANISATIES = "genoemde organisaties", "Genoemde organisaties"


GOVERNMENT_TYPES = (OrganisationType.GEMEENTE, OrganisationType.SAMENWERKING)
# Organisations whose content is public; the others are withdrawn from public view.
PUBLIC_ORGANISATION_STATUSES = (OrganisationStatus.ACTIEF,)
