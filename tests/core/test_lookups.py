"""core.lookups: a list of ids the database cannot hold finds nothing, never a crash."""

import pytest

from accounts.models import Membership, Organisation
from audit.models import AuditEvent


@pytest.mark.parametrize("huge", [2**63, 2**64, 10**30, -(2**63) - 1])
def test_in_with_a_number_beyond_the_column_finds_nothing(school, huge):
    assert list(Organisation.objects.filter(pk__in=[huge])) == []
    assert list(Organisation.objects.filter(pk__in=[str(huge)])) == []


def test_in_keeps_the_ids_the_column_can_hold(school):
    assert list(Organisation.objects.filter(pk__in=[2**70, school.pk])) == [school]


def test_in_on_a_positive_big_integer_column(db):
    assert list(AuditEvent.objects.filter(episode_id__in=[2**64])) == []


def test_a_foreign_key_beyond_the_column_finds_nothing(involved, school):
    memberships = Membership.objects.filter(user=involved)
    assert memberships.count() == 1
    assert (
        list(memberships.filter(organisation_id=2**63)),
        list(memberships.filter(organisation_id=str(10**30))),
        list(memberships.filter(organisation__in=[2**64, school.pk])),
        list(memberships.exclude(organisation_id=2**63)),
    ) == ([], [], list(memberships), list(memberships))


def test_any_of_finds_what_in_finds(school, clinic, other_org):
    ids = [clinic.pk, school.pk, 2**64, -(2**63) - 1, clinic.pk]
    assert (
        sorted(Organisation.objects.filter(pk__any_of=ids).values_list("pk", flat=True))
        == (sorted(Organisation.objects.filter(pk__in=ids).values_list("pk", flat=True)))
        == sorted([clinic.pk, school.pk])
    )
    assert list(Organisation.objects.filter(pk__any_of=[2**64])) == []
    assert list(Organisation.objects.exclude(pk__any_of=[school.pk]).filter(pk=school.pk)) == []


def test_any_of_an_empty_list_finds_nothing_without_a_query(school, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(Organisation.objects.filter(pk__any_of=[])) == []


def test_any_of_sends_postgresql_one_array_not_a_placeholder_per_id(school):
    from django.db import connection

    sql, params = (
        Organisation.objects.filter(pk__any_of=[school.pk, school.pk + 1])
        .query.get_compiler(connection=connection)
        .as_sql()
    )
    if connection.vendor == "postgresql":
        assert '"id" = ANY(%s)' in sql and [school.pk, school.pk + 1] in list(params)
    else:
        assert '"id" IN (%s, %s)' in sql


def test_any_of_on_a_foreign_key(involved, school):
    memberships = Membership.objects.filter(user=involved)
    assert list(memberships.filter(organisation_id__any_of=[2**64, school.pk])) == list(memberships)
    assert list(memberships.filter(organisation_id__any_of=[school.pk + 1000])) == []
