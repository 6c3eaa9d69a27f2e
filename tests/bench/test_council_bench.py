"""The council-scale generator (bench/council.py) at a tiny scale: the data
is what the application itself would have written. Speed is measured by the
benchmark (bench/pages.py), never here."""

import pytest
from django.db.models import Count
from django.utils import timezone

from accounts.models import District, User
from audit.models import AuditEvent
from audit.services import verify_chain
from bench import council
from core import policy
from episodes import states
from episodes.models import OPEN_STATUSES, Episode, Status

pytestmark = pytest.mark.django_db

PEOPLE = 1500


@pytest.fixture
def made():
    return council.populate(people=PEOPLE, seed=2, progress=lambda message: None)


def test_cases_and_open_cases_have_the_council_shape(made):
    by_status = dict(Episode.objects.values_list("status").annotate(n=Count("id")))
    assert made.cases == PEOPLE // 5 == sum(by_status.values())
    assert set(by_status) <= set(Status.values)
    assert sum(by_status.get(s, 0) for s in OPEN_STATUSES + (Status.STEPPED_UP,)) == made.open_cases
    assert by_status[Status.CLOSED] == made.cases - made.open_cases
    open_by_district = dict(
        Episode.objects.exclude(status=Status.CLOSED)
        .values_list("district")
        .annotate(n=Count("id"))
    )
    assert set(open_by_district) == set(District.objects.values_list("pk", flat=True))
    assert len(open_by_district) == council.DISTRICTS


def test_every_case_has_the_timestamps_its_stage_needs_in_order(made):
    order = ["requested_at", "consent_given_at", "assessment_completed_at", "plan_agreed_at"]
    # Which transition's timestamp each stage has passed (episodes/states.py).
    reached = {
        Status.REQUESTED: [],
        Status.ASSESSMENT: ["give_consent"],
        Status.MEETING: ["give_consent", "complete_assessment"],
        Status.PLAN: ["give_consent", "complete_assessment", "agree_plan"],
        Status.STEPPED_UP: ["step_up"],
        Status.CLOSED: [],
    }
    for episode in Episode.objects.all():
        for action in reached[episode.status]:
            assert getattr(episode, states.TRANSITIONS[action].timestamp), (episode.pk, action)
        stamps = [getattr(episode, name) for name in order if getattr(episode, name)]
        assert stamps == sorted(stamps), episode.pk
        if episode.closed_at:
            assert episode.closure_reason and episode.closed_at >= stamps[-1]
        if episode.plan_agreed_at:
            assert episode.lead_professional_id, episode.pk


def test_a_busy_practitioner_sees_many_cases_through_the_need_to_know_policy(made):
    busy = User.objects.get(email=made.busy_practitioner)
    visible = policy.episodes_visible_to(busy)
    assert visible.count() >= made.cases // 5
    # Still need-to-know: another school's worker sees far fewer.
    other = (
        User.objects.filter(email__startswith="worker")
        .exclude(memberships__organisation__in=busy.organisations.all())
        .order_by("pk")
        .first()
    )
    assert policy.episodes_visible_to(other).count() < visible.count() // 3
    case = Episode.objects.get(pk=made.long_history_case)
    assert visible.filter(pk=case.pk).exists()
    assert policy.can_see_access_log(busy, case)


def test_the_audit_trail_is_one_intact_chain_with_long_histories(made):
    assert verify_chain() == (made.audit_events, None)
    assert made.audit_events >= made.cases * council.AUDIT_EVENTS_PER_CASE // 2
    long = AuditEvent.objects.filter(episode_id=made.long_history_case).count()
    assert long >= council.LONG_HISTORY_EVENTS
    times = list(AuditEvent.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)


def test_the_long_history_case_holds_a_year_of_work_as_the_case_page_shows_it(made):
    """The case the page benchmark opens has the records of a year's work,
    dated within its own timeline, each with the audit event its writing
    makes, and the case page's chronology shows them."""
    from episodes.chronology import chronology
    from plans.services import current_plan

    case = Episode.objects.get(pk=made.long_history_case)
    busy = User.objects.get(email=made.busy_practitioner)
    assert case.status == Status.PLAN and case.lead_professional == busy
    reviews = list(case.reviews.order_by("held_on"))
    assert len(reviews) >= 6
    assert case.assessment.completed_at == case.assessment_completed_at
    plans = list(case.plans.order_by("number"))
    assert [p.number for p in plans] == list(range(1, len(plans) + 1)) and len(plans) >= 3
    assert current_plan(case) == plans[-1]
    assert plans[0].agreed_at == case.plan_agreed_at
    # Each review reviews the version in force when it was held.
    for review in reviews:
        assert review.plan.agreed_at <= review.recorded_at
        assert review.progress.count() == 6
    assert timezone.localdate(case.last_reviewed_at) == reviews[-1].held_on
    notes = case.case_notes.all()
    assert notes.count() == len(reviews) * 6
    assert all(case.plan_agreed_at.date() <= n.happened_on <= timezone.localdate() for n in notes)
    assert case.meetings.get().held and case.lead_changes.get().new_lead == busy
    written = AuditEvent.objects.filter(episode_id=case.pk, action="create")
    assert set(written.values_list("object_type", flat=True)) >= {
        "reviews.review",
        "plans.plan",
        "notes.casenote",
        "assessments.assessment",
        "meetings.meeting",
        "episodes.leadchange",
    }
    titles = [entry.title for entry in chronology(case, busy)]
    assert sum("review" in title.lower() for title in titles) >= len(reviews)


def test_the_chain_continues_from_events_already_written(db):
    from audit.models import Action
    from audit.services import record

    record(Action.SIGN_IN, actor_label="before the council was made")
    made = council.populate(people=300, seed=3, progress=lambda message: None)
    assert verify_chain() == (made.audit_events + 1, None)


def test_a_bulk_load_puts_every_index_back_and_writes_a_sound_council(db):
    """generate() loads with the big tables' indexes dropped and foreign keys
    unchecked (on PostgreSQL): afterwards every index is back, and the data
    is what a checked load writes."""
    from django.db import connection

    def indexes():
        with connection.cursor() as cursor:
            return {
                table: sorted(
                    name
                    for name, constraint in connection.introspection.get_constraints(
                        cursor, table
                    ).items()
                    if constraint["index"]
                )
                for table in council._bulk_tables()
            }

    before = indexes()
    made = council.populate(people=300, seed=4, progress=lambda message: None, bulk_load=True)
    assert indexes() == before
    assert verify_chain() == (made.audit_events, None)
    assert Episode.objects.count() == made.cases
    # The keys PostgreSQL did not check point at rows that exist.
    from consent.models import Consent
    from people.models import FamilyMember, Person

    assert not Consent.objects.exclude(episode__in=Episode.objects.values("pk")).exists()
    assert not FamilyMember.objects.exclude(person__in=Person.objects.values("pk")).exists()


def test_a_generated_row_without_a_required_column_is_refused(db):
    """A column added without a default (a council id on a case table, say)
    must be given where the generator makes its rows, or it stops there."""
    from consent.models import Consent

    with pytest.raises(ValueError, match="episode_id"):
        council.Table(Consent).row(person_id=1, given=True, given_on="2026-01-01")
