"""Quality assurance: Early Help Officers "provide support and challenge to
agencies completing Early Help Assessments" (seed 000). An audit grades a
case, its assessment or a version of its plan against the council's criteria;
the team acknowledges and replies; a re-audit points to the audit it follows.

Every table carries the case's council (`local_authority`), set from the case,
so each is council-owned (core/councils.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, User
from assessments.models import Assessment
from core.council_records import CouncilManager
from episodes.models import Episode
from plans.models import Plan

# The council's criteria until it changes them (seed 000; issue 12).
DEFAULT_CRITERIA = (
    _("The child's voice is heard"),
    _("The family's own words are used"),
    _("The needs match the plan"),
    _("The actions are SMART"),
    _("The plan is reviewed on time"),
    _("The family got a copy of the plan"),
)


class Grade(models.TextChoices):
    """Ofsted's four grades, best first."""

    OUTSTANDING = "outstanding", _("Outstanding")
    GOOD = "good", _("Good")
    REQUIRES_IMPROVEMENT = "requires_improvement", _("Requires improvement")
    INADEQUATE = "inadequate", _("Inadequate")


# A criterion may not apply to what is audited (a plan's review to an assessment).
NOT_APPLICABLE = "not_applicable"
CRITERION_GRADES = [*Grade.choices, (NOT_APPLICABLE, _("Does not apply"))]
# The grades that count as a weakness in the summary.
WEAKNESSES = (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)

GRADE_TAG_CLASSES = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "govuk-tag--turquoise",
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--orange",
    Grade.INADEQUATE: "govuk-tag--red",
    NOT_APPLICABLE: "govuk-tag--grey",
}


class Subject(models.TextChoices):
    CASE = "case", _("The whole case")
    ASSESSMENT = "assessment", _("The assessment")
    PLAN = "plan", _("The current plan")


class Criterion(models.Model):
    """One of the council's quality criteria. Retired, it is offered no more;
    past audits keep the words they were graded against."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="quality_criteria"
    )
    text = models.CharField(_("criterion"), max_length=300)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    # Limited to the council served (core/council_records.py): its saves too.
    objects = CouncilManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class CaseAudit(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="quality_audits"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="quality_audits")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    # What exactly was read: the assessment, or the plan version (plans are versioned).
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_number = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.CharField(_("overall grade"), max_length=30, choices=Grade.choices)
    feedback = models.TextField(_("feedback"))
    audited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    audited_at = models.DateTimeField(default=timezone.now)
    re_audit_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="re_audits"
    )
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["-audited_at", "-pk"]
        indexes = [
            models.Index(fields=["local_authority", "audited_at"], name="quality_audit_by_month"),
        ]

    def __str__(self):
        return (
            f"Audit of {self.episode.reference} on {timezone.localtime(self.audited_at):%d %b %Y}"
        )

    @property
    def grade_tag_classes(self) -> str:
        return GRADE_TAG_CLASSES[Grade(self.grade)]


class CriterionGrade(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="grades")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="grades")
    # The criterion's words when it was graded: a later rename changes no audit.
    criterion_text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    grade = models.CharField(max_length=30, choices=CRITERION_GRADES)
    comment = models.TextField(blank=True)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "criterion"], name="one_grade_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion_text}: {self.grade}"

    @property
    def grade_tag_classes(self) -> str:
        return GRADE_TAG_CLASSES.get(self.grade, "")


class AuditReply(models.Model):
    """The team's answer to an audit."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("reply"))
    written_at = models.DateTimeField(default=timezone.now)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Reply to {self.audit_id} by {self.author_id}"


class AuditSample(models.Model):
    """Cases drawn at random for audit, kept so the draw can be shown and checked."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="quality_samples"
    )
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)
    size = models.PositiveIntegerField()
    months = models.PositiveSmallIntegerField()
    since = models.DateField()
    seed = models.BigIntegerField()
    population = models.PositiveIntegerField(default=0)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"Sample of {self.size} drawn {timezone.localtime(self.drawn_at):%d %b %Y}"


class SampledCase(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="cases")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    # The stratum: the requesting organisation's type when drawn ("" if none).
    organisation_type = models.CharField(max_length=20, blank=True)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["organisation_type", "pk"]
        constraints = [models.UniqueConstraint(fields=["sample", "episode"], name="sampled_once")]

    def __str__(self):
        return f"{self.episode_id} in sample {self.sample_id}"
