"""The meeting invitation as an RFC 5545 file, written by hand."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from meetings import calendar
from tests.journey_factories import InviteeFactory, MeetingFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def meeting(at_meeting, involved, settings):
    settings.DEFAULT_FROM_EMAIL = "Early Help <early-help@testshire.example>"
    involved.full_name = "Jo Bloggs, SENCO"
    involved.save()
    return MeetingFactory(
        episode=at_meeting,
        arranged_by=involved,
        # 9:30 in summer (BST) is 8:30 in UTC.
        starts_at=datetime.datetime(2025, 6, 12, 9, 30, tzinfo=LONDON),
        duration_minutes=90,
        location="Testshire Primary, Room 2; use the side gate",
    )


def test_the_invitation_file_line_by_line(meeting):
    reference = meeting.episode.reference
    now = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)

    text = calendar.meeting_ics(meeting, now=now)

    description = f"DESCRIPTION:Early Help case {reference}. Sign in to Early Help to see the case."
    assert text.split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Early Help//Team Around the Family meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@testshire.example",
        "DTSTAMP:20250601T120000Z",
        "DTSTART:20250612T083000Z",
        "DTEND:20250612T100000Z",
        f"SUMMARY:Team Around the Family – {reference}",
        "LOCATION:Testshire Primary\\, Room 2\\; use the side gate",
        'ORGANIZER;CN="Jo Bloggs, SENCO":mailto:involved@test.example',
        description[:75],
        " " + description[75:],
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_the_summary_never_names_the_family(meeting):
    text = calendar.meeting_ics(meeting)
    assert (meeting.episode.family.name in text, "Testfamily" in text) == (False, False)


def test_the_meeting_name_follows_the_councils_setting(meeting):
    la = meeting.episode.local_authority
    la.meeting_name = "cam"
    la.save()
    meeting.episode.refresh_from_db()

    lines = calendar.meeting_ics(meeting).split("\r\n")

    assert f"SUMMARY:Child Action Meeting – {meeting.episode.reference}" in lines


def test_a_request_lists_the_professionals_invited(meeting, colleague):
    InviteeFactory(meeting=meeting, user=colleague)
    text = calendar.meeting_ics(meeting, method="REQUEST", attendees=[colleague])
    unfolded = text.replace("\r\n ", "").split("\r\n")

    assert [line for line in unfolded if line.startswith(("METHOD", "ATTENDEE"))] == [
        "METHOD:REQUEST",
        "ATTENDEE;CN=Casey Colleague;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:"
        "mailto:colleague@test.example",
    ]


def test_every_line_is_at_most_75_octets_and_ends_in_crlf(meeting):
    meeting.location = "Ystafell Gyfarfod – Canolfan Deuluoedd ✓ " * 5
    text = calendar.meeting_ics(meeting)

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode("utf-8")) for line in text.split("\r\n")) == 75


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("a,b;c", "a\\,b\\;c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("windows\r\nlines", "windows\\nlines"),
    ],
)
def test_text_is_escaped(value, escaped):
    assert calendar.escape_text(value) == escaped


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 60  # 8 + 120 octets

    folded = calendar.fold(line)

    parts = folded.split("\r\n")
    assert [len(part.encode("utf-8")) for part in parts] == [74, 55]
    assert "".join(part.removeprefix(" ") for part in parts) == line


def test_a_short_line_is_not_folded():
    assert calendar.fold("VERSION:2.0") == "VERSION:2.0"


def test_parameter_values_lose_quotes_and_are_quoted_when_needed():
    assert (calendar.param_value('Sam "Jo" Lee'), calendar.param_value("A; B")) == (
        "Sam Jo Lee",
        '"A; B"',
    )
