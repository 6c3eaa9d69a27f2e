"""The plan actions given to the client's organisation: read with the cases
(cases:read), and their progress recorded (plan_actions:write) through the
domain function the plan page uses (plans.services), with the same
optimistic locking: the plan's edit version is the `ETag`, and an update
must send it back in `If-Match`. A stale one is refused (412), nothing
overwritten; a missing one too (428)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import Action as AuditAction
from core import policy
from episodes.services import StaleEdit
from people import restrictions
from plans import services as plans
from plans.models import Action, ActionStatus, Plan

from .base import ApiView
from .models import ApiClient, Scope
from .problems import IF_MATCH_REQUIRED, STALE, problem
from .schema import LIST_PROBLEMS, path_id, problem_responses, record_id
from .serializers import PlanActionSerializer
from .strict import InputSerializer

_TAG = re.compile(r'^"plan-([0-9]{1,10})-([0-9]{1,10})"$')


def etag(plan: Plan) -> str:
    """The plan's version as the pages lock on it (Plan.edit_version)."""
    return f'"plan-{plan.pk}-{plan.edit_version}"'


def edit_version_from(if_match: str, plan: Plan) -> int | None:
    """The edit version an If-Match names for `plan`, or None (it names none
    of this plan's versions: a weak tag, `*`, another plan's)."""
    for tag in if_match.split(","):
        found = _TAG.fullmatch(tag.strip())
        if found and int(found.group(1)) == plan.pk:
            return int(found.group(2))
    return None


class ProgressSerializer(InputSerializer):
    status = serializers.ChoiceField(
        choices=ActionStatus.choices, help_text="not_started, in_progress, done or not_done"
    )
    not_done_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Why it was not done: needed when the status is not_done",
    )


def answer(action: Action, plan: Plan, family_people: list[Any]) -> dict[str, Any]:
    """An action as the client may read it: text scrubbed of any restricted
    value (people.restrictions), as in anything leaving the service."""
    episode = plan.episode
    return {
        "id": action.pk,
        "case_id": episode.pk,
        "case_reference": episode.reference,
        "plan_version": plan.number,
        "what": restrictions.scrub_text(action.what, family_people),
        "due_by": action.due_by,
        "status": action.status,
        "status_label": str(ActionStatus(action.status).label),
        "not_done_reason": restrictions.scrub_text(action.not_done_reason, family_people),
        "etag": etag(plan),
    }


def for_cases(client: ApiClient, cases: Iterable[Any]) -> dict[int, list[dict[str, Any]]]:
    """{case id: the current plan's actions for the client's organisation}."""
    by_id = {case.pk: case for case in cases}
    current = plans.current_plans(by_id)
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in by_id}
    if not current:
        return found
    actions = policy.plan_actions_visible_to_client(client).filter(
        goal__plan__in=list(current.values())
    )
    plan_by_pk = {plan.pk: plan for plan in current.values()}
    people: dict[int, list[Any]] = {}
    for action in actions.select_related("goal").order_by("due_by", "pk"):
        plan = plan_by_pk[action.goal.plan_id]
        case = by_id[plan.episode_id]
        plan.episode = case
        if case.family_id not in people:
            people[case.family_id] = restrictions.family_people(case.family)
        found[case.pk].append(answer(action, plan, people[case.family_id]))
    return found


ACTION_ID = path_id("The action's id, as the case lists it")
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description="The plan's version: send it back in If-Match to record progress",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": '^"plan-[0-9]+-[0-9]+"$'},
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the action as you read it: refused (412) if it changed since",
    examples=[OpenApiExample("An ETag", value='"plan-12-3"')],
)
UPDATE_PROBLEMS = (*LIST_PROBLEMS, 412, 415, 428)
ACTION_EXAMPLE = OpenApiExample(
    "An action",
    value={
        "id": 41,
        "case_id": 7,
        "case_reference": "EH000007",
        "plan_version": 2,
        "what": "Weekly check-in with the key adult at school",
        "due_by": "2026-04-30",
        "status": "in_progress",
        "status_label": "In progress",
        "not_done_reason": "",
        "etag": '"plan-12-3"',
    },
    response_only=True,
    status_codes=["200"],
)
PROGRESS_EXAMPLE = OpenApiExample(
    "Progress",
    value={"status": "done"},
    request_only=True,
)


