import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment, ChildVoice, ScalingScore
from audit.models import Action, AuditEvent
from audit.services import verify_chain
from consent.models import Consent, SharingOverride
from episodes.models import ClosureReason, Episode, EpisodeChild, EpisodeNeed, Status
from episodes.services import transition
from families.models import FamilyRequest
from meetings.models import Invitee, Meeting
from notes.models import Attachment, CaseNote
from people.models import Family, FamilyMember, Person, Relationship, Restriction
from plans.models import Action as PlanAction
from plans.models import Goal, Plan, PlanCopy
from privacy import retention
from privacy.models import RetentionAction, RetentionKind, RetentionRecord
from referrals.models import Referral
from reviews.models import ActionProgress, Review
from tests.factories import EpisodeFactory, FamilyFactory, PersonFactory
from tests.privacy.conftest import MARKERS, at, close, helped


def due_refs(la, today):
    return [item.reference for item in retention.due_families(la, today).due]


def set_rule(la, **fields):
    rule = retention.rule_for(la)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


def test_the_default_rule_is_anonymise_at_the_youngest_childs_25th_birthday(la):
    rule = retention.rule_for(la)
    assert (rule.kind, rule.age, rule.years, rule.action) == (
        RetentionKind.YOUNGEST_CHILD_AGE,
        25,
        7,
        RetentionAction.ANONYMISE,
    )
    assert rule.code == "youngest_child_age:25"


def test_age_rule_is_due_on_the_youngest_childs_birthday_not_the_day_before(la, closed_family):
    ref = f"F{closed_family.family_id:06d}"
    assert due_refs(la, datetime.date(2025, 6, 14)) == []
    assert due_refs(la, datetime.date(2025, 6, 15)) == [ref]
    # A younger child puts it off.
    younger = PersonFactory(local_authority=la, date_of_birth=datetime.date(2003, 1, 2))
    FamilyMember.objects.create(
        family=closed_family.family, person=younger, relationship=Relationship.CHILD
    )
    assert due_refs(la, datetime.date(2028, 1, 1)) == []
    assert due_refs(la, datetime.date(2028, 1, 2)) == [ref]


def test_years_rule_is_due_n_years_after_the_last_closure(la, closed_family):
    set_rule(la, kind=RetentionKind.YEARS_AFTER_CLOSURE, years=7)
    ref = f"F{closed_family.family_id:06d}"
    assert due_refs(la, datetime.date(2025, 3, 9)) == []
    assert due_refs(la, datetime.date(2025, 3, 10)) == [ref]
    [item] = retention.due_families(la, datetime.date(2025, 3, 10)).due
    assert item.due_on == datetime.date(2025, 3, 10)


def test_a_29_february_birthday_falls_on_1_march(la, district, school, involved):
    born, closed = datetime.date(2004, 2, 29), at(datetime.date(2010, 1, 1))
    episode = helped(la, district, school, involved, born, closed)
    assert due_refs(la, datetime.date(2029, 2, 28)) == []
    assert due_refs(la, datetime.date(2029, 3, 1)) == [f"F{episode.family_id:06d}"]


@pytest.mark.parametrize("kind", RetentionKind.values)
def test_an_open_episode_keeps_the_family(la, closed_family, involved, school, kind):
    set_rule(la, kind=kind)
    EpisodeFactory(
        local_authority=la,
        district=closed_family.district,
        family=closed_family.family,
        requesting_organisation=school,
        requested_by=involved,
        child=False,
    )
    assert due_refs(la, datetime.date(2060, 1, 1)) == []


def test_a_step_up_awaiting_an_answer_keeps_the_family(la, closed_family, involved, school):
    other = EpisodeFactory(
        local_authority=la,
        district=closed_family.district,
        family=closed_family.family,
        requesting_organisation=school,
        requested_by=involved,
        child=False,
    )
    transition(involved, other, "step_up")
    assert Episode.objects.get(pk=other.pk).status == Status.STEPPED_UP
    assert due_refs(la, datetime.date(2060, 1, 1)) == []


