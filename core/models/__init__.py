"""The platform's models: organisations and access, the register, history, CMS pages."""

from core.models.accounts import (
    AccessRequest,
    AuditEntry,
    Deelneming,
    Invitation,
    LoginFailure,
    Notification,
    NotificationPreference,
    OrganisationDocument,
    RecoveryCode,
    ReviewDecision,
    SignUp,
    TotpDevice,
)
from core.models.jobs import Job
from core.models.objects import Object, ObjectFile, ObjectRelation, ObjectVersion
from core.models.organisations import ApiToken, Membership, Organisation, User
from core.models.pages import ContentPage, HomePage, SiteSettings, WizardText
from core.models.registers import Register, Schema, SchemaVersion

__all__ = [
    "AccessRequest",
    "ApiToken",
    "AuditEntry",
    "ContentPage",
    "Deelneming",
    "HomePage",
    "Invitation",
    "Job",
    "LoginFailure",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Object",
    "ObjectFile",
    "ObjectRelation",
    "ObjectVersion",
    "Organisation",
    "OrganisationDocument",
    "RecoveryCode",
    "ReviewDecision",
    "Register",
    "Schema",
    "SchemaVersion",
    "SignUp",
    "SiteSettings",
    "TotpDevice",
    "User",
    "WizardText",
]
