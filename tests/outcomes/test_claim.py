import datetime

import pytest

from assessments.models import Assessment
from outcomes.claim import RULES, claim_report, families_worked_with, rules_failed
from tests.factories import EpisodeFactory
from tests.outcomes.families import CHECKED_ON, aware, family


def _names(person):
    return person.full_name


def _report(la, start=datetime.date(2026, 9, 1), end=datetime.date(2026, 9, 30)):
    return claim_report(la, start, end, name_of=_names)


def test_a_family_meeting_every_rule_is_claimed_with_its_evidence(la, district, school, involved):
    episode = family(la, district, school, involved)
    report = _report(la)
    assert [claim.reference for claim in report.families] == [episode.reference]
    claim = report.families[0]
    assert (claim.claimed_on, claim.plan_version, claim.closed_on) == (
        CHECKED_ON,
        1,
        datetime.date(2026, 3, 2),
    )
    assert [str(label) for label in claim.headline_outcomes] == [
        "Getting a good education",
        "Improved mental and physical health",
        "Secure housing",
    ]
    assert [(str(n.need), n.evidence, n.sustained_evidence) for n in claim.needs] == [
        ("Education and school attendance", "Attendance 97% this term.", "Still in the tenancy."),
        ("Adult mental health", "Attendance 97% this term.", "Still in the tenancy."),
        ("Housing", "Attendance 97% this term.", "Still in the tenancy."),
    ]


@pytest.mark.parametrize("rule", list(RULES))
def test_a_family_failing_exactly_one_rule_is_not_claimed(rule, la, district, school, involved):
    episode = family(la, district, school, involved, breaks=rule)
    assert rules_failed(episode) == [rule]
    assert _report(la).families == []


def test_every_rule_is_met_by_the_complete_family(la, district, school, involved):
    assert rules_failed(family(la, district, school, involved)) == []


def test_a_family_is_claimed_in_the_period_its_last_check_was_recorded(
    la, district, school, involved
):
    family(la, district, school, involved)
    assert _report(la, datetime.date(2026, 8, 1), datetime.date(2026, 9, 9)).families == []
    assert len(_report(la, datetime.date(2026, 9, 10), datetime.date(2026, 9, 10)).families) == 1


def test_another_councils_families_are_not_claimed(la, other_la, district, school, involved):
    family(la, district, school, involved)
    assert _report(other_la).families == []


def test_families_worked_with_counts_each_family_once(la, district, school, involved):
    first = family(la, district, school, involved, name="Onefamily")
    family(la, district, school, involved, breaks="needs_met", name="Twofamily")
    # Closed before the period: not worked with in it.
    assert families_worked_with(la, datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)) == 0
    assert families_worked_with(la, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) == 2
    # The first family's second case, open, and a family not yet assessed.
    again = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        family=first.family,
    )
    Assessment.objects.create(
        episode=again,
        started_by=involved,
        updated_by=involved,
        started_at=aware(datetime.date(2026, 6, 1)),
    )
    EpisodeFactory(
        local_authority=la, district=district, requesting_organisation=school, requested_by=involved
    )
    assert families_worked_with(la, datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)) == 2


def _queries(la):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = _report(la)
    return len(report.families), len(queries)


def test_the_claim_takes_as_many_queries_for_three_families_as_for_one(
    la, district, school, involved
):
    family(la, district, school, involved, name="Onefamily")
    one = _queries(la)
    family(la, district, school, involved, name="Twofamily")
    family(la, district, school, involved, name="Threefamily")
    three = _queries(la)
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]
