"""Reviews of the plan with the child and family (seed 004, seed 001 §4.2).

The first review is due the council's review interval (8 weeks by default)
after the plan is agreed, then the same interval after each review. Each
review records progress on every action, new scaling scores, the family's
views and each child's own views, how the family is engaging and a decision.

Each child of the case is asked for their views, as in the assessment, and
each child old enough scores for themselves (assessments.scoring). Who is old
enough is decided on `people.restrictions.rule_age`, so a restricted date of
birth counts as unknown and what the page asks never tells the age.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments.models import Scorer
from assessments.scoring import CHILD_SCORING_AGE, save_scores
from audit.models import Action as AuditAction
from audit.services import record
from core import policy
from episodes import states
from episodes.models import Episode, EpisodeChild
from episodes.progress import review_due
from episodes.services import transition
from notifications.services import notify
from people import restrictions
from people.models import Person
from plans.models import Action, ActionStatus
from plans.services import current_plan, family_document, version_after_review
from referrals.services import refer_to_panel

from .models import ActionProgress, ChildView, Decision, Engagement, Review

if TYPE_CHECKING:
    from plans.document import Document
    from plans.models import Plan

    # Progress on one action as a page or a caller gives it: {"status", "note"},
    # (status, note), or the status alone.
    ProgressEntry = dict[str, str | None] | tuple[str, ...] | list[str] | str


def next_review_due(
    episode: Episode,
    plan_agreed_on: datetime.datetime | datetime.date | None = None,
    last_review_on: datetime.date | None = None,
) -> datetime.date | None:
    """When the next review is due, or None if no plan is in place
    (episodes.progress.review_due, for an episode whose stage has reviews)."""
    if not states.allows(episode, "record_review"):
        return None
    return review_due(episode, plan_agreed_on=plan_agreed_on, last_review_on=last_review_on)


@dataclass(frozen=True)
class ReviewChild:
    """A child of the case as the review asks them: their views always, and
    their own score when the scaling questions ask them (assessments.scoring
    decides, on the same rule; the form has `score_field` only then)."""

    person: Person
    # Under the scaling age by a date of birth the rules may act on; never
    # True for a restricted date of birth.
    young: bool
    score_field: str


def score_field_name(person: Person) -> str:
    """The scaling score's field for a family member (assessments.scoring.scorers)."""
    return f"score_{person.pk}"


def review_children(episode: Episode) -> list[ReviewChild]:
    """The children of the case a review asks for their views, in the order
    they were added (not those still to be born)."""
    links = (
        EpisodeChild.objects.filter(episode=episode)
        .select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("id")
    )
    children: list[ReviewChild] = []
    for link in links:
        child = link.person
        if child.is_unborn:
            continue
        age = restrictions.rule_age(child)
        children.append(
            ReviewChild(
                person=child,
                young=age is not None and age < CHILD_SCORING_AGE,
                score_field=score_field_name(child),
            )
        )
    return children


def _children_views(
    episode: Episode,
    children_views: Mapping[Person | int, str | None] | None,
    add: Callable[[str, str], None],
) -> dict[int, str]:
    """{child id: views} for the children of the case; anyone else is refused."""
    children = {child.person.pk for child in review_children(episode)}
    views: dict[int, str] = {}
    for key, text in (children_views or {}).items():
        pk = key.pk if isinstance(key, Person) else key
        if pk not in children:
            add(NON_FIELD_ERRORS, _("Views can only be recorded for the children of this case"))
            continue
        if text and text.strip():
            views[pk] = text.strip()
    return views


def plan_actions(plan: Plan) -> list[Action]:
    """The plan's actions in the order the plan page shows them."""
    return list(
        Action.objects.filter(goal__plan=plan)
        .select_related("organisation", "worker", "goal")
        .order_by("goal_id", "due_by", "id")
    )


def _progress_for(
    progress: Mapping[Action | int, ProgressEntry], action: Action
) -> tuple[str | None, str]:
    entry = progress.get(action.pk, progress.get(action))
    if entry is None:
        return None, ""
    if isinstance(entry, dict):
        return entry.get("status"), (entry.get("note") or "").strip()
    if isinstance(entry, tuple | list):
        return entry[0], (entry[1] if len(entry) > 1 else "").strip()
    return entry, ""


