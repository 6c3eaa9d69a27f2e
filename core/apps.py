from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import councils, lookups  # noqa: F401  (lookups registers the safe integer `in`)

        councils.install()

        from . import choice_labels

        choice_labels.install()

        from django.core import checks

        from .encrypted_fields import check_encryption_key

        checks.register(check_encryption_key, checks.Tags.security, deploy=True)
