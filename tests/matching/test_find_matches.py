"""Checks against the database: keys follow the register as it changes."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.details import Details
from matching.engine import find_matches
from matching.models import MatchKey
from tests.factories import FamilyFactory, PersonFactory

DOB = date(2016, 2, 3)


def test_a_person_is_found_as_soon_as_they_are_saved(la):
    person = PersonFactory(local_authority=la, first_name="Katherine", last_name="Nowak")
    found = find_matches(la.pk, Details("Kate", "Nowak", person.date_of_birth))
    assert [c.person_id for c in found] == [person.pk]


def test_a_change_of_details_moves_the_keys(la):
    person = PersonFactory(local_authority=la, first_name="Ada", last_name="Oldname")
    person.last_name = "Newname"
    person.date_of_birth = DOB
    person.save()
    assert find_matches(la.pk, Details("Ada", "Newname", DOB))[0].person_id == person.pk
    assert not MatchKey.objects.filter(person=person, key__contains="2016-05-17").exists()


def test_another_councils_people_are_never_candidates(la, other_la):
    PersonFactory(local_authority=other_la, first_name="Ada", last_name="Elsewhere")
    assert find_matches(la.pk, Details("Ada", "Elsewhere", date(2016, 5, 17))) == []


def test_a_parents_name_in_the_family_counts(la):
    family = FamilyFactory(local_authority=la)
    child = PersonFactory(local_authority=la, first_name="Ola", last_name="Kowalska")
    parent = PersonFactory(local_authority=la, first_name="Marta", last_name="Kowalska")
    family.memberships.create(person=child, relationship="child")
    family.memberships.create(person=parent, relationship="parent")
    found = find_matches(
        la.pk, Details("Ola", "Kowalska", child.date_of_birth, parent_name="Marta Kowalska")
    )
    assert "same parent's full name" in found[0].reasons


def test_a_merged_record_is_never_offered(la):
    kept = PersonFactory(local_authority=la, first_name="Ada", last_name="Twice")
    merged = PersonFactory(local_authority=la, first_name="Ada", last_name="Twice")
    merged.merged_into = kept
    merged.save()
    found = find_matches(la.pk, Details("Ada", "Twice", kept.date_of_birth))
    assert [c.person_id for c in found] == [kept.pk]


def test_a_check_reads_only_people_who_share_a_key(la):
    PersonFactory.create_batch(30, local_authority=la, last_name="Elsewhere")
    target = PersonFactory(
        local_authority=la, first_name="Zed", last_name="Unique", date_of_birth=DOB
    )
    with CaptureQueriesContext(connection) as queries:
        found = find_matches(la.pk, Details("Zed", "Unique", DOB))
    assert [c.person_id for c in found] == [target.pk]
    # One query for the keys, one for the few profiles they point at.
    assert len(queries) == 2
