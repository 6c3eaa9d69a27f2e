"""Sign-in security on every request (the rules themselves are in
accounts/security.py)."""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from . import security


class RequireTwoFactorMiddleware:
    """A session signed in without its second factor is signed out.

    The sign-in views only ever sign someone in after the second step, so this
    is a safety net for any other way in (Django admin's own login form, a
    future view): nothing gets past the second factor. It runs after
    django-otp's OTPMiddleware, which also unverifies a session whose device
    has since been removed ("Reset two-factor sign-in")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            is_verified = getattr(user, "is_verified", None)
            if is_verified is None or not is_verified():
                request.sign_out_reason = "no second factor"
                logout(request)
        return self.get_response(request)


class IdleSessionMiddleware:
    """Signs out a session that has had no request for SESSION_COOKIE_AGE
    seconds, and renews the time left on every other request.

    The page warns before this happens (core/static/js/session-timeout.js);
    when it does, the person goes to the sign-in page, which says why and
    brings them back to the page they were on. A view marked with
    `@does_not_extend_session` (the warning's own status check) is not activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        status_check = getattr(view_func, "does_not_extend_session", False)
        if security.session_expires_in(request) <= 0:
            request.sign_out_reason = "inactive"
            logout(request)
            if status_check:
                return None  # it answers "signed out" itself
            query = {"timeout": "1"}
            if request.method == "GET":
                query["next"] = request.get_full_path()
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode(query)}")
        if not status_check:
            security.note_activity(request)
        return None


def does_not_extend_session(view):
    view.does_not_extend_session = True
    return view


class NoStoreWhenSignedInMiddleware:
    """Pages for a signed-in user hold case records: a shared computer's
    browser must not keep them in its cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class PermissionsPolicyMiddleware:
    """Switches off browser features the service never uses (camera,
    microphone, location...), for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
