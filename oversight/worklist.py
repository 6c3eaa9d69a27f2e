"""The worklist: open alerts a person may see, most severe and oldest first,
filtered by rule, district, organisation and worker, with counts by rule."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core import policy

from .models import Alert
from .rules import RULES, RULES_BY_KEY

if TYPE_CHECKING:
    from accounts.models import User

SEVERITY = Case(
    *(When(rule=rule.key, then=Value(rule.severity)) for rule in RULES),
    default=Value(1),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class Filters:
    rule: str = ""
    district: int | None = None
    organisation: int | None = None
    worker: int | None = None
    acknowledged: bool = False  # show the acknowledged ones instead

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        from core.validators import parse_whole_number

        def number(name: str) -> int | None:
            return parse_whole_number(query.get(name, ""))

        rule = query.get("rule", "")
        return cls(
            rule=rule if rule in RULES_BY_KEY else "",
            district=number("district"),
            organisation=number("organisation"),
            worker=number("worker"),
            acknowledged=query.get("show") == "acknowledged",
        )


def _filtered(alerts: QuerySet[Alert], filters: Filters, today: datetime.date) -> QuerySet[Alert]:
    if filters.district is not None:
        alerts = alerts.filter(district_id=filters.district)
    if filters.organisation is not None:
        alerts = alerts.filter(
            episode__lead_professional__memberships__organisation_id=filters.organisation
        )
    if filters.worker is not None:
        alerts = alerts.filter(episode__lead_professional_id=filters.worker)
    waiting = Q(acknowledged_until__isnull=True) | Q(acknowledged_until__lte=today)
    return alerts.exclude(waiting) if filters.acknowledged else alerts.filter(waiting)


def worklist(
    user: User, filters: Filters, today: datetime.date
) -> tuple[QuerySet[Alert], dict[str, int]]:
    """The alerts to show (rule filter applied) and the count for each rule
    (every other filter applied), for the filter's links."""
    alerts = _filtered(policy.alerts_visible_to(user), filters, today)
    counts = dict(alerts.values_list("rule").annotate(n=Count("pk")).values_list("rule", "n"))
    if filters.rule:
        alerts = alerts.filter(rule=filters.rule)
    shown = (
        alerts.annotate(severity=SEVERITY)
        .select_related("episode__lead_professional", "district", "acknowledged_by")
        .order_by("-severity", "due_since", "pk")
    )
    return shown, counts
