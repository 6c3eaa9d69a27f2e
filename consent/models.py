"""Consent, per person: to the assessment, and to sharing with named
organisations (seed 001 §3.4, seed 003). Withdrawal is recorded, never deleted,
and stops sharing from that moment."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core.council_records import CouncilRecord
from episodes.models import Episode
from people.models import Person


class Purpose(models.TextChoices):
    ASSESSMENT = "assessment", _("To the early help assessment")
    SHARING = "sharing", _("To sharing information with an organisation")


class Method(models.TextChoices):
    IN_PERSON = "in_person", _("Verbally, in person")
    PHONE = "phone", _("Verbally, by phone")
    WRITTEN = "written", _("In writing (signed form)")
    ELECTRONIC = "electronic", _("Electronically (email or online form)")


class Consent(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # Only for purpose=sharing: the organisation the person agreed to share with.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    given = models.BooleanField(_("consent given"))
    method = models.CharField(max_length=20, choices=Method.choices)
    given_on = models.DateField(_("date consent was given or refused"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at"]
        indexes = [
            # The consents that let an organisation see a case (core.policy's
            # team and requester routes), read from the index alone.
            models.Index(
                fields=["organisation", "local_authority", "episode"],
                condition=Q(given=True, withdrawn_at__isnull=True, purpose=Purpose.SHARING),
                name="sharing_consents_in_force",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose=Purpose.SHARING, organisation__isnull=False)
                | Q(purpose=Purpose.ASSESSMENT, organisation__isnull=True),
                name="consent_sharing_names_an_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_purpose_display()} ({'yes' if self.given else 'no'})"

    @property
    def is_current(self):
        return self.given and self.withdrawn_at is None


class SharingOverride(CouncilRecord):
    """Sharing with an organisation without consent, because a child is at risk
    of significant harm (seed 003: the duty to share). Each one is flagged to
    the district's Early Help Officer and the managers, who review it."""

    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="sharing_overrides")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why information is shared without consent"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # Ended by the reviewer when the override was not justified, or when the
    # risk has passed: the organisation then relies on consent again.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self):
        return f"Sharing with {self.organisation} without consent on {self.episode}"

    @property
    def is_current(self):
        return self.ended_at is None


class RefusalJudgement(CouncilRecord):
    """The judgement made when consent to the assessment is refused: will the
    needs escalate without help? Kept as a record so the case knows which
    refusals were judged: a family that comes back after children's social
    care did not accept a step-up is not asked for a judgement again unless
    consent is asked for and refused after it (seed 001 §3.4)."""

    council_from = "episode"
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="refusal_judgements"
    )
    # The newest refusal this judgement was made on: a refusal recorded after
    # it is a new fact that needs a new judgement.
    judged_refusal = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="+")
    escalates = models.BooleanField(_("the needs will escalate without help"))
    reasoning = models.TextField(_("reasoning"))
    advice = models.TextField(_("advice given to the family"), blank=True)
    # Empty only for judgements made before who and when were kept.
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Judgement on refused consent for {self.episode}"
