"""The panel's decision acts on the case: it allocates a lead professional,
adds an organisation to the team, steps up, closes, or returns the case to its
team with advice; the referral is marked decided, the chronology shows it and
the referrer and the lead professional are told. And a family can be referred
to the panel from any open stage, with the reason the agenda shows."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from episodes.chronology import chronology
from episodes.models import Episode, LeadChange, LeadChangeRoute, Status
from episodes.services import transition
from notifications.models import Notification
from panels import services
from panels.models import PanelDecision
from referrals.models import Kind, PanelReason, Referral, ReferralStatus
from referrals.services import refer_to_panel
from tests.journey_factories import (
    share_with,
)
from tests.panels.conftest import NEXT_WEEK

PANEL_DATE = NEXT_WEEK.strftime("%-d %B %Y")


def decide(coordinator, item, decision, **details):
    return services.record_outcome(
        coordinator, item, decision=decision, outcome="The panel's reasons.", **details
    )


def test_the_panel_allocates_the_first_lead_professional(
    on_agenda, coordinator, involved, colleague, referral, episode
):
    decide(
        coordinator,
        on_agenda,
        PanelDecision.ALLOCATE_LEAD,
        new_lead=colleague,
        family_view="Pleased to have one person to call.",
    )

    episode.refresh_from_db()
    referral.refresh_from_db()
    assert episode.lead_professional == colleague
    assert referral.status == ReferralStatus.DECIDED
    change = LeadChange.objects.get()
    assert (change.previous_lead, change.new_lead, change.route) == (
        None,
        colleague,
        LeadChangeRoute.PANEL,
    )
    rows = [entry for entry in chronology(episode) if "panel" in entry.title.lower()]
    assert [(row.title, row.by) for row in rows][-1] == (
        f"The panel on {PANEL_DATE} decided: Allocate a lead professional: Casey Colleague",
        str(coordinator),
    )
    told = set(Notification.objects.values_list("user__email", "message"))
    decided = (
        f"The Early Help and Family Support Panel on {PANEL_DATE} decided: "
        "Allocate a lead professional"
    )
    assert {(involved.email, decided), (colleague.email, decided)} <= told


def test_the_panel_changes_a_lead_professional(on_agenda, coordinator, involved, colleague):
    episode = on_agenda.episode
    Episode.objects.filter(pk=episode.pk).update(lead_professional=involved)
    decide(
        coordinator,
        on_agenda,
        PanelDecision.ALLOCATE_LEAD,
        new_lead=colleague,
        family_view="Asked for a change.",
    )
    episode.refresh_from_db()
    assert episode.lead_professional == colleague
    assert Notification.objects.filter(
        user=involved, message__startswith="You are no longer the lead professional"
    ).exists()


def test_allocating_needs_someone_who_can_hold_the_case(on_agenda, coordinator, la_admin):
    with pytest.raises(ValidationError) as refused:
        decide(coordinator, on_agenda, PanelDecision.ALLOCATE_LEAD, new_lead=la_admin)
    assert sorted(refused.value.message_dict) == ["family_view", "new_lead"]
    on_agenda.refresh_from_db()
    assert (on_agenda.is_decided, on_agenda.referral.status) == (False, ReferralStatus.SENT)


def test_the_panel_adds_an_organisation_the_family_shares_with(
    on_agenda, coordinator, clinic, involved
):
    episode = on_agenda.episode
    with pytest.raises(ValidationError) as refused:
        decide(coordinator, on_agenda, PanelDecision.ADD_ORGANISATION, organisation=clinic)
    assert (
        "has not consented to sharing information" in refused.value.message_dict["organisation"][0]
    )
    assert not on_agenda.is_decided

    share_with(episode, clinic, involved)
    decide(coordinator, on_agenda, PanelDecision.ADD_ORGANISATION, organisation=clinic)
    assert clinic in episode.organisations.all()
    on_agenda.refresh_from_db()
    assert on_agenda.decision_summary == (
        "Add an organisation or service to the team: Testshire Clinic"
    )


def test_the_panel_steps_up(on_agenda, coordinator, episode):
    decide(
        coordinator,
        on_agenda,
        PanelDecision.STEP_UP,
        concern="Neglect: no food in the house.",
        significant_harm="yes",
    )
    episode.refresh_from_db()
    assert episode.status == Status.STEPPED_UP
    step_up = Referral.objects.get(episode=episode, kind=Kind.STEP_UP)
    assert (step_up.concern, step_up.sent_by) == ("Neglect: no food in the house.", coordinator)


def test_the_panel_closes_with_a_reason_and_each_needs_outcome(on_agenda, coordinator, episode):
    need = episode.needs.create(need="housing")
    with pytest.raises(ValidationError):
        decide(coordinator, on_agenda, PanelDecision.CLOSE, closure_reason="needs_met")
    decide(
        coordinator,
        on_agenda,
        PanelDecision.CLOSE,
        closure_reason="needs_met",
        need_outcomes={need.pk: "achieved"},
    )
    episode.refresh_from_db()
    need.refresh_from_db()
    assert (episode.status, episode.closure_reason, episode.closure_advice, need.outcome) == (
        Status.CLOSED,
        "needs_met",
        "The panel's reasons.",
        "achieved",
    )


def test_returning_to_the_team_changes_only_the_referral(on_agenda, coordinator, episode):
    before = (episode.status, episode.lead_professional_id)
    decide(coordinator, on_agenda, PanelDecision.RETURN_TO_TEAM)
    episode.refresh_from_db()
    on_agenda.referral.refresh_from_db()
    assert (episode.status, episode.lead_professional_id) == before
    assert on_agenda.referral.status == ReferralStatus.DECIDED


def test_a_decision_is_recorded_once(client_for, on_agenda, coordinator):
    decide(coordinator, on_agenda, PanelDecision.RETURN_TO_TEAM)
    with pytest.raises(ValidationError, match="is recorded and has acted on the case"):
        decide(coordinator, on_agenda, PanelDecision.STEP_UP, concern="Changed our minds")
    url = f"/panels/{on_agenda.panel_id}/agenda/{on_agenda.pk}/"
    client = client_for(coordinator)
    page = client.get(url).content.decode()
    assert "Return to the Team Around the Family with advice" in page
    assert "Save the decision" not in page
    assert client.post(
        url, {"decision": "step_up", "outcome": "x", "concern": "y"}
    ).status_code == (409)


def test_the_decision_page_asks_what_each_decision_needs(
    client_for, on_agenda, coordinator, colleague, episode
):
    need = episode.needs.create(need="housing")
    client = client_for(coordinator)
    url = f"/panels/{on_agenda.panel_id}/agenda/{on_agenda.pk}/"
    page = client.get(url)
    assert (colleague.pk, "Casey Colleague, Testshire Primary") in page.context["form"].fields[
        "new_lead"
    ].choices
    cases = {
        "allocate_lead": ["family_view", "new_lead"],
        "add_organisation": ["organisation"],
        "step_up": ["concern"],
        "close": ["closure_reason", f"need_{need.pk}"],
    }
    for decision, missing in cases.items():
        response = client.post(url, {"decision": decision, "outcome": "Reasons"})
        assert sorted(response.context["form"].errors) == missing, decision
    done = client.post(
        url,
        {
            "decision": "allocate_lead",
            "outcome": "Casey knows the family.",
            "new_lead": colleague.pk,
            "family_view": "Happy.",
        },
    )
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.lead_professional == colleague


# Referring to the panel from any open stage --------------------------------


def test_a_family_is_referred_from_the_case_page_with_a_reason(
    client_for, involved, episode, coordinator
):
    client = client_for(involved)
    case_page = client.get(f"/cases/{episode.pk}/").content.decode()
    url = f"/cases/{episode.pk}/referrals/panel/"
    assert f'href="{url}"' in case_page

    other = client.post(url, {"reason": "other", "concern": " "})
    assert other.context["form"].errors == {
        "concern": ["Say why the family is being referred to the panel"]
    }
    sent = client.post(url, {"reason": "no_lead", "concern": ""})
    assert sent.status_code == 302
    referral = Referral.objects.get(episode=episode, kind=Kind.PANEL)
    assert (referral.panel_reason, referral.status) == (PanelReason.NO_LEAD, ReferralStatus.SENT)
    assert Notification.objects.filter(
        user=coordinator, message="Referral to the Early Help and Family Support Panel"
    ).exists()

    again = client.post(url, {"reason": "not_engaging"})
    assert "is waiting for its decision" in again.content.decode()
    assert Referral.objects.filter(episode=episode, kind=Kind.PANEL).count() == 1


@pytest.mark.parametrize("stage", ["assessment", "meeting"])
def test_any_open_stage_may_refer(involved, episode, stage):
    transition(involved, episode, "give_consent")
    if stage == "meeting":
        transition(involved, episode, "complete_assessment")
    referral = refer_to_panel(involved, episode, reason=PanelReason.NOT_ENGAGING, concern="")
    assert referral.panel_reason == PanelReason.NOT_ENGAGING


def test_a_case_no_longer_open_is_not_referred(client_for, involved, episode):
    Episode.objects.filter(pk=episode.pk).update(status=Status.STEPPED_UP)
    client = client_for(involved)
    assert "/referrals/panel/" not in client.get(f"/cases/{episode.pk}/").content.decode()
    page = client.post(f"/cases/{episode.pk}/referrals/panel/", {"reason": "no_lead"})
    assert "Only an open case can be referred to the panel" in page.content.decode()
    assert not Referral.objects.filter(kind=Kind.PANEL).exists()


def test_the_agenda_shows_each_referrals_reason(client_for, coordinator, panel, involved, episode):
    referral = refer_to_panel(
        involved, episode, reason=PanelReason.PLAN_UNDELIVERABLE, concern="No housing worker."
    )
    services.add_to_agenda(coordinator, panel, episode, referral=referral)
    page = client_for(coordinator).get(f"/panels/{panel.pk}/").content.decode()
    assert "The plan cannot be delivered: No housing worker." in page


@pytest.mark.parametrize("decision", [PanelDecision.STEP_UP, PanelDecision.CLOSE])
def test_a_panel_decision_that_acts_on_the_case_is_one_row(
    on_agenda, coordinator, episode, decision
):
    from episodes.chronology import chronology

    need = episode.needs.create(need="housing")
    details = (
        {"concern": "Neglect: no food in the house.", "significant_harm": "yes"}
        if decision == PanelDecision.STEP_UP
        else {"closure_reason": "needs_met", "need_outcomes": {need.pk: "achieved"}}
    )
    decide(coordinator, on_agenda, decision, **details)
    episode.refresh_from_db()
    titles = [str(entry.title) for entry in chronology(episode)]
    assert sum("The panel on" in title for title in titles) == 1
    assert not any(title.startswith(("Closed:", "Referred to Children")) for title in titles)


def test_a_panel_closing_the_case_records_each_met_needs_evidence(
    client_for, on_agenda, coordinator, episode
):
    """As the closure page does: a need met needs what shows it and when, so a
    case the panel closes can count towards the Supporting Families claim."""
    need = episode.needs.create(need="housing")
    client = client_for(coordinator)
    url = f"/panels/{on_agenda.panel_id}/agenda/{on_agenda.pk}/"
    closing = {
        "decision": "close",
        "outcome": "Needs met.",
        "closure_reason": "needs_met",
        f"need_{need.pk}": "achieved",
    }
    refused = client.post(url, closing)
    assert refused.status_code == 200
    assert any(name.startswith(f"need_{need.pk}_") for name in refused.context["form"].errors)
    episode.refresh_from_db()
    assert episode.status != Status.CLOSED

    today = timezone.localdate()
    done = client.post(
        url,
        {
            **closing,
            f"need_{need.pk}_evidence_type": "tenancy",
            f"need_{need.pk}_evidence": "The tenancy was renewed for a year.",
            f"need_{need.pk}_date-day": str(today.day),
            f"need_{need.pk}_date-month": str(today.month),
            f"need_{need.pk}_date-year": str(today.year),
        },
    )
    assert done.status_code == 302
    need.refresh_from_db()
    assert (need.outcome, need.evidence_type, need.outcome_on) == ("achieved", "tenancy", today)
