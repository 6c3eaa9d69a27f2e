"""The details a match is made on, as typed or as held, and their prepared
form (folded names, skeletons, postcode district) that keys and scores use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import names

_SEX = {"m": "M", "male": "M", "1": "M", "f": "F", "female": "F", "2": "F"}


def normalise_sex(value: object) -> str:
    """'M', 'F' or '' from the ways lists write sex (M/F, Male/Female, CIN census 1/2)."""
    return _SEX.get(str(value or "").strip().casefold(), "")


def compact_postcode(value: str | None) -> str:
    return re.sub(r"\s", "", value or "").upper()


def digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


@dataclass(frozen=True)
class Details:
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""
    parent_name: str = ""
    # Middle names and the name someone is known by (held records only).
    other_names: str = ""
    # Only the outward code (B21), when a list's postcode could not be read
    # in full (queries only): weak evidence, never the same address.
    postcode_district: str = ""
    # An NHS number or UPN whose check digit or letter is wrong (queries
    # only): never the same number, but one slip from a held one is still
    # evidence.
    mistyped_nhs_number: str = ""
    mistyped_upn: str = ""

    def prepared(self) -> Prepared:
        return Prepared(self)


class Prepared:
    """Details folded once, so that scoring many candidates does no text work.

    Worked out eagerly: a check scores hundreds of candidates, each field is
    read several times, and the name functions behind it are cached."""

    __slots__ = (
        "details",
        "first",
        "given",
        "last_parts",
        "last",
        "dob",
        "dob_digits",
        "sex",
        "postcode",
        "district",
        "nhs",
        "upn",
        "mistyped_nhs",
        "mistyped_upn",
        "parents",
    )

    def __init__(self, details: Details) -> None:
        self.details = details
        # "Baby Smith" before the baby is named: no first name at all.
        first_tokens = tuple(
            word for word in names.tokens(details.first_name) if not names.is_placeholder(word)
        )
        self.first: str = first_tokens[0] if first_tokens else ""
        # Every given name held: first, middle and known-as.
        self.given: tuple[str, ...] = tuple(
            dict.fromkeys(first_tokens + names.tokens(details.other_names))
        )
        self.last_parts: tuple[str, ...] = names.surname_parts(details.last_name)
        self.last = "".join(self.last_parts)
        self.dob = details.date_of_birth
        self.dob_digits = (
            f"{self.dob.year:04d}{self.dob.month:02d}{self.dob.day:02d}" if self.dob else ""
        )
        self.sex = normalise_sex(details.sex)
        self.postcode = compact_postcode(details.postcode)
        # The outward code (before the space): a family moving across town
        # usually keeps it.
        self.district = (
            self.postcode[:-3]
            if len(self.postcode) >= 5
            else compact_postcode(details.postcode_district)
        )
        nhs = digits(details.nhs_number)
        self.nhs = nhs if len(nhs) == 10 else ""
        upn = compact_postcode(details.upn)
        self.upn = upn if len(upn) == 13 else ""
        mistyped_nhs = digits(details.mistyped_nhs_number)
        self.mistyped_nhs = mistyped_nhs if len(mistyped_nhs) == 10 else ""
        mistyped_upn = compact_postcode(details.mistyped_upn)
        self.mistyped_upn = mistyped_upn if len(mistyped_upn) == 13 else ""
        self.parents: tuple[str, ...] = names.tokens(details.parent_name)
