"""Sign-in and sign-out go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import Action
from audit.services import record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, actor=user, obj=user, request=request)


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        # Set by accounts.middleware when the service signs someone out itself.
        reason = getattr(request, "sign_out_reason", "")
        record(Action.SIGN_OUT, actor=user, obj=user, request=request, reason=reason)


@receiver(user_login_failed)
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    # The address typed is kept (it is a staff address, not case data) so that
    # repeated failures against one account can be seen, by that account's
    # council too; never the password.
    from .models import User

    typed = str(credentials.get("username", ""))[:254]
    account = User.objects.filter(email__iexact=typed.strip()).first() if typed else None
    record(
        Action.SIGN_IN_FAILED,
        obj=account,
        request=request,
        actor_label=typed,
        reason="wrong password" if account else "unknown email address",
    )
