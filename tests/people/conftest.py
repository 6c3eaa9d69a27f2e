import pytest

from accounts.models import Role
from tests.factories import UserFactory


@pytest.fixture
def lead(episode, la, school):
    """The case's lead professional, at the requesting school."""
    user = UserFactory(
        local_authority=la,
        email="lead@test.example",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )
    episode.lead_professional = user
    episode.save()
    return user
