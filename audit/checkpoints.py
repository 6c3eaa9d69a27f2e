"""Checkpoints of the audit chain, kept where the application cannot rewrite them.

The hash chains show any row changed or removed in the middle, but someone
with the database's password can remove the newest rows and rewind a chain head
to match, and the chain still verifies. A checkpoint pins every chain's end
outside the database: one line listing each chain's last event number and
hash, and the time, signed with HMAC-SHA256 under AUDIT_CHECKPOINT_KEY, a key
the database does not hold. The hourly `write_audit_checkpoint` task (tasks.py)
appends it as one JSON line to a file opened O_APPEND, which the operating
system keeps append-only, or sends it to syslog. `verify_audit` then checks
every line's signature and that each chain still reaches the furthest
checkpoint of it, with the same hash. Lines written before the chains were
split (a single "sequence" and "hash") pin the legacy chain.
"""

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
import socket
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import LEGACY_CHAIN, ArchivedStart, AuditChainHead, AuditEvent

MARK = "earlyhelp-audit-checkpoint"
VERIFIED_MARK = "earlyhelp-audit-verified"
ARCHIVED_MARK = "earlyhelp-audit-archived"
MIN_KEY_LENGTH = 32


@dataclass(frozen=True)
class Checkpoint:
    # {chain: (last event number, its hash)}
    heads: dict[str, tuple[int, str]]
    written_at: str  # ISO 8601, UTC
    signature: str = ""
    # A line written before the chains were split: it pins the legacy chain.
    single_chain: bool = False

    def _content(self):
        if self.single_chain:
            [(number, hash_)] = self.heads.values()
            return {"type": MARK, "sequence": number, "hash": hash_, "written_at": self.written_at}
        chains = {
            chain: {"sequence": number, "hash": hash_}
            for chain, (number, hash_) in self.heads.items()
        }
        return {"type": MARK, "chains": chains, "written_at": self.written_at}

    def signed_content(self):
        return _canonical(self._content())

    def line(self):
        return json.dumps({**self._content(), "signature": self.signature}, sort_keys=True)

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


def has_key() -> bool:
    try:
        _key()
    except ImproperlyConfigured:
        return False
    return True


def _canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def _sign(message: bytes) -> str:
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _signature(checkpoint):
    return _sign(checkpoint.signed_content())


def signature_ok(checkpoint):
    return hmac.compare_digest(_signature(checkpoint).encode(), checkpoint.signature.encode())


def verified_position_signature(chain: str, number: int, hash_: str) -> str:
    """The signature of "chain was verified up to event `number`, whose hash is
    `hash_`", which verify_audit keeps in the database to start from next time."""
    content = {"type": VERIFIED_MARK, "chain": chain, "sequence": number, "hash": hash_}
    return _sign(_canonical(content))


def archived_start_signature(chain: str, number: int, hash_: str) -> str:
    """The signature of "chain's events up to `number`, the last with hash
    `hash_`, were archived", kept in the database (models.ArchivedStart)."""
    content = {"type": ARCHIVED_MARK, "chain": chain, "sequence": number, "hash": hash_}
    return _sign(_canonical(content))


def archived_start(chain: str) -> ArchivedStart | None:
    """Where the chain starts in the database, if its oldest months were
    archived and the record of it carries a good signature."""
    start = ArchivedStart.objects.filter(chain=chain).first()
    if start is None:
        return None
    expected = archived_start_signature(chain, start.sequence, start.hash)
    return start if hmac.compare_digest(expected, start.signature) else None


def take_checkpoint():
    """Every chain's end now, signed."""
    heads = AuditChainHead.objects.filter(sequence__gt=0).order_by("chain")
    checkpoint = Checkpoint(
        heads={head.chain: (head.sequence, head.last_hash) for head in heads},
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
        single_chain = "chains" not in data
        if single_chain:
            heads = {LEGACY_CHAIN: (data["sequence"], data["hash"])}
        else:
            heads = {
                chain: (head["sequence"], head["hash"]) for chain, head in data["chains"].items()
            }
        checkpoint = Checkpoint(
            heads=heads,
            written_at=data["written_at"],
            signature=data["signature"],
            single_chain=single_chain,
        )
        datetime.fromisoformat(checkpoint.written_at)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    well_formed = (
        data.get("type") == MARK
        and all(
            isinstance(chain, str) and type(number) is int and isinstance(hash_, str)
            for chain, (number, hash_) in heads.items()
        )
        and isinstance(checkpoint.signature, str)
    )
    return checkpoint if well_formed else None


def compare_with_checkpoints(path):
    """({chain: (its furthest good checkpoint's event number, that checkpoint)}, [problems]).

    Every line must carry a good signature. Each chain must reach the furthest
    checkpoint of it (the highest number, so an old line appended again cannot
    hide a truncation) and hold the same hash there.
    """
    problems = []
    furthest = {}
    for number, checkpoint in read_checkpoints(path):
        if checkpoint is None or not signature_ok(checkpoint):
            problems.append(
                f"checkpoint on line {number} of {path} has a bad signature: it was not written "
                "by this service with its checkpoint key"
            )
            continue
        for chain, (event_number, _hash) in checkpoint.heads.items():
            known = furthest.get(chain)
            if known is None or (event_number, checkpoint.written_at) > (
                known[0],
                known[1].written_at,
            ):
                furthest[chain] = (event_number, checkpoint)
    for chain, (event_number, checkpoint) in sorted(furthest.items()):
        problem = _chain_problem(chain, event_number, checkpoint.heads[chain][1], checkpoint.when)
        if problem:
            problems.append(problem)
    return furthest, problems


def _chain_problem(chain, number, hash_, when):
    if number == 0:
        return None
    archived = archived_start(chain)
    if archived is not None and number <= archived.sequence:
        # That event was archived with its month; its hash is pinned only at the
        # last archived event (checked by verify_audit --full).
        if number == archived.sequence and archived.hash != hash_:
            return (
                f"audit chain {chain} rewritten: event {number}, where its archived months "
                f"end, no longer has the hash recorded by the checkpoint of {when}"
            )
        return None
    field = "sequence" if chain == LEGACY_CHAIN else "position"
    events = AuditEvent.objects.filter(chain=chain)
    last = events.order_by(f"-{field}").values_list(field, flat=True).first()
    if last is None or last < number:
        return (
            f"audit chain {chain} truncated: checkpoint at event {number} "
            f"({when}) but the chain ends at event {last or 0}"
        )
    event = events.filter(**{field: number}).only("hash").first()
    if event is None:
        return (
            f"audit chain {chain} broken: event {number}, where the checkpoint of "
            f"{when} ends, is missing"
        )
    if event.hash != hash_:
        return (
            f"audit chain {chain} rewritten: event {number} no longer has the hash recorded "
            f"by the checkpoint of {when}"
        )
    return None
