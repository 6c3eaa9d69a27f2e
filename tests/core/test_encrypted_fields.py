"""A council's GOV.UK Notify key is encrypted at rest: the database (and so a
dump, a backup or a replica) holds ciphertext; the service reads the key; a
key can be rotated; a lost key stops that secret, not the service."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import LocalAuthority
from core.encrypted_fields import PREFIX
from tests.notifications.fake_notify import API_KEY, SECRET, TEMPLATE_ID


def stored_key(council):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT notify_api_key FROM accounts_localauthority WHERE id = %s",
            [council.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def council_with_key(la):
    la.notify_api_key, la.notify_template_id = API_KEY, TEMPLATE_ID
    la.save()
    return la


def test_the_database_holds_ciphertext_and_the_service_reads_the_key(council_with_key):
    raw = stored_key(council_with_key)
    assert raw.startswith(PREFIX)
    assert SECRET not in raw and API_KEY not in raw
    assert LocalAuthority.objects.get(pk=council_with_key.pk).notify_api_key == API_KEY


def test_rotating_the_key_keeps_the_secret(council_with_key, settings):
    old = stored_key(council_with_key)
    settings.SECRETS_ENCRYPTION_KEYS = ["a-new-key-" + "n" * 40, *settings.SECRETS_ENCRYPTION_KEYS]
    call_command("reencrypt_secrets")
    assert stored_key(council_with_key) != old
    settings.SECRETS_ENCRYPTION_KEYS = settings.SECRETS_ENCRYPTION_KEYS[:1]  # old key dropped
    assert LocalAuthority.objects.get(pk=council_with_key.pk).notify_api_key == API_KEY


def test_a_lost_key_stops_the_secret_not_the_service(council_with_key, settings, caplog):
    before = stored_key(council_with_key)
    settings.SECRETS_ENCRYPTION_KEYS = ["some-other-key-" + "o" * 40]
    assert LocalAuthority.objects.get(pk=council_with_key.pk).notify_api_key == ""
    assert "cannot be decrypted" in caplog.text
    with pytest.raises(CommandError, match="could not be opened"):
        call_command("reencrypt_secrets")
    assert stored_key(council_with_key) == before  # left as it was, not overwritten


def test_without_an_encryption_key_the_settings_page_says_why(client_for, la_admin, la, settings):
    from tests.accounts.test_la_settings import VALID

    settings.SECRETS_ENCRYPTION_KEYS = []
    page = client_for(la_admin).post(
        "/accounts/settings/", dict(VALID, notify_api_key=API_KEY, notify_template_id=TEMPLATE_ID)
    )
    assert page.status_code == 200
    assert "cannot store a Notify key yet" in page.content.decode()
    la.refresh_from_db()
    assert la.notify_api_key == ""


def test_deploy_check_warns_without_an_encryption_key(settings):
    from core.encrypted_fields import check_encryption_key

    settings.SECRETS_ENCRYPTION_KEYS = []
    assert [w.id for w in check_encryption_key()] == ["earlyhelp.W010"]
    settings.SECRETS_ENCRYPTION_KEYS = ["k" * 50]
    assert check_encryption_key() == []
