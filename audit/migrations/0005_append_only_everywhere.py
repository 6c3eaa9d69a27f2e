"""Refuse UPDATE and DELETE on audit rows in SQLite too, and TRUNCATE on PostgreSQL.

Migration 0002 left SQLite to the model's refusal and the hash chain, because a
trigger would also stop the table flushes of Django's test runner. The project's
`flush` command (audit/management/commands/flush.py) now lifts these triggers
for the length of its own transaction, so they can be everywhere.

On SQLite, a migration that rebuilds audit_auditevent (most AlterField
operations do) drops its triggers with the old table: such a migration must
create them again. tests/audit/test_append_only.py fails if it does not.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

# Row triggers do not fire on TRUNCATE; this statement trigger uses 0002's function.
POSTGRESQL_CREATE = [
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """
]
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent"]


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_action_account_locked")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
