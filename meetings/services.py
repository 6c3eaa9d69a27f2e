"""Team Around the Family meetings: arrange, invite, record (seeds 000, 004).

Each function runs in one transaction, checks permission through core.policy,
checks the episode's state, writes, records its audit event and queues
notifications. Messages name the event only, never what the family said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from email.mime.text import MIMEText
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from audit.models import Action
from audit.services import record
from consent import services as consent_services
from core import policy
from core.validators import case_dates, normalise_phone, validate_date_range
from episodes import states
from episodes.models import Episode
from notifications import outbox
from notifications.services import notify
from people import restrictions
from people.models import Person

from . import calendar, invitations
from .models import InvitationChannel, Invitee, Meeting

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    # A form's errors: {field name: message, or messages}.
    Errors = dict[str, StrOrPromise | list[str]]


def meetings_allowed(episode: Episode) -> bool:
    """Meetings are arranged and recorded from the completed assessment until
    the plan ends (the stage's "hold_meeting")."""
    return states.allows(episode, "hold_meeting")


def _check_permission(actor: User, episode: Episode) -> None:
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied


def meeting_name(episode: Episode) -> str:
    return str(episode.local_authority.get_meeting_name_display())


def team_organisations(episode: Episode) -> QuerySet[Organisation]:
    """The organisations in the Team Around the Family: those that joined, and
    the one that asked for help."""
    return Organisation.objects.filter(
        Q(pk__in=episode.organisations.values("pk")) | Q(pk=episode.requesting_organisation_id)
    )


def team_staff(episode: Episode) -> QuerySet[User]:
    """Active staff of the team's organisations who may hold cases: who may
    lead, or deliver an action (never an administrator, core.policy)."""
    staff = User.objects.filter(
        local_authority_id=episode.local_authority_id,
        memberships__organisation__in=team_organisations(episode),
    )
    return policy.case_holders(staff).distinct().order_by("full_name", "pk")


def invitable_staff(episode: Episode) -> QuerySet[User]:
    """Professionals who may be invited: the team's staff and the requester,
    never an administrator (core.policy.case_holders)."""
    staff = User.objects.filter(local_authority_id=episode.local_authority_id).filter(
        Q(memberships__organisation__in=team_organisations(episode)) | Q(pk=episode.requested_by_id)
    )
    return policy.case_holders(staff).distinct().order_by("full_name", "pk")


def staff_organisations(episode: Episode, users: Iterable[User]) -> dict[int, Organisation]:
    """{user id: the first of the team's organisations the user works for}."""
    organisations: dict[int, Organisation] = {}
    memberships = (
        Membership.objects.filter(user__in=users, organisation__in=team_organisations(episode))
        .select_related("organisation")
        .order_by("id")
    )
    for membership in memberships:
        organisations.setdefault(membership.user_id, membership.organisation)
    return organisations


def family_people(episode: Episode) -> list[Person]:
    """Everyone in the family, in the family's order. Family members have no
    account: they are invited, and recorded as coming, as people."""
    return [
        member.person
        for member in episode.family.memberships.select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("id")
    ]


def ticked_to_invite(person: Person) -> bool:
    """Whether `person` is ticked to invite when a meeting is arranged: the
    whole family, except a child not yet born (who can still be ticked)."""
    return not person.is_unborn


def lead_professional_refusal(episode: Episode, user: User) -> str | None:
    """Why `user` may not lead this episode, or None."""
    if not team_staff(episode).filter(pk=user.pk).exists():
        return _(
            "%(name)s cannot be the lead professional: choose someone who works for an "
            "organisation in the %(meeting)s"
        ) % {"name": user.full_name, "meeting": meeting_name(episode)}
    return None


def recording_refusal(meeting: Meeting, now: datetime | None = None) -> StrOrPromise | None:
    """Why the meeting cannot be recorded now, or None: it was cancelled, the
    case's stage has moved on, or it has not started yet."""
    if meeting.is_cancelled:
        return _("This meeting was cancelled, so there is nothing to record")
    if refused := states.why_not(meeting.episode, "hold_meeting"):
        return refused
    if meeting.starts_at > (now or timezone.now()):
        return _("You can record the meeting once it has started")
    return None


def change_refusal(meeting: Meeting) -> StrOrPromise | None:
    """Why the meeting cannot be moved or cancelled, or None."""
    if meeting.is_cancelled:
        return _("This meeting is already cancelled")
    if meeting.held:
        return _("This meeting has been recorded as held, so it cannot be moved or cancelled")
    return states.why_not(meeting.episode, "hold_meeting")


class MeetingOverview(TypedDict):
    next: Meeting | None
    last: Meeting | None
    held_any: bool


def meeting_overview(
    episode: Episode, meetings: Iterable[Meeting], now: datetime | None = None
) -> MeetingOverview:
    """{"next": the meeting still to come, "last": the latest one that has
    started, "held_any": whether any was recorded as held}. A cancelled
    meeting is neither; a past one never recorded is "last", to be recorded,
    never "next"; a case whose stage holds no meetings has no next one."""
    now = now or timezone.now()
    current = sorted((m for m in meetings if not m.is_cancelled), key=lambda m: (m.starts_at, m.pk))
    upcoming = [m for m in current if m.starts_at >= now and not m.held]
    started = [m for m in current if m.starts_at < now or m.held]
    return {
        "next": upcoming[0] if upcoming and meetings_allowed(episode) else None,
        "last": started[-1] if started else None,
        "held_any": any(m.held for m in current),
    }


@transaction.atomic
def add_organisation(
    actor: User,
    episode: Episode,
    organisation: Organisation,
    *,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Organisation:
    """Bring another organisation into the Team Around the Family, so its staff
    can be invited and see the case. The family must have consented to sharing
    with it; without consent, only a recorded duty-to-share override (a child
    at risk of significant harm) lets it join, and that is flagged for review."""
    _check_permission(actor, episode)
    if refused := states.why_not(episode, "join_team"):
        raise ValidationError(refused)
    if organisation.local_authority_id != episode.local_authority_id:
        raise ValidationError({"organisation": _("Choose an organisation in this council")})
    if team_organisations(episode).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                "organisation": _("%(name)s is already in the %(meeting)s")
                % {"name": organisation.name, "meeting": meeting_name(episode)}
            }
        )
    consented = consent_services.has_sharing_consent(episode, organisation)
    if not consented and not override_reason.strip():
        raise ValidationError(
            {
                "organisation": _(
                    "The family has not consented to sharing information with %(name)s. "
                    "Record their consent first, or, if a child is at risk of significant "
                    "harm, choose to share without consent and say why"
                )
                % {"name": organisation.name}
            }
        )
    episode.organisations.add(organisation)
    record(
        Action.UPDATE,
        actor=actor,
        obj=episode,
        request=request,
        changes={"fields": ["organisations"]},
    )
    if not consented:
        consent_services.record_sharing_override(
            actor, episode, organisation, reason=override_reason, request=request
        )
    return organisation


