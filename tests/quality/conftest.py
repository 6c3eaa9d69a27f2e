import pytest

from quality import services
from quality.models import Grade
from tests.journey_factories import at_meeting, colleague, parent, planned  # noqa: F401


def make_audit(user, episode, *, grade=Grade.GOOD, subject="case", weak=(), **kwargs):
    """An audit grading every criterion good, except those whose words are in
    `weak` (graded requires improvement)."""
    judgements = {
        criterion.pk: services.CriterionJudgement(
            Grade.REQUIRES_IMPROVEMENT if criterion.text in weak else Grade.GOOD
        )
        for criterion in services.active_criteria(episode.local_authority)
    }
    return services.record_audit(
        user,
        episode,
        subject=subject,
        grade=grade,
        feedback=kwargs.pop("feedback", "Synthetic: the child's views are clear."),
        judgements=judgements,
        **kwargs,
    )


def audit_form(episode, grade="good", **overrides):
    """A complete audit form for the case's council's criteria."""
    data = {"subject": "case", "grade": grade, "feedback": "Synthetic feedback", "re_audit_of": ""}
    for criterion in services.active_criteria(episode.local_authority):
        data[f"grade_{criterion.pk}"] = "good"
        data[f"comment_{criterion.pk}"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def planned_case(planned):  # noqa: F811 - the fixture imported above
    """The case with version 1 of its plan agreed (led by `involved`)."""
    episode = planned.episode
    episode.refresh_from_db()
    return episode
