"""Who may call every endpoint of the partner API: the table the API's
authorisation matrix (tests/api/test_authorization_matrix.py) checks,
endpoint by endpoint, client persona by client persona. The staff matrix
(tests/authorization_table.py) checks that a session, or no one, is refused
every endpoint (401); this one checks what each token may do.

THE TABLE'S FORMAT

    "name": Endpoint(method, path, scope, expect, body=..., headers=...),

- path(world, clients, persona) gives the path (a record of the world's case:
  for lost_consent, its own organisation's record, so that only the withdrawn
  consent refuses it);
- scope: the scope the endpoint needs;
- body(world) / headers(world): what is sent (a fresh body each call);
- expect: {persona: status, or check(response, world) -> bool}: every persona
  of PERSONAS must be in it.

THE PERSONAS (each a client of its own)

- right_scope: the school the case was asked for by, the family sharing with
  it, holding only the endpoint's scope;
- missing_scope: the same school, holding every scope but that one;
- other_council: another council's client, holding the scope;
- lost_consent: an organisation of the same council in the case's team whose
  consent the family withdrew, holding the scope;
- revoked / expired: the right_scope client's scopes, its token revoked or
  past its expiry.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

PERSONAS = ("right_scope", "missing_scope", "other_council", "lost_consent", "revoked", "expired")

# Refused everywhere alike.
REFUSED = {"missing_scope": 403, "revoked": 401, "expired": 401}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[Any, dict, str], str]
    scope: str
    expect: dict[str, Any]
    body: Callable[[Any], dict] | None = None
    headers: Callable[[Any], dict] = field(default=lambda world: {})


def status(code):
    return lambda response, world: response.status_code == code


def listed(response, world):
    return response.status_code == 200 and world.case.reference in _references(response)


def not_listed(response, world):
    return response.status_code == 200 and world.case.reference not in _references(response)


def _references(response):
    return [case["reference"] for case in response.json()["results"]]


def own_district(response, world):
    names = [d["name"] for d in response.json()["results"]]
    return response.status_code == 200 and world.district.name in names


def not_our_district(response, world):
    names = [d["name"] for d in response.json()["results"]]
    return response.status_code == 200 and world.district.name not in names


def known_and_shown(response, world):
    matches = response.json()["matches"]
    return response.status_code == 200 and [m["person"]["id"] for m in matches] == [world.child.pk]


def known_but_hidden(response, world):
    """A likely match the client may not see: whom to contact, nothing else."""
    matches = response.json()["matches"]
    return (
        response.status_code == 200
        and len(matches) == 1
        and matches[0]["person"] is None
        and matches[0]["contact"]
    )


def not_known(response, world):
    return response.status_code == 200 and response.json()["matches"] == []


def matched(response, world):
    rows = response.json()["results"]
    return response.status_code == 200 and [r["external_id"] for r in rows] == [
        f"EH-{world.child.pk}"
    ]


def not_matched(response, world):
    return response.status_code == 200 and response.json()["results"] == []


def field_refused(name):
    def check(response, world):
        return response.status_code == 422 and name in [
            e["field"] for e in response.json()["errors"]
        ]

    return check


_counter = iter(range(1, 10**6))


def police_body(world):
    return {
        "police_reference": f"POL-MATRIX-{next(_counter)}",
        "incident_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "kind": "domestic_abuse",
        "circumstances": "Officers attended a domestic incident at home.",
        "school_urn": world.school.school_urn,
        "children": [{"first_name": "Ada", "last_name": "Matrixchild"}],
    }


def request_body(world):
    return {
        "district_id": world.district.pk,
        "source": "professional",
        "family_name": "Matrix family",
        "worries": "Attendance has fallen since the autumn.",
        "needs": ["attendance"],
        "people": [
            {
                "relationship": "child",
                "first_name": "Kit",
                "last_name": "Matrixnew",
                "date_of_birth": "2016-03-04",
            }
        ],
    }


def known_body(world):
    child = world.child
    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
    }


def match_body(world):
    child = world.child
    return {
        "people": [
            {
                "query_id": "q1",
                "first_name": child.first_name,
                "last_name": child.last_name,
                "date_of_birth": child.date_of_birth.isoformat(),
                "nhs_number": child.nhs_number,
            }
        ]
    }


def notification_of(world, clients, persona):
    return f"/api/v1/police-notifications/{world.notification_sent_by(clients['right_scope'])}/"


def action_of(world, clients, persona):
    action = world.clinic_action if persona == "lost_consent" else world.action
    return f"/api/v1/plan-actions/{action.pk}/"


def if_match(world):
    from api.actions import etag

    world.plan.refresh_from_db()
    return {"HTTP_IF_MATCH": etag(world.plan)}


ENDPOINTS = {
    "cases": Endpoint(
        "get",
        lambda world, clients, persona: "/api/v1/cases/",
        "cases:read",
        {"right_scope": listed, "other_council": not_listed, "lost_consent": not_listed},
    ),
    "directory": Endpoint(
        "get",
        lambda world, clients, persona: "/api/v1/directory/",
        "directory:read",
        {"right_scope": own_district, "other_council": not_our_district, "lost_consent": 200},
    ),
    "police_notifications": Endpoint(
        "post",
        lambda world, clients, persona: "/api/v1/police-notifications/",
        "police_notifications:write",
        # Another council's client names a school of this council: no such school.
        {"right_scope": 201, "other_council": field_refused("school_urn"), "lost_consent": 201},
        body=police_body,
    ),
    "police_notification": Endpoint(
        "get",
        notification_of,
        "police_notifications:write",
        {"right_scope": 200, "other_council": 404, "lost_consent": 404},
    ),
    "requests": Endpoint(
        "post",
        lambda world, clients, persona: "/api/v1/requests/",
        "requests:write",
        {"right_scope": 201, "other_council": field_refused("district_id"), "lost_consent": 201},
        body=request_body,
    ),
    "already_known": Endpoint(
        "post",
        lambda world, clients, persona: "/api/v1/requests/already-known/",
        "requests:write",
        {
            "right_scope": known_and_shown,
            "other_council": not_known,
            "lost_consent": known_but_hidden,
        },
        body=known_body,
    ),
    "matches": Endpoint(
        "post",
        lambda world, clients, persona: "/api/v1/matches/",
        "matching:read",
        # The council's register, not the case: consent is not what limits it.
        {"right_scope": matched, "other_council": not_matched, "lost_consent": matched},
        body=match_body,
    ),
    "plan_action": Endpoint(
        "get",
        action_of,
        "plan_actions:write",
        {"right_scope": 200, "other_council": 404, "lost_consent": 404},
    ),
    "plan_action_put": Endpoint(
        "put",
        action_of,
        "plan_actions:write",
        {"right_scope": 200, "other_council": 404, "lost_consent": 404},
        body=lambda world: {"status": "in_progress"},
        headers=if_match,
    ),
    "plan_action_patch": Endpoint(
        "patch",
        action_of,
        "plan_actions:write",
        {"right_scope": 200, "other_council": 404, "lost_consent": 404},
        body=lambda world: {"status": "done"},
        headers=if_match,
    ),
}

for _endpoint in ENDPOINTS.values():
    for _persona, _expected in REFUSED.items():
        _endpoint.expect.setdefault(_persona, _expected)
