"""The public ask-for-help page: where a request lands, what the family is
shown (a reference, never anything matched), the honeypot, the rate limit,
and the Early Help Officer starting the case."""

import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from accounts.models import OrganisationType, Role
from audit.models import AuditEvent
from core.codes import ReferralSource
from episodes.models import Episode, RequestSource
from families.models import Asker, FamilyRequest, PostcodeDistrict
from families.services import start_case
from people.models import Person
from tests.factories import (
    DistrictFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.journey_factories import years_ago
from tests.two_factor import sign_in_verified

ASK = "/en/ask-for-help/"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council(db):
    la = LocalAuthorityFactory(name="Northmoor Test Council")
    team = OrganisationFactory(local_authority=la, type=OrganisationType.EARLY_HELP_UNIT)
    eho = UserFactory(
        local_authority=la,
        roles=[Role.EARLY_HELP_OFFICER, Role.PRACTITIONER],
        organisation=team,
    )
    district = DistrictFactory(local_authority=la, name="Ashby Test", early_help_officer=eho)
    PostcodeDistrict.objects.create(local_authority=la, district=district, outward_code="ZX1")
    PostcodeDistrict.objects.create(local_authority=la, outward_code="ZX9")
    return {"la": la, "district": district, "eho": eho}


def answers(**changes):
    data = {
        "asker": "parent",
        "first_name": "Synthia",
        "last_name": "Testwell",
        "child_1_first_name": "Tilly",
        "child_1_last_name": "Testwell",
        "child_1_date_of_birth-day": "3",
        "child_1_date_of_birth-month": "4",
        "child_1_date_of_birth-year": "2017",
        "phone": "07700 900 982",
        "may_leave_message": "no",
        "contact_safety": "Not after 5pm",
        "postcode": "zx1 1aa",
        "worries": "Mornings are very hard",
        "consent": "on",
        # Sent from the check page.
        "confirm": "yes",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_parents_request_lands_in_the_districts_queue_and_shows_only_a_reference(client, council):
    response = client.post(ASK, answers())
    assert response.status_code == 302
    family_request = FamilyRequest.objects.get()
    assert family_request.district == council["district"]
    assert family_request.local_authority == council["la"]
    assert family_request.asker == Asker.PARENT
    assert family_request.postcode == "ZX1 1AA"
    assert family_request.children == [
        {"first_name": "Tilly", "last_name": "Testwell", "date_of_birth": "2017-04-03"}
    ]
    assert not family_request.may_leave_message
    assert family_request.language == "en"
    page = client.get(response["Location"]).content.decode()
    assert family_request.reference in page
    for typed in ("Synthia", "Testwell", "Tilly", "Mornings", "ZX1"):
        assert typed not in page
    # The officer is told by email that one came, by reference only.
    from notifications.models import OutgoingEmail

    email = OutgoingEmail.objects.get()
    assert email.recipients == [council["eho"].email]
    assert family_request.reference in email.body and "Tilly" not in email.body


def test_an_outward_code_with_no_district_goes_to_the_councils_general_queue(client, council):
    client.post(ASK, answers(postcode="ZX9 9ZZ"))
    family_request = FamilyRequest.objects.get()
    assert family_request.local_authority == council["la"] and family_request.district is None


def test_the_postcode_chooses_the_council_when_councils_share_the_installation(client, council):
    other = LocalAuthorityFactory(name="Eastvale Test Council")
    PostcodeDistrict.objects.create(local_authority=other, outward_code="ZY1")
    client.post(ASK, answers(postcode="ZY1 2AB"))
    assert FamilyRequest.objects.get().local_authority == other


def test_a_postcode_of_no_council_says_whom_to_contact_and_keeps_nothing(client, council):
    response = client.post(ASK, answers(postcode="ZW1 1AA"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "contact your own council" in page
    assert not FamilyRequest.objects.exists()


def test_the_page_is_in_the_language_of_its_path_and_kept_with_the_request(client, council):
    page = client.get("/pl/ask-for-help/").content.decode()
    assert 'lang="pl"' in page and "Poproś o wczesną pomoc dla swojej rodziny" in page
    arabic = client.get("/ar/ask-for-help/").content.decode()
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    pashto = client.get("/ps/ask-for-help/").content.decode()
    assert 'dir="rtl"' in pashto
    client.post("/uk/ask-for-help/", answers())
    assert FamilyRequest.objects.get().language == "uk"


def test_a_family_page_leaves_the_service_in_english_for_what_comes_next(client, council):
    """Work done after a family's page, outside any request (a task, a staff
    email a service builds), is in the practitioners' English."""
    client.get("/ar/ask-for-help/")
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert str(Asker.PARENT.label) == "A parent or carer"


def test_practitioner_pages_stay_in_english_whatever_the_browser_asks(client, council):
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert 'lang="en-gb"' in page and 'dir="ltr"' in page


def test_digits_typed_in_arabic_script_are_read(client, council):
    client.post(ASK, answers(phone="٠٧٧٠٠ ٩٠٠ ٩٨٢", postcode="ZX١ ١AA"))
    family_request = FamilyRequest.objects.get()
    assert family_request.phone == "07700 900 982" and family_request.postcode == "ZX1 1AA"


def test_a_young_person_asks_for_themselves(client, council):
    client.post(
        ASK,
        answers(
            asker="young_person",
            **{
                "child_1_first_name": None,
                "child_1_last_name": None,
                "child_1_date_of_birth-day": None,
                "child_1_date_of_birth-month": None,
                "child_1_date_of_birth-year": None,
                "date_of_birth-day": "9",
                "date_of_birth-month": "10",
                "date_of_birth-year": "2009",
            },
        ),
    )
    family_request = FamilyRequest.objects.get()
    assert family_request.asker == Asker.YOUNG_PERSON
    assert family_request.children[0]["first_name"] == "Synthia"


def test_missing_answers_are_each_named_and_nothing_is_kept(client, council):
    page = client.post(ASK, {}).content.decode()
    for message in (
        "Select whether you are a parent or carer, or a young person",
        "Enter your first name",
        "Enter a phone number or an email address",
        "Tell us about at least one child",
        "Enter your postcode",
        "Tell us what you are worried about",
        "Tick the box to say we can contact you",
    ):
        assert message in page
    assert not FamilyRequest.objects.exists()


def test_too_long_answers_are_refused_with_the_limit(client, council):
    page = client.post(ASK, answers(worries="x" * 2001)).content.decode()
    assert "This must be 2000 characters or fewer" in page
    assert not FamilyRequest.objects.exists()


def test_the_answers_are_checked_before_they_are_sent(client, council):
    response = client.post(ASK, answers(confirm=None))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check your answers before sending your request" in page
    assert "Tilly Testwell" in page and "3 April 2017" in page and "ZX1 1AA" in page
    # Carried in the page, not stored: nothing is kept until it is sent.
    assert '<input type="hidden" name="worries" value="Mornings are very hard">' in page
    assert not FamilyRequest.objects.exists()
    changing = client.post(ASK, answers(confirm=None, change="yes")).content.decode()
    assert "Ask for early help for your family</h1>" in changing
    assert 'value="Synthia"' in changing and "There is a problem" not in changing
    assert client.post(ASK, answers()).status_code == 302
    assert FamilyRequest.objects.count() == 1


@pytest.mark.parametrize(
    "language, written",
    [("en", "3 April 2017"), ("pl", "3 kwietnia 2017"), ("uk", "3 квітня 2017")],
)
def test_the_check_page_writes_dates_as_the_language_does(client, council, language, written):
    # A date's month in the form a sentence takes (Polish "kwietnia", not "Kwiecień").
    page = client.post(f"/{language}/ask-for-help/", answers(confirm=None)).content.decode()
    assert written in page


def test_a_postcode_of_no_council_is_found_before_the_check_page(client, council):
    page = client.post(ASK, answers(confirm=None, postcode="ZW1 1AA")).content.decode()
    assert "contact your own council" in page and "Check your answers" not in page


def test_a_body_far_beyond_the_questions_is_refused(client, council):
    response = client.post(ASK, answers(worries="x" * 70_000))
    assert response.status_code == 413
    assert "Your answers are too long" in response.content.decode()
    assert not FamilyRequest.objects.exists()


def test_a_filled_honeypot_looks_sent_and_keeps_nothing(client, council):
    events = AuditEvent.objects.count()
    response = client.post(ASK, answers(website="http://spam.example"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We have your request" in page
    assert not FamilyRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, council):
    page = client.get(ASK).content.decode()
    hidden = page[page.index('aria-hidden="true">\n      <label for="id_website"') - 80 :]
    assert "hidden" in hidden[:120] and 'tabindex="-1"' in hidden


@override_settings(FAMILY_REQUESTS_PER_HOUR=2)
def test_a_client_over_the_hourly_limit_gets_a_clear_page(client, council):
    assert client.post(ASK, answers()).status_code == 302
    assert client.post(ASK, answers(website="x")).status_code == 302
    response = client.post("/ro/ask-for-help/", answers())
    assert response.status_code == 429
    assert "Vă rugăm să încercați din nou mai târziu" in response.content.decode()
    assert FamilyRequest.objects.count() == 1
    # Another client is not held back, and no address is kept in the cache key.
    assert client.post(ASK, answers(), REMOTE_ADDR="192.0.2.7").status_code == 302
    assert not any("127.0.0.1" in str(key) for key in cache._cache)  # noqa: SLF001


def test_nothing_the_family_typed_reaches_the_logs(client, council, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post(ASK, answers())
        client.post(ASK, answers(worries="x" * 2001))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for typed in ("Synthia", "Testwell", "Tilly", "Mornings", "07700", "ZX1"):
        assert typed not in logged


def test_the_officer_sees_the_request_with_the_already_known_check(client, council):
    PersonFactory(
        local_authority=council["la"],
        first_name="Tilly",
        last_name="Testwell",
        date_of_birth="2017-04-03",
    )
    client.post(ASK, answers())
    sign_in_verified(client, council["eho"])
    page = client.get("/family-requests/").content.decode()
    assert "Mornings are very hard" in page and "Not after 5pm" in page
    # The officer may not see that record (it is on no case of theirs): told
    # only that it exists and whom to ask, never its details.
    assert "Tilly Testwell, 3 April 2017:" in page
    assert "a record you cannot see: contact the early help front door" in page


def test_another_districts_officer_does_not_see_it(client, council):
    client.post(ASK, answers())
    other = UserFactory(local_authority=council["la"], roles=[Role.EARLY_HELP_OFFICER])
    DistrictFactory(local_authority=council["la"], early_help_officer=other)
    sign_in_verified(client, other)
    page = client.get("/family-requests/").content.decode()
    assert "Mornings" not in page


def test_the_officer_starts_the_case_as_a_practitioners_request_would(client, council):
    client.post(ASK, answers())
    family_request = FamilyRequest.objects.get()
    episode = start_case(
        council["eho"], family_request, district=council["district"], needs=["education"]
    )
    assert episode.source == RequestSource.PARENT
    assert episode.referral_source == ReferralSource.INDIVIDUAL_FAMILY
    assert episode.district == council["district"]
    assert episode.worries == "Mornings are very hard"
    assert [c.first_name for c in episode.children.all()] == ["Tilly"]
    assert Person.objects.filter(first_name="Synthia", last_name="Testwell").exists()
    family_request.refresh_from_db()
    assert family_request.episode == episode
    with pytest.raises(Exception, match="already been started"):
        start_case(
            council["eho"], family_request, district=council["district"], needs=["education"]
        )
    assert Episode.objects.count() == 1


def test_a_young_persons_case_is_coded_as_a_self_referral(client, council):
    sixteen = years_ago(16)
    client.post(
        ASK,
        answers(
            asker="young_person",
            **{
                "date_of_birth-day": str(sixteen.day),
                "date_of_birth-month": str(sixteen.month),
                "date_of_birth-year": str(sixteen.year),
            },
        ),
    )
    sign_in_verified(client, council["eho"])
    family_request = FamilyRequest.objects.get()
    response = client.post(
        f"/family-requests/{family_request.pk}/start-case/",
        {"district": council["district"].pk, "needs": ["family_relationships"]},
    )
    episode = Episode.objects.get()
    assert response.status_code == 302
    assert episode.source == RequestSource.YOUNG_PERSON
    assert episode.referral_source == ReferralSource.INDIVIDUAL_SELF
    assert {c.first_name for c in episode.children.all()} == {"Synthia", "Tilly"}


def test_the_printed_address_goes_to_the_page_in_the_browsers_language(client, db):
    response = client.get("/ask-for-help/", HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5")
    assert response["Location"] == "/uk/ask-for-help/"
    response = client.get("/ask-for-help/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/en/ask-for-help/"


def test_only_the_family_languages_have_pages(client, db):
    assert client.get("/fr/ask-for-help/").status_code == 404
    assert client.get("/en-gb/ask-for-help/").status_code == 404
    assert client.get("/pl/ask-for-help/").status_code == 200
