"""The reporting world (world.py) has known dates in 2025 and 2026, so the
figures can be worked out by hand. Its tests run on a day a year after its
period ends: from 2030, dates that old would be outside the casework range
every date input accepts, and the period would be refused."""

import datetime

import pytest
import time_machine

# A year after the world's period (1 April 2025 to 31 March 2026) ends.
WORLDS_TODAY = datetime.datetime(2027, 3, 31, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _on_the_worlds_today():
    with time_machine.travel(WORLDS_TODAY, tick=True):
        yield
