from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Known to services: person matching"

    def ready(self):
        from . import signals  # noqa: F401  (keeps match keys in step with people)
