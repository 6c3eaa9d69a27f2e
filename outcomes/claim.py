"""The Supporting Families claim: the families whose early help meets the
programme's rules for a successful family outcome, with each one's evidence,
and how many families the council worked with. The page, the download and
`earlyhelp supporting_families_claim` all read `claim_report`; the rules are
here and nowhere else (docs/REPORTING.md explains them).

A case (one period of early help for a family) is claimable when:
1. its needs fall in at least three of the ten headline outcomes;
2. it had a lead professional;
3. it had a whole-family assessment: the assessment was completed and records
   the family's circumstances (the whole family, not one child);
4. its plan addresses every need: the last plan version agreed has, for each
   need's headline outcome, a goal tagged with that outcome and at least one
   action (a goal is "what wellbeing will look like" in that area; an action
   is someone doing something about it);
5. every need was met: its outcome at closure is "achieved", with evidence
   (what shows it, a description) and the date;
6. every need was sustained: the six-month check says yes, with evidence.
It is claimed in the period its last six-month check was recorded in (the day
the family's outcome was fully evidenced). A family is listed once, for its
latest claimable case.

"Families worked with" in a period: families with a case whose assessment had
started by the period's end and that had not closed before the period began.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from episodes.models import Episode, EpisodeNeed, NeedOutcome
from episodes.needs import NEED_OUTCOME, Need, Outcome
from plans.models import Goal, Plan

from .models import SustainmentCheck

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import LocalAuthority
    from people.models import Person

MINIMUM_HEADLINE_OUTCOMES = 3

# Each rule's key (stable: tests and the page use them) and how it is put.
RULES: dict[str, StrOrPromise] = {
    "three_outcomes": _("Needs in at least three headline outcomes"),
    "lead_professional": _("A lead professional"),
    "whole_family_assessment": _("A whole-family assessment"),
    "plan_addresses_needs": _("A plan addressing every need"),
    "needs_met": _("Every need met, with evidence"),
    "needs_sustained": _("Every need sustained for six months, with evidence"),
}


def _outcome_of(need: EpisodeNeed) -> Outcome:
    return NEED_OUTCOME[Need(need.need)]


def _latest_plan(episode: Episode) -> Plan | None:
    plans = list(episode.plans.all())
    return max(plans, key=lambda plan: plan.number) if plans else None


def _assessment(episode: Episode) -> Assessment | None:
    try:
        return episode.assessment
    except Assessment.DoesNotExist:
        return None


def addressed_outcomes(plan: Plan | None) -> set[str]:
    """The headline outcomes a plan version addresses: a goal tagged with the
    outcome that has at least one action."""
    if plan is None:
        return set()
    return {goal.outcome for goal in plan.goals.all() if goal.outcome and goal.actions.all()}


def _met(need: EpisodeNeed) -> bool:
    return (
        need.outcome == NeedOutcome.ACHIEVED
        and bool(need.evidence_type)
        and bool(need.evidence.strip())
        and need.outcome_on is not None
    )


def _check(need: EpisodeNeed) -> SustainmentCheck | None:
    try:
        return need.sustainment_check
    except SustainmentCheck.DoesNotExist:
        return None


def _sustained(need: EpisodeNeed) -> bool:
    check = _check(need)
    return (
        check is not None
        and check.sustained is True
        and bool(check.evidence_type)
        and bool(check.evidence.strip())
        and check.checked_on is not None
    )


def rules_failed(episode: Episode) -> list[str]:
    """The keys of RULES the case does not meet (none: claimable). Reads the
    episode's prefetched needs, checks, assessment and plans (see _cases)."""
    needs = list(episode.needs.all())
    outcomes = {_outcome_of(need) for need in needs}
    assessment = _assessment(episode)
    failed = []
    if len(outcomes) < MINIMUM_HEADLINE_OUTCOMES:
        failed.append("three_outcomes")
    if episode.lead_professional_id is None:
        failed.append("lead_professional")
    if (
        assessment is None
        or assessment.completed_at is None
        or not assessment.family_circumstances.strip()
    ):
        failed.append("whole_family_assessment")
    if not needs or not outcomes <= addressed_outcomes(_latest_plan(episode)):
        failed.append("plan_addresses_needs")
    if not needs or not all(_met(need) for need in needs):
        failed.append("needs_met")
    if not needs or not all(_sustained(need) for need in needs):
        failed.append("needs_sustained")
    return failed


@dataclass(frozen=True)
class NeedEvidence:
    need: StrOrPromise
    headline_outcome: StrOrPromise
    outcome: StrOrPromise
    evidence_type: StrOrPromise
    evidence: str
    outcome_on: date | None
    sustained_evidence_type: StrOrPromise
    sustained_evidence: str
    checked_on: date | None


