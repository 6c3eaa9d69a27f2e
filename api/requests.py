"""Asking for early help by API (requests:write), as the request pages do:
first "already known?" (people.search.search_people_for_client, answered as
the pages answer it: a likely match the client may not see says only whom to
contact), then the request itself through the pages' domain function
(episodes.services.request_support_by_client), with an Idempotency-Key so a
retried request creates nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import District
from audit.models import Action as AuditAction
from core import policy
from core.codes import Gender
from episodes.models import RequestSource
from episodes.needs import Need
from episodes.services import request_support_by_client
from people.models import Relationship
from people.search import Match, search_people_for_client

from .base import ApiView
from .models import ApiClient, Scope
from .schema import (
    IDEMPOTENCY_KEY,
    LARGEST_ID,
    PROBLEM_EXAMPLE,
    WRITE_PROBLEMS,
    problem_responses,
)
from .strict import InputSerializer

API_SOURCES = [s for s in RequestSource.values if s != RequestSource.STEP_DOWN]
NO_SUCH_DISTRICT = "No district of this council has this id: see /api/v1/directory/"
NO_SUCH_PERSON = (
    "No one this client may name has this id: give the person's details instead "
    "(the already-known check says who may be known)"
)


class KnownQuerySerializer(InputSerializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    nhs_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        given = [name for name, value in data.items() if value]
        if not (data.get("last_name") or data.get("nhs_number")) or len(given) < 2:
            raise serializers.ValidationError(
                "Give a last name or an NHS number, and one more detail, to search on"
            )
        return data


class KnownPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Name them in a request by this id")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True, help_text="null when restricted")
    postcode = serializers.CharField(allow_blank=True, help_text="blank when restricted")


class KnownMatchSerializer(serializers.Serializer):
    likely = serializers.BooleanField(help_text="A likely match, not only a possible one")
    percent = serializers.IntegerField(min_value=0, max_value=100)
    person = KnownPersonSerializer(
        allow_null=True,
        help_text="null when the client may not see the record: then only contact is given",
    )
    reason = serializers.CharField(allow_blank=True, help_text="Why it may be the same person")
    contact = serializers.CharField(
        allow_blank=True, help_text="Whom to ask, when the record is hidden or restricted"
    )
    restricted = serializers.BooleanField(help_text="Parts the client may not see were left out")


class KnownAnswerSerializer(serializers.Serializer):
    matches = KnownMatchSerializer(many=True)


class MemberSerializer(InputSerializer):
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    person_id = serializers.IntegerField(
        min_value=1,
        max_value=LARGEST_ID,
        required=False,
        help_text="Someone already recorded whom the client may see (from the already-known "
        "check); otherwise give the details below",
    )
    first_name = serializers.CharField(max_length=100, required=False)
    last_name = serializers.CharField(max_length=100, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    expected_date_of_birth = serializers.DateField(
        required=False, allow_null=True, help_text="Only for an unborn child"
    )
    sex = serializers.ChoiceField(choices=Gender.choices, required=False)
    postcode = serializers.CharField(max_length=8, required=False, allow_blank=True)
    nhs_number = serializers.RegexField(r"^[0-9]{10}$", required=False, allow_blank=True)
    has_send = serializers.BooleanField(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "person_id" not in data and not (data.get("first_name") and data.get("last_name")):
            raise serializers.ValidationError(
                "Give the person_id of someone already recorded, or a first and last name"
            )
        return data


class RequestInSerializer(InputSerializer):
    district_id = serializers.IntegerField(
        min_value=1, max_value=LARGEST_ID, help_text="The family's district (the directory's id)"
    )
    source = serializers.ChoiceField(choices=API_SOURCES, help_text="Who asked for the help")
    referral_source = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="The census code, if chosen"
    )
    family_name = serializers.CharField(max_length=200)
    worries = serializers.CharField(max_length=10000)
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Need.choices), min_length=1, max_length=30
    )
    people = serializers.ListField(child=MemberSerializer(), min_length=1, max_length=20)


class RequestOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    district = serializers.CharField()
    early_help_officer = serializers.CharField(
        allow_null=True, help_text="Who was told; null when the district has none (the front door)"
    )
    already_known = serializers.ListField(
        child=KnownMatchSerializer(many=True),
        help_text="For each person of the request, in order, who may already be known "
        "(empty for someone named by person_id)",
    )


def _match(match: Match) -> dict[str, Any]:
    person = match.person
    return {
        "likely": match.likely,
        "percent": match.percent,
        "person": None
        if person is None
        else {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth,
            "postcode": person.postcode or "",
        },
        "reason": match.reason,
        "contact": match.contact,
        "restricted": match.restricted,
    }


def _known(client: ApiClient, details: dict[str, Any]) -> list[dict[str, Any]]:
    return [_match(m) for m in search_people_for_client(client, **details)]


KNOWN_EXAMPLE = OpenApiExample(
    "A record the client may not see",
    value={
        "matches": [
            {
                "likely": True,
                "percent": 94,
                "person": None,
                "reason": "",
                "contact": "Sam Officer, Early Help Officer for Near District",
                "restricted": False,
            }
        ]
    },
    response_only=True,
    status_codes=["200"],
)


class AlreadyKnownView(ApiView):
    """Is this person already known? Asked before a request, as the request
    pages ask it."""

    required_scope = Scope.REQUESTS_WRITE

    @extend_schema(
        operation_id="already_known",
        summary="Is this person already known? (before asking for help)",
        parameters=[IDEMPOTENCY_KEY],
        request=KnownQuerySerializer,
        responses={
            200: KnownAnswerSerializer,
            **problem_responses(*WRITE_PROBLEMS),
        },
        examples=[
            OpenApiExample(
                "Details",
                value={"first_name": "Alex", "last_name": "Example", "date_of_birth": "2016-03-04"},
                request_only=True,
            ),
            KNOWN_EXAMPLE,
            PROBLEM_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        return self.once(request, lambda: self._check(request))

    def _check(self, request: Request) -> Response:
        incoming = KnownQuerySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        answer = {"matches": _known(request.auth, incoming.validated_data)}
        self.audited_as = AuditAction.VIEW  # a search: nothing is created
        return Response(KnownAnswerSerializer(answer).data)


REQUEST_EXAMPLE = OpenApiExample(
    "A request",
    value={
        "district_id": 3,
        "source": "professional",
        "family_name": "Example family",
        "worries": "Attendance has fallen to 80% since the autumn.",
        "needs": ["attendance"],
        "people": [
            {
                "relationship": "child",
                "first_name": "Alex",
                "last_name": "Example",
                "date_of_birth": "2016-03-04",
                "sex": "1",
            },
            {"relationship": "parent", "first_name": "Jo", "last_name": "Example"},
        ],
    },
    request_only=True,
)


class RequestsView(ApiView):
    """Ask for early help for a family, as the organisation."""

    required_scope = Scope.REQUESTS_WRITE

    @extend_schema(
        operation_id="request_support",
        summary="Ask for early help for a family",
        parameters=[IDEMPOTENCY_KEY],
        request=RequestInSerializer,
        responses={201: RequestOutSerializer, **problem_responses(*WRITE_PROBLEMS)},
        examples=[REQUEST_EXAMPLE, PROBLEM_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        client: ApiClient = request.auth
        return self.once(request, lambda: self._send(request, client))

    def _send(self, request: Request, client: ApiClient) -> Response:
        incoming = RequestInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        district = District.objects.filter(
            pk=data["district_id"], local_authority_id=client.local_authority_id
        ).first()
        if district is None:
            raise ValidationError({"district_id": NO_SUCH_DISTRICT})
        visible = policy.people_visible_to_client(client)
        members: list[Any] = []
        already_known: list[list[dict[str, Any]]] = []
        for index, member in enumerate(data["people"]):
            if "person_id" in member:
                person = visible.filter(pk=member["person_id"]).first()
                if person is None:
                    raise ValidationError({f"people[{index}].person_id": NO_SUCH_PERSON})
                members.append({"person": person, "relationship": member["relationship"]})
                already_known.append([])
                continue
            details = {k: v for k, v in member.items() if k != "relationship" and v is not None}
            # Asked before the person is recorded, or they would be their own match.
            already_known.append(
                _known(
                    client,
                    {
                        key: details[key]
                        for key in ("first_name", "last_name", "date_of_birth", "nhs_number")
                        if key in details
                    }
                    | {"postcode": details.get("postcode", "")},
                )
            )
            members.append(
                {"person": None, "details": details, "relationship": member["relationship"]}
            )
        episode = request_support_by_client(
            client,
            district=district,
            source=data["source"],
            worries=data["worries"],
            needs=data["needs"],
            family_name=data["family_name"],
            members=members,
            referral_source=data.get("referral_source", ""),
            request=request._request,
        )
        self.audited_by_domain = True
        officer = district.early_help_officer
        answer = {
            "id": episode.pk,
            "reference": episode.reference,
            "status": episode.status,
            "district": district.name,
            "early_help_officer": officer.full_name if officer else None,
            "already_known": already_known,
        }
        return Response(RequestOutSerializer(answer).data, status=201)
