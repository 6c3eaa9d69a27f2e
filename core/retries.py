"""The one rule for what is sent and tried again: an email of the outbox
(notifications.models.OutgoingEmail) and a webhook delivery
(webhooks.models.Delivery). Each attempt is counted; a failed one is tried
again after a first wait, then twice as long each time; after the last
attempt it has failed, for the council's administrator to see and send
again.

A model using it has `status` (its `Status` with QUEUED and FAILED),
`attempts`, `last_attempt_at`, `next_attempt_at` and `last_error`."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Model, QuerySet

from core import councils


class TriedAgain:
    status: Any
    Status: Any
    attempts: int
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str

    def succeeded(self, status: Any, now: datetime) -> None:
        """The attempt worked: `status` (sent, delivered), nothing more to try."""
        self.status = status
        self.attempts += 1
        self.last_attempt_at = now
        self.next_attempt_at = None
        self.last_error = ""

    def attempt_failed(
        self, error: str, now: datetime, *, max_attempts: int, first_delay: timedelta
    ) -> None:
        """Try again after `first_delay`, then twice as long each time; after
        `max_attempts` attempts it has failed, for the administrator to see."""
        self.attempts += 1
        self.last_attempt_at = now
        self.last_error = error[:300]
        if self.attempts >= max_attempts:
            self.status = self.Status.FAILED
            self.next_attempt_at = None
        else:
            self.next_attempt_at = now + first_delay * 2 ** (self.attempts - 1)

    def queue_again(self, now: datetime) -> None:
        """The administrator's "Send again": a fresh set of attempts from now."""
        self.status = self.Status.QUEUED
        self.attempts = 0
        self.next_attempt_at = now


def due(model: type[Model], now: datetime) -> QuerySet[Any]:
    """The queued rows of `model` whose next attempt is due by `now`."""
    return model._default_manager.filter(
        status=model.Status.QUEUED,  # type: ignore[attr-defined]
        next_attempt_at__lte=now,
    )


def sweep(model: type[Model], attempt: Callable[..., str], now: datetime) -> dict[str, int]:
    """The retry sweep: `attempt(pk, now=now)` (which locks the row and
    decides again whether it is due) for every queued row of `model` whose
    next attempt is due by `now`, the longest waiting first: those waiting
    where the task queue cannot defer a retry, and any whose task was lost.
    Returns how many ended in each status."""
    # The service's own work for every council, not a user's request.
    with councils.across_councils():
        pks = list(due(model, now).order_by("next_attempt_at").values_list("pk", flat=True))
    outcome: dict[str, int] = {}
    for pk in pks:
        status = attempt(pk, now=now)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