def test_a_family_never_helped_follows_the_age_rule(la):
    set_rule(la, kind=RetentionKind.YEARS_AFTER_CLOSURE)
    family = FamilyFactory(local_authority=la)
    child = PersonFactory(local_authority=la, date_of_birth=datetime.date(2001, 5, 5))
    FamilyMember.objects.create(family=family, person=child, relationship=Relationship.CHILD)
    assert due_refs(la, datetime.date(2026, 5, 4)) == []
    assert due_refs(la, datetime.date(2026, 5, 5)) == [f"F{family.pk:06d}"]


def test_a_family_without_a_childs_date_of_birth_is_kept_and_reported(la, closed_family):
    Person.objects.filter(family_memberships__family=closed_family.family).update(
        date_of_birth=None
    )
    due_list = retention.due_families(la, datetime.date(2060, 1, 1))
    assert (due_list.due, due_list.undetermined) == ([], [f"F{closed_family.family_id:06d}"])


def _reference(la, today):
    """What is due and what cannot be worked out, by due_on over every family
    of the council (what due_families did before it narrowed them in SQL)."""
    rule = retention.rule_for(la)
    done = RetentionRecord.objects.values("family_id")
    due, undetermined = [], []
    for family in retention._families(
        Family.objects.filter(local_authority=la).exclude(pk__in=done)
    ):
        try:
            day = retention.due_on(family, rule)
        except retention.Undetermined:
            undetermined.append(retention.family_reference(family.pk))
            continue
        if day is not None and day <= today:
            due.append(retention.family_reference(family.pk))
    return sorted(due), sorted(undetermined)


def test_narrowing_the_families_in_the_database_changes_nothing_due_or_reported(
    la, district, school, involved, closed_family
):
    """Families of every kind, each rule, on the days either side of each
    family's date: due_families gives exactly what due_on over every family
    gives."""

    def helped_once(born, closed_at):
        return helped(la, district, school, involved, born, closed_at)

    def never_helped(*children):
        family = FamilyFactory(local_authority=la)
        for born, relationship in children:
            person = PersonFactory(
                local_authority=la,
                date_of_birth=born if relationship == Relationship.CHILD else None,
                expected_date_of_birth=born if relationship == Relationship.UNBORN else None,
            )
            FamilyMember.objects.create(family=family, person=person, relationship=relationship)
        return family

    helped_once(datetime.date(2004, 2, 29), at(datetime.date(2010, 1, 1)))
    # Closed late in the evening: the next day in UTC in summer, not here.
    helped_once(datetime.date(1999, 3, 1), at(datetime.date(2019, 6, 30), hour=23))
    helped_once(datetime.date(2001, 3, 10), None)  # still open
    helped_once(None, at(datetime.date(2011, 3, 10)))  # no date of birth
    never_helped((datetime.date(2001, 5, 5), Relationship.CHILD))
    never_helped((datetime.date(2003, 3, 9), Relationship.UNBORN))
    never_helped((datetime.date(1980, 1, 1), Relationship.PARENT))  # no children
    never_helped((datetime.date(2000, 3, 10), Relationship.CHILD), (None, Relationship.CHILD))
    acted_on = never_helped((datetime.date(1990, 1, 1), Relationship.CHILD))
    RetentionRecord.objects.create(
        local_authority=la,
        family_id=acted_on.pk,
        action=RetentionAction.ANONYMISE,
        rule="youngest_child_age:25",
        due_on=datetime.date(2015, 1, 1),
        people_erased=1,
        people_kept=0,
    )
    days = [
        day + datetime.timedelta(days=shift)
        for day in (
            datetime.date(2025, 6, 15),
            datetime.date(2026, 5, 5),
            datetime.date(2026, 7, 1),
            datetime.date(2028, 3, 10),
            datetime.date(2029, 3, 1),
            datetime.date(2017, 1, 1),
            datetime.date(2018, 3, 10),
        )
        for shift in (-2, -1, 0, 1)
    ]
    checked = 0
    for kind, years in (
        (RetentionKind.YOUNGEST_CHILD_AGE, 7),
        (RetentionKind.YEARS_AFTER_CLOSURE, 7),
        (RetentionKind.YEARS_AFTER_CLOSURE, 8),
    ):
        set_rule(la, kind=kind, age=25, years=years)
        for today in days:
            listed = retention.due_families(la, today)
            found = (sorted(item.reference for item in listed.due), sorted(listed.undetermined))
            assert found == _reference(la, today), (kind, years, today)
            checked += bool(found[0])
    assert checked >= 10  # the days chosen do reach families' dates


