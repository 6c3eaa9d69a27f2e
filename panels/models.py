"""The Early Help and Family Support Panel (seed 000): a multi-agency meeting
that considers cases referred to it. Its members see the cases on its agenda
while the panel is open, and no longer once it is closed (core.policy)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, User
from episodes.models import Episode


class Panel(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    meets_on = models.DateField(_("date of the panel"))
    members = models.ManyToManyField(User, related_name="panels", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-meets_on"]

    def __str__(self):
        return f"Panel on {self.meets_on:%d %b %Y}"

    @property
    def is_open(self):
        return self.closed_at is None


class AgendaItem(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="agenda_items")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    # The referral that brought the case to panel, if any.
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    outcome = models.TextField(_("what the panel decided"), blank=True)
    outcome_recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "episode"], name="agenda_item_unique")
        ]

    def __str__(self):
        return f"{self.episode} at {self.panel}"
