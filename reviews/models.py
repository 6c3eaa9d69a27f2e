"""Reviews of the plan with the child and family, every review interval
(8 weeks by default, a per-LA setting; seed 004, seed 001 §4.2)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.council_records import CouncilRecord
from episodes.models import Episode
from people.models import Person
from plans.models import Action, ActionStatus, Plan


class Engagement(models.TextChoices):
    FULLY = "fully", _("Fully engaging")
    PARTLY = "partly", _("Partly engaging")
    NOT = "not", _("Not engaging")
    DISGUISED_COMPLIANCE = "disguised", _("Concerns of disguised compliance")


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Continue the plan")
    AMEND = "amend", _("Amend the plan (add or change actions)")
    CLOSE = "close", _("Close: needs met")
    STEP_UP = "step_up", _("Refer to children's social care")
    PANEL = "panel", _("Refer to the Early Help and Family Support Panel")


class Review(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="reviews")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("date of the review"))
    family_views = models.TextField(_("the family's views"))
    # Reviews recorded before each child's views were kept apart had one box
    # for all the children; it is still shown for them. New reviews use ChildView.
    child_views = models.TextField(_("the children's views, recorded together"), blank=True)
    engagement = models.CharField(max_length=20, choices=Engagement.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        indexes = [
            # The partnership report finds each review's previous one (on time?).
            models.Index(fields=["episode", "held_on"], name="review_episode_held_on"),
        ]

    def __str__(self):
        return f"Review on {self.held_on:%d %b %Y}"


class ActionProgress(CouncilRecord):
    council_from = "review"
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)

    def __str__(self):
        return f"{self.action}: {self.get_status_display()}"


class ChildView(CouncilRecord):
    """One child's wishes and feelings at a review, in their own words (as the
    assessment records them: assessments.ChildVoice)."""

    council_from = "review"
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="voices")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    views = models.TextField(_("the child's views, in their own words"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "child"], name="one_view_per_child_per_review"
            )
        ]

    def __str__(self):
        return f"{self.child}'s views at the {self.review}"
