"""Test requests commit like real ones (fixtures; tests/accounts/conftest.py uses them for
every test there, other test modules import them).

Services send their e-mails with `transaction.on_commit` (core.accounts.mail), and in
production every request's transactions have committed before its response goes out. A
test, though, runs inside one transaction that never commits, so without help no e-mail of
a request would ever leave. `commit_per_request` runs, after each test-client request, the
on-commit callbacks of exactly that request — those of rolled-back blocks were already
dropped by Django — which is what a real commit does. Service calls made directly in a test
still need `django_capture_on_commit_callbacks(execute=True)` around them.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client

logger = logging.getLogger(__name__)


def _commit_since(start: int) -> None:
    """Run and consume the callbacks queued since `start`, as a commit does (callbacks may
    queue more; a test's outer capture then finds nothing left to run twice)."""
    while len(connection.run_on_commit) > start:
        queued = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback, robust in queued:
            if not robust:
                callback()
                continue
            try:
                callback()
            except Exception:
                logger.exception("Error calling %s in on_commit()", callback)


@pytest.fixture
def commit_per_request(monkeypatch, db):
    request = Client.request

    def committed_request(self, **kwargs):
        start = len(connection.run_on_commit)
        try:
            return request(self, **kwargs)
        finally:
            _commit_since(start)

    monkeypatch.setattr(Client, "request", committed_request)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` around a direct service call: afterwards, what its commit would
    have run (the e-mails) has run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
