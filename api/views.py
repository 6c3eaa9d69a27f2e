"""The endpoints of /api/v1/: thin, each through the domain function a page
uses and the policy (core/policy.py). docs/API.md is the reference."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.directory import council_directory
from accounts.models import District
from core import policy

from . import actions, cases, police
from .base import ApiView
from .models import ApiClient, Scope
from .pagination import ApiCursorPagination
from .problems import PROBLEM_JSON
from .schema import (
    IDEMPOTENCY_KEY,
    LIST_PROBLEMS,
    PAGE_PARAMETERS,
    PROBLEM_EXAMPLE,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    path_id,
    problem_responses,
    record_id,
)
from .serializers import (
    CasePageSerializer,
    DirectoryPageSerializer,
    PoliceNotificationInSerializer,
    PoliceNotificationOutSerializer,
)


def _officer(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"name": user.full_name, "email": user.email, "phone": user.phone}


class DirectoryView(ApiView):
    """The council's districts with their Early Help Officers and schools, and
    its advice numbers: what the directory page shows."""

    required_scope = Scope.DIRECTORY_READ
    query_parameters = frozenset({"cursor", "page_size"})

    @extend_schema(
        operation_id="directory",
        summary="The council's districts, Early Help Officers and advice numbers",
        parameters=PAGE_PARAMETERS,
        responses={200: DirectoryPageSerializer, **problem_responses(*LIST_PROBLEMS)},
    )
    def get(self, request: Request) -> Response:
        client: ApiClient = request.auth
        la = client.local_authority
        entries = {entry.district.pk: entry for entry in council_directory(la)}
        paginator = ApiCursorPagination()
        page = paginator.paginate_queryset(
            District.objects.filter(local_authority=la), request, view=self
        )
        districts = [
            {
                "id": district.pk,
                "name": district.name,
                "early_help_officer": _officer(entries[district.pk].officer),
                "schools": [
                    {"name": school.name, "urn": school.school_urn}
                    for school in entries[district.pk].schools
                ],
            }
            for district in page or []
        ]
        response = paginator.get_paginated_response(districts)
        response.data = {
            "advice": {
                "council": la.name,
                "advice_line_phone": la.front_door_phone,
                "advice_email": la.advice_email,
                "out_of_hours_phone": la.out_of_hours_phone,
                "mash_phone": la.mash_phone,
            },
            **response.data,
        }
        return response


class CasesView(ApiView):
    """The cases the client's organisation is involved in, with consent
    respected exactly as for its staff (core.policy.episodes_visible_to_client)."""

    required_scope = Scope.CASES_READ
    query_parameters = frozenset({"cursor", "page_size", "updated_since"})

    @extend_schema(
        operation_id="cases",
        summary="The cases the client's organisation is involved in",
        parameters=[*PAGE_PARAMETERS, cases.UPDATED_SINCE],
        responses={200: CasePageSerializer, **problem_responses(*LIST_PROBLEMS)},
    )
    def get(self, request: Request) -> Response:
        client: ApiClient = request.auth
        found = cases.visible(client, request.query_params.get("updated_since"))
        paginator = ApiCursorPagination()
        page = paginator.paginate_queryset(found, request, view=self) or []
        cases.audit_read(client, page, request._request)
        self.audited_by_domain = True
        plan_actions = actions.for_cases(client, page)
        return paginator.get_paginated_response(
            [cases.answer(case, plan_actions[case.pk]) for case in page]
        )


def _notification_answer(notification: Any) -> dict[str, Any]:
    return PoliceNotificationOutSerializer(
        {
            "id": notification.pk,
            "police_reference": notification.police_reference,
            "recorded_at": notification.recorded_at,
            "acknowledge_by": notification.acknowledge_by,
            "acknowledged": notification.acknowledged,
            "acknowledged_at": notification.acknowledged_at,
        }
    ).data


class PoliceNotificationsView(ApiView):
    """Send a police notification: recorded, matched and routed exactly as the
    page does (police.services.record_notification)."""

    required_scope = Scope.POLICE_NOTIFICATIONS_WRITE

    @extend_schema(
        operation_id="police_notification_send",
        summary="Send a police notification (Operation Encompass and others)",
        parameters=[IDEMPOTENCY_KEY],
        request=PoliceNotificationInSerializer,
        responses={201: PoliceNotificationOutSerializer, **problem_responses(*WRITE_PROBLEMS)},
        examples=[PROBLEM_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        client: ApiClient = request.auth
        return self.once(request, lambda: self._send(request, client))

    def _send(self, request: Request, client: ApiClient) -> Response:
        incoming = PoliceNotificationInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        notification = police.send(client, incoming.validated_data, request._request)
        self.audited_by_domain = True
        return Response(_notification_answer(notification), status=201)


class PoliceNotificationView(ApiView):
    """Whether a notification this client sent has been acknowledged."""

    required_scope = Scope.POLICE_NOTIFICATIONS_WRITE

    @extend_schema(
        operation_id="police_notification_status",
        summary="Whether a police notification this client sent was acknowledged",
        parameters=[path_id("The id the notification was given when it was sent")],
        responses={200: PoliceNotificationOutSerializer, **problem_responses(*READ_PROBLEMS)},
    )
    def get(self, request: Request, id: str) -> Response:
        client: ApiClient = request.auth
        notification = (
            policy.police_notifications_visible_to_client(client).filter(pk=record_id(id)).first()
        )
        if notification is None:
            raise Http404
        self.audited_object = notification
        return Response(_notification_answer(notification))


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Anything else under /api/v1/: a problem, not the service's HTML page."""
    return JsonResponse(
        {
            "type": "about:blank",
            "title": "Not found",
            "status": 404,
            "detail": "There is no such endpoint: see /api/v1/openapi.json",
        },
        status=404,
        content_type=PROBLEM_JSON,
    )
