"""The scheduled work of oversight: the daily drift evaluation, the summary
emails (daily, weekly or never; counts and references only; never twice a
day) and the scan of changed people for possible duplicates."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import DigestFrequency
from audit.models import Action
from audit.services import record
from episodes.models import Episode, Status
from matching.models import PossibleDuplicate
from matching.tasks import changed_people
from oversight import digest
from oversight.models import Alert, EvaluationRun
from tests.factories import PersonFactory


@pytest.fixture
def late(episode):
    """A request with no consent for three weeks: "no consent recorded"."""
    Episode.objects.filter(pk=episode.pk).update(
        status=Status.REQUESTED, requested_at=timezone.now() - datetime.timedelta(days=21)
    )
    return episode


def summaries(to):
    return [m for m in mail.outbox if to in m.to and "summary" in m.subject]


def test_run_scheduled_evaluates_and_sends_each_summary_once_a_day(
    la, eho, late, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduled")

    assert EvaluationRun.objects.filter(local_authority=la).count() == 1
    assert Alert.objects.get().rule == "no_consent"
    (message,) = summaries(eho.email)
    assert late.reference in message.body and "No consent recorded: 1" in message.body
    assert "/worklist/" in message.body
    assert late.family.name not in message.body  # references only, no family details


def test_the_summary_follows_each_persons_choice(la, eho, manager, late):
    eho.digest = DigestFrequency.NONE
    eho.save()
    manager.digest = DigestFrequency.WEEKLY
    manager.save()
    from oversight.evaluation import evaluate

    tuesday = datetime.date(2026, 3, 3)
    evaluate(la, tuesday)
    on_tuesday = digest.recipients(la, tuesday)
    assert eho not in on_tuesday and manager not in on_tuesday
    on_monday = digest.recipients(la, datetime.date(2026, 3, 9))
    assert manager in on_monday and eho not in on_monday


def test_nothing_to_say_sends_nothing(la, eho, episode):
    assert digest.send_digests(la) == 0


def test_an_acknowledged_alert_is_left_out_until_its_date(la, eho, late):
    from oversight.evaluation import evaluate

    today = timezone.localdate()
    evaluate(la, today)
    Alert.objects.update(acknowledged_until=today + datetime.timedelta(days=3))

    assert digest.digest_for(eho, today).empty


def test_the_summary_choice_is_made_on_your_account_page(client_for, eho):
    response = client_for(eho).post("/accounts/your-account/", {"digest": "weekly"})

    assert response.status_code == 302
    eho.refresh_from_db()
    assert eho.digest == DigestFrequency.WEEKLY
    refused = client_for(eho).post("/accounts/your-account/", {"digest": "hourly"})
    assert "Select a valid choice" in refused.content.decode()


def test_the_scan_finds_people_recorded_or_imported_in_the_last_day(la, eho):
    first = PersonFactory(
        local_authority=la, first_name="Rowan", last_name="Example", nhs_number=""
    )
    second = PersonFactory(
        local_authority=la, first_name="Rowan", last_name="Example", nhs_number=""
    )
    old = PersonFactory(local_authority=la, first_name="Old", last_name="Record")
    record(Action.CREATE, obj=second, local_authority=la, actor_label="test")
    record(
        Action.CREATE,
        local_authority=la,
        actor_label="test",
        reason="import_people",
        changes={"person_ids": [first.pk]},
    )

    assert changed_people(la, timezone.now() - datetime.timedelta(hours=1)) == {
        first.pk,
        second.pk,
    }
    assert old.pk not in changed_people(la, timezone.now() - datetime.timedelta(hours=1))

    from matching.tasks import scan_changed_people

    scan_changed_people.call()
    pair = PossibleDuplicate.objects.get()
    assert {pair.first_id, pair.second_id} == {first.pk, second.pk}
