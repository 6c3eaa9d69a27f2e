"""Demo examples of person matching: a few children of the demo families
arrive again from a legacy system's list, written as such lists write them
(a short form, a misspelt surname, day and month swapped, no NHS number), so
that the Early Help Officers have possible duplicates to compare, merge or
set aside. Made through the real import and duplicate-finding functions."""

import csv
import tempfile
from datetime import date
from pathlib import Path

from matching.duplicates import find_duplicates
from matching.importing import import_people
from matching.rows import PERSON_COLUMNS
from people.models import Person, Relationship

# How each copied child's details are written in the legacy list.
_SHORT_FORMS = {"william": "Will", "katherine": "Kate", "mohammed": "Muhammad"}


def _first_name(child):
    return _SHORT_FORMS.get(child.first_name.casefold(), child.first_name)


def _surname(child, index):
    # Every other copy carries a typing slip: two letters swapped.
    name = child.last_name
    if index % 2 and len(name) > 3:
        return name[:1] + name[2] + name[1] + name[3:]
    return name


def _born(child, index):
    day = child.date_of_birth
    if index % 3 == 2 and day.day <= 12 and day.day != day.month:
        return date(day.year, day.day, day.month)  # written the American way
    return day


def _legacy_row(child, index):
    return {
        "external_id": f"LEGACY-{child.pk:05d}",
        "first_name": _first_name(child),
        "last_name": _surname(child, index),
        "date_of_birth": _born(child, index).isoformat(),
        "sex": child.sex,
        "postcode": child.postcode,
        "nhs_number": "",
        "upn": "",
        "parent_name": "",
    }


def add_examples(la, count=4):
    """Import `count` legacy copies of the council's children, then queue
    the likely duplicates for review. Returns the DuplicateSummary."""
    children = (
        Person.objects.filter(
            local_authority=la,
            family_memberships__relationship=Relationship.CHILD,
            date_of_birth__isnull=False,
        )
        .distinct()
        .order_by("pk")[:count]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "legacy-list.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=PERSON_COLUMNS)
            writer.writeheader()
            writer.writerows(_legacy_row(child, index) for index, child in enumerate(children))
        import_people(la, path, errors_path=Path(folder) / "refused.csv")
    return find_duplicates(la, actor_label="demo data")
