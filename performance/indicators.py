"""The performance indicators: each one's label, its definition in words, and
the queries that count it, month by month, in one place. The page, the
tests and the docs read them from here.

Every indicator is a share of occasions in a month: the base is what was due
(or happened) in the month, the met part what was done on time. The
timescales are the council's own, the same ones the worklist and the case's
next step use: the days from a request to a completed assessment
(oversight.models.Timescales.assessment_complete_days, 45 by default) and the
review interval (LocalAuthority.review_interval_weeks). A day is a day in the
council's time zone, and "within" includes the last day: an assessment
completed 45 days after the request is within 45 days, as the drift rule
(oversight.rules.assessment_not_completed) only calls it late from day 46.

Each count is one SQL aggregate grouped by month, district and the requesting
organisation's type (no row per case comes back to Python), so a council
with 60,000 cases is counted in a few queries. The council's figure and each
breakdown's are sums of those groups.

Disclosure: a base of 1 to 4 is not shown as a percentage ("[c]") and gets
no status, as a status would hint at it; a base of 0 is "not enough data".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from episodes import states
from episodes.models import Episode
from episodes.progress import timescales_of
from reviews.models import Review

if TYPE_CHECKING:
    from accounts.models import LocalAuthority

    from .models import Targets

MONTHS = 12
# Bases from 1 to SMALL_BASE - 1 are suppressed ("[c]").
SMALL_BASE = 5
SUPPRESSED = "[c]"
# Re-requests look back this many days from the new request: "12 months".
RE_REQUEST_DAYS = 365

COUNCIL = ("council", "")
Group = tuple[str, str]  # ("council", ""), ("district", "<id>"), ("type", "<code>")


# Months ------------------------------------------------------------------------


def month_after(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def last_months(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the `count` complete months before `today`'s month,
    oldest first: a month is shown once everything due in it is due."""
    first = today.replace(day=1)
    months = []
    for _n in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the council's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Figures and their status ------------------------------------------------------


class Status:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"

    LABELS: dict[str, str | Promise] = {
        GREEN: _("Meets target"),
        AMBER: _("Near target"),
        RED: _("Below target"),
        NO_DATA: _("Not enough data"),
    }
    # GOV.UK tag colours; the tag's words say the same, so colour is not alone.
    TAG_CLASSES = {
        GREEN: "govuk-tag--green",
        AMBER: "govuk-tag--yellow",
        RED: "govuk-tag--red",
        NO_DATA: "govuk-tag--grey",
    }


