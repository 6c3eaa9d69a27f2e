"""A review's outcome as a family member keeps it (issue 14): when it was held,
what the family said, how each action is going and what was decided, with
everything around them in the family member's language (plans/document.py)."""

from django.utils.translation import gettext_lazy as _

from plans.document import family_context, scrubber
from plans.models import ActionStatus

from .models import Decision

# What each decision means for the family, in words written for them.
DECISION_FOR_FAMILIES = {
    Decision.CONTINUE: _("We agreed to carry on with the plan."),
    Decision.AMEND: _("We agreed to change the plan. You will get a copy of the new plan."),
    Decision.CLOSE: _(
        "We agreed that the plan has done what it set out to do. Early help for your family ends."
    ),
    Decision.STEP_UP: _("We asked children's social care to help your family."),
    Decision.PANEL: _(
        "We asked the Early Help and Family Support Panel to look at how best to help your family."
    ),
}


def outcome_context(review, recipient, maker, next_review=None):
    """The outcome for `recipient`: the date, the family's views, each
    action's progress (with the worker's note), the decision explained and
    the next review's date. Children's own views and the scores are left out."""
    episode = review.episode
    scrub = scrubber(episode)
    progress = [
        {
            "what": scrub(row.action.what),
            # The label itself (lazy), so it is written in the document's language.
            "status": ActionStatus(row.status).label,
            "note": scrub(row.note),
        }
        for row in review.progress.select_related("action").order_by("action__due_by", "id")
    ]
    return {
        **family_context(episode, recipient, maker),
        "review": review,
        "family_views": scrub(review.family_views),
        "progress": progress,
        "decision": DECISION_FOR_FAMILIES[Decision(review.decision)],
        "next_review": next_review,
    }
