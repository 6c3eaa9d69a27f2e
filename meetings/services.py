"""Team Around the Family meetings: arrange, invite, record (seeds 000, 004).

Each function runs in one transaction, checks permission through core.policy,
checks the episode's state, writes, records its audit event and queues
notifications. Messages name the event only, never what the family said.
"""

from email.mime.text import MIMEText

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from audit.models import Action
from audit.services import record
from consent import services as consent_services
from core import policy
from core.validators import case_dates, validate_date_range
from episodes.models import Status
from notifications.services import notify
from people import restrictions

from . import calendar
from .models import Invitee, Meeting

# A meeting is arranged once the assessment is complete, and again to review the plan.
MEETING_STATUSES = (Status.MEETING, Status.PLAN)


def meetings_allowed(episode):
    """Meetings are arranged and recorded from the completed assessment until
    the plan ends."""
    return episode.status in MEETING_STATUSES


def _check_permission(actor, episode):
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied


def meeting_name(episode):
    return str(episode.local_authority.get_meeting_name_display())


def team_organisations(episode):
    """The organisations in the Team Around the Family: those that joined, and
    the one that asked for help."""
    return Organisation.objects.filter(
        Q(pk__in=episode.organisations.values("pk")) | Q(pk=episode.requesting_organisation_id)
    )


