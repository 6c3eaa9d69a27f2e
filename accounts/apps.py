from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from . import checks, signals  # noqa: F401  (demo mode check; sign-in events audited)


class EarlyHelpAdminConfig(admin_apps.AdminConfig):
    """Django admin, signing in through the service's own two-factor sign-in
    (named in INSTALLED_APPS in place of django.contrib.admin)."""

    default = False
    default_site = "accounts.admin_site.EarlyHelpAdminSite"
