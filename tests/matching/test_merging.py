"""Merging two records of one person and undoing the merge: what moves,
what is removed, what is filled in, what is refused and who may do it."""

import json

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from consent.models import Consent, Method, Purpose
from core import policy
from episodes.models import EpisodeChild
from matching import merging
from matching.details import Details
from matching.duplicates import find_duplicates, mark_not_duplicate
from matching.engine import find_matches
from matching.models import PossibleDuplicate
from people.models import FamilyMember, Person, Relationship, RestrictableField, Restriction
from tests.factories import EpisodeFactory, PersonFactory
from tests.journey_factories import add_member

REASON = "Same child: the school confirmed the date of birth"


@pytest.fixture
def kept(la, episode, child):
    """The case's child, with no NHS number (so the copy may be merged)."""
    child.nhs_number = ""
    child.save()
    return child


def copy_of(person, **changes):
    """Another record of the same person, on no case."""
    details = {
        "local_authority": person.local_authority,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "nhs_number": "",
    }
    return PersonFactory(**(details | changes))


def consent(episode, person, actor):
    return Consent.objects.create(
        episode=episode,
        person=person,
        purpose=Purpose.ASSESSMENT,
        given=True,
        method=Method.IN_PERSON,
        given_on=timezone.localdate(),
        recorded_by=actor,
    )


def pair_of(a, b):
    find_duplicates(a.local_authority)
    first, second = sorted((a, b), key=lambda p: p.pk)
    return PossibleDuplicate.objects.get(first=first, second=second)


def snapshot():
    """Every row that can point at a person, and every person, as stored."""
    rows = []
    for model in (FamilyMember, EpisodeChild, Consent, Restriction):
        rows.extend(json.loads(serializers.serialize("json", model.objects.order_by("pk"))))
    people = json.loads(serializers.serialize("json", Person.objects.order_by("pk")))
    for row in people:
        row["fields"].pop("updated_at")
    return rows + people


@pytest.fixture
def elsewhere(la, district, kept, involved):
    """The copy in a family of its own, with its own case and consent."""
    merged = copy_of(kept)
    other = EpisodeFactory(local_authority=la, district=district, child=merged)
    consent(other, merged, involved)
    return other, merged


# Merging --------------------------------------------------------------------------


def test_everything_of_the_merged_record_moves_to_the_kept_one(eho, kept, elsewhere):
    other, merged = elsewhere
    pair = pair_of(kept, merged)
    merge = merging.merge(eho, pair, keep=kept, reason=REASON)
    merged.refresh_from_db()
    pair.refresh_from_db()
    assert (
        sorted(entry["model"] for entry in merge.moved),
        merge.removed,
        FamilyMember.objects.filter(family=other.family).get().person,
        EpisodeChild.objects.get(episode=other).person,
        Consent.objects.get(episode=other).person,
        merged.merged_into,
        (pair.status, pair.decided_by, pair.decision_reason),
    ) == (
        ["consent.consent", "episodes.episodechild", "people.familymember"],
        [],
        kept,
        kept,
        kept,
        kept,
        ("merged", eho, REASON),
    )


def test_the_merged_record_is_shown_nowhere_and_matches_only_the_kept_one(manager, kept, elsewhere):
    _other, merged = elsewhere
    merging.merge(manager, pair_of(kept, merged), keep=kept, reason=REASON)
    found = find_matches(
        kept.local_authority_id, Details(kept.first_name, kept.last_name, kept.date_of_birth)
    )
    assert (
        [c.person_id for c in found],
        policy.people_visible_to(manager).filter(pk=merged.pk).exists(),
    ) == ([kept.pk], False)


def test_in_one_family_the_merged_records_rows_are_removed_with_their_values(eho, episode, kept):
    merged = copy_of(kept)
    FamilyMember.objects.create(
        family=episode.family, person=merged, relationship=Relationship.CHILD
    )
    EpisodeChild.objects.create(episode=episode, person=merged)
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    assert (
        merge.moved,
        sorted((entry["model"], entry["values"]["person"]) for entry in merge.removed),
        list(episode.family.memberships.values_list("person_id", flat=True)),
        list(EpisodeChild.objects.filter(episode=episode).values_list("person_id", flat=True)),
    ) == (
        [],
        [("episodes.episodechild", merged.pk), ("people.familymember", merged.pk)],
        [kept.pk],
        [kept.pk],
    )


def test_blank_details_of_the_kept_record_are_filled_in(eho, kept):
    kept.address_line_1, kept.town, kept.postcode = "", "", ""
    kept.save()
    merged = copy_of(
        kept,
        address_line_1="1 Synthetic Street",
        town="Testtown",
        postcode="TS1 2AB",
        upn="A999999912001",
    )
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    kept.refresh_from_db()
    assert (
        merge.filled,
        (kept.address_line_1, kept.town, kept.postcode, kept.upn),
    ) == (
        {"address_line_1": "", "address_line_2": "", "town": "", "postcode": "", "upn": ""},
        ("1 Synthetic Street", "Testtown", "TS1 2AB", "A999999912001"),
    )