@dataclass(frozen=True)
class Figure:
    met: int
    base: int

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.met + other.met, self.base + other.base)

    @property
    def suppressed(self) -> bool:
        return 0 < self.base < SMALL_BASE

    @property
    def percent(self) -> float | None:
        """The share met, 0 to 100; None when there is nothing to show."""
        if self.base < SMALL_BASE:
            return None
        return 100 * self.met / self.base

    @property
    def shown(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.percent is None:
            return "–"
        return f"{self.percent:.0f}%"

    @property
    def met_shown(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.met)

    @property
    def base_shown(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.base)


def status_of(figure: Figure, target: int, band: int, *, higher_is_better: bool = True) -> str:
    """Green when the figure meets the target, amber when it misses by no more
    than the band (percentage points), red when further; "not enough data"
    when the base is under SMALL_BASE."""
    if figure.percent is None:
        return Status.NO_DATA
    # In whole numbers (met * 100 against target * base), so exactly on the
    # target is on it.
    met, base = figure.met * 100, figure.base
    if higher_is_better:
        if met >= target * base:
            return Status.GREEN
        return Status.AMBER if met >= (target - band) * base else Status.RED
    if met <= target * base:
        return Status.GREEN
    return Status.AMBER if met <= (target + band) * base else Status.RED


# What the counts read ----------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """One council's months and timescales."""

    la: LocalAuthority
    months: Sequence[datetime.date]
    today: datetime.date
    assessment_days: int
    review_interval: datetime.timedelta

    @classmethod
    def of(cls, la: LocalAuthority, today: datetime.date | None = None) -> Window:
        today = today or timezone.localdate()
        return cls(
            la=la,
            months=last_months(today),
            today=today,
            assessment_days=timescales_of(la).assessment_complete_days,
            review_interval=datetime.timedelta(weeks=la.review_interval_weeks),
        )

    @property
    def start(self) -> datetime.date:
        return self.months[0]

    @property
    def end(self) -> datetime.date:
        return month_after(self.months[-1])


def _days(later: Any, earlier: Any) -> ExpressionWrapper:
    """The days from one day to another, as an interval SQL compares."""
    if isinstance(later, str):
        later = F(later)
    if isinstance(earlier, str):
        earlier = F(earlier)
    return ExpressionWrapper(later - earlier, output_field=DurationField())


def _month_of_moment(field_name: str, window: Window, shift: datetime.timedelta) -> Case:
    """The index of the month in which `field + shift` falls (a date-time
    field; the shift moves the day, so a due date is bucketed by its day)."""
    return Case(
        *(
            When(
                **{
                    f"{field_name}__gte": midnight(first - shift),
                    f"{field_name}__lt": midnight(month_after(first) - shift),
                },
                then=Value(index),
            )
            for index, first in enumerate(window.months)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _ended_day() -> TruncDate:
    """The day the case left early help: stepped up, or else closed."""
    return TruncDate(Coalesce("stepped_up_at", "closed_at"))


Row = dict[str, Any]  # row_month, row_district, row_type, base, met


def _grouped(queryset: QuerySet[Any], episode: str, counted: Q, met: Q) -> Iterable[Row]:
    """One row per month, district and requesting organisation's type."""
    prefix = f"{episode}__" if episode else ""
    return (
        queryset.order_by()
        .values(
            row_month=F("month_index"),
            row_district=F(f"{prefix}district_id"),
            row_type=F(f"{prefix}requesting_organisation__type"),
        )
        .annotate(
            base=Count("pk", filter=counted),
            met=Count("pk", filter=counted & met),
        )
    )


def _waiting_for(*activities: str) -> Q:
    statuses: frozenset[str] = frozenset()
    for activity in activities:
        statuses |= states.statuses_waiting_for(activity)
    return Q(status__in=sorted(statuses))


def assessment_rows(window: Window) -> Iterable[Row]:
    """Requests whose assessment was due (request day + the timescale) in the
    month. Met: completed within the timescale. Left out: a case closed or
    stepped up within the timescale without a completed assessment (consent
    refused, stepped up at once); a case still waiting for it is late."""
    days = datetime.timedelta(days=window.assessment_days)
    cases = (
        Episode.objects.filter(
            local_authority_id=window.la.pk,
            requested_at__gte=midnight(window.start - days),
            requested_at__lt=midnight(window.end - days),
        )
        .annotate(
            month_index=_month_of_moment("requested_at", window, days),
            requested_day=TruncDate("requested_at"),
            completed_day=TruncDate("assessment_completed_at"),
            ended_day=_ended_day(),
        )
        .annotate(
            took=_days("completed_day", "requested_day"),
            lasted=_days("ended_day", "requested_day"),
        )
    )
    counted = (
        Q(assessment_completed_at__isnull=False)
        | _waiting_for("give_consent", "edit_assessment")
        | Q(lasted__gt=days)
    )
    return _grouped(cases, "", counted, Q(took__lte=days))


def _first_review_day() -> Subquery:
    return Subquery(
        Review.objects.filter(
            local_authority_id=OuterRef("local_authority_id"), episode_id=OuterRef("pk")
        )
        .order_by("held_on", "pk")
        .values("held_on")[:1]
    )


def first_review_rows(window: Window) -> Iterable[Row]:
    """Plans whose first review was due (the day the plan was agreed + the
    review interval) in the month. Met: the first review held by then. Left
    out: a case closed or stepped up before its first review was due."""
    interval = window.review_interval
    cases = (
        Episode.objects.filter(
            local_authority_id=window.la.pk,
            plan_agreed_at__gte=midnight(window.start - interval),
            plan_agreed_at__lt=midnight(window.end - interval),
        )
        .annotate(
            month_index=_month_of_moment("plan_agreed_at", window, interval),
            agreed_day=TruncDate("plan_agreed_at"),
            first_review=_first_review_day(),
            ended_day=_ended_day(),
        )
        .annotate(
            took=_days("first_review", "agreed_day"),
            lasted=_days("ended_day", "agreed_day"),
        )
    )
    counted = Q(first_review__isnull=False) | _waiting_for("record_review") | Q(lasted__gt=interval)
    return _grouped(cases, "", counted, Q(took__lte=interval))


# Each review with the day its interval started (the review before, or the
# plan), by a window function: as a correlated subquery (the ORM's way) it
# was looked up again for each mention, seconds for a large council. The
# only words that differ between databases are a day's difference and the
# council's local day of a moment (Django's own, for the latter).
HELD_REVIEWS = """
SELECT {due_month}, district_id, org_type, COUNT(*),
       SUM(CASE WHEN {took} <= %s THEN 1 ELSE 0 END)
FROM (
    SELECT "reviews_review"."held_on", "episodes_episode"."district_id",
           "accounts_organisation"."type" AS org_type,
           COALESCE(
               LAG("reviews_review"."held_on") OVER (
                   PARTITION BY "reviews_review"."episode_id"
                   ORDER BY "reviews_review"."held_on", "reviews_review"."id"
               ),
               {agreed_day}
           ) AS since
    FROM "reviews_review"
    JOIN "episodes_episode"
      ON "episodes_episode"."id" = "reviews_review"."episode_id"
     AND "episodes_episode"."local_authority_id" = "reviews_review"."local_authority_id"
    JOIN "accounts_organisation"
      ON "accounts_organisation"."id" = "episodes_episode"."requesting_organisation_id"
    WHERE "reviews_review"."local_authority_id" = %s
      AND "episodes_episode"."local_authority_id" = %s
      -- Only cases with a review held in the months or after.
      AND "episodes_episode"."last_reviewed_at" >= %s
) reviews
WHERE since >= %s AND since < %s
GROUP BY 1, 2, 3
"""
DAYS_BETWEEN = {
    "postgresql": "(held_on - since)",
    "sqlite": "(julianday(held_on) - julianday(since))",
}
# The month the review was due in (since + the interval), as "YYYY-MM".
DUE_MONTH = {
    "postgresql": "to_char(since + CAST(%s AS integer), 'YYYY-MM')",
    "sqlite": "strftime('%%Y-%%m', since, '+' || %s || ' days')",
}


def _held_reviews(
    window: Window, first: datetime.date, end: datetime.date
) -> list[tuple[str, int, str, int, int]]:
    from django.db import connection

    agreed_day, agreed_params = connection.ops.datetime_cast_date_sql(
        '"episodes_episode"."plan_agreed_at"', (), timezone.get_current_timezone_name()
    )
    sql = HELD_REVIEWS.format(
        due_month=DUE_MONTH[connection.vendor],
        took=DAYS_BETWEEN[connection.vendor],
        agreed_day=agreed_day,
    )

    def as_day(day: datetime.date) -> Any:
        # SQLite keeps dates as ISO text; PostgreSQL takes the date.
        return day.isoformat() if connection.vendor == "sqlite" else day

    params = [
        window.review_interval.days,
        window.review_interval.days,
        *agreed_params,
        window.la.pk,
        window.la.pk,
        connection.ops.adapt_datetimefield_value(midnight(first)),
        as_day(first),
        as_day(end),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def review_rows(window: Window) -> Iterable[Row]:
    """Every review due in the month: one review interval after the plan was
    agreed (the first) or after the review before. Met: held by its due day.
    A review that was due and never held is late too: the case is still
    waiting for it, or closed or was stepped up after the day it was due."""
    interval = window.review_interval
    first, end = window.start - interval, window.end - interval
    months = {first_day: index for index, first_day in enumerate(window.months)}
    keys = {first_day.strftime("%Y-%m"): index for first_day, index in months.items()}
    for due_month, district, org_type, base, met in _held_reviews(window, first, end):
        yield {
            "row_month": keys.get(due_month, -1),
            "row_district": district,
            "row_type": org_type,
            "base": base,
            "met": met,
        }
    # The review after the last one held (or after the plan, if none was).
    missed = (
        Episode.objects.filter(local_authority_id=window.la.pk, plan_agreed_at__isnull=False)
        .annotate(
            since=Coalesce(TruncDate("last_reviewed_at"), TruncDate("plan_agreed_at")),
            ended_day=_ended_day(),
        )
        .filter(since__gte=first, since__lt=end)
        .annotate(lasted=_days("ended_day", "since"))
    )
    counted = _waiting_for("record_review") | Q(lasted__gt=interval)
    for row in (
        missed.order_by()
        .values(
            row_day=F("since"),
            row_district=F("district_id"),
            row_type=F("requesting_organisation__type"),
        )
        .annotate(base=Count("pk", filter=counted))
    ):
        due = row["row_day"] + interval
        yield {**row, "met": 0, "row_month": months.get(due.replace(day=1), -1)}


def re_request_rows(window: Window) -> Iterable[Row]:
    """Requests received in the month. Met (here, the thing to keep low): the
    family had an earlier case closed in the 365 days before the request,
    whatever its closure reason."""
    earlier = Episode.objects.filter(
        local_authority_id=OuterRef("local_authority_id"),
        family_id=OuterRef("family_id"),
        closed_at__lte=OuterRef("requested_at"),
        closed_at__gte=OuterRef("requested_at") - datetime.timedelta(days=RE_REQUEST_DAYS),
    ).exclude(pk=OuterRef("pk"))
    cases = Episode.objects.filter(
        local_authority_id=window.la.pk,
        requested_at__gte=midnight(window.start),
        requested_at__lt=midnight(window.end),
    ).annotate(
        month_index=_month_of_moment("requested_at", window, datetime.timedelta(0)),
        again=Exists(earlier),
    )
    return _grouped(cases, "", Q(), Q(again=True))


# The indicators ----------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    definition: str | Promise
    target_field: str  # the Targets field holding its target
    rows: Callable[[Window], Iterable[Row]]
    higher_is_better: bool = True


INDICATORS = (
    Indicator(
        "assessment_on_time",
        _("Assessments completed within the timescale"),
        _(
            "Of the requests whose assessment was due in the month (the day of the request "
            "plus the council's timescale, 45 days unless changed on the timescales page), "
            "the share whose assessment was completed by that day; the last day counts as "
            "within. A case still waiting for its assessment counts as late. Left out: cases "
            "closed or stepped up within the timescale without an assessment."
        ),
        "assessment_on_time",
        assessment_rows,
    ),
    Indicator(
        "first_review_on_time",
        _("First reviews within the review interval"),
        _(
            "Of the plans whose first review was due in the month (the day the plan was "
            "agreed plus the council's review interval), the share whose first review was "
            "held by that day. A plan still waiting for its first review counts as late. "
            "Left out: cases closed or stepped up before the review was due."
        ),
        "first_review_on_time",
        first_review_rows,
    ),
    Indicator(
        "reviews_on_time",
        _("Reviews held on time"),
        _(
            "Of all reviews due in the month (one review interval after the plan was agreed, "
            "then after each review held), the share held by the day they were due. A review "
            "that was due and not held counts as late, whether the case is still open or was "
            "closed or stepped up after that day."
        ),
        "reviews_on_time",
        review_rows,
    ),
    Indicator(
        "re_requests",
        _("Re-requests within 12 months"),
        _(
            "Of the requests for help received in the month, the share for a family whose "
            "earlier case was closed in the 365 days before the request, whatever the "
            "reason it closed. Lower is better: the target is the most it should be."
        ),
        "re_requests",
        re_request_rows,
        higher_is_better=False,
    ),
)
INDICATORS_BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


# Results -----------------------------------------------------------------------


@dataclass
class Result:
    """One indicator's monthly figures for the council and each group."""

    indicator: Indicator
    target: int
    band: int
    months: Sequence[datetime.date]
    series: dict[Group, list[Figure]] = field(default_factory=dict)

    def months_of(self, group: Group = COUNCIL) -> list[Figure]:
        return self.series.get(group) or [Figure(0, 0) for _month in self.months]

    def total(self, group: Group = COUNCIL) -> Figure:
        figures = self.months_of(group)
        return sum(figures[1:], figures[0])

    def status(self, figure: Figure) -> str:
        return status_of(
            figure, self.target, self.band, higher_is_better=self.indicator.higher_is_better
        )

    def groups(self, kind: str) -> list[Group]:
        return sorted(group for group in self.series if group[0] == kind)


def _add(result: Result, group: Group, month: int, figure: Figure) -> None:
    series = result.series.setdefault(group, [Figure(0, 0) for _month in result.months])
    series[month] = series[month] + figure


def compute(indicator: Indicator, window: Window, targets: Targets) -> Result:
    result = Result(
        indicator,
        target=getattr(targets, indicator.target_field),
        band=targets.amber_points,
        months=window.months,
    )
    result.series[COUNCIL] = [Figure(0, 0) for _month in window.months]
    for row in indicator.rows(window):
        month = row["row_month"]
        if month is None or month < 0 or not row["base"]:
            continue
        figure = Figure(row["met"], row["base"])
        _add(result, COUNCIL, month, figure)
        _add(result, ("district", str(row["row_district"])), month, figure)
        _add(result, ("type", row["row_type"] or ""), month, figure)
    return result


def compute_all(
    la: LocalAuthority, targets: Targets, today: datetime.date | None = None
) -> list[Result]:
    window = Window.of(la, today)
    return [compute(indicator, window, targets) for indicator in INDICATORS]
