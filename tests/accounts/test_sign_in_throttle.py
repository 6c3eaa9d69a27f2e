"""An outsider probing the sign-in page learns nothing about which addresses
have accounts, and cannot lock staff out: limits per client and per address,
every refusal in the same words, and the password hasher run once per try."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from accounts.models import SignInThrottle
from audit.models import Action, AuditEvent
from tests.factories import TEST_PASSWORD
from tests.two_factor import authenticator_for, sign_in_verified

SIGN_IN = "/accounts/sign-in/"
NOT_THE_PASSWORD = "not the password"
CODE = "/accounts/sign-in/code/"
KNOWN = "involved@test.example"
UNKNOWN = "nobodyhe@test.example"  # as long as KNOWN: the page echoes what was typed
WRONG_PASSWORD = "The email address or password is not right. Check both and try again."
LOCKED = (
    "You cannot sign in for now because of too many wrong attempts. Try again in 15 minutes. "
    "If you still cannot sign in, ask your council's Early Help administrator to unlock "
    "your account."
)


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often a password is hashed (each
    check of a password hashes it once)."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_sign_in_throttle.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def from_address(ip):
    return Client(REMOTE_ADDR=ip)


def try_password(client, email, password=NOT_THE_PASSWORD):
    return client.post(SIGN_IN, {"username": email, "password": password})


def errors(response):
    return [
        unescape(text) for text in re.findall(r'<a href="#[^"]*">([^<]+)</a>', _summary(response))
    ]


def _summary(response):
    page = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    return match[0] if match else ""


def normalised(response, typed):
    """The page with what differs by nature taken out: the CSRF token and the
    address the person typed, which the form shows back to them."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    page = page.replace(typed, "TYPED")
    return (response.status_code, response.get("Location"), page)


@pytest.mark.parametrize("failures", [1, 4, 5, 6])
def test_an_unknown_address_answers_exactly_like_a_known_one(involved, settings, failures):
    settings.SIGN_IN_LOCKOUT_MINUTES = 15
    known_client, unknown_client = from_address("10.0.0.1"), from_address("10.0.0.2")
    for _ in range(failures - 1):
        try_password(known_client, KNOWN)
        try_password(unknown_client, UNKNOWN)

    known = try_password(known_client, KNOWN)
    unknown = try_password(unknown_client, UNKNOWN)

    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)
    assert errors(known) == [WRONG_PASSWORD if failures < 5 else LOCKED]


def test_a_locked_account_answers_like_a_locked_unknown_address_even_to_the_right_password(
    involved, settings
):
    settings.SIGN_IN_ACCOUNT_MAX_FAILURES = 4
    for ip in ("10.0.0.1", "10.0.0.2"):  # two clients, two failures each
        for _ in range(2):
            try_password(from_address(ip), KNOWN)
            try_password(from_address(ip), UNKNOWN)
    involved.refresh_from_db()
    assert involved.is_locked

    known = try_password(from_address("10.0.0.9"), KNOWN, TEST_PASSWORD)
    unknown = try_password(from_address("10.0.0.8"), UNKNOWN, TEST_PASSWORD)

    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)
    assert errors(known) == [LOCKED]


@pytest.mark.parametrize(
    ("email", "password", "locked"),
    [
        (KNOWN, TEST_PASSWORD, False),
        (KNOWN, NOT_THE_PASSWORD, False),
        (UNKNOWN, NOT_THE_PASSWORD, False),
        (KNOWN, TEST_PASSWORD, True),
        (UNKNOWN, TEST_PASSWORD, True),
    ],
)
def test_every_password_step_hashes_the_password_once(
    involved, settings, counting_hasher, email, password, locked
):
    client = from_address("10.0.0.1")
    if locked:
        for _ in range(settings.SIGN_IN_MAX_FAILURES):
            try_password(client, email)
    counting_hasher.calls = 0

    try_password(client, email, password)

    assert counting_hasher.calls == 1


def test_a_blocked_client_still_hashes_the_password_once(involved, settings, counting_hasher):
    settings.SIGN_IN_CLIENT_MAX_FAILURES = 3
    client = from_address("10.0.0.1")
    for n in range(3):
        try_password(client, f"person{n}@test.example")
    counting_hasher.calls = 0

    response = try_password(client, KNOWN, TEST_PASSWORD)

    assert (errors(response), counting_hasher.calls) == ([LOCKED], 1)


def test_one_client_cannot_lock_a_colleague_out(involved, settings):
    authenticator_for(involved)
    attacker = from_address("10.0.0.66")
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        try_password(attacker, KNOWN)
    assert errors(try_password(attacker, KNOWN, TEST_PASSWORD)) == [LOCKED]

    # The real person, on their own computer, gets to their second step.
    response = try_password(from_address("10.0.0.7"), KNOWN, TEST_PASSWORD)

    assert (response.status_code, response["Location"]) == (302, CODE)
    involved.refresh_from_db()
    assert (involved.is_locked, involved.failed_sign_ins) == (False, 5)


