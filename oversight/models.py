"""Drift and delay: each council's timescales, and the alerts the daily
evaluation (oversight.evaluation) keeps for cases that have gone past one."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, LocalAuthority, User
from core.council_records import CouncilManager
from episodes.models import Episode


def _days(label, default, *, most=365, help_text=""):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(most)],
        help_text=help_text,
    )


class Timescales(models.Model):
    """A council's thresholds for the drift rules (oversight.rules), set on
    its settings page. The review interval and the step-down timescale are
    the council's own settings (LocalAuthority) and are not repeated here."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="timescales"
    )
    consent_days = _days(_("Days from a request to consent being recorded"), 10)
    assessment_start_days = _days(_("Days from consent to the assessment being started"), 10)
    assessment_complete_days = _days(_("Days from a request to the assessment being completed"), 45)
    meeting_days = _days(_("Days from a completed assessment to the first meeting"), 20)
    no_activity_days = _days(_("Days with no recorded activity on an open case"), 28)
    open_months = _days(_("Months a case may stay open"), 12, most=60)
    override_review_working_days = _days(
        _("Working days to review sharing without consent"), 2, most=20
    )
    csc_decision_working_days = _days(
        _("Working days for children's social care's decision to be recorded"), 1, most=20
    )

    # Limited to the council served (core/council_records.py): its saves too.
    objects = CouncilManager()

    class Meta:
        verbose_name_plural = "timescales"

    def __str__(self):
        return f"Timescales of {self.local_authority}"


class Alert(models.Model):
    """One rule that a case (or a police notification) has gone past. Kept
    while it stays true; resolved when it stops being true; an acknowledged
    alert is hidden until its new date, and comes back then if still true."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="alerts"
    )
    rule = models.CharField(max_length=40)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What in the case it is about, when a rule can fire more than once on a
    # case: "action:12", "police:4". Blank for the case itself.
    subject = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=200, blank=True)  # never what the family said
    due_since = models.DateField()
    first_seen = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    acknowledged_until = models.DateField(null=True, blank=True)
    acknowledgement_note = models.CharField(max_length=500, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_chased_at = models.DateTimeField(null=True, blank=True)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["due_since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "episode", "subject"],
                condition=models.Q(resolved_on__isnull=True),
                name="one_open_alert_per_rule_and_subject",
            )
        ]
        indexes = [
            models.Index(
                fields=["local_authority", "district", "rule"],
                condition=models.Q(resolved_on__isnull=True),
                name="open_alerts_by_district",
            ),
            # The cases with open alerts (the worklist's lead professionals:
            # whose cases have one), from the index alone, district included
            # for an Early Help Officer's rule (policy.alerts_visible_to): at
            # 300,000 people 12,000 open alerts were read from the table.
            models.Index(
                fields=["local_authority", "episode"],
                include=["district"],
                condition=models.Q(resolved_on__isnull=True),
                name="open_alerts_by_case",
            ),
        ]

    def __str__(self):
        return f"{self.rule} on {self.episode_id}"

    def hidden_on(self, day) -> bool:
        return self.acknowledged_until is not None and day < self.acknowledged_until

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_since).days


class EvaluationRun(models.Model):
    """The day a council's drift was evaluated: evaluating again that day
    changes nothing (the scheduled job is idempotent per day)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(default=timezone.now)

    # Limited to the council served (core/council_records.py): its saves too.
    objects = CouncilManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "day"], name="one_drift_run_a_day")
        ]

    def __str__(self):
        return f"Drift of {self.local_authority_id} on {self.day}"
