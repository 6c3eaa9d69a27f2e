"""The work a person owes, wherever it is owed: a case's next step
(episodes/progress.py knows what, by when and whose), a duty-to-share override
to review, a role request to approve. The home page lists it, the case lists
show it beside each case, and the case page turns the next step into the
button that does it (episodes/next_button.py).

Everything starts from core.policy: a case the user may not see is never an
item. A handful of queries whatever the caseload: the next steps come from
the case rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, F, Prefetch, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LocalAuthority, Role, User
from core import policy

from . import states
from .models import Episode, reference_of
from .progress import (
    WORKER,
    NextStep,
    add_working_days,
    council_of,
    next_step,
    timescales_of,
    with_council,
)
from .states import statuses_allowing

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from accounts.models import District
    from consent.models import SharingOverride

# Where a piece of work is done: (URL name, its arguments, a fragment).
Where = tuple[str, dict[str, int], str]

# Steps the district's Early Help Officer owes that managers also see, so
# nothing waits unseen when a district has no officer or the officer is away.
FRONT_DOOR_STEPS = frozenset({"record_csc_decision", "change_lead"})

# Where a case's next step is done when the address needs only the case.
_STEP_PAGES = {
    "give_consent": "consent:list",
    "edit_assessment": "assessments:task_list",
    "record_review": "reviews:record",
}


@dataclass(frozen=True)
class Item:
    """One piece of work owed: what, on which case (None for work about
    accounts), by when, and where it is done (`link`)."""

    what: StrOrPromise
    # A next step's case as a row (reference and family, all a list shows);
    # other work's as the model it was read with.
    case: Episode | ListedCase | None
    due: date | None
    # Reversed only for the items shown.
    where: Where = field(repr=False)
    detail: str = ""

    @property
    def link(self) -> str:
        name, kwargs, fragment = self.where
        return reverse(name, kwargs=kwargs) + fragment

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def open_cases_visible_to(user: User) -> QuerySet[Episode]:
    """The cases `user` may see that are not closed: "Open" in every list,
    stepped-up cases included (their decision is still owed)."""
    return policy.episodes_visible_to(user).filter(status__in=statuses_allowing("list_as_open"))


# The most open cases a page reads once (open_cases_read_once) rather than
# asking the policy about each time: a district's EHO has hundreds.
READ_ONCE_UP_TO = 5000


def open_cases_read_once(user: User) -> tuple[QuerySet[Episode], int | None]:
    """open_cases_visible_to, for a page that asks several things of them (the
    home page: how many, "My cases", the work owed). For a practitioner or an
    EHO the policy's rule is a union of their routes to cases, the dearest
    part of each question (15 ms a time for a busy practitioner): it runs once
    here, and the questions are asked of the ids it let through. Returns the
    cases and, when read, how many there are. A whole-council role's rule is a
    filter on the council's index, cheaper than the ids; it stays as it is."""
    visible = open_cases_visible_to(user)
    if policy.sees_every_case_of_council(user):
        return visible, None
    ids = list(visible.order_by().values_list("pk", flat=True)[: READ_ONCE_UP_TO + 1])
    if len(ids) > READ_ONCE_UP_TO:
        return visible, None
    # Only ids the policy's query above let through (as one array: core.lookups).
    return Episode.objects.filter(pk__any_of=ids), len(ids)


def _may_owe(user: User) -> Q:
    """A superset of the cases whose next step `user` owes, for the query;
    next_step then decides exactly."""
    rule = Q(lead_professional=user) | Q(lead_professional__isnull=True, requested_by=user)
    if user.has_role(Role.EARLY_HELP_OFFICER):
        rule |= Q(district__early_help_officer=user) & (
            Q(status__in=statuses_allowing("record_csc_decision"))
            | Q(lead_professional__isnull=True, lead_professional_due_by__isnull=False)
        )
    if user.has_role(Role.EARLY_HELP_MANAGER):
        rule |= Q(status__in=statuses_allowing("record_csc_decision")) | Q(
            lead_professional__isnull=True, lead_professional_due_by__isnull=False
        )
    return rule


def owes(user: User, step: NextStep[Any] | None) -> bool:
    if step is None:
        return False
    if step.owner_id == user.pk:
        return True
    return step.activity in FRONT_DOOR_STEPS and user.has_role(Role.EARLY_HELP_MANAGER)


def _where(episode: Episode | CaseRow, step: NextStep[Any]) -> Where:
    """The page where the step is done, or the case page's next step (whose
    button knows the meeting or referral) when that needs more than the case."""
    if step.activity in _STEP_PAGES:
        return (_STEP_PAGES[step.activity], {"episode_pk": episode.pk}, "")
    return ("episodes:detail", {"pk": episode.pk}, "#next-step")


