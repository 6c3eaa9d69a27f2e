"""Who sees which episode and person: every persona against one case."""

import pytest

from accounts.models import Role
from audit.models import Action, AuditEvent
from core import policy
from tests.factories import EpisodeFactory, UserFactory

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


def test_practitioner_sees_a_case_once_their_organisation_joins_the_team(
    episode, other_org, clinic
):
    assert list(policy.episodes_visible_to(other_org)) == []
    episode.organisations.add(clinic)
    assert list(policy.episodes_visible_to(other_org)) == [episode]


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
