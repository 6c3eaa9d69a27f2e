"""The worklist: open alerts a person may see, most severe and oldest first,
filtered by rule, district, organisation and worker, with counts by rule."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core import policy
from core.paging import counted_page, rows_in_order

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


def page_of(
    alerts: QuerySet[Alert], number: str | None, size: int, total: int | None = None
) -> Page[Alert]:
    """One page of `alerts` (as `worklist` orders them): the page's ids first,
    sorted on the alert table alone, then those rows with their case, lead
    professional and district. In one query PostgreSQL joined every open
    alert of the council (thousands) to all of those before keeping 50.
    `total`: how many `alerts` there are, when `shown_count` has it from the
    counts by rule (the policy's rule is not run a third time to count them)."""
    page = counted_page(alerts, number, size, ids_only=True, total=total)
    # Only ids the policy's query above let through.
    rows = Alert.objects.annotate(severity=SEVERITY).select_related(
        "episode__lead_professional", "district", "acknowledged_by"
    )
    page.object_list = rows_in_order(rows, page.object_list)
    return page  # its object_list now holds the alerts


def shown_count(filters: Filters, counts: Mapping[str, int]) -> int:
    """How many alerts `worklist` shows, from its counts by rule: those of the
    rule chosen, or all of them."""
    return counts.get(filters.rule, 0) if filters.rule else sum(counts.values())


def table_rows(alerts: Iterable[Alert], labels: Mapping[str, str]) -> list[list[dict[str, Any]]]:
    """The worklist's rows (case, what, overdue since, lead professional, the
    link to acknowledge or chase), built here for `{% govuk_table rows= %}`:
    written as template tags, a page of 50 alerts' 250 cells cost more than
    the rest of the page. An alert holds no person's restrictable values
    (people.restrictions): a case reference, a district, the rule's detail,
    dates and staff names."""
    from django.utils import timezone
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.govuk import render_component
    from core.once_a_page import Addresses, Days

    today = timezone.localdate()
    urgent = render_component("tag", {"text": _("Urgent"), "classes": "govuk-tag--red"})
    police = _("Police notification")
    act = _("Acknowledge or chase")
    day = Days()

    addresses = Addresses()  # each reversed once, the id filled in per row
    table = []
    for alert in alerts:
        episode = alert.episode
        case: str
        if episode is not None:
            case = format_html(
                '<a class="govuk-link" href="{}">{}</a>',
                addresses.of("episodes:detail", pk=episode.pk),
                episode.reference,
            )
        elif alert.subject[:7] == "police:":
            case = conditional_escape(police)
        else:
            case = ""
        if alert.district is not None:
            case += format_html('<br><span class="govuk-body-s">{}</span>', alert.district.name)
        what = f"{urgent} " if getattr(alert, "severity", None) == 3 else ""
        what += conditional_escape(labels.get(alert.rule, alert.rule))
        if alert.detail:
            what += format_html('<br><span class="govuk-body-s">{}</span>', alert.detail)
        if alert.acknowledged_until:
            who = alert.acknowledged_by.full_name if alert.acknowledged_by else ""
            what += format_html(
                '<br><span class="govuk-body-s">{}: {}</span>',
                _("Acknowledged by %(who)s until %(until)s")
                % {"who": who, "until": day(alert.acknowledged_until)},
                alert.acknowledgement_note,
            )
        days = (today - alert.due_since).days
        overdue = format_html(
            '{}<br><span class="govuk-body-s">{}</span>',
            day(alert.due_since),
            ngettext("%(n)s day", "%(n)s days", days) % {"n": days},
        )
        lead = episode.lead_professional if episode is not None else None
        reference = episode.reference if episode is not None else ""
        table.append(
            [
                {"html": mark_safe(case)},  # noqa: S308  (every part escaped above)
                {"html": mark_safe(what)},  # noqa: S308  (every part escaped above)
                {"html": overdue},
                {"html": conditional_escape(lead.full_name if lead else "—")},
                {
                    "html": format_html(
                        '<a class="govuk-link" href="{}">{}'
                        '<span class="govuk-visually-hidden"> {}</span></a>',
                        addresses.of("oversight:acknowledge", pk=alert.pk),
                        act,
                        reference,
                    )
                },
            ]
        )
    return table
