"""Is this person already known? Run before anyone records a person, so a
family is not assessed twice (seed 000: EHOs "advise if the child or family
is already open"). The matching engine (matching.engine) finds and scores
the candidates; what the searcher may see of each is decided by core.policy.

Need-to-know: a match the searcher may not see says only that a record exists
and whom to ask (the district's Early Help Officer), never names or history,
and only when the match is strong.

Restricted values are never evidence for someone who may not see them, or a
search would confirm them ("97%, same postcode" for the right one, 20% for a
wrong one). A record with such parts is looked for as if the searcher had
typed none of the restrictable details (date of birth, postcode, NHS number,
UPN) and scored with its hidden values left out, so the answer is the same
whether what was typed is right or wrong; its card says only that it has
restricted details and whom to contact. Duplicates are still caught: the
people a request records are checked against everything, out of sight, and
likely matches go to the Early Help Officer's queue
(matching.duplicates.queue_likely_duplicates).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from core import paging, policy
from core.validators import normalise_nhs_number
from matching import scoring
from matching.details import Details
from matching.engine import THRESHOLD, Candidate, find_matches
from matching.models import MatchProfile

from . import restrictions
from .models import FamilyMember, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from accounts.models import User
    from api.models import ApiClient
    from matching.details import Prepared

MAX_RESULTS = 20
# Weaker matches are still worth a look for someone about to record a person;
# they are labelled as possible, not likely.
SHOW_FROM = 0.2


@dataclass
class Match:
    person: Person | None  # None when the searcher may not see the record
    score: float
    reason: str = ""  # only for a visible record: why it may be the same person
    contact: str = ""  # whom to ask when the record is hidden or restricted
    restricted: bool = False  # parts the searcher may not see were left out

    @property
    def visible(self) -> bool:
        return self.person is not None

    @property
    def likely(self) -> bool:
        return self.score >= THRESHOLD

    @property
    def percent(self) -> int:
        return round(self.score * 100)


FRONT_DOOR = "the early help front door"


def _contacts_for(person_ids: Iterable[int]) -> dict[int, str]:
    """{person id: whom to ask}: the named EHO of the district of the person's
    latest episode, or the front door. One query for every candidate, asked
    whether or not a card will need it, so neither the number of queries nor
    the time taken says how many matches are hidden."""
    rows = (
        FamilyMember.objects.filter(person_id__in=list(person_ids), family__episodes__isnull=False)
        .values_list(
            "person_id",
            "family__episodes__district__early_help_officer__full_name",
            "family__episodes__district__name",
        )
        .order_by("person_id", "-family__episodes__requested_at")
    )
    latest: dict[int, tuple[str | None, str]] = {}
    for person_id, officer, district in rows:
        latest.setdefault(person_id, (officer, district))
    return {
        person_id: f"{officer}, Early Help Officer for {district}"
        for person_id, (officer, district) in latest.items()
        if officer
    }


def _clean_nhs_number(value: str | None) -> str:
    try:
        return normalise_nhs_number(value) if value else ""
    except Exception:  # noqa: BLE001  (a mistyped number simply doesn't match)
        return ""


class _DetailChanges(TypedDict, total=False):
    """Details a restriction can blank, for dataclasses.replace."""

    date_of_birth: date | None
    postcode: str
    nhs_number: str
    upn: str
    other_names: str


# The typed details a restriction can hide, and so may not count as evidence.
_RESTRICTABLE_QUERY: _DetailChanges = {
    "date_of_birth": None,
    "postcode": "",
    "nhs_number": "",
    "upn": "",
}


def _blanked(details: Details, hidden: set[str], middle_names: str) -> Details:
    """A held record's details without the values hidden from the searcher."""
    changes: _DetailChanges = {}
    if hidden & {"date_of_birth", "expected_date_of_birth"}:
        changes["date_of_birth"] = None
    if "postcode" in hidden:
        changes["postcode"] = ""
    if "nhs_number" in hidden:
        changes["nhs_number"] = ""
    if "upn" in hidden:
        changes["upn"] = ""
    if "known_as" in hidden:
        changes["other_names"] = middle_names
    return dataclasses.replace(details, **changes)


def _held_details(person_ids: Iterable[int]) -> dict[int, Details]:
    rows = MatchProfile.objects.filter(person_id__any_of=list(person_ids)).values_list(
        "person_id", *MatchProfile.DETAIL_FIELDS
    )
    return {row[0]: MatchProfile.details_from_values(row[1:]) for row in rows}


def search_people(
    user: User | AnonymousUser,
    *,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    postcode: str = "",
    sex: str = "",
    upn: str = "",
    parent_name: str = "",
) -> list[Match]:
    """Possible existing records for the details typed, best first."""
    if not user.is_authenticated or user.local_authority_id is None:
        return []
    return _search(
        user.local_authority_id,
        _typed(first_name, last_name, date_of_birth, nhs_number, postcode, sex, upn, parent_name),
        visible=policy.people_visible_to(user, few=True),
        hidden_fields=lambda person: restrictions.hidden_fields(user, person),
    )


