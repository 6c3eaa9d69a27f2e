"""Six months after closure the lead professional is asked, once, whether each
achieved outcome lasted (the scheduled job), and records the answer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from core import scheduled
from episodes.models import ClosureReason, EpisodeNeed, NeedOutcome, Status
from episodes.work_owed import work_owed_by
from notifications.models import OutgoingEmail
from outcomes import services, tasks
from outcomes.evidence import Evidence
from outcomes.models import SustainmentCheck
from tests.factories import EpisodeFactory
from tests.outcomes.families import aware

CLOSED_ON = datetime.date(2026, 3, 31)


@pytest.fixture
def closed(la, district, school, involved):
    episode = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        lead_professional=involved,
        status=Status.CLOSED,
        closure_reason=ClosureReason.NEEDS_MET,
        closed_at=aware(CLOSED_ON),
    )
    EpisodeNeed.objects.create(episode=episode, need="housing", outcome=NeedOutcome.ACHIEVED)
    EpisodeNeed.objects.create(episode=episode, need="attendance", outcome=NeedOutcome.ACHIEVED)
    EpisodeNeed.objects.create(episode=episode, need="money", outcome=NeedOutcome.PARTLY)
    return episode


def test_six_months_is_the_same_day_or_the_months_last_day():
    assert services.check_due_on(datetime.date(2026, 3, 31)) == datetime.date(2026, 9, 30)
    assert services.check_due_on(datetime.date(2026, 8, 31)) == datetime.date(2027, 2, 28)
    assert services.check_due_on(datetime.date(2026, 1, 15)) == datetime.date(2026, 7, 15)


def test_not_asked_at_five_months_29_days_and_asked_once_at_six(
    la, closed, involved, django_capture_on_commit_callbacks
):
    five_months_29_days = datetime.date(2026, 9, 29)
    assert services.ask_due(la, five_months_29_days).checks == 0
    assert SustainmentCheck.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        asked = services.ask_due(la, datetime.date(2026, 9, 30))
    assert (asked.checks, asked.people) == (2, 1)
    assert sorted(SustainmentCheck.objects.values_list("need__need", "asked", "due_on")) == [
        ("attendance", involved.pk, datetime.date(2026, 9, 30)),
        ("housing", involved.pk, datetime.date(2026, 9, 30)),
    ]
    # Never twice: the next day, and the day after.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ask_due(la, datetime.date(2026, 10, 1)).checks == 0
        assert services.ask_due(la, datetime.date(2026, 10, 2)).checks == 0
    assert SustainmentCheck.objects.count() == 2
    emails = list(OutgoingEmail.objects.values_list("recipients", "subject"))
    assert emails == [
        (
            [involved.email],
            "Early Help: Six months on: say whether the outcomes achieved when the case "
            "closed have lasted",
        )
    ]


def test_the_scheduled_job_asks_through_django_tasks_once(la, closed, settings):
    assert "ask_sustainment" in {job.name for job in scheduled.JOBS}
    job = next(job for job in scheduled.JOBS if job.name == "ask_sustainment")
    with freeze_time("2026-09-29 10:00"):
        assert tasks.ask_sustainment.call() == {la.slug: 0}
    with freeze_time("2026-09-30 10:00"):
        queued = scheduled.run_due(timezone.now(), jobs=[job])
        assert [q.job.name for q in queued] == ["ask_sustainment"]
        assert queued[0].result.return_value == {la.slug: 2}
        # Run again the same day: not queued; the next day: queued, asks nobody.
        assert scheduled.run_due(timezone.now(), jobs=[job]) == []
    with freeze_time("2026-10-01 10:00"):
        assert scheduled.run_due(timezone.now(), jobs=[job])[0].result.return_value == {la.slug: 0}
    assert SustainmentCheck.objects.count() == 2


def test_the_districts_officer_is_asked_when_the_lead_has_left(la, closed, involved, eho):
    involved.is_active = False
    involved.save()
    services.ask_due(la, datetime.date(2026, 10, 1))
    assert set(SustainmentCheck.objects.values_list("asked", flat=True)) == {eho.pk}


def test_the_lead_professional_owes_the_check_and_records_it(la, closed, involved, manager):
    services.ask_due(la, datetime.date(2026, 10, 1))
    owed = work_owed_by(involved)
    assert [(str(item.what), item.case.pk, item.link) for item in owed] == [
        (
            "Say whether the outcomes achieved have lasted",
            closed.pk,
            f"/outcomes/checks/{closed.pk}/",
        )
    ]
    checks = list(SustainmentCheck.objects.order_by("pk"))
    today = timezone.localdate()
    services.record_sustainment(
        involved,
        closed,
        {
            checks[0].pk: services.Answer(True, Evidence("tenancy", "Still housed.", today)),
            checks[1].pk: services.Answer(False, Evidence("attendance", "Down to 80%.", today)),
        },
    )
    assert list(SustainmentCheck.objects.order_by("pk").values_list("sustained", "evidence")) == [
        (True, "Still housed."),
        (False, "Down to 80%."),
    ]
    assert work_owed_by(involved) == []


def test_an_answer_needs_evidence_and_a_date_after_closure(la, closed, involved):
    services.ask_due(la, datetime.date(2026, 10, 1))
    check = SustainmentCheck.objects.order_by("pk").first()
    with pytest.raises(ValidationError) as refused:
        services.record_sustainment(
            involved,
            closed,
            {check.pk: services.Answer(True, Evidence("", "", datetime.date(2026, 3, 1)))},
        )
    assert refused.value.message_dict == {
        f"check_{check.pk}_evidence_type": ["Choose what shows the outcome of 'Housing'"],
        f"check_{check.pk}_evidence": ["Describe the evidence for 'Housing'"],
        f"check_{check.pk}_date": [
            "The date of the outcome of 'Housing' must be on or after 31 March 2026"
        ],
    }


def test_someone_not_asked_cannot_answer(la, closed, other_org):
    services.ask_due(la, datetime.date(2026, 10, 1))
    check = SustainmentCheck.objects.first()
    with pytest.raises(PermissionDenied):
        services.record_sustainment(
            other_org,
            closed,
            {check.pk: services.Answer(True, Evidence("tenancy", "x", timezone.localdate()))},
        )
