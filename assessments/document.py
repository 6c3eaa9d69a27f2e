"""The assessment summary a family member keeps (issue 14): what the family
and the professionals said, in the words they were typed in, with everything
around them in the family member's language (plans/document.py)."""

from plans.document import family_context, scrubber


def summary_context(assessment, recipient, maker):
    """The summary for `recipient`: the completed assessment's story, what is
    working well, the worries and the goals. Children's wishes and feelings
    are theirs and are left out, as are the professionals' notes on the
    family's circumstances."""
    episode = assessment.episode
    scrub = scrubber(episode)
    sections = [
        ("family_story", scrub(assessment.family_story)),
        ("working_well", scrub(assessment.working_well)),
        ("worries", scrub(assessment.worries)),
        ("wellbeing_goals", scrub(assessment.wellbeing_goals)),
    ]
    return {
        **family_context(episode, recipient, maker),
        "assessment": assessment,
        "sections": [(key, text) for key, text in sections if text],
    }
