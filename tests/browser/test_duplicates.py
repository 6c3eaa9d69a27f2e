"""Possible duplicates and the live check on the request form, in a real
browser with axe-core on every page: an Early Help Officer compares two
records of one child, merges them with a reason and undoes the merge; a
practitioner typing a child's name on the request form sees the match as
they type, and a family they may not see only as "known: contact"."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from core import policy
from matching.duplicates import find_duplicates
from people.models import Person, Relationship
from tests.browser.conftest import EHO, PRACTITIONER, assert_accessible, sign_in, url

pytestmark = pytest.mark.browser


def a_child_seen_by(user, exclude=()):
    return (
        policy.people_visible_to(user)
        .filter(family_memberships__relationship=Relationship.CHILD, date_of_birth__isnull=False)
        .exclude(pk__in=exclude)
        .order_by("pk")
        .first()
    )


def an_imported_copy_of(child):
    """The same child from a school's list: no NHS number, on no case."""
    return Person.objects.create(
        local_authority=child.local_authority,
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        postcode=child.postcode,
        sex=child.sex,
        external_id="SCHOOL-LIST-1",
    )


def test_an_eho_compares_merges_and_undoes(page, live_server):
    eho = User.objects.get(email=EHO)
    child = a_child_seen_by(eho)
    child.nhs_number = ""
    child.save()
    copy = an_imported_copy_of(child)
    find_duplicates(child.local_authority)
    name = child.full_name
    heading = page.get_by_role("heading", level=1)

    sign_in(page, live_server, EHO)
    page.get_by_role("link", name=re.compile(r"pairs? of records to review$")).click()
    expect(heading).to_have_text("Possible duplicates")
    assert_accessible(page)

    page.get_by_role("link", name=f"Compare {name} and {name}").click()
    expect(heading).to_have_text("Compare two records")
    table = page.get_by_role("table", name="The two records side by side")
    expect(
        table.get_by_role("row", name=re.compile("^Reference in the source system"))
    ).to_contain_text("SCHOOL-LIST-1")
    assert_accessible(page)

    # No decision and no reason: the error summary says what is missing.
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary__list a")).to_have_text(
        [
            "Choose whether to merge the records or keep both",
            "Say how you know, so others can check the decision",
        ]
    )
    assert_accessible(page)

    first_is_child = child.pk < copy.pk
    letter = "A" if first_is_child else "B"
    page.get_by_label(f"Yes: merge them, keeping record {letter} ({name})").check()
    page.get_by_label("How do you know?").fill("Same child: the school list has no NHS number")
    page.get_by_role("button", name="Save decision").click()

    expect(heading).to_have_text("Merge history")
    expect(page.get_by_role("alert")).to_contain_text(f"Records merged: {name}'s record was kept")
    assert_accessible(page)
    copy.refresh_from_db()
    assert copy.merged_into_id == child.pk

    page.get_by_role("link", name=re.compile(r"^Undo this merge")).first.click()
    expect(heading).to_have_text("Undo a merge")
    assert_accessible(page)
    page.get_by_label("Why are you undoing this merge?").fill("Checked again: keep both for now")
    page.get_by_role("button", name="Undo this merge").click()

    expect(heading).to_have_text("Compare two records")
    expect(page.get_by_role("alert")).to_contain_text("Merge undone")
    assert_accessible(page)
    copy.refresh_from_db()
    assert copy.merged_into_id is None


def test_typing_on_the_request_form_shows_matches_as_you_type(page, live_server):
    practitioner = User.objects.get(email=PRACTITIONER)
    eho = User.objects.get(email=EHO)
    seen = a_child_seen_by(practitioner)
    hidden = (
        policy.people_visible_to(eho)
        .filter(family_memberships__relationship=Relationship.CHILD, date_of_birth__isnull=False)
        .exclude(pk__in=policy.people_visible_to(practitioner).values("pk"))
        .order_by("pk")
        .first()
    )
    assert seen is not None and hidden is not None, "the demo should have both kinds of child"
    matches = page.locator("#matches")

    sign_in(page, live_server, PRACTITIONER)
    page.goto(url(live_server, "/cases/new/?fresh=1"))
    page.get_by_label("First name").fill(seen.first_name)
    page.get_by_label("Last name").press_sequentially(seen.last_name, delay=30)
    expect(matches.get_by_role("heading", name=seen.full_name)).to_be_visible()
    expect(
        matches.get_by_role("button", name=f"Add {seen.full_name} to this request")
    ).to_be_visible()
    assert_accessible(page)

    # A hidden record is mentioned only for a likely match: name and birthday.
    page.get_by_label("First name").fill(hidden.first_name)
    born = hidden.date_of_birth
    for part, value in (("day", born.day), ("month", born.month), ("year", born.year)):
        page.locator(f'[name="date_of_birth-{part}"]').fill(str(value))
    page.get_by_label("Last name").fill("")
    page.get_by_label("Last name").press_sequentially(hidden.last_name, delay=30)
    expect(
        matches.get_by_role("heading", name=re.compile("A record exists that you cannot see")).first
    ).to_be_visible()
    expect(matches).to_contain_text("Someone with these details is already known to early help")
    expect(matches).not_to_contain_text(hidden.first_name)
    assert_accessible(page)
