"""`Idempotency-Key` on a POST: the same key and body again return the first
answer and create nothing; the same key with another body is refused (422).
A key is remembered for IDEMPOTENCY_HOURS after a success; a refused request
is not remembered, so it may be corrected and sent again with its key."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from .models import ApiClient, IdempotencyKey
from .problems import IDEMPOTENCY_KEY_REUSED, problem

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
IDEMPOTENCY_HOURS = 24
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,100}")  # printable ASCII, no spaces


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.path}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()


def once(request: Request, client: ApiClient, create: Callable[[], Response]) -> Response:
    """Run `create` (which answers 201 on success) at most once per key."""
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    if not KEY_PATTERN.fullmatch(key):
        return problem(
            400,
            f"The {HEADER} header must be 1 to 100 printable characters without spaces, "
            "such as a UUID",
        )
    fingerprint = _fingerprint(request)
    stale = timezone.now() - datetime.timedelta(hours=IDEMPOTENCY_HOURS)
    IdempotencyKey.objects.filter(client=client, key=key, created_at__lt=stale).delete()
    try:
        with transaction.atomic():
            # Taken first: a concurrent request with the same key waits here,
            # then finds it taken.
            remembered = IdempotencyKey.objects.create(
                client=client, key=key, request_hash=fingerprint
            )
            response = create()
            if response.status_code >= 300:
                transaction.set_rollback(True)
                return response
            remembered.status_code = response.status_code
            remembered.body = response.data
            remembered.save(update_fields=["status_code", "body"])
            return response
    except IntegrityError:
        pass
    first = IdempotencyKey.objects.filter(client=client, key=key).first()
    if first is None or first.status_code is None:
        return problem(409, f"A request with this {HEADER} is still being made: try again")
    if first.request_hash != fingerprint:
        return problem(
            422,
            f"This {HEADER} was used for a different request: use a new key for a new request",
            type_=IDEMPOTENCY_KEY_REUSED,
        )
    return Response(first.body, status=first.status_code, headers={REPLAYED: "true"})


def prune(now: datetime.datetime | None = None) -> int:
    """Forget every key remembered more than IDEMPOTENCY_HOURS ago (the daily
    job, core/scheduled.py); returns how many. A key older than that is
    already ignored when sent again."""
    from core.councils import across_councils

    stale = (now or timezone.now()) - datetime.timedelta(hours=IDEMPOTENCY_HOURS)
    with across_councils():
        deleted, _ = IdempotencyKey.objects.filter(created_at__lt=stale).delete()
    return deleted
