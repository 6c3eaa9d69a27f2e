"""The Early Help Plan: agreeing it, keeping its actions up to date, making
new versions and recording who has a copy (seeds 000, 001 §4.1, 003).

Each function runs in one transaction, checks permission through core.policy,
checks the episode's state, writes, records its audit event (names of fields,
never values) and queues notifications that name the event only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import FamilyLanguage, Membership
from audit.models import Action as AuditAction
from audit.services import record
from core import policy
from core.prefetched import prefetched
from episodes import states
from episodes.models import Episode
from episodes.services import StaleEdit, transition
from meetings.services import lead_professional_refusal, meeting_name
from notifications.services import notify, notify_requester
from people import restrictions
from people.models import FamilyMember, Relationship
from webhooks import events as webhook_events
from webhooks.models import Event as WebhookEvent

from . import document
from .content import family_content
from .models import Action, ActionStatus, CopyMethod, Goal, Plan, PlanCopy

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from accounts.models import LocalAuthority, Organisation, User
    from api.models import ApiClient
    from people.models import Person
    from reviews.models import Review

    # An action or a goal as a form gives it: {what, organisation, worker,
    # due_by, success_measure} (and, for an added action, its goal); {text,
    # outcome, lead_organisation, actions}. Values of each field's own type.
    PlanAction = Mapping[str, Any]
    PlanGoal = Mapping[str, Any]
    # (user id, organisation id) of the staff the actions name.
    Members = set[tuple[int, int]]

ACTION_FIELDS = ("what", "organisation", "worker", "due_by", "success_measure")
OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
# Below this age a child is usually too young to be given their own copy.
COPY_AGE = 8


def _check_permission(actor: User, episode: Episode) -> None:
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied


def current_plan(episode: Episode) -> Plan | None:
    loaded = prefetched(episode, "plans")  # the case page's (case_page_records)
    if loaded is not None:
        return max(loaded, key=lambda plan: plan.number, default=None)
    return episode.plans.select_related("agreed_by").order_by("-number").first()


def current_plans(episode_ids: Iterable[int]) -> dict[int, Plan]:
    """{episode id: its current plan} for the episodes that have one, in one query."""
    found: dict[int, Plan] = {}
    for plan in Plan.objects.filter(episode_id__in=list(episode_ids)).order_by(
        "episode_id", "-number"
    ):
        found.setdefault(plan.episode_id, plan)
    return found


def is_current(plan: Plan) -> bool:
    return not Plan.objects.filter(episode_id=plan.episode_id, number__gt=plan.number).exists()


def is_overdue(action: Action, today: date | None = None) -> bool:
    return action.status in OPEN_ACTION_STATUSES and action.due_by < (today or timezone.localdate())


def plan_in_place(episode: Episode) -> bool:
    """The plan can be changed only while it is in place."""
    return states.allows(episode, "change_plan")


def _require_plan_in_place(episode: Episode) -> None:
    if (refused := states.why_not(episode, "change_plan")) is not None:
        raise ValidationError(refused)


# Validating goals and actions


def _action_errors(episode: Episode, action: PlanAction, members: Members, label: str) -> list[str]:
    errors: list[str] = []
    for field, message in (
        ("what", _("Say what will be done for %(label)s")),
        ("organisation", _("Choose the agency for %(label)s")),
        ("due_by", _("Enter by when for %(label)s")),
        ("success_measure", _("Say how everyone will know %(label)s worked")),
    ):
        value = action.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(message % {"label": label})
    organisation, worker = action.get("organisation"), action.get("worker")
    if organisation is not None and organisation.local_authority_id != episode.local_authority_id:
        errors.append(_("Choose an agency in this council for %(label)s") % {"label": label})
    if (
        worker is not None
        and organisation is not None
        and (worker.pk, organisation.pk) not in members
    ):
        errors.append(
            _("%(name)s does not work for %(organisation)s (%(label)s)")
            % {"name": worker.full_name, "organisation": organisation.name, "label": label}
        )
    return errors


def _members(episode: Episode, actions: Iterable[PlanAction]) -> Members:
    """(user id, organisation id) pairs for the workers named in `actions`."""
    workers = {a["worker"].pk for a in actions if a.get("worker") is not None}
    if not workers:
        return set()
    return set(
        Membership.objects.filter(
            user_id__in=workers, user__is_active=True, user__local_authority=episode.local_authority
        ).values_list("user_id", "organisation_id")
    )


def _restricted_text_errors(
    family: list[Person], goal: PlanGoal | PlanAction, label: str, fields: Iterable[str]
) -> list[str]:
    """Messages for the plan's free text that holds a restricted value."""
    texts = {
        name: (f"{capfirst(label)}: {name.replace('_', ' ')}", goal.get(name) or "")
        for name in fields
        if isinstance(goal.get(name), str)
    }
    return list(restrictions.restricted_text_errors(family, texts).values())


