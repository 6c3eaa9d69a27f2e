"""Records of one council that may be the same person: found in bulk
(find_duplicates, `earlyhelp find_duplicates`), listed for the Early Help
Officers and managers who review them, and either merged (matching.merging)
or marked as different people. Nothing is merged by itself.

A pair is stored once (the lower id first). A decision stands: a pair
marked as different people, or merged, is never reopened by a later run."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import record
from core import policy
from people.models import FamilyMember, Person

from .engine import THRESHOLD, MemoryIndex, find_matches
from .models import MatchProfile, PossibleDuplicate

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from accounts.models import LocalAuthority, User

    from .details import Details
    from .engine import Candidate

# The most likely duplicates kept for one person in one run.
MAX_PER_PERSON = 10


@dataclass
class DuplicateSummary:
    checked: int = 0
    new: int = 0
    still_open: int = 0
    already_decided: int = 0
    withdrawn: int = 0

    def __str__(self) -> str:
        return (
            f"{self.checked} people checked, {self.new} new possible duplicates, "
            f"{self.still_open} already waiting for review, {self.already_decided} already "
            f"decided (left as they were), {self.withdrawn} no longer likely (removed)"
        )


def _load_index(local_authority: LocalAuthority) -> tuple[MemoryIndex, dict[int, Details]]:
    """The council's current records (merged ones have no profile) in memory."""
    index = MemoryIndex()
    details: dict[int, Details] = {}
    rows = MatchProfile.objects.filter(local_authority=local_authority).values_list(
        "person_id", *MatchProfile.DETAIL_FIELDS
    )
    for row in rows.iterator(chunk_size=10_000):
        details[row[0]] = MatchProfile.details_from_values(row[1:])
        index.add(row[0], details[row[0]])
    return index, details


def _likely_pairs(
    index: MemoryIndex, details: Mapping[int, Details], person_ids: Iterable[int]
) -> dict[tuple[int, int], Candidate]:
    """{(lower id, higher id): Candidate}: the best score either way round (a
    score reads the query's first name against all the held given names)."""
    pairs: dict[tuple[int, int], Candidate] = {}
    for person_id in person_ids:
        for candidate in index.match(
            details[person_id], limit=MAX_PER_PERSON, threshold=THRESHOLD, exclude={person_id}
        ):
            lower, higher = sorted((person_id, candidate.person_id))
            key = (lower, higher)
            if key not in pairs or candidate.score > pairs[key].score:
                pairs[key] = candidate
    return pairs


@transaction.atomic
def find_duplicates(
    local_authority: LocalAuthority,
    *,
    person_ids: Collection[int] | None = None,
    actor_label: str = "find_duplicates",
) -> DuplicateSummary:
    """Store the council's likely duplicate pairs for review: all of them, or
    only those of `person_ids` (people just imported or changed). Returns a
    DuplicateSummary."""
    index, details = _load_index(local_authority)
    checked = list(details) if person_ids is None else [p for p in person_ids if p in details]
    found = _likely_pairs(index, details, checked)
    existing = PossibleDuplicate.objects.filter(local_authority=local_authority)
    if person_ids is not None:
        existing = existing.filter(Q(first_id__in=checked) | Q(second_id__in=checked))
    stored = {(pair.first_id, pair.second_id): pair for pair in existing}
    summary = DuplicateSummary(checked=len(checked))
    new: list[PossibleDuplicate] = []
    for (first_id, second_id), candidate in sorted(found.items()):
        pair = stored.get((first_id, second_id))
        if pair is None:
            new.append(
                PossibleDuplicate(
                    local_authority=local_authority,
                    first_id=first_id,
                    second_id=second_id,
                    score=candidate.score,
                    reasons=[str(reason) for reason in candidate.reasons],
                )
            )
        elif pair.status != PossibleDuplicate.Status.OPEN:
            summary.already_decided += 1
        else:
            summary.still_open += 1
            pair.score, pair.reasons = candidate.score, [str(r) for r in candidate.reasons]
            pair.save(update_fields=["score", "reasons"])
    PossibleDuplicate.objects.bulk_create(new)
    summary.new = len(new)
    # An open pair not found again, though both records are still current and
    # were checked, is no longer likely (a detail was corrected): nobody needs
    # to review it. Pairs with a merged record stay, for an undo to bring back.
    gone = [
        pair.pk
        for key, pair in stored.items()
        if pair.status == PossibleDuplicate.Status.OPEN
        and key not in found
        and all(person_id in details for person_id in key)
        and (person_ids is None or any(person_id in checked for person_id in key))
    ]
    PossibleDuplicate.objects.filter(pk__in=gone).delete()
    summary.withdrawn = len(gone)
    record(
        Action.CREATE,
        local_authority=local_authority,
        actor_label=actor_label,
        changes={
            "duplicates": "found",
            "checked": summary.checked,
            "new": summary.new,
            "withdrawn": summary.withdrawn,
        },
    )
    return summary


def open_duplicates_for(user: User) -> QuerySet[PossibleDuplicate]:
    """The pairs waiting for `user` to review, most likely first. A pair one of
    whose records has since been merged away waits until that merge is undone."""
    return (
        policy.duplicates_visible_to(user)
        .filter(
            status=PossibleDuplicate.Status.OPEN,
            first__merged_into__isnull=True,
            second__merged_into__isnull=True,
        )
        .select_related("first", "second")
        .order_by("-score", "pk")
    )


