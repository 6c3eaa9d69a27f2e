"""Scheduled work: `earlyhelp run_scheduled`, run by cron, a systemd timer or
a Kubernetes CronJob (docs/PRODUCTION.md), queues each job that is due, at
most once in its period (a day, unless the job says otherwise), whoever runs
the command and however often. A job is a task that takes no arguments; adding
one is one line in `JOBS`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task, TaskResult

from api import tasks as api_tasks
from audit import tasks as audit_tasks
from families import tasks as family_tasks
from matching import tasks as matching_tasks
from notifications import outbox
from notifications import tasks as notification_tasks
from outcomes import tasks as outcome_tasks
from oversight import tasks as oversight_tasks
from performance import tasks as performance_tasks
from performance.figures import REFRESH_EVERY as PERFORMANCE_EVERY
from privacy import tasks as privacy_tasks
from privacy.due_counts import COUNT_EVERY as RETENTION_COUNT_EVERY
from webhooks import tasks as webhook_tasks

from .models import ScheduledRun

DAY = timedelta(days=1)
# Long enough to see what ran lately; the sweep alone adds 288 rows a day.
RUNS_KEPT_FOR = timedelta(days=14)


@dataclass(frozen=True)
class Job:
    name: str
    task: Task[[], Any]
    every: timedelta = DAY


JOBS = [
    Job("audit_checkpoint", audit_tasks.write_audit_checkpoint),
    # Retries wait minutes, not days: where the task queue cannot defer a
    # retry (the immediate backend), this sweep is what sends it.
    Job("retry_emails", notification_tasks.retry_emails, every=timedelta(minutes=5)),
    Job("evaluate_drift", oversight_tasks.evaluate_drift),
    Job("send_digests", oversight_tasks.send_digests),
    Job("scan_changed_people", matching_tasks.scan_changed_people),
    Job("remind_retention", privacy_tasks.remind_retention),
    # Six months after closure, whether each achieved outcome lasted (once per need).
    Job("ask_sustainment", outcome_tasks.ask_sustainment),
    # A family's own request closed without a case, a year after closing.
    Job("expire_family_requests", family_tasks.expire_family_requests),
    # Webhook deliveries waiting for their next attempt (as for emails, above).
    Job("retry_webhooks", webhook_tasks.retry_webhooks, every=timedelta(minutes=5)),
    # Partner API records kept for a time only (docs/API.md).
    Job("prune_idempotency_keys", api_tasks.prune_idempotency_keys),
    Job("prune_webhook_deliveries", webhook_tasks.prune_webhook_deliveries),
    # The performance page's figures, too slow to work out for each view.
    Job(
        "refresh_performance_figures",
        performance_tasks.refresh_performance_figures,
        every=PERFORMANCE_EVERY,
    ),
    # The retention settings page's count of families due (as for the figures).
    Job("count_families_due", privacy_tasks.count_families_due, every=RETENTION_COUNT_EVERY),
]


def period_start(job: Job, now: datetime) -> datetime:
    """The start of the period `now` falls in: local midnight for a daily job."""
    local = timezone.localtime(now)
    if job.every >= DAY:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    periods = (local - midnight) // job.every
    return midnight + periods * job.every


@dataclass
class Queued:
    job: Job
    result: TaskResult


def run_due(now: datetime | None = None, jobs: list[Job] | None = None) -> list[Queued]:
    """Queue every job not yet queued in its current period; returns those queued.
    A job whose task failed at once (the immediate backend) may run again."""
    now = now or timezone.now()
    ScheduledRun.objects.filter(period_start__lt=now - RUNS_KEPT_FOR).delete()
    queued = []
    for job in JOBS if jobs is None else jobs:
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, period_start=period_start(job, now))
        except IntegrityError:
            continue  # already queued in this period
        result = job.task.enqueue()
        if result.status == TaskResultStatus.FAILED:
            run.delete()
        else:
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
        queued.append(Queued(job, result))
    return queued


def wait(queued: list[Queued], *, started: datetime, timeout: float, poll: float = 1.0) -> bool:
    """Until the jobs queued have finished and the emails created since
    `started` have had their first attempt; False if `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    for item in queued:
        while not item.result.is_finished:
            if time.monotonic() > deadline:
                return False
            time.sleep(poll)
            item.result.refresh()
        if item.result.status == TaskResultStatus.FAILED:
            # Let the next run try it again this period.
            ScheduledRun.objects.filter(task_result_id=str(item.result.id)).delete()
    while outbox.due().filter(created_at__gte=started).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True
