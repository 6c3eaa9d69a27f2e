"""Writing to the audit trail. Every domain function calls `record` inside its
own transaction, so the event and the change commit or roll back together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from .models import GENESIS_HASH, Action, AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model
    from django.http import HttpRequest

    from accounts.models import LocalAuthority, User


def object_label(obj: Model | None) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else ""


# Records that belong to a case through a parent (a plan action through its plan).
_CASE_PARENTS = ("plan", "meeting", "review", "assessment", "referral", "note", "consent")


def episode_of(obj: Model | None) -> int | None:
    """The id of the case `obj` belongs to, or None."""
    if obj is None:
        return None
    if obj._meta.label == "episodes.Episode":
        return obj.pk
    episode_id = getattr(obj, "episode_id", None)
    if episode_id is not None:
        return episode_id
    for parent in _CASE_PARENTS:
        parent_id = getattr(obj, f"{parent}_id", None)
        if parent_id is not None:
            return episode_of(getattr(obj, parent))
    return None


def client_ip(request: HttpRequest | None) -> str | None:
    # Behind a trusted proxy, deployments set REMOTE_ADDR from X-Forwarded-For
    # in the proxy itself; the header is never trusted here.
    return request.META.get("REMOTE_ADDR") if request is not None else None


@transaction.atomic
def record(
    action: Action,
    *,
    actor: User | AnonymousUser | None = None,
    obj: Model | None = None,
    local_authority: LocalAuthority | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain and return it."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    if actor is not None and not actor.is_authenticated:
        actor = None
    if local_authority is None:
        local_authority = getattr(obj, "local_authority", None) or getattr(
            actor, "local_authority", None
        )
    event = AuditEvent(
        sequence=head.sequence + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.email if actor else ""),
        local_authority=local_authority,
        action=action,
        object_type=object_label(obj),
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
        reason=reason,
        episode_id=episode_of(obj),
        ip_address=client_ip(request),
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save()
    head.sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["sequence", "last_hash"])
    return event


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of fields whose value differs, for the `changes` of an update event."""
    return sorted(name for name in after if before.get(name) != after[name])


def verify_chain(batch_size: int = 2000) -> tuple[int, str | None]:
    """Walk the chain in order. Returns (count, None) or (count_checked, problem)."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return count, f"event #{expected_sequence} is missing (next found is #{event.sequence})"
        if event.prev_hash != expected_prev:
            return (
                count,
                f"event #{event.sequence} does not follow from event #{event.sequence - 1}",
            )
        if event.compute_hash() != event.hash:
            return count, f"event #{event.sequence} has been altered since it was written"
        expected_prev = event.hash
        expected_sequence += 1
        count += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.sequence != count:
        return count, (
            f"the chain should have {head.sequence} events but {count} were found: "
            "the latest events have been removed"
        )
    return count, None