@transaction.atomic
def record_review(
    actor: User,
    episode: Episode,
    *,
    held_on: datetime.date | None,
    progress: Mapping[Action | int, ProgressEntry],
    scores: Mapping[str, Any],
    family_views: str,
    engagement: str,
    decision: str,
    children_views: Mapping[Person | int, str | None] | None = None,
    notes: str = "",
    panel_concern: str = "",
    request: HttpRequest | None = None,
) -> Review:
    """Record a review of the current plan and act on its decision.

    `progress` maps every action of the current plan (or its id) to
    {"status", "note"}; `scores` is cleaned data with the scaling questions'
    fields (assessments.scoring); `children_views` maps each child of the case
    (or their id, see `review_children`) to their views, blank if not given.
    "close" closes the episode (needs met);
    "panel" records the referral to the Early Help and Family Support Panel;
    "amend" and "step_up" are taken on their own pages afterwards."""
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied
    if message := states.why_not(episode, "record_review"):
        raise states.TransitionRefused(message)
    plan = current_plan(episode)
    if plan is None:
        raise ValidationError(_("There is no agreed plan to review"))
    actions = plan_actions(plan)
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    if held_on is None:
        add("held_on", _("Enter the date of the review"))
    elif held_on > today:
        add("held_on", _("The date of the review must be today or in the past"))
    elif episode.plan_agreed_at and held_on < timezone.localdate(episode.plan_agreed_at):
        add("held_on", _("The date of the review must be on or after the day the plan was agreed"))
    recorded: dict[int, tuple[str, str]] = {}
    for action in actions:
        status, note = _progress_for(progress, action)
        name = f"progress-{action.pk}-status"
        if status is None or status not in ActionStatus.values:
            add(name, _("Record progress on the action “%(what)s”") % {"what": action.what})
            continue
        if status == ActionStatus.NOT_DONE and not note:
            add(
                f"progress-{action.pk}-note",
                _("Say why the action “%(what)s” was not done") % {"what": action.what},
            )
        recorded[action.pk] = (status, note)
    if not (family_views or "").strip():
        add("family_views", _("Record the family's views"))
    if engagement not in Engagement.values:
        add("engagement", _("Choose how the family is engaging"))
    if decision not in Decision.values:
        add("decision", _("Choose the decision of the review"))
    if decision == Decision.PANEL and not (panel_concern or "").strip():
        add("panel_concern", _("Say why the case is being referred to the panel"))
    if scores.get("score_practitioner") is None:
        add("score_practitioner", _("Give the practitioner's score from 0 to 10"))
    views = _children_views(episode, children_views, add)
    if errors or held_on is None:  # no date is one of the errors
        raise ValidationError(errors)

    review = Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=held_on,
        family_views=family_views.strip(),
        engagement=engagement,
        decision=decision,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    ChildView.objects.bulk_create(
        [ChildView(review=review, child_id=pk, views=text) for pk, text in views.items()]
    )
    ActionProgress.objects.bulk_create(
        [
            ActionProgress(
                review=review,
                action=action,
                status=recorded[action.pk][0],
                note=recorded[action.pk][1],
            )
            for action in actions
        ]
    )
    # Each review makes a new version of the plan carrying the progress recorded.
    statuses = {
        pk: (status, note if status == ActionStatus.NOT_DONE else "")
        for pk, (status, note) in recorded.items()
    }
    version_after_review(actor, plan, review, statuses, request=request)
    save_scores(episode, scores, review=review)

    # The review's date, not the moment it was typed in, starts the next interval.
    held_at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(12)))
    transition(actor, episode, "review", request=request, now=held_at)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=review,
        request=request,
        local_authority=episode.local_authority,
        changes={
            "fields": sorted(
                ["held_on", "progress", "scores", "family_views", "engagement", "decision"]
                + (["children_views"] if views else [])
                + (["notes"] if review.notes else [])
            ),
            "decision": decision,
        },
    )
    # "close" continues on the closure page, which records each need's outcome.
    if decision == Decision.PANEL:
        refer_to_panel(actor, episode, concern=panel_concern, request=request)
    lead = episode.lead_professional
    if lead is not None and lead.pk != actor.pk:
        notify([lead], episode, _("The plan has been reviewed"))
    return review


def scores_by_scorer(review: Review) -> list[tuple[str, int]]:
    """[(label, score)] for a review, practitioner first then the parents and
    carers (each child's score is with their views: `each_child`). Uses the
    review's prefetched scores when there are."""
    scores = sorted(
        (score for score in review.scores.all() if score.scorer != Scorer.CHILD),
        key=lambda score: (score.scorer != Scorer.PRACTITIONER, score.pk),
    )
    return [
        (score.person.full_name if score.person else _("Practitioner"), score.score)
        for score in scores
    ]


@dataclass(frozen=True)
class ChildAtReview:
    name: str
    views: str
    score: int | None


def each_child(review: Review) -> list[ChildAtReview]:
    """Each child's views and score at a review, in the order they were
    recorded. Uses the review's prefetched voices and scores when there are
    (a list of reviews: prefetch "voices__child" and "scores__person")."""
    children: dict[int, Person] = {}
    views: dict[int, str] = {}
    scores: dict[int, int] = {}
    for voice in review.voices.all():
        children.setdefault(voice.child_id, voice.child)
        views[voice.child_id] = voice.views
    for score in review.scores.all():
        if score.scorer == Scorer.CHILD and (person := score.person) is not None:
            children.setdefault(person.pk, person)
            scores[person.pk] = score.score
    return [
        ChildAtReview(name=child.full_name, views=views.get(pk, ""), score=scores.get(pk))
        for pk, child in sorted(children.items())
    ]


def outcome_document(
    actor: User | None,
    review: Review,
    person: Person,
    *,
    fmt: str = "html",
    language: str = "",
    back_url: str = "",
    request: HttpRequest | None = None,
) -> Document:
    """The review's outcome addressed to `person`, a member of the family, in
    their language: HTML or PDF bytes, audited as an export
    (plans.services.family_document). The next review's date is given only
    for the latest review of a case that still has reviews."""
    from .document import outcome_context

    episode = review.episode
    latest = episode.reviews.order_by("-held_on", "-recorded_at", "-id").first()
    next_review = (
        next_review_due(episode, last_review_on=review.held_on)
        if latest is not None and latest.pk == review.pk
        else None
    )
    return family_document(
        actor,
        episode,
        review,
        person,
        template="reviews/document.html",
        context=lambda recipient, maker: outcome_context(review, recipient, maker, next_review),
        name="early-help-review",
        fmt=fmt,
        language=language,
        back_url=back_url,
        request=request,
    )
