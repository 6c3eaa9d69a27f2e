"""Referrals out of early help: step-up to children's social care (never
blocked) and to the Early Help and Family Support Panel (seed 000)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.council_records import CouncilRecord
from episodes.models import Episode


class Kind(models.TextChoices):
    STEP_UP = "step_up", _("Children's social care")
    PANEL = "panel", _("Early Help and Family Support Panel")


class SignificantHarm(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted, with advice")
    # The panel's decision, with when and by whom, is on its agenda item.
    DECIDED = "decided", _("Decided by the panel")


class PanelReason(models.TextChoices):
    """Why a family is referred to the panel."""

    NO_LEAD = "no_lead", _("No lead professional can be found")
    PLAN_UNDELIVERABLE = "plan_undeliverable", _("The plan cannot be delivered")
    NOT_ENGAGING = "not_engaging", _("The family is not engaging")
    OTHER = "other", _("Another reason")


class Referral(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    concern = models.TextField(_("what is the concern"))
    significant_harm = models.CharField(
        _("has the child suffered, or are they likely to suffer, significant harm?"),
        max_length=10,
        choices=SignificantHarm.choices,
        blank=True,
    )
    # Panel referrals only: why the family is referred (`concern` gives detail).
    panel_reason = models.CharField(max_length=30, choices=PanelReason.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    advice = models.TextField(blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at"]

    def __str__(self):
        return f"Referral to {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def accepted(self) -> bool:
        return self.status == ReferralStatus.ACCEPTED

    @property
    def awaiting_decision(self):
        """A step-up referral children's social care has not yet answered."""
        return self.kind == Kind.STEP_UP and self.status == ReferralStatus.SENT
