"""The states bench/ab.py switches between for this round's changes show the
same pages: each variant's `off()` (the code before, rebuilt in the variant)
and `on()` (the code now). A variant whose two states differed would time two
different pages."""

import re

import pytest

from audit import access_log
from bench import (
    variant_access_log_columns,
    variant_case_list_rows,
    variant_filter_options,
    variant_govuk_components,
    variant_home_my_cases,
    variant_work_owed_cases,
)
from episodes.models import Status
from tests.factories import EpisodeFactory
from tests.journey_factories import at_meeting, planned  # noqa: F401  (fixtures)


def _page(client, path):
    html = client.get(path).content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'data-expires-in="[^"]*"', "", html)


def _both(variant, client, path):
    variant.off()
    try:
        before = _page(client, path)
    finally:
        variant.on()
    return before, _page(client, path)


@pytest.mark.parametrize(
    ("variant", "path", "persona"),
    [
        (variant_case_list_rows, "/cases/?status=open", "manager"),
        (variant_home_my_cases, "/", "involved"),
        (variant_work_owed_cases, "/", "involved"),
        (variant_work_owed_cases, "/", "manager"),
        (variant_filter_options, "/cases/?status=open", "manager"),
        (variant_govuk_components, "/", "involved"),
    ],
)
def test_both_states_of_a_variant_show_the_same_page(
    request, client_for, la, involved, variant, path, persona
):
    cases = EpisodeFactory.create_batch(3, local_authority=la, requested_by=involved)
    # Children's social care's decisions, owed by the manager.
    cases += EpisodeFactory.create_batch(2, local_authority=la, status=Status.STEPPED_UP)
    client = client_for(request.getfixturevalue(persona))
    before, now = _both(variant, client, path)
    assert now == before
    assert any(case.reference in now for case in cases)  # cases are on the page


def test_both_states_show_the_same_case_page_sections(
    client_for,
    involved,
    planned,  # noqa: F811  (the fixture imported above)
):
    # The case page writes an audit event on each view (shown only on the log).
    path = f"/cases/{planned.episode_id}/"
    before, now = _both(variant_govuk_components, client_for(involved), path)
    assert now == before
    assert 'class="govuk-summary-list"' in now


def test_both_states_give_the_same_rows_of_who_viewed(
    client_for,
    involved,
    planned,  # noqa: F811  (the fixture imported above)
):
    client = client_for(involved)
    for _ in range(3):
        client.get(f"/cases/{planned.episode_id}/")
    variant_access_log_columns.off()
    try:
        before = access_log.rows(access_log.for_episode(planned.episode))
    finally:
        variant_access_log_columns.on()
    now = access_log.rows(access_log.for_episode(planned.episode))
    assert now == before
    assert len(now) >= 3
