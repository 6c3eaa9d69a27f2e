"""`pytest --clock=INSTANT` (make test-clock) runs the suite at another moment:
every clock the service reads moves there and goes on ticking."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import _start_clock_at


class _Config:
    def __init__(self):
        self.cleanups = []

    def add_cleanup(self, cleanup):
        self.cleanups.append(cleanup)


def test_the_clock_moves_to_the_instant_and_back_when_the_run_ends():
    config = _Config()
    _start_clock_at(config, "2026-12-04T23:30:00+00:00")
    try:
        moved = timezone.now()
        assert (
            datetime.timedelta(0)
            <= moved - datetime.datetime(2026, 12, 4, 23, 30, tzinfo=datetime.UTC)
            < datetime.timedelta(minutes=1)
        )
        # A Friday night in London is still Friday there.
        assert timezone.localdate() == datetime.date(2026, 12, 4)
    finally:
        for cleanup in config.cleanups:
            cleanup()
    assert abs(timezone.now() - moved) > datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("instant", "message"),
    [
        ("Friday night", "is not an instant"),
        ("2026-12-04T23:30:00", "has no offset"),
    ],
)
def test_an_instant_that_is_not_one_says_how_to_write_it(instant, message):
    with pytest.raises(pytest.UsageError, match=message):
        _start_clock_at(_Config(), instant)
