"""Recovery codes were stored as themselves; from now on only a keyed digest
is kept (accounts.security.hashed_recovery_code). The codes people saved keep
working."""

import re

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

# A copy of accounts.security at the time of this migration, which must not
# change when that module does.
SALT = "earlyhelp.accounts.recovery-code"
DIGEST_LENGTH = 16


def _digest(code):
    code = re.sub(r"[\s-]", "", code).lower()
    return salted_hmac(SALT, code, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()[
        :DIGEST_LENGTH
    ]


def hash_stored_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    # A stored digest is 16 characters; a code as issued is 8.
    for token in StaticToken.objects.exclude(token__regex=r"^[0-9a-f]{16}$"):
        token.token = _digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sign_in_throttle"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # The codes themselves cannot be brought back.
    operations = [migrations.RunPython(hash_stored_codes, migrations.RunPython.noop)]
