"""Where a webhook may be posted (SSRF): https on the internet only, unless
the host is allowed by name (WEBHOOK_ALLOWED_HOSTS) or DEBUG is on."""

import pytest
from django.core.exceptions import ValidationError

from webhooks import addresses


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.WEBHOOK_ALLOWED_HOSTS = []


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://0.0.0.0/",
        "https://printer.local/",
        "https://partner.example/#fragment",
        "https://partner.example:99999/",
        "https://partner.example/\x00",
        "",
    ],
)
def test_refused_addresses(url):
    with pytest.raises(ValidationError):
        addresses.parse(url)


def test_an_internet_address_is_accepted():
    assert addresses.parse(" https://partner.example/hooks?x=1 ").hostname == "partner.example"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "2130706433"])
def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery(host):
    with pytest.raises(addresses.Refused):
        addresses.resolve(host, 443)


def test_an_allowed_host_may_be_private_and_http(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    assert addresses.parse("http://127.0.0.1:8000/hooks").port == 8000
    assert addresses.resolve("127.0.0.1", 8000) == "127.0.0.1"
