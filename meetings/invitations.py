"""Meeting invitations to family members, in their own language: by email
(the outbox, as professionals' emails), by text message or letter (GOV.UK
Notify, for a council that set its key), or a letter printed by the worker
and posted. An invitation says when and where, who will be there (the
organisations, never other family members' details) and, only when one is
booked, that an interpreter will be there. A change or a cancellation is sent
the same way, in the same language.

A person's values (language, address) are read only through
people.restrictions: a restricted address is never written on a letter, and
the letter channel is refused for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications import outbox
from people import restrictions
from people.models import RestrictableField

from . import calendar
from .models import InvitationChannel, Invitee, Meeting

if TYPE_CHECKING:
    from accounts.models import LocalAuthority, User
    from people.models import Person

# What a message tells: the first invitation, a new time or place, or that
# the meeting is cancelled.
INVITATION, UPDATE, CANCELLATION = "invitation", "update", "cancellation"


def family_language(person: Person, maker: User) -> str:
    """The language the person's invitations are written in: their preferred
    one when the service has it (and `maker` may see it), English otherwise."""
    shown = restrictions.for_document(person, person, maker)
    code = shown.preferred_language or settings.FAMILY_DEFAULT_LANGUAGE
    return code if code in dict(settings.LANGUAGES) else settings.FAMILY_DEFAULT_LANGUAGE


def interpreter_needed(person: Person, viewer: User) -> bool:
    """Whether the person needs an interpreter, as `viewer` may see it."""
    return bool(restrictions.shown_to(viewer, person).interpreter_needed)


def uses_notify(council: LocalAuthority) -> bool:
    return bool(council.notify_api_key)


def address_restricted(person: Person) -> bool:
    return any(
        r.field == RestrictableField.ADDRESS for r in restrictions.active_restrictions(person)
    )


def address_for_letter(person: Person, maker: User) -> list[str]:
    """The lines of the person's address for a letter to them, or [] when it
    is restricted (for anyone at that address) or not recorded."""
    if address_restricted(person):
        return []
    shown = restrictions.for_document(person, person, maker)
    lines = [shown.address_line_1, shown.address_line_2, shown.town, shown.postcode]
    return [line for line in lines if line]


def channel_refusal(
    channel: str, person: Person, council: LocalAuthority, maker: User
) -> str | None:
    """Why the invitation cannot be sent to `person` this way, or None. Says
    that a value is restricted, never what it is."""
    if channel == InvitationChannel.TEXT and (
        not uses_notify(council) or not council.notify_sms_template_id
    ):
        return _(
            "Text messages are sent through GOV.UK Notify, which this council has not set "
            "up for text messages: choose email or letter"
        )
    if channel == InvitationChannel.LETTER:
        if address_restricted(person):
            return _(
                "%(name)s's address is restricted, so no letter can be sent to it: choose "
                "email or a text message, or tell them yourself"
            ) % {"name": person.full_name}
        if not address_for_letter(person, maker):
            return _("%(name)s has no address recorded, so no letter can be sent") % {
                "name": person.full_name
            }
    return None


@dataclass
class Invitation:
    """What one family member is told, in their language."""

    language: str
    subject: str
    paragraphs: list[str]
    address: list[str]
    name: str
    council: str

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"

    @property
    def rtl(self) -> bool:
        return self.language in settings.LANGUAGES_BIDI


def _who(meeting: Meeting) -> str:
    organisations = sorted(
        {
            invitee.organisation.name
            for invitee in meeting.invitees.select_related("organisation")
            if invitee.organisation is not None
        }
    )
    if not organisations:
        return _("Who will be there: your family and the workers helping you.")
    return _("Who will be there: your family and workers from %(organisations)s.") % {
        "organisations": ", ".join(organisations)
    }


def invitation(meeting: Meeting, invitee: Invitee, kind: str, maker: User) -> Invitation:
    """The invitation (or its change or cancellation) to a family member."""
    person = invitee.person
    assert person is not None
    language = family_language(person, maker)
    council = meeting.episode.local_authority
    with translation.override(language):
        when = timezone.localtime(meeting.starts_at)
        details = {
            "date": date_format(when, "j F Y"),
            "time": date_format(when, "H:i"),
            "location": calendar.shared_location(meeting),
            "reference": meeting.episode.reference,
        }
        shown = restrictions.for_document(person, person, maker)
        paragraphs = [_("Dear %(name)s,") % {"name": shown.full_name}]
        if kind == CANCELLATION:
            subject = _("The meeting about your family's early help is cancelled")
            paragraphs.append(
                _(
                    "The meeting on %(date)s at %(time)s is cancelled. We will contact you "
                    "about what happens next."
                )
                % details
            )
        else:
            if kind == UPDATE:
                subject = _("The meeting about your family's early help has changed")
                paragraphs.append(
                    _("The meeting has changed. This is the new date, time and place.")
                )
            else:
                subject = _("Invitation to a meeting about your family's early help")
                paragraphs.append(_("You are invited to a meeting about the help for your family."))
            paragraphs.append(_("When: %(date)s at %(time)s") % details)
            paragraphs.append(_("Where: %(location)s") % details)
            paragraphs.append(_who(meeting))
            if meeting.interpreter_booked and meeting.interpreter_language:
                name = dict(settings.LANGUAGES).get(
                    meeting.interpreter_language, meeting.get_interpreter_language_display()
                )
                paragraphs.append(
                    _("An interpreter will be there for you (language: %(language)s).")
                    % {"language": name}
                )
            paragraphs.append(
                _("If you cannot come, please tell %(name)s.")
                % {"name": meeting.arranged_by.full_name}
            )
        paragraphs.append(_("Case reference: %(reference)s") % details)
        return Invitation(
            language=language,
            subject=str(subject),
            paragraphs=[str(p) for p in paragraphs],
            address=[shown.full_name, *address_for_letter(person, maker)],
            name=shown.full_name,
            council=_("Early Help, %(council)s") % {"council": council.name},
        )


def letter_pdf(message: Invitation) -> bytes:
    """The letter as an accessible A4 PDF (WeasyPrint, tagged, in its
    language, Noto fonts, right to left for Arabic and Pashto), its address
    where a window envelope and GOV.UK Notify's precompiled letters expect it."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "meetings/invitation_letter.html",
        {"letter": message, "printed_on": timezone.localdate()},
    )
    no_fetching = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    # Tagged, so a screen reader reads it, with the document's language.
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf(pdf_tags=True)


