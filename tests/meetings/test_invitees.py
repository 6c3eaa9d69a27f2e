"""Who is offered as an invitee, a lead professional or a named worker."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import policy
from meetings import services
from meetings.models import Meeting
from people.models import Relationship
from plans.forms import PlanChoices
from tests.journey_factories import InviteeFactory, MeetingFactory, add_member


def test_a_family_member_without_an_account_is_invited_and_recorded_as_attending(
    client_for, involved, at_meeting, parent
):
    client = client_for(involved)
    day = timezone.localdate() + datetime.timedelta(days=2)
    client.post(
        f"/cases/{at_meeting.pk}/meetings/new/",
        {
            "date-day": day.day,
            "date-month": day.month,
            "date-year": day.year,
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Family hub",
            "people": [parent.pk],
        },
    )
    meeting = Meeting.objects.get()
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()
    invitee = meeting.invitees.get()
    assert (invitee.person, invitee.user) == (parent, None)

    page = client.get(f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/record/")
    assert page.context["form"].fields["attended"].choices == [(invitee.pk, "Robin Testfamily")]
    response = client.post(
        f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/record/",
        {"attended": [invitee.pk], "notes": ""},
    )

    assert response.status_code == 302
    invitee.refresh_from_db()
    assert invitee.attended is True
    detail = client.get(f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/").content.decode()
    assert "Robin Testfamily" in detail and "Came" in detail


def test_an_unborn_child_is_never_ticked_to_invite(client_for, involved, at_meeting, child, parent):
    expected = timezone.localdate() + datetime.timedelta(days=60)
    unborn = add_member(
        at_meeting,
        Relationship.CHILD,
        first_name="Baby",
        last_name="Testfamily",
        date_of_birth=None,
        expected_date_of_birth=expected,
    )

    form = client_for(involved).get(f"/cases/{at_meeting.pk}/meetings/new/").context["form"]

    offered = [pk for pk, _label in form.fields["people"].choices]
    assert unborn.pk in offered
    assert sorted(form.initial["people"]) == sorted([child.pk, parent.pk])


@pytest.fixture
def council_admin(la_admin):
    """An administrator who works at the requesting school: users, not cases."""
    la_admin.full_name = "Alex Admin"
    la_admin.save()
    return la_admin


def test_an_administrator_may_not_hold_cases(council_admin, involved):
    from accounts.models import Role

    assert (policy.may_hold_cases(council_admin), policy.may_hold_cases(involved)) == (
        False,
        True,
    )
    council_admin.grant(Role.PRACTITIONER)
    assert policy.may_hold_cases(council_admin) is True


def test_an_administrator_is_never_offered_as_an_invitee(
    client_for, involved, at_meeting, council_admin
):
    form = client_for(involved).get(f"/cases/{at_meeting.pk}/meetings/new/").context["form"]

    assert council_admin.pk not in [pk for pk, _label in form.fields["users"].choices]
    assert council_admin not in services.invitable_staff(at_meeting)
    with pytest.raises(ValidationError) as refused:
        services.arrange_meeting(
            involved,
            at_meeting,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            location="Family hub",
            users=[council_admin],
        )
    assert "users" in refused.value.message_dict


def test_an_administrator_is_never_offered_as_lead_professional(
    client_for, involved, at_meeting, council_admin, child
):
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    InviteeFactory(meeting=meeting, person=child)

    form = client_for(involved).get(f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/record/")
    choices = form.context["form"].fields["lead_professional"].choices

    assert council_admin.pk not in [pk for pk, _label in choices]
    assert involved.pk in [pk for pk, _label in choices]
    assert services.lead_professional_refusal(at_meeting, council_admin) is not None
    assert services.lead_professional_refusal(at_meeting, involved) is None


def test_an_administrator_is_never_offered_as_a_named_worker(at_meeting, involved, council_admin):
    choices = PlanChoices(at_meeting)

    assert council_admin.pk not in choices.workers
    assert involved.pk in choices.workers
