"""Quality assurance: the council's criteria, auditing a case, the team's
acknowledgement and reply, samples for audit and the aggregate summary.

Each function checks `core.policy`, writes in one transaction and records the
change in the audit trail. Notifications name the event only (never the
feedback or anything the family said)."""

from __future__ import annotations

import datetime
import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from notifications.services import notify

from .models import (
    DEFAULT_CRITERIA,
    WEAKNESSES,
    AuditReply,
    AuditSample,
    CaseAudit,
    Criterion,
    CriterionGrade,
    Grade,
    SampledCase,
    Subject,
)

if TYPE_CHECKING:
    from accounts.models import LocalAuthority, User
    from assessments.models import Assessment
    from episodes.models import Episode
    from plans.models import Plan

CRITERION_MAX_LENGTH = 300
# The biggest sample one draw makes, and the longest "recent" period.
MAX_SAMPLE_SIZE = 200
MAX_MONTHS = 24
MAX_SEED = 999_999_999
# A case is recent when it was asked for, or moved on (consent, assessment,
# plan, review, step-up, closure), within the period.
RECENT_FIELDS = (
    "requested_at",
    "consent_given_at",
    "assessment_completed_at",
    "plan_agreed_at",
    "last_reviewed_at",
    "stepped_up_at",
    "closed_at",
)


# The council's criteria ------------------------------------------------------------


def ensure_default_criteria(local_authority: LocalAuthority) -> None:
    """A council that has never had criteria starts with the defaults (created
    on first use, so a council added later gets them too)."""
    if Criterion.objects.filter(local_authority=local_authority).exists():
        return
    Criterion.objects.bulk_create(
        Criterion(local_authority=local_authority, text=str(text), position=number)
        for number, text in enumerate(DEFAULT_CRITERIA, start=1)
    )


def active_criteria(local_authority: LocalAuthority) -> list[Criterion]:
    ensure_default_criteria(local_authority)
    return list(Criterion.objects.filter(local_authority=local_authority, retired_at__isnull=True))


def _require_criteria_editor(user: User, criterion: Criterion | None = None) -> None:
    if not policy.can_edit_quality_criteria(user):
        raise PermissionDenied
    if criterion is not None and criterion.local_authority_id != user.local_authority_id:
        raise PermissionDenied


