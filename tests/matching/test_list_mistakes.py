"""Mistakes lists make that the engine reads past (a date in another order,
a mistyped NHS number, names swapped with a changed surname, every detail
of a child mistyped but their parent named), and the relatives those rules
must still keep apart."""

from datetime import date

import pytest

from matching import keys, names
from matching.details import Details
from matching.engine import MemoryIndex
from matching.rows import Row, RowError, person_details, query_details

TODAY = date(2026, 12, 6)
DOB = date(2015, 3, 4)


def _one_held(held):
    built = MemoryIndex()
    built.add(1, held)
    return built


def _read(date_of_birth, **values):
    row = Row(2, {"first_name": "Eva", "last_name": "Atkinson", "date_of_birth": date_of_birth})
    row.values.update(values)
    return query_details(row, today=TODAY)


@pytest.mark.parametrize(
    "written, read",
    [
        ("02/13/2019", date(2019, 2, 13)),  # month first: 13 cannot be a month
        ("10/21/2014", date(2014, 10, 21)),
        ("28/02/16", date(2016, 2, 28)),  # a two-digit year: the latest not in the future
        ("04/07/87", date(1987, 7, 4)),
        ("04/03/15", date(2015, 3, 4)),  # both orders are dates: day first, as in the UK
        ("03/04/30", date(1930, 4, 3)),  # 2030 is in the future
    ],
)
def test_a_list_s_date_in_another_order_is_read_where_one_reading_fits(written, read):
    found = _read(written)
    assert found.details.date_of_birth == read
    assert found.warnings == (f"date of birth {written} read as {read:%d %B %Y}",)


def test_a_date_no_reading_makes_sense_of_is_still_left_out():
    found = _read("31/02/2015")
    assert found.details.date_of_birth is None
    assert found.warnings == ("date of birth 31/02/2015 ignored: it is not a date",)


def test_import_still_refuses_a_date_it_would_have_to_guess():
    row = Row(2, {"first_name": "Eva", "last_name": "Atkinson", "date_of_birth": "28/02/16"})
    with pytest.raises(RowError, match="two digits"):
        person_details(row, today=TODAY)


def test_a_date_read_month_first_finds_the_person():
    held = Details("Eva", "Atkinson", date(2019, 2, 13), "F", "NM1 9BY")
    query = _read("02/13/2019", postcode="NM1 9BY").details
    assert [c.person_id for c in _one_held(held).match(query)] == [1]


# 999 832 4969 is 999 832 9469 with two digits swapped: its check digit is wrong.
HELD_NHS = "9998329469"
MISTYPED_NHS = "999 832 4969"


def test_a_mistyped_nhs_number_is_kept_as_evidence_not_as_the_number():
    read = _read("", nhs_number=MISTYPED_NHS).details
    assert read.nhs_number == ""
    assert read.mistyped_nhs_number == MISTYPED_NHS


def test_an_nhs_number_one_slip_from_the_held_one_finds_the_person():
    # A changed surname, a birth date a digit off and no address: without
    # the number, not a match (the same birthday alone now is: a changed
    # surname, tests/matching/test_changed_surname.py).
    held = Details("Fadumo", "Elmi", date(2009, 5, 22), "F", "NM2 1RL", nhs_number=HELD_NHS)
    query = Details("Fadumo", "Mohamed", date(2009, 5, 23), "F")
    index = _one_held(held)
    assert index.match(query) == []
    typed = Details("Fadumo", "Mohamed", date(2009, 5, 23), "F", mistyped_nhs_number=MISTYPED_NHS)
    found = index.match(typed)
    assert [c.person_id for c in found] == [1]
    assert "NHS number one slip from theirs" in found[0].reasons


def test_an_nhs_number_one_slip_from_a_twin_s_does_not_make_them_one_child():
    twin = Details("Harry", "Smith", DOB, "M", "NM1 2AB", nhs_number=HELD_NHS)
    other_twin = Details("Oliver", "Smith", DOB, "M", "NM1 2AB", mistyped_nhs_number=MISTYPED_NHS)
    assert _one_held(twin).match(other_twin) == []


