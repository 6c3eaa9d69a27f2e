"""Rows of people from a CSV list (a legacy system's export, a school's list,
police notifications), checked one by one. A row with any problem is refused
whole, with a reason that says what to fix."""

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError

from core.validators import normalise_nhs_number, normalise_postcode, normalise_upn

from .details import Details, normalise_sex

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
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class RowError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    line: int
    values: dict  # the row as read, for the error file

    def get(self, column):
        return (self.values.get(column) or "").strip()


def read_rows(path, required):
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


def parse_date(text):
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a date, no time)
        except ValueError:
            continue
    raise RowError(f"date of birth '{text}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")


def _date_of_birth(row, today):
    text = row.get("date_of_birth")
    if not text:
        return None
    day = parse_date(text)
    if day > today:
        raise RowError(f"date of birth {text} is in the future")
    if day.year < 1900:
        raise RowError(f"date of birth {text} is before 1900")
    return day


def _normalised(row, column, normalise, label):
    text = row.get(column)
    if not text:
        return ""
    try:
        return normalise(text)
    except ValidationError as error:
        raise RowError(f"{label} '{text}': {error.messages[0]}") from error


def _sex(row):
    text = row.get("sex")
    sex = normalise_sex(text)
    if text and not sex and text.upper() not in {"U", "X", "0", "9", "UNKNOWN"}:
        raise RowError(f"sex '{text}' is not M or F (leave it blank if not known)")
    return sex


def _name(row, column, label, required):
    text = re.sub(r"\s+", " ", row.get(column))
    if required and not text:
        raise RowError(f"{label} is missing")
    if len(text) > 100:
        raise RowError(f"{label} is longer than 100 characters")
    return text


def person_details(row, *, today=None, names_required=True):
    """The row's Details, or RowError saying what is wrong with it."""
    today = today or date.today()  # noqa: DTZ011  (a calendar day, not a moment)
    return Details(
        first_name=_name(row, "first_name", "first name", names_required),
        last_name=_name(row, "last_name", "last name", names_required),
        date_of_birth=_date_of_birth(row, today),
        sex=_sex(row),
        postcode=_normalised(row, "postcode", normalise_postcode, "postcode"),
        nhs_number=_normalised(row, "nhs_number", normalise_nhs_number, "NHS number"),
        upn=_normalised(row, "upn", normalise_upn, "UPN"),
        parent_name=row.get("parent_name")[:200],
    )


class ErrorFile:
    """The rows refused, each with its line number and reason, as CSV."""

    def __init__(self, path, columns):
        self.path = path
        self.columns = list(columns)
        self.count = 0
        self._handle = None

    def add(self, row, reason):
        if self._handle is None:
            self._handle = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["line", "reason", *self.columns])
        self._writer.writerow([row.line, reason, *(row.get(c) for c in self.columns)])
        self.count += 1

    def close(self):
        if self._handle is not None:
            self._handle.close()
