"""Fixtures for the plugin tests: a clean event log and a supplier that can write products."""

import pytest

from tests.example_plugin import hooks as example


@pytest.fixture(autouse=True)
def events():
    """The example plugin's `object_changed` log, empty at the start of every test."""
    example.EVENTS.clear()
    yield example.EVENTS
    example.EVENTS.clear()


@pytest.fixture
def supplier(api_as):
    return api_as("leverancier", "aanbod-beheerder")


@pytest.fixture
def product_data(orgs):
    def make(naam: str = "Zaaksysteem", **extra) -> dict:
        return {
            "naam": naam,
            "aanbieder": str(orgs["leverancier"].uuid),
            "categorie": "software",
            **extra,
        }

    return make


@pytest.fixture
def published(supplier, product_data):
    """Create published products through the API; returns their API representations."""

    def make(*names: str) -> list[dict]:
        items = []
        for naam in names:
            response = supplier.post(
                "/api/v1/producten", {"status": "gepubliceerd", "data": product_data(naam)}
            )
            assert response.status_code == 201, response.content
            items.append(response.json())
        return items

    return make
