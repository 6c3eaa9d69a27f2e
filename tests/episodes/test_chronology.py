"""The chronology: one event, one row, and every row says who recorded it."""

import datetime

from django.utils import timezone

from assessments.models import Assessment
from consent import services as consent_services
from episodes.chronology import chronology
from episodes.services import close_episode, transition
from notes.services import add_note
from people.models import Relationship
from plans.services import current_plan
from referrals import services as referral_services
from reviews import services as review_services
from tests.factories import OrganisationFactory
from tests.journey import add_parent
from tests.journey_factories import MeetingFactory, add_member, agree, plan_actions

TODAY = timezone.localdate()


def consent_to_everything(actor, episode, parent, organisations):
    consent_services.record_consent(
        actor,
        episode,
        person=parent,
        purpose="assessment",
        given=True,
        method="in_person",
        given_on=TODAY,
    )
    consent_services.record_consent(
        actor,
        episode,
        person=parent,
        purpose="sharing",
        given=True,
        method="in_person",
        given_on=TODAY,
        organisations=organisations,
    )


def to_plan(episode, involved, school, organisations):
    """Request, consent, assessment, meeting and plan, through the domain functions."""
    parent = add_parent(episode, first_name="Robin")
    add_member(
        episode, Relationship.CHILD, first_name="Sam", date_of_birth=datetime.date(2015, 4, 1)
    )
    consent_to_everything(involved, episode, parent, organisations)
    Assessment.objects.create(
        episode=episode, started_by=involved, updated_by=involved, completed_at=timezone.now()
    )
    transition(involved, episode, "complete_assessment")
    MeetingFactory(episode=episode, arranged_by=involved, held=True)
    plan = agree(episode, involved, involved, school)
    episode.refresh_from_db()
    return parent, plan


def review(actor, episode, **decision):
    plan = current_plan(episode)
    return review_services.record_review(
        actor,
        episode,
        held_on=TODAY,
        progress={action: {"status": "in_progress"} for action in plan_actions(plan)},
        scores={"score_practitioner": 6},
        family_views="Mornings are calmer.",
        engagement="fully",
        **({"decision": "continue"} | decision),
    )


def test_every_stage_of_a_case_names_who_recorded_it(
    la, episode, involved, eho, manager, school, clinic
):
    library = OrganisationFactory(local_authority=la, name="Testshire Library")
    youth = OrganisationFactory(local_authority=la, name="Testshire Youth Club")
    to_plan(episode, involved, school, [school, clinic, library])
    review(involved, episode)
    override = consent_services.record_sharing_override(
        involved, episode, youth, reason="Synthetic: a child at risk of significant harm"
    )
    consent_services.review_sharing_override(eho, override, justified=True)
    add_note(
        involved, episode, kind="home_visit", happened_on=TODAY, who="Robin", what_happened="Calm"
    )
    referral = referral_services.step_up(involved, episode, concern="Synthetic concern")
    referral_services.record_decision(eho, referral, accepted=False, advice="Keep going")
    episode.refresh_from_db()
    close_episode(manager, episode, reason="needs_met", need_outcomes={})

    entries = chronology(episode)
    by = {entry.title: entry.by for entry in entries}

    assert [entry.title for entry in entries if not entry.by] == []
    assert (
        by["Assessment completed"],
        by["Team Around the Family held"],
        by["Sharing with Testshire Youth Club without consent reviewed: justified"],
        by["Referral not accepted, with advice"],
        by["Closed: Needs met"],
    ) == (str(involved), str(involved), str(eho), str(eho), str(manager))


def test_a_consent_to_several_organisations_is_one_row(episode, involved, school, clinic, la):
    library = OrganisationFactory(local_authority=la, name="Testshire Library")
    parent, _plan = to_plan(episode, involved, school, [school, clinic, library])

    consents = [entry for entry in chronology(episode) if entry.title.startswith("Consent:")]

    assert [(entry.title, entry.by) for entry in consents] == [
        (f"Consent: {parent.full_name} agreed to the assessment", str(involved)),
        (
            f"Consent: {parent.full_name} agreed to sharing with Testshire Clinic,"
            " Testshire Library and Testshire Primary",
            str(involved),
        ),
    ]


