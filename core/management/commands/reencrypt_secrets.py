"""Encrypt every stored secret again with the first SECRETS_ENCRYPTION_KEY.

Rotating the key: put the new key first in SECRETS_ENCRYPTION_KEY (keeping
the old one after it), run this, then drop the old key. A secret no listed
key opens is left as it is and reported, so nothing is overwritten with "".
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.models import TextField
from django.db.models.functions import Cast

from core.encrypted_fields import EncryptedTextField, decrypt, encrypt


class Command(BaseCommand):
    help = "Encrypt every stored secret again with the first SECRETS_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        done = unreadable = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, EncryptedTextField):
                    continue
                stored = (
                    model._base_manager.exclude(**{field.name: ""})
                    .annotate(raw=Cast(field.name, TextField()))
                    .values_list("pk", "raw")
                )
                for pk, raw in stored:
                    plain = decrypt(raw)
                    if not plain:
                        unreadable += 1
                        continue
                    model._base_manager.filter(pk=pk).update(**{field.name: encrypt(plain)})
                    done += 1
        self.stdout.write(f"{done} secret(s) encrypted with the first key")
        if unreadable:
            raise CommandError(
                f"{unreadable} secret(s) could not be opened with any SECRETS_ENCRYPTION_KEY "
                "and were left as they are: add the key they were stored with, then run again"
            )
