"""A family's own request the officer deals with without starting a case:
closed with how it was dealt with, out of the waiting list, and deleted once
its retention period has passed (never while it waits, never once a case)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OrganisationType, Role
from audit.models import Action, AuditEvent
from core.scheduled import JOBS
from families import retention
from families.models import FamilyRequest, RequestClosure
from families.services import close_request, start_case
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory

QUEUE = "/family-requests/"


@pytest.fixture
def officer(la):
    """An Early Help Officer who can start cases (a practitioner of the team too)."""
    team = OrganisationFactory(local_authority=la, type=OrganisationType.EARLY_HELP_UNIT)
    return UserFactory(
        local_authority=la, roles=[Role.EARLY_HELP_OFFICER, Role.PRACTITIONER], organisation=team
    )


@pytest.fixture
def district(la, officer):
    return DistrictFactory(local_authority=la, name="Closing District", early_help_officer=officer)


@pytest.fixture
def asked(la, district):
    return FamilyRequest.objects.create(
        local_authority=la,
        district=district,
        asker="parent",
        first_name="Synthia",
        last_name="Closewell",
        phone="07700 900 555",
        postcode="ZX1 1AA",
        worries="We are struggling with mornings",
        children=[{"first_name": "Tam", "last_name": "Closewell", "date_of_birth": "2016-02-03"}],
        language="en",
        consent_to_contact=True,
    )


def close_page(asked):
    return f"{QUEUE}{asked.pk}/close/"


def test_closing_takes_the_request_off_the_waiting_list(client_for, officer, asked):
    client = client_for(officer)
    assert "Synthia Closewell" in client.get(QUEUE).content.decode()

    response = client.post(close_page(asked), {"reason": "advice", "note": "Parenting tips given"})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.closure_reason, asked.closed_by, asked.closure_note) == (
        RequestClosure.ADVICE,
        officer,
        "Parenting tips given",
    )
    assert "Synthia Closewell" not in client.get(QUEUE).content.decode()
    dealt_with = client.get(QUEUE + "?show=dealt-with").content.decode()
    assert "Synthia Closewell" in dealt_with
    assert "Advice or information given" in dealt_with
    assert "Parenting tips given" in dealt_with
    event = AuditEvent.objects.filter(
        object_type="families.familyrequest", action=Action.UPDATE
    ).get()
    assert event.changes["reason"] == "advice"


def test_a_reason_is_required_and_said_on_the_page(client_for, officer, asked):
    page = client_for(officer).post(close_page(asked), {"reason": "", "note": "Kept"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in html
    assert "Choose how the request was dealt with" in html
    assert ">Kept</textarea>" in html
    asked.refresh_from_db()
    assert asked.closed_at is None


def test_a_closed_request_is_not_closed_again_nor_made_a_case(officer, manager, asked, district):
    close_request(officer, asked, reason=RequestClosure.NO_CONTACT)
    with pytest.raises(ValidationError, match="closed this request"):
        close_request(manager, asked, reason=RequestClosure.ADVICE)
    with pytest.raises(ValidationError, match="closed without a case"):
        start_case(officer, asked, district=district, needs=["education"])
    asked.refresh_from_db()
    assert (asked.closure_reason, asked.episode) == (RequestClosure.NO_CONTACT, None)


def test_a_request_that_became_a_case_cannot_be_closed(officer, asked, district):
    start_case(officer, asked, district=district, needs=["education"])
    with pytest.raises(ValidationError, match="already been started"):
        close_request(officer, asked, reason=RequestClosure.ADVICE)


def now_plus(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_a_closed_request_is_deleted_after_its_retention_period(
    settings, la, officer, asked, district
):
    settings.FAMILY_REQUEST_RETENTION_DAYS = 30
    waiting = FamilyRequest.objects.create(
        local_authority=la,
        asker="parent",
        first_name="Still",
        last_name="Waiting",
        postcode="ZX9 1AA",
        worries="Nobody has called yet",
        language="en",
        consent_to_contact=True,
    )
    close_request(officer, asked, reason=RequestClosure.SIGNPOSTED)

    assert retention.expire(now_plus(29)) == {}
    assert FamilyRequest.objects.filter(pk=asked.pk).exists()

    assert retention.expire(now_plus(31)) == {la.slug: 1}
    assert not FamilyRequest.objects.filter(pk=asked.pk).exists()
    # A request nobody has dealt with stays, however old.
    assert retention.expire(now_plus(3000)) == {}
    assert FamilyRequest.objects.filter(pk=waiting.pk).exists()
    event = AuditEvent.objects.get(reason="family requests past their retention")
    assert event.changes == {"requests": [asked.reference], "days": 30}
    assert "Closewell" not in str(event.changes)


def test_a_request_that_became_a_case_is_kept_with_the_case(settings, officer, asked, district):
    settings.FAMILY_REQUEST_RETENTION_DAYS = 1
    start_case(officer, asked, district=district, needs=["education"])
    assert retention.expire(now_plus(3000)) == {}
    assert FamilyRequest.objects.filter(pk=asked.pk).exists()


def test_expiry_runs_every_day():
    assert "expire_family_requests" in {job.name for job in JOBS}
