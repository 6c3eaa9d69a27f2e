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
from tests.audit.conftest import CHECKPOINT_KEY
from tests.audit.tampering import delete_events_after, rewind_head

MARK = "earlyhelp-audit-checkpoint"


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def signed(sequence, hash_, written_at, key=CHECKPOINT_KEY):
    """A checkpoint line as the job writes it, signed here independently."""
    content = {"type": MARK, "sequence": sequence, "hash": hash_, "written_at": written_at}
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


def test_the_task_appends_one_signed_line_for_the_end_of_the_chain(three_events, checkpoints):
    result = write_audit_checkpoint.enqueue()
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 3)
    [line] = lines(checkpoints)
    assert line == signed(3, three_events[2].hash, line["written_at"])
    assert datetime.fromisoformat(line["written_at"]).utcoffset().total_seconds() == 0


def test_the_hourly_command_queues_the_task_and_each_run_appends(three_events, checkpoints, capsys):
    call_command("audit_checkpoint")
    record(Action.VIEW)
    call_command("audit_checkpoint")
    assert capsys.readouterr().out == (
        "audit checkpoint written at event 3\naudit checkpoint written at event 4\n"
    )
    assert [line["sequence"] for line in lines(checkpoints)] == [3, 4]


def test_a_good_chain_reaches_its_checkpoint(three_events, checkpoints, capsys):
    call_command("audit_checkpoint")
    capsys.readouterr()
    record(Action.VIEW)  # events after the checkpoint are expected
    [line] = lines(checkpoints)
    assert verify(capsys) == (
        f"audit chain intact: 4 events\nlatest checkpoint matches: event 3 ({when(line)})\n",
        "",
    )


def test_removed_newest_events_with_the_head_rewound_are_found(three_events, checkpoints):
    call_command("audit_checkpoint")
    delete_events_after(1)
    rewind_head(three_events[0])
    assert verify_chain() == (1, None)  # the chain alone cannot tell
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    [line] = lines(checkpoints)
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        f"audit chain truncated: checkpoint at event 3 ({when(line)}) but the chain ends "
        "at event 1",
    )


def test_a_rewritten_newest_event_is_found(three_events, checkpoints):
    call_command("audit_checkpoint")
    delete_events_after(2)
    rewind_head(three_events[1])
    record(Action.SIGN_OUT, reason="a different ending")
    assert verify_chain() == (3, None)
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    [line] = lines(checkpoints)
    assert (failure.value.returncode, str(failure.value)) == (
        1,
        f"audit chain rewritten: event 3 no longer has the hash recorded by the checkpoint of "
        f"{when(line)}",
    )


@pytest.mark.parametrize(
    "forged",
    [
        # Signed with another key, claiming the chain ends earlier.
        lambda events: signed(1, events[0].hash, "2026-12-06T05:00:00+00:00", key="guessed" * 8),
        # A real line with its sequence changed.
        lambda events: {**signed(3, events[2].hash, "2026-12-06T05:00:00+00:00"), "sequence": 1},
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
    first = record(Action.VIEW, obj=la)
    call_command("audit_checkpoint")
    record(Action.VIEW, obj=la)
    record(Action.VIEW, obj=la)
    call_command("audit_checkpoint")
    old, new = checkpoints.read_text().splitlines()
    with checkpoints.open("a") as file:
        file.write(old + "\n")  # the line for event 1, copied to the end
    delete_events_after(1)
    rewind_head(first)
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(failure.value) == (
        f"audit chain truncated: checkpoint at event 3 ({when(json.loads(new))}) but the chain "
        "ends at event 1"
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
    assert (message.startswith("<14>earlyhelp: {"), line) == (
        True,
        signed(3, three_events[2].hash, line["written_at"]),
    )
    capsys.readouterr()
    assert verify(capsys) == (
        "audit chain intact: 3 events\n",
        "audit checkpoints go to syslog: pass --checkpoints with a copy of that log to compare "
        "the chain with them\n",
    )
    copy = tmp_path / "syslog"
    copy.write_text(f"Dec  6 05:00:01 app1 other: unrelated\nDec  6 05:00:02 app1 {message}\n")
    assert verify(capsys, "--checkpoints", str(copy)) == (
        f"audit chain intact: 3 events\nlatest checkpoint matches: event 3 ({when(line)})\n",
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
        "audit chain intact: 3 events\n",
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
    assert line == signed(3, three_events[2].hash, line["written_at"])