def test_a_mistyped_nhs_number_far_from_the_held_one_is_no_evidence():
    held = Details("Fadumo", "Elmi", date(2009, 5, 22), "F", nhs_number=HELD_NHS)
    query = Details("Fadumo", "Elmi", date(2009, 5, 22), "F", mistyped_nhs_number="9991234567")
    found = _one_held(held).match(query)
    assert found and "NHS number one slip from theirs" not in found[0].reasons


@pytest.mark.parametrize(
    "held, query", [("Amira", "Amir"), ("Antonina", "Antoni"), ("Daniela", "Daniel")]
)
def test_a_brother_and_sister_named_as_a_girl_s_form_of_one_name_are_twins(held, query):
    household = {"date_of_birth": DOB, "postcode": "NM1 2AB", "parent_name": "Shazia Iqbal"}
    found = _one_held(Details(held, "Iqbal", sex="F", **household))
    assert found.match(Details(query, "Iqbal", **household)) == []


@pytest.mark.parametrize("held, query", [("Isla", "Islaa"), ("Olivia", "Olivi"), ("Esme", "Esmee")])
def test_a_letter_doubled_or_dropped_at_the_end_is_still_a_slip(held, query):
    assert not names.is_feminine_form(held, query)
    found = _one_held(Details(held, "Lloyd", DOB, "F", "NM1 9SB")).match(
        Details(query, "Lloyd", DOB, "F", "NM1 9SB")
    )
    assert [c.person_id for c in found] == [1]


def test_names_swapped_with_a_changed_surname_are_found_by_birthday_and_address():
    # "Marlwood, Mark" for Mark Jones: the boxes swapped and a new surname.
    held = Details("Mark", "Jones", date(1980, 9, 24), "M", "NM2 2RP")
    found = _one_held(held).match(Details("Marlwood", "Mark", date(1980, 9, 24), "", "NM2 2RP"))
    assert [c.person_id for c in found] == [1]
    assert "first and last names swapped" in found[0].reasons


def test_a_daughter_whose_surname_is_her_father_s_first_name_is_not_him():
    # Patronymic surnames: Amina Omar is the daughter of Omar Ali, at his address.
    father = Details("Omar", "Ali", date(1980, 9, 24), "M", "NM2 2RP")
    daughter = Details("Amina", "Omar", date(2015, 9, 24), "F", "NM2 2RP")
    assert _one_held(father).match(daughter) == []


def test_a_child_with_every_detail_mistyped_is_found_through_the_parent_named():
    held = Details(
        "Millie", "Chadmore", date(2021, 7, 7), "F", parent_name="Claire Chadshaw Dean Chadmore"
    )
    query = Details("Milly", "Chamore", date(2021, 8, 7), "F", parent_name="Claire Chadshaw")
    found = _one_held(held).match(query)
    assert [c.person_id for c in found] == [1]


def test_the_parent_named_does_not_make_a_sibling_the_child():
    sister = Details("Grace", "Chadmore", date(2019, 1, 3), "F", parent_name="Claire Chadshaw")
    query = Details("Milly", "Chamore", date(2021, 8, 7), "F", parent_name="Claire Chadshaw")
    assert _one_held(sister).match(query) == []


def test_names_swapped_and_mistyped_are_looked_for_in_the_family_at_the_address():
    held = Details("Erin", "Langcombe", None, "F", "NM3 3WN", parent_name="Sarah Walley")
    query = Details("Langcombe", "Eribn", None, "F", "NM3 3WN", parent_name="Sarah Walley")
    assert [c.person_id for c in _one_held(held).match(query)] == [1]


def test_a_year_slip_with_a_first_name_slip_is_looked_for_by_surname_and_birthday():
    held = Details("Katie", "Hatcombe", date(1990, 2, 25), "F").prepared()
    query = Details("Katoe", "Hatcombe", date(1900, 2, 25), "F").prepared()
    assert keys.query_keys(query) & keys.record_keys(held)
