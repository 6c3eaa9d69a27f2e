"""The possible duplicates pages, and the live check on the request form."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from matching import merging
from matching.duplicates import find_duplicates
from matching.models import PersonMerge, PossibleDuplicate
from people.models import FamilyMember, RestrictableField, Restriction
from tests.factories import FamilyFactory, PersonFactory

REASON = "Same child: the school confirmed the date of birth"
SURNAMES = ["Nowak", "Adeyemi", "Okafor"]


def copy_of(person, **changes):
    details = {
        "local_authority": person.local_authority,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "nhs_number": "",
        "postcode": person.postcode,
    }
    return PersonFactory(**(details | changes))


@pytest.fixture
def pair(child):
    """The case's child (record A) and a record of the same child on no case,
    who goes by a short form of the name (record B)."""
    child.first_name, child.nhs_number, child.postcode = "Katherine", "", "TS1 2AB"
    child.save()
    copy_of(child, first_name="Kate", external_id="SRC-17")
    find_duplicates(child.local_authority)
    return PossibleDuplicate.objects.get()


def page(client, url, data=None):
    response = client.post(url, data) if data is not None else client.get(url)
    return response, response.content.decode()


def error_summary(html):
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


# The list ---------------------------------------------------------------------------


def test_the_list_shows_each_pair_with_its_likelihood_and_reasons(client_for, eho, pair):
    response, html = page(client_for(eho), reverse("matching:duplicates"))
    event = AuditEvent.objects.filter(action=Action.VIEW).last()
    assert (
        response.status_code,
        "Katherine Testfamily" in html,
        "Kate Testfamily" in html,
        f"{round(pair.score * 100)}%" in html,
        "first names are forms of the same name" in html,
        event.changes,
    ) == (200, True, True, True, True, {"list": "possible duplicates", "results": 1})
    compare = reverse("matching:compare", kwargs={"pk": pair.pk})
    assert (
        f'<a class="govuk-link" href="{compare}">Compare<span class="govuk-visually-hidden">'
        f" {pair.first.full_name} and {pair.second.full_name}</span></a>"
    ) in html
    assert 'class="govuk-table__cell govuk-table__cell--numeric">' in html


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_do_not_grow_with_the_pairs(
    client_for, manager, la, count, django_assert_num_queries
):
    for day, surname in enumerate(SURNAMES[:count], start=1):
        # Each family's child born on a day of their own: two Kates of
        # different surnames born the same day, with nothing else to go on,
        # are a possible duplicate (a changed surname) in their own right.
        a = PersonFactory(
            local_authority=la,
            first_name="Katherine",
            last_name=surname,
            date_of_birth=date(2016, 5, day),
        )
        copy_of(a, first_name="Kate")
    find_duplicates(la)
    client = client_for(manager)
    client.get(reverse("matching:duplicates"))
    # session, user with its LA, OTP device, roles, organisations; the count and
    # the page of pairs; the view event (savepoint, chain head, insert, head
    # update, release)
    with django_assert_num_queries(12):
        response = client.get(reverse("matching:duplicates"))
    assert response.content.decode().count(">Compare<") == count


@pytest.mark.parametrize("persona", ["involved", "la_admin"])
def test_practitioners_and_administrators_do_not_review_duplicates(
    request, client_for, pair, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert [
        client.get(reverse(name, kwargs=kwargs)).status_code
        for name, kwargs in (
            ("matching:duplicates", {}),
            ("matching:compare", {"pk": pair.pk}),
            ("matching:merges", {}),
        )
    ] == [403, 403, 403]


def test_another_councils_pair_is_not_found(client_for, other_la_manager, other_eho, pair):
    assert [
        client_for(user).get(reverse("matching:compare", kwargs={"pk": pair.pk})).status_code
        for user in (other_la_manager, other_eho)
    ] == [404, 404]


def test_the_home_page_counts_the_pairs_for_reviewers_only(client_for, eho, involved, pair):
    assert [
        "1 pair of records to review" in page(client_for(user), "/")[1] for user in (eho, involved)
    ] == [True, False]


# Comparing and deciding -------------------------------------------------------------


def test_the_comparison_shows_both_records_and_marks_what_differs(client_for, eho, pair):
    response, html = page(client_for(eho), reverse("matching:compare", kwargs={"pk": pair.pk}))
    differing = html.count("app-compare__row--differs")
    views = AuditEvent.objects.filter(action=Action.VIEW, object_type="people.person")
    assert (
        response.status_code,
        "Katherine Testfamily" in html,
        "Kate Testfamily" in html,
        "SRC-17" in html,
        differing,  # the name and the reference in the source system
        sorted(int(event.object_id) for event in views),
    ) == (200, True, True, True, 2, [pair.first_id, pair.second_id])


def test_a_restricted_detail_is_not_shown_or_compared(client_for, eho, involved, pair):
    child = pair.first
    child.address_line_1 = "1 Secret Street"
    child.save()
    Restriction.objects.create(
        person=child, field=RestrictableField.ADDRESS, reason="Synthetic", created_by=involved
    )
    _response, html = page(client_for(eho), reverse("matching:compare", kwargs={"pk": pair.pk}))
    assert (
        "1 Secret Street" in html,
        "Part of record A is restricted and not shown to you: address." in html,
        html.count("app-compare__row--differs"),
    ) == (False, True, 2)


def test_a_decision_needs_a_choice_and_a_reason(client_for, eho, pair):
    url = reverse("matching:compare", kwargs={"pk": pair.pk})
    response, html = page(client_for(eho), url, {"decision": "", "reason": ""})
    summary = error_summary(html)
    pair.refresh_from_db()
    assert (
        response.status_code,
        "Choose whether to merge the records or keep both" in summary,
        "Say how you know, so others can check the decision" in summary,
        pair.status,
    ) == (200, True, True, "open")


def test_merging_keeps_the_chosen_record_and_goes_to_the_history(client_for, eho, pair):
    client = client_for(eho)
    url = reverse("matching:compare", kwargs={"pk": pair.pk})
    response = client.post(url, {"decision": "keep_first", "reason": REASON})
    history = client.get(response["Location"]).content.decode()
    merge = PersonMerge.objects.get()
    assert (
        response["Location"],
        (merge.kept_id, merge.merged_id, merge.reason),
        "Records merged: Katherine Testfamily&#x27;s record was kept." in history,
        "Undo this merge" in history,
    ) == (reverse("matching:merges"), (pair.first_id, pair.second_id, REASON), True, True)


def test_different_people_are_recorded_and_leave_the_list(client_for, eho, pair):
    client = client_for(eho)
    url = reverse("matching:compare", kwargs={"pk": pair.pk})
    response = client.post(url, {"decision": "different", "reason": "Cousins"})
    pair.refresh_from_db()
    listed = client.get(reverse("matching:duplicates")).content.decode()
    assert (response.status_code, pair.status, "There are no possible duplicates" in listed) == (
        302,
        "not_duplicate",
        True,
    )


def test_records_that_may_not_be_merged_say_why_and_offer_only_different_people(
    client_for, eho, pair
):
    for person, number in ((pair.first, "9990000026"), (pair.second, "9990000034")):
        person.nhs_number = number
        person.save()
    _response, html = page(client_for(eho), reverse("matching:compare", kwargs={"pk": pair.pk}))
    assert (
        "These records have different NHS numbers" in html,
        'value="keep_first"' in html,
        'value="different"' in html,
    ) == (True, False, True)


def test_a_merge_refused_by_the_service_is_shown_in_the_error_summary(client_for, eho, pair):
    # Marked as different people in another tab after this page was opened.
    PossibleDuplicate.objects.filter(pk=pair.pk).update(status="not_duplicate")
    url = reverse("matching:compare", kwargs={"pk": pair.pk})
    response = client_for(eho).post(url, {"decision": "keep_first", "reason": REASON})
    assert (response.status_code, response["Location"], PersonMerge.objects.count()) == (
        302,
        url,
        0,
    )


# The history and undoing ----------------------------------------------------------


@pytest.fixture
def merge(eho, pair):
    return merging.merge(eho, pair, keep=pair.first, reason=REASON)


@pytest.mark.parametrize("count", [1, 3])
def test_history_queries_do_not_grow_with_the_merges(
    client_for, manager, la, count, django_assert_num_queries
):
    for surname in SURNAMES[:count]:
        a = PersonFactory(local_authority=la, first_name="Ada", last_name=surname)
        merging.merge(manager, (a, copy_of(a)), keep=a, reason=REASON)
    client = client_for(manager)
    client.get(reverse("matching:merges"))
    # session, user with its LA, OTP device, roles, organisations; the count and
    # the page of merges; the view event (savepoint, chain head, insert, head
    # update, release)
    with django_assert_num_queries(12):
        response = client.get(reverse("matching:merges"))
    assert response.content.decode().count("Undo this merge<") == count


def test_undo_needs_a_reason(client_for, eho, merge):
    url = reverse("matching:undo", kwargs={"pk": merge.pk})
    response, html = page(client_for(eho), url, {"reason": ""})
    merge.refresh_from_db()
    assert (
        response.status_code,
        "Say why the merge is being undone" in error_summary(html),
        merge.is_undone,
    ) == (200, True, False)


def test_undo_puts_the_pair_back_for_review(client_for, eho, merge):
    client = client_for(eho)
    url = reverse("matching:undo", kwargs={"pk": merge.pk})
    response = client.post(url, {"reason": "They are cousins"})
    merge.refresh_from_db()
    assert (
        response["Location"],
        merge.undo_reason,
        PossibleDuplicate.objects.get().status,
    ) == (
        reverse("matching:compare", kwargs={"pk": merge.duplicate_id}),
        "They are cousins",
        "open",
    )


def test_undo_refused_says_what_changed(client_for, eho, la, pair):
    family = FamilyFactory(local_authority=la)
    FamilyMember.objects.create(family=family, person=pair.second, relationship="child")
    merge = merging.merge(eho, pair, keep=pair.first, reason=REASON)
    FamilyMember.objects.filter(family=family).delete()  # since the merge
    url = reverse("matching:undo", kwargs={"pk": merge.pk})
    shown = page(client_for(eho), url)[1]
    response, html = page(client_for(eho), url, {"reason": "Mistake"})
    merge.refresh_from_db()
    assert (
        "A family member moved by the merge has since been removed or changed." in shown,
        response.status_code,
        "A family member moved by the merge has since been removed or changed."
        in error_summary(html),
        merge.is_undone,
    ) == (True, 200, True, False)


def test_another_councils_merge_is_not_found(client_for, other_la_manager, merge):
    url = reverse("matching:undo", kwargs={"pk": merge.pk})
    assert client_for(other_la_manager).get(url).status_code == 404


# The live check on the request form ----------------------------------------------


def searches():
    return AuditEvent.objects.filter(changes__search="people").count()


def live(client, **typed):
    return client.get(reverse("episodes:request_matches"), typed)


def test_typing_shows_the_matches_the_search_would(client_for, involved, child):
    response = live(client_for(involved), first_name=child.first_name, last_name=child.last_name)
    html = response.content.decode()
    event = AuditEvent.objects.filter(action=Action.VIEW).last()
    assert (
        response.status_code,
        f'name="person_id" value="{child.pk}"' in html,
        "<html" in html,
        event.changes,
    ) == (200, True, False, {"search": "people", "results": 1, "live": True})


def born(person):
    day = person.date_of_birth
    return {
        "date_of_birth-day": day.day,
        "date_of_birth-month": day.month,
        "date_of_birth-year": day.year,
    }


def test_a_hidden_match_names_nobody(client_for, other_org, child):
    response = live(
        client_for(other_org),
        first_name=child.first_name,
        last_name=child.last_name,
        **born(child),
    )
    html = response.content.decode()
    assert (
        "A record exists that you cannot see" in html,
        "Someone with these details is already known to early help" in html,
        child.first_name in html,
        'name="person_id"' in html,
    ) == (True, True, False, False)


def test_a_name_alone_does_not_reveal_a_hidden_record(client_for, other_org, child):
    # Only a likely match says a record exists: typing a name is not enough
    # to learn whether someone of that name is known to early help.
    response = live(client_for(other_org), first_name=child.first_name, last_name=child.last_name)
    assert "A record exists that you cannot see" not in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        {"first_name": "Katherine"},  # no surname or NHS number
        {"last_name": "Testfamily"},  # nothing else yet
        {"postcode": "TS1 2AB", "first_name": "Kate"},
    ],
)
def test_too_little_typed_searches_nothing(client_for, involved, child, typed):
    response = live(client_for(involved), **typed)
    assert (response.content.decode().strip(), searches()) == ("", 0)


def test_a_date_that_is_not_a_real_date_finds_nothing(client_for, involved, child):
    response = live(
        client_for(involved),
        first_name=child.first_name,
        last_name=child.last_name,
        **{"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2016"},
    )
    html = response.content.decode()
    assert ("0 possible matches" in html, searches()) == (True, 0)


def test_an_nhs_number_and_a_surname_are_enough(client_for, involved, child):
    html = live(
        client_for(involved), nhs_number=child.nhs_number, last_name=child.last_name
    ).content.decode()
    assert f'name="person_id" value="{child.pk}"' in html


def test_the_live_check_is_for_requesters_only(client_for, eho, child):
    response = live(client_for(eho), first_name=child.first_name, last_name=child.last_name)
    assert response.status_code == 403


def test_the_home_page_counts_the_pairs_up_to_a_limit(client_for, eho, pair, monkeypatch):
    """Each pair's people are tested against the reviewer's cases, so the home
    page stops counting at a limit and says there are more."""
    import core.views

    monkeypatch.setattr(core.views, "DUPLICATES_COUNTED_ON_HOME", 0)
    html = page(client_for(eho), "/")[1]
    assert "More than 0 pairs of records to review" in html
    assert "1 pair of records to review" not in html
