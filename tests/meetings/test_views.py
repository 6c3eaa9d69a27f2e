import datetime

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import Action, AuditEvent
from core.forms import error_list
from meetings.models import Meeting
from tests.journey import render_case_section as case_section
from tests.journey_factories import InviteeFactory, MeetingFactory, share_with


@pytest.fixture
def meeting(at_meeting, involved, child):
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    InviteeFactory(meeting=meeting, person=child)
    InviteeFactory(meeting=meeting, user=involved, organisation=at_meeting.requesting_organisation)
    return meeting


def urls(meeting):
    base = f"/cases/{meeting.episode_id}/meetings/"
    return [
        base,
        f"{base}new/",
        f"{base}team/",
        f"{base}{meeting.pk}/",
        f"{base}{meeting.pk}/record/",
        f"{base}{meeting.pk}/invite.ics",
    ]


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager"])
def test_every_meeting_page_is_404_to_those_not_involved(request, client_for, meeting, persona):
    client = client_for(request.getfixturevalue(persona))
    base = f"/cases/{meeting.episode_id}/meetings/"

    statuses = [client.get(url).status_code for url in urls(meeting)]
    posts = [
        client.post(f"{base}new/", {"location": "Elsewhere"}).status_code,
        client.post(f"{base}team/", {"organisation": "1"}).status_code,
        client.post(f"{base}{meeting.pk}/record/", {"notes": "x"}).status_code,
        client.post(f"{base}{meeting.pk}/email/").status_code,
    ]

    assert (statuses, posts) == ([404] * 6, [404] * 4)
    meeting.refresh_from_db()
    assert (meeting.held, meeting.invite_emailed_at, len(mail.outbox)) == (False, None, 0)


def test_a_meeting_of_another_case_is_404(client_for, meeting, involved, la):
    from tests.factories import EpisodeFactory

    mine = EpisodeFactory(local_authority=la, requested_by=involved)
    response = client_for(involved).get(f"/cases/{mine.pk}/meetings/{meeting.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_meeting_list_queries_do_not_grow_with_the_meetings(
    client_for, involved, at_meeting, child, count, django_assert_num_queries
):
    for _n in range(count):
        meeting = MeetingFactory(episode=at_meeting, arranged_by=involved, held=True)
        InviteeFactory(meeting=meeting, person=child, attended=True)
    client = client_for(involved)
    client.get(f"/cases/{at_meeting.pk}/meetings/")
    # session, user with its LA, OTP device, roles, organisations; the case
    # (episode); may work on it (exists); the meeting name's LA; meetings;
    # the family's people and their restrictions (restricted values in the places)
    # (the case's council is read with the case: one query fewer)
    with django_assert_num_queries(10):
        response = client.get(f"/cases/{at_meeting.pk}/meetings/")
    assert response.content.decode().count("1 of 1 came") == count


def test_arranging_a_meeting(client_for, involved, at_meeting, child):
    client = client_for(involved)
    page = client.get(f"/cases/{at_meeting.pk}/meetings/new/")
    assert page.context["form"].fields["users"].choices == [
        (involved.pk, f"{involved}, Testshire Primary")
    ]

    response = client.post(
        f"/cases/{at_meeting.pk}/meetings/new/",
        {
            "date-day": "12",
            "date-month": "6",
            "date-year": str(timezone.localdate().year + 1),
            "time": "2:30pm",
            "duration_minutes": "90",
            "location": "Family hub",
            "people": [str(child.pk)],
            "users": [str(involved.pk)],
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/"
    local = timezone.localtime(meeting.starts_at)
    assert (local.hour, local.minute, meeting.duration_minutes, meeting.invitees.count()) == (
        14,
        30,
        90,
        2,
    )


def test_arranging_shows_every_problem(client_for, involved, at_meeting):
    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/meetings/new/",
        {"date-day": "12", "date-month": "", "date-year": "2030", "time": "25:00"},
    )

    assert response.status_code == 200
    assert error_list(response.context["form"]) == [
        {"text": "Date of the meeting must include a month", "href": "#id_date-day"},
        {
            "text": "Enter the start time as hours and minutes, like 09:30 or 14:00",
            "href": "#id_time",
        },
        {"text": "Choose how long the meeting will be", "href": "#id_duration_minutes"},
        {"text": "Enter where the meeting will be", "href": "#id_location"},
        {"text": "Choose who to invite", "href": "#id_users"},
    ]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("99999999999999999999", "1", "2026", "Date of the meeting must be a real date"),
        ("1", "99999999999999999999", "2026", "Date of the meeting must be a real date"),
        ("٣", "1", "2026", "Date of the meeting must be a real date, written in numbers"),
        ("²", "1", "2026", "Date of the meeting must be a real date, written in numbers"),
        ("31", "12", "9999", "range"),
    ],
)
def test_arranging_with_an_impossible_date_says_so(
    client_for, involved, at_meeting, child, day, month, year, message
):
    this_year = timezone.localdate().year
    if message == "range":
        message = (
            f"Date of the meeting must be between 1 January {this_year - 5} and "
            f"31 December {this_year + 5}"
        )
    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/meetings/new/",
        {
            "date-day": day,
            "date-month": month,
            "date-year": year,
            "time": "23:00",
            "duration_minutes": "120",
            "location": "Family hub",
            "people": [str(child.pk)],
        },
    )

    assert response.status_code == 200
    assert error_list(response.context["form"]) == [{"text": message, "href": "#id_date-day"}]
    assert Meeting.objects.count() == 0


