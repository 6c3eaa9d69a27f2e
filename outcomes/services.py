"""Asking, six months after a case closed, whether each outcome it achieved
lasted, and recording the answer (Supporting Families: "met and sustained").

`ask_due` is the scheduled job's work (outcomes.tasks): it makes one check per
achieved need once the six months are up, and emails whoever is asked; a need
that has its check is never asked again, so running it twice, or twice at
once, asks once. `record_sustainment` is the lead professional's answer."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from episodes.models import Episode, EpisodeNeed, NeedOutcome
from notifications.services import notify_about_cases

from .evidence import Evidence, problems
from .models import SustainmentCheck

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import LocalAuthority, User

SUSTAINED_AFTER_MONTHS = 6
# How long the lead professional has to answer, from the day they are asked.
ANSWER_WITHIN = timedelta(days=28)
# No six calendar months are shorter than this: the query's first cut.
_SHORTEST_SIX_MONTHS = timedelta(days=181)


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 August + 6
    months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_due_on(closed_on: date) -> date:
    """When a case closed on `closed_on` is asked whether its outcomes lasted."""
    return months_after(closed_on, SUSTAINED_AFTER_MONTHS)


def needs_due(council: LocalAuthority, today: date) -> list[EpisodeNeed]:
    """The council's achieved needs whose case closed six months or more ago
    and that have not been asked about."""
    # No case closed after this (local midnight) is six months closed today.
    latest_close = timezone.make_aware(
        datetime.combine(today - _SHORTEST_SIX_MONTHS + timedelta(days=1), time.min)
    )
    candidates = (
        EpisodeNeed.objects.filter(
            local_authority=council,
            outcome=NeedOutcome.ACHIEVED,
            episode__closed_at__isnull=False,
            episode__closed_at__lt=latest_close,
            sustainment_check__isnull=True,
        )
        .select_related("episode__lead_professional", "episode__district__early_help_officer")
        .order_by("episode_id", "pk")
    )
    return [
        need
        for need in candidates
        if check_due_on(timezone.localdate(need.episode.closed_at)) <= today
    ]


def _who_is_asked(episode: Episode) -> User | None:
    """The lead professional at closure; the district's Early Help Officer if
    there was none or they have left."""
    for user in (episode.lead_professional, episode.district.early_help_officer):
        if user is not None and user.is_active:
            return user
    return None


@dataclass
class Asked:
    checks: int
    people: int


def ask_due(council: LocalAuthority, today: date) -> Asked:
    """Ask about every need due (see needs_due), each once; one email per
    person asked, listing the cases."""
    asking: dict[Episode, list[User]] = {}
    made = 0
    for need in needs_due(council, today):
        episode = need.episode
        user = _who_is_asked(episode)
        if user is None:
            continue  # nobody to ask: asked once someone is (a lead, an EHO)
        try:
            with transaction.atomic():
                check = SustainmentCheck.objects.create(
                    episode=episode,
                    need=need,
                    asked=user,
                    due_on=check_due_on(timezone.localdate(episode.closed_at)),
                )
        except IntegrityError:
            continue  # asked by a run at the same moment
        made += 1
        asking.setdefault(episode, [user])
        record(
            Action.CREATE,
            obj=check,
            local_authority=council,
            actor_label="scheduled: ask_sustainment",
            changes={"need": need.need, "asked": user.pk},
        )
    if asking:
        notify_about_cases(
            asking,
            _("Six months on: say whether the outcomes achieved when the case closed have lasted"),
        )
    return Asked(made, len({users[0].pk for users in asking.values()}))


def answer_by(check: SustainmentCheck) -> date:
    return timezone.localdate(check.asked_at) + ANSWER_WITHIN


@dataclass(frozen=True)
class Answer:
    sustained: bool | None
    evidence: Evidence


# The form's field for each part of an answer.
ANSWER_FIELDS = {
    "sustained": "check_%d",
    "kind": "check_%d_evidence_type",
    "text": "check_%d_evidence",
    "on": "check_%d_date",
}


@transaction.atomic
def record_sustainment(
    actor: User,
    episode: Episode,
    answers: Mapping[int, Answer],
    *,
    request: HttpRequest | None = None,
) -> list[SustainmentCheck]:
    """Record whether each outcome lasted (by check id): yes or no, what shows
    it and its date (not before the case closed, not in the future)."""
    checks = list(
        policy.sustainment_checks_for(actor)
        .filter(episode=episode, pk__in=list(answers))
        .select_related("need", "episode")
        .select_for_update(of=("self",))
    )
    if len(checks) != len(answers):
        raise PermissionDenied
    today = timezone.localdate()
    found: dict[str, str] = {}
    for check in checks:
        answer = answers[check.pk]
        subject = str(check.need.get_need_display())
        if answer.sustained is None:
            found[ANSWER_FIELDS["sustained"] % check.pk] = _(
                "Say whether '%(need)s' was sustained"
            ) % {"need": subject}
        wrong = problems(
            subject,
            answer.evidence,
            required=True,
            earliest=timezone.localdate(episode.closed_at) if episode.closed_at else today,
            today=today,
        )
        found.update({ANSWER_FIELDS[part] % check.pk: text for part, text in wrong.items()})
    if found:
        raise ValidationError(found)
    now = timezone.now()
    for check in checks:
        answer = answers[check.pk]
        before = check.sustained
        check.sustained = answer.sustained
        check.evidence_type = answer.evidence.kind
        check.evidence = answer.evidence.text.strip()
        check.checked_on = answer.evidence.on
        check.recorded_by = actor
        check.recorded_at = now
        check.save()
        record(
            Action.UPDATE,
            actor=actor,
            obj=check,
            request=request,
            changes={"sustained": [before, check.sustained]},
        )
    return checks
