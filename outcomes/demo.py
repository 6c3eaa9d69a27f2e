"""Demo only: two closed cases of each council made into Supporting Families
examples, closed seven months ago with every need met and evidenced. The
scheduled question is asked for both; the first one's lead professional has
answered (so a manager sees a claimable family), the second's has not (so
the lead professional sees a check owed on their home page)."""

from datetime import timedelta

from django.utils import timezone

from episodes.models import ClosureReason, Episode, EpisodeNeed, NeedOutcome, OutcomeEvidence
from episodes.needs import NEED_OUTCOME
from plans.models import Action, ActionStatus, Goal

from . import services
from .evidence import Evidence

# Needs in three headline outcomes (education, health, housing), with what shows each.
EXTRA_NEEDS = ("attendance", "adult_mental_health", "housing")
EVIDENCE = {
    "education": (OutcomeEvidence.ATTENDANCE, "Attendance up from 81% to 96% over the term."),
    "early_years": (OutcomeEvidence.EARLY_YEARS_CHECK, "The 2-year check shows expected progress."),
    "health": (OutcomeEvidence.HEALTH_REPORT, "The health visitor reports mum is coping well."),
    "substance_use": (OutcomeEvidence.TREATMENT, "Dad completed the treatment programme."),
    "family_relationships": (OutcomeEvidence.FAMILY_VIEW, "The family scores home life at 8."),
    "safe_from_abuse": (OutcomeEvidence.SOCIAL_CARE, "No further concerns raised."),
    "crime": (OutcomeEvidence.POLICE_DATA, "No police call-outs since the plan began."),
    "domestic_abuse": (OutcomeEvidence.DOMESTIC_ABUSE_SERVICE, "Mum completed the programme."),
    "housing": (OutcomeEvidence.TENANCY, "The tenancy was kept and rent arrears cleared."),
    "financial": (OutcomeEvidence.MONEY, "Debts consolidated; benefits in payment."),
}
CLOSED_DAYS_AGO = 200


def _evidenced(episode, closed_on):
    for need in EXTRA_NEEDS:
        EpisodeNeed.objects.get_or_create(episode=episode, need=need)
    EpisodeNeed.objects.filter(episode=episode).update(recorded_at=episode.requested_at)
    for need in episode.needs.all():
        kind, text = EVIDENCE[NEED_OUTCOME[need.need]]
        need.outcome = NeedOutcome.ACHIEVED
        need.evidence_type, need.evidence, need.outcome_on = kind, text, closed_on
        need.save()
    plan = episode.plans.order_by("-number").first()
    addressed = {goal.outcome for goal in plan.goals.all() if goal.actions.exists()}
    for outcome in {NEED_OUTCOME[need.need] for need in episode.needs.all()} - addressed:
        goal = Goal.objects.create(
            plan=plan,
            text="Things are settled in this part of family life",
            outcome=outcome,
            lead_organisation=episode.requesting_organisation,
        )
        Action.objects.create(
            goal=goal,
            what="Weekly check-in with the family",
            organisation=episode.requesting_organisation,
            worker=episode.lead_professional,
            due_by=closed_on,
            success_measure="The family says things are improving",
            status=ActionStatus.DONE,
        )


def add_examples(la):
    from core.demo import _shift_back

    today = timezone.localdate()
    closed = list(
        Episode.objects.filter(
            local_authority=la,
            closed_at__isnull=False,
            closure_reason=ClosureReason.NEEDS_MET,
            lead_professional__isnull=False,
        ).order_by("pk")[:2]
    )
    for episode in closed:
        days = (timezone.localdate(episode.closed_at) - (today - timedelta(CLOSED_DAYS_AGO))).days
        _shift_back(episode, days)
        episode.refresh_from_db()
        _evidenced(episode, timezone.localdate(episode.closed_at))
    services.ask_due(la, today)
    if closed:
        first = closed[0]
        checks = list(first.needs.values_list("sustainment_check", "need"))
        services.record_sustainment(
            first.lead_professional,
            first,
            {
                check: services.Answer(
                    True,
                    Evidence(
                        EVIDENCE[NEED_OUTCOME[need]][0],
                        "Still the case six months on.",
                        today - timedelta(days=7),
                    ),
                )
                for check, need in checks
            },
        )
    return closed
