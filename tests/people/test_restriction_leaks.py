"""Restricted parts of a record do not leak through what is worked out from
them (an age), through the people who live with her, through a search that
would confirm them, or through free text typed about the family."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from core.validators import normalise_nhs_number
from meetings import services as meeting_services
from notes.models import CaseNote
from notes.services import add_note
from people import restrictions
from people.models import Person
from people.search import search_people
from tests.factories import UserFactory
from tests.journey import add_parent
from tests.journey_factories import complete_assessment

STREET = "14 Quarrel Heath Row"
POSTCODE = "NM9 4QQ"
BIRTHDAY = datetime.date(1979, 3, 17)
NHS_NUMBER = "9990001235"


@pytest.fixture
def mother(episode, lead):
    person = add_parent(
        episode,
        first_name="Wrenna",
        last_name="Hollowmere",
        date_of_birth=BIRTHDAY,
        address_line_1=STREET,
        postcode=POSTCODE,
        nhs_number=normalise_nhs_number(NHS_NUMBER),
    )
    for field in ("address", "date_of_birth", "nhs_number"):
        restrictions.restrict(lead, person, field=field, reason="Fleeing domestic abuse")
    return Person.objects.get(pk=person.pk)


def test_an_address_restricted_on_her_record_is_restricted_on_her_childs(
    episode, child, mother, lead, eho
):
    Person.objects.filter(pk=child.pk).update(address_line_1=STREET.upper(), postcode="NM94QQ")
    child = Person.objects.get(pk=child.pk)
    for_eho = restrictions.shown_to(eho, child)
    for_lead = restrictions.shown_to(lead, child)
    assert (for_eho.address_line_1, for_eho.postcode, for_eho.withheld) == ("", "", ["Address"])
    assert (for_lead.address_line_1, for_lead.withheld) == (STREET.upper(), [])


def test_a_neighbour_at_another_address_keeps_theirs(episode, mother, eho):
    neighbour = add_parent(episode, first_name="Other", address_line_1="15 Quarrel Heath Row")
    neighbour.postcode = POSTCODE
    neighbour.save()
    assert restrictions.shown_to(eho, neighbour).address_line_1 == "15 Quarrel Heath Row"


def test_the_consent_page_does_not_print_an_age_worked_out_from_a_restricted_birthday(
    client_for, episode, mother, eho, lead
):
    age = mother.age()
    eho_page = client_for(eho).get(f"/cases/{episode.pk}/consent/").content.decode()
    assert "Wrenna Hollowmere" in eho_page
    assert f"Wrenna Hollowmere ({age})" not in eho_page
    lead_page = client_for(lead).get(f"/cases/{episode.pk}/consent/").content.decode()
    assert f"Wrenna Hollowmere ({age})" in lead_page


SEARCH = {"first_name": "Wrenna", "last_name": "Hollowmere"}
RIGHT_AND_WRONG = [
    ({"postcode": POSTCODE}, {"postcode": "NM1 1AA"}),
    ({"date_of_birth": BIRTHDAY}, {"date_of_birth": datetime.date(1981, 7, 2)}),
    ({"nhs_number": NHS_NUMBER}, {"nhs_number": "9990002231"}),
]


def answer(user, **typed):
    return [
        (m.person.pk if m.person else None, m.percent, m.reason, m.restricted, m.contact)
        for m in search_people(user, **SEARCH, **typed)
    ]


@pytest.mark.parametrize(("right", "wrong"), RIGHT_AND_WRONG)
def test_a_search_answers_the_same_whether_a_restricted_value_is_right_or_wrong(
    mother, eho, right, wrong
):
    assert answer(eho, **right) == answer(eho, **wrong)
    ((person_id, _percent, reason, restricted, contact),) = answer(eho, **right)
    assert (person_id, restricted) == (mother.pk, True)
    assert "postcode" not in reason and "birth" not in reason and "NHS" not in reason
    assert contact.startswith("")


@pytest.mark.parametrize(("right", "wrong"), RIGHT_AND_WRONG)
def test_someone_who_may_see_them_still_gets_the_evidence(mother, lead, right, wrong):
    def best(**typed):
        return max((percent for _pk, percent, *_rest in answer(lead, **typed)), default=0)

    assert best(**right) > best(**wrong)


def test_a_hidden_record_is_not_confirmed_by_a_restricted_value_either(mother, la, school):
    stranger = UserFactory(
        local_authority=la,
        email="stranger@test.example",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )
    for right, wrong in RIGHT_AND_WRONG:
        assert answer(stranger, **right) == answer(stranger, **wrong)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        (f"At her flat, {STREET.lower()}", "address"),
        ("Meet near nm9 4qq", "address"),
        ("Born 17/03/1979", "date of birth"),
        ("Born 17 March 1979", "date of birth"),
        ("NHS 999 000 1235", "nhs number"),
    ],
)
def test_a_note_naming_a_restricted_value_is_refused_and_says_which(
    episode, mother, lead, text, part
):
    with pytest.raises(ValidationError) as refused:
        add_note(
            lead,
            episode,
            kind="visit",
            happened_on=datetime.date.today(),
            who="Family",
            what_happened=text,
        )
    assert refused.value.message_dict == {
        "what_happened": [
            f"What happened contains a restricted part of Wrenna Hollowmere's record ({part}). "
            "Remove it: restricted details are never written in free text."
        ]
    }
    assert CaseNote.objects.count() == 0


def test_text_that_only_looks_alike_is_saved(episode, mother, lead):
    add_note(
        lead,
        episode,
        kind="visit",
        happened_on=datetime.date.today(),
        who="Family",
        what_happened="14 Quarrel Heath Rowing club; postcode NM9 4QR",
    )
    assert CaseNote.objects.count() == 1


def test_a_meeting_at_the_restricted_address_is_refused(episode, mother, involved, lead):
    complete_assessment(episode, involved)
    with pytest.raises(ValidationError) as refused:
        meeting_services.arrange_meeting(
            lead,
            episode,
            starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
            location=f"{STREET}, {POSTCODE}",
            users=[involved],
        )
    assert refused.value.message_dict["location"] == [
        "Where the meeting will be contains a restricted part of Wrenna Hollowmere's record "
        "(address). Remove it: restricted details are never written in free text."
    ]


@pytest.mark.django_db(transaction=True)
def test_a_request_for_someone_matching_a_restricted_record_is_queued_for_the_eho(
    episode, mother, involved, school, district
):
    """The searcher was told nothing either way; the duplicate is still caught."""
    from episodes.services import request_support
    from matching.models import PossibleDuplicate
    from people.models import Relationship

    new = request_support(
        involved,
        organisation=school,
        district=district,
        source="school",
        worries="Attendance has dropped",
        needs=["attendance"],
        family_name="Hollowmere family",
        members=[
            {
                "person": None,
                "details": {
                    "first_name": "Wrenna",
                    "last_name": "Hollowmere",
                    "date_of_birth": BIRTHDAY,
                    "postcode": POSTCODE,
                },
                "relationship": Relationship.PARENT,
            },
            {
                "person": None,
                "details": {
                    "first_name": "Ollie",
                    "last_name": "Hollowmere",
                    "date_of_birth": datetime.date(2017, 4, 9),
                },
                "relationship": Relationship.CHILD,
            },
        ],
    )
    added = new.family.members.get(first_name="Wrenna")
    pair = PossibleDuplicate.objects.get()
    assert ({pair.first_id, pair.second_id}, pair.status) == (
        {mother.pk, added.pk},
        PossibleDuplicate.Status.OPEN,
    )


def test_text_written_before_the_restriction_is_shown_without_it(
    client_for, episode, mother, involved, lead, eho
):
    """A place typed before the address was restricted still holds it: pages
    hide it from those who may not see it, and files and emails, which leave
    the service, from everyone."""
    from tests.journey_factories import MeetingFactory

    meeting = MeetingFactory(
        episode=episode, arranged_by=involved, location=f"At home, {STREET}, Amberfold {POSTCODE}"
    )
    page = f"/cases/{episode.pk}/meetings/{meeting.pk}/"
    assert "At home, [restricted], Amberfold [restricted]" in (
        client_for(eho).get(page).content.decode()
    )
    assert f"At home, {STREET}" in client_for(lead).get(page).content.decode()
    ics = client_for(lead).get(f"{page}invite.ics").content.decode()
    assert "LOCATION:At home\\, [restricted]\\, Amberfold [restricted]" in ics
    email = meeting_services.invite_email(meeting, [involved])
    assert "at At home, [restricted], Amberfold [restricted]." in email.body


@pytest.mark.parametrize("years", [3, 12])
def test_what_a_page_asks_of_a_child_does_not_tell_a_restricted_age(episode, child, lead, years):
    """Whether a child is asked for a score or their own words would tell
    their age band: with the date of birth restricted, every child is asked."""
    from assessments.scoring import scorers
    from assessments.services import voice_required
    from tests.journey_factories import years_ago

    Person.objects.filter(pk=child.pk).update(date_of_birth=years_ago(years))
    restrictions.restrict(lead, child, field="date_of_birth", reason="Fleeing domestic abuse")
    child = Person.objects.prefetch_related("restrictions").get(pk=child.pk)
    asked = [person.pk for _f, _s, person, _l in scorers(episode) if person is not None]
    age = restrictions.rule_age(child)
    assert (child.pk in asked, age, voice_required(child, age)) == (True, None, True)
