"""The wizard engine (core/site/wizard.py) with a small two-step wizard of its own: state in
the session, back and forth, validation, steps that a choice adds, a start that fills a step,
GET parameters for a search inside a step, review, one commit, cancel and expired runs."""

from __future__ import annotations

import pytest
from django import forms

from core.models import Organisation
from core.site import wizard as engine
from core.site.forms import SiteForm
from core.site.wizard import Step, Wizard
from core.urls import urlpatterns as site_urls
from tests.admin.conftest import logged_in
from tests.conftest import make_org, member

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
COMMITS: list[dict] = []


class NameForm(SiteForm, forms.Form):
    naam = forms.CharField(label="Naam", max_length=50)
    extra = forms.BooleanField(label="Nog een stap", required=False)


class ExtraForm(SiteForm, forms.Form):
    kleur = forms.ChoiceField(label="Kleur", choices=[("rood", "Rood"), ("blauw", "Blauw")])


class Demo(Wizard):
    key = "demo-engine"
    title = "Een demo"
    success_message = "Demo opgeslagen!"
    steps = [
        Step(key="naam", title="Naam", form=NameForm, info_title="Let op", info_text="Uitleg"),
        Step(
            key="extra",
            title="Extra",
            form=ExtraForm,
            applies=lambda run: bool(run.get("naam", "extra")),
        ),
    ]

    def start(self, request, actor, **kwargs):
        if request.GET.get("naam"):
            return {}, {"naam": {"naam": request.GET["naam"], "extra": False}}
        return {}, {}

    def extra_context(self, step, run, actor, form=None):
        return {"gezocht": run.query.get("q", "")}

    def commit(self, run, actor):
        if run.get("naam", "naam") == "fout":
            raise engine.ValidationFailed([("/naam", "Deze naam mag niet.")])
        COMMITS.append(dict(run.data))
        return "/"

    def cancel_url(self, run, actor):
        return "/geannuleerd"


class PerObject(Demo):
    """The same wizard for one object (an edit): its runs belong to that object's URL."""

    key = "demo-object"


engine.WIZARDS.pop(Demo.key)  # test wizards get no CMS rows from `sync_texts`
engine.WIZARDS.pop(PerObject.key)
urlpatterns = [*Demo.urls("demo"), *PerObject.urls("object/<int:nummer>/bewerken"), *site_urls]


@pytest.fixture
def client(db):
    COMMITS.clear()
    return logged_in(member(make_org("Utrecht", "Gemeente"), "gebruik-beheerder").user)


def go(client, url, data=None, status=302):
    response = client.post(url, data or {}) if data is not None else client.get(url)
    assert response.status_code == status
    return response["Location"] if status == 302 else response


def test_steps_back_and_commit_once(client):
    url = go(client, "/demo")
    assert url.endswith("/naam")
    page = go(client, url, status=200).content.decode()
    assert "Stap 1 van 2" in page and "Let op" in page and "Uitleg" in page
    response = go(client, url, {"actie": "volgende"}, status=400)
    assert "Controleer de volgende velden" in response.content.decode()
    review = go(client, url, {"actie": "volgende", "naam": "Els"})
    assert review.endswith("/controleren")
    assert COMMITS == []
    back = go(client, review, {"actie": "vorige"})
    assert back.endswith("/naam") and "Els" in go(client, back, status=200).content.decode()
    assert "Els" in go(client, review, status=200).content.decode()
    assert go(client, review, {"actie": "opslaan"}) == "/"
    assert COMMITS == [{"naam": {"naam": "Els", "extra": False}}]
    # the run is gone: its URL starts again
    assert go(client, review).endswith("/demo")


def test_a_choice_adds_a_step_and_dropping_it_drops_its_data(client):
    url = go(client, "/demo")
    extra = go(client, url, {"actie": "volgende", "naam": "Els", "extra": "on"})
    assert extra.endswith("/extra")
    assert "Stap 2 van 3" in go(client, extra, status=200).content.decode()
    review = go(client, extra, {"actie": "volgende", "kleur": "blauw"})
    go(client, url, {"actie": "volgende", "naam": "Els"})  # untick: the extra step goes
    go(client, review, {"actie": "opslaan"})
    assert COMMITS == [{"naam": {"naam": "Els", "extra": False}}]


def test_skipping_ahead_is_refused(client):
    url = go(client, "/demo")
    review = url.replace("/naam", "/controleren")
    assert go(client, review).endswith("/naam")
    assert client.get(url.replace("/naam", "/bestaat-niet")).status_code == 404


def test_start_fills_a_step_and_query_reaches_the_step(client):
    url = go(client, "/demo?naam=Piet")
    assert url.endswith("/controleren")
    first = url.replace("/controleren", "/naam")
    response = go(client, first + "?q=zoekterm", status=200)
    assert response.context["gezocht"] == "zoekterm"


def test_commit_error_saves_nothing_and_shows_message(client):
    url = go(client, "/demo?naam=fout")
    response = go(client, url, {"actie": "opslaan"}, status=400)
    assert "Deze naam mag niet." in response.content.decode()
    assert COMMITS == []


def test_cancel_and_anonymous(client):
    url = go(client, "/demo")
    assert go(client, url, {"actie": "annuleren"}) == "/geannuleerd"
    assert go(client, url).endswith("/demo")  # expired
    from django.test import Client

    anonymous = Client().get("/demo")
    assert anonymous.status_code == 302 and "inloggen" in anonymous["Location"]


def test_no_organisation_is_forbidden(db):
    from core.models import User

    user = User.objects.create_user("los@example.nl", "een-lang-wachtwoord")
    assert Organisation.objects.count() == 0
    assert logged_in(user).get("/demo").status_code == 403


def test_a_run_belongs_to_the_url_it_started_at(client):
    first = go(client, "/object/1/bewerken")
    assert first.startswith("/object/1/bewerken/")
    token = first.split("/")[-2]
    # The same token under another object's URL is unknown there: start again.
    assert go(client, f"/object/2/bewerken/{token}/naam") == "/object/2/bewerken"
    assert go(client, first, {"naam": "Eerste", "actie": "volgende"}).endswith("/controleren")


def test_the_review_checks_every_step_again(client):
    """Data a step no longer accepts (an earlier choice changed what it offers, or the session
    was tampered with) is never committed: the review sends the user back to that step."""
    step = go(client, "/demo", None)
    step = go(client, step, {"naam": "Met extra", "extra": "on", "actie": "volgende"})
    review = go(client, step, {"kleur": "rood", "actie": "volgende"})
    session = client.session
    run = next(iter(session[engine.SESSION_KEY].values()))
    run["data"]["extra"]["kleur"] = "groen"  # not a choice
    session.save()
    assert go(client, review).endswith("/extra")
    assert go(client, review, {"actie": "opslaan"}).endswith("/extra")
    assert COMMITS == []


def test_a_run_expires_when_the_organisation_changes(client):
    first = go(client, "/demo")
    session = client.session
    run = next(iter(session[engine.SESSION_KEY].values()))
    run["url"] = "elders:" + run["url"]  # as if started for another organisation
    session.save()
    assert go(client, first) == "/demo"