def family_invitees(meeting: Meeting) -> list[Invitee]:
    return list(
        meeting.invitees.filter(person__isnull=False)
        .select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("pk")
    )


def send(actor: User, meeting: Meeting, kind: str) -> list[Invitee]:
    """Send `kind` to every family member invited with a channel, in the
    caller's transaction (delivered after it commits). A channel that can no
    longer be used (an address restricted since) is skipped, never used.
    Returns those sent to, or whose letter is now due to print."""
    council = meeting.episode.local_authority
    now = timezone.now()
    sent: list[Invitee] = []
    for invitee in family_invitees(meeting):
        person = invitee.person
        if not invitee.channel or person is None:
            continue
        if channel_refusal(invitee.channel, person, council, actor):
            continue
        message = invitation(meeting, invitee, kind, actor)
        if invitee.channel == InvitationChannel.EMAIL:
            if not invitee.contact:
                continue
            email = EmailMessage(message.subject, message.text, None, [invitee.contact])
            outbox.send_later(email, council=council)
        elif invitee.channel == InvitationChannel.TEXT:
            if not invitee.contact:
                continue
            outbox.send_text_later(invitee.contact, message.text, council=council)
        elif uses_notify(council):
            reference = f"{meeting.episode.reference}-{meeting.pk}-{meeting.sequence}"
            outbox.send_letter_later(letter_pdf(message), reference, council=council)
        else:
            invitee.letter_due = True
            invitee.letter_printed_at = None
        invitee.invitation_sent_at = now
        invitee.save(update_fields=["invitation_sent_at", "letter_due", "letter_printed_at"])
        sent.append(invitee)
    return sent


def latest_kind(meeting: Meeting) -> str:
    """What a letter printed now tells: the cancellation, a change, or the
    invitation."""
    if meeting.is_cancelled:
        return CANCELLATION
    return UPDATE if meeting.sequence else INVITATION
