"""One audit chain per council: councils never wait on each other's lock, a
broken chain is named, and verify_audit starts where its last run ended."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.append_only import HEAD_TABLE, trigger_names
from audit.models import Action, AuditChainHead, VerifiedPosition
from audit.services import record, verify_chain
from tests.audit.tampering import legacy_events, tamper

HEAD_TRIGGERS = {
    "sqlite": ["audit_head_forward_only", "audit_head_no_delete"],
    "postgresql": ["audit_head_forward_only", "audit_head_no_truncate"],
}


def view(council):
    return record(Action.VIEW, obj=council, local_authority=council)


def verify(capsys, *args):
    call_command("verify_audit", *args)
    return capsys.readouterr().out.splitlines()[0]


def test_two_councils_events_form_two_chains(la, other_la):
    first, other_first, second = view(la), view(other_la), view(la)
    assert [(e.chain, e.position) for e in (first, other_first, second)] == [
        (f"council-{la.pk}", 1),
        (f"council-{other_la.pk}", 1),
        (f"council-{la.pk}", 2),
    ]
    assert (second.prev_hash, other_first.prev_hash) == (first.hash, "0" * 64)
    assert dict(AuditChainHead.objects.values_list("chain", "sequence")) == {
        f"council-{la.pk}": 2,
        f"council-{other_la.pk}": 1,
    }
    assert verify_chain() == (3, None)


def test_a_write_reads_and_locks_only_its_own_councils_head(la, other_la):
    view(la), view(other_la)
    with CaptureQueriesContext(connection) as queries:
        view(la)
    head_queries = [q["sql"] for q in queries if HEAD_TABLE in q["sql"]]
    assert len(head_queries) == 2  # locked and read, then moved forward
    [locking] = [sql for sql in head_queries if sql.lstrip().startswith("SELECT")]
    assert f"'council-{la.pk}'" in locking and f"council-{other_la.pk}" not in locking
    if connection.vendor == "postgresql":
        assert locking.rstrip().endswith("FOR UPDATE")


def test_events_without_a_council_have_their_own_chain(la):
    event = record(Action.SIGN_IN_FAILED, actor_label="unknown@test.example")
    assert (event.chain, event.position, event.local_authority) == ("no-council", 1, None)


def test_tampering_in_one_chain_is_reported_with_that_chain_named(la, other_la):
    view(la), view(other_la)
    tampered = view(other_la)
    view(la)
    tamper("UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [tampered.pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        f"audit chain council-{other_la.pk} broken after 1 intact events: event #2 has been "
        "altered since it was written"
    )


def test_incremental_verification_reads_only_the_new_events(la, other_la, capsys):
    for _ in range(5):
        view(la)
    assert verify(capsys) == (
        "audit chains intact: 5 events in 1 chain (5 checked since the last verification)"
    )
    view(la), view(other_la)
    assert verify(capsys) == (
        "audit chains intact: 7 events in 2 chains (2 checked since the last verification)"
    )
    assert verify(capsys) == (
        "audit chains intact: 7 events in 2 chains (0 checked since the last verification)"
    )
    assert verify(capsys, "--full") == "audit chains intact: 7 events in 2 chains (7 checked now)"


def test_incremental_verification_catches_tampering_in_the_new_events(la, capsys):
    view(la), view(la)
    verify(capsys)
    new = view(la)
    tamper("UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [new.pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        f"audit chain council-{la.pk} broken after 2 intact events: event #3 has been altered "
        "since it was written"
    )


def test_incremental_verification_catches_a_rewritten_end_of_the_verified_part(la, capsys):
    view(la)
    last_verified = view(la)
    verify(capsys)
    view(la)
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, last_verified.pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        f"audit chain council-{la.pk} rewritten: event #2, where the last verification ended, "
        "has been rewritten"
    )


def test_only_full_verification_reads_the_verified_part_again(la, capsys):
    first = view(la)
    view(la)
    verify(capsys)
    tamper("UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [first.pk])
    assert verify(capsys).startswith("audit chains intact")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", "--full")
    assert "event #1 has been altered since it was written" in str(failure.value)


def test_a_verified_position_changed_in_the_database_is_refused(la, capsys):
    view(la), view(la)
    verify(capsys)
    tamper("UPDATE audit_verifiedposition SET sequence = 1")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        f"the record of how far audit chain council-{la.pk} was verified has been changed in the "
        "database (its signature does not match): the chain was verified from its start"
    )
    assert VerifiedPosition.objects.get().sequence == 1  # not trusted, not replaced


def test_legacy_events_still_verify_and_new_chains_start_after_them(la, capsys):
    legacy_events(3)
    event = view(la)
    assert (event.position, event.sequence > 3) == (1, True)
    assert verify(capsys, "--full") == "audit chains intact: 4 events in 2 chains (4 checked now)"


def run_sql(sql, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("UPDATE audit_auditchainhead SET sequence = sequence - 1", "UPDATE"),
        ("UPDATE audit_auditchainhead SET last_hash = 'rewound'", "UPDATE"),
        ("UPDATE audit_auditchainhead SET chain = 'no-council'", "UPDATE"),
        ("DELETE FROM audit_auditchainhead", "DELETE"),
    ],
)
def test_chain_heads_only_move_forward(la, sql, refused):
    view(la), view(la)
    with pytest.raises(DatabaseError) as error:
        run_sql(sql)
    assert str(error.value).splitlines()[0] == (
        f"audit chain heads only move forward: {refused} refused"
    )


def test_the_legacy_head_is_frozen(db):
    legacy_events(1)
    with pytest.raises(DatabaseError):
        run_sql("UPDATE audit_auditchainhead SET sequence = 2 WHERE chain = 'legacy'")


def test_the_head_triggers_are_in_place_after_all_migrations(db):
    assert trigger_names(connection, HEAD_TABLE) == HEAD_TRIGGERS[connection.vendor]
