"""Matching a whole list against one council's register (earlyhelp
match_people). Queries are read in batches; each batch reads only the
stored keys its queries ask for and the people they lead to
(MemoryIndex.for_queries), then each query is scored in memory with the same
keys and scores as a single check.

A value in a row that is wrong (a mistyped NHS number, a postcode that is
not one) is left out and the row is matched on the rest; the output's
warnings column says what was left out, on every row written for that
query, and a query with warnings but no match gets a row of its own (blank
external_id and score) so the warning is never lost."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.utils import timezone

from audit.models import Action
from audit.services import record
from people.models import Person

from .engine import THRESHOLD, Candidate, MemoryIndex
from .rows import PERSON_COLUMNS, ErrorFile, Row, RowError, query_details, read_rows

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

    from _typeshed import StrPath
    from django.http import HttpRequest

    from accounts.models import LocalAuthority

    from .details import Prepared

    # A query ready to match: its id, its details and its warnings.
    Query = tuple[str, Prepared, str]

_T = TypeVar("_T")


class Progress(Protocol):
    """A progress bar (tqdm) counting rows read."""

    def update(self, n: int = 1) -> object: ...


OUTPUT_HEADER = ("query_id", "external_id", "score", "warnings")


@dataclass
class MatchSummary:
    queries: int = 0
    matched: int = 0
    rows_written: int = 0
    refused: int = 0
    first_refused: list[str] = field(default_factory=list)  # "line 7: reason", the first few
    with_warnings: int = 0  # checked with a value left out or read another way

    def __str__(self) -> str:
        return (
            f"{self.queries} queries, {self.matched} with a match, {self.rows_written} rows "
            f"written, {self.refused} refused, {self.with_warnings} checked with a warning"
        )


# Queries matched together: one read of keys and profiles for each batch.
BATCH = 5_000


def references_for(person_ids: Iterable[int]) -> dict[int, str]:
    """{person id: reference in the source system} for people who have one."""
    found: dict[int, str] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), 500):
        found.update(
            Person.objects.filter(pk__in=ids[start : start + 500])
            .exclude(external_id="")
            .values_list("pk", "external_id")
        )
    return found


def reference_for(person_id: int, references: Mapping[int, str]) -> str:
    """The person's id in the source system, or ours (EH-<id>) for people
    recorded in this service."""
    return references.get(person_id) or f"EH-{person_id}"


def _valid_queries(
    path: StrPath, errors: ErrorFile, summary: MatchSummary, progress: Progress | None
) -> Iterator[Query]:
    """(query id, prepared details, warnings) for each row with something to
    match on; the rest go to errors."""
    return _checked(read_rows(path, required=("query_id",)), errors.add, summary, progress)


def _checked(
    rows: Iterable[Row],
    refuse: Callable[[Row, str], object],
    summary: MatchSummary,
    progress: Progress | None = None,
) -> Iterator[Query]:
    """The rows' queries, read as match_people reads a file's; each row with
    nothing to match on is refused with the reason."""
    today = timezone.localdate()
    for row in rows:
        if progress is not None:
            progress.update(1)
        try:
            if not row.get("query_id"):
                raise RowError("query_id is missing: give each row an id to find its matches by")
            read = query_details(row, today=today)
        except RowError as error:
            refuse(row, str(error))
            summary.refused += 1
            continue
        summary.queries += 1
        summary.with_warnings += bool(read.warnings)
        yield row.get("query_id"), read.details.prepared(), "; ".join(read.warnings)


def _batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class MatchRow:
    """One row of match_people's output: a match of a query (best first), or
    a query's warnings when it has no match (no person, no score)."""

    query_id: str
    external_id: str
    score: float | None
    warnings: str

    def csv(self) -> tuple[str, str, str, str]:
        score = "" if self.score is None else f"{self.score:.4f}"
        return (self.query_id, self.external_id, score, self.warnings)


