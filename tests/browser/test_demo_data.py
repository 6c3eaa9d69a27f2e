"""The demo data is put back whole before each browser test (conftest.py's
`demo_data`, which copies it back from a snapshot on SQLite): what one test
changes, the next does not see, and the live server reads the data put back."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from accounts.models import User
from tests.browser.conftest import PRACTITIONER

pytestmark = pytest.mark.browser


def _signs_in(live_server, email):
    """Whether the sign-in page takes the demo password (and asks for the code)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{live_server.url}/accounts/sign-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": email, "password": settings.DEMO_PASSWORD}
    answer = opener.open(
        f"{live_server.url}/accounts/sign-in/", urllib.parse.urlencode(form).encode()
    )
    return urllib.parse.urlsplit(answer.geturl()).path == "/accounts/sign-in/code/"


@pytest.mark.parametrize("turn", ["first", "second"])
def test_what_a_test_changes_is_gone_for_the_next(demo_data, turn):
    found = (
        User.objects.filter(email__iexact=PRACTITIONER, is_active=True).count(),
        User.objects.filter(email__endswith="@changed.example").count(),
        _signs_in(demo_data, PRACTITIONER),
    )
    # Changes the next test must not see.
    User.objects.filter(email__iexact=PRACTITIONER).update(is_active=False)
    User.objects.filter(email__iexact=PRACTITIONER).update(email=f"{turn}@changed.example")
    assert found == (1, 0, True)
