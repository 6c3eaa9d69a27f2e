"""Finding possible duplicates in a council's register, and the reviewer's
judgement that two records are different people."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from audit.models import Action, AuditEvent
from matching.duplicates import find_duplicates, mark_not_duplicate, open_duplicates_for
from matching.models import PossibleDuplicate
from tests.factories import EpisodeFactory, PersonFactory

DOB = date(2015, 3, 4)


def person(la, first_name, last_name="Nowak", **details):
    """A record on no case (as an import leaves it), with no NHS number unless given."""
    details = {"date_of_birth": DOB, "nhs_number": "", "postcode": "TS1 2AB"} | details
    return PersonFactory(local_authority=la, first_name=first_name, last_name=last_name, **details)


def pairs(la):
    return list(
        PossibleDuplicate.objects.filter(local_authority=la)
        .order_by("first_id", "second_id")
        .values_list("first_id", "second_id", "status")
    )


def test_a_short_form_of_the_same_name_is_a_possible_duplicate(la):
    katherine = person(la, "Katherine")
    kate = person(la, "Kate")
    person(la, "Someone", last_name="Else", date_of_birth=date(2010, 1, 1))
    summary = find_duplicates(la)
    pair = PossibleDuplicate.objects.get()
    assert (
        pairs(la),
        "first names are forms of the same name" in pair.reasons,
        pair.score >= 0.9,
        (summary.checked, summary.new),
    ) == ([(katherine.pk, kate.pk, "open")], True, True, (3, 1))


def test_twins_are_not_flagged(la):
    person(la, "Amelia")
    person(la, "Oliver")
    assert (find_duplicates(la).new, pairs(la)) == (0, [])


def test_a_different_nhs_number_is_never_a_duplicate(la):
    person(la, "Kate", nhs_number="9990000026")
    person(la, "Kate", nhs_number="9990000034")
    assert pairs(la) == [] and find_duplicates(la).new == 0


def test_running_again_adds_nothing_and_keeps_the_pair_open(la):
    person(la, "Katherine")
    person(la, "Kate")
    find_duplicates(la)
    again = find_duplicates(la)
    assert (again.new, again.still_open, PossibleDuplicate.objects.count()) == (0, 1, 1)


def test_a_decided_pair_is_not_reopened(la, manager):
    person(la, "Katherine")
    person(la, "Kate")
    find_duplicates(la)
    pair = PossibleDuplicate.objects.get()
    mark_not_duplicate(manager, pair, reason="Cousins: checked with the school")
    again = find_duplicates(la)
    pair.refresh_from_db()
    assert (again.new, again.already_decided, pair.status) == (0, 1, "not_duplicate")


def test_only_the_people_named_are_checked(la):
    katherine = person(la, "Katherine")
    kate = person(la, "Kate")
    person(la, "Jo", last_name="Bloggs")
    person(la, "Joanne", last_name="Bloggs")
    summary = find_duplicates(la, person_ids=[kate.pk])
    assert (summary.checked, pairs(la)) == (1, [(katherine.pk, kate.pk, "open")])


def test_a_pair_no_longer_likely_after_a_correction_is_withdrawn(la):
    person(la, "Katherine")
    kate = person(la, "Kate")
    find_duplicates(la)
    kate.date_of_birth = date(2012, 8, 9)
    kate.save()
    assert (find_duplicates(la).withdrawn, pairs(la)) == (1, [])


def test_another_councils_people_are_never_paired(la, other_la):
    person(la, "Katherine")
    person(other_la, "Kate")
    find_duplicates(la)
    find_duplicates(other_la)
    assert PossibleDuplicate.objects.count() == 0


def test_a_merged_record_is_not_offered(la):
    katherine = person(la, "Katherine")
    kate = person(la, "Kate")
    kate.merged_into = katherine
    kate.save()
    assert (find_duplicates(la).checked, pairs(la)) == (1, [])


def test_finding_is_audited_with_counts_only(la):
    person(la, "Katherine")
    person(la, "Kate")
    find_duplicates(la)
    event = AuditEvent.objects.filter(action=Action.CREATE, local_authority=la).last()
    assert event.changes == {"duplicates": "found", "checked": 2, "new": 1, "withdrawn": 0}


# Who reviews which pairs ------------------------------------------------------


@pytest.fixture
def case_pair(la, episode, child):
    """The case's child and a record of the same child on no case."""
    person(la, child.first_name, child.last_name, date_of_birth=child.date_of_birth, postcode="")
    child.nhs_number = ""
    child.save()
    find_duplicates(la)
    return PossibleDuplicate.objects.get()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("eho", True),  # the district's Early Help Officer
        ("manager", True),
        ("other_eho", False),  # another district's: cannot see the child
        ("involved", False),  # practitioners do not review duplicates
        ("other_la_manager", False),
        ("la_admin", False),
    ],
)
def test_who_sees_a_pair(request, case_pair, persona, sees):
    user = request.getfixturevalue(persona)
    assert list(open_duplicates_for(user)) == ([case_pair] if sees else [])


