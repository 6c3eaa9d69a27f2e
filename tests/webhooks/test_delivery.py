"""Webhooks delivered to a real HTTP receiver: signed, retried after a
failure, sent once however often the task runs, never to an organisation that
may no longer see the case, and never anything the family said."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from api.clients import create_client, revoke
from consent.models import Consent
from episodes.services import transition
from tests.factories import OrganisationFactory
from webhooks import delivery, events, tasks
from webhooks.models import CaseEvent, Delivery


def step_up(case, manager, capture):
    with capture(execute=True):
        transition(manager, case, "step_up")


def only_delivery():
    (made,) = Delivery.objects.all()
    return made


def verify(secret, headers, body):
    """What a receiver does: the HMAC-SHA256 of "timestamp.body" under its secret."""
    expected = hmac.new(
        secret.encode(), headers["Webhook-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["Webhook-Signature"], f"v1={expected}")


def test_a_delivery_is_signed_retried_after_a_500_and_delivered_once(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    _subscription, secret = subscribe(school_system)
    receiver.answers = [500, 200]

    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    made = only_delivery()
    assert (made.status, made.attempts, made.last_response_code) == ("queued", 1, 500)
    assert made.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert len(receiver.received) == 1

    later = timezone.now() + timedelta(minutes=2)
    assert delivery.retry_due(later) == {"delivered": 1}
    made.refresh_from_db()
    assert (made.status, made.attempts, made.last_response_code) == ("delivered", 2, 200)

    # The task running again (a worker retried, the sweep ran) posts nothing more.
    tasks.deliver_webhook.enqueue(made.pk)
    assert delivery.deliver(made.pk, now=later) == "delivered"
    assert delivery.retry_due(later + timedelta(days=1)) == {}
    assert len(receiver.received) == 2

    (first_headers, first_body), (headers, body) = receiver.received
    assert first_headers["Webhook-Id"] == headers["Webhook-Id"] == str(made.event_id)
    assert first_body == body
    assert verify(secret, headers, body)
    assert not verify("whsec_someone-else", headers, body)
    tampered = body.replace(b"case.stepped_up", b"case.closed")
    assert not verify(secret, headers, tampered)


def test_what_is_posted_is_references_and_the_event_name_only(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    (payload,) = receiver.bodies()
    assert set(payload) == {"id", "event", "occurred_at", "case", "links"}
    assert payload["event"] == "case.stepped_up"
    assert payload["case"] == {"id": shared_case.pk, "reference": shared_case.reference}
    assert payload["links"]["cases"].endswith("/api/v1/cases/")
    (headers, body) = receiver.received[0]
    assert headers["Content-Type"] == "application/json"
    text = body.decode()
    for person in shared_case.family.memberships.values_list(
        "person__first_name", "person__last_name"
    ):
        for name in person:
            assert name not in text


def test_an_event_not_subscribed_to_is_not_sent(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system, events=["case.closed"])
    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    assert not Delivery.objects.exists() and not CaseEvent.objects.exists()
    assert receiver.received == []


def test_only_clients_whose_organisation_may_see_the_case_hear_of_it(
    la,
    other_la,
    shared_case,
    manager,
    school_system,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    stranger, _ = create_client(
        la,
        OrganisationFactory(local_authority=la),
        "Not involved",
        ["cases:read", "webhooks:manage"],
    )
    foreign, _ = create_client(
        other_la,
        OrganisationFactory(local_authority=other_la),
        "Elsewhere",
        ["cases:read", "webhooks:manage"],
    )
    unread, _ = create_client(
        la, shared_case.requesting_organisation, "No cases", ["webhooks:manage"]
    )
    for client in (school_system, stranger, foreign, unread):
        subscribe(client)

    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    assert [made.subscription.client for made in Delivery.objects.all()] == [school_system]
    assert len(receiver.received) == 1
    assert not CaseEvent.objects.exists()  # fanned out, then forgotten


def test_consent_withdrawn_before_the_delivery_stops_it(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    receiver.answers = [503]
    step_up(shared_case, manager, django_capture_on_commit_callbacks)
    Consent.objects.filter(episode=shared_case).update(withdrawn_at=timezone.now())

    delivery.retry_due(timezone.now() + timedelta(hours=1))

    assert only_delivery().status == Delivery.Status.CANCELLED
    assert len(receiver.received) == 1  # the first attempt only


def test_a_revoked_client_is_not_posted_to(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    receiver.answers = [500]
    step_up(shared_case, manager, django_capture_on_commit_callbacks)
    revoke(school_system)

    delivery.retry_due(timezone.now() + timedelta(hours=1))

    assert only_delivery().status == Delivery.Status.CANCELLED


def test_nothing_is_sent_when_the_change_is_undone(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition(manager, shared_case, "step_up")
        raise RuntimeError("undone")

    assert callbacks == []
    assert not CaseEvent.objects.exists() and not Delivery.objects.exists()
    assert receiver.received == []


def test_after_the_last_attempt_it_has_failed_and_the_administrator_sends_it_again(
    settings,
    shared_case,
    manager,
    la_admin,
    other_la_manager,
    school_system,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    subscribe(school_system)
    receiver.answers = [500, 502]
    step_up(shared_case, manager, django_capture_on_commit_callbacks)
    delivery.retry_due(timezone.now() + timedelta(minutes=5))

    made = only_delivery()
    assert (made.status, made.attempts, made.last_response_code) == ("failed", 2, 502)
    assert made.last_error == "The receiver answered 502"

    with pytest.raises(PermissionDenied):
        delivery.send_again(manager, made.pk)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.send_again(la_admin, made.pk)

    made.refresh_from_db()
    assert (made.status, made.attempts) == ("delivered", 1)
    assert len(receiver.received) == 3
    assert len({headers["Webhook-Id"] for headers, _ in receiver.received}) == 1


def test_a_redirect_is_not_followed(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    receiver.answers = [302]
    receiver.redirect_to = receiver.url + "/elsewhere"
    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    made = only_delivery()
    assert (made.status, made.last_response_code) == ("queued", 302)
    assert len(receiver.received) == 1


def test_a_receiver_that_does_not_answer_in_time_is_tried_again(
    settings,
    shared_case,
    manager,
    school_system,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    subscribe(school_system)
    receiver.delay = 1.5
    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    made = only_delivery()
    assert made.status == "queued" and made.last_response_code is None
    assert made.last_error == "No answer within 1 seconds"


def test_a_private_address_is_refused_at_delivery_without_the_allow_list(
    settings,
    shared_case,
    manager,
    school_system,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    subscribe(school_system)
    settings.WEBHOOK_ALLOWED_HOSTS = []  # as in production
    step_up(shared_case, manager, django_capture_on_commit_callbacks)

    made = only_delivery()
    assert made.status == "queued" and made.last_error == "The address is no longer allowed"
    assert receiver.received == []


def test_deliveries_are_forgotten_after_their_retention(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    step_up(shared_case, manager, django_capture_on_commit_callbacks)
    failed = Delivery.objects.create(
        subscription=only_delivery().subscription,
        episode=shared_case,
        event="case.closed",
        status=Delivery.Status.FAILED,
    )

    assert delivery.prune(timezone.now() + timedelta(days=29)) == 0
    assert delivery.prune(timezone.now() + timedelta(days=31)) == 1
    assert list(Delivery.objects.all()) == [failed]  # kept for the administrator


def test_the_body_is_the_same_json_on_every_attempt(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    step_up(shared_case, manager, django_capture_on_commit_callbacks)
    made = only_delivery()

    assert delivery.body_of(made) == delivery.body_of(made)
    assert json.loads(delivery.body_of(made))["id"] == str(made.event_id)


def test_an_event_whose_task_was_lost_is_sent_by_the_sweep(
    shared_case, manager, school_system, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(school_system)
    with django_capture_on_commit_callbacks(execute=False):
        transition(manager, shared_case, "step_up")  # the task is never queued
    assert CaseEvent.objects.count() == 1 and not Delivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_webhooks.enqueue()  # too soon: it may still be on its way
    assert CaseEvent.objects.count() == 1
    later = timezone.now() + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert events.fan_out_lost(later) == 1

    assert only_delivery().status == Delivery.Status.DELIVERED
    assert not CaseEvent.objects.exists()
    assert len(receiver.received) == 1


@pytest.mark.postgresql
def test_two_workers_at_once_post_a_delivery_once(
    transactional_db, la, episode, school, manager, receiver
):
    """Two workers take the same delivery at the same moment: the row lock
    makes the second wait, then find it delivered."""
    from tests.journey_factories import share_with
    from webhooks import subscriptions

    share_with(episode, school, manager)
    client, _ = create_client(la, school, "School system", ["cases:read", "webhooks:manage"])
    subscription, _ = subscriptions.subscribe(client, receiver.url, ["case.closed"])
    made = Delivery.objects.create(
        subscription=subscription,
        episode=episode,
        event="case.closed",
        next_attempt_at=timezone.now(),
    )
    receiver.delay = 0.5
    outcomes = []

    def work():
        try:
            outcomes.append(delivery.deliver(made.pk))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert outcomes == ["delivered", "delivered"]
    assert len(receiver.received) == 1
