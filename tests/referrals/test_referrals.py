import pytest
from django.core import mail

from audit.models import AuditEvent
from core.forms import error_list
from episodes.models import ClosureReason, Status
from referrals.models import Referral, ReferralStatus
from tests.journey import move_to_plan


def step_up(client, episode, concern="Child said dad hit him last night."):
    return client.post(
        f"/cases/{episode.pk}/referrals/step-up/", {"concern": concern, "significant_harm": "yes"}
    )


@pytest.mark.parametrize("status", ["requested", "assessment", "meeting"])
def test_step_up_is_possible_at_every_open_stage_with_nothing_else_done(
    client_for, involved, episode, status
):
    episode.status = status
    episode.save()
    response = step_up(client_for(involved), episode)

    referral = Referral.objects.get()
    assert response["Location"] == f"/cases/{episode.pk}/referrals/{referral.pk}/"
    episode.refresh_from_db()
    assert (episode.status, episode.status_before_step_up) == (Status.STEPPED_UP, status)


@pytest.mark.parametrize(
    ("status", "label"),
    [("closed", "Closed"), ("stepped_up", "Referred to children's social care")],
)
def test_step_up_of_a_case_no_longer_with_early_help_says_why_and_sends_nothing(
    client_for, involved, episode, status, label
):
    episode.status = status
    episode.closure_reason = "stepped_up" if status == "closed" else ""
    episode.save()
    client = client_for(involved)
    events = AuditEvent.objects.count()

    response = step_up(client, episode)

    assert (response.status_code, error_list(response.context["form"])) == (
        200,
        [
            {
                "text": f"You cannot refer to children's social care while the case is '{label}'",
                "href": "#main-content",
            }
        ],
    )
    assert (Referral.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_the_referral_carries_the_assessment_plan_and_chronology(client_for, involved, episode):
    client = client_for(involved)
    step_up(client, episode)
    page = client.get(f"/cases/{episode.pk}/referrals/{Referral.objects.get().pk}/")
    html = page.content.decode()
    for heading in ["Assessment", "Current plan", "Chronology"]:
        assert f">{heading}<" in html
    assert [e.title for e in page.context["chronology"]] == [
        "Early help requested",
        "Referred to Children's social care",
    ]


def test_step_up_needs_a_concern(client_for, involved, episode):
    response = step_up(client_for(involved), episode, concern="")
    assert response.context["form"].errors == {"concern": ["Describe the concern for the child"]}


def test_not_accepted_returns_the_family_to_early_help_with_the_advice(
    client_for, involved, eho, episode, django_capture_on_commit_callbacks
):
    move_to_plan(involved, episode, involved)
    step_up(client_for(involved), episode)
    referral = Referral.objects.get()
    eho_client = client_for(eho)
    url = f"/cases/{episode.pk}/referrals/{referral.pk}/decision/"
    missing = eho_client.post(url, {"accepted": "no"})
    assert missing.context["form"].errors == {
        "advice": ["Record the advice children's social care gave"]
    }
    with django_capture_on_commit_callbacks(execute=True):
        eho_client.post(url, {"accepted": "no", "advice": "Continue early help; add a DA worker"})

    episode.refresh_from_db()
    referral.refresh_from_db()
    assert (episode.status, referral.status, referral.advice) == (
        Status.PLAN,
        ReferralStatus.NOT_ACCEPTED,
        "Continue early help; add a DA worker",
    )
    assert mail.outbox[-1].subject.endswith(
        "Children's social care did not accept the referral: back with early help"
    )


def test_accepted_closes_early_help_as_stepped_up(client_for, involved, manager, episode):
    step_up(client_for(involved), episode)
    referral = Referral.objects.get()
    client_for(manager).post(
        f"/cases/{episode.pk}/referrals/{referral.pk}/decision/", {"accepted": "yes"}
    )
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason) == (Status.CLOSED, ClosureReason.STEPPED_UP)


def test_a_practitioner_cannot_record_the_social_care_decision(client_for, involved, episode):
    step_up(client_for(involved), episode)
    referral = Referral.objects.get()
    url = f"/cases/{episode.pk}/referrals/{referral.pk}/decision/"
    assert client_for(involved).post(url, {"accepted": "yes"}).status_code == 403
    episode.refresh_from_db()
    assert episode.status == Status.STEPPED_UP


@pytest.mark.parametrize("persona", ["other_org", "other_eho", "other_la_manager"])
def test_those_not_involved_cannot_refer(request, client_for, episode, persona):
    response = step_up(client_for(request.getfixturevalue(persona)), episode)
    assert response.status_code == 404
    assert Referral.objects.count() == 0


def _step_up_page(client_for, involved, episode):
    return client_for(involved).get(f"/cases/{episode.pk}/referrals/step-up/").content.decode()


def test_the_step_up_page_shows_the_mash_number_to_phone_now(client_for, involved, episode, la):
    la.mash_phone = "01632 960 123"
    la.front_door_phone = "0300 000 0000"
    la.save()
    html = _step_up_page(client_for, involved, episode)
    assert (
        "phone the Multi-Agency Safeguarding Hub (MASH) now on "
        '<a class="govuk-link" href="tel:01632960123">01632 960 123</a>.'
    ) in html


def test_without_a_mash_number_the_step_up_page_says_whom_to_phone_for_it(
    client_for, involved, episode, la
):
    la.front_door_phone = "0300 000 0000"
    la.save()
    html = _step_up_page(client_for, involved, episode)
    assert (
        "phone the Multi-Agency Safeguarding Hub (MASH) now. For its number, phone the early "
        'help front door on <a class="govuk-link" href="tel:03000000000">0300 000 0000</a>.'
    ) in html
