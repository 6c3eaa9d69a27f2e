"""A world built once for a test module: inside an outer transaction that is
rolled back at the end, so each test's own transaction is a savepoint in it
and no test sees another's changes."""

from django.db import transaction
from django.test import override_settings


def built_once(build, django_db_blocker, tmp_path_factory, media_name):
    """For a module-scoped fixture: `yield from built_once(...)`."""
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp(media_name),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            overrides.disable()
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    overrides.disable()
