"""Partner systems that call the API (docs/API.md), and the POSTs they have
already made (idempotency keys). A client acts as its organisation, never as
a person; only a hash of its token is kept."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, Organisation
from core.council_records import CouncilManager, CouncilRecord
from police.models import PoliceNotification


class Scope(models.TextChoices):
    REQUESTS_WRITE = "requests:write", _("Ask for early help for a family")
    POLICE_NOTIFICATIONS_WRITE = "police_notifications:write", _("Send police notifications")
    CASES_READ = "cases:read", _("Read the cases the organisation is involved in")
    PLAN_ACTIONS_WRITE = "plan_actions:write", _("Record progress on its plan actions")
    MATCHING_READ = "matching:read", _("Match a list of people")
    DIRECTORY_READ = "directory:read", _("Read the council's directory")
    WEBHOOKS_MANAGE = "webhooks:manage", _("Subscribe to events about its cases (webhooks)")


class ApiClient(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="api_clients"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list)
    # SHA-256 of the token, hex: the token itself is shown once and never kept.
    token_hash = models.CharField(max_length=64, unique=True)
    token_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Limited to the council served, like every case table (core/council_records.py).
    objects = CouncilManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "name"], name="api_client_name_unique_per_la"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.token_expires_at > timezone.now()


class SentPoliceNotification(CouncilRecord):
    """Which client sent a police notification: it may then ask whether it was
    acknowledged, and nothing else about it."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    notification = models.OneToOneField(
        PoliceNotification, on_delete=models.CASCADE, related_name="sent_by_api"
    )

    council_from = "client"


class IdempotencyKey(CouncilRecord):
    """A POST that succeeded, remembered under the key its client sent: the
    same key and body again answer the same, and create nothing."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    council_from = "client"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "key"], name="idempotency_key_once_per_client"
            )
        ]
