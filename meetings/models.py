"""Team Around the Family meetings (their local name is a per-LA setting)."""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import FamilyLanguage, Organisation, User
from core.council_records import CouncilRecord
from episodes.models import Episode
from people.models import Person


class MeetingState(models.TextChoices):
    """Where a meeting is, worked out from its dates and record (`Meeting.state`)."""

    ARRANGED = "arranged", _("Arranged")
    NOT_YET_RECORDED = "not_yet_recorded", _("Not yet recorded")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# The GOV.UK tag colour of each meeting state: the one place it is chosen.
MEETING_STATE_TAG_CLASSES = {
    MeetingState.ARRANGED: "govuk-tag--blue",
    MeetingState.NOT_YET_RECORDED: "govuk-tag--yellow",
    MeetingState.HELD: "govuk-tag--green",
    MeetingState.CANCELLED: "govuk-tag--grey",
}


class Meeting(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(_("where"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    held = models.BooleanField(default=False)
    family_view_on_lead = models.TextField(
        _("the family's view on the lead professional"), blank=True
    )
    arranged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Chosen at the first meeting; the plan's agreement makes it the episode's.
    lead_professional = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invite_emailed_at = models.DateTimeField(null=True, blank=True)
    # Each change sent to calendars (a new time or place, a cancellation)
    # raises the sequence, so calendars update the event instead of adding one.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("why the meeting is cancelled"), blank=True)
    # The interpreter for the family: which language, and whether one is
    # booked. Family members' invitations say so only when booked.
    interpreter_language = models.CharField(
        _("interpreter's language"), max_length=3, choices=FamilyLanguage.choices, blank=True
    )
    interpreter_booked = models.BooleanField(_("interpreter booked"), default=False)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        name = self.episode.local_authority.get_meeting_name_display()
        return f"{name} on {timezone.localtime(self.starts_at):%d %b %Y}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def state(self, now: datetime) -> MeetingState:
        """Cancelled, held, started but not yet recorded, or still to come."""
        if self.is_cancelled:
            return MeetingState.CANCELLED
        if self.held:
            return MeetingState.HELD
        if self.starts_at < now:
            return MeetingState.NOT_YET_RECORDED
        return MeetingState.ARRANGED

    @property
    def ends_at(self):
        # A meeting stored before dates were range-checked may sit at the end
        # of the calendar (31/12/9999): it ends where time does, not in a crash.
        try:
            return self.starts_at + timedelta(minutes=self.duration_minutes)
        except OverflowError:
            return self.starts_at.replace(hour=23, minute=59, second=59)


class InvitationChannel(models.TextChoices):
    """How a family member is sent the invitation (meetings/invitations.py)."""

    NONE = "", _("Not sent: the worker tells them")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")


class Invitee(CouncilRecord):
    council_from = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attended = models.BooleanField(null=True)
    # A family member's invitation: how it is sent, to which email address or
    # mobile number (a letter goes to the person's address, read through
    # people.restrictions), and when it, or its last change, was sent or,
    # for a letter to post by hand, printed.
    channel = models.CharField(
        _("how to send the invitation"),
        max_length=10,
        choices=InvitationChannel.choices,
        default=InvitationChannel.NONE,
        blank=True,
    )
    contact = models.CharField(_("email address or mobile number"), max_length=254, blank=True)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    # A letter the worker prints and posts: the latest is due until printed.
    letter_due = models.BooleanField(default=False)
    letter_printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(user__isnull=False),
                name="invitee_is_a_family_member_or_a_professional",
            )
        ]

    def __str__(self):
        return str(self.person or self.user)
