import pytest

from accounts.models import Role
from tests.factories import UserFactory


@pytest.fixture
def la_admin_too(la, school):
    """The council's second LA administrator."""
    return UserFactory(
        local_authority=la,
        email="admin2@test.example",
        full_name="Second Admin",
        organisation=school,
        roles=[Role.LA_ADMIN],
    )
