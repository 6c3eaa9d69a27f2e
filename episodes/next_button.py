"""The button on the case page's "Next" line: the page that does the next
step (episodes/progress.py), offered only to someone who may do it
(core.policy) and only when the case's stage allows it (episodes.states)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core import policy

from .models import Episode
from .progress import NextStep, meeting_called
from .states import allows
from .work_owed import step_link


@dataclass(frozen=True)
class Button:
    label: str
    url: str


def _meeting_button(episode: Episode) -> Button:
    # The meetings app's own reading of the meetings (next, last, held), so the
    # case page and this button never disagree.
    from meetings.templatetags.meetings_case import meeting_summary

    summary = meeting_summary(episode)
    name = meeting_called(episode)
    pk = {"episode_pk": episode.pk}
    if summary["last"] and not summary["last"].held:
        return Button(
            _("Record the %(meeting)s") % {"meeting": name},
            reverse("meetings:record", kwargs={**pk, "pk": summary["last"].pk}),
        )
    if summary["held_any"] and allows(episode, "agree_plan"):
        return Button(_("Agree the plan"), reverse("plans:agree", kwargs=pk))
    if summary["next"]:
        return Button(
            _("See the %(meeting)s") % {"meeting": name},
            reverse("meetings:detail", kwargs={**pk, "pk": summary["next"].pk}),
        )
    return Button(
        _("Arrange the %(meeting)s") % {"meeting": name},
        reverse("meetings:arrange", kwargs=pk),
    )


def _decision_button(episode: Episode) -> Button | None:
    referral = next((r for r in episode.referrals.all() if r.awaiting_decision), None)
    if referral is None:
        return None
    return Button(
        _("Record children's social care's decision"),
        reverse("referrals:decision", kwargs={"episode_pk": episode.pk, "pk": referral.pk}),
    )


def next_step_button(
    user: User, episode: Episode, step: NextStep[Episode] | None, *, can_work: bool | None = None
) -> Button | None:
    """The button on the case page's "Next" line: only for someone who may do
    the step, and only when the case's stage allows it. `can_work` is
    policy.can_work_on_episode's answer when the caller has it already (the
    case page asks once, not once for each part of the page)."""
    if step is None or not step.activity or not allows(episode, step.activity):
        return None
    if step.activity == "record_csc_decision":
        if not policy.can_record_csc_decision(user, episode):
            return None
        return _decision_button(episode)
    if step.activity == "change_lead":
        return _lead_button(user, episode)
    if can_work is None:
        can_work = policy.can_work_on_episode(user, episode)
    if not can_work:
        return None
    if step.activity == "give_consent":
        return Button(_("Record consent"), step_link(episode, step))
    if step.activity == "edit_assessment":
        started = hasattr(episode, "assessment")
        label = _("Continue the assessment") if started else _("Start the assessment")
        return Button(label, step_link(episode, step))
    if step.activity == "hold_meeting":
        return _meeting_button(episode)
    if step.activity == "record_review":
        return Button(_("Record a review"), step_link(episode, step))
    return None


def _lead_button(user: User, episode: Episode) -> Button | None:
    if not policy.can_change_lead(user, episode):
        return None
    return Button(
        _("Agree a lead professional"), reverse("episodes:change_lead", kwargs={"pk": episode.pk})
    )
