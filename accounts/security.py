"""Sign-in security: the password step, the second factor, lockout, recovery
codes and the idle session.

Signing in takes two steps. A right password only records, in the session,
whose second step is pending; the user is signed in (Django's `login` and
django-otp's `login`) once a code from their authenticator app, or one of their
recovery codes, is right.

Wrong passwords and wrong codes count together, three ways (`Attempt`):
SIGN_IN_MAX_FAILURES in a row for one address from one client (network
address) refuse that client the address for SIGN_IN_LOCKOUT_MINUTES;
SIGN_IN_ACCOUNT_MAX_FAILURES in a row from any clients lock the address for
everyone; SIGN_IN_CLIENT_MAX_FAILURES from one client within
SIGN_IN_CLIENT_WINDOW_MINUTES, whatever the addresses, block the client. One
client can therefore never lock a colleague out, and an LA administrator lifts
any lock on their users.

No answer tells whether an address has an account: an unknown address is
counted and refused exactly like a known one, every refusal says the same
words, and every password step runs the password hasher once.

Every failure and every lock is audited with the address typed, never the
password or code.
"""

import hashlib
import re
import time
from base64 import b32encode
from datetime import timedelta

import django_otp
import qrcode
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action
from audit.services import client_ip, record

from .models import SignInThrottle, ThrottleKind, User

PENDING_KEY = "earlyhelp_sign_in_pending"
# The second step must follow the password within this time.
PENDING_SECONDS = 10 * 60
LAST_ACTIVITY_KEY = "earlyhelp_last_activity"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_SALT = "earlyhelp.accounts.recovery-code"
BACKEND = "accounts.backends.UserBackend"


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


def locked_message():
    """Every lock and block says this, so a refusal tells nothing about the
    address; the owner of a real account learns how to get back in."""
    return _(
        "You cannot sign in for now because of too many wrong attempts. Try again in "
        "%(time)s. If you still cannot sign in, ask your council's Early Help "
        "administrator to unlock your account."
    ) % {"time": duration(settings.SIGN_IN_LOCKOUT_MINUTES * 60)}


def duration(seconds):
    """'30 minutes', '1 minute', '45 seconds'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


# Counting failures -------------------------------------------------------------


def email_digest(email):
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class Attempt:
    """One client's attempt to sign in as one typed address, `user` being the
    account it belongs to, if any. Known and unknown addresses go through the
    same steps, so that no answer, and no difference in time, tells them apart."""

    def __init__(self, request, email, user):
        self.request = request
        self.email = email.strip()[:254]
        self.user = user
        self.digest = email_digest(email)
        self.ip = client_ip(request) or ""

    def _rows(self):
        rule = Q(kind=ThrottleKind.PAIR, email_digest=self.digest, ip_address=self.ip)
        rule |= Q(kind=ThrottleKind.ADDRESS, email_digest=self.digest)
        if self.ip:
            rule |= Q(kind=ThrottleKind.CLIENT, ip_address=self.ip)
        return SignInThrottle.objects.filter(rule)

    def refusal(self):
        """Why this attempt is refused before any password or code is looked at,
        or ""."""
        if self.user is not None:
            self.user.refresh_from_db(fields=["failed_sign_ins", "locked_until"])
        blocked = {row.kind for row in self._rows().filter(blocked_until__gt=timezone.now())}
        if ThrottleKind.CLIENT in blocked:
            return "network address blocked"
        if ThrottleKind.ADDRESS in blocked or (self.user is not None and self.user.is_locked):
            return "account locked"
        if ThrottleKind.PAIR in blocked:
            return "locked for this network address"
        return ""

    def refuse(self, reason):
        record(
            Action.SIGN_IN_FAILED,
            obj=self.user,
            actor_label=self.email,
            reason=reason,
            request=self.request,
        )
        raise SignInRefused(locked_message(), locked=True)

    def _row(self, kind, *, digest="", ip="", user=None):
        row, _created = SignInThrottle.objects.select_for_update().get_or_create(
            kind=kind, email_digest=digest, ip_address=ip, defaults={"user": user}
        )
        return row

    def count_failure(self):
        """One more failure; raise SignInRefused if it sets off a lock."""
        now = timezone.now()
        with transaction.atomic():
            # A client's block is about the client, not the address it typed.
            locks = [(self._count_pair(now), self.user), (self._count_account(now), self.user)]
            # 0 turns the client's count off, for a server that cannot see
            # each client's own address (every client would count as one).
            if self.ip and settings.SIGN_IN_CLIENT_MAX_FAILURES:
                locks.append((self._count_client(now), None))
            locks = [(reason, obj) for reason, obj in locks if reason]
            for reason, obj in locks:
                record(
                    Action.ACCOUNT_LOCKED,
                    obj=obj,
                    actor_label=self.email,
                    reason=reason,
                    request=self.request,
                )
        _forget_ended(now)
        if locks:
            if self.request is not None:
                self.request.session.pop(PENDING_KEY, None)  # after the lock, start again
            raise SignInRefused(locked_message(), locked=True)

    def _count_pair(self, now):
        row = self._row(ThrottleKind.PAIR, digest=self.digest, ip=self.ip, user=self.user)
        row.failures += 1
        lock = row.failures >= settings.SIGN_IN_MAX_FAILURES
        if lock:
            row.failures = 0  # the lock ending starts a fresh count
            row.blocked_until = now + timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
        row.save(update_fields=["failures", "blocked_until"])
        if lock:
            return (
                f"{settings.SIGN_IN_MAX_FAILURES} failed sign-in attempts in a row "
                "from this network address"
            )
        return ""

    def _count_account(self, now):
        """The count for the address from any client: on the account, or on a
        row of its own for an address with no account; the same numbers."""
        until = now + timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
        limit = settings.SIGN_IN_ACCOUNT_MAX_FAILURES
        if self.user is not None:
            user = User.objects.select_for_update().get(pk=self.user.pk)
            user.failed_sign_ins += 1
            lock = user.failed_sign_ins >= limit
            if lock:
                user.failed_sign_ins, user.locked_until = 0, until
            user.save(update_fields=["failed_sign_ins", "locked_until"])
        else:
            row = self._row(ThrottleKind.ADDRESS, digest=self.digest)
            row.failures += 1
            lock = row.failures >= limit
            if lock:
                row.failures, row.blocked_until = 0, until
            row.save(update_fields=["failures", "blocked_until"])
        if lock:
            return f"{limit} failed sign-in attempts in a row from any network address"
        return ""

    def _count_client(self, now):
        row = self._row(ThrottleKind.CLIENT, ip=self.ip)
        window = timedelta(minutes=settings.SIGN_IN_CLIENT_WINDOW_MINUTES)
        if row.window_started_at + window < now:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        block = row.failures >= settings.SIGN_IN_CLIENT_MAX_FAILURES
        if block:
            row.failures, row.window_started_at = 0, now
            row.blocked_until = now + timedelta(minutes=settings.SIGN_IN_CLIENT_BLOCK_MINUTES)
        row.save(update_fields=["failures", "window_started_at", "blocked_until"])
        if block:
            return (
                f"network address blocked for {settings.SIGN_IN_CLIENT_BLOCK_MINUTES} minutes "
                f"after {settings.SIGN_IN_CLIENT_MAX_FAILURES} failed sign-in attempts"
            )
        return ""

    def succeeded(self):
        """Signed in: the address's counts start again (the client's does not,
        or signing in to one's own account would reset a spraying count)."""
        User.objects.filter(pk=self.user.pk).update(failed_sign_ins=0, locked_until=None)
        SignInThrottle.objects.filter(
            kind=ThrottleKind.PAIR, email_digest=self.digest, ip_address=self.ip
        ).delete()


