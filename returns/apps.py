from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "returns"
    verbose_name = "Statutory returns"

    def ready(self):
        from django.core import checks

        from .checks import check_child_id_key

        checks.register(check_child_id_key, checks.Tags.security, deploy=True)
