import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import Action, AuditEvent
from consent.models import SharingOverride
from core import policy
from episodes.services import transition
from meetings import services
from meetings.forms import parse_time
from meetings.models import Invitee
from notifications.models import Notification
from tests.journey_factories import InviteeFactory, MeetingFactory, share_with

NEXT_WEEK = timezone.now() + datetime.timedelta(days=7)


def arrange(actor, episode, **kwargs):
    arguments = {"starts_at": NEXT_WEEK, "location": "Testshire Primary, Room 2"}
    arguments.update(kwargs)
    return services.arrange_meeting(actor, episode, **arguments)


def test_a_meeting_is_arranged_with_family_and_professionals(
    at_meeting, involved, colleague, child, parent
):
    meeting = arrange(involved, at_meeting, people=[parent, child], users=[involved, colleague])

    invitees = meeting.invitees.order_by("id")
    assert [(i.person, i.user, i.organisation, i.attended) for i in invitees] == [
        (parent, None, None, None),
        (child, None, None, None),
        (None, involved, at_meeting.requesting_organisation, None),
        (None, colleague, at_meeting.requesting_organisation, None),
    ]
    event = AuditEvent.objects.filter(object_type="meetings.meeting").get()
    assert (event.action, event.changes) == (
        Action.CREATE,
        {
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
    assert [(n.user, n.message) for n in Notification.objects.all()] == [
        (colleague, "Team Around the Family meeting arranged")
    ]


def test_a_meeting_waits_for_the_assessment(episode, involved, child):
    transition(involved, episode, "give_consent")

    with pytest.raises(ValidationError) as refused:
        arrange(involved, episode, people=[child])

    assert refused.value.messages == [
        "Meetings are arranged from the completed assessment until the plan ends; "
        "the case is now 'Assessment in progress'"
    ]


def test_a_meeting_far_from_today_is_refused(at_meeting, involved, child):
    year = timezone.localdate().year
    far = timezone.make_aware(datetime.datetime(9999, 12, 31, 23, 0))

    with pytest.raises(ValidationError) as refused:
        arrange(involved, at_meeting, starts_at=far, people=[child])

    assert refused.value.message_dict == {
        "date": [
            f"Date of the meeting must be between 1 January {year - 5} and 31 December {year + 5}"
        ]
    }
    assert at_meeting.meetings.count() == 0


def test_a_review_meeting_can_be_arranged_once_the_plan_is_in_place(planned, involved, child):
    meeting = arrange(involved, planned.episode, people=[child])
    assert meeting.episode.status == "plan"


def test_only_the_teams_staff_and_the_requester_can_be_invited(at_meeting, involved, other_org):
    with pytest.raises(ValidationError) as refused:
        arrange(involved, at_meeting, users=[other_org])

    assert refused.value.message_dict == {
        "users": [
            "Invite only staff of the organisations in the Team Around the Family, or the "
            "person who asked for help"
        ]
    }


def test_someone_must_be_invited(at_meeting, involved):
    with pytest.raises(ValidationError) as refused:
        arrange(involved, at_meeting)
    assert refused.value.message_dict == {"users": ["Choose who to invite"]}


def test_an_organisation_joins_the_team_and_its_staff_can_be_invited(
    at_meeting, involved, other_org, clinic
):
    share_with(at_meeting, clinic, involved)
    services.add_organisation(involved, at_meeting, clinic)
    meeting = arrange(involved, at_meeting, users=[other_org])

    assert list(meeting.invitees.values_list("user", "organisation")) == [(other_org.pk, clinic.pk)]
    event = AuditEvent.objects.filter(object_type="episodes.episode", action=Action.UPDATE).last()
    assert event.changes == {"fields": ["organisations"]}
    with pytest.raises(ValidationError) as again:
        services.add_organisation(involved, at_meeting, clinic)
    assert again.value.message_dict == {
        "organisation": ["Testshire Clinic is already in the Team Around the Family"]
    }


def test_an_organisation_without_consent_to_share_cannot_join(
    at_meeting, involved, other_org, clinic
):
    with pytest.raises(ValidationError) as refused:
        services.add_organisation(involved, at_meeting, clinic)
    assert "has not consented to sharing information with Testshire Clinic" in str(
        refused.value.message_dict["organisation"]
    )
    assert list(at_meeting.organisations.all()) == []
    assert not SharingOverride.objects.exists()


def test_a_duty_to_share_override_lets_it_join_and_is_flagged_for_review(
    at_meeting, involved, other_org, clinic, eho, manager
):
    services.add_organisation(
        involved, at_meeting, clinic, override_reason="Bruising seen; parent refuses to engage"
    )
    override = SharingOverride.objects.get()
    assert (override.organisation, override.recorded_by, override.reviewed_at) == (
        clinic,
        involved,
        None,
    )
    assert list(policy.episodes_visible_to(other_org)) == [at_meeting]
    assert list(policy.sharing_overrides_to_review(eho)) == [override]
    assert list(policy.sharing_overrides_to_review(manager)) == [override]
    flagged = sorted(n.user.email for n in Notification.objects.filter(episode=at_meeting))
    assert "eho@test.example" in flagged and "manager@test.example" in flagged
    event = AuditEvent.objects.get(action=Action.OVERRIDE)
    # The audit trail keeps field names, never what was written about the family.
    assert (event.object_type, event.changes, event.reason) == (
        "consent.sharingoverride",
        {"fields": ["organisation", "reason"]},
        "",
    )


def test_those_not_involved_cannot_arrange_a_meeting(at_meeting, other_org, child):
    with pytest.raises(PermissionDenied):
        arrange(other_org, at_meeting, people=[child])
    assert at_meeting.meetings.count() == 0


@pytest.fixture
def meeting(at_meeting, involved, colleague, child, parent):
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    for person in (parent, child):
        InviteeFactory(meeting=meeting, person=person)
    for user in (involved, colleague):
        InviteeFactory(meeting=meeting, user=user, organisation=at_meeting.requesting_organisation)
    return meeting


def test_attendance_notes_and_the_lead_professional_are_recorded(meeting, involved, colleague):
    parent_invite, child_invite, involved_invite, colleague_invite = meeting.invitees.order_by("id")

    services.record_meeting(
        involved,
        meeting,
        attendance={parent_invite: True, involved_invite.pk: True, colleague_invite: False},
        notes="  Synthetic notes.  ",
        lead_professional=colleague,
        family_view_on_lead="Happy with Casey.",
    )

    meeting.refresh_from_db()
    assert (
        meeting.held,
        meeting.notes,
        meeting.lead_professional,
        meeting.family_view_on_lead,
    ) == (True, "Synthetic notes.", colleague, "Happy with Casey.")
    assert list(meeting.invitees.order_by("id").values_list("attended", flat=True)) == [
        True,
        False,
        True,
        False,
    ]
    event = AuditEvent.objects.filter(object_type="meetings.meeting").get()
    assert event.changes == {
        "fields": ["attendance", "family_view_on_lead", "held", "lead_professional", "notes"]
    }
    # The episode's lead is set when the plan is agreed, through the state machine.
    meeting.episode.refresh_from_db()
    assert meeting.episode.lead_professional is None


def test_the_lead_professional_must_work_for_an_organisation_in_the_team(
    meeting, involved, other_org
):
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(
            involved,
            meeting,
            attendance={},
            lead_professional=other_org,
            family_view_on_lead="They know her.",
        )

    assert refused.value.message_dict == {
        "lead_professional": [
            f"{other_org.full_name} cannot be the lead professional: choose someone who works "
            "for an organisation in the Team Around the Family"
        ]
    }
    meeting.refresh_from_db()
    assert (meeting.held, meeting.lead_professional) == (False, None)


def test_the_familys_view_on_the_lead_is_required(meeting, involved):
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(involved, meeting, attendance={}, lead_professional=involved)
    assert refused.value.message_dict == {
        "family_view_on_lead": ["Record the family's view on the lead professional"]
    }


def test_a_meeting_cannot_be_recorded_before_it_starts(meeting, involved):
    meeting.starts_at = NEXT_WEEK
    meeting.save()
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(involved, meeting, attendance={})
    assert refused.value.messages == ["You can record the meeting once it has started"]


def test_the_invitation_is_emailed_to_professionals_when_the_change_commits(
    meeting, involved, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recipients = services.email_invite(involved, meeting)

    assert recipients == [involved, colleague]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    reference = meeting.episode.reference
    assert message.to == ["involved@test.example", "colleague@test.example"]
    assert message.subject.startswith(f"Early Help {reference}: Team Around the Family meeting on ")
    assert meeting.episode.family.name not in message.subject + message.body
    attachment = message.message().get_payload()[1]
    assert (
        attachment.get_content_type(),
        attachment.get_param("method"),
        attachment.get_filename(),
    ) == (
        "text/calendar",
        "REQUEST",
        f"{reference}-meeting-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics",
    )
    ics = attachment.get_payload(decode=True).decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    meeting.refresh_from_db()
    assert meeting.invite_emailed_at is not None
    event = AuditEvent.objects.filter(object_type="meetings.meeting").get()
    assert event.changes == {"fields": ["invite_emailed_at"]}


def test_nothing_is_emailed_if_the_transaction_rolls_back(
    meeting, involved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.email_invite(involved, meeting)
    assert (len(callbacks), len(mail.outbox)) == (1, 0)


def test_an_invitation_needs_a_professional_to_send_to(at_meeting, involved, child):
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    InviteeFactory(meeting=meeting, person=child)
    with pytest.raises(ValidationError) as refused:
        services.email_invite(involved, meeting)
    assert refused.value.messages == ["No professionals are invited, so there is no one to email"]


def test_invitees_are_a_family_member_or_a_professional(meeting):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitee.objects.create(meeting=meeting)


@pytest.mark.parametrize("typed", ["٣:٣٠", "09:٣٠", "²pm", "9" * 30 + ":00"])
def test_a_time_in_other_than_ascii_digits_is_no_time(typed):
    assert parse_time(typed) is None
