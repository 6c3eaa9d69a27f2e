from django.conf import settings

from . import security


def session_timeout(request):
    """What the inactivity warning in base.html needs, for signed-in pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "expires_in": security.session_expires_in(request),
            "warn_before": min(settings.SESSION_TIMEOUT_WARNING, settings.SESSION_COOKIE_AGE),
            "idle": security.duration(settings.SESSION_COOKIE_AGE),
            "warning": security.duration(settings.SESSION_TIMEOUT_WARNING),
        }
    }
