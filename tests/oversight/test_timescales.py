"""Each council sets its own timescales; the case's next step and the drift
rules follow them."""

import datetime

from django.utils import timezone

from audit.models import Action, AuditEvent
from episodes.models import Episode, Status
from episodes.progress import next_step
from oversight.models import Timescales

FIELDS = {
    "consent_days": "5",
    "assessment_start_days": "10",
    "assessment_complete_days": "45",
    "meeting_days": "20",
    "no_activity_days": "28",
    "open_months": "12",
    "override_review_working_days": "2",
    "csc_decision_working_days": "1",
}


def test_every_council_has_its_timescales_with_the_defaults(la, other_la):
    assert Timescales.objects.filter(local_authority__in=[la, other_la]).count() == 2
    assert Timescales.objects.get(local_authority=la).consent_days == 10


def test_a_manager_sets_the_timescales_and_the_next_step_follows(client_for, manager, la, episode):
    Episode.objects.filter(pk=episode.pk).update(status=Status.REQUESTED)
    response = client_for(manager).post("/worklist/timescales/", FIELDS)

    assert response.status_code == 302
    episode = Episode.objects.select_related("local_authority__timescales").get(pk=episode.pk)
    expected = timezone.localdate(episode.requested_at) + datetime.timedelta(days=5)
    assert next_step(episode).due == expected
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="oversight.timescales")
    assert event.changes == {"fields": ["consent_days"]}


def test_a_timescale_out_of_range_says_what_to_enter_and_saves_nothing(client_for, la_admin, la):
    response = client_for(la_admin).post(
        "/worklist/timescales/",
        {**FIELDS, "consent_days": "0", "open_months": "61"},
    )

    html = response.content.decode()
    assert "Enter a whole number from 1 to 365" in html
    assert "Enter a whole number from 1 to 60" in html
    assert Timescales.objects.get(local_authority=la).consent_days == 10


def test_a_practitioner_cannot_change_them(client_for, involved):
    assert client_for(involved).post("/worklist/timescales/", FIELDS).status_code == 403
