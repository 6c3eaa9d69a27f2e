"""The family pages are complete in every language: every string they look up
has a translation in each catalogue, none empty or fuzzy, and the catalogues
compile. (msgfmt leaves fuzzy and empty entries out of the .mo, so a string
that is fuzzy or empty in the .po is missing on the page, and fails here.)"""

import calendar
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.dates import MONTHS

from assessments.models import Assessment, ScalingScore
from assessments.services import summary_document
from families import services
from families.languages import family_languages
from families.models import PostcodeDistrict
from people.models import Relationship
from plans.models import ActionStatus, Goal
from plans.services import current_plan, plan_document
from reviews.document import DECISION_FOR_FAMILIES
from reviews.models import Review
from reviews.services import outcome_document, record_review
from tests.factories import LocalAuthorityFactory
from tests.families.recording import looked_up
from tests.families.test_family_voice import Case
from tests.journey_factories import add_member, at_meeting, plan_actions, planned  # noqa: F401

FAMILY_LANGUAGES = [code for code in settings.FAMILY_LANGUAGES if code != "en"]
CATALOGUES = Path(settings.BASE_DIR) / "locale"
# Looked up by Django, never shown as such: the language names (each written
# in its own language already) and a label suffix.
NOT_SHOWN = {name for _code, name in settings.LANGUAGES} | {":"}

# Words written the same in English and the language.
SPELT_THE_SAME = {"ro": {"August"}}

BAD_DATES = {
    "asker": "young_person",
    "date_of_birth-day": "x",
    "child_1_date_of_birth-day": "40",
    "child_1_date_of_birth-month": "13",
    "child_1_date_of_birth-year": "2000",
    "child_2_first_name": "Ada",
    "child_3_date_of_birth-day": "1",
    "child_3_date_of_birth-month": "1",
    "child_3_date_of_birth-year": "20",
    "postcode": "not a postcode",
    "email": "not an email",
    "phone": "1",
}


def _family_pages(client):
    """Every family page and every message they can show, in English."""
    council = LocalAuthorityFactory()
    PostcodeDistrict.objects.create(local_authority=council, outward_code="ZX2")
    client.get("/en/ask-for-help/")
    client.post("/en/ask-for-help/", {})
    client.post("/en/ask-for-help/", BAD_DATES)
    client.post(
        "/en/ask-for-help/", {**BAD_DATES, "date_of_birth-year": "2999", "worries": "x" * 3000}
    )
    client.post(
        "/en/ask-for-help/",
        {
            "asker": "parent",
            "first_name": "Ann",
            "last_name": "Example",
            "child_1_first_name": "Bo",
            "child_1_last_name": "Example",
            "child_1_date_of_birth-day": "1",
            "child_1_date_of_birth-month": "1",
            "child_1_date_of_birth-year": "1850",
            "child_2_first_name": "Cy",
            "child_2_last_name": "Example",
            "child_2_date_of_birth-day": "1",
            "child_2_date_of_birth-month": "1",
            "child_2_date_of_birth-year": "2099",
            "phone": "07700900982",
            "may_leave_message": "no",
            "postcode": "ZX1 1AA",
            "worries": "Worried",
            "consent": "on",
        },
    )
    client.post(
        "/en/ask-for-help/",
        {
            "asker": "young_person",
            "first_name": "Di",
            "last_name": "Example",
            "date_of_birth-day": "1",
            "date_of_birth-month": "1",
            "date_of_birth-year": "2099",
            "email": "di@example.com",
            "may_leave_message": "yes",
            "postcode": "ZX1 1AA",
            "worries": "Worried",
            "consent": "on",
        },
    )
    checked = {
        "asker": "young_person",
        "first_name": "Di",
        "last_name": "Example",
        "date_of_birth-day": "1",
        "date_of_birth-month": "1",
        "date_of_birth-year": "2009",
        "child_1_first_name": "Ed",
        "child_1_last_name": "Example",
        "child_1_date_of_birth-day": "1",
        "child_1_date_of_birth-month": "1",
        "child_1_date_of_birth-year": "2015",
        "email": "di@example.com",
        "may_leave_message": "yes",
        "postcode": "ZX2 1AA",
        "worries": "Worried",
        "consent": "on",
    }
    client.post("/en/ask-for-help/", checked)
    client.post("/en/ask-for-help/", {**checked, "change": "yes"})
    client.post("/en/ask-for-help/", {**checked, "worries": "x" * 70_000})
    client.post("/en/ask-for-help/", {"website": "http://spam.example"})
    client.get("/en/ask-for-help/sent/")
    with override_settings(FAMILY_REQUESTS_PER_HOUR=0):
        client.post("/en/ask-for-help/", {})


