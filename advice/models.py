"""The advice line: a professional asks an Early Help Officer for advice about
a family, often before anyone asks for early help (seed 000: EHOs are "the
first point of contact for advice" and "advise if the child or family is
already open"). Each call or email is recorded so that the advice, and any
follow-up owed, is not lost, and so the council can count it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, LocalAuthority, Organisation, User
from core.council_records import CouncilManager
from people.models import Person


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person (for example at a Team Around the School meeting)")


class AdviceGiven(models.TextChoices):
    START_ASSESSMENT = "start_assessment", _("Start an early help assessment")
    CONTACT_MASH = "contact_mash", _("Contact the MASH: a safeguarding concern")
    UNIVERSAL = "universal", _("Universal services can meet the needs")
    CONTACT_LEAD = "contact_lead", _("Already open: contact the lead professional")
    OTHER = "other", _("Other advice")


class Known(models.TextChoices):
    """What the "already known?" check found when the advice was recorded."""

    NOT_CHECKED = "not_checked", _("Not checked: no family details given")
    NOT_KNOWN = "not_known", _("Not known to early help")
    KNOWN = "known", _("Known to early help")
    KNOWN_ELSEWHERE = (
        "known_elsewhere",
        _("Known to early help, on a record the adviser may not see"),
    )


class AdviceContact(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="advice_contacts"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("date asked"))
    channel = models.CharField(max_length=20, choices=Channel.choices)
    caller_name = models.CharField(_("who asked"), max_length=200)
    caller_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the caller's organisation is not one of the council's.
    caller_organisation_name = models.CharField(max_length=200, blank=True)
    worry = models.TextField(_("the worry, in brief"))
    known = models.CharField(max_length=20, choices=Known.choices)
    # The person the advice is about, when the check found them and the adviser may see them.
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="advice_contacts"
    )
    advice = models.CharField(max_length=20, choices=AdviceGiven.choices)
    advice_detail = models.TextField(_("advice given"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["-received_on", "-recorded_at"]
        indexes = [
            models.Index(
                fields=["local_authority", "district", "-received_on"], name="advice_by_district"
            ),
            models.Index(
                fields=["local_authority", "follow_up_on"],
                name="advice_follow_ups_owed",
                condition=models.Q(follow_up_on__isnull=False, followed_up_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"Advice to {self.caller_name} on {self.received_on:%d %b %Y}"

    @property
    def organisation_name(self) -> str:
        if self.caller_organisation_id:
            return self.caller_organisation.name
        return self.caller_organisation_name

    @property
    def follow_up_owed(self) -> bool:
        return self.follow_up_on is not None and self.followed_up_at is None

    @property
    def follow_up_overdue(self) -> bool:
        return self.follow_up_owed and self.follow_up_on < timezone.localdate()
