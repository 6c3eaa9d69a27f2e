"""Messages to staff about cases they are connected to. Texts say what
happened, never details the family has not agreed to share."""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.council_records import CouncilRecord
from core.retries import TriedAgain
from episodes.models import Episode


class Notification(CouncilRecord):
    council_from = "episode"
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.message


class OutgoingEmail(TriedAgain, models.Model):
    """One email waiting in the outbox, written in the same transaction as the
    change it tells about, and delivered by a task after it commits
    (`notifications/outbox.py`). A mail server that is down delays the email;
    it never undoes the change or shows the user an error."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    local_authority = models.ForeignKey(
        "accounts.LocalAuthority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Whose email it is: its administrator sees it if it fails, and "
            "the council's GOV.UK Notify settings send it."
        ),
    )

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        TEXT = "text", _("Text message")
        LETTER = "letter", _("Letter")

    # A text message or a letter (a PDF, base64 in `attachments`) goes through
    # GOV.UK Notify only: it is queued only for a council that set its key.
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    recipients = models.JSONField(default=list)
    # GOV.UK Notify sends to one address a call: those already sent to are
    # not sent to again when a later address fails and the email is retried.
    delivered_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    # [{"filename", "mimetype", "content", "method"}]: text parts only (a
    # calendar file, whose METHOD says whether it invites or cancels).
    attachments = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The kind of failure only (exception class, server code): never the message.
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["local_authority", "status"]),
        ]

    def __str__(self):
        return self.subject

    def sent(self, now: datetime) -> None:
        """Sent: the message itself is no longer kept (an invitation's link
        works until used), only to whom, the subject and when."""
        self.succeeded(self.Status.SENT, now)
        self.sent_at = now
        self.body = ""
        self.attachments = []
