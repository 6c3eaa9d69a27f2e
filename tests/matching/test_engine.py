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
        (
            Details("Alexander", "Kovalenko", date(2010, 1, 3), postcode="NM5 1AA"),
            4,
            "differs by one digit",
        ),
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


def _one_held(held):
    built = MemoryIndex()
    built.add(1, held)
    return built


TWIN = {"date_of_birth": DOB, "sex": "M", "postcode": "NM1 2AB", "parent_name": "Sarah Smith"}


@pytest.mark.parametrize(
    "held, query",
    [
        ("Alfie", "Albie"),  # a letter apart, each a name in its own right
        ("Ryan", "Ronnie"),  # the same consonants
        ("Harry", "Harvey"),  # Harry is not short for Harvey
        ("Lily", "Lola"),
    ],
)
def test_twins_whose_names_are_a_letter_or_a_sound_apart_are_not_matched(held, query):
    index = _one_held(Details(held, "Smith", **TWIN))
    assert index.match(Details(query, "Smith", **TWIN)) == []


def test_a_boy_and_a_girl_with_names_alike_are_twins_not_one_child():
    held = Details("Ali", "Smith", DOB, "M", "NM1 2AB")
    assert _one_held(held).match(Details("Alice", "Smith", DOB, "F", "NM1 2AB")) == []


@pytest.mark.parametrize(
    "held, query",
    [("Joshua", "Josh"), ("Ronald", "Ronnie"), ("Florence", "Florrie"), ("Penelope", "Penny")],
)
def test_short_forms_nobody_listed_are_still_found(held, query):
    found = _one_held(Details(held, "Smith", **TWIN)).match(Details(query, "Smith", DOB, "M"))
    assert [c.person_id for c in found] == [1]
    assert "short form" in found[0].reason or "forms of the same name" in found[0].reason


def test_a_long_name_mistyped_in_its_first_letter_is_found():
    held = Details("Katherine", "Goldford", DOB, "F", "NM1 2AB")
    found = _one_held(held).match(Details("Atherine", "Goldford", DOB, "F", "NM1 2AB"))
    assert found and "spelt slightly differently" in found[0].reason


def test_a_name_alone_is_a_possible_match_not_a_likely_one():
    found = _one_held(Details("Mia", "Redley", DOB, "F", "NM1 2AB")).match(
        Details("Mia", "Redley"), threshold=0
    )
    assert 0.2 <= found[0].score < THRESHOLD


def test_a_cousin_born_days_apart_elsewhere_is_not_matched():
    held = Details("Zayn", "Ali", date(2013, 12, 31), "M", "NM1 2AB", parent_name="Asma Ali")
    query = Details("Zayn", "Ali", date(2013, 12, 1), "M", "NM6 7QQ", parent_name="Mohammed Ali")
    assert _one_held(held).match(query) == []


def test_baby_is_not_a_first_name_so_neither_for_nor_against():
    # The unborn baby recorded before the birth, then named.
    held = Details("Baby", "Osman", postcode="NM1 2AB", parent_name="Hodan Osman")
    query = Details("Ayub", "Osman", DOB, "M", "NM1 2AB", parent_name="Hodan")
    found = _one_held(held).match(query, threshold=0)
    assert found and "different first name" not in found[0].reasons
    assert found[0].score < THRESHOLD


def test_al_is_not_a_shared_part_of_two_surnames():
    held = Details("Mohammed", "Al-Rashid", DOB, "M", "NM1 2AB")
    found = _one_held(held).match(Details("Mohammed", "Al-Sayed", DOB, "M"), threshold=0)
    assert found and "double-barrelled" not in found[0].reason


def test_a_child_known_by_their_other_parents_surname_is_found():
    held = Details("Zainab", "Riaz", DOB, "F", "NM1 2AB")
    query = Details("Zainab", "Butt", DOB, "F", parent_name="Kashif Riaz")
    found = _one_held(held).match(query)
    assert found and "surname is a parent's surname" in found[0].reason


def test_short_forms_need_three_letters_and_no_diminutive_on_the_long_name():
    assert names.is_short_form("josh", "joshua")
    assert names.is_short_form("reggie", "reginald")
    assert not names.is_short_form("harry", "harvey")
    assert not names.is_short_form("al", "alan")
    assert not names.is_short_form("ella", "ellie")


def test_names_typed_the_wrong_way_round_are_found_with_a_slip_in_each():
    # "Miorworth Lovan" for Logan Morworth: swapped, and each name mistyped.
    held = Details("Logan", "Morworth", date(2018, 5, 31), "M", "NM1 5GZ")
    found = _one_held(held).match(Details("Miorworth", "Lovan", date(2018, 5, 31), "M", "NM1 5GZ"))
    assert [c.person_id for c in found] == [1]
    assert "first and last names swapped" in found[0].reasons


def test_a_named_child_is_not_taken_for_the_expected_baby_of_the_family():
    # "Baby Popescu" has no first name or birth date yet; their older sister
    # shares everything else: surname, address, parent.
    expected = Details("Baby", "Popescu", None, postcode="NM1 3EX", parent_name="Ciprian Popescu")
    sister = Details(
        "Gabriela", "Popescu", date(2019, 2, 19), "F", "NM1 3EX", parent_name="Ciprian Popescu"
    )
    assert _one_held(expected).match(sister) == []
    assert _one_held(sister).match(expected) == []


def test_the_expected_baby_is_found_by_their_parent_s_full_name():
    expected = Details("Baby", "Popescu", None, postcode="NM1 3EX", parent_name="Ciprian Popescu")
    assert [c.person_id for c in _one_held(expected).match(expected)] == [1]


def test_either_parent_named_counts_and_their_full_name_counts_more():
    held = _one_held(
        Details("Omid", "Amiri", date(2023, 11, 17), "M", parent_name="Gul Karimi Ahmad Amiri")
    )

    def best(parent_name):
        return held.match(
            Details("Omid", "Amiri", None, "M", parent_name=parent_name), threshold=0
        )[0]

    other_parent, full_name, first_only = best("Ahmad"), best("Gul Karimi"), best("Gul")
    assert "same parent's name" in other_parent.reasons
    assert "same parent's full name" in full_name.reasons
    assert full_name.score > first_only.score > best("Hawa").score


def test_twins_with_different_first_names_and_the_same_parent_are_kept_apart():
    twin = Details("Harry", "Smith", DOB, "M", "NM1 2AB", parent_name="Sarah Smith Mark Smith")
    other_twin = Details("Oliver", "Smith", DOB, "M", "NM1 2AB", parent_name="Sarah Smith")
    assert _one_held(twin).match(other_twin) == []
