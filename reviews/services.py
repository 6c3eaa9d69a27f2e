"""Reviews of the plan with the child and family (seed 004, seed 001 §4.2).

The first review is due the council's review interval (8 weeks by default)
after the plan is agreed, then the same interval after each review. Each
review records progress on every action, new scaling scores, the family's and
the child's views, how the family is engaging and a decision.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Scorer
from assessments.scoring import save_scores
from audit.models import Action as AuditAction
from audit.services import record
from core import policy
from episodes import states
from episodes.models import Status
from episodes.progress import review_due
from episodes.services import transition
from notifications.services import notify
from plans.models import Action, ActionStatus
from plans.services import current_plan, version_after_review
from referrals.services import refer_to_panel

from .models import ActionProgress, Decision, Engagement, Review


def next_review_due(episode, plan_agreed_on=None, last_review_on=None):
    """When the next review is due, or None if no plan is in place
    (episodes.progress.review_due, for an episode at the plan stage)."""
    if episode.status != Status.PLAN:
        return None
    return review_due(episode, plan_agreed_on=plan_agreed_on, last_review_on=last_review_on)


def plan_actions(plan):
    """The plan's actions in the order the plan page shows them."""
    return list(
        Action.objects.filter(goal__plan=plan)
        .select_related("organisation", "worker", "goal")
        .order_by("goal_id", "due_by", "id")
    )


def _progress_for(progress, action):
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
    actor,
    episode,
    *,
    held_on,
    progress,
    scores,
    family_views,
    engagement,
    decision,
    child_views="",
    notes="",
    panel_concern="",
    request=None,
):
    """Record a review of the current plan and act on its decision.

    `progress` maps every action of the current plan (or its id) to
    {"status", "note"}; `scores` is cleaned data with the scaling questions'
    fields (assessments.scoring). "close" closes the episode (needs met);
    "panel" records the referral to the Early Help and Family Support Panel;
    "amend" and "step_up" are taken on their own pages afterwards."""
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied
    if message := states.refusal(episode, "review"):
        raise states.TransitionRefused(message)
    plan = current_plan(episode)
    if plan is None:
        raise ValidationError(_("There is no agreed plan to review"))
    actions = plan_actions(plan)
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    if held_on is None:
        add("held_on", _("Enter the date of the review"))
    elif held_on > today:
        add("held_on", _("The date of the review must be today or in the past"))
    elif episode.plan_agreed_at and held_on < timezone.localdate(episode.plan_agreed_at):
        add("held_on", _("The date of the review must be on or after the day the plan was agreed"))
    recorded = {}
    for action in actions:
        status, note = _progress_for(progress, action)
        name = f"progress-{action.pk}-status"
        if status not in ActionStatus.values:
            add(name, _("Record progress on the action “%(what)s”") % {"what": action.what})
        elif status == ActionStatus.NOT_DONE and not note:
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
    if errors:
        raise ValidationError(errors)

    review = Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=held_on,
        family_views=family_views.strip(),
        child_views=(child_views or "").strip(),
        engagement=engagement,
        decision=decision,
        notes=(notes or "").strip(),
        recorded_by=actor,
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
                + (["child_views"] if review.child_views else [])
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


def scores_by_scorer(review):
    """[(label, score)] for a review, practitioner first then family members."""
    scores = sorted(
        review.scores.select_related("person"),
        key=lambda score: (score.scorer != Scorer.PRACTITIONER, score.pk),
    )
    return [
        (score.person.full_name if score.person else _("Practitioner"), score.score)
        for score in scores
    ]