def test_any_eho_of_the_council_sees_a_pair_on_no_case(la, eho, other_eho):
    person(la, "Katherine")
    person(la, "Kate")
    find_duplicates(la)
    assert [open_duplicates_for(user).count() for user in (eho, other_eho)] == [1, 1]


def test_a_pair_waits_while_one_record_is_merged_away(la, manager):
    katherine = person(la, "Katherine")
    kate = person(la, "Kate")
    find_duplicates(la)
    kate.merged_into = PersonFactory(local_authority=la)
    kate.save()
    assert (open_duplicates_for(manager).count(), katherine.merged_into_id) == (0, None)


def test_a_pair_in_another_district_is_not_the_ehos(la, other_eho, case_pair):
    with pytest.raises(PermissionDenied):
        mark_not_duplicate(other_eho, case_pair, reason="Twins")


# Different people ---------------------------------------------------------------


def test_marking_different_people_records_who_why_and_an_audit_event(eho, case_pair):
    mark_not_duplicate(eho, case_pair, reason="  Twins, confirmed by the health visitor ")
    case_pair.refresh_from_db()
    event = AuditEvent.objects.filter(object_type="matching.possibleduplicate").get()
    assert (
        case_pair.status,
        case_pair.decided_by,
        case_pair.decision_reason,
        event.changes,
    ) == (
        "not_duplicate",
        eho,
        "Twins, confirmed by the health visitor",
        {"fields": ["status", "decision_reason"], "status": "not_duplicate"},
    )


def test_a_reason_is_required(eho, case_pair):
    with pytest.raises(ValidationError) as refused:
        mark_not_duplicate(eho, case_pair, reason="  ")
    assert refused.value.message_dict == {"reason": ["Say how you know they are different people"]}


def test_a_decided_pair_cannot_be_decided_again(eho, case_pair):
    mark_not_duplicate(eho, case_pair, reason="Twins")
    with pytest.raises(ValidationError) as refused:
        mark_not_duplicate(eho, case_pair, reason="Twins again")
    assert refused.value.messages == ["This pair was already decided: not the same person"]


@pytest.mark.parametrize("persona", ["involved", "other_la_manager", "la_admin"])
def test_only_reviewers_of_the_council_decide(request, case_pair, persona):
    with pytest.raises(PermissionDenied):
        mark_not_duplicate(request.getfixturevalue(persona), case_pair, reason="Twins")


# The command ----------------------------------------------------------------------


def test_the_command_prints_a_summary(la, capsys):
    person(la, "Katherine")
    person(la, "Kate")
    call_command("find_duplicates", "--la", la.slug)
    assert capsys.readouterr().out == (
        "Testshire Council: 2 people checked, 1 new possible duplicates, 0 already waiting "
        "for review, 0 already decided (left as they were), 0 no longer likely (removed).\n"
    )


def test_the_command_names_the_known_councils_for_an_unknown_one(la, other_la):
    with pytest.raises(CommandError) as refused:
        call_command("find_duplicates", "--la", "nowhere")
    assert str(refused.value) == (
        "No council with the short name 'nowhere'. Known: otherton, testshire."
    )


def test_people_on_a_case_and_imported_are_both_checked(la, district):
    episode = EpisodeFactory(
        local_authority=la,
        district=district,
        child=person(la, "Katherine"),
    )
    person(la, "Kate")
    assert (find_duplicates(la).new, episode.children.count()) == (1, 1)