def _date_refusal(episode: Episode, starts_at: datetime) -> list[str] | None:
    """Why a meeting of this case may not be on this date, or None. (A date far
    away breaks its page, calendar file and email: its end overflows the
    calendar. A meeting before help was asked for cannot be about it.)"""
    try:
        validate_date_range(starts_at.date(), case_dates(), _("Date of the meeting"))
    except ValidationError as error:
        return error.messages
    asked = timezone.localdate(episode.requested_at)
    if timezone.localdate(starts_at) < asked:
        return [
            _("The meeting cannot be before help was asked for: enter a date on or after %(date)s")
            % {"date": date_format(asked, "j F Y")}
        ]
    return None


def _place_errors(episode: Episode, location: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not location.strip():
        errors["location"] = _("Enter where the meeting will be")
    errors.update(
        restrictions.restricted_text_errors(
            family_people(episode), {"location": (_("Where the meeting will be"), location)}
        )
    )
    return errors


def _interpreter_errors(language: str, booked: bool) -> dict[str, str]:
    if booked and not language:
        return {"interpreter_language": _("Choose the language of the interpreter booked")}
    return {}


def _channel_choices(
    actor: User, episode: Episode, people: list[Person], channels: Mapping[int, tuple[str, str]]
) -> tuple[dict[int, tuple[str, str]], Errors]:
    """Each family member's way of being sent the invitation, checked: the
    channel may be used for them (core of meetings/invitations.py), and an
    email address or UK mobile number is given where one is needed."""
    chosen: dict[int, tuple[str, str]] = {}
    errors: Errors = {}
    for person in people:
        channel, contact = channels.get(person.pk, ("", ""))
        contact = contact.strip()
        if channel not in InvitationChannel.values:
            errors[f"channel_{person.pk}"] = _("Choose how to send the invitation")
            continue
        if refused := invitations.channel_refusal(channel, person, episode.local_authority, actor):
            errors[f"channel_{person.pk}"] = refused
            continue
        if channel == InvitationChannel.EMAIL:
            try:
                validate_email(contact)
            except ValidationError:
                errors[f"contact_{person.pk}"] = _(
                    "Enter %(name)s's email address, like name@example.com"
                ) % {"name": person.full_name}
                continue
        elif channel == InvitationChannel.TEXT:
            try:
                contact = normalise_phone(contact)
            except ValidationError:
                errors[f"contact_{person.pk}"] = _(
                    "Enter %(name)s's mobile number, like 07700 900 982"
                ) % {"name": person.full_name}
                continue
        else:
            contact = ""
        chosen[person.pk] = (channel, contact)
    return chosen, errors


@transaction.atomic
def arrange_meeting(
    actor: User,
    episode: Episode,
    *,
    starts_at: datetime,
    location: str,
    duration_minutes: int = 60,
    people: Iterable[Person] = (),
    users: Iterable[User] = (),
    interpreter_language: str = "",
    interpreter_booked: bool = False,
    channels: Mapping[int, tuple[str, str]] | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Set a date for the meeting and invite family members and professionals.
    Family members with a channel (`channels`: {person id: (channel, email
    address or mobile number)}) are sent the invitation in their language
    (meetings/invitations.py) once the transaction commits."""
    _check_permission(actor, episode)
    if refused := states.why_not(episode, "hold_meeting"):
        raise ValidationError(refused)
    errors: Errors = {}
    people, users = list(people), list(users)
    if problem := _date_refusal(episode, starts_at):
        errors["date"] = problem
    errors.update(_place_errors(episode, location))
    family_ids = {person.pk for person in family_people(episode)}
    if any(person.pk not in family_ids for person in people):
        errors["people"] = _("Invite only members of this family")
    allowed = set(
        invitable_staff(episode)
        .filter(pk__in=[user.pk for user in users])
        .values_list("pk", flat=True)
    )
    if any(user.pk not in allowed for user in users):
        errors["users"] = _(
            "Invite only staff of the organisations in the %(meeting)s, or the person who asked "
            "for help"
        ) % {"meeting": meeting_name(episode)}
    if not people and not users:
        errors["users"] = _("Choose who to invite")
    errors.update(_interpreter_errors(interpreter_language, interpreter_booked))
    chosen, channel_errors = _channel_choices(actor, episode, people, channels or {})
    errors.update(channel_errors)
    if errors:
        raise ValidationError(errors)

    meeting = Meeting.objects.create(
        episode=episode,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        arranged_by=actor,
        interpreter_language=interpreter_language,
        interpreter_booked=interpreter_booked and bool(interpreter_language),
    )
    organisations = staff_organisations(episode, users)
    Invitee.objects.bulk_create(
        [
            Invitee(
                meeting=meeting,
                person=person,
                channel=chosen.get(person.pk, ("", ""))[0],
                contact=chosen.get(person.pk, ("", ""))[1],
            )
            for person in people
        ]
        + [
            Invitee(meeting=meeting, user=user, organisation=organisations.get(user.pk))
            for user in users
        ]
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={
            "fields": [
                "starts_at",
                "duration_minutes",
                "location",
                "invitees",
                "interpreter_language",
                "interpreter_booked",
            ]
        },
    )
    invitations.send(actor, meeting, invitations.INVITATION)
    notify(
        [user for user in users if user.pk != actor.pk],
        episode,
        _("%(meeting)s meeting arranged") % {"meeting": meeting_name(episode)},
    )
    return meeting


@transaction.atomic
def record_meeting(
    actor: User,
    meeting: Meeting,
    *,
    attendance: Mapping[Invitee | int, bool],
    notes: str = "",
    lead_professional: User | None = None,
    family_view_on_lead: str = "",
    new_lead: User | None = None,
    lead_change_reason: str = "",
    handover_note: str = "",
    request: HttpRequest | None = None,
) -> Meeting:
    """Record who came, the notes and, at the first meeting, the lead
    professional the meeting chose with the family's view on that choice; at a
    later meeting, a new lead professional it agreed (`new_lead`, with why, the
    family's view and a handover note: episodes.lead_professional).

    `attendance` maps each invitee (or its id) to True or False; an invitee
    left out did not attend."""
    episode = meeting.episode
    _check_permission(actor, episode)
    if refused := recording_refusal(meeting):
        raise ValidationError(refused)
    errors: Errors = {}
    if lead_professional is not None:
        if refused := states.why_not(episode, "choose_first_lead"):
            errors["lead_professional"] = refused
        elif message := lead_professional_refusal(episode, lead_professional):
            errors["lead_professional"] = message
        if not family_view_on_lead.strip():
            errors["family_view_on_lead"] = _("Record the family's view on the lead professional")
    errors.update(
        restrictions.restricted_text_errors(
            family_people(episode),
            {
                "notes": (_("The notes"), notes),
                "family_view_on_lead": (
                    _("The family's view on the lead professional"),
                    family_view_on_lead,
                ),
            },
        )
    )
    if errors:
        raise ValidationError(errors)

    came = {getattr(key, "pk", key) for key, present in attendance.items() if present}
    invitees = list(meeting.invitees.all())
    for invitee in invitees:
        invitee.attended = invitee.pk in came
    Invitee.objects.bulk_update(invitees, ["attended"])

    changed = ["attendance"]
    for field, value in (
        ("held", True),
        ("notes", notes.strip()),
        ("lead_professional", lead_professional or new_lead),
        (
            "family_view_on_lead",
            family_view_on_lead.strip() if lead_professional or new_lead else "",
        ),
    ):
        if getattr(meeting, field) != value:
            changed.append(field)
            setattr(meeting, field, value)
    meeting.save()
    record(
        Action.UPDATE,
        actor=actor,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": sorted(changed)},
    )
    if new_lead is not None:
        details = (lead_change_reason, family_view_on_lead, handover_note)
        _agree_new_lead(actor, meeting, new_lead, *details, request)
    return meeting


# The lead change's own field names, as the meeting form calls them.
_LEAD_CHANGE_FIELDS = {
    "new_lead": "new_lead",
    "reason": "lead_change_reason",
    "family_view": "family_view_on_lead",
    "handover_note": "handover_note",
}


def _agree_new_lead(
    actor: User,
    meeting: Meeting,
    new_lead: User,
    reason: str,
    family_view: str,
    handover_note: str,
    request: HttpRequest | None,
) -> None:
    """The change the meeting agreed, in the same transaction as the record:
    a refused change leaves the meeting unrecorded too."""
    from episodes.lead_professional import change_lead_professional

    try:
        change_lead_professional(
            actor,
            meeting.episode,
            new_lead,
            reason=reason,
            family_view=family_view,
            handover_note=handover_note,
            meeting=meeting,
            request=request,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {
                _LEAD_CHANGE_FIELDS.get(field, field): messages
                for field, messages in error.message_dict.items()
            }
        ) from None


def _when(meeting: Meeting) -> dict:
    episode = meeting.episode
    when = timezone.localtime(meeting.starts_at)
    return {
        "meeting": meeting_name(episode),
        "reference": episode.reference,
        "date": date_format(when, "j F Y"),
        "time": date_format(when, "H:i"),
        "location": calendar.shared_location(meeting),
    }


def _calendar_email(
    meeting: Meeting,
    recipients: list[User],
    subject: str,
    body: str,
    *,
    method: str,
    now: datetime | None = None,
) -> EmailMessage:
    """A short message naming the case reference only, with the meeting as a
    calendar file (`method`: REQUEST for an invitation or a change, CANCEL)."""
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.email for user in recipients]
    )
    part = MIMEText(
        calendar.meeting_ics(meeting, now=now, method=method, attendees=recipients),
        "calendar",
        "utf-8",
    )
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=calendar.filename(meeting))
    message.attach(part)
    return message


def invite_email(
    meeting: Meeting, recipients: list[User], *, now: datetime | None = None
) -> EmailMessage:
    """The invitation: a short message naming the case reference, with the
    meeting as a calendar request attached."""
    context = _when(meeting)
    subject = _("Early Help %(reference)s: %(meeting)s meeting on %(date)s at %(time)s") % context
    body = (
        _(
            "You are invited to the %(meeting)s meeting for Early Help case %(reference)s on "
            "%(date)s at %(time)s, at %(location)s.\n\n"
            "The calendar invitation is attached. Sign in to Early Help to see the case.\n"
        )
        % context
    )
    return _calendar_email(meeting, recipients, subject, body, method="REQUEST", now=now)


def reschedule_email(
    meeting: Meeting, recipients: list[User], *, now: datetime | None = None
) -> EmailMessage:
    """The new time or place, with the calendar event updated in place."""
    context = _when(meeting)
    subject = (
        _("Early Help %(reference)s: %(meeting)s meeting moved to %(date)s at %(time)s") % context
    )
    body = (
        _(
            "The %(meeting)s meeting for Early Help case %(reference)s has changed. It is now "
            "on %(date)s at %(time)s, at %(location)s.\n\n"
            "The updated calendar invitation is attached: it replaces the one you have. "
            "Sign in to Early Help to see the case.\n"
        )
        % context
    )
    return _calendar_email(meeting, recipients, subject, body, method="REQUEST", now=now)


def cancellation_email(
    meeting: Meeting, recipients: list[User], *, now: datetime | None = None
) -> EmailMessage:
    """The cancellation, with the calendar event cancelled (METHOD:CANCEL).
    The reason stays in the service: it may say what the family said."""
    context = _when(meeting)
    subject = _("Early Help %(reference)s: %(meeting)s meeting on %(date)s cancelled") % context
    body = (
        _(
            "The %(meeting)s meeting for Early Help case %(reference)s on %(date)s at "
            "%(time)s is cancelled.\n\n"
            "The cancellation is attached, so your calendar removes the meeting. "
            "Sign in to Early Help to see why.\n"
        )
        % context
    )
    return _calendar_email(meeting, recipients, subject, body, method="CANCEL", now=now)


def professional_recipients(meeting: Meeting) -> list[User]:
    """The professionals invited who can be emailed (family members have no
    account: the worker tells them), in the order they were invited: the
    email's recipients and the calendar's attendees read the same each time."""
    return [
        user
        for invitee in meeting.invitees.select_related("user")
        .filter(user__isnull=False)
        .order_by("pk")
        if (user := invitee.user) is not None and user.is_active and user.email
    ]


@transaction.atomic
def email_invite(actor: User, meeting: Meeting, request: HttpRequest | None = None) -> list[User]:
    """Email the calendar invitation to every professional invited; sent once
    the transaction commits."""
    episode = meeting.episode
    _check_permission(actor, episode)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled: there is no invitation to send"))
    recipients = professional_recipients(meeting)
    if not recipients:
        raise ValidationError(_("No professionals are invited, so there is no one to email"))
    now = timezone.now()
    outbox.send_later(invite_email(meeting, recipients, now=now), council=episode.local_authority)
    meeting.invite_emailed_at = now
    meeting.save(update_fields=["invite_emailed_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": ["invite_emailed_at"]},
    )
    return recipients


def _tell_invitees(
    actor: User, meeting: Meeting, email: Callable[..., EmailMessage], note: str, now: datetime
) -> list[User]:
    """Email the change to the professionals invited once the transaction
    commits, and put it in their updates; returns who was emailed."""
    recipients = professional_recipients(meeting)
    if recipients:
        outbox.send_later(
            email(meeting, recipients, now=now), council=meeting.episode.local_authority
        )
    notify([user for user in recipients if user.pk != actor.pk], meeting.episode, note)
    return recipients


@transaction.atomic
def reschedule_meeting(
    actor: User,
    meeting: Meeting,
    *,
    starts_at: datetime,
    location: str,
    duration_minutes: int = 60,
    interpreter_language: str | None = None,
    interpreter_booked: bool | None = None,
    request: HttpRequest | None = None,
) -> list[User]:
    """Move the meeting to a new time or place, or change its interpreter.
    Family members invited are sent the change in their language. The professionals invited are
    emailed a calendar update (same UID, higher SEQUENCE) so their calendars
    move the meeting instead of adding another. Returns who was emailed."""
    episode = meeting.episode
    _check_permission(actor, episode)
    if refused := change_refusal(meeting):
        raise ValidationError(refused)
    errors: Errors = {}
    if problem := _date_refusal(episode, starts_at):
        errors["date"] = problem
    errors.update(_place_errors(episode, location))
    if interpreter_language is None:
        interpreter_language = meeting.interpreter_language
    if interpreter_booked is None:
        interpreter_booked = meeting.interpreter_booked
    errors.update(_interpreter_errors(interpreter_language, interpreter_booked))
    if errors:
        raise ValidationError(errors)
    new: dict[str, object] = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "location": location.strip(),
        "interpreter_language": interpreter_language,
        "interpreter_booked": interpreter_booked and bool(interpreter_language),
    }
    changed = sorted(field for field, value in new.items() if getattr(meeting, field) != value)
    if not changed:
        raise ValidationError(
            _(
                "Nothing has changed: enter the new date, time, length or place of the "
                "meeting, or change its interpreter"
            )
        )
    for field, value in new.items():
        setattr(meeting, field, value)
    meeting.sequence += 1
    now = timezone.now()
    note = _("%(meeting)s meeting moved") % {"meeting": meeting_name(episode)}
    recipients = _tell_invitees(actor, meeting, reschedule_email, note, now)
    if recipients:
        meeting.invite_emailed_at = now
    meeting.save()
    invitations.send(actor, meeting, invitations.UPDATE)
    record(
        Action.UPDATE,
        actor=actor,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": [*changed, "sequence"]},
    )
    return recipients


@transaction.atomic
def cancel_meeting(
    actor: User, meeting: Meeting, *, reason: str, request: HttpRequest | None = None
) -> list[User]:
    """Cancel the meeting, saying why. The professionals invited are emailed a
    calendar cancellation (same UID, higher SEQUENCE, METHOD:CANCEL) so their
    calendars remove it. Returns who was emailed."""
    episode = meeting.episode
    _check_permission(actor, episode)
    if refused := change_refusal(meeting):
        raise ValidationError(refused)
    errors: Errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the meeting is cancelled")
    errors.update(
        restrictions.restricted_text_errors(
            family_people(episode), {"reason": (_("Why the meeting is cancelled"), reason)}
        )
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    meeting.cancelled_at = now
    meeting.cancellation_reason = reason.strip()
    meeting.sequence += 1
    note = _("%(meeting)s meeting cancelled") % {"meeting": meeting_name(episode)}
    recipients = _tell_invitees(actor, meeting, cancellation_email, note, now)
    meeting.save()
    invitations.send(actor, meeting, invitations.CANCELLATION)
    record(
        Action.UPDATE,
        actor=actor,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": ["cancellation_reason", "cancelled_at", "sequence"]},
    )
    return recipients


def letters_to_post(meeting: Meeting, invitees: Iterable[Invitee] | None = None) -> list[Invitee]:
    """The family members whose letter the worker prints and posts (a council
    without GOV.UK Notify), the latest still to print first; from `invitees`
    when the page has them already."""
    if invitees is None:
        invitees = invitations.family_invitees(meeting)
    invitees = [
        invitee
        for invitee in invitees
        if invitee.person_id
        if invitee.channel == InvitationChannel.LETTER
        and not invitations.uses_notify(meeting.episode.local_authority)
        and invitee.invitation_sent_at is not None
    ]
    return sorted(invitees, key=lambda invitee: (not invitee.letter_due, invitee.pk))


def letter_refusal(actor: User, meeting: Meeting, invitee: Invitee) -> str | None:
    """Why there is no letter to print for this family member invited, or
    None: theirs is not a letter to post, or their address is restricted."""
    person = invitee.person
    if person is None or not letters_to_post(meeting, [invitee]):
        return _(
            "There is no letter to print for %(name)s: their invitation is not a letter to post"
        ) % {"name": person.full_name if person else ""}
    return invitations.channel_refusal(
        InvitationChannel.LETTER, person, meeting.episode.local_authority, actor
    )


@transaction.atomic
def print_letter(
    actor: User, meeting: Meeting, person_pk: int, request: HttpRequest | None = None
) -> tuple[bytes, str]:
    """The letter to post to a family member invited (by their person id), as
    a PDF, and its file name: the invitation, or its latest change or
    cancellation, in their language. Audited as an export; the letter is no
    longer due."""
    episode = meeting.episode
    _check_permission(actor, episode)
    invitee = next(
        (i for i in invitations.family_invitees(meeting) if i.person_id == person_pk), None
    )
    if invitee is None or invitee.person is None:
        raise PermissionDenied
    if refused := letter_refusal(actor, meeting, invitee):
        raise ValidationError(refused)
    message = invitations.invitation(meeting, invitee, invitations.latest_kind(meeting), actor)
    pdf = invitations.letter_pdf(message)
    invitee.letter_due = False
    invitee.letter_printed_at = timezone.now()
    invitee.save(update_fields=["letter_due", "letter_printed_at"])
    record(
        Action.EXPORT,
        actor=actor,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={"letter_to": person_pk, "language": message.language},
    )
    return pdf, f"{episode.reference}-meeting-letter-{person_pk}.pdf"
