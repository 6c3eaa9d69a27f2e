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
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from .append_only import TABLE

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
