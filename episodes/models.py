"""An episode: one period of early help for a family, from request to closure.

The status field moves only through episodes.states (the state machine);
nothing else assigns it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, LocalAuthority, Organisation, User
from core.codes import CLOSURE_CODE_OF_REASON, ClosureCode, ReferralSource
from core.council_records import CouncilManager, CouncilRecord
from people.models import Family, Person

from .needs import NEED_OUTCOME, Need, Outcome


class Status(models.TextChoices):
    REQUESTED = "requested", _("Request received: consent to be recorded")
    ASSESSMENT = "assessment", _("Assessment in progress")
    MEETING = "meeting", _("Assessment complete: meeting to be held")
    PLAN = "plan", _("Plan in place")
    STEPPED_UP = "stepped_up", _("Referred to children's social care")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.REQUESTED, Status.ASSESSMENT, Status.MEETING, Status.PLAN)


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", _("Needs met")
    STEPPED_UP = "stepped_up", _("Stepped up to children's social care")
    STEPPED_DOWN = "stepped_down", _("Stepped down to universal services")
    CONSENT_DECLINED = "consent_declined", _("Consent declined")
    DISENGAGED = "disengaged", _("Family declined or disengaged")
    MOVED_AWAY = "moved_away", _("Moved out of the area")
    UPPER_AGE = "upper_age", _("Reached the upper age")


class RequestSource(models.TextChoices):
    PROFESSIONAL = "professional", _("A professional")
    PARENT = "parent", _("A parent or carer")
    YOUNG_PERSON = "young_person", _("The young person themselves")
    STEP_DOWN = "step_down", _("Stepped down from children's social care")


class Episode(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="episodes"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="episodes")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="episodes")
    children = models.ManyToManyField(Person, through="EpisodeChild", related_name="episodes")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    # Where a not-accepted step-up returns the episode to.
    status_before_step_up = models.CharField(max_length=20, choices=Status.choices, blank=True)
    source = models.CharField(
        max_length=20, choices=RequestSource.choices, default=RequestSource.PROFESSIONAL
    )
    # Who asked, as the CIN census codes it (core.codes.ReferralSource): worked
    # out from `source` and the requesting organisation's type, or chosen on
    # the request form when those leave a choice.
    referral_source = models.CharField(
        max_length=2, choices=ReferralSource.choices, default=ReferralSource.UNKNOWN
    )
    worries = models.TextField(_("what are the worries"), blank=True)
    # From children's social care when a family is stepped down to early help.
    step_down_summary = models.TextField(blank=True)
    lead_professional_due_by = models.DateField(null=True, blank=True)
    # When consent is refused, the lead professional's judgement (seed 001 §3.4).
    consent_refusal_escalates = models.BooleanField(null=True)
    consent_refusal_reasoning = models.TextField(blank=True)
    closure_advice = models.TextField(blank=True)
    # The person who asked; None when a partner system asked by API, as its
    # organisation (named in requested_via).
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="episodes_requested", null=True, blank=True
    )
    requested_via = models.CharField(max_length=100, blank=True)
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="episodes_requested"
    )
    lead_professional = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes_led"
    )
    # Organisations in the Team Around the Family.
    organisations = models.ManyToManyField(
        Organisation, through="TeamOrganisation", related_name="episodes", blank=True
    )
    requested_at = models.DateTimeField(default=timezone.now)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    assessment_completed_at = models.DateTimeField(null=True, blank=True)
    plan_agreed_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    stepped_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    # The closure reason as a census-style code (core.codes.ClosureCode), kept
    # with it by save(): reports and returns count codes, never free text.
    closure_code = models.CharField(max_length=3, choices=ClosureCode.choices, blank=True)
    # Incremented on every save through a domain function (optimistic locking).
    version = models.PositiveIntegerField(default=1)

    objects = CouncilManager()

    class Meta:
        ordering = ["-requested_at"]
        # Every case list filters by council (and status) and shows the newest
        # first: these let a page of 50 stop after 50 rows.
        indexes = [
            # Each ends with the id, so a list's page and its total (core.paging)
            # are read from the index alone, without visiting the cases.
            models.Index(
                fields=["local_authority", "status", "-requested_at", "id"],
                name="episode_council_status_newest",
            ),
            models.Index(
                fields=["local_authority", "-requested_at", "id"], name="episode_council_newest"
            ),
            models.Index(
                fields=["district", "status", "-requested_at", "id"],
                name="episode_district_status_new",
            ),
            # An Early Help Officer's way to their district's cases in the
            # visibility rule (core.policy): every case the district has had,
            # read from the index alone (half the EHO's case list at 300,000 people).
            models.Index(
                fields=["local_authority", "district", "id"], name="episode_council_district"
            ),
            # The other ways to a case in the visibility rule and "My cases"
            # (core.policy): the cases a user leads or asked for, or their
            # organisation asked for, with the council, read from the index
            # alone. A busy practitioner has a thousand; read from the table,
            # each was a visit to another page of cases.
            models.Index(
                fields=["lead_professional", "local_authority"],
                include=["id"],
                name="case_led_by",
            ),
            models.Index(
                fields=["requested_by", "local_authority"], include=["id"], name="case_asked_by"
            ),
            models.Index(
                fields=["requesting_organisation", "local_authority"],
                include=["id"],
                name="case_asked_by_organisation",
            ),
            # What a list asks of each case those ways find (its council, stage
            # and date, to filter and order the page; its lead professional,
            # for the worklist's filter) without visiting it.
            models.Index(
                fields=["id"],
                include=["local_authority", "status", "requested_at", "lead_professional"],
                name="case_id_with_list_columns",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=Status.CLOSED) | ~models.Q(closure_reason=""),
                name="closed_episode_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.family}"

    def save(self, *args, **kwargs):
        self.closure_code = CLOSURE_CODE_OF_REASON.get(self.closure_reason, "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "closure_reason" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closure_code"}
        super().save(*args, **kwargs)

    @property
    def reference(self):
        return reference_of(self.pk)

    @property
    def family_name(self) -> str:
        """As a case read as a row has it (episodes.work_owed.ListedCase)."""
        return self.family.name


def reference_of(pk: int | None) -> str:
    """A case's reference, from its id (for lists that read ids only)."""
    return f"EH{pk:06d}" if pk else "EH(new)"


