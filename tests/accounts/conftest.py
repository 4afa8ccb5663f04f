"""Every test here: test-client requests commit like real ones (see committing.py)."""

import pytest

from tests.accounts.committing import commit_per_request, committed

__all__ = ["commit_per_request", "committed"]


@pytest.fixture(autouse=True)
def _requests_commit(commit_per_request):
    """Autouse wrapper, so the imported fixture keeps its own name for other modules."""