def _goal_errors(
    episode: Episode, goals: Iterable[PlanGoal], members: Members, first_number: int = 1
) -> list[str]:
    errors: list[str] = []
    family = restrictions.family_people(episode.family)
    for number, goal in enumerate(goals, start=first_number):
        label = _("goal %(number)s") % {"number": number}
        errors += _restricted_text_errors(family, goal, label, ("text",))
        if not (goal.get("text") or "").strip():
            errors.append(_("Say what wellbeing will look like for %(label)s") % {"label": label})
        organisation = goal.get("lead_organisation")
        if organisation is None:
            errors.append(_("Choose the lead agency for %(label)s") % {"label": label})
        elif organisation.local_authority_id != episode.local_authority_id:
            errors.append(
                _("Choose a lead agency in this council for %(label)s") % {"label": label}
            )
        actions = goal.get("actions") or []
        if not actions:
            errors.append(_("Add at least one action for %(label)s") % {"label": label})
        for index, action in enumerate(actions, start=1):
            action_label = _("action %(action)s of goal %(goal)s") % {
                "action": index,
                "goal": number,
            }
            errors += _action_errors(episode, action, members, action_label)
            errors += _restricted_text_errors(
                family, action, action_label, ("what", "success_measure")
            )
    return errors


def _all_actions(goals: Iterable[PlanGoal]) -> list[PlanAction]:
    return [action for goal in goals for action in goal.get("actions") or []]


def _create_goal(plan: Plan, goal: PlanGoal, copied_from: Goal | None = None) -> Goal:
    created = Goal.objects.create(
        plan=plan,
        text=goal["text"].strip(),
        outcome=goal.get("outcome") or "",
        lead_organisation=goal["lead_organisation"],
        copied_from=copied_from,
    )
    for action in goal.get("actions") or []:
        _create_action(created, action)
    return created


def _create_action(goal: Goal, action: PlanAction, **extra: object) -> Action:
    return Action.objects.create(
        goal=goal,
        what=action["what"].strip(),
        organisation=action["organisation"],
        worker=action.get("worker"),
        due_by=action["due_by"],
        success_measure=action["success_measure"].strip(),
        **extra,
    )


def _fingerprint(plan: Plan) -> None:
    """Store what the family reads in `plan`, once its goals and actions are written."""
    plan.family_content = family_content(plan)
    plan.save(update_fields=["family_content"])


def _join_team(
    actor: User,
    episode: Episode,
    organisations: Iterable[Organisation],
    request: HttpRequest | None,
) -> list[Organisation]:
    """Add the agencies the plan names to the Team Around the Family."""
    team = set(episode.organisations.values_list("pk", flat=True))
    joining = {org.pk: org for org in organisations if org.pk not in team}
    if joining:
        episode.organisations.add(*joining.values())
        record(
            AuditAction.UPDATE,
            actor=actor,
            obj=episode,
            request=request,
            changes={"fields": ["organisations"]},
        )
    return list(joining.values())


# Agreeing the plan


