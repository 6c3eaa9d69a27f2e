"""The worklist: who sees which alerts, in what order, filtered; acknowledging
hides an alert until its date; chasing tells the lead professional."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from notifications.models import Notification
from oversight.models import Alert
from tests.factories import DistrictFactory, EpisodeFactory, UserFactory


@pytest.fixture
def alert_on(la):
    def make(episode, rule="review_overdue", days=3, **fields):
        return Alert.objects.create(
            local_authority=la,
            rule=rule,
            episode=episode,
            district=episode.district,
            due_since=timezone.localdate() - datetime.timedelta(days=days),
            first_seen=timezone.localdate(),
            **fields,
        )

    return make


@pytest.fixture
def led(episode, other_org):
    episode.lead_professional = other_org
    episode.save()
    return episode


def shown(client, **query):
    return list(client.get("/worklist/", query).context["page"].object_list)


def test_urgent_first_then_oldest(client_for, eho, led, alert_on):
    old = alert_on(led, "review_overdue", days=30)
    urgent = alert_on(led, "step_up_no_decision", days=1)
    newer = alert_on(led, "action_overdue", days=2, subject="action:1")

    assert shown(client_for(eho)) == [urgent, old, newer]


def test_who_sees_what(client_for, la, eho, manager, involved, other_org, led, alert_on):
    far = DistrictFactory(local_authority=la, name="Far")
    elsewhere = alert_on(EpisodeFactory(local_authority=la, district=far))
    mine = alert_on(led)

    assert shown(client_for(eho)) == [mine]
    assert set(shown(client_for(manager))) == {mine, elsewhere}
    assert shown(client_for(other_org)) == [mine]  # the lead professional
    assert shown(client_for(involved)) == []


def test_filters_and_counts(client_for, manager, led, alert_on, la):
    review = alert_on(led, "review_overdue")
    action = alert_on(led, "action_overdue", subject="action:9")
    client = client_for(manager)

    response = client.get("/worklist/", {"rule": "action_overdue"})
    assert list(response.context["page"].object_list) == [action]
    counts = dict((rule.key, n) for rule, n in response.context["rules"])
    assert (counts["review_overdue"], counts["action_overdue"]) == (1, 1)
    assert set(shown(client, worker=str(led.lead_professional_id))) == {review, action}
    assert shown(client, district="99999") == []
    assert shown(client, district="٣") != []  # not a number: ignored, not an error


def test_acknowledging_hides_until_the_date_and_is_audited(client_for, eho, led, alert_on):
    alert = alert_on(led)
    client = client_for(eho)
    until = timezone.localdate() + datetime.timedelta(days=7)

    response = client.post(
        f"/worklist/{alert.pk}/acknowledge/",
        {
            "note": "Review booked for next week",
            "until-day": until.day,
            "until-month": until.month,
            "until-year": until.year,
        },
    )

    assert response.status_code == 302
    assert shown(client) == []
    assert shown(client, show="acknowledged") == [alert]
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_until) == (eho, until)
    assert AuditEvent.objects.filter(action=Action.UPDATE, changes__alert="review_overdue").exists()
    Alert.objects.filter(pk=alert.pk).update(acknowledged_until=timezone.localdate())
    assert shown(client) == [alert]  # its date has come and it is still true


@pytest.mark.parametrize(
    "days, note, message",
    [(0, "x", "must be after today"), (91, "x", "within 90 days"), (3, "", "Say why it can wait")],
)
def test_an_acknowledgement_that_cannot_be_saved_says_why(
    client_for, eho, led, alert_on, days, note, message
):
    alert = alert_on(led)
    until = timezone.localdate() + datetime.timedelta(days=days)

    response = client_for(eho).post(
        f"/worklist/{alert.pk}/acknowledge/",
        {
            "note": note,
            "until-day": until.day,
            "until-month": until.month,
            "until-year": until.year,
        },
    )

    assert message in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_until is None


def test_chasing_tells_the_lead_professional(client_for, eho, led, other_org, alert_on):
    alert = alert_on(led)

    response = client_for(eho).post(f"/worklist/{alert.pk}/chase/")

    assert response.status_code == 302
    note = Notification.objects.get(user=other_org)
    assert note.message == "Please look at this case: Review overdue"
    alert.refresh_from_db()
    assert alert.last_chased_at is not None


def test_a_case_with_no_lead_cannot_be_chased_and_says_what_to_do(
    client_for, eho, episode, alert_on
):
    alert = alert_on(episode, "no_lead_professional")

    response = client_for(eho).post(f"/worklist/{alert.pk}/chase/")

    assert "no lead professional to chase" in response.content.decode()


def test_the_lead_professional_cannot_chase_themselves(client_for, other_org, led, alert_on):
    alert = alert_on(led)

    assert client_for(other_org).post(f"/worklist/{alert.pk}/chase/").status_code == 403


def test_another_eho_is_refused_an_alert_of_another_district(client_for, la, led, alert_on):
    far_eho = UserFactory(
        local_authority=la, email="far@test.example", roles=[Role.EARLY_HELP_OFFICER]
    )
    DistrictFactory(local_authority=la, name="Far", early_help_officer=far_eho)
    alert = alert_on(led)

    assert client_for(far_eho).get(f"/worklist/{alert.pk}/acknowledge/").status_code == 404


def test_the_worklist_asks_the_same_queries_for_one_alert_or_many(
    client_for, la, eho, led, alert_on, school
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(eho)
    alert_on(led)
    client.get("/worklist/")  # warm: the session, the first render
    with CaptureQueriesContext(connection) as one:
        client.get("/worklist/")
    for number in range(3):
        other = EpisodeFactory(
            local_authority=la, district=led.district, requesting_organisation=school
        )
        other.lead_professional = led.lead_professional
        other.save()
        alert_on(other, "action_overdue", subject=f"action:{number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/worklist/")

    assert len(response.context["page"].object_list) == 4
    assert len(many) == len(one)
    # Counted once, by rule: the page's length comes from those counts.
    assert response.context["page"].paginator.count == 4
    counts = [q["sql"] for q in many if "COUNT(" in q["sql"] and "oversight_alert" in q["sql"]]
    assert len(counts) == 1 and "GROUP BY" in counts[0]


def test_the_case_list_narrows_to_a_district_overdue_or_no_lead(
    client_for, la, manager, episode, led, alert_on
):
    far = DistrictFactory(local_authority=la, name="Far")
    other = EpisodeFactory(local_authority=la, district=far)
    alert_on(other)
    client = client_for(manager)

    def listed(**query):
        response = client.get("/cases/", query)
        return {row["episode"].pk for row in response.context["rows"]}

    assert listed(district=str(far.pk)) == {other.pk}
    assert listed(overdue="1") == {other.pk}
    assert listed(no_lead="1") == {other.pk}  # `led` has its lead professional
    assert led.pk in listed()
    assert listed(district="٣") == listed()  # not a number: ignored
    page = client.get("/cases/", {"overdue": "1"})
    assert page.context["query"] == "status=open&overdue=1"


def test_an_ehos_alerts_are_their_districts_those_of_no_district_and_the_cases_they_lead(
    la, eho, led, alert_on
):
    """policy.alerts_visible_to as the ids each part allows: every way in,
    and resolved alerts and another district's left out."""
    from core import policy

    far = DistrictFactory(local_authority=la, name="Far")
    mine = alert_on(led)
    no_district = Alert.objects.create(
        local_authority=la,
        rule="police_unacknowledged",
        subject="police:1",
        due_since=timezone.localdate(),
        first_seen=timezone.localdate(),
    )
    led_elsewhere = alert_on(
        EpisodeFactory(local_authority=la, district=far, lead_professional=eho)
    )
    alert_on(EpisodeFactory(local_authority=la, district=far))  # another district's
    alert_on(led, "action_overdue", subject="action:2", resolved_on=timezone.localdate())

    assert set(policy.alerts_visible_to(eho)) == {mine, no_district, led_elsewhere}


@pytest.mark.django_db
def test_the_cases_with_open_alerts_are_indexed_with_their_district():
    # The worklist's lead professionals (whose cases have an open alert the
    # user may see) read from the index alone: in the migrations and the database.
    from django.db import connection

    from tests.episodes.test_list_indexes import migrated_indexes

    assert ("local_authority", "episode") in migrated_indexes("oversight", "alert")
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, "oversight_alert")
    assert "open_alerts_by_case" in names


def test_the_next_page_keeps_the_filters(client_for, monkeypatch, manager, led, alert_on):
    """An Early Help Officer filtering to one kind of alert who moves to its
    next page sees the next page of that kind, not of every alert."""
    from oversight import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    reviews = [alert_on(led, "review_overdue", days=30 - n, subject=f"r:{n}") for n in range(3)]
    for n in range(3):
        alert_on(led, "action_overdue", days=40, subject=f"action:{n}")
    client = client_for(manager)

    first = client.get("/worklist/", {"rule": "review_overdue"}).content.decode()
    assert 'href="?rule=review_overdue&amp;page=2"' in first
    assert shown(client, rule="review_overdue", page="2") == [reviews[2]]
