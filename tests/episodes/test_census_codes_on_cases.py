from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from episodes import services
from episodes.models import Episode
from episodes.request_forms import DetailsForm
from episodes.services import transition
from tests.factories import EpisodeFactory


def _members():
    return [
        {
            "person": None,
            "details": {
                "first_name": "Ada",
                "last_name": "Codefamily",
                "sex": "2",
                "date_of_birth": __import__("datetime").date(2018, 4, 2),
            },
            "relationship": "child",
        }
    ]


def _request(user, organisation, district, **extra):
    return services.request_support(
        user,
        organisation=organisation,
        district=district,
        source=extra.pop("source", "professional"),
        worries="Synthetic worries.",
        needs=["attendance"],
        family_name="Codefamily family",
        members=_members(),
        **extra,
    )


def test_a_request_records_the_referral_source(involved, school, district):
    assert _request(involved, school, district).referral_source == "2A"
    assert _request(involved, school, district, source="parent").referral_source == "1A"


def test_a_health_practitioner_chooses_and_a_wrong_choice_is_refused(other_org, clinic, district):
    assert _request(other_org, clinic, district, referral_source="3E").referral_source == "3E"
    assert _request(other_org, clinic, district).referral_source == "3F"
    with pytest.raises(ValidationError):
        _request(other_org, clinic, district, referral_source="6")


def test_the_request_form_asks_when_the_organisation_leaves_a_choice(other_org, clinic, district):
    data = {
        "worries": "Synthetic.",
        "needs": ["attendance"],
        "source": "professional",
        "organisation": clinic.pk,
        "district": district.pk,
        "family_name": "Codefamily family",
    }
    form = DetailsForm(data, user=other_org)
    assert not form.is_valid()
    assert "Choose which best describes who asked" in form.errors["referral_source"][0]
    assert DetailsForm({**data, "referral_source": "3C"}, user=other_org).is_valid()
    wrong = DetailsForm({**data, "referral_source": "2A"}, user=other_org)
    assert not wrong.is_valid() and "Choose one of" in wrong.errors["referral_source"][0]


def test_closing_records_the_closure_code(involved, episode):
    transition(involved, episode, "give_consent")
    transition(involved, episode, "close", closure_reason="moved_away")
    episode.refresh_from_db()
    assert (episode.closure_reason, episode.closure_code) == ("moved_away", "EH6")


def test_the_migration_fills_the_codes_of_existing_cases(la, district, clinic, school):
    closed = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        status="closed",
        closure_reason="disengaged",
    )
    asked = EpisodeFactory(
        local_authority=la, district=district, requesting_organisation=clinic, source="professional"
    )
    Episode.objects.update(referral_source="10", closure_code="")
    import_module("episodes.migrations.0009_census_codes").fill_codes(apps, None)
    closed.refresh_from_db()
    asked.refresh_from_db()
    assert (closed.referral_source, closed.closure_code) == ("2A", "EH5")
    assert (asked.referral_source, asked.closure_code) == ("3F", "")


def test_check_your_answers_shows_the_code_recorded_for_returns(
    client_for, involved, school, district
):
    from tests.episodes.test_request import add_person, details, search

    client = client_for(involved)
    search(client)
    add_person(client)
    details(client, school, district)
    page = client.get("/cases/new/check/").content.decode()
    assert "Recorded for returns as" in page and "Schools" in page
