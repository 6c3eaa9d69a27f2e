"""Retention: how long a council keeps a family's records, and what happens then.

The unit is the family record. A family is due when none of its episodes is
still open (anything not closed, a step-up awaiting children's social care's
answer included) and its council's rule date has passed:

- "youngest child reaches an age": the youngest child's Nth birthday (a
  29 February birthday falls on 1 March, as `people.models.age_on` counts it);
- "years after closure": N years after the latest episode closed.

A family never helped (no episodes) follows the age rule from its children. A
family whose date cannot be worked out (a child with no date of birth, or no
children under the age rule) is kept and reported.

Acting on a due family runs in one transaction: anonymise (erase everything
that identifies anyone, keep the facts reports need) or delete, a
RetentionRecord so a second run leaves the family alone, and one audit event.
A person who also belongs to a family that is still kept is not erased.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import LocalAuthority
from assessments.models import Assessment, ChildVoice
from audit.models import Action
from audit.services import record
from consent.models import Consent, RefusalJudgement, SharingOverride
from core import policy
from episodes import states
from episodes.models import Episode, EpisodeNeed
from families.models import FamilyLink, FamilyRequest, Feedback
from meetings.models import Meeting
from notes.models import Attachment, CaseNote
from notifications.models import Notification
from panels.models import AgendaItem
from people.models import CHILD_RELATIONSHIPS, Family, FamilyMember, Person, Restriction
from plans.models import Action as PlanAction
from plans.models import Goal, Plan, PlanCopy
from referrals.models import Referral
from reviews.models import ActionProgress, ChildView, Review

from .models import RetentionAction, RetentionKind, RetentionRecord, RetentionRule

if TYPE_CHECKING:
    from django.core.files.storage import Storage
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from accounts.models import User

    # A stored file to remove once its row has gone: (its storage, its name).
    StoredFile = tuple[Storage, str]

ERASED = "Erased"
ACTOR_LABEL = "apply_retention"
RULE_FIELDS = ("kind", "age", "years", "action")


def family_reference(family_id: int) -> str:
    """How commands and records name a family: never by its name."""
    return f"F{family_id:06d}"


def rule_for(local_authority: LocalAuthority) -> RetentionRule:
    rule, _created = RetentionRule.objects.get_or_create(local_authority=local_authority)
    return rule


@transaction.atomic
def update_rule(
    actor: User,
    local_authority: LocalAuthority,
    data: Mapping[str, object],
    request: HttpRequest | None = None,
) -> list[str]:
    """Change the council's rule; returns the names of the fields changed."""
    if not policy.can_change_retention_rule(actor, local_authority):
        raise PermissionDenied
    rule = rule_for(local_authority)
    before = {name: getattr(rule, name) for name in RULE_FIELDS}
    counted_under = rule.code
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    changed = sorted(name for name in RULE_FIELDS if getattr(rule, name) != before[name])
    if changed:
        rule.updated_by = actor
        rule.save()
        record(Action.UPDATE, actor=actor, obj=rule, request=request, changes={"fields": changed})
        if rule.code != counted_under:  # what is due has changed: count it again
            from .due_counts import count_soon

            count_soon(local_authority)
    return changed


# --- What is due --------------------------------------------------------------


