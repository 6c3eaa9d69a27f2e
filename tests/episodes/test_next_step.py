"""The case page's "Next" line carries the button that does the next thing, for
someone who may do it, when the stage allows it; the default case list shows
every case that is not closed."""

import datetime
import html
import re

from django.utils import timezone

from assessments.models import Assessment
from episodes.services import transition
from referrals.services import record_decision, step_up
from tests.factories import EpisodeFactory
from tests.journey import move_to_plan
from tests.journey_factories import MeetingFactory, complete_assessment


def next_button(client, episode):
    """(label, href) of the button on the case page's "Next" line, or None."""
    page = client.get(f"/cases/{episode.pk}/").content.decode()
    block = re.search(r'<div class="govuk-inset-text" id="next-step">(.*?)\n</div>', page, re.S)
    assert block, "the case page has no Next line"
    button = re.search(r'<a href="([^"]+)" role="button"[^>]*>([^<]+)</a>', block[1])
    return (html.unescape(button[2]).strip(), button[1]) if button else None


def test_record_consent_when_the_request_is_new(client_for, involved, episode):
    assert next_button(client_for(involved), episode) == (
        "Record consent",
        f"/cases/{episode.pk}/consent/",
    )


def test_start_then_continue_the_assessment(client_for, involved, episode):
    transition(involved, episode, "give_consent")
    client = client_for(involved)
    url = f"/cases/{episode.pk}/assessment/"
    assert next_button(client, episode) == ("Start the assessment", url)
    Assessment.objects.create(episode=episode, started_by=involved, updated_by=involved)
    assert next_button(client, episode) == ("Continue the assessment", url)


def test_arrange_then_record_the_meeting_then_agree_the_plan(client_for, involved, episode):
    complete_assessment(episode, involved)
    client = client_for(involved)
    assert next_button(client, episode) == (
        "Arrange the Team Around the Family meeting",
        f"/cases/{episode.pk}/meetings/new/",
    )
    coming = MeetingFactory(
        episode=episode,
        arranged_by=involved,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    assert next_button(client, episode) == (
        "See the Team Around the Family meeting",
        f"/cases/{episode.pk}/meetings/{coming.pk}/",
    )
    coming.starts_at = timezone.now() - datetime.timedelta(hours=1)
    coming.save()
    assert next_button(client, episode) == (
        "Record the Team Around the Family meeting",
        f"/cases/{episode.pk}/meetings/{coming.pk}/record/",
    )
    coming.held = True
    coming.save()
    assert next_button(client, episode) == ("Agree the plan", f"/cases/{episode.pk}/plan/agree/")


def test_review_the_plan(client_for, involved, episode):
    move_to_plan(involved, episode, involved)
    assert next_button(client_for(involved), episode) == (
        "Record a review",
        f"/cases/{episode.pk}/reviews/new/",
    )


def test_the_step_up_decision_is_recorded_straight_from_the_case_page(
    client_for, involved, eho, manager, episode
):
    referral = step_up(involved, episode, concern="A new injury")
    form = f"/cases/{episode.pk}/referrals/{referral.pk}/decision/"
    assert next_button(client_for(eho), episode) == (
        "Record children's social care's decision",
        form,
    )
    assert next_button(client_for(manager), episode) == (
        "Record children's social care's decision",
        form,
    )
    # The practitioner who referred may not record the decision.
    assert next_button(client_for(involved), episode) is None
    assert client_for(eho).get(form).status_code == 200


def test_no_button_for_a_panel_member_who_only_reads(client_for, episode, other_org):
    from panels import services as panel_services
    from referrals.services import refer_to_panel
    from tests.factories import UserFactory

    coordinator = UserFactory(local_authority=episode.local_authority, roles=["panel"])
    panel = panel_services.arrange_panel(
        coordinator, meets_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    panel_services.add_member(coordinator, panel, other_org)
    refer_to_panel(episode.requested_by, episode, concern="No lead can be found")
    panel_services.add_to_agenda(coordinator, panel, episode)
    client = client_for(other_org)
    assert client.get(f"/cases/{episode.pk}/").status_code == 200
    assert next_button(client, episode) is None


def test_no_next_line_once_closed_and_no_button_after_the_decision(
    client_for, involved, eho, episode
):
    referral = step_up(involved, episode, concern="A new injury")
    record_decision(eho, referral, accepted=True)
    page = client_for(eho).get(f"/cases/{episode.pk}/").content.decode()
    assert 'id="next-step"' not in page


def test_the_default_list_includes_stepped_up_cases(
    client_for, eho, manager, involved, episode, la
):
    step_up(involved, episode, concern="A new injury")
    closed = EpisodeFactory(
        local_authority=la, district=episode.district, status="closed", closure_reason="needs_met"
    )
    for user in (eho, manager):
        response = client_for(user).get("/cases/")
        page = response.content.decode()
        assert (episode.reference in page, closed.reference in page) == (True, False)
        [row] = response.context["rows"]
        assert row["next"].what == "Record children's social care's decision"


def test_the_list_shows_an_override_to_review_beside_the_case(
    client_for, eho, involved, episode, clinic
):
    from consent.services import record_sharing_override

    episode.organisations.add(clinic)
    override = record_sharing_override(involved, episode, clinic, reason="Injury disclosed")
    [row] = client_for(eho).get("/cases/").context["rows"]
    assert [(item.what, item.link) for item in row["also"]] == [
        (
            "Information shared without consent: to review",
            f"/cases/{episode.pk}/consent/overrides/{override.pk}/review/",
        )
    ]
    [row] = client_for(involved).get("/cases/").context["rows"]
    assert row["also"] == []


def test_the_home_count_includes_stepped_up_cases(client_for, eho, involved, episode):
    step_up(involved, episode, concern="A new injury")
    assert "You can see 1 open case." in client_for(eho).get("/").content.decode()
