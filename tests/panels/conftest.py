"""Panel fixtures: a coordinator, an open panel next week, a member from a
partner agency who is not otherwise involved in the case, and a case referred
to the panel. All names are invented."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from panels import services
from referrals.services import refer_to_panel
from tests.factories import UserFactory
from tests.journey_factories import at_meeting, planned  # noqa: F401

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def coordinator(la):
    return UserFactory(
        local_authority=la,
        email="panel@test.example",
        full_name="Pat Coordinator",
        roles=[Role.PANEL_COORDINATOR],
    )


@pytest.fixture
def panel(coordinator):
    return services.arrange_panel(coordinator, meets_on=NEXT_WEEK)


@pytest.fixture
def member(other_org):
    """A practitioner of another organisation: sees the case only through the panel."""
    return other_org


@pytest.fixture
def referral(episode, involved):
    return refer_to_panel(involved, episode, concern="No lead professional can be found.")


@pytest.fixture
def on_agenda(panel, coordinator, member, episode, referral):
    """The panel with `member` sitting on it and the referred case on its agenda."""
    services.add_member(coordinator, panel, member)
    return services.add_to_agenda(coordinator, panel, episode)
