"""Small helpers that move a test episode along through the real domain functions."""

from datetime import date

from consent.services import record_consent
from episodes import services
from people.models import FamilyMember, Relationship
from tests.factories import PersonFactory


def add_parent(episode, **fields):
    fields = {"first_name": "Parent", "date_of_birth": date(1988, 1, 1), **fields}
    parent = PersonFactory(local_authority=episode.local_authority, **fields)
    FamilyMember.objects.create(
        family=episode.family,
        person=parent,
        relationship=Relationship.PARENT,
        has_parental_responsibility=True,
    )
    return parent


def give_consent(actor, episode, parent):
    record_consent(
        actor,
        episode,
        person=parent,
        purpose="assessment",
        given=True,
        method="in_person",
        given_on=date(2026, 11, 2),
    )
    episode.refresh_from_db()
    return episode


def move_to_plan(actor, episode, lead):
    """Skip the consent, assessment and meeting pages: state only, for referral and
    closure tests."""
    services.transition(actor, episode, "give_consent")
    services.transition(actor, episode, "complete_assessment")
    services.transition(actor, episode, "agree_plan", set_fields={"lead_professional": lead})
    return episode


def render_case_section(app, episode, can_work=True):
    """An app's case-page partial with the context the case page gives it."""
    from django.template.loader import render_to_string

    from episodes.states import allowed_actions

    return render_to_string(
        f"{app}/_case_section.html",
        {
            "episode": episode,
            "can_work": can_work,
            "actions": [t.action for t in allowed_actions(episode)],
        },
    )
