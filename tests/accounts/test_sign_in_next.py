"""Where signing in goes next: only a path of this site, whatever `next` says."""

import pytest

from tests.two_factor import sign_in_verified

SIGN_IN = "/accounts/sign-in/"


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/cases/", "/cases/"),
        ('{"a"', "/"),
        ("core:home", "/"),
        ("admin:index", "/"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example/", "/"),
        ("cases/", "/"),
        ("\x00", "/"),
    ],
)
def test_a_signed_in_person_goes_on_to_a_path_of_this_site_only(
    client, involved, next_url, location
):
    sign_in_verified(client, involved)
    response = client.get(SIGN_IN, {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, location)
