"""Monthly partitions of the audit table on PostgreSQL (migration 0007).

Each UTC month's events live in `audit_auditevent_YYYY_MM`; an event whose
month has no partition yet goes to `audit_auditevent_default`, so an insert
never fails. `ensure_months_ahead` (the `audit_partitions` command, run monthly
by a scheduler) creates the coming months before they start, and moves any
rows the DEFAULT partition holds for a month it creates. The append-only row
trigger is cloned by PostgreSQL onto every partition; the database function the
migration created gives each new one its TRUNCATE trigger too. SQLite is not
partitioned: these functions say so and do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils import timezone

from .append_only import TABLE
from .models import GENESIS_HASH

DEFAULT_PARTITION = f"{TABLE}_default"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass)",
            [TABLE],
        )
        return bool(cursor.fetchone()[0])


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def ensure_months(first: date, last: date) -> list[str]:
    """Create the partitions of every month from `first` to `last` that has
    none yet, and return their names. Safe to run again: it creates nothing twice."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT audit_ensure_partitions(%s, %s)", [first.replace(day=1), last.replace(day=1)]
        )
        return [name for (name,) in cursor.fetchall()]


def ensure_months_ahead(months: int, *, since: date | None = None) -> list[str]:
    """This month's partition and the next `months` months' (and from `since`, if given)."""
    this_month = timezone.now().date().replace(day=1)
    first = min(since, this_month) if since else this_month
    return ensure_months(first, add_months(this_month, months))


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str  # PostgreSQL's own words: FOR VALUES FROM (...) TO (...), or DEFAULT
    rows: int | None  # the planner's estimate, from the last ANALYZE


def partitions() -> list[Partition]:
    """Every partition of the audit table, oldest month first, DEFAULT last."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples "
            "FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname = %s, c.relname",
            [TABLE, DEFAULT_PARTITION],
        )
        return [
            Partition(name, bounds, int(rows) if rows >= 0 else None)
            for name, bounds, rows in cursor.fetchall()
        ]


class ArchiveRefused(Exception):
    pass


def month_of(partition_name: str) -> date | None:
    """The month a partition holds, from its name (None for the DEFAULT one)."""
    year, _, month = partition_name.removeprefix(f"{TABLE}_").partition("_")
    if not (year.isdigit() and month.isdigit()):
        return None
    return date(int(year), int(month), 1)


@transaction.atomic
def archive_before(month: date) -> list[str]:
    """Detach every month's partition before `month`, and return their names.

    Refused unless every chain verifies in full first. Each chain's last event
    in those months becomes its signed ArchivedStart, so `verify_audit --full`
    checks that the first event left follows from it. The detached tables are
    then ordinary tables, without the append-only triggers: dump them to the
    archive and drop them (docs/PRODUCTION.md)."""
    from . import checkpoints
    from .models import LEGACY_CHAIN, ArchivedStart, AuditEvent
    from .services import chains, verify_one_chain

    if not is_partitioned():
        raise ArchiveRefused("the audit table is not partitioned on this database")
    if not checkpoints.has_key():
        raise ArchiveRefused("archiving needs the checkpoint key, to sign where each chain starts")
    cutoff = datetime(month.year, month.month, 1, tzinfo=UTC)
    if month > timezone.now().date():
        raise ArchiveRefused("only months already over can be archived")
    old = [p.name for p in partitions() if (m := month_of(p.name)) is not None and m < month]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM audit_auditevent_default WHERE created_at < %s)",
            [cutoff],
        )
        if cursor.fetchone()[0]:
            raise ArchiveRefused(
                "the DEFAULT partition holds events of those months: create their partitions "
                "first (audit.partitions.ensure_months)"
            )
    starts = []
    for chain in chains():
        start = checkpoints.archived_start(chain)
        result = verify_one_chain(
            chain,
            after_number=start.sequence if start else 0,
            after_hash=start.hash if start else GENESIS_HASH,
            archived=start is not None,
        )
        if result.problem:
            raise ArchiveRefused(result.report())
        field = "sequence" if chain == LEGACY_CHAIN else "position"
        events = AuditEvent.objects.filter(chain=chain)
        last = events.filter(created_at__lt=cutoff).order_by(f"-{field}").first()
        if last is None:
            continue
        if events.filter(created_at__gte=cutoff, **{f"{field}__lt": last.number}).exists():
            raise ArchiveRefused(
                f"audit chain {chain} has events on both sides of {month:%Y-%m} out of order "
                "(a server clock was wrong): archive an earlier month"
            )
        starts.append((chain, last))
    for chain, last in starts:
        ArchivedStart.objects.update_or_create(
            chain=chain,
            defaults={
                "sequence": last.number,
                "hash": last.hash,
                "archived_before": cutoff,
                "signature": checkpoints.archived_start_signature(chain, last.number, last.hash),
            },
        )
    with connection.cursor() as cursor:
        for name in old:
            cursor.execute(
                f"ALTER TABLE {TABLE} DETACH PARTITION {connection.ops.quote_name(name)}"
            )
    return old
