"""Admin clients: a superuser, and staff users acting through a membership."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from core.accounts import security, totp
from core.constants import Role
from core.models import TotpDevice, User
from tests.conftest import member

SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)


def admin_access(user: User) -> User:
    """Staff users reach the Wagtail admin through its access_admin permission."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def with_two_factor(user: User) -> TotpDevice:
    """A confirmed authenticator: functioneel beheer and superusers cannot work without one."""
    device, _ = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.new_secret(), "confirmed_at": timezone.now()}
    )
    return device


def verify_session(client: Client, user: User) -> None:
    """Mark the client's session as having passed login step 2 (what our login view does)."""
    session = client.session
    security.mark_session_verified(session, user)
    session.save()


def logged_in(user: User) -> Client:
    """A session as after the full login: users who must use 2FA get a device first."""
    client = Client()
    if security.requires_two_factor(user):
        with_two_factor(user)
    client.force_login(user)
    verify_session(client, user)
    return client


def menu_labels(response) -> set[str]:
    """Every label in Wagtail's sidebar menu (it is rendered as JSON props)."""
    found = SIDEBAR.search(response.content.decode())
    assert found, "geen zijbalkmenu in de pagina"
    labels: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(found.group(1)))
    return labels


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("beheer@vng.nl", "een-lang-wachtwoord")


@pytest.fixture
def admin_client(superuser):
    return logged_in(superuser)


@pytest.fixture
def staff_client(orgs):
    """`staff_client("leverancier", Role.AANBOD_BEHEERDER)` → a logged-in staff member."""

    def make(org_key: str = "vng", role: str = Role.FUNCTIONEEL_BEHEERDER) -> Client:
        user = member(orgs[org_key], role).user
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return logged_in(admin_access(user))

    return make


def is_denied(response) -> bool:
    """Wagtail turns a PermissionDenied in its admin into a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"