def test_details_the_kept_record_has_are_never_overwritten(eho, kept):
    kept.postcode = "TS9 9ZZ"
    kept.save()
    merged = copy_of(kept, postcode="TS1 2AB", address_line_1="1 Synthetic Street")
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    kept.refresh_from_db()
    assert ("postcode" in merge.filled, kept.postcode, kept.address_line_1) == (
        False,
        "TS9 9ZZ",
        "",
    )


def test_a_restricted_detail_is_not_copied_but_its_restriction_moves(
    eho, involved, kept, elsewhere
):
    _other, merged = elsewhere
    merged.address_line_1, merged.postcode = "2 Hidden Road", "TS3 4CD"
    merged.save()
    kept.address_line_1, kept.postcode = "", ""
    kept.save()
    restriction = Restriction.objects.create(
        person=merged, field=RestrictableField.ADDRESS, reason="Synthetic", created_by=involved
    )
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    kept.refresh_from_db()
    restriction.refresh_from_db()
    assert ("postcode" in merge.filled, kept.postcode, restriction.person) == (False, "", kept)


def test_a_restriction_both_records_have_is_kept_once(eho, involved, kept, elsewhere):
    _other, merged = elsewhere
    for person in (kept, merged):
        Restriction.objects.create(
            person=person, field=RestrictableField.ADDRESS, reason="Synthetic", created_by=involved
        )
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    assert (
        [entry["model"] for entry in merge.removed],
        Restriction.objects.filter(person=kept).count(),
    ) == (["people.restriction"], 1)


def test_merging_is_audited_without_values_or_the_reason(eho, kept, elsewhere):
    _other, merged = elsewhere
    pair = pair_of(kept, merged)
    before = AuditEvent.objects.count()
    merge = merging.merge(eho, pair, keep=kept, reason=REASON)
    events = AuditEvent.objects.order_by("sequence")[before:]
    assert [(e.object_type, e.object_id, e.changes, e.reason) for e in events] == [
        (
            "people.person",
            str(merged.pk),
            {"fields": ["merged_into"], "merged_into": kept.pk, "merge": merge.pk, "undone": False},
            "",
        ),
        (
            "people.person",
            str(kept.pk),
            {
                "fields": [],
                "merged_from": merged.pk,
                "moved": 3,
                "removed": 0,
                "merge": merge.pk,
                "undone": False,
            },
            "",
        ),
        ("matching.personmerge", str(merge.pk), {}, ""),
    ]


def test_a_pair_of_people_may_be_merged_without_a_stored_pair(manager, kept):
    merged = copy_of(kept)
    merge = merging.merge(manager, (merged, kept), keep=kept, reason=REASON)
    assert (merge.duplicate, merge.kept, merge.merged) == (None, kept, merged)


# Refusals ---------------------------------------------------------------------------


def refusal(actor, pair, keep, reason=REASON):
    with pytest.raises(ValidationError) as refused:
        merging.merge(actor, pair, keep=keep, reason=reason)
    return refused.value


def test_a_reason_is_required(eho, kept, elsewhere):
    _other, merged = elsewhere
    assert refusal(eho, pair_of(kept, merged), kept, reason=" ").message_dict == {
        "reason": ["Say why these records are the same person"]
    }


def test_the_record_kept_must_be_one_of_the_pair(eho, kept, elsewhere):
    _other, merged = elsewhere
    stranger = PersonFactory(local_authority=kept.local_authority)
    assert refusal(eho, pair_of(kept, merged), stranger).message_dict == {
        "decision": ["Choose which of the two records to keep"]
    }


def test_different_nhs_numbers_are_refused_saying_what_to_do(manager, kept):
    kept.nhs_number = "9990000026"
    kept.save()
    merged = copy_of(kept, nhs_number="9990000034")
    assert refusal(manager, (kept, merged), kept).messages == [
        "These records have different NHS numbers, so they are probably different people. "
        "If one of the numbers is wrong, correct it on that record first (ask the lead "
        "professional if it is restricted), then merge."
    ]


def test_records_of_different_councils_are_refused(manager, kept, other_la):
    foreign = copy_of(kept, local_authority=other_la)
    assert refusal(manager, (kept, foreign), kept).messages == [
        "These records belong to different councils. A record can only be merged with "
        "another record of the same council."
    ]


def test_a_record_cannot_be_merged_into_itself(manager, kept):
    assert refusal(manager, (kept, kept), kept).messages == [
        "A record cannot be merged into itself."
    ]


def test_an_already_merged_record_is_refused(manager, kept):
    merged = copy_of(kept)
    third = copy_of(kept)
    merging.merge(manager, (kept, merged), keep=kept, reason=REASON)
    merged.refresh_from_db()
    assert refusal(manager, (third, merged), third).messages == [
        f"{merged.full_name}'s record was already merged into another record. Compare that "
        "record instead, or undo the earlier merge first."
    ]


