"""Secrets the service must keep but never show (a council's GOV.UK Notify
API key), encrypted at rest so that a database dump, a backup or a read
replica does not carry them in the clear.

The key is SECRETS_ENCRYPTION_KEY (or SECRETS_ENCRYPTION_KEY_FILE), held
outside the database like the audit checkpoint key. It may list several keys
separated by spaces or commas: the first encrypts, any of them decrypts, so a
key is rotated by putting the new one first and running
`earlyhelp reencrypt_secrets` before the old one is dropped.
"""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"
logger = logging.getLogger(__name__)


def _fernet_for(key: str) -> Fernet:
    # Any length of key text becomes the 32 bytes Fernet wants.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def encryptor() -> MultiFernet:
    keys = [key for key in settings.SECRETS_ENCRYPTION_KEYS if key]
    if not keys:
        raise ImproperlyConfigured(
            "SECRETS_ENCRYPTION_KEY is not set, so a secret such as a GOV.UK Notify key "
            "cannot be stored. Set it (or SECRETS_ENCRYPTION_KEY_FILE) to a long random value "
            "kept outside the database."
        )
    return MultiFernet([_fernet_for(key) for key in keys])


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return PREFIX + encryptor().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain text of a stored value; "" (and an error in the log) if no
    configured key opens it, so one lost key stops that secret being used
    without stopping every page that reads the council."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""  # written before encryption; re-saved by the migration
    try:
        return encryptor().decrypt(stored[len(PREFIX) :].encode()).decode()
    except (InvalidToken, ImproperlyConfigured):
        logger.error("A stored secret cannot be decrypted with SECRETS_ENCRYPTION_KEY")
        return ""


class EncryptedTextField(models.TextField):
    """Plain text in Python, Fernet ciphertext in the database. Not
    searchable or orderable, which a secret never needs to be."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value.startswith(PREFIX):
            return value
        return encrypt(value)


def check_encryption_key(app_configs=None, **kwargs):
    """`check --deploy`: production should be able to store a council's
    Notify key, which needs SECRETS_ENCRYPTION_KEY."""
    from django.core.checks import Warning

    if settings.SECRETS_ENCRYPTION_KEYS:
        return []
    return [
        Warning(
            "SECRETS_ENCRYPTION_KEY is not set, so no council can store a GOV.UK Notify key.",
            hint="Set SECRETS_ENCRYPTION_KEY (or SECRETS_ENCRYPTION_KEY_FILE) to a long random "
            "value kept outside the database, as docs/PRODUCTION.md shows.",
            id="earlyhelp.W010",
        )
    ]
