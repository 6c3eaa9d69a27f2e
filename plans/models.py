"""The Early Help Plan: wellbeing goals with SMART actions (seed 001 §4.1).

Each agreement or review that changes the plan makes a new version; earlier
versions stay as they were, readable."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import FamilyLanguage, Organisation, User
from core.council_records import CouncilRecord
from episodes.models import Episode
from episodes.needs import Outcome
from people.models import Person


class Plan(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveSmallIntegerField(_("version"))
    agreed_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    change_summary = models.TextField(blank=True)
    # Optimistic locking for edits to the current version's actions.
    edit_version = models.PositiveIntegerField(default=1)
    # A fingerprint of what the family reads in this version (plans.content):
    # a copy is owed when it differs from the version a person last received.
    family_content = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["episode", "number"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "number"], name="plan_version_unique")
        ]

    def __str__(self):
        return f"Plan version {self.number} for {self.episode}"


class Goal(CouncilRecord):
    council_from = "plan"
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("what wellbeing will look like"))
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The goal of the previous version this one was copied from.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


# The GOV.UK tag colour of each action status, wherever a status is shown
# (the plan, a review's progress): the one place it is chosen.
ACTION_STATUS_TAG_CLASSES = {
    ActionStatus.NOT_STARTED: "govuk-tag--grey",
    ActionStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ActionStatus.DONE: "govuk-tag--green",
    ActionStatus.NOT_DONE: "govuk-tag--orange",
}


class Action(CouncilRecord):
    council_from = "goal"
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(_("what will be done"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    due_by = models.DateField(_("by when"))
    success_measure = models.TextField(_("how everyone will know it worked"))
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    not_done_reason = models.TextField(blank=True)
    # The action of the previous version this one was copied from.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_by", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.NOT_DONE) | ~models.Q(not_done_reason=""),
                name="action_not_done_has_reason",
            )
        ]

    def __str__(self):
        return self.what

    @property
    def not_done(self) -> bool:
        """Not done, which always comes with its reason."""
        return self.status == ActionStatus.NOT_DONE


class CopyMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Given in person")
    POST = "post", _("Posted")
    EMAIL = "email", _("Emailed")


class PlanCopy(CouncilRecord):
    """Every family member involved gets a copy of the current plan (seed 003),
    in a language they read, or the reason they did not is recorded."""

    council_from = "plan"
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="copies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    given = models.BooleanField()
    method = models.CharField(max_length=20, choices=CopyMethod.choices, blank=True)
    language = models.CharField(max_length=3, choices=FamilyLanguage.choices, blank=True)
    reason_not_given = models.TextField(blank=True)
    # The child-friendly plan (plans/document.py) rather than the full one.
    child_friendly = models.BooleanField(default=False)
    # Empty for a copy made from the command line (`earlyhelp plan_document`).
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="one_copy_record_per_person"),
            models.CheckConstraint(
                condition=models.Q(given=True) | ~models.Q(reason_not_given=""),
                name="copy_not_given_has_reason",
            ),
        ]

    def __str__(self):
        return f"Copy of {self.plan} for {self.person}"
