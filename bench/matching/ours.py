"""Our engine on the benchmark's register and queries, in memory (MemoryIndex,
the same keys and scores as a single check and as match_people), and why it
answered as it did when it was wrong.

Register rows go through matching.rows.person_details, the function
import_people reads CSV rows with, and queries through query_details, the
one match_people reads them with (a wrong value left out, a postcode read
where it can be), so the details are exactly those the commands would see.
Needs Django set up (the engine's reasons are
translatable text)."""

import time
from dataclasses import dataclass

from .register import REFERENCE_DATE
from .score import Top


def details_from(record):
    from matching.rows import Row, person_details

    return person_details(Row(0, record), today=REFERENCE_DATE, names_required=False)


def query_details_from(record):
    """A query's details as match_people reads them, or None if it would
    refuse the row (nothing to match on)."""
    from matching.rows import Row, RowError, query_details

    try:
        return query_details(Row(0, record), today=REFERENCE_DATE).details
    except RowError:
        return None


@dataclass
class EngineRun:
    tops: dict  # query id -> Top
    index: object  # the MemoryIndex, for diagnosis
    held: dict  # person id -> Details, as indexed
    seconds: dict  # index, match
    refused: list  # ids of queries match_people would refuse


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
    tops, refused = {}, []
    for query in queries:
        details = query_details_from(query.record())
        if details is None:
            refused.append(query.query_id)
            continue
        found = index.match(details, limit=1)
        if found:
            tops[query.query_id] = Top(found[0].person_id, found[0].score, found[0].reasons)
    matched = time.perf_counter()
    seconds = {"index": indexed - started, "match": matched - indexed}
    return EngineRun(tops, index, held, seconds, refused)


def explain(engine_run, query, person_id):
    """(score, reasons, was it a candidate) of this query against one record."""
    from matching import scoring
    from matching.engine import registered_family

    details = query_details_from(query.record())
    if details is None:
        return 0.0, ("refused: nothing to match on",), False
    prepared = details.prepared()
    candidates = engine_run.index.candidates(prepared)
    # Scored as the engine scores it: beside the query's family among the candidates.
    family = registered_family(prepared, (engine_run.held[p].prepared() for p in candidates))
    result = scoring.score(prepared, engine_run.held[person_id].prepared(), family=family)
    candidate = person_id in candidates
    return result.score, result.reasons, candidate
