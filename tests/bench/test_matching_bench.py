"""The person-matching benchmark's own parts (bench/matching): the generator
is deterministic and its truth is consistent, and the scorer counts right.
No Splink, no engine: these run in the normal suite, in a second or two."""

from dataclasses import astuple
from datetime import date

import pytest

from bench.matching import mistakes
from bench.matching.queries import ERROR_KINDS, generate_queries
from bench.matching.register import REFERENCE_DATE, generate_register
from bench.matching.score import Top, score
from core.validators import normalise_nhs_number, normalise_postcode, normalise_upn


@pytest.fixture(scope="module")
def register():
    return generate_register(seed=3, size=3000)


@pytest.fixture(scope="module")
def queries(register):
    return generate_queries(register, seed=3, count=600)


def test_the_same_seed_gives_the_same_register_and_queries(register, queries):
    again = generate_register(seed=3, size=3000)
    assert [register.record(p) for p in register.people] == [again.record(p) for p in again.people]
    assert [astuple(q) for q in generate_queries(again, seed=3, count=600)] == [
        astuple(q) for q in queries
    ]


def test_another_seed_gives_another_register(register):
    other = generate_register(seed=4, size=3000)
    assert [register.record(p) for p in register.people] != [other.record(p) for p in other.people]


def test_identifiers_are_valid_synthetic_and_unique(register):
    records = [register.record(p) for p in register.people]
    nhs = [r["nhs_number"] for r in records if r["nhs_number"]]
    upns = [r["upn"] for r in records if r["upn"]]
    assert nhs and upns
    assert all(normalise_nhs_number(n) == n and n.startswith("999") for n in nhs)
    assert all(normalise_upn(u) == u and u[1:4] == "999" for u in upns)
    assert len(set(nhs)) == len(nhs) and len(set(upns)) == len(upns)
    postcodes = {r["postcode"] for r in records if r["postcode"]}
    assert all(normalise_postcode(p) == p and p.startswith("Z") for p in postcodes)
    assert all(r["date_of_birth"] <= REFERENCE_DATE.isoformat() for r in records)


def test_the_register_has_households_twins_and_unborn_children():
    big = generate_register(seed=5, size=20_000)
    children = [p for p in big.people if p.role == "child"]
    twins = sum(p.twin for p in children) / len(children)
    assert 0.015 < twins < 0.06
    assert any(p.role == "unborn" and p.date_of_birth is None for p in big.people)
    surnames = {p.last_name for p in big.people}
    assert {"Smith", "Khan"} <= surnames


def test_truth_labels_are_consistent(register, queries):
    people = {p.id: p for p in register.people}
    registered = {
        (mistakes.plain(p.first_name), mistakes.plain(p.last_name), p.date_of_birth)
        for p in register.people
    }
    known_errors = {kind for kind, _part, _weight in ERROR_KINDS}
    kinds = {q.kind for q in queries}
    assert kinds == {"true", "twin", "sibling", "cousin", "unrelated"}
    for q in queries:
        assert q.date_of_birth is None or q.date_of_birth <= REFERENCE_DATE
        if q.kind == "true":
            assert q.truth in people and q.related_to is None
            assert set(q.errors) <= known_errors and len(q.errors) <= 3
            if not q.errors:
                person = people[q.truth]
                assert (q.first_name, q.last_name) == (person.first_name, person.last_name)
                assert q.date_of_birth == person.date_of_birth
            continue
        assert q.truth is None and not q.errors
        assert (mistakes.plain(q.first_name), mistakes.plain(q.last_name), q.date_of_birth) not in (
            registered
        )
        if q.kind == "unrelated":
            continue
        relative = people[q.related_to]
        assert mistakes.masculine(q.last_name) == mistakes.masculine(relative.last_name)
        if q.kind == "twin":
            assert q.date_of_birth == relative.date_of_birth
            assert not mistakes.same_name(q.first_name, relative.first_name)
        else:
            assert q.date_of_birth != relative.date_of_birth


