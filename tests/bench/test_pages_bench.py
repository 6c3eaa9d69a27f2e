"""The page benchmark's own parts (bench/pages.py, bench/floor.py) against the
test server: its floor page needs a signed-in user, and its client signs in
through the real sign-in pages (password, then the authenticator's code).
No timing here: speed is measured by the benchmark itself."""

from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleGrant, User
from bench import pages
from bench.pages import FLOOR, Refused, Session

PASSWORD = "a synthetic password for the test"  # noqa: S105


@pytest.fixture
def server(live_server, settings):
    settings.ROOT_URLCONF = "bench.floor"
    address = urlsplit(live_server.url)
    return address.hostname, address.port


@pytest.fixture
def officer(la):
    user = User.objects.create_user(
        "officer@bench.example", PASSWORD, full_name="Bench Officer", local_authority=la
    )
    RoleGrant.objects.create(user=user, role=Role.EARLY_HELP_OFFICER)
    TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
    return user


@pytest.mark.django_db(transaction=True)
def test_the_floor_page_asks_a_visitor_to_sign_in(server):
    status, headers, _ = Session(*server).get(FLOOR)
    assert status == 302
    assert "/accounts/sign-in/" in headers["Location"]


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_signs_in_with_both_factors_and_reaches_the_floor(server, officer):
    session = Session(*server).sign_in(officer.email, PASSWORD, pages.authenticator_code)
    status, _, body = session.get(FLOOR)
    assert status == 200
    assert body.decode() == f"signed in as {officer.pk}"
    status, _, _ = session.get("/")
    assert status == 200


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_stops_the_benchmark_with_a_reason(server, officer):
    with pytest.raises(Refused, match="password step refused"):
        Session(*server).sign_in(officer.email, "not the password", pages.authenticator_code)


def test_only_the_pages_asked_for_and_the_floor():
    listed = [
        ("floor", "GET", FLOOR, None),
        ("home", "GET", "/", None),
        ("who viewed", "GET", "/cases/1/access-log/", None),
        ("case page (long history)", "GET", "/cases/1/", None),
    ]
    assert [p[0] for p in pages.chosen(listed, "who viewed, case page")] == [
        "floor",
        "who viewed",
        "case page (long history)",
    ]
    assert pages.chosen(listed, "") == listed
