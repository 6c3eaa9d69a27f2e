"""Rows of people from a CSV list (a legacy system's export, a school's list,
police notifications), checked one by one.

Importing (person_details) refuses a row with any value it cannot store,
naming the column to fix and how. Matching (query_details) leaves a wrong
value out and checks the row on the rest, with a warning naming what was
left out: a child on a police list is never unchecked for one mistyped digit."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from core.validators import normalise_nhs_number, normalise_postcode, normalise_upn

from . import postcodes
from .details import Details, normalise_sex

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

    from _typeshed import StrPath

PERSON_COLUMNS = (
    "external_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "upn",
    "parent_name",
)
# Dates as lists write them: day before month, as in the UK. A two-digit
# year is refused, because a child's century cannot be guessed.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
)
DATE_FIX = "write it as YYYY-MM-DD or DD/MM/YYYY, like 2015-03-04"
# A spreadsheet's date with a midnight time: 2015-03-04 00:00:00.
_MIDNIGHT = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(:00(\.0+)?)?$")


class RowError(ValueError):
    """A row that cannot be used; column names the field to fix, if one is to blame."""

    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Problem:
    """One value in a row that cannot be used as it is."""

    column: str  # the CSV column, as the file names it
    label: str  # what it is, in words: "NHS number"
    text: str  # the value as typed ("" when it is missing)
    why: str  # what is wrong with it: "its check digit is wrong"
    fix: str  # what a valid value looks like, or what to do
    shown: str = ""  # the value written the usual way, for a warning (999 111 1115)

    def warning(self) -> str:
        """For a list being matched: the value was left out of the match."""
        return f"{self.label} {self.shown or self.text} ignored: {self.why}"

    def refusal(self) -> str:
        """For a file being imported: which field to fix, and how."""
        if not self.text:
            return f"column {self.column}: {self.label} is missing. To fix it: {self.fix}"
        return (
            f"column {self.column}, {self.label} '{self.text}': {self.why}. To fix it: {self.fix}"
        )

    def error(self) -> RowError:
        return RowError(self.refusal(), column=self.column)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str | None]  # the row as read, for the error file

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_rows(path: StrPath, required: Sequence[str]) -> Iterator[Row]:
    """Yield Row objects from a CSV file with a header row; columns in any
    order, extra ones ignored. Raises ValueError naming missing columns."""
    handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115  (closed below)
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [name for name in required if name not in header]
        if missing:
            raise ValueError(
                f"{path} has no column {', '.join(missing)}. The first row must name the "
                f"columns, for example: {','.join(required)}"
            )
        for values in reader:
            yield Row(line=reader.line_num, values=values)


def parse_date(text: str) -> date | None:
    """The date written, or None if it is not one."""
    midnight = _MIDNIGHT.match(text)
    text = midnight.group(1) if midnight else text
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a date, no time)
        except ValueError:
            continue
    return None


def _date_problem(text: str, why: str, fix: str = DATE_FIX) -> Problem:
    return Problem("date_of_birth", "date of birth", text, why, fix)


def _date_of_birth(row: Row, today: date) -> tuple[date | None, Problem | None]:
    """(date or None, Problem or None)."""
    text = row.get("date_of_birth")
    if not text:
        return None, None
    day = parse_date(text)
    if day is None:
        if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", text):
            return None, _date_problem(text, "its year has two digits", DATE_FIX)
        return None, _date_problem(text, "it is not a date", DATE_FIX)
    if day > today:
        return None, _date_problem(
            text, "it is in the future", "give the date the person was born, or leave it blank"
        )
    if day.year < 1900:
        return None, _date_problem(text, "it is before 1900", "check the year")
    return day, None


# A list's date with the parts in an order import refuses (matching only):
# day, month and year as numbers, any of / . - between them.
_NUMBER_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


def _loose_date(text: str, today: date) -> date | None:
    """A date written in a way import refuses but only one reading makes a
    birth date of: month first where the day is over 12 (a spreadsheet set
    up in the American way, 10/21/2014), and a two-digit year taken as the
    latest year not in the future (04/03/15 is 2015: someone born in 1915
    would be over a hundred, and nobody is born in the future). Day first
    wins when both readings are dates, as lists in the UK write them, and
    a day and month written the wrong way round is a mistake the scoring
    already weighs."""
    found = _NUMBER_DATE.match(text)
    if not found:
        return None
    first, second, year_text = found.groups()
    year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
    if len(year_text) == 2 and year > today.year:
        year -= 100
    for day, month in ((first, second), (second, first)):
        try:
            return date(year, int(month), int(day))
        except ValueError:
            continue
    return None


def _query_date_of_birth(row: Row, today: date) -> tuple[date | None, str]:
    """For a list being matched: (date or None, warning or ""). A date in
    an order import refuses is read where only one reading makes sense, and
    the warning says how it was read, so the person who sent the list can
    check it."""
    day, problem = _date_of_birth(row, today)
    if problem is None:
        return day, ""
    loose = _loose_date(problem.text, today)
    if loose is not None and date(1900, 1, 1) <= loose <= today:
        return loose, f"date of birth {problem.text} read as {loose:%d %B %Y}"
    return None, problem.warning()


def _mistyped(problem: Problem | None, why: str) -> str:
    """The value as typed when only its check digit or letter gives it away:
    left out as an identifier, kept as evidence (one slip from a held
    number is the same number mistyped)."""
    return problem.text if problem is not None and problem.why == why else ""


def _spaced_nhs_number(text: str) -> str:
    digits_only = re.sub(r"\D", "", text)
    if len(digits_only) == 10:
        return f"{digits_only[:3]} {digits_only[3:6]} {digits_only[6:]}"
    return text


def _nhs_number(row: Row) -> tuple[str, Problem | None]:
    text = row.get("nhs_number")
    if not text:
        return "", None
    try:
        return normalise_nhs_number(text), None
    except ValidationError as error:
        fix = (
            "check each digit against the source: an NHS number is 10 digits, the last "
            "worked out from the others, like 999 111 1115. Or leave it blank"
        )
        if error.code == "nhs_check_digit":
            why = "its check digit is wrong"
        else:
            why = f"it has {len(re.sub(r'[^0-9]', '', text))} digits, not 10"
            if re.search(r"[^0-9\s-]", text):
                why = "it is not 10 digits"
        return "", Problem("nhs_number", "NHS number", text, why, fix, _spaced_nhs_number(text))


def _upn(row: Row) -> tuple[str, Problem | None]:
    text = row.get("upn")
    if not text:
        return "", None
    try:
        return normalise_upn(text), None
    except ValidationError as error:
        fix = (
            "check it against the school's records; a UPN is a check letter, 11 digits, then "
            "a digit or letter, like A123456789012. Or leave it blank"
        )
        if error.code == "upn_check_letter":
            why = "its check letter is wrong"
        else:
            why = "it is not a letter, 11 digits and a digit or letter (13 characters)"
        return "", Problem("upn", "UPN", text, why, fix)


def _postcode_problem(text: str) -> Problem:
    fix = "write a full UK postcode, like NM1 2AB, or leave it blank"
    meant = postcodes.suggestion(text)
    if meant:
        fix = f"if it is {meant}, write that; " + fix
    return Problem("postcode", "postcode", text, "it is not a UK postcode", fix)


def _stored_postcode(row: Row) -> tuple[str, Problem | None]:
    text = row.get("postcode")
    if not text:
        return "", None
    try:
        return normalise_postcode(text), None
    except ValidationError:
        return "", _postcode_problem(text)


def _sex(row: Row) -> tuple[str, Problem | None]:
    text = row.get("sex")
    sex = normalise_sex(text)
    if text and not sex and text.upper() not in {"U", "X", "0", "9", "UNKNOWN"}:
        return "", Problem(
            "sex", "sex", text, "it is not M or F", "write M or F, or leave it blank if not known"
        )
    return sex, None


def _name(row: Row, column: str, label: str, required: bool) -> tuple[str, Problem | None]:
    text = re.sub(r"\s+", " ", row.get(column))
    if required and not text:
        return "", Problem(column, label, "", "it is missing", f"give the person's {label}")
    if len(text) > 100:
        return "", Problem(
            column,
            label,
            text[:20] + "...",
            "it is longer than 100 characters",
            "check the columns are not shifted; a name has at most 100 characters",
        )
    return text, None


def person_details(row: Row, *, today: date | None = None, names_required: bool = True) -> Details:
    """The row's Details as they are to be stored, or RowError naming the
    first field to fix, and how."""
    today = today or date.today()  # noqa: DTZ011  (a calendar day, not a moment)
    # Each field's value has its own type (a name, a date), as Details takes it.
    read: dict[str, tuple[Any, Problem | None]] = {
        "first_name": _name(row, "first_name", "first name", names_required),
        "last_name": _name(row, "last_name", "last name", names_required),
        "date_of_birth": _date_of_birth(row, today),
        "sex": _sex(row),
        "postcode": _stored_postcode(row),
        "nhs_number": _nhs_number(row),
        "upn": _upn(row),
    }
    for _value, problem in read.values():
        if problem:
            raise problem.error()
    return Details(
        **{field: value for field, (value, _problem) in read.items()},
        parent_name=row.get("parent_name")[:200],
    )


@dataclass(frozen=True)
class QueryDetails:
    """A list row read for matching: what can be used, and what was left out."""

    details: Details
    warnings: tuple[str, ...]  # one sentence for each value ignored or read another way


def query_details(row: Row, *, today: date | None = None) -> QueryDetails:
    """The row's Details for a match, leaving out any value that is wrong
    (each one named in warnings), so the row is still checked on the rest.
    RowError only when nothing is left to match on."""
    today = today or date.today()  # noqa: DTZ011  (a calendar day, not a moment)
    # Each field's value has its own type (a name, a date), as Details takes it.
    read: dict[str, tuple[Any, Problem | None]] = {
        "first_name": _name(row, "first_name", "first name", False),
        "last_name": _name(row, "last_name", "last name", False),
        "sex": _sex(row),
        "nhs_number": _nhs_number(row),
        "upn": _upn(row),
    }
    born, born_warning = _query_date_of_birth(row, today)
    warnings = [problem.warning() for _value, problem in read.values() if problem]
    if born_warning:
        # In the order of the columns: after the names, before sex.
        names_warned = sum(1 for f in ("first_name", "last_name") if read[f][1])
        warnings.insert(names_warned, born_warning)
    postcode = postcodes.read_postcode(row.get("postcode"))
    if postcode.note:
        warnings.append(postcode.note)
    values = {field: value for field, (value, _problem) in read.items()}
    details = Details(
        **values,
        date_of_birth=born,
        mistyped_nhs_number=_mistyped(read["nhs_number"][1], "its check digit is wrong"),
        mistyped_upn=_mistyped(read["upn"][1], "its check letter is wrong"),
        postcode=postcode.postcode,
        postcode_district=postcode.district,
        parent_name=row.get("parent_name")[:200],
    )
    if not any(values[f] for f in ("first_name", "last_name", "nhs_number", "upn")):
        reason = "nothing to match on: the row needs a name, an NHS number or a UPN"
        if warnings:
            reason += " (" + "; ".join(warnings) + ")"
        raise RowError(reason)
    return QueryDetails(details, tuple(warnings))


class ErrorFile:
    """The rows refused, each with its line number and reason, as CSV; the
    first few are kept to show on screen too."""

    SHOWN = 5

    def __init__(self, path: StrPath, columns: Iterable[str]) -> None:
        self.path = path
        self.columns = list(columns)
        self.count = 0
        self.first: list[str] = []  # "line 7: reason" for the first SHOWN refused rows
        self._handle: IO[str] | None = None
        self._writer: CsvWriter | None = None

    def add(self, row: Row, reason: str) -> None:
        if self._writer is None:
            # Opened at the first refused row: a clean file leaves no error file.
            self._handle = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["line", "reason", *self.columns])
        self._writer.writerow([row.line, reason, *(row.get(c) for c in self.columns)])
        self.count += 1
        if len(self.first) < self.SHOWN:
            self.first.append(f"line {row.line}: {reason}")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
