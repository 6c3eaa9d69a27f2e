"""Consent governs sharing: who in the Team Around the Family may see the case,
the duty-to-share override and its review, and what the case page says."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import Action, AuditEvent
from consent import services
from core import policy
from tests.consent.pages import page_text
from tests.journey_factories import share_with


@pytest.fixture
def clinic_in_team(episode, clinic):
    episode.organisations.add(clinic)
    return clinic


@pytest.fixture
def override(episode, clinic_in_team, involved):
    return services.record_sharing_override(
        involved, episode, clinic_in_team, reason="Injury disclosed to the school nurse"
    )


def withdraw_url(episode, consent):
    return f"/cases/{episode.pk}/consent/{consent.pk}/withdraw/"


def test_an_override_without_a_reason_is_refused(episode, clinic_in_team, involved):
    with pytest.raises(ValidationError) as refused:
        services.record_sharing_override(involved, episode, clinic_in_team, reason="  ")
    assert "risk of significant harm" in refused.value.message_dict["override_reason"][0]
    assert not episode.sharing_overrides.exists()


def test_the_district_eho_reviews_and_keeps_a_justified_override(episode, override, eho, other_org):
    services.review_sharing_override(eho, override, justified=True, note="Agreed")
    override.refresh_from_db()
    assert (override.reviewed_by, override.ended_at) == (eho, None)
    assert list(policy.episodes_visible_to(other_org)) == [episode]
    assert list(policy.sharing_overrides_to_review(eho)) == []


def test_an_unjustified_override_ends_the_organisations_access(
    episode, override, manager, other_org
):
    with pytest.raises(ValidationError):
        services.review_sharing_override(manager, override, justified=False, note="")
    services.review_sharing_override(
        manager, override, justified=False, note="Consent could have been sought first"
    )
    assert list(policy.episodes_visible_to(other_org)) == []
    with pytest.raises(ValidationError):
        services.review_sharing_override(manager, override, justified=True)


@pytest.mark.parametrize("persona", ["involved", "other_org", "other_eho", "other_la_manager"])
def test_only_the_district_eho_and_managers_review_overrides(request, override, persona):
    with pytest.raises(PermissionDenied):
        services.review_sharing_override(request.getfixturevalue(persona), override, justified=True)


def test_the_review_page(client_for, episode, override, eho):
    client = client_for(eho)
    url = f"/cases/{episode.pk}/consent/overrides/{override.pk}/review/"
    page = client.get(url).content.decode()
    assert "Injury disclosed to the school nurse" in page
    response = client.post(url, {"justified": "no"})
    assert "Say why sharing without consent was not justified" in response.content.decode()
    assert (
        client.post(url, {"justified": "no", "note": "Not a safeguarding matter"}).status_code
        == 302
    )
    override.refresh_from_db()
    assert override.ended_at is not None


def test_the_review_page_is_refused_to_a_practitioner(client_for, episode, override, involved):
    url = f"/cases/{episode.pk}/consent/overrides/{override.pk}/review/"
    assert client_for(involved).get(url).status_code == 403


def test_home_lists_overrides_to_review_for_the_eho(client_for, episode, override, eho):
    page = client_for(eho).get("/").content.decode()
    assert "Information shared without consent: to review" in page
    assert f"/cases/{episode.pk}/consent/overrides/{override.pk}/review/" in page


def test_withdrawal_cuts_access_and_the_case_page_says_so(
    client_for, episode, clinic_in_team, involved, other_org
):
    consent = share_with(episode, clinic_in_team, involved)
    assert client_for(other_org).get(f"/cases/{episode.pk}/").status_code == 200

    response = client_for(involved).post(
        withdraw_url(episode, consent), {"note": "Parent phoned to withdraw"}, follow=True
    )
    html = response.content.decode()
    assert "staff of Testshire Clinic can no longer see this case" in html

    case_page = client_for(involved).get(f"/cases/{episode.pk}/").content.decode()
    assert "consent was withdrawn on" in case_page
    assert "Consent withdrawn:" in case_page  # the chronology entry
    assert client_for(other_org).get(f"/cases/{episode.pk}/").status_code == 404
    denied = AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, actor=other_org)
    assert denied.count() == 1


def test_case_page_shows_which_organisations_can_see_the_case(
    client_for, episode, clinic_in_team, involved, school
):
    share_with(episode, school, involved)
    rows = {row["organisation"]: row["has_access"] for row in services.organisation_access(episode)}
    assert rows == {school: True, clinic_in_team: False}
    text = page_text(client_for(involved).get(f"/cases/{episode.pk}/"))
    assert "No the family has not agreed to share information with it" in text
    assert "No no consent" not in text


def test_the_team_access_is_the_same_from_the_case_pages_records(
    episode, clinic_in_team, la, involved, school
):
    """The case page reads the consents and overrides once
    (episodes.chronology.case_page_records); the team's access picked from
    them is what the queries of its own would give, withdrawn and refused
    consents, other purposes and ended overrides included."""
    from django.db.models import prefetch_related_objects
    from django.utils import timezone

    from consent.models import Consent, Purpose
    from episodes.chronology import case_page_records
    from tests.factories import OrganisationFactory

    third = OrganisationFactory(local_authority=la, name="Testshire Youth Club")
    episode.organisations.add(third)
    share_with(episode, school, involved)
    withdrawn = share_with(episode, clinic_in_team, involved)
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    refused = share_with(episode, third, involved)
    Consent.objects.filter(pk=refused.pk).update(given=False)
    Consent.objects.create(
        episode=episode,
        person=refused.person,
        purpose=Purpose.ASSESSMENT,
        organisation=None,
        given=True,
        method="in_person",
        given_on=timezone.localdate(),
        recorded_by=involved,
    )
    services.record_sharing_override(involved, episode, third, reason="Injury disclosed")

    asked = services.organisation_access(type(episode).objects.get(pk=episode.pk))
    loaded = type(episode).objects.get(pk=episode.pk)
    prefetch_related_objects([loaded], *case_page_records())
    assert services.organisation_access(loaded) == asked
    assert [
        (row["organisation"], row["has_access"], bool(row["withdrawn_at"])) for row in asked
    ] == [
        (clinic_in_team, False, True),
        (school, True, False),
        (third, True, False),
    ]


# The home page's (tests/core/test_pages.py) for a manager, with the overrides
# read by the ids the rule found, and their cases and families after them.
QUERIES_FOR_MANAGER_HOME_WITH_OVERRIDES = 18


@pytest.mark.parametrize("count", [1, 3])
def test_overrides_to_review_cost_the_same_queries_however_many_there_are(
    client_for, la, district, school, clinic, involved, manager, count, django_assert_num_queries
):
    # Their cases and families are read after them, once, not joined into the
    # query every home page and case list sends (usually for none).
    from consent.models import SharingOverride
    from episodes.models import Status
    from tests.factories import EpisodeFactory

    cases = EpisodeFactory.create_batch(
        count, local_authority=la, district=district, requesting_organisation=school
    )
    for case in cases:
        case.status = Status.ASSESSMENT
        case.save(update_fields=["status"])
        SharingOverride.objects.create(
            local_authority=la, episode=case, organisation=clinic, reason="x", recorded_by=involved
        )
    client = client_for(manager)
    client.get("/")
    with django_assert_num_queries(QUERIES_FOR_MANAGER_HOME_WITH_OVERRIDES):
        page = client.get("/").content.decode()
    for case in cases:
        assert case.family.name in page
        assert f"/cases/{case.pk}/consent/overrides/" in page