def test_arranging_before_the_assessment_is_complete_explains_why(client_for, involved, episode):
    response = client_for(involved).get(f"/cases/{episode.pk}/meetings/new/")
    assert response.context["refusal"] == (
        "Meetings are arranged from the completed assessment until the plan ends; "
        "the case is now 'Request received: consent to be recorded'"
    )
    assert "Arrange the meeting</button>" not in response.content.decode()


def test_adding_an_organisation_to_the_team(client_for, involved, at_meeting, clinic):
    share_with(at_meeting, clinic, involved)
    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/meetings/team/", {"organisation": str(clinic.pk)}
    )
    assert response.status_code == 302
    assert list(at_meeting.organisations.all()) == [clinic]


def test_adding_an_organisation_without_consent_explains_what_to_do(
    client_for, involved, at_meeting, clinic
):
    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/meetings/team/", {"organisation": str(clinic.pk)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Record their consent first" in html
    assert list(at_meeting.organisations.all()) == []


def test_sharing_without_consent_needs_a_reason(client_for, involved, at_meeting, clinic):
    client = client_for(involved)
    url = f"/cases/{at_meeting.pk}/meetings/team/"
    data = {"organisation": str(clinic.pk), "share_without_consent": "on"}
    response = client.post(url, data)
    assert "Say why information must be shared without consent" in response.content.decode()
    assert list(at_meeting.organisations.all()) == []
    response = client.post(url, {**data, "override_reason": "Disclosure of harm at school"})
    assert response.status_code == 302
    assert list(at_meeting.organisations.all()) == [clinic]


def test_the_meeting_page(client_for, involved, meeting):
    response = client_for(involved).get(f"/cases/{meeting.episode_id}/meetings/{meeting.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Record the meeting" in html,
        "Download the calendar invitation (.ics)" in html,
        "Email the invitation to the professionals" in html,
    ) == (True, True, True)
    view = AuditEvent.objects.filter(action=Action.VIEW, object_type="meetings.meeting").get()
    assert view.object_id == str(meeting.pk)


