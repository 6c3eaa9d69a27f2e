"""Ofsted's Annex A (inspection of local authority children's services): the
one place for List 2's sheet name, its header strings and the coded forms of
gender and ethnicity, mapped from the census codes we store (core.codes).

The lettered forms are those of the Annex A template that liiatools 0.2.0 (the
package councils clean Annex A files with) accepts: its List 2 configuration
(spec/annex_a/data-map.yml) letters both "refused" and "not yet obtained" as
`s)`. Later Annex A templates letter NOBT `t)`; liiatools 0.2.0 blanks a
`t) NOBT` as a formatting error, so we write `s) NOBT` until the councils'
cleaning moves on (tests/returns/test_liiatools.py runs it on our export).
"""

from __future__ import annotations

from typing import Final

from core.codes import Ethnicity, Gender

SHEET: Final = "List 2"

CHILD_ID: Final = "Child Unique ID"
GENDER: Final = "Gender"
ETHNICITY: Final = "Ethnicity"
DATE_OF_BIRTH: Final = "Date of Birth"
AGE: Final = "Age of Child (Years)"
ASSESSMENT_START: Final = "Assessment start date"
ASSESSMENT_COMPLETION: Final = "Assessment completion date"
ORGANISATION: Final = "Organisation completing assessment"

HEADER: Final = (
    CHILD_ID,
    GENDER,
    ETHNICITY,
    DATE_OF_BIRTH,
    AGE,
    ASSESSMENT_START,
    ASSESSMENT_COMPLETION,
    ORGANISATION,
)
DATE_COLUMNS: Final = frozenset({DATE_OF_BIRTH, ASSESSMENT_START, ASSESSMENT_COMPLETION})
# How Annex A shows a date, as an Excel number format.
DATE_FORMAT: Final = "dd/mm/yyyy"

# Census gender (sex) code -> Annex A. The census's 0 is "not known or not
# recorded, including unborn"; its 9, "indeterminate" (neither male nor
# female), is Annex A's "Neither".
GENDER_CODES: Final[dict[str, str]] = {
    Gender.MALE: "a) Male",
    Gender.FEMALE: "b) Female",
    Gender.NOT_RECORDED: "c) Not stated/recorded",
    Gender.INDETERMINATE: "d) Neither",
}
GENDER_NOT_RECORDED: Final = GENDER_CODES[Gender.NOT_RECORDED]

# Census ethnicity code -> Annex A, in the census order Annex A letters them.
ETHNICITY_CODES: Final[dict[str, str]] = {
    Ethnicity.WBRI: "a) WBRI",
    Ethnicity.WIRI: "b) WIRI",
    Ethnicity.WIRT: "c) WIRT",
    Ethnicity.WOTH: "d) WOTH",
    Ethnicity.WROM: "e) WROM",
    Ethnicity.MWBC: "f) MWBC",
    Ethnicity.MWBA: "g) MWBA",
    Ethnicity.MWAS: "h) MWAS",
    Ethnicity.MOTH: "i) MOTH",
    Ethnicity.AIND: "j) AIND",
    Ethnicity.APKN: "k) APKN",
    Ethnicity.ABAN: "l) ABAN",
    Ethnicity.AOTH: "m) AOTH",
    Ethnicity.BCRB: "n) BCRB",
    Ethnicity.BAFR: "o) BAFR",
    Ethnicity.BOTH: "p) BOTH",
    Ethnicity.CHNE: "q) CHNE",
    Ethnicity.OOTH: "r) OOTH",
    Ethnicity.REFU: "s) REFU",
    Ethnicity.NOBT: "s) NOBT",
}
ETHNICITY_NOT_OBTAINED: Final = ETHNICITY_CODES[Ethnicity.NOBT]


def gender(code: str, *, unborn: bool = False) -> str:
    """Annex A's gender for a census code. An unborn child's is "not
    stated/recorded", as the census records them (0); so is anything unknown."""
    if unborn:
        return GENDER_NOT_RECORDED
    return GENDER_CODES.get(code, GENDER_NOT_RECORDED)


def ethnicity(code: str) -> str:
    """Annex A's ethnicity for a census code. A family's refusal stays
    "REFU"; no value, or one withheld by a restriction, is "NOBT" (not
    obtained for this return), never a guess. The column may not be blank."""
    return ETHNICITY_CODES.get(code, ETHNICITY_NOT_OBTAINED)
