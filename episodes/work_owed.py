"""The work a person owes, wherever it is owed: a case's next step
(episodes/progress.py knows what, by when and whose), a duty-to-share override
to review, a role request to approve. The home page lists it; the case page
turns the next step into the button that does it.

Everything starts from core.policy: a case the user may not see is never an
item. A handful of queries whatever the caseload: the next steps come from
the case rows themselves.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core import policy

from .models import Episode
from .progress import OVERRIDE_REVIEW_WITHIN_DAYS, NextStep, meeting_called, next_step
from .states import allows, statuses_allowing

# Steps the district's Early Help Officer owes that managers also see, so
# nothing waits unseen when a district has no officer or the officer is away.
FRONT_DOOR_STEPS = frozenset({"record_csc_decision", "change_lead"})

# Where a case's next step is done when the address needs only the case.
_STEP_PAGES = {
    "give_consent": "consent:list",
    "edit_assessment": "assessments:task_list",
    "record_review": "reviews:record",
}


@dataclass(frozen=True)
class Item:
    """One piece of work owed: what, on which case (None for work about
    accounts), by when, and where it is done (`link`)."""

    what: str
    case: Episode | None
    due: date | None
    # (URL name, its arguments, a fragment): reversed only for the items shown.
    where: tuple = field(repr=False)
    detail: str = ""

    @property
    def link(self) -> str:
        name, kwargs, fragment = self.where
        return reverse(name, kwargs=kwargs) + fragment

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def open_cases_visible_to(user: User):
    """The cases `user` may see that are not closed: "Open" in every list,
    stepped-up cases included (their decision is still owed)."""
    return policy.episodes_visible_to(user).filter(status__in=statuses_allowing("list_as_open"))


def _may_owe(user: User) -> Q:
    """A superset of the cases whose next step `user` owes, for the query;
    next_step then decides exactly."""
    rule = Q(lead_professional=user) | Q(lead_professional__isnull=True, requested_by=user)
    if user.has_role(Role.EARLY_HELP_OFFICER):
        rule |= Q(district__early_help_officer=user) & (
            Q(status__in=statuses_allowing("record_csc_decision"))
            | Q(lead_professional__isnull=True, lead_professional_due_by__isnull=False)
        )
    if user.has_role(Role.EARLY_HELP_MANAGER):
        rule |= Q(status__in=statuses_allowing("record_csc_decision")) | Q(
            lead_professional__isnull=True, lead_professional_due_by__isnull=False
        )
    return rule


def owes(user: User, step: NextStep | None) -> bool:
    if step is None:
        return False
    if step.owner_id == user.pk:
        return True
    return step.activity in FRONT_DOOR_STEPS and user.has_role(Role.EARLY_HELP_MANAGER)


def _where(episode: Episode, step: NextStep) -> tuple:
    """The page where the step is done, or the case page's next step (whose
    button knows the meeting or referral) when that needs more than the case."""
    if step.activity in _STEP_PAGES:
        return (_STEP_PAGES[step.activity], {"episode_pk": episode.pk}, "")
    return ("episodes:detail", {"pk": episode.pk}, "#next-step")


def step_link(episode: Episode, step: NextStep) -> str:
    name, kwargs, fragment = _where(episode, step)
    return reverse(name, kwargs=kwargs) + fragment


# What a next step and the home page's table read of a case: a caseload of
# hundreds is fetched as lean rows, with the council and its districts
# fetched once rather than joined to every row.
_STEP_FIELDS = (
    "pk",
    "local_authority_id",
    "district_id",
    "family__name",
    "status",
    "lead_professional_id",
    "lead_professional_due_by",
    "requested_by_id",
    "requested_at",
    "consent_given_at",
    "assessment_completed_at",
    "plan_agreed_at",
    "last_reviewed_at",
    "stepped_up_at",
)


def _case_steps(user: User, visible) -> list[Item]:
    cases = (
        visible.filter(status__in=statuses_allowing("list_as_open"))
        .filter(_may_owe(user))
        .select_related("family")
        .only(*_STEP_FIELDS)
    )
    cases = list(cases)
    if not cases:
        return []
    council = user.local_authority
    districts = {district.pk: district for district in council.districts.all()}
    items = []
    for episode in cases:
        # Every visible case is of the user's council (core.policy).
        episode.local_authority = council
        episode.district = districts[episode.district_id]
        step = next_step(episode)
        if owes(user, step):
            items.append(Item(step.what, episode, step.due, _where(episode, step)))
    return items


def overrides_to_review(user: User, among):
    """Duty-to-share overrides waiting for `user`'s review, on `among`: cases
    the user may see (a queryset from core.policy, or the ids of its rows)."""
    overrides = policy.sharing_overrides_to_review(user).filter(episode__in=among)
    return overrides.select_related("episode__family", "organisation", "recorded_by")


def override_item(override) -> Item:
    return Item(
        _("Information shared without consent: to review"),
        override.episode,
        timezone.localdate(override.recorded_at) + timedelta(days=OVERRIDE_REVIEW_WITHIN_DAYS),
        (
            "consent:review_override",
            {"episode_pk": override.episode_id, "pk": override.pk},
            "",
        ),
        _("Shared with %(organisation)s by %(who)s")
        % {"organisation": override.organisation.name, "who": override.recorded_by},
    )


def _role_requests(user: User) -> list[Item]:
    from accounts.services import pending_role_requests

    if not policy.can_manage_users(user):
        return []
    waiting = pending_role_requests(user).exclude(requested_by=user).exclude(user=user)
    return [
        Item(
            _("Approve or refuse a role: %(role)s for %(name)s")
            % {"role": role_request.get_role_display(), "name": role_request.user},
            None,
            None,
            ("accounts:role_requests", {}, ""),
        )
        for role_request in waiting
    ]


def _soonest_first(item: Item):
    return (item.due is None, item.due or date.max)


def work_owed_by(user: User, visible=None) -> list[Item]:
    """Everything `user` owes, the most overdue first; undated work last.
    `visible`: the cases the user may see, if the caller has them already
    (policy.episodes_visible_to, perhaps narrowed to open ones)."""
    if visible is None:
        visible = policy.episodes_visible_to(user)
    items = _case_steps(user, visible)
    items += [override_item(override) for override in overrides_to_review(user, visible)]
    items += _role_requests(user)
    return sorted(items, key=_soonest_first)


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


def next_step_button(user: User, episode: Episode, step: NextStep | None) -> Button | None:
    """The button on the case page's "Next" line: only for someone who may do
    the step, and only when the case's stage allows it."""
    if step is None or not step.activity or not allows(episode, step.activity):
        return None
    if step.activity == "record_csc_decision":
        if not policy.can_record_csc_decision(user, episode):
            return None
        return _decision_button(episode)
    if step.activity == "change_lead":
        return _lead_button(user, episode)
    if not policy.can_work_on_episode(user, episode):
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
    return None
