"""Sign-in security: the password step, the second factor, lockout, recovery
codes and the idle session.

Signing in takes two steps. A right password only records, in the session,
whose second step is pending; the user is signed in (Django's `login` and
django-otp's `login`) once a code from their authenticator app, or one of their
recovery codes, is right. Wrong passwords and wrong codes count together:
SIGN_IN_MAX_FAILURES in a row lock the account for SIGN_IN_LOCKOUT_MINUTES.
Every failure and every lockout is audited with the address typed, never the
password or code.
"""

import re
import time
from base64 import b32encode
from datetime import timedelta

import django_otp
import qrcode
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action
from audit.services import record

from .models import User

PENDING_KEY = "earlyhelp_sign_in_pending"
# The second step must follow the password within this time.
PENDING_SECONDS = 10 * 60
LAST_ACTIVITY_KEY = "earlyhelp_last_activity"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInRefused(Exception):
    """A sign-in step failed; `message` says why, in words for the page."""

    def __init__(self, message, *, locked=False):
        super().__init__(message)
        self.message = message
        self.locked = locked


def wrong_password_message():
    # The same words whether or not the address has an account.
    return _("The email address or password is not right. Check both and try again.")


def clock_time(moment):
    """A time in GOV.UK style: 2:45pm, with the date when it is not today."""
    local = timezone.localtime(moment)
    text = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    if local.date() != timezone.localdate():
        text += f" on {local.day} {local:%B %Y}"
    return text


def locked_message(user):
    return _(
        "This account is locked until %(time)s because the password or code was wrong "
        "%(count)s times in a row. Try again after that, or ask your council's Early "
        "Help administrator to unlock it."
    ) % {"time": clock_time(user.locked_until), "count": settings.SIGN_IN_MAX_FAILURES}


def duration(seconds):
    """'30 minutes', '1 minute', '45 seconds'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


# The password step -----------------------------------------------------------


def check_password(request, email, password):
    """The first step: return the user if the password is right, or raise
    SignInRefused. A locked account is refused without looking at the password."""
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.is_locked:
        record(
            Action.SIGN_IN_FAILED,
            obj=user,
            actor_label=email[:254],
            reason="account locked",
            request=request,
        )
        raise SignInRefused(locked_message(user), locked=True)
    # authenticate() takes as long for an unknown address as for a known one,
    # and its user_login_failed signal audits the failure (accounts.signals).
    authenticated = authenticate(request, username=email, password=password)
    if authenticated is None:
        if user is not None:
            _count_failure(request, user, email)
        raise SignInRefused(wrong_password_message())
    return authenticated


def _count_failure(request, user, email):
    """One more failure in a row; the last one allowed locks the account.
    Raises SignInRefused with the lockout message if it does."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.failed_sign_ins += 1
        locked = user.failed_sign_ins >= settings.SIGN_IN_MAX_FAILURES
        if locked:
            # Unlocking starts a fresh count.
            user.failed_sign_ins = 0
            user.locked_until = timezone.now() + timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
        user.save(update_fields=["failed_sign_ins", "locked_until"])
        if locked:
            record(
                Action.ACCOUNT_LOCKED,
                obj=user,
                actor_label=email[:254],
                reason=f"{settings.SIGN_IN_MAX_FAILURES} failed sign-in attempts in a row",
                request=request,
            )
    if locked:
        if request is not None:
            request.session.pop(PENDING_KEY, None)  # after the lock, start again
        raise SignInRefused(locked_message(user), locked=True)


# Between the steps ---------------------------------------------------------------


def begin_second_step(request, user, next_url):
    """The password was right: remember whose second step is due. Nobody is
    signed in yet."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "since": int(time.time()),
        "next": next_url,
    }


def pending_user(request):
    """The user whose password was right in this session, within PENDING_SECONDS."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def pending_next(request):
    return (request.session.get(PENDING_KEY) or {}).get("next", "")


# Devices and codes ------------------------------------------------------------------


def authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def unconfirmed_authenticator(user):
    """The device being set up: the same secret until it is confirmed, so a
    reloaded page still matches the app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_in_groups(device):
    """The secret as people type it into an app: base32 in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code, drawn here so
    the page needs no image service and no inline style."""
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(device.config_url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    path = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return format_html(
        '<svg class="app-qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}" shape-rendering="crispEdges">'
        '<rect width="100%" height="100%" fill="#ffffff"/><path fill="#0b0c0c" d="{}"/></svg>',
        size,
        size,
        _("QR code to scan with your authenticator app"),
        path,
    )


def current_code(device):
    """The 6 digits the device accepts now (a code is accepted once). For demo
    mode and tests, which have no phone."""
    device.refresh_from_db()
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    t = max(now_t, device.last_t + 1)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def normalise_code(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def _second_factor_failed(request, user, reason):
    record(
        Action.SIGN_IN_FAILED,
        obj=user,
        actor_label=user.email,
        reason=reason,
        request=request,
    )
    _count_failure(request, user, user.email)


def _refuse_if_locked(request, user):
    user.refresh_from_db(fields=["failed_sign_ins", "locked_until"])
    if user.is_locked:
        record(
            Action.SIGN_IN_FAILED,
            obj=user,
            actor_label=user.email,
            reason="account locked",
            request=request,
        )
        raise SignInRefused(locked_message(user), locked=True)


def verify_authenticator_code(request, user, device, code):
    """Raise SignInRefused unless `code` is the device's current code."""
    _refuse_if_locked(request, user)
    if not django_otp.verify_token(user, device.persistent_id, normalise_code(code)):
        _second_factor_failed(request, user, "wrong authenticator code")
        raise SignInRefused(
            _("The code is not right. Enter the code your authenticator app shows now")
        )


def sign_in_with_authenticator(request, user, device, code):
    verify_authenticator_code(request, user, device, code)
    _complete_sign_in(request, user, device)


def set_up_authenticator(request, user, code):
    """Confirm the device being set up, sign in, and return new recovery codes."""
    device = unconfirmed_authenticator(user)
    verify_authenticator_code(request, user, device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _replace_recovery_codes(user)
        record(
            Action.UPDATE,
            actor=user,
            obj=user,
            request=request,
            changes={"fields": ["two_factor", "recovery_codes"]},
            reason="set up two-factor sign-in",
        )
    _complete_sign_in(request, user, device)
    return codes


def sign_in_with_recovery_code(request, user, code):
    """A recovery code works once: it is deleted when used."""
    _refuse_if_locked(request, user)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    token = normalise_code(code)
    if device is None or not django_otp.verify_token(user, device.persistent_id, token):
        _second_factor_failed(request, user, "wrong recovery code")
        raise SignInRefused(
            _("The recovery code is not right, or it has been used. Check it and try again")
        )
    record(
        Action.UPDATE,
        actor=user,
        obj=user,
        request=request,
        changes={"fields": ["recovery_codes"]},
        reason="signed in with a recovery code",
    )
    _complete_sign_in(request, user, device)


def _complete_sign_in(request, user, device):
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)
        login(request, user, backend=BACKEND)  # audited by accounts.signals
        django_otp.login(request, device)
    request.session.pop(PENDING_KEY, None)
    note_activity(request, force=True)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _replace_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def new_recovery_codes(user, request=None):
    """Replace the signed-in user's recovery codes; the old ones stop working."""
    codes = _replace_recovery_codes(user)
    record(
        Action.UPDATE,
        actor=user,
        obj=user,
        request=request,
        changes={"fields": ["recovery_codes"]},
        reason="new recovery codes",
    )
    return codes


# The idle session ----------------------------------------------------------------------


def _refresh_every():
    # Writing the session on every request would cost a write per page; a
    # minute's precision is plenty for a 30-minute timeout.
    return min(60, settings.SESSION_COOKIE_AGE // 30)


def note_activity(request, force=False):
    """The signed-in user did something: the session lasts SESSION_COOKIE_AGE
    seconds from now (saving the session renews its expiry and its cookie)."""
    now = int(time.time())
    last = request.session.get(LAST_ACTIVITY_KEY)
    if force or last is None or now - last >= _refresh_every():
        request.session[LAST_ACTIVITY_KEY] = now


def session_expires_in(request):
    """Seconds until the session ends if nothing more is done."""
    last = request.session.get(LAST_ACTIVITY_KEY)
    if last is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, settings.SESSION_COOKIE_AGE - (int(time.time()) - last))
