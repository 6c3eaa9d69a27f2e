"""The database itself refuses to change or remove audit rows, on SQLite as on
PostgreSQL, while `flush` (and so the test runner) can still empty it."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.append_only import trigger_names
from audit.models import Action, AuditEvent
from audit.services import record, verify_chain

TRIGGERS = {
    "sqlite": ["audit_event_no_delete", "audit_event_no_update"],
    "postgresql": ["audit_event_append_only", "audit_event_no_truncate"],
}


def run_sql(sql, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("UPDATE audit_auditevent SET reason = 'rewritten' WHERE position = 2", "UPDATE"),
        ("UPDATE audit_auditevent SET sequence = sequence + 10", "UPDATE"),
        ("DELETE FROM audit_auditevent WHERE position = 3", "DELETE"),
        ("DELETE FROM audit_auditevent", "DELETE"),
    ],
)
def test_the_database_refuses_to_update_or_delete_audit_rows(three_events, sql, refused):
    with pytest.raises(DatabaseError) as error:
        run_sql(sql)
    assert str(error.value).splitlines()[0] == f"audit events are append-only: {refused} refused"
    assert verify_chain() == (3, None)


# Emptying the table in one statement: TRUNCATE on PostgreSQL; SQLite has no
# TRUNCATE, and its whole-table DELETE must not bypass the trigger.
EMPTY_THE_TABLE = {
    "postgresql": ("TRUNCATE audit_auditevent CASCADE", "TRUNCATE"),
    "sqlite": ("DELETE FROM audit_auditevent", "DELETE"),
}


def test_the_database_refuses_to_empty_the_audit_table(three_events):
    sql, refused = EMPTY_THE_TABLE[connection.vendor]
    if connection.vendor == "postgresql":
        # The test's own inserts leave deferred foreign-key checks pending,
        # which would stop TRUNCATE before the trigger could.
        run_sql("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError) as error:
        run_sql(sql)
    assert str(error.value).splitlines()[0] == f"audit events are append-only: {refused} refused"
    assert verify_chain() == (3, None)


def test_the_triggers_are_in_place_after_all_migrations(db):
    assert trigger_names(connection) == TRIGGERS[connection.vendor]


def test_flush_empties_the_audit_trail_and_leaves_the_triggers_in_place(transactional_db, la):
    """What the test runner does between transactional tests (and the browser tests)."""
    record(Action.VIEW, obj=la)
    call_command("flush", interactive=False, verbosity=0)
    assert (AuditEvent.objects.count(), trigger_names(connection)) == (
        0,
        TRIGGERS[connection.vendor],
    )
    event = record(Action.VIEW)
    with pytest.raises(DatabaseError):
        run_sql("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert (AuditEvent.objects.get().position, verify_chain()) == (1, (1, None))
