"""The Early Help Assessment in Signs of Wellbeing form (seeds 000, 002, 003):
one per episode, shared with the Team Around the Family."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core.council_records import CouncilRecord
from episodes.models import Episode
from people.models import Person


class Assessment(CouncilRecord):
    council_from = "episode"
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="assessment")
    family_story = models.TextField(_("the family's story, in their own words"), blank=True)
    working_well = models.TextField(_("what is working well"), blank=True)
    worries = models.TextField(_("what are we worried about"), blank=True)
    wellbeing_goals = models.TextField(
        _("what wellbeing would look like"),
        blank=True,
        help_text=_("One goal per line: each becomes a goal in the plan."),
    )
    family_circumstances = models.TextField(_("family circumstances"), blank=True)
    wider_community = models.TextField(_("wider family and community"), blank=True)
    # An agency may base the plan on its own format (e.g. a SEND Support Plan).
    existing_plan = models.ForeignKey(
        "notes.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    # Who completed it and for which organisation ("Organisation completing
    # assessment" in the Ofsted early help list); the organisation is blank for
    # an LA officer who belongs to none.
    completed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    # {section key: the version at which that section last changed}, so two
    # people working on different sections at once do not stop each other.
    section_versions = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"Assessment for {self.episode}"

    @property
    def goal_lines(self):
        lines = (line.strip(" -•\t") for line in self.wellbeing_goals.splitlines())
        return [line for line in lines if line]


class ChildVoice(CouncilRecord):
    """A child's wishes and feelings, in their own words."""

    council_from = "assessment"
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="voices")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    wishes_and_feelings = models.TextField(_("wishes and feelings, in their own words"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "child"], name="one_voice_per_child")
        ]

    def __str__(self):
        return f"{self.child}'s views"


class Scorer(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    PARENT = "parent", _("Parent or carer")
    CHILD = "child", _("Child or young person")


class ScalingScore(CouncilRecord):
    """Signs of Wellbeing scaling: 0 means a referral to children's social care
    is needed, 10 means the child's wellbeing is secure. Given at the assessment
    and again at every review."""

    council_from = ("assessment", "review")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    scorer = models.CharField(max_length=20, choices=Scorer.choices)
    # Which person gave the score (the parent or child); blank for the practitioner.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="scaling_score_0_to_10"
            ),
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=False, review__isnull=True)
                | models.Q(assessment__isnull=True, review__isnull=False),
                name="scaling_score_belongs_to_assessment_or_review",
            ),
        ]

    def __str__(self):
        return f"{self.get_scorer_display()}: {self.score}/10"
