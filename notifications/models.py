"""Messages to staff about cases they are connected to. Texts say what
happened, never details the family has not agreed to share."""

from django.db import models
from django.utils import timezone

from accounts.models import User
from core.council_records import CouncilRecord
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
