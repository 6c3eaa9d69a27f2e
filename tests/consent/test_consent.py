from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent.models import Consent
from consent.services import record_consent, record_refusal_judgement, withdraw_consent
from episodes.models import ClosureReason, Status
from notifications.models import Notification
from tests.journey import add_parent


def post(client, episode, person, **extra):
    data = {
        "person": person.pk,
        "purpose": "assessment",
        "decision": "yes",
        "method": "in_person",
        "given_on-day": "2",
        "given_on-month": "11",
        "given_on-year": "2026",
    }
    data.update(extra)
    return client.post(f"/cases/{episode.pk}/consent/", data)


def test_a_parents_consent_to_the_assessment_starts_it(client_for, involved, episode):
    parent = add_parent(episode)
    response = post(client_for(involved), episode, parent)

    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.status, episode.consent_given_at is not None) == (Status.ASSESSMENT, True)
    consent = Consent.objects.get()
    assert (consent.person, consent.given, consent.given_on, consent.recorded_by) == (
        parent,
        True,
        date(2026, 11, 2),
        involved,
    )
    assert list(Notification.objects.values_list("user", "message")) == [
        (involved.pk, "Your request for early help has been taken up")
    ]


def test_a_childs_own_consent_is_recorded_but_does_not_start_the_assessment(
    client_for, involved, episode, child
):
    post(client_for(involved), episode, child)
    episode.refresh_from_db()
    assert (episode.status, Consent.objects.count()) == (Status.REQUESTED, 1)


def test_sharing_consent_is_one_row_per_named_organisation(
    client_for, involved, episode, school, clinic
):
    parent = add_parent(episode)
    post(
        client_for(involved),
        episode,
        parent,
        purpose="sharing",
        organisations=[school.pk, clinic.pk],
    )
    assert sorted(Consent.objects.values_list("organisation__name", flat=True)) == [
        "Testshire Clinic",
        "Testshire Primary",
    ]


def test_sharing_without_an_organisation_is_explained(client_for, involved, episode):
    parent = add_parent(episode)
    response = post(client_for(involved), episode, parent, purpose="sharing")
    assert response.context["form"].errors["organisations"] == [
        "Choose each organisation the information may be shared with"
    ]
    assert Consent.objects.count() == 0


def test_refusal_leads_to_the_judgement_and_no_escalation_closes_with_advice(
    client_for, involved, episode
):
    parent = add_parent(episode)
    client = client_for(involved)
    response = post(client, episode, parent, decision="no")
    assert response["Location"] == f"/cases/{episode.pk}/consent/judgement/"

    missing = client.post(response["Location"], {"escalates": "no", "reasoning": "Needs are low"})
    assert missing.context["form"].errors == {"advice": ["Record the advice given to the family"]}
    client.post(
        response["Location"],
        {
            "escalates": "no",
            "reasoning": "Needs are low",
            "advice": "Told about the children's centre drop-in.",
        },
    )
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason, episode.consent_refusal_escalates) == (
        Status.CLOSED,
        ClosureReason.CONSENT_DECLINED,
        False,
    )
    assert episode.closure_advice == "Told about the children's centre drop-in."


def test_refusal_judged_to_escalate_goes_straight_to_the_referral(client_for, involved, episode):
    parent = add_parent(episode)
    client = client_for(involved)
    post(client, episode, parent, decision="no")
    response = client.post(
        f"/cases/{episode.pk}/consent/judgement/",
        {"escalates": "yes", "reasoning": "Bruising seen twice"},
    )
    assert response["Location"] == f"/cases/{episode.pk}/referrals/step-up/"
    episode.refresh_from_db()
    assert (episode.status, episode.consent_refusal_escalates) == (Status.REQUESTED, True)


def test_a_judgement_without_a_refusal_is_refused(involved, episode):
    with pytest.raises(ValidationError) as error:
        record_refusal_judgement(involved, episode, escalates=False, reasoning="x", advice="y")
    assert error.value.messages == ["There is no refused consent to judge on this request"]


def test_withdrawal_is_stamped_and_cannot_happen_twice(involved, episode, school):
    parent = add_parent(episode)
    [consent] = record_consent(
        involved,
        episode,
        person=parent,
        purpose="sharing",
        given=True,
        method="phone",
        given_on=date(2026, 11, 2),
        organisations=[school],
    )
    withdraw_consent(involved, consent, note="Phoned to withdraw")
    consent.refresh_from_db()
    assert (consent.is_current, consent.withdrawn_by, consent.withdrawal_note) == (
        False,
        involved,
        "Phoned to withdraw",
    )
    with pytest.raises(ValidationError):
        withdraw_consent(involved, consent)


@pytest.mark.parametrize(
    ("given_on", "message"),
    [
        ({"given_on-day": "9" * 30}, "Date of the decision must be a real date"),
        ({"given_on-month": "٣"}, "Date of the decision must be a real date, written in numbers"),
        ({"given_on-year": "1999"}, "range"),
    ],
)
def test_an_impossible_consent_date_is_explained(client_for, involved, episode, given_on, message):
    if message == "range":
        year = timezone.localdate().year
        message = (
            f"Date of the decision must be between 1 January {year - 5} and 31 December {year + 5}"
        )
    response = post(client_for(involved), episode, add_parent(episode), **given_on)

    assert (response.status_code, response.context["form"].errors["given_on"]) == (200, [message])
    assert Consent.objects.count() == 0


def test_a_future_date_is_refused(involved, episode):
    parent = add_parent(episode)
    with pytest.raises(ValidationError) as error:
        record_consent(
            involved,
            episode,
            person=parent,
            purpose="assessment",
            given=True,
            method="phone",
            given_on=date(2099, 1, 1),
        )
    assert error.value.message_dict == {
        "given_on": ["The date consent was given must be today or in the past"]
    }


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager", "la_admin"])
def test_consent_pages_are_404_to_those_not_involved(request, client_for, episode, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/cases/{episode.pk}/consent/").status_code == 404
