"""Changing audit rows the way someone with the database's password could, by
switching the append-only triggers off first. The switch lasts until the test's
transaction rolls back."""

from django.db import connection, transaction

from audit.append_only import TABLES, trigger_names
from audit.models import GENESIS_HASH, LEGACY_CHAIN, Action, AuditChainHead, AuditEvent


def tamper(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            for table in TABLES:
                for name in trigger_names(connection, table):
                    cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(sql, params)


def delete_events_after(sequence):
    """Remove every event written after event `sequence`, in every chain."""
    tamper("DELETE FROM audit_auditevent WHERE sequence > %s", [sequence])


def rewind_head(event):
    """Point the head of the event's chain at it, as if nothing came after it."""
    tamper(
        "UPDATE audit_auditchainhead SET sequence = %s, last_hash = %s WHERE chain = %s",
        [event.number, event.hash, event.chain],
    )


def legacy_events(count):
    """`count` events as the single chain wrote them before chains were split
    per council (migration 0006 names that chain "legacy"), with their head."""
    events, prev_hash = [], GENESIS_HASH
    for sequence in range(1, count + 1):
        event = AuditEvent(
            sequence=sequence,
            chain=LEGACY_CHAIN,
            action=Action.VIEW,
            actor_label="before@test.example",
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = event.compute_hash()
        event.save()
        events.append(event)
    AuditChainHead.objects.create(chain=LEGACY_CHAIN, sequence=count, last_hash=prev_hash)
    return events
