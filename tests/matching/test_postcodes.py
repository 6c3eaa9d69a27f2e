"""Reading a list's postcode, mistakes and all (matching.postcodes)."""

import pytest

from matching.details import Details
from matching.postcodes import PostcodeReading, read_postcode
from matching.scoring import score


@pytest.mark.parametrize(
    "typed, reading",
    [
        ("B21 9SW", PostcodeReading("B21 9SW")),
        ("b219sw", PostcodeReading("B21 9SW")),
        ("B2I 9SW", PostcodeReading("B21 9SW", note="postcode B2I 9SW read as B21 9SW")),
        ("SWIA IAA", PostcodeReading("SW1A 1AA", note="postcode SWIA IAA read as SW1A 1AA")),
        ("NM1.2AB", PostcodeReading("NM1 2AB", note="postcode NM1.2AB read as NM1 2AB")),
        (
            "B21 9S",
            PostcodeReading(
                district="B21",
                note="postcode B21 9S is not a full postcode: only its district B21 used",
            ),
        ),
        (
            "NOT A POSTCODE",
            PostcodeReading(note="postcode NOT A POSTCODE ignored: it is not a UK postcode"),
        ),
        ("", PostcodeReading()),
    ],
)
def test_a_typed_postcode_is_read_as_far_as_it_can_be(typed, reading):
    assert read_postcode(typed) == reading


def test_a_district_alone_is_weaker_evidence_than_the_same_postcode():
    held = Details("Ada", "Quillfeather", postcode="B21 9SW").prepared()
    full = score(Details("Ada", "Quillfeather", postcode="B21 9SW").prepared(), held)
    district = score(Details("Ada", "Quillfeather", postcode_district="B21").prepared(), held)
    nothing = score(Details("Ada", "Quillfeather").prepared(), held)
    assert full.score >= 0.9 > district.score > nothing.score
    assert "same postcode district" in district.reasons
