"""Supporting Families outcomes: whether each achieved outcome lasted.

Six months after a case closes, its lead professional is asked (outcomes.
tasks, through core/scheduled.py) whether each need met at closure is still
met. One check per need, made once (the unique need is what makes the job
safe to run again); the answer is recorded on it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.council_records import CouncilRecord
from episodes.models import Episode, EpisodeNeed, OutcomeEvidence


class SustainmentCheck(CouncilRecord):
    council_from = "episode"
    # The need's case, kept here so a user's owed checks are one indexed query.
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    need = models.OneToOneField(
        EpisodeNeed, on_delete=models.CASCADE, related_name="sustainment_check"
    )
    # Who was asked: the case's lead professional at closure (or the district's
    # Early Help Officer when there was none, or they have left).
    asked = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    # Six months after closure: the day the question became due.
    due_on = models.DateField()
    sustained = models.BooleanField(_("was it sustained"), null=True)
    evidence_type = models.CharField(
        _("what shows it"), max_length=30, choices=OutcomeEvidence.choices, blank=True
    )
    evidence = models.TextField(_("the evidence"), blank=True)
    checked_on = models.DateField(_("date of the check"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["asked", "sustained"], name="sustainment_owed_by"),
        ]

    def __str__(self):
        return f"Was '{self.need}' sustained? ({self.episode})"

    @property
    def answered(self) -> bool:
        return self.sustained is not None
