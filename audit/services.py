"""Writing to the audit trail. Every domain function calls `record` inside its
own transaction, so the event and the change commit or roll back together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import (
    GENESIS_HASH,
    LEGACY_CHAIN,
    Action,
    AuditChainHead,
    AuditEvent,
    chain_for,
)

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
    """Append one event to its council's chain and return it.

    Only that chain's head row is locked, so councils never wait for each other.
    """
    if actor is not None and not actor.is_authenticated:
        actor = None
    # By id: every row of a case now names its council, and reading it must
    # not fetch the council itself.
    council_id = (
        local_authority.pk
        if local_authority is not None
        else getattr(obj, "local_authority_id", None) or getattr(actor, "local_authority_id", None)
    )
    chain = chain_for(council_id)
    head, next_sequence = _locked_head(chain)
    position = head.sequence + 1  # this event's place in its council's chain
    event = AuditEvent(
        id=next_sequence if connection.vendor == "postgresql" else None,
        sequence=next_sequence,
        chain=chain,
        position=position,
        created_at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.email if actor else ""),
        local_authority_id=council_id,
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
    event.save(force_insert=True)
    head.sequence = position
    head.last_hash = event.hash
    head.save(update_fields=["sequence", "last_hash"])
    return event


def record_report(
    name: str,
    council: LocalAuthority,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    **details: Any,
) -> AuditEvent:
    """Record that report `name` (a council-wide aggregate or statutory return)
    was produced, on a page, as a download or from the command line. Every
    report is audited the same way so one query finds them all:
    `action=EXPORT, reason=name`, with `details` (period, format, rows) kept."""
    return record(
        Action.EXPORT,
        actor=actor,
        request=request,
        local_authority=council,
        actor_label=actor_label,
        reason=name,
        changes={"report": name, **details},
    )


def _next_sequence_sql() -> str:
    """The next event number, taken in the same query as the head's lock.

    PostgreSQL hands it out from the events' id sequence without any lock (the
    event's id is then the same number). SQLite writers are serialised by
    their IMMEDIATE transactions, so the highest number so far is safe there.
    """
    if connection.vendor == "postgresql":
        return "nextval(pg_get_serial_sequence('audit_auditevent', 'id'))"
    return "(SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit_auditevent)"


def _locked_head(chain: str) -> tuple[AuditChainHead, int]:
    """The chain's head, locked until the transaction ends, and the next event number."""
    heads = AuditChainHead.objects.select_for_update().annotate(
        # A constant statement of ours, no outside input in it.
        next_sequence=RawSQL(_next_sequence_sql(), [])  # noqa: S611
    )
    head, created = heads.get_or_create(chain=chain)
    if created:
        # A council's first event: the new row has no number with it yet.
        head = heads.get(pk=head.pk)
    return head, head.next_sequence


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of fields whose value differs, for the `changes` of an update event."""
    return sorted(name for name in after if before.get(name) != after[name])


@dataclass(frozen=True)
class ChainResult:
    """What verifying one chain found. `checked` counts the events read and
    hashed; `last_number` and `last_hash` are where the intact part ends."""

    chain: str
    checked: int
    last_number: int
    last_hash: str
    problem: str | None = None
    # The problem is where the last verification ended: what came before it is unknown.
    at_verified_end: bool = False

    def report(self) -> str:
        if self.at_verified_end:
            return f"audit chain {self.chain} rewritten: {self.problem}"
        return f"audit chain {self.chain} broken after {self.last_number} intact events: " + (
            self.problem or ""
        )


# The distinct chains of the events, one index probe per chain (and per
# partition) rather than a scan of hundreds of millions of rows.
_EVENT_CHAINS_SQL = """
WITH RECURSIVE found(chain) AS (
    SELECT MIN(chain) FROM audit_auditevent
    UNION ALL
    SELECT (SELECT MIN(chain) FROM audit_auditevent WHERE chain > found.chain)
    FROM found WHERE found.chain IS NOT NULL
)
SELECT chain FROM found WHERE chain IS NOT NULL
"""


def chains() -> list[str]:
    """Every chain that has a head or an event, legacy first."""
    names = set(AuditChainHead.objects.values_list("chain", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(_EVENT_CHAINS_SQL)
        names |= {name for (name,) in cursor.fetchall()}
    return sorted(names, key=lambda name: (name != LEGACY_CHAIN, name))


# How far before the last verified event the next run starts reading by time.
# Events of a chain are written in order under its head's lock, so their times
# rise with their places, give or take the clocks of different web servers; a
# run that finds a problem reads the whole chain again before reporting it.
CLOCK_MARGIN = timedelta(days=1)


def verify_one_chain(
    chain: str,
    *,
    after_number: int = 0,
    after_hash: str = GENESIS_HASH,
    batch_size: int = 2000,
    archived: bool = False,
) -> ChainResult:
    """Walk one chain in order from just after event `after_number` (0: from
    its start), whose hash must be `after_hash`, to the chain's head.
    `archived`: that event was archived with its month and is no longer here.

    From a verified event, only the events written since about its time are
    read, so on PostgreSQL only the latest monthly partitions are."""
    since = None
    if after_number and not archived:
        anchor, problem = _anchor(chain, after_number, after_hash)
        if problem or anchor is None:
            return ChainResult(chain, 0, after_number, after_hash, problem, at_verified_end=True)
        since = anchor.created_at - CLOCK_MARGIN
    result = _walk(chain, after_number, after_hash, batch_size, since)
    if result.problem and since is not None:
        # An event written with a clock far behind would look missing: look everywhere.
        result = _walk(chain, after_number, after_hash, batch_size, None)
    return result


def _walk(
    chain: str, after_number: int, after_hash: str, batch_size: int, since: datetime | None
) -> ChainResult:
    problem = None
    legacy = chain == LEGACY_CHAIN
    events = AuditEvent.objects.filter(chain=chain)
    if since is not None:
        events = events.filter(created_at__gte=since)
    events = (
        events.filter(sequence__gt=after_number).order_by("sequence")
        if legacy
        else events.filter(position__gt=after_number).order_by("position")
    )
    expected_prev, expected_number, checked = after_hash, after_number + 1, 0
    for event in events.iterator(chunk_size=batch_size):
        if event.number != expected_number:
            problem = f"event #{expected_number} is missing (next found is #{event.number})"
        elif event.prev_hash != expected_prev:
            problem = f"event #{event.number} does not follow from event #{event.number - 1}"
        elif event.compute_hash() != event.hash:
            problem = f"event #{event.number} has been altered since it was written"
        if problem:
            return ChainResult(chain, checked, expected_number - 1, expected_prev, problem)
        expected_prev = event.hash
        expected_number += 1
        checked += 1
    last_number = expected_number - 1
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head and head.sequence != last_number:
        problem = (
            f"the chain should have {head.sequence} events but {last_number} were found: "
            "the latest events have been removed"
        )
    return ChainResult(chain, checked, last_number, expected_prev, problem)


def _anchor(chain: str, number: int, expected_hash: str) -> tuple[AuditEvent | None, str | None]:
    """The event where the last verification ended, and what is wrong with it if
    it is not still as it was."""
    field = "sequence" if chain == LEGACY_CHAIN else "position"
    event = AuditEvent.objects.filter(chain=chain, **{field: number}).first()
    if event is None:
        return None, f"event #{number}, where the last verification ended, is missing"
    if event.hash != expected_hash or event.compute_hash() != event.hash:
        return event, f"event #{number}, where the last verification ended, has been rewritten"
    return event, None


def verify_chain(batch_size: int = 2000) -> tuple[int, str | None]:
    """Walk every chain in full. Returns (events, None), or (intact events
    before the first problem, the problem with its chain named)."""
    total = 0
    for chain in chains():
        result = verify_one_chain(chain, batch_size=batch_size)
        total += result.checked
        if result.problem:
            return total, f"chain {chain}: {result.problem}"
    return total, None