@transaction.atomic
def agree_plan(
    actor: User,
    episode: Episode,
    *,
    lead_professional: User | None,
    goals: Iterable[PlanGoal],
    request: HttpRequest | None = None,
) -> Plan:
    """Agree version 1 of the plan at the meeting: its wellbeing goals, each
    with a lead agency and SMART actions, and the lead professional. The
    episode moves to "plan" through the state machine in the same transaction.

    `goals`: [{text, outcome, lead_organisation, actions: [{what, organisation,
    worker, due_by, success_measure}]}]."""
    _check_permission(actor, episode)
    if not states.allows(episode, "agree_plan") and (
        refused := states.refusal(episode, "agree_plan")
    ):
        raise states.TransitionRefused(refused)
    errors: dict[str, list[str]] = {}
    if lead_professional is not None and (
        message := lead_professional_refusal(episode, lead_professional)
    ):
        errors["lead_professional"] = [message]
    goals = list(goals)
    if not goals:
        errors.setdefault("__all__", []).append(_("Add at least one wellbeing goal"))
    goal_errors = _goal_errors(episode, goals, _members(episode, _all_actions(goals)))
    if goal_errors:
        errors.setdefault("__all__", []).extend(goal_errors)
    if errors:
        raise ValidationError(errors)

    # The state machine's guard sees the lead professional (or its absence).
    transition(
        actor,
        episode,
        "agree_plan",
        request=request,
        set_fields={"lead_professional": lead_professional},
    )
    plan = Plan.objects.create(
        episode=episode,
        number=1,
        agreed_at=episode.plan_agreed_at or timezone.now(),  # set by the transition above
        agreed_by=actor,
        change_summary=_("Agreed at the %(meeting)s meeting") % {"meeting": meeting_name(episode)},
    )
    for goal in goals:
        _create_goal(plan, goal)
    _fingerprint(plan)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=plan,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": ["goals", "actions", "lead_professional"]},
    )
    _join_team(
        actor,
        episode,
        [goal["lead_organisation"] for goal in goals]
        + [action["organisation"] for action in _all_actions(goals)],
        request,
    )
    if lead_professional is not None:
        webhook_events.emit(episode, WebhookEvent.LEAD_PROFESSIONAL_AGREED)
    webhook_events.emit(episode, WebhookEvent.PLAN_CHANGED)
    notify_requester(episode, _("A lead professional has been agreed"))
    # (The state machine refused a plan without a lead professional, above.)
    if lead_professional is not None and lead_professional.pk not in (
        actor.pk,
        episode.requested_by_id,
    ):
        notify([lead_professional], episode, _("You are the lead professional for this case"))
    return plan


# Keeping actions up to date


@transaction.atomic
def update_action_status(
    actor: User,
    action: Action,
    *,
    status: str,
    not_done_reason: str = "",
    edit_version: int,
    request: HttpRequest | None = None,
) -> Action:
    """Change an action's status on the current version. `edit_version` is the
    plan's edit_version the person started from: if someone else saved since,
    StaleEdit carries the action as it is now and nothing is written."""
    _check_permission(actor, action.goal.plan.episode)
    return _record_action_status(
        action,
        status=status,
        not_done_reason=not_done_reason,
        edit_version=edit_version,
        actor=actor,
        request=request,
    )


@transaction.atomic
def update_action_status_by_client(
    client: ApiClient,
    action: Action,
    *,
    status: str,
    not_done_reason: str = "",
    edit_version: int,
    request: HttpRequest | None = None,
) -> Action:
    """update_action_status for a partner system (the API), acting as its
    organisation: only the organisation's own actions, on a case it is
    involved in while the family lets it; audited under the client's name."""
    if not policy.client_may_update_plan_action(client, action):
        raise PermissionDenied
    return _record_action_status(
        action,
        status=status,
        not_done_reason=not_done_reason,
        edit_version=edit_version,
        actor_label=client.name,
        request=request,
    )


def _record_action_status(
    action: Action,
    *,
    status: str,
    not_done_reason: str,
    edit_version: int,
    actor: User | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> Action:
    plan = action.goal.plan
    episode = plan.episode
    _require_plan_in_place(episode)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not is_current(locked):
        raise ValidationError(_("This is an earlier version of the plan: it cannot be changed"))
    current = Action.objects.select_related("organisation", "worker").get(pk=action.pk)
    if locked.edit_version != edit_version:
        raise StaleEdit(current)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose the action's status")})
    reason = not_done_reason.strip() if status == ActionStatus.NOT_DONE else ""
    if status == ActionStatus.NOT_DONE and not reason:
        raise ValidationError({"not_done_reason": _("Say why the action was not done")})
    changed = [
        field
        for field, value in (("status", status), ("not_done_reason", reason))
        if getattr(current, field) != value
    ]
    if not changed:
        return current
    current.status, current.not_done_reason = status, reason
    current.save(update_fields=changed)
    locked.edit_version += 1
    locked.save(update_fields=["edit_version"])
    record(
        AuditAction.UPDATE,
        actor=actor,
        actor_label=actor_label,
        obj=current,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": sorted(changed)},
    )
    return current


# New versions


def _descendants(
    model: type[Goal] | type[Action], plan_lookup: str, plan: Plan, current: Plan
) -> dict[int, int]:
    episode_lookup = f"{plan_lookup}__episode_id"
    links = dict(
        model.objects.filter(
            **{
                episode_lookup: plan.episode_id,
                f"{plan_lookup}__number__gt": plan.number,
                f"{plan_lookup}__number__lte": current.number,
            }
        ).values_list("pk", "copied_from_id")
    )
    found: dict[int, int] = {}
    for pk in model.objects.filter(**{plan_lookup: current}).values_list("pk", flat=True):
        ancestor = links.get(pk)
        while ancestor in links:  # still in a version after `plan`
            ancestor = links[ancestor]
        if ancestor is not None:
            found[ancestor] = pk
    return found


def descendants(plan: Plan, current: Plan) -> tuple[dict[int, int], dict[int, int]]:
    """({goal id in `plan`: id of its copy in `current`}, the same for actions),
    following copied_from through the versions in between."""
    return (
        _descendants(Goal, "plan", plan, current),
        _descendants(Action, "goal__plan", plan, current),
    )


def _copy_goals(
    goals: Iterable[Goal],
    new_plan: Plan,
    *,
    changes: Mapping[int, Mapping[str, Any]] | None = None,
    statuses: Mapping[int, tuple[str, str]] | None = None,
) -> list[tuple[Goal, Goal]]:
    """Copy goals and their actions into `new_plan`, applying `changes`
    {action id: {field: value}} and `statuses` {action id: (status, reason)}.
    Returns [(original goal, its copy)]. The originals are never touched."""
    changes, statuses = changes or {}, statuses or {}
    copies: list[tuple[Goal, Goal]] = []
    for goal in goals:
        copy = Goal.objects.create(
            plan=new_plan,
            text=goal.text,
            outcome=goal.outcome,
            lead_organisation_id=goal.lead_organisation_id,
            copied_from=goal,
        )
        for action in goal.actions.all():
            values: dict[str, Any] = {field: getattr(action, field) for field in ACTION_FIELDS}
            values.update(changes.get(action.pk, {}))
            status, reason = statuses.get(action.pk, (action.status, action.not_done_reason))
            _create_action(copy, values, status=status, not_done_reason=reason, copied_from=action)
        copies.append((goal, copy))
    return copies


def version_after_review(
    actor: User,
    plan: Plan,
    review: Review,
    statuses: Mapping[int, tuple[str, str]],
    request: HttpRequest | None = None,
) -> Plan:
    """Each review makes a new version of the plan: the same goals and actions
    with the progress the review recorded. The reviewed version stays as it was.
    Called inside the review's transaction."""
    new = Plan.objects.create(
        episode=plan.episode,
        number=plan.number + 1,
        agreed_by=actor,
        change_summary=_("Progress recorded at the review on %(date)s")
        % {"date": date_format(review.held_on, "j F Y")},
    )
    goals = plan.goals.prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("organisation", "worker"))
    )
    _copy_goals(goals, new, statuses=statuses)
    _fingerprint(new)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=new,
        request=request,
        local_authority=plan.episode.local_authority,
        changes={"fields": ["action_statuses"], "from_version": plan.number},
    )
    webhook_events.emit(plan.episode, WebhookEvent.PLAN_CHANGED)
    return new


@transaction.atomic
def new_version(
    actor: User,
    plan: Plan,
    *,
    change_summary: str,
    changed_actions: Mapping[Action | int, Mapping[str, Any]] | None = None,
    added_actions: Iterable[PlanAction] | None = None,
    added_goals: Iterable[PlanGoal] | None = None,
    request: HttpRequest | None = None,
) -> Plan:
    """Copy `plan`'s goals and actions into version n+1 with the changes:
    `changed_actions` {action: {field: value}}, `added_actions` [{goal, what,
    organisation, worker, due_by, success_measure}] under goals of `plan`, and
    `added_goals` like agree_plan's. Earlier versions are never changed.

    If `plan` is no longer the current version, StaleEdit carries the current
    one and nothing is written."""
    episode = plan.episode
    _check_permission(actor, episode)
    _require_plan_in_place(episode)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not is_current(locked):
        # A later version exists, so there is a current plan to show.
        raise StaleEdit(current_plan(episode) or locked)
    changes_by_id: dict[int, Mapping[str, Any]] = {
        action.pk if isinstance(action, Action) else action: changes
        for action, changes in (changed_actions or {}).items()
    }
    added_actions = list(added_actions or [])
    added_goals = list(added_goals or [])
    goals = list(
        plan.goals.prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("organisation", "worker"))
        )
    )
    actions = {action.pk: action for goal in goals for action in goal.actions.all()}

    errors: list[str] = []
    if not change_summary.strip():
        errors.append(_("Say what changed and why"))
    real_changes: dict[int, dict[str, Any]] = {}
    for pk, changes in changes_by_id.items():
        if pk not in actions:
            errors.append(_("Change only actions of this version of the plan"))
            continue
        differing = {
            field: value
            for field, value in changes.items()
            if field in ACTION_FIELDS and getattr(actions[pk], field) != value
        }
        if differing:
            real_changes[pk] = differing
    goal_ids = {goal.pk for goal in goals}
    for added in added_actions:
        if getattr(added.get("goal"), "pk", None) not in goal_ids:
            errors.append(_("Add actions only to goals of this version of the plan"))
    if not real_changes and not added_actions and not added_goals:
        errors.append(_("Nothing has changed: change or add an action, or add a goal"))
    merged = [
        {field: real_changes[pk].get(field, getattr(action, field)) for field in ACTION_FIELDS}
        for pk, action in actions.items()
        if pk in real_changes
    ]
    members = _members(episode, merged + added_actions + _all_actions(added_goals))
    family = restrictions.family_people(episode.family)
    errors += _restricted_text_errors(
        family, {"change_summary": change_summary}, _("the change"), ("change_summary",)
    )
    for action in merged:
        errors += _action_errors(episode, action, members, f"“{action['what']}”")
        errors += _restricted_text_errors(
            family, action, _("a changed action"), ("what", "success_measure")
        )
    for index, added in enumerate(added_actions, start=1):
        label = _("new action %(number)s") % {"number": index}
        errors += _action_errors(episode, added, members, label)
        errors += _restricted_text_errors(family, added, label, ("what", "success_measure"))
    errors += _goal_errors(episode, added_goals, members, first_number=len(goals) + 1)
    if errors:
        raise ValidationError(errors)

    new = Plan.objects.create(
        episode=episode,
        number=plan.number + 1,
        agreed_by=actor,
        change_summary=change_summary.strip(),
    )
    copies = _copy_goals(goals, new, changes=real_changes)
    for goal, copy in copies:
        for added in added_actions:
            if added["goal"].pk == goal.pk:
                _create_action(copy, added)
    for added_goal in added_goals:
        _create_goal(new, added_goal)
    _fingerprint(new)

    fields: list[str] = []
    if real_changes:
        fields.append("changed_actions")
    if added_actions:
        fields.append("added_actions")
    if added_goals:
        fields.append("added_goals")
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=new,
        request=request,
        local_authority=episode.local_authority,
        changes={"fields": fields, "from_version": plan.number},
    )
    _join_team(
        actor,
        episode,
        [values["organisation"] for values in merged]
        + [added["organisation"] for added in added_actions]
        + [goal["lead_organisation"] for goal in added_goals]
        + [action["organisation"] for action in _all_actions(added_goals)],
        request,
    )
    webhook_events.emit(episode, WebhookEvent.PLAN_CHANGED)
    message = _("The plan has changed: version %(number)s") % {"number": new.number}
    notify(
        [user for user in (episode.lead_professional,) if user and user.pk != actor.pk],
        episode,
        message,
    )
    return new


# Copies of the plan


def copy_languages(local_authority: LocalAuthority) -> list[tuple[str, StrOrPromise]]:
    """(code, label) for the languages the council offers families."""
    labels = dict(FamilyLanguage.choices)
    return [(code, labels[code]) for code in local_authority.family_languages if code in labels]


def copy_members(episode: Episode) -> list[FamilyMember]:
    """The family members who should get a copy: everyone but unborn children,
    in the order they were added (those the case page read, else read now)."""
    members = prefetched(episode.family, "memberships")
    if members is None:
        members = list(
            episode.family.memberships.select_related("person").prefetch_related(
                "person__restrictions"
            )
        )
    return sorted(
        (
            member
            for member in members
            if member.relationship != Relationship.UNBORN and not member.person.is_unborn
        ),
        key=lambda member: member.pk,
    )


def may_be_too_young(
    member: FamilyMember, today: date | None = None, person: Person | None = None
) -> bool:
    """A child under 8 may be recorded as too young for their own copy. With
    `person` (the child as the viewer may see them) an age the viewer may not
    know counts as unknown."""
    if not member.is_child:
        return False
    age = (person or member.person).age(today)
    return age is None or age < COPY_AGE


@dataclass(frozen=True)
class CopyRow:
    """One family member's copy of a version of the plan."""

    member: FamilyMember
    # The latest record for them (given, or why not) of this or an earlier version.
    copy: PlanCopy | None
    # That record's version says to the family what this one says.
    up_to_date: bool
    # They still need a copy of this version.
    owed: bool


def owes_copies(episode: Episode) -> bool:
    """Whether the case's stage owes the family copies (not once it is closed)."""
    return states.allows(episode, "owe_plan_copies")


def copy_rows(plan: Plan, members: list[FamilyMember]) -> list[CopyRow]:
    """Each member's copy of `plan`, in the family's order. A copy is owed when
    what the family reads (plans.content) differs from the version the member
    last received, so a review that records only progress owes none."""
    latest: dict[int, PlanCopy] = {}
    for copy in (
        PlanCopy.objects.filter(plan__episode_id=plan.episode_id, plan__number__lte=plan.number)
        .select_related("plan")
        .order_by("plan__number", "recorded_at", "id")
    ):
        latest[copy.person_id] = copy
    owed_now = owes_copies(plan.episode)
    rows: list[CopyRow] = []
    for member in members:
        last_copy = latest.get(member.person_id)
        up_to_date = last_copy is not None and last_copy.plan.family_content == plan.family_content
        rows.append(CopyRow(member, last_copy, up_to_date, owed_now and not up_to_date))
    return rows


def still_need_copy(plan: Plan, members: list[FamilyMember]) -> list[FamilyMember]:
    """Members who still need a copy of `plan`: none once the case is closed."""
    return [row.member for row in copy_rows(plan, members) if row.owed]


@transaction.atomic
def record_copy(
    actor: User,
    plan: Plan,
    person: Person,
    *,
    given: bool,
    method: str = "",
    language: str = "",
    reason_not_given: str = "",
    request: HttpRequest | None = None,
) -> PlanCopy:
    """Record that `person` received a copy of the current version (how, in
    which language) or why they did not."""
    episode = plan.episode
    _check_permission(actor, episode)
    if not is_current(plan):
        raise ValidationError(_("Copies are recorded for the current version of the plan"))
    if person.pk not in {member.person_id for member in copy_members(episode)}:
        raise ValidationError(_("Record copies only for members of this family"))
    errors: dict[str, str] = {}
    if given:
        if not method:
            errors["method"] = _("Choose how the copy was given")
        if language not in {code for code, _label in copy_languages(episode.local_authority)}:
            errors["language"] = _("Choose the language of the copy")
        reason_not_given = ""
    else:
        method, language = "", ""
        if not reason_not_given.strip():
            errors["reason_not_given"] = _("Say why a copy was not given")
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {
        "given": given,
        "method": method,
        "language": language,
        "reason_not_given": reason_not_given.strip(),
    }
    if not given:
        values["child_friendly"] = False
    return _save_copy(actor, plan, person, values, request=request)


def _save_copy(
    actor: User | None,
    plan: Plan,
    person: Person,
    values: dict[str, object],
    *,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> PlanCopy:
    """Write `person`'s copy record of `plan` (one a person and version) and
    its audit event, inside the caller's transaction."""
    existing = PlanCopy.objects.filter(plan=plan, person=person).first()
    if existing is None:
        copy = PlanCopy.objects.create(plan=plan, person=person, recorded_by=actor, **values)
        action, changed = AuditAction.CREATE, sorted(values)
    else:
        changed = sorted(f for f, v in values.items() if getattr(existing, f) != v)
        for field, value in values.items():
            setattr(existing, field, value)
        existing.recorded_by, existing.recorded_at = actor, timezone.now()
        existing.save()
        copy, action = existing, AuditAction.UPDATE
    record(
        action,
        actor=actor,
        obj=copy,
        request=request,
        local_authority=plan.episode.local_authority,
        changes={"fields": changed},
        actor_label=actor_label,
    )
    return copy


def plan_document(
    actor: User | None,
    plan: Plan,
    person: Person,
    *,
    fmt: str = "html",
    language: str = "",
    child_friendly: bool = False,
    method: str = CopyMethod.IN_PERSON,
    back_url: str = "",
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> document.Document:
    """The copy of the current plan addressed to `person`, a member of the
    family: HTML, or PDF bytes, in `language` (default: theirs, see
    plans.document.choose_language); for a child, the child-friendly plan if
    asked. Only those who work on the case make one (`actor` None: the command
    line, `actor_label` says which). Making it records the copy on the plan's
    copy list (given, how, which language and version) and audits it as an
    export (recipient id, format, language), in one transaction."""
    episode = plan.episode
    if actor is not None:
        _check_permission(actor, episode)
    if not is_current(plan):
        raise ValidationError(_("Copies are made of the current version of the plan"))
    member = next((m for m in copy_members(episode) if m.person_id == person.pk), None)
    if member is None:
        raise ValidationError(_("Copies are made only for members of this family"))
    if method not in CopyMethod.values:
        raise ValidationError(_("Choose how the copy is given"), code="method")
    if child_friendly and not member.is_child:
        raise ValidationError(_("The child-friendly plan is for children"), code="child_friendly")
    recipient = document.shown_in_document(person, person, actor)
    language = document.choose_language(episode.local_authority, recipient, language)
    if child_friendly:
        context = document.child_context(plan, person, actor)
        template = "plans/document_child.html"
    else:
        context = document.document_context(plan, person, actor)
        template = "plans/document.html"
    kind = "child-friendly-plan" if child_friendly else "plan"
    made = document.make(
        context,
        template,
        language=language,
        fmt=fmt,
        filename=f"early-help-{kind}-{episode.reference}-v{plan.number}-{person.pk}-{language}",
        back_url=back_url,
    )
    with transaction.atomic():
        _save_copy(
            actor,
            plan,
            person,
            {
                "given": True,
                "method": method,
                "language": language,
                "reason_not_given": "",
                "child_friendly": child_friendly,
            },
            request=request,
            actor_label=actor_label,
        )
        record(
            AuditAction.EXPORT,
            actor=actor,
            obj=plan,
            request=request,
            local_authority=episode.local_authority,
            changes={
                "format": fmt,
                "recipient": person.pk,
                "language": language,
                "child_friendly": child_friendly,
            },
            actor_label=actor_label,
        )
    return made


def family_document(
    actor: User | None,
    episode: Episode,
    obj: Any,
    person: Person,
    *,
    template: str,
    context: Callable[[Person, User | None], dict[str, Any]],
    name: str,
    fmt: str = "html",
    language: str = "",
    back_url: str = "",
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> document.Document:
    """A document about `obj` (the assessment, a review) addressed to
    `person`, a member of the family, in their language (as plan_document),
    audited as an export of `obj`. `context(person, actor)` gives what the
    template shows; `name` starts its file name."""
    if actor is not None:
        _check_permission(actor, episode)
    if person.pk not in {member.person_id for member in copy_members(episode)}:
        raise ValidationError(_("Copies are made only for members of this family"))
    recipient = document.shown_in_document(person, person, actor)
    language = document.choose_language(episode.local_authority, recipient, language)
    made = document.make(
        context(person, actor),
        template,
        language=language,
        fmt=fmt,
        filename=f"{name}-{episode.reference}-{person.pk}-{language}",
        back_url=back_url,
    )
    with transaction.atomic():
        record(
            AuditAction.EXPORT,
            actor=actor,
            obj=obj,
            request=request,
            local_authority=episode.local_authority,
            changes={"format": fmt, "recipient": person.pk, "language": language},
            actor_label=actor_label,
        )
    return made