def _link_pages(client):
    """The pages a family member's link opens (feedback, the children's
    version, the plan online), the emails that send them, and every message
    they can show, in English."""
    case = Case()
    for person in (case.parent, case.child):
        person.preferred_language = "en"
        person.save()
    adult = services.issue_feedback_link(
        case.lead, case.episode, case.parent, review=case.review, email="a@example.com"
    )
    child = services.issue_feedback_link(case.lead, case.episode, case.child, review=case.review)
    plan = services.issue_plan_link(case.lead, case.episode, case.parent, email="a@example.com")
    for issued in (adult, child):
        client.get(issued.url)
        client.post(issued.url, {})
        client.post(issued.url, {"listened": "nonsense", "comments": "x" * 6000})
    client.post(adult.url, {"listened": "5"})
    client.get("/en/feedback/thank-you/")
    client.get(adult.url)
    client.get(plan.url)
    Goal.objects.all().delete()
    ScalingScore.objects.all().delete()
    Review.objects.all().delete()
    client.get(plan.url)
    with override_settings(FAMILY_LINK_VISITS_PER_HOUR=0):
        client.get(plan.url)
    client.post(child.url, {"comments": "x" * 70_000})


@pytest.fixture
def family_messages(client, db):
    cache.clear()
    with looked_up() as seen:
        _family_pages(client)
        cache.clear()
        _link_pages(client)
    cache.clear()
    return sorted(seen - NOT_SHOWN)


def test_the_family_pages_look_up_the_messages_this_test_expects(family_messages):
    # So an empty recording cannot pass the test below.
    assert "Ask for early help for your family" in family_messages
    assert "There is a problem" in family_messages
    assert "%(name)s must be a real date" in family_messages
    assert "Please try again later" in family_messages
    assert "Check your answers before sending your request" in family_messages
    assert "Your answers are too long" in family_messages
    # The link pages and their emails.
    assert "I felt listened to" in family_messages
    assert "Did the people helping you listen to you?" in family_messages
    assert "This link does not work" in family_messages
    assert "Your family's plan" in family_messages
    assert "There are no goals in the plan yet." in family_messages
    assert "Tell us what you think of early help" in family_messages
    assert "Your family's early help plan" in family_messages


# Words a language spells as English does (a date on the pages names the
# month it is written in): the same text is their translation.
SPELT_AS_IN_ENGLISH = {"ro": {"August"}}


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_every_family_message_is_translated(family_messages, language):
    same = SPELT_AS_IN_ENGLISH.get(language, set())
    with translation.override(language):
        missing = [m for m in family_messages if translation.gettext(m) == m and m not in same]
    assert not missing, f"{language}: no translation for {missing}"


