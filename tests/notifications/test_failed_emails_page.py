import pytest
from django.core import mail

from notifications.models import OutgoingEmail

PAGE = "/notifications/failed-emails/"


def failed(council, subject):
    return OutgoingEmail.objects.create(
        local_authority=council,
        recipients=["involved@test.example"],
        subject=subject,
        body="Sign in to Early Help.\n",
        status=OutgoingEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected",
    )


@pytest.fixture
def failures(la, other_la):
    return failed(la, "Early Help: ours"), failed(other_la, "Early Help: theirs")


def test_the_administrator_sees_their_councils_failed_emails_only(client_for, la_admin, failures):
    page = client_for(la_admin).get(PAGE).content.decode()
    assert "Early Help: ours" in page
    assert "SMTPServerDisconnected" in page
    assert "involved@test.example" in page
    assert "Early Help: theirs" not in page


def test_the_users_page_links_to_the_failed_emails(client_for, la_admin, failures):
    page = client_for(la_admin).get("/accounts/users/").content.decode()
    assert f'href="{PAGE}"' in page


def test_send_again_sends_it(client_for, la_admin, failures, django_capture_on_commit_callbacks):
    ours, _theirs = failures
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(la_admin).post(f"{PAGE}{ours.pk}/send-again/")
    assert (response.status_code, response["Location"]) == (302, PAGE)
    ours.refresh_from_db()
    assert ours.status == OutgoingEmail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Early Help: ours"]


def test_another_councils_email_is_not_found(client_for, la_admin, failures):
    _ours, theirs = failures
    response = client_for(la_admin).post(f"{PAGE}{theirs.pk}/send-again/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == OutgoingEmail.Status.FAILED


def test_staff_who_manage_no_users_are_refused(client_for, manager, failures):
    assert client_for(manager).get(PAGE).status_code == 403


def test_every_failed_email_is_within_reach_a_page_at_a_time(client_for, monkeypatch, la, la_admin):
    from notifications import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        failed(la, f"Early Help: number {n}")
    client = client_for(la_admin)

    first = client.get(PAGE).content.decode()
    assert "3 emails could not be sent." in first
    assert first.count("Early Help: number") == 2 and 'href="?page=2"' in first
    assert client.get(PAGE, {"page": "2"}).content.decode().count("Early Help: number") == 1
