"""bench/every_page.py names each route's arguments from one case, or leaves
the route out; speed is measured by running it, never here."""

from bench.every_page import LEFT_OUT, fill, paths
from tests.journey_factories import at_meeting, planned  # noqa: F401  (fixtures)


def test_each_argument_is_named_by_the_segment_before_it():
    ids = {"cases": 7, "meetings": 3}
    assert fill("cases/<int:episode_pk>/meetings/<int:pk>/", ids, 9) == "/cases/7/meetings/3/"
    assert fill("cases/<int:pk>/copies/<int:person_pk>/", ids, 9) == "/cases/7/copies/9/"
    assert fill("cases/<int:pk>/panels/<int:panel_pk>/", ids, 9) is None
    assert fill("accessibility/", ids, 9) == "/accessibility/"


def test_a_planned_case_names_its_pages_and_none_of_the_admin_or_api(planned):  # noqa: F811
    case = planned.episode
    child = case.children.first()
    found = paths(case, child.pk)
    assert f"/cases/{case.pk}/" in found
    assert f"/cases/{case.pk}/plan/" in found
    assert f"/people/{child.pk}/" in found
    assert not any(path.startswith(tuple(f"/{prefix}" for prefix in LEFT_OUT)) for path in found)
    assert all("<" not in path for path in found)
