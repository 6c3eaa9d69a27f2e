"""The Early Help and Family Support Panel (seed 000): a multi-agency meeting
that considers cases referred to it. Its members see the cases on its agenda
while the panel is open, and no longer once it is closed (core.policy)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, Organisation, User
from core.council_records import CouncilManager, CouncilRecord
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

    objects = CouncilManager()

    class Meta:
        ordering = ["-meets_on"]

    def __str__(self):
        return f"Panel on {self.meets_on:%d %b %Y}"

    @property
    def is_open(self):
        return self.closed_at is None


class PanelDecision(models.TextChoices):
    """What the panel decides for a case; each acts on the case (panels.services)."""

    ALLOCATE_LEAD = "allocate_lead", _("Allocate a lead professional")
    ADD_ORGANISATION = "add_organisation", _("Add an organisation or service to the team")
    STEP_UP = "step_up", _("Step up to children's social care")
    CLOSE = "close", _("Close early help")
    RETURN_TO_TEAM = "return_to_team", _("Return to the Team Around the Family with advice")


class AgendaItem(CouncilRecord):
    council_from = "panel"
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="agenda_items")
    # episode.panel_agenda_items: read once by the case page (episodes.chronology).
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="panel_agenda_items"
    )
    # The referral that brought the case to panel, if any.
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=PanelDecision.choices, blank=True)
    # Who or what the decision named, where it names one.
    decided_lead = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The panel's reasons and its advice to the team.
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

    @property
    def is_decided(self):
        return self.outcome_recorded_at is not None

    @property
    def decision_summary(self):
        """The decision, naming who or what it named."""
        label = str(self.get_decision_display()) if self.decision else ""
        named = self.decided_lead or self.decided_organisation
        return f"{label}: {named}" if label and named else label


def shown_on_case_page() -> models.QuerySet[AgendaItem]:
    """A case's agenda items as its page shows them (add `episode=`): those
    of open panels and those decided, oldest panel first, with what the
    panel section and the chronology name. The case page reads them once for
    both (episodes.chronology.case_page_records)."""
    return (
        AgendaItem.objects.filter(
            models.Q(panel__closed_at__isnull=True) | models.Q(outcome_recorded_at__isnull=False)
        )
        .select_related("panel", "decided_lead", "decided_organisation", "outcome_recorded_by")
        .order_by("panel__meets_on", "id")
    )