def test_trying_many_addresses_from_one_client_blocks_the_client_not_the_accounts(
    involved, la, settings
):
    from tests.factories import UserFactory

    settings.SIGN_IN_CLIENT_MAX_FAILURES = 6
    settings.SIGN_IN_CLIENT_BLOCK_MINUTES = 15
    colleagues = [UserFactory(local_authority=la, email=f"staff{n}@test.example") for n in range(3)]
    sprayer = from_address("10.0.0.66")
    for colleague in colleagues:
        for _ in range(2):
            try_password(sprayer, colleague.email)

    # Blocked, whatever the address and even with a right password.
    assert errors(try_password(sprayer, KNOWN, TEST_PASSWORD)) == [LOCKED]
    block = AuditEvent.objects.get(action=Action.ACCOUNT_LOCKED)
    assert (block.object_id, block.actor_label, block.ip_address, block.reason) == (
        "",
        "staff2@test.example",
        "10.0.0.66",
        "network address blocked for 15 minutes after 6 failed sign-in attempts",
    )
    assert AuditEvent.objects.last().reason == "network address blocked"
    assert SignInThrottle.objects.get(kind="client").user is None  # about no account
    # Nobody is locked out, and everyone else signs in as usual.
    assert [c.is_locked for c in colleagues] == [False, False, False]
    assert not SignInThrottle.objects.filter(kind="pair", blocked_until__isnull=False).exists()
    response = try_password(from_address("10.0.0.7"), colleagues[0].email, TEST_PASSWORD)
    assert response.status_code == 302

    # The block ends by itself.
    SignInThrottle.objects.filter(kind="client").update(
        blocked_until=timezone.now() - timedelta(seconds=1)
    )
    assert try_password(sprayer, KNOWN, TEST_PASSWORD).status_code == 302


def test_failures_from_many_clients_lock_the_account_for_everyone_and_are_audited(
    involved, settings
):
    settings.SIGN_IN_ACCOUNT_MAX_FAILURES = 20
    for n in range(4):
        for _ in range(settings.SIGN_IN_MAX_FAILURES):
            try_password(from_address(f"10.0.1.{n}"), KNOWN)

    assert errors(try_password(from_address("10.0.0.7"), KNOWN, TEST_PASSWORD)) == [LOCKED]
    reasons = list(
        AuditEvent.objects.filter(action=Action.ACCOUNT_LOCKED).values_list("reason", flat=True)
    )
    assert reasons == ["5 failed sign-in attempts in a row from this network address"] * 3 + [
        "5 failed sign-in attempts in a row from this network address",
        "20 failed sign-in attempts in a row from any network address",
    ]


def test_an_administrator_unlocks_every_lock_on_the_account(client, la_admin, involved, settings):
    authenticator_for(involved)
    attacker, own_computer = from_address("10.0.0.66"), from_address("127.0.0.1")
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        try_password(attacker, KNOWN)
        try_password(own_computer, KNOWN)
    admin = sign_in_verified(Client(), la_admin)
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*involved@test\.example.*?</tr>", _list(admin), re.S)
    assert ">Locked</strong>" in row[0]
    assert (
        "after too many wrong passwords or codes"
        in admin.get(f"/accounts/users/{involved.pk}/").content.decode()
    )

    admin.post(f"/accounts/users/{involved.pk}/unlock/")

    for computer in (attacker, own_computer):
        assert try_password(computer, KNOWN, TEST_PASSWORD)["Location"] == CODE
    assert ">Locked</strong>" not in _list(admin)


def _list(client):
    return client.get("/accounts/users/").content.decode()


def test_the_client_block_can_be_turned_off_for_a_server_that_sees_one_address(
    involved, la, settings
):
    settings.SIGN_IN_CLIENT_MAX_FAILURES = 0
    for n in range(8):
        try_password(from_address("10.0.0.1"), f"person{n}@test.example")

    assert try_password(from_address("10.0.0.1"), KNOWN, TEST_PASSWORD)["Location"] == CODE
    assert not SignInThrottle.objects.filter(kind="client").exists()


def test_ended_locks_and_old_counts_are_forgotten(involved, settings):
    client = from_address("10.0.0.1")
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        try_password(client, UNKNOWN)
    ended = timezone.now() - timedelta(seconds=1)
    SignInThrottle.objects.filter(kind="pair").update(blocked_until=ended)
    SignInThrottle.objects.filter(kind="client").update(
        window_started_at=timezone.now() - timedelta(days=2)
    )

    try_password(from_address("10.0.0.2"), KNOWN)

    assert sorted(SignInThrottle.objects.values_list("kind", "ip_address", "failures")) == [
        ("address", "", 5),  # the unknown address: 5 of 20 so far
        ("client", "10.0.0.2", 1),
        ("pair", "10.0.0.2", 1),
    ]
