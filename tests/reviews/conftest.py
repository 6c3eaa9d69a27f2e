from tests.journey_factories import at_meeting, colleague, parent, planned  # noqa: F401