@dataclass(frozen=True)
class FamilyClaim:
    reference: str
    family: str
    children: list[str]
    lead_professional: str
    assessment_completed_on: date | None
    plan_version: int | None
    closed_on: date | None
    claimed_on: date
    headline_outcomes: list[StrOrPromise]
    needs: list[NeedEvidence] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimReport:
    council: LocalAuthority
    start: date
    end: date
    families: list[FamilyClaim]
    families_worked_with: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as [from local midnight, to the next day's local midnight)."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _cases(council: LocalAuthority, start: date, end: date) -> list[Episode]:
    """The council's cases with a six-month check recorded in the period, with
    what the rules read, in a fixed number of queries."""
    checked = SustainmentCheck.objects.filter(
        episode_id=OuterRef("pk"), checked_on__gte=start, checked_on__lte=end
    )
    return list(
        Episode.objects.filter(local_authority=council, closed_at__isnull=False)
        .filter(Exists(checked))
        .select_related("family", "lead_professional", "assessment")
        .prefetch_related(
            Prefetch(
                "needs",
                queryset=EpisodeNeed.objects.select_related("sustainment_check").order_by("pk"),
            ),
            Prefetch(
                "plans",
                queryset=Plan.objects.prefetch_related(
                    Prefetch("goals", queryset=Goal.objects.prefetch_related("actions"))
                ),
            ),
            "child_links__person__restrictions",
        )
        .order_by("pk")
    )


def _evidence_of(need: EpisodeNeed) -> NeedEvidence:
    check = _check(need)
    return NeedEvidence(
        need=need.get_need_display(),
        headline_outcome=Outcome(_outcome_of(need)).label,
        outcome=need.get_outcome_display(),
        evidence_type=need.get_evidence_type_display(),
        evidence=need.evidence,
        outcome_on=need.outcome_on,
        sustained_evidence_type=check.get_evidence_type_display() if check else "",
        sustained_evidence=check.evidence if check else "",
        checked_on=check.checked_on if check else None,
    )


def _claim(episode: Episode, name_of: Callable[[Person], str]) -> FamilyClaim:
    needs = list(episode.needs.all())
    plan = _latest_plan(episode)
    assessment = _assessment(episode)
    checked = [check.checked_on for need in needs if (check := _check(need)) and check.checked_on]
    outcomes = sorted({_outcome_of(need) for need in needs}, key=Outcome.values.index)
    return FamilyClaim(
        reference=episode.reference,
        family=episode.family.name,
        children=[name_of(link.person) for link in episode.child_links.all()],
        lead_professional=str(episode.lead_professional or ""),
        assessment_completed_on=(
            timezone.localdate(assessment.completed_at)
            if assessment and assessment.completed_at
            else None
        ),
        plan_version=plan.number if plan else None,
        closed_on=timezone.localdate(episode.closed_at) if episode.closed_at else None,
        claimed_on=max(checked),
        headline_outcomes=[Outcome(key).label for key in outcomes],
        needs=[_evidence_of(need) for need in needs],
    )


def families_worked_with(council: LocalAuthority, start: date, end: date) -> int:
    begins, ends = _bounds(start, end)
    assessed = Assessment.objects.filter(episode_id=OuterRef("pk"), started_at__lt=ends)
    return (
        Episode.objects.filter(local_authority=council)
        .filter(Exists(assessed))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=begins))
        .order_by()
        .values("family_id")
        .distinct()
        .count()
    )


def claim_report(
    council: LocalAuthority, start: date, end: date, *, name_of: Callable[[Person], str]
) -> ClaimReport:
    """The families claimable in [start, end] (dates inclusive). `name_of`
    gives a child's name as the reader may see it (people.restrictions)."""
    latest: dict[int, Episode] = {}
    claims: dict[int, FamilyClaim] = {}
    for episode in _cases(council, start, end):
        if rules_failed(episode):
            continue
        claim = _claim(episode, name_of)
        if not start <= claim.claimed_on <= end:
            continue
        family = episode.family_id
        if family not in latest or (episode.closed_at or timezone.now()) > (
            latest[family].closed_at or timezone.now()
        ):
            latest[family] = episode
            claims[family] = claim
    families = sorted(claims.values(), key=lambda claim: (claim.claimed_on, claim.reference))
    return ClaimReport(council, start, end, families, families_worked_with(council, start, end))


HEADER = (
    "Case reference",
    "Family",
    "Children",
    "Lead professional",
    "Assessment completed",
    "Plan version",
    "Closed",
    "Claimed",
    "Headline outcomes",
    "Need",
    "Headline outcome",
    "Outcome",
    "Evidence type",
    "Evidence",
    "Outcome date",
    "Sustained evidence type",
    "Sustained evidence",
    "Sustained check date",
)


def rows(report: ClaimReport) -> Iterable[list[object]]:
    """One row per need of each claimed family (the family's columns repeated),
    the same on the download and from the command line."""
    for claim in report.families:
        family = [
            claim.reference,
            claim.family,
            "; ".join(claim.children),
            claim.lead_professional,
            claim.assessment_completed_on,
            claim.plan_version,
            claim.closed_on,
            claim.claimed_on,
            "; ".join(str(label) for label in claim.headline_outcomes),
        ]
        for need in claim.needs:
            yield [
                *family,
                str(need.need),
                str(need.headline_outcome),
                str(need.outcome),
                str(need.evidence_type),
                need.evidence,
                need.outcome_on,
                str(need.sustained_evidence_type),
                need.sustained_evidence,
                need.checked_on,
            ]