# Each query's candidates as someone may learn of them, for a batch of
# (query, candidates) at once (matched for a partner system:
# people.search.as_seen_by_client); match_people keeps every candidate.
Seen = Callable[[list[tuple["Prepared", list[Candidate]]]], list[list[Candidate]]]


def _match_rows(
    local_authority: LocalAuthority,
    batch: list[Query],
    summary: MatchSummary,
    limit: int,
    seen: Seen | None = None,
) -> Iterator[MatchRow]:
    index = MemoryIndex.for_queries(local_authority.pk, [prepared for _id, prepared, _w in batch])
    found_each = [
        index.match_prepared(prepared, limit=limit, threshold=THRESHOLD)
        for _id, prepared, _w in batch
    ]
    if seen is not None:
        found_each = seen(
            [
                (prepared, found)
                for (_id, prepared, _w), found in zip(batch, found_each, strict=True)
            ]
        )
    results = [
        (query_id, warnings, found)
        for (query_id, _p, warnings), found in zip(batch, found_each, strict=True)
    ]
    references = references_for({c.person_id for _id, _w, found in results for c in found})
    for query_id, warnings, found in results:
        summary.matched += bool(found)
        for candidate in found:
            reference = reference_for(candidate.person_id, references)
            summary.rows_written += 1
            yield MatchRow(query_id, reference, candidate.score, warnings)
        if warnings and not found:
            summary.rows_written += 1
            yield MatchRow(query_id, "", None, warnings)


def _match_batch(
    local_authority: LocalAuthority,
    batch: list[Query],
    writer: CsvWriter,
    summary: MatchSummary,
    limit: int,
) -> None:
    for row in _match_rows(local_authority, batch, summary, limit):
        writer.writerow(row.csv())


@dataclass(frozen=True)
class Refused:
    query_id: str
    reason: str


def match_list(
    local_authority: LocalAuthority,
    rows: Iterable[Mapping[str, str]],
    *,
    actor_label: str,
    seen: Seen | None = None,
    limit: int = 5,
    request: HttpRequest | None = None,
) -> tuple[list[MatchRow], list[Refused], MatchSummary]:
    """match_people for a list given in memory (the partner API): each row
    {query_id, first_name, ...} as a file's row, read, matched and answered
    exactly as the command's; `seen` says what the caller may learn of each
    candidate. Audited like the command, under `actor_label`."""
    summary = MatchSummary()
    refused: list[Refused] = []
    given = [Row(line=number, values=dict(row)) for number, row in enumerate(rows, start=2)]
    queries = list(
        _checked(given, lambda row, why: refused.append(Refused(row.get("query_id"), why)), summary)
    )
    found: list[MatchRow] = []
    for batch in _batches(queries, BATCH):
        found.extend(_match_rows(local_authority, batch, summary, limit, seen))
    record(
        Action.EXPORT,
        local_authority=local_authority,
        actor_label=actor_label,
        changes={"match": "list", "queries": summary.queries},
        reason="match_people",
        request=request,
    )
    return found, refused, summary


def match_file(
    local_authority: LocalAuthority,
    path: StrPath,
    out_path: StrPath,
    *,
    errors_path: StrPath,
    limit: int = 5,
    progress: Progress | None = None,
) -> MatchSummary:
    summary = MatchSummary()
    errors = ErrorFile(errors_path, ("query_id", *PERSON_COLUMNS[1:]))
    try:
        with open(out_path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(OUTPUT_HEADER)
            queries = _valid_queries(path, errors, summary, progress)
            for batch in _batches(queries, BATCH):
                _match_batch(local_authority, batch, writer, summary, limit)
    finally:
        errors.close()
        summary.first_refused = errors.first
    record(
        Action.EXPORT,
        local_authority=local_authority,
        actor_label="command line: match_people",
        changes={"match": str(path), "out": str(out_path), "queries": summary.queries},
        reason="match_people",
    )
    return summary