def test_recording_the_meeting_and_agreeing_the_plan_next(client_for, involved, meeting):
    invitees = list(meeting.invitees.order_by("id"))
    client = client_for(involved)
    response = client.post(
        f"/cases/{meeting.episode_id}/meetings/{meeting.pk}/record/",
        {
            "attended": [str(invitees[0].pk)],
            "notes": "Synthetic notes",
            "lead_professional": str(involved.pk),
            "family_view_on_lead": "Pleased",
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held, meeting.lead_professional) == (True, involved)
    assert [i.attended for i in meeting.invitees.order_by("id")] == [True, False]
    page = client.get(response["Location"]).content.decode()
    assert f'href="/cases/{meeting.episode_id}/plan/agree/"' in page


def test_a_lead_professional_outside_the_team_gets_a_clear_message(
    client_for, involved, meeting, other_org
):
    response = client_for(involved).post(
        f"/cases/{meeting.episode_id}/meetings/{meeting.pk}/record/",
        {"lead_professional": str(other_org.pk), "family_view_on_lead": "Fine"},
    )

    assert error_list(response.context["form"]) == [
        {
            "text": "Choose a lead professional who works for an organisation in the "
            "Team Around the Family",
            "href": "#id_lead_professional",
        }
    ]


def test_the_calendar_invitation_downloads_and_is_audited(client_for, involved, meeting):
    response = client_for(involved).get(
        f"/cases/{meeting.episode_id}/meetings/{meeting.pk}/invite.ics"
    )

    reference = meeting.episode.reference
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/calendar; charset=utf-8",
        f'attachment; filename="{reference}-meeting-{day}.ics"',
    )
    body = response.content.decode("utf-8")
    assert body.splitlines()[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert f"SUMMARY:Team Around the Family – {reference}\r\n" in body
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert (export.object_type, export.changes) == ("meetings.meeting", {"format": "ics"})


def test_emailing_the_invitation_from_the_page(
    client_for, involved, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(involved).post(
            f"/cases/{meeting.episode_id}/meetings/{meeting.pk}/email/", follow=True
        )

    assert [str(m) for m in response.context["messages"]] == [
        "Invitation emailed to 1 professional"
    ]
    assert mail.outbox[0].to == ["involved@test.example"]


def test_emailing_with_no_professional_invited_shows_the_problem(
    client_for, involved, at_meeting, child
):
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    InviteeFactory(meeting=meeting, person=child)

    response = client_for(involved).post(f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/email/")

    assert error_list(response.context["form"]) == [
        {
            "text": "No professionals are invited, so there is no one to email",
            "href": "#main-content",
        }
    ]


def _section(episode, can_work=True):
    return case_section("meetings", episode, can_work)


def test_case_section_says_to_arrange_the_meeting_first(at_meeting):
    html = _section(at_meeting)
    assert (
        "None arranged" in html,
        f'href="/cases/{at_meeting.pk}/meetings/new/"' in html,
    ) == (True, True)


def test_case_section_shows_the_next_meeting(at_meeting, involved):
    soon = timezone.now() + datetime.timedelta(days=3)
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved, starts_at=soon)

    html = _section(at_meeting)

    assert f'href="/cases/{at_meeting.pk}/meetings/{meeting.pk}/"' in html
    assert timezone.localtime(soon).strftime("%H:%M") in html


def test_case_section_asks_to_record_a_past_meeting_then_to_agree_the_plan(meeting):
    episode = meeting.episode
    assert f'href="/cases/{episode.pk}/meetings/{meeting.pk}/record/"' in _section(episode)

    meeting.held = True
    meeting.save()
    assert f'href="/cases/{episode.pk}/plan/agree/"' in _section(episode)
    assert f'href="/cases/{episode.pk}/plan/agree/"' not in _section(episode, can_work=False)


@pytest.mark.parametrize("count", [1, 3])
def test_meeting_page_queries_do_not_grow_with_the_invitees(
    client_for, involved, at_meeting, count, django_assert_num_queries
):
    from tests.journey_factories import add_member

    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    for n in range(count):
        adult = add_member(
            at_meeting, first_name=f"Adult{n}", address_line_1=f"{n} Test Row", postcode="NM1 1AA"
        )
        InviteeFactory(meeting=meeting, person=adult)
    client = client_for(involved)
    url = f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/"
    client.get(url)
    # session, user with its LA, OTP device, roles, organisations; the case, the meeting;
    # the view event (LA, savepoint, chain head, insert, head update, release);
    # may work on it; the invitees with their people, users and organisations; the
    # family's people, their restrictions and any at their addresses (for the place and notes)
    # (the case's council is read with the case: one query fewer); the invitees'
    # restrictions and any at their addresses (who needs an interpreter)
    with django_assert_num_queries(19):
        response = client.get(url)
    assert len(response.context["family_invitees"]) == count


def test_a_meeting_stored_at_the_end_of_the_calendar_still_shows(client_for, involved, at_meeting):
    """Stored before dates were range-checked: its page and calendar file work."""
    import datetime

    from tests.journey_factories import MeetingFactory

    meeting = MeetingFactory(
        episode=at_meeting,
        arranged_by=involved,
        starts_at=datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
    )
    client = client_for(involved)
    base = f"/cases/{at_meeting.pk}/meetings/{meeting.pk}/"
    statuses = [client.get(url).status_code for url in (base, f"{base}invite.ics")]
    assert statuses == [200, 200]


def test_a_meeting_just_after_midnight_in_summer_is_named_by_its_local_day(meeting):
    """00:30 on 1 July in London is 23:30 on 30 June in UTC, as stored: the
    file and the meeting's name give the day it is held on."""
    from meetings.calendar import filename

    meeting.starts_at = datetime.datetime(2027, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert filename(meeting) == f"{meeting.episode.reference}-meeting-2027-07-01.ics"
    assert str(meeting).endswith(" on 01 Jul 2027")


def test_the_meetings_are_listed_newest_first_a_page_at_a_time(
    client_for, monkeypatch, involved, at_meeting
):
    from meetings import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    made = [
        MeetingFactory(
            episode=at_meeting, arranged_by=involved, starts_at=now - datetime.timedelta(days=n)
        )
        for n in range(3)
    ]
    client = client_for(involved)
    first = client.get(f"/cases/{at_meeting.pk}/meetings/").context["meetings"]
    rest = client.get(f"/cases/{at_meeting.pk}/meetings/", {"page": "2"}).context["meetings"]
    assert list(first.object_list) + list(rest.object_list) == made
