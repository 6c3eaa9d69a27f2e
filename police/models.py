"""Police notifications (Operation Encompass and others): the police tell the
council that a child was involved in, or present at, an incident (domestic
abuse, a child missing, other), so that the child's school can support them
before the next school day starts. The notification goes to the lead
professional of an open case and the district's Early Help Officer, or to the
Early Help Officer's queue when there is none; the school's key adult sees the
notifications about their own pupils only."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, LocalAuthority, Organisation, User
from core.council_records import CouncilManager, CouncilRecord
from episodes.models import Episode
from people.models import Person


class IncidentKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    MISSING_CHILD = "missing_child", _("Missing child")
    OTHER = "other", _("Other")


class NonSchoolDay(models.Model):
    """A weekday the council's schools are closed (holidays, training days):
    no acknowledgement falls due on it."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="non_school_days"
    )
    day = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    # Limited to the council served (core/council_records.py): its saves too.
    objects = CouncilManager()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "day"], name="non_school_day_once_per_council"
            )
        ]

    def __str__(self):
        return f"{self.day:%d %b %Y} {self.name}".strip()


class PoliceNotification(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="police_notifications"
    )
    police_reference = models.CharField(_("police reference"), max_length=50)
    incident_at = models.DateTimeField(_("date and time of the incident"))
    kind = models.CharField(_("type of incident"), max_length=20, choices=IncidentKind.choices)
    circumstances = models.TextField(_("brief circumstances"))
    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The open case of a child named, when there is one: its lead professional is told.
    episode = models.ForeignKey(
        Episode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who sent it when no person did (a file loaded by command, a partner system).
    recorded_via = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["-incident_at"]
        constraints = [
            # A reference is sent once: loading the same file twice adds nothing.
            models.UniqueConstraint(
                fields=["local_authority", "police_reference"],
                name="police_reference_once_per_council",
            )
        ]
        indexes = [
            models.Index(
                fields=["local_authority", "acknowledge_by"],
                name="police_unacknowledged",
                condition=models.Q(acknowledged_at__isnull=True),
            ),
            models.Index(
                fields=["local_authority", "district", "-incident_at"], name="police_by_district"
            ),
        ]

    def __str__(self):
        return self.police_reference

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def overdue(self) -> bool:
        return not self.acknowledged and self.acknowledge_by < timezone.now()


class NotifiedChild(CouncilRecord):
    """A child named in the notification, as the police gave them, and the
    person on the register they were matched to (if any)."""

    notification = models.ForeignKey(
        PoliceNotification, on_delete=models.CASCADE, related_name="children"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    present = models.BooleanField(_("present at the incident"))
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    council_from = "notification"

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
