"""The service's own bookkeeping (no case data)."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One scheduled job queued for one period (a day, for most jobs): the
    unique pair is what makes `earlyhelp run_scheduled` safe to run again."""

    job = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="one_run_per_period")
        ]

    def __str__(self):
        return f"{self.job} for {self.period_start:%Y-%m-%d %H:%M}"
