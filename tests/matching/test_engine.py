"""The matching engine on its own: names, keys and scores (no database)."""

from datetime import date

import pytest

from matching import names
from matching.details import Details
from matching.engine import THRESHOLD, MemoryIndex

DOB = date(2015, 3, 4)
HELD = {
    1: Details("William", "Smith", DOB, "M", "NM1 2AB", parent_name="Sarah Smith"),
    2: Details("Harry", "Smith", DOB, "M", "NM1 2AB", parent_name="Sarah Smith"),  # twin
    3: Details("Mohammed", "Khan-Ali", date(2012, 11, 5), "M", "NM3 4CD", nhs_number="9990001112"),
    4: Details("Oleksandr", "Kovalenko", date(2010, 1, 2), "M", "NM5 1AA"),
    5: Details("Katherine", "Nowak", date(2016, 7, 21), "F", "NM2 9ZZ", other_names="Maria"),
    6: Details("Amira", "Haddad", date(2019, 2, 28), "F", "NM4 1BB"),
    7: Details("Amira", "Haddad", date(2017, 6, 30), "F", "NM4 1BB"),  # sister, same name
}


@pytest.fixture(scope="module")
def index():
    built = MemoryIndex()
    for person_id, details in HELD.items():
        built.add(person_id, details)
    return built


def top(index, details):
    found = index.match(details, limit=3)
    return (found[0].person_id, found[0].reason) if found else None


@pytest.mark.parametrize(
    "query, expected_id, reason_part",
    [
        (Details("Liam", "Smith", DOB), 1, "forms of the same name"),
        (Details("Bill", "Smith", DOB, "M"), 1, "forms of the same name"),
        (Details("Wiliam", "Smith", DOB), 1, "first name sounds alike"),
        (Details("Wikliam", "Smith", DOB), 1, "spelt slightly differently"),
        (Details("Willaim", "Smith", DOB), 1, "first name sounds alike"),
        (Details("Muhammad", "Khan", date(2012, 11, 5)), 3, "double-barrelled"),
        (Details("Mohamed", "Khan-Ali", date(2012, 5, 11)), 3, "day and month of birth swapped"),
        (Details("Alexander", "Kovalenko", date(2010, 1, 3)), 4, "differs by one digit"),
        (Details("Aleksandr", "Kovalenko", date(2010, 1, 2)), 4, "forms of the same name"),
        (Details("Kovalenko", "Oleksandr", date(2010, 1, 2)), 4, "first and last names swapped"),
        (Details("Kate", "Nowak", date(2016, 7, 21), postcode="ZZ9 9ZZ"), 5, "same date of birth"),
        (Details("Maria", "Nowak", date(2016, 7, 21)), 5, "middle name"),
        (
            Details("Mohammed", "Begum", date(2012, 5, 11), nhs_number="999 000 1112"),
            3,
            "same NHS number",
        ),
    ],
)
def test_the_same_person_written_another_way_is_found(index, query, expected_id, reason_part):
    found = top(index, query)
    assert found is not None and found[0] == expected_id
    assert reason_part in found[1]


def test_a_twin_is_not_taken_for_the_other_twin(index):
    # Everything but the first name agrees: exactly what twins share.
    assert index.match(Details("Oliver", "Smith", DOB, "M", "NM1 2AB", parent_name="Sarah")) == []


def test_each_twin_finds_themselves_not_their_twin(index):
    assert [c.person_id for c in index.match(Details("Harry", "Smith", DOB, "M"))] == [2]


def test_a_sister_with_the_same_name_but_another_birthday_is_not_matched(index):
    found = index.match(Details("Amira", "Haddad", date(2019, 2, 28), "F", "NM4 1BB"))
    assert [c.person_id for c in found] == [6]


def test_a_conflicting_nhs_number_outweighs_everything_else(index):
    query = Details("Mohammed", "Khan-Ali", date(2012, 11, 5), "M", "NM3 4CD", "9990001120")
    assert index.match(query) == []
    assert index.match(query, threshold=0)[0].score <= 0.05


def test_a_different_sex_counts_against(index):
    found = index.match(Details("William", "Smith", DOB, "F"), threshold=0)
    assert "recorded as a different sex" in found[0].reasons


def test_scores_are_between_0_and_1_and_best_first(index):
    found = index.match(Details("Will", "Smith", DOB), threshold=0, limit=10)
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores) and scores[0] >= THRESHOLD


def test_nothing_found_for_a_stranger(index):
    assert index.match(Details("Zofia", "Wisniewska", date(2014, 8, 9))) == []


def test_names_fold_accents_and_punctuation():
    assert names.fold("Zoë O'Neil-Łukasz") == "zoe oneil lukasz"
    assert names.skeleton("mohammed") == names.skeleton("muhammad")
    assert names.skeleton("oleksandr") == names.skeleton("alexander")


def test_a_typing_slip_is_not_a_different_name_but_ava_and_eva_are():
    assert names.looks_mistyped("jonh", "john")
    assert not names.looks_mistyped("ava", "eva")
    assert not names.looks_mistyped("adam", "amir")
