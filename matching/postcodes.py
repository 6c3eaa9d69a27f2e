"""Reading a postcode as typed on a list, mistakes and all.

A list's postcode is often nearly right: a letter typed for a digit that
looks like it (B2I 9SW for B21 9SW), no space, lower case, a stray full
stop. Where one reading alone is a valid postcode it is used, and the list
is told how it was read. Where the full postcode cannot be read but its
outward code (the district, before the space) can, only the district is
used: that is weak evidence, and never counts as the same address."""

import re
from dataclasses import dataclass
from itertools import product

from core.validators import POSTCODE_PATTERN

OUTWARD_PATTERN = re.compile(
    r"^(GIR|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y]))$"
)
# Characters typed for one another because they look alike.
LOOKALIKES = {
    "O": "0",
    "0": "O",
    "I": "1",
    "L": "1",
    "1": "IL",
    "S": "5",
    "5": "S",
    "Z": "2",
    "2": "Z",
    "B": "8",
    "8": "B",
}


@dataclass(frozen=True)
class PostcodeReading:
    postcode: str = ""  # the full postcode, "AA1 1AA", if it could be read
    district: str = ""  # only the outward code, when the full postcode could not be read
    note: str = ""  # how it was read, for the person who sent the list; "" if as typed

    @property
    def corrected(self):
        return bool(self.postcode and self.note)


def _spaced(compact):
    return f"{compact[:-3]} {compact[-3:]}"


def _lookalike_readings(compact, pattern):
    """The valid readings of compact with the fewest look-alike characters
    changed (at most three), or ()."""
    options = [(char, *LOOKALIKES.get(char, "")) for char in compact]
    changeable = sum(len(o) > 1 for o in options)
    if changeable > 8:
        return ()
    best, readings = None, set()
    for chosen in product(*options):
        text = "".join(chosen)
        if not pattern.fullmatch(text):
            continue
        changes = sum(a != b for a, b in zip(text, compact, strict=True))
        if changes > 3 or (best is not None and changes > best):
            continue
        if best is None or changes < best:
            best, readings = changes, set()
        readings.add(text)
    return tuple(sorted(readings))


def _outward(text, compact):
    """The outward code the typist meant, if it alone can be read."""
    parts = re.findall(r"[A-Z0-9]+", text)
    if len(parts) > 2 or len(compact) > 8:
        return ""  # words, not a postcode
    if len(parts) == 2:
        outward = parts[0]
    elif 2 <= len(compact) <= 4:
        outward = compact  # only the district was given
    elif len(compact) >= 5:
        outward = compact[:-3]
    else:
        return ""
    readings = _lookalike_readings(outward, OUTWARD_PATTERN)
    return readings[0] if len(readings) == 1 else ""


def read_postcode(typed):
    """How a typed postcode counts as evidence: a PostcodeReading."""
    text = (typed or "").strip().upper()
    if not text:
        return PostcodeReading()
    compact = re.sub(r"\s", "", text)
    if POSTCODE_PATTERN.fullmatch(compact):
        return PostcodeReading(_spaced(compact))
    shown = (typed or "").strip()
    compact = re.sub(r"[^A-Z0-9]", "", text)
    readings = _lookalike_readings(compact, POSTCODE_PATTERN) if compact else ()
    if len(readings) == 1:
        postcode = _spaced(readings[0])
        return PostcodeReading(postcode, note=f"postcode {shown} read as {postcode}")
    districts = {reading[:-3] for reading in readings}
    district = districts.pop() if len(districts) == 1 else _outward(text, compact)
    if district:
        return PostcodeReading(
            district=district,
            note=f"postcode {shown} is not a full postcode: only its district {district} used",
        )
    return PostcodeReading(note=f"postcode {shown} ignored: it is not a UK postcode")


def suggestion(typed):
    """The postcode the typist probably meant, or ""; for a message."""
    reading = read_postcode(typed)
    return reading.postcode if reading.corrected else ""