def family_rows(family_id, episode_ids, person_ids):
    """Every row of the family's records, serialised: what a search would find."""
    by_episode = {"episode__in": episode_ids}
    querysets = [
        Family.objects.filter(pk=family_id),
        FamilyMember.objects.filter(family_id=family_id),
        Person.objects.filter(pk__in=person_ids),
        Restriction.objects.filter(person__in=person_ids),
        Episode.objects.filter(pk__in=episode_ids),
        EpisodeChild.objects.filter(**by_episode),
        EpisodeNeed.objects.filter(**by_episode),
        Consent.objects.filter(**by_episode),
        SharingOverride.objects.filter(**by_episode),
        Assessment.objects.filter(**by_episode),
        ChildVoice.objects.filter(assessment__episode__in=episode_ids),
        ScalingScore.objects.filter(assessment__episode__in=episode_ids),
        Meeting.objects.filter(**by_episode),
        Invitee.objects.filter(meeting__episode__in=episode_ids),
        Plan.objects.filter(**by_episode),
        Goal.objects.filter(plan__episode__in=episode_ids),
        PlanAction.objects.filter(goal__plan__episode__in=episode_ids),
        PlanCopy.objects.filter(plan__episode__in=episode_ids),
        Review.objects.filter(**by_episode),
        ActionProgress.objects.filter(review__episode__in=episode_ids),
        Referral.objects.filter(**by_episode),
        CaseNote.objects.filter(**by_episode),
        Attachment.objects.filter(**by_episode),
        FamilyRequest.objects.filter(**by_episode),
    ]
    return "".join(serializers.serialize("json", qs) for qs in querysets)


@pytest.fixture
def closed_case(case, involved):
    close(case.episode, involved, at(datetime.date(2019, 1, 1)))
    # The children are grown up: the younger turned 25 on 1 August 2023.
    Person.objects.filter(pk=case.child.pk).update(date_of_birth=datetime.date(1995, 4, 9))
    Person.objects.filter(pk=case.sister.pk).update(date_of_birth=datetime.date(1998, 8, 1))
    return case


def apply(*args):
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_what_is_due_and_changes_nothing(la, closed_case):
    events = AuditEvent.objects.count()
    ref = f"F{closed_case.episode.family_id:06d}"

    said = apply("--today", "2023-08-01")

    assert said == (
        "testshire: anonymise when the youngest child reaches 25\n"
        f"  {ref}  due 2023-08-01\n"
        "1 family due; dry run: nothing changed. Run with --apply to anonymise them.\n"
    )
    assert "Quillon" in family_rows(
        closed_case.episode.family_id, [closed_case.episode.pk], [closed_case.child.pk]
    )
    assert (RetentionRecord.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_anonymise_erases_every_personal_value_and_keeps_the_facts(la, closed_case, media):
    episode, family_id = closed_case.episode, closed_case.episode.family_id
    people = [closed_case.child.pk, closed_case.parent.pk, closed_case.sister.pk]
    stored = Path(closed_case.attachment.file.path)
    assert stored.exists()
    before = family_rows(family_id, [episode.pk], people)
    assert all(marker in before for marker in MARKERS)  # the check can fail

    said = apply("--apply", "--today", "2023-08-01")

    assert said.endswith(f"  F{family_id:06d}  anonymised\nAnonymised 1 family.\n")
    after = family_rows(family_id, [episode.pk], people)
    assert [marker for marker in MARKERS if marker in after] == []
    assert not stored.exists() and not stored.parent.exists()
    assert Attachment.objects.filter(episode=episode).count() == 0
    child = Person.objects.get(pk=closed_case.child.pk)
    assert (child.first_name, child.last_name, child.date_of_birth, child.nhs_number) == (
        "Erased",
        "Erased",
        None,
        "",
    )
    # The facts reports need stay.
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason, episode.closed_at) == (
        Status.CLOSED,
        ClosureReason.NEEDS_MET,
        at(datetime.date(2019, 1, 1)),
    )
    assert list(EpisodeNeed.objects.filter(episode=episode).values_list("need", flat=True)) == [
        "attendance"
    ]
    assert ScalingScore.objects.filter(assessment__episode=episode).get().score == 6
    assert Goal.objects.filter(plan__episode=episode).count() == 2
    record = RetentionRecord.objects.get()
    assert (record.family_id, record.action, record.rule, record.due_on, record.people_erased) == (
        family_id,
        RetentionAction.ANONYMISE,
        "youngest_child_age:25",
        datetime.date(2023, 8, 1),
        3,
    )


