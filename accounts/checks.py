from django.conf import settings
from django.core.checks import Error, register


@register()
def demo_mode_needs_debug(app_configs, **kwargs):
    """Demo mode shows each account's sign-in code on the page: never in a real
    installation."""
    if getattr(settings, "DEMO_MODE", False) and not settings.DEBUG:
        return [
            Error(
                "DEMO_MODE is on but DEBUG is off.",
                hint="Demo mode shows sign-in codes on the page; unset DEMO_MODE.",
                id="accounts.E001",
            )
        ]
    return []
