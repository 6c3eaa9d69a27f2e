"""The district dashboard: open cases by stage, alerts by rule and lead
professionals' load by organisation, for an Early Help Officer's districts or
a manager's council. Counts only; each chart is drawn from the same rows its
table shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils.functional import Promise

from accounts.models import District, Role
from core import policy
from episodes import states
from episodes.models import Episode, Status

from .models import Alert
from .rules import RULES

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Bar:
    label: str | Promise
    count: int
    share: float  # of the chart's largest bar, 0 to 1, for its length


@dataclass(frozen=True)
class Chart:
    title: str | Promise
    rows: list[Bar]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.rows)


def _chart(title: str | Promise, rows: Sequence[tuple[str | Promise, int]]) -> Chart:
    largest = max((count for _label, count in rows), default=0) or 1
    return Chart(title, [Bar(label, count, count / largest) for label, count in rows])


def can_see_dashboard(user: User) -> bool:
    return policy.can_see_case_lists(user) and user.has_role(
        Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR
    )


def districts_for(user: User) -> QuerySet[District]:
    """The districts the dashboard may show: an EHO's own, a manager's council."""
    districts = District.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(*policy.LA_WIDE_CASE_ROLES):
        return districts.order_by("name")
    return districts.filter(early_help_officer=user).order_by("name")


def dashboard(user: User, districts: QuerySet[District]) -> list[Chart]:
    from django.utils.translation import gettext_lazy as _

    cases = Episode.objects.filter(
        local_authority_id=user.local_authority_id,
        district__in=districts,
        status__in=states.statuses_allowing("list_as_open"),
    )
    by_stage = dict(cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    stages: list[tuple[str | Promise, int]] = [
        (Status(status).label, by_stage.get(status, 0))
        for status in Status.values
        if status in states.statuses_allowing("list_as_open")
    ]
    alerts = dict(
        Alert.objects.filter(
            local_authority_id=user.local_authority_id,
            district__in=districts,
            resolved_on__isnull=True,
        )
        .values_list("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    by_rule: list[tuple[str | Promise, int]] = [
        (rule.label, alerts[rule.key]) for rule in RULES if alerts.get(rule.key)
    ]
    load = (
        cases.filter(lead_professional__isnull=False)
        .values_list("lead_professional__memberships__organisation__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
        .values_list("lead_professional__memberships__organisation__name", "n")
    )
    by_organisation: list[tuple[str | Promise, int]] = [
        (name or _("No organisation"), n) for name, n in load
    ]
    return [
        _chart(_("Open cases by stage"), stages),
        _chart(_("Alerts by rule"), by_rule),
        _chart(_("Cases led, by the lead professional's organisation"), by_organisation),
    ]
