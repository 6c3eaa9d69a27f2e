"""Our engine on the benchmark's register and queries, in memory (MemoryIndex,
the same keys and scores as a single check and as match_people), and why it
answered as it did when it was wrong.

Rows go through matching.rows.person_details, the function the import and
match commands read CSV rows with, so the details are exactly those the
commands would see. Needs Django set up (the engine's reasons are
translatable text)."""

import time
from dataclasses import dataclass

from .register import REFERENCE_DATE
from .score import Top


def details_from(record):
    from matching.rows import Row, person_details

    return person_details(Row(0, record), today=REFERENCE_DATE, names_required=False)


@dataclass
class EngineRun:
    tops: dict  # query id -> Top
    index: object  # the MemoryIndex, for diagnosis
    held: dict  # person id -> Details, as indexed
    seconds: dict  # index, match


def run(register, queries):
    from matching.engine import MemoryIndex

    # Read as the import would (untimed: the database path reads profiles
    # already checked), then indexed (timed).
    held = {person.id: details_from(register.record(person)) for person in register.people}
    started = time.perf_counter()
    index = MemoryIndex()
    for person_id, details in held.items():
        index.add(person_id, details)
    indexed = time.perf_counter()
    tops = {}
    for query in queries:
        found = index.match(details_from(query.record()), limit=1)
        if found:
            tops[query.query_id] = Top(found[0].person_id, found[0].score, found[0].reasons)
    matched = time.perf_counter()
    seconds = {"index": indexed - started, "match": matched - indexed}
    return EngineRun(tops, index, held, seconds)


def explain(engine_run, query, person_id):
    """(score, reasons, was it a candidate) of this query against one record."""
    from matching import scoring

    prepared = details_from(query.record()).prepared()
    result = scoring.score(prepared, engine_run.held[person_id].prepared())
    candidate = person_id in engine_run.index.candidates(prepared)
    return result.score, result.reasons, candidate
