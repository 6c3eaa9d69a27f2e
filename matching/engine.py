"""Is this person already known? Candidates come from the stored match keys
(matching.keys), and each is scored (matching.scoring); the best come first.

Two ways in, one set of rules:
- find_matches: one check against the database (the request form, a
  single police notification); reads only people sharing a key.
- MemoryIndex: many checks held in memory. Duplicate finding reads the
  whole register into one; match_people reads, for a batch of queries, only
  the stored keys they ask for and the people those keys lead to
  (MemoryIndex.for_queries), so a list costs what its queries cost, not
  what the register costs.

What a user may see of a match is not decided here: callers pass the person
ids through core.policy (see matching.checks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self, TypeVar

from django.db.models import Count

from . import keys, scoring
from .details import Details

if TYPE_CHECKING:
    from .details import Prepared

_T = TypeVar("_T")

# A match is shown, written out or offered for merging at this score or above.
THRESHOLD = 0.9
# The most people read and scored for one check: those sharing most keys with it.
MAX_CANDIDATES = 300


@dataclass(frozen=True)
class Candidate:
    person_id: int
    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return ", ".join(self.reasons)


def registered_family(prepared_query: Prepared, candidates: Iterable[Prepared]) -> list[Prepared]:
    """The candidates who are other children of the query's family (same
    surname, another first name, and the query's birthday, address or
    parent). Such a relative shares a key with the query (its surname and
    month of birth, or address, or parent), so is among the candidates."""
    return [held for held in candidates if scoring.is_family_of(prepared_query, held)]


def rank(
    prepared_query: Prepared,
    held: Iterable[tuple[int, Prepared]],
    *,
    limit: int,
    threshold: float,
) -> list[Candidate]:
    """held: iterable of (person_id, prepared details).

    Scored together, not one by one: whether the query's surname is a
    registered family's (scoring.is_family_of) is read from the candidates."""
    held = list(held)
    family = registered_family(prepared_query, (prepared for _id, prepared in held))
    found: list[Candidate] = []
    for person_id, prepared in held:
        result = scoring.score(prepared_query, prepared, family=family)
        if result.score >= threshold:
            found.append(Candidate(person_id, result.score, result.reasons))
    found.sort(key=lambda c: (-c.score, c.person_id))
    return found[:limit]


class MemoryIndex:
    def __init__(self) -> None:
        self._records: dict[int, Prepared] = {}
        self._by_key: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._records)

    def add(self, person_id: int, details: Details) -> None:
        prepared = details.prepared()
        self._records[person_id] = prepared
        for key in keys.record_keys(prepared):
            self._by_key.setdefault(key, []).append(person_id)

    @classmethod
    def for_queries(cls, local_authority_id: int, prepared_queries: Collection[Prepared]) -> Self:
        """An index holding what these queries can find in the council's
        stored keys and profiles, and nothing else."""
        from .models import MatchKey, MatchProfile

        index = cls()
        wanted = sorted(set[str]().union(*(keys.query_keys(q) for q in prepared_queries)))
        for wanted_keys in _chunks(wanted):
            rows = MatchKey.objects.filter(
                local_authority_id=local_authority_id, key__in=wanted_keys
            ).values_list("key", "person_id")
            for key, person_id in rows:
                index._by_key.setdefault(key, []).append(person_id)
        people = sorted({p for q in prepared_queries for p in index.candidates(q)})
        for chunk in _chunks(people):
            profiles = MatchProfile.objects.filter(person_id__in=chunk).values_list(
                "person_id", *MatchProfile.DETAIL_FIELDS
            )
            for row in profiles:
                index._records[row[0]] = MatchProfile.details_from_values(row[1:]).prepared()
        return index

    def candidates(self, prepared_query: Prepared) -> list[int]:
        shared: Counter[int] = Counter()
        for key in keys.query_keys(prepared_query):
            shared.update(self._by_key.get(key, ()))
        return [person_id for person_id, _ in shared.most_common(MAX_CANDIDATES)]

    def match(
        self,
        details: Details,
        *,
        limit: int = 5,
        threshold: float = THRESHOLD,
        exclude: Collection[int] = (),
    ) -> list[Candidate]:
        return self.match_prepared(
            details.prepared(), limit=limit, threshold=threshold, exclude=exclude
        )

    def match_prepared(
        self,
        query: Prepared,
        *,
        limit: int = 5,
        threshold: float = THRESHOLD,
        exclude: Collection[int] = (),
    ) -> list[Candidate]:
        held = (
            (person_id, self._records[person_id])
            for person_id in self.candidates(query)
            if person_id not in exclude
        )
        return rank(query, held, limit=limit, threshold=threshold)


def _chunks(values: list[_T], size: int = 500) -> Iterator[list[_T]]:
    """Lists short enough for one IN (...) on every database."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def find_matches(
    local_authority_id: int,
    details: Details,
    *,
    limit: int = 10,
    threshold: float = THRESHOLD,
    exclude: Collection[int] = (),
) -> list[Candidate]:
    """Possible existing records for these details in one council's register."""
    from .models import MatchKey, MatchProfile

    query = details.prepared()
    query_keys = keys.query_keys(query)
    if not query_keys:
        return []
    sharing = (
        MatchKey.objects.filter(local_authority_id=local_authority_id, key__in=query_keys)
        .values("person_id")
        .annotate(shared=Count("id"))
        .order_by("-shared")[:MAX_CANDIDATES]
    )
    person_ids = [row["person_id"] for row in sharing if row["person_id"] not in exclude]
    rows = MatchProfile.objects.filter(person_id__any_of=person_ids).values_list(
        "person_id", *MatchProfile.DETAIL_FIELDS
    )
    held = ((row[0], MatchProfile.details_from_values(row[1:]).prepared()) for row in rows)
    return rank(query, held, limit=limit, threshold=threshold)


__all__ = ["THRESHOLD", "Candidate", "Details", "MemoryIndex", "find_matches"]
