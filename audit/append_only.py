"""The database's own refusal to change audit rows, and the one way round it.

Triggers (migrations 0002, 0005 and 0006) refuse UPDATE and DELETE on audit
rows on PostgreSQL and SQLite, and TRUNCATE on PostgreSQL, where each monthly
partition of the table (0007) carries them too; on the chain heads
they refuse any update that does not move a head forward (and any to the frozen
legacy head), and deletes. Only `flush`, which empties
every table of the database (the test runner does it between transactional
tests), lifts them, inside its own transaction: they are back when it commits,
and never gone if it fails. Anyone able to drop a trigger could do the same by
hand; the hash chain and the checkpoint outside the database (checkpoints.py)
are what show it.
"""

from contextlib import contextmanager

from django.db import transaction

TABLE = "audit_auditevent"
HEAD_TABLE = "audit_auditchainhead"
TABLES = (TABLE, HEAD_TABLE)


@contextmanager
def triggers_lifted(connection):
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "sqlite":
            with _sqlite_triggers_dropped(connection):
                yield
        elif connection.vendor == "postgresql":
            with _postgresql_triggers_disabled(connection):
                yield
        else:
            yield


@contextmanager
def _sqlite_triggers_dropped(connection):
    # SQLite cannot switch a trigger off; its DDL is transactional, so dropping
    # and re-creating from its own stored definition is as safe.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
            TABLES,
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in triggers:
            cursor.execute(sql)


@contextmanager
def _postgresql_triggers_disabled(connection):
    # Each monthly partition (migration 0007) has a TRUNCATE trigger of its own,
    # which switching the parent's triggers off does not reach.
    tables = [connection.ops.quote_name(table) for table in TABLES + partitions(connection)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def partitions(connection, table=TABLE):
    """The partitions of the audit table on PostgreSQL (none on SQLite)."""
    if connection.vendor != "postgresql":
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
            [table],
        )
        return tuple(name for (name,) in cursor.fetchall())


def trigger_names(connection, table=TABLE):
    """The append-only triggers on the audit table (or the heads'), for tests and checks."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'",
                [table],
            )
        else:
            return []
        return sorted(name for (name,) in cursor.fetchall())
