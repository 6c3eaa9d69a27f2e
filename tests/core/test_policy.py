"""Who sees which episode and person: every persona against one case."""

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from consent.models import SharingOverride
from consent.services import withdraw_consent
from core import policy
from panels.models import AgendaItem, Panel
from people.models import Relationship
from tests.factories import EpisodeFactory, UserFactory
from tests.journey_factories import add_member, share_with

EXPECTED_EPISODE_ACCESS = {
    "involved": True,
    "other_org": False,
    "eho": True,
    "other_eho": False,
    "manager": True,
    "other_la_manager": False,
    "la_admin": False,
}


@pytest.mark.parametrize(("persona", "allowed"), EXPECTED_EPISODE_ACCESS.items())
def test_episode_visibility_by_persona(request, episode, persona, allowed):
    user = request.getfixturevalue(persona)
    assert list(policy.episodes_visible_to(user)) == ([episode] if allowed else [])


@pytest.mark.parametrize(("persona", "allowed"), EXPECTED_EPISODE_ACCESS.items())
def test_person_visibility_follows_the_episode(request, episode, child, persona, allowed):
    user = request.getfixturevalue(persona)
    assert list(policy.people_visible_to(user)) == ([child] if allowed else [])


def test_joining_the_team_is_not_enough_without_consent_to_share(episode, other_org, clinic):
    episode.organisations.add(clinic)
    assert list(policy.episodes_visible_to(other_org)) == []


def test_consent_to_share_without_joining_the_team_is_not_enough(
    episode, other_org, clinic, involved
):
    share_with(episode, clinic, involved)
    assert list(policy.episodes_visible_to(other_org)) == []


def test_a_team_organisation_the_family_consented_to_share_with_sees_the_case(
    episode, other_org, clinic, involved
):
    episode.organisations.add(clinic)
    share_with(episode, clinic, involved)
    assert list(policy.episodes_visible_to(other_org)) == [episode]
    assert policy.can_work_on_episode(other_org, episode)


def test_withdrawing_consent_cuts_the_organisations_access_at_once(
    episode, other_org, clinic, involved
):
    episode.organisations.add(clinic)
    consent = share_with(episode, clinic, involved)
    withdraw_consent(involved, consent, note="Parent asked us to stop sharing with the clinic")
    assert list(policy.episodes_visible_to(other_org)) == []
    with pytest.raises(Http404):
        policy.get_episode_for(other_org, episode.pk)


def test_consent_from_another_family_member_keeps_access_after_one_withdraws(
    episode, other_org, clinic, involved
):
    episode.organisations.add(clinic)
    first = share_with(episode, clinic, involved)
    second = share_with(episode, clinic, involved)
    second.person = add_member(episode, Relationship.PARENT, first_name="Ash")
    second.save()
    withdraw_consent(involved, first)
    assert list(policy.episodes_visible_to(other_org)) == [episode]


def test_requesting_organisation_colleagues_need_consent_but_the_requester_does_not(
    episode, involved, la, school
):
    colleague = UserFactory(local_authority=la, organisation=school, roles=[Role.PRACTITIONER])
    assert list(policy.episodes_visible_to(colleague)) == []
    assert list(policy.episodes_visible_to(involved)) == [episode]
    share_with(episode, school, involved)
    assert list(policy.episodes_visible_to(colleague)) == [episode]


def test_a_duty_to_share_override_gives_access_until_it_is_ended(
    episode, other_org, clinic, involved
):
    episode.organisations.add(clinic)
    override = SharingOverride.objects.create(
        episode=episode,
        organisation=clinic,
        reason="Risk of significant harm",
        recorded_by=involved,
    )
    assert list(policy.episodes_visible_to(other_org)) == [episode]
    override.ended_at = timezone.now()
    override.save()
    assert list(policy.episodes_visible_to(other_org)) == []


def test_panel_members_see_agenda_cases_only_while_the_panel_is_open(episode, other_org, manager):
    panel = Panel.objects.create(
        local_authority=episode.local_authority, meets_on=timezone.localdate(), created_by=manager
    )
    panel.members.add(other_org)
    assert list(policy.episodes_visible_to(other_org)) == []
    AgendaItem.objects.create(panel=panel, episode=episode)
    assert list(policy.episodes_visible_to(other_org)) == [episode]
    assert not policy.can_work_on_episode(other_org, episode)
    panel.closed_at = timezone.now()
    panel.save()
    assert list(policy.episodes_visible_to(other_org)) == []


def test_lead_professional_sees_the_case_from_any_organisation(episode, la):
    lead = UserFactory(local_authority=la, roles=[Role.PRACTITIONER])
    episode.lead_professional = lead
    episode.save()
    assert list(policy.episodes_visible_to(lead)) == [episode]


def test_deactivated_users_see_nothing(episode, involved):
    involved.is_active = False
    involved.save()
    assert list(policy.episodes_visible_to(involved)) == []


def test_an_episode_is_listed_once_however_many_routes_lead_to_it(episode, involved, school):
    episode.organisations.add(school)
    episode.lead_professional = involved
    episode.save()
    assert policy.episodes_visible_to(involved).count() == 1


def test_fetching_a_hidden_episode_is_a_404_and_audited(episode, other_org):
    from django.http import Http404

    with pytest.raises(Http404):
        policy.get_episode_for(other_org, episode.pk)
    denial = AuditEvent.objects.get()
    assert (denial.action, denial.actor, denial.object_id) == (
        Action.PERMISSION_DENIED,
        other_org,
        str(episode.pk),
    )


def test_fetching_a_missing_episode_is_a_404_without_an_audit_event(db, other_org):
    from django.http import Http404

    with pytest.raises(Http404):
        policy.get_episode_for(other_org, 999999)
    assert AuditEvent.objects.count() == 0


def test_only_la_administrators_manage_users_and_only_in_their_own_la(
    la_admin, manager, other_la_manager
):
    assert (policy.can_manage_users(la_admin), policy.can_manage_users(manager)) == (True, False)
    assert other_la_manager not in policy.users_manageable_by(la_admin)
    assert manager in policy.users_manageable_by(la_admin)


def test_another_las_episodes_are_invisible_even_to_its_managers(
    episode, other_la, other_la_manager
):
    theirs = EpisodeFactory(local_authority=other_la)
    assert list(policy.episodes_visible_to(other_la_manager)) == [theirs]