def step_link(episode: Episode, step: NextStep[Episode]) -> str:
    name, kwargs, fragment = _where(episode, step)
    return reverse(name, kwargs=kwargs) + fragment


class CaseRow:
    """A case as next_step reads it (its dates, stage and ids, its council and
    district), built from a values() row: a practitioner may owe steps on
    hundreds of cases, and model instances for each cost more than the rest
    of the page. Only the cases shown are fetched as Episodes."""

    pk: int
    district_id: int
    status: str
    lead_professional_id: int | None
    lead_professional_due_by: date | None
    requested_by_id: int | None  # None when a partner system asked by API
    requested_at: datetime
    consent_given_at: datetime | None
    assessment_completed_at: datetime | None
    plan_agreed_at: datetime | None
    last_reviewed_at: datetime | None
    stepped_up_at: datetime | None

    FIELDS = (
        "pk",
        "district_id",
        "status",
        "lead_professional_id",
        "lead_professional_due_by",
        "requested_by_id",
        "requested_at",
        "consent_given_at",
        "assessment_completed_at",
        "plan_agreed_at",
        "last_reviewed_at",
        "stepped_up_at",
    )

    def __init__(
        self, values: tuple[Any, ...], council: LocalAuthority, districts: dict[int, District]
    ) -> None:
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)
        self.local_authority = council
        self.district = districts[self.district_id]


def _user_name(pk: int | None, full_name: str | None, email: str | None) -> str | None:
    """A user read as values, named as User.__str__ names them (None: no user)."""
    return (full_name or email) if pk is not None else None


class ListedCase(CaseRow):
    """A row of the case list: what next_step reads (CaseRow) and the names
    the row shows. A page of 50 as model instances (each case with its
    family, district and lead professional) cost more to build than the
    rest of the list page's Python; as values it costs half."""

    SHOWN: tuple[str, ...] = (
        "family__name",
        "lead_professional__full_name",
        "lead_professional__email",
    )

    def __init__(
        self, values: tuple[Any, ...], council: LocalAuthority, districts: dict[int, District]
    ) -> None:
        size = len(CaseRow.FIELDS)
        super().__init__(values[:size], council, districts)
        self.family_name, lead_full_name, lead_email = values[size : size + len(ListedCase.SHOWN)]
        self.lead_name = _user_name(self.lead_professional_id, lead_full_name, lead_email)

    @property
    def reference(self) -> str:
        return reference_of(self.pk)


class MyCase(ListedCase):
    """A row of the home page's "My cases": a listed case and the name of
    whoever its next step is owed by (its lead professional, else whoever
    asked for help, else its district's Early Help Officer: NextStep.owner).
    `districts` must hold their officers (council_districts)."""

    SHOWN = (*ListedCase.SHOWN, "requested_by__full_name", "requested_by__email")

    def __init__(
        self, values: tuple[Any, ...], council: LocalAuthority, districts: dict[int, District]
    ) -> None:
        super().__init__(values, council, districts)
        asker_full_name, asker_email = values[len(CaseRow.FIELDS) + len(ListedCase.SHOWN) :]
        self.asker_name = _user_name(self.requested_by_id, asker_full_name, asker_email)

    def owner_name(self, step: NextStep[MyCase]) -> str | None:
        """Who owes `step`, as User.__str__ names them."""
        if step.owed_by == WORKER:
            return self.lead_name or self.asker_name
        officer = self.district.early_help_officer
        return str(officer) if officer is not None else None


def council_districts(user: User) -> dict[int, District]:
    """The districts of `user`'s council by id, by name, with their Early Help
    Officers: read once for a page whose rows need them (the home page's
    "My cases" and the steps owed, the case list's rows and filter)."""
    from accounts.models import District

    return {
        district.pk: district
        for district in District.objects.filter(local_authority_id=user.local_authority_id)
        .select_related("early_help_officer")
        .order_by("name")
    }


Listed = TypeVar("Listed", bound=ListedCase)


def listed_cases(
    ids: list[int], user: User, districts: dict[int, District], kind: type[Listed]
) -> list[Listed]:
    """The cases with these ids, in their order, as rows of `kind` for
    `user`. Only ids a query of the caller's (core.policy's rule) let
    through: all of the user's council. `districts`: the council's, by id."""
    if not ids:
        return []
    council = council_of(user)
    found = {
        values[0]: values
        for values in Episode.objects.filter(pk__in=ids)
        .order_by()
        .values_list(*CaseRow.FIELDS, *kind.SHOWN)
    }
    return [kind(found[pk], council, districts) for pk in ids if pk in found]


@dataclass(frozen=True)
class _StepOwed:
    what: StrOrPromise
    case_id: int
    due: date | None
    where: Where


