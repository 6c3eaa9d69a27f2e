"""The chain's end is pinned outside the database by signed checkpoints, so
removing the newest events and rewinding the head no longer passes verify_audit."""

import hashlib
import hmac
import json
import socket
from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import TaskResultStatus

from audit.models import Action
from audit.services import record, verify_chain
from audit.tasks import write_audit_checkpoint
from earlyhelp.settings import _audit_checkpoint_key
from tests.audit.tampering import delete_events_after, legacy_events, rewind_head
from tests.checkpoints import CHECKPOINT_KEY

MARK = "earlyhelp-audit-checkpoint"


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def signed(heads, written_at, key=CHECKPOINT_KEY):
    """A checkpoint line as the job writes it ({chain: (number, hash)}), signed here
    independently."""
    chains = {
        chain: {"sequence": number, "hash": hash_} for chain, (number, hash_) in heads.items()
    }
    content = {"type": MARK, "chains": chains, "written_at": written_at}
    return _with_signature(content, key)


def signed_before_the_split(sequence, hash_, written_at, key=CHECKPOINT_KEY):
    """A line as the job wrote it when there was one chain for everything."""
    content = {"type": MARK, "sequence": sequence, "hash": hash_, "written_at": written_at}
    return _with_signature(content, key)


def _with_signature(content, key):
    message = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    signature = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
    return {**content, "signature": signature}


def when(line):
    return datetime.fromisoformat(line["written_at"]).strftime("%Y-%m-%d %H:%M:%S UTC")


def verify(capsys, *args):
    """verify_audit's (stdout, stderr), or its CommandError."""
    call_command("verify_audit", *args)
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_the_task_appends_one_signed_line_for_the_end_of_every_chain(
    three_events, la, other_la, checkpoints
):
    other = record(Action.VIEW, obj=other_la, local_authority=other_la)
    anonymous = record(Action.SIGN_IN_FAILED, actor_label="nobody@test.example")
    result = write_audit_checkpoint.enqueue()
    council, other_council = f"council-{la.pk}", f"council-{other_la.pk}"
    assert (result.status, result.return_value) == (
        TaskResultStatus.SUCCESSFUL,
        {council: 3, other_council: 1, "no-council": 1},
    )
    [line] = lines(checkpoints)
    heads = {
        council: (3, three_events[2].hash),
        other_council: (1, other.hash),
        "no-council": (1, anonymous.hash),
    }
    assert line == signed(heads, line["written_at"])
    assert datetime.fromisoformat(line["written_at"]).utcoffset().total_seconds() == 0


def test_the_hourly_command_queues_the_task_and_each_run_appends(
    three_events, la, checkpoints, capsys
):
    call_command("audit_checkpoint")
    record(Action.VIEW, obj=la, local_authority=la)
    call_command("audit_checkpoint")
    council = f"council-{la.pk}"
    assert capsys.readouterr().out == (
        f"audit checkpoint written: {council} at event 3\n"
        f"audit checkpoint written: {council} at event 4\n"
    )
    assert [line["chains"][council]["sequence"] for line in lines(checkpoints)] == [3, 4]


def test_a_good_chain_reaches_its_checkpoint(three_events, la, checkpoints, capsys):
    call_command("audit_checkpoint")
    capsys.readouterr()
    record(Action.VIEW)  # events after the checkpoint are expected, in any chain
    [line] = lines(checkpoints)
    assert verify(capsys) == (
        "audit chains intact: 4 events in 2 chains (4 checked since the last verification)\n"
        f"latest checkpoint matches: council-{la.pk} at event 3 ({when(line)})\n",
        "",
    )


def test_a_checkpoint_written_before_the_chains_were_split_pins_the_legacy_chain(
    db, checkpoints, capsys
):
    legacy = legacy_events(2)
    checkpoints.write_text(
        json.dumps(signed_before_the_split(2, legacy[1].hash, "2026-12-01T05:00:00+00:00")) + "\n"
    )
    assert verify(capsys)[0] == (
        "audit chains intact: 2 events in 1 chain (2 checked since the last verification)\n"
        "latest checkpoint matches: legacy at event 2 (2026-12-01 05:00:00 UTC)\n"
    )
    delete_events_after(legacy[0].sequence)
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        "audit chain legacy rewritten: event #2, where the last verification ended, is missing\n"
        "audit chain legacy truncated: checkpoint at event 2 (2026-12-01 05:00:00 UTC) but the "
        "chain ends at event 1"
    )


def test_removed_newest_events_with_the_head_rewound_are_found(three_events, la, checkpoints):
    call_command("audit_checkpoint")
    delete_events_after(three_events[0].sequence)
    rewind_head(three_events[0])
    assert verify_chain() == (1, None)  # the chain alone cannot tell
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", "--full")
    [line] = lines(checkpoints)
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        f"audit chain council-{la.pk} truncated: checkpoint at event 3 ({when(line)}) but the "
        "chain ends at event 1",
    )


def test_a_rewritten_newest_event_is_found(three_events, la, involved, checkpoints):
    call_command("audit_checkpoint")
    delete_events_after(three_events[1].sequence)
    rewind_head(three_events[1])
    record(Action.SIGN_OUT, actor=involved, obj=involved, reason="a different ending")
    assert verify_chain() == (3, None)
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    [line] = lines(checkpoints)
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        f"audit chain council-{la.pk} rewritten: event 3 no longer has the hash recorded by the "
        f"checkpoint of {when(line)}",
    )


