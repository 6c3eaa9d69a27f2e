"""Schemathesis against the OpenAPI document, in process against the WSGI
application, with every check on: no server error, no answer that breaks the
document, no undocumented status code. A client holding every scope calls,
with data that fits the document and data that does not. The examples per
mode follow the Hypothesis profile (tests/conftest.py: "short" by default)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from audit.models import Action, AuditEvent
from tests.factories import DistrictFactory
from tests.journey_factories import share_with

# Every check, as schemathesis sets them, with one addition: data that fits
# the document may still break a rule it cannot express (a police reference is
# recorded once, an incident is not in the future, a URN names a school of the
# client's council), which is answered 422 with the field and how to fix it;
# and an If-Match that fits the document's pattern but is not the plan's
# current ETag is answered 412.
CHECKS = {
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "403", "404", "409", "412", "422", "429"]
    }
}


@pytest.fixture
def api(la, make_client, school, district, episode, manager, planned):
    school.district = district
    school.school_urn = "123456"
    school.save()
    DistrictFactory(local_authority=la, name="Far District")
    # A case the school asked for and may see, for the list of cases.
    episode.requesting_organisation = school
    episode.save()
    share_with(episode, school, manager)
    _, token = make_client(name="Every scope", organisation=school)
    # The token as the document's bearer scheme, so schemathesis knows it is
    # the credential (and leaves it out, not in, when it tests a missing one).
    config = SchemathesisConfig.from_dict(
        {"checks": CHECKS, "auth": {"openapi": {"bearerAuth": {"bearer": token}}}}
    )
    # The WSGI handler closes the database connection after each request, as a
    # server should; here that would end the test's transaction. Django's own
    # test client does the same as this.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", get_wsgi_application(), config=config
        )
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_document(api, mode):
    @given(case=api.as_strategy(generation_mode=mode))
    def call(case):
        case.call_and_validate()

    call()
    if mode == GenerationMode.POSITIVE:
        # The calls were the client's, not only refusals of a missing token.
        assert AuditEvent.objects.filter(actor_label="Every scope", action=Action.VIEW).exists()
