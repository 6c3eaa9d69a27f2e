from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    DateRange,
    birth_dates,
    case_dates,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    normalise_upn,
    parse_month_name,
    parse_whole_number,
    validate_birth_dates,
    validate_born_by_today,
    validate_date_range,
)

TODAY = date(2026, 11, 23)


def messages(call, *args, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    return error.value.messages


# 999 111 111 5: weighted sum 270, 270 mod 11 = 6, check digit 11 - 6 = 5.
@pytest.mark.parametrize("typed", ["9991111115", "999 111 1115", "999-111-1115", " 9991111115 "])
def test_nhs_number_is_stored_as_ten_digits(typed):
    assert normalise_nhs_number(typed) == "9991111115"


def test_nhs_number_with_a_wrong_check_digit_is_refused():
    assert messages(normalise_nhs_number, "9991111116") == [
        "NHS number is not valid: check each digit again, it may have been mistyped"
    ]


def test_nhs_number_whose_check_value_is_ten_can_never_be_valid():
    # 999 123 456 gives a check value of 10, so no tenth digit makes it valid.
    for last in "0123456789":
        with pytest.raises(ValidationError):
            normalise_nhs_number("999123456" + last)


@pytest.mark.parametrize("typed", ["12345", "99911111150", "999111111X"])
def test_nhs_number_of_the_wrong_shape_says_what_is_expected(typed):
    assert messages(normalise_nhs_number, typed) == [
        "Enter an NHS number with 10 digits, like 999 111 1115"
    ]


# N999999912001: weighted sum 357, 357 mod 23 = 12, the 13th letter of
# ABCDEFGHJKLMNPQRTUVWXYZ is N.
@pytest.mark.parametrize("typed", ["N999999912001", "n999999912001", "N 9999 9991 2001"])
def test_upn_is_stored_in_capitals_without_spaces(typed):
    assert normalise_upn(typed) == "N999999912001"


def test_upn_with_the_wrong_check_letter_is_refused():
    assert messages(normalise_upn, "M999999912001") == [
        "Unique pupil number is not valid: the first letter does not match, check it again"
    ]


@pytest.mark.parametrize(
    "typed", ["N99999991200", "9999999912001", "I999999912001", "NA99999912001"]
)
def test_upn_of_the_wrong_shape_says_what_is_expected(typed):
    assert messages(normalise_upn, typed) == [
        "Enter a unique pupil number (UPN) of 13 characters: a letter, 11 digits, then a digit "
        "or letter, like A123456789012"
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nm1 2ab", "NM1 2AB"),
        ("NM12AB", "NM1 2AB"),
        ("ev10 4de", "EV10 4DE"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
    ],
)
def test_postcodes_of_every_shape_are_stored_in_one_form(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["NOT A POSTCODE", "NM1", "QM1 2AB", "NM1 2CB", "12345"])
def test_impossible_postcodes_are_refused(typed):
    assert messages(normalise_postcode, typed) == ["Enter a full UK postcode, like AA1 1AA"]


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_birth_dates(date(2026, 11, 24), None, today=TODAY)
    assert error.value.message_dict == {
        "date_of_birth": [
            "Date of birth must be today or in the past; for an unborn child, give the "
            "expected date of birth instead"
        ]
    }


def test_expected_date_in_the_past_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_birth_dates(None, date(2026, 11, 22), today=TODAY)
    assert list(error.value.message_dict) == ["expected_date_of_birth"]


def test_both_dates_is_refused_and_either_alone_is_fine():
    with pytest.raises(ValidationError):
        validate_birth_dates(date(2020, 1, 1), date(2027, 1, 1), today=TODAY)
    assert validate_birth_dates(TODAY, None, today=TODAY) is None
    assert validate_birth_dates(None, TODAY, today=TODAY) is None


def test_birth_dates_before_1900_or_after_next_year_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_birth_dates(date(1899, 12, 31), date(2028, 1, 1), today=TODAY)
    assert error.value.message_dict == {
        "date_of_birth": ["Date of birth must be between 1 January 1900 and 31 December 2027"],
        "expected_date_of_birth": [
            "Expected date of birth must be between 1 January 1900 and 31 December 2027"
        ],
    }


def test_the_date_ranges_of_births_and_of_casework():
    assert (birth_dates(TODAY), case_dates(TODAY)) == (
        DateRange(date(1900, 1, 1), date(2027, 12, 31)),
        DateRange(date(2021, 1, 1), date(2031, 12, 31)),
    )


def test_a_date_outside_its_range_names_both_ends():
    dates = case_dates(TODAY)
    assert messages(validate_date_range, date(2032, 1, 1), dates, "Date of the meeting") == [
        "Date of the meeting must be between 1 January 2021 and 31 December 2031"
    ]
    assert validate_date_range(date(2031, 12, 31), dates, "Date of the meeting") is None


@pytest.mark.parametrize(
    ("posted", "number"),
    [
        ("0", 0),
        ("42", 42),
        (" 42\n", 42),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("9" * 5000, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1_000", None),
        ("", None),
        ("\x00", None),
        ("1\x00", None),
        (None, None),
        (["1"], None),
    ],
)
def test_a_whole_number_is_ascii_digits_within_range(posted, number):
    assert parse_whole_number(posted) == number


def test_a_whole_number_outside_the_given_range_is_none():
    assert [parse_whole_number(v, minimum=1, maximum=50) for v in ("0", "1", "50", "51")] == [
        None,
        1,
        50,
        None,
    ]


@pytest.mark.parametrize(
    ("normalise", "typed", "code"),
    [
        (normalise_nhs_number, "٩٩٩١١١١١١٥", "nhs_format"),
        (normalise_nhs_number, "９９９１１１１１１５", "nhs_format"),
        (normalise_upn, "A١٢٣٤٥٦٧٨٩٠١٢", "upn_format"),
    ],
)
def test_identifiers_in_other_than_ascii_digits_are_refused(normalise, typed, code):
    with pytest.raises(ValidationError) as error:
        normalise(typed)
    assert error.value.code == code


def test_a_date_of_birth_field_refuses_a_date_still_to_come():
    assert validate_born_by_today(TODAY, today=TODAY) is None
    assert messages(validate_born_by_today, date(2026, 11, 24), today=TODAY) == [
        "Date of birth must be today or in the past; for an unborn child, give the "
        "expected date of birth instead"
    ]


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("jan", 1),
        ("January", 1),
        ("FEB", 2),
        ("feb.", 2),
        ("Sept", 9),
        ("sep", 9),
        (" december ", 12),
        ("may", 5),
    ],
)
def test_a_month_name_or_its_first_three_letters_is_its_number(typed, month):
    assert parse_month_name(typed) == month


@pytest.mark.parametrize(
    "typed",
    ["", "2", "ja", "janu", "Febuary", "ſept", "Ｆｅｂ", "mai", "feb..", "x" * 10_000, None, 2],
)
def test_anything_else_names_no_month(typed):
    assert parse_month_name(typed) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01632 960 001", "01632 960 001"),
        ("  01632\t960001 ", "01632 960001"),
        ("+44 1632 960 001", "+44 1632 960 001"),
        ("+44 (0)1632 960 001", "+44 (0)1632 960 001"),
        ("0300 000 0000", "0300 000 0000"),
    ],
)
def test_uk_phone_numbers_are_kept_as_typed_with_tidy_spacing(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "999", "01632", "٠١٦٣٢٩٦٠٠٠١", "+1 555 0100 999", "01632 960 001 ext 2", "0" * 30]
)
def test_anything_but_a_uk_phone_number_is_refused(typed):
    assert messages(normalise_phone, typed) == [
        "Enter a UK phone number, like 01632 960 001 or +44 1632 960 001"
    ]
