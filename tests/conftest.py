"""Shared fixtures: real PostgreSQL with the schemas loaded, organisations, actors, clients."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType, Role
from core.models import ApiToken, Membership, Organisation, User
from core.register import catalog, loader


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        loader.load()
    catalog.clear()


DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters in the cache (form throttles) never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _register_loaded(request):
    """Every database test starts with the schemas loaded.

    Transactional tests (and live_server) flush all tables afterwards, so the next
    test reloads them; loading is idempotent and cheap.
    """
    catalog.clear()
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        return
    from core.models import Schema

    if not Schema.objects.exists():
        loader.load()
        catalog.clear()


def make_org(naam: str, type_: str, status: str = OrganisationStatus.ACTIEF, **extra):
    return Organisation.objects.create(naam=naam, type=type_, status=status, **extra)


@pytest.fixture
def orgs(db):
    """One organisation of every kind, plus a second supplier and an inactive one."""
    return {
        "gemeente": make_org(
            "Utrecht", OrganisationType.GEMEENTE, cbs_code="GM0344", provincie="Utrecht"
        ),
        "gemeente2": make_org(
            "'s-Gravenhage",
            OrganisationType.GEMEENTE,
            cbs_code="GM0518",
            weergavenaam="Den Haag",
            provincie="Zuid-Holland",
        ),
        "leverancier": make_org("Acme Software", OrganisationType.LEVERANCIER),
        "leverancier2": make_org("Beta Systems", OrganisationType.LEVERANCIER),
        "inactief": make_org(
            "Gesloten BV", OrganisationType.LEVERANCIER, status=OrganisationStatus.INACTIEF
        ),
        "samenwerking": make_org("Dimpact", OrganisationType.SAMENWERKING),
        "community": make_org("Open Community", OrganisationType.COMMUNITY),
        "vng": make_org("VNG Realisatie", OrganisationType.VNG),
    }


class Api:
    """A JSON client acting as one membership through its API token (or anonymously)."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}

    def _send(self, method, path, body=None, content_type="application/json", **headers):
        kwargs = {**self.headers, **headers}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = content_type
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, **{**self.headers, **headers})

    def post(self, path, body=None, **kw):
        return self._send("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self._send("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._send("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self._send("delete", path, None, **kw)


def member(org: Organisation, role: str, email: str | None = None) -> Membership:
    email = email or f"{role}@{org.naam.lower().replace(' ', '').replace(chr(39), '')}.nl"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, "een-lang-wachtwoord"
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=org, defaults={"role": role}
    )
    return membership


@pytest.fixture
def api_as(orgs):
    """`api_as("leverancier", "aanbod-beheerder")` → an Api client for that membership."""

    def make(org_key: str | None = None, role: str | None = None) -> Api:
        if org_key is None:
            return Api()
        membership = member(orgs[org_key], role)
        _token, raw = ApiToken.objects.issue(membership, "test")
        return Api(raw)

    return make


@pytest.fixture
def actor_for(orgs):
    def make(org_key: str, role: str) -> Actor:
        return Actor.for_membership(member(orgs[org_key], role))

    return make


__all__ = ["Api", "Role", "make_org", "member"]
