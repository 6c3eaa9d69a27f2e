"""Privacy rights: each council's retention rule, and what retention did.

The unit of retention is a family record (privacy.retention). A council keeps
a family's records until its rule's date has passed and none of the family's
episodes is still open, then anonymises or deletes them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, User
from core.council_records import CouncilManager

# Defaults: records about children are commonly kept until the youngest child's
# 25th birthday; the alternative counts seven years from closure (the six-year
# limitation period for claims, plus a year's margin for the yearly check).
DEFAULT_AGE = 25
DEFAULT_YEARS = 7
AGE_RANGE = (18, 30)
YEARS_RANGE = (1, 50)


class RetentionKind(models.TextChoices):
    YOUNGEST_CHILD_AGE = "youngest_child_age", _("Until the youngest child reaches an age")
    YEARS_AFTER_CLOSURE = (
        "years_after_closure",
        _("For a number of years after the family's last case closed"),
    )


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise")
    DELETE = "delete", _("Delete")


class RetentionRule(models.Model):
    """One per council, created with the defaults the first time it is needed."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="retention_rule"
    )
    kind = models.CharField(
        max_length=30, choices=RetentionKind.choices, default=RetentionKind.YOUNGEST_CHILD_AGE
    )
    age = models.PositiveSmallIntegerField(
        _("age of the youngest child"),
        default=DEFAULT_AGE,
        validators=[MinValueValidator(AGE_RANGE[0]), MaxValueValidator(AGE_RANGE[1])],
    )
    years = models.PositiveSmallIntegerField(
        _("years after the last case closed"),
        default=DEFAULT_YEARS,
        validators=[MinValueValidator(YEARS_RANGE[0]), MaxValueValidator(YEARS_RANGE[1])],
    )
    action = models.CharField(
        max_length=20, choices=RetentionAction.choices, default=RetentionAction.ANONYMISE
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age__gte=AGE_RANGE[0], age__lte=AGE_RANGE[1]),
                name="retention_age_18_to_30",
            ),
            models.CheckConstraint(
                condition=models.Q(years__gte=YEARS_RANGE[0], years__lte=YEARS_RANGE[1]),
                name="retention_years_1_to_50",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.describe()}"

    def describe(self):
        if self.kind == RetentionKind.YEARS_AFTER_CLOSURE:
            return _("%(years)s years after the last case closed") % {"years": self.years}
        return _("when the youngest child reaches %(age)s") % {"age": self.age}

    @property
    def code(self):
        """The rule in a stable, value-free form for the audit trail."""
        number = self.years if self.kind == RetentionKind.YEARS_AFTER_CLOSURE else self.age
        return f"{self.kind}:{number}"


class RetentionRecord(models.Model):
    """What retention did to one family, so a second run leaves it alone. The
    family is a plain number, not a foreign key: a deleted family is gone."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    family_id = models.PositiveBigIntegerField(unique=True)
    action = models.CharField(max_length=20, choices=RetentionAction.choices)
    rule = models.CharField(max_length=50)
    due_on = models.DateField()
    applied_at = models.DateTimeField(default=timezone.now)
    people_erased = models.PositiveIntegerField(default=0)
    people_kept = models.PositiveIntegerField(default=0)

    objects = CouncilManager()

    class Meta:
        ordering = ["applied_at"]

    def __str__(self):
        applied = timezone.localtime(self.applied_at)
        return f"{self.get_action_display()} family {self.family_id} on {applied:%d %b %Y}"


class DueCount(models.Model):
    """How many of the council's families were due under its rule, and how
    many could not be dated, when the scheduled job last counted them
    (privacy.due_counts): counting reads the council's families with their
    children, too slow for the settings page at a county's size. Kept with
    the rule it was counted under; a count under another rule is not shown."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="retention_due_count"
    )
    rule = models.CharField(max_length=50)  # RetentionRule.code when counted
    counted_at = models.DateTimeField()
    due = models.PositiveIntegerField()
    undetermined = models.PositiveIntegerField()

    objects = CouncilManager()

    def __str__(self):
        return f"Families due under {self.rule} in {self.local_authority} at {self.counted_at}"