class PlanActionView(ApiView):
    """One of the organisation's plan actions: read it (with its ETag) and
    record its progress (with If-Match)."""

    required_scope = Scope.PLAN_ACTIONS_WRITE

    def _action(self, client: ApiClient, id: str) -> Action:
        action = (
            policy.plan_actions_updatable_by_client(client)
            .select_related("goal__plan__episode__family")
            .filter(pk=record_id(id))
            .first()
        )
        if action is None:
            raise Http404
        return action

    def _answer(self, action: Action, status: int = 200) -> Response:
        plan = action.goal.plan
        body = answer(action, plan, restrictions.family_people(plan.episode.family))
        return Response(
            PlanActionSerializer(body).data, status=status, headers={"ETag": etag(plan)}
        )

    @extend_schema(
        operation_id="plan_action",
        summary="One of the organisation's plan actions, with its ETag",
        parameters=[ACTION_ID, ETAG],
        responses={200: PlanActionSerializer, **problem_responses(*LIST_PROBLEMS)},
        examples=[ACTION_EXAMPLE],
    )
    def get(self, request: Request, id: str) -> Response:
        action = self._action(request.auth, id)
        self.audited_object = action
        return self._answer(action)

    @extend_schema(
        operation_id="plan_action_progress",
        summary="Record progress on one of the organisation's plan actions",
        parameters=[ACTION_ID, IF_MATCH, ETAG],
        request=ProgressSerializer,
        responses={200: PlanActionSerializer, **problem_responses(*UPDATE_PROBLEMS)},
        examples=[ACTION_EXAMPLE, PROGRESS_EXAMPLE],
    )
    def put(self, request: Request, id: str) -> Response:
        return self._update(request, id, partial=False)

    @extend_schema(
        operation_id="plan_action_progress_partial",
        summary="Record progress on one of the organisation's plan actions (some fields)",
        parameters=[ACTION_ID, IF_MATCH, ETAG],
        request=ProgressSerializer,
        responses={200: PlanActionSerializer, **problem_responses(*UPDATE_PROBLEMS)},
        examples=[ACTION_EXAMPLE, PROGRESS_EXAMPLE],
    )
    def patch(self, request: Request, id: str) -> Response:
        return self._update(request, id, partial=True)

    def _update(self, request: Request, id: str, *, partial: bool) -> Response:
        client: ApiClient = request.auth
        action = self._action(client, id)
        if_match = request.headers.get("If-Match")
        if if_match is None:
            return problem(
                428,
                "Send the action's ETag in If-Match (read the action first), so that a change "
                "made since is not overwritten",
                type_=IF_MATCH_REQUIRED,
            )
        incoming = ProgressSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        status = incoming.validated_data.get("status", action.status)
        reason = incoming.validated_data.get("not_done_reason", action.not_done_reason)
        plan = action.goal.plan
        version = edit_version_from(if_match, plan)
        before = (action.status, action.not_done_reason)
        try:
            updated = plans.update_action_status_by_client(
                client,
                action,
                status=status,
                not_done_reason=reason,
                edit_version=-1 if version is None else version,
                request=request._request,
            )
        except StaleEdit:
            plan.refresh_from_db()
            return problem(
                412,
                "The plan was changed since this ETag was read: read the action again "
                "(its current ETag is in this answer's ETag header) and decide again",
                type_=STALE,
                headers={"ETag": etag(plan)},
            )
        if (updated.status, updated.not_done_reason) == before:
            self.audited_object, self.audited_as = updated, AuditAction.VIEW
        else:
            self.audited_by_domain = True
        plan.refresh_from_db()
        updated.goal.plan = plan
        return self._answer(updated)
