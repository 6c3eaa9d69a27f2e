"""Partner systems' webhooks (docs/API.md): a client's subscription to events
about the cases its organisation is involved in, and each delivery of one
event to one subscription. A delivery carries references and event names
only, never anything the family said."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiClient
from core.council_records import CouncilRecord
from core.retries import TriedAgain
from episodes.models import Episode, reference_of


class Event(models.TextChoices):
    REQUEST_TAKEN_UP = "request.taken_up", _("The request for early help was taken up")
    LEAD_PROFESSIONAL_AGREED = "lead_professional.agreed", _("A lead professional was agreed")
    PLAN_CHANGED = "plan.changed", _("A version of the plan was agreed")
    REVIEW_DUE = "review.due", _("The plan's review is due")
    CASE_CLOSED = "case.closed", _("The case closed")
    CASE_STEPPED_UP = "case.stepped_up", _("The case was referred to children's social care")


class Subscription(CouncilRecord):
    """A client's address for events. The secret signs every delivery; it is
    shown once, when the subscription is made, and must be kept to check
    signatures (so it is stored, unlike a token, which is only compared)."""

    council_from = "client"

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.url

    @property
    def active(self) -> bool:
        return self.removed_at is None


class CaseEvent(CouncilRecord):
    """Something that happened to a case, written in the transaction that did
    it (webhooks/events.py) and turned, once that commits, into a delivery for
    each subscription whose client may hear of the case; then deleted. Only
    written when a subscription of the council listens for the event."""

    council_from = "episode"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=40, choices=Event.choices)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["occurred_at"])]

    def __str__(self):
        return self.event


class Delivery(TriedAgain, CouncilRecord):
    """One event for one subscription: sent once (the row is locked while it
    is sent), tried again with a doubling wait, failed after
    WEBHOOK_MAX_ATTEMPTS. `event_id` is the `Webhook-Id` header, the same on
    every attempt, so a receiver can ignore a delivery it already has."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent: the organisation may no longer see the case")

    council_from = "subscription"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40, choices=Event.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The receiver's HTTP status, or the kind of failure (never its body).
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["subscription", "status"]),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id}"

    @property
    def case_reference(self) -> str:
        """From the id alone: the log never reads the case itself."""
        return reference_of(self.episode_id)

    def delivered(self, now: datetime, code: int) -> None:
        self.succeeded(self.Status.DELIVERED, now)
        self.delivered_at = now
        self.last_response_code = code

    def attempt_failed(  # type: ignore[override]  # the receiver's answer, kept too
        self,
        error: str,
        now: datetime,
        *,
        code: int | None,
        max_attempts: int,
        first_delay: timedelta,
    ) -> None:
        self.last_response_code = code
        super().attempt_failed(error, now, max_attempts=max_attempts, first_delay=first_delay)