def test_each_family_gets_one_audit_event_and_the_chain_still_verifies(la, closed_case):
    apply("--apply", "--today", "2023-08-01")

    event = AuditEvent.objects.order_by("-sequence").first()
    assert (
        event.action,
        event.actor,
        event.actor_label,
        event.local_authority,
        event.object_type,
        event.object_id,
        event.changes,
    ) == (
        Action.UPDATE,
        None,
        "apply_retention",
        la,
        "people.family",
        str(closed_case.episode.family_id),
        {"retention": "anonymise", "rule": "youngest_child_age:25"},
    )
    assert AuditEvent.objects.filter(actor_label="apply_retention").count() == 1
    count, problem = verify_chain()
    assert (count, problem) == (AuditEvent.objects.count(), None)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue() == (
        f"audit chains intact: {count} events in 1 chain "
        f"({count} checked since the last verification)\n"
    )
    trail = "".join(str(e.changes) + e.reason for e in AuditEvent.objects.all())
    assert [marker for marker in MARKERS if marker in trail] == []


def test_a_second_run_does_nothing(la, closed_case):
    apply("--apply", "--today", "2023-08-01")
    events = AuditEvent.objects.count()

    assert apply("--apply", "--today", "2023-08-02") == (
        "testshire: anonymise when the youngest child reaches 25\n"
        "No families due; nothing changed.\n"
    )
    assert (RetentionRecord.objects.count(), AuditEvent.objects.count()) == (1, events)


def test_delete_removes_the_family_entirely(la, closed_case, involved):
    set_rule(la, action=RetentionAction.DELETE)
    episode, family_id = closed_case.episode, closed_case.episode.family_id
    stored = Path(closed_case.attachment.file.path)

    said = apply("--apply", "--today", "2023-08-01")

    assert said.endswith("Deleted 1 family.\n")
    people = [closed_case.child.pk, closed_case.parent.pk, closed_case.sister.pk]
    assert family_rows(family_id, [episode.pk], people).replace("[]", "") == ""
    assert not stored.exists()
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.object_id, event.changes) == (
        Action.DELETE,
        str(family_id),
        {"retention": "delete", "rule": "youngest_child_age:25"},
    )
    assert verify_chain() == (AuditEvent.objects.count(), None)
    assert RetentionRecord.objects.get().family_id == family_id
    # Staff and organisations are untouched.
    assert involved.__class__.objects.filter(pk=involved.pk).exists()


