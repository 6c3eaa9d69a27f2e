import pytest

from audit.models import Action
from audit.services import record

CHECKPOINT_KEY = "test-checkpoint-key-not-in-the-database-0123456789"


@pytest.fixture(autouse=True)
def checkpoints(settings, tmp_path):
    """Checkpoints go to a file of this test's own, signed with a known key."""
    settings.AUDIT_CHECKPOINT_KEY = CHECKPOINT_KEY
    settings.AUDIT_CHECKPOINT_DESTINATION = "file"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


@pytest.fixture
def three_events(la, involved):
    return [
        record(Action.SIGN_IN, actor=involved, obj=involved),
        record(Action.VIEW, actor=involved, obj=la, reason="checking"),
        record(Action.SIGN_OUT, actor=involved, obj=involved),
    ]
