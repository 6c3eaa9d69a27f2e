"""Validation of identifiers and dates, with messages that say how to fix the value.

Each `normalise_*` function returns the canonical stored form or raises
ValidationError; forms, commands and the API all call these.
"""

import datetime
import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

NHS_NUMBER_WEIGHTS = range(10, 1, -1)
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # I, O and S are never used
POSTCODE_PATTERN = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r"\d[ABD-HJLNP-UW-Z]{2})$"
)

# The part of a postcode before the space (the outward code), as
# POSTCODE_PATTERN's first part, with ASCII digits only.
OUTWARD_CODE_PATTERN = re.compile(
    r"^[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y])$"
)


def nhs_check_digit(first_nine: str):
    """The modulus 11 check digit, or None where no valid number can end these digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, NHS_NUMBER_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            _("Enter an NHS number with 10 digits, like 999 111 1115"), code="nhs_format"
        )
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("NHS number is not valid: check each digit again, it may have been mistyped"),
            code="nhs_check_digit",
        )
    return digits


def upn_check_letter(last_twelve: str) -> str:
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    upn = re.sub(r"\s", "", value or "").upper()
    if not re.fullmatch(r"[A-Z][0-9]{11}[0-9A-Z]", upn) or any(c in "IOS" for c in upn[::12]):
        raise ValidationError(
            _(
                "Enter a unique pupil number (UPN) of 13 characters: a letter, 11 digits, "
                "then a digit or letter, like A123456789012"
            ),
            code="upn_format",
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(
            _("Unique pupil number is not valid: the first letter does not match, check it again"),
            code="upn_check_letter",
        )
    return upn


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", value or "").upper()
    if not POSTCODE_PATTERN.fullmatch(compact):
        raise ValidationError(_("Enter a full UK postcode, like AA1 1AA"), code="postcode_format")
    return f"{compact[:-3]} {compact[-3:]}"


PHONE_PATTERN = re.compile(r"(\+44(0)?|0)[0-9]{9,10}")  # ASCII digits only, not \d


def normalise_phone(value: str) -> str:
    """A UK phone number as typed, with its spacing tidied: 0, +44 or +44 (0),
    then 9 or 10 more digits (spaces, brackets and hyphens allowed between them)."""
    text = " ".join((value or "").split())
    if not PHONE_PATTERN.fullmatch(re.sub(r"[ ()-]", "", text)):
        raise ValidationError(
            _("Enter a UK phone number, like 01632 960 001 or +44 1632 960 001"),
            code="phone_format",
        )
    return text


# Whole numbers from request data -------------------------------------------

# The largest primary key (BigAutoField). A bigger number is never an id, and
# sent to the database it can crash the page (OverflowError on SQLite).
MAX_ID = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]+")  # not \d, which matches "٣" too
ASCII_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")


def parse_whole_number(value, *, minimum=0, maximum=MAX_ID):
    """The whole number posted or typed as `value`, or None if it is not one
    within [minimum, maximum]. Only ASCII digits count: `str.isdigit` accepts
    "²" (which `int` refuses) and `int` accepts "٣" and 10**100."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t\r\n")
    if not ASCII_WHOLE_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


# Months typed as words ------------------------------------------------------

# The GOV.UK date input pattern asks services to accept month names as well as
# numbers: "Feb", "february", "FEB." and "sept" all mean 2 or 9. Only ASCII
# letters count, so "ſept" or full-width letters are not quietly read as a month.
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_BY_WORD = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
ASCII_MONTH_WORD = re.compile(r"[A-Za-z]{3,9}\.?")


def parse_month_name(value):
    """The month number (1 to 12) that `value` names, or None if it names none."""
    if not isinstance(value, str) or not ASCII_MONTH_WORD.fullmatch(value.strip()):
        return None
    return MONTH_BY_WORD.get(value.strip().rstrip(".").lower())


# Date ranges -----------------------------------------------------------------

# Every date a person types is kept within a sensible range, so a mistyped year
# is caught on the page, and no date can overflow later (a meeting's end time,
# its calendar file). The limits are all here.
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
CASE_DATE_YEARS = 5  # meetings, plans, reviews, consent, notes, panels: years either side of today


class DateRange(NamedTuple):
    earliest: datetime.date
    latest: datetime.date


def birth_dates(today=None):
    """Dates of birth, and expected dates of birth (up to the end of next year).
    Whether a date may be in the future is `validate_birth_dates`'s rule."""
    today = today or timezone.localdate()
    return DateRange(EARLIEST_BIRTH_DATE, datetime.date(today.year + 1, 12, 31))


def case_dates(today=None):
    """Dates of work on a case: meetings, plan actions, reviews, consent, notes, panels."""
    today = today or timezone.localdate()
    return DateRange(
        datetime.date(today.year - CASE_DATE_YEARS, 1, 1),
        datetime.date(today.year + CASE_DATE_YEARS, 12, 31),
    )


def any_dates(today=None):
    """The widest range, for a date field that names none."""
    return DateRange(birth_dates(today).earliest, case_dates(today).latest)


def validate_date_range(value, dates, name):
    """`value` lies within `dates` (a DateRange), or a message naming both ends."""
    if not dates.earliest <= value <= dates.latest:
        raise ValidationError(
            _("%(name)s must be between %(earliest)s and %(latest)s")
            % {
                "name": name,
                "earliest": date_format(dates.earliest, "j F Y"),
                "latest": date_format(dates.latest, "j F Y"),
            },
            code="date_range",
        )


def _outside_birth_dates(date_of_birth, expected_date_of_birth, today):
    errors = {}
    for field, value, name in (
        ("date_of_birth", date_of_birth, _("Date of birth")),
        ("expected_date_of_birth", expected_date_of_birth, _("Expected date of birth")),
    ):
        try:
            if value:
                validate_date_range(value, birth_dates(today), name)
        except ValidationError as error:
            errors[field] = error.messages[0]
    return errors


FUTURE_BIRTH_MESSAGE = _(
    "Date of birth must be today or in the past; for an unborn child, give the "
    "expected date of birth instead"
)


def validate_born_by_today(value, today=None):
    """A date of birth is not in the future: an unborn child has an expected
    date of birth instead (a field validator, so every form that asks for a date
    of birth refuses it on the page)."""
    if value and value > (today or timezone.localdate()):
        raise ValidationError(FUTURE_BIRTH_MESSAGE, code="future_birth")


def validate_birth_dates(date_of_birth, expected_date_of_birth, today=None):
    """A person has a date of birth, or (only if unborn) an expected date, not
    both, each within `birth_dates`."""
    today = today or timezone.localdate()
    if errors := _outside_birth_dates(date_of_birth, expected_date_of_birth, today):
        raise ValidationError(errors)
    errors = {}
    if date_of_birth and expected_date_of_birth:
        errors["expected_date_of_birth"] = _(
            "Give either a date of birth or, for an unborn child, an expected date of birth, "
            "not both"
        )
    if date_of_birth and date_of_birth > today:
        errors["date_of_birth"] = FUTURE_BIRTH_MESSAGE
    if expected_date_of_birth and expected_date_of_birth < today:
        errors["expected_date_of_birth"] = _(
            "Expected date of birth must be today or in the future; once the baby is born, "
            "give the date of birth instead"
        )
    if errors:
        raise ValidationError(errors)