def team_staff(episode):
    """Active staff of the team's organisations: who may lead, or deliver an action."""
    return (
        User.objects.filter(
            is_active=True,
            local_authority_id=episode.local_authority_id,
            memberships__organisation__in=team_organisations(episode),
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def invitable_staff(episode):
    """Professionals who may be invited: the team's staff and the requester."""
    return (
        User.objects.filter(is_active=True, local_authority_id=episode.local_authority_id)
        .filter(
            Q(memberships__organisation__in=team_organisations(episode))
            | Q(pk=episode.requested_by_id)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def staff_organisations(episode, users):
    """{user id: the first of the team's organisations the user works for}."""
    organisations = {}
    memberships = (
        Membership.objects.filter(user__in=users, organisation__in=team_organisations(episode))
        .select_related("organisation")
        .order_by("id")
    )
    for membership in memberships:
        organisations.setdefault(membership.user_id, membership.organisation)
    return organisations


def family_people(episode):
    """Everyone in the family, in the family's order."""
    return [
        member.person
        for member in episode.family.memberships.select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("id")
    ]


def lead_professional_refusal(episode, user):
    """Why `user` may not lead this episode, or None."""
    if not team_staff(episode).filter(pk=user.pk).exists():
        return _(
            "%(name)s cannot be the lead professional: choose someone who works for an "
            "organisation in the %(meeting)s"
        ) % {"name": user.full_name, "meeting": meeting_name(episode)}
    return None


@transaction.atomic
def add_organisation(actor, episode, organisation, *, override_reason="", request=None):
    """Bring another organisation into the Team Around the Family, so its staff
    can be invited and see the case. The family must have consented to sharing
    with it; without consent, only a recorded duty-to-share override (a child
    at risk of significant harm) lets it join, and that is flagged for review."""
    _check_permission(actor, episode)
    if not episode.is_open:
        raise ValidationError(_("The episode is closed: organisations cannot join it"))
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


@transaction.atomic
def _outside_case_dates(starts_at):
    """Why a meeting may not be on this date, or None. (A date far away breaks
    its page, calendar file and email: its end overflows the calendar.)"""
    try:
        validate_date_range(starts_at.date(), case_dates(), _("Date of the meeting"))
    except ValidationError as error:
        return error.messages
    return None


def arrange_meeting(
    actor,
    episode,
    *,
    starts_at,
    location,
    duration_minutes=60,
    people=(),
    users=(),
    request=None,
):
    """Set a date for the meeting and invite family members and professionals."""
    _check_permission(actor, episode)
    if not meetings_allowed(episode):
        raise ValidationError(
            _(
                "You can arrange the %(meeting)s meeting once the assessment is complete "
                "(the episode is '%(status)s')"
            )
            % {"meeting": meeting_name(episode), "status": episode.get_status_display()}
        )
    errors = {}
    people, users = list(people), list(users)
    if problem := _outside_case_dates(starts_at):
        errors["date"] = problem
    if not location.strip():
        errors["location"] = _("Enter where the meeting will be")
    family = family_people(episode)
    errors.update(
        restrictions.restricted_text_errors(
            family, {"location": (_("Where the meeting will be"), location)}
        )
    )
    family_ids = {person.pk for person in family}
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
    if errors:
        raise ValidationError(errors)

    meeting = Meeting.objects.create(
        episode=episode,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        arranged_by=actor,
    )
    organisations = staff_organisations(episode, users)
    Invitee.objects.bulk_create(
        [Invitee(meeting=meeting, person=person) for person in people]
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
        changes={"fields": ["starts_at", "duration_minutes", "location", "invitees"]},
    )
    notify(
        [user for user in users if user.pk != actor.pk],
        episode,
        _("%(meeting)s meeting arranged") % {"meeting": meeting_name(episode)},
    )
    return meeting


@transaction.atomic
def record_meeting(
    actor,
    meeting,
    *,
    attendance,
    notes="",
    lead_professional=None,
    family_view_on_lead="",
    request=None,
):
    """Record who came, the notes and, at the first meeting, the lead
    professional the meeting chose with the family's view on that choice.

    `attendance` maps each invitee (or its id) to True or False; an invitee
    left out did not attend."""
    episode = meeting.episode
    _check_permission(actor, episode)
    if not meetings_allowed(episode):
        raise ValidationError(
            _("The episode is '%(status)s': meetings can no longer be recorded")
            % {"status": episode.get_status_display()}
        )
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("You can record the meeting once it has started"))
    errors = {}
    if lead_professional is not None:
        if episode.status != Status.MEETING:
            errors["lead_professional"] = _("The plan is already agreed with a lead professional")
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
        ("lead_professional", lead_professional),
        ("family_view_on_lead", family_view_on_lead.strip() if lead_professional else ""),
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
    return meeting


def invite_email(meeting, recipients, *, now=None):
    """The invitation: a short message naming the case reference, with the
    meeting as a calendar request attached."""
    episode = meeting.episode
    when = timezone.localtime(meeting.starts_at)
    context = {
        "meeting": meeting_name(episode),
        "reference": episode.reference,
        "date": date_format(when, "j F Y"),
        "time": date_format(when, "H:i"),
        "location": calendar.shared_location(meeting),
    }
    subject = _("Early Help %(reference)s: %(meeting)s meeting on %(date)s at %(time)s") % context
    body = (
        _(
            "You are invited to the %(meeting)s meeting for Early Help case %(reference)s on "
            "%(date)s at %(time)s, at %(location)s.\n\n"
            "The calendar invitation is attached. Sign in to Early Help to see the case.\n"
        )
        % context
    )
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.email for user in recipients]
    )
    part = MIMEText(
        calendar.meeting_ics(meeting, now=now, method="REQUEST", attendees=recipients),
        "calendar",
        "utf-8",
    )
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename=calendar.filename(meeting))
    message.attach(part)
    return message


@transaction.atomic
def email_invite(actor, meeting, request=None):
    """Email the calendar invitation to every professional invited; sent once
    the transaction commits."""
    episode = meeting.episode
    _check_permission(actor, episode)
    recipients = [
        invitee.user
        for invitee in meeting.invitees.select_related("user").filter(user__isnull=False)
        if invitee.user.is_active and invitee.user.email
    ]
    if not recipients:
        raise ValidationError(_("No professionals are invited, so there is no one to email"))
    now = timezone.now()
    message = invite_email(meeting, recipients, now=now)
    transaction.on_commit(message.send)
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
