"""One "Reports" link in the navigation leads to every report the user may
open, and to none they may not: each report's own policy decides."""

import pytest

from core import policy
from reporting.index import REPORTS, reports_for


def test_a_manager_finds_every_report_on_one_page(client_for, manager):
    response = client_for(manager).get("/reports/")
    assert response.status_code == 200
    page = response.content.decode()
    for href in ("/reports/partnership/", "/performance/", "/outcomes/claim/", "/returns/annex-a/"):
        assert f'href="{href}"' in page
    texts = [item["text"] for item in response.context["service_navigation"]]
    assert texts.count("Reports") == 1
    assert not {"Performance", "Supporting Families", "Statutory returns"} & set(texts)


@pytest.mark.parametrize("persona", ["involved", "eho", "la_admin"])
def test_those_who_may_open_no_report_get_no_link_and_a_refusal(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    texts = [item["text"] for item in client.get("/").context["service_navigation"]]
    assert "Reports" not in texts
    assert client.get("/reports/").status_code == 403


@pytest.mark.parametrize("persona", ["manager", "involved", "eho", "la_admin"])
def test_the_list_is_what_each_reports_policy_allows(request, persona):
    user = request.getfixturevalue(persona)
    expected = [link.url_name for may_open, link in REPORTS if may_open(user)]
    assert [link.url_name for link in reports_for(user)] == expected
    assert bool(expected) == (persona == "manager")
    assert policy.can_see_council_reports(user) == (persona == "manager")
