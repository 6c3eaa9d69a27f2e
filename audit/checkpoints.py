"""Checkpoints of the audit chain, kept where the application cannot rewrite them.

The hash chain shows any row changed or removed in the middle, but someone with
the database's password can remove the newest rows and rewind the chain head to
match, and the chain still verifies. A checkpoint pins the chain's end outside
the database: the last event's sequence number and hash, and the time, signed
with HMAC-SHA256 under AUDIT_CHECKPOINT_KEY, a key the database does not hold.
The hourly `write_audit_checkpoint` task (tasks.py) appends one JSON line to a
file opened O_APPEND, which the operating system keeps append-only, or sends it
to syslog. `verify_audit` then checks every line's signature and that the chain
still reaches the furthest checkpoint, with the same hash.
"""

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
import socket
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import GENESIS_HASH, AuditEvent

MARK = "earlyhelp-audit-checkpoint"
MIN_KEY_LENGTH = 32


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    written_at: str  # ISO 8601, UTC
    signature: str = ""

    def signed_content(self):
        content = {
            "type": MARK,
            "sequence": self.sequence,
            "hash": self.hash,
            "written_at": self.written_at,
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def line(self):
        return json.dumps({"type": MARK, **asdict(self)}, sort_keys=True)

    @property
    def when(self):
        """The time it was written, for people."""
        return datetime.fromisoformat(self.written_at).strftime("%Y-%m-%d %H:%M:%S UTC")


def _key():
    key = settings.AUDIT_CHECKPOINT_KEY
    if len(key) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            "AUDIT_CHECKPOINT_KEY is not set, or is shorter than 32 characters: set it, or "
            "AUDIT_CHECKPOINT_KEY_FILE, to a long random value that the database does not hold "
            "(see docs/PRODUCTION.md)"
        )
    return key.encode()


def _signature(checkpoint):
    return hmac.new(_key(), checkpoint.signed_content(), hashlib.sha256).hexdigest()


def signature_ok(checkpoint):
    return hmac.compare_digest(_signature(checkpoint).encode(), checkpoint.signature.encode())


def take_checkpoint():
    """The chain's end now, signed."""
    last = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
    checkpoint = Checkpoint(
        sequence=last.sequence if last else 0,
        hash=last.hash if last else GENESIS_HASH,
        written_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return replace(checkpoint, signature=_signature(checkpoint))


def write_checkpoint():
    """Take a checkpoint and send it to AUDIT_CHECKPOINT_DESTINATION."""
    checkpoint = take_checkpoint()
    destination = settings.AUDIT_CHECKPOINT_DESTINATION
    if destination == "file":
        _append_to_file(settings.AUDIT_CHECKPOINT_FILE, checkpoint.line())
    elif destination == "syslog":
        _send_to_syslog(settings.AUDIT_CHECKPOINT_SYSLOG_ADDRESS, checkpoint.line())
    else:
        raise ImproperlyConfigured(
            f'AUDIT_CHECKPOINT_DESTINATION is "{destination}": set it to "file" or "syslog"'
        )
    return checkpoint


def _append_to_file(path, line):
    # O_APPEND: every write lands at the end, even if the file is made
    # append-only (chattr +a) so that nothing can rewrite what is there. One
    # write of one line, so two jobs at once cannot interleave.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def syslog_address(address):
    """(address, socket type) for SysLogHandler from "/dev/log", "host:port" or "tcp://host:port"."""
    if address.startswith("/"):
        return address, None
    socktype = socket.SOCK_DGRAM
    if address.startswith("tcp://"):
        address, socktype = address.removeprefix("tcp://"), socket.SOCK_STREAM
    host, _colon, port = address.removeprefix("udp://").rpartition(":")
    return (host, int(port)), socktype


def _send_to_syslog(address, line):
    address, socktype = syslog_address(address)
    handler = logging.handlers.SysLogHandler(address=address, socktype=socktype)
    handler.ident = "earlyhelp: "
    try:
        handler.emit(logging.LogRecord(__name__, logging.INFO, __file__, 0, line, None, None))
    finally:
        handler.close()


def read_checkpoints(path):
    """[(line number, Checkpoint or None)] for each line that claims to be a checkpoint.

    The file is ours, or a copy of the syslog that received them: a line may
    have a prefix before the JSON, and lines about other things are skipped.
    """
    found = []
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if MARK in text:
                found.append((number, _parse(text[text.find("{") :])))
    return found


def _parse(text):
    try:
        # raw_decode: a relay may leave something (a NUL, a newline) after the JSON.
        data, _end = json.JSONDecoder().raw_decode(text)
        checkpoint = Checkpoint(
            sequence=data["sequence"],
            hash=data["hash"],
            written_at=data["written_at"],
            signature=data["signature"],
        )
        datetime.fromisoformat(checkpoint.written_at)
    except (ValueError, KeyError, TypeError):
        return None
    well_formed = (
        data.get("type") == MARK
        and type(checkpoint.sequence) is int
        and isinstance(checkpoint.hash, str)
        and isinstance(checkpoint.signature, str)
    )
    return checkpoint if well_formed else None


def compare_with_checkpoints(path):
    """(the furthest good checkpoint or None, [problems]).

    Every line must carry a good signature. The chain must reach the furthest
    checkpoint (the highest sequence, so an old line appended again cannot
    hide a truncation) and hold the same hash there.
    """
    problems = []
    good = []
    for number, checkpoint in read_checkpoints(path):
        if checkpoint is None or not signature_ok(checkpoint):
            problems.append(
                f"checkpoint on line {number} of {path} has a bad signature: it was not written "
                "by this service with its checkpoint key"
            )
        else:
            good.append(checkpoint)
    if not good:
        return None, problems
    furthest = max(good, key=lambda checkpoint: (checkpoint.sequence, checkpoint.written_at))
    problem = _chain_problem(furthest)
    return furthest, problems + ([problem] if problem else [])


def _chain_problem(checkpoint):
    if checkpoint.sequence == 0:
        return None
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    if last is None or last < checkpoint.sequence:
        return (
            f"audit chain truncated: checkpoint at event {checkpoint.sequence} "
            f"({checkpoint.when}) but the chain ends at event {last or 0}"
        )
    event = AuditEvent.objects.filter(sequence=checkpoint.sequence).only("hash").first()
    if event is None:
        return (
            f"audit chain broken: event {checkpoint.sequence}, where the checkpoint of "
            f"{checkpoint.when} ends, is missing"
        )
    if event.hash != checkpoint.hash:
        return (
            f"audit chain rewritten: event {checkpoint.sequence} no longer has the hash recorded "
            f"by the checkpoint of {checkpoint.when}"
        )
    return None
