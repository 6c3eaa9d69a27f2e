"""Ofsted's Annex A, List 2 ("early help"): one row per child per early help
assessment open at any time in the six months before the as-of date, current
ones included, as the workbook inspectors ask for. The page and the
`export_annex_a` command both call `export`.

Who is in it (docs/REPORTING.md, "Annex A"):
- the window is from the same date six months earlier (the month's last day
  when that date does not exist: 28 or 29 February for 31 August) to the
  as-of date, both days included;
- an assessment is in when it started on or before the as-of date and either
  it was open on a day of the window (not completed, nor its case closed,
  before the window began) or its case was still open at the end of the
  as-of date (current early help: the assessment may be older);
- each child of the case gets a row for it (the case's children, not adults).
  Nothing later than the as-of date is shown: a completion after it is blank.

What each row says:
- Child Unique ID: an opaque id from the person's record in the service,
  a keyed hash (HMAC-SHA256 with settings.RETURNS_CHILD_ID_KEY) of the council
  and the record, so the same child has the same id in every export and
  nothing outside the service can work it out; never the NHS number, UPN or
  any other real identifier;
- the child's values only through `people.restrictions.for_return_all`: a
  restricted date of birth is blank (and so is the age), a restricted
  ethnicity is "not obtained", whoever exports, and nothing is worked out
  from a restricted value;
- an unborn child (no date of birth yet, or born after the as-of date):
  gender "not stated/recorded", date of birth and age blank;
- age in whole years at the as-of date;
- the organisation completing the assessment: the organisation it was
  completed for; while in progress, the first organisation of the
  practitioner who started it; the council's name when there is none (an
  officer of the council itself).
"""

from __future__ import annotations

import base64
import calendar
import datetime
import hashlib
import hmac
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import LocalAuthority, Membership
from assessments.models import Assessment
from audit.services import record_report
from core import policy
from core.routers import reading_from_replica
from core.validators import DateRange, case_dates, validate_date_range
from episodes.models import EpisodeChild
from people import restrictions
from people.models import Person, age_on

from . import annex_a_codes as codes

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

CHILD_ID_LENGTH = 12
RETURN_NAME = "annex_a_list_2"


def as_of_dates(today: datetime.date | None = None) -> DateRange:
    """The dates an export may be made as of: none in the future."""
    today = today or timezone.localdate()
    return DateRange(case_dates(today).earliest, today)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same date `months` earlier, or that month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of List 2's six months."""
    return months_before(as_of, 6), as_of


def child_id(person: Person) -> str:
    """The child's id in every return: stable for the record, opaque outside
    the service."""
    key = settings.RETURNS_CHILD_ID_KEY.encode("utf-8")
    message = f"annex-a:{person.local_authority_id}:{person.pk}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CHILD_ID_LENGTH]


@dataclass(frozen=True)
class Row:
    child_id: str
    gender: str
    ethnicity: str
    date_of_birth: datetime.date | None
    age: int | None
    assessment_start: datetime.date
    assessment_completion: datetime.date | None
    organisation: str

    def values(self) -> tuple[object, ...]:
        """In the order of codes.HEADER."""
        return (
            self.child_id,
            self.gender,
            self.ethnicity,
            self.date_of_birth,
            self.age,
            self.assessment_start,
            self.assessment_completion,
            self.organisation,
        )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Included(NamedTuple):
    """What List 2 needs of an included assessment (plain values: a large
    council's list is read in a few queries, with no model per row)."""

    episode_id: int
    started_at: datetime.datetime
    completed_at: datetime.datetime | None
    completed_for: str | None  # the organisation it was completed for
    started_by_id: int


def assessments_in(local_authority: LocalAuthority, as_of: datetime.date) -> QuerySet[Assessment]:
    """The council's assessments List 2 includes as of `as_of` (module doc)."""
    first, last = window(as_of)
    window_opens, day_after = _start_of(first), _start_of(last + datetime.timedelta(days=1))
    open_in_window = (Q(completed_at__isnull=True) | Q(completed_at__gte=window_opens)) & (
        Q(episode__closed_at__isnull=True) | Q(episode__closed_at__gte=window_opens)
    )
    current = Q(episode__closed_at__isnull=True) | Q(episode__closed_at__gte=day_after)
    return Assessment.objects.filter(
        episode__local_authority=local_authority, started_at__lt=day_after
    ).filter(open_in_window | current)