def _steps_owed(
    user: User,
    visible: QuerySet[Episode] | list[tuple[Any, ...]],
    districts: dict[int, District] | None = None,
) -> list[_StepOwed]:
    """The next steps `user` owes on the cases `visible` (or on these rows of
    CaseRow.FIELDS); `districts`: the council's, if the caller has read them."""
    rows = (
        visible
        if isinstance(visible, list)
        else list(
            visible.filter(status__in=statuses_allowing("list_as_open"))
            .filter(_may_owe(user))
            .values_list(*CaseRow.FIELDS)
        )
    )
    if not rows:
        return []
    # Every visible case is of the user's council (core.policy).
    council = user.local_authority
    if council is None:  # a user of no council sees no case (core.policy)
        return []
    if districts is None:
        districts = council_districts(user)
    owed = []
    for values in rows:
        case = CaseRow(values, council, districts)
        step = next_step(case)
        if step is not None and owes(user, step):
            owed.append(_StepOwed(step.what, case.pk, step.due, _where(case, step)))
    return owed


def overrides_to_review(
    user: User, among: QuerySet[Episode] | Iterable[int]
) -> list[SharingOverride]:
    """Duty-to-share overrides waiting for `user`'s review, on `among`: cases
    the user may see (a queryset from core.policy, or the ids of its rows)."""
    # Usually none: first only their ids, then, when there are any, the
    # overrides with who and what they name and their cases and families,
    # rather than a query of five tables built and planned on every page.
    ids = list(
        policy.sharing_overrides_to_review(user)
        .filter(episode__in=among)
        .order_by()
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    from consent.models import SharingOverride

    # Only ids the policy's query above let through.
    found = list(
        SharingOverride.objects.filter(pk__in=ids)
        .select_related("organisation", "recorded_by")
        .prefetch_related(Prefetch("episode", Episode.objects.select_related("family")))
    )
    with_council([override.episode for override in found], user)
    return found


def override_item(override: SharingOverride) -> Item:
    return Item(
        _("Information shared without consent: to review"),
        override.episode,
        add_working_days(
            timezone.localdate(override.recorded_at),
            timescales_of(override.episode.local_authority).override_review_working_days,
        ),
        (
            "consent:review_override",
            {"episode_pk": override.episode_id, "pk": override.pk},
            "",
        ),
        _("Shared with %(organisation)s by %(who)s")
        % {"organisation": override.organisation.name, "who": override.recorded_by},
    )


def _role_requests(user: User) -> list[Item]:
    from accounts.services import pending_role_requests

    if not policy.can_manage_users(user):
        return []
    waiting = pending_role_requests(user).exclude(requested_by=user).exclude(user=user)
    return [
        Item(
            _("Approve or refuse a role: %(role)s for %(name)s")
            % {"role": role_request.get_role_display(), "name": role_request.user},
            None,
            None,
            ("accounts:role_requests", {}, ""),
        )
        for role_request in waiting
    ]


def _police_notifications_to_acknowledge(user: User) -> list[Item]:
    """A school's key adult owes an acknowledgement of each police
    notification about a pupil before the next school day (Operation
    Encompass); the home page is where they see it, the email aside."""
    from police.models import PoliceNotification

    waiting = PoliceNotification.objects.filter(
        local_authority_id=user.local_authority_id,
        school__key_adult=user,
        acknowledged_at__isnull=True,
    ).order_by("acknowledge_by")
    return [
        Item(
            _("Acknowledge a police notification"),
            None,
            timezone.localdate(notification.acknowledge_by),
            ("police:detail", {"pk": notification.pk}, ""),
            _("Police reference %(reference)s") % {"reference": notification.police_reference},
        )
        for notification in waiting
    ]


def _sustainment_checks(user: User) -> list[Item]:
    """Six months after closure: whether the outcomes lasted (outcomes app),
    one item per case, due four weeks after the question was asked."""
    from outcomes.services import answer_by

    checks = policy.sustainment_checks_owed_by(user).select_related("episode__family")
    by_case: dict[int, Item] = {}
    for check in checks.order_by("asked_at", "pk"):
        by_case.setdefault(
            check.episode_id,
            Item(
                _("Say whether the outcomes achieved have lasted"),
                check.episode,
                answer_by(check),
                ("outcomes:record_checks", {"episode_pk": check.episode_id}, ""),
            ),
        )
    return list(by_case.values())


def _soonest_first(item: Item | _StepOwed) -> tuple[bool, date]:
    return (item.due is None, item.due or date.max)


@dataclass(frozen=True)
class _Decisions:
    """A manager's children's social care decisions owed: the first few, and
    how many there are and are overdue (counted by the database)."""

    first: list[_StepOwed]
    total: int
    overdue: int


# The stage whose next step is children's social care's decision (stepped up).
_WAITING_FOR_DECISION = states.statuses_waiting_for("record_csc_decision")


def _last_stepped_up_day_overdue(council: LocalAuthority, today: date) -> date:
    """The last day a case could be stepped up on and its decision be overdue
    today: the decision is due a number of working days after the step-up,
    so the later the step-up, the later it is due."""
    days = timescales_of(council).csc_decision_working_days
    day = today
    while add_working_days(day, days) >= today:
        day -= timedelta(days=1)
    return day


def _decisions_owed(
    user: User,
    visible: QuerySet[Episode],
    limit: int,
    districts: dict[int, District] | None = None,
) -> _Decisions:
    """A manager owes the decision on every stepped-up case they may see (a
    front-door step, see owes): hundreds in a large council. Its due date
    follows the step-up date, so the soonest due are the earliest stepped
    up, and the overdue those stepped up on or before a day worked out once:
    the database counts them and returns only the `limit` that can be shown,
    rather than each case's next step being worked out here."""
    council = user.local_authority
    waiting = visible.filter(status__in=_WAITING_FOR_DECISION)
    if council is None:  # a user of no council sees no case (core.policy)
        return _Decisions([], 0, 0)
    last_overdue = _last_stepped_up_day_overdue(council, timezone.localdate())
    overdue_before = timezone.make_aware(
        datetime.combine(last_overdue + timedelta(days=1), time.min)
    )
    # How many there are and are overdue, on each of the rows returned (one query).
    rows = list(
        waiting.annotate(
            total=Window(Count("pk")),
            overdue=Window(Count("pk", filter=Q(stepped_up_at__lt=overdue_before))),
        )
        .order_by(F("stepped_up_at").asc(nulls_last=True), "pk")
        .values_list(*CaseRow.FIELDS, "total", "overdue")[:limit]
    )
    if not rows:
        return _Decisions([], 0, 0)
    first = _steps_owed(user, [row[: len(CaseRow.FIELDS)] for row in rows], districts)
    return _Decisions(first, rows[0][-2], rows[0][-1])


@dataclass(frozen=True)
class WorkOwed:
    items: list[Item]  # the soonest due first (the most overdue), at most the limit asked
    total: int
    overdue: int


def work_owed_summary(
    user: User,
    visible: QuerySet[Episode] | None = None,
    limit: int | None = None,
    districts: dict[int, District] | None = None,
) -> WorkOwed:
    """Everything `user` owes, the most overdue first and undated work last:
    the first `limit` as Items, and how many there are and are overdue.
    `visible`: the cases the user may see, if the caller has them already
    (policy.episodes_visible_to, perhaps narrowed to open ones); `districts`:
    the council's, if the caller has read them (council_districts)."""
    if visible is None:
        visible = policy.episodes_visible_to(user)
    decisions = _Decisions([], 0, 0)
    steps = visible
    if limit and user.has_role(Role.EARLY_HELP_MANAGER):
        decisions = _decisions_owed(user, visible, limit, districts)
        steps = visible.exclude(status__in=_WAITING_FOR_DECISION)
    owed: list[_StepOwed | Item] = [*decisions.first, *_steps_owed(user, steps, districts)]
    owed += [override_item(override) for override in overrides_to_review(user, visible)]
    owed += _role_requests(user)
    owed += _police_notifications_to_acknowledge(user)
    owed += _sustainment_checks(user)
    owed.sort(key=_soonest_first)
    shown = owed if limit is None else owed[:limit]
    # By id alone: the ids are of cases `visible` let through just now, and
    # asking the policy again would work out the user's whole caseload again.
    # As rows, not model instances: an EHO's or a manager's 50.
    ids = [entry.case_id for entry in shown if isinstance(entry, _StepOwed)]
    if ids and districts is None:
        districts = council_districts(user)
    cases = {case.pk: case for case in listed_cases(ids, user, districts or {}, ListedCase)}
    today = timezone.localdate()
    return WorkOwed(
        items=[
            Item(entry.what, cases[entry.case_id], entry.due, entry.where)
            if isinstance(entry, _StepOwed)
            else entry
            for entry in shown
            if not isinstance(entry, _StepOwed) or entry.case_id in cases
        ],
        # The decisions were counted by the database, not by their entries here.
        total=len(owed) - len(decisions.first) + decisions.total,
        overdue=_overdue(owed, today) - _overdue(decisions.first, today) + decisions.overdue,
    )


def _overdue(entries: Iterable[_StepOwed | Item], today: date) -> int:
    return sum(1 for entry in entries if entry.due is not None and entry.due < today)


def work_owed_by(user: User) -> list[Item]:
    """Everything `user` owes, the most overdue first; undated work last."""
    return work_owed_summary(user).items
