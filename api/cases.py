"""Reading cases by API: which (the policy's), changed since when (the audit
trail's changes), and what of each (references, stage, lead, never a
family's words or values). Each case read is audited like a page view."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import DateTimeField, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from audit.models import Action, AuditEvent
from audit.services import record
from core import policy
from episodes import states
from episodes.models import Episode, Status

from .models import ApiClient

CHANGES = (Action.CREATE, Action.UPDATE, Action.DELETE, Action.OVERRIDE)

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    {"type": "string", "format": "date-time"},
    OpenApiParameter.QUERY,
    required=False,
    description="Only the cases changed at or after this time (with its offset)",
)


def _since(value: str | None) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        parsed = parse_datetime(value)
        # Also out of range once in UTC (the year 1 with a positive offset).
        parsed = parsed.astimezone(datetime.UTC) if parsed and parsed.tzinfo else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise ValidationError(
            {"updated_since": "Give a date and time with its offset, e.g. 2026-03-06T19:00:00Z"}
        )
    return parsed


def visible(client: ApiClient, updated_since: str | None) -> QuerySet[Episode]:
    since = _since(updated_since)
    changes = AuditEvent.objects.filter(episode_id=OuterRef("pk"), action__in=CHANGES)
    last_change = changes.order_by().values("episode_id").annotate(last=Max("created_at"))
    found = policy.episodes_visible_to_client(client).annotate(
        updated_at=Coalesce(
            Subquery(last_change.values("last")[:1], output_field=DateTimeField()),
            "requested_at",
        )
    )
    if since is not None:
        found = found.filter(Exists(changes.filter(created_at__gte=since)))
    return found.select_related("lead_professional", "family")


def answer(case: Any, plan_actions: list[dict[str, Any]]) -> dict[str, Any]:
    lead = case.lead_professional
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "next_step": states.next_activity(case),
        "lead_professional": {"name": lead.full_name} if lead is not None else None,
        "requested_at": case.requested_at,
        "updated_at": case.updated_at,
        "plan_actions": plan_actions,
    }


def audit_read(client: ApiClient, page: list[Any], request: HttpRequest) -> None:
    for case in page:
        record(
            Action.VIEW,
            obj=case,
            local_authority=client.local_authority,
            actor_label=client.name,
            reason="API GET /api/v1/cases/",
            request=request,
        )
