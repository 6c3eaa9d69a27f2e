from django.apps import AppConfig
from django.db.models.signals import post_save


def _give_new_council_its_timescales(sender, instance, created, raw=False, **kwargs):
    """A new council starts with the default timescales, so its cases are read
    with them in one query (episodes.progress.timescales_of)."""
    from .models import Timescales

    if created and not raw:
        Timescales.objects.get_or_create(local_authority=instance)


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Drift and delay"

    def ready(self):
        post_save.connect(
            _give_new_council_its_timescales,
            sender="accounts.LocalAuthority",
            dispatch_uid="oversight-timescales-for-new-council",
        )