@pytest.mark.parametrize(
    "forged",
    [
        # Signed with another key, claiming the chain ends earlier.
        lambda events: signed(
            {events[0].chain: (1, events[0].hash)}, "2026-12-06T05:00:00+00:00", key="guessed" * 8
        ),
        # A real line with its chains changed.
        lambda events: {
            **signed({events[2].chain: (3, events[2].hash)}, "2026-12-06T05:00:00+00:00"),
            "chains": {events[0].chain: {"sequence": 1, "hash": events[0].hash}},
        },
        # A line of the old form, signed with another key.
        lambda events: signed_before_the_split(
            1, events[0].hash, "2026-12-06T05:00:00+00:00", key="guessed" * 8
        ),
        # Not even a checkpoint.
        lambda events: f'{{"type": "{MARK}", "sequence": 1}}',
    ],
)
def test_a_forged_checkpoint_line_is_reported(three_events, checkpoints, forged):
    call_command("audit_checkpoint")
    line = forged(three_events)
    with checkpoints.open("a") as file:
        file.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        f"checkpoint on line 2 of {checkpoints} has a bad signature: it was not written by this "
        "service with its checkpoint key",
    )


def test_an_old_checkpoint_appended_again_does_not_hide_a_truncation(la, checkpoints):
    first = record(Action.VIEW, obj=la, local_authority=la)
    call_command("audit_checkpoint")
    record(Action.VIEW, obj=la, local_authority=la)
    record(Action.VIEW, obj=la, local_authority=la)
    call_command("audit_checkpoint")
    old, new = checkpoints.read_text().splitlines()
    with checkpoints.open("a") as file:
        file.write(old + "\n")  # the line for event 1, copied to the end
    delete_events_after(first.sequence)
    rewind_head(first)
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        f"audit chain council-{la.pk} truncated: checkpoint at event 3 ({when(json.loads(new))}) "
        "but the chain ends at event 1"
    )


def test_checkpoints_can_go_to_syslog_and_be_checked_from_a_copy_of_it(
    three_events, settings, tmp_path, capsys
):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.AUDIT_CHECKPOINT_DESTINATION = "syslog"
    settings.AUDIT_CHECKPOINT_SYSLOG_ADDRESS = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        call_command("audit_checkpoint")
        message = receiver.recv(4096).decode()
    finally:
        receiver.close()
    line = json.loads(message.removeprefix("<14>earlyhelp: ").removesuffix("\x00"))
    heads = {three_events[2].chain: (3, three_events[2].hash)}
    assert (message.startswith("<14>earlyhelp: {"), line) == (
        True,
        signed(heads, line["written_at"]),
    )
    capsys.readouterr()
    assert verify(capsys) == (
        "audit chains intact: 3 events in 1 chain (3 checked since the last verification)\n",
        "audit checkpoints go to syslog: pass --checkpoints with a copy of that log to compare "
        "the chain with them\n",
    )
    copy = tmp_path / "syslog"
    copy.write_text(f"Dec  6 05:00:01 app1 other: unrelated\nDec  6 05:00:02 app1 {message}\n")
    assert verify(capsys, "--checkpoints", str(copy)) == (
        "audit chains intact: 3 events in 1 chain (0 checked since the last verification)\n"
        f"latest checkpoint matches: {three_events[2].chain} at event 3 ({when(line)})\n",
        "",
    )


def test_without_a_key_the_job_fails_and_says_why(three_events, settings, checkpoints):
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError) as failure:
        call_command("audit_checkpoint")
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        "audit checkpoint not written: django.core.exceptions.ImproperlyConfigured: "
        "AUDIT_CHECKPOINT_KEY is not set, or is shorter than 32 characters: set it, or "
        "AUDIT_CHECKPOINT_KEY_FILE, to a long random value that the database does not hold "
        "(see docs/PRODUCTION.md)",
    )
    assert not checkpoints.exists()


def test_without_the_key_verify_audit_cannot_check_checkpoints_and_says_why(three_events, settings):
    call_command("audit_checkpoint")
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        "cannot check the audit checkpoints: AUDIT_CHECKPOINT_KEY is not set, or is shorter than "
        "32 characters: set it, or AUDIT_CHECKPOINT_KEY_FILE, to a long random value that the "
        "database does not hold (see docs/PRODUCTION.md)",
    )


def test_with_no_checkpoint_yet_verify_audit_says_so_and_passes(three_events, checkpoints, capsys):
    assert verify(capsys) == (
        "audit chains intact: 3 events in 1 chain (3 checked since the last verification)\n",
        f"no audit checkpoint file at {checkpoints}: schedule `earlyhelp audit_checkpoint` hourly "
        "(docs/PRODUCTION.md)\n",
    )


def test_the_key_is_read_from_the_environment_or_a_file(monkeypatch, tmp_path):
    key_file = tmp_path / "checkpoint-key"
    key_file.write_text("from-a-file-of-the-operators-own\n")
    monkeypatch.setenv("AUDIT_CHECKPOINT_KEY", "from-the-environment")
    assert _audit_checkpoint_key() == "from-the-environment"
    monkeypatch.delenv("AUDIT_CHECKPOINT_KEY")
    monkeypatch.setenv("AUDIT_CHECKPOINT_KEY_FILE", str(key_file))
    assert _audit_checkpoint_key() == "from-a-file-of-the-operators-own"


def test_with_the_database_queue_the_worker_writes_it(
    transactional_db, three_events, settings, checkpoints, capsys
):
    """Production may queue the task for `earlyhelp db_worker` instead of running it at once.
    The worker closes its database connection, so this test commits for real."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("audit_checkpoint")
    assert capsys.readouterr().out.startswith("audit checkpoint queued as task ")
    assert not checkpoints.exists()
    call_command("db_worker", batch=True, verbosity=0)
    [line] = lines(checkpoints)
    assert line == signed({three_events[2].chain: (3, three_events[2].hash)}, line["written_at"])