def _criterion_text(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError({"text": _("Enter the criterion")})
    if len(text) > CRITERION_MAX_LENGTH:
        raise ValidationError(
            {"text": _("The criterion must be %(n)d characters or fewer") % {"n": 300}}
        )
    return text


@transaction.atomic
def add_criterion(user: User, text: str, request: HttpRequest | None = None) -> Criterion:
    _require_criteria_editor(user)
    la_id = user.local_authority_id
    assert user.local_authority is not None and la_id is not None
    ensure_default_criteria(user.local_authority)
    last = (
        Criterion.objects.filter(local_authority_id=la_id)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    criterion = Criterion.objects.create(
        local_authority_id=la_id,
        text=_criterion_text(text),
        position=(last or 0) + 1,
    )
    record(Action.CREATE, actor=user, obj=criterion, request=request)
    return criterion


@transaction.atomic
def rename_criterion(
    user: User, criterion: Criterion, text: str, request: HttpRequest | None = None
) -> Criterion:
    """New words for new audits; audits already made keep the words they used."""
    _require_criteria_editor(user, criterion)
    criterion.text = _criterion_text(text)
    criterion.save(update_fields=["text"])
    record(Action.UPDATE, actor=user, obj=criterion, request=request, changes={"fields": ["text"]})
    return criterion


@transaction.atomic
def retire_criterion(
    user: User, criterion: Criterion, request: HttpRequest | None = None
) -> Criterion:
    """No longer graded; it stays on the audits that graded it."""
    _require_criteria_editor(user, criterion)
    if criterion.is_retired:
        raise ValidationError(_("This criterion is already retired"))
    criterion.retired_at = timezone.now()
    criterion.save(update_fields=["retired_at"])
    record(
        Action.UPDATE,
        actor=user,
        obj=criterion,
        request=request,
        changes={"fields": ["retired_at"]},
    )
    return criterion


# Auditing a case -----------------------------------------------------------------


@dataclass(frozen=True)
class AuditTarget:
    subject: str
    assessment: Assessment | None = None
    plan: Plan | None = None


def audit_targets(episode: Episode) -> dict[str, AuditTarget]:
    """What of the case can be audited now: the case, its assessment when one
    exists, its current plan version when one is agreed."""
    from assessments.models import Assessment
    from plans.services import current_plan

    targets = {Subject.CASE.value: AuditTarget(Subject.CASE)}
    assessment = Assessment.objects.filter(episode=episode).first()
    if assessment is not None:
        targets[Subject.ASSESSMENT.value] = AuditTarget(Subject.ASSESSMENT, assessment=assessment)
    plan = current_plan(episode)
    if plan is not None:
        targets[Subject.PLAN.value] = AuditTarget(Subject.PLAN, plan=plan)
    return targets


@dataclass(frozen=True)
class CriterionJudgement:
    grade: str
    comment: str = ""


def _check_judgements(
    criteria: list[Criterion], judgements: Mapping[int, CriterionJudgement]
) -> None:
    from .models import CRITERION_GRADES

    allowed = {value for value, _label in CRITERION_GRADES}
    errors = {
        f"grade_{criterion.pk}": _("Grade “%(criterion)s”") % {"criterion": criterion.text}
        for criterion in criteria
        if criterion.pk not in judgements or judgements[criterion.pk].grade not in allowed
    }
    if errors:
        raise ValidationError(errors)
    if set(judgements) - {criterion.pk for criterion in criteria}:
        raise ValidationError(
            _("The council's criteria changed while you were auditing: check the grades again")
        )


@transaction.atomic
def record_audit(
    user: User,
    episode: Episode,
    *,
    subject: str,
    grade: str,
    feedback: str,
    judgements: Mapping[int, CriterionJudgement],
    re_audit_of: CaseAudit | None = None,
    request: HttpRequest | None = None,
) -> CaseAudit:
    """Grade the case, its assessment or its current plan version against each
    of the council's criteria, and as a whole, with written feedback. The lead
    professional is told that an audit was made."""
    if not policy.can_audit_case(user, episode):
        raise PermissionDenied
    targets = audit_targets(episode)
    if subject not in targets:
        raise ValidationError({"subject": _("Choose what you audited")})
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose the overall grade")})
    feedback = str(feedback).strip()
    if not feedback:
        raise ValidationError({"feedback": _("Enter your feedback for the team")})
    if re_audit_of is not None and re_audit_of.episode_id != episode.pk:
        raise ValidationError({"re_audit_of": _("Choose an earlier audit of this case")})
    criteria = active_criteria(episode.local_authority)
    _check_judgements(criteria, judgements)
    target = targets[subject]
    audit = CaseAudit.objects.create(
        local_authority_id=episode.local_authority_id,
        episode=episode,
        subject=subject,
        assessment=target.assessment,
        plan=target.plan,
        plan_number=target.plan.number if target.plan else None,
        grade=grade,
        feedback=feedback,
        audited_by=user,
        re_audit_of=re_audit_of,
    )
    CriterionGrade.objects.bulk_create(
        CriterionGrade(
            local_authority_id=episode.local_authority_id,
            audit=audit,
            criterion=criterion,
            criterion_text=criterion.text,
            position=number,
            grade=judgements[criterion.pk].grade,
            comment=judgements[criterion.pk].comment.strip(),
        )
        for number, criterion in enumerate(criteria, start=1)
    )
    record(
        Action.CREATE,
        actor=user,
        obj=audit,
        request=request,
        changes={
            "subject": subject,
            "grade": grade,
            "plan_number": audit.plan_number,
            "re_audit_of": re_audit_of.pk if re_audit_of else None,
        },
    )
    notify([episode.lead_professional], episode, _("A quality audit of the case was recorded"))
    return audit


def _require_team(user: User, audit: CaseAudit) -> None:
    if not policy.audits_visible_to(user).filter(pk=audit.pk).exists():
        raise PermissionDenied
    if not policy.can_respond_to_audit(user, audit):
        raise PermissionDenied


@transaction.atomic
def acknowledge_audit(
    user: User, audit: CaseAudit, request: HttpRequest | None = None
) -> CaseAudit:
    """The team has read the audit (once: whoever acknowledges first)."""
    _require_team(user, audit)
    audit = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.acknowledged_at is not None:
        raise ValidationError(_("This audit has already been acknowledged"))
    audit.acknowledged_at = timezone.now()
    audit.acknowledged_by = user
    audit.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(
        Action.UPDATE, actor=user, obj=audit, request=request, changes={"fields": ["acknowledged"]}
    )
    return audit


REPLY_MAX_LENGTH = 5000


@transaction.atomic
def reply_to_audit(
    user: User, audit: CaseAudit, text: str, request: HttpRequest | None = None
) -> AuditReply:
    """The team answers the audit; the auditor is told there is a reply."""
    _require_team(user, audit)
    text = str(text).strip()
    if not text:
        raise ValidationError({"text": _("Enter your reply")})
    reply = AuditReply.objects.create(
        local_authority_id=audit.local_authority_id, audit=audit, author=user, text=text
    )
    record(Action.CREATE, actor=user, obj=reply, request=request, changes={"audit": audit.pk})
    notify([audit.audited_by], audit.episode, _("A reply to your quality audit"))
    return reply


# Samples for audit -----------------------------------------------------------------


def allocate(sizes: Mapping[str, int], wanted: int) -> dict[str, int]:
    """How many to draw from each stratum: in proportion to its size (largest
    remainders), at least one from every stratum present when `wanted` allows,
    never more than a stratum holds. Ties go to the stratum named first."""
    present = {key: size for key, size in sizes.items() if size > 0}
    total = sum(present.values())
    wanted = max(0, min(wanted, total))
    share = {key: wanted * size / total for key, size in present.items()} if total else {}
    counts = {key: min(size, int(share[key])) for key, size in present.items()}
    if wanted >= len(present):
        counts = {key: max(1, count) for key, count in counts.items()}
    order = sorted(present)
    while sum(counts.values()) < wanted:
        key = max(
            (k for k in order if counts[k] < present[k]),
            key=lambda k: (share[k] - counts[k], -order.index(k)),
        )
        counts[key] += 1
    while sum(counts.values()) > wanted:
        key = max(
            (k for k in order if counts[k] > 1),
            key=lambda k: (counts[k] - share[k], -order.index(k)),
        )
        counts[key] -= 1
    return {key: counts.get(key, 0) for key in sizes}


def months_before(today: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day if shorter)."""
    import calendar

    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(today.day, last_day))


def recent_cases(user: User, since: datetime.date) -> QuerySet[Episode]:
    """The cases `user` may audit that were asked for or moved on since `since`."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    recent = Q()
    for name in RECENT_FIELDS:
        recent |= Q(**{f"{name}__gte": start})
    return policy.cases_auditable_by(user).filter(recent)


def draw(population: Iterable[tuple[int, str]], size: int, seed: int) -> list[tuple[int, str]]:
    """A stratified random sample of (case id, stratum) pairs: the same
    population, size and seed always give the same cases."""
    strata: dict[str, list[int]] = defaultdict(list)
    for episode_id, stratum in sorted(population):
        strata[stratum].append(episode_id)
    counts = allocate({key: len(ids) for key, ids in strata.items()}, size)
    generator = random.Random(seed)
    chosen: list[tuple[int, str]] = []
    for stratum in sorted(strata):
        picked = generator.sample(strata[stratum], counts[stratum])
        chosen += [(episode_id, stratum) for episode_id in sorted(picked)]
    return chosen


@transaction.atomic
def draw_sample(
    user: User,
    *,
    size: int,
    months: int = 3,
    seed: int | None = None,
    today: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> AuditSample:
    """Draw and keep a sample of recent cases for audit, stratified by the
    requesting organisation's type. Give the seed of an earlier draw to
    reproduce it (over the same cases)."""
    if not policy.can_audit(user):
        raise PermissionDenied
    if not 1 <= size <= MAX_SAMPLE_SIZE:
        raise ValidationError({"size": _("Enter a size from 1 to %(n)d") % {"n": MAX_SAMPLE_SIZE}})
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError({"months": _("Enter a period from 1 to %(n)d months") % {"n": 24}})
    la_id = user.local_authority_id
    assert la_id is not None
    if seed is None:
        seed = secrets.randbelow(MAX_SEED) + 1
    since = months_before(today or timezone.localdate(), months)
    population = list(recent_cases(user, since).values_list("pk", "requesting_organisation__type"))
    population = [(pk, organisation_type or "") for pk, organisation_type in population]
    if not population:
        raise ValidationError(_("No cases you may audit were asked for or moved on in that period"))
    sample = AuditSample.objects.create(
        local_authority_id=la_id,
        drawn_by=user,
        size=size,
        months=months,
        since=since,
        seed=seed,
        population=len(population),
    )
    SampledCase.objects.bulk_create(
        SampledCase(
            local_authority_id=la_id,
            sample=sample,
            episode_id=episode_id,
            organisation_type=stratum,
        )
        for episode_id, stratum in draw(population, size, seed)
    )
    record(
        Action.CREATE,
        actor=user,
        obj=sample,
        request=request,
        changes={"size": size, "months": months, "seed": seed, "population": len(population)},
    )
    return sample


def sampled_cases(sample: AuditSample) -> list[tuple[SampledCase, CaseAudit | None]]:
    """Each sampled case with its first audit since the sample was drawn, if any."""
    rows = list(sample.cases.select_related("episode__family", "episode__requesting_organisation"))
    done: dict[int, CaseAudit] = {}
    for audit in CaseAudit.objects.filter(
        episode_id__in=[row.episode_id for row in rows], audited_at__gte=sample.drawn_at
    ).order_by("audited_at", "pk"):
        done.setdefault(audit.episode_id, audit)
    return [(row, done.get(row.episode_id)) for row in rows]


# The summary: aggregate only --------------------------------------------------------

TOP_WEAKNESSES = 3


@dataclass
class SummaryRow:
    """One organisation in one month: counts only, no case or person."""

    month: datetime.date
    organisation: str
    audits: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    weaknesses: list[tuple[str, int]] = field(default_factory=list)

    @property
    def grade_counts(self) -> list[int]:
        """How many audits had each overall grade, best first."""
        return [self.grades.get(grade, 0) for grade in Grade.values]


def summary(user: User, since: datetime.date) -> list[SummaryRow]:
    """Audits since `since` by month and by the case's requesting organisation
    (the organisation that asked for early help): how many, the overall
    grades, and the criteria most often graded requires improvement or
    inadequate."""
    if not policy.can_audit(user):
        raise PermissionDenied
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    audits = policy.audits_summarised_for(user).filter(audited_at__gte=start)
    organisation = "episode__requesting_organisation__name"
    counts = (
        audits.annotate(month=TruncMonth("audited_at"))
        .values("month", organisation, "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[tuple[datetime.date, str], SummaryRow] = {}
    for line in counts:
        month = _as_date(line["month"])
        key = (month, line[organisation])
        row = rows.setdefault(key, SummaryRow(month, line[organisation]))
        row.audits += line["n"]
        row.grades[line["grade"]] = row.grades.get(line["grade"], 0) + line["n"]
    weak = (
        CriterionGrade.objects.filter(audit__in=audits.values("pk"), grade__in=WEAKNESSES)
        .annotate(month=TruncMonth("audit__audited_at"))
        .values("month", f"audit__{organisation}", "criterion_text")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tallies: dict[tuple[datetime.date, str], Counter[str]] = defaultdict(Counter)
    for line in weak:
        key = (_as_date(line["month"]), line[f"audit__{organisation}"])
        tallies[key][line["criterion_text"]] += line["n"]
    for key, tally in tallies.items():
        if key in rows:
            rows[key].weaknesses = sorted(tally.items(), key=lambda item: (-item[1], item[0]))[
                :TOP_WEAKNESSES
            ]
    return sorted(rows.values(), key=lambda row: (-row.month.toordinal(), row.organisation))


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# Set on a case by audits_read_by: (the user's id, the audits read for them).
_READ_BY = "_quality_audits_read_by"


def audits_read_by(user: User, episode: Episode) -> list[CaseAudit]:
    """The audits of `episode` that `user` may read (policy.audits_visible_to),
    newest first: read once for the case object in hand, so that the case
    page's quality section and its chronology show the same audits from one
    query. A page's case object lasts its request; the next reads afresh."""
    held = getattr(episode, _READ_BY, None)
    if held is not None and held[0] == user.pk:
        return held[1]
    audits = list(
        policy.audits_visible_to(user)
        .filter(episode=episode)
        .select_related("audited_by", "acknowledged_by")
        .order_by("-audited_at", "-pk")
    )
    setattr(episode, _READ_BY, (user.pk, audits))
    return audits