def test_a_pair_marked_as_different_people_is_not_merged(manager, kept, elsewhere):
    _other, merged = elsewhere
    pair = pair_of(kept, merged)
    mark_not_duplicate(manager, pair, reason="Cousins")
    assert refusal(manager, pair, kept).messages == [
        "This pair was already decided: not the same person"
    ]


@pytest.mark.parametrize("persona", ["involved", "other_eho", "other_la_manager", "la_admin"])
def test_only_the_councils_reviewers_who_may_see_both_records_merge(
    request, persona, kept, elsewhere
):
    _other, merged = elsewhere
    pair = pair_of(kept, merged)
    with pytest.raises(PermissionDenied):
        merging.merge(request.getfixturevalue(persona), pair, keep=kept, reason=REASON)
    merged.refresh_from_db()
    assert merged.merged_into is None


# Undo -----------------------------------------------------------------------------


def test_undo_puts_everything_back_exactly(eho, episode, kept, elsewhere):
    _other, merged = elsewhere
    kept.postcode = ""
    kept.save()
    merged.postcode = "TS1 2AB"
    merged.save()
    add_member(episode, Relationship.PARENT, first_name="Robin", last_name=kept.last_name)
    # The copy is in the case's family too: its membership there is removed.
    FamilyMember.objects.create(
        family=episode.family, person=merged, relationship=Relationship.CHILD
    )
    pair = pair_of(kept, merged)
    before = snapshot()
    merge = merging.merge(eho, pair, keep=kept, reason=REASON)
    assert merge.removed and merge.moved and merge.filled
    merging.undo_merge(eho, merge, reason="Merged by mistake: they are cousins")
    pair.refresh_from_db()
    merge.refresh_from_db()
    found = find_matches(
        kept.local_authority_id, Details(kept.first_name, kept.last_name, kept.date_of_birth)
    )
    assert (
        snapshot(),
        (pair.status, pair.decided_by, pair.decision_reason),
        (merge.undone_by, merge.undo_reason),
        sorted(c.person_id for c in found),
    ) == (
        before,
        ("open", None, ""),
        (eho, "Merged by mistake: they are cousins"),
        sorted([kept.pk, merged.pk]),
    )


def test_undo_needs_a_reason(eho, kept, elsewhere):
    _other, merged = elsewhere
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        merging.undo_merge(eho, merge, reason="")
    assert refused.value.message_dict == {"reason": ["Say why the merge is being undone"]}


def test_undo_is_refused_once_a_moved_row_has_gone(eho, kept, elsewhere):
    other, merged = elsewhere
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    FamilyMember.objects.filter(family=other.family, person=kept).delete()
    with pytest.raises(ValidationError) as refused:
        merging.undo_merge(eho, merge, reason="Mistake")
    assert refused.value.messages == [
        "This merge cannot be undone exactly. Put these back first, or correct the records "
        "by hand:",
        "A family member moved by the merge has since been removed or changed.",
    ]


def test_undo_is_refused_once_a_filled_detail_has_been_corrected(eho, kept):
    kept.upn = ""
    kept.save()
    merged = copy_of(kept, upn="A999999912001")
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    kept.refresh_from_db()
    kept.upn = "A999999912002"
    kept.save()
    with pytest.raises(ValidationError) as refused:
        merging.undo_merge(eho, merge, reason="Mistake")
    assert refused.value.messages[1:] == [
        "The unique pupil number (UPN) copied onto the kept record has been changed since."
    ]


def test_a_merge_is_undone_once(eho, kept, elsewhere):
    _other, merged = elsewhere
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    merging.undo_merge(eho, merge, reason="Mistake")
    with pytest.raises(ValidationError) as refused:
        merging.undo_merge(eho, merge, reason="Mistake again")
    assert refused.value.messages[1:] == ["This merge was already undone."]


@pytest.mark.parametrize("persona", ["involved", "other_eho", "other_la_manager"])
def test_only_the_councils_reviewers_undo(request, persona, eho, kept, elsewhere):
    _other, merged = elsewhere
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    with pytest.raises(PermissionDenied):
        merging.undo_merge(request.getfixturevalue(persona), merge, reason="Mistake")


def test_undo_is_audited(eho, kept, elsewhere):
    _other, merged = elsewhere
    merge = merging.merge(eho, pair_of(kept, merged), keep=kept, reason=REASON)
    before = AuditEvent.objects.count()
    merging.undo_merge(eho, merge, reason="Mistake")
    events = AuditEvent.objects.order_by("sequence")[before:]
    assert [(e.object_type, e.changes.get("undone"), e.changes.get("fields")) for e in events] == [
        ("people.person", True, ["merged_into"]),
        ("people.person", True, []),
        ("matching.personmerge", None, ["undone_at", "undo_reason"]),
    ]
