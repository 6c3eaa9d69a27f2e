"""Each child's own views and score at a review, as the assessment records them."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from episodes.models import EpisodeChild
from people.models import Relationship, Restriction
from plans.services import current_plan
from reviews import services
from reviews.models import Review
from tests.journey_factories import add_member, plan_actions, years_ago

TODAY = timezone.localdate()


def add_child(episode, first_name, date_of_birth=None, **fields):
    person = add_member(
        episode, Relationship.CHILD, first_name=first_name, date_of_birth=date_of_birth, **fields
    )
    EpisodeChild.objects.create(episode=episode, person=person)
    return person


def record(actor, episode, **overrides):
    arguments = {
        "held_on": TODAY,
        "progress": {a: {"status": "in_progress"} for a in plan_actions(current_plan(episode))},
        "scores": {"score_practitioner": 6},
        "family_views": "Mornings are calmer.",
        "engagement": "fully",
        "decision": "continue",
    }
    arguments.update(overrides)
    return services.record_review(actor, episode, **arguments)


def test_each_child_has_their_own_views_and_score(planned, involved, child):
    episode = planned.episode
    sibling = add_child(episode, "Tamsin", years_ago(12))

    saved = record(
        involved,
        episode,
        scores={"score_practitioner": 6, f"score_{child.pk}": 7, f"score_{sibling.pk}": 4},
        children_views={child: "I like breakfast club.", sibling.pk: "I miss my friends."},
    )

    assert sorted(saved.voices.values_list("child", "views")) == sorted(
        [(child.pk, "I like breakfast club."), (sibling.pk, "I miss my friends.")]
    )
    assert [(c.name, c.views, c.score) for c in services.each_child(saved)] == [
        (child.full_name, "I like breakfast club.", 7),
        (sibling.full_name, "I miss my friends.", 4),
    ]
    assert services.scores_by_scorer(saved) == [("Practitioner", 6)]


def test_a_child_not_asked_records_nothing_and_others_are_refused(planned, involved, child):
    episode = planned.episode
    parent = add_member(episode, Relationship.PARENT, first_name="Robin")

    record(involved, episode, children_views={child: "  "})
    with pytest.raises(ValidationError) as refused:
        record(involved, episode, children_views={parent: "Not a child of the case"})

    assert (Review.objects.get().voices.count(), refused.value.messages) == (
        0,
        ["Views can only be recorded for the children of this case"],
    )


def test_which_children_are_asked_follows_the_assessment(planned, involved, child):
    episode = planned.episode
    toddler = add_child(episode, "Ash", years_ago(2))
    hidden = add_child(episode, "Kit", years_ago(3))
    Restriction.objects.create(
        person=hidden, field="date_of_birth", reason="Synthetic", created_by=involved
    )
    add_child(episode, "Bump", expected_date_of_birth=TODAY + datetime.timedelta(days=60))

    asked = services.review_children(episode)

    # A restricted date of birth counts as unknown: never "young", so the page
    # never tells that the child is under 5. The unborn child is not asked.
    assert [(c.person, c.young) for c in asked] == [
        (child, False),
        (toddler, True),
        (hidden, False),
    ]


def test_the_form_asks_each_child_with_their_score(client_for, involved, planned, child):
    sibling = add_child(planned.episode, "Tamsin", years_ago(2))

    page = client_for(involved).get(f"/cases/{planned.episode_id}/reviews/new/")
    rows = page.context["form"].child_rows()
    html = page.content.decode()

    assert [(r["child"], r["views"].label, bool(r["score"])) for r in rows] == [
        (child, f"{child.full_name}'s views", True),
        (sibling, f"{sibling.full_name}'s views", False),
    ]
    assert "What you saw and heard, for a young child" in html
    assert 'name="child_views"' not in html


def test_posted_views_are_shown_per_child_on_the_review_and_in_the_history(
    client_for, involved, planned, child
):
    from tests.reviews.test_views import review_post

    client = client_for(involved)
    data = review_post(planned, child, **{f"views_{child.pk}": "I like breakfast club."})
    client.post(f"/cases/{planned.episode_id}/reviews/new/", data)
    saved = Review.objects.get()

    detail = client.get(f"/cases/{planned.episode_id}/reviews/{saved.pk}/")
    history = client.get(f"/cases/{planned.episode_id}/reviews/").content.decode()

    assert [(c.name, c.views, c.score) for c in detail.context["children"]] == [
        (child.full_name, "I like breakfast club.", 8)
    ]
    assert "I like breakfast club." in detail.content.decode()
    assert (f"<strong>{child.full_name}</strong>: 8 / 10" in history) is True
    assert "I like breakfast club." in history


def test_an_old_review_with_one_box_for_all_the_children_stays_readable(
    client_for, involved, planned, child
):
    saved = record(involved, planned.episode)
    Review.objects.filter(pk=saved.pk).update(child_views="We want more time with Dad.")
    client = client_for(involved)

    detail = client.get(f"/cases/{planned.episode_id}/reviews/{saved.pk}/").content.decode()
    history = client.get(f"/cases/{planned.episode_id}/reviews/").content.decode()

    assert "The children's views, recorded together" in detail
    assert "We want more time with Dad." in detail
    assert "We want more time with Dad." in history


def test_the_migration_gives_a_single_childs_box_to_that_child(planned, involved, child, la):
    from tests.factories import EpisodeFactory

    one = record(involved, planned.episode)
    two_children = EpisodeFactory(local_authority=la, requested_by=involved)
    add_child(two_children, "Tamsin", years_ago(9))
    other = Review.objects.create(
        episode=two_children,
        plan=planned,
        held_on=TODAY,
        family_views="Synthetic",
        child_views="We both like football.",
        engagement="fully",
        decision="continue",
        recorded_by=involved,
    )
    Review.objects.filter(pk=one.pk).update(child_views="I like breakfast club.")

    migration = importlib.import_module("reviews.migrations.0002_each_childs_views")
    migration.one_child_box_to_that_child(apps, None)

    one.refresh_from_db()
    other.refresh_from_db()
    assert (list(one.voices.values_list("child", "views")), one.child_views) == (
        [(child.pk, "I like breakfast club.")],
        "",
    )
    assert (other.voices.count(), other.child_views) == (0, "We both like football.")


def test_a_childs_copy_of_their_records_has_their_own_review_views_only(
    planned, involved, child, manager
):
    from privacy.retention import _anonymise_family
    from privacy.subject_access import collect

    sibling = add_child(planned.episode, "Tamsin", years_ago(12))
    record(
        involved,
        planned.episode,
        children_views={child: "I like breakfast club.", sibling: "I miss my friends."},
    )

    copy = collect(child, manager)
    [review] = [r for e in copy["episodes"] for r in e["reviews"]]
    text = str(copy)
    _anonymise_family(planned.episode.family, [])

    assert (review["your_views"], "I miss my friends." in text) == (
        "I like breakfast club.",
        False,
    )
    assert set(Review.objects.get().voices.values_list("views", flat=True)) == {"Erased"}
