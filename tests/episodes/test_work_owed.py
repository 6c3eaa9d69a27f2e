"""A manager's home counts and sorts the council's children's social care
decisions owed in the database, and shows the same as working out each
case's next step would."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from episodes.models import Status
from episodes.work_owed import work_owed_summary
from tests.factories import EpisodeFactory


def stepped_up_days_ago(la, district, school, involved, days):
    """A stepped-up case, stepped up at noon `days` days ago (None: no date)."""
    stepped_up_at = None
    if days is not None:
        day = timezone.localdate() - timedelta(days=days)
        stepped_up_at = timezone.make_aware(datetime.combine(day, time(12)))
    return EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        status=Status.STEPPED_UP,
        stepped_up_at=stepped_up_at,
    )


def summary(user, limit):
    result = work_owed_summary(user, limit=limit)
    return (
        [(item.what, item.case.pk if item.case else None, item.due) for item in result.items],
        result.total,
        result.overdue,
    )


# A Wednesday (a decision due today is not yet overdue) and a Sunday.
@pytest.mark.parametrize("today", ["2026-12-02 10:00", "2026-12-06 10:00"])
@pytest.mark.parametrize("limit", [1, 3, 6, 20])
def test_the_manager_sees_the_same_decisions_as_each_case_would_say(
    la, district, school, involved, manager, limit, today
):
    with freeze_time(today):
        check_decisions(la, district, school, involved, manager, limit)


def check_decisions(la, district, school, involved, manager, limit):
    # Overdue, due today or later, over weekends, and one with no date.
    for days in (30, 9, 8, 5, 4, 3, 2, 1, 0, None):
        stepped_up_days_ago(la, district, school, involved, days)
    # Work of another kind owed by the manager, sorted among the decisions.
    EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        source="step_down",
        lead_professional_due_by=timezone.localdate() - timedelta(days=6),
    )
    items, total, overdue = summary(manager, limit)
    every, every_total, every_overdue = summary(manager, None)  # each case's next step
    assert (total, overdue) == (every_total, every_overdue) == (11, every_overdue)
    assert overdue > 0
    assert [due for _what, _case, due in items] == [due for _what, _case, due in every[:limit]]
    assert set(items) <= set(every)


def test_my_cases_rows_say_what_the_cases_themselves_say(la, district, eho, manager, involved):
    """The home page's "My cases" reads its cases as rows (MyCase): each row's
    reference, family, lead and whom its next step is owed by are what the
    case itself gives, whoever owes it (the lead, whoever asked, the
    district's officer, nobody)."""
    from episodes.progress import next_step
    from episodes.work_owed import MyCase, council_districts, listed_cases
    from tests.factories import DistrictFactory, UserFactory

    no_officer = DistrictFactory(local_authority=la)
    emailed_only = UserFactory(local_authority=la, full_name="")
    cases = [
        EpisodeFactory(local_authority=la, district=district, requested_by=involved),
        EpisodeFactory(local_authority=la, district=district, requested_by=emailed_only),
        EpisodeFactory(
            local_authority=la,
            district=district,
            status=Status.PLAN,
            lead_professional=involved,
            plan_agreed_at=timezone.now() - timedelta(weeks=9),
        ),
        EpisodeFactory(
            local_authority=la, district=district, status=Status.STEPPED_UP, requested_by=None
        ),
        EpisodeFactory(
            local_authority=la, district=no_officer, status=Status.STEPPED_UP, requested_by=None
        ),
        EpisodeFactory(local_authority=la, district=no_officer, requested_by=None),
    ]
    rows = listed_cases([case.pk for case in cases], manager, council_districts(manager), MyCase)

    assert [row.pk for row in rows] == [case.pk for case in cases]
    owners = []
    for row, case in zip(rows, cases, strict=True):
        step, expected = next_step(row), next_step(case)
        owner = expected.owner
        owners.append(row.owner_name(step))
        assert (row.reference, row.family_name, row.lead_name) == (
            case.reference,
            case.family.name,
            str(case.lead_professional) if case.lead_professional else None,
        )
        assert (step.what, step.due, row.owner_name(step)) == (
            expected.what,
            expected.due,
            str(owner) if owner is not None else None,
        )
    # Every kind of owner was met: whoever asked (by name, by email), the
    # lead, the district's officer, and nobody.
    assert owners == [str(involved), emailed_only.email, str(involved), str(eho), None, None]
