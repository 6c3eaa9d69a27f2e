"""A meeting as an iCalendar file (RFC 5545), written with the icalendar
package: one VEVENT in one VCALENDAR, times in UTC.

Every file for one meeting carries the same UID; each change sent to
calendars (a new time or place, a cancellation) has a higher SEQUENCE, so a
calendar updates or removes its copy of the event instead of adding another.

The summary names the meeting and the case reference only, never the family:
calendars are shared and shown on lock screens (need-to-know, seed 003).
"""

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from people import restrictions

from .models import Meeting

PRODID = "-//Early Help//Team Around the Family meetings//EN"


def uid_domain() -> str:
    """The installation's mail domain, so UIDs are unique across installations."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "earlyhelp.invalid"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{uid_domain()}"


def shared_location(meeting: Meeting) -> str:
    """The meeting's place as written into files and emails that leave the
    service: any restricted value of the family is never in them."""
    people = restrictions.family_people(meeting.episode.family)
    return restrictions.scrub_text(meeting.location, people)


def summary(meeting: Meeting) -> str:
    episode = meeting.episode
    return f"{episode.local_authority.get_meeting_name_display()} – {episode.reference}"


def _address(user, **parameters) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(user.full_name)
    for name, value in parameters.items():
        address.params[name] = vText(value)
    return address


def meeting_calendar(
    meeting: Meeting, *, now: datetime | None = None, method: str = "PUBLISH", attendees=()
) -> Calendar:
    """The calendar: `attendees` (users) are listed for a REQUEST or CANCEL.
    A cancelled meeting's event says so (STATUS:CANCELLED) whatever the method."""
    episode = meeting.episode
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)

    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", summary(meeting))
    event.add("location", shared_location(meeting))
    event.add("organizer", _address(meeting.arranged_by))
    for user in attendees:
        event.add(
            "attendee",
            _address(user, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"),
            encode=False,
        )
    event.add(
        "description",
        _("Early Help case %(reference)s. Sign in to Early Help to see the case.")
        % {"reference": episode.reference},
    )
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return cal


def meeting_ics(
    meeting: Meeting, *, now: datetime | None = None, method: str = "PUBLISH", attendees=()
) -> str:
    """The whole file as text (lines folded at 75 octets and ended with CRLF)."""
    calendar = meeting_calendar(meeting, now=now, method=method, attendees=attendees)
    return calendar.to_ical().decode("utf-8")


def filename(meeting: Meeting) -> str:
    # The day the meeting is on where it is held, not in UTC.
    day = timezone.localtime(meeting.starts_at)
    return f"{meeting.episode.reference}-meeting-{day:%Y-%m-%d}.ics"
