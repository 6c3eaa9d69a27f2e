from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .sql import add_sqlite_functions

        connection_created.connect(add_sqlite_functions)
