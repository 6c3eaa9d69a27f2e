"""Validation of identifiers and dates, with messages that say how to fix the value.

Each `normalise_*` function returns the canonical stored form or raises
ValidationError; forms, commands and the API all call these.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NHS_NUMBER_WEIGHTS = range(10, 1, -1)
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # I, O and S are never used
POSTCODE_PATTERN = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r"\d[ABD-HJLNP-UW-Z]{2})$"
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
    if not re.fullmatch(r"\d{10}", digits):
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
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn) or any(c in "IOS" for c in upn[::12]):
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


def validate_birth_dates(date_of_birth, expected_date_of_birth, today=None):
    """A person has a date of birth, or (only if unborn) an expected date, not both."""
    today = today or timezone.localdate()
    errors = {}
    if date_of_birth and expected_date_of_birth:
        errors["expected_date_of_birth"] = _(
            "Give either a date of birth or, for an unborn child, an expected date of birth, "
            "not both"
        )
    if date_of_birth and date_of_birth > today:
        errors["date_of_birth"] = _(
            "Date of birth must be today or in the past; for an unborn child, give the "
            "expected date of birth instead"
        )
    if expected_date_of_birth and expected_date_of_birth < today:
        errors["expected_date_of_birth"] = _(
            "Expected date of birth must be today or in the future; once the baby is born, "
            "give the date of birth instead"
        )
    if errors:
        raise ValidationError(errors)
