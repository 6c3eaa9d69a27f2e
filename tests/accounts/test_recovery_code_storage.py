"""Recovery codes are stored only as a keyed digest; codes issued before that
are converted by a migration and keep working."""

from importlib import import_module

from django.apps import apps
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.security import hashed_recovery_code, new_recovery_codes
from tests.factories import TEST_PASSWORD
from tests.two_factor import authenticator_for

migration = import_module("accounts.migrations.0005_hash_recovery_codes")


def test_new_codes_are_stored_as_digests_only(involved):
    codes = new_recovery_codes(involved)

    stored = sorted(
        StaticToken.objects.filter(device__user=involved).values_list("token", flat=True)
    )
    assert stored == sorted(hashed_recovery_code(code) for code in codes)
    assert set(stored) & set(codes) == set()


def test_codes_stored_as_themselves_are_converted_and_still_work(client, involved):
    authenticator_for(involved)
    device = StaticDevice.objects.create(user=involved, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=device, token="abcd2345")
    StaticToken.objects.create(device=device, token="wxyz6789")

    migration.hash_stored_codes(apps, None)
    migration.hash_stored_codes(apps, None)  # a second run changes nothing

    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(
        [hashed_recovery_code("abcd2345"), hashed_recovery_code("wxyz6789")]
    )
    client.post("/accounts/sign-in/", {"username": involved.email, "password": TEST_PASSWORD})
    response = client.post("/accounts/sign-in/recovery-code/", {"code": "ABCD 2345"})
    assert response["Location"] == "/"
    assert list(StaticToken.objects.values_list("token", flat=True)) == [
        hashed_recovery_code("wxyz6789")
    ]


def test_codes_made_under_a_previous_secret_key_still_work(client, involved, settings):
    authenticator_for(involved)
    [code, *_rest] = new_recovery_codes(involved)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key for this test, long enough to be one"

    client.post("/accounts/sign-in/", {"username": involved.email, "password": TEST_PASSWORD})
    response = client.post("/accounts/sign-in/recovery-code/", {"code": code})

    assert response["Location"] == "/"