@pytest.mark.parametrize("action", RetentionAction.values)
def test_a_person_also_in_a_family_still_kept_is_not_erased(
    la, closed_case, involved, school, action
):
    set_rule(la, action=action)
    parent = closed_case.parent
    # The parent also belongs to a new family with an open case.
    other = EpisodeFactory(
        local_authority=la,
        district=closed_case.episode.district,
        requesting_organisation=school,
        requested_by=involved,
    )
    FamilyMember.objects.create(family=other.family, person=parent, relationship="parent")

    said = apply("--apply", "--today", "2023-08-01")

    ref = f"F{closed_case.episode.family_id:06d}"
    assert (
        f"  {ref}  due 2023-08-01; 1 person kept (also in a family still within retention)\n"
        in said
    )
    assert said.endswith(
        "; 1 person kept because they are also in a family still within retention.\n"
    )
    parent.refresh_from_db()
    assert (parent.first_name, parent.address_line_1) == ("Robinette", "12 Hiddenway Lane")
    assert not Person.objects.filter(pk=closed_case.child.pk, first_name="Quillon").exists()
    assert RetentionRecord.objects.get().people_kept == 1


def test_a_person_in_two_due_families_is_deleted_with_the_last(la, closed_case, closed_family):
    set_rule(la, action=RetentionAction.DELETE)
    parent = closed_case.parent
    FamilyMember.objects.create(family=closed_family.family, person=parent, relationship="parent")
    # On 1 August 2023 the other family is not due (its child turns 25 in 2025): kept.
    assert apply("--today", "2023-08-01").count("1 person kept") == 1

    said = apply("--apply", "--today", "2025-06-15")  # both families due

    assert said.endswith("Deleted 2 families.\n")
    assert not Person.objects.filter(pk=parent.pk).exists()
    assert verify_chain() == (AuditEvent.objects.count(), None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--la", "nowhere"],
            "No local authority with the slug 'nowhere'. Known slugs: testshire.",
        ),
        (
            ["--today", "31/01/2026"],
            "--today must be a date written as YYYY-MM-DD, like 2026-01-31 (not '31/01/2026').",
        ),
        (
            ["--apply", "--today", "2999-01-01"],
            "--today 2999-01-01 is in the future: with --apply, records would be erased before "
            "they are due. Leave out --apply to see what will be due then.",
        ),
    ],
)
def test_bad_arguments_are_refused_clearly(la, args, message):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as refused:
        apply(*args)
    assert (str(refused.value), refused.value.returncode) == (message, 1)


def test_only_the_named_council_is_considered(la, other_la, closed_family):
    said = apply("--la", "otherton", "--today", "2060-01-01")
    assert said == (
        "otherton: anonymise when the youngest child reaches 25\n"
        "No families due; nothing changed.\n"
    )


def test_on_mondays_the_administrators_are_told_how_many_families_are_due(
    la, closed_family, la_admin, django_capture_on_commit_callbacks
):
    from unittest import mock

    from django.core import mail

    from privacy.tasks import remind_retention

    monday, tuesday = datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)
    with mock.patch("privacy.tasks.timezone.localdate", return_value=tuesday):
        assert remind_retention.call() == {}
    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("privacy.tasks.timezone.localdate", return_value=monday),
    ):
        assert remind_retention.call() == {la.slug: 1}
    (message,) = [m for m in mail.outbox if la_admin.email in m.to]
    assert "1 families" in message.body and f"apply_retention --la {la.slug}" in message.body
    assert closed_family.family.name not in message.body  # a count, never who
    assert len(retention.due_families(la, monday).due) == 1  # nothing was erased


def test_anonymise_keeps_the_family_s_answers_counted_but_not_their_words(
    la, closed_case, involved
):

    from families.models import FamilyLink, Feedback

    episode = closed_case.episode
    Feedback.objects.create(
        episode=episode,
        person=closed_case.parent,
        moment="closure",
        version="adult",
        listened=5,
        comments="Synthetic: thank you Quillon",
        on_paper=True,
        recorded_by=involved,
    )
    FamilyLink.objects.create(
        episode=episode,
        person=closed_case.parent,
        purpose="plan",
        token_hash="0" * 64,
        language="en",
        created_by=involved,
        expires_at=timezone.now(),
    )

    apply("--apply", "--today", "2023-08-01")

    feedback = Feedback.objects.get(episode=episode)
    assert (feedback.listened, feedback.comments, feedback.person) == (5, "", None)
    assert not FamilyLink.objects.filter(episode=episode).exists()
