"""`earlyhelp run_scheduled`: each job at most once in its period."""

import json
from datetime import timedelta

from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from core import scheduled
from core.models import ScheduledRun
from notifications import outbox
from notifications.models import OutgoingEmail

REFUSING = "tests.notifications.refusing_backend.RefusingBackend"
ALL_JOBS = {
    "audit_checkpoint",
    "retry_emails",
    "evaluate_drift",
    "send_digests",
    "scan_changed_people",
    "remind_retention",
    "ask_sustainment",
    "expire_family_requests",
    "retry_webhooks",
    "prune_idempotency_keys",
    "prune_webhook_deliveries",
    "refresh_performance_figures",
    "count_families_due",
}


def checkpoint_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def waiting_email(la, settings, capture):
    """An email whose first attempt failed, due again at once."""
    settings.EMAIL_BACKEND = REFUSING
    settings.EMAIL_RETRY_SECONDS = 0
    with capture(execute=True):
        email = outbox.send_later(
            EmailMessage("Early Help: retry me", "Sign in.\n", None, ["a@test.example"]),
            council=la,
        )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email.refresh_from_db()
    return email


def test_running_it_twice_runs_each_job_and_sends_each_email_once(
    la, settings, checkpoints, capsys, django_capture_on_commit_callbacks
):
    email = waiting_email(la, settings, django_capture_on_commit_callbacks)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    now = timezone.now()
    assert {q.job.name for q in scheduled.run_due(now)} == ALL_JOBS
    assert {q.job.name for q in scheduled.run_due(now)} == set()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Early Help: retry me"]
    assert len(checkpoint_lines(checkpoints)) == 1
    assert ScheduledRun.objects.count() == len(ALL_JOBS)


def test_the_command_waits_and_reports_each_job(la, checkpoints, capsys):
    call_command("run_scheduled", "--wait")
    out = capsys.readouterr().out
    assert "audit_checkpoint: successful" in out
    assert "retry_emails: successful" in out
    call_command("run_scheduled", "--wait")
    assert capsys.readouterr().out == "nothing due\n"
    assert len(checkpoint_lines(checkpoints)) == 1


def test_a_daily_job_runs_again_the_next_day_the_sweep_every_five_minutes_and_more(la):
    # Ten in the morning, so five minutes on is not the next hour.
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    scheduled.run_due(now)
    assert [q.job.name for q in scheduled.run_due(now + timedelta(minutes=5))] == [
        "retry_emails",
        "retry_webhooks",
    ]
    assert [q.job.name for q in scheduled.run_due(now + timedelta(hours=1))] == [
        "retry_emails",
        "retry_webhooks",
        "refresh_performance_figures",
        "count_families_due",
    ]
    assert {q.job.name for q in scheduled.run_due(now + timedelta(days=1))} == ALL_JOBS
    # The record of old runs is not kept for ever.
    scheduled.run_due(now + timedelta(days=20))
    assert ScheduledRun.objects.filter(period_start__lt=now + timedelta(days=19)).count() == 0


def test_a_job_that_failed_is_tried_again_by_the_next_run(la, settings):
    settings.AUDIT_CHECKPOINT_KEY = ""  # the checkpoint cannot be signed
    now = timezone.now()
    [failed] = [q for q in scheduled.run_due(now) if q.job.name == "audit_checkpoint"]
    assert failed.result.status == "FAILED"
    assert [q.job.name for q in scheduled.run_due(now)] == ["audit_checkpoint"]


def test_with_the_database_queue_wait_returns_when_the_worker_has_sent_the_emails(
    transactional_db, la, settings, checkpoints
):
    """The worker closes its database connection, so this test commits for real."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    started = timezone.now()
    outbox.send_later(
        EmailMessage("Early Help: queued", "Sign in.\n", None, ["a@test.example"]), council=la
    )
    queued = scheduled.run_due(started)
    assert not scheduled.wait(queued, started=started, timeout=0, poll=0)
    call_command("db_worker", batch=True, verbosity=0)
    assert scheduled.wait(queued, started=started, timeout=5, poll=0.1)
    assert [m.subject for m in mail.outbox] == ["Early Help: queued"]
    assert len(checkpoint_lines(checkpoints)) == 1
