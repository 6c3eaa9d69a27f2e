"""Case notes and attachments. Attachments are stored outside the web root
(MEDIA_ROOT under var/) and only ever served through the permission check."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.council_records import CouncilRecord
from episodes.models import Episode


class NoteKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE_CALL = "phone_call", _("Phone call")
    MEETING = "meeting", _("Meeting with the family")
    CONTACT = "contact", _("Contact with another professional")
    OTHER = "other", _("Other")


class CaseNote(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="case_notes")
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    happened_on = models.DateField(_("date"))
    who = models.CharField(_("who was there"), max_length=300)
    what_happened = models.TextField(_("what happened"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["happened_on", "recorded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.happened_on:%d %b %Y}"


class AttachmentKind(models.TextChoices):
    EXISTING_PLAN = "existing_plan", _("An agency's existing plan (e.g. SEND Support Plan)")
    LETTER = "letter", _("Letter")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


def attachment_path(instance, filename):
    # The stored name is random: the original name is kept in a field, and a
    # guessed path reveals nothing.
    return f"attachments/{instance.episode_id}/{uuid.uuid4().hex}"


class Attachment(CouncilRecord):
    council_from = "episode"
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices)
    description = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name
