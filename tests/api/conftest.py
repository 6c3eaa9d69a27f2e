import pytest
from django.core.cache import cache

from api.clients import create_client
from api.models import Scope
from tests.factories import OrganisationFactory
from tests.journey_factories import at_meeting, colleague, planned  # noqa: F401

EVERY_SCOPE = list(Scope.values)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits are counted in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def police_force(la):
    return OrganisationFactory(
        local_authority=la, name="Testshire Police", type="police", ods_code="P99"
    )


@pytest.fixture
def make_client(la, police_force):
    def make(scopes=EVERY_SCOPE, *, council=None, organisation=None, name=None, days=None):
        council = council or la
        organisation = organisation or (
            police_force if council == la else OrganisationFactory(local_authority=council)
        )
        return create_client(
            council, organisation, name or f"System {len(scopes)} {council.slug}", scopes, days=days
        )

    return make


@pytest.fixture
def call(client):
    """Call the API with a token (or none): the test client with its header."""

    def send(method, path, token=None, body=None, **headers):
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if method in ("post", "put", "patch"):
            return getattr(client, method)(
                path, body or {}, content_type="application/json", **headers
            )
        return getattr(client, method)(path, **headers)

    return send
