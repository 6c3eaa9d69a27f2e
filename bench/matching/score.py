"""Scoring a matcher's answers against the truth.

Each query's answer is its top match at the threshold, or none. Then:

- true positive: the top match is the person the query is about;
- false positive: a top match that is anyone else (for a registered person
  it is also a false negative: the right person was not the answer);
- false negative: a registered person whose top match is not them.

precision = TP / (TP + FP), recall = TP / registered-person queries, F1 their
harmonic mean. The relatives' rate is the share of twin, sibling and cousin
queries (none of whom is registered) matched to anyone at all.
"""

from collections import defaultdict
from dataclasses import dataclass, field

RELATIVES = ("twin", "sibling", "cousin")
NEGATIVE_KINDS = (*RELATIVES, "unrelated")


@dataclass(frozen=True)
class Top:
    """A matcher's top match for one query."""

    person_id: int
    score: float
    reasons: tuple = ()


@dataclass
class Tally:
    queries: int = 0
    right: int = 0  # the top match is the person
    wrong: int = 0  # the top match is someone else
    none: int = 0  # no match at the threshold

    def add(self, outcome):
        self.queries += 1
        setattr(self, outcome, getattr(self, outcome) + 1)

    def share(self, outcome):
        return getattr(self, outcome) / self.queries if self.queries else 0.0


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    registered_queries: int = 0
    relatives_queries: int = 0
    relatives_matched: int = 0
    # Rows: "none" (no mistakes) and each mistake (a query with two mistakes
    # counts in both rows), then each kind of unregistered person.
    by_kind: dict = field(default_factory=lambda: defaultdict(Tally))
    # (query, top or None) for every wrong answer, for reading.
    failures: list = field(default_factory=list)

    @property
    def precision(self):
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self):
        return self.true_positives / self.registered_queries if self.registered_queries else 1.0

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def relatives_rate(self):
        """Share of twin, sibling and cousin queries matched to anyone."""
        return self.relatives_matched / self.relatives_queries if self.relatives_queries else 0.0


def outcome(query, top):
    if top is None:
        return "none"
    return "right" if top.person_id == query.truth else "wrong"


def rows_for(query, twins=frozenset()):
    """The breakdown rows a query counts in."""
    if query.truth is None:
        return [query.kind]
    rows = [f"true: {error}" for error in query.errors] or ["true: no mistakes"]
    if query.truth in twins:
        rows.append("true: has a twin in the register")
    return rows


def score(queries, tops, twins=frozenset()):
    """queries: objects with query_id, kind, truth (None if not registered) and
    errors; tops: {query_id: Top}, a query missing from it had no match;
    twins: ids of registered people whose twin is registered too."""
    scores = Scores()
    for query in queries:
        top = tops.get(query.query_id)
        result = outcome(query, top)
        if query.truth is not None:
            scores.registered_queries += 1
            if result == "right":
                scores.true_positives += 1
            else:
                scores.false_negatives += 1
        if result == "wrong":
            scores.false_positives += 1
        if query.kind in RELATIVES:
            scores.relatives_queries += 1
            scores.relatives_matched += top is not None
        for row in rows_for(query, twins):
            scores.by_kind[row].add(result)
        if result == "wrong" or (result == "none" and query.truth is not None):
            scores.failures.append((query, top))
    return scores


def summary_row(name, scores, seconds=None):
    return {
        "engine": name,
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "relatives": scores.relatives_rate,
        "seconds": seconds,
    }
