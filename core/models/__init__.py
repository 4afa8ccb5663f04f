"""The platform's models: organisations and access, the register, history, CMS pages."""

from core.models.jobs import Job
from core.models.objects import Object, ObjectFile, ObjectRelation, ObjectVersion
from core.models.organisations import ApiToken, Membership, Organisation, User
from core.models.pages import ContentPage, HomePage
from core.models.registers import Register, Schema, SchemaVersion

__all__ = [
    "ApiToken",
    "ContentPage",
    "HomePage",
    "Job",
    "Membership",
    "Object",
    "ObjectFile",
    "ObjectRelation",
    "ObjectVersion",
    "Organisation",
    "Register",
    "Schema",
    "SchemaVersion",
    "User",
]