class EpisodeChild(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="child_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episode_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "person"], name="episode_child_unique")
        ]

    def __str__(self):
        return f"{self.person} in {self.episode}"


class TeamOrganisation(CouncilRecord):
    """An organisation in the case's Team Around the Family. Was Django's
    automatic table for `Episode.organisations`, kept (same table and
    columns) and given the case's council like every row of a case."""

    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta:
        db_table = "episodes_episode_organisations"
        unique_together = [("episode", "organisation")]
        indexes = [
            # An organisation's cases, with the council, from the index alone
            # (the team's way to a case in core.policy).
            models.Index(
                fields=["organisation", "local_authority"],
                include=["episode"],
                name="team_cases_by_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.episode}"


class HeadlineOutcome(models.Model):
    """An outcome's wording. Code and reports use the stable key; the label can
    be edited to follow the programme's current publication."""

    key = models.CharField(max_length=30, unique=True, choices=Outcome.choices)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.label


class NeedOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class OutcomeEvidence(models.TextChoices):
    """What shows a need's outcome (Supporting Families asks for evidence that
    each outcome was met, and later that it was sustained). Stable keys."""

    ATTENDANCE = "attendance", _("School attendance figures")
    EDUCATION_REPORT = "education_report", _("School or nursery report")
    EARLY_YEARS_CHECK = "early_years_check", _("Early years development check")
    HEALTH_REPORT = "health_report", _("Health visitor, GP or health service report")
    TREATMENT = "treatment", _("Substance use service report")
    POLICE_DATA = "police_data", _("Police or youth justice data")
    DOMESTIC_ABUSE_SERVICE = "domestic_abuse_service", _("Domestic abuse service report")
    TENANCY = "tenancy", _("Tenancy kept or home secured")
    MONEY = "money", _("Work, benefits or debt advice outcome")
    SOCIAL_CARE = "social_care", _("Children's social care records")
    FAMILY_VIEW = "family_view", _("The family's account and scaling at review")
    OTHER = "other", _("Other evidence")


class EpisodeNeed(CouncilRecord):
    """A need the request or assessment identified, and at closure how it ended:
    the outcome, what shows it (evidence) and when it was met or judged."""

    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=30, choices=Need.choices)
    notes = models.TextField(blank=True)
    # "Outcomes achieved by headline outcome" in the partnership report.
    outcome = models.CharField(max_length=20, choices=NeedOutcome.choices, blank=True)
    # When the need was first recorded (on the request or at the assessment):
    # an outcome cannot be dated before it.
    recorded_at = models.DateTimeField(default=timezone.now)
    evidence_type = models.CharField(
        _("what shows it"), max_length=30, choices=OutcomeEvidence.choices, blank=True
    )
    evidence = models.TextField(_("the evidence"), blank=True)
    outcome_on = models.DateField(_("date of the outcome"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "need"], name="episode_need_unique")
        ]

    def __str__(self):
        return self.get_need_display()

    @property
    def headline_outcome(self):
        return NEED_OUTCOME[self.need]


class LeadChangeRoute(models.TextChoices):
    OFFICER = "officer", _("Changed by the Early Help Officer or a manager")
    MEETING = "meeting", _("Agreed at a meeting")
    PANEL = "panel", _("Allocated by the panel")


class LeadChange(CouncilRecord):
    """A change of the case's lead professional once one was agreed (or the
    panel's allocation of the first): why, what the family thinks of it, and
    what the new lead needs to know (episodes.lead_professional)."""

    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="lead_changes")
    previous_lead = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why the lead professional is changing"))
    family_view = models.TextField(_("the family's view"))
    handover_note = models.TextField(_("handover note"), blank=True)
    route = models.CharField(
        max_length=20, choices=LeadChangeRoute.choices, default=LeadChangeRoute.OFFICER
    )
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"Lead professional of {self.episode} changed"
