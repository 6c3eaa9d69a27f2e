"""The visibility rule's SQL is compiled once per user and kept between
requests (core.policy._in_routes): what it lets through must still follow
the consents, the user's organisations and roles as they are now."""

from accounts.models import Membership, Role, User
from consent.models import Consent
from core import policy
from tests.factories import UserFactory
from tests.journey_factories import share_with


def fresh(user):
    """The user as the next request loads them (accounts.backends)."""
    return User.objects.select_related("local_authority").get(pk=user.pk)


def test_withdrawn_consent_ends_access_at_once_with_the_rule_compiled(
    episode, other_org, clinic, involved
):
    episode.organisations.add(clinic)
    consent = share_with(episode, clinic, involved)
    assert list(policy.episodes_visible_to(fresh(other_org))) == [episode]
    Consent.objects.filter(pk=consent.pk).update(given=False)
    # The same SQL, asked again: the database reads the consents as they are.
    assert list(policy.episodes_visible_to(fresh(other_org))) == []


def test_leaving_an_organisation_ends_its_access_on_the_next_request(
    episode, other_org, clinic, involved
):
    episode.organisations.add(clinic)
    share_with(episode, clinic, involved)
    assert policy.can_work_on_episode(fresh(other_org), episode)
    Membership.objects.filter(user=other_org, organisation=clinic).delete()
    assert not policy.can_work_on_episode(fresh(other_org), episode)
    assert list(policy.episodes_visible_to(fresh(other_org))) == []


def test_a_role_taken_away_ends_its_access_on_the_next_request(episode, eho, involved):
    assert list(policy.episodes_visible_to(fresh(eho))) == [episode]
    eho.roles.filter(role=Role.EARLY_HELP_OFFICER).delete()
    assert list(policy.episodes_visible_to(fresh(eho))) == []


def test_users_alike_do_not_share_a_rule(la, school, episode, involved):
    # Same council, organisation and roles as the case's worker, but not
    # the one who asked for help: the family has not consented to share.
    colleague = UserFactory(
        local_authority=la,
        email="colleague@test.example",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )
    assert list(policy.episodes_visible_to(fresh(involved))) == [episode]
    assert list(policy.episodes_visible_to(fresh(colleague))) == []
    assert list(policy.my_episodes(fresh(colleague))) == []


def test_forget_access_reads_organisations_again(episode, other_org, clinic, school, involved):
    user = fresh(other_org)
    assert user.organisation_ids == [clinic.pk]
    Membership.objects.create(user=other_org, organisation=school)
    user.forget_access()
    assert sorted(user.organisation_ids) == sorted([clinic.pk, school.pk])
