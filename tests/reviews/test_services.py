import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role
from assessments.models import ScalingScore
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from episodes.states import TransitionRefused
from notifications.models import Notification
from plans.models import Plan
from plans.services import current_plan
from referrals.models import Referral
from reviews import services
from reviews.models import ActionProgress, Review
from tests.factories import UserFactory
from tests.journey_factories import plan_actions

TODAY = timezone.localdate()


def review(actor, episode, actions, child, **overrides):
    arguments = {
        "held_on": TODAY,
        "progress": {a: {"status": "in_progress", "note": ""} for a in actions},
        "scores": {"score_practitioner": 6, f"score_{child.pk}": 7},
        "family_views": "Mornings are calmer.",
        "children_views": {child: "I like breakfast club."},
        "engagement": "fully",
        "decision": "continue",
    }
    arguments.update(overrides)
    return services.record_review(actor, episode, **arguments)


def test_the_first_review_is_due_8_weeks_after_the_plan_is_agreed(planned):
    episode = planned.episode
    agreed = timezone.localdate(episode.plan_agreed_at)
    assert services.next_review_due(episode) == agreed + datetime.timedelta(weeks=8)


def test_a_council_with_a_6_week_interval(planned):
    episode = planned.episode
    episode.local_authority.review_interval_weeks = 6
    assert services.next_review_due(
        episode, plan_agreed_on=datetime.date(2025, 1, 6), last_review_on=None
    ) == datetime.date(2025, 2, 17)


def test_later_reviews_are_due_an_interval_after_the_last_review(planned, involved, child):
    episode = planned.episode
    episode.plan_agreed_at = timezone.now() - datetime.timedelta(days=30)
    episode.save()
    held = TODAY - datetime.timedelta(days=1)
    review(involved, episode, plan_actions(planned), child, held_on=held)
    episode.refresh_from_db()

    assert services.next_review_due(episode) == held + datetime.timedelta(weeks=8)


def test_no_queries_when_given_the_dates(planned, django_assert_num_queries):
    episode = planned.episode
    episode.local_authority  # loaded with the episode, as a case list would  # noqa: B018
    with django_assert_num_queries(0):
        due = services.next_review_due(
            episode,
            plan_agreed_on=datetime.datetime(2025, 1, 6, 23, 30, tzinfo=datetime.UTC),
            last_review_on=datetime.date(2025, 3, 3),
        )
    assert due == datetime.date(2025, 4, 28)


def test_no_review_is_due_without_a_plan_in_place(at_meeting):
    assert services.next_review_due(at_meeting) is None


def test_a_review_records_progress_scores_views_and_moves_the_plan_on(
    planned, involved, colleague, child
):
    episode = planned.episode
    episode.lead_professional = colleague
    episode.save()
    first, second = plan_actions(planned)

    saved = review(
        involved,
        episode,
        [],
        child,
        progress={
            first.pk: {"status": "done", "note": ""},
            second: {"status": "not_done", "note": "Group closed for the summer"},
        },
    )

    assert (saved.plan, saved.decision, saved.engagement, saved.family_views) == (
        planned,
        "continue",
        "fully",
        "Mornings are calmer.",
    )
    assert list(ActionProgress.objects.order_by("id").values_list("action", "status", "note")) == [
        (first.pk, "done", ""),
        (second.pk, "not_done", "Group closed for the summer"),
    ]
    # The review makes version 2 with the progress; version 1 stays as agreed.
    assert [(a.status, a.not_done_reason) for a in plan_actions(planned)] == [
        ("not_started", ""),
        ("not_started", ""),
    ]
    version_2 = current_plan(episode)
    assert (version_2.number, version_2.change_summary) == (
        2,
        f"Progress recorded at the review on {date_format(TODAY, 'j F Y')}",
    )
    assert [(a.status, a.not_done_reason, a.copied_from) for a in plan_actions(version_2)] == [
        ("done", "", first),
        ("not_done", "Group closed for the summer", second),
    ]
    assert sorted(ScalingScore.objects.values_list("scorer", "person", "score")) == [
        ("child", child.pk, 7),
        ("practitioner", None, 6),
    ]
    planned.refresh_from_db()
    episode.refresh_from_db()
    assert (planned.edit_version, episode.status, episode.last_reviewed_at is not None) == (
        1,
        "plan",
        True,
    )
    event = AuditEvent.objects.get(object_type="reviews.review")
    assert (event.action, event.changes) == (
        AuditAction.CREATE,
        {
            "fields": [
                "children_views",
                "decision",
                "engagement",
                "family_views",
                "held_on",
                "progress",
                "scores",
            ],
            "decision": "continue",
        },
    )
    assert [(n.user, n.message) for n in Notification.objects.filter(user=colleague)] == [
        (colleague, "The plan has been reviewed")
    ]


