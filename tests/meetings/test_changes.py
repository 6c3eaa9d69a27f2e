"""Moving and cancelling a meeting: invitees are told and calendars update
(same UID, higher SEQUENCE); a cancelled or unrecorded past meeting is never
the next one."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEvent
from core.forms import error_list
from episodes.services import transition
from meetings import services
from notifications.models import Notification
from tests.journey import render_case_section
from tests.journey_factories import InviteeFactory, MeetingFactory

SOON = datetime.timedelta(days=3)


@pytest.fixture
def upcoming(at_meeting, involved, colleague, child):
    meeting = MeetingFactory(
        episode=at_meeting, arranged_by=involved, starts_at=timezone.now() + SOON
    )
    InviteeFactory(meeting=meeting, person=child)
    school = at_meeting.requesting_organisation
    InviteeFactory(meeting=meeting, user=involved, organisation=school)
    InviteeFactory(meeting=meeting, user=colleague, organisation=school)
    return meeting


def calendar_mails():
    """The emails carrying a calendar file (updates are also emailed, without one)."""
    return [m for m in mail.outbox if "text/calendar" in m.message().as_string()]


def calendar_of(message):
    attachment = message.message().get_payload()[1]
    (event,) = Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    return attachment.get_param("method"), event


def invite_then(actor, meeting, change, capture):
    with capture(execute=True):
        services.email_invite(actor, meeting)
    with capture(execute=True):
        emailed = change()
    first, change = calendar_mails()
    return emailed, calendar_of(first), calendar_of(change)


def test_moving_a_meeting_updates_the_invitation_in_calendars(
    upcoming, involved, colleague, django_capture_on_commit_callbacks
):
    later = upcoming.starts_at.replace(microsecond=0) + datetime.timedelta(days=1)

    emailed, (_m, first), (method, update) = invite_then(
        involved,
        upcoming,
        lambda: services.reschedule_meeting(
            involved, upcoming, starts_at=later, location="Family hub", duration_minutes=90
        ),
        django_capture_on_commit_callbacks,
    )

    assert emailed == [involved, colleague]
    change = calendar_mails()[1]
    assert change.to == ["involved@test.example", "colleague@test.example"]
    assert "moved to" in change.subject
    assert (method, str(update["UID"]), str(update["STATUS"])) == (
        "REQUEST",
        str(first["UID"]),
        "CONFIRMED",
    )
    assert (first.decoded("SEQUENCE"), update.decoded("SEQUENCE")) == (0, 1)
    assert (update.decoded("DTSTART"), str(update["LOCATION"])) == (later, "Family hub")
    upcoming.refresh_from_db()
    assert (upcoming.starts_at, upcoming.location, upcoming.sequence) == (later, "Family hub", 1)
    assert [(n.user, n.message) for n in Notification.objects.all()] == [
        (colleague, "Team Around the Family meeting moved")
    ]


def test_cancelling_a_meeting_removes_it_from_calendars(
    upcoming, involved, colleague, django_capture_on_commit_callbacks
):
    emailed, (_m, first), (method, cancellation) = invite_then(
        involved,
        upcoming,
        lambda: services.cancel_meeting(involved, upcoming, reason="The family asked to move it"),
        django_capture_on_commit_callbacks,
    )

    assert emailed == [involved, colleague]
    change = calendar_mails()[1]
    assert "cancelled" in change.subject
    # Why stays in the service: it may say what the family said.
    assert "The family asked" not in change.subject + change.body
    payload = change.message().get_payload()[1].get_payload(decode=True).decode()
    assert "METHOD:CANCEL" in payload.split("\r\n")
    assert (method, str(cancellation["UID"]), str(cancellation["STATUS"])) == (
        "CANCEL",
        str(first["UID"]),
        "CANCELLED",
    )
    assert cancellation.decoded("SEQUENCE") > first.decoded("SEQUENCE")
    upcoming.refresh_from_db()
    assert (upcoming.is_cancelled, upcoming.cancellation_reason) == (
        True,
        "The family asked to move it",
    )
    event = AuditEvent.objects.filter(object_type="meetings.meeting").last()
    assert event.changes == {"fields": ["cancellation_reason", "cancelled_at", "sequence"]}


def test_a_cancellation_needs_a_reason_and_a_meeting_still_to_hold(upcoming, involved):
    with pytest.raises(ValidationError) as refused:
        services.cancel_meeting(involved, upcoming, reason="  ")
    assert refused.value.message_dict == {"reason": ["Say why the meeting is cancelled"]}

    upcoming.held = True
    upcoming.save()
    with pytest.raises(ValidationError) as refused:
        services.cancel_meeting(involved, upcoming, reason="Not needed")
    assert refused.value.messages == [
        "This meeting has been recorded as held, so it cannot be moved or cancelled"
    ]


def test_a_cancelled_meeting_cannot_be_recorded_or_its_invitation_sent(upcoming, involved):
    services.cancel_meeting(involved, upcoming, reason="Illness")
    upcoming.starts_at = timezone.now() - SOON
    upcoming.save()

    with pytest.raises(ValidationError) as refused:
        services.record_meeting(involved, upcoming, attendance={})
    assert refused.value.messages == ["This meeting was cancelled, so there is nothing to record"]
    with pytest.raises(ValidationError):
        services.email_invite(involved, upcoming)


def test_moving_or_cancelling_from_the_meeting_page(client_for, involved, upcoming):
    client = client_for(involved)
    base = f"/cases/{upcoming.episode_id}/meetings/{upcoming.pk}/"
    page = client.get(base).content.decode()
    assert (f'href="{base}move/"' in page, f'href="{base}cancel/"' in page) == (True, True)

    form = client.get(f"{base}move/").context["form"]
    assert form["location"].value() == upcoming.location
    new_date = timezone.localdate() + datetime.timedelta(days=10)
    moved = client.post(
        f"{base}move/",
        {
            "date-day": new_date.day,
            "date-month": new_date.month,
            "date-year": new_date.year,
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Family hub",
        },
    )
    assert (moved.status_code, moved["Location"]) == (302, base)
    upcoming.refresh_from_db()
    assert (timezone.localtime(upcoming.starts_at).date(), upcoming.sequence) == (new_date, 1)

    empty = client.post(f"{base}cancel/", {"reason": ""})
    assert error_list(empty.context["form"]) == [
        {"text": "Say why the meeting is cancelled", "href": "#id_reason"}
    ]
    cancelled = client.post(f"{base}cancel/", {"reason": "The family moved away"})
    assert cancelled.status_code == 302
    page = client.get(base).content.decode()
    assert "Cancelled" in page and "The family moved away" in page
    assert f'href="{base}move/"' not in page and f"{base}email/" not in page


def test_a_cancelled_meeting_is_never_next(at_meeting, involved, upcoming, client_for):
    services.cancel_meeting(involved, upcoming, reason="Illness")

    assert "None arranged" in render_case_section("meetings", at_meeting)
    listing = client_for(involved).get(f"/cases/{at_meeting.pk}/meetings/")
    assert listing.context["next_meeting"] is None
    assert ">Next<" not in listing.content.decode()


def test_a_past_meeting_never_recorded_is_not_next(at_meeting, involved, client_for):
    past = MeetingFactory(episode=at_meeting, arranged_by=involved)
    coming = MeetingFactory(
        episode=at_meeting, arranged_by=involved, starts_at=timezone.now() + SOON
    )

    listing = client_for(involved).get(f"/cases/{at_meeting.pk}/meetings/")

    assert listing.context["next_meeting"] == coming
    html = listing.content.decode()
    assert html.count(">Next<") == 1 and "Not yet recorded" in html
    past.delete()
    coming.delete()
    MeetingFactory(episode=at_meeting, arranged_by=involved)
    assert "None arranged" in render_case_section("meetings", at_meeting)


def test_a_closed_case_shows_no_next_meeting(at_meeting, involved, upcoming, client_for):
    transition(involved, at_meeting, "close", closure_reason="needs_met")

    assert "None arranged" in render_case_section("meetings", at_meeting)
    assert (
        client_for(involved).get(f"/cases/{at_meeting.pk}/meetings/").context["next_meeting"]
        is None
    )


def test_record_is_offered_only_once_the_meeting_has_started(client_for, involved, upcoming):
    client = client_for(involved)
    base = f"/cases/{upcoming.episode_id}/meetings/{upcoming.pk}/"

    page = client.get(base)
    record_page = client.get(f"{base}record/")

    assert page.context["can_record"] is False
    assert f'href="{base}record/"' not in page.content.decode()
    assert record_page.context["refusal"] == "You can record the meeting once it has started"
    assert "Save the record" not in record_page.content.decode()

    upcoming.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    upcoming.save()
    assert f'href="{base}record/"' in client.get(base).content.decode()


def test_record_is_not_offered_on_a_cancelled_meeting(client_for, involved, upcoming):
    services.cancel_meeting(involved, upcoming, reason="Illness")
    upcoming.starts_at = timezone.now() - SOON
    upcoming.save()
    base = f"/cases/{upcoming.episode_id}/meetings/{upcoming.pk}/"

    assert f'href="{base}record/"' not in client_for(involved).get(base).content.decode()
    assert f'{base}record/"' not in render_case_section("meetings", upcoming.episode)


def test_a_meeting_cannot_be_dated_before_the_request(client_for, involved, at_meeting, child):
    at_meeting.requested_at = timezone.now() - datetime.timedelta(days=30)
    at_meeting.save()
    before = timezone.localdate(at_meeting.requested_at) - datetime.timedelta(days=1)
    asked = timezone.localdate(at_meeting.requested_at)
    message = (
        "The meeting cannot be before help was asked for: enter a date on or after "
        f"{asked.day} {asked:%B %Y}"
    )

    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/meetings/new/",
        {
            "date-day": before.day,
            "date-month": before.month,
            "date-year": before.year,
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Family hub",
            "people": [child.pk],
        },
    )

    assert response.status_code == 200
    assert error_list(response.context["form"]) == [{"text": message, "href": "#id_date-day"}]
    assert at_meeting.meetings.count() == 0
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    with pytest.raises(ValidationError) as refused:
        services.reschedule_meeting(
            involved,
            meeting,
            starts_at=timezone.now() - datetime.timedelta(days=40),
            location="Family hub",
        )
    assert refused.value.message_dict == {"date": [message]}


def _reschedule_keeping_the_time_and_place(meeting, actor, **changes):
    return services.reschedule_meeting(
        actor,
        meeting,
        starts_at=meeting.starts_at,
        location=meeting.location,
        duration_minutes=meeting.duration_minutes,
        **changes,
    )


def test_a_change_that_changes_nothing_says_what_may_be_changed(upcoming, involved):
    with pytest.raises(ValidationError) as refused:
        _reschedule_keeping_the_time_and_place(upcoming, involved)
    assert refused.value.messages == [
        "Nothing has changed: enter the new date, time, length or place of the meeting, "
        "or change its interpreter"
    ]
    upcoming.refresh_from_db()
    assert upcoming.sequence == 0


def test_changing_only_the_interpreter_is_a_change(upcoming, involved):
    _reschedule_keeping_the_time_and_place(
        upcoming, involved, interpreter_language="pl", interpreter_booked=True
    )
    upcoming.refresh_from_db()
    assert (upcoming.interpreter_language, upcoming.interpreter_booked, upcoming.sequence) == (
        "pl",
        True,
        1,
    )