def anniversary(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return datetime.date(day.year + years, 3, 1)


class Undetermined(Exception):
    """The family's date cannot be worked out from what is recorded."""


def due_on(family: Family, rule: RetentionRule) -> datetime.date | None:
    """The day `family`'s records fall due under `rule`; None while an episode
    is open. Raises Undetermined when a date the rule needs is not recorded.
    Expects `family` from `_families` (episodes and members prefetched)."""
    episodes = list(family.episodes.all())
    if not all(states.allows(episode, "retain_records") for episode in episodes):
        return None
    if rule.kind == RetentionKind.YEARS_AFTER_CLOSURE and episodes:
        closed = [episode.closed_at for episode in episodes if episode.closed_at is not None]
        if len(closed) < len(episodes):
            raise Undetermined
        return anniversary(timezone.localdate(max(closed)), rule.years)
    births = [
        member.person.date_of_birth or member.person.expected_date_of_birth
        for member in family.memberships.all()
        if member.is_child
    ]
    known = [day for day in births if day is not None]
    if not births or len(known) < len(births):
        raise Undetermined
    return anniversary(max(known), rule.age)


def _families(queryset: QuerySet[Family]) -> QuerySet[Family]:
    return queryset.prefetch_related(
        Prefetch(
            "episodes", queryset=Episode.objects.only("id", "family_id", "status", "closed_at")
        ),
        Prefetch("memberships", queryset=FamilyMember.objects.select_related("person")),
    )


def _day_due(family: Family, rule: RetentionRule, today: datetime.date) -> datetime.date | None:
    """The day the family fell due, if it is due by `today`."""
    try:
        day = due_on(family, rule)
    except Undetermined:
        return None
    return day if day is not None and day <= today else None


def _is_due(family: Family, rule: RetentionRule, today: datetime.date) -> bool:
    return _day_due(family, rule, today) is not None


@dataclass
class Due:
    family: Family
    due_on: datetime.date
    rule: RetentionRule
    erase: list[Person] = field(default_factory=list)  # people only in families due or done
    keep: list[Person] = field(default_factory=list)  # people also in a family still kept

    @property
    def reference(self) -> str:
        return family_reference(self.family.pk)


@dataclass
class DueList:
    local_authority: LocalAuthority
    rule: RetentionRule
    due: list[Due]
    undetermined: list[str]  # references of families whose date is not recorded


def _split_people(
    family: Family, finished_or_due: Callable[[int], bool]
) -> tuple[list[Person], list[Person]]:
    """(erase, keep): members whose every family is due or done, and the rest."""
    erase: list[Person] = []
    keep: list[Person] = []
    for member in family.memberships.all():
        (erase if finished_or_due(member.person_id) else keep).append(member.person)
    return erase, keep


def _may_be_due(
    local_authority: LocalAuthority, rule: RetentionRule, today: datetime.date
) -> QuerySet[Family]:
    """The council's families not yet acted on that may be due on `today`, or
    whose date cannot be worked out; the rest provably are neither: an
    episode is still open, or every date the rule needs is recorded and too
    recent. A superset (each date two days early, for time zones and 29
    February): due_on decides for each of these. Without it the settings
    page read every family, member and person of the council (21 seconds at
    300,000 people) to count a handful."""
    open_episode = Episode.objects.filter(family=OuterRef("pk")).exclude(
        status__in=states.statuses_allowing("retain_records")
    )
    children = FamilyMember.objects.filter(
        family=OuterRef("pk"), relationship__in=CHILD_RELATIONSHIPS
    ).annotate(born=Coalesce("person__date_of_birth", "person__expected_date_of_birth"))
    too_young = anniversary(today, -rule.age) + datetime.timedelta(days=2)
    by_age = ~Exists(children.filter(born__gt=too_young)) | Exists(children.filter(born=None))
    families = Family.objects.filter(local_authority=local_authority).exclude(
        Exists(RetentionRecord.objects.filter(family_id=OuterRef("pk")))
    )
    families = families.exclude(Exists(open_episode))
    if rule.kind != RetentionKind.YEARS_AFTER_CLOSURE:
        return families.filter(by_age)
    episodes = Episode.objects.filter(family=OuterRef("pk"))
    too_recent = timezone.make_aware(
        datetime.datetime.combine(
            anniversary(today, -rule.years) + datetime.timedelta(days=2), datetime.time()
        )
    )
    by_closure = Exists(episodes) & (
        ~Exists(episodes.filter(closed_at__gte=too_recent))
        | Exists(episodes.filter(closed_at=None))
    )
    # A family never helped follows the age rule (due_on).
    return families.filter(by_closure | (~Exists(episodes) & by_age))


def due_families(local_authority: LocalAuthority, today: datetime.date) -> DueList:
    """Every family of the council due on `today` and not yet acted on."""
    rule = rule_for(local_authority)
    done = set(
        RetentionRecord.objects.filter(local_authority=local_authority).values_list(
            "family_id", flat=True
        )
    )
    families = list(_families(_may_be_due(local_authority, rule, today)))
    due_days: dict[int, datetime.date | None] = {}
    undetermined: list[str] = []
    for family in families:
        try:
            due_days[family.pk] = due_on(family, rule)
        except Undetermined:
            undetermined.append(family_reference(family.pk))
    due_by_id = {pk: day for pk, day in due_days.items() if day is not None and day <= today}
    due_ids = set(due_by_id)
    # Every family of each member of a due family (whether each is erased).
    families_of: defaultdict[int, set[int]] = defaultdict(set)
    for person_id, family_id in FamilyMember.objects.filter(
        family__local_authority=local_authority,
        person_id__in=FamilyMember.objects.filter(family_id__in=due_ids).values("person_id"),
    ).values_list("person_id", "family_id"):
        families_of[person_id].add(family_id)

    def finished_or_due(person_id: int) -> bool:
        return families_of[person_id] <= due_ids | done

    due: list[Due] = []
    for family in families:
        if family.pk in due_ids:
            erase, keep = _split_people(family, finished_or_due)
            due.append(Due(family, due_by_id[family.pk], rule, erase, keep))
    return DueList(local_authority, rule, due, undetermined)


# --- Acting on a due family ---------------------------------------------------


def apply(due: Due, today: datetime.date) -> RetentionRecord | None:
    """Anonymise or delete one due family, in one transaction. Returns the
    RetentionRecord, or None if the family is no longer due (an episode was
    reopened, or another run acted first)."""
    with transaction.atomic():
        family = _families(Family.objects.select_for_update().filter(pk=due.family.pk)).first()
        rule = rule_for(due.rule.local_authority)
        if family is None or RetentionRecord.objects.filter(family_id=due.family.pk).exists():
            return None
        day_due = _day_due(family, rule, today)
        if day_due is None:
            return None
        erase, keep = _split_people(family, lambda pk: _finished_or_due(pk, rule, today))
        retention = RetentionRecord.objects.create(
            local_authority=rule.local_authority,
            family_id=family.pk,
            action=rule.action,
            rule=rule.code,
            due_on=day_due,
            people_erased=len(erase),
            people_kept=len(keep),
        )
        record(
            Action.DELETE if rule.action == RetentionAction.DELETE else Action.UPDATE,
            obj=family,
            local_authority=rule.local_authority,
            actor_label=ACTOR_LABEL,
            changes={"retention": rule.action, "rule": rule.code},
        )
        if rule.action == RetentionAction.DELETE:
            files = _delete_family(family, erase)
        else:
            files = _anonymise_family(family, erase)
        # Last, so the files go only with rows that are going: if the commit
        # then fails, a re-run finds the rows and erases them (missing files
        # are ignored), and no file is ever left behind without its row.
        _remove_files(files)
    return retention


def _finished_or_due(person_id: int, rule: RetentionRule, today: datetime.date) -> bool:
    """Inside the transaction: is every family of the person due or done?"""
    family_ids = set(
        FamilyMember.objects.filter(person_id=person_id).values_list("family_id", flat=True)
    )
    done = set(
        RetentionRecord.objects.filter(family_id__in=family_ids).values_list("family_id", flat=True)
    )
    others = _families(Family.objects.filter(pk__in=family_ids - done))
    return all(_is_due(other, rule, today) for other in others)


def _episode_ids(family: Family) -> list[int]:
    return list(Episode.objects.filter(family=family).values_list("pk", flat=True))


def _take_attachments(episode_ids: list[int]) -> list[StoredFile]:
    """Delete the attachment rows; return their files for `_remove_files`."""
    Assessment.objects.filter(episode__in=episode_ids).update(existing_plan=None)
    attachments = Attachment.objects.filter(episode__in=episode_ids)
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    attachments.delete()
    return files


def _remove_files(files: Iterable[StoredFile]) -> None:
    for storage, name in files:
        storage.delete(name)  # a missing file is not an error
        with contextlib.suppress(OSError, NotImplementedError):
            Path(storage.path(name)).parent.rmdir()  # the case's folder, once empty


def _anonymise_people(people: Iterable[Person]) -> None:
    ids = [person.pk for person in people]
    # Sex, ethnicity, disability and language stay: census codes the reports
    # count by. The date of birth goes entirely (no year is kept): with the
    # codes and the case dates, a year of birth can single a child out.
    Person.objects.filter(pk__in=ids).update(
        first_name=ERASED,
        middle_names="",
        last_name=ERASED,
        known_as="",
        date_of_birth=None,
        expected_date_of_birth=None,
        gender_identity="",
        address_line_1="",
        address_line_2="",
        town="",
        postcode="",
        nhs_number="",
        upn="",
        updated_at=timezone.now(),
    )
    Restriction.objects.filter(person__in=ids).delete()  # their reasons are free text


def _anonymise_family(family: Family, erase: list[Person]) -> list[StoredFile]:
    """Blank everything that identifies anyone; keep dates, statuses, needs,
    outcomes, closure reasons, scores and codes. Text a record must have is set
    to "Erased"; optional text is emptied."""
    ids = _episode_ids(family)
    Family.objects.filter(pk=family.pk).update(name=ERASED)
    _anonymise_people(erase)
    Episode.objects.filter(pk__in=ids).update(
        worries="", step_down_summary="", consent_refusal_reasoning="", closure_advice=""
    )
    EpisodeNeed.objects.filter(episode__in=ids).update(notes="")
    Consent.objects.filter(episode__in=ids).update(withdrawal_note="")
    RefusalJudgement.objects.filter(episode__in=ids).update(reasoning=ERASED, advice="")
    SharingOverride.objects.filter(episode__in=ids).update(reason=ERASED, review_note="")
    files = _take_attachments(ids)
    Assessment.objects.filter(episode__in=ids).update(
        family_story="",
        working_well="",
        worries="",
        wellbeing_goals="",
        family_circumstances="",
        wider_community="",
    )
    ChildVoice.objects.filter(assessment__episode__in=ids).update(wishes_and_feelings=ERASED)
    # A meeting's place may be the family's home.
    Meeting.objects.filter(episode__in=ids).update(
        location=ERASED, notes="", family_view_on_lead=""
    )
    Plan.objects.filter(episode__in=ids).update(change_summary="")
    Goal.objects.filter(plan__episode__in=ids).update(text=ERASED)
    actions = PlanAction.objects.filter(goal__plan__episode__in=ids)
    actions.update(what=ERASED, success_measure=ERASED)
    actions.exclude(not_done_reason="").update(not_done_reason=ERASED)
    PlanCopy.objects.filter(plan__episode__in=ids).exclude(reason_not_given="").update(
        reason_not_given=ERASED
    )
    Review.objects.filter(episode__in=ids).update(family_views=ERASED, child_views="", notes="")
    ActionProgress.objects.filter(review__episode__in=ids).update(note="")
    ChildView.objects.filter(review__episode__in=ids).update(views=ERASED)
    Referral.objects.filter(episode__in=ids).update(concern=ERASED, advice="")
    AgendaItem.objects.filter(episode__in=ids).update(outcome="")
    CaseNote.objects.filter(episode__in=ids).update(who=ERASED, what_happened=ERASED)
    Notification.objects.filter(episode__in=ids).delete()
    # The family's answers stay counted (the partnership report); their words
    # go, and their links (each names a person) with them.
    Feedback.objects.filter(episode__in=ids).update(comments="", person=None)
    FamilyLink.objects.filter(episode__in=ids).delete()
    # What the family typed when they asked for help themselves; who asked
    # (parent or young person), when and the outward code stay for reports.
    for asked in FamilyRequest.objects.filter(episode__in=ids):
        FamilyRequest.objects.filter(pk=asked.pk).update(
            first_name=ERASED,
            last_name=ERASED,
            date_of_birth=None,
            relationship="",
            phone="",
            email="",
            contact_safety="",
            postcode=asked.postcode.split(" ", 1)[0],
            worries=ERASED,
            children=[],
            closure_note="",
        )
    return files


def _delete_family(family: Family, erase: list[Person]) -> list[StoredFile]:
    """Remove the family's records entirely. Order matters: reviews protect
    their plan and actions, an assessment its attached plan, a panel agenda its
    case and referral."""
    ids = _episode_ids(family)
    Review.objects.filter(episode__in=ids).delete()
    Assessment.objects.filter(episode__in=ids).delete()
    files = _take_attachments(ids)
    AgendaItem.objects.filter(episode__in=ids).delete()
    # A family's own request protects the case it became.
    FamilyRequest.objects.filter(episode__in=ids).delete()
    Episode.objects.filter(pk__in=ids).delete()
    Family.objects.filter(pk=family.pk).delete()
    leftover: list[Person] = []
    for person in erase:
        if FamilyMember.objects.filter(person=person).exists():
            leftover.append(person)  # deleted with their last family
            continue
        try:
            with transaction.atomic():
                Person.objects.filter(pk=person.pk).delete()
        except ProtectedError:
            leftover.append(person)  # named on another family's records
    _anonymise_people(leftover)
    return files
