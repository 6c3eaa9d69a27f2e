"""Changing audit rows the way someone with the database's password could, by
switching the append-only triggers off first. The switch lasts until the test's
transaction rolls back."""

from django.db import connection, transaction

from audit.append_only import trigger_names


def tamper(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            for name in trigger_names(connection):
                cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(sql, params)


def delete_events_after(sequence):
    tamper("DELETE FROM audit_auditevent WHERE sequence > %s", [sequence])


def rewind_head(event):
    """Point the chain head at `event`, as if nothing came after it."""
    tamper(
        "UPDATE audit_auditchainhead SET sequence = %s, last_hash = %s WHERE id = 1",
        [event.sequence, event.hash],
    )
