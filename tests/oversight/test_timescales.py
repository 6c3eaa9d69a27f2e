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


def test_every_page_with_cases_follows_the_timescales_as_saved_from_the_next_request(
    client_for, manager, la, episode
):
    # The council and its timescales are read with the signed-in user, once a
    # request (accounts.backends), and given to the cases on the page: a
    # change shows on the very next page, and the case shares the user's copy.
    Episode.objects.filter(pk=episode.pk).update(status=Status.REQUESTED)
    client = client_for(manager)
    client.get(f"/cases/{episode.pk}/")
    client.post("/worklist/timescales/", FIELDS)

    due = timezone.localdate(episode.requested_at) + datetime.timedelta(days=5)
    page = client.get(f"/cases/{episode.pk}/")
    shown = page.context["episode"]
    assert page.context["next"].due == due
    assert shown.local_authority is page.wsgi_request.user.local_authority
    assert shown.local_authority.timescales.consent_days == 5
    listed = client.get("/cases/?status=requested").context["page"].object_list
    assert [next_step(case).due for case in listed if case.pk == episode.pk] == [due]


def test_a_user_loaded_without_the_backend_has_the_council_read_once(
    la, manager, episode, django_assert_num_queries
):
    from accounts.models import User
    from episodes.progress import council_of, with_council

    Timescales.objects.filter(local_authority=la).update(consent_days=7)
    user = User.objects.get(pk=manager.pk)
    with django_assert_num_queries(1):
        council = council_of(user)
        assert council.timescales.consent_days == 7
    case = Episode.objects.get(pk=episode.pk)
    with django_assert_num_queries(0):
        with_council([case], user)
        assert case.local_authority is council
        assert council_of(user) is council
