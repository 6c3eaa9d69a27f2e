"""Police notifications: the deadline, matching and routing, who sees them,
acknowledgement, and the council's non-school days."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from notifications.models import Notification
from police import services
from police.models import NonSchoolDay, PoliceNotification
from police.school_days import next_school_day_start
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory

LONDON = ZoneInfo("Europe/London")


def at(*parts):
    return datetime.datetime(*parts, tzinfo=LONDON)


# The deadline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "recorded, due",
    [
        (at(2026, 3, 6, 19, 0), at(2026, 3, 9, 8, 30)),  # Friday evening: Monday
        (at(2026, 3, 10, 7, 0), at(2026, 3, 10, 8, 30)),  # before school: the same day
        (at(2026, 3, 10, 8, 30), at(2026, 3, 11, 8, 30)),  # at the start: the next day
        (at(2026, 3, 7, 12, 0), at(2026, 3, 9, 8, 30)),  # Saturday: Monday
    ],
)
def test_acknowledgement_is_due_before_the_next_school_day_starts(la, recorded, due):
    assert next_school_day_start(la.pk, recorded) == due


def test_non_school_days_are_skipped(la):
    NonSchoolDay.objects.create(local_authority=la, day=datetime.date(2026, 3, 9))
    NonSchoolDay.objects.create(local_authority=la, day=datetime.date(2026, 3, 10))

    assert next_school_day_start(la.pk, at(2026, 3, 6, 19, 0)) == at(2026, 3, 11, 8, 30)


def test_another_councils_closures_do_not_count(la, other_la):
    NonSchoolDay.objects.create(local_authority=other_la, day=datetime.date(2026, 3, 9))

    assert next_school_day_start(la.pk, at(2026, 3, 6, 19, 0)) == at(2026, 3, 9, 8, 30)


# Recording and routing ----------------------------------------------------------------


@pytest.fixture
def key_adult(la, school, district):
    school.district = district
    adult = UserFactory(
        local_authority=la, email="dsl@test.example", organisation=school, roles=[Role.PRACTITIONER]
    )
    school.key_adult = adult
    school.save()
    return adult


def _record(actor, la, school, child, reference="POL-1", **kwargs):
    return services.record_notification(
        actor,
        la,
        police_reference=reference,
        incident_at=timezone.now() - datetime.timedelta(hours=3),
        kind="domestic_abuse",
        circumstances="Police attended a domestic incident at home.",
        school=school,
        children=[child],
        **kwargs,
    )


def _named(person, present=True):
    return services.ChildNamed(
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        present=present,
    )


def test_a_child_with_an_open_case_is_matched_and_its_lead_and_eho_are_told(
    la,
    eho,
    manager,
    episode,
    child,
    school,
    key_adult,
    other_org,
    django_capture_on_commit_callbacks,
):
    episode.lead_professional = other_org
    episode.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notification = _record(manager, la, school, _named(child))

    assert notification.episode == episode
    assert notification.children.get().person == child
    told = set(Notification.objects.filter(episode=episode).values_list("user__email", flat=True))
    assert told == {other_org.email, eho.email}
    assert all("domestic" not in n.message.lower() for n in Notification.objects.all())
    assert any(key_adult.email in message.to for message in mail.outbox)
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(notification.pk))
    assert event.changes == {"children": 1, "matched": 1, "open_case": episode.pk}


def test_a_child_not_known_goes_to_the_district_eho_queue(
    la, eho, manager, school, key_adult, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    stranger = services.ChildNamed("Unknown", "Nobodyson", datetime.date(2016, 1, 1), present=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = _record(manager, la, school, stranger)

    assert (notification.episode, notification.district.early_help_officer) == (None, eho)
    assert notification.children.get().person is None
    assert any(eho.email in message.to for message in mail.outbox)


def test_a_reference_is_recorded_once(la, manager, school, key_adult):
    stranger = services.ChildNamed("A", "B", None)
    _record(manager, la, school, stranger)

    with pytest.raises(Exception, match="already recorded"):
        _record(manager, la, school, stranger, reference="pol-1")
    assert PoliceNotification.objects.count() == 1


def test_a_practitioner_cannot_record_one(la, involved, school):
    with pytest.raises(Exception) as refused:
        _record(involved, la, school, services.ChildNamed("A", "B", None))
    assert refused.type.__name__ == "PermissionDenied"


# Who sees them -----------------------------------------------------------------------


def test_the_key_adult_sees_their_schools_only_the_manager_all(
    client_for, la, manager, school, key_adult, eho
):
    other_school = OrganisationFactory(local_authority=la, name="Other Primary")
    other_adult = UserFactory(
        local_authority=la,
        email="dsl2@test.example",
        organisation=other_school,
        roles=[Role.PRACTITIONER],
    )
    other_school.key_adult = other_adult
    other_school.save()
    ours = _record(manager, la, school, services.ChildNamed("A", "B", None))
    theirs = _record(
        manager, la, other_school, services.ChildNamed("C", "D", None), reference="POL-2"
    )

    def shown(user):
        return {n.pk for n in client_for(user).get("/police/").context["awaiting"].object_list}

    assert shown(key_adult) == {ours.pk}
    assert shown(other_adult) == {theirs.pk}
    assert shown(manager) == {ours.pk, theirs.pk}
    assert client_for(key_adult).get(f"/police/{theirs.pk}/").status_code == 404


def test_an_eho_of_another_district_does_not_see_it(client_for, la, manager, school, key_adult):
    far_eho = UserFactory(
        local_authority=la, email="far@test.example", roles=[Role.EARLY_HELP_OFFICER]
    )
    DistrictFactory(local_authority=la, name="Far", early_help_officer=far_eho)
    notification = _record(manager, la, school, services.ChildNamed("A", "B", None))

    assert client_for(far_eho).get(f"/police/{notification.pk}/").status_code == 404


# Recording through the page ---------------------------------------------------------------


def _page_data(school, **overrides):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "police_reference": "POL-9",
        "incident_on-day": yesterday.day,
        "incident_on-month": yesterday.month,
        "incident_on-year": yesterday.year,
        "incident_time": "21:30",
        "kind": "domestic_abuse",
        "circumstances": "Police attended.",
        "school": school.pk,
        "child_1_first_name": "Ash",
        "child_1_last_name": "Example",
        "child_1_present": "yes",
    }
    data.update(overrides)
    return data


def test_the_page_records_a_notification_with_its_children(client_for, eho, school, key_adult):
    response = client_for(eho).post(
        "/police/new/",
        _page_data(
            school, child_2_first_name="Bo", child_2_last_name="Example", child_2_present="no"
        ),
    )

    notification = PoliceNotification.objects.get()
    assert response["Location"] == f"/police/{notification.pk}/"
    assert [(c.first_name, c.present) for c in notification.children.all()] == [
        ("Ash", True),
        ("Bo", False),
    ]
    assert timezone.localtime(notification.incident_at).time() == datetime.time(21, 30)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"incident_time": "9.75"}, "24-hour clock"),
        ({"incident_time": "٢١:٣٠"}, "24-hour clock"),
        (
            {"child_1_first_name": "", "child_1_last_name": "", "child_1_present": ""},
            "Name at least one child",
        ),
        ({"child_2_first_name": "Bo"}, "Enter child 2"),
        ({"child_1_present": ""}, "Say whether child 1 was present"),
        ({"police_reference": ""}, "Enter the police reference"),
    ],
)
def test_a_notification_that_cannot_be_recorded_says_what_to_fix(
    client_for, eho, school, key_adult, overrides, message
):
    response = client_for(eho).post("/police/new/", _page_data(school, **overrides))

    assert response.status_code == 200 and message in response.content.decode()
    assert not PoliceNotification.objects.exists()


def test_an_incident_later_today_than_now_is_refused(client_for, eho, school, key_adult):
    later = timezone.localtime() + datetime.timedelta(hours=2)
    today = later.date()  # tomorrow after 22:00, in the future all the same
    response = client_for(eho).post(
        "/police/new/",
        _page_data(
            school,
            **{
                "incident_on-day": today.day,
                "incident_on-month": today.month,
                "incident_on-year": today.year,
                "incident_time": later.strftime("%H:%M"),
            },
        ),
    )

    assert "cannot be in the future" in response.content.decode()


# Acknowledgement -------------------------------------------------------------------------


def test_the_key_adult_acknowledges_once(client_for, la, manager, school, key_adult):
    notification = _record(manager, la, school, services.ChildNamed("A", "B", None))
    client = client_for(key_adult)

    client.post(f"/police/{notification.pk}/acknowledge/", {"note": ""})
    notification.refresh_from_db()
    assert (notification.acknowledged_by, notification.overdue) == (key_adult, False)

    again = client.post(f"/police/{notification.pk}/acknowledge/", {"note": ""})
    assert "already acknowledged" in again.content.decode()


def test_the_key_adult_finds_it_waiting_on_their_home_page_until_acknowledged(
    client_for, la, manager, school, key_adult
):
    notification = _record(manager, la, school, services.ChildNamed("A", "B", None))
    client = client_for(key_adult)

    owed = client.get("/").context["work_owed"]
    assert [(item.what, item.link) for item in owed] == [
        ("Acknowledge a police notification", f"/police/{notification.pk}/")
    ]
    assert "POL-1" in owed[0].detail
    assert "domestic incident" not in client.get("/").content.decode()  # circumstances stay on
    # the notification's own page

    client.post(f"/police/{notification.pk}/acknowledge/", {"note": ""})
    assert client.get("/").context["work_owed"] == []


def test_an_unacknowledged_notification_past_its_deadline_is_overdue(
    la, manager, school, key_adult
):
    notification = _record(manager, la, school, services.ChildNamed("A", "B", None))
    PoliceNotification.objects.filter(pk=notification.pk).update(
        acknowledge_by=timezone.now() - datetime.timedelta(minutes=1)
    )
    notification.refresh_from_db()

    assert notification.overdue


# Non-school days ---------------------------------------------------------------------------


def test_a_manager_adds_a_holiday_and_weekends_are_left_out(client_for, manager, la):
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    response = client_for(manager).post(
        "/police/non-school-days/",
        {
            "first_day-day": monday.day,
            "first_day-month": monday.month,
            "first_day-year": monday.year,
            "last_day-day": (monday + datetime.timedelta(days=13)).day,
            "last_day-month": (monday + datetime.timedelta(days=13)).month,
            "last_day-year": (monday + datetime.timedelta(days=13)).year,
            "name": "Half term",
        },
    )

    assert response.status_code == 302
    days = list(NonSchoolDay.objects.filter(local_authority=la).values_list("day", flat=True))
    assert len(days) == 10 and all(day.weekday() < 5 for day in days)


def test_a_last_day_before_the_first_is_refused(manager):
    with pytest.raises(Exception, match="on or after the first day"):
        services.add_non_school_days(manager, datetime.date(2026, 3, 10), datetime.date(2026, 3, 9))


def test_a_practitioner_cannot_change_the_calendar(client_for, involved):
    assert client_for(involved).get("/police/non-school-days/").status_code == 403


def test_a_schools_key_adult_must_be_one_of_its_users(
    client_for, la_admin, la, school, district, eho
):
    school.district = district
    school.save()
    response = client_for(la_admin).post(
        f"/accounts/settings/schools/{school.pk}/",
        {"name": school.name, "school_urn": "", "district": district.pk, "key_adult": eho.pk},
    )

    assert "Choose one of the school" in response.content.decode()


def test_a_notification_routed_to_a_case_is_in_its_chronology_without_the_circumstances(
    la, manager, episode, child, school, key_adult
):
    from episodes.chronology import chronology

    _record(manager, la, school, _named(child))

    rows = [(entry.title, entry.detail) for entry in chronology(episode)]
    assert ("Police notification: Domestic abuse", "Police reference POL-1") in rows
    assert all("domestic incident" not in detail for _title, detail in rows)


def test_every_notification_waiting_is_within_reach_a_page_at_a_time(
    client_for, monkeypatch, la, manager, school, key_adult
):
    """However many are waiting, none is out of reach: each list has its
    own pages, and moving through one keeps the other's page."""
    from police import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    waiting = [
        _record(manager, la, school, services.ChildNamed("A", "B", None), reference=f"W-{n}")
        for n in range(3)
    ]
    for n in range(3):
        done = _record(manager, la, school, services.ChildNamed("C", "D", None), reference=f"K-{n}")
        services.acknowledge(key_adult, done)
    client = client_for(manager)

    first = client.get("/police/?page=2")
    assert [n.pk for n in first.context["awaiting"].object_list] == [w.pk for w in waiting[:2]]
    html = first.content.decode()
    assert "Waiting for acknowledgement (3)" in html
    assert 'href="?page=2&amp;waiting=2"' in html
    assert 'aria-label="Pages of notifications waiting"' in html
    second = client.get("/police/?page=2&waiting=2")
    assert [n.pk for n in second.context["awaiting"].object_list] == [waiting[2].pk]
    assert second.context["page"].number == 2
