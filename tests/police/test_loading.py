"""Loading police notifications from a file: grouped by reference, matched,
refused rows explained, and loading twice adds nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from police.models import PoliceNotification

HEADER = [
    "police_reference",
    "incident_date",
    "incident_time",
    "incident_type",
    "circumstances",
    "school_urn",
    "present",
    "first_name",
    "last_name",
    "date_of_birth",
    "postcode",
    "nhs_number",
]


def _file(tmp_path, rows):
    path = tmp_path / "police.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _run(path, la):
    out = io.StringIO()
    call_command("load_police_notifications", str(path), "--la", la.slug, stdout=out)
    return out.getvalue()


@pytest.fixture
def rows(school, child):
    school.school_urn = "999123"
    school.save()
    dob = child.date_of_birth.isoformat()
    return [
        [
            "POL-10",
            "2026-01-05",
            "21:30",
            "domestic_abuse",
            "Police attended.",
            "999123",
            "Y",
            child.first_name,
            child.last_name,
            dob,
            "",
            "",
        ],
        [
            "POL-10",
            "2026-01-05",
            "21:30",
            "domestic_abuse",
            "Police attended.",
            "999123",
            "N",
            "Sibling",
            child.last_name,
            "2019-02-03",
            "",
            "",
        ],
        [
            "POL-11",
            "05/01/2026",
            "7.15",
            "Missing child",
            "",
            "",
            "yes",
            "Lost",
            "Person",
            "",
            "",
            "",
        ],
        ["POL-12", "2026-01-05", "25:00", "other", "", "", "Y", "Bad", "Time", "", "", ""],
        ["POL-13", "2026-01-05", "10:00", "other", "", "000000", "Y", "Bad", "School", "", "", ""],
    ]


def test_a_file_is_recorded_by_reference_and_a_second_load_adds_nothing(
    tmp_path, la, episode, child, rows
):
    path = _file(tmp_path, rows)

    first = _run(path, la)

    assert "2 notifications recorded (3 children), 0 already recorded, 2 rows refused" in first
    notification = PoliceNotification.objects.get(police_reference="POL-10")
    assert [(c.first_name, c.present, c.person_id) for c in notification.children.all()] == [
        (child.first_name, True, child.pk),
        ("Sibling", False, None),
    ]
    assert notification.episode == episode
    assert PoliceNotification.objects.get(police_reference="POL-11").kind == "missing_child"

    errors = (tmp_path / "police.errors.csv").read_text()
    assert "24-hour clock" in errors and "no school of" in errors

    second = _run(path, la)
    assert "0 notifications recorded (0 children), 2 already recorded, 2 rows refused" in second
    assert PoliceNotification.objects.count() == 2


def test_rows_of_one_reference_that_disagree_are_refused_together(tmp_path, la, rows):
    rows[1][2] = "22:00"
    path = _file(tmp_path, rows[:2])

    assert "0 notifications recorded" in _run(path, la)
    assert "different incident dates" in (tmp_path / "police.errors.csv").read_text()


def test_a_file_without_the_columns_says_which(tmp_path, la):
    path = tmp_path / "police.csv"
    path.write_text("first_name,last_name\nA,B\n")

    with pytest.raises(CommandError, match="no column police_reference"):
        _run(path, la)