@transaction.atomic
def mark_not_duplicate(
    actor: User,
    duplicate: PossibleDuplicate,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> PossibleDuplicate:
    """The reviewer's judgement that the two records are different people
    (twins, a parent and child of one name): the pair is not offered again."""
    if not policy.duplicates_visible_to(actor).filter(pk=duplicate.pk).exists():
        raise PermissionDenied
    duplicate = PossibleDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status != PossibleDuplicate.Status.OPEN:
        raise ValidationError(
            _("This pair was already decided: %(status)s")
            % {"status": duplicate.get_status_display().lower()}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say how you know they are different people")})
    duplicate.status = PossibleDuplicate.Status.NOT_DUPLICATE
    duplicate.decided_by = actor
    duplicate.decided_at = timezone.now()
    duplicate.decision_reason = reason.strip()
    duplicate.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=duplicate,
        request=request,
        changes={"fields": ["status", "decision_reason"], "status": duplicate.status},
    )
    return duplicate


# What the comparison page shows, row by row: (label, restriction key or None,
# how to read the value from a (masked) person).
def _name(person: Person) -> str:
    return " ".join(p for p in (person.first_name, person.middle_names, person.last_name) if p)


def _birth(person: Person) -> str:
    if person.date_of_birth:
        return date_format(person.date_of_birth, "j F Y")
    if person.expected_date_of_birth:
        return _("Expected %(date)s") % {
            "date": date_format(person.expected_date_of_birth, "j F Y")
        }
    return ""


def _address(person: Person) -> str:
    parts = (person.address_line_1, person.address_line_2, person.town, person.postcode)
    return ", ".join(part for part in parts if part)


COMPARED: list[tuple[StrOrPromise, str | None, Callable[[Person], object]]] = [
    (gettext_lazy("Name"), None, _name),
    (gettext_lazy("Known as"), "known_as", lambda p: p.known_as),
    (gettext_lazy("Date of birth"), "date_of_birth", _birth),
    (gettext_lazy("Sex"), None, lambda p: p.get_sex_display()),
    (gettext_lazy("Ethnicity"), "ethnicity", lambda p: p.get_ethnicity_display()),
    (gettext_lazy("Address"), "address", _address),
    (gettext_lazy("NHS number"), "nhs_number", lambda p: p.nhs_number),
    (gettext_lazy("Unique pupil number"), "upn", lambda p: p.upn),
    (gettext_lazy("Parent or carer's name"), None, lambda p: p.parent_name),
    (gettext_lazy("Reference in the source system"), None, lambda p: p.external_id),
]


@dataclass
class Cell:
    value: object
    restricted: bool = False


@dataclass
class Row:
    label: str
    cells: tuple[Cell, ...]
    differs: bool


def comparison(first: Person, second: Person) -> list[Row]:
    """Rows comparing two people as the viewer may see them (copies from
    people.restrictions.shown_to). A restricted value is never compared, so
    the page does not hint whether it differs."""
    rows: list[Row] = []
    for label, key, read in COMPARED:
        cells = tuple(
            Cell(None, restricted=True)
            if key in getattr(person, "withheld_keys", ())
            else Cell(read(person) or "")
            for person in (first, second)
        )
        differs = not any(c.restricted for c in cells) and cells[0].value != cells[1].value
        rows.append(Row(str(label), cells, differs))
    return rows


class Involvement(TypedDict):
    families: int
    episodes: int


def involvement(person: Person) -> Involvement:
    """How many families and cases a record is part of (counts only)."""
    memberships = FamilyMember.objects.filter(person=person)
    return {
        "families": memberships.count(),
        "episodes": memberships.filter(family__episodes__isnull=False)
        .values("family__episodes")
        .distinct()
        .count(),
    }


@transaction.atomic
def queue_likely_duplicates(person_ids: Iterable[int], *, actor_label: str = "request") -> int:
    """Queue for review the likely duplicates of people just recorded (a
    request for help), found with every detail, restricted ones included.
    The practitioner's search could not say why a restricted record was
    alike (people.search); the Early Help Officer compares them side by side.
    Reads only the people sharing a match key, so it costs what one check
    costs. Returns how many pairs were queued."""
    people = list(Person.objects.filter(pk__in=list(person_ids), merged_into__isnull=True))
    queued = 0
    for person in people:
        profile = MatchProfile.objects.filter(person=person).first()
        if profile is None:
            continue
        for candidate in find_matches(
            person.local_authority_id, profile.details(), limit=MAX_PER_PERSON, exclude={person.pk}
        ):
            first_id, second_id = sorted((person.pk, candidate.person_id))
            _pair, created = PossibleDuplicate.objects.get_or_create(
                local_authority_id=person.local_authority_id,
                first_id=first_id,
                second_id=second_id,
                defaults={
                    "score": candidate.score,
                    "reasons": [str(reason) for reason in candidate.reasons],
                },
            )
            queued += created
    if queued:
        record(
            Action.CREATE,
            local_authority=people[0].local_authority,
            actor_label=actor_label,
            changes={"duplicates": "found", "checked": len(people), "new": queued},
        )
    return queued
