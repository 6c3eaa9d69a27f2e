"""Matching a list of people by API (matching:read): the `match_people`
engine (matching.batch), each row read, matched and answered exactly as the
command's, with what the client may learn of each record decided by
people.restrictions (people.search.as_seen_by_client): a record with parts the
client may not see is scored without them. A match creates nothing, so a
retried call is harmless."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from matching.batch import match_list
from people.search import as_seen_by_client

from .base import ApiView
from .models import ApiClient, Scope
from .schema import IDEMPOTENCY_KEY, PROBLEM_EXAMPLE, problem_responses
from .strict import InputSerializer

MAX_PEOPLE = 500
# match_people's columns, as a file's row has them: text as typed.
COLUMNS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "upn",
    "parent_name",
)


def _column(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=help_text
    )


class MatchQuerySerializer(InputSerializer):
    query_id = serializers.CharField(max_length=100, help_text="Your id for the row")
    first_name = _column("")
    last_name = _column("")
    date_of_birth = _column("YYYY-MM-DD or DD/MM/YYYY, as match_people reads it")
    sex = _column("")
    postcode = _column("")
    nhs_number = _column("Ten digits; a wrong check digit is left out, with a warning")
    upn = _column("")
    parent_name = _column("")


class MatchRequestSerializer(InputSerializer):
    people = serializers.ListField(
        child=MatchQuerySerializer(),
        min_length=1,
        max_length=MAX_PEOPLE,
        help_text=f"The people to match (1 to {MAX_PEOPLE}), each with your query_id",
    )


class MatchResultSerializer(serializers.Serializer):
    query_id = serializers.CharField()
    external_id = serializers.CharField(
        allow_blank=True,
        help_text="The person's id in the source system (EH-<id> if recorded here); "
        "blank on a row that only carries warnings",
    )
    score = serializers.CharField(
        allow_null=True, help_text="0 to 1, four decimals, as match_people writes it"
    )
    warnings = serializers.CharField(allow_blank=True, help_text="Values left out, and why")


class RefusedSerializer(serializers.Serializer):
    query_id = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class MatchAnswerSerializer(serializers.Serializer):
    results = MatchResultSerializer(
        many=True, help_text="match_people's rows: each query's likely matches, best first"
    )
    refused = RefusedSerializer(many=True, help_text="Rows with nothing to match on")


def _row(query: dict[str, Any]) -> dict[str, str]:
    return {"query_id": query["query_id"], **{name: query.get(name, "") for name in COLUMNS}}


class MatchesView(ApiView):
    """Match a list of people against the council's register."""

    required_scope = Scope.MATCHING_READ

    @extend_schema(
        operation_id="match_people",
        summary="Match a list of people (as earlyhelp match_people does)",
        parameters=[IDEMPOTENCY_KEY],
        request=MatchRequestSerializer,
        responses={
            200: MatchAnswerSerializer,
            **problem_responses(400, 401, 403, 406, 409, 415, 422, 429),
        },
        examples=[
            OpenApiExample(
                "Two people",
                value={
                    "people": [
                        {
                            "query_id": "row-1",
                            "first_name": "Alex",
                            "last_name": "Example",
                            "date_of_birth": "2016-03-04",
                            "postcode": "TE1 1ST",
                        },
                        {"query_id": "row-2", "nhs_number": "9434765919"},
                    ]
                },
                request_only=True,
            ),
            OpenApiExample(
                "Matches",
                value={
                    "results": [
                        {
                            "query_id": "row-1",
                            "external_id": "MIS-0042",
                            "score": "0.9731",
                            "warnings": "",
                        },
                    ],
                    "refused": [],
                },
                response_only=True,
                status_codes=["200"],
            ),
            PROBLEM_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        client: ApiClient = request.auth
        # A match creates nothing, but a retried list with its key gets the
        # first answer back, as every POST of the API does.
        return self.once(request, lambda: self._match(request, client))

    def _match(self, request: Request, client: ApiClient) -> Response:
        incoming = MatchRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        found, refused, _summary = match_list(
            client.local_authority,
            [_row(query) for query in incoming.validated_data["people"]],
            actor_label=client.name,
            seen=lambda matched: as_seen_by_client(client, matched),
            request=request._request,
        )
        self.audited_by_domain = True
        return Response(
            MatchAnswerSerializer(
                {
                    "results": [
                        {
                            "query_id": row.query_id,
                            "external_id": row.external_id,
                            "score": None if row.score is None else f"{row.score:.4f}",
                            "warnings": row.warnings,
                        }
                        for row in found
                    ],
                    "refused": [
                        {"query_id": refusal.query_id, "reason": refusal.reason}
                        for refusal in refused
                    ],
                }
            ).data
        )