@pytest.mark.parametrize(
    "day, swapped",
    [(date(2015, 3, 4), date(2015, 4, 3)), (date(2015, 3, 25), None), (date(2015, 3, 3), None)],
)
def test_day_and_month_swapped(day, swapped):
    assert mistakes.swap_day_and_month(day) == swapped


def test_a_wrong_digit_changes_one_digit_and_stays_a_past_date():
    import random

    rng = random.Random(1)
    for _ in range(200):
        changed = mistakes.wrong_digit(date(2014, 7, 19), rng, REFERENCE_DATE)
        a, b = "20140719", changed.strftime("%Y%m%d")
        assert sum(x != y for x, y in zip(a, b, strict=True)) == 1
        assert changed <= REFERENCE_DATE


def test_a_typo_is_one_slip():
    import random

    from rapidfuzz.distance import DamerauLevenshtein

    rng = random.Random(2)
    for name in ("Olivia", "Muhammad", "Kowalczyk", "Ivy"):
        for _ in range(50):
            slip = mistakes.typo(name, rng)
            assert slip != name and DamerauLevenshtein.distance(slip.lower(), name.lower()) == 1


class Q:
    def __init__(self, query_id, kind, truth, errors=()):
        self.query_id, self.kind, self.truth, self.errors = query_id, kind, truth, errors


def test_the_scorer_counts_top_matches():
    queries = [
        Q("1", "true", 1),  # right: true positive
        Q("2", "true", 2, ("nickname",)),  # someone else: false positive and false negative
        Q("3", "true", 4, ("moved", "nickname")),  # nothing found: false negative
        Q("4", "twin", None),  # matched: false positive
        Q("5", "sibling", None),  # nothing: right
        Q("6", "unrelated", None),  # matched: false positive
        Q("7", "cousin", None),  # nothing: right
    ]
    tops = {"1": Top(1, 0.99), "2": Top(3, 0.95), "4": Top(5, 0.97), "6": Top(6, 0.91)}
    scores = score(queries, tops, twins=frozenset({4}))
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (1, 3, 2)
    assert scores.precision == pytest.approx(1 / 4)
    assert scores.recall == pytest.approx(1 / 3)
    assert scores.f1 == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert scores.relatives_rate == pytest.approx(1 / 3)
    rows = scores.by_kind
    assert (rows["twin"].wrong, rows["sibling"].none, rows["cousin"].none) == (1, 1, 1)
    assert (rows["true: nickname"].queries, rows["true: nickname"].wrong) == (2, 1)
    assert rows["true: no mistakes"].right == 1
    assert rows["true: has a twin in the register"].none == 1
    assert len(scores.failures) == 4


def test_a_perfect_matcher_scores_one(queries):
    tops = {q.query_id: Top(q.truth, 1.0) for q in queries if q.truth is not None}
    scores = score(queries, tops)
    assert (scores.precision, scores.recall, scores.f1, scores.relatives_rate) == (1, 1, 1, 0)


def test_fields_written_wrong_are_invalid_as_lists_write_them():
    import random

    from django.core.exceptions import ValidationError

    rng = random.Random(3)
    for _ in range(100):
        nhs = mistakes.mistype_nhs_number("9434765919", rng)
        with pytest.raises(ValidationError):
            normalise_nhs_number(nhs)
        with pytest.raises(ValidationError):
            normalise_upn(mistakes.mistype_upn("H999102418003", rng))
        assert mistakes.mistype_postcode("ZB1 0DX", rng) != "ZB1 0DX"
        assert mistakes.write_date_oddly(date(2015, 3, 24), rng) != "2015-03-24"


def test_every_query_with_a_field_written_wrong_is_still_checked(register, queries):
    """match_people's reading of a row refuses none of them: each has a name."""
    from bench.matching.ours import query_details_from
    from bench.matching.queries import BAD_FIELD_KINDS

    written_wrong = [q for q in queries if set(q.errors) & set(BAD_FIELD_KINDS)]
    assert {e for q in written_wrong for e in q.errors} >= set(BAD_FIELD_KINDS)
    assert all(query_details_from(q.record()) is not None for q in written_wrong)