def _family_documents(plan, maker):
    """Every document a family keeps (plans/document.py), as pages, with
    every row they can show: the plan, the child-friendly plan at each age,
    the assessment summary, a review's outcome, and the words a document
    can show of each decision, action status, relationship and month."""
    episode = plan.episode
    council = episode.local_authority
    council.front_door_phone = council.out_of_hours_phone = council.mash_phone = "0300 555 0101"
    council.save()
    maker.phone = "07700 900123"
    maker.save()
    parent = add_member(episode, Relationship.PARENT, first_name="Ann")
    child = episode.children.get()
    today = timezone.localdate()
    review = record_review(
        maker,
        episode,
        held_on=today,
        progress={a: {"status": "in_progress", "note": "Going"} for a in plan_actions(plan)},
        scores={"score_practitioner": 5},
        family_views="Mornings are calmer",
        engagement="fully",
        decision="continue",
    )
    plan = current_plan(episode)
    Assessment.objects.filter(episode=episode).update(
        family_story="Our story", working_well="Mornings", worries="Evenings"
    )
    with translation.override("en"), looked_up() as seen:
        for age in (5, 10, 15):
            child.date_of_birth = today.replace(year=today.year - age, day=1)
            plan_document(maker, plan, child, child_friendly=True, language="en")
        plan_document(maker, plan, parent, language="en", fmt="pdf")
        summary_document(maker, Assessment.objects.get(episode=episode), parent, language="en")
        outcome_document(maker, review, parent, language="en")
        for label in [
            *DECISION_FOR_FAMILIES.values(),
            *ActionStatus.labels,
            *Relationship.labels,
            *MONTHS.values(),
        ]:
            str(label)
    return seen


@pytest.fixture
def document_messages(planned, involved):  # noqa: F811 (the fixture imported above)
    return sorted(_family_documents(planned, involved) - NOT_SHOWN)


def test_the_documents_look_up_the_messages_this_test_expects(document_messages):
    assert "Early Help Plan" in document_messages
    assert "Who is helping" in document_messages
    assert "Your family's assessment" in document_messages
    assert "We agreed to carry on with the plan." in document_messages
    assert "Page" in document_messages
    assert "What we are worried about" in document_messages


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_the_documents_long_dates_name_the_month_in_the_language(language):
    """The documents write dates "j E Y" (17 stycznia 2027): the month names
    Django looks up in the context "alt. month" (ours for Pashto)."""
    with translation.override(language):
        missing = [
            month
            for month in calendar.month_name[1:]
            if translation.pgettext("alt. month", month) == month
            and month not in SPELT_THE_SAME.get(language, ())
        ]
    assert not missing, f"{language}: no month name for {missing}"


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_every_document_message_is_translated(document_messages, language):
    with translation.override(language):
        missing = [
            m
            for m in document_messages
            if translation.gettext(m) == m and m not in SPELT_THE_SAME.get(language, ())
        ]
    assert not missing, f"{language}: no translation for {missing}"


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_the_catalogue_has_no_empty_or_fuzzy_entry_and_compiles(language, tmp_path):
    po = CATALOGUES / language / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and not re.search(r"^#,.*\bfuzzy\b", text, re.M)
    # An entry whose msgstr is empty and not continued on the next line.
    empty = re.findall(r'^msgid "(.+)"\nmsgstr ""\n(?!")', text, re.M)
    assert not empty, f"{language}: empty translations for {empty}"
    result = subprocess.run(  # noqa: S603 (a fixed program on our own file)
        ["/usr/bin/msgfmt", "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


@pytest.mark.parametrize("language", ["ar", "ps"])
def test_numbers_with_spaces_read_in_order_in_right_to_left_text(language):
    """A phone number in Arabic or Pashto text is a left-to-right isolate,
    or the browser shows its groups in reverse ("982 900 07700")."""
    with translation.override(language):
        hint = translation.gettext("For example, 07700 900 982")
    assert "\u206607700 900 982\u2069" in hint


def test_each_language_link_is_named_in_its_own_language(client, db):
    page = client.get("/ar/ask-for-help/").content.decode()
    for code, name in family_languages():
        assert f'lang="{code}" href="/{code}/ask-for-help/"' in page
        assert f">{name}</a>" in page
