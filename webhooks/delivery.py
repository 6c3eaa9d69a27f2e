"""Posting events to partner systems' webhooks, through the background task
system as emails are (notifications/outbox.py): the delivery row is written
in the same transaction as the change (webhooks/events.py) and a task is
queued once it commits. Each attempt locks the row, so two workers never
post it twice; a receiver that answers anything but 2xx, or nothing within
WEBHOOK_TIMEOUT_SECONDS, is tried again after a doubling wait, and after
WEBHOOK_MAX_ATTEMPTS attempts the delivery has failed, for the council's
administrator to see and send again. Redirects are not followed.

The body (references and event names only) is signed with the
subscription's secret: `Webhook-Signature: v1=<hex HMAC-SHA256 of
"<Webhook-Timestamp>.<body>">`, and `Webhook-Id` is the same on every
attempt, so a receiver can ignore a delivery it has already had."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core import councils, policy, retries
from episodes.models import reference_of

from . import addresses
from .models import Delivery

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

# How long a delivered (or cancelled) delivery is kept in the log.
DELIVERED_KEPT_FOR = timedelta(days=30)
FINISHED = [Delivery.Status.DELIVERED, Delivery.Status.CANCELLED]
USER_AGENT = "EarlyHelp-Webhooks/1"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def payload(delivery: Delivery) -> dict[str, Any]:
    """What is posted: references and the event's name, nothing the family said."""
    return {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "occurred_at": _iso(delivery.occurred_at),
        "case": {"id": delivery.episode_id, "reference": reference_of(delivery.episode_id)},
        "links": {"cases": f"{settings.SERVICE_URL}/api/v1/cases/"},
    }


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(payload(delivery), separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of `timestamp.body` under `secret`."""
    message = timestamp.encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers_for(delivery: Delivery, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": str(delivery.event_id),
        "Webhook-Timestamp": stamp,
        "Webhook-Signature": signature(delivery.subscription.secret, stamp, body),
    }


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, not to a fresh lookup."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host's name, as always.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST once; the receiver's status code. Raises addresses.Refused, OSError
    (including a timeout) or http.client.HTTPException."""
    try:
        parts = addresses.parse(url)
    except Exception as error:
        raise addresses.Refused("The address is no longer allowed") from error
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = addresses.resolve(host, port)
    timeout = float(settings.WEBHOOK_TIMEOUT_SECONDS)
    connection_class = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1024)  # nothing of it is kept
        return response.status
    finally:
        connection.close()


def _enqueue(pk: int, run_after: datetime | None = None) -> None:
    from . import tasks

    task = tasks.deliver_webhook
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(pk)


def enqueue_on_commit(pk: int) -> None:
    transaction.on_commit(partial(_enqueue, pk))


def _can_defer() -> bool:
    from . import tasks

    return tasks.deliver_webhook.get_backend().supports_defer


def _describe(error: Exception) -> str:
    """The kind of failure, never what the receiver said."""
    if isinstance(error, addresses.Refused):
        return str(error)
    if isinstance(error, TimeoutError | socket.timeout):
        return f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS} seconds"
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    return type(error).__name__


def deliver(pk: int, *, now: datetime | None = None) -> str:
    """One attempt at one delivery that is due; returns its status. The row is
    locked while it is posted, so two workers never post it twice, and a
    delivery already delivered is never posted again."""
    # Delivery is the service's own work for every council, not a request's.
    with councils.across_councils(), transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscription__client", "episode")
            .filter(pk=pk)
            .first()
        )
        if delivery is None:
            return "missing"
        now = now or timezone.now()
        due = delivery.next_attempt_at is None or delivery.next_attempt_at <= now
        if delivery.status != Delivery.Status.QUEUED or not due:
            return delivery.status
        subscription = delivery.subscription
        if not subscription.active or not policy.client_told_about(
            subscription.client, delivery.episode
        ):
            # Consent withdrawn, the client revoked or the subscription removed
            # since the event: the organisation may no longer hear of the case.
            delivery.status = Delivery.Status.CANCELLED
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return delivery.status
        body = body_of(delivery)
        code: int | None = None
        try:
            code = post(subscription.url, body, headers_for(delivery, body))
        except (addresses.Refused, OSError, http.client.HTTPException) as error:
            failure = _describe(error)
        else:
            failure = "" if 200 <= code < 300 else f"The receiver answered {code}"
        if failure:
            delivery.attempt_failed(
                failure,
                now,
                code=code,
                max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
                first_delay=timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS),
            )
        else:
            delivery.delivered(now, code or 200)
        delivery.save()
        if delivery.status == Delivery.Status.QUEUED and _can_defer():
            transaction.on_commit(partial(_enqueue, delivery.pk, delivery.next_attempt_at))
        return delivery.status


def retry_due(now: datetime | None = None) -> dict[str, int]:
    """The retry sweep (core.retries.sweep) over the queued deliveries."""
    return retries.sweep(Delivery, deliver, now or timezone.now())


def prune(now: datetime | None = None) -> int:
    """Forget deliveries delivered (or cancelled) more than DELIVERED_KEPT_FOR
    ago; failed ones stay until the administrator sends them again or the
    subscription is removed. Returns how many were deleted."""
    now = now or timezone.now()
    kept_since = now - DELIVERED_KEPT_FOR
    with councils.across_councils():
        deleted, _ = Delivery.objects.filter(
            status__in=FINISHED,
            occurred_at__lt=kept_since,
        ).delete()
    return deleted


def log_for(user: User) -> QuerySet[Delivery]:
    """The deliveries of the administrator's own council, newest first."""
    if not policy.can_manage_api_clients(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(local_authority_id=user.local_authority_id).select_related(
        "subscription__client"
    )


@transaction.atomic
def send_again(
    actor: User, pk: int, request: HttpRequest | None = None, *, now: datetime | None = None
) -> Delivery:
    """The administrator sends a failed delivery again: new attempts from now,
    under the same Webhook-Id."""
    delivery = (
        log_for(actor)
        .select_for_update(of=("self",))
        .filter(pk=pk, status=Delivery.Status.FAILED)
        .first()
    )
    if delivery is None:
        raise PermissionDenied
    delivery.queue_again(now or timezone.now())
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=delivery,
        request=request,
        local_authority=delivery.local_authority,
        changes={"fields": ["status"]},
    )
    enqueue_on_commit(delivery.pk)
    return delivery
