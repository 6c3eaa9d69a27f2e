from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, ChildVoice
from audit.models import Action, AuditEvent
from episodes.models import EpisodeChild, EpisodeNeed
from episodes.services import StaleEdit, transition
from episodes.states import TransitionRefused
from notes.models import Attachment, AttachmentKind
from notifications.models import Notification
from people.models import FamilyMember, Relationship
from tests.factories import EpisodeFactory, PersonFactory


def add_child(episode, **details):
    person = PersonFactory(local_authority=episode.local_authority, **details)
    relationship = Relationship.UNBORN if details.get("expected_date_of_birth") else "child"
    FamilyMember.objects.create(family=episode.family, person=person, relationship=relationship)
    EpisodeChild.objects.create(episode=episode, person=person)
    return person


def existing_plan(episode, user):
    return Attachment.objects.create(
        episode=episode,
        kind=AttachmentKind.EXISTING_PLAN,
        file="attachments/synthetic-send-plan",
        original_name="SEND Support Plan.pdf",
        content_type="application/pdf",
        size=1024,
        uploaded_by=user,
    )


# Starting


def test_start_keeps_the_exact_start_time_and_who_started_it(assessing, involved):
    before = timezone.now()
    assessment = services.start_assessment(involved, assessing)
    after = timezone.now()

    stored = Assessment.objects.get()
    assert (before <= stored.started_at <= after, stored.started_at) == (
        True,
        assessment.started_at,
    )
    assert (stored.started_by, stored.updated_by, stored.version) == (involved, involved, 1)
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="assessments.assessment")
    assert (event.actor, event.changes) == (involved, {"fields": ["started_at", "started_by"]})


def test_starting_again_returns_the_same_assessment(assessment, manager, assessing):
    again = services.start_assessment(manager, assessing)

    assert (again.pk, Assessment.objects.count(), again.started_by) == (
        assessment.pk,
        1,
        assessment.started_by,
    )


def test_cannot_start_before_consent(episode, involved):
    with pytest.raises(ValidationError) as refused:
        services.start_assessment(involved, episode)

    assert refused.value.messages == ["Record the family's consent before starting the assessment"]
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager", "la_admin"])
def test_only_those_working_on_the_case_can_start(request, assessing, persona):
    with pytest.raises(PermissionDenied):
        services.start_assessment(request.getfixturevalue(persona), assessing)


# Saving sections


def test_save_section_saves_bumps_the_version_and_audits_field_names(assessment, involved):
    changed = services.save_section(
        involved, assessment, "family-context", {"family_circumstances": "Dad works away."}, 1
    )

    stored = Assessment.objects.get()
    assert (changed, stored.family_circumstances, stored.version, assessment.version) == (
        ["family_circumstances"],
        "Dad works away.",
        2,
        2,
    )
    assert stored.section_versions == {"family-context": 2}
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="assessments.assessment")
    assert event.changes == {"fields": ["family_circumstances"], "section": "family-context"}


def test_saving_the_same_text_writes_nothing(assessment, involved):
    services.save_section(involved, assessment, "worries", {"worries": "Late for school."}, 1)
    changed = services.save_section(
        involved, assessment, "worries", {"worries": "Late for school.\r\n"}, 2
    )

    assert (changed, Assessment.objects.get().version) == ([], 2)
    assert AuditEvent.objects.filter(object_type="assessments.assessment").count() == 2


def test_a_stale_save_of_the_same_section_raises_and_keeps_the_first_save(
    assessment, involved, manager
):
    first = Assessment.objects.get()
    services.save_section(involved, first, "family-story", {"family_story": "Our story."}, 1)
    second = Assessment.objects.get(pk=first.pk)

    with pytest.raises(StaleEdit) as stale:
        services.save_section(manager, second, "family-story", {"family_story": "Mine."}, 1)

    assert (stale.value.current.family_story, stale.value.current.version) == ("Our story.", 2)
    assert Assessment.objects.get().family_story == "Our story."


def test_a_save_of_another_section_from_an_older_version_is_not_a_conflict(
    assessment, involved, manager
):
    services.save_section(involved, assessment, "family-story", {"family_story": "Story."}, 1)

    services.save_section(manager, assessment, "worries", {"worries": "Worry."}, 1)

    stored = Assessment.objects.get()
    assert (stored.family_story, stored.worries, stored.version) == ("Story.", "Worry.", 3)
    assert stored.section_versions == {"family-story": 2, "worries": 3}


