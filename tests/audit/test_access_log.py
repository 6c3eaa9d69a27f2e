"""'Who has looked at this record': the access log of a case and of a person."""

import pytest

from audit.models import Action, AuditEvent
from tests.journey import add_parent


@pytest.fixture
def parent(episode):
    return add_parent(episode)


def test_the_eho_sees_who_opened_the_case_and_its_records(client_for, episode, involved, eho):
    client_for(involved).get(f"/cases/{episode.pk}/")
    response = client_for(eho).get(f"/cases/{episode.pk}/access-log/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "involved@test.example" in html
    assert "Viewed" in html


def test_refused_attempts_show_in_the_log(client_for, episode, other_org, manager):
    assert client_for(other_org).get(f"/cases/{episode.pk}/").status_code == 404
    html = client_for(manager).get(f"/cases/{episode.pk}/access-log/").content.decode()
    assert "other-org@test.example" in html and "Permission denied" in html


def test_events_on_a_cases_records_carry_the_case(episode, involved, parent):
    from consent.services import record_consent

    record_consent(
        involved,
        episode,
        person=parent,
        purpose="assessment",
        given=True,
        method="in_person",
        given_on=episode.requested_at.date(),
    )
    consent_event = AuditEvent.objects.get(action=Action.CREATE, object_type="consent.consent")
    assert consent_event.episode_id == episode.pk


@pytest.mark.parametrize(
    ("persona", "status"),
    [("involved", 403), ("other_eho", 404), ("other_la_manager", 404), ("manager", 200)],
)
def test_who_may_read_the_case_access_log(request, client_for, episode, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/cases/{episode.pk}/access-log/").status_code == status


def test_the_lead_professional_may_read_it(client_for, episode, involved):
    episode.lead_professional = involved
    episode.save()
    assert client_for(involved).get(f"/cases/{episode.pk}/access-log/").status_code == 200


def test_a_persons_access_log(client_for, episode, parent, involved, eho):
    client_for(involved).get(f"/people/{parent.pk}/")
    html = client_for(eho).get(f"/people/{parent.pk}/access-log/").content.decode()
    assert "involved@test.example" in html
    assert client_for(involved).get(f"/people/{parent.pk}/access-log/").status_code == 403


def test_a_long_log_is_read_a_page_at_a_time(client_for, episode, involved, eho):
    from audit.access_log import PAGE_SIZE
    from audit.services import record

    for _ in range(PAGE_SIZE + 5):
        record(Action.VIEW, actor=involved, obj=episode)
    client = client_for(eho)
    first = client.get(f"/cases/{episode.pk}/access-log/").content.decode()
    # Newest first: the EHO's own reading of the log, then the views.
    assert first.count("involved@test.example") == PAGE_SIZE - 1
    assert 'class="govuk-pagination"' in first and "?page=2" in first
    second = client.get(f"/cases/{episode.pk}/access-log/?page=2").content.decode()
    # The second reading pushed one more view down: 105 views and 2 readings.
    assert second.count("involved@test.example") == 7
    assert "?page=1" in second and "?page=3" not in second


def test_a_page_number_that_is_not_a_page_shows_the_nearest(client_for, episode, eho):
    client = client_for(eho)
    for page in ("999", "abc", "-1"):
        assert client.get(f"/cases/{episode.pk}/access-log/?page={page}").status_code == 200


def test_each_kind_of_event_reads_as_it_did(client_for, episode, involved, manager, la):
    from audit.services import record

    record(Action.PERMISSION_DENIED, actor=involved, obj=episode)
    record(Action.VIEW, actor=involved, obj=episode, changes={"restricted": ["address"]})
    record(Action.UPDATE, actor=involved, obj=episode, changes={"fields": ["worries", "<b>"]})
    record(Action.VIEW, obj=episode, local_authority=la, actor_label="nightly <task>")
    record(Action.VIEW, obj=episode, local_authority=la)
    html = client_for(manager).get(f"/cases/{episode.pk}/access-log/").content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Permission denied</strong>' in html
    assert '<br><strong class="govuk-tag govuk-tag--orange">Restricted information</strong>' in html
    assert '<span class="govuk-hint govuk-!-margin-bottom-0">worries, &lt;b&gt;</span>' in html
    assert "nightly &lt;task&gt;" in html and "The system" in html
    assert "(access log)" in html  # the manager's own reading, newest first
    assert "involved@test.example</span>" in html


@pytest.mark.parametrize("events", [1, 30])
def test_the_log_reads_the_same_queries_however_long(
    client_for, episode, involved, eho, events, django_assert_num_queries
):
    from audit.services import record

    for _ in range(events):
        record(Action.VIEW, actor=involved, obj=episode)
    client = client_for(eho)
    client.get(f"/cases/{episode.pk}/access-log/")
    # The user, the case, the reading's audit event, the family's people, the
    # count and the page of events with their actors.
    with django_assert_num_queries(14):
        response = client.get(f"/cases/{episode.pk}/access-log/")
    assert response.content.decode().count("involved@test.example") == events


def test_a_page_of_rows_reads_as_each_event_alone(episode, involved, manager, la, parent):
    """A page writes each day, person, action and record once and reuses it:
    every row must read as that event's row on a page of its own."""
    import time_machine
    from django.utils import timezone

    from audit.access_log import for_episode, rows
    from audit.services import record

    kinds = [
        dict(action=Action.VIEW, actor=involved, obj=episode),
        dict(action=Action.VIEW, actor=manager, obj=episode, changes={"page": "access log"}),
        dict(action=Action.VIEW, actor=involved, obj=episode, changes={"restricted": ["address"]}),
        dict(action=Action.UPDATE, actor=involved, obj=episode, changes={"fields": ["worries"]}),
        dict(action=Action.UPDATE, actor=involved, obj=episode, changes={"fields": ["<b>", "x"]}),
        dict(action=Action.PERMISSION_DENIED, actor=manager, obj=parent),
        dict(action=Action.VIEW, obj=episode, local_authority=la, actor_label="nightly <task>"),
        dict(action=Action.VIEW, obj=episode, local_authority=la),
    ]
    start = timezone.now()
    for n, kind in enumerate(kinds * 3):  # each kind again, on other days and minutes
        with time_machine.travel(start + timezone.timedelta(days=n % 4, minutes=7 * n)):
            record(**kind)
    events = list(for_episode(episode))
    assert len(events) >= 24
    assert rows(events) == [rows([event])[0] for event in events]
