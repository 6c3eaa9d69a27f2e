"""Matching a whole list against one council's register (earlyhelp
match_people): the register is read once into a MemoryIndex, then each
query is checked in memory with the same keys and scores as a single check."""

import csv
from dataclasses import dataclass

from django.utils import timezone

from audit.models import Action
from audit.services import record
from people.models import Person

from .engine import THRESHOLD, MemoryIndex
from .models import MatchProfile
from .rows import PERSON_COLUMNS, ErrorFile, RowError, person_details, read_rows

OUTPUT_HEADER = ("query_id", "external_id", "score")


@dataclass
class MatchSummary:
    queries: int = 0
    matched: int = 0
    rows_written: int = 0
    refused: int = 0

    def __str__(self):
        return (
            f"{self.queries} queries, {self.matched} with a match, {self.rows_written} rows "
            f"written, {self.refused} refused"
        )


def load_register(local_authority):
    """The council's register as a MemoryIndex, and each person's reference."""
    index = MemoryIndex()
    rows = MatchProfile.objects.filter(local_authority=local_authority).values_list(
        "person_id", *MatchProfile.DETAIL_FIELDS
    )
    for row in rows.iterator(chunk_size=10_000):
        index.add(row[0], MatchProfile.details_from_values(row[1:]))
    references = dict(
        Person.objects.filter(local_authority=local_authority, merged_into__isnull=True)
        .values_list("pk", "external_id")
        .iterator(chunk_size=10_000)
    )
    return index, references


def reference_for(person_id, references):
    """The person's id in the source system, or ours (EH-<id>) for people
    recorded in this service."""
    return references.get(person_id) or f"EH-{person_id}"


def match_file(local_authority, path, out_path, *, errors_path, limit=5, progress=None):
    index, references = load_register(local_authority)
    summary = MatchSummary()
    columns = ("query_id", *PERSON_COLUMNS[1:])
    errors = ErrorFile(errors_path, columns)
    today = timezone.localdate()
    try:
        with open(out_path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(OUTPUT_HEADER)
            for row in read_rows(path, required=("query_id",)):
                if progress is not None:
                    progress.update(1)
                try:
                    if not row.get("query_id"):
                        raise RowError("query_id is missing")
                    details = person_details(row, today=today, names_required=False)
                except RowError as error:
                    errors.add(row, str(error))
                    summary.refused += 1
                    continue
                summary.queries += 1
                found = index.match(details, limit=limit, threshold=THRESHOLD)
                summary.matched += bool(found)
                for candidate in found:
                    writer.writerow(
                        (
                            row.get("query_id"),
                            reference_for(candidate.person_id, references),
                            f"{candidate.score:.4f}",
                        )
                    )
                    summary.rows_written += 1
    finally:
        errors.close()
    record(
        Action.EXPORT,
        local_authority=local_authority,
        actor_label="command line: match_people",
        changes={"match": str(path), "out": str(out_path), "queries": summary.queries},
        reason="match_people",
    )
    return summary
