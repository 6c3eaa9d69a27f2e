"""Families asking for early help themselves (seed 004: "parents, or a child
themselves if they are old enough, can ask for Early Help"), on a public page
in their own language, and the postcodes that say which council and district
a request belongs to."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, LocalAuthority, User
from core.council_records import CouncilManager, CouncilRecord


class PostcodeDistrict(models.Model):
    """An outward code (the part of a postcode before the space) a council
    serves, with its district when the council has said which. An outward
    code with no district goes to the council's general queue. The council
    registry, like districts: not case data."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="postcode_districts"
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="postcodes"
    )
    outward_code = models.CharField(_("outward code"), max_length=4)

    class Meta:
        ordering = ["outward_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "outward_code"], name="outward_code_once_per_council"
            )
        ]

    def __str__(self):
        return self.outward_code


class Asker(models.TextChoices):
    """Who asked; the values are episodes.models.RequestSource's, so the census
    source of referral (core.codes) follows when a case is started."""

    PARENT = "parent", _("A parent or carer")
    YOUNG_PERSON = "young_person", _("A young person asking for myself")


class RequestClosure(models.TextChoices):
    """Why a family's request was dealt with without starting a case."""

    ADVICE = "advice", _("Advice or information given")
    SIGNPOSTED = "signposted", _("Passed to another service")
    SAFEGUARDING = "safeguarding", _("Passed to children's social care (the front door)")
    ALREADY_KNOWN = "already_known", _("The family already has an open case")
    DECLINED = "declined", _("The family no longer wants help")
    NO_CONTACT = "no_contact", _("Could not make contact safely")


class FamilyRequest(models.Model):
    """What a family typed on the public page, kept as typed for the Early
    Help Officer, who checks whether the family is already known before
    anyone is recorded. `district` empty: the council's general queue."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="family_requests"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="family_requests"
    )
    asker = models.CharField(max_length=20, choices=Asker.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # A young person's own date of birth; empty for a parent or carer.
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    may_leave_message = models.BooleanField(default=False)
    # When not to call and what not to do, in the family's words (a parent
    # may share a phone with the person they are afraid of).
    contact_safety = models.TextField(blank=True)
    postcode = models.CharField(max_length=8)
    worries = models.TextField()
    # [{"first_name", "last_name", "date_of_birth" (ISO)}], as typed.
    children = models.JSONField(default=list)
    language = models.CharField(max_length=7)
    consent_to_contact = models.BooleanField()
    received_at = models.DateTimeField(default=timezone.now)
    # The case the Early Help Officer started from it (families.services.start_case).
    episode = models.ForeignKey(
        "episodes.Episode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_requests",
    )

    # Dealt with without a case (a request that became a case is kept and
    # erased with the case's family, privacy/retention.py; one closed without
    # a case is deleted FAMILY_REQUEST_RETENTION_DAYS after closing, families/retention.py).
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_reason = models.CharField(max_length=20, choices=RequestClosure.choices, blank=True)
    closure_note = models.TextField(blank=True)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(closure_reason=""),
                name="closed_family_request_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(episode__isnull=True),
                name="family_request_closed_or_case",
            ),
        ]
        indexes = [
            models.Index(
                fields=["local_authority", "district", "-received_at"],
                name="family_request_queue",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return reference_of(self.pk)

    @property
    def asker_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def reference_of(pk: int | None) -> str:
    """The reference the family is given: short, with no name or date in it."""
    return f"FH{pk:06d}" if pk else "FH(new)"


# The family's voice and the family's plan online ------------------------------
# A link a worker gives a family member: a secret token (families/links.py)
# kept only as its hash, in the family member's language. A feedback link
# works once; a plan link until it expires or is revoked, each visit audited.


class LinkPurpose(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback")
    PLAN = "plan", _("The family's plan online")


class Moment(models.TextChoices):
    """When the family is asked for feedback."""

    REVIEW = "review", _("At a review")
    CLOSURE = "closure", _("At closure")


class FeedbackVersion(models.TextChoices):
    ADULT = "adult", _("the questions for parents, carers and young people")
    CHILD = "child", _("the children's questions")


class FamilyLink(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="family_links"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="family_links"
    )
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices)
    # Feedback links only: at which review, or at closure.
    moment = models.CharField(max_length=10, choices=Moment.choices, blank=True)
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.CharField(max_length=10, choices=FeedbackVersion.choices, blank=True)
    # SHA-256 of the token: the token itself is shown once to the worker.
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=7)
    emailed = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visits = models.PositiveIntegerField(default=0)

    objects = CouncilManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_purpose_display()} link {self.pk}"

    def state(self, now=None) -> str:
        """ "revoked", "used", "expired" or "active"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.used_at is not None:
            return "used"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"


class Feedback(CouncilRecord):
    """What a family member said at a review or at closure, on paper (typed
    by the worker) or through a link. Scores 1 (strongly disagree) to 5
    (strongly agree); the children's version's "yes", "a bit" and "no" are
    kept as 5, 3 and 1 so the reports count them alike."""

    council_from = "episode"

    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="family_feedback"
    )
    # Kept empty when the person's record is deleted: the answers stay counted.
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moment = models.CharField(max_length=10, choices=Moment.choices)
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.CharField(max_length=10, choices=FeedbackVersion.choices)
    listened = models.PositiveSmallIntegerField(null=True, blank=True)
    better = models.PositiveSmallIntegerField(null=True, blank=True)
    ask_again = models.PositiveSmallIntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)
    on_paper = models.BooleanField(default=False)
    link = models.OneToOneField(
        FamilyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    objects = CouncilManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(listened__gte=1, listened__lte=5)
                | models.Q(listened__isnull=True),
                name="feedback_listened_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(better__gte=1, better__lte=5) | models.Q(better__isnull=True),
                name="feedback_better_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(ask_again__gte=1, ask_again__lte=5)
                | models.Q(ask_again__isnull=True),
                name="feedback_ask_again_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "received_at"], name="feedback_by_date")]

    def __str__(self):
        return f"Feedback {self.pk}"
