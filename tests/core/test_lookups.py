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
