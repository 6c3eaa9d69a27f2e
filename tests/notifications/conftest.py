from tests.journey_factories import at_meeting, colleague, planned  # noqa: F401
