"""The meeting invitation as an RFC 5545 file, read back with icalendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

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


def parse(text):
    return Calendar.from_ical(text)


def the_event(text):
    (event,) = parse(text).walk("VEVENT")
    return event


def test_the_invitation_file(meeting):
    reference = meeting.episode.reference
    now = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)

    text = calendar.meeting_ics(meeting, now=now)

    cal = parse(text)
    event = the_event(text)
    assert (str(cal["VERSION"]), str(cal["PRODID"]), str(cal["METHOD"])) == (
        "2.0",
        "-//Early Help//Team Around the Family meetings//EN",
        "PUBLISH",
    )
    assert {name: str(event[name]) for name in ("UID", "SUMMARY", "LOCATION", "STATUS")} == {
        "UID": f"meeting-{meeting.pk}@testshire.example",
        "SUMMARY": f"Team Around the Family – {reference}",
        "LOCATION": "Testshire Primary, Room 2; use the side gate",
        "STATUS": "CONFIRMED",
    }
    assert (event.decoded("DTSTART"), event.decoded("DTEND"), event.decoded("DTSTAMP")) == (
        datetime.datetime(2025, 6, 12, 8, 30, tzinfo=datetime.UTC),
        datetime.datetime(2025, 6, 12, 10, 0, tzinfo=datetime.UTC),
        now,
    )
    # UTC on the wire: no calendar has to guess the zone.
    assert "DTSTART:20250612T083000Z" in text.split("\r\n")
    assert (str(event["ORGANIZER"]), str(event["ORGANIZER"].params["CN"])) == (
        "mailto:involved@test.example",
        "Jo Bloggs, SENCO",
    )
    assert (event.decoded("SEQUENCE"), str(event["DESCRIPTION"])) == (
        0,
        f"Early Help case {reference}. Sign in to Early Help to see the case.",
    )


def test_the_summary_never_names_the_family(meeting):
    text = calendar.meeting_ics(meeting)
    assert (meeting.episode.family.name in text, "Testfamily" in text) == (False, False)


def test_the_meeting_name_follows_the_councils_setting(meeting):
    la = meeting.episode.local_authority
    la.meeting_name = "cam"
    la.save()
    meeting.episode.refresh_from_db()

    event = the_event(calendar.meeting_ics(meeting))

    assert str(event["SUMMARY"]) == f"Child Action Meeting – {meeting.episode.reference}"


def test_a_request_lists_the_professionals_invited(meeting, colleague):
    InviteeFactory(meeting=meeting, user=colleague)
    text = calendar.meeting_ics(meeting, method="REQUEST", attendees=[colleague])

    attendee = the_event(text)["ATTENDEE"]
    assert (str(parse(text)["METHOD"]), str(attendee), dict(attendee.params)) == (
        "REQUEST",
        "mailto:colleague@test.example",
        {
            "CN": "Casey Colleague",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
        },
    )


def test_every_line_is_at_most_75_octets_and_ends_in_crlf(meeting):
    meeting.location = "Ystafell Gyfarfod – Canolfan Deuluoedd ✓ " * 5
    text = calendar.meeting_ics(meeting)

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode("utf-8")) for line in text.split("\r\n")) <= 75
    assert str(the_event(text)["LOCATION"]) == meeting.location


@pytest.mark.parametrize("location", ["a,b;c", "back\\slash", "two\nlines", 'Sam "Jo" Lee'])
def test_text_comes_back_as_written(meeting, location):
    meeting.location = location
    assert str(the_event(calendar.meeting_ics(meeting))["LOCATION"]) == location


def test_a_cancelled_meeting_says_so(meeting):
    meeting.cancelled_at = datetime.datetime(2025, 6, 2, tzinfo=datetime.UTC)
    meeting.sequence = 2

    text = calendar.meeting_ics(meeting, method="CANCEL")

    event = the_event(text)
    assert (str(parse(text)["METHOD"]), str(event["STATUS"]), event.decoded("SEQUENCE")) == (
        "CANCEL",
        "CANCELLED",
        2,
    )