def search_people_for_client(
    client: ApiClient,
    *,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    postcode: str = "",
    sex: str = "",
    upn: str = "",
    parent_name: str = "",
) -> list[Match]:
    """search_people for a partner system asking for help (the API), answered
    as the pages answer it: a likely match the client may not see says only
    whom to contact, and no restricted part of a record is evidence for it."""
    if not policy.client_may_request_support(client):
        return []
    return _search(
        client.local_authority_id,
        _typed(first_name, last_name, date_of_birth, nhs_number, postcode, sex, upn, parent_name),
        visible=policy.people_visible_to_client(client),
        hidden_fields=lambda person: restrictions.hidden_fields_for_client(client, person),
    )


def _typed(
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    nhs_number: str,
    postcode: str,
    sex: str,
    upn: str,
    parent_name: str,
) -> Details:
    return Details(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        nhs_number=_clean_nhs_number(nhs_number),
        postcode=postcode,
        sex=sex,
        upn=upn,
        parent_name=parent_name,
    )


def _search(
    la: int,
    details: Details,
    *,
    visible: QuerySet[Person],
    hidden_fields: Callable[[Person], set[str]],
) -> list[Match]:
    candidates = find_matches(la, details, limit=MAX_RESULTS, threshold=SHOW_FROM)
    # Always worked out, so the time taken says nothing either.
    bare = dataclasses.replace(details, **_RESTRICTABLE_QUERY)
    bare_candidates = find_matches(la, bare, limit=MAX_RESULTS, threshold=0)
    by_id = {c.person_id: c for c in bare_candidates}
    by_id.update({c.person_id: c for c in candidates})
    people = paging.by_id(Person.objects.prefetch_related("restrictions"), by_id)
    # Everyone's household address restrictions in one query, not one each.
    restrictions.prefetch_household(people.values())
    contacts = _contacts_for(people)
    visible_ids = set(visible.filter(pk__in=list(people)).values_list("pk", flat=True))
    hidden = {pk: hidden_fields(person) for pk, person in people.items()}
    found_bare = {c.person_id for c in bare_candidates}
    held = _held_details([pk for pk, fields in hidden.items() if fields and pk in found_bare])
    query = details.prepared()
    matches: list[Match] = []
    for person_id in by_id:
        person = people.get(person_id)
        if person is None or person.merged_into_id:
            continue
        candidate = by_id[person_id]
        if hidden[person_id]:
            if person_id not in held:
                continue
            result = scoring.score(
                query, _blanked(held[person_id], hidden[person_id], person.middle_names).prepared()
            )
            score, reason, restricted = result.score, ", ".join(result.reasons), True
        elif person_id in {c.person_id for c in candidates}:
            score, reason, restricted = candidate.score, candidate.reason, False
        else:
            continue
        if person_id in visible_ids and score >= SHOW_FROM:
            # Restricted parts never appear in search results, whoever searches.
            matches.append(
                Match(
                    person=restrictions.for_search(person),
                    score=score,
                    reason=reason,
                    contact=contacts.get(person_id, FRONT_DOOR) if restricted else "",
                    restricted=restricted,
                )
            )
        elif person_id not in visible_ids and score >= THRESHOLD:
            matches.append(
                Match(person=None, score=score, contact=contacts.get(person_id, FRONT_DOOR))
            )
    matches.sort(key=lambda m: -m.score)
    return matches[:MAX_RESULTS]


def as_seen_by_client(
    client: ApiClient, matched: list[tuple[Prepared, list[Candidate]]]
) -> list[list[Candidate]]:
    """Each query's matches as a partner system may learn of them (the API's
    matching), for many queries at once: a record with parts the client may
    not see is scored with those left out, as search_people scores it, and
    kept only while still a likely match, so a score never confirms a
    restricted value. Best first."""
    people = paging.by_id(
        Person.objects.prefetch_related("restrictions"),
        {c.person_id for _query, candidates in matched for c in candidates},
    )
    restrictions.prefetch_household(people.values())
    hidden = {
        pk: restrictions.hidden_fields_for_client(client, person) for pk, person in people.items()
    }
    held = _held_details([pk for pk, fields in hidden.items() if fields])
    return [_seen(query, candidates, people, hidden, held) for query, candidates in matched]


def _seen(
    query: Prepared,
    candidates: list[Candidate],
    people: dict[int, Person],
    hidden: dict[int, set[str]],
    held: dict[int, Details],
) -> list[Candidate]:
    kept: list[Candidate] = []
    for candidate in candidates:
        person_id = candidate.person_id
        if person_id not in people:
            continue
        fields = hidden[person_id]
        if not fields:
            kept.append(candidate)
            continue
        if person_id not in held:
            continue
        seen = _blanked(held[person_id], fields, people[person_id].middle_names).prepared()
        result = scoring.score(query, seen)
        if result.score >= THRESHOLD:
            kept.append(Candidate(person_id, result.score, tuple(result.reasons)))
    kept.sort(key=lambda c: -c.score)
    return kept
