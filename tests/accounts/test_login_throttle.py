"""Login throttling counts an attempt before the password or code is checked.

Checking the lock first and counting a failure afterwards let parallel wrong passwords all
pass the check before any of them was counted. Now each attempt is stored (under a lock per
address) before authenticating and taken back when it was right, so at most five passwords
are ever tried per window, however many requests arrive at once. (test_security.py covers
the lock's duration, wording and the second factor.)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from core.accounts import security
from core.constants import Role
from core.models import AuditEntry, LoginFailure
from tests.admin.conftest import with_two_factor
from tests.conftest import member

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"
EMAIL = "jan@utrecht.nl"


@pytest.fixture
def jan(orgs):
    return member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email=EMAIL).user


def login(client: Client, email: str = EMAIL, password: str = PASSWORD):
    return client.post("/inloggen", {"username": email, "password": password})


def test_attempts_in_flight_count_so_a_sixth_parallel_attempt_is_refused(jan):
    """Five requests have passed the check and are still checking their passwords: a
    sixth arriving now is refused before its password is looked at."""
    in_flight = [security.begin_attempt(EMAIL, "10.0.0.1") for _ in range(5)]
    assert all(in_flight)
    assert security.begin_attempt("JAN@Utrecht.nl ", "10.0.0.2") is None
    assert LoginFailure.objects.filter(email=EMAIL).count() == 5
    # One of the five turns out right: its attempt is taken back and one more may try.
    security.attempt_passed(in_flight[0])
    assert security.begin_attempt(EMAIL) is not None
    assert security.begin_attempt(EMAIL) is None


def test_the_check_and_count_hold_a_lock_per_address(jan):
    """The advisory lock serialises attempts for one address (and only that address)."""
    security.begin_attempt(EMAIL)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND classid = hashtext('swc-inloggen')::oid "
            "AND objid = hashtext(%s)::oid",
            [EMAIL],
        )
        assert cursor.fetchone()[0] == 1


def test_the_fifth_attempt_may_still_be_right(client, jan):
    for _ in range(4):
        assert login(client, password="fout").status_code == 200
    response = login(client)
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(email=EMAIL).exists(), "a login clears the count"
    assert not AuditEntry.objects.filter(action="inloggen.geblokkeerd").exists()


def test_the_fifth_wrong_attempt_locks_and_the_right_password_is_not_tried(client, jan):
    for _ in range(5):
        login(client, password="fout")
    assert AuditEntry.objects.filter(action="inloggen.geblokkeerd", user=jan).count() == 1
    response = login(client)
    assert response.status_code == 200
    assert "te vaak geprobeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Refused attempts are not stored and do not audit the lock again.
    login(client, password="fout")
    assert LoginFailure.objects.filter(email=EMAIL).count() == 5
    assert AuditEntry.objects.filter(action="inloggen.geblokkeerd").count() == 1


def test_a_right_password_with_two_factor_leaves_earlier_failures_counted(client, jan):
    """The password step alone does not reset the count: the code still has to be right."""
    with_two_factor(jan)
    for _ in range(3):
        login(client, password="fout")
    response = login(client)
    assert response.status_code == 302 and response["Location"] == "/inloggen/verificatie"
    assert LoginFailure.objects.filter(email=EMAIL).count() == 3
    for _ in range(2):
        client.post("/inloggen/verificatie", {"code": "000000"})
    assert security.is_locked(EMAIL)
    assert LoginFailure.objects.filter(email=EMAIL).count() == 5