def test_progress_is_needed_for_every_action(planned, involved, child):
    first, second = plan_actions(planned)

    with pytest.raises(ValidationError) as refused:
        review(involved, planned.episode, [first], child)

    assert refused.value.message_dict == {
        f"progress-{second.pk}-status": [f"Record progress on the action “{second.what}”"]
    }
    assert Review.objects.count() == 0


def test_an_action_not_done_needs_a_note(planned, involved, child):
    first, second = plan_actions(planned)
    progress = {first: {"status": "done"}, second: ("not_done", " ")}

    with pytest.raises(ValidationError) as refused:
        review(involved, planned.episode, [], child, progress=progress)

    assert refused.value.message_dict == {
        f"progress-{second.pk}-note": [f"Say why the action “{second.what}” was not done"]
    }


def test_every_part_of_the_review_is_checked(planned, involved, child):
    with pytest.raises(ValidationError) as refused:
        review(
            involved,
            planned.episode,
            plan_actions(planned),
            child,
            held_on=TODAY + datetime.timedelta(days=1),
            family_views=" ",
            engagement="",
            decision="panel",
            scores={},
        )

    assert refused.value.message_dict == {
        "held_on": ["The date of the review must be today or in the past"],
        "family_views": ["Record the family's views"],
        "engagement": ["Choose how the family is engaging"],
        "panel_concern": ["Say why the case is being referred to the panel"],
        "score_practitioner": ["Give the practitioner's score from 0 to 10"],
    }


def test_a_review_needs_a_plan_in_place(at_meeting, involved, child):
    with pytest.raises(TransitionRefused) as refused:
        review(involved, at_meeting, [], child)
    assert str(refused.value.message) == (
        "A review needs a plan in place; the case is now 'Assessment complete: meeting to be held'"
    )


def test_those_not_involved_cannot_review(planned, other_org, child):
    with pytest.raises(PermissionDenied):
        review(other_org, planned.episode, plan_actions(planned), child)


def test_deciding_to_close_leaves_closing_to_the_closure_page(planned, involved, child):
    review(involved, planned.episode, plan_actions(planned), child, decision="close")

    episode = planned.episode
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason) == ("plan", "")


def test_referring_to_the_panel_records_the_referral(planned, involved, child, la):
    coordinator = UserFactory(local_authority=la, roles=[Role.PANEL_COORDINATOR])

    review(
        involved,
        planned.episode,
        plan_actions(planned),
        child,
        decision="panel",
        panel_concern="No agency can offer the parenting support the plan needs.",
    )

    referral = Referral.objects.get()
    assert (referral.kind, referral.concern, referral.sent_by, referral.status) == (
        "panel",
        "No agency can offer the parenting support the plan needs.",
        involved,
        "sent",
    )
    event = AuditEvent.objects.get(object_type="referrals.referral")
    assert (event.action, event.changes) == (
        AuditAction.CREATE,
        {"fields": ["kind", "panel_reason", "concern"]},
    )
    assert [n.message for n in Notification.objects.filter(user=coordinator)] == [
        "Referral to the Early Help and Family Support Panel"
    ]
    planned.episode.refresh_from_db()
    assert planned.episode.status == "plan"


@pytest.mark.parametrize("decision", ["amend", "step_up"])
def test_amend_and_step_up_are_taken_on_their_own_pages(planned, involved, child, decision):
    review(involved, planned.episode, plan_actions(planned), child, decision=decision)
    planned.episode.refresh_from_db()
    # The review's own version 2 exists; the amendment or referral comes next.
    assert (planned.episode.status, Plan.objects.count(), Referral.objects.count()) == (
        "plan",
        2,
        0,
    )