def _first_organisations(user_ids: set[int]) -> dict[int, str]:
    """Each user's first organisation (by membership), by name."""
    first: dict[int, str] = {}
    memberships = (
        Membership.objects.filter(user_id__in=user_ids)
        .order_by("pk")
        .values_list("user_id", "organisation__name")
    )
    for user_id, name in memberships:
        first.setdefault(user_id, name)
    return first


def _row(
    person: Person, shown: Person, assessment: Included, as_of: datetime.date, organisation: str
) -> Row:
    born = shown.date_of_birth
    # Decided on what may be shown only: nothing is worked out from a
    # restricted date of birth (a restricted one reads as unknown, not unborn).
    unborn = shown.is_unborn or (born is not None and born > as_of)
    completed_at = assessment.completed_at
    completion = timezone.localdate(completed_at) if completed_at else None
    return Row(
        child_id=child_id(person),
        gender=codes.gender(shown.sex, unborn=unborn),
        ethnicity=codes.ethnicity(shown.ethnicity),
        date_of_birth=None if unborn else born,
        age=None if unborn or born is None else age_on(born, as_of),
        assessment_start=timezone.localdate(assessment.started_at),
        assessment_completion=completion if completion and completion <= as_of else None,
        organisation=organisation,
    )


def rows(local_authority: LocalAuthority, as_of: datetime.date) -> list[Row]:
    """List 2 for the council as of `as_of`, by assessment start, then child id."""
    included = assessments_in(local_authority, as_of)
    assessments = [
        Included(*values)
        for values in included.values_list(
            "episode_id",
            "started_at",
            "completed_at",
            "completed_by_organisation__name",
            "started_by_id",
        )
    ]
    children: dict[int, list[Person]] = {}
    links = EpisodeChild.objects.filter(
        episode_id__in=included.values("episode_id")
    ).select_related("person")
    for link in links.order_by("pk"):
        children.setdefault(link.episode_id, []).append(link.person)
    people = list({p.pk: p for group in children.values() for p in group}.values())
    shown = restrictions.for_return_all(people)
    starters = _first_organisations({a.started_by_id for a in assessments})
    found: list[Row] = []
    for assessment in assessments:
        completed = (
            assessment.completed_at is not None
            and timezone.localdate(assessment.completed_at) <= as_of
        )
        organisation = (
            assessment.completed_for if completed else starters.get(assessment.started_by_id)
        ) or local_authority.name
        for person in children.get(assessment.episode_id, []):
            found.append(_row(person, shown[person.pk], assessment, as_of, organisation))
    found.sort(key=lambda row: (row.assessment_start, row.child_id))
    return found


def workbook(found: Iterable[Row]) -> bytes:
    """The workbook: one sheet, List 2, its header row, then a row each, dates
    as real Excel dates shown dd/mm/yyyy, blanks as empty cells."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = codes.SHEET
    sheet.append(codes.HEADER)
    dates = {i + 1 for i, name in enumerate(codes.HEADER) if name in codes.DATE_COLUMNS}
    # Cell by cell: asking the sheet for its last row would cost a scan of
    # every cell for each row.
    for number, row in enumerate(found, start=2):
        for column, value in enumerate(row.values(), start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if column in dates and value is not None:
                cell.number_format = codes.DATE_FORMAT
    for index, name in enumerate(codes.HEADER):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(14, len(name) + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(local_authority: LocalAuthority, as_of: datetime.date) -> str:
    return f"annex-a-list-2-{local_authority.slug}-{as_of.isoformat()}.xlsx"


def export(
    local_authority: LocalAuthority,
    as_of: datetime.date,
    *,
    actor: User | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> bytes:
    """List 2's workbook, audited as an export. A signed-in actor must be one
    of the council's early help managers; the command line names itself in
    `actor_label`."""
    if actor is not None and not (
        policy.can_export_statutory_returns(actor)
        and actor.local_authority_id == local_authority.pk
    ):
        raise PermissionDenied
    validate_date_range(as_of, as_of_dates(), _("The date to report as of"))
    # A report: its reads may go to the replica (core.routers); the audit
    # event is written to the primary before the file is handed over.
    with reading_from_replica():
        found = rows(local_authority, as_of)
    data = workbook(found)
    first, _last = window(as_of)
    with transaction.atomic():
        record_report(
            RETURN_NAME,
            local_authority,
            actor=actor,
            request=request,
            actor_label=actor_label,
            as_of=as_of.isoformat(),
            **{"from": first.isoformat()},
            rows=len(found),
            children=len({row.child_id for row in found}),
        )
    return data
