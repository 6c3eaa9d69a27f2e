import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import Action, AppendOnlyError, AuditEvent
from audit.services import record, verify_chain
from tests.audit.tampering import tamper


def test_events_are_chained_in_sequence(three_events):
    first, second, third = three_events
    assert [e.position for e in three_events] == [1, 2, 3]
    assert first.sequence < second.sequence < third.sequence
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


def test_tampering_below_the_model_and_its_triggers_is_detected(three_events, la):
    """The database refuses it (test_append_only.py); done anyway, the chain shows where."""
    tamper(
        "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", three_events[1].pk]
    )
    assert verify_chain() == (
        1,
        f"chain council-{la.pk}: event #2 has been altered since it was written",
    )


def test_a_removed_latest_event_is_detected(three_events, la):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [three_events[2].pk])
    assert verify_chain() == (
        2,
        f"chain council-{la.pk}: the chain should have 3 events but 2 were found: the latest "
        "events have been removed",
    )


def test_verify_audit_command_reports_an_intact_chain(three_events, capsys):
    call_command("verify_audit")
    assert capsys.readouterr().out == (
        "audit chains intact: 3 events in 1 chain (3 checked since the last verification)\n"
    )


def test_verify_audit_command_fails_with_exit_status_1_on_a_broken_chain(three_events, la):
    tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["view", three_events[0].pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert failure.value.returncode == 1
    assert str(failure.value) == (
        f"audit chain council-{la.pk} broken after 0 intact events: event #1 has been altered "
        "since it was written"
    )
