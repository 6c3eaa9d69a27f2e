"""Changing the lead professional once one is agreed: by the district's Early
Help Officer or a manager, or at a meeting; why, the family's view and a
handover note are kept, the change is audited and in the chronology, and the
old and new lead are told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from audit.models import Action, AuditEvent
from episodes.chronology import chronology
from episodes.lead_professional import change_lead_professional, lead_candidates
from episodes.models import ClosureReason, LeadChange, LeadChangeRoute, NeedOutcome
from episodes.services import close_episode
from episodes.states import TransitionRefused
from notifications.models import Notification
from referrals.services import step_up
from tests.factories import UserFactory
from tests.journey_factories import (
    MeetingFactory,
    agree,
    complete_assessment,
)

DETAILS = {
    "reason": "Casey knows the family from the nursery.",
    "family_view": "Mum is pleased: she asked for Casey.",
    "handover_note": "Mornings are the hard time; call before 9.",
}


@pytest.fixture
def assessed(episode, involved):
    """The assessment complete: the meeting chooses the first lead."""
    return complete_assessment(episode, involved)


@pytest.fixture
def led(assessed, involved, school):
    """The plan agreed, led by `involved` of the school."""
    agree(assessed, involved, involved, school)
    assessed.refresh_from_db()
    return assessed


def change(actor, episode, new_lead, **details):
    return change_lead_professional(actor, episode, new_lead, **{**DETAILS, **details})


def test_the_eho_changes_the_lead_and_everything_is_kept_audited_and_told(
    led, episode, eho, involved, colleague
):
    changed = change(eho, episode, colleague)

    assert changed.lead_professional == colleague
    kept = LeadChange.objects.get()
    assert (
        kept.previous_lead,
        kept.new_lead,
        kept.reason,
        kept.family_view,
        kept.handover_note,
        kept.route,
        kept.changed_by,
    ) == (
        involved,
        colleague,
        DETAILS["reason"],
        DETAILS["family_view"],
        DETAILS["handover_note"],
        LeadChangeRoute.OFFICER,
        eho,
    )
    event = AuditEvent.objects.filter(action=Action.UPDATE, episode_id=episode.pk).last()
    assert (event.actor, event.changes) == (
        eho,
        {
            "fields": ["lead_professional"],
            "lead_professional": [involved.pk, colleague.pk],
            "lead_change": kept.pk,
        },
    )
    told = set(Notification.objects.values_list("user__email", "message"))
    assert told >= {
        (colleague.email, "You are now the lead professional"),
        (
            involved.email,
            f"You are no longer the lead professional: {colleague.full_name} has taken over",
        ),
    }
    rows = [entry for entry in chronology(episode) if entry.title.startswith("Lead professional")]
    assert [(row.title, row.by) for row in rows] == [
        (
            f"Lead professional changed from {involved.full_name} to {colleague.full_name}",
            str(eho),
        )
    ]
    assert DETAILS["reason"] in rows[0].detail and DETAILS["family_view"] in rows[0].detail


def test_a_manager_may_change_the_lead_of_a_stepped_up_case(
    led, episode, manager, involved, colleague
):
    step_up(involved, episode, concern="Bruising seen at school.")
    episode.refresh_from_db()
    assert change(manager, episode, colleague).lead_professional == colleague


@pytest.mark.parametrize("persona", ["involved", "colleague", "other_eho", "la_admin", "other_org"])
def test_others_may_not_change_the_lead_outside_a_meeting(
    request, led, episode, colleague, persona
):
    with pytest.raises(PermissionDenied):
        change(request.getfixturevalue(persona), episode, colleague)
    episode.refresh_from_db()
    assert (episode.lead_professional.email, LeadChange.objects.count()) == (
        "involved@test.example",
        0,
    )


def test_a_meeting_of_the_team_may_agree_a_change(led, episode, involved, colleague):
    held = MeetingFactory(episode=episode, arranged_by=involved, held=True)
    changed = change_lead_professional(involved, episode, colleague, meeting=held, **DETAILS)
    assert (changed.lead_professional, LeadChange.objects.get().route) == (
        colleague,
        LeadChangeRoute.MEETING,
    )
    not_held = MeetingFactory(episode=episode, arranged_by=involved)
    with pytest.raises(ValidationError):
        change_lead_professional(involved, episode, involved, meeting=not_held, **DETAILS)


def test_no_change_before_a_lead_is_agreed_or_once_closed(
    assessed, episode, eho, colleague, involved
):
    with pytest.raises(TransitionRefused, match="No lead professional has been agreed yet"):
        change(eho, episode, colleague)
    episode.lead_professional = involved
    episode.save()
    close_episode(
        involved,
        episode,
        reason=ClosureReason.NEEDS_MET,
        need_outcomes={need.pk: NeedOutcome.ACHIEVED for need in episode.needs.all()},
    )
    with pytest.raises(TransitionRefused, match="closed"):
        change(eho, episode, colleague)


def test_the_new_lead_must_be_able_to_hold_the_case(
    led, episode, eho, involved, other_org, la_admin, colleague
):
    cases = {
        "not in the team": (other_org, "choose someone who works for an organisation"),
        "an administrator": (la_admin, "cannot hold a case: choose a practitioner"),
        "the same lead": (involved, "is already the lead professional"),
    }
    for new_lead, message in cases.values():
        with pytest.raises(ValidationError) as refused:
            change(eho, episode, new_lead)
        assert message in refused.value.message_dict["new_lead"][0]
    with pytest.raises(ValidationError) as refused:
        change(eho, episode, colleague, reason=" ", family_view="")
    assert sorted(refused.value.message_dict) == ["family_view", "reason"]
    assert LeadChange.objects.count() == 0
    # The administrator works for the school but manages users, not cases.
    assert list(lead_candidates(episode)) == [colleague]


def test_the_change_page_from_the_case_page(client_for, led, episode, eho, colleague, la):
    UserFactory(local_authority=la, email="admin2@test.example", roles=[Role.LA_ADMIN])
    client = client_for(eho)
    case_page = client.get(f"/cases/{episode.pk}/").content.decode()
    assert f'href="/cases/{episode.pk}/lead-professional/"' in case_page

    url = f"/cases/{episode.pk}/lead-professional/"
    page = client.get(url)
    assert list(page.context["form"].fields["new_lead"].choices) == [
        ("", ""),
        (colleague.pk, "Casey Colleague, Testshire Primary"),
    ]
    empty = client.post(url, {"new_lead": "", "reason": "", "family_view": ""})
    assert "govuk-error-summary" in empty.content.decode()
    assert sorted(empty.context["form"].errors) == ["family_view", "new_lead", "reason"]

    done = client.post(url, {"new_lead": colleague.pk, **DETAILS})
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.lead_professional == colleague


def test_the_change_link_is_only_for_those_who_may(client_for, led, episode, involved):
    page = client_for(involved).get(f"/cases/{episode.pk}/").content.decode()
    assert "/lead-professional/" not in page
    assert client_for(involved).get(f"/cases/{episode.pk}/lead-professional/").status_code == 403


def test_the_case_page_says_when_the_lead_has_left(client_for, led, episode, eho, involved):
    involved.is_active = False
    involved.save()
    page = client_for(eho).get(f"/cases/{episode.pk}/").content.decode()
    assert f"{involved.full_name} has left" in page


def test_the_page_says_why_when_no_lead_is_agreed_yet(client_for, assessed, episode, eho):
    page = client_for(eho).get(f"/cases/{episode.pk}/lead-professional/")
    assert "No lead professional has been agreed yet" in page.content.decode()


def test_the_eho_agrees_the_first_lead_of_a_stepped_down_case(
    client_for, la, district, school, involved, eho, colleague
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import EpisodeFactory

    stepped_down = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        source="step_down",
        lead_professional_due_by=timezone.localdate() + timedelta(days=5),
    )
    client = client_for(eho)
    url = f"/cases/{stepped_down.pk}/lead-professional/"
    case_page = client.get(f"/cases/{stepped_down.pk}/").content.decode()
    assert f'href="{url}"' in case_page.split('id="next-step"')[1].split("</div>")[0]
    page = client.get(url)
    assert "refused" not in page.context or page.context["refused"] is None
    assert '<h1 class="govuk-heading-l">Agree a lead professional</h1>' in page.content.decode()

    done = client.post(url, {"new_lead": colleague.pk, **DETAILS})
    assert done.status_code == 302
    stepped_down.refresh_from_db()
    assert stepped_down.lead_professional == colleague
    [change] = LeadChange.objects.filter(episode=stepped_down)
    assert change.previous_lead is None


def test_a_case_not_stepped_down_still_waits_for_its_meeting_to_choose_the_first_lead(
    episode, eho, colleague
):
    with pytest.raises(TransitionRefused, match="No lead professional has been agreed yet"):
        change(eho, episode, colleague)


def test_a_later_meeting_records_the_new_lead_it_agreed(
    client_for, led, episode, involved, colleague
):
    meeting = MeetingFactory(episode=episode, arranged_by=involved)
    url = f"/cases/{episode.pk}/meetings/{meeting.pk}/record/"
    client = client_for(involved)
    form = client.get(url).context["form"]
    assert [label for _pk, label in form.fields["new_lead"].choices] == [
        "No change",
        "Casey Colleague, Testshire Primary",
    ]

    refused = client.post(url, {"notes": "Reviewed", "new_lead": colleague.pk})
    assert sorted(refused.context["form"].errors) == ["family_view_on_lead", "lead_change_reason"]
    meeting.refresh_from_db()
    assert not meeting.held  # nothing half-written

    done = client.post(
        url,
        {
            "notes": "Reviewed",
            "new_lead": colleague.pk,
            "lead_change_reason": "Casey sees the family every day",
            "family_view_on_lead": "The family asked for Casey",
            "handover_note": "Attendance plan in the shared folder",
        },
    )
    assert done.status_code == 302
    episode.refresh_from_db()
    meeting.refresh_from_db()
    assert (episode.lead_professional, meeting.held) == (colleague, True)
    [change] = LeadChange.objects.filter(episode=episode)
    assert (change.route, change.previous_lead, change.handover_note) == (
        LeadChangeRoute.MEETING,
        involved,
        "Attendance plan in the shared folder",
    )


def test_a_later_meeting_that_changes_nothing_keeps_the_lead(client_for, led, episode, involved):
    meeting = MeetingFactory(episode=episode, arranged_by=involved)
    done = client_for(involved).post(
        f"/cases/{episode.pk}/meetings/{meeting.pk}/record/", {"notes": "Reviewed", "new_lead": ""}
    )
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.lead_professional == involved
    assert not LeadChange.objects.exists()
