"""An action's status has one tag colour, chosen in plans.models beside ActionStatus,
wherever it is shown (the plan, a review's progress)."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from plans.models import ACTION_STATUS_TAG_CLASSES, ActionStatus


def test_every_action_status_has_a_tag_colour():
    assert set(ACTION_STATUS_TAG_CLASSES) == set(ActionStatus)
    assert all(classes.startswith("govuk-tag--") for classes in ACTION_STATUS_TAG_CLASSES.values())


@pytest.mark.parametrize("status", list(ActionStatus))
def test_the_status_tag_takes_its_colour_from_the_mapping(status):
    action = SimpleNamespace(
        status=status.value, get_status_display=lambda: status.label, overdue=False
    )
    html = render_to_string("plans/_status_tag.html", {"action": action}).strip()
    assert html == (
        f'<strong class="govuk-tag {ACTION_STATUS_TAG_CLASSES[status]}">{status.label}</strong>'
    )


def test_an_overdue_action_also_has_a_red_tag():
    action = SimpleNamespace(
        status=ActionStatus.IN_PROGRESS.value,
        get_status_display=lambda: ActionStatus.IN_PROGRESS.label,
        overdue=True,
    )
    html = render_to_string("plans/_status_tag.html", {"action": action})
    assert '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
