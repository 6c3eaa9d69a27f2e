"""Settings for the page benchmark: the application's own settings, plus a
minimal signed-in page (the "floor", bench/floor.py) that passes through the
same middleware as every other page, so each page is measured as a ratio to
what the server costs anyway.

The benchmark serves plain HTTP on the loopback address, so cookies are not
marked Secure and nothing redirects to HTTPS; everything else is production's
(DEBUG off, the same middleware, sessions, policy and audit).
"""

from earlyhelp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# The benchmark asks for pages, never static files: no collectstatic manifest needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