def _forget_ended(now):
    """Rows that no longer count for anything: a lock that has ended with no
    failure since, or a client's count whose window ended long ago. Tried
    addresses would otherwise pile up."""
    over = Q(blocked_until__isnull=True) | Q(blocked_until__lt=now)
    SignInThrottle.objects.filter(over).filter(
        Q(failures=0, blocked_until__isnull=False)
        | Q(kind=ThrottleKind.CLIENT, window_started_at__lt=now - timedelta(days=1))
    ).delete()


def lift_locks(user):
    """An administrator unlocks an account: every lock on its address goes, for
    every client (blocks on a whole network address stay: they end by themselves)."""
    User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)
    SignInThrottle.objects.filter(
        Q(user=user) | Q(email_digest=email_digest(user.email)),
        kind__in=[ThrottleKind.PAIR, ThrottleKind.ADDRESS],
    ).delete()


def locked_for_some_clients():
    """An expression over users: is their address locked, for everyone or for
    some clients?"""
    now = timezone.now()
    blocked = SignInThrottle.objects.filter(
        user=OuterRef("pk"),
        kind__in=[ThrottleKind.PAIR, ThrottleKind.ADDRESS],
        blocked_until__gt=now,
    )
    return ExpressionWrapper(Q(locked_until__gt=now) | Exists(blocked), BooleanField())


def lock_ends(user):
    """When the latest lock on the user's address ends, or None."""
    ends = [user.locked_until] if user.is_locked else []
    ends += SignInThrottle.objects.filter(
        Q(user=user) | Q(email_digest=email_digest(user.email)),
        kind__in=[ThrottleKind.PAIR, ThrottleKind.ADDRESS],
        blocked_until__gt=timezone.now(),
    ).values_list("blocked_until", flat=True)
    return max(ends, default=None)


# The password step -----------------------------------------------------------


def check_password(request, email, password):
    """The first step: return the user if the password is right, or raise
    SignInRefused. A locked address is refused without looking at the password,
    but the hasher still runs, so the refusal takes as long as a check."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    attempt = Attempt(request, email, user)
    if reason := attempt.refusal():
        make_password(password)
        attempt.refuse(reason)
    # authenticate() runs the hasher once for an unknown address as for a known
    # one, and its user_login_failed signal audits the failure (accounts.signals).
    authenticated = authenticate(request, username=email.strip(), password=password)
    if authenticated is None:
        attempt.count_failure()
        raise SignInRefused(wrong_password_message())
    return authenticated


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
    Attempt(request, user.email, user).count_failure()


def _refuse_if_locked(request, user):
    attempt = Attempt(request, user.email, user)
    if reason := attempt.refusal():
        attempt.refuse(reason)


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
    if device is None or not _use_recovery_code(user, device, code):
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
        Attempt(request, user.email, user).succeeded()
        login(request, user, backend=BACKEND)  # audited by accounts.signals
        django_otp.login(request, device)
    request.session.pop(PENDING_KEY, None)
    note_activity(request, force=True)


def hashed_recovery_code(code, secret=None):
    """What is stored for a recovery code: a digest keyed by SECRET_KEY, so
    neither the database nor Django admin gives the codes away. 16 characters,
    as django-otp's token field allows."""
    digest = salted_hmac(
        RECOVERY_CODE_SALT, normalise_code(code), secret=secret, algorithm="sha256"
    )
    return digest.hexdigest()[:16]


def _use_recovery_code(user, device, code):
    """True if `code` is one of the device's codes, which is then used up.
    Codes stored under a previous SECRET_KEY (SECRET_KEY_FALLBACKS) still work."""
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if django_otp.verify_token(user, device.persistent_id, hashed_recovery_code(code, secret)):
            return True
    return False


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _replace_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=hashed_recovery_code(code)) for code in codes
    )
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
