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
