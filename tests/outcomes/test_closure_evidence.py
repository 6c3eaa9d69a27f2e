"""The closure page asks, for each need, its outcome, what shows it and when."""

import datetime

import pytest
from django.utils import timezone

from episodes.models import EpisodeNeed, Status
from tests.journey import move_to_plan


def _date(prefix, day):
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


@pytest.fixture
def housing(episode):
    return EpisodeNeed.objects.create(episode=episode, need="housing")


@pytest.fixture
def closing(client_for, involved, episode, housing):
    move_to_plan(involved, episode, involved)
    client = client_for(involved)

    def post(**fields):
        data = {"reason": "needs_met", f"need_{housing.pk}": "achieved"}
        data.update({key.replace("NEED", f"need_{housing.pk}"): v for key, v in fields.items()})
        return client.post(f"/cases/{episode.pk}/close/", data)

    return post


def test_an_achieved_need_needs_its_evidence_and_date(closing, housing, episode):
    response = closing()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"need_{housing.pk}_evidence_type": ["Choose what shows the outcome of 'Housing'"],
        f"need_{housing.pk}_evidence": ["Describe the evidence for 'Housing'"],
        f"need_{housing.pk}_date": ["Enter the date of the outcome of 'Housing'"],
    }
    assert b"govuk-error-summary" in response.content
    episode.refresh_from_db()
    assert episode.status == Status.PLAN


def test_the_date_cannot_be_in_the_future(closing, housing):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = closing(
        NEED_evidence_type="tenancy", NEED_evidence="Tenancy kept.", **_date("NEED_date", tomorrow)
    )
    assert response.context["form"].errors == {
        f"need_{housing.pk}_date": [
            "The date of the outcome of 'Housing' must be today or in the past"
        ]
    }


def test_the_date_cannot_be_before_the_need_was_recorded(closing, housing):
    EpisodeNeed.objects.filter(pk=housing.pk).update(
        recorded_at=timezone.make_aware(datetime.datetime(2026, 2, 10, 12))
    )
    response = closing(
        NEED_evidence_type="tenancy",
        NEED_evidence="Tenancy kept.",
        **_date("NEED_date", datetime.date(2026, 2, 9)),
    )
    assert response.context["form"].errors == {
        f"need_{housing.pk}_date": [
            "The date of the outcome of 'Housing' must be on or after 10 February 2026"
        ]
    }


def test_a_date_that_is_not_real_is_explained(closing, housing):
    response = closing(
        NEED_evidence_type="tenancy",
        NEED_evidence="Tenancy kept.",
        **{"NEED_date-day": "31", "NEED_date-month": "2", "NEED_date-year": "2026"},
    )
    assert response.context["form"].errors == {
        f"need_{housing.pk}_date": ["Date of the outcome must be a real date"]
    }


def test_an_unknown_kind_of_evidence_is_refused(closing, housing):
    response = closing(
        NEED_evidence_type="rumour",
        NEED_evidence="Tenancy kept.",
        **_date("NEED_date", timezone.localdate()),
    )
    assert response.context["form"].errors == {
        f"need_{housing.pk}_evidence_type": ["Choose the evidence from the list"]
    }


def test_closing_records_the_evidence(closing, housing, episode):
    today = timezone.localdate()
    response = closing(
        NEED_evidence_type="tenancy",
        NEED_evidence="Tenancy kept; arrears cleared.",
        **_date("NEED_date", today),
    )
    assert response.status_code == 302
    housing.refresh_from_db()
    assert (housing.outcome, housing.evidence_type, housing.evidence, housing.outcome_on) == (
        "achieved",
        "tenancy",
        "Tenancy kept; arrears cleared.",
        today,
    )
    episode.refresh_from_db()
    assert episode.status == Status.CLOSED


def test_a_need_not_met_may_close_without_evidence(client_for, involved, episode, housing):
    move_to_plan(involved, episode, involved)
    response = client_for(involved).post(
        f"/cases/{episode.pk}/close/",
        {"reason": "disengaged", f"need_{housing.pk}": "not_achieved"},
    )
    assert response.status_code == 302
    housing.refresh_from_db()
    assert (housing.outcome, housing.evidence, housing.outcome_on) == ("not_achieved", "", None)