def test_consents_recorded_apart_or_by_two_people_stay_apart(episode, involved, school, clinic):
    parent = add_member(episode, Relationship.PARENT, first_name="Robin")
    other = add_member(episode, Relationship.PARENT, first_name="Alex")
    for person, organisation in ((parent, school), (other, school), (parent, clinic)):
        consent_services.record_consent(
            involved,
            episode,
            person=person,
            purpose="sharing",
            given=person == parent,
            method="phone",
            given_on=TODAY,
            organisations=[organisation],
        )

    titles = [entry.title for entry in chronology(episode) if entry.title.startswith("Consent:")]

    assert sorted(titles) == sorted(
        [
            f"Consent: {parent.full_name} agreed to sharing with Testshire Clinic"
            " and Testshire Primary",
            f"Consent: {other.full_name} refused sharing with Testshire Primary",
        ]
    )


def test_withdrawing_consent_from_several_organisations_at_once_is_one_row(
    episode, involved, school, clinic
):
    parent = add_member(episode, Relationship.PARENT, first_name="Robin")
    rows = consent_services.record_consent(
        involved,
        episode,
        person=parent,
        purpose="sharing",
        given=True,
        method="phone",
        given_on=TODAY,
        organisations=[school, clinic],
    )
    for row in rows:
        consent_services.withdraw_consent(involved, row, note="Changed their mind")

    withdrawn = [e for e in chronology(episode) if e.title.startswith("Consent withdrawn")]

    assert [(e.title, e.by) for e in withdrawn] == [
        (
            f"Consent withdrawn: {parent.full_name}, sharing with Testshire Clinic"
            " and Testshire Primary",
            str(involved),
        )
    ]


def test_a_review_is_one_row_with_the_plan_version_it_made(episode, involved, school):
    to_plan(episode, involved, school, [school])
    review(involved, episode)

    entries = chronology(episode)
    plan_rows = [e.title for e in entries if e.title.startswith(("Plan version", "Plan reviewed"))]

    assert plan_rows == ["Plan version 1 agreed", "Plan reviewed: Continue the plan"]
    assert entries[-1].detail == "Fully engaging. Progress recorded in plan version 2"


def test_acceptance_that_closes_the_case_is_one_row_naming_the_eho(episode, involved, eho, school):
    to_plan(episode, involved, school, [school])
    referral = referral_services.step_up(involved, episode, concern="Synthetic concern")
    referral_services.record_decision(eho, referral, accepted=True)
    episode.refresh_from_db()

    last = chronology(episode)[-1]

    assert (last.title, last.by) == ("Referral accepted: case closed", str(eho))
    assert not [e for e in chronology(episode) if e.title.startswith("Closed")]


def test_what_no_person_did_says_so(episode):
    episode.closed_at = timezone.now()
    episode.closure_reason = "needs_met"

    assert chronology(episode)[-1].by == "Early Help (automatic)"


def test_a_review_that_refers_to_the_panel_is_one_row_with_the_concern(episode, involved, school):
    to_plan(episode, involved, school, [school])
    review(involved, episode, decision="panel", panel_concern="No parenting course nearby")

    last = chronology(episode)[-1]

    assert (last.title, last.detail, last.by) == (
        "Plan reviewed: Refer to the Early Help and Family Support Panel",
        "Fully engaging. Progress recorded in plan version 2."
        " Referred to the panel: No parenting course nearby",
        str(involved),
    )
    assert not [e for e in chronology(episode) if e.title.startswith("Referred to")]


def test_who_recorded_a_change_is_read_by_the_index_of_changes_not_every_look(
    episode, manager, involved
):
    """A case is looked at thousands of times, each look an event of the case:
    the chronology's authors are read from the index of changes alone
    (audit_case_changes), so its cost does not grow with the looks."""
    from django.db import connection

    from audit.models import Action
    from audit.services import record
    from episodes.chronology import recorded_changes

    for _look in range(300):
        record(Action.VIEW, actor=involved, obj=episode)
    transition(manager, episode, "close", closure_reason="needs_met")
    sql, params = recorded_changes(episode).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    # On PostgreSQL each month's partition names its copy of the index by its columns.
    assert "audit_case_changes" in plan or "episode_id_sequence_idx" in plan, plan
    # The closure, and none of the 300 looks.
    assert [event.changes["action"] for event in recorded_changes(episode)] == ["close"]
