"""Fixtures for the assessment: the shared case at the assessment stage, a
started assessment, and a helper that fills in every part completing needs."""

import pytest

from assessments import services
from episodes.services import transition


@pytest.fixture
def assessing(episode, involved):
    """The shared case, with consent recorded: at the assessment stage."""
    transition(involved, episode, "give_consent")
    return episode


@pytest.fixture
def assessment(assessing, involved):
    return services.start_assessment(involved, assessing)


def fill_in(actor, assessment):
    """Everything completing needs, saved through the services as a page would."""
    for section, data in (
        ("family-story", {"family_story": "We moved to a new flat in the spring."}),
        ("working-well", {"working_well": "Grandma collects the children on Fridays."}),
        ("worries", {"worries": "Mornings are a struggle and school is often missed."}),
        ("wellbeing-goals", {"wellbeing_goals": "Gets to school on time\nSleeps in own bed"}),
        ("family-context", {"family_circumstances": "Mum works nights.", "wider_community": ""}),
    ):
        services.save_section(actor, assessment, section, data, assessment.version)
    for child in assessment.episode.children.all():
        services.save_child_voice(
            actor, assessment, child, "I like drawing and my cat.", assessment.version
        )
    services.save_scores(actor, assessment, {"score_practitioner": 4}, assessment.version)
    services.save_needs(
        actor,
        assessment.episode,
        ["attendance"],
        assessment=assessment,
        expected_version=assessment.version,
    )
    return assessment


@pytest.fixture
def filled(assessment, involved):
    return fill_in(involved, assessment)
