"""On PostgreSQL the audit table is partitioned by month (migration 0007): each
event lands in its month's partition, every partition, even one created long
after the migration, refuses changes, and `verify_audit` walks the chains
across partitions, reading only the latest months when it runs incrementally.
SQLite has no partitioning: only the last test runs there."""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit import partitions
from audit.append_only import trigger_names
from audit.models import Action, ArchivedStart, AuditEvent
from audit.services import record, verify_chain

from .tampering import tamper

# Only PostgreSQL partitions the audit table (tests/conftest.py leaves these
# out of the SQLite suite; the PostgreSQL suite runs them).
postgresql_only = pytest.mark.postgresql

MONTHS = [date(2025, month, 1) for month in (1, 2, 3, 4)]


@contextmanager
def written_at(when):
    """Events recorded inside are dated `when` (UTC)."""
    with mock.patch("audit.services.timezone.now", return_value=when):
        yield


def record_on(day, la, **kwargs):
    with written_at(datetime(day.year, day.month, day.day, 12, tzinfo=UTC)):
        return record(Action.VIEW, obj=la, **kwargs)


def partition_of(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk]
        )
        return cursor.fetchone()[0]


def rewrite(event):
    """Change an event's reason with the triggers off, as a superuser could."""
    tamper("UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [event.pk])


def run_sql(sql, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_audit(*args):
    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def months_of_events(la):
    """Two events in each of four months of 2025, in their months' partitions."""
    partitions.ensure_months(MONTHS[0], MONTHS[-1])
    return [record_on(month.replace(day=day), la) for month in MONTHS for day in (10, 20)]


@postgresql_only
def test_events_land_in_their_months_partitions(months_of_events):
    assert [partition_of(event) for event in months_of_events] == [
        f"audit_auditevent_2025_{month:02}" for month in (1, 1, 2, 2, 3, 3, 4, 4)
    ]
    names = [partition.name for partition in partitions.partitions()]
    assert {f"audit_auditevent_2025_{month:02}" for month in (1, 2, 3, 4)} <= set(names)
    assert names[-1] == "audit_auditevent_default"
    assert verify_chain() == (8, None)
    assert "audit chains intact: 8 events in 1 chain" in verify_audit("--full")


@postgresql_only
def test_a_partition_created_later_refuses_changes_to_its_rows(la):
    """The row trigger is cloned onto new partitions; the TRUNCATE one is given to each."""
    assert partitions.ensure_months(date(2031, 1, 1), date(2031, 1, 1)) == [
        "audit_auditevent_2031_01"
    ]
    assert trigger_names(connection, "audit_auditevent_2031_01") == [
        "audit_event_append_only",
        "audit_event_no_truncate",
    ]
    event = record_on(date(2031, 1, 5), la)
    assert partition_of(event) == "audit_auditevent_2031_01"
    for sql, refused in [
        ("UPDATE audit_auditevent_2031_01 SET reason = 'rewritten'", "UPDATE"),
        ("UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", "UPDATE"),
        ("DELETE FROM audit_auditevent_2031_01", "DELETE"),
        ("DELETE FROM audit_auditevent WHERE id = %s", "DELETE"),
        ("TRUNCATE audit_auditevent_2031_01", "TRUNCATE"),
        ("TRUNCATE audit_auditevent_default", "TRUNCATE"),
    ]:
        # The test's own inserts leave deferred foreign-key checks pending,
        # which would stop TRUNCATE before the trigger could.
        run_sql("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError) as error:
            run_sql(sql, [event.pk] if "%s" in sql else None)
        assert (
            str(error.value).splitlines()[0] == f"audit events are append-only: {refused} refused"
        )
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    assert verify_chain() == (1, None)


@postgresql_only
def test_events_in_the_default_partition_move_to_their_month_when_it_is_created(la):
    early = record_on(date(2032, 5, 3), la)  # no partition for May 2032 yet
    later = record_on(date(2032, 7, 3), la)
    assert partition_of(early) == partition_of(later) == "audit_auditevent_default"
    # As if written by earlier transactions: the old DEFAULT table is dropped,
    # which PostgreSQL refuses while this test's foreign-key checks wait on it.
    run_sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert partitions.ensure_months(date(2032, 5, 1), date(2032, 6, 1)) == [
        "audit_auditevent_2032_05",
        "audit_auditevent_2032_06",
    ]
    assert (partition_of(early), partition_of(later)) == (
        "audit_auditevent_2032_05",
        "audit_auditevent_default",
    )
    moved = AuditEvent.objects.get(pk=early.pk)
    assert (moved.sequence, moved.hash) == (early.sequence, early.hash)
    # The rebuilt DEFAULT partition still refuses changes.
    assert trigger_names(connection, "audit_auditevent_default") == [
        "audit_event_append_only",
        "audit_event_no_truncate",
    ]
    with pytest.raises(DatabaseError):
        run_sql("DELETE FROM audit_auditevent WHERE id = %s", [later.pk])
    assert verify_chain() == (2, None)


@postgresql_only
def test_audit_partitions_creates_the_coming_months_once(db):
    out = StringIO()
    call_command("audit_partitions", "--ahead", "14", stdout=out)
    this_month = timezone.now().date().replace(day=1)
    far = partitions.add_months(this_month, 14)
    assert f"audit_auditevent_{far:%Y_%m}" in out.getvalue()
    names = {partition.name for partition in partitions.partitions()}
    assert {
        f"audit_auditevent_{partitions.add_months(this_month, n):%Y_%m}" for n in range(15)
    } <= names
    again = StringIO()
    call_command("audit_partitions", "--ahead", "14", stdout=again)
    assert again.getvalue() == "every partition was already there\n"


@postgresql_only
def test_full_verification_finds_a_row_changed_in_an_old_partition(months_of_events):
    verify_audit()  # remembers where it ended: the last April event
    first = months_of_events[0]
    rewrite(first)
    # The incremental run only reads what came after its last end...
    assert "(0 checked since the last verification)" in verify_audit()
    # ...so the older months are rehashed by --full, which finds the change.
    with pytest.raises(CommandError) as error:
        verify_audit("--full")
    assert "event #1 has been altered since it was written" in str(error.value)
    assert partition_of(first) == "audit_auditevent_2025_01"


@postgresql_only
def test_incremental_verification_reads_only_the_months_since_its_last_run(months_of_events, la):
    verify_audit()
    partitions.ensure_months(date(2025, 5, 1), date(2025, 5, 1))
    new = [record_on(date(2025, 5, day), la) for day in (2, 3, 4)]
    with CaptureQueriesContext(connection) as queries:
        out = verify_audit()
    assert (
        "audit chains intact: 11 events in 1 chain (3 checked since the last verification)" in out
    )
    [walk] = [q["sql"] for q in queries if '"audit_auditevent"."position" >' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {walk}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # It starts a day before the last verified event (20 April), so January to
    # March are never read.
    assert "audit_auditevent_2025_04" in plan
    assert "audit_auditevent_2025_05" in plan
    for month in (1, 2, 3):
        assert f"audit_auditevent_2025_{month:02}" not in plan
    assert partition_of(new[-1]) == "audit_auditevent_2025_05"


def test_the_command_says_when_the_table_is_not_partitioned(db):
    out = StringIO()
    call_command("audit_partitions", stdout=out)
    if connection.vendor == "postgresql":
        assert partitions.is_partitioned()
        assert out.getvalue().startswith(("created ", "every partition was already there"))
    else:
        assert not partitions.is_partitioned()
        assert partitions.ensure_months(date(2025, 1, 1), date(2025, 3, 1)) == []
        assert out.getvalue() == "the audit table is not partitioned on this database (SQLite)\n"


@postgresql_only
def test_the_migration_moves_existing_events_into_month_partitions(la):
    """Undo 0007 (back to one plain table), then apply it to events of three
    months: each goes to its month's partition, created back to the oldest."""
    from django.db.migrations.executor import MigrationExecutor

    events = [record_on(day, la) for day in (date(2024, 11, 5), date(2025, 1, 7), date.today())]
    run_sql("SET CONSTRAINTS ALL IMMEDIATE")  # the rebuild drops the table the rows were in

    def migrate_to(name):
        executor = MigrationExecutor(connection)
        executor.migrate([("audit", name)])

    migrate_to("0006_a_chain_per_council")
    assert not partitions.is_partitioned()
    assert {partition_of(event) for event in events} == {"audit_auditevent"}
    migrate_to("0007_partition_by_month")
    assert [partition_of(event) for event in events] == [
        "audit_auditevent_2024_11",
        "audit_auditevent_2025_01",
        f"audit_auditevent_{date.today():%Y_%m}",
    ]
    names = {partition.name for partition in partitions.partitions()}
    assert {"audit_auditevent_2024_12", "audit_auditevent_default"} <= names
    assert trigger_names(connection) == ["audit_event_append_only", "audit_event_no_truncate"]
    assert verify_chain() == (3, None)
    # New events carry on numbering after the moved ones.
    assert record(Action.VIEW, obj=la).pk > max(event.pk for event in events)


@postgresql_only
def test_a_dropped_old_month_is_found_by_full_verification(months_of_events):
    """Triggers cannot stop the table's owner detaching or dropping a partition;
    the chain shows the hole."""
    verify_audit()
    run_sql("SET CONSTRAINTS ALL IMMEDIATE")
    run_sql("ALTER TABLE audit_auditevent DETACH PARTITION audit_auditevent_2025_02")
    run_sql("DROP TABLE audit_auditevent_2025_02")
    with pytest.raises(CommandError) as error:
        verify_audit("--full")
    assert "event #3 is missing (next found is #5)" in str(error.value)


@postgresql_only
def test_a_dropped_latest_month_is_found_by_incremental_verification(months_of_events):
    verify_audit()  # ended at the last April event, #8
    run_sql("SET CONSTRAINTS ALL IMMEDIATE")
    run_sql("ALTER TABLE audit_auditevent DETACH PARTITION audit_auditevent_2025_04")
    with pytest.raises(CommandError) as error:
        verify_audit()
    assert "event #8, where the last verification ended, is missing" in str(error.value)


def archive_before(month):
    out = StringIO()
    call_command("audit_partitions", "--archive-before", month, stdout=out)
    return out.getvalue()


@postgresql_only
def test_old_months_are_archived_and_the_chain_still_verifies_in_full(months_of_events):
    verify_audit()
    out = archive_before("2025-03")
    assert "detached audit_auditevent_2025_01: pg_dump -t audit_auditevent_2025_01" in out
    assert "detached audit_auditevent_2025_02" in out
    names = {partition.name for partition in partitions.partitions()}
    assert not names & {"audit_auditevent_2025_01", "audit_auditevent_2025_02"}
    start = ArchivedStart.objects.get()
    assert (start.sequence, start.hash) == (4, months_of_events[3].hash)
    # --full starts from the last archived event: the four left are rehashed.
    assert "audit chains intact: 8 events in 1 chain (4 checked now)" in verify_audit("--full")
    assert "(0 checked since the last verification)" in verify_audit()


@postgresql_only
def test_after_archiving_a_changed_or_forged_start_is_reported(months_of_events):
    archive_before("2025-03")
    tamper(
        "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [months_of_events[4].pk]
    )
    with pytest.raises(CommandError) as error:
        verify_audit("--full")
    assert "event #5 has been altered since it was written" in str(error.value)
    # A start moved on by hand, to skip past the change, no longer carries its signature.
    ArchivedStart.objects.update(sequence=5, hash=months_of_events[4].hash)
    with pytest.raises(CommandError) as error:
        verify_audit("--full")
    assert "has been changed in the database" in str(error.value)
    assert "event #1 is missing" in str(error.value)


@postgresql_only
def test_archiving_is_refused_while_a_chain_is_broken(months_of_events):
    tamper(
        "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [months_of_events[1].pk]
    )
    with pytest.raises(CommandError) as error:
        archive_before("2025-03")
    assert "nothing archived" in str(error.value)
    assert "event #2 has been altered" in str(error.value)
    assert not ArchivedStart.objects.exists()
    assert "audit_auditevent_2025_01" in {partition.name for partition in partitions.partitions()}


@postgresql_only
def test_a_checkpoint_whose_event_was_archived_still_matches(months_of_events):
    chain = months_of_events[0].chain
    call_command("audit_checkpoint", stdout=StringIO())  # pins event #8
    archive_before("2025-05")  # every month with events
    out = verify_audit("--full")
    assert "audit chains intact: 8 events in 1 chain (0 checked now)" in out
    assert f"latest checkpoint matches: {chain} at event 8" in out
    ArchivedStart.objects.update(hash="0" * 64)  # forged: the signature no longer matches
    with pytest.raises(CommandError) as error:
        verify_audit("--full")
    assert f"audit chain {chain} truncated: checkpoint at event 8" in str(error.value)
