"""A meeting as an iCalendar file (RFC 5545), written by hand: one VEVENT in
one VCALENDAR, lines ending in CRLF and folded at 75 octets, text escaped.

The summary names the meeting and the case reference only, never the family:
calendars are shared and shown on lock screens (need-to-know, seed 003).
"""

from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from people import restrictions

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Early Help//Team Around the Family meetings//EN"


def escape_text(value):
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    text = str(value)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def param_value(value):
    """A parameter value (§3.2): no double quotes or control characters, and
    quoted when it holds a colon, semicolon or comma."""
    text = "".join(ch for ch in str(value) if ch != '"' and ch >= " " and ch != "\x7f")
    if any(ch in text for ch in ":;,"):
        return f'"{text}"'
    return text


def fold(line):
    """Split a content line into lines of at most 75 octets (§3.1); each
    continuation starts with one space. Never splits a UTF-8 character."""
    chunks = []
    current = b""
    limit = MAX_OCTETS
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            chunks.append(current)
            current = b""
            limit = MAX_OCTETS - 1  # the leading space counts
        current += encoded
    chunks.append(current)
    return (CRLF + " ").join(chunk.decode("utf-8") for chunk in chunks)


def utc_stamp(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid_domain():
    """The installation's mail domain, so UIDs are unique across installations."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "earlyhelp.invalid"


def shared_location(meeting):
    """The meeting's place as written into files and emails that leave the
    service: any restricted value of the family is never in them."""
    people = restrictions.family_people(meeting.episode.family)
    return restrictions.scrub_text(meeting.location, people)


def summary(meeting):
    episode = meeting.episode
    return f"{episode.local_authority.get_meeting_name_display()} – {episode.reference}"


def event_lines(meeting, *, now=None, method="PUBLISH", attendees=()):
    """The unfolded content lines. `attendees` (users) are listed for a REQUEST."""
    episode = meeting.episode
    organiser = meeting.arranged_by
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{uid_domain()}",
        f"DTSTAMP:{utc_stamp(now or timezone.now())}",
        f"DTSTART:{utc_stamp(meeting.starts_at)}",
        f"DTEND:{utc_stamp(meeting.ends_at)}",
        f"SUMMARY:{escape_text(summary(meeting))}",
        f"LOCATION:{escape_text(shared_location(meeting))}",
        f"ORGANIZER;CN={param_value(organiser.full_name)}:mailto:{organiser.email}",
    ]
    for user in attendees:
        lines.append(
            f"ATTENDEE;CN={param_value(user.full_name)};ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{user.email}"
        )
    description = _("Early Help case %(reference)s. Sign in to Early Help to see the case.") % {
        "reference": episode.reference
    }
    lines += [
        f"DESCRIPTION:{escape_text(description)}",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return lines


def meeting_ics(meeting, *, now=None, method="PUBLISH", attendees=()):
    """The whole file as text: every line folded and ended with CRLF."""
    lines = event_lines(meeting, now=now, method=method, attendees=attendees)
    return "".join(fold(line) + CRLF for line in lines)


def filename(meeting):
    return f"{meeting.episode.reference}-meeting-{meeting.starts_at:%Y-%m-%d}.ics"
