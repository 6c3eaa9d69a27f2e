import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.models import Action, AppendOnlyError, AuditEvent
from audit.services import record, verify_chain


@pytest.fixture
def three_events(la, involved):
    return [
        record(Action.SIGN_IN, actor=involved, obj=involved),
        record(Action.VIEW, actor=involved, obj=la, reason="checking"),
        record(Action.SIGN_OUT, actor=involved, obj=involved),
    ]


def test_events_are_chained_in_sequence(three_events):
    first, second, third = three_events
    assert [e.sequence for e in three_events] == [1, 2, 3]
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert verify_chain() == (3, None)


def test_record_fills_actor_label_and_local_authority(la, involved):
    event = record(Action.VIEW, actor=involved, obj=la)
    assert (event.actor_label, event.local_authority, event.object_type, event.object_id) == (
        "involved@test.example",
        la,
        "accounts.localauthority",
        str(la.pk),
    )


def test_the_model_refuses_updates_and_deletes(three_events):
    event = three_events[0]
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3


def _tamper(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_tampering_below_the_model_is_refused_or_detected(three_events):
    """PostgreSQL refuses it in a trigger; on SQLite the chain shows where it happened."""
    middle = three_events[1]
    sql = "UPDATE audit_auditevent SET reason = %s WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError) as refused:
            _tamper(sql, ["rewritten", middle.pk])
        assert "append-only" in str(refused.value)
        assert verify_chain() == (3, None)
    else:
        _tamper(sql, ["rewritten", middle.pk])
        assert verify_chain() == (1, "event #2 has been altered since it was written")


def test_a_removed_latest_event_is_detected(three_events):
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError):
            _tamper("DELETE FROM audit_auditevent WHERE id = %s", [three_events[2].pk])
        assert verify_chain() == (3, None)
    else:
        _tamper("DELETE FROM audit_auditevent WHERE id = %s", [three_events[2].pk])
        assert verify_chain() == (
            2,
            "the chain should have 3 events but 2 were found: the latest events have been removed",
        )


def test_verify_audit_command_reports_an_intact_chain(three_events, capsys):
    call_command("verify_audit")
    assert capsys.readouterr().out == "audit chain intact: 3 events\n"


def test_verify_audit_command_fails_with_exit_status_1_on_a_broken_chain(three_events):
    if connection.vendor == "postgresql":
        # The trigger keeps the rows intact, so tamper as a superuser would:
        # with triggers switched off for this test's transaction.
        _tamper("SET LOCAL session_replication_role = replica", [])
    _tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["view", three_events[0].pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert failure.value.returncode == 1
    assert str(failure.value) == (
        "audit chain broken after 0 intact events: event #1 has been altered since it was written"
    )
