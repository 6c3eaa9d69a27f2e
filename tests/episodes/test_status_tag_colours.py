"""A case's status has one tag colour, chosen in episodes.states."""

from episodes.models import Status
from episodes.states import STATUS_TAG_CLASSES


def test_every_case_status_has_a_tag_colour():
    assert set(STATUS_TAG_CLASSES) == set(Status)
    assert all(classes.startswith("govuk-tag--") for classes in STATUS_TAG_CLASSES.values())
