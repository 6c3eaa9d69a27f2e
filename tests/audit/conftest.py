import pytest

from audit.models import Action
from audit.services import record


@pytest.fixture
def three_events(la, involved):
    return [
        record(Action.SIGN_IN, actor=involved, obj=involved),
        record(Action.VIEW, actor=involved, obj=la, reason="checking"),
        record(Action.SIGN_OUT, actor=involved, obj=involved),
    ]