def test_a_stale_save_with_the_same_text_is_not_a_conflict(assessment, involved, manager):
    services.save_section(involved, assessment, "worries", {"worries": "Same words."}, 1)

    changed = services.save_section(manager, assessment, "worries", {"worries": "Same words."}, 1)

    assert (changed, Assessment.objects.get().version) == ([], 2)


def test_a_version_from_the_future_is_refused(assessment, involved):
    with pytest.raises(StaleEdit):
        services.save_section(involved, assessment, "worries", {"worries": "Worry."}, 7)


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager"])
def test_only_those_working_on_the_case_can_save(request, assessment, persona):
    with pytest.raises(PermissionDenied):
        services.save_section(
            request.getfixturevalue(persona), assessment, "worries", {"worries": "x"}, 1
        )
    assert Assessment.objects.get().worries == ""


def test_child_voice_is_recorded_changed_and_removed(assessment, involved, child):
    voice = services.save_child_voice(involved, assessment, child, "I want a dog.", 1)
    assert (voice.wishes_and_feelings, assessment.version) == ("I want a dog.", 2)

    services.save_child_voice(involved, assessment, child, "I want two dogs.", 2)
    assert ChildVoice.objects.get().wishes_and_feelings == "I want two dogs."

    assert services.save_child_voice(involved, assessment, child, "  ", 3) is None
    assert ChildVoice.objects.count() == 0
    actions = list(
        AuditEvent.objects.filter(object_type="assessments.childvoice")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [Action.CREATE, Action.UPDATE, Action.DELETE]
    assert Assessment.objects.get().section_versions == {f"child-{child.pk}": 4}


def test_child_voice_only_for_a_child_of_the_episode(assessment, involved, la):
    stranger = EpisodeFactory(local_authority=la).children.get()

    with pytest.raises(ValidationError) as refused:
        services.save_child_voice(involved, assessment, stranger, "Words.", 1)

    assert refused.value.messages == [f"{stranger.full_name} is not a child in this case"]


def test_save_scores_replaces_the_scores_and_names_the_changed_fields(assessment, involved, child):
    changed = services.save_scores(
        involved, assessment, {"score_practitioner": 3, f"score_{child.pk}": 6}, 1
    )
    again = services.save_scores(
        involved, assessment, {"score_practitioner": 5, f"score_{child.pk}": 6}, 2
    )

    assert (changed, again) == (
        sorted(["score_practitioner", f"score_{child.pk}"]),
        ["score_practitioner"],
    )
    scores = {(s.scorer, s.person_id): s.score for s in assessment.scores.all()}
    assert scores == {("practitioner", None): 5, ("child", child.pk): 6}


def test_save_needs_adds_and_removes_and_keeps_the_outcome_of_kept_needs(
    assessment, involved, assessing
):
    EpisodeNeed.objects.create(episode=assessing, need="housing", outcome="partly")
    EpisodeNeed.objects.create(episode=assessing, need="money")

    services.save_needs(
        involved,
        assessing,
        ["housing", "attendance"],
        assessment=assessment,
        expected_version=1,
    )

    needs = dict(EpisodeNeed.objects.filter(episode=assessing).values_list("need", "outcome"))
    assert needs == {"housing": "partly", "attendance": ""}
    assert Assessment.objects.get().section_versions == {"needs": 2}
    event = AuditEvent.objects.filter(object_type="episodes.episode").latest("sequence")
    assert event.changes == {"fields": ["needs"], "section": "needs"}


def test_save_needs_refuses_unknown_needs(assessment, involved, assessing):
    with pytest.raises(ValidationError) as refused:
        services.save_needs(involved, assessing, ["attendance", "astrology"])

    assert refused.value.messages == ["Unknown needs: astrology"]


def test_existing_plan_must_belong_to_the_episode(assessment, involved, la):
    elsewhere = existing_plan(EpisodeFactory(local_authority=la), involved)

    with pytest.raises(PermissionDenied):
        services.attach_existing_plan(involved, assessment, elsewhere, 1)


def test_existing_plan_is_attached_and_detached(assessment, involved, assessing):
    plan = existing_plan(assessing, involved)

    assert services.attach_existing_plan(involved, assessment, plan, 1) is True
    assert Assessment.objects.get().existing_plan == plan
    assert services.attach_existing_plan(involved, assessment, None, 2) is True
    assert Assessment.objects.get().existing_plan is None


# What completing needs


def test_missing_parts_of_an_empty_assessment(assessment, child):
    assert services.missing_parts(assessment) == [
        ("family-story", "Add the family's story in their own words"),
        (f"child-{child.pk}", f"Record the wishes and feelings of {child.full_name}"),
        ("working-well", "Add what is working well"),
        ("worries", "Add what the worries are"),
        ("wellbeing-goals", "Add what wellbeing would look like: at least one goal"),
        ("scaling", "Give the practitioner's scaling score"),
        ("needs", "Choose at least one need"),
        ("family-context", "Add the family's circumstances"),
    ]


def test_nothing_is_missing_once_filled_in(filled):
    assert services.missing_parts(filled) == []


def test_goals_need_at_least_one_real_line(filled, involved):
    services.save_section(
        involved, filled, "wellbeing-goals", {"wellbeing_goals": " - \n•\n"}, filled.version
    )

    assert services.missing_parts(filled) == [
        ("wellbeing-goals", "Add what wellbeing would look like: at least one goal")
    ]


def test_which_children_must_give_their_wishes_and_feelings(filled, assessing):
    today = timezone.localdate()
    add_child(assessing, first_name="Baby", date_of_birth=date(today.year - 1, 1, 1))
    add_child(
        assessing,
        first_name="Unborn",
        date_of_birth=None,
        expected_date_of_birth=date(today.year + 1, 1, 1),
    )
    five = add_child(assessing, first_name="Five", date_of_birth=date(today.year - 5, 1, 1))
    unknown = add_child(assessing, first_name="Unknown", date_of_birth=None)

    assert services.missing_parts(filled) == [
        (f"child-{five.pk}", "Record the wishes and feelings of Five Testfamily"),
        (f"child-{unknown.pk}", "Record the wishes and feelings of Unknown Testfamily"),
    ]


def test_an_existing_plan_stands_in_for_the_narrative_sections(assessment, involved, child):
    services.attach_existing_plan(
        involved, assessment, existing_plan(assessment.episode, involved), 1
    )

    assert [key for key, _message in services.missing_parts(assessment)] == [
        f"child-{child.pk}",
        "wellbeing-goals",
        "scaling",
        "needs",
    ]


# Completing


def test_complete_moves_the_episode_to_the_meeting_at_the_same_instant(filled, manager):
    services.complete_assessment(manager, filled)

    stored = Assessment.objects.select_related("episode").get()
    assert stored.episode.status == "meeting"
    assert stored.completed_at == stored.episode.assessment_completed_at
    assert (filled.completed_at, stored.completed_by, stored.completed_by_organisation) == (
        stored.completed_at,
        manager,
        None,
    )
    assert filled.episode.status == "meeting"


def test_complete_records_the_completing_organisation(filled, involved, school):
    services.complete_assessment(involved, filled)

    assert Assessment.objects.get().completed_by_organisation == school


def test_complete_tells_the_requester(filled, manager, involved):
    services.complete_assessment(manager, filled)

    assert list(Notification.objects.values_list("user", "message")) == [
        (involved.pk, "The assessment is complete")
    ]


def test_complete_does_not_tell_the_requester_what_they_did_themselves(filled, involved):
    services.complete_assessment(involved, filled)

    assert Notification.objects.count() == 0


def test_complete_refused_lists_every_missing_part(assessment, involved, child):
    with pytest.raises(ValidationError) as refused:
        services.complete_assessment(involved, assessment)

    assert [(e.code, e.message) for e in refused.value.error_list] == services.missing_parts(
        assessment
    )
    assert len(refused.value.error_list) == 8
    stored = Assessment.objects.select_related("episode").get()
    assert (stored.completed_at, stored.episode.status) == (None, "assessment")


def test_complete_refused_when_the_episode_was_stepped_up(filled, involved):
    transition(involved, filled.episode, "step_up")

    with pytest.raises(TransitionRefused):
        services.complete_assessment(involved, filled)
    assert Assessment.objects.get().completed_at is None


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager"])
def test_only_those_working_on_the_case_can_complete(request, filled, persona):
    with pytest.raises(PermissionDenied):
        services.complete_assessment(request.getfixturevalue(persona), filled)


def test_a_completed_assessment_cannot_be_changed_or_completed_again(filled, involved):
    services.complete_assessment(involved, filled)
    completed_on = timezone.localtime(filled.completed_at).strftime("%-d %B %Y")

    with pytest.raises(ValidationError) as refused:
        services.save_section(involved, filled, "worries", {"worries": "New."}, filled.version)
    assert refused.value.messages == [
        f"The assessment was completed on {completed_on} and can no longer be changed"
    ]
    with pytest.raises(ValidationError) as again:
        services.complete_assessment(involved, filled)
    assert again.value.messages == ["The assessment is already complete"]
