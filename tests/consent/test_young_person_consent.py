"""A young person of 16 or 17 (up to the council's upper age with SEND)
consents to their own assessment, and that consent starts it; a younger
child's agreement is recorded but waits for a parent's."""

from datetime import date

import pytest

from consent.models import Consent
from consent.services import consents_for_themselves, record_consent
from episodes.models import Status

GIVEN_ON = date(2026, 11, 2)


def _born_years_before(years, day=GIVEN_ON):
    return date(day.year - years, day.month, day.day)


def _consent(actor, episode, person):
    return record_consent(
        actor,
        episode,
        person=person,
        purpose="assessment",
        given=True,
        method="in_person",
        given_on=GIVEN_ON,
    )


@pytest.mark.parametrize(
    ("age", "has_send", "starts"),
    [
        (15, False, False),
        (16, False, True),
        (17, False, True),
        (15, True, False),
        (20, True, True),
        (24, True, True),
    ],
)
def test_who_consents_for_themselves(involved, episode, child, age, has_send, starts):
    child.date_of_birth = _born_years_before(age)
    child.has_send = has_send
    child.save()
    assert consents_for_themselves(child, episode, GIVEN_ON) is starts
    _consent(involved, episode, child)
    episode.refresh_from_db()
    assert episode.status == (Status.ASSESSMENT if starts else Status.REQUESTED)
    assert Consent.objects.get().person == child


def test_the_councils_upper_age_ends_it(involved, episode, child):
    council = episode.local_authority
    council.upper_age, council.upper_age_send = 18, 25
    council.save()
    child.date_of_birth = _born_years_before(18)
    child.save()
    assert not consents_for_themselves(child, episode, GIVEN_ON)
    child.has_send = True
    assert consents_for_themselves(child, episode, GIVEN_ON)
    child.date_of_birth = _born_years_before(25)
    assert not consents_for_themselves(child, episode, GIVEN_ON)


def test_the_age_is_on_the_day_consent_was_given(involved, episode, child):
    # Sixteen the day after: not yet old enough on the day it was given.
    child.date_of_birth = date(2010, 11, 3)
    child.save()
    _consent(involved, episode, child)
    episode.refresh_from_db()
    assert episode.status == Status.REQUESTED
