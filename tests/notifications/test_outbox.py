from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEvent
from notifications import outbox
from notifications.models import OutgoingEmail

REFUSING = "tests.notifications.refusing_backend.RefusingBackend"


@pytest.fixture
def retries(settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_SECONDS = 60


def invite(client, school):
    return client.post(
        "/accounts/users/invite/",
        {
            "email": "new.person@test.example",
            "full_name": "New Person",
            "job_title": "Family support worker",
            "organisations": [school.pk],
            "roles": [Role.PRACTITIONER],
        },
    )


def queue(council, subject="Early Help: test"):
    return outbox.send_later(
        EmailMessage(subject, "Sign in to Early Help.\n", None, ["involved@test.example"]),
        council=council,
    )


def test_a_saved_change_is_not_an_error_when_the_mail_server_is_down(
    client_for, la_admin, school, settings, retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(la_admin), school)

    assert (response.status_code, response["Location"]) == (302, "/accounts/users/")
    assert User.objects.filter(email="new.person@test.example").exists()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.recipients, email.local_authority) == (
        OutgoingEmail.Status.QUEUED,
        1,
        ["new.person@test.example"],
        la_admin.local_authority,
    )
    assert email.next_attempt_at >= before + timedelta(seconds=60)
    assert email.last_error == "SMTPServerDisconnected"
    assert mail.outbox == []


def test_retries_wait_longer_each_time_then_the_email_has_failed(
    la, settings, retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(la)
    email.refresh_from_db()
    first_retry = email.next_attempt_at

    # Not due yet: the sweep leaves it alone.
    assert outbox.retry_due(first_retry - timedelta(seconds=1)) == {}
    assert outbox.retry_due(first_retry) == {"queued": 1}
    email.refresh_from_db()
    assert (email.attempts, email.next_attempt_at - first_retry) == (2, timedelta(seconds=120))

    assert outbox.retry_due(email.next_attempt_at) == {"failed": 1}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == ("failed", 3, None)
    # A failed email is no longer tried.
    assert outbox.retry_due(timezone.now() + timedelta(days=1)) == {}


def test_an_email_is_sent_once_however_often_it_is_delivered(
    la, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(la)
    assert outbox.deliver(email.pk) == "sent"
    assert outbox.retry_due(timezone.now() + timedelta(days=1)) == {}
    assert [m.subject for m in mail.outbox] == ["Early Help: test"]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, "")
    # Sent: the message is not kept, and the record of it goes after 90 days.
    assert (email.body, email.subject) == ("", "Early Help: test")
    outbox.retry_due(email.sent_at + timedelta(days=89))
    assert OutgoingEmail.objects.filter(pk=email.pk).exists()
    outbox.retry_due(email.sent_at + timedelta(days=91))
    assert not OutgoingEmail.objects.filter(pk=email.pk).exists()


def test_a_mail_server_back_up_sends_the_queued_email_at_its_retry(
    la, settings, retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(la)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email.refresh_from_db()
    assert outbox.retry_due(email.next_attempt_at) == {"sent": 1}
    assert [m.to for m in mail.outbox] == [["involved@test.example"]]


def test_nothing_is_queued_if_the_change_rolls_back(la, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue(la)
        raise RuntimeError
    assert (OutgoingEmail.objects.count(), mail.outbox) == (0, [])


def test_the_error_kept_names_the_failure_never_the_message(
    la, settings, retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.refusing_backend.UnavailableBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(la)
    email.refresh_from_db()
    assert email.last_error == "SMTPDataError (mail server code 451)"


def test_the_administrator_sends_a_failed_email_again(
    la_admin, other_la, settings, retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        failed = queue(la_admin.local_authority)
        elsewhere = queue(other_la)
    assert list(outbox.failed_for(la_admin)) == [failed]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_again(la_admin, failed.pk)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert AuditEvent.objects.filter(object_type="notifications.outgoingemail").count() == 1
    with pytest.raises(PermissionDenied):
        outbox.send_again(la_admin, elsewhere.pk)


def test_with_a_queue_that_defers_the_retry_is_a_task_for_its_time(
    transactional_db, la, settings, retries
):
    """The worker closes its database connection, so this test commits for real."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = REFUSING
    email = queue(la)
    call_command("db_worker", batch=True, verbosity=0)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert (retry.args_kwargs["args"], retry.run_after) == ([email.pk], email.next_attempt_at)
