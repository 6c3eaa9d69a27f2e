"""The partner API's authorisation matrix: every endpoint of the table
(tests/api/authorization_table.py) called by every client persona, each
answer as the table says; and the table covers every endpoint."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import get_resolver
from django.utils import timezone

from api import police
from api.clients import revoke
from api.models import ApiClient, Scope
from consent.models import Consent
from people.models import Relationship
from tests.api.authorization_table import ENDPOINTS, PERSONAS
from tests.factories import DistrictFactory, OrganisationFactory
from tests.journey_factories import add_member, plan_actions, share_with


@dataclass
class World:
    case: object
    plan: object
    school: object
    clinic: object
    district: object
    child: object
    action: object
    clinic_action: object

    def notification_sent_by(self, client):
        sent = police.send(
            client,
            {
                "police_reference": f"POL-SENT-{client.pk}",
                "incident_at": timezone.now() - datetime.timedelta(hours=3),
                "kind": "domestic_abuse",
                "circumstances": "Officers attended.",
                "children": [{"first_name": "Ada", "last_name": "Matrixchild"}],
            },
            None,
        )
        return sent.pk


@pytest.fixture
def world(la, other_la, district, school, planned, manager):
    school.district, school.school_urn = district, "123456"
    school.save()
    DistrictFactory(local_authority=other_la, name="Far District")
    case = planned.episode
    child = add_member(
        case,
        Relationship.CHILD,
        first_name="Quinby",
        last_name="Matrixchild",
        date_of_birth=datetime.date(2015, 6, 7),
    )
    share_with(case, school, manager)
    # An organisation of the team whose consent the family withdrew.
    clinic = OrganisationFactory(local_authority=la, name="Matrix Clinic")
    case.organisations.add(clinic)
    share_with(case, clinic, manager)
    Consent.objects.filter(organisation=clinic).update(withdrawn_at=timezone.now())
    action, clinic_action = plan_actions(planned)
    clinic_action.organisation = clinic
    clinic_action.save()
    return World(case, planned, school, clinic, district, child, action, clinic_action)


@pytest.fixture
def clients(make_client, la, other_la, world):
    def made(scope):
        every_other = [s for s in Scope.values if s != scope]
        far = OrganisationFactory(local_authority=other_la, name="Far School")
        tokens, found = {}, {}
        for persona, council, organisation, scopes in (
            ("right_scope", la, world.school, [scope]),
            ("missing_scope", la, world.school, every_other),
            ("other_council", other_la, far, [scope]),
            ("lost_consent", la, world.clinic, [scope]),
            ("revoked", la, world.school, [scope]),
            ("expired", la, world.school, [scope]),
        ):
            client, token = make_client(
                scopes, council=council, organisation=organisation, name=persona
            )
            found[persona], tokens[persona] = client, token
        revoke(found["revoked"])
        ApiClient.objects.filter(pk=found["expired"].pk).update(
            token_expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        return found, tokens

    return made


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_access(name, persona, world, clients, call):
    endpoint = ENDPOINTS[name]
    found, tokens = clients(endpoint.scope)
    body = endpoint.body(world) if endpoint.body else None

    response = call(
        endpoint.method,
        endpoint.path(world, found, persona),
        tokens[persona],
        body,
        **endpoint.headers(world),
    )

    expected = endpoint.expect[persona]
    if isinstance(expected, int):
        assert response.status_code == expected, response.content
    else:
        assert expected(response, world), (response.status_code, response.content)
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_every_row_names_every_persona():
    for name, endpoint in ENDPOINTS.items():
        assert set(endpoint.expect) == set(PERSONAS), name


def test_every_endpoint_and_method_has_a_row():
    """Each view under /api/v1/ taking a token, each of its methods: a row."""
    resolver = get_resolver()
    api = resolver.url_patterns
    rows = {(endpoint.method, _route(endpoint)) for endpoint in ENDPOINTS.values()}
    served = set()
    for pattern in _api_patterns(api):
        view = pattern.callback
        cls = getattr(view, "view_class", None)
        if cls is None or not getattr(cls, "required_scope", ""):
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(cls, method):
                served.add((method, str(pattern.pattern)))
    assert served <= rows, served - rows


def _api_patterns(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            if getattr(pattern, "namespace", None) == "api":
                yield from pattern.url_patterns
            else:
                yield from _api_patterns(pattern.url_patterns)


ROUTES = {
    "cases": "cases/",
    "directory": "directory/",
    "police_notifications": "police-notifications/",
    "police_notification": "police-notifications/<str:id>/",
    "requests": "requests/",
    "already_known": "requests/already-known/",
    "matches": "matches/",
    "plan_action": "plan-actions/<str:id>/",
    "plan_action_put": "plan-actions/<str:id>/",
    "plan_action_patch": "plan-actions/<str:id>/",
}


def _route(endpoint):
    name = next(key for key, value in ENDPOINTS.items() if value is endpoint)
    return ROUTES[name]
