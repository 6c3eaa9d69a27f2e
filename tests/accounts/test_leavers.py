"""A leaver's open cases: the administrator who deactivates the account sees
how many, never which; the district's Early Help Officer and the council's
managers are sent the list to reallocate."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.models import District, Role, User
from accounts.services import open_cases_led_by, reallocate_cases
from episodes.models import ClosureReason, Episode, LeadChange, Status
from notifications.models import Notification
from tests.factories import DistrictFactory, EpisodeFactory, UserFactory


def test_deactivating_a_leaver_sends_their_open_cases_to_those_who_reallocate(
    client_for,
    la,
    la_admin,
    involved,
    episode,
    eho,
    other_eho,
    manager,
    school,
    django_capture_on_commit_callbacks,
):
    far = DistrictFactory(local_authority=la, name="Far Away", early_help_officer=other_eho)
    elsewhere = EpisodeFactory(
        local_authority=la, district=far, requesting_organisation=school, requested_by=involved
    )
    closed = EpisodeFactory(
        local_authority=la, district=far, requesting_organisation=school, requested_by=involved
    )
    Episode.objects.filter(pk__in=[episode.pk, elsewhere.pk, closed.pk]).update(
        lead_professional=involved
    )
    Episode.objects.filter(pk=closed.pk).update(
        status="closed", closure_reason=ClosureReason.NEEDS_MET
    )
    UserFactory(local_authority=la, roles=[Role.EARLY_HELP_MANAGER], is_active=False)
    client = client_for(la_admin)
    page = client.get(f"/accounts/users/{involved.pk}/deactivate/").content.decode()
    assert "They lead 2 open cases, which need a new lead professional." in page
    for case in (episode, elsewhere):
        assert case.reference not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/users/{involved.pk}/deactivate/", {"reason": "Left"})

    message = f"{involved.full_name} has left: choose a new lead professional"
    updates = sorted(Notification.objects.values_list("user__email", "episode_id", "message"))
    assert updates == sorted(
        [
            ("eho@test.example", episode.pk, message),
            ("manager@test.example", episode.pk, message),
            ("other-eho@test.example", elsewhere.pk, message),
            ("manager@test.example", elsewhere.pk, message),
        ]
    )
    emails = {email.to[0]: email for email in mail.outbox}
    assert sorted(emails) == ["eho@test.example", "manager@test.example", "other-eho@test.example"]
    assert emails["manager@test.example"].subject == f"Early Help: {message}"
    assert emails["manager@test.example"].body == (
        f"{message}\n\n{episode.reference}\n{elsewhere.reference}\n\n"
        "Sign in to Early Help to see the cases.\n"
    )
    assert emails["eho@test.example"].body == (
        f"{message}\n\n{episode.reference}\n\nSign in to Early Help to see the cases.\n"
    )
    assert [email.to for email in mail.outbox if la_admin.email in email.to] == []


def test_a_leaver_with_no_open_cases_sends_nothing(
    client_for, la_admin, involved, manager, django_capture_on_commit_callbacks
):
    client = client_for(la_admin)
    assert "They lead no open cases." in (
        client.get(f"/accounts/users/{involved.pk}/deactivate/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/users/{involved.pk}/deactivate/", {"reason": "Left"})

    assert (Notification.objects.count(), mail.outbox) == (0, [])


# Reallocating: the district's Early Help Officer and the managers give a
# leaver's open cases new leads, one by one or several at once.

DETAILS = {
    "reason": "The lead professional has left the school.",
    "family_view": "Not asked yet: Casey will ask at the first visit.",
    "handover_note": "",
}


@pytest.fixture
def leaver_cases(la, involved, episode, other_eho, school, clinic):
    """`involved` leads three open cases (one stepped up, one in another
    district, one whose team is the clinic's) and a closed one; then leaves."""
    far = District.objects.get(early_help_officer=other_eho)
    stepped_up = EpisodeFactory(
        local_authority=la, district=episode.district, requesting_organisation=school,
        requested_by=involved,
    )  # fmt: skip
    elsewhere = EpisodeFactory(
        local_authority=la, district=far, requesting_organisation=school, requested_by=involved
    )
    clinics = EpisodeFactory(
        local_authority=la, district=episode.district, requesting_organisation=clinic,
        requested_by=involved,
    )  # fmt: skip
    closed = EpisodeFactory(
        local_authority=la, district=episode.district, requesting_organisation=school,
        requested_by=involved,
    )  # fmt: skip
    cases = [episode, stepped_up, elsewhere, clinics, closed]
    Episode.objects.filter(pk__in=[case.pk for case in cases]).update(lead_professional=involved)
    Episode.objects.filter(pk=stepped_up.pk).update(status=Status.STEPPED_UP)
    Episode.objects.filter(pk=closed.pk).update(
        status=Status.CLOSED, closure_reason=ClosureReason.NEEDS_MET
    )
    User.objects.filter(pk=involved.pk).update(is_active=False)
    return {"open": episode, "stepped_up": stepped_up, "elsewhere": elsewhere, "clinic": clinics}


def test_a_stepped_up_case_is_still_a_leavers_open_case(involved, leaver_cases):
    assert sorted(case.pk for case in open_cases_led_by(involved)) == sorted(
        case.pk for case in leaver_cases.values()
    )


def test_the_eho_lists_leavers_and_their_districts_cases_with_a_link_to_reallocate_each(
    client_for, eho, involved, leaver_cases
):
    client = client_for(eho)
    index = client.get("/accounts/leavers/").content.decode()
    assert f'href="/accounts/leavers/{involved.pk}/"' in index
    page = client.get(f"/accounts/leavers/{involved.pk}/").content.decode()
    for name in ("open", "stepped_up", "clinic"):
        case = leaver_cases[name]
        assert f'href="/cases/{case.pk}/lead-professional/"' in page
    assert leaver_cases["elsewhere"].reference not in page


def test_a_manager_sees_every_district(client_for, manager, involved, leaver_cases):
    page = client_for(manager).get(f"/accounts/leavers/{involved.pk}/").content.decode()
    assert all(case.reference in page for case in leaver_cases.values())


@pytest.mark.parametrize("persona", ["la_admin", "other_org"])
def test_only_ehos_and_managers_reallocate(client_for, request, persona, involved, leaver_cases):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/accounts/leavers/").status_code == 403
    assert client.get(f"/accounts/leavers/{involved.pk}/").status_code == 403


def test_another_councils_staff_is_not_found(client_for, eho, other_la_manager):
    assert client_for(eho).get(f"/accounts/leavers/{other_la_manager.pk}/").status_code == 404


def test_the_eho_reallocates_several_cases_at_once(
    client_for, eho, involved, colleague, leaver_cases, django_capture_on_commit_callbacks
):
    chosen = [leaver_cases["open"], leaver_cases["stepped_up"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(eho).post(
            f"/accounts/leavers/{involved.pk}/",
            {"cases": [case.pk for case in chosen], "new_lead": colleague.pk, **DETAILS},
        )
    assert response.status_code == 302
    assert sorted(
        LeadChange.objects.values_list("episode_id", "previous_lead", "new_lead", "reason")
    ) == sorted((case.pk, involved.pk, colleague.pk, DETAILS["reason"]) for case in chosen)
    assert sorted(
        Notification.objects.filter(user=colleague).values_list("episode_id", flat=True)
    ) == sorted(case.pk for case in chosen)
    assert Episode.objects.get(pk=leaver_cases["clinic"].pk).lead_professional == involved


def test_one_case_that_cannot_go_to_the_new_lead_stops_them_all(
    client_for, eho, involved, colleague, leaver_cases
):
    chosen = [leaver_cases["open"], leaver_cases["clinic"]]
    response = client_for(eho).post(
        f"/accounts/leavers/{involved.pk}/",
        {"cases": [case.pk for case in chosen], "new_lead": colleague.pk, **DETAILS},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert f"{leaver_cases['clinic'].reference}: Casey Colleague cannot be the lead" in page
    assert LeadChange.objects.count() == 0


def test_an_empty_reallocation_names_what_is_missing(client_for, eho, involved, leaver_cases):
    response = client_for(eho).post(f"/accounts/leavers/{involved.pk}/", {})
    assert sorted(response.context["form"].errors) == ["cases", "family_view", "new_lead", "reason"]


def test_a_case_the_eho_does_not_look_after_cannot_be_posted(
    eho, involved, colleague, leaver_cases
):
    with pytest.raises(PermissionDenied):
        reallocate_cases(eho, involved, [leaver_cases["elsewhere"]], colleague, **DETAILS)
