from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import councils, lookups  # noqa: F401  (lookups registers the safe integer `in`)

        councils.install()
