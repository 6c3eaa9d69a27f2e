"""The possible-duplicates filter starts from the pairs; it must give exactly
the pairs (and merges) the earlier form, which listed every reviewable person
of the council first, gave."""

from itertools import combinations

import pytest
from django.db.models import Exists, OuterRef, Q

from accounts.models import Role, RoleGrant
from core import policy
from matching.models import PersonMerge, PossibleDuplicate
from people.models import FamilyMember, Person
from tests.factories import (
    DistrictFactory,
    EpisodeFactory,
    FamilyFactory,
    PersonFactory,
)


def reviewable_before(user, merged_too=False):
    """people_reviewable_for_duplicates as it was written before the rewrite."""
    if not policy.can_review_duplicates(user):
        return Person.objects.none()
    in_la = Person.objects.filter(local_authority_id=user.local_authority_id)
    if not user.has_role(Role.EARLY_HELP_MANAGER):
        on_no_case = ~Exists(
            FamilyMember.objects.filter(person_id=OuterRef("pk"), family__episodes__isnull=False)
        )
        in_la = in_la.filter(Q(pk__in=policy.people_visible_to(user).values("pk")) | on_no_case)
    return in_la if merged_too else in_la.filter(merged_into__isnull=True)


def pairs_before(user):
    if not policy.can_review_duplicates(user):
        return set()
    people = reviewable_before(user).values("pk")
    return set(
        PossibleDuplicate.objects.filter(
            local_authority_id=user.local_authority_id, first__in=people, second__in=people
        ).values_list("pk", flat=True)
    )


@pytest.fixture
def overlapping(la, other_la, eho, other_eho, manager, involved):
    """Two districts; a child in a family with a case in each (a split family),
    people in a family with no case, people on no family at all, a merged record,
    a person on a closed case, and a pair between every two of them."""
    near = DistrictFactory(local_authority=la, name="Near", early_help_officer=eho)
    far = other_eho.districts_as_eho.get()
    near_case = EpisodeFactory(local_authority=la, district=near, requested_by=involved)
    far_case = EpisodeFactory(local_authority=la, district=far)
    shared = PersonFactory(local_authority=la, first_name="Shared")
    for case in (near_case, far_case):
        FamilyMember.objects.create(family=case.family, person=shared, relationship="child")
    near_child, far_child = near_case.children.get(), far_case.children.get()
    no_case_family = FamilyFactory(local_authority=la)
    in_family_no_case = PersonFactory(local_authority=la, first_name="Familyonly")
    FamilyMember.objects.create(
        family=no_case_family, person=in_family_no_case, relationship="child"
    )
    alone = [PersonFactory(local_authority=la, first_name=f"Alone{n}") for n in range(2)]
    merged = PersonFactory(local_authority=la, first_name="Merged", merged_into=alone[0])
    people = [shared, near_child, far_child, in_family_no_case, *alone, merged]
    for first, second in combinations(sorted(people, key=lambda p: p.pk), 2):
        PossibleDuplicate.objects.create(local_authority=la, first=first, second=second, score=0.9)
    for kept in people:
        PersonMerge.objects.create(local_authority=la, kept=kept, merged=merged, merged_by=manager)
    elsewhere = [PersonFactory(local_authority=other_la) for _ in range(2)]
    PossibleDuplicate.objects.create(
        local_authority=other_la, first=elsewhere[0], second=elsewhere[1], score=0.9
    )
    return people


@pytest.mark.parametrize(
    "persona", ["eho", "other_eho", "manager", "involved", "other_la_manager", "eho_and_worker"]
)
def test_the_pairs_and_merges_are_the_same_as_before(request, overlapping, persona, la):
    if persona == "eho_and_worker":
        # A practitioner who is also an EHO (of no district): sees by both routes.
        user = request.getfixturevalue("involved")
        RoleGrant.objects.create(user=user, role=Role.EARLY_HELP_OFFICER)
        user = type(user).objects.get(pk=user.pk)
    else:
        user = request.getfixturevalue(persona)
    after = set(policy.duplicates_visible_to(user).values_list("pk", flat=True))
    assert after == pairs_before(user)
    merges_before = set(
        PersonMerge.objects.filter(
            local_authority_id=user.local_authority_id,
            kept__in=reviewable_before(user).values("pk"),
        ).values_list("pk", flat=True)
    )
    assert set(policy.merges_visible_to(user).values_list("pk", flat=True)) == merges_before
    for merged_too in (False, True):
        assert set(policy.people_reviewable_for_duplicates(user, merged_too=merged_too)) == set(
            reviewable_before(user, merged_too)
        )


def test_the_fixture_tells_the_roles_apart(overlapping, eho, other_eho, manager):
    """Guards the test above: the three reviewers see different, non-empty sets."""
    seen = [pairs_before(user) for user in (eho, other_eho, manager)]
    assert seen[0] and seen[1] and seen[0] != seen[1]
    assert seen[0] < seen[2] and seen[1] < seen[2]
