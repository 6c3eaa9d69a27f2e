"""The LA administrator's pages for API clients: register one (its token
shown once), rotate and revoke its token, add and remove its webhooks (the
secret shown once), see its delivery log and send a failed delivery again.
The council's administrators only; every change audited under their name."""

import re

import pytest

from api.clients import client_for_token, create_client, hash_token
from api.models import ApiClient
from audit.models import Action, AuditEvent
from tests.factories import OrganisationFactory
from webhooks.models import Delivery, Subscription

PAGES = "/accounts/settings/api-clients/"
TOKEN = re.compile(r"eh_[A-Za-z0-9_-]{40,}")
SECRET = re.compile(r"whsec_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def partner(la, police_force):
    client, token = create_client(la, police_force, "Force control room", ["cases:read"])
    return client


def test_the_administrator_registers_a_client_and_sees_its_token_once(
    client_for, la_admin, police_force
):
    browser = client_for(la_admin)
    response = browser.post(
        f"{PAGES}add/",
        {
            "name": "Force control room",
            "organisation": police_force.pk,
            "scopes": ["police_notifications:write", "webhooks:manage"],
            "days": "30",
        },
    )

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    (token,) = TOKEN.findall(response.content.decode())
    client = ApiClient.objects.get()
    assert client.token_hash == hash_token(token) and client_for_token(token) == client
    assert client.scopes == ["police_notifications:write", "webhooks:manage"]
    assert AuditEvent.objects.filter(action=Action.CREATE, actor=la_admin).exists()
    # Never shown again.
    for page in (PAGES, f"{PAGES}{client.pk}/"):
        assert token not in browser.get(page).content.decode()


def test_registering_with_mistakes_shows_them_and_registers_nothing(client_for, la_admin, other_la):
    foreign = OrganisationFactory(local_authority=other_la)
    response = client_for(la_admin).post(
        f"{PAGES}add/", {"name": "", "organisation": foreign.pk, "scopes": ["everything"]}
    )
    page = response.content.decode()
    assert "Enter the client&#x27;s name" in page or "Enter the client's name" in page
    assert "Choose an organisation from the list" in page
    assert not ApiClient.objects.exists()


def test_rotating_shows_a_new_token_once_and_the_old_one_stops(
    client_for, la_admin, la, police_force
):
    client, old = create_client(la, police_force, "Force control room", ["cases:read"])
    response = client_for(la_admin).post(f"{PAGES}{client.pk}/rotate/")

    (new,) = TOKEN.findall(response.content.decode())
    assert new != old
    assert client_for_token(old) is None and client_for_token(new) == client


def test_revoking_stops_the_token(client_for, la_admin, la, police_force):
    client, token = create_client(la, police_force, "Force control room", ["cases:read"])
    response = client_for(la_admin).post(f"{PAGES}{client.pk}/revoke/")

    assert response.status_code == 302
    assert client_for_token(token) is None
    assert "Revoked" in client_for(la_admin).get(f"{PAGES}{client.pk}/").content.decode()


def test_a_webhook_is_added_with_its_secret_shown_once_and_removed(client_for, la_admin, partner):
    browser = client_for(la_admin)
    response = browser.post(
        f"{PAGES}{partner.pk}/webhooks/add/",
        {"url": "https://partner.example/hooks", "events": ["case.closed", "plan.changed"]},
    )

    (secret,) = SECRET.findall(response.content.decode())
    subscription = Subscription.objects.get()
    assert subscription.secret == secret
    assert subscription.events == ["case.closed", "plan.changed"]
    detail = browser.get(f"{PAGES}{partner.pk}/").content.decode()
    assert "https://partner.example/hooks" in detail and secret not in detail

    browser.post(f"{PAGES}{partner.pk}/webhooks/{subscription.pk}/remove/")
    subscription.refresh_from_db()
    assert subscription.removed_at is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://partner.example/hooks", "must start https://"),
        ("https://10.1.2.3/hooks", "not a private network"),
        ("https://127.0.0.1:8000/", "not a private network"),
        ("https://localhost/hooks", "not a private network"),
        ("https://user:pass@partner.example/", "user name or password"),
        ("ftp://partner.example/", "must start https://"),
    ],
)
def test_a_webhook_address_must_be_https_on_the_internet(
    client_for, la_admin, partner, url, message
):
    response = client_for(la_admin).post(
        f"{PAGES}{partner.pk}/webhooks/add/", {"url": url, "events": ["case.closed"]}
    )
    assert message in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_delivery_log_and_sending_a_failed_delivery_again(
    client_for, la_admin, partner, episode, django_capture_on_commit_callbacks
):
    subscription = Subscription.objects.create(
        client=partner,
        url="https://partner.example/hooks",
        events=["case.closed"],
        secret="whsec_x",
    )
    failed = Delivery.objects.create(
        subscription=subscription,
        episode=episode,
        event="case.closed",
        status=Delivery.Status.FAILED,
        attempts=8,
        last_response_code=503,
        last_error="The receiver answered 503",
    )
    browser = client_for(la_admin)
    page = browser.get(f"{PAGES}{partner.pk}/").content.decode()
    assert episode.reference in page and "503" in page and "Failed" in page
    assert "whsec_x" not in page

    with django_capture_on_commit_callbacks(execute=False):
        response = browser.post(f"{PAGES}{partner.pk}/deliveries/{failed.pk}/send-again/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.QUEUED, 0)
    assert AuditEvent.objects.filter(action=Action.UPDATE, actor=la_admin).exists()


def test_the_settings_page_links_to_the_clients(client_for, la_admin):
    page = client_for(la_admin).get("/accounts/settings/").content.decode()
    assert f'href="{PAGES}"' in page


def test_another_councils_client_is_not_found_and_others_are_refused(
    client_for, la_admin, manager, other_la
):
    foreign, _ = create_client(
        other_la, OrganisationFactory(local_authority=other_la), "Elsewhere", ["cases:read"]
    )
    assert client_for(la_admin).get(f"{PAGES}{foreign.pk}/").status_code == 404
    assert client_for(la_admin).post(f"{PAGES}{foreign.pk}/revoke/").status_code == 404
    assert client_for(manager).get(PAGES).status_code == 403
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
