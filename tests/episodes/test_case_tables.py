"""The case list's rows, written in Python (episodes/case_tables.py): the
same cells the template wrote, each value escaped."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import EpisodeFactory


def _row_of(html, reference):
    start = html.index(f">{reference}</a>")
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_a_case_row_shows_its_stage_next_step_lead_and_district(client_for, manager, la):
    case = EpisodeFactory(
        local_authority=la,
        family__name="Testfamily <b>Bold</b>",
        requested_at=timezone.now() - timedelta(days=90),
    )
    html = client_for(manager).get("/cases/").content.decode()
    row = _row_of(html, case.reference)

    assert f'href="/cases/{case.pk}/"' in row
    assert "Testfamily &lt;b&gt;Bold&lt;/b&gt;" in row
    assert "<b>Bold</b>" not in row
    assert case.get_status_display() in row
    assert 'class="govuk-body-s">by ' in row
    assert "govuk-tag--red" in row  # asked for 90 days ago: the next step is overdue
    assert "Not yet agreed" in row
    assert case.district.name in row


def test_a_pages_links_are_what_reverse_gives_for_every_kind_of_address():
    """Each URL name is reversed once a page, its id replaced per row: the
    address must be reverse()'s own, whatever the id, name or fragment."""
    from django.urls import reverse

    from episodes.case_tables import _ANY_ID, _Page

    page = _Page()
    wheres = [
        ("episodes:detail", {"pk": 7}, "#next-step"),
        ("episodes:detail", {"pk": 70}, ""),
        ("reviews:record", {"episode_pk": 1}, ""),
        ("consent:list", {"episode_pk": _ANY_ID + 1}, ""),
        ("accounts:role_requests", {}, ""),
    ]
    for where in [*wheres, *wheres]:  # the second time from the page's addresses
        name, kwargs, fragment = where
        assert page.link(where) == reverse(name, kwargs=kwargs) + fragment
    assert page.case_url(12) == reverse("episodes:detail", kwargs={"pk": 12})
