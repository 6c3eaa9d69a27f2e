"""Every test's audit checkpoints go to a file of its own, signed with a known key.

Settings read the developer's key from var/ when they are imported, which on
a fresh checkout is before pytest's configuration writes it (tests/conftest.py):
a test that ran `verify_audit` then saw no key, or on a developer's machine
the checkpoints `make run`'s scheduled jobs had appended to var/. Each test now
starts with the same key and an empty file that no other test writes to, so a
test's result does not depend on what ran before it or on the machine.
"""

import itertools

import pytest

CHECKPOINT_KEY = "test-checkpoint-key-not-in-the-database-0123456789"

_numbers = itertools.count()


@pytest.fixture(autouse=True)
def checkpoints(settings, tmp_path_factory):
    """The path of this test's checkpoint file (not yet written): in one folder
    of the run's (or xdist worker's), not a folder made for each test."""
    folder = tmp_path_factory.getbasetemp() / "audit-checkpoints"
    folder.mkdir(exist_ok=True)
    settings.AUDIT_CHECKPOINT_KEY = CHECKPOINT_KEY
    settings.AUDIT_CHECKPOINT_DESTINATION = "file"
    settings.AUDIT_CHECKPOINT_FILE = folder / f"{next(_numbers)}.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE
