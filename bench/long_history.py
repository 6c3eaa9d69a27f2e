"""A year of work on one case, as the application would have recorded it: the
records behind the case page the page benchmark opens (bench/pages.py,
"case page (long history)").

The generator's other cases carry only their stage's timestamps; a case page
over those measures empty sections. This one has what a case held for a year
and more has: the assessment and its needs, the first Team Around the Family
meeting, the plan and the versions its reviews agreed, a review every six
weeks with each action's progress, case notes between them, and a change of
lead professional. Its dates follow the case's own timestamps (consent,
assessment, plan) and stop before `now`.

`draw(episode, ...)` makes the rows; the generator writes them once the
case itself is written, and puts the audit events the application would
have written with them into the council's trail, in time order with the
rest (bench/council.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REVIEW_EVERY = timedelta(weeks=6)
NOTES_BETWEEN_REVIEWS = 6
# Every third review amends the plan (a new version, its goals and actions copied).
AMEND_EVERY = 3
NEEDS = ("attendance", "adult_mental_health", "domestic_abuse")
GOALS = (
    ("The children get to school on time every day", "education"),
    ("Mum feels able to cope and knows where to get support", "health"),
    ("Everyone at home feels safe and knows who to call", "safe_from_abuse"),
)
NOTE_KINDS = ("home_visit", "phone_call", "meeting", "contact")


@dataclass
class Written:
    """An audit event the application writes with a record: when, by whom,
    what was made or changed, and on which case."""

    at: datetime
    actor_id: int
    object_type: str
    object_id: int
    action: str = "create"


@dataclass
class History:
    tables: list  # bench.council.Table, each with its rows
    events: list[Written]

    def write(self):
        for table in self.tables:
            table.write()


def draw(episode, *, lead, earlier_lead, eho, organisation, now, rng):
    """The records of a year's work on `episode` (at the plan stage, its
    consent, assessment and plan timestamps set, not yet written), led by
    `lead` of `organisation` since the EHO `eho` moved it from
    `earlier_lead`. Sets the episode's last review."""
    from assessments.models import Assessment
    from bench.council import Table
    from episodes.models import EpisodeNeed, LeadChange
    from meetings.models import Invitee, Meeting
    from notes.models import CaseNote
    from plans.models import Action, Goal, Plan
    from reviews.models import ActionProgress, Review

    la = {"local_authority_id": episode.local_authority_id}
    tables = {
        model: Table(model, **la)
        for model in (
            Assessment,
            EpisodeNeed,
            Meeting,
            Invitee,
            Plan,
            Goal,
            Action,
            Review,
            ActionProgress,
            CaseNote,
            LeadChange,
        )
    }
    events = []

    def add(model, at, actor, **values):
        pk = tables[model].row(**values)
        events.append(Written(at, actor.pk, model._meta.label_lower, pk))
        return pk

    consented, assessed = episode.consent_given_at, episode.assessment_completed_at
    agreed = episode.plan_agreed_at
    add(
        Assessment,
        assessed,
        lead,
        episode_id=episode.pk,
        family_story="We have had a hard year and want the children to stop worrying.",
        working_well="Mum is warm with the children; their grandmother helps most days.",
        worries="The children miss school most Mondays; mum is low and stays in bed.",
        wellbeing_goals="\n".join(text for text, _outcome in GOALS),
        started_at=consented + timedelta(days=1),
        started_by_id=lead.pk,
        completed_at=assessed,
        completed_by_id=lead.pk,
        completed_by_organisation_id=organisation.pk,
        updated_at=assessed,
        updated_by_id=lead.pk,
        version=6,
    )
    for need in NEEDS:
        add(EpisodeNeed, assessed, lead, episode_id=episode.pk, need=need, recorded_at=assessed)
    meeting_at = agreed - timedelta(hours=2)
    meeting = add(
        Meeting,
        meeting_at - timedelta(days=7),
        lead,
        episode_id=episode.pk,
        starts_at=meeting_at,
        location="Family room, children's centre",
        held=True,
        arranged_by_id=lead.pk,
        lead_professional_id=lead.pk,
        notes="Everyone agreed the plan; mum chose the school as lead.",
    )
    for user in (lead, eho):
        tables[Invitee].row(meeting_id=meeting, user_id=user.pk, attended=True)

    def agree(number, at, before=((), ())):
        """A plan version; an amended one copies the goals and actions `before` it."""
        plan = add(
            Plan,
            at,
            lead,
            episode_id=episode.pk,
            number=number,
            agreed_at=at,
            agreed_by_id=lead.pk,
            change_summary="" if number == 1 else "Actions moved on after the review.",
        )
        goals, actions = [], []
        for place, (text, outcome) in enumerate(GOALS):
            goal = tables[Goal].row(
                plan_id=plan,
                text=text,
                outcome=outcome,
                lead_organisation_id=organisation.pk,
                copied_from_id=before[0][place] if before[0] else None,
            )
            goals.append(goal)
            for step in range(2):
                actions.append(
                    tables[Action].row(
                        goal_id=goal,
                        what=f"Weekly check-in, part {step + 1} of the goal",
                        organisation_id=organisation.pk,
                        worker_id=lead.pk,
                        due_by=(at + timedelta(weeks=6 * (step + 1))).date(),
                        success_measure="The family says things are improving",
                        status="in_progress",
                        copied_from_id=before[1][len(actions)] if before[1] else None,
                    )
                )
        return plan, goals, actions

    version = 1
    plan, goals, actions = agree(version, agreed)
    held = agreed
    last_review = None
    reviews = 0
    while held + REVIEW_EVERY < now - timedelta(days=1):
        for _ in range(NOTES_BETWEEN_REVIEWS):
            happened = held + timedelta(days=rng.uniform(1, REVIEW_EVERY.days - 1))
            add(
                CaseNote,
                happened,
                lead,
                episode_id=episode.pk,
                kind=rng.choice(NOTE_KINDS),
                happened_on=happened.date(),
                who="Mum, the two children and the lead professional",
                what_happened="Talked through the week; mornings are easier with the new routine.",
                author_id=lead.pk,
                recorded_at=happened + timedelta(hours=3),
            )
        held += REVIEW_EVERY
        reviews += 1
        amend = reviews % AMEND_EVERY == 0
        review = add(
            Review,
            held,
            lead,
            episode_id=episode.pk,
            plan_id=plan,
            held_on=held.date(),
            family_views="Things are getting better; Mondays are still hard.",
            engagement="fully",
            decision="amend" if amend else "continue",
            recorded_by_id=lead.pk,
            recorded_at=held + timedelta(hours=2),
        )
        for action in actions:
            tables[ActionProgress].row(review_id=review, action_id=action, status="in_progress")
        last_review = held
        if amend:
            version += 1
            plan, goals, actions = agree(version, held + timedelta(hours=3), (goals, actions))
    # Half way through, the family asked for a different lead, and the EHO agreed it.
    changed = agreed + (now - agreed) / 2
    add(
        LeadChange,
        changed,
        eho,
        episode_id=episode.pk,
        previous_lead_id=earlier_lead.pk,
        new_lead_id=lead.pk,
        reason="The family asked for the worker they already know at school.",
        family_view="Mum is pleased; the children know her.",
        changed_by_id=eho.pk,
        changed_at=changed,
    )
    episode.last_reviewed_at = last_review
    return History(list(tables.values()), events)
