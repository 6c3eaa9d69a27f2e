import pytest
from django.core import mail
from django.core.mail import EmailMessage

from meetings import services as meeting_services
from notifications import outbox
from notifications.models import OutgoingEmail
from tests.journey_factories import InviteeFactory, MeetingFactory
from tests.notifications.fake_notify import API_KEY, TEMPLATE_ID, FakeNotify


@pytest.fixture
def notify(settings, monkeypatch):
    # The fake is on this machine: no proxy between the client and it.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    settings.EMAIL_MAX_ATTEMPTS = 3
    with FakeNotify() as fake:
        settings.NOTIFY_BASE_URL = fake.base_url
        yield fake


@pytest.fixture
def notify_council(la):
    la.notify_api_key = API_KEY
    la.notify_template_id = TEMPLATE_ID
    la.save()
    return la


@pytest.fixture
def meeting(at_meeting, involved, colleague):
    meeting = MeetingFactory(episode=at_meeting, arranged_by=involved)
    for user in (involved, colleague):
        InviteeFactory(meeting=meeting, user=user, organisation=at_meeting.requesting_organisation)
    return meeting


def test_a_council_with_a_key_sends_each_recipient_through_notify(
    notify, notify_council, meeting, involved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.email_invite(involved, meeting)

    assert mail.outbox == []  # not through the mail server
    assert notify.refused_tokens == 0
    assert [path for path, _body in notify.posted] == ["/v2/notifications/email"] * 2
    posted = [body for _path, body in notify.posted]
    assert [body["email_address"] for body in posted] == [
        "involved@test.example",
        "colleague@test.example",
    ]
    assert {body["template_id"] for body in posted} == {TEMPLATE_ID}
    subject = posted[0]["personalisation"]["subject"]
    body = posted[0]["personalisation"]["body"]
    assert subject.startswith(f"Early Help {meeting.episode.reference}: ")
    # Notify cannot attach the calendar file: the email says where it is.
    assert "Download the calendar invitation from the meeting's page" in body
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_a_notify_error_is_a_failed_attempt_and_a_retry_sends_only_to_the_rest(
    notify, notify_council, django_capture_on_commit_callbacks
):
    notify.fail_for = {"second@test.example"}
    message = EmailMessage(
        "Early Help: a change", "Sign in.\n", None, ["first@test.example", "second@test.example"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox.send_later(message, council=notify_council)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (
        OutgoingEmail.Status.QUEUED,
        1,
        "HTTPError (GOV.UK Notify status 400)",
    )
    assert email.delivered_to == ["first@test.example"]

    notify.fail_for = set()
    assert outbox.retry_due(email.next_attempt_at) == {"sent": 1}
    assert [body["email_address"] for _path, body in notify.posted] == [
        "first@test.example",
        "second@test.example",
    ]


def test_a_wrong_key_is_refused_by_notify_and_the_email_fails_in_the_end(
    notify, notify_council, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 1
    notify_council.notify_api_key = API_KEY[:-4] + "0000"
    notify_council.save()
    message = EmailMessage("Early Help: a change", "Sign in.\n", None, ["first@test.example"])
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox.send_later(message, council=notify_council)
    email.refresh_from_db()
    assert (notify.refused_tokens, email.status, email.last_error) == (
        1,
        OutgoingEmail.Status.FAILED,
        "HTTPError (GOV.UK Notify status 403)",
    )


def test_a_council_without_a_key_still_uses_the_mail_server(
    notify, la, django_capture_on_commit_callbacks
):
    message = EmailMessage("Early Help: a change", "Sign in.\n", None, ["first@test.example"])
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_later(message, council=la)
    assert ([m.to for m in mail.outbox], notify.posted) == ([["first@test.example"]], [])
