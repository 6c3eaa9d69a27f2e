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
